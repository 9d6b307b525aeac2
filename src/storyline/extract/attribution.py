"""Who says it: speech cues, the subject of a cue, and the speaker it names.

Used by `quotes.py`. A cue is a speech (or stance) verb ("said", "told", "added",
"deemed", "vowing") or the preposition "according to"; these words, and the nouns and
pronouns below, come from the language pack (`lang/<code>/speech_words.json`). Its subject becomes a `Speaker`:
the canonical entity from `storyline_entities` where one is found, a pronoun resolved to the
last speaker of a matching kind, an institution's own noun phrase ("the interior ministry"),
or nothing (generic "analysts", "some experts" stay unattributed: never guess; their
words as written, `source_phrase`, go on the quote as `source_text`, never as a speaker).
A participle cue speaks for the verb it hangs on, through a preposition ("responded by
saying", "stopped short of calling"); "X was quoted as saying" speaks for X.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..lang import get_pack


@dataclass(frozen=True)
class SpeechWords:
    """The words of one language that attribution reads (`lang/<code>/speech_words.json`)."""

    quote_cues: frozenset[str]
    naming: frozenset[str]
    modals: frozenset[str]
    negations: frozenset[str]
    according_to: tuple[str, str]
    relative_pronouns: frozenset[str]
    role_nouns: frozenset[str]
    institution_nouns: frozenset[str]
    document_nouns: frozenset[str]
    announcing_words: frozenset[str]
    person_pronouns: frozenset[str]
    person_possessives: frozenset[str]
    thing_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    body_words: dict[str, frozenset[str]]
    idiom_cues: dict[str, frozenset[str]]
    issuing_prepositions: frozenset[str]
    role_prepositions: frozenset[str]
    definite_determiners: frozenset[str]
    content_prepositions: frozenset[str]
    title_small_words: frozenset[str]
    citing_verbs: frozenset[str]
    author_prepositions: frozenset[str]
    maker_prepositions: frozenset[str]
    issuing_verbs: frozenset[str]
    speaker_object_prepositions: frozenset[str]
    claim_verbs: frozenset[str]
    subordinators: frozenset[str]
    member_determiners: frozenset[str]
    cue_forms: dict[str, str] = field(default_factory=dict)  # irregular form -> cue (linker)


@functools.lru_cache(maxsize=32)
def speech_words(code: str | None) -> SpeechWords:
    """The attribution words of a language pack (empty where the pack has none); the quote
    cues are the hand-kept ones and those learned from PolNeAR train (`attribution_cues`)."""
    pack = get_pack(code or "en")
    data = dict(pack.data("speech_words") or {})
    learned = (pack.data("attribution_cues") or {}).get("quote_cues", {})
    data["quote_cues"] = list(data.get("quote_cues", [])) + list(learned)
    kw: dict[str, Any] = {}
    for f in fields(SpeechWords):
        value = data.get(f.name, [])
        if f.name == "body_words":
            kw[f.name] = {k: frozenset(v) | {k} for k, v in dict(value or {}).items()}
        elif f.name == "idiom_cues":
            kw[f.name] = {k.lower(): frozenset(w.lower() for w in v)
                          for k, v in dict(value or {}).items()}
        elif f.name == "cue_forms":
            kw[f.name] = {str(k).lower(): str(v).lower() for k, v in dict(value or {}).items()}
        elif f.name == "according_to":
            kw[f.name] = tuple(value) if len(value) == 2 else ("", "")
        else:
            kw[f.name] = frozenset(str(w).lower() for w in value)
    return SpeechWords(**kw)


_LAST: list[Any] = [None, None]  # the last Doc asked about and its words


def words_of(doc: Doc) -> SpeechWords:
    """The attribution words for a document's language (English by default). The extension
    lookup costs more than the rest, and one Doc asks thousands of times: the last answer
    is kept."""
    if _LAST[0] is not doc:
        _LAST[0], _LAST[1] = doc, speech_words(getattr(doc._, "sl_language", None) or "en")
    return _LAST[1]


# Entity types that count as "an institution or place" for `it` / `they`.
NON_PERSON_TYPES = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})


@dataclass
class Speaker:
    """A resolved speaker: canonical name, entity key, mention span, entity type."""

    name: str
    key: str | None
    start: int
    end: int
    kind: str | None  # PERSON, ORG, GPE, ... ; None when only a noun phrase is known
    role: str | None = None  # "spokesman" when one person spoke for the body named
    plural: bool = False  # the subject that named it was plural ("McConnell aides")


# --- the entities adapter: use storyline_entities when present, else spaCy's own ents -----

def _entities_module() -> Any | None:
    try:
        from . import entities  # type: ignore[attr-defined]
    except ImportError:  # entities.py not written yet, or broken: fall back to doc.ents
        return None
    return entities


def _from_entity(ent: Any, start: int, end: int) -> Speaker:
    return Speaker(name=ent.name, key=ent.key, start=start, end=end, kind=ent.type)


def _has_entities(doc: Doc) -> bool:
    return doc._.sl_entities is not None and _entities_module() is not None


def entity_speaker_for_token(doc: Doc, token: Token) -> Speaker | None:
    """The entity a token belongs to, as a Speaker (canonical when entities ran).

    Only a mention covering the token counts: "agency" in "Brazil's tax agency" is
    not Brazil (the callers look at modifiers and appositions themselves)."""
    if _has_entities(doc):
        fn = getattr(_entities_module(), "entity_at", None)
        if fn is not None:
            try:
                ent = fn(doc, token.idx, token.idx + len(token))
            except (AttributeError, IndexError, KeyError, TypeError, ValueError):
                # a bug over there must not lose the quote here
                ent = None
            if ent is not None:
                span = _ent_span_of(doc, token)
                s, e = (span.start_char, span.end_char) if span is not None else (
                    token.idx, token.idx + len(token))
                return _from_entity(ent, s, e)
            return None
    span = _ent_span_of(doc, token)
    if span is None:
        return None
    return Speaker(name=span.text, key=None, start=span.start_char, end=span.end_char,
                   kind=span.label_)


def _ent_span_of(doc: Doc, token: Token) -> Span | None:
    """The NER span holding the token, read from the IOB tags around it (`doc.ents` would
    build every span of the document)."""
    if not token.ent_type:
        return None  # outside every entity span
    s, e = token.i, token.i + 1
    while s > 0 and doc[s].ent_iob_ == "I" and doc[s - 1].ent_type == token.ent_type:
        s -= 1
    while e < len(doc) and doc[e].ent_iob_ == "I" and doc[e].ent_type == token.ent_type:
        e += 1
    return Span(doc, s, e, label=token.ent_type)


def resolve_phrase(doc: Doc, text: str, start: int, end: int) -> Speaker | None:
    """An entity for a noun phrase's text ("Canada's health ministry"), if known.

    Only the entities stage's own reading of the whole phrase counts: an entity merely
    overlapping it ("Brazil" in "Brazil's tax agency") is not what it names."""
    if not _has_entities(doc):
        return None
    fn = getattr(_entities_module(), "resolve_text", None)
    if fn is None:
        return None
    try:
        ent = fn(doc, text)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        # a bug over there must not lose the quote here
        ent = None
    return _from_entity(ent, start, end) if ent is not None else None


def doc_entities(doc: Doc) -> list[tuple[int, int, str, str | None, str]]:
    """Every entity mention as (start, end, name, key, type), in text order."""
    out: list[tuple[int, int, str, str | None, str]] = []
    if _has_entities(doc):
        for ent in doc._.sl_entities:
            for m in ent.mentions:
                out.append((m.start, m.end, ent.name, ent.key, ent.type))
    else:
        for span in doc.ents:
            out.append((span.start_char, span.end_char, span.text, None, span.label_))
    out.sort()
    return out


# --- cues ----------------------------------------------------------------------------------

def is_according(tok: Token) -> bool:
    """`according` in "according to X"."""
    first, second = words_of(tok.doc).according_to
    if tok.lower_ != first or tok.i + 1 >= len(tok.doc):
        return False
    return tok.nbor(1).lower_ == second


def is_cue(tok: Token) -> bool:
    """A speech verb (or "according to") that can introduce what someone says; a verb of
    an idiom counts with its object ("as X put it, ...")."""
    if is_according(tok):
        return True
    if tok.pos_ != "VERB":
        return False
    words = words_of(tok.doc)
    lemma = tok.lemma_.lower()
    if lemma in words.quote_cues:
        return True
    objects = words.idiom_cues.get(lemma)
    return objects is not None and any(
        c.dep_ == "dobj" and c.lower_ in objects for c in tok.children)


def cue_text(tok: Token) -> str:
    return "according to" if is_according(tok) else tok.text


def is_actual(cue: Token) -> bool:
    """A speech act that took place: not "would repeat", "to discuss", "will say"."""
    if is_according(cue):
        return True
    modals = words_of(cue.doc).modals
    return not any(c.dep_ in ("aux", "auxpass") and c.lower_ in modals for c in cue.children)


def by_agent(cue: Token) -> Token | None:
    """The agent of a passive cue: "the move was first reported by MSNBC" -> MSNBC (its
    grammatical subject is what was reported, not who reported it)."""
    if not any(c.dep_ == "nsubjpass" for c in cue.children):
        return None
    for c in cue.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def cited_source(cue: Token) -> Token | None:
    """The original source a cue relays, following the citation: "Yonhap reported, citing a
    report by the Defense Intelligence Agency" -> Agency; "according to a Defense
    Intelligence Agency report cited by Yonhap" -> Agency; None when the cue cites nothing
    (then its own subject is the source)."""
    words = words_of(cue.doc)
    start = None
    if is_according(cue):
        start = cue_subject(cue)
    else:
        for c in cue.children:
            if c.dep_ in ("advcl", "xcomp", "conj", "prep") and c.tag_ == "VBG" \
                    and c.lemma_.lower() in words.citing_verbs:
                start = next((g for g in c.children if g.dep_ == "dobj"), None)
                break
    if start is None:
        return None
    author = document_author(start)
    if author.i != start.i:
        return author
    # "citing a report", "citing Yonhap": a text or a name; "citing her work" cites nobody
    cites = start.lemma_.lower() in words.document_nouns or bool(start.ent_type_) \
        or start.pos_ == "PROPN"
    return start if cites and not is_according(cue) else None


def document_author(tok: Token) -> Token:
    """Who wrote a document noun ("a report by X", "X's statement", "an X report"), else
    the token itself."""
    words = words_of(tok.doc)
    for _ in range(3):
        if tok.lemma_.lower() not in words.document_nouns:
            return tok
        nxt = None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in words.author_prepositions:
                nxt = next((g for g in c.children if g.dep_ == "pobj"), None) or nxt
            elif c.dep_ in ("compound", "poss") and c.i < tok.i and (
                    c.ent_type_ or c.pos_ == "PROPN"):
                nxt = nxt or c
        if nxt is None:
            return tok
        tok = nxt
    return tok


def relative_subject(cue: Token) -> Token | None:
    """The relative pronoun a cue has for subject ("Smith, who said ..."), if any: the
    mention that names the speaker there, as a pronoun does."""
    if cue.dep_ != "relcl":
        return None
    rel = words_of(cue.doc).relative_pronouns
    return next((c for c in cue.children if c.dep_ in SUBJECT_DEPS and c.lower_ in rel), None)


def cue_subject(cue: Token) -> Token | None:
    """The grammatical subject of a cue, climbing through participles ("..., adding ...")."""
    if is_according(cue):
        to = cue.nbor(1)
        for c in list(to.children) + list(cue.children):
            if c.dep_ == "pobj":
                return c
        return to.nbor(1) if to.i + 1 < len(cue.doc) else None
    if any(c.dep_ == "nsubjpass" for c in cue.children):
        # "the plan was reported by X": X; "the council is expected to": nobody named;
        # "X was quoted (by Y) as saying": X, whom the speech participle speaks for
        if _reports_speech(cue):
            return next(c for c in cue.children if c.dep_ == "nsubjpass")
        return by_agent(cue)
    before = cue.doc[cue.i - 1] if cue.i > 0 else None
    if cue.tag_ == "VBG" and before is not None and before.ent_type_ == "PERSON" \
            and before.dep_ in ("pobj", "dobj") and not any(
                c.dep_ in SUBJECT_DEPS for c in cue.children):
        # "footage of Jane Roe asking, ...": the person the participle follows asks,
        # wherever the parser hung it
        return before
    named = _object_of_governing_verb(cue)
    if named is not None:
        return named
    agent = _participle_agent(cue) or _stranded_subject(cue)
    if agent is not None:
        return agent
    verb = cue
    for step in range(4):
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        # a mis-split name gives two subjects ("Director ... Jane Roe said"): the one
        # next to the verb is the name
        left = [c for c in subjects if c.i < verb.i]
        subj = left[-1] if left else (subjects[0] if subjects else None)
        if subj is not None:
            from .arguments import past_dateline

            subj = past_dateline(subj)
        if subj is not None and (verb.i == cue.i or is_actual(verb) or not _reported(verb)):
            # (a modal verb's own subject too, "they could not resist pointing out", unless
            # the verb is itself reported: "X said the country would leave ... and
            # suggested that ..." is X's)
            if subj.lower_ in words_of(cue.doc).relative_pronouns and verb.dep_ == "relcl":
                return verb.head  # "Oslo, which estimates that ...": the antecedent
            return subj
        # "..., adding that", "vowing to push": the subject is the governing verb's
        if verb.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp", "ccomp") and \
                verb.head.i != verb.i and (subj is None or not is_actual(verb)):
            verb = _through_preposition(_event_noun_host(verb))
            words = words_of(cue.doc)
            if verb.pos_ == "NOUN" and verb.dep_ == "dobj" \
                    and verb.lemma_.lower() in words.document_nouns \
                    and verb.head.lemma_.lower() in words.issuing_verbs:
                # "she issued a statement saying ...", "X sent an email saying ...": whoever
                # issued the document says it (not "X received a letter saying ...")
                verb = verb.head
            if step == 0 and cue.tag_ == "VBG" and verb.dep_ == "ccomp" and is_cue(verb.head):
                # "X said that its action is ..., declaring that ...": the participle
                # goes with the report, not with the clause reported
                verb = verb.head
            continue
        break
    return _left_name(cue)


def _event_noun_host(verb: Token) -> Token:
    """What a participle's clause hangs on, past the noun of an occasion in a cue's
    preposition: "she said at a news conference announcing that ..." -> said (whoever
    spoke at it announced); any other head as it is."""
    noun = verb.head
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and noun.dep_ == "pobj" \
            and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB" \
            and is_cue(noun.head.head):
        return noun.head.head
    return noun


def _reported(verb: Token) -> bool:
    """A verb inside what a cue above it reports ("X said the country would leave")."""
    tok = verb
    for _ in range(6):
        if tok.head.i == tok.i:
            return False
        if tok.dep_ == "ccomp" and is_cue(tok.head):
            return True
        tok = tok.head
    return False


def _stranded_subject(cue: Token) -> Token | None:
    """The subject of a finite cue the parser left without one, taking it for the object
    of the subordinating word before it ("as China and Russia support the government":
    China; `subordinators` in the pack)."""
    if cue.tag_ not in ("VBD", "VBP", "VBZ") or cue.i == 0 \
            or any(c.dep_ in SUBJECT_DEPS for c in cue.children):
        return None
    tok = cue.doc[cue.i - 1]
    if tok.pos_ not in ("PROPN", "NOUN"):
        return None
    while tok.dep_ in ("conj", "compound", "flat") and tok.head.i < tok.i:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ in words_of(cue.doc).subordinators:
        return tok
    return None


def _participle_agent(cue: Token) -> Token | None:
    """The agent of a passive participle cue with no subject of its own: "When pressed by
    Holt about ..." -> Holt (the main clause's subject was pressed, and did not press)."""
    if cue.tag_ != "VBN" or any(c.dep_ in SUBJECT_DEPS for c in cue.children):
        return None
    for c in cue.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _object_of_governing_verb(cue: Token) -> Token | None:
    """Whom a verb names as speaking through a preposition's participle: "It quoted
    President Khamenei as saying" -> Khamenei; "X accused Y of saying" -> Y. Only a name or
    a pronoun: "began the speech by saying" is the subject's own speech."""
    prep = cue.head
    words = words_of(cue.doc)
    if cue.tag_ != "VBG" or cue.dep_ != "pcomp" or prep.dep_ != "prep" or prep.head.i == prep.i \
            or prep.lower_ not in words.speaker_object_prepositions \
            or cue.lemma_.lower() not in words.quote_cues:
        return None  # (a speech verb: "chastised X for refusing" is no word of X's)
    obj = next((c for c in prep.head.children if c.dep_ == "dobj" and c.i < prep.i), None)
    if obj is None:
        return None
    if obj.pos_ == "PRON":  # "him", "them"; not "himself", whose verb's subject speaks
        pronouns = words.person_pronouns | words.plural_pronouns | words.thing_pronouns
        return obj if obj.lower_ in pronouns else None
    return obj if obj.ent_type_ in NON_PERSON_TYPES | {"PERSON"} or obj.pos_ == "PROPN" \
        else None


