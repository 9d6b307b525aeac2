"""Who, whom, what, where: event arguments read from the dependency parse.

`DocIndex` is the adapter to the other components' results: canonical entities from
`storyline_entities` (doc._.sl_entities, or spaCy's own `doc.ents` while that component is
absent), times (doc._.sl_times) and quotes (doc._.sl_quotes). The functions here turn a
noun-phrase head into the entities it names (a name, a country that modifies a collective
noun: "Seoul officials", "U.S. bomber", "North Korean troops", a pronoun's antecedent).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..records import Entity, Mention
from . import sentence_of

PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"it", "its", "they", "them", "their", "itself", "themselves"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
# the actor codes' sectors of a state's own bodies: government, military, intelligence,
# legislature ("USAMIL": the Pentagon); such a body speaks and acts for its state
STATE_SECTORS = frozenset({"GOV", "MIL", "INT", "LEG"})
_GOVERNMENT = frozenset({"GOV"})
# Nouns that act for the country or organisation that modifies them ("Seoul officials said",
# "a U.S. bomber flew", "North Korean troops were sent").
AGENT_NOUNS = frozenset([
    "official", "officials", "government", "administration", "ministry", "agency", "agencies",
    "military", "army", "navy", "force", "forces", "troops", "troop", "soldier", "soldiers",
    "regime", "leadership", "authorities", "authority", "office", "department", "spokesman",
    "spokeswoman", "spokesperson", "diplomat", "diplomats", "delegation", "envoy", "embassy",
    "intelligence", "service", "services", "source", "sources", "bomber", "bombers", "carrier",
    "warship", "warships", "vessel", "vessels", "ship", "ships", "submarine", "aircraft", "jet",
    "jets", "fighter", "fighters", "plane", "planes", "drone", "drones", "unit", "units",
    "navy", "coast", "guard", "team", "lawmakers", "parliament", "media", "state", "ministers",
    "leaders", "negotiators", "delegations", "representatives", "envoys", "counterparts",
    "ambassador", "ambassadors",
])
DEMONYM_SUFFIXES = ("ese", "ian", "ean", "an", "n", "i", "ish")


@dataclass
class Ref:
    """An entity as an event argument: the canonical entity and the text that named it."""

    entity: Entity
    start: int
    end: int
    via: str = "parse"  # "parse": named where the parse points; "pronoun": an antecedent;
    # "description": named when a definite noun ("the scum") was last written with its party

    @property
    def name(self) -> str:
        return self.entity.name


@dataclass
class DocIndex:
    """Per-document lookups over the other components' results."""

    doc: Doc
    mentions: list[tuple[int, int, Entity]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    times: list[Any] = field(default_factory=list)
    quotes: list[Any] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)  # every one, datelines' included
    _affiliation: dict[str, Entity | None] = field(default_factory=dict)
    _vocab: dict[int, bool] = field(default_factory=dict)
    _title_words: frozenset[str] | None = None

    @classmethod
    def build(cls, doc: Doc) -> DocIndex:
        idx = cls(doc)
        entities = doc._.sl_entities
        if entities is None:  # storyline_entities did not run: spaCy's names, uncanonicalised
            entities = _fallback_entities(doc)
        filed = _datelines(doc)
        idx.entities = list(entities)
        for ent in entities:
            for m in ent.mentions:
                if not any(s <= m.start < e for s, e in filed):  # where the copy was filed
                    idx.mentions.append((m.start, m.end, ent))
        idx.mentions.sort(key=lambda t: (t[0], -t[1]))
        idx.starts = [m[0] for m in idx.mentions]
        idx.times = sorted(doc._.sl_times or [], key=lambda t: t.start)
        idx.quotes = sorted(doc._.sl_quotes or [], key=lambda q: q.start)
        return idx

    # --- entities at positions ------------------------------------------------------------

    def entity_at(self, start: int, end: int) -> Ref | None:
        """The entity mention that overlaps [start, end), the longest first."""
        i = bisect.bisect_right(self.starts, end) - 1
        best: tuple[int, int, Entity] | None = None
        while i >= 0 and self.mentions[i][0] >= start - 200:
            s, e, ent = self.mentions[i]
            if s < end and e > start and (best is None or e - s > best[1] - best[0]):
                best = (s, e, ent)
            i -= 1
        return Ref(best[2], best[0], best[1]) if best else None

    def entity_for_token(self, tok: Token) -> Ref | None:
        return self.entity_at(tok.idx, tok.idx + len(tok.text))

    def refs_in_token(self, tok: Token) -> list[Ref]:
        """Every entity named inside one token, in text order: a hyphenated pair that the
        tokenizer kept whole ("U.S.-Japan", "U.S.-ROK") names two; any other token its one."""
        start, end = tok.idx, tok.idx + len(tok.text)
        lo = bisect.bisect_left(self.starts, start)
        inside = [Ref(ent, s, e) for s, e, ent in self.mentions[lo:bisect.bisect_left(
            self.starts, end)] if e <= end]
        if len(inside) > 1:
            return inside
        ref = self.entity_for_token(tok)
        return [ref] if ref is not None else []

    def last_mention(self, before: int, types: frozenset[str], window: int = 700,
                     not_in: tuple[int, int] | None = None) -> Ref | None:
        """The nearest entity mention of `types` ending before `before` (pronoun antecedent)."""
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0:
            s, e, ent = self.mentions[i]
            if s < before - window:
                break
            if e <= before and ent.type in types and not (not_in and not_in[0] <= s < not_in[1]):
                return Ref(ent, s, e)
            i -= 1
        return None

    def mentions_any(self, words: frozenset[str]) -> bool:
        """Whether the document uses any of `words` (lower-cased forms or lemmas)."""
        key = id(words)
        if key not in self._vocab:
            self._vocab[key] = any(t.lower_ in words or t.lemma_.lower() in words
                                   for t in self.doc)
        return self._vocab[key]

    def quote_at(self, char: int) -> Any | None:
        """The innermost quote (direct or reported) that contains `char`."""
        best = None
        for q in self.quotes:
            if q.start <= char < q.end and (best is None or q.end - q.start < best.end - best.start):
                best = q
        return best

    def announced_at(self, char: int) -> Any | None:
        """The attribution that announced the text at `char` as a statement of its own
        ("X issued the following press statement:" and the statement after it), if any; also
        a statement's quoted title on the announcing line, which ends with a colon ("X
        issued the following crucial statement \"TITLE\":", "... \"TITLE\" on October 13:")."""
        from . import doc_text
        from .attribution import words_of

        words = words_of(self.doc)
        text = doc_text(self.doc)
        found = None
        for q in self.quotes:
            if q.end > char or not q.speaker:
                continue
            line_end = text.find("\n", q.end)
            rest = text[q.end:line_end if line_end >= 0 else len(text)].strip()
            lead = text[text.rfind("\n", 0, q.start) + 1:q.start] if q.direct and (
                not rest.strip("\"'\u201d:") or rest.endswith(":")) else ""
            if _announces(q.text, words.announcing_words, words.document_nouns) or (
                    lead and _announces(lead, words.announcing_words, words.document_nouns)):
                found = q
        return found

    def entity_named(self, name: str) -> Entity | None:
        """A document entity whose canonical name or alias is `name` (case-insensitive)."""
        low = name.lower()
        for _, _, ent in self.mentions:
            if ent.name.lower() == low or low in (a.lower() for a in ent.aliases):
                return ent
        return None

    # --- who an entity is -------------------------------------------------------------------

    def country_of_demonym(self, ref: Ref) -> Ref:
        """A NORP ("North Korean") as the country the document names ("North Korea")."""
        if ref.entity.type != "NORP":
            return ref
        word = ref.entity.name
        for suffix in DEMONYM_SUFFIXES:
            if word.lower().endswith(suffix) and len(word) - len(suffix) >= 4:
                stem = word[: len(word) - len(suffix)].lower()
                for _, _, ent in self.mentions:
                    if ent.type != "GPE":
                        continue
                    names = [ent.name] + list(ent.aliases)
                    if any(n.lower().startswith(stem) for n in names):
                        return Ref(ent, ref.start, ref.end)
        return ref

    def affiliation(self, ent: Entity) -> Entity | None:
        """The country or organisation in a person's title ("U.S. national security adviser")."""
        if ent.key in self._affiliation:
            return self._affiliation[ent.key]
        found: Entity | None = None
        for m in ent.mentions:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in title_tokens(span):
                ref = self.entity_for_token(tok)
                if ref and ref.entity.key != ent.key and ref.entity.type in ("GPE", "NORP"):
                    found = self.country_of_demonym(ref).entity
                    break
                if ref and ref.entity.type == "ORG":  # "vice-minister of [National Defence
                    # of the DPRK]": a name the parse joined; "Pentagon spokesman X": a
                    # state's body (its actor code's sector) names the state it serves
                    found = self._country_named_in(ref) or self.state_served(ref.entity)
                    if found:
                        break
            if found:
                break
        self._affiliation[ent.key] = found
        return found

    def state_served(self, actor: Entity,
                     sectors: frozenset[str] = STATE_SECTORS) -> Entity | None:
        """The document's country whose state an actor serves by its actor code (country,
        then one of `sectors`: "USAMIL" for the Pentagon, "GBRGOV" for a British minister);
        None for any other actor, or where the document does not name that country."""
        code = actor.code or ""
        if len(code) != 6 or code[3:] not in sectors:
            return None
        return next((e for e in self.entities if e.key == f"country:{code[:3]}"), None)

    def _country_named_in(self, ref: Ref) -> Entity | None:
        """The document's country whose full or official name ends an organisation's name
        ("National Defence of the Democratic People's Republic of Korea": North Korea; not
        a short form that another country shares: "the Workers' Party of Korea")."""
        from . import doc_text
        from .kb import load_kb

        words = doc_text(self.doc)[ref.start:ref.end].split(" of ")
        kb = load_kb()
        for i in range(1, len(words)):
            tail = " of ".join(words[i:])
            tail = tail.removeprefix("the ").removeprefix("The ")
            country = kb.country(tail)
            if country is not None and tail in (country.name, country.official):  # not "Korea"
                return next((e for e in self.entities if e.key == country.key), None)
        return None

    def person_title_words(self) -> frozenset[str]:
        """The agent nouns among the title words of the persons the document names
        (`titles`; `kb.agent_sector`: "minister", "president", not "deal" that a headline
        left before a name): the heads a title may name a person by. Once per Doc."""
        if self._title_words is None:
            from .kb import agent_sector

            lang = self.doc._.sl_language or "en"
            self._title_words = frozenset(
                w for w in {w for e in self.entities if e.type == "PERSON"
                            for w in self.titles(e)} if agent_sector(w, lang) is not None)
        return self._title_words

    def titles(self, ent: Entity) -> set[str]:
        """Lower-cased title words used with a person ("president", "leader")."""
        words: set[str] = set()
        if ent.role:
            words.update(w.lower() for w in ent.role.split())
        for m in ent.mentions:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                words.update(t.lower_ for t in title_tokens(span))
        return words


