"""Atom and JSON Feed of a watchlist's claims, so an analyst can follow a watch in the feed
reader they already use.

Each claim that matches the watch is an entry, identified by its merged event and dated by
its last change: a new claim is a new entry, a changed one (a new report, a denial, a new
status) the same entry with a later `updated`, which readers show again. Reading a feed
never moves the watch's last check (`storyline watch check` and POST .../new do).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from ..store import Store
from .watch import get_watch, watch_claims

FEED_LIMIT = 50  # the latest changed claims a feed lists by default


def _stamp(value: Any, default: str) -> dt.datetime:
    """A timezone-aware time from a stored ISO time (UTC when it names no zone)."""
    for raw in (value, default):
        try:
            when = dt.datetime.fromisoformat(str(raw))
        except ValueError:
            continue
        return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    return dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def _evidence_lines(claim: dict[str, Any], base: str) -> list[tuple[str, str, str]]:
    """(who and when, evidence sentence, link to the span) for each report of the claim."""
    out = []
    for m in claim["mentions"]:
        shown = (m.get("display") or {}).get("text") or f"{m.get('outlet') or '?'}"
        link = f"{base}/documents/{quote(str(m.get('doc_id')))}#{m.get('start')}-{m.get('end')}"
        out.append((shown, str(m.get("evidence") or ""), link))
    return out


def _summary(hit: dict[str, Any]) -> str:
    c = hit["claim"]
    parts = [f"{c.get('status') or 'asserted'}", f"{c['n_independent']} independent source(s)",
             f"{c['n_documents']} document(s)"]
    if c["denials"]:
        parts.append("denied by " + ", ".join(str(d.get("by") or "?") for d in c["denials"]))
    return "; ".join(parts) + " — matched " + "; ".join(hit["matched"])


def _text(hit: dict[str, Any], base: str) -> str:
    lines = [_summary(hit)]
    lines += [f"{who}: “{ev}” {link}" for who, ev, link in _evidence_lines(hit["claim"], base)]
    return "\n".join(lines)


def _html(hit: dict[str, Any], base: str) -> str:
    e = html.escape
    items = "".join(f'<li>{e(who)}: “{e(ev)}” <a href="{e(link)}">evidence</a></li>'
                    for who, ev, link in _evidence_lines(hit["claim"], base))
    return f"<p>{e(_summary(hit))}</p><ul>{items}</ul>"


def _link(hit: dict[str, Any], base: str) -> str:
    story = hit.get("story_id")
    return (f"{base}/stories/{story}#cluster-{hit['cluster_id']}" if story is not None
            else f"{base}/")


def _feed_items(store: Store, name: str, limit: int) -> tuple[dict[str, Any], list[Any]]:
    watch = get_watch(store, name)
    return watch, watch_claims(store, name)[:limit]


def atom_feed(store: Store, name: str, base: str, limit: int = FEED_LIMIT) -> bytes:
    """The watch's Atom feed: its `limit` latest changed claims, each with its evidence."""
    watch, hits = _feed_items(store, name, limit)
    base = base.rstrip("/")
    fg = FeedGenerator()
    fg.id(f"urn:storyline:watch:{quote(name)}")
    fg.title(f"Storyline watch: {name}")
    fg.subtitle(_criteria(watch))
    fg.link(href=f"{base}/api/watches/{quote(name)}/feed.atom", rel="self")
    fg.link(href=f"{base}/", rel="alternate")
    fg.generator("Storyline")
    fg.updated(max((_stamp(h["claim"].get("updated_at"), watch["created_at"]) for h in hits),
                   default=_stamp(watch["created_at"], "")))
    for hit in reversed(hits):  # feedgen puts the last added first
        entry = fg.add_entry()
        entry.id(f"urn:storyline:claim:{hit['cluster_id']}")
        entry.title(hit["title"])
        entry.updated(_stamp(hit["claim"].get("updated_at"), watch["created_at"]))
        entry.link(href=_link(hit, base), rel="alternate")
        entry.summary(_text(hit, base))
        entry.content(_html(hit, base), type="html")
        entry.category(term=str(hit["claim"].get("subtype") or hit["claim"].get("type")))
    return fg.atom_str(pretty=True)


def json_feed(store: Store, name: str, base: str, limit: int = FEED_LIMIT) -> dict[str, Any]:
    """The watch's JSON Feed 1.1 (https://jsonfeed.org/version/1.1), as `atom_feed`."""
    watch, hits = _feed_items(store, name, limit)
    base = base.rstrip("/")
    items = []
    for hit in hits:
        c = hit["claim"]
        items.append({
            "id": f"urn:storyline:claim:{hit['cluster_id']}", "url": _link(hit, base),
            "title": hit["title"], "content_text": _text(hit, base),
            "content_html": _html(hit, base), "summary": _summary(hit),
            "date_modified": _stamp(c.get("updated_at"), watch["created_at"]).isoformat(),
            "tags": [t for t in (c.get("type"), c.get("subtype"), c.get("status")) if t],
            "_storyline": {"cluster_id": hit["cluster_id"], "story_id": hit["story_id"],
                           "matched": hit["matched"]}})
    return {"version": "https://jsonfeed.org/version/1.1",
            "title": f"Storyline watch: {name}", "description": _criteria(watch),
            "home_page_url": f"{base}/",
            "feed_url": f"{base}/api/watches/{quote(name)}/feed.json", "items": items}


def _criteria(watch: dict[str, Any]) -> str:
    parts = [f"{k}: {', '.join(watch[k])}" for k in ("entities", "subtypes", "keywords")
             if watch[k]]
    return "New and changed claims matching " + "; ".join(parts)