def _reports_speech(cue: Token) -> bool:
    """A passive cue whose preposition takes a speech participle ("was quoted as saying",
    "was heard saying"): its grammatical subject is the one who spoke."""
    return any(c.dep_ in ("prep", "advcl", "xcomp") and (
        (c.tag_ == "VBG" and is_cue(c)) or any(
            g.dep_ == "pcomp" and g.tag_ == "VBG" and is_cue(g) for g in c.children))
        for c in cue.children)


def _through_preposition(tok: Token) -> Token:
    """The verb a participle's preposition hangs on: "responded by saying", "sings before
    asking", "stopped short of calling" (the preposition, and an adverb it modifies, have
    no subject of their own)."""
    if tok.dep_ == "prep" and tok.pos_ == "ADP" and tok.head.i != tok.i:
        tok = tok.head
        if tok.dep_ == "advmod" and tok.pos_ in ("ADV", "ADJ") and tok.head.i != tok.i:
            tok = tok.head
    return tok


def _left_name(cue: Token) -> Token | None:
    """The noun right before a cue the parser gave no subject ("Under Secretary Jane Roe
    said", parsed as a prepositional phrase; "In Oslo, a spokesman for the ministry said")."""
    if cue.dep_ not in ("ROOT", "ccomp", "parataxis", "conj") or any(
            c.dep_ in ("aux", "auxpass") and c.lower_ in words_of(cue.doc).modals
            for c in cue.children):
        return None
    i = cue.i - 1
    while i >= cue.sent.start and cue.doc[i].pos_ in ("ADV", "AUX", "PART") \
            and cue.doc[i].lower_ not in words_of(cue.doc).negations:
        i -= 1
    if i < cue.sent.start:
        return None
    tok = cue.doc[i]
    return tok if tok.pos_ in ("PROPN", "NOUN") and tok.dep_ not in ("dobj", "attr") else None