def title_tokens(span: Span) -> list[Token]:
    """Tokens of the title around a name: "Russian President [Vladimir Putin]",
    "[Jake Sullivan], the U.S. national security adviser"."""
    doc = span.doc
    out: list[Token] = []
    i = span.start - 1
    # walk left over the title words that precede the name in the same noun phrase
    while i >= 0 and i >= span.start - 8:
        t = doc[i]
        stop = t.is_punct or t.pos_ in ("VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ")
        if stop and not (t.lower_ in ("of", "for") and out):  # "Secretary of State X"
            break
        out.append(t)
        i -= 1
    head = span.root
    for child in head.children:
        if child.dep_ == "appos":
            out.extend(t for t in child.subtree if not t.is_punct)
    return out


def _fallback_entities(doc: Doc) -> list[Entity]:
    """Entities from spaCy's NER alone: one per distinct surface form (no canonical names)."""
    by_name: dict[str, Entity] = {}
    for span in doc.ents:
        if span.label_ not in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"):
            continue
        text = span.text
        if text.lower().startswith("the "):
            text = text[4:]
        text = text.removesuffix("'s").removesuffix("\u2019s")
        ent = by_name.setdefault(text.lower(), Entity(key=f"{span.label_.lower()}:{text.lower()}",
                                                      name=text, type=span.label_))
        ent.mentions.append(Mention(span.text, span.start_char, span.end_char))
    return list(by_name.values())


