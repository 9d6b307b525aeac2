"""All Storyline pipeline components, registered by name in one place."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


from . import register_extensions

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




@Language.factory("storyline_lines", assigns=["token.is_sent_start"])
def make_lines(nlp: Language, name: str) -> "LineBreaks":
    return LineBreaks()


class LineBreaks:
    """A line break ends a sentence: a headline, a caption or a dateline is not parsed
    into the paragraph after it. Runs before the parser, which keeps these boundaries."""

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[:-1]:
            if "\n" in tok.text_with_ws and not tok.is_space:
                doc[tok.i + 1].is_sent_start = True
            elif tok.is_space and "\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
        return doc
