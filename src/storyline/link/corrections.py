"""The analyst's corrections of the cross-document layer, applied after every linking run
(pipeline.analyse_and_link, amend.relink): same-event, same-quote and contradiction links
added or removed, and claim verdicts (confirmed, rejected). See store/corrections.py for
the records; a correction that finds no target is left alone here and listed as orphaned.

A verdict lives in the merged event's JSON as "review" ({"verdict", "note", "author", "at",
"correction_id"}); a rejected claim no longer counts as a report: its "n_independent" is 0
("n_independent_extracted" keeps what the sources gave).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..store import Store
from ..store import corrections as sc
from ..store.db import now
from .clusters import new_cluster, rebuild_event_cluster
from .common import LinkContext
from .embed import Embedder, HashEmbedder
from .events import is_denial
from .quotes import rebuild_quote_cluster


@dataclass
class CorrectionReport:
    """What one application did: corrections applied, and those that found no target."""

    applied: list[str] = field(default_factory=list)
    orphaned: dict[str, str] = field(default_factory=dict)  # correction id -> why

    def as_dict(self) -> dict[str, Any]:
        return {"applied": self.applied, "orphaned": self.orphaned}


def event_member(store: Store, fingerprint: str) -> tuple[str, str] | None:
    """(doc id, event id) of the stored event with this fingerprint."""
    ev = sc.find_event(store, fingerprint)
    return (sc.fingerprint_doc(fingerprint), ev["id"]) if ev else None


def quote_member(store: Store, fingerprint: str) -> tuple[str, str] | None:
    idx = sc.find_quote(store, fingerprint)
    return (sc.fingerprint_doc(fingerprint), f"q{idx}") if idx is not None else None


def cluster_of(store: Store, member: tuple[str, str], kind: str) -> int | None:
    """The cluster of that kind the member belongs to (the first, for a denial)."""
    row = store.conn.execute(
        "SELECT cm.cluster_id FROM cluster_members cm JOIN clusters c ON c.id = cm.cluster_id "
        "WHERE cm.doc_id=? AND cm.member=? AND c.kind=? ORDER BY cm.cluster_id LIMIT 1",
        (*member, kind)).fetchone()
    return int(row[0]) if row else None


def _rebuild(ctx: LinkContext, kind: str, cluster_ids: list[int | None]) -> None:
    for cid in dict.fromkeys(c for c in cluster_ids if c is not None):
        (rebuild_quote_cluster if kind == "quote" else rebuild_event_cluster)(ctx, cid)


def _move(ctx: LinkContext, member: tuple[str, str], kind: str, into: int | None) -> None:
    """Take the member out of its cluster(s) of `kind`, into `into` (None: a new one)."""
    old = [r[0] for r in ctx.conn.execute(
        "SELECT cm.cluster_id FROM cluster_members cm JOIN clusters c ON c.id = cm.cluster_id "
        "WHERE cm.doc_id=? AND cm.member=? AND c.kind=?", (*member, kind)).fetchall()]
    for cid in old:
        ctx.conn.execute("DELETE FROM cluster_members WHERE cluster_id=? AND doc_id=? AND "
                         "member=?", (cid, *member))
    if into is None:
        into = new_cluster(ctx, kind, "quote" if kind == "quote" else None)
    ctx.conn.execute("INSERT OR IGNORE INTO cluster_members VALUES (?,?,?)", (into, *member))
    _rebuild(ctx, kind, [into, *old])


def _apply_link(ctx: LinkContext, c: dict[str, Any]) -> str | None:
    """Apply one link correction; the reason it cannot, or None."""
    store = ctx.store
    kind = "quote" if c["field"] == "same_quote" else "event"
    find = quote_member if kind == "quote" else event_member
    a, b = find(store, c["target"]), find(store, c["new_value"]["with"])
    if a is None or b is None:
        return f"no {kind} {c['target'] if a is None else c['new_value']['with']} is stored"
    ca, cb = cluster_of(store, a, kind), cluster_of(store, b, kind)
    if ca is None:
        return f"{c['target']} is in no {kind} group (its document is not linked)"
    op = c["new_value"]["op"]
    if c["field"] == "contradiction":
        denial = ctx.event(*b)
        if denial is None or not is_denial(denial):
            return f"{c['new_value']['with']} is not a denial"
        member_of_a = ctx.conn.execute("SELECT 1 FROM cluster_members WHERE cluster_id=? AND "
                                       "doc_id=? AND member=?", (ca, *b)).fetchone()
        if op == "add" and not member_of_a:
            _move(ctx, b, kind, ca)
        elif op == "remove" and member_of_a:
            ctx.conn.execute("DELETE FROM cluster_members WHERE cluster_id=? AND doc_id=? AND "
                             "member=?", (ca, *b))
            _rebuild(ctx, kind, [ca])
        return None
    if op == "add" and ca != cb:
        _move(ctx, b, kind, ca)
    elif op == "remove" and ca == cb:
        _move(ctx, b, kind, None)
    return None


def _apply_verdict(ctx: LinkContext, c: dict[str, Any]) -> str | None:
    member = event_member(ctx.store, c["target"])
    if member is None:
        return f"no event {c['target']} is stored"
    cid = cluster_of(ctx.store, member, "event")
    if cid is None:
        return f"{c['target']} is in no merged event (its document is not linked)"
    row = ctx.conn.execute("SELECT json FROM clusters WHERE id=?", (cid,)).fetchone()
    data = json.loads(row[0] or "{}")
    extracted = data.pop("n_independent_extracted", data.get("n_independent", 0))
    data["n_independent"] = extracted
    data.pop("review", None)
    verdict = c["new_value"]["verdict"]
    if verdict != "open":
        data["review"] = {"verdict": verdict, "note": c["new_value"].get("note"),
                          "author": c.get("author"), "at": c["created_at"],
                          "correction_id": c["id"]}
        if verdict == "rejected":
            data["n_independent_extracted"] = extracted
            data["n_independent"] = 0
    ctx.conn.execute("UPDATE clusters SET json=?, updated_at=? WHERE id=?",
                     (json.dumps(data, ensure_ascii=False), now(), cid))
    return None


def apply_link_corrections(store: Store, embedder: Embedder | None = None,
                           analysed: list[str] | None = None) -> CorrectionReport:
    """Apply every link correction, then every claim verdict (the latest per claim), in the
    order they were made; one write transaction. The event corrections of the documents
    just `analysed` that no longer find their event are reported as orphaned too (the
    extraction applied the others). Nothing to do costs one query."""
    report = CorrectionReport()
    every = sc.all_corrections(store)
    fresh = set(analysed or [])
    for c in every:
        if c["kind"] == "event" and c["doc_id"] in fresh:
            state, why = sc.state(store, c)
            if state == "orphaned":
                report.orphaned[c["id"]] = str(why)
    rows = [c for c in every if c["kind"] in ("link", "claim")]
    if not rows:
        return report
    ctx = LinkContext(store, embedder or HashEmbedder())
    latest: dict[str, dict[str, Any]] = {}
    for c in rows:
        if c["kind"] == "claim":
            latest[c["target"]] = c  # a later verdict on the same claim replaces the earlier
    with store.write():
        for c in rows:
            if c["kind"] == "link":
                why = _apply_link(ctx, c)
            elif latest[c["target"]] is c:
                why = _apply_verdict(ctx, c)
            else:
                why = None  # replaced by a later verdict
            if why is None:
                report.applied.append(c["id"])
            else:
                report.orphaned[c["id"]] = why
    return report