# --- noun phrases to entities ----------------------------------------------------------------

def _announces(text: str, announcing: frozenset[str], documents: frozenset[str]) -> bool:
    """An attribution's text names the statement that follows it: a determiner, an
    announcing word, then a document noun ("the following press statement", also when the
    cue's text starts earlier, "made public the following press statement \"TITLE\"")."""
    parts = [w.strip(".,:;\"'\u201c\u201d") for w in text.lower().split()]
    for i in range(len(parts) - 2):
        if parts[i] in ("the", "a") and parts[i + 1] in announcing:
            return any(w in documents for w in parts[i + 2: i + 6])
    return False


def _conjuncts(tok: Token) -> list[Token]:
    # "George Shultz and Eduard Shevardnadze met": the parse may hang the first name on the
    # second as a modifier that carries the "and" (nmod/compound + cc); it is a conjunct
    out = [c for c in tok.children if c.i < tok.i and c.dep_ in ("nmod", "compound")
           and c.pos_ == "PROPN" and any(g.dep_ == "cc" and g.i > c.i for g in c.children)]
    out.append(tok)
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_conjuncts(c))
    return out


def _datelines(doc: Doc) -> list[tuple[int, int]]:
    """The spans of the datelines that open the document's lines."""
    from ..clean.header import dateline_end
    from . import doc_text

    dated = _dated_dateline(doc._.sl_language or "en")
    out, pos = [], 0
    for line in doc_text(doc).split("\n"):
        if line[:1].isupper() and "(" in line[:80]:
            end = dateline_end(line)
            if end is not None:
                out.append((pos, pos + end))
        elif dated is not None and line[:2].isupper():
            m = dated.match(line)
            if m is not None:
                out.append((pos, pos + m.end()))
        pos += len(line) + 1
    return out


@functools.lru_cache(maxsize=64)
def _party_words(language: str, name: str) -> frozenset[str]:
    """A word list of the pack's `event_parties` (lower case): `speaking_for` ("a spokesman
    for the Ministry"), `government_nouns`, `company_nouns`, `led_nouns`, `lead_verbs`."""
    from ..lang import get_pack

    return frozenset(w.lower() for w in get_pack(language).data("event_parties", {}).get(
        name, []))


def _words_of(tok: Token, name: str) -> frozenset[str]:
    return _party_words(tok.doc._.sl_language or "en", name)


@functools.lru_cache(maxsize=16)
def _dated_dateline(language: str) -> re.Pattern[str] | None:
    """A wire's dateline without an agency: the place in capitals, a region, the day and a
    dash ("TOKYO, April 13 - ", "SANTA BARBARA, Calif., April 17 - "); months from the
    pack's `header.month_stems`."""
    from ..lang import get_pack

    stems = get_pack(language).data("header", {}).get("month_stems", [])
    if not stems:
        return None
    months = "|".join(sorted((re.escape(m) for m in stems), key=len, reverse=True))
    return re.compile(rf"[A-Z][A-Z .'-]{{1,40}}(?:,\s*[A-Z][A-Za-z]{{1,10}}\.?)?,\s*"
                      rf"(?i:(?:{months})[a-z]*)\.?\s+\d{{1,2}}\s*[-\u2013\u2014]+\s*")


