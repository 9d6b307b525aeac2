"""RSS and Atom feeds (feedparser): one document per entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from storyline.clean.dates import normalise_date
from storyline.errors import EmptyInput, InputError, MalformedInput
from storyline.ingest.html import html_to_text, with_title
from storyline.records import DocMeta


def _entry_text(entry: Any) -> str:
    """The fullest text an entry carries: its content, else its summary (HTML to text)."""
    candidates: list[str] = []
    for content in entry.get("content") or []:
        if content.get("value"):
            candidates.append(content["value"])
    if entry.get("summary"):
        candidates.append(entry["summary"])
    texts = [html_to_text(c) for c in candidates]
    return max(texts, key=len) if texts else ""


def _entry_date(entry: Any) -> str | None:
    # The stated string first: feedparser's parsed tuple is in UTC and can shift the day.
    for key in ("published", "created", "updated"):
        date = normalise_date(entry.get(key))
        if date:
            return date
    for key in ("published_parsed", "created_parsed", "updated_parsed"):
        date = normalise_date(entry.get(key))
        if date:
            return date
    return None


def parse_feed(data: bytes | str, source: str) -> Iterator[tuple[str, str, DocMeta] | InputError]:
    """(source#n, text, meta) per entry, or an InputError for the feed or for one entry."""
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            why = parsed.get("bozo_exception")
            yield MalformedInput(f"not a readable RSS/Atom feed ({why})", source=source)
        else:
            yield EmptyInput("the feed has no entries", source=source)
        return
    feed = parsed.get("feed") or {}
    texts = [_entry_text(entry) for entry in entries]
    if parsed.get("bozo") and not any(texts):
        # A broken document that the lenient parser turned into empty entries: not a feed.
        why = parsed.get("bozo_exception")
        yield MalformedInput(f"not a readable RSS/Atom feed ({why})", source=source)
        return
    for n, (entry, text) in enumerate(zip(entries, texts), start=1):
        item = f"{source}#{n}"
        title = (entry.get("title") or "").strip() or None
        if not text:
            yield MalformedInput("the feed entry has no text", source=item)
            continue
        meta = DocMeta(outlet=(feed.get("title") or "").strip() or None, title=title,
                       published=_entry_date(entry), author=entry.get("author") or None,
                       language=feed.get("language") or None, url=entry.get("link") or None)
        yield item, with_title(text, title), meta
