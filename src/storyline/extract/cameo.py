"""The general event coder: a CAMEO code for every verb the PETRARCH2 dictionary knows.

The data (never in code): the English pack's `events.cameo.json` (generated from PETRARCH2's
verb dictionary by scripts/gen_event_lexicon.py) and its hand-kept `events.supplement.json`
(light verbs, event nouns, governors of intent/threat/refusal/demand, speech verbs); the
language-independent `plover.cameo2plover.json` (the 2021 crosswalk, CC BY-SA) and
`plover.naming.json` (the PLOVER type names written on records).

For a verb: the most specific dictionary pattern of its blocks that its dependents match
(object words, prepositional phrases, noun classes, subject words), else the verb's
default code; a light verb takes its object's code ("held talks"); then the clause's
modality: intent ("will", "agreed to", "ready to") makes a cooperative act AGREE and a
hostile one THREATEN, "refused to" REJECT, "must"/"demanded that" DEMAND (CAMEO's rules
for 03, 13, 12 and 10). Speech verbs that only report are no events; what they report is.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from typing import Any

from spacy.parts_of_speech import VERB
from spacy.tokens import Doc, Span, Token

from ..lang import get_pack
from . import sentence_of, token_pos

__all__ = ["CameoLexicon", "Coded", "code_sentence", "habitual", "is_party", "light_noun",
           "load_cameo"]

# dependents whose words a pattern's object part is matched against
_OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "xcomp", "acomp", "dative", "prt", "prep",
                          "npadvmod", "neg", "advmod"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# named-entity labels that never stand for a party ("met on Monday")
_TIME_ENTS = frozenset({"DATE", "TIME"})
_NOT_PARTIES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


# a pattern's requirements: (single words any of which will do, phrases) per word or class;
# a phrase is the set of its words (all of them must be present)
Reqs = tuple[tuple[frozenset[str], tuple[frozenset[str], ...]], ...]


@dataclass(frozen=True)
class Pattern:
    """One dictionary pattern, compiled: each requirement is a tuple of alternatives, each
    alternative a tuple of words that must all be present."""

    post: Reqs
    pre: Reqs
    preps: tuple[tuple[str, Reqs], ...]
    code: str | None
    reverse: bool
    weight: int = 0  # how specific: words and phrases it requires
    verbs: frozenset[str] = frozenset()  # only these verbs of the block (a phrasal sense)


@dataclass
class CameoLexicon:
    """Typed access to the coder's data for one language."""

    verbs: dict[str, tuple[str | None, tuple[str, ...]]]
    patterns: dict[str, tuple[Pattern, ...]]
    crosswalk: dict[str, dict[str, str]]
    naming: dict[str, Any]
    supplement: dict[str, Any]
    light_verbs: frozenset[str] = frozenset()
    event_nouns: dict[str, str] = field(default_factory=dict)
    governors: dict[str, str] = field(default_factory=dict)
    modals: dict[str, str] = field(default_factory=dict)
    speech: frozenset[str] = frozenset()
    own_speech: frozenset[str] = frozenset()
    forms: dict[str, str] = field(default_factory=dict)
    per_sentence: int = 2
    happen: frozenset[str] = frozenset()
    agents: dict[str, str] = field(default_factory=dict)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    negators: frozenset[str] = frozenset()
    empty_pronouns: frozenset[str] = frozenset()
    condition_marks: frozenset[str] = frozenset()
    party_words: frozenset[str] = frozenset()  # WordNet's person and group nouns
    agent_things: frozenset[str] = frozenset()  # Phoenix agents that are vehicles, weapons
    # answers worked out once per lexicon: type_of by code, verb_lemma by (lemma, form)
    _types: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    _lemmas: dict[tuple[str, str], str] = field(default_factory=dict, repr=False,
                                                compare=False)

    def default_code(self, key: str) -> str | None:
        own = self.supplement.get("verbs", {}).get(key)
        if own is not None:
            return str(own)
        entry = self.verbs.get(key)
        return entry[0] if entry else None

    def _longest(self, table: dict[str, Any], code: str) -> Any:
        for n in range(len(code), 1, -1):
            if code[:n] in table:
                return table[code[:n]]
        return None

    def type_of(self, code: str | None) -> str | None:
        """The PLOVER type (2016 naming, as on records) of a CAMEO code; None: no event."""
        if not code:
            return None
        try:
            return self._types[code]
        except KeyError:
            pass
        found = None if any(code.startswith(p) for p in self.naming.get("not_events", [])) \
            else self._longest(self.naming.get("by_code", {}), code)
        self._types[code] = found
        return found

    def mode_of(self, code: str | None) -> str | None:
        """The PLOVER mode the 2021 crosswalk gives a CAMEO code (None when it gives none)."""
        if not code:
            return None
        row = self._longest(self.crosswalk, code)
        return (row or {}).get("mode") or None

    def rename(self, type_2021: str | None, mode: str | None = None) -> str | None:
        """A 2021 type name in the records' naming ("REQUEST" -> "DEMAND")."""
        if type_2021 is None:
            return None
        table = self.naming.get("from_2021", {})
        return table.get(f"{type_2021}/{mode}") or table.get(type_2021) or type_2021

    def same_act(self, type_a: str | None, type_b: str | None) -> bool:
        """Whether two PLOVER types can code one act (the same, or one group of the naming
        table's `same_act_types`: an attack coded FIGHT in one report, COERCE in another)."""
        if not type_a or not type_b:
            return False
        return type_a == type_b or any(type_a in g and type_b in g
                                       for g in self.naming.get("same_act_types", []))

    def conflictual(self, code: str) -> bool:
        return code[:2] in self.naming.get("quad", {}).get("conflictual", [])

    def intent_code(self, kind: str) -> str:
        return str(self.naming.get("intent_codes", {})[kind])

    def subtype_of(self, code: str, item_classes: list[str]) -> str | None:
        """The project's finer kind for a code (and the class of what moved)."""
        for n in range(len(code), 1, -1):
            by_item = self.naming.get("subtypes_by_item", {}).get(code[:n])
            if by_item:
                for cls in item_classes:
                    if cls in by_item:
                        return str(by_item[cls])
        found = self.naming.get("subtypes", {}).get(code)
        return str(found) if found else None


