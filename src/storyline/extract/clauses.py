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
from spacy.attrs import DEP, MORPH, POS, TAG
from spacy.language import Language
from spacy.symbols import AUX as _AUX
from spacy.symbols import VERB as _VERB
from spacy.tokens import Doc

from ..lang import get_pack
from ..records import Clause
from . import doc_text, token_strings

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


class _View:
    """A Doc's token attributes as plain lists: tag, POS, dependency and morphology as
    hashes (one array pass, strings looked up only for the tokens asked about), lemmas,
    lower forms and heads from `token_strings`; walking verbs, auxiliaries and heads builds
    no Token objects."""

    def __init__(self, doc: Doc) -> None:
        self._strings = doc.vocab.strings
        self._cache: dict[int, str] = {}
        cols = doc.to_array([POS, TAG, DEP, MORPH]).T.tolist() if len(doc) else [[]] * 4
        self._pos, self._tag, self._dep, self._morph = cols
        strings = token_strings(doc)  # lemmas, lower forms and heads, computed once per Doc
        self._lemmas, self._lowers, self.head = strings.lemma, strings.lower, strings.head
        self.children: list[list[int]] = [[] for _ in self.head]
        for i, h in enumerate(self.head):
            if h != i:
                self.children[h].append(i)
        self._group_deps = {self._strings[d] for d in _GROUP_DEPS}
        self._groups: dict[int, list[int]] = {}

    def _s(self, h: int) -> str:
        v = self._cache.get(h)
        if v is None:
            v = self._cache[h] = self._strings[h] if h else ""
        return v

    def pos(self, i: int) -> str:
        return self._s(self._pos[i])

    def tag(self, i: int) -> str:
        return self._s(self._tag[i])

    def dep(self, i: int) -> str:
        return self._s(self._dep[i])

    def morph(self, i: int) -> str:
        return self._s(self._morph[i])

    def lemma(self, i: int) -> str:
        return self._lemmas[i]

    def lower(self, i: int) -> str:
        return self._lowers[i]

    def group(self, i: int) -> list[int]:
        """The verb and its auxiliaries (and the copula of a predicate it heads)."""
        g = self._groups.get(i)
        if g is None:
            deps, gd = self._dep, self._group_deps
            g = self._groups[i] = [i] + [c for c in self.children[i] if deps[c] in gd]
        return g


_GROUP_DEPS = frozenset({"aux", "auxpass", "aux:pass", "cop"})
_OWN_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis"})


def _is_clause_head(v: _View, i: int) -> bool:
    if v.pos(i) not in ("VERB", "AUX") or v.dep(i) in _HEAD_DEPS_SKIP:
        return False
    # a copula or auxiliary whose head is a verb belongs to that verb's group
    h = v.head[i]
    return not (v.pos(i) == "AUX" and h != i and v.pos(h) in ("VERB", "AUX")
                and v.dep(i) not in _OWN_CLAUSE_DEPS)


def _own_tense(v: _View, i: int, words: dict[str, Any]) -> str | None:
    """The tense the verb group marks itself, or None (non-finite: ask the head)."""
    group = v.group(i)
    auxes = group[1:]
    if ({v.lemma(t) for t in auxes} | {v.lower(t) for t in auxes}) & \
            words.get("future_aux", frozenset()):
        return "future"
    if any("Tense=Fut" in v.morph(t) for t in group):
        return "future"
    if v.lemma(i) in words.get("future_frames", frozenset()) and any(
            v.dep(c) == "xcomp" for c in v.children[i]):
        return "future"
    finite = [t for t in group
              if "VerbForm=Fin" in v.morph(t) or v.tag(t) in ("VBD", "VBZ", "VBP", "MD")]
    if any("Tense=Past" in v.morph(t) for t in finite):
        return "past"
    if v.tag(i) == "VBN" and any(v.lemma(t) == "have" for t in auxes):
        return "past"  # a perfect: "has met", "have agreed"
    if finite:
        return "present"
    if v.tag(i) == "VBN" and v.dep(i) in ("acl", "amod", "advcl", "ROOT"):
        return "past"  # a participle standing alone: "the summit held last June"
    return None


def _tense(v: _View, i: int, words: dict[str, Any]) -> str:
    t = i
    for _ in range(12):
        own = _own_tense(v, t, words)
        if own is not None:
            return own
        h = v.head[t]
        if v.dep(t) == "xcomp" and v.lemma(h) in words.get("future_frames", ()):
            return "future"
        if h == t:
            return "present"
        t = h
    return "present"


def _mood(v: _View, i: int, words: dict[str, Any]) -> str:
    group = v.group(i)
    cond = words.get("conditional_aux", ())
    if any(v.lemma(t) in cond or v.lower(t) in cond for t in group[1:]):
        return "conditional"
    if any("Mood=Cnd" in v.morph(t) for t in group):
        return "conditional"
    return "indicative"


def _negated(v: _View, i: int) -> bool:
    if any(v.dep(c) == "neg" for t in v.group(i) for c in v.children[t]):
        return True
    return any(v.dep(c) == "advmod" and "Polarity=Neg" in v.morph(c) for c in v.children[i])


def clauses_of(doc: Doc) -> list[Clause]:
    """Every clause of a parsed Doc, in text order."""
    if not doc.has_annotation("DEP"):
        return []
    words = _words(doc._.sl_language)
    text = doc_text(doc)
    quotes = quoted_spans(text, words.get("quote_pairs", []))
    quote_starts = [q[0] for q in quotes]
    out: list[Clause] = []
    # only verbs and auxiliaries can head a clause: find them in one array pass
    pos = doc.to_array([POS])
    verbs = numpy.flatnonzero((pos == _VERB) | (pos == _AUX)).tolist()
    if not verbs:
        return out
    v = _View(doc)
    sents = [(sent.start, sent.start_char, sent.end_char) for sent in doc.sents]
    starts = [x[0] for x in sents]
    for i in verbs:
        if not _is_clause_head(v, i):
            continue
        tok = doc[i]
        _, s0, s1 = sents[bisect.bisect_right(starts, i) - 1]
        a, b = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
        k = bisect.bisect_right(quote_starts, tok.idx) - 1
        quoted = k >= 0 and tok.idx < quotes[k][1]
        out.append(Clause(a, b, tok.idx, tok.idx + len(tok), s0, s1, _tense(v, i, words),
                          _mood(v, i, words), _negated(v, i), quoted))
    return out