# --- speaker memory (pronouns, nominal references) --------------------------------------

class SpeakerMemory:
    """The speakers found so far in a document, in text order, for pronouns."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.items: list[tuple[int, Speaker]] = []
        self.issued: list[tuple[int, str, Speaker]] = []  # "X said in a statement"

    def note_document(self, cue: Token, speaker: Speaker | None) -> None:
        """Remember who spoke "in a statement" (or a report, a letter), so that a later
        "the statement said" is theirs."""
        if speaker is None or is_according(cue):
            return
        words = words_of(cue.doc)
        for prep in cue.children:
            if prep.dep_ == "prep" and prep.lower_ in words.issuing_prepositions:
                for obj in prep.children:
                    if obj.dep_ == "pobj" and obj.lemma_.lower() in words.document_nouns:
                        self.issued.append((cue.idx, obj.lemma_.lower(), speaker))

    def issuer(self, noun: str, before: int, window: int = 1500) -> Speaker | None:
        """Who issued the last document of this kind ("statement") before `before`."""
        for pos, lemma, spk in reversed(self.issued):
            if pos < before and before - pos <= window and lemma == noun:
                return spk
        return None

    def add(self, pos: int, speaker: Speaker | None) -> None:
        if speaker is not None:
            self.items.append((pos, speaker))

    def last(self, before: int, kinds: frozenset[str] | None, window: int = 2500,
             person: bool | None = None) -> Speaker | None:
        """The most recent speaker before `before` (chars), of a matching kind."""
        for pos, spk in reversed(self.items):
            if pos >= before:
                continue
            if before - pos > window:
                break
            if person is True and spk.kind != "PERSON":
                continue
            if person is False and spk.kind == "PERSON":
                continue
            if kinds is not None and spk.kind not in kinds:
                continue
            return spk
        return None


    def last_person(self, before: int, window: int = 2500) -> Speaker | None:
        """The most recent speaker "he" or "she" can stand for: a person, else the body one
        person spoke for ("a spokesman for the ministry said ... he said": the ministry;
        a named person nearby goes first, "a senior official" being a side voice)."""
        recent = [spk for pos, spk in self.items if pos < before and before - pos <= window]
        return next((s for s in reversed(recent) if s.kind == "PERSON"), None) or next(
            (s for s in reversed(recent) if s.role is not None and not s.plural), None)

    def last_role(self, role: str, before: int, window: int = 2500) -> Speaker | None:
        """The body the last speaker of this role spoke for ("the spokesman said")."""
        for pos, spk in reversed(self.items):
            if pos < before and before - pos <= window and spk.role == role:
                return spk
        return None

    def last_group(self, before: int, window: int = 800) -> Speaker | None:
        """The most recent speaker that "they" can stand for: a body or place, or a plural
        mention ("Democrats said ... They noted"; "Mr. Grassley and Mr. Leahy say ...
        they say", the first of whom is the speaker)."""
        for pos, spk in reversed(self.items):
            if pos >= before:
                continue
            if before - pos > window:
                break
            if spk.kind in NON_PERSON_TYPES or spk.plural or _plural_mention(self.doc, spk):
                return spk
        return None


def _for_body(body: Speaker, subj: Token) -> Speaker:
    """The body a role noun's speaker speaks for, remembering the role ("a spokesman for the
    ministry": "he" and "the spokesman" later are the ministry's; "U.S. officials": "the
    official" and "one official" later are the United States', but "he" is none of them)."""
    words = words_of(subj.doc)
    lemma = subj.lemma_.lower()
    person = lemma not in words.institution_nouns and lemma not in words.document_nouns
    # (several of them are no "he", but "the official" later is one of them)
    return replace(body, role=lemma if person and subj.tag_ in ("NN", "NNS") else None,
                   plural=subj.tag_ == "NNS")


def _plural_mention(doc: Doc, spk: Speaker) -> bool:
    """A speaker's mention is plural: its head noun is ("Democrats") or it is coordinated
    with another ("Mr. Grassley and Mr. Leahy")."""
    span = doc.char_span(spk.start, spk.end, alignment_mode="expand")
    if span is None:
        return False
    head = span.root
    return head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)


