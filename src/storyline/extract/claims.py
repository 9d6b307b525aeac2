"""Who says so, how sure, and who denies it: the claim around an event.

- `claim_status`: asserted, hedged ("appears to", "could be", "reportedly"), planned
  ("will", "set to", "ahead of"), hypothetical ("if", "could" + a plain verb), with the cue.
- `claim_source`: the governing speech verb's subject ("the agency told lawmakers"),
  "according to X", the speaker of an enclosing quote, the speaker of a block quote
  introduced by "X said:", else the outlet's own voice.
- `event_time`: the time mention that dates the event, with "since/after X" as a range.
(What a denial denies is read in `denials`.)
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..lang import get_pack
from . import doc_text, sentence_of
from .arguments import DocIndex, Ref, child, resolve
from .attribution import source_words

_PACK = get_pack("en")
_CUES = _PACK.data("hedges", {})


def _cues(kind: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in _CUES.get(kind, []))


# Verbs whose subject is the source of the claim their complement states (the pack's
# speech words), and the cues of a claim's status (the pack's hedges.json).
SPEECH = frozenset(_PACK.data("speech_words", {}).get("claim_verbs", []))
SPEECH_ACTS = frozenset({"warning", "accusation", "denial"})
PERFORMATIVE = _cues("performative")  # speech verbs that perform what their object names
PLANNED_HEADS = _cues("planned_heads")
HEDGE_HEADS = _cues("hedge_heads")
HEDGE_ADVERBS = _cues("hedge_adverbs")
PLANNED_ADJS = _cues("planned_adjs")
HEDGED_ADJS = _cues("hedged_adjs")
TEMPORAL_MARKS = _cues("temporal_marks")
CONDITIONAL_MARKS = _cues("conditional_marks")
BEFORE_PREPS = _cues("before_preps")
AFTER_PREPS = _cues("after_preps")
# "The talks will take place", "the visit comes after": the event's own predicate.
HAPPEN_VERBS = _cues("happen_verbs")
# Links along which the modality of a governing verb reaches an event.
MODAL_LINKS = frozenset({"xcomp", "conj", "pcomp", "dobj", "attr", "prep", "pobj", "advcl",
                         "acomp", "oprd", "nsubjpass", "nsubj"})


@dataclass
class Source:
    """Who asserts a claim: a canonical name, its key, and whether it is the outlet.
    `words`: where the outlet reports what a source that names nobody said ("officials
    said ...", "according to a source"), that source's words (start, end): the outlet stays
    the source, and the record says whom it cites."""

    name: str | None
    key: str | None = None
    is_outlet: bool = False
    type: str | None = None
    words: tuple[int, int] | None = None


# --- status --------------------------------------------------------------------------------

def _modal_chain(trigger: Token, nominal: bool, light_verbs: frozenset[str]) -> tuple[
        list[Token], str | None]:
    """The verbs whose modality applies to the event, and a cue met on the way."""
    chain: list[Token] = []
    cur = trigger
    if not nominal:
        chain.append(cur)
    for _ in range(10):
        head = cur.head
        if head == cur or cur.dep_ not in MODAL_LINKS:
            break
        if cur.dep_ == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to"
                                           for c in cur.children):
            break  # an adverbial clause of its own ("when he visits") keeps its own modality
        if cur.dep_ == "pobj" and head.dep_ == "prep":
            word = head.lower_
            if word in BEFORE_PREPS or head.head.lower_ in BEFORE_PREPS:
                return chain, "ahead of"
            if cur.pos_ in ("NOUN", "PROPN") or word in AFTER_PREPS:
                break  # "at a summit", "after talks": the noun is presupposed, not modalised
        if cur.dep_ in ("nsubj", "nsubjpass") and not nominal:
            break
        if cur.dep_ in ("dobj", "attr", "nsubjpass", "nsubj") and cur.pos_ in ("NOUN", "PROPN") \
                and head.lemma_.lower() not in light_verbs | HAPPEN_VERBS | PLANNED_HEADS \
                | HEDGE_HEADS and cur == trigger:
            break
        if head.pos_ in ("VERB", "AUX", "ADJ"):
            if head.lemma_.lower() in SPEECH and cur.dep_ not in ("xcomp",) \
                    and not performs(head, cur):
                break
            chain.append(head)
        cur = head
    return chain, None


def performs(verb: Token, obj: Token) -> bool:
    """ "will announce sanctions": a speech verb whose object is the act it performs, so
    the verb's subject is the actor and its tense the act's, not a report of it."""
    return verb.lemma_.lower() in PERFORMATIVE and obj.dep_ == "dobj" and obj.pos_ == "NOUN"


def modal_chain(trigger: Token, nominal: bool, light_verbs: frozenset[str]) -> list[Token]:
    """The verbs whose tense and modality carry the event (for dating it as well)."""
    return _modal_chain(trigger, nominal, light_verbs)[0]


def claim_status(trigger: Token, nominal: bool, subtype: str | None,
                 light_verbs: frozenset[str]) -> tuple[str, str | None]:
    """(status, cue) of the event evoked by `trigger`."""
    if subtype in SPEECH_ACTS:
        return "asserted", None
    if nominal:
        for c in trigger.children:
            if c.dep_ in ("amod", "compound", "advmod") and c.lower_ in PLANNED_ADJS:
                return "planned", c.text
            if c.dep_ in ("amod", "advmod") and c.lower_ in HEDGED_ADJS:
                return "hedged", c.text
            for g in c.children:  # "highly anticipated"
                if c.dep_ == "amod" and g.lower_ in PLANNED_ADJS:
                    return "planned", g.text
    chain, cue = _modal_chain(trigger, nominal, light_verbs)
    if cue:
        return "planned", cue
    for verb in chain:
        for c in verb.children:
            if c.dep_ == "advcl" and any(m.lower_ in CONDITIONAL_MARKS for m in c.children
                                         if m.dep_ == "mark"):
                return "hypothetical", "if"
    if chain and _future_clause(chain[0]):
        return "planned", chain[0].text
    for verb in chain:
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        words = [a.lower_ for a in auxes]
        lemma = verb.lemma_.lower()
        for adv in verb.children:
            if adv.dep_ == "advmod" and adv.lower_ in HEDGE_ADVERBS:
                return "hedged", adv.text
        if "will" in words or "shall" in words or "'ll" in words:
            return "planned", "will"
        for modal in ("could", "might", "may", "would", "can"):
            if modal in words:
                progressive = verb.tag_ in ("VBG", "VBN") or "be" in words or "have" in words
                if modal == "would":
                    return ("hypothetical", "would") if _has_condition(verb) else (
                        "planned", "would")
                if modal in ("could", "might") and not progressive:
                    return "hypothetical", modal
                if modal == "can":
                    return "hypothetical", modal
                return "hedged", modal
        if lemma == "go" and verb != trigger and verb.tag_ == "VBG" and any(
                a.lemma_ == "be" for a in auxes):
            return "planned", "going to"
        if lemma in PLANNED_HEADS and verb != trigger and (
                verb.tag_ in ("VBN", "JJ") or any(a.lemma_ == "be" for a in auxes)
                or lemma in ("plan", "intend", "aim", "seek", "prepare")):
            return "planned", verb.text
        if lemma in HEDGE_HEADS and verb != trigger and (
                lemma in ("appear", "seem", "likely") or "auxpass" in [a.dep_ for a in auxes]):
            return "hedged", verb.text
        if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            break  # a past-tense verb anchors the clause: "had sent", "arrived"
    if chain and chain[0].dep_ == "xcomp" and chain[0].head.lemma_ == "be":
        return "planned", "to"  # "talks are to be held"
    for t in sentence_of(trigger):
        if t.lower_ in ("to", "be") and t.head == trigger and t.nbor(1).lower_ == "be" \
                and t.nbor(2).lower_ in ("held", "hosted", "convened"):
            return "planned", "to be held"
    return "asserted", None


def _future_clause(verb: Token) -> bool:
    """ "when he travels to Seoul this week": a present tense in a temporal clause whose
    main clause is not past refers to what is planned."""
    if verb.dep_ != "advcl" or verb.tag_ not in ("VBZ", "VBP"):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    if not any(c.lower_ in TEMPORAL_MARKS and c.dep_ in ("advmod", "mark") for c in verb.children):
        return False
    head = verb.head
    return not (head.tag_ in ("VBD", "VBN") or any(
        c.dep_ == "aux" and c.tag_ == "VBD" for c in head.children))


def _has_condition(verb: Token) -> bool:
    root = verb
    while root.head != root and root.dep_ not in ("ccomp", "relcl"):
        root = root.head
    for t in root.subtree:
        if t.dep_ == "mark" and t.lower_ in ("if", "unless"):
            return True
    return False


# --- source --------------------------------------------------------------------------------

def governing_speech(trigger: Token) -> Token | None:
    """The speech verb whose content contains `trigger` ("X said [the North had ...]")."""
    cur = trigger
    for _ in range(12):
        head = cur.head
        if head == cur:
            break
        if head.lemma_.lower() in SPEECH and head.pos_ == "VERB" and cur.dep_ in (
                "ccomp", "xcomp", "parataxis", "dobj", "advcl") and not performs(head, cur):
            return head
        cur = head
    # "The North appears to ..., it said": the speech verb hangs off the content's root
    root = cur
    for c in root.children:
        if c.dep_ in ("parataxis", "ccomp", "advcl", "conj") and c.lemma_.lower() in SPEECH \
                and c.i > trigger.i and trigger not in c.subtree \
                and child(c, "nsubj") is not None and child(c, "ccomp") is None:
            return c
    return None


def according_to(sent: Span) -> Token | None:
    """The object of "according to X" in a sentence."""
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < sent.end and t.nbor(1).lower_ == "to":
            for c in list(t.nbor(1).children) + list(t.children):
                if c.dep_ == "pobj":
                    return c
    return None


def _speaker_ref(idx: DocIndex, subj: Token, memory: list[Ref],
                 speech: Token | None = None) -> Ref | None:
    if speech is not None and speech.i > 0 and speech.i - 1 != subj.i:
        # "..., professor at X University Jane Doe said": the name next to the verb speaks,
        # whatever the parser made the subject
        near = idx.entity_for_token(speech.doc[speech.i - 1])
        if near is not None and near.entity.type == "PERSON" and subj.i < speech.i:
            return near
    low = subj.lower_
    if low in ("it", "they"):
        for ref in reversed(memory):  # "it said": the institution that spoke last
            if ref.entity.type != "PERSON" and ref.start < subj.idx:
                return ref
    if low in ("he", "she"):
        quote = idx.quote_at(subj.idx)
        for ref in reversed(memory):
            if ref.entity.type == "PERSON" and ref.start < subj.idx and quote is None:
                return ref
    return resolve(idx, subj)


def block_speaker(idx: DocIndex, sent: Span, memory: list[Ref]) -> Ref | None:
    """Speaker of a paragraph that a line ending in "X said:" introduces."""
    text = doc_text(idx.doc)
    para_start = text.rfind("\n", 0, sent.start_char) + 1
    if para_start <= 0:
        return None
    prev_end = para_start - 1
    while prev_end > 0 and text[prev_end - 1].isspace():
        prev_end -= 1
    if prev_end <= 0 or text[prev_end - 1] != ":":
        return None
    span = idx.doc.char_span(prev_end - 1, prev_end, alignment_mode="expand")
    if span is None:
        return None
    for t in span[0].sent:
        if t.lemma_.lower() in SPEECH and t.pos_ == "VERB":
            subj = child(t, "nsubj")
            if subj is not None:
                return _speaker_ref(idx, subj, memory, t)
    return None


def claim_source(idx: DocIndex, trigger: Token, memory: list[Ref]) -> tuple[Source, Token | None]:
    """Who asserts the event at `trigger`, and the speech verb that says so (if any)."""
    speech = governing_speech(trigger)
    unnamed: tuple[int, int] | None = None
    if speech is not None:
        subj = child(speech, "nsubj", "nsubjpass")
        if subj is not None and subj.lower_ not in ("i", "we"):
            ref = _speaker_ref(idx, subj, memory, speech)
            if ref is not None:
                return _source(ref), speech
            unnamed = source_words(subj)
    acc = according_to(sentence_of(trigger))
    if acc is not None:
        ref = resolve(idx, acc)
        if ref is not None:
            return _source(ref), None
        unnamed = unnamed or source_words(acc)
    quote = idx.quote_at(trigger.idx)
    if quote is not None and quote.speaker:
        ent = idx.entity_named(quote.speaker)
        if ent is not None:
            return Source(ent.name, ent.key, False, ent.type), speech
        return Source(quote.speaker, quote.speaker_key, False, None), speech
    ref = block_speaker(idx, sentence_of(trigger), memory)
    if ref is not None:
        return _source(ref), None
    announced = idx.announced_at(trigger.idx)  # "X made public the following statement:"
    if announced is not None:
        ent = idx.entity_named(announced.speaker)
        if ent is not None:
            return Source(ent.name, ent.key, False, ent.type), None
    outlet = idx.doc._.sl_outlet
    return Source(outlet, None, True, None, words=unnamed), None


def _source(ref: Ref) -> Source:
    return Source(ref.entity.name, ref.entity.key, False, ref.entity.type)


# --- time ----------------------------------------------------------------------------------

def _path_up(tok: Token, stop: Token) -> list[Token] | None:
    """Tokens from `tok` up to `stop` (exclusive), or None if `stop` is not an ancestor."""
    path: list[Token] = []
    cur = tok
    for _ in range(30):
        if cur == stop:
            return path
        if cur.head == cur:
            return None
        path.append(cur)
        cur = cur.head
    return None


def clause_ancestors(trigger: Token, own_subject: bool = False) -> list[Token]:
    """The trigger's ancestors up to the head of its clause (a reported clause, a relative
    clause, an adverbial clause with its own subject or marker, or the root). With
    `own_subject`, a clause modifying a noun with a subject of its own ends there too ("a
    figure that X called a lie": X's statement is not dated by the sentence around it)."""
    out: list[Token] = []
    cur = trigger
    for _ in range(15):
        if cur.head == cur or _boundary(cur) or own_subject and cur.dep_ == "acl" and any(
                c.dep_ == "nsubj" for c in cur.children):
            break
        cur = cur.head
        out.append(cur)
    return out


def _boundary(tok: Token) -> bool:
    if tok.dep_ in ("ccomp", "relcl", "parataxis", "ROOT"):
        return True
    return tok.dep_ == "advcl" and any(c.dep_ in ("nsubj", "nsubjpass", "mark") or (
        c.dep_ == "advmod" and c.lower_ in TEMPORAL_MARKS | {"where"}) for c in tok.children)


def event_time(idx: DocIndex, trigger: Token, speech: Token | None, speech_act: bool,
               anchors: list[Token]) -> tuple[object, str | None]:
    """(value, text) of the time that dates the event: one inside the trigger's phrase, else
    one on the clause that carries it; never the date of the report ("said last week")
    unless the event is the statement itself. "since/following X" -> [X, publication month].
    """
    sent = sentence_of(trigger)
    text = doc_text(idx.doc)
    line_start = text.rfind("\n", 0, trigger.idx) + 1
    line_end = text.find("\n", trigger.idx)
    line_end = len(text) if line_end < 0 else line_end
    times = [t for t in idx.times if max(sent.start_char, line_start) <= t.start
             < min(sent.end_char, line_end)]
    if not times:
        return None, None
    own = clause_ancestors(trigger, own_subject=speech_act)
    ups = own + [a for a in anchors if a not in own]
    scored = []
    for tm in times:
        span = idx.doc.char_span(tm.start, tm.end, alignment_mode="expand")
        if span is None or span.start <= trigger.i < span.end:
            continue
        root = span.root
        on_speech = speech is not None and (span.start == speech.i + 1 or (
            _path_up(root, speech) is not None and _nearest_verb(root) == speech))
        path = _path_up(root, trigger)
        rank = 0
        if path is not None and any(_boundary(t) and t.pos_ in ("VERB", "AUX") for t in path):
            path = None  # inside a clause of its own ("since Yoon took office in May 2022")
        if path is None and trigger.pos_ in ("NOUN", "PROPN") and span.start >= 2 and (
                idx.doc[span.start - 1].dep_ == "prep" and
                idx.doc[span.start - 2].i == trigger.right_edge.i):
            path = [root, idx.doc[span.start - 1]]  # "a summit ... in September"
        if speech_act and on_speech:
            rank, path = 0, path or [root]
        elif on_speech:
            continue
        near = _nearest_verb(root)
        if not speech_act and near is not None and near != trigger and \
                near.lemma_.lower() in SPEECH and not performs(near, trigger):
            continue  # "X said on Monday, and Y will ...": the date of a report
        if path is None:
            rank = 1
            for a in ups:
                path = _path_up(root, a)
                if path is not None:
                    break
            if path is not None and any(_boundary(t) and t.pos_ in ("VERB", "AUX")
                                        for t in path):
                path = None
        if path is None:
            continue
        scored.append((rank, tm.value is None, tm.start, tm, path, span))
    if not scored:
        return None, None
    scored.sort(key=lambda s: s[:3])
    _, _, _, tm, path, span = scored[0]
    value = tm.value
    published = idx.doc._.sl_published
    words = {t.lower_ for t in path} | {tm.text.split()[0].lower()}
    prev = idx.doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.dep_ == "prep" and span.start >= 2:
        # "following a summit ... in September": the time closes the "following" phrase
        for t in idx.doc[span.start - 2].ancestors:
            if t.dep_ == "prep" and t.lower_ in AFTER_PREPS and t.right_edge.i == span.start - 2 \
                    and trigger not in t.subtree:
                words.add(t.lower_)
                break
    if isinstance(value, str) and published and words & AFTER_PREPS:
        value = [value, published[:7]] if value[:7] < published[:7] else value
    elif isinstance(value, list) and value and published and \
            tm.text.split()[0].lower() in AFTER_PREPS:
        # "since last summer" (a period): from its start to the month of publication
        start = str(value[0])
        value = [start, published[:7]] if start[:7] < published[:7] else value
    return value, tm.text


def _nearest_verb(tok: Token) -> Token | None:
    cur = tok
    for _ in range(12):
        if cur.head == cur:
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None
