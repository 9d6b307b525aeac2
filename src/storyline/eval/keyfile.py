"""Reading and checking an answer key (the format of shared/gold/README.md).

A key that does not follow the format raises KeyFormatError naming the file and the
place in it ("documents[2].events[0].when: ..."), rather than scoring something wrong.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from storyline.errors import KeyFormatError
from storyline.eval.types import LINK_KINDS

STATUSES = ("asserted", "hedged", "planned", "hypothetical", "denied")
DOC_FIELDS = ("file", "outlet", "published", "boilerplate", "keep", "entities", "times",
              "quotes", "events")
EVENT_FIELDS = ("id", "type", "subtype", "actor", "target", "when", "source", "status",
                "evidence")
_TIME = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load_key(path: str | Path) -> dict[str, Any]:
    """Read an answer key from `path` and check it; raises KeyFormatError naming the problem."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyFormatError("no such key file", source=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFormatError(f"cannot read the key: {exc}", source=str(p)) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise KeyFormatError(f"not valid JSON: {exc}", source=str(p)) from None
    validate_key(data, source=str(p))
    return data


def validate_key(data: Any, source: str | None = None) -> None:
    """Check that `data` follows the key format; raises KeyFormatError at the first problem."""

    def fail(where: str, problem: str) -> None:
        raise KeyFormatError(f"{where}: {problem}" if where else problem, source=source)

    if not isinstance(data, dict):
        fail("", "the key must be a JSON object with 'documents' and 'links'")
    for name in ("documents", "links"):
        if not isinstance(data.get(name), list):
            fail(name, "missing or not a list")
    if "corpus" in data and not isinstance(data["corpus"], str):
        fail("corpus", "must be a string")

    files: set[str] = set()
    event_ids: dict[str, str] = {}  # id -> subtype
    denial_targets: list[tuple[str, str]] = []
    for d, doc in enumerate(data["documents"]):
        at = f"documents[{d}]"
        if not isinstance(doc, dict):
            fail(at, "must be an object")
        for name in DOC_FIELDS:
            if name not in doc:
                fail(f"{at}.{name}", "missing")
        if not isinstance(doc["file"], str) or not doc["file"]:
            fail(f"{at}.file", "must be a non-empty string")
        if doc["file"] in files:
            fail(f"{at}.file", f"{doc['file']!r} listed twice")
        files.add(doc["file"])
        for name in ("outlet", "wire"):
            if doc.get(name) is not None and not isinstance(doc[name], str):
                fail(f"{at}.{name}", "must be a string or null")
        for name in ("published", "published_true"):
            v = doc.get(name)
            if v is not None and not (isinstance(v, str) and _DATE.match(v)):
                fail(f"{at}.{name}", f"must be a YYYY-MM-DD date or null, got {v!r}")
        for name in ("boilerplate", "keep"):
            _strings(doc[name], f"{at}.{name}", fail)
        _entities(doc["entities"], f"{at}.entities", fail)
        _times(doc["times"], f"{at}.times", fail)
        _quotes(doc["quotes"], f"{at}.quotes", fail)
        if not isinstance(doc["events"], list):
            fail(f"{at}.events", "must be a list")
        for e, ev in enumerate(doc["events"]):
            where = f"{at}.events[{e}]"
            _event(ev, where, fail)
            if ev["id"] in event_ids:
                fail(f"{where}.id", f"{ev['id']!r} is not unique in the key")
            event_ids[ev["id"]] = ev["subtype"]
            if ev["subtype"] == "denial" and ev["target"] is not None:
                denial_targets.append((f"{where}.target", ev["target"]))
    for where, target in denial_targets:
        if target not in event_ids:
            fail(where, f"a denial's target must be an event id of the key, got {target!r}")

    for k, link in enumerate(data["links"]):
        _link(link, f"links[{k}]", files, event_ids, fail)