def _subject_since(doc: Doc, pron: Token, last: Speaker | None) -> Speaker | None:
    """ "X reacted by saying ... Mr Blair has been closer to Bush than anyone. He said ...":
    a person who is the subject of the sentence before the pronoun's, named after the last
    speaker, is whom the pronoun continues with (the last speaker is no longer the topic).
    Only the subject of that sentence's main clause, one person, for a pronoun that opens
    its sentence."""
    sent = pron.sent
    if sent.start == 0 or pron.i - sent.start > 3:
        return None  # (a pronoun deep in its sentence has nearer candidates)
    prev = doc[sent.start - 1].sent
    root = prev.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or any(c.dep_ == "conj" for c in subj.children):
        return None
    person = next((Speaker(name=name, key=key, start=s, end=e, kind=typ)
                   for s, e, name, key, typ in doc_entities(doc)
                   if typ == "PERSON" and s <= subj.idx < e), None)
    if person is None or last is None:
        return person
    if (last.key or last.name) == (person.key or person.name) or last.start >= person.start:
        return None  # the same person, or one who spoke after the subject was named
    return person


def _last_person_mention(doc: Doc, before: int, window: int = 400) -> Speaker | None:
    """The nearest PERSON mention before `before` when no speaker is known yet."""
    return _last_mention(doc, before, frozenset({"PERSON"}), window)


