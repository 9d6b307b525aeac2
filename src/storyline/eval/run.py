"""`storyline eval`: run the whole system over a key's articles and score it.

The system runs exactly as `storyline ingest` does, into a temporary store; the
predictions are read back from that store, so what is scored is what a user gets.
"""

from __future__ import annotations

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


def evaluate(key_path: Path | str, docs_dir: Path | str | None,
             settings: Settings, also: list[str] | None = None) -> dict[str, Any]:
    """Score the system on the articles of `docs_dir` against the key at `key_path` (a
    PLOVER GSR JSON Lines file carries its sentences and needs no `docs_dir`). `also`: more
    inputs (files or folders) read into the same store and never scored, so that what one
    article takes from others (an inferred date, a link) is there when the key covers part
    of a corpus (one language of a multilingual key)."""
    from ..pipeline import process_inputs
    from .corpora import plover_gsr
    from .scorer import load_key, score

    if plover_gsr.is_gsr(key_path):
        return plover_gsr.evaluate(key_path, settings)
    if docs_dir is None:
        raise KeyFormatError("--docs is needed: the key's articles are read from a folder",
                             source=str(key_path))
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
            scored = [str(docs_dir / f) for f in files]
            known = {str(Path(p).resolve()) for p in scored}
            extra = [str(p) for p in _inputs(also or []) if str(p.resolve()) not in known]
            process_inputs(scored + extra, store, settings)
            preds = predictions_from_store(store, docs_dir, files)
    built = {"boilerplate", "published", "published_inferred", "links"}
    built |= {_STAGE_OF[c] for c in COMPONENTS if c in _STAGE_OF}
    return score(key, preds, built=built)


def _inputs(paths: list[str]) -> list[Path]:
    """Files named, and the files of folders named (not their subfolders), in name order."""
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(f for f in p.iterdir() if f.is_file()) if p.is_dir() else [p])
    return out


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
    """The link layer's clusters, with documents mapped to the key's files."""
    from ..link.queries import export_links

    raw = export_links(store, list(file_of))
    links = PredictedLinks()
    for kind in ("same_event", "contradiction"):
        for cluster in raw[kind]:
            getattr(links, kind).append([(f, str(m)) for d, m in cluster for f in file_of[d]])
    for cluster in raw["same_quote"]:
        quotes = [(f, quote_index[d][int(i)]) for d, i in cluster
                  if int(i) in quote_index.get(d, {}) for f in file_of[d]]
        if len(quotes) > 1:
            links.same_quote.append(quotes)
    links.same_story = [[f for d in docs for f in file_of[d]] for docs in raw["same_story"]]
    return links


def print_scores(scores: dict[str, Any], console: Console) -> None:
    """The readable table of `storyline eval`."""
    from .scorer import render_table

    if scores.get("corpus") == "plover-gsr":
        console.print(" ".join(f"{k} {v}" for k, v in scores.items() if k not in (
            "corpus", "by_type")))
        return
    console.print(render_table(scores))
