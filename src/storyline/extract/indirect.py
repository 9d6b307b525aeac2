"""Indirect speech: what a cue reports, when it is not in quotation marks.

"X said (that) ...", "..., X said.", "Prices, X said, will rise.", "According to X, ...",
and the wider attributions of news writing ("polls show ...", "X called Y a liar", "X is
expected to ..."): each gives a span for a `Quote(direct=False)`; `quotes.py` finds its
speaker. The cue and its content are chosen by the learned cue model (`cue_model.py`, its
lemmas and weights in the language pack). A content that is mostly a direct quote, or lies
inside a block quote, is left to the direct quote. Negated or modal cues ("could not say
whether", "will announce") report no claim.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from . import doc_text, token_strings
from .attribution import is_actual, words_of
from .cue_model import clause_takers, model_for
from .quote_marks import QuoteSpan


def indirect_speech(doc: Doc, mask: dict[int, int], spans: list[QuoteSpan],
                    blocks: list[tuple[int, int]]) -> list[tuple[int, int, Token]]:
    """(start, end, cue) of every reported content outside quotes (`mask`: tokens inside
    quotes; `blocks`: block quotes, which are the speaker's own words)."""
    model = model_for(doc)
    if model is None:
        return []
    out = []
    quoted = [(q.open_at, q.outer_end) for q in spans]
    strings = token_strings(doc)
    text = doc_text(doc)
    according = words_of(doc).according_to[0]
    takers = clause_takers(doc)
    for i, lemma in enumerate(strings.lemma):
        if strings.lower[i] == according:
            lemma = according  # "according to" is one cue, whatever its parts' lemmas
        if i in mask or lemma not in model.lemmas and i not in takers:
            continue
        tok = doc[i]
        if lemma not in model.lemmas and tok.pos_ != "VERB":
            continue
        if any(bs <= tok.idx < be for bs, be in blocks):
            continue
        if not is_actual(tok) or any(c.dep_ == "neg" for c in tok.children):
            continue  # "could not say whether", "will announce": nothing is claimed yet
        found = model.best(tok, lemma, text, quoted)
        if found is not None:
            out.append((found[0], found[1], tok))
    return out