def _compile_words(words: list[str], classes: dict[str, list[str]],
                   synonyms: dict[str, list[str]] | None = None) -> Reqs:
    """Each word (or class) as one requirement: the single words any of which satisfies
    it, and the phrases whose words must all be present; a word also by the words the
    dictionary writes for it elsewhere (the pack's `pattern_synonyms`)."""
    reqs = []
    for w in words:
        # "bombing/explosion": the dictionary's alternatives for one word
        alts = classes.get(w, []) if w.startswith("&") else [
            a for x in w.split("/") if x for a in [x] + list((synonyms or {}).get(x, ()))]
        if not alts:
            continue
        singles = frozenset(f for a in alts if " " not in a for f in _forms(a))
        phrases = tuple(frozenset(a.split()) for a in alts if " " in a)
        reqs.append((singles, phrases))
    return tuple(reqs)


def _forms(word: str) -> tuple[str, ...]:
    """A pattern word and its singular: the sentence's words are matched by their form
    and their lemma, and the dictionary writes some nouns in the plural only
    ("* PEACEKEEPING FORCES" matches "withdraw its peacekeeping force")."""
    for cut, add in (("ies", "y"), ("ses", "s"), ("s", "")):
        if word.endswith(cut) and len(word) > len(cut) + 2 and not word.endswith("ss"):
            return (word, word[: -len(cut)] + add)
    return (word,)


@functools.lru_cache(maxsize=8)
def load_cameo(language: str = "en") -> CameoLexicon:
    """The coder's lexicon for a language pack (cached)."""
    pack = get_pack(language)
    gen = pack.data("events.cameo", {}) or {}
    sup = pack.data("events.supplement", {}) or {}
    classes = {k: list(v) for k, v in gen.get("classes", {}).items()}
    patterns = {}
    blocks = dict(gen.get("patterns", {}))
    for block, pats in (sup.get("patterns") or {}).items():  # the codebook's, the dictionary lacks
        if not block.startswith("_"):
            blocks[block] = list(blocks.get(block, [])) + list(pats)
    synonyms = {k: list(v) for k, v in (sup.get("pattern_synonyms") or {}).items()
                if not k.startswith("_")}
    for block, pats in blocks.items():
        compiled = []
        for p in pats:
            post = _compile_words(p.get("post", []), classes, synonyms)
            pre = _compile_words(p.get("pre", []), classes, synonyms)
            preps = tuple((prep, _compile_words(words, classes, synonyms))
                          for prep, words in p.get("preps", []))
            compiled.append(Pattern(post=post, pre=pre, preps=preps, code=p.get("code"),
                                    reverse=bool(p.get("reverse")),
                                    verbs=frozenset(p.get("verbs", ())),
                                    weight=len(post) + len(pre) + sum(1 + len(w)
                                                                      for _, w in preps)))
        # most specific first (stable: dictionary order among equals), empty ones dropped
        patterns[block] = tuple(sorted((p for p in compiled if p.weight),
                                       key=lambda p: -p.weight))
    verbs = {k: (v.get("code"), tuple(v.get("blocks", ()))) for k, v in gen.get("verbs", {}).items()}
    return CameoLexicon(
        verbs=verbs, patterns=patterns, forms=dict(gen.get("forms", {})),
        per_sentence=int(sup.get("per_sentence", 2)), happen=frozenset(sup.get("happen", [])),
        agents=dict((pack.data("agents.phoenix", {}) or {}).get("words", {})),
        party_words=pack.words("party_nouns.wordnet"),
        agent_things=frozenset((pack.data("party_nouns.wordnet", {}) or {}).get(
            "agent_things", [])),
        roles={k: tuple(v) for k, v in sup.get("roles", {}).items()},
        negators=frozenset((pack.data("hedges", {}) or {}).get("negators", [])),
        empty_pronouns=frozenset(sup.get("empty_pronouns", [])),
        condition_marks=frozenset((pack.data("hedges", {}) or {}).get("conditional_marks", []))
        - {"whether"},
        crosswalk=(pack.data("plover.cameo2plover", {}) or {}).get("codes", {}),
        naming=pack.data("plover.naming", {}) or {}, supplement=sup,
        light_verbs=frozenset(sup.get("light_verbs", [])),
        event_nouns={k.lower(): str(v) for k, v in sup.get("event_nouns", {}).items()},
        governors=dict(sup.get("governors", {})), modals=dict(sup.get("modals", {})),
        speech=frozenset(sup.get("speech", [])), own_speech=frozenset(sup.get("own_speech_acts", [])))


# --- matching --------------------------------------------------------------------------------

def _bag(tokens: Any) -> frozenset[str]:
    """The words (and lemmas) a pattern may require, but not those of a date or a time
    ("on March 6": no protest march)."""
    out = set()
    for t in tokens:
        if t.ent_type_ in _TIME_ENTS:
            continue
        out.add(t.lower_)
        out.add(t.lemma_.lower())
    return frozenset(out)


def _satisfied(reqs: Reqs, bag: frozenset[str]) -> bool:
    for singles, phrases in reqs:
        if singles.isdisjoint(bag):  # (no word: one of the phrases must be all there)
            for p in phrases:
                if p <= bag:
                    break
            else:
                return False
    return True


_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "parataxis", "appos"})


def _phrase(tok: Token, *, bare: bool = False) -> list[Token]:
    """A dependent's words without the clauses inside it ("a resolution that aims to
    tighten sanctions" is a resolution, not sanctions); `bare`: nor its prepositional
    phrases ("rocket fire against camps near the border": rocket fire)."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in _CLAUSES and not (bare and c.dep_ in ("prep", "agent")):
            out.extend(_phrase(c, bare=bare))
    return out


def _heads(tok: Token) -> list[Token]:
    """A phrase's head and the heads joined to it ("inspectors and aid workers")."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_heads(c))
    return out


_RELATIVE = frozenset({"that", "which", "whom"})


def _whole(lex: CameoLexicon, obj: Token) -> Token:
    """A partitive object read as the whole it is part of ("captured part of a stronghold":
    the stronghold; pack `partitives`), so that a pattern's word for the part ("take part")
    is not found in it; any other object as it is."""
    from .arguments import child

    if obj.lemma_.lower() not in lex.supplement.get("partitives", ()):
        return obj
    for x in obj.children:
        if x.dep_ == "prep" and x.lower_ == "of":
            whole = child(x, "pobj")
            if whole is not None:
                return _whole(lex, whole)
    return obj


