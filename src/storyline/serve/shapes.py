"""Stable shapes for what the analyst interfaces show, read through `link.queries`.

The link stage returns the contract's cluster JSON (docs/STORE_CONTRACT.md); these helpers
give the API, the UI, the briefing and the exports one shape to rely on, whatever extra keys
the link stage adds, and fill nothing that the store does not say.
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFound
from ..link import queries as lq
from ..store import Store
from ..store import queries as sq


def cluster_id(row: dict[str, Any]) -> int | None:
    """The merged event's cluster id, whichever key the link stage used for it."""
    for key in ("cluster_id", "id", "cluster"):
        if isinstance(row.get(key), int):
            return int(row[key])
    return None


def _names(items: Any, key: str) -> list[str]:
    out: list[str] = []
    for it in items or []:
        name = it.get(key) if isinstance(it, dict) else it
        if name and name not in out:
            out.append(str(name))
    return out


def outlets_of(event: dict[str, Any]) -> list[str]:
    """The outlets (or wires) that report a merged event, in order of first report."""
    out = list(event.get("reporting_outlets") or [])
    for src in event.get("sources") or []:
        out += [o for o in (src.get("reported_by") or []) if o]
    for m in event.get("mentions") or []:
        out.append(m.get("wire") or m.get("outlet"))
    return _names([o for o in out if o], "")


def event_item(row: dict[str, Any]) -> dict[str, Any]:
    """A merged event of a timeline with every contract key present."""
    keys = ("type", "subtype", "actor", "actor_key", "target", "target_key", "item",
            "quantity", "when", "status", "title", "first_reported")
    item = {k: row.get(k) for k in keys}
    item.update({
        "cluster_id": cluster_id(row),
        "story_id": row.get("story_id"),
        "quantity_values": row.get("quantity_values") or [],
        "where": row.get("where") or [],
        "mentions": row.get("mentions") or [],
        "sources": row.get("sources") or [],
        "original_sources": _names(row.get("sources"), "original"),
        "reporting_outlets": outlets_of(row),
        "n_independent": int(row.get("n_independent") or 0),
        "n_documents": int(row.get("n_documents") or len(
            {m.get("doc_id") for m in row.get("mentions") or []})),
        "denials": row.get("denials") or [],
        "disagreements": row.get("disagreements") or [],
        "updated_at": row.get("updated_at"),
        "review": row.get("review"),  # the analyst's verdict: {"verdict", "note", ...}
    })
    if not item["title"]:
        item["title"] = f"{item['actor'] or '?'} → {item['target'] or '?'}: " \
                        f"{(item['subtype'] or item['type'] or 'event').replace('_', ' ')}"
    return item


def claim_row(row: dict[str, Any]) -> dict[str, Any]:
    """One row of the claims table: claim, sources, outlets, status, denials, first report."""
    item = event_item(row)
    originals = _names(row.get("original_sources"), "original") or item["original_sources"]
    return {
        "cluster_id": item["cluster_id"], "story_id": item["story_id"],
        "claim": row.get("claim") or item["title"], "type": item["type"],
        "subtype": item["subtype"], "status": item["status"], "when": item["when"],
        "original_sources": originals, "reporting_outlets": item["reporting_outlets"],
        "n_independent": item["n_independent"], "n_documents": item["n_documents"],
        "denials": item["denials"], "denied_by": _names(item["denials"], "by"),
        "disagreements": item["disagreements"], "first_reported": item["first_reported"],
        "review": item["review"],
        "verdict": (item["review"] or {}).get("verdict"),
    }


def list_stories(store: Store, include_empty: bool = False) -> list[dict[str, Any]]:
    """The stories as lists show them: those in which no event was found are folded away
    unless `include_empty` (each row says `n_events`, so a caller can count what it hid)."""
    stories = lq.list_stories(store)
    return stories if include_empty else [s for s in stories if s.get("n_events")]


def pick_story(store: Store, story_id: int | None) -> int:
    """The story asked for, or the largest one when none is named."""
    if story_id is not None:
        lq.get_story(store, story_id)  # NotFound for an unknown story
        return story_id
    stories = lq.list_stories(store)
    if not stories:
        raise NotFound("no stories yet: ingest some articles first", source=store.path)
    best = max(stories, key=lambda s: (s.get("n_documents") or 0, s.get("n_events") or 0))
    return int(best["id"])


_REPORT_LISTS = ("mentions", "denials", "members", "others")


def attach_displays(store: Store, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every report inside `items` (mentions, denials, quote members, each with a
    doc_id) the `display` of its document, as every other view shows it."""
    reports = [r for it in items for key in _REPORT_LISTS for r in it.get(key) or []
               if isinstance(r, dict) and r.get("doc_id")]
    shown = sq.displays(store, [str(r["doc_id"]) for r in reports])
    for r in reports:
        if str(r["doc_id"]) in shown:
            r["display"] = shown[str(r["doc_id"])]
    return items


def _per_story(store: Store, story_id: int | None, rows: Any, shape: Any) -> list[dict[str, Any]]:
    """`shape` applied to `rows(store, sid)` of one story, or of every story when None."""
    ids = [story_id] if story_id is not None else [s["id"] for s in lq.list_stories(store)]
    out = []
    for sid in ids:
        for row in rows(store, sid):
            item = shape(row)
            item["story_id"] = item["story_id"] or sid
            out.append(item)
    return attach_displays(store, out)


def story_events(store: Store, story_id: int | None) -> list[dict[str, Any]]:
    """Merged events of one story, or of every story when `story_id` is None."""
    return _per_story(store, story_id, lq.timeline, event_item)


def story_claims(store: Store, story_id: int | None) -> list[dict[str, Any]]:
    """Claim rows of one story, or of every story when `story_id` is None."""
    return _per_story(store, story_id, lq.claims, claim_row)


def event_links(store: Store, doc_id: str) -> dict[str, dict[str, Any]]:
    """For each event of a document: its merged event and the other mentions of it."""
    story = lq.story_for_document(store, doc_id)
    if story is None:
        return {}
    links: dict[str, dict[str, Any]] = {}
    for ev in story_events(store, story):
        link = {"cluster_id": ev["cluster_id"], "story_id": story, "title": ev["title"],
                "status": ev["status"], "n_independent": ev["n_independent"],
                "denials": ev["denials"], "disagreements": ev["disagreements"]}
        for m in ev["mentions"]:
            if m.get("doc_id") == doc_id:
                links[str(m.get("event_id"))] = {
                    **link, "role": "report", "others": [o for o in ev["mentions"] if o is not m]}
        for d in ev["denials"]:  # a denial links to the reports of what it denies
            if d.get("doc_id") == doc_id and d.get("event_id"):
                links.setdefault(str(d["event_id"]), {
                    **link, "role": "denial", "others": list(ev["mentions"])})
    return links


def quote_links(store: Store, doc_id: str) -> dict[str, dict[str, Any]]:
    """For each quote of a document ("q<idx>"): the other reports of the same statement."""
    story = lq.story_for_document(store, doc_id)
    links: dict[str, dict[str, Any]] = {}
    for group in attach_displays(store, lq.quote_groups(store, story)):
        members = group.get("members") or []
        for m in members:
            if m.get("doc_id") == doc_id:
                links[f"q{m.get('quote_idx')}"] = {
                    "cluster_id": cluster_id(group), "speaker": group.get("speaker"),
                    "others": [o for o in members if o is not m]}
    return links
