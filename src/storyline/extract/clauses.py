"""Tense, mood and negation of every clause, read once from the parse and stored.

A clause is a verb that heads one (not an auxiliary): its span is the verb's subtree.
Tense comes from the model's morphology (Tense=Past on a finite verb or its auxiliary, a
perfect "has met" is past, Tense=Fut where the language marks it) plus the words the
morphology does not mark, from the language pack's `tense.json`: future auxiliaries
("will"), plan frames with a to-infinitive ("is set to", "expected to"), conditional
modals. A non-finite verb takes its head's tense, except a past participle standing alone
("the summit held last June"), which is past. Quotation marks come from the pack too.

The records (`Clause`) go into the document's analysis; the linker asks them
(`link/tenses.py`) instead of reading the text again.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any

import numpy
from spacy.attrs import POS
from spacy.language import Language
from spacy.symbols import AUX as _AUX
from spacy.symbols import VERB as _VERB
from spacy.tokens import Doc, Token

from ..lang import get_pack
from ..records import Clause
from . import doc_text

_HEAD_DEPS_SKIP = {"aux", "auxpass", "aux:pass", "cop", "amod", "compound", "nmod", "det"}


class ClausesComponent:
    """Adds `doc._.sl_clauses`: one Clause per verb that heads a clause."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_clauses = clauses_of(doc)
        return doc


@functools.lru_cache(maxsize=32)
def _words(language: str | None) -> dict[str, Any]:
    data = get_pack(language or "en").data("tense", {}) or {}
    return {k: frozenset(v) if k != "quote_pairs" else v for k, v in data.items()}


def quoted_spans(text: str, pairs: list[list[str]]) -> list[tuple[int, int]]:
    """Character spans inside quotation marks (each pair of the pack, not nested)."""
    spans: list[tuple[int, int]] = []
    for open_, close in pairs:
        pat = re.compile(re.escape(open_) + r"[^" + re.escape(close) + r"\n]*" + re.escape(close))
        spans += [(m.start(), m.end()) for m in pat.finditer(text)]
    return sorted(spans)


def _is_clause_head(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if tok.dep_ in _HEAD_DEPS_SKIP:
        return False
    # a copula or auxiliary whose head is a verb belongs to that verb's group
    return not (tok.pos_ == "AUX" and tok.head is not tok and tok.head.pos_ in ("VERB", "AUX")
                and tok.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis"))


def _group(tok: Token) -> list[Token]:
    """The verb and its auxiliaries (and the copula of a predicate it heads)."""
    return [tok] + [c for c in tok.children if c.dep_ in ("aux", "auxpass", "aux:pass", "cop")]


def _own_tense(tok: Token, words: dict[str, Any]) -> str | None:
    """The tense the verb group marks itself, or None (non-finite: ask the head)."""
    group = _group(tok)
    lemmas = {t.lemma_.lower() for t in group[1:]} | {t.lower_ for t in group[1:]}
    if lemmas & words.get("future_aux", frozenset()):
        return "future"
    morphs = [str(t.morph) for t in group]
    if any("Tense=Fut" in m for m in morphs):
        return "future"
    if tok.lemma_.lower() in words.get("future_frames", frozenset()) and any(
            c.dep_ == "xcomp" for c in tok.children):
        return "future"
    finite = [m for t, m in zip(group, morphs)
              if "VerbForm=Fin" in m or t.tag_ in ("VBD", "VBZ", "VBP", "MD")]
    if any("Tense=Past" in m for m in finite):
        return "past"
    if tok.tag_ == "VBN" and any(t.lemma_.lower() == "have" for t in group[1:]):
        return "past"  # a perfect: "has met", "have agreed"
    if finite:
        return "present"
    if tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod", "advcl", "ROOT"):
        return "past"  # a participle standing alone: "the summit held last June"
    return None


def _tense(tok: Token, words: dict[str, Any]) -> str:
    seen = 0
    t: Token = tok
    while seen < 12:
        own = _own_tense(t, words)
        if own is not None:
            return own
        if t.dep_ == "xcomp" and t.head.lemma_.lower() in words.get("future_frames", ()):
            return "future"
        if t.head is t:
            return "present"
        t, seen = t.head, seen + 1
    return "present"


def _mood(tok: Token, words: dict[str, Any]) -> str:
    group = _group(tok)
    if any(t.lemma_.lower() in words.get("conditional_aux", ()) or t.lower_ in
           words.get("conditional_aux", ()) for t in group[1:]):
        return "conditional"
    if any("Cnd" in t.morph.get("Mood") for t in group):
        return "conditional"
    return "indicative"


def clauses_of(doc: Doc) -> list[Clause]:
    """Every clause of a parsed Doc, in text order."""
    if not doc.has_annotation("DEP"):
        return []
    words = _words(doc._.sl_language)
    text = doc_text(doc)
    quotes = quoted_spans(text, words.get("quote_pairs", []))
    out: list[Clause] = []
    # only verbs and auxiliaries can head a clause: find them in one array pass, and build
    # Token objects for those alone
    pos = doc.to_array([POS])
    verbs = numpy.flatnonzero((pos == _VERB) | (pos == _AUX)).tolist()
    if not verbs:
        return out
    sents = [(sent.start, sent.start_char, sent.end_char) for sent in doc.sents]
    starts = [s[0] for s in sents]
    for i in verbs:
        tok = doc[i]
        if not _is_clause_head(tok):
            continue
        _, s0, s1 = sents[bisect.bisect_right(starts, i) - 1]
        a, b = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
        negated = any(c.dep_ == "neg" for t in _group(tok) for c in t.children) or \
            any(c.dep_ == "advmod" and "Neg" in c.morph.get("Polarity") for c in tok.children)
        quoted = any(q0 <= tok.idx < q1 for q0, q1 in quotes)
        out.append(Clause(a, b, tok.idx, tok.idx + len(tok), s0, s1, _tense(tok, words),
                          _mood(tok, words), negated, quoted))
    return out