def _last_mention(doc: Doc, before: int, kinds: frozenset[str],
                  window: int = 400) -> Speaker | None:
    """The nearest mention of an entity of these kinds before `before` ("the Education
    Department ... It said": an organisation for `it`)."""
    best = None
    for s, e, name, key, typ in doc_entities(doc):
        if typ in kinds and e <= before and before - e <= window:
            best = Speaker(name=name, key=key, start=s, end=e, kind=typ)
    return best


def _nominal_reference(doc: Doc, head: Token, before: int, window: int = 1200) -> Speaker | None:
    """A bare institution noun ("the group", "the ministry", "the agency") -> the ORG it
    refers back to: the latest ORG whose name has the noun or a word for that kind of body
    ("the agency" after "the National Intelligence Service"), or which an apposition calls
    that."""
    noun = head.lemma_.lower()
    words = words_of(doc).body_words.get(noun, frozenset()) | {noun}
    mentions = [m for m in doc_entities(doc) if m[1] <= before and before - m[1] <= window
                and m[4] in ("ORG", "NORP")]
    for s, e, name, key, typ in reversed(mentions):
        if words & set(name.lower().replace("(", " ").replace(")", " ").split()):
            return Speaker(name=name, key=key, start=s, end=e, kind=typ)
    for s, e, name, key, typ in reversed(mentions):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or span.end >= len(doc) or doc[span.end].text != ",":
            continue
        # "X, a group formed by ...": the apposition right after the name says what X is
        # (read off the tokens: the parser often hangs such appositions elsewhere)
        for tok in doc[span.end + 1: min(len(doc), span.end + 6)]:
            if tok.lemma_.lower() == noun and tok.pos_ == "NOUN":
                return Speaker(name=name, key=key, start=s, end=e, kind=typ)
            if tok.pos_ in ("VERB", "AUX") or tok.is_punct:
                break
    return None


# --- from a subject token to a speaker ----------------------------------------------------

def _np_span(head: Token) -> Span:
    """The core noun phrase: the head with its left modifiers and `of`-phrases."""
    keep = [head]
    for c in head.children:
        left_mod = c.i < head.i and c.dep_ in ("compound", "poss", "amod", "nmod", "nummod",
                                               "det", "case")
        if left_mod or (c.i > head.i and c.dep_ == "prep" and c.lower_ == "of"):
            keep.extend(c.subtree)
    toks = sorted(keep, key=lambda t: t.i)
    while toks and toks[0].dep_ == "det":
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    doc = head.doc
    return doc[toks[0].i: toks[-1].i + 1] if toks else doc[head.i: head.i + 1]


def _persons_in(tokens: list[Token], doc: Doc) -> list[Speaker]:
    out = []
    for tok in tokens:
        spk = entity_speaker_for_token(doc, tok)
        if spk is not None and spk.kind == "PERSON" and spk not in out:
            out.append(spk)
    return out


