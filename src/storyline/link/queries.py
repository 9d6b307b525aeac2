"""Read-side functions of the cross-document layer (serve, brief, export and the CLI call
them). A story's events are found through its documents' memberships
(story_documents_story -> cluster_members primary key -> clusters primary key), so one
story's timeline costs the size of that story, not of the corpus.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import NotFound
from ..store import Store
from .common import interval

_STORY_CLUSTERS = (
    "SELECT DISTINCT c.id, c.kind, c.json, c.when_start, c.when_end, c.updated_at "
    "FROM story_documents sd "
    "JOIN cluster_members cm ON cm.doc_id = sd.doc_id JOIN clusters c ON c.id = cm.cluster_id "
    "WHERE sd.story_id=? AND c.kind=?")


def _story_row(store: Store, story_id: int) -> Any:
    row = store.conn.execute("SELECT * FROM stories WHERE id=?", (story_id,)).fetchone()
    if row is None:
        raise NotFound(f"no story {story_id}", source=str(story_id))
    return row


def list_stories(store: Store) -> list[dict[str, Any]]:
    """Every story, latest first: id, title, first_date, last_date, n_documents, n_events."""
    rows = store.conn.execute(
        "SELECT s.id, s.title, s.first_date, s.last_date, "
        "(SELECT count(*) FROM story_documents sd WHERE sd.story_id = s.id) AS n_documents, "
        "(SELECT count(DISTINCT cm.cluster_id) FROM story_documents sd JOIN cluster_members cm "
        " ON cm.doc_id = sd.doc_id JOIN clusters c ON c.id = cm.cluster_id AND c.kind='event' "
        " WHERE sd.story_id = s.id) AS n_events "
        "FROM stories s ORDER BY coalesce(s.last_date, '') DESC, s.id").fetchall()
    return [dict(r) for r in rows]


def get_story(store: Store, story_id: int) -> dict[str, Any]:
    """One story with its documents (id, title, outlet, published, published_inferred)."""
    row = _story_row(store, story_id)
    docs = store.conn.execute(
        "SELECT d.id, d.title, d.outlet, d.wire, d.published, d.published_inferred, "
        "d.published_inferred_reason, sd.score FROM story_documents sd "
        "JOIN documents d ON d.id = sd.doc_id WHERE sd.story_id=? "
        "ORDER BY coalesce(d.published, d.published_inferred, '9999'), d.seq",
        (story_id,)).fetchall()
    n_events = len(store.conn.execute(_STORY_CLUSTERS, (story_id, "event")).fetchall())
    return {"id": row["id"], "title": row["title"], "first_date": row["first_date"],
            "last_date": row["last_date"], "n_documents": len(docs), "n_events": n_events,
            "documents": [dict(d) for d in docs]}


def _when_sort(data: dict[str, Any], row: Any) -> tuple[str, str, int]:
    iv = interval(data.get("when"))
    start = iv[0].isoformat() if iv else (row["when_start"] or data.get("first_reported")
                                          or "9999")
    return start, data.get("first_reported") or "9999", row["id"]


def timeline(store: Store, story_id: int) -> list[dict[str, Any]]:
    """The story's merged events in time order, each with its reports and evidence."""
    _story_row(store, story_id)
    rows = store.conn.execute(_STORY_CLUSTERS, (story_id, "event")).fetchall()
    items = []
    for row in rows:
        data = json.loads(row["json"] or "{}")
        iv = interval(data.get("when"))
        items.append((_when_sort(data, row), {
            "cluster_id": row["id"], "when": data.get("when"),
            "when_start": iv[0].isoformat() if iv else None,
            "when_end": iv[1].isoformat() if iv else None,
            "title": data.get("title"), "type": data.get("type"),
            "subtype": data.get("subtype"), "actor": data.get("actor"),
            "actor_key": data.get("actor_key"), "target": data.get("target"),
            "target_key": data.get("target_key"), "item": data.get("item"),
            "quantity": data.get("quantity"), "quantity_values": data.get("quantity_values", []),
            "where": data.get("where", []), "updated_at": row["updated_at"],
            "status": data.get("status"), "n_independent": data.get("n_independent", 0),
            "n_documents": data.get("n_documents", 0), "sources": data.get("sources", []),
            "denials": data.get("denials", []), "disagreements": data.get("disagreements", []),
            "first_reported": data.get("first_reported"),
            "mentions": data.get("mentions", []),
            # the analyst's verdict (link/corrections.py), None when there is none
            "review": data.get("review"),
        }))
    items.sort(key=lambda x: x[0])
    return [i for _, i in items]


