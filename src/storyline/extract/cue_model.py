"""A learned attribution cue: which word reports what someone says, thinks or shows.

Reported speech in news is wider than "X said that ...": "X called Y a liar", "polls show
Y", "X is expected to Y", "X accused Y of Z", "Y, according to X". For a candidate cue (a
word whose lemma the language pack lists in `attribution_cues.json`) this module lists the
spans the parse offers as its content, one per relation:

    ccomp     the clausal complement after the cue ("said [that prices will rise]")
    frame     the sentence around a parenthetical or closing cue ("[Prices will rise], X said.")
    dobj      the direct object with what completes it ("called [him a liar]")
    dobj+     the object with the cue's later prepositions and clauses ("accused [Y of Z]")
    xcomp     the open complement ("wants [to win]", "is expected [to win]")
    prep      the object of a preposition on the cue ("accused Y of [lying]")
    subjpass  the passive subject ("[the move] was reported by X")

and scores each (cue, relation) with a logistic model whose weights the pack ships in
`attribution/weights.json` (written by `scripts/train_attribution.py` from the PolNeAR
train split: only the weights and lemma counts, no text). The best relation of a cue is
taken when its probability passes the model's threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from spacy.attrs import DEP  # type: ignore[import-not-found]
from spacy.parts_of_speech import AUX as _AUX  # type: ignore[import-not-found]
from spacy.parts_of_speech import VERB as _VERB
from spacy.tokens import Doc, Token

from ..lang import get_pack
from . import sent_range, token_pos, token_strings
from .attribution import is_according, words_of

_ENT_KINDS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass(frozen=True)
class Candidate:
    """One reading of a cue: the relation and the first and last token of its content."""

    cue: Token
    relation: str
    first: int
    last: int


class CueModel:
    """The pack's cue lexicon and logistic weights, read once per language."""

    def __init__(self, lemmas: frozenset[str], weights: dict[str, float], bias: float,
                 threshold: float) -> None:
        self.lemmas = lemmas
        self.weights = weights
        self.bias = bias
        self.threshold = threshold

    @classmethod
    def for_language(cls, code: str | None) -> CueModel | None:
        """The model of a language pack, or None when the pack ships none."""
        pack = get_pack(code or "en")
        cues = pack.data("attribution_cues", None)
        model = pack.data("attribution/weights", None)
        if not cues or not model:
            return None
        return cls(frozenset(cues.get("lemmas", {})), model["weights"], float(model["bias"]),
                   float(model["threshold"]))

    def probability(self, feats: list[str]) -> float:
        """P(the candidate is an attribution) under the logistic model."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def best(self, tok: Token, lemma: str, text: str,
             quoted: list[tuple[int, int]]) -> tuple[int, int, float] | None:
        """The characters of a cue's most probable content, if any passes the threshold."""
        best: tuple[int, int, float] | None = None
        for cand in candidates(tok):
            span = content_span(tok.doc, cand, text, quoted)
            if span is None:
                continue
            p = self.probability(features(cand, lemma, self.lemmas))
            if p >= self.threshold and (best is None or p > best[2]):
                best = (span[0], span[1], p)
        return best


class _Bounds(NamedTuple):
    start: int
    end: int


UNKNOWN = "<unk>"  # the lemma feature of a verb not in the lexicon that takes a clause


def clause_takers(doc: Doc) -> set[int]:
    """Indexes of the words with a clausal complement after them ("recognized that ..."):
    cues whatever their lemma (a verb the lexicon lacks is tried as `UNKNOWN`)."""
    if not len(doc):
        return set()
    deps = doc.to_array([DEP]).tolist()
    ccomp = doc.vocab.strings["ccomp"]
    heads = token_strings(doc).head
    return {heads[i] for i, d in enumerate(deps) if d == ccomp and heads[i] < i}


_MODELS: dict[str, CueModel | None] = {}


def model_for(doc: Doc) -> CueModel | None:
    """The cue model of a document's language (cached)."""
    code = getattr(doc._, "sl_language", None) or "en"
    if code not in _MODELS:
        _MODELS[code] = CueModel.for_language(code)
    return _MODELS[code]


