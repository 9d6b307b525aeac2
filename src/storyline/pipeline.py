"""The data path end to end: ingest -> clean -> store -> extract -> link.

Stages that are not NLP are ordered steps; the NLP stages run in one `nlp.pipe` so the
parse happens once per document, whatever the number of components.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .clean import clean_document
from .errors import EmptyInput, InputError
from .ingest import read_inputs
from .nlp import load_nlp, make_doc
from .records import Analysis, DocMeta, Document, RawDocument
from .settings import Settings
from .store import Store

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


@dataclass
class IngestReport:
    """What one run did: documents added, already known, refused (with why), analysed."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    analysed: list[str] = field(default_factory=list)
    inferred_dates: list[str] = field(default_factory=list)
    link: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "duplicates": self.duplicates,
                "errors": [e.as_dict() for e in self.errors], "analysed": self.analysed,
                "inferred_dates": self.inferred_dates}


def process_inputs(inputs: Iterable[str], store: Store, settings: Settings,
                   flags: DocMeta | None = None, progress: Progress | None = None,
                   *, analyse: bool = True) -> IngestReport:
    """Read files, folders, feeds and URLs, and take them along the whole data path."""
    return process_raw(read_inputs(list(inputs), settings, flags), store, settings,
                       progress, analyse=analyse)


def process_raw(items: Iterable[RawDocument | InputError], store: Store, settings: Settings,
                progress: Progress | None = None, *, analyse: bool = True) -> IngestReport:
    """Clean and store raw documents (bad ones are reported, never stored), then analyse."""
    report = IngestReport()
    for n, item in enumerate(items, start=1):
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        try:
            doc = clean_document(item)
            if not doc.text.strip():
                raise EmptyInput("no article text left after cleaning", source=item.source)
        except InputError as exc:
            report.errors.append(exc)
            continue
        doc_id, new = store.add_document(doc)
        (report.added if new else report.duplicates).append(doc_id)
        if progress:
            progress("ingest", n, None)
    if analyse:
        analyse_and_link(store, settings, report, progress)
    return report


def _context(doc: Document) -> tuple[str | None, str | None]:
    """The anchor date and the voice of the article (its wire if it is a wire copy)."""
    return doc.anchor_date, doc.meta.wire or doc.meta.outlet


def analyse_documents(store: Store, docs: list[Document], settings: Settings,
                      progress: Progress | None = None) -> list[str]:
    """Run the extraction pipeline over documents and save each one's facts."""
    if not docs:
        return []
    nlp = load_nlp(settings.model)
    model = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
    done: list[str] = []
    for i, (doc_id, analysis) in enumerate(extract_analyses(docs, settings)):
        store.save_analysis(doc_id, analysis, model)
        done.append(doc_id)
        if progress:
            progress("extract", i + 1, len(docs))
    return done


# One work item for the extraction workers: (text, anchor date, outlet, document id).
_Item = tuple[str, str | None, str | None, str]


def extract_analyses(docs: Iterable[Document], settings: Settings,
                     n_process: int | None = None) -> Iterator[tuple[str, Analysis]]:
    """(document id, Analysis) for each document, in order, streaming.

    One `nlp.pipe` per process with the model loaded once per process. With n_process > 1
    (default `settings.n_process`), forked workers share the loaded model and each runs the
    whole pipeline on batches of `settings.batch_size` documents, sending back only the
    records: spaCy's own `n_process` cannot carry our records (it serialises whole Docs
    with msgpack), and the records are far smaller than a Doc.
    """
    n = max(1, int(n_process or settings.n_process or 1))
    nlp = load_nlp(settings.model)  # before forking: the workers inherit the loaded model
    items: Iterator[_Item] = ((d.text, *_context(d), d.id) for d in docs)
    if n == 1:
        yield from _extract_items(nlp, items, settings.batch_size)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(
            n, initializer=_worker_init, initargs=(settings.model, settings.batch_size)) as pool:
        for batch in pool.imap(_worker_batch, _chunks(items, settings.batch_size)):
            yield from batch


def _extract_items(nlp: Any, items: Iterable[_Item],
                   batch_size: int) -> Iterator[tuple[str, Analysis]]:
    sdocs = (make_doc(nlp, text, published=published, outlet=outlet, doc_id=doc_id)
             for text, published, outlet, doc_id in items)
    for sdoc in nlp.pipe(sdocs, batch_size=batch_size):
        yield sdoc._.sl_doc_id, analysis_of(sdoc)


def _chunks(items: Iterator[_Item], size: int) -> Iterator[list[_Item]]:
    while chunk := list(islice(items, max(1, size))):
        yield chunk


_WORKER: dict[str, Any] = {}


def _worker_init(model: str, batch_size: int) -> None:
    _WORKER.update(model=model, batch_size=batch_size)


def _worker_batch(items: list[_Item]) -> list[tuple[str, Analysis]]:
    nlp = load_nlp(_WORKER["model"])  # cached: inherited from the parent, or loaded once
    return list(_extract_items(nlp, items, _WORKER["batch_size"]))


def analysis_of(sdoc: Any) -> Analysis:
    """The records the components left on a processed Doc."""
    return Analysis(entities=list(sdoc._.sl_entities or []), times=list(sdoc._.sl_times or []),
                    quotes=list(sdoc._.sl_quotes or []), events=list(sdoc._.sl_events or []))


def analyse_and_link(store: Store, settings: Settings, report: IngestReport | None = None,
                     progress: Progress | None = None) -> IngestReport:
    """Analyse what is pending, link it across documents; re-anchor inferred dates."""
    from .link import update_links
    from .link.embed import get_embedder

    report = report or IngestReport()
    pending = list(store.documents(pending_only=True))
    report.analysed = analyse_documents(store, pending, settings, progress)
    if not report.analysed:
        return report
    embedder = get_embedder(settings.embedder)
    link_report = update_links(store, report.analysed, embedder=embedder)
    report.link = link_report
    # A date inferred from other articles anchors this article's relative times: analyse
    # those documents again with the new anchor, then link them again (at most twice).
    for _ in range(2):
        changed = list(getattr(link_report, "inferred_dates", []) or [])
        if not changed:
            break
        report.inferred_dates.extend(x for x in changed if x not in report.inferred_dates)
        docs = [store.get_document(doc_id) for doc_id in changed]
        analyse_documents(store, docs, settings, progress)
        link_report = update_links(store, changed, embedder=embedder)
    return report