def _object_bag(lex: CameoLexicon, verb: Token, *, level: int = 0) -> frozenset[str]:
    """The words a pattern's object part is matched against; `level` 1: those of the
    object itself, without prepositional phrases (the verb's or the object's own); 2: its
    head nouns alone (and a particle: "pull out")."""
    toks: list[Token] = []
    for c in verb.children:
        if level and c.dep_ in ("prep", "npadvmod", "advmod"):
            continue
        if c.dep_ in _OBJECT_DEPS and c.i > verb.i or c.dep_ in ("dobj", "prt", "neg"):
            c = _whole(lex, c) if c.dep_ == "dobj" else c
            toks.extend(_heads(c) if level == 2 else _phrase(c, bare=level == 1))
    if verb.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ not in _RELATIVE
                                    for c in verb.children) and not any(
            c.dep_ in ("dobj", "nsubjpass") and c.lower_ not in _RELATIVE
            for c in verb.children) and light_noun(lex, verb.head):
        toks.append(verb.head)  # "the deals (that) Moscow has struck": the event struck
    if _purpose_of_thing(verb):
        toks.extend(_heads(verb.head) if level == 2 else [verb.head])  # "weapons to use"
    return _bag(toks)


def _purpose_of_thing(verb: Token) -> bool:
    """An infinitive that says what a thing is for, the thing its object ("weapons to use
    against X", "missiles to sell to Y"): no subject and no object of its own."""
    return verb.dep_ in ("relcl", "acl") and verb.head.pos_ == "NOUN" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and not any(
        c.dep_ in ("dobj", "nsubj", "nsubjpass", "ccomp", "xcomp") for c in verb.children)


def _prep_bags(verb: Token) -> list[tuple[str, frozenset[str]]]:
    out = []
    heads = [verb] + [c for c in verb.children if c.dep_ in ("dobj", "attr", "xcomp")]
    for h in heads:
        for c in h.children:
            if c.dep_ in ("prep", "agent", "dative") and c.i > verb.i:
                out.append((c.lower_, _bag(t for t in _phrase(c) if t.i != c.i)))
    return out


def _doers(verb: Token) -> list[Token]:
    """The phrases a pattern's subject part is matched against: a passive's agent ("were
    killed by an improvised explosive device", as PETRARCH reads a passive), else the
    subject."""
    agents = [o for c in verb.children if c.dep_ == "agent" for o in c.children
              if o.dep_ == "pobj"]
    return agents or [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]


def verb_lemma(lex: CameoLexicon, verb: Token) -> str:
    """The verb's lemma as the dictionary spells it: the parser's lemma when listed, else
    the dictionary's irregular form, else a regular ending removed ("staged" -> "stage")."""
    lemma = verb.lemma_.lower()
    if lemma in lex.verbs:
        return lemma
    low = verb.lower_
    found = lex._lemmas.get((lemma, low))
    if found is None:
        found = lex._lemmas[(lemma, low)] = _verb_lemma(lex, lemma, low)
    return found


def _verb_lemma(lex: CameoLexicon, lemma: str, low: str) -> str:
    """`verb_lemma` of a lemma the dictionary does not list, by the word's form."""
    if low in lex.forms:
        return lex.forms[low]
    for cut, add in (("ed", ""), ("d", ""), ("ing", ""), ("ing", "e"), ("es", ""), ("s", ""),
                     ("ied", "y"), ("ies", "y")):
        if low.endswith(cut) and len(low) > len(cut) + 2:
            stem = low[: -len(cut)] + add
            if stem in lex.verbs:
                return stem
            if add == "" and len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in lex.verbs:
                return stem[:-1]  # "shipped" -> "ship"
    return lemma


def verb_key(lex: CameoLexicon, verb: Token) -> str | None:
    """The dictionary entry of a verb: "lemma particle" when listed, else the lemma."""
    lemma = verb_lemma(lex, verb)
    for c in verb.children:
        if c.dep_ == "prt":
            key = f"{lemma} {c.lower_}"
            if key in lex.verbs or key in lex.supplement.get("verbs", {}):
                return key
    if lemma in lex.verbs or lemma in lex.supplement.get("verbs", {}):
        return lemma
    return None


def pattern_code(lex: CameoLexicon, verb: Token, key: str) -> tuple[str | None, bool, bool]:
    """(code, reverse, matched): the most specific pattern of the verb's blocks that its
    dependents satisfy; else the verb's default (matched False)."""
    best = best_pattern(lex, verb, key)
    if best is not None:
        return best.code, best.reverse, True
    return lex.default_code(key), False, False


def best_pattern(lex: CameoLexicon, verb: Token, key: str) -> Pattern | None:
    """The most specific pattern of the verb's blocks that its dependents satisfy; among
    equally specific ones, one whose object words are the object's head before one that
    finds them among its modifiers ("withdrew weapons inspectors": the inspectors), and
    those before one that finds them in a prepositional phrase ("launched rocket fire
    against rebel camps near the border": "* FIRE", not "* BORDER")."""
    blocks = lex.verbs.get(key, (None, ()))[1]
    best: Pattern | None = None
    best_rank = 0
    bags: dict[int, frozenset[str]] = {}
    subj_bag: frozenset[str] | None = None
    preps: list[tuple[str, frozenset[str]]] | None = None
    for block in blocks:
        for pat in lex.patterns.get(block, ()):
            if best is not None and (pat.weight < best.weight or pat.weight == best.weight
                                     and (best_rank == 2 or not pat.post)):
                break  # (sorted by weight: nothing later in this block is more specific)
            if pat.verbs and key not in pat.verbs and key.split()[0] not in pat.verbs:
                continue  # "BREAK * (WITH)" is breaking with someone, not beating with
            rank = 2
            if pat.post:
                for level in (0, 1, 2):  # all the object's words, its phrase, its heads
                    if level not in bags:
                        bags[level] = _object_bag(lex, verb, level=level)
                    if not _satisfied(pat.post, bags[level]):
                        rank = level - 1
                        break
                if rank < 0 or best is not None and pat.weight == best.weight and (
                        rank <= best_rank):
                    continue
            if pat.pre:
                if subj_bag is None:  # the doer's own words, not its clauses' ("aircraft
                    # using guided missiles killed": no weapon's act)
                    subj_bag = _bag(t for c in _doers(verb) for t in _phrase(c))
                if not _satisfied(pat.pre, subj_bag):
                    continue
            if pat.preps:
                preps = preps if preps is not None else _prep_bags(verb)
                if not all(any(p in name.split("/") and _satisfied(words, bag)
                               for p, bag in preps)
                           for name, words in pat.preps):
                    continue
            best, best_rank = pat, rank
    return best


