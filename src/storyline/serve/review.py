"""The review queue: what most needs an analyst's eye, first.

Each item names what to look at (a document, a merged event, a quote), why, and a score;
the list is sorted by score. The score is the weight of the kind of problem plus how much
of the coverage it touches (documents reporting it, at most 10):

  contradiction        a claim someone denies                                   6
  status_disagreement  the reports of one claim disagree on its status          5
  undated              a document with no date, stated or inferred              4.5
  inferred_date        a document dated from other articles, not by itself      4
  single_source        a claim one independent source stands behind             3
  no_actor             a merged event with no actor                             2
  unattributed_quote   a quotation with no speaker (direct ones weigh more)     1 (1.5)

A claim the analyst has confirmed or rejected is reviewed and leaves the queue.
"""

from __future__ import annotations

import json
from typing import Any

from ..store import Store

WEIGHTS = {"contradiction": 6.0, "status_disagreement": 5.0, "undated": 4.5,
           "inferred_date": 4.0, "single_source": 3.0, "no_actor": 2.0,
           "unattributed_quote": 1.0}
KINDS = tuple(WEIGHTS)


def _spread(n: int) -> float:
    return 0.5 * min(max(n, 1), 10)


def _claim_items(store: Store) -> list[dict[str, Any]]:
    out = []
    for row in store.conn.execute("SELECT id, story_id, json FROM clusters WHERE kind='event'"):
        data = json.loads(row["json"] or "{}")
        if (data.get("review") or {}).get("verdict") in ("confirmed", "rejected"):
            continue
        n_docs = int(data.get("n_documents") or 0)
        first = (data.get("mentions") or [{}])[0]
        base = {"cluster_id": row["id"], "story_id": row["story_id"],
                "title": data.get("title") or "?", "doc_id": first.get("doc_id"),
                "start": first.get("start"), "end": first.get("end"),
                "href": f"/stories/{row['story_id']}#cluster-{row['id']}"
                if row["story_id"] else None}

        found: list[tuple[str, str]] = []
        if data.get("denials"):
            names = sorted({d.get("by") or "?" for d in data["denials"]})
            found.append(("contradiction", f"denied by {', '.join(names)}"))
        statuses = sorted({m.get("status") or "asserted" for m in data.get("mentions") or []})
        if len(statuses) > 1:
            found.append(("status_disagreement", f"the reports say {' / '.join(statuses)}"))
        if int(data.get("n_independent") or 0) == 1:
            src = ", ".join(s.get("original") or "?" for s in data.get("sources") or []) or "?"
            found.append(("single_source", f"one independent source: {src}"))
        if not data.get("actor") and not data.get("actor_key"):
            found.append(("no_actor", "no actor was found for this event"))
        out += [{"kind": kind, "score": WEIGHTS[kind] + _spread(n_docs), "why": why, **base}
                for kind, why in found]
    return out


def _document_items(store: Store) -> list[dict[str, Any]]:
    out = []
    for r in store.conn.execute(
            "SELECT d.id, d.seq, d.title, d.source, d.outlet, d.published_inferred, "
            "d.published_inferred_reason, sd.story_id, "
            "(SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS n_events "
            "FROM documents d LEFT JOIN story_documents sd ON sd.doc_id = d.id "
            "WHERE d.published IS NULL ORDER BY d.seq"):
        kind = "inferred_date" if r["published_inferred"] else "undated"
        why = (f"date ~{r['published_inferred']} inferred: {r['published_inferred_reason']}"
               if r["published_inferred"] else "no date stated or inferred")
        why = why if len(why) <= 200 else why[:199] + "…"
        out.append({"kind": kind, "score": WEIGHTS[kind] + _spread(min(r["n_events"], 10) // 2),
                    "why": why, "title": r["title"] or r["source"], "doc_id": r["id"],
                    "story_id": r["story_id"], "cluster_id": None, "start": None, "end": None,
                    "href": f"/documents/{r['id']}"})
    return out


def _quote_items(store: Store, limit: int) -> list[dict[str, Any]]:
    out = []
    for r in store.conn.execute(
            "SELECT q.doc_id, q.idx, q.text, q.start, q.end, q.direct, q.source_text, "
            "sd.story_id "
            "FROM quotes q LEFT JOIN story_documents sd ON sd.doc_id = q.doc_id "
            "WHERE q.speaker IS NULL AND q.speaker_key IS NULL "
            "ORDER BY q.direct DESC, q.doc_id, q.idx LIMIT ?", (limit,)):
        text = r["text"] if len(r["text"]) <= 120 else r["text"][:117] + "…"
        out.append({"kind": "unattributed_quote",
                    "score": WEIGHTS["unattributed_quote"] + (0.5 if r["direct"] else 0.0),
                    "why": ("a direct quotation with no speaker" if r["direct"]
                            else "reported speech with no speaker") + (
                        f" (the text names nobody: “{r['source_text']}”)"
                        if r["source_text"] else ""), "title": f"“{text}”",
                    "doc_id": r["doc_id"], "story_id": r["story_id"], "cluster_id": None,
                    "start": r["start"], "end": r["end"], "quote": f"{r['doc_id']}:q{r['idx']}",
                    "href": f"/documents/{r['doc_id']}#{r['start']}-{r['end']}"})
    return out


def review_queue(store: Store, limit: int = 100, kinds: tuple[str, ...] | None = None
                 ) -> dict[str, Any]:
    """The items most in need of review, best first: {"total", "counts", "items"}."""
    items = _claim_items(store) + _document_items(store) + _quote_items(store, 1000)
    if kinds:
        items = [i for i in items if i["kind"] in kinds]
    counts: dict[str, int] = {k: 0 for k in KINDS}
    for i in items:
        counts[i["kind"]] += 1
    items.sort(key=lambda i: (-i["score"], KINDS.index(i["kind"]), str(i.get("doc_id")),
                              i.get("cluster_id") or 0, i.get("start") or 0))
    for rank, item in enumerate(items, 1):
        item["rank"] = rank
    return {"total": len(items), "counts": counts, "items": items[:limit]}
