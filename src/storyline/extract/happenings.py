"""The `storyline_happenings` component: general events (happenings) beside PLOVER.

PLOVER codes political interaction between actors; a timeline of any story also needs what
simply happened: a death, an arrest, a verdict, an election, a quake, an outbreak, a launch,
a decision. A logistic model trained on the event mentions of ECB+ (train topics; every
ACTION mention is an event, `scripts/train_happenings.py`) scores each verb, noun and
adjective of a statement from its lemma, tags, dependency, head, neighbours and its
en_core_web_md vector; the pack ships only the weights (`happenings.model.json`). A trigger
above the model's threshold becomes a happening when no PLOVER event was coded on that
token, and either the pack's type table (`happenings.types.json`, lemmas per type) gives
it a type, or it is a verb (not a speech verb) with a named party and a time that dates it
(subtype null). One happening of a type per sentence: the likeliest trigger. Its participants, time, place, source and status come from what the pipeline
already extracts (entities, times, the claim reader of `claims`).

Happenings are kept apart from the PLOVER events (`doc._.sl_happenings`,
`Analysis.happenings`): the answer keys score PLOVER events; the dates ranking and the
story views read both.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from spacy.attrs import POS  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.symbols import VERB  # type: ignore[import-not-found]
from spacy.tokens import Doc, Span, Token

from ..lang import get_pack
from ..records import Event
from . import doc_text, sent_range, sentence_of, token_strings
from .arguments import DocIndex, Ref, np_span, prep_objects, resolve, subject_of
from .cameo import load_cameo
from .claims import SPEECH, claim_source, claim_status, event_time, modal_chain
from .general import as_written

__all__ = ["HAPPEN", "HappeningModel", "HappeningsComponent", "candidates", "extract_happenings",
           "features", "load_model"]

HAPPEN = "HAPPEN"  # the Event.type of a happening (docs/EVALUATION.md says why this name)
CANDIDATE_POS = frozenset({"VERB", "NOUN", "ADJ"})
OBJECT_DEPS = ("dobj", "nsubjpass", "attr")
TIME_TYPES = frozenset({"DATE", "TIME"})


def candidates(sent: Span) -> list[Token]:
    """The tokens of a sentence the model scores: verbs, nouns and adjectives (not a noun
    that only modifies another: "a suicide bombing" is one happening, the bombing)."""
    return [t for t in sent if _candidate(t)]


def _candidate(t: Token) -> bool:
    return t.pos_ in CANDIDATE_POS and t.is_alpha and not (
        t.dep_ == "compound" and t.head.pos_ == "NOUN")


def features(tok: Token) -> list[str]:
    """The sparse features of a candidate token (the model adds its word vector)."""
    lemma = tok.lemma_.lower()
    head = tok.head
    feats = [f"l={lemma}", f"p={tok.pos_}", f"t={tok.tag_}", f"d={tok.dep_}",
             f"s3={tok.lower_[-3:]}", f"pd={tok.pos_}|{tok.dep_}"]
    if head.i != tok.i:
        feats += [f"h={head.lemma_.lower()}", f"hp={head.pos_}", f"hd={tok.dep_}|{head.pos_}"]
    else:
        feats.append("root")
    if tok.i > 0:
        prev = tok.doc[tok.i - 1]
        feats += [f"pw={prev.lower_}", f"pp={prev.pos_}"]
    if tok.i + 1 < len(tok.doc):
        feats.append(f"np={tok.doc[tok.i + 1].pos_}")
    if tok.ent_type_:
        feats.append(f"e={tok.ent_type_}")
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "aux", "auxpass", "prep", "agent", "det",
                      "poss", "compound", "amod", "neg"):
            feats.append(f"c={c.dep_}")
    return feats


def unit_vector(tok: Token) -> np.ndarray:
    """The token's word vector, scaled to length 1 (zeros when it has none)."""
    v = np.asarray(tok.vector, dtype=np.float32)
    n = float(np.linalg.norm(v)) if v.size else 0.0
    return v / n if n > 0 else v


