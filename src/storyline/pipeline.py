"""The data path end to end: ingest -> clean -> store -> extract -> link.

Stages that are not NLP are ordered steps; the NLP stages run in one `nlp.pipe` so the
parse happens once per document, whatever the number of components.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
    spacy_docs = []
    for d in docs:
        published, outlet = _context(d)
        spacy_docs.append(make_doc(nlp, d.text, published=published, outlet=outlet, doc_id=d.id))
    done: list[str] = []
    for i, sdoc in enumerate(nlp.pipe(spacy_docs, batch_size=settings.batch_size)):
        store.save_analysis(sdoc._.sl_doc_id, analysis_of(sdoc), model)
        done.append(sdoc._.sl_doc_id)
        if progress:
            progress("extract", i + 1, len(docs))
    return done


def analysis_of(sdoc: Any) -> Analysis:
    """The records the components left on a processed Doc."""
    return Analysis(entities=list(sdoc._.sl_entities or []), times=list(sdoc._.sl_times or []),
                    quotes=list(sdoc._.sl_quotes or []), events=list(sdoc._.sl_events or []))


def analyse_and_link(store: Store, settings: Settings, report: IngestReport | None = None,
                     progress: Progress | None = None) -> IngestReport:
    """Analyse what is pending, link it across documents; re-anchor inferred dates."""
    from .link import update_links

    report = report or IngestReport()
    pending = list(store.documents(pending_only=True))
    report.analysed = analyse_documents(store, pending, settings, progress)
    if not report.analysed:
        return report
    link_report = update_links(store, report.analysed)
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
        link_report = update_links(store, changed)
    return report