# --- coding a sentence -----------------------------------------------------------------------

@dataclass
class Coded:
    """An event the coder read: its trigger, CAMEO code, and the tokens of its roles."""

    trigger: Token
    code: str
    actor: Token | None = None
    target: Token | None = None
    nominal: bool = False
    reverse: bool = False
    content: Token | None = None  # the verb of the act when a governor or modal framed it
    how: str = "verb"  # verb, pattern, light, noun, intent, threat, refuse, demand, negated
    tokens: list[Token] = field(default_factory=list)
    act_words: frozenset[str] = frozenset()  # object words of the matched pattern: the act's own


def light_noun(lex: CameoLexicon, noun: Token) -> str | None:
    """The event a noun names ("talks", "hunger strike"), or None."""
    prev = noun.doc[noun.i - 1] if noun.i > 0 else None
    if prev is not None and prev.dep_ in ("compound", "amod"):
        code = lex.event_nouns.get(f"{prev.lower_} {noun.lower_}")
        if code:
            return code
    return lex.event_nouns.get(noun.lower_) or lex.event_nouns.get(noun.lemma_.lower())


def _event_object(lex: CameoLexicon, verb: Token) -> bool:
    """Whether the verb's object names an event ("reiterated its demand")."""
    obj = _direct_object(verb)
    return obj is not None and light_noun(lex, obj) is not None