# Clauses hanging on a subject: a name inside them is not the subject's ("Trump, appearing
# after Clinton, cited ...": the parser may hang the participle on the noun as advcl).
_CLAUSES = ("relcl", "acl", "advcl")


def _outside_clauses(head: Token) -> list[Token]:
    """The subject's tokens without relative clauses and prepositional attachments."""
    out = []

    def walk(t: Token) -> None:
        out.append(t)
        for c in t.children:
            if c.dep_ in _CLAUSES + ("prep", "punct", "cc"):
                continue
            walk(c)

    walk(head)
    return sorted(out, key=lambda t: t.i)


def _path(tok: Token, top: Token) -> list[Token]:
    """Tokens from `tok` up to (not including) `top`."""
    out = []
    while tok.i != top.i and tok.head.i != tok.i:
        out.append(tok)
        tok = tok.head
    return out


def speaker_from_subject(doc: Doc, subj: Token, memory: SpeakerMemory) -> Speaker | None:
    """Resolve the subject of a cue to a speaker; None when it names nobody in particular."""
    low = subj.lower_
    pos = subj.idx
    words = words_of(doc)
    if subj.pos_ == "PRON":
        if low in words.person_pronouns:
            last = memory.last_person(pos)
            return _subject_since(doc, subj, last) or last or _last_person_mention(
                doc, pos) or _governing_subject(doc, subj, memory, plural=False)
        if low in words.thing_pronouns:
            return memory.last(pos, NON_PERSON_TYPES, person=False) or \
                _last_mention(doc, pos, frozenset({"ORG"}))
        if low in words.plural_pronouns:
            return memory.last_group(pos, window=800) or \
                _governing_subject(doc, subj, memory, plural=True)
        return None  # I, we, you, who: nobody we can name outside the quote
    core = _outside_clauses(subj)
    # A named person in the subject wins: "State Department spokesperson Jane Roe",
    # "Jane Roe, a professor at X", "professor of history John Doe".
    head_ent = entity_speaker_for_token(doc, subj)
    if head_ent is not None and head_ent.kind == "PERSON":
        return head_ent
    persons = _persons_in(core, doc) or _persons_in(
        sorted((t for t in subj.subtree if not any(
            a.dep_ in _CLAUSES and a.i != subj.i for a in _path(t, subj))),
            key=lambda t: t.i), doc)
    if persons:
        return persons[0]
    if head_ent is not None:
        return head_ent  # "Ottawa", "the FBI", "the Home Office"
    # "Brazil's tax agency, the Federal Revenue Service": the apposition
    for c in subj.children:
        if c.dep_ == "appos" and not (c.i > 0 and doc[c.i - 1].text == "("):
            # (an abbreviation in brackets glosses whatever name it follows)
            for t in c.subtree:
                ent = entity_speaker_for_token(doc, t)
                if ent is not None and ent.kind in NON_PERSON_TYPES | {"PERSON"}:
                    return ent
    head_lemma = subj.lemma_.lower()
    np = _np_span(subj)
    has_modifier = any(t.i != subj.i for t in np)
    # what the entities stage can make of the phrase: a surname it did not tag ("Smith
    # says"), a descriptor of someone it knows ("the Republican nominee")
    known = resolve_phrase(doc, np.text, np.start_char, np.end_char)
    if known is not None:
        return known
    if head_lemma in words.institution_nouns or subj.lower_ in words.institution_nouns:
        # (the phrase itself was resolved just above, to nothing)
        if has_modifier and any(t.pos_ == "PROPN" or t.ent_type_ for t in np if t.i != subj.i):
            # "Canada's health ministry": the phrase itself names the body
            return Speaker(name=np.text, key=None, start=np.start_char,
                           end=np.end_char, kind="ORG")
        ref = _nominal_reference(doc, subj, pos)
        if ref is not None:
            return Speaker(name=ref.name, key=ref.key, start=subj.idx,
                           end=subj.idx + len(subj), kind=ref.kind)
    if head_lemma in words.role_nouns and subj.tag_ == "NN" and any(
            c.dep_ in ("det", "nummod") and c.lower_ in words.definite_determiners
            | words.member_determiners for c in subj.children):
        # "The spokesman said" after "a spokesman for the ministry told ...": the ministry;
        # "the official said", "one official said" after "U.S. defense officials said"
        earlier = memory.last_role(head_lemma, pos)
        if earlier is not None:
            return Speaker(earlier.name, earlier.key, subj.idx, subj.idx + len(subj),
                           earlier.kind, earlier.role)
    if head_lemma in words.role_nouns or subj.lower_ in words.role_nouns:
        poss = next((c for c in subj.children if c.dep_ == "poss" and c.pos_ == "PRON"
                     and c.lower_ in words.person_possessives), None)
        if poss is not None:
            # "his aides said": the person the possessive stands for, as "he" would
            whose = memory.last_person(poss.idx) or _last_person_mention(doc, poss.idx)
            if whose is not None and whose.kind == "PERSON":
                return replace(whose, start=poss.idx, end=poss.idx + len(poss), role=None,
                               plural=is_plural(subj))
        # "a Kremlin spokesman", "U.S. officials", "a spokeswoman for the ministry"
        for c in subj.children:
            if c.dep_ in ("compound", "poss", "amod", "nmod") or (
                    c.dep_ == "prep" and c.lower_ in words.role_prepositions):
                # the head of the phrase first: "a spokesman for the Ruritanian foreign
                # ministry" speaks for the ministry, not for the country that modifies it
                for t in _heads_first(c):
                    if t.dep_ == "npadvmod":
                        continue  # a dateline the parser hung there ("BRUSSELS - ...")
                    ent = entity_speaker_for_token(doc, t)
                    if ent is not None and ent.kind in NON_PERSON_TYPES:
                        return _for_body(ent, subj)
        # "a Central Water Board official": the body named, though untagged
        names = [c for c in subj.children if c.dep_ in ("compound", "poss") and c.pos_ == "PROPN"]
        if names:
            span = doc[min(t.i for c in names for t in c.subtree):
                       max(t.i for c in names for t in c.subtree) + 1]
            if _is_name(span) and (len(span) > 1 or span.root.is_upper):
                # (one capitalised word is no name by itself: "World leaders")
                return Speaker(name=span.text, key=None, start=span.start_char,
                               end=span.end_char, kind="ORG")
    if head_lemma in words.document_nouns and subj.is_lower:
        # "A Quinnipiac University poll found", "a report released by the GAO shows": the
        # body that made it is the source (the original source, not the document)
        author = _named_author(doc, subj)
        if author is not None:
            return author
    if head_lemma in words.document_nouns and any(
            c.dep_ == "det" and c.lower_ in words.definite_determiners for c in subj.children):
        # "The statement described ...": the statement someone just made
        issuer = memory.issuer(head_lemma, pos) or _earlier_document(doc, subj)
        if issuer is not None:
            return Speaker(issuer.name, issuer.key, subj.idx, subj.idx + len(subj), issuer.kind)
    if _is_name(np):
        # a proper name no model tagged ("Ditto said"): the name as written, not a guess
        return Speaker(name=np.text, key=None, start=np.start_char, end=np.end_char, kind=None)
    name = _trailing_name(subj)
    if name is not None:
        # "Virginia delegate Beau Correll": the name that ends the phrase, as written
        return Speaker(name=name.text, key=None, start=name.start_char, end=name.end_char,
                       kind=None)
    singular = subj.tag_ == "NN" or (subj.tag_ == "NNP" and subj.is_lower)  # (mis-tagged)
    if singular and any(c.dep_ == "det" and c.lower_ in words.definite_determiners
                        for c in subj.children):
        # "The archbishop added" after "Archbishop Desmond Tutu": the person the title names
        titled = _titled_person(doc, subj)
        if titled is not None:
            return titled
    if singular and head_lemma not in words.document_nouns and any(
            c.dep_ == "poss" or c.lower_ == "the" for c in subj.children):
        # "the Ohio senator", "the film's narrator": one definite speaker, named as the
        # text names it (the entities stage could not say who it is)
        return Speaker(name=np.text, key=None, start=np.start_char, end=np.end_char, kind=None)
    return None