def resolve_pronoun(idx: DocIndex, tok: Token) -> Ref | None:
    """The antecedent of a personal pronoun: the nearest person, or country/organisation."""
    ref = _antecedent(idx, tok)
    if ref is not None:
        ref = Ref(ref.entity, ref.start, ref.end, via="pronoun")
    return ref


def _antecedent(idx: DocIndex, tok: Token) -> Ref | None:
    low = tok.lower_
    if low in FIRST_PERSON:
        quote = idx.quote_at(tok.idx)
        if quote is None or not quote.speaker:  # (a reported part of the statement itself)
            quote = idx.announced_at(tok.idx) or quote
        if quote is not None and quote.speaker:
            ent = idx.entity_named(quote.speaker)
            if ent is not None:
                if low in ("we", "us", "our"):
                    return Ref(idx.affiliation(ent) or ent, tok.idx, tok.idx + len(tok))
                return Ref(ent, tok.idx, tok.idx + len(tok))
        return None
    if low in PERSON_PRONOUNS:
        return idx.last_mention(tok.idx, frozenset({"PERSON"}))
    if low in THING_PRONOUNS:
        kinds = frozenset({"GPE", "ORG"})
        sent = tok.sent
        if low in ("it", "them") and tok.dep_ in ("dobj", "dative", "pobj"):
            return _object_antecedent(idx, tok, kinds)
        ref = idx.last_mention(tok.idx, kinds, window=tok.idx - sent.start_char)
        if ref is None and tok.dep_ in ("nsubj", "nsubjpass") and sent.start > 0:
            # a subject pronoun that opens a sentence continues the previous topic
            prev = tok.doc[sent.start - 1].sent
            subj = next((c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")),
                        None)
            found = idx.entity_for_token(subj) if subj is not None else None
            if found is not None and found.entity.type in kinds:
                ref = found
        if ref is None:
            ref = idx.last_mention(tok.idx, kinds, window=400)
        return idx.country_of_demonym(ref) if ref else None
    return None


def _object_antecedent(idx: DocIndex, tok: Token, kinds: frozenset[str]) -> Ref | None:
    """ "The ministry denounces and rejects it": an object pronoun never stands for its own
    clause's subject (that would be "itself"), so the nearest other party named before."""
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    subj = subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
    own = resolve(idx, subj) if subj is not None and subj.i != tok.i else None
    span = (subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)) if own else None
    before = tok.idx
    for _ in range(20):
        ref = idx.last_mention(before, kinds, window=400 - (tok.idx - before), not_in=span)
        if ref is None:
            return None
        ref = idx.country_of_demonym(ref)
        if own is None or ref.entity.key != own.entity.key:
            return ref
        before = ref.start
    return None


def _agrees(verb: Token, noun: Token) -> bool:
    """A relative clause's present-tense verb agrees in number with the noun it is attached
    to: a plural verb ("which violate") is never a singular noun's ("North Korea"), a singular
    one ("which violates") never a common plural's ("purchases"; a name such as "the United
    States" may take either)."""
    finite = [t for t in (verb, *verb.children) if t.tag_ in ("VBZ", "VBP")
              and (t is verb or t.dep_ in ("aux", "auxpass"))]
    if not finite:
        return True
    tag = finite[0].tag_
    return not (tag == "VBP" and noun.tag_ in ("NN", "NNP") or tag == "VBZ" and noun.tag_ == "NNS")


