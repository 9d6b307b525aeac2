"""Arguments of an event frame read around its trigger: parties, places, the subject a
clause inherits, the verb that carries a nominal event, a relative clause's object gap.

Helpers for `event_frames`; each reads the parse and the document's entities (`DocIndex`).
"""

from __future__ import annotations

from spacy.tokens import Token

from .arguments import (
    RELATIVE,
    DocIndex,
    Ref,
    child,
    prep_objects,
    resolve,
    resolve_all,
    subject_of,
)
from .lexicon import Lexicon

# Nouns for a place that a name completes ("the port of X", "the Russian port of X").
PLACE_NOUNS = frozenset({"port", "harbor", "harbour", "city", "town", "base", "terminal",
                         "airport", "airbase", "anchorage", "dock", "quay", "pier", "capital"})
# What a ship does when it calls at a port.
PORT_CALL_VERBS = frozenset({"visit", "arrive", "dock", "reach", "return", "enter", "berth",
                             "moor", "anchor"})
ONWARD = frozenset({"on", "onward", "onwards", "back", "straight", "directly", "then"})


# --- helpers -------------------------------------------------------------------------------

def party(idx: DocIndex, tok: Token | None) -> Ref | None:
    """An entity as a party to an event (names, pronouns, "Seoul officials")."""
    return resolve(idx, tok) if tok is not None else None


def first_party(idx: DocIndex, toks: list[Token]) -> tuple[Ref | None, Token | None]:
    for t in toks:
        ref = party(idx, t)
        if ref is not None:
            return ref, t
    return None, None


def first_place(idx: DocIndex, toks: list[Token]) -> tuple[Ref | None, Token | None]:
    """The first country, city or region among `toks`: one visits places, not buildings."""
    for t in toks:
        ref = party(idx, t)
        if ref is not None and ref.entity.type in ("GPE", "LOC"):
            return ref, t
    return None, None


def item_country(idx: DocIndex, tok: Token | None) -> Ref | None:
    """The country that modifies an item ("North Korean troops" -> North Korea)."""
    if tok is None:
        return None
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            ref = idx.entity_for_token(c)
            if ref is not None and ref.entity.type in ("GPE", "NORP"):
                return idx.country_of_demonym(ref)
    return None


def owner_country(idx: DocIndex, tok: Token | None) -> Ref | None:
    """The country whose things a phrase names, also through amounts ("Japanese goods",
    "300 mln dlrs worth of Japanese electronic goods" -> Japan): the first country that
    modifies a noun inside it."""
    if tok is None:
        return None
    ref = item_country(idx, tok) if tok.pos_ in ("NOUN", "PROPN") else None
    if ref is not None:
        return ref
    for c in tok.children:  # through prepositions, never into a clause ("a firm it accused")
        if c.dep_ in ("prep", "pobj"):
            ref = owner_country(idx, c)
            if ref is not None:
                return ref
    return None


def agent_objects(verb: Token) -> list[Token]:
    """The objects of a passive verb's "by" ("announced by President Reagan")."""
    return [o for a in verb.children if a.dep_ == "agent" for o in a.children
            if o.dep_ == "pobj"]


def climb_subject(tok: Token, limit: int = 8) -> Token | None:
    """The nearest clause subject above `tok` that is not `tok` itself (for launches,
    tests and attempts, whose agent is often the topic of the clause around them)."""
    cur = tok
    for _ in range(limit):
        if cur.head == cur:
            return None
        if cur.dep_ == "ccomp" and cur != tok:
            return None
        if cur.pos_ in ("VERB", "AUX") and cur != tok and (cur.dep_ == "relcl" or (
                cur.dep_ == "acl" and any(c.dep_ == "aux" for c in cur.children))):
            own = subject_of(cur)
            return own if own is not None else cur.head  # "a group ... to coordinate X"
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            subj = subject_of(cur)
            if subj is not None and subj not in tok.subtree and subj != tok:
                return subj
    return None


def light_verb(lex: Lexicon, noun: Token) -> Token | None:
    """The verb that carries a nominal event ("hold talks", "begin a visit")."""
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in \
            lex.event_measures:  # "held several hours of talks": the measure is the object
        noun = head.head
        head = noun.head
    if noun.dep_ in ("dobj", "attr", "nsubjpass", "ccomp") and head.lemma_.lower() in \
            lex.light_verbs:  # (ccomp: "made public a statement", parsed as a clause)
        return head
    return None


def goer(lex: Lexicon, noun: Token) -> Token | None:
    """Who goes to the event a noun names: the subject of a verb of going ("drove to a meeting
    with X", "came for talks"), the object of a verb of sending ("sent X to Moscow for talks")."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in ("to", "for") or prep.dep_ != "prep":
        return None
    verb = prep.head
    lemma = verb.lemma_.lower()
    if verb.pos_ != "VERB":
        return None
    if lemma in lex.senders:
        return child(verb, "dobj")
    if lemma in lex.goers:
        return subject_of(verb)
    return None


def between(idx: DocIndex, noun: Token) -> list[Ref]:
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("between", "among"):
            objs = [o for o in c.children if o.dep_ == "pobj"]
            if objs:
                return resolve_all(idx, objs[0], agentive=True)
    return []


def gap_object(v: Token, passive: bool) -> Token | None:
    """The noun a relative clause's verb leaves its object gap for ("the sanctions [that]
    X imposed on Y", "the shells [which] X sent"): the noun the clause modifies."""
    if passive or v.dep_ != "relcl" or v.head.pos_ not in ("NOUN", "PROPN"):
        return None
    subj = child(v, "nsubj")
    if subj is None or subj.lower_ in RELATIVE:
        return None  # "the country that sent troops": the noun is the subject
    if any(c.dep_ in ("advmod", "prep") and c.lower_ in ("where", "when", "why")
           for c in v.children):
        return None
    return v.head


def has_complement(lex: Lexicon, v: Token, dobj: Token | None) -> bool:
    """What an agreement verb agrees to: "to" + a verb, "on" a matter, or a deal object."""
    if any(c.dep_ == "xcomp" for c in v.children) or prep_objects(v, "on", "upon"):
        return True
    return dobj is not None and (lex.trigger(dobj) is not None and lex.trigger(dobj).frame
                                 == "agree")


def asset_token(lex: Lexicon, subj: Token | None) -> Token | None:
    """The ship or aircraft a subject names: the noun itself, or for "it" the vessel or
    aircraft named last in this sentence or the one before ("... the vessel ... said it was
    expected to dock")."""
    if subj is None:
        return None
    classes = {"vessel", "aircraft"}
    if set(lex.classes_of([subj.lemma_.lower(), subj.lower_])) & classes:
        return subj
    if subj.lower_ != "it":
        return None
    doc = subj.doc
    first = subj.sent.start
    if first > 0:
        first = doc[first - 1].sent.start
    for t in reversed(doc[first: subj.i]):
        if t.pos_ == "NOUN" and set(lex.classes_of([t.lemma_.lower(), t.lower_])) & classes:
            return t
    return None


def place_noun(idx: DocIndex, tok: Token) -> tuple[Ref | None, Token | None]:
    """ "the Russian port of X": the country that the modifier names (else the named place)
    and the token naming the place."""
    if tok.lemma_.lower() not in PLACE_NOUNS:
        return None, None
    named = next((o for o in prep_objects(tok, "of") if idx.entity_for_token(o)), None)
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            ref = idx.entity_for_token(c)
            if ref is not None and ref.entity.type in ("GPE", "NORP"):
                return idx.country_of_demonym(ref), named if named is not None else tok
    if named is not None:
        return idx.entity_for_token(named), named
    return None, None