# --- candidate contents -------------------------------------------------------------------

def _extent(toks: list[Token]) -> tuple[int, int]:
    ids = [t.i for tk in toks for t in tk.subtree]
    return min(ids), max(ids)


def candidates(cue: Token) -> list[Candidate]:
    """Every content span the parse offers for a cue, one per relation."""
    out: list[Candidate] = []
    frame = frame_content(cue)
    if frame is not None:
        out.append(Candidate(cue, "frame", *frame))
    kids = list(cue.children)
    words = words_of(cue.doc)
    for c in kids:
        if c.dep_ == "ccomp" and c.i > cue.i:
            out.append(Candidate(cue, "ccomp", *_extent([c])))
            conj = [g for g in c.children if g.dep_ == "conj" and g.pos_ in ("VERB", "AUX")]
            if conj:
                # "said A and called B": the parser may hang the speaker's next act on A
                first, _ = _extent([c])
                cut = min(t.i for t in conj[0].subtree) - 1
                while cut > first and c.doc[cut].dep_ in ("cc", "punct"):
                    cut -= 1
                out.append(Candidate(cue, "ccomp1", first, cut))
            break
    objs = [c for c in kids if c.dep_ == "dobj" and c.i > cue.i]
    if objs:
        tail = [c for c in kids if c.i > objs[0].i and c.dep_ in ("oprd", "ccomp", "xcomp")]
        out.append(Candidate(cue, "dobj", *_extent(objs[:1] + tail)))
        rest = [c for c in kids if c.i > objs[0].i and c.dep_ in ("prep", "advcl", "oprd",
                                                                   "ccomp", "xcomp")]
        if rest and rest != tail:
            # "accused the media of distorting", "cited X as evidence of Y": object and
            # what the cue says of it
            out.append(Candidate(cue, "dobj+", *_extent(objs[:1] + rest)))
    for c in kids:
        if c.dep_ == "xcomp" and c.i > cue.i:
            out.append(Candidate(cue, "xcomp", *_extent([c])))
            break
    for c in kids:
        if c.dep_ == "prep" and c.i > cue.i and c.lower_ in words.content_prepositions:
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                out.append(Candidate(cue, "prep", *_extent(objs)))
                break
    for c in kids:
        if c.dep_ == "nsubjpass":
            out.append(Candidate(cue, "subjpass", *_extent([c])))
            break
    return [c for c in out if c.last >= c.first]


def frame_content(cue: Token) -> tuple[int, int] | None:
    """The content of a framing cue: after or before "according to X", the sentence before
    a closing "..., X said.", the sentence around a parenthetical "..., X said, ...", the
    clause left of a root cue ("..., another source said.")."""
    sent = _Bounds(*sent_range(cue.doc, cue.i))  # (cue.sent's start and end)
    if is_according(cue):
        phrase = sorted(t.i for t in cue.subtree)
        p0, p1 = phrase[0], phrase[-1]
        if p0 <= sent.start + 1:
            return p1 + 1, sent.end - 1
        if p1 >= sent.end - 2:
            return sent.start, p0 - 1
        return sent.start, sent.end - 1  # "Prices, according to X, will rise."
    if cue.dep_ in ("parataxis", "ccomp", "advcl") and cue.head.i < cue.i:
        sub = sorted(t.i for t in cue.subtree)
        if sub[-1] >= sent.end - 2:
            return sent.start, sub[0] - 1
    if cue.dep_ == "parataxis":
        sub = sorted(t.i for t in cue.subtree)
        if sub[0] > sent.start and sub[-1] < sent.end - 2 and \
                cue.doc[sub[0]].text == "," and cue.doc[sub[-1]].text == ",":
            return sent.start, sent.end - 1
    if cue.dep_ == "ROOT":
        left = [c for c in cue.children if c.dep_ == "ccomp" and c.i < cue.i]
        if left:
            clause = {t.i for t in cue.subtree} - {t.i for x in left for t in x.subtree}
            first = min(clause)
            if first > sent.start and max(clause) >= sent.end - 2:
                return sent.start, first - 1
            sub = sorted(t.i for t in left[0].subtree)
            return sub[0], sub[-1]
    return None