def is_plural(subj: Token) -> bool:
    """A plural subject: its head noun is ("Democrats", "aides") or it is coordinated
    ("Mr. Grassley and Mr. Leahy")."""
    return subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)


def _governing_subject(doc: Doc, pron: Token, memory: SpeakerMemory,
                       plural: bool) -> Speaker | None:
    """A pronoun subject of a clause bound to the subject of the clause that governs it,
    where the two agree in number ("Republicans called the hearing because they felt ...";
    "the senator voted no after she read ..."): the nearest subject before it, and only a
    named one (a pronoun there, or a subject naming nobody, gives nothing)."""
    verb = pron.head
    for _ in range(3):
        if verb.head.i == verb.i or verb.dep_ not in ("advcl", "ccomp", "xcomp", "conj"):
            return None
        verb = verb.head
        subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < pron.i), None)
        if subj is None:
            continue
        if subj.pos_ == "PRON" or is_plural(subj) != plural:
            return None
        spk = speaker_from_subject(doc, subj, memory)
        if spk is None or (not plural and spk.kind != "PERSON"):
            return None
        return spk
    return None


def _titled_person(doc: Doc, noun: Token, window: int = 2500) -> Speaker | None:
    """The nearest person named earlier with this noun as title ("the archbishop" after
    "Archbishop Desmond Tutu", "the foreign secretary" after "Foreign Secretary Jack Straw");
    the mention here is the noun's own. Nobody when no earlier name bears the title."""
    title = noun.lower_
    for s, e, name, key, typ in reversed(doc_entities(doc)):
        if e > noun.idx or typ != "PERSON":
            continue
        if noun.idx - e > window:
            return None
        first = doc.char_span(s, e, alignment_mode="expand")
        if first is None:
            continue
        before = [t.lower_ for t in doc[max(0, first.start - 3): first.start]]
        inside = [t.lower_ for t in first[:-1]]
        if title in before[-1:] or title in inside[:2]:
            return Speaker(name=name, key=key, start=noun.idx, end=noun.idx + len(noun),
                           kind=typ)
    return None


def _earlier_document(doc: Doc, noun: Token, window: int = 3000) -> Speaker | None:
    """Who made the document "the poll" / "the statement" refers back to: the nearest
    earlier mention of the same noun whose maker the text names ("A Bloomberg poll shows
    ... according to the poll"; "the Security Council issued a statement ... The statement
    noted"). The maker of an object is the subject of the verb that issued it ("issued",
    "released"; not "received")."""
    lemma = noun.lemma_.lower()
    for tok in reversed(doc[:noun.i]):
        if noun.idx - tok.idx > window:
            return None
        if tok.lemma_.lower() != lemma or tok.pos_ != "NOUN":
            continue
        author = _named_author(doc, tok)
        if author is None and tok.dep_ == "dobj" \
                and tok.head.lemma_.lower() in words_of(doc).issuing_verbs:
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            author = entity_speaker_for_token(doc, subj) if subj is not None else None
        if author is not None:
            return author
    return None


