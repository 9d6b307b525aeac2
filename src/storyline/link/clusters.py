"""A merged event's stored form (clusters.json for kind 'event'), rebuilt from its members.

Rebuilding reads the cluster's members through `cluster_members_cluster` and each member
event through the events primary key, so it costs the size of the cluster, not the corpus.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..store.db import now
from .common import LinkContext, interval, iso, value_key, width
from .contradictions import denial_entries, disagreements
from .events import (
    STATUS_RANK,
    SYMMETRIC_SUBTYPES,
    is_denial,
    is_saying,
    quantities_agree,
    said_text,
    usable_when,
)
from .sources import independent_sources


def mention_entry(ctx: LinkContext, doc_id: str, ev: dict[str, Any]) -> dict[str, Any]:
    """One report of a merged event: who carried it, who said it, with its evidence."""
    info = ctx.doc(doc_id)
    return {
        "doc_id": doc_id, "event_id": ev.get("id"), "outlet": info.outlet, "wire": info.wire,
        "published": info.date, "date_inferred": info.published is None and bool(info.date),
        "source": ev.get("source"), "source_key": ev.get("source_key"),
        "source_is_outlet": bool(ev.get("source_is_outlet")),
        "source_text": ev.get("source_text"),
        "status": ev.get("status") or "asserted", "cue": ev.get("cue"),
        "evidence": ev.get("evidence"), "start": ev.get("start"), "end": ev.get("end"),
        "quantity": ev.get("quantity"), "quantity_qualifier": ev.get("quantity_qualifier"),
        "when": usable_when(ev, info.date is not None), "when_text": ev.get("when_text"),
        "where": ev.get("where"),
        "type": ev.get("type"), "subtype": ev.get("subtype"),
        "actor": ev.get("actor"), "actor_key": ev.get("actor_key"),
        "target": ev.get("target"), "target_key": ev.get("target_key"),
        "item": ev.get("item"), "denied_by": list(ev.get("denied_by") or []),
        "said": said_text(ctx.text(doc_id), ev) if is_saying(ev) else None,
    }


def _mode(values: list[Any]) -> Any:
    """The most frequent value, the earliest on a tie (mentions come sorted by date)."""
    values = [v for v in values if v not in (None, "")]
    if not values:
        return None
    counts = Counter(json.dumps(v, sort_keys=True) for v in values)
    best = max(counts.values())
    for v in values:
        if counts[json.dumps(v, sort_keys=True)] == best:
            return v
    return None


def _quantity(values: list[float]) -> float | None:
    """The value most reports agree with (within 1.5x), its most common form."""
    if not values:
        return None
    support = [sum(quantities_agree(v, o) is True for o in values) for v in values]
    top = max(support)
    return _mode([v for v, s in zip(values, support) if s == top])


def _when(values: list[Any]) -> Any:
    resolved = [v for v in values if interval(v) is not None]
    if not resolved:
        return None
    counts = Counter(value_key(v) for v in resolved)
    return min(resolved, key=lambda v: (-counts[value_key(v)], width(interval(v))))  # type: ignore[arg-type]


def _title(subtype: str | None, etype: str | None, actor: str | None, target: str | None,
           item: str | None) -> str:
    what = (subtype or etype or "event").replace("_", " ")
    if item and subtype not in ("meeting", "summit", "visit"):
        what += f" ({item})"
    if actor and target:
        arrow = " – " if subtype in SYMMETRIC_SUBTYPES else " → "
        return f"{actor}{arrow}{target}: {what}"
    if actor or target:
        return f"{actor or target}: {what}"
    return what[:1].upper() + what[1:]


def _story_of(ctx: LinkContext, doc_ids: list[str]) -> int | None:
    stories = []
    for d in doc_ids:
        row = ctx.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                               (d,)).fetchone()
        if row:
            stories.append(row[0])
    return Counter(stories).most_common(1)[0][0] if stories else None


def rebuild_event_cluster(ctx: LinkContext, cluster_id: int) -> bool:
    """Recompute a merged event from its members; delete it when none is left."""
    rows = ctx.conn.execute("SELECT doc_id, member FROM cluster_members WHERE cluster_id=?",
                            (cluster_id,)).fetchall()
    claims: list[dict[str, Any]] = []
    denials: list[tuple[str, dict[str, Any]]] = []
    for r in rows:
        ev = ctx.event(r["doc_id"], r["member"])
        if ev is None:  # the document was analysed again without this event
            ctx.conn.execute("DELETE FROM cluster_members WHERE cluster_id=? AND doc_id=? "
                             "AND member=?", (cluster_id, r["doc_id"], r["member"]))
            continue
        if is_denial(ev):
            denials.append((r["doc_id"], ev))
        else:
            claims.append(mention_entry(ctx, r["doc_id"], ev))
    if not claims:
        # a denial alone is no merged event: it waits for its claim to be linked again
        ctx.conn.execute("DELETE FROM cluster_members WHERE cluster_id=?", (cluster_id,))
        ctx.conn.execute("DELETE FROM clusters WHERE id=?", (cluster_id,))
        return False
    claims.sort(key=lambda m: (m["published"] or "9999", ctx.doc(m["doc_id"]).seq,
                               m["start"] or 0))
    subtype = _mode([m["subtype"] for m in claims])
    etype = _mode([m["type"] for m in claims if m["subtype"] == subtype]) or \
        _mode([m["type"] for m in claims])
    actor_key = _mode([m["actor_key"] for m in claims])
    target_key = _mode([m["target_key"] for m in claims])
    actor = next((m["actor"] for m in claims if m["actor_key"] == actor_key and m["actor"]),
                 None) if actor_key else _mode([m["actor"] for m in claims])
    target = next((m["target"] for m in claims if m["target_key"] == target_key and
                   m["target"]), None) if target_key else _mode([m["target"] for m in claims])
    actor = actor or ctx.name_of(actor_key)
    target = target or ctx.name_of(target_key)
    item = _mode([m["item"] for m in claims])
    q_values = [m["quantity"] for m in claims if m["quantity"]]
    when = _when([m["when"] for m in claims])
    ivs = [iv for iv in (interval(m["when"]) for m in claims) if iv is not None]
    places = list(dict.fromkeys(m["where"] for m in claims if m["where"]))
    status = max((m["status"] for m in claims), key=lambda s: STATUS_RANK.get(s, 0))
    sources, n_independent = independent_sources(ctx, claims)
    doc_ids = list(dict.fromkeys(m["doc_id"] for m in claims))
    dates = [m["published"] for m in claims if m["published"]]
    data = {
        "type": etype, "subtype": subtype, "actor": actor, "actor_key": actor_key,
        "target": target, "target_key": target_key, "item": item,
        "quantity": _quantity(q_values), "quantity_values": q_values, "when": when,
        "where": places, "status": status,
        "title": _title(subtype, etype, actor, target, item),
        "mentions": claims, "sources": sources, "n_independent": n_independent,
        "n_documents": len(doc_ids),
        "denials": denial_entries(ctx, denials, claims),
        "disagreements": disagreements(ctx, claims),
        "first_reported": min(dates) if dates else None,
    }
    ctx.conn.execute(
        "UPDATE clusters SET story_id=?, type=?, subtype=?, actor_key=?, target_key=?, "
        "when_start=?, when_end=?, json=?, updated_at=? WHERE id=?",
        (_story_of(ctx, doc_ids), etype, subtype, actor_key, target_key,
         iso(min(iv[0] for iv in ivs)) if ivs else None,
         iso(max(iv[1] for iv in ivs)) if ivs else None,
         json.dumps(data, ensure_ascii=False), now(), cluster_id))
    return True


def new_cluster(ctx: LinkContext, kind: str, subtype: str | None = None) -> int:
    cur = ctx.conn.execute("INSERT INTO clusters (kind, subtype, json, updated_at) "
                           "VALUES (?,?,?,?)", (kind, subtype, "{}", now()))
    return int(cur.lastrowid)