def _direct_object(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN"):
            return c
    return None


def _base(lex: CameoLexicon, verb: Token) -> Coded | None:
    """The verb's own code, before the clause's modality."""
    key = verb_key(lex, verb)
    lemma = verb_lemma(lex, verb)
    if lemma in lex.speech and (key is None or key == lemma) and not (
            lemma in lex.light_verbs and _event_object(lex, verb)):
        return None  # it only reports: what it reports is coded on its own ("call off" acts)
    if lex.governors.get(lemma) in ("intent", "agree") and any(
            _opinion(lex, c) for c in verb.children):
        return None  # "agreed that the talks were useful": an opinion, not an intent
    obj = _direct_object(verb)
    if lemma in lex.happen or (obj is not None and f"{lemma} {obj.lemma_.lower()}" in lex.happen):
        # "the talks took place", "a summit opened": the subject names the event
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        noun_code = light_noun(lex, subj) if subj is not None else None
        if subj is not None and noun_code is not None:
            if any(c.lower_ in lex.negators for c in subj.children):
                return None
            return Coded(subj, noun_code, nominal=True, how="noun", tokens=[verb])
        if obj is None or light_noun(lex, obj) is None:
            return None  # "it went well": nothing happened to anyone
    code, reverse, matched = (None, False, False)
    words: frozenset[str] = frozenset()
    if key is not None:
        best = best_pattern(lex, verb, key)
        code, reverse, matched = (best.code, best.reverse, True) if best is not None else (
            lex.default_code(key), False, False)
        words = frozenset(w for singles, _ in best.post for w in singles) if best else words
        if matched and code and lex.type_of(code) is None and lex.type_of(
                lex.default_code(key)) is not None:
            code, reverse, matched = lex.default_code(key), False, False  # a 01/02 reading
    if (not matched or code is None) and lemma in lex.light_verbs:
        obj = _direct_object(verb)
        noun_code = light_noun(lex, obj) if obj is not None else None
        if obj is not None and noun_code:
            return Coded(verb, noun_code, how="light", tokens=[obj])
    if code is None or lex.type_of(code) is None:
        return _purpose(lex, verb)
    obj = _direct_object(verb)
    code = _answer(lex, code, obj) if not matched else code
    code = _verbal(lex, verb, obj, code)
    if not matched and key in lex.supplement.get("party_object_verbs", ()) and \
            obj is not None and not is_party(lex, obj):
        return None  # "received a floral basket from X" hosts no visit: a thing came
    return Coded(verb, code, reverse=reverse, how="pattern" if matched else "verb",
                 tokens=[obj] if obj is not None else [], act_words=words)


def _verbal(lex: CameoLexicon, verb: Token, obj: Token | None, code: str) -> str:
    """A verb of force used for words (the pack's `verbal_senses`): "attacked X, saying
    ...", a speech participle beside it; "Y is expected to attack Z", a person against a
    person. Read as criticism (`code`); any other use keeps its code."""
    rule = lex.supplement.get("verbal_senses") or {}
    if verb_lemma(lex, verb) not in rule.get("verbs", ()) or not code.startswith("19"):
        return code
    said = any(c.dep_ in ("advcl", "xcomp", "conj") and c.tag_ == "VBG" and
               c.lemma_.lower() in lex.speech for c in verb.children)
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None and verb.dep_ == "xcomp":  # "is expected to attack"
        subj = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    persons = subj is not None and obj is not None and subj.ent_type_ == "PERSON" and \
        obj.ent_type_ == "PERSON"
    return str(rule.get("code", code)) if said or persons else code


def _purpose(lex: CameoLexicon, verb: Token) -> Coded | None:
    """A verb that codes no act of its own, whose purpose is an event ("negotiators returned
    to Geneva for talks", "thousands gathered for a rally": the pack's `purpose_preps`):
    the event named."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in lex.supplement.get("purpose_preps", ()):
            for noun in prep.children:
                code = light_noun(lex, noun) if noun.dep_ == "pobj" else None
                if code is not None and lex.type_of(code) is not None:
                    return Coded(verb, code, how="light", tokens=[noun])
    return None


def _answer(lex: CameoLexicon, code: str, obj: Token | None) -> str:
    """A verb's own reading as the answer to what its object asked (the pack's
    `answered_requests`): disapproval whose object is a request ("dismissed an appeal from
    X", "scorned the demand") rejects it (CAMEO 12)."""
    rule = lex.supplement.get("answered_requests", {})
    asked = light_noun(lex, obj) if obj is not None else None
    if asked and code.startswith(tuple(rule.get("readings", ()))) and asked.startswith(
            tuple(rule.get("requests", ()))):
        return str(rule.get("code", code))
    return code


_PARTY_TYPES = {"PERSON", "ORG", "GPE", "NORP"}


def is_party(lex: CameoLexicon, noun: Token, depth: int = 0, *, modified: bool = True) -> bool:
    """Whether a noun names someone who can take part: a pronoun, a named party, a party's
    word ("minister", the Phoenix agents, not those whose first WordNet sense is a vehicle or
    weapon: "warship"; WordNet's persons and social groups, the pack's
    `party_nouns.wordnet`: "refugees", "supporters"; the pack's `party_nouns`:
    "delegation"), a noun a party's name modifies where `modified` ("a Russian military
    delegation"; not for a role of the lead: "Iranian missiles"), or a number or group of
    parties ("thousands of students", "a group of refugees"). Not a thing: weapons,
    documents, amounts, waste."""
    if noun.pos_ == "PRON" or noun.ent_type_ in _PARTY_TYPES:
        return True
    lemma = noun.lemma_.lower()
    if (lemma in lex.agents and lemma not in lex.agent_things) or lemma in lex.party_words or \
            noun.lower_ in lex.party_words or lemma in lex.supplement.get("party_nouns", ()):
        return True
    mods = [c for c in noun.children if c.dep_ in ("amod", "compound", "nmod", "poss")]
    if any(f"{c.lower_} {lemma}" in lex.agents and f"{c.lower_} {lemma}" not in lex.agent_things
           for c in mods if c.i == noun.i - 1):
        return True
    if modified and any(c.ent_type_ in _PARTY_TYPES for c in mods):
        return True
    collective = noun.like_num or noun.pos_ == "NUM" or bool(
        {lemma, noun.lower_} & set(lex.supplement.get("party_collectives", ())))
    return collective and depth < 2 and any(
        o.dep_ == "pobj" and is_party(lex, o, depth + 1, modified=modified)
        for p in noun.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children)


def _opinion(lex: CameoLexicon, clause: Token) -> bool:
    """A finite clause that follows its verb at once or after a complementiser ("agreed
    that the talks were useful"; the pack's `complementizers`); not one the parser hung on
    it from further on ("agreed to a ceasefire ... but media reports said ...")."""
    if clause.dep_ != "ccomp":
        return False
    marks = lex.supplement.get("complementizers", ())
    return clause.left_edge.i == clause.head.i + 1 or clause.left_edge.lower_ in marks or any(
        c.dep_ == "mark" and c.lower_ in marks for c in clause.children)


def _governor(lex: CameoLexicon, verb: Token) -> tuple[Token, str] | None:
    """The word that frames the verb's clause as intent, threat, refusal or demand, also
    through a verb between them that governs no clause of its own ("prepared to resume
    shelling", "agreed to start withdrawing")."""
    found = _governor_of(lex, verb)
    head = verb.head
    if found is None and verb.dep_ == "xcomp" and head.i != verb.i and head.dep_ == "xcomp" \
            and head.lemma_.lower() not in lex.governors:
        found = _governor_of(lex, head)
    return found


def _governor_of(lex: CameoLexicon, verb: Token) -> tuple[Token, str] | None:
    head = verb.head
    if head.i == verb.i:
        return None
    if verb.dep_ == "xcomp" or (verb.dep_ == "ccomp" and lex.governors.get(
            head.lemma_.lower()) == "demand"):
        kind = lex.governors.get(head.lemma_.lower())
        if kind:
            return head, kind
        # "is ready to", "is prepared to": the adjective governs
        if head.pos_ == "ADJ":
            kind = lex.governors.get(head.lower_)
            if kind:
                return head, kind
    if verb.dep_ == "pcomp" and head.dep_ == "prep":  # "prepared for", "called for"
        kind = lex.governors.get(head.head.lemma_.lower())
        if kind == "demand":
            return head.head, kind
    return None


def _modal(lex: CameoLexicon, verb: Token) -> str | None:
    for c in verb.children:
        if c.dep_ == "aux" and c.lower_ in lex.modals:
            return lex.modals[c.lower_]
    return None


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _frame(lex: CameoLexicon, base: Coded) -> Coded | None:
    """The clause's modality applied to the act's code (CAMEO 03, 13, 12, 10)."""
    verb = base.trigger
    gov = _governor(lex, verb)
    kind = gov[1] if gov else _modal(lex, verb)
    if kind is None and _purpose_of_thing(verb):
        kind = "intent"  # "weapons to use against X": what the thing is made or had for
    if kind is None and gov is None and verb.dep_ == "xcomp":
        kind = _modal(lex, verb.head)  # "will resume shelling"
    negated = _negated(verb) or (gov is not None and _negated(gov[0]))
    hostile = lex.conflictual(base.code)
    if kind == "negate":
        return None  # "failed to send": it did not happen
    if kind == "intent" and gov is None and not negated and base.code.startswith(
            tuple(lex.supplement.get("modal_kept_codes", ()))):
        return base  # "would complain to X": a complaint to come, no threat (status: planned)
    if kind == "agree":  # "agreed to postpone the demonstration": an agreement whatever the act
        kind, hostile = "intent", False
    if kind == "posture":  # "prepared to resume shelling": force readied, not threatened
        kind = "posture" if hostile and not negated else "intent"
    if kind == "refuse" or (negated and kind == "intent"):
        code = lex.intent_code("refuse") if not hostile else None
        how = "refuse"
    elif negated:
        return None  # what did not happen is no event (denials are read elsewhere)
    elif kind == "intent":
        code = lex.intent_code("conflictual" if hostile else "cooperative")
        how = "intent"
    elif kind == "threat":
        code, how = lex.intent_code("conflictual"), "threat"
    elif kind == "posture":
        code, how = lex.intent_code("posture"), "intent"
    elif kind == "demand":
        if gov is None and _no_demand(lex, verb):
            return None
        code, how = lex.intent_code("demand"), "demand"
    else:
        return base
    if code is None:
        return None
    trig = gov[0] if gov else verb
    obj = _direct_object(verb)
    return Coded(trig, code, nominal=False, reverse=False, content=verb, how=how,
                 tokens=[verb] + base.tokens + ([obj] if obj is not None else []),
                 act_words=base.act_words)


def _no_demand(lex: CameoLexicon, verb: Token) -> bool:
    """A modal's "should" that asks nothing of anyone (the pack's `modal_demand`): the
    speaker's own side told ("we should welcome"), or a verb of knowing ("should know")."""
    rule = lex.supplement.get("modal_demand") or {}
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return verb.lemma_.lower() in rule.get("rhetorical_verbs", ()) or (
        subj is not None and subj.pos_ == "PRON" and subj.lower_ in rule.get("self_subjects", ()))


def _demanded(lex: CameoLexicon, verb: Token) -> Coded | None:
    """A reported clause that says what its subject must do ("declared that China must drop
    barriers"): a demand whatever the act, when the dictionary codes none (CAMEO 10)."""
    if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in lex.speech or \
            _modal(lex, verb) != "demand" or _negated(verb) or _no_demand(lex, verb):
        return None
    return Coded(verb, lex.intent_code("demand"), how="verb")


def _governor_alone(lex: CameoLexicon, verb: Token) -> bool:
    """A governor with its complement: the complement's event, framed, stands for it. A
    finite clause frames only as a demand ("demanded that X leave"); "agreed that the talks
    were useful" states an opinion."""
    kind = lex.governors.get(verb.lemma_.lower())
    if kind is None:
        return False
    deps = ("xcomp", "ccomp") if kind == "demand" else ("xcomp",)
    return any(c.dep_ in deps for c in verb.children)


def habitual(verb: Token, noun: Token | None = None) -> bool:
    """An act in the simple present that a word of habit modifies (the pack's
    `habitual_words`: "routinely exchange", "has regular meetings"): in the verb, or in the
    event noun it takes (`noun`; else its direct objects). "Held regular talks on Monday" is
    one day's."""
    if verb.tag_ not in ("VBZ", "VBP"):
        return False
    words = load_cameo(verb.doc._.sl_language or "en").supplement.get("habitual_words", ())
    heads = [verb, noun] if noun is not None else [verb] + [
        c for c in verb.children if c.dep_ == "dobj"]
    return any(c.dep_ in ("amod", "advmod") and c.lower_ in words
               for h in heads for c in h.children)


_VERBS_KEY = ("._.", "sl_verbs", None, None)  # a Doc's user_data: its verbs (POS VERB)


def _verb_indexes(doc: Doc, start: int, end: int) -> list[int]:
    """The indexes of the tokens tagged VERB in [start, end), ascending; the Doc's are
    read from `token_pos` once per Doc."""
    found = doc.user_data.get(_VERBS_KEY)
    if found is None or found[0] != len(doc):
        found = doc.user_data[_VERBS_KEY] = (
            len(doc), [i for i, p in enumerate(token_pos(doc)) if p == VERB])
    verbs = found[1]
    return verbs[bisect.bisect_left(verbs, start):bisect.bisect_left(verbs, end)]


def code_sentence(lex: CameoLexicon, sent: Span) -> list[Coded]:
    """Every event the coder reads in a sentence, in text order, one per trigger."""
    out: list[Coded] = []
    framed: set[int] = set()
    doc = sent.doc
    verbs = [doc[i] for i in _verb_indexes(doc, sent.start, sent.end)]  # (Tokens: verbs only)
    for tok in verbs:
        if tok.i in framed or (
                tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN"
                and lost_subject(lex, tok) is None):
            continue  # (a past participle describes its noun: "a delegation led by")
        if _governor_alone(lex, tok):
            continue  # framed by its complement, or coded in the second pass
        base = _base(lex, tok) or _demanded(lex, tok)
        if base is None:
            continue
        coded = _frame(lex, base)
        if coded is None:
            continue
        if coded.trigger.i != tok.i:
            framed.add(coded.trigger.i)
            out = [c for c in out if c.trigger.i != coded.trigger.i]
        out.append(coded)
    # governors whose complement codes nothing: the governor's own code ("rejected the plan")
    seen = {c.trigger.i for c in out} | {c.content.i for c in out if c.content is not None}
    for tok in verbs:
        if tok.i in seen or not _governor_alone(lex, tok):
            continue
        # "pressured X to cancel", "refused to respond": the frame is the event
        kind = lex.governors[tok.lemma_.lower()]
        if _negated(tok) or kind == "negate":
            continue
        kind = "intent" if kind in ("agree", "posture") else kind  # what is readied: unread
        code = lex.intent_code({"intent": "cooperative", "threat": "conflictual"}.get(kind, kind))
        out.append(Coded(tok, code, how=kind, content=None))
    for c in out:
        _roles(lex, c)
        _irregular(lex, c)
    out.sort(key=lambda c: c.trigger.i)
    return out


def lost_subject(lex: CameoLexicon, verb: Token) -> Token | None:
    """The subject of a main verb the parser hung under a noun it took for the sentence's
    root ("Russian President Boris Yeltsin on Saturday hosted Japanese Prime Minister ...":
    'hosted' as an adjective of the minister; "An official Syrian newspaper called Thursday
    on Arabs to unite": 'called' as a participle of the newspaper): in a sentence that ends
    as prose and has no verb for root, the first verb after the root, when it reads actively
    (a past tense; a participle the parse made an adjective of a noun further on, which is its
    object; a participle with an object or a complement of its own or of a verb joined to it:
    no passive takes one), has the root for subject; not a verb that only reports ("U.S.
    Has said it will not allow ...": who said it stays unread)."""
    sent = sentence_of(verb)
    root = sent.root
    if root.pos_ not in ("NOUN", "PROPN") or verb.dep_ not in ("acl", "amod") or \
            verb.i < root.i or next((t.text for t in reversed(sent) if not t.is_space),
                                    "") not in (".", "!"):
        return None
    first = next((t for t in sent if t.pos_ == "VERB" and t.i > root.i), None)
    if first is None or first.i != verb.i or verb_lemma(lex, verb) in lex.speech or any(
            c.dep_ in _SUBJECT_DEPS or c.dep_ in ("agent", "auxpass") for c in verb.children):
        return None
    joined = [verb] + [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    active = verb.tag_ == "VBD" or verb.dep_ == "amod" or any(
        c.dep_ in ("dobj", "dative", "xcomp", "ccomp") for v in joined for c in v.children)
    return root if active else None


def _shared_objects(lex: CameoLexicon, verb: Token) -> tuple[list[Token], list[Token | None]]:
    """The objects and target phrases of the verb joined to this one by "and", which the
    parse gives to the last verb only ("donated and personally delivered goods to X": the
    goods and X are the donation's too); none when the joined verb has a subject of its own."""
    from .arguments import child

    joined = next((c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"), None)
    if joined is None or any(c.dep_ in _SUBJECT_DEPS for c in joined.children) or not any(
            c.dep_ == "cc" and c.lower_ == "and" for c in verb.children):
        return [], []
    own, theirs = _base(lex, verb), _base(lex, joined)
    if theirs is not None and (own is None or lex.same_act(lex.type_of(own.code),
                                                         lex.type_of(theirs.code))):
        return [], []  # (a joined verb coded itself states the act: "attacked and destroyed",
        # "shelled and destroyed"; one of another kind states its own: "denounces and rejects
        # X" criticises X too)
    objects = [x for x in (child(joined, "dative"), child(joined, "dobj")) if x is not None
               and x.pos_ in ("PROPN", "NOUN", "PRON")]
    found = [child(x, "pobj") for x in joined.children if x.dep_ in ("prep", "dative")
             and x.lower_ in lex.roles.get("target_preps", ())]
    return objects, found


def _direct_object(verb: Token) -> Token | None:
    """The verb's direct object; of two (a parse that made the "that" opening a reported
    clause an object too: "told the council that X is trying to strangle Y"), the one after
    the verb."""
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    after = [c for c in objs if c.i > verb.i]
    if len(objs) > 1 and after:
        return after[0]
    return objs[0] if objs else None


def _noun_head(tok: Token) -> Token:
    """The head of the noun phrase a word is part of ("Prime Minister Ryutaro Hashimoto")."""
    while tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _irregular(lex: CameoLexicon, c: Coded) -> None:
    """Military force used by rebels, militants or criminals is unconventional violence."""
    rule = lex.naming.get("irregular", {})
    if not rule or c.actor is None or not c.code.startswith(rule.get("from", "-")):
        return
    words = [c.actor] + [x for x in c.actor.children if x.dep_ in ("compound", "amod")]
    sectors = {lex.agents.get(w.lower_) or lex.agents.get(w.lemma_.lower()) for w in words}
    if sectors & set(rule.get("sectors", [])):
        c.code = str(rule["code"])


def _roles(lex: CameoLexicon, c: Coded) -> None:
    """Actor and target tokens: the subject (a passive's agent), then the object."""
    from .arguments import child, subject_of

    verb = c.trigger
    c.actor = subject_of(verb) if verb.pos_ in ("VERB", "AUX", "ADJ") else None
    if c.actor is None and verb.pos_ == "ADJ":  # "X is ready to": the copula's subject
        c.actor = child(verb.head, "nsubj")
    if c.actor is None and verb.dep_ == "acl" and verb.tag_ == "VBG" and \
            verb.head.dep_ == "dobj" and light_noun(lex, verb.head) is None:
        # "issued a declaration demanding that X ...": the issuer demands
        c.actor = subject_of(verb.head.head)
    if _purpose_of_thing(verb) and verb.head.dep_ == "dobj":
        c.actor = subject_of(verb.head.head)  # "X is making weapons to use against Y": X
    if c.actor is None and verb.pos_ == "VERB":  # a main verb the parse hung under a noun
        c.actor = lost_subject(lex, verb) or (
            lost_subject(lex, verb.head) if verb.dep_ == "conj" else None)
    act = c.content or verb
    target = None
    if c.how == "demand":
        # "demanded that X stop": the complement's subject; "urged X to stop": the object
        comp = c.content or child(verb, "ccomp") or child(verb, "xcomp")
        target = subject_of(comp) if comp is not None and child(comp, "nsubj") is not None \
            else None
        target = target or child(verb, "dobj") or next(  # "called on X to", "appealed to X to"
            (o for p in verb.children if p.dep_ == "prep" and p.lower_ in lex.roles.get(
                "addressee_preps", ()) for o in p.children if o.dep_ == "pobj"), None)
    if c.nominal:
        _nominal_roles(lex, c)
        return
    objects = [x for x in (child(act, "dative"), _direct_object(act)) if x is not None
               and x.pos_ in ("PROPN", "NOUN", "PRON")]
    if act.dep_ == "amod" and lost_subject(lex, act) is not None:  # "hosted Japanese Prime
        objects.append(_noun_head(act.head))  # Minister Ryutaro Hashimoto": the minister
    origin = act.lemma_.lower() in lex.roles.get("motion_verbs", ())
    found = [child(x, "pobj") for x in act.children if x.dep_ in ("prep", "dative")
             and x.lower_ in lex.roles.get("target_preps", ())
             and not (origin and x.lower_ in lex.roles.get("origin_preps", ()))]
    purpose = c.how == "light" and bool(c.tokens) and c.tokens[0].dep_ == "pobj" and \
        c.tokens[0].head.head.i == act.i
    if purpose:  # "return to Geneva for talks with X": the event's party, not the way there
        objects = []  # (nor what the verb moves: the verb codes nothing of its own)
        found = [child(p, "pobj") for p in c.tokens[0].children if p.dep_ == "prep"
                 and p.lower_ in lex.roles.get("nominal_target_preps", ())]
    if verb_lemma(lex, act) in lex.light_verbs:
        # "held talks with Y", "will hold emergency meetings": the object names the event,
        # its party is its owner ("received a Russian delegation") or the one it is held with
        events = [x for x in objects if light_noun(lex, x)]
        objects = [x for x in objects if x not in events]
        objects += [o for o in (_owner(lex, x) for x in events) if o is not None]
        found += [child(p, "pobj") for x in events for p in x.children if p.dep_ == "prep"
                  and p.lower_ in _noun_target_preps(lex, c.code)]
    if not objects and not any(found):
        objects, found = _shared_objects(lex, act)  # "donated and delivered goods to X"
    preps = [x for x in found if x is not None and x.ent_type_ not in _NOT_PARTIES
             and not _measure(x)]
    objects = [x for x in objects if x is not None and x.ent_type_ not in _NOT_PARTIES
               and not _measure(x)]
    passive = child(act, "nsubjpass")
    if target is None and passive is not None and not objects:
        target = passive  # "the village was attacked by X"
    if target is None:
        # a party before a thing: "supply weapons to Kyiv" is aimed at Kyiv
        named = [x for x in objects + preps if _named(x)]
        rest = objects + preps
        if not named and rest and not is_party(lex, rest[0]) and _owner(lex, rest[0]) is None:
            # a thing no one owns gives way to a party: "granted political asylum to 18
            # Rwandan rebels" is aimed at the rebels
            pairs = [o for p in rest[0].children if p.dep_ == "prep" and p.lower_ in
                     lex.roles.get("nominal_pair_preps", ()) and p.lower_ in c.act_words
                     for o in p.children if o.dep_ == "pobj"]  # the pattern's own "between":
            # "launched a mediation effort between X and Y" (&MEDIATION BETWEEN)
            aimed = [o for p in rest[0].children if c.content is not None and p.dep_ ==
                     "prep" and p.lower_ in lex.roles.get("thing_target_preps", ())
                     for o in p.children if o.dep_ == "pobj" and _named(o)]
            # a framed act on a thing had with a party: "would boycott contact with X": X
            rest = aimed + [x for x in rest + pairs if is_party(lex, x, modified=False)] + rest
        target = named[0] if named else (rest[0] if rest else None)
    if target is not None and target.ent_type_ in _NOT_PARTIES:
        target = None
    if target is not None and not _named(target):
        target = _owner(lex, target) or target  # "rejected Tokyo's proposal": Tokyo
    if target is not None and target.pos_ == "NOUN":
        target = _leader(lex, target) or target  # "the US-led coalition": the United States
    c.target = target
    if c.actor is not None and c.actor.pos_ == "NOUN" and not _named(c.actor):
        c.actor = _group_of(lex, c.actor) or c.actor  # "the puppet clique of Ukraine": Ukraine
    if c.reverse:
        c.actor, c.target = c.target, c.actor
        if c.actor is not None and not _named(c.actor):  # "received a message from X": X's
            c.actor = _owner(lex, c.actor) or c.actor


_PARTY_LABELS = frozenset({"GPE", "ORG", "PERSON", "NORP", "LOC", "FAC"})


def _owner(lex: CameoLexicon, thing: Token, depth: int = 0) -> Token | None:
    """The named party a thing belongs to or comes from ("Tokyo's proposal", "a proposal
    from Tokyo", "a Russian delegation", "a message of greeting from X")."""
    from .arguments import child

    if any(x.dep_ == "poss" and x.pos_ == "PRON" for x in thing.children):
        return None  # "its purchases from X": the thing is its owner's, X only sold it
    for x in thing.children:
        if x.dep_ in ("poss", "compound", "amod") and _named(x):
            return x
        if x.dep_ == "prep" and x.lower_ in lex.roles.get("owner_preps", ()):
            obj = child(x, "pobj")
            if obj is not None and _named(obj):
                return obj
            if obj is not None and depth < 2 and not light_noun(lex, obj):
                inner = _owner(lex, obj, depth + 1)
                if inner is not None:
                    return inner
        if x.dep_ == "acl" and x.tag_ == "VBN" and not any(  # "a delegation led by X"
                c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in x.children):
            agent = child(x, "agent")
            obj = child(agent, "pobj") if agent is not None else None
            if obj is not None and _named(obj):
                return obj
    return None


def _group_of(lex: CameoLexicon, group: Token) -> Token | None:
    """The named party a group without a name belongs to ("the government of Ukraine",
    "supporters of X"): a party's word (`is_party`) whose "of" names it."""
    from .arguments import child

    if not is_party(lex, group):
        return None
    for x in group.children:
        if x.dep_ == "prep" and x.lower_ == "of":
            obj = child(x, "pobj")
            if obj is not None and _named(obj):
                return obj
    return None


def _leader(lex: CameoLexicon, thing: Token) -> Token | None:
    """The named party that leads or backs a group ("the US-led coalition", "Iranian-backed
    militias"): the pack's `owner_participles`."""
    for x in thing.subtree:  # (the modifier may hang on a word of the compound)
        if x.i < thing.i and x.dep_ == "amod" and x.lemma_.lower() in lex.roles.get(
                "owner_participles", ()):
            for c in x.children:
                if c.dep_ in ("npadvmod", "compound", "nmod") and _named(c):
                    return c
    return None


def _measure(tok: Token) -> bool:
    """A word the entity rules read as a thing or a measure, never a party ("at 1100 GMT":
    a clock time's zone, which the parser may tag a proper noun)."""
    from .entity_rules import names_no_actor

    return tok.is_upper and names_no_actor(tok.doc, tok.i, tok.i + 1, set())


def _named(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.ent_type_ in _PARTY_LABELS


def _noun_target_preps(lex: CameoLexicon, code: str) -> tuple[str, ...]:
    """The prepositions by which an event noun names whom its act is aimed at ("talks with
    Y"), with those of its code's own (the pack's `noun_target_preps_by_code`: a withdrawal
    "from Iraq", CAMEO 087)."""
    extra = lex.supplement.get("noun_target_preps_by_code", {})
    return tuple(lex.roles.get("nominal_target_preps", ())) + tuple(
        w for prefix, words in extra.items() if code.startswith(prefix) for w in words)


def _nominal_roles(lex: CameoLexicon, c: Coded) -> None:
    """ "a summit between X and Y", "X's visit", "talks with Y"."""
    from .arguments import child

    noun = c.trigger
    for x in noun.children:
        if x.dep_ == "poss" and c.actor is None or x.dep_ == "compound" and _named(x) and c.actor is None:
            c.actor = x
        elif x.dep_ == "prep" and x.lower_ in _noun_target_preps(lex, c.code) + (
                lex.roles.get("nominal_pair_preps", ()) + lex.roles.get("nominal_agent_preps", ())):
            obj = child(x, "pobj")
            if obj is None:
                continue
            if x.lower_ in lex.roles.get("nominal_pair_preps", ()) or (
                    x.lower_ in lex.roles.get("nominal_agent_preps", ()) and c.actor is None):
                c.actor = c.actor or obj
                conj = child(obj, "conj")
                if conj is not None and c.target is None:
                    c.target = conj
            elif c.target is None:
                c.target = obj
