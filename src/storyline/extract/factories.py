"""All Storyline pipeline components, registered by name in one place."""

from __future__ import annotations

import bisect
import re

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from . import doc_text, register_extensions

register_extensions()


@Language.factory("storyline_entities", requires=["doc.ents", "token.dep"],
                  assigns=["doc._.sl_entities"])
def make_entities(nlp: Language, name: str) -> "EntitiesComponent":
    from .entities import EntitiesComponent

    return EntitiesComponent(nlp)


@Language.factory("storyline_times", assigns=["doc._.sl_times"])
def make_times(nlp: Language, name: str) -> "TimesComponent":
    from .times import TimesComponent

    return TimesComponent(nlp)


@Language.factory("storyline_quotes", requires=["doc._.sl_entities"], assigns=["doc._.sl_quotes"])
def make_quotes(nlp: Language, name: str) -> "QuotesComponent":
    from .quotes import QuotesComponent

    return QuotesComponent(nlp)


@Language.factory("storyline_events",
                  requires=["doc._.sl_entities", "doc._.sl_times", "doc._.sl_quotes"],
                  assigns=["doc._.sl_events"])
def make_events(nlp: Language, name: str) -> "EventsComponent":
    from .events import EventsComponent

    return EventsComponent(nlp)


@Language.factory("storyline_happenings", requires=["doc._.sl_events"],
                  assigns=["doc._.sl_happenings"])
def make_happenings(nlp: Language, name: str) -> "HappeningsComponent":
    from .happenings import HappeningsComponent

    return HappeningsComponent(nlp)


@Language.factory("storyline_clauses", requires=["token.dep", "token.morph"],
                  assigns=["doc._.sl_clauses"])
def make_clauses(nlp: Language, name: str) -> "ClausesComponent":
    from .clauses import ClausesComponent

    return ClausesComponent(nlp)


@Language.factory("storyline_lines", assigns=["token.is_sent_start"])
def make_lines(nlp: Language, name: str) -> "LineBreaks":
    return LineBreaks()


class LineBreaks:
    """A line break ends a sentence: a headline, a caption or a dateline is not parsed
    into the paragraph after it. Runs before the parser, which keeps these boundaries."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        if "\n" not in text or len(doc) < 2:
            return doc
        # a newline is always inside a whitespace token (a token's trailing whitespace is
        # one space at most): the token after each such token starts a sentence
        starts = doc.to_array(IDX).tolist()
        breaks = {bisect.bisect_right(starts, m.start()) - 1 for m in _NEWLINE.finditer(text)}
        for k in sorted(breaks):
            if k + 1 < len(doc):
                doc[k + 1].is_sent_start = True
        return doc


_NEWLINE = re.compile("\n")