def claims(store: Store, story_id: int) -> list[dict[str, Any]]:
    """Claim rows: what is claimed, by which original sources, reported by whom, denied by
    whom; best-supported first."""
    out = []
    for item in timeline(store, story_id):
        sources = item["sources"]
        outlets = list(dict.fromkeys(o for s in sources for o in s.get("reported_by", [])))
        out.append({
            "cluster_id": item["cluster_id"], "claim": item["title"],
            **{k: item[k] for k in ("type", "subtype", "actor_key", "target_key",
                                    "quantity_values", "updated_at")},
            "original_sources": [s["original"] for s in sources], "sources": sources,
            "reporting_outlets": outlets, "status": item["status"],
            "denials": item["denials"], "disagreements": item["disagreements"],
            "first_reported": item["first_reported"], "when": item["when"],
            "n_independent": item["n_independent"], "n_documents": item["n_documents"],
            "review": item["review"],
        })
    out.sort(key=lambda c: (-c["n_independent"], -c["n_documents"],
                            c["first_reported"] or "9999", c["cluster_id"]))
    return out


def quote_groups(store: Store, story_id: int | None = None) -> list[dict[str, Any]]:
    """Statements reported by two or more quotes (one speaker, same meaning)."""
    if story_id is not None:
        _story_row(store, story_id)
        rows = store.conn.execute(_STORY_CLUSTERS, (story_id, "quote")).fetchall()
    else:
        rows = store.conn.execute("SELECT id, kind, json FROM clusters WHERE kind='quote' "
                                  "ORDER BY id").fetchall()
    out = []
    for row in rows:
        data = json.loads(row["json"] or "{}")
        if len(data.get("members", [])) < 2:
            continue
        out.append({"cluster_id": row["id"], **data})
    out.sort(key=lambda g: g["cluster_id"])
    return out


def story_for_document(store: Store, doc_id: str) -> int | None:
    """The story a document belongs to, or None."""
    row = store.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                             (doc_id,)).fetchone()
    return int(row[0]) if row else None


def export_links(store: Store, doc_ids: list[str] | None = None) -> dict[str, list[list[Any]]]:
    """The links in the answer-key shape (by document id), for scoring: same_event and
    contradiction as (doc id, event id) clusters, same_quote as (doc id, quote index),
    same_story as document ids; only clusters with two members or more."""
    keep = set(doc_ids) if doc_ids is not None else None

    def ok(doc_id: str) -> bool:
        return keep is None or doc_id in keep

    out: dict[str, list[list[Any]]] = {"same_event": [], "same_quote": [],
                                       "contradiction": [], "same_story": []}
    for row in store.conn.execute("SELECT id, kind, json FROM clusters ORDER BY id").fetchall():
        data = json.loads(row["json"] or "{}")
        if row["kind"] == "event":
            mentions = [(m["doc_id"], m["event_id"]) for m in data.get("mentions", [])
                        if ok(m["doc_id"])]
            if len(mentions) >= 2:
                out["same_event"].append(mentions)
            # a contradiction: the denials and the reports of the claim in the articles
            # that carry a denial, when they span two documents or more
            denials = [(d["doc_id"], d["event_id"]) for d in data.get("denials", [])
                       if d.get("event_id") and ok(d["doc_id"])]
            denying_docs = {d for d, _ in denials}
            denied = [(m["doc_id"], m["event_id"]) for m in data.get("mentions", [])
                      if ok(m["doc_id"]) and (m["doc_id"] in denying_docs or m.get("denied_by"))]
            if denials and len({d for d, _ in denials + denied}) >= 2:
                out["contradiction"].append(denied + denials)
        elif row["kind"] == "quote":
            members = [(m["doc_id"], m["quote_idx"]) for m in data.get("members", [])
                       if ok(m["doc_id"])]
            if len(members) >= 2:
                out["same_quote"].append(members)
    for (sid,) in store.conn.execute("SELECT id FROM stories ORDER BY id").fetchall():
        docs = [r[0] for r in store.conn.execute(
            "SELECT doc_id FROM story_documents WHERE story_id=?", (sid,)).fetchall() if ok(r[0])]
        if len(docs) >= 2:
            out["same_story"].append(docs)
    return out