def trim(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """A content span without leading punctuation or "that", and trailing punctuation
    (a closing quotation mark stays)."""
    while first <= last and (doc[first].is_punct or doc[first].dep_ == "mark"
                             and doc[first].lower_ == "that"):
        first += 1
    while last >= first and doc[last].is_punct and not doc[last].is_quote:
        last -= 1
    return first, last


def content_span(doc: Doc, cand: Candidate, text: str,
                 quoted: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The characters of a candidate's trimmed content, or None when it is empty, runs
    over a line break, or lies mostly inside quotation marks (a direct quote carries it)."""
    first, last = trim(doc, cand.first, cand.last)
    if last < first:
        return None
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    if "\n" in text[start:end]:
        return None
    inside = sum(max(0, min(end, qe) - max(start, qs)) for qs, qe in quoted)
    return None if inside >= 0.5 * (end - start) else (start, end)


# --- features ------------------------------------------------------------------------------

def _subject(cue: Token) -> Token | None:
    for c in cue.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    if cue.dep_ in ("advcl", "xcomp", "conj", "relcl", "acl") and cue.head.i != cue.i:
        for c in cue.head.children:
            if c.dep_ in ("nsubj", "csubj"):
                return c
    return None


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+"


def features(cand: Candidate, lemma: str, known: frozenset[str]) -> list[str]:
    """The features of one (cue, relation) candidate, as strings."""
    cue, rel = cand.cue, cand.relation
    doc = cue.doc
    lem = lemma if lemma in known else UNKNOWN
    first = doc[cand.first]
    subj = _subject(cue)
    kids = {c.dep_ for c in cue.children}
    aux = [c.lower_ for c in cue.children if c.dep_ in ("aux", "auxpass")]
    f = [f"r={rel}", f"l={lem}", f"lr={lem}|{rel}", f"p={cue.pos_}|{rel}",
         f"t={cue.tag_}|{rel}", f"d={cue.dep_}|{rel}", f"ld={lem}|{cue.dep_}",
         f"n={_bucket(cand.last - cand.first + 1)}|{rel}", f"fp={first.pos_}|{rel}",
         f"fw={first.lower_ if first.lower_ in ('that', 'to', 'whether', 'if', 'the') else first.pos_}|{rel}",
         f"lfp={lem}|{first.pos_}|{rel}"]
    if subj is None:
        f.append(f"nosubj|{rel}")
    else:
        kind = subj.ent_type_ if subj.ent_type_ in _ENT_KINDS else (
            "PRON" if subj.pos_ == "PRON" else subj.pos_)
        f += [f"s={kind}|{rel}", f"ls={lem}|{kind}"]
    if "neg" in kids:
        f.append(f"neg|{rel}")
    if any(a in words_of(doc).modals for a in aux):
        f.append(f"modal|{rel}")
    if "auxpass" in kids:
        f += [f"pass|{rel}", f"lpass={lem}|{rel}"]
    if "agent" in kids:
        f.append(f"agent|{rel}")
    if "dative" in kids or any(c.dep_ == "dobj" for c in cue.children if rel == "ccomp"):
        f.append(f"dative|{rel}")
    if cue.head.i != cue.i:
        f.append(f"h={cue.head.pos_}|{cue.dep_}|{rel}")
    left = min(t.i for t in cue.subtree)
    if left > 0 and doc[left - 1].text in (",", "—", "–") or doc[left].text == ",":
        f.append(f"comma|{rel}")  # "..., X said" / ", X said,"
    if left <= sent_range(doc, cue.i)[0]:  # (cue.sent.start)
        f.append(f"opens|{rel}")
    span = doc[cand.first: cand.last + 1]
    verb = any(p == _VERB or p == _AUX for p in token_pos(doc)[cand.first: cand.last + 1])
    f += [f"cr={span.root.pos_}|{span.root.dep_}|{rel}", f"cv={verb}|{rel}",
          f"lcv={lem}|{verb}|{rel}"]
    last = doc[cand.last]
    if cand.last + 1 < len(doc) and doc[cand.last + 1].is_quote or last.is_quote:
        f.append(f"quoted_end|{rel}")
    return f