def resolve(idx: DocIndex, tok: Token, *, agentive: bool = True) -> Ref | None:
    """The entity a noun-phrase head names, or None.

    `agentive` lets a collective noun stand for the country that modifies it ("Seoul
    officials", "North Korean troops"); otherwise only names and pronouns count.
    """
    if tok.lower_ in RELATIVE and tok.head.dep_ == "relcl":
        ante = tok.head.head
        if tok.dep_ in ("nsubj", "nsubjpass") and not _agrees(tok.head, ante):
            # "purchases from North Korea, which violate": the noun North Korea hangs from
            up = ante.head.head if ante.dep_ == "pobj" and ante.head.dep_ == "prep" else None
            if up is None or up.pos_ not in ("NOUN", "PROPN") or not _agrees(tok.head, up):
                return None
            ante = up
        return resolve(idx, ante, agentive=agentive)
    if tok.pos_ == "PRON" or tok.lower_ in PERSON_PRONOUNS | THING_PRONOUNS:
        return resolve_pronoun(idx, tok)
    ref = idx.entity_for_token(tok)
    if ref is not None:
        return idx.country_of_demonym(ref)
    for child in tok.children:  # "the country's spy agency, the National Intelligence Service"
        if child.dep_ == "appos":
            ref = resolve(idx, child, agentive=False)
            if ref is not None:
                return ref
    if not agentive:
        return None
    titled = _titled_before(idx, tok)
    if titled is not None:  # "Prime Minister Tony Blair ... The prime minister urged"
        return titled
    if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("the", "these", "those")
                                  for c in tok.children) and not any(
            c.dep_ in ("compound", "amod", "poss", "nmod", "prep") for c in tok.children):
        earlier = _described_before(idx, tok) if _party_word(tok) else None
        if earlier is not None:  # "the ROK scum ... We warn the scum" (not "the platform")
            return earlier
    leader = _leader(idx, tok)
    if leader is not None:
        return leader
    if not _agentive(tok):
        return None
    for child in tok.children:
        if child.dep_ in ("compound", "amod", "poss", "nmod") or (
                child.dep_ == "prep" and child.lower_ in ("of", "from")) or (
                child.dep_ == "prep" and child.lower_ == "for" and tok.lower_ in _words_of(tok, "speaking_for")):
            target = child
            if child.dep_ == "prep":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if not objs:
                    continue
                target = objs[0]
            ref = idx.entity_for_token(target)
            if ref is None and target.pos_ == "PRON" and child.dep_ == "poss":
                ref = resolve_pronoun(idx, target)
            if ref is not None and ref.entity.type == "PERSON" and \
                    tok.lemma_.lower() in _words_of(tok, "government_nouns"):
                state = idx.state_served(ref.entity, _GOVERNMENT)  # "Mr Blair's
                if state is not None:  # government": the state the KB codes him for (GBRGOV)
                    return Ref(state, ref.start, ref.end, via=ref.via)
            if ref is not None and ref.entity.type != "PERSON" and (
                    _listed(tok) or ref.entity.type in ("GPE", "NORP")):
                return idx.country_of_demonym(ref)
    return None


def _party_word(tok: Token) -> bool:
    """A noun that names someone, not something (cameo.is_party without a name)."""
    from .cameo import is_party, load_cameo

    return is_party(load_cameo(tok.doc._.sl_language or "en"), tok, modified=False)


def _described_before(idx: DocIndex, tok: Token, window: int = 300) -> Ref | None:
    """ "the scum", "the puppets": a definite noun with no modifier of its own names the
    party that modified the same noun when it was last written ("the ROK scum", "Seoul's
    puppets"), within `window` words before it."""
    lemma = tok.lemma_.lower()
    doc = tok.doc
    for prev in reversed(doc[max(0, tok.i - window):tok.i]):
        if prev.lemma_.lower() != lemma or prev.pos_ != "NOUN":
            continue
        mods = [c for c in prev.children if c.dep_ in ("compound", "amod", "poss", "nmod")
                and c.i < prev.i]
        mods += [o for c in prev.children if c.dep_ == "prep" and c.lower_ in ("in", "of", "from")
                 for o in c.children if o.dep_ == "pobj"]  # "the scum in the ROK"
        for c in mods:
            ref = idx.entity_for_token(c)  # (a state or body by its name: "the ROK scum";
            if ref is not None and ref.entity.type in ("GPE", "ORG"):  # "an Iranian platform"
                return Ref(ref.entity, ref.start, ref.end, via="description")  # is a thing's)
        return None  # the last mention names no party: neither does this one
    return None