def _strings(value: Any, where: str, fail: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        fail(where, "must be a list of strings")


def _entities(value: Any, where: str, fail: Any) -> None:
    if not isinstance(value, list):
        fail(where, "must be a list")
    for i, ent in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(ent, dict):
            fail(at, "must be an object")
        if not isinstance(ent.get("name"), str) or not ent["name"].strip():
            fail(f"{at}.name", "must be a non-empty string")
        if not isinstance(ent.get("type"), str):
            fail(f"{at}.type", "missing or not a string")
        _strings(ent.get("aliases"), f"{at}.aliases", fail)


def check_time_value(value: Any) -> bool:
    """True for a valid key time value: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www, a pair, or None."""
    if value is None:
        return True
    if isinstance(value, str):
        return bool(_TIME.match(value))
    return (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, str) and _TIME.match(v) for v in value))


def _times(value: Any, where: str, fail: Any) -> None:
    if not isinstance(value, list):
        fail(where, "must be a list")
    for i, t in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(t, dict) or not isinstance(t.get("text"), str) or not t["text"].strip():
            fail(at, "must be an object with a non-empty 'text'")
        if "value" not in t:
            fail(f"{at}.value", "missing (use null for an unresolved time)")
        if not check_time_value(t["value"]):
            fail(f"{at}.value", f"not a time value: {t['value']!r}")


def _quotes(value: Any, where: str, fail: Any) -> None:
    if not isinstance(value, list):
        fail(where, "must be a list")
    for i, q in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(q, dict) or not isinstance(q.get("text"), str) or not q["text"].strip():
            fail(at, "must be an object with a non-empty 'text'")
        if "speaker" not in q or not (q["speaker"] is None or isinstance(q["speaker"], str)):
            fail(f"{at}.speaker", "missing, or not a string or null")


def _event(ev: Any, where: str, fail: Any) -> None:
    if not isinstance(ev, dict):
        fail(where, "must be an object")
    for name in EVENT_FIELDS:
        if name not in ev:
            fail(f"{where}.{name}", "missing")
    for name in ("id", "type", "evidence"):
        if not isinstance(ev[name], str) or not ev[name].strip():
            fail(f"{where}.{name}", "must be a non-empty string")
    # null: a general PLOVER event that fits none of the finer kinds
    if ev["subtype"] is not None and (not isinstance(ev["subtype"], str) or not ev["subtype"].strip()):
        fail(f"{where}.subtype", "must be a non-empty string or null")
    for name in ("actor", "target", "source", "item", "where"):
        if ev.get(name) is not None and not isinstance(ev[name], str):
            fail(f"{where}.{name}", "must be a string or null")
    if not check_time_value(ev["when"]):
        fail(f"{where}.when", f"not a time value: {ev['when']!r}")
    q = ev.get("quantity")
    if q is not None and (isinstance(q, bool) or not isinstance(q, (int, float))):
        fail(f"{where}.quantity", f"must be a number or null, got {q!r}")
    if ev["status"] not in STATUSES:
        fail(f"{where}.status", f"must be one of {', '.join(STATUSES)}, got {ev['status']!r}")
    for name in ("denied_by", "participants"):
        if name in ev:
            _strings(ev[name], f"{where}.{name}", fail)


def _link(link: Any, where: str, files: set[str], event_ids: dict[str, str], fail: Any) -> None:
    if not isinstance(link, dict):
        fail(where, "must be an object")
    kind = link.get("kind")
    if kind not in LINK_KINDS:
        fail(f"{where}.kind", f"must be one of {', '.join(LINK_KINDS)}, got {kind!r}")
    members = link.get("members")
    if not isinstance(members, list) or len(members) < 2:
        fail(f"{where}.members", "must be a list of at least two members")
    for m, member in enumerate(members):
        at = f"{where}.members[{m}]"
        if kind in ("same_event", "contradiction"):
            if not isinstance(member, str) or member not in event_ids:
                fail(at, f"not an event id of the key: {member!r}")
        elif kind == "same_story":
            if not isinstance(member, str) or member not in files:
                fail(at, f"not a file of the key: {member!r}")
        else:
            if (not isinstance(member, list) or len(member) != 2
                    or not all(isinstance(x, str) for x in member)):
                fail(at, "a same_quote member must be [file, verbatim part]")
            if member[0] not in files:
                fail(at, f"not a file of the key: {member[0]!r}")
            if not member[1].strip():
                fail(at, "empty verbatim part")
