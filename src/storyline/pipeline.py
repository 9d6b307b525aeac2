"""The data path end to end: ingest -> clean -> store -> extract -> link.

Stages that are not NLP are ordered steps; the NLP stages run in one `nlp.pipe` so the
parse happens once per document, whatever the number of components.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .clean import clean_document
from .errors import EmptyInput, InputError, ModelError, TooLarge
from .ingest import read_inputs
from .nlp import load_nlp, load_nlp_for, make_doc, uses_english
from .records import Analysis, DocMeta, Document, RawDocument
from .settings import Settings
from .store import Store
from .store.corrections import Applier as Corrections

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


@dataclass
class IngestReport:
    """What one run did: documents added, already known, refused (with why), analysed."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    analysed: list[str] = field(default_factory=list)
    inferred_dates: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # doc id -> why its analysis failed
    link: Any = None
    corrections: Any = None  # link.corrections.CorrectionReport of the last linking run

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "duplicates": self.duplicates,
                "errors": [e.as_dict() for e in self.errors], "analysed": self.analysed,
                "inferred_dates": self.inferred_dates, "failed": self.failed,
                "corrections_orphaned": self.corrections.orphaned if self.corrections else {}}


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
            _check_length(doc, settings)
            _check_dates(doc)
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


def _context(doc: Document) -> tuple[str | None, str | None, str, str | None]:
    """The anchor date, the voice of the article (its wire if it is a wire copy), the
    document id and its language (which picks the language pack and the pipeline)."""
    return doc.anchor_date, doc.meta.wire or doc.meta.outlet, doc.id, doc.meta.language


def analyse_documents(store: Store, docs: list[Document], settings: Settings,
                      progress: Progress | None = None,
                      failed: dict[str, str] | None = None) -> list[str]:
    """Run the extraction pipeline over documents and save each one's facts.

    A document whose analysis fails is marked failed with the reason (and added to
    `failed`); the others are analysed as usual.
    """
    if not docs:
        return []
    # the analyst's corrections (store/corrections.py): a corrected date, outlet or
    # language is what the analysis reads; entity and event ones apply to its result
    applier = Corrections(store)
    if applier:
        docs = [applier.document(d) for d in docs]
    languages = {d.id: None if uses_english(d.meta.language) else d.meta.language
                 for d in docs}
    models: dict[str | None, str] = {}

    def model_of(doc_id: str) -> str:
        """The pipeline that read the document: its language's (spaCy's meta names it)."""
        lang = languages.get(doc_id)
        if lang not in models:
            models[lang] = model_name(lang, settings.model)
        return models[lang]

    anchors = {d.id: d.anchor_date for d in docs}
    done: list[str] = []
    for i, (doc_id, analysis) in enumerate(_guarded_analyses(docs, settings)):
        if isinstance(analysis, str):
            store.mark_failed(doc_id, analysis)
            if failed is not None:
                failed[doc_id] = analysis
        else:
            if applier:
                analysis = applier.analysis(doc_id, analysis)
            store.save_analysis(doc_id, analysis, model_of(doc_id),
                                anchor=anchors.get(doc_id))
            done.append(doc_id)
        if progress:
            progress("extract", i + 1, len(docs))
    return done


def model_name(language: str | None, model: str = "auto") -> str:
    """The name of the pipeline that reads a document in `language` (spaCy's meta)."""
    nlp = load_nlp(model) if uses_english(language) else load_nlp_for(language, model)
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"


# -- reliability: what a bad document or an interrupted run must not break ---------------
# (docs/RELIABILITY.md) A document too long for the parser is refused before it is
# stored; one whose analysis raises is marked failed and the rest go on; a run finishes
# what an earlier, interrupted one left half done (see analyse_and_link).

def _check_length(doc: Document, settings: Settings) -> None:
    """Refuse a text the parser cannot take (spaCy's max_length) before it is stored."""
    limit = int(getattr(settings, "max_chars", 0) or 0)
    if limit and len(doc.text) > limit:
        raise TooLarge(f"{len(doc.text):,} characters after cleaning is over the limit of "
                       f"{limit:,} (settings.max_chars)", source=doc.source)