def _titled_before(idx: DocIndex, tok: Token) -> Ref | None:
    """ "the prime minister", "the foreign minister": a definite singular noun headed by a
    title's agent noun (`DocIndex.person_title_words`) whose words, with its lower-case
    modifiers, are all title words of a person the document named before it ("Prime
    Minister Tony Blair", "Choe Son Hui, foreign minister of the DPRK": `DocIndex.titles`)
    names that person, the one last named where several fit. A phrase with a name, an owner
    or an "of"-phrase of its own ("the Russian minister", "his minister", "the minister of
    finance") is left to the other rules."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NN" or tok.lower_ not in idx.person_title_words() or \
            not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        return None
    words = [tok.lower_]
    for c in tok.children:
        if c.dep_ in ("poss", "nmod", "prep", "appos") or c.ent_type_:
            return None
        if c.dep_ in ("amod", "compound") and c.i < tok.i:
            words.append(c.lower_)
    best: tuple[int, Entity] | None = None
    for ent in idx.entities:
        if ent.type != "PERSON":
            continue
        last = max((m.start for m in ent.mentions if m.end <= tok.idx), default=None)
        if last is None or (best is not None and last <= best[0]):
            continue
        if set(words) <= idx.titles(ent):
            best = (last, ent)
    if best is None:
        return None
    return Ref(best[1], tok.left_edge.idx, tok.idx + len(tok), via="description")


def _leader(idx: DocIndex, tok: Token) -> Ref | None:
    """ "A Russian delegation led by Andrei Zarenin": the person at its head stands for it,
    as the keys name the visitor and the one met (a person only: "a group led by the carrier
    Kitty Hawk" stays its navy's)."""
    if tok.lemma_.lower() not in _words_of(tok, "led_nouns"):
        return None
    for v in tok.children:
        if v.dep_ == "acl" and v.lemma_.lower() in _words_of(tok, "lead_verbs"):
            for obj in (o for a in v.children if a.dep_ == "agent" for o in a.children):
                ref = idx.entity_for_token(obj)
                if ref is not None and ref.entity.type == "PERSON":
                    return ref
    return None


def resolve_all(idx: DocIndex, tok: Token, *, agentive: bool = True) -> list[Ref]:
    """Every entity a coordinated phrase names ("Moscow and Pyongyang", "officials from X
    and Y", "a group formed by X, Y and Z"), in order, without repeats."""
    refs: list[Ref] = []
    tok = _after_break(tok)
    for conj in _conjuncts(tok):
        if conj.i != tok.i and conj.lemma_.lower() in _words_of(conj, "company_nouns") and any(
                c.dep_ == "poss" and c.pos_ == "PRON" for c in conj.children):
            continue  # "X and her party": those who travel with X are X's company
        if agentive and idx.entity_for_token(conj) is None and conj.pos_ in ("NOUN", "PROPN"):
            inner = _members(idx, conj) or _modifier_parties(idx, conj)
            if inner:
                refs.extend(inner)
                continue
        if agentive and idx.entity_for_token(conj) is None and is_pair_word(conj):
            pair = _pair_before(idx, conj)
            if pair:
                refs.extend(pair)
                continue
        ref = resolve(idx, conj, agentive=agentive)
        if ref is not None:
            refs.append(ref)
    out: list[Ref] = []
    for r in refs:
        if all(r.entity.key != o.entity.key for o in out):
            out.append(r)
    return out


def modifier_refs(idx: DocIndex, noun: Token) -> list[Ref]:
    """The parties that name a noun from its left modifiers, in text order, without repeats:
    "a ROK-Japan-China summit", "U.S.-Japan talks" (one token, two names: `refs_in_token`),
    "U.S.-ROK military exercises"; a demonym as its country."""
    refs: list[Ref] = []
    for left in noun.lefts:
        if left.dep_ not in ("compound", "nmod", "amod"):
            continue
        for t in left.subtree:
            if t.dep_ not in ("compound", "nmod", "amod"):
                continue
            for ref in idx.refs_in_token(t):
                ref = idx.country_of_demonym(ref)
                if all(r.entity.key != ref.entity.key for r in refs):
                    refs.append(ref)
    return refs


def _modifier_parties(idx: DocIndex, noun: Token) -> list[Ref]:
    """ "South Korean and US officials": every country that modifies a collective agent noun
    (two or more; one modifier is `resolve`'s business)."""
    if not _agentive(noun):
        return []
    out: list[Ref] = []
    for c in noun.children:
        if c.dep_ not in ("amod", "compound", "nmod") or c.i > noun.i:
            continue
        for m in _conjuncts(c):
            ref = idx.entity_for_token(m)
            if ref is not None and ref.entity.type in ("GPE", "NORP") and all(
                    ref.entity.key != o.entity.key for o in out):
                out.append(idx.country_of_demonym(ref))
    return out if len(out) > 1 else []


PAIR_NOUNS = frozenset({"sides", "countries", "governments", "nations", "allies", "capitals",
                        "officials", "leaders", "ministers", "parties", "neighbours",
                        "neighbors", "states", "men", "delegations"})


def is_pair_word(tok: Token) -> bool:
    """ "Both", "the two sides", "both countries": a reference to two parties named before."""
    if tok.lower_ == "both" and tok.pos_ in ("PRON", "DET", "NOUN"):
        return True
    return tok.lower_ in PAIR_NOUNS and any(
        c.lower_ in ("two", "both") and c.dep_ in ("nummod", "det", "predet", "amod")
        for c in tok.children)


def _pair_before(idx: DocIndex, tok: Token) -> list[Ref]:
    """The parties last named together ("X and Y", "between X and Y") in this sentence before
    `tok` or in the two sentences before it."""
    doc = tok.doc
    first = tok.sent.start
    for _ in range(2):
        if first > 0:
            first = doc[first - 1].sent.start
    for i in range(tok.i - 1, first - 1, -1):
        t = doc[i]
        if t.dep_ != "conj" or t.head.i >= tok.i:
            continue
        head = t.head
        while head.dep_ == "conj" and head.head != head:
            head = head.head
        refs = [r for r in (resolve(idx, c) for c in _conjuncts(head)) if r is not None]
        refs = [r for k, r in enumerate(refs) if all(r.entity.key != o.entity.key
                                                     for o in refs[:k])]
        if len(refs) >= 2 and all(r.entity.type in ("GPE", "ORG", "PERSON", "NORP")
                                  for r in refs):
            return [Ref(r.entity, r.start, r.end, via="pronoun") for r in refs]
    return []


def _after_break(tok: Token) -> Token:
    """A phrase that spans a line break is a parse across a caption and the next line: the
    part after the break is the one that belongs to the sentence ("(Credit)\n\nX and Y")."""
    breaks = [t for t in tok.subtree if t.is_space and "\n" in t.text and t.i > tok.i]
    if not breaks:
        return tok
    cut = breaks[-1].i
    for t in tok.subtree:  # the head of what follows the break, attached to what precedes it
        if t.i > cut and t.head.i < cut and not (t.is_punct or t.is_space):
            return t
    return tok


def _listed(tok: Token) -> bool:
    return tok.lemma_.lower() in AGENT_NOUNS or tok.lower_ in AGENT_NOUNS


def _agentive(tok: Token) -> bool:
    """A noun that acts for whoever modifies it: the list above, or a group named by an
    agent word of the Phoenix dictionary ("Egyptian police", "Burundian militiamen":
    kb.agent_sector), plural or without an article (one person, "the North Korean
    dictator", is someone the text names elsewhere, not the state); those act for a
    country only (`resolve`: "GSM operators" are not GSM's)."""
    from .kb import agent_sector

    if _listed(tok):
        return True
    group = tok.tag_ == "NNS" or not any(c.dep_ == "det" for c in tok.children)
    if tok.pos_ != "NOUN" or not group:
        return False
    lang = tok.doc._.sl_language or "en"
    if agent_sector(tok.lemma_, lang) is not None:
        return True
    mods = [c.lower_ for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i]
    return bool(mods) and agent_sector(" ".join(mods + [tok.lemma_.lower()]), lang) is not None


def _members(idx: DocIndex, noun: Token) -> list[Ref]:
    """Who a collective noun stands for: "officials from X and Y", "a group formed by X"."""
    out: list[Ref] = []
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "of") and _agentive(noun):
            objs = [o for o in c.children if o.dep_ == "pobj"]
        elif c.dep_ == "acl" and c.tag_ == "VBN":
            objs = [o for a in c.children if a.dep_ == "agent" for o in a.children
                    if o.dep_ == "pobj"]
        else:
            continue
        for obj in objs:
            out.extend(resolve_all(idx, obj, agentive=False))
    return out


