"""Exports of the store for other tools.

jsonl       documents with their facts, one JSON object per line, then the corrections
csv         the claims table
timelinejs  TimelineJS3 JSON of one story (events with unresolved dates listed in the title)
graphml     the actor graph (networkx GraphML)
gexf        the actor graph (networkx GEXF, for Gephi)
ftm         FollowTheMoney entities, one JSON per line (see ftm.py)
stix        a STIX 2.1 bundle: reports, threat actors and identities, relationships with
            their evidence (see stix.py)
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from typing import IO, Any

import networkx as nx

from ..errors import UnsupportedInput
from ..link import queries as lq
from ..store import Store
from ..store.corrections import all_corrections
from .graph import actor_graph
from .shapes import pick_story, story_claims, story_events

FORMATS = ("jsonl", "csv", "timelinejs", "graphml", "gexf", "ftm", "stix")


def _write(out: IO[Any], text: str) -> None:
    """Write to a text or a binary stream."""
    try:
        out.write(text)
    except TypeError:
        out.write(text.encode("utf-8"))


def _story_doc_ids(store: Store, story_id: int | None) -> list[str] | None:
    if story_id is None:
        return None
    return [d["id"] for d in lq.get_story(store, story_id).get("documents") or []]


def export_jsonl(store: Store, out: IO[Any], story_id: int | None = None) -> int:
    """One line per document: the document, its story and every extracted fact."""
    wanted = _story_doc_ids(store, story_id)
    n = 0
    for doc in store.documents():
        if wanted is not None and doc.id not in wanted:
            continue
        analysis = store.get_analysis(doc.id)
        line = {"document": doc.as_dict(), "story_id": lq.story_for_document(store, doc.id),
                "analysis": analysis.as_dict() if analysis else None}
        _write(out, json.dumps(line, ensure_ascii=False) + "\n")
        n += 1
    # the analyst's corrections travel too (`storyline corrections import` reads them)
    for c in all_corrections(store):
        if wanted is None or c["doc_id"] in wanted or c["doc_id"] is None:
            _write(out, json.dumps({"correction": c}, ensure_ascii=False) + "\n")
            n += 1
    return n


CSV_COLUMNS = ["story_id", "cluster_id", "claim", "type", "subtype", "status", "when",
               "n_independent", "n_documents", "original_sources", "reporting_outlets",
               "denied_by", "disagreements", "first_reported", "verdict"]


def export_csv(store: Store, out: IO[Any], story_id: int | None = None) -> int:
    """The claims table: one row per merged event."""
    rows = story_claims(store, story_id)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for c in rows:
        when = c["when"]
        writer.writerow([
            c["story_id"], c["cluster_id"], c["claim"], c["type"], c["subtype"], c["status"],
            " – ".join(when) if isinstance(when, list) else (when or ""),
            c["n_independent"], c["n_documents"], "; ".join(c["original_sources"]),
            "; ".join(c["reporting_outlets"]), "; ".join(c["denied_by"]),
            "; ".join(f"{d.get('field')}: " + " vs ".join(str(v.get("value"))
                                                         for v in d.get("values") or [])
                      for d in c["disagreements"]),
            c["first_reported"] or "", c.get("verdict") or ""])
    _write(out, buf.getvalue())
    return len(rows)


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def tl_date(value: str | None) -> dict[str, str] | None:
    """A TimelineJS date from a time value ("2024", "2024-03", "2024-03-04", "2024-W10")."""
    if not value:
        return None
    m = _DATE.match(value)
    if m:
        year, month, day = m.groups()
        out = {"year": year}
        if month:
            out["month"] = str(int(month))
        if day:
            out["day"] = str(int(day))
        return out
    m = _WEEK.match(value)
    if m:  # TimelineJS has no weeks: the week's Monday, with the week as the label
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return {"year": str(monday.year), "month": str(monday.month), "day": str(monday.day),
                "display_date": f"week {int(m[2])} of {m[1]}"}
    return None


def _tl_text(ev: dict[str, Any]) -> str:
    e = html.escape
    lines = [(f"Status: {e(ev['status'] or '?')} · {ev['n_independent']} independent "
              f"source(s) · {ev['n_documents']} document(s)")]
    if ev["original_sources"]:
        lines.append("Sources: " + e(", ".join(ev["original_sources"])))
    if ev["reporting_outlets"]:
        lines.append("Reported by: " + e(", ".join(ev["reporting_outlets"])))
    for d in ev["denials"]:
        lines.append(f"Denied by {e(d.get('by') or '?')}: “{e(d.get('evidence') or '')}”")
    for m in ev["mentions"][:3]:
        lines.append(f"“{e(m.get('evidence') or '')}” ({e(m.get('outlet') or '?')})")
    return "<br>".join(lines)


def timelinejs(store: Store, story_id: int | None = None) -> dict[str, Any]:
    """TimelineJS3 JSON of a story (the largest when None)."""
    sid = pick_story(store, story_id)
    story = lq.get_story(store, sid)
    events, undated = [], []
    for ev in story_events(store, sid):
        when = ev["when"]
        lo, hi = (when[0], when[-1]) if isinstance(when, list) and when else (when, None)
        start = tl_date(lo if isinstance(lo, str) else None)
        if start is None:
            undated.append(ev["title"])
            continue
        item: dict[str, Any] = {"start_date": start,
                                "text": {"headline": html.escape(ev["title"]),
                                         "text": _tl_text(ev)},
                                "group": (ev["subtype"] or ev["type"] or "event"),
                                "unique_id": f"cluster-{ev['cluster_id']}"}
        end = tl_date(hi) if isinstance(hi, str) and hi != lo else None
        if end:
            item["end_date"] = end
        events.append(item)
    intro = (f"{story.get('n_documents', len(story.get('documents') or []))} documents, "
             f"{story.get('first_date') or '?'} – {story.get('last_date') or '?'}.")
    if undated:
        intro += " Left out for want of a resolved date: " + "; ".join(
            html.escape(t) for t in undated) + "."
    return {"title": {"text": {"headline": html.escape(story["title"]), "text": intro}},
            "events": events}


def _graph_text(graph: nx.DiGraph, fmt: str) -> str:
    lines = nx.generate_graphml(graph) if fmt == "graphml" else nx.generate_gexf(graph)
    return "\n".join(lines) + "\n"


def export(store: Store, fmt: str, out: IO[Any], story_id: int | None = None) -> int:
    """Write the store (or one story) in `fmt` to `out`; returns the number of records."""
    if fmt == "jsonl":
        return export_jsonl(store, out, story_id)
    if fmt == "csv":
        return export_csv(store, out, story_id)
    if fmt == "timelinejs":
        data = timelinejs(store, story_id)
        _write(out, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return len(data["events"])
    if fmt in ("graphml", "gexf"):
        graph = actor_graph(store, story_id)
        _write(out, _graph_text(graph, fmt))
        return graph.number_of_edges()
    if fmt == "ftm":
        from .ftm import export_ftm

        return export_ftm(store, out, story_id)
    if fmt == "stix":
        from .stix import export_stix

        return export_stix(store, out, story_id)
    raise UnsupportedInput(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}",
                           source=fmt)