def _check_dates(doc: Document) -> None:
    """A stated date at the very ends of the calendar (9999-12-31, 0001-01-01) cannot anchor
    "tomorrow" or "yesterday": the document is kept without it, and says why."""
    from .ingest.meta import usable_date

    if doc.meta.published and not usable_date(doc.meta.published):
        doc.meta.provenance["published_dropped"] = f"{doc.meta.published}: outside the calendar"
        doc.meta.published = None
        doc.meta.provenance.pop("published", None)


def _failure(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def _finish_dates(store: Store, doc_ids: list[str], embedder: Any) -> list[str]:
    """The last step of `update_links` (dates inferred for the given documents and the
    undated ones that share their merged events), for documents an interrupted run linked
    but stopped before dating. The ids whose inferred date changed."""
    from .link import dates, quotes, stories
    from .link.clusters import rebuild_event_cluster
    from .link.common import LinkContext

    ctx = LinkContext(store, embedder)
    marks = ",".join("?" * len(doc_ids))
    clusters = [r[0] for r in store.conn.execute(
        f"SELECT DISTINCT cluster_id FROM cluster_members WHERE doc_id IN ({marks})", doc_ids)]
    with store.write(serial=True):
        changed = dates.update_dates(ctx, doc_ids + dates.undated_neighbours(ctx, clusters))
        for doc_id in changed:
            row = store.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                                     (doc_id,)).fetchone()
            if row:
                stories.refresh_story(ctx, row[0])
            for r in store.conn.execute(
                    "SELECT DISTINCT c.id, c.kind FROM cluster_members cm JOIN clusters c "
                    "ON c.id = cm.cluster_id WHERE cm.doc_id=?", (doc_id,)).fetchall():
                (quotes.rebuild_quote_cluster if r[1] == "quote" else rebuild_event_cluster)(
                    ctx, r[0])
    return changed


def _guarded_analyses(docs: list[Document], settings: Settings
                      ) -> Iterator[tuple[str, Analysis | str]]:
    """(id, Analysis) per document in order, or (id, reason) where its analysis raised.

    The batch that holds a failing document is analysed again one document at a time, so
    only that document fails; the pipe then resumes with the rest. A missing model
    (ModelError) is no document's fault: it stops the run, marking nothing.
    """
    rest = list(docs)
    while rest:
        seen: set[str] = set()
        try:
            for doc_id, analysis in extract_analyses(rest, settings):
                seen.add(doc_id)
                yield doc_id, analysis
            return
        except ModelError:
            raise
        except Exception:  # noqa: BLE001 - any failure of one document, told by name below
            rest = [d for d in rest if d.id not in seen]
        for doc in rest[:max(1, settings.batch_size)]:
            try:
                yield from extract_analyses([doc], settings, n_process=1)
            except ModelError:
                raise
            except Exception as exc:  # noqa: BLE001
                yield doc.id, _failure(exc)
        rest = rest[max(1, settings.batch_size):]


# One work item for the extraction workers: (text, anchor date, outlet, document id,
# language).
_Item = tuple[str, str | None, str | None, str, str | None]


