"""JSON (an object or a list of objects) and JSON Lines (one object per line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from storyline.errors import EmptyInput, InputError, MalformedInput
from storyline.ingest.html import html_to_text, with_title
from storyline.ingest.meta import meta_from_mapping
from storyline.records import DocMeta

TEXT_KEYS = ("text", "content", "body", "articleBody", "story_text", "full_text", "maintext")


def _record(obj: Any, item: str) -> tuple[str, str, DocMeta] | InputError:
    if not isinstance(obj, dict):
        return MalformedInput("expected a JSON object with a 'text' field", source=item)
    text = next((obj[k] for k in TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()),
                None)
    if text is None:
        return MalformedInput(f"the record has no text (keys {', '.join(TEXT_KEYS)})",
                              source=item)
    if "</" in text or "<p" in text or "<br" in text:
        text = html_to_text(text)
    meta = meta_from_mapping(obj, "jsonl")
    return item, with_title(text.strip(), meta.title), meta


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).split(";")[0][:200]


def _guarded_record(obj: Any, item: str) -> tuple[str, str, DocMeta] | InputError:
    """_record, with a value no reader expects (a huge number, a deep structure) reported
    as this record's error and never the end of the file."""
    try:
        return _record(obj, item)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        return MalformedInput(f"the record cannot be read: {_reason(exc)}", source=item)


def parse_json(text: str, source: str, lines: bool) -> Iterator[tuple[str, str, DocMeta] | InputError]:
    """(source#n, text, meta) per record; a bad record yields an InputError and the rest go on."""
    if lines:
        count = 0
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            count += 1
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield MalformedInput(f"line {n} is not valid JSON: {exc.msg}", source=f"{source}#{n}")
                continue
            except (ValueError, RecursionError) as exc:  # 5,000-digit numbers, deep nesting
                yield MalformedInput(f"line {n} cannot be read: {_reason(exc)}",
                                     source=f"{source}#{n}")
                continue
            yield _guarded_record(obj, f"{source}#{n}")
        if count == 0:
            yield EmptyInput("no JSON records", source=source)
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield MalformedInput(f"not valid JSON: {exc.msg} (line {exc.lineno})", source=source)
        return
    except (ValueError, RecursionError) as exc:
        yield MalformedInput(f"cannot be read: {_reason(exc)}", source=source)
        return
    if isinstance(data, dict):
        yield _guarded_record(data, source)
        return
    if not isinstance(data, list):
        yield MalformedInput("expected a JSON object or a list of objects", source=source)
        return
    if not data:
        yield EmptyInput("an empty JSON list", source=source)
    for n, obj in enumerate(data, start=1):
        yield _guarded_record(obj, f"{source}#{n}")
