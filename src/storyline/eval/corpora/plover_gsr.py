"""PLOVER gold-standard records (openeventdata/PLOVER, JSON Lines, one sentence a record).

`storyline eval RECORDS.jsonl` recognises the format (`is_gsr`), runs the whole system on
each sentence as its own document published 2000-01-01 (as `storyline ingest` would, into a
temporary store), and reports the figures of ../shared/tools/score_plover_gsr.py:

    detected    share of sentences with at least one event
    type_hit    share of sentences whose gold type is among the predicted types
    per_sent    mean number of predicted events per sentence (keeps type_hit honest)
    source_hit  among type hits with a coded source: share whose first hit's actor matches
                one source's text (either contains the other) or whose actor key holds its code

Records without text (PLOVER's DOCUMENT records) are skipped. Types are compared as
strings: records use PLOVER's 2016 naming, as the system's events do (docs/EVALUATION.md).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from ...records import DocMeta
from ...settings import Settings
from ...store import Store

__all__ = ["evaluate", "is_gsr", "load_records", "score"]

PUBLISHED = "2000-01-01"


def is_gsr(path: Path | str) -> bool:
    """True when the file's first record looks like a PLOVER GSR record."""
    p = Path(path)
    if p.suffix.lower() not in (".jsonl", ".ndjson") or not p.is_file():
        return False
    with p.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    rec = json.loads(line)
                except ValueError:
                    return False
                return isinstance(rec, dict) and "event" in rec and (
                    "eventText" in rec or str(rec.get("id", "")).startswith("PLOVER"))
    return False


def load_records(path: Path | str) -> list[dict[str, Any]]:
    """The records that carry a sentence."""
    recs = [json.loads(ln) for ln in Path(path).read_text(encoding="utf-8").splitlines()
            if ln.strip()]
    return [r for r in recs if r.get("text")]


def _actor_hit(event: dict[str, Any], sources: list[dict[str, Any]]) -> bool:
    actor = (event.get("actor") or "").lower()
    akey = event.get("actor_key") or ""
    texts = [str(a.get("actorText", "")).lower() for a in sources]
    codes = {a.get("code") for a in sources if a.get("code")}
    return bool(actor) and (any(actor in t or t in actor for t in texts)
                            or any(cd and cd in akey for cd in codes))


def score(records: list[dict[str, Any]],
          events: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The four figures for `records`, given each record id's predicted events."""
    c: Counter[str] = Counter()
    for r in records:
        evs = events.get(r["id"], [])
        c["n"] += 1
        c["pred"] += len(evs)
        c["detected"] += bool(evs)
        hits = [e for e in evs if e.get("type") == r.get("event")]
        if not hits:
            continue
        c["type_hit"] += 1
        sources = r.get("source") if isinstance(r.get("source"), list) else []
        if sources:
            c["src_n"] += 1
            c["src_hit"] += _actor_hit(hits[0], sources)
    n = max(1, c["n"])
    return {"sentences": c["n"], "detected": round(c["detected"] / n, 3),
            "type_hit": round(c["type_hit"] / n, 3), "per_sent": round(c["pred"] / n, 2),
            "source_hit": round(c["src_hit"] / max(1, c["src_n"]), 3)}


def predict(records: list[dict[str, Any]], settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Each record's events, from the system run as `storyline ingest` runs it."""
    from ...pipeline import process_inputs

    out: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="storyline-gsr-") as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for r in records:
            (docs / f"{r['id']}.txt").write_text(str(r["text"]).strip("{} ") + "\n",
                                                 encoding="utf-8")
        settings.db = str(Path(tmp) / "gsr.db")
        with Store.open(settings.db) as store:
            process_inputs([str(docs)], store, settings, DocMeta(published=PUBLISHED))
            sources = store.conn.execute("SELECT doc_id, source FROM document_sources")
            for doc_id, src in sources.fetchall():
                analysis = store.get_analysis(doc_id)
                evs = [e.as_dict() for e in analysis.events] if analysis else []
                out[Path(src).stem] = evs
    return out


def evaluate(path: Path | str, settings: Settings) -> dict[str, Any]:
    """Score the system on a PLOVER GSR file; `by_type` breaks type_hit down by gold type."""
    records = load_records(path)
    events = predict(records, settings)
    result = score(records, events)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_type.setdefault(str(r.get("event")), []).append(r)
    result["by_type"] = {t: score(rs, events)["type_hit"] for t, rs in sorted(by_type.items())}
    result["corpus"] = "plover-gsr"
    return result
