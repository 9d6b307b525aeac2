"""Indirect speech: the content clause of a speech verb that is not in quotation marks.

"X said (that) ...", "..., X said.", "Prices, X said, will rise.", "According to X, ...":
each gives a span for a `Quote(direct=False)`; `quotes.py` finds its speaker. A clause
that is mostly a direct quote, or lies inside a block quote, is left to the direct quote.
Negated or modal cues ("could not say whether", "will announce") report no claim.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from . import doc_text, token_strings
from .attribution import INDIRECT_LEMMAS, cue_subject, is_according, is_actual, is_cue
from .quote_marks import DOUBLE_MARKS, QuoteSpan


def indirect_speech(doc: Doc, mask: dict[int, int], spans: list[QuoteSpan],
                    blocks: list[tuple[int, int]]) -> list[tuple[int, int, Token]]:
    """(start, end, cue) of every reported claim: "X said (that) ...", "..., X said.",
    "Prices, X said, will rise.", "According to X, ..." (`mask`: tokens inside quotes)."""
    out = []
    quoted = [(q.open_at, q.outer_end) for q in spans]
    strings = token_strings(doc)
    for i, lemma in enumerate(strings.lemma):
        if lemma not in INDIRECT_LEMMAS and strings.lower[i] != "according":
            continue  # (not a cue: see is_cue)
        tok = doc[i]
        if tok.i in mask or not is_cue(tok, INDIRECT_LEMMAS) or not is_actual(tok):
            continue
        if any(bs <= tok.idx < be for bs, be in blocks):
            continue  # inside a block quote: the speaker's own words, not a report
        if any(c.dep_ == "neg" for c in tok.children):
            continue  # "could not tell whether", "did not say": nothing is claimed
        content = _content_tokens(tok)
        if content is None:
            continue
        first, last = content
        while first <= last and (doc[first].is_punct or doc[first].dep_ == "mark"
                                 and doc[first].lower_ == "that"):
            first += 1
        while last >= first and doc[last].is_punct and doc[last].text not in DOUBLE_MARKS:
            last -= 1
        if last - first < 2 or doc[first].lower_ in ("whether", "if", "how", "why", "what"):
            continue
        start, end = doc[first].idx, doc[last].idx + len(doc[last])
        if "\n" in doc_text(doc)[start:end]:
            continue
        inside = sum(max(0, min(end, qe) - max(start, qs)) for qs, qe in quoted)
        if inside >= 0.5 * (end - start):
            continue  # mostly quoted: the direct quote already carries it
        if cue_subject(tok) is None:
            continue
        out.append((start, end, tok))
    return out


def _content_tokens(cue: Token) -> tuple[int, int] | None:
    """First and last token index of what a cue reports, or None."""
    if is_according(cue):
        sent = cue.sent
        phrase = sorted(t.i for t in cue.subtree)
        p0, p1 = phrase[0], phrase[-1]
        if p0 <= sent.start + 1:
            return p1 + 1, sent.end - 1
        if p1 >= sent.end - 2:
            return sent.start, p0 - 1
        return None
    for c in cue.children:
        if c.dep_ == "ccomp" and c.i > cue.i:
            sub = sorted(t.i for t in c.subtree)
            return sub[0], sub[-1]
    sent = cue.sent
    if cue.dep_ in ("parataxis", "ccomp", "advcl") and cue.head.i < cue.i:
        sub = sorted(t.i for t in cue.subtree)
        if sub[-1] >= sent.end - 2:  # "..., officials said." closes the sentence
            return sent.start, sub[0] - 1
    if cue.dep_ == "parataxis":
        sub = sorted(t.i for t in cue.subtree)
        if sub[0] > sent.start and sub[-1] < sent.end - 2 and \
                cue.doc[sub[0]].text == "," and cue.doc[sub[-1]].text == ",":
            return sent.start, sent.end - 1  # "Prices, she said, will rise.": the sentence
    if cue.dep_ == "ROOT":
        left = [c for c in cue.children if c.dep_ == "ccomp" and c.i < cue.i]
        if left:
            # "..., another source said.": all before the attribution clause, which
            # the parser may have split among several conjuncts
            clause = {t.i for t in cue.subtree} - {t.i for x in left for t in x.subtree}
            first = min(clause)
            if first > sent.start and max(clause) >= sent.end - 2:
                return sent.start, first - 1
            sub = sorted(t.i for t in left[0].subtree)
            return sub[0], sub[-1]
    return None