@dataclass(frozen=True)
class HappeningModel:
    """The logistic weights of the trigger model and the type table, read from a pack."""

    weights: dict[str, float]
    vector: np.ndarray
    bias: float
    threshold: float
    types: dict[str, str]  # lemma -> type
    excluded: frozenset[str]  # lemmas never a happening (reporting verbs, ...)
    verb_only: frozenset[str] = frozenset()  # typed only as a verb ("shell" a town, not "shells")

    def scores(self, toks: list[Token]) -> np.ndarray:
        """The probability that each token evokes an event."""
        if not toks:
            return np.zeros(0)
        z = np.array([self.bias + sum(self.weights.get(f, 0.0) for f in features(t))
                      for t in toks])
        if self.vector.size:
            vecs = np.stack([unit_vector(t) for t in toks])
            if vecs.shape[1] == self.vector.shape[0]:
                z = z + vecs @ self.vector
        return 1.0 / (1.0 + np.exp(-z))

    def type_of(self, tok: Token) -> str | None:
        lemma = tok.lemma_.lower()
        if lemma in self.verb_only and tok.pos_ != "VERB":
            return None
        return self.types.get(lemma)


@functools.lru_cache(maxsize=8)
def load_model(code: str = "en") -> HappeningModel | None:
    """The pack's happenings model, or None when the pack has none."""
    pack = get_pack(code)
    model = pack.data("happenings.model", None)
    table = pack.data("happenings.types", None)
    if not model or not table:
        return None
    types = {lemma: kind for kind, lemmas in table.get("types", {}).items() for lemma in lemmas}
    return HappeningModel(weights=dict(model["weights"]),
                          vector=np.asarray(model.get("vector", []), dtype=np.float32),
                          bias=float(model["bias"]), threshold=float(model["threshold"]),
                          types=types, excluded=frozenset(table.get("excluded", [])),
                          verb_only=frozenset(table.get("verb_only", [])))


class HappeningsComponent:
    """Sets `doc._.sl_happenings` after the events component (it reads `doc._.sl_events`)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_happenings = extract_happenings(doc)
        return doc


def extract_happenings(doc: Doc, model: HappeningModel | None = None) -> list[Event]:
    """The happenings of a parsed document, ids "h1", "h2", ... in text order."""
    model = model or load_model(doc._.sl_language or "en")
    if model is None or not len(doc):
        return []
    idx = DocIndex.build(doc)
    taken = _plover_tokens(doc)
    dated = _dated_sentences(doc, idx)
    toks = _to_score(doc, model, taken, dated)
    probs = model.scores(toks)
    best: dict[tuple[int, str | None], tuple[float, Token]] = {}
    for tok, p in zip(toks, probs):
        if p < model.threshold or _negated(tok):
            continue
        key = (sent_range(doc, tok.i)[0], model.type_of(tok))  # one happening of a type per
        # sentence (its start: tok.sent.start)
        if key not in best or p > best[key][0]:
            best[key] = (float(p), tok)
    chosen = {tok.i for _, tok in best.values()}
    out = []
    for _, tok in sorted(best.values(), key=lambda pt: pt[1].i):
        if _told_by_subject(tok, chosen):
            continue
        ev = _happening(idx, model, tok)
        if ev.subtype is not None or (ev.when is not None and (ev.actor or ev.target)):
            out.append(ev)
    for k, ev in enumerate(out, 1):
        ev.id = f"h{k}"
    return out


def _statement(doc: Doc, sent: Span) -> bool:
    text = doc_text(doc)[sent.start_char:sent.end_char].strip()
    return bool(text) and not text.endswith("?")


def _plover_tokens(doc: Doc) -> set[int]:
    """The tokens a PLOVER event was coded on (its trigger inside its evidence)."""
    out: set[int] = set()
    for ev in doc._.sl_events or []:
        span = doc.char_span(ev.start, ev.end, alignment_mode="expand")
        if span is None:
            continue
        out.update(t.i for t in span if t.text == ev.trigger)
    return out


def _dated_sentences(doc: Doc, idx: DocIndex) -> set[int]:
    """The start tokens of the sentences that hold a resolved time expression."""
    out: set[int] = set()
    for tm in idx.times:
        if tm.value is None:
            continue
        span = doc.char_span(tm.start, tm.end, alignment_mode="expand")
        if span is not None:
            out.add(span.sent.start)
    return out


def _to_score(doc: Doc, model: HappeningModel, taken: set[int], dated: set[int]
              ) -> list[Token]:
    """The `candidates` of each statement that are worth scoring and not `taken`, in text
    order. Worth scoring: a typed lemma, or a verb (not a speech verb) of a sentence that
    dates something; the others could not become a happening, so the model does not score
    them. These tests come first, from the token strings, so a Token is built only for a
    word that could be scored."""
    lemmas = token_strings(doc).lemma
    pos = doc.to_array(POS).tolist()
    out = []
    for sent in doc.sents:
        if not _statement(doc, sent):
            continue
        in_dated = sent.start in dated
        for i in range(sent.start, sent.end):
            lemma = lemmas[i]
            typed = lemma in model.types and (pos[i] == VERB or lemma not in model.verb_only)
            if not typed and not (in_dated and lemma not in SPEECH and pos[i] == VERB):
                continue
            if i not in taken and _candidate(tok := doc[i]):
                out.append(tok)
    return out


def _told_by_subject(tok: Token, chosen: set[int]) -> bool:
    """ "The quake struck": the verb only tells of its subject's happening."""
    return tok.pos_ == "VERB" and any(c.dep_ == "nsubj" and c.i in chosen for c in tok.children)


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children) or (
        tok.head.i != tok.i and tok.dep_ in ("xcomp", "dobj") and
        any(c.dep_ == "neg" for c in tok.head.children))