def _named_author(doc: Doc, noun: Token) -> Speaker | None:
    """Who made a document, where the text names them: a name before the noun ("the IMF
    report", "A Quinnipiac University poll", "the Reuters/Ipsos opinion poll") or after a
    maker's preposition, on the noun or on a participle of it ("a study by Harvard", "an
    analysis released by the Department of Veterans Affairs"). Only names count: "a study
    by researchers" has no author to name."""
    words = words_of(doc)
    found: list[Span] = []
    for c in noun.children:
        if c.i < noun.i and c.dep_ in ("compound", "poss", "nmod"):
            names = [t for t in _heads_first(c) if t.ent_type_ or t.pos_ == "PROPN"]
            if names:
                found.append(doc[min(t.i for t in names[0].subtree): names[0].i + 1])
        elif c.i > noun.i and (c.dep_ == "agent" or c.dep_ == "prep"
                               and c.lower_ in words.maker_prepositions):
            found += [_np_span(g) for g in c.children if g.dep_ == "pobj"]
        elif c.dep_ == "acl" and c.tag_ == "VBN":
            found += [_np_span(g) for a in c.children if a.dep_ == "agent"
                      for g in a.children if g.dep_ == "pobj"]
    for span in found:
        for t in _heads_first(span.root):
            ent = entity_speaker_for_token(doc, t)
            if ent is not None and ent.kind in NON_PERSON_TYPES | {"PERSON"}:
                return ent
        tagged = _ent_span_of(doc, span.root)
        while tagged is not None and len(tagged) > 1 and tagged[0].is_lower:
            # "the federal Securities and Exchange Commission"
            tagged = Span(doc, tagged.start + 1, tagged.end, label=tagged.label)
        if tagged is not None and tagged.label_ in NON_PERSON_TYPES:
            # a body the model tagged that the entities stage did not keep
            return Speaker(name=tagged.text, key=None, start=tagged.start_char,
                           end=tagged.end_char, kind=tagged.label_)
        if _is_name(span, words.title_small_words):
            return Speaker(name=span.text, key=None, start=span.start_char,
                           end=span.end_char, kind="ORG")
    return None


def source_phrase(subj: Token) -> Span | None:
    """The source as the text words it, for a subject that names nobody ("officials",
    "a senior official", "the poll", "many experts"): the noun phrase with its determiner,
    modifiers and `of`-phrase. None for a pronoun, which says nothing by itself ("they",
    "I"); a relative pronoun's cue has its antecedent for subject already (`cue_subject`)."""
    if subj.pos_ == "PRON" or subj.lower_ in words_of(subj.doc).relative_pronouns:
        return None
    np = _np_span(subj)
    doc = subj.doc
    dets = [c for c in subj.children if c.dep_ in ("det", "predet") and c.i < np.start]
    start = min([np.start] + [d.i for d in dets])
    return doc[start: np.end]


def source_words(subj: Token) -> tuple[int, int] | None:
    """The character span of `source_phrase`, or None."""
    span = source_phrase(subj)
    return (span.start_char, span.end_char) if span is not None else None


def _heads_first(top: Token) -> list[Token]:
    """The tokens of a subtree, nearest to its top first (breadth first)."""
    out, level = [], [top]
    while level:
        out.extend(level)
        level = [c for t in level for c in t.children]
    return out


def _trailing_name(head: Token) -> Span | None:
    """The run of capitalised proper nouns that ends at a subject's head, when at least two
    words long and preceded by a common noun ("delegate Beau Correll")."""
    if head.pos_ != "PROPN" or not head.is_title:
        return None
    i = head.i
    doc = head.doc
    while i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].is_title and \
            doc[i - 1].head.i == head.i and doc[i - 1].dep_ == "compound":
        i -= 1
    if head.i - i < 1 or i == 0 or doc[i - 1].pos_ != "NOUN":
        return None
    return doc[i: head.i + 1]


def _is_name(span: Span, small: frozenset[str] = frozenset()) -> bool:
    """A run of capitalised words with a proper noun in it: a name no model tagged
    ("PolitiFact" and "McAllen" are capitalised too; words in `small` may stay lower-case
    inside it: "Department of Veterans Affairs")."""
    inner = {t.i for t in span[1:-1] if t.lower_ in small} if len(span) > 2 else set()
    words = [t for t in span if t.is_alpha and t.i not in inner]
    return bool(words) and all(t.text[0].isupper() for t in words) and any(
        t.pos_ == "PROPN" for t in words)


def name_speaker(doc: Doc, start: int, end: int) -> Speaker | None:
    """A speaker named by a bare name in the text ("― Jane Roe", "ROE: ..."): its entity
    where the entities stage knows it, else the name itself."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for tok in span:
        ent = entity_speaker_for_token(doc, tok)
        if ent is not None and ent.kind == "PERSON":
            return Speaker(ent.name, ent.key, span.start_char, span.end_char, ent.kind)
    known = resolve_phrase(doc, span.text, span.start_char, span.end_char)
    if known is not None:
        return known
    words = [t for t in span if t.is_alpha]
    if not words or not all(t.is_title or t.is_upper for t in words):
        return None
    name = span.text if not span.text.isupper() else span.text.title()
    return Speaker(name=name, key=None, start=span.start_char, end=span.end_char,
                   kind="PERSON")