# --- grammatical relations ------------------------------------------------------------------

SUBJ = ("nsubj", "nsubjpass", "csubj", "expl")
CLAUSE_LINKS = ("xcomp", "conj", "advcl", "pcomp")


def child(tok: Token, *deps: str) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def prep_objects(tok: Token, *preps: str) -> list[Token]:
    """Objects of the prepositions `preps` attached to `tok` ("to Russia" -> Russia)."""
    out: list[Token] = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            out.extend(o for o in c.children if o.dep_ in ("pobj", "pcomp"))
        elif c.dep_ == "dative" and c.pos_ in ("PROPN", "NOUN", "PRON") and "to" in preps:
            out.append(c)
    return out


def is_passive(verb: Token) -> bool:
    # a participle that modifies a noun is passive ("shells shipped to X") unless it has a
    # subject or a perfect auxiliary of its own ("reports that X has shipped shells")
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(
            c.dep_ in ("nsubj", "aux") for c in verb.children))


def subject_of(verb: Token, depth: int = 0, control: bool = False) -> Token | None:
    """The subject of a verb, or of the clause that controls it ("X is set to convene",
    "X ..., curbing exports", "by sending troops, X ...")."""
    if depth > 6:
        return None
    subj = _nearest_subject(verb)
    if subj is not None:
        subj = past_dateline(subj)
    if subj is not None and subj.dep_ != "expl":
        joint = _joint_subject(verb, subj, depth)
        if joint is not None:
            return joint
        return _after_break(subj) if subj.i < verb.i else subj
    verbless = _verbless_subject(verb)
    if verbless is not None:
        return verbless
    if control and child(verb, "nsubjpass") is not None and child(verb, "agent") is None:
        return child(verb, "nsubjpass")  # "X is expected to travel": X travels
    if is_passive(verb):
        agent = child(verb, "agent")
        if agent is not None:
            obj = child(agent, "pobj")
            if obj is not None:
                return obj
        if verb.dep_ == "acl":
            return None
        if child(verb, "nsubjpass") is not None:
            return None
    head = verb.head
    if head == verb:
        return None
    absolute = _absolute_subject(verb)
    if absolute is not None:
        return absolute
    if verb.dep_ in ("xcomp", "conj", "advcl") and head.pos_ in ("VERB", "AUX", "ADJ"):
        return subject_of(head, depth + 1, control=verb.dep_ in ("xcomp", "advcl", "conj"))
    if verb.dep_ == "pcomp" and head.lower_ in ("for", "of") and head.head.pos_ == "VERB":
        obj = child(head.head, "dobj")  # "criticized X for sending forces", "accused X of
        if obj is not None:  # arming Y": the one judged does it (object control)
            return obj
    if verb.dep_ == "pcomp":  # "by sending troops", "such as curbing exports"
        up = head.head
        while up.pos_ in ("NOUN", "PROPN", "ADP") and up.dep_ in ("dobj", "pobj", "prep", "appos"):
            up = up.head
        if up.pos_ in ("VERB", "AUX"):
            return subject_of(up, depth + 1)
    if verb.dep_ == "relcl":
        rel = child(verb, "nsubj", "nsubjpass")
        return head if rel is None or rel.lower_ in RELATIVE else None
    return None


