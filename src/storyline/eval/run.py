"""`storyline eval`: run the whole system over a key's articles and score it.

The system runs exactly as `storyline ingest` does, into a temporary store; the
predictions are read back from that store, so what is scored is what a user gets.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console

from ..errors import KeyFormatError
from ..nlp import COMPONENTS
from ..records import Analysis
from ..settings import Settings
from ..store import Store
from .types import CorpusPrediction, FilePrediction, PredictedLinks

# Which score each pipeline component makes possible.
_STAGE_OF = {"storyline_entities": "entities", "storyline_times": "times",
             "storyline_quotes": "quotes", "storyline_events": "events"}


def evaluate(key_path: Path | str, docs_dir: Path | str, settings: Settings) -> dict[str, Any]:
    """Score the system on the articles of `docs_dir` against the key at `key_path`."""
    from ..pipeline import process_inputs
    from .scorer import load_key, score

    key = load_key(key_path)
    docs_dir = Path(docs_dir)
    files = [str(d["file"]) for d in key["documents"]]
    missing = [f for f in files if not (docs_dir / f).is_file()]
    if missing:
        raise KeyFormatError(f"{len(missing)} file(s) of the key are not in {docs_dir}: "
                             f"{', '.join(missing[:5])}", source=str(key_path))
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        settings.db = str(Path(tmp) / "eval.db")
        with Store.open(settings.db) as store:
            process_inputs([str(docs_dir / f) for f in files], store, settings)
            preds = predictions_from_store(store, docs_dir, files)
    built = {"boilerplate", "published", "published_inferred", "links"}
    built |= {_STAGE_OF[c] for c in COMPONENTS if c in _STAGE_OF}
    return score(key, preds, built=built)


def predictions_from_store(store: Store, docs_dir: Path, files: list[str]) -> CorpusPrediction:
    """Read back, per key file, the stored document, its facts and the cross-document links."""
    file_of: dict[str, list[str]] = defaultdict(list)
    quote_index: dict[str, dict[int, int]] = {}
    out: dict[str, FilePrediction | None] = {}
    by_name = {Path(src).name: doc_id for doc_id, src in
               store.conn.execute("SELECT doc_id, source FROM document_sources")}
    for f in files:
        if f not in by_name:
            out[f] = None
            continue
        doc = store.get_document(by_name[f])
        analysis = store.get_analysis(doc.id)
        if analysis is not None:
            quote_index[doc.id] = _keep_direct_quotes(analysis)
        out[f] = FilePrediction(document=doc, analysis=analysis)
        file_of[doc.id].append(f)
    return CorpusPrediction(files=out, links=_links(store, file_of, quote_index))


def _keep_direct_quotes(analysis: Analysis) -> dict[int, int]:
    """The key lists quotations: indirect speech is kept for claims but is not scored as a
    quote. Returns the map from stored quote index to index in the filtered list."""
    index: dict[int, int] = {}
    kept = []
    for i, q in enumerate(analysis.quotes):
        if q.direct:
            index[i] = len(kept)
            kept.append(q)
    analysis.quotes = kept
    return index


def _links(store: Store, file_of: dict[str, list[str]],
           quote_index: dict[str, dict[int, int]]) -> PredictedLinks:
    links = PredictedLinks()
    conn = store.conn
    members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for r in conn.execute("SELECT cluster_id, doc_id, member FROM cluster_members"):
        members[r[0]].append((r[1], r[2]))
    for cid, kind, js in conn.execute("SELECT id, kind, json FROM clusters").fetchall():
        mem = [(f, m) for d, m in members.get(cid, []) for f in file_of.get(d, [])]
        if kind == "event":
            if len(mem) > 1:
                links.same_event.append(mem)
            data = json.loads(js or "{}")
            denials = [(f, d["event_id"]) for d in data.get("denials", [])
                       for f in file_of.get(d.get("doc_id", ""), [])]
            if denials:
                links.contradiction.append(mem + [x for x in denials if x not in mem])
        elif kind == "quote":
            quotes = [(f, quote_index[d][int(m.lstrip("q"))])
                      for d, m in members.get(cid, []) for f in file_of.get(d, [])
                      if int(m.lstrip("q")) in quote_index.get(d, {})]
            if len(quotes) > 1:
                links.same_quote.append(quotes)
    stories: dict[int, list[str]] = defaultdict(list)
    for doc_id, story_id in conn.execute("SELECT doc_id, story_id FROM story_documents"):
        stories[story_id].extend(file_of.get(doc_id, []))
    links.same_story = [fs for fs in stories.values() if len(fs) > 1]
    return links


def print_scores(scores: dict[str, Any], console: Console) -> None:
    """The readable table of `storyline eval`."""
    from .scorer import render_table

    console.print(render_table(scores))