def _party(idx: DocIndex, tok: Token | None) -> Ref | None:
    """The entity a phrase names; a name the entity layer does not know, as written (a
    date is no party: "Monday's attack")."""
    if tok is None or tok.ent_type_ in TIME_TYPES:
        return None
    ref = resolve(idx, tok, agentive=False)
    if ref is None and tok.pos_ == "PROPN":
        ref = as_written(idx, load_cameo("en"), tok)
    return ref


def _parties(idx: DocIndex, tok: Token) -> tuple[Ref | None, Ref | None, Token | None]:
    """(agent, patient, the patient's token) of a verb or an event noun."""
    if tok.pos_ == "VERB":
        obj = next((c for c in tok.children if c.dep_ in OBJECT_DEPS), None)
        return _party(idx, subject_of(tok)), _party(idx, obj), obj
    # "X's arrest", "the death of X", "the arrest of X by Y"
    of = prep_objects(tok, "of")
    obj = of[0] if of else next((c for c in tok.children if c.dep_ == "poss"), None)
    by = prep_objects(tok, "by")
    return _party(idx, by[0] if by else None), _party(idx, obj), obj


def _place(idx: DocIndex, owners: list[Token]) -> str | None:
    """A place named by "in/at/near X" on the trigger, its patient or its clause's verb,
    as the text names it."""
    for owner in owners:
        for obj in prep_objects(owner, "in", "at", "near", "outside"):
            ref = resolve(idx, obj, agentive=False)
            if ref is not None and ref.entity.type in ("GPE", "LOC", "FAC"):
                return doc_text(idx.doc)[ref.start:ref.end]
    return None


def _happening(idx: DocIndex, model: HappeningModel, tok: Token) -> Event:
    from .lexicon import load_lexicon

    nominal = tok.pos_ != "VERB"
    light = load_lexicon().light_verbs
    status, cue = claim_status(tok, nominal, None, light)
    source, speech = claim_source(idx, tok, [])
    when, when_text = event_time(idx, tok, speech, False, modal_chain(tok, nominal, light))
    agent, patient, obj = _parties(idx, tok)
    place = _place(idx, [t for t in (tok, obj, tok.head) if t is not None])
    refs = [r for r in (agent, patient) if r is not None]
    sent = sentence_of(tok)
    inside = [r for r in refs if sent.start_char <= r.start and r.end <= sent.end_char]
    start = min([tok.idx] + [r.start for r in inside])
    end = max([tok.idx + len(tok.text)] + [r.end for r in inside])
    if nominal:
        s, e = np_span(tok)
        start, end = min(start, s), max(end, e)
    text = doc_text(idx.doc)
    return Event(
        id="", type=HAPPEN, subtype=model.type_of(tok), start=start, end=end,
        evidence=text[start:end], actor=agent.name if agent else None,
        actor_key=(agent.entity.key or None) if agent else None,
        target=patient.name if patient else None,
        target_key=(patient.entity.key or None) if patient else None,
        participants=[r.name for r in refs] if len(refs) > 1 else [],
        when=when, when_text=when_text, where=place,
        source=source.name, source_key=source.key, source_is_outlet=source.is_outlet,
        status=status, cue=cue, trigger=tok.text)