def _verbless_subject(verb: Token) -> Token | None:
    """ "A delegation headed by X, minister, left here on Monday", "X, minister, and her party
    left here": behind a dateline the parse may leave a sentence without a finite verb and
    hang its verb on the subject (or on the subject's last conjunct) as a modifier; the
    sentence's root is then the subject. A participle of its own ("headed by X", "weapons
    supplied to Russia") is no such verb: one with an agent or a passive auxiliary never, and
    one hung on the root itself only after the comma that closes an apposition."""
    if verb.dep_ != "acl" or verb.tag_ not in ("VBD", "VBN") or \
            child(verb, "agent", "auxpass") is not None:
        return None  # (checked first: finding the sentence costs more)
    root = sentence_of(verb).root
    if root.pos_ not in ("NOUN", "PROPN"):
        return None
    if verb.head == root:
        after_comma = verb.i > 0 and verb.nbor(-1).text == ","
        return root if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and after_comma) else None
    if verb.head.dep_ == "conj" and verb.head.head == root:
        return root
    return None


def dateline_place(idx: DocIndex) -> tuple[Ref | None, Token | None]:
    """The place that opens the document's first dateline ("Pyongyang, July 24 (KCNA) --",
    "MOSCOW, April 13 - "): where the report is written, which its "here" names."""
    for start, end in _datelines(idx.doc)[:1]:
        for ent in idx.entities:
            for m in ent.mentions:
                if start <= m.start < end and ent.type in ("GPE", "LOC"):
                    span = idx.doc.char_span(m.start, m.end, alignment_mode="expand")
                    return Ref(ent, m.start, m.end), span[0] if span else None
    return None, None


def past_dateline(subj: Token) -> Token:
    """ "LONDON, March 24 - The speaker of the Iranian Parliament, X, warned": the parse
    makes the dateline's place the subject and the real one its apposition; the place of a
    dateline never speaks."""
    if not subj.text.isupper() or not any(c.dep_ == "appos" for c in subj.children):
        return subj
    for start, end in _datelines(subj.doc):
        if start <= subj.idx < end:
            later = [c for c in subj.children if c.dep_ == "appos" and c.idx >= end]
            if not later:
                return subj
            named = [c for c in later[0].children if c.dep_ == "appos" and c.pos_ == "PROPN"]
            return named[0] if named else later[0]  # "the speaker of X, NAME,": NAME
    return subj


def _absolute_subject(verb: Token) -> Token | None:
    """ "with Kim Jong Un threatening nuclear conflict": the noun a "with" (or "without")
    puts just before a participle is its subject, not the main clause's."""
    if verb.dep_ != "advcl" or verb.tag_ != "VBG" or verb.i == 0:
        return None
    before = verb.doc[verb.i - 1]
    if before.dep_ == "pobj" and before.head.lower_ in ("with", "without") \
            and before.head.head.i == verb.head.i and before.pos_ in ("PROPN", "NOUN", "PRON"):
        return before
    return None


def _joint_subject(verb: Token, subj: Token, depth: int) -> Token | None:
    """ "X and Y signed a treaty as they held talks": a plural pronoun subject of a clause
    joined to a clause whose subject is coordinated is that coordination."""
    if subj.lower_ != "they" or verb.dep_ not in ("advcl", "conj") or verb.head is verb:
        return None
    for anc in verb.ancestors:  # the nearest clause above with a subject of its own
        if anc.pos_ not in ("VERB", "AUX"):
            continue
        up = next((c for c in anc.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if up is None:
            continue
        if up.i < subj.i and any(c.dep_ == "conj" for c in up.children):
            return up
        return None
    return None


def _nearest_subject(verb: Token) -> Token | None:
    """The verb's subject; of two (a parse that made a dateline's place a subject too:
    "SANTA BARBARA, April 17 - The White House announced"), the one nearest before it."""
    subs = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    before = [c for c in subs if c.i < verb.i]
    if not subs and verb.tag_ in ("VBD", "VBZ", "VBP") and verb.dep_ in ("ROOT", "conj"):
        return _apposed_subject(verb)
    return before[-1] if before else (subs[0] if subs else None)


def _apposed_subject(verb: Token) -> Token | None:
    """ "At the invitation of the Ministry, NAME, foreign minister of X, arrived here": the
    parse hangs the name on the fronted phrase as an apposition and leaves the verb without a
    subject; the name set off by commas just before the verb is its subject."""
    if verb.i < 2 or verb.doc[verb.i - 1].text != ",":
        return None
    for c in verb.children:
        if c.dep_ != "prep" or c.i > verb.i:
            continue
        for t in c.subtree:
            if t.dep_ in ("appos", "conj") and t.pos_ == "PROPN" and t.head.dep_ != "appos" and \
                    t.right_edge.i >= verb.i - 2 and t.doc[t.left_edge.i - 1].text == ",":
                return t
    return None


def np_span(tok: Token) -> tuple[int, int]:
    """Character extent of the noun phrase headed by `tok` (without relative clauses)."""
    toks = [tok]
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "nummod", "det", "poss", "quantmod", "case", "nmod",
                      "advmod") and c.i < tok.i or c.dep_ == "prep" and c.lower_ == "of":
            toks.extend(c.subtree)
        elif c.dep_ in ("conj", "cc") and c.i > tok.i:
            toks.extend(t for t in c.subtree if t.dep_ not in ("relcl", "acl"))
    s = min(t.idx for t in toks)
    e = max(t.idx + len(t.text) for t in toks)
    return s, e