def worker_tasks(items: Iterator[_Item], batch_size: int,
                 n_process: int) -> Iterator[tuple[int, list[_Item]]]:
    """The tasks of a run over `n_process` processes, in order, as (slot, documents): in
    rounds of one task per slot, slots 0 .. n-2 the forked workers and slot n-1 this
    process. Each task is a whole batch of `batch_size` documents (the model's batch: an
    `nlp.pipe` over 8 documents costs 4-5% more CPU than over 16), handed out as soon as it
    is full, so a worker starts while this process still reads and cleans the next; what
    is left at the end is split evenly among the round's slots not yet handed out, so the
    processes finish together. In batches of 16 over two processes, 45 documents go as
    16 (worker), 16 (here), 7 (worker), 6 (here); 30 as 16 and 14; 10 as 5 and 5; 33 as
    16, 16 and the last one here."""
    size, n = max(1, batch_size), max(1, n_process)
    buf: list[_Item] = []
    slot = 0
    for item in items:
        buf.append(item)
        if len(buf) == size:
            yield slot, buf
            buf, slot = [], (slot + 1) % n
    if buf:  # the rest, evenly over the round's slots left (fewer documents than slots:
        slot = max(slot, n - len(buf))  # the last ones, this process's among them)
        per = -(-len(buf) // (n - slot))
        for i in range(0, len(buf), per):
            yield slot, buf[i:i + per]
            slot += 1


def extract_analyses(docs: Iterable[Document], settings: Settings,
                     n_process: int | None = None) -> Iterator[tuple[str, Analysis]]:
    """(document id, Analysis) for each document, in order, streaming.

    One `nlp.pipe` per process with the model loaded once per process. With n_process > 1
    (default `settings.n_process`), n - 1 forked workers share the loaded model and this
    process is the n-th: each runs the whole pipeline on its batches (`worker_tasks`), the
    workers sending back only the records: spaCy's own `n_process` cannot carry our records
    (it serialises whole Docs with msgpack), and the records are far smaller than a Doc.
    This process working too saves a fork, and the copying of the memory a forked worker
    touches, for its share of the documents.
    """
    n = max(1, int(n_process or settings.n_process or 1))
    nlp = load_nlp(settings.model)  # before forking: the workers inherit the loaded model
    items: Iterator[_Item] = ((d.text, *_context(d)) for d in docs)
    if n == 1:
        yield from _extract_items(nlp, items, settings.batch_size, settings.model)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(
            n - 1, initializer=_worker_init,
            initargs=(settings.model, settings.batch_size)) as pool:
        # the tasks handed out and not yet yielded, in order: a worker's (its AsyncResult)
        # or this process's (its documents, analysed when its turn comes)
        pending: deque[tuple[bool, Any]] = deque()
        for slot, task in worker_tasks(items, settings.batch_size, n):
            if slot < n - 1:
                pending.append((False, pool.apply_async(_worker_batch, (task,))))
                continue
            # the workers have this round's tasks: do our earlier one meanwhile
            if any(mine for mine, _ in pending):
                yield from _through_own(pending, nlp, settings)
            pending.append((True, task))
        while pending:
            yield from _through_own(pending, nlp, settings)


def _through_own(pending: deque[tuple[bool, Any]], nlp: Any,
                 settings: Settings) -> Iterator[tuple[str, Analysis]]:
    """Analyse the first of this process's pending tasks (if any), then yield the pending
    results in order through it; with none of ours pending, every worker's."""
    own = next((i for i, (mine, _) in enumerate(pending) if mine), len(pending) - 1)
    mine, task = pending[own]
    if mine:
        pending[own] = (True, list(_extract_items(nlp, task, settings.batch_size,
                                                  settings.model)))
    for _ in range(own + 1):
        mine, payload = pending.popleft()
        yield from (payload if mine else payload.get())


def _extract_items(nlp: Any, items: Iterable[_Item], batch_size: int,
                   model: str = "auto") -> Iterator[tuple[str, Analysis]]:
    """Each run of documents in one language goes through that language's pipeline (`nlp`,
    the English one, for English and unknown languages), in order."""
    def runs() -> Iterator[tuple[str | None, list[_Item]]]:
        key: Any = object()
        run: list[_Item] = []
        for item in items:
            lang = None if uses_english(item[4]) else item[4]
            if run and (lang != key or len(run) >= max(1, batch_size)):
                yield key, run
                run = []
            key = lang
            run.append(item)
        if run:
            yield key, run

    for lang, run in runs():
        pipe = nlp if lang is None else load_nlp_for(lang, model)
        sdocs = (make_doc(pipe, text, published=published, outlet=outlet, doc_id=doc_id,
                          language=language)
                 for text, published, outlet, doc_id, language in run)
        for sdoc in pipe.pipe(sdocs, batch_size=batch_size):
            yield sdoc._.sl_doc_id, analysis_of(sdoc)
            _settle(lang)


_SETTLED: set[str | None] = set()


def _settle(lang: str | None) -> None:
    """Once per process and language, after its first document: what loading the pipeline
    and the tables the components read on first use made (a few hundred thousand objects
    that live as long as the process) is moved out of the garbage collector's reach
    (`gc.freeze`), so its full collections stop walking them (0.1 s each, about one per
    100 documents). Frozen objects are still freed when no longer referenced; forked
    workers inherit the freeze and do not copy those pages by touching them."""
    if lang in _SETTLED:
        return
    _SETTLED.add(lang)
    gc.collect()
    gc.freeze()


def _chunks(items: Iterator[_Item], size: int) -> Iterator[list[_Item]]:
    while chunk := list(islice(items, max(1, size))):
        yield chunk


_WORKER: dict[str, Any] = {}


def _worker_init(model: str, batch_size: int) -> None:
    _WORKER.update(model=model, batch_size=batch_size)


def _worker_batch(items: list[_Item]) -> list[tuple[str, Analysis]]:
    nlp = load_nlp(_WORKER["model"])  # cached: inherited from the parent, or loaded once
    return list(_extract_items(nlp, items, _WORKER["batch_size"], _WORKER["model"]))


def analysis_of(sdoc: Any) -> Analysis:
    """The records the components left on a processed Doc."""
    from .extract.entities import listed

    return Analysis(entities=listed(sdoc._.sl_entities or []), times=list(sdoc._.sl_times or []),
                    quotes=list(sdoc._.sl_quotes or []), events=list(sdoc._.sl_events or []),
                    clauses=list(sdoc._.sl_clauses or []),
                    happenings=list(sdoc._.sl_happenings or []))


def analyse_and_link(store: Store, settings: Settings, report: IngestReport | None = None,
                     progress: Progress | None = None) -> IngestReport:
    """Analyse what is pending, link it across documents; re-anchor inferred dates."""
    from .link import update_links
    from .link.corrections import apply_link_corrections
    from .link.embed import get_embedder

    report = report or IngestReport()
    # pending: never analysed, or analysed against an anchor date no longer theirs
    pending = list(store.documents(pending_only=True))
    report.analysed = analyse_documents(store, pending, settings, progress, report.failed)
    # and what an interrupted run analysed but did not link, or linked but did not finish
    unlinked, unfinished = store.link_queue()
    to_link = list(dict.fromkeys(report.analysed + unlinked))
    if not to_link and not unfinished:
        return report
    embedder = get_embedder(settings.embedder)
    link_report = update_links(store, to_link, embedder=embedder)
    if progress:  # linking reports once, when it is done (a line with its time and rate)
        progress("link", len(to_link), len(to_link))
    if unfinished:
        link_report.inferred_dates += [d for d in _finish_dates(store, unfinished, embedder)
                                       if d not in link_report.inferred_dates]
    store.dequeue_links(link_report.documents + unfinished)
    report.link = link_report
    # A date inferred from other articles anchors this article's relative times: analyse
    # those documents again with the new anchor, then link them again (at most twice).
    for _ in range(2):
        changed = list(getattr(link_report, "inferred_dates", []) or [])
        if not changed:
            break
        report.inferred_dates.extend(x for x in changed if x not in report.inferred_dates)
        docs = [store.get_document(doc_id) for doc_id in changed]
        analyse_documents(store, docs, settings, progress, report.failed)
        link_report = update_links(store, changed, embedder=embedder)
        store.dequeue_links(link_report.documents)
    # the analyst's link corrections and claim verdicts, over what linking rebuilt
    report.corrections = apply_link_corrections(store, embedder, report.analysed)
    return report
