"""Events of every PLOVER type from the CAMEO coder (`cameo`), as event candidates.

The finer-subtype extractor (`event_frames`) reads the kinds the project follows closely
(arms transfers, visits, summits, ...); this layer codes every other act the dictionary
knows, with its PLOVER type, CAMEO code and mode, and a finer subtype where the code and
the item's class give one (`plover.naming.json`). Actors and targets go through the entity
layer; a phrase that names no known entity ("Israeli soldiers") stands as written.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Callable

from spacy.attrs import POS
from spacy.symbols import PRON
from spacy.tokens import Doc, Span, Token

from ..lang import get_pack
from ..records import Entity
from . import doc_text, token_strings
from .arguments import DocIndex, Ref, is_pair_word, np_span, resolve, resolve_all
from .cameo import (
    CameoLexicon,
    Coded,
    code_sentence,
    habitual,
    is_party,
    light_noun,
    load_cameo,
)
from .entity_rules import text_heads
from .event_frames import Candidate
from .lexicon import Lexicon

__all__ = ["as_written", "general_candidates", "lead_sentence", "possible_purpose", "recode", "without_repeats"]

def general_candidates(idx: DocIndex, lex: Lexicon, memory: list[Ref], taken: set[int],
                       finish: Callable[..., None]) -> list[Candidate]:
    """Candidates for the acts the coder reads outside the tokens in `taken`."""
    doc = idx.doc
    cameo = load_cameo(doc._.sl_language or "en")
    if not cameo.verbs:
        return []
    out: list[Candidate] = []
    text = doc_text(doc)
    strict = set(cameo.supplement.get("require_named", []))
    lead_need = cameo.supplement.get("lead_require_named")  # None: the lead as any sentence
    lead_party = set(cameo.supplement.get("lead_require_party") or ())
    lead = lead_sentence(doc) if lead_need is not None else None
    if lead is not None and _story_goes_on(doc, lead):
        # the lead of an article whose story goes on below it: its parties are named there
        lead_need = list(lead_need or ()) + list(
            cameo.supplement.get("article_lead_require_named") or ())
    pron = doc.to_array([POS]) == PRON if strict or lead_need else None
    titled = idx.person_title_words()  # ("the prime minister" may name a person named before)
    for sent in doc.sents:
        in_lead = lead is not None and sent.start == lead.start
        need = set(lead_need or ()) if in_lead else strict
        if text[sent.start_char:sent.end_char].rstrip().endswith("?"):
            continue
        if any(i in taken for i in range(sent.start, sent.end)):
            continue  # the sentence states a typed event: its other verbs only surround it
        if need and pron is not None and not _may_name(
                idx, sent, need, int(pron[sent.start:sent.end].sum()) + sum(
                    is_pair_word(t) or t.lower_ in titled for t in sent)):
            continue  # no event of it could be kept: not worth coding
        coded_all = [c for c in code_sentence(cameo, sent) if not _conditional(
            cameo, c.content or c.trigger) and not possible_purpose(cameo, c.trigger)]
        for coded in sorted(coded_all, key=_rank)[:cameo.per_sentence]:
            relaxed = in_lead and need != strict
            if relaxed and _possible(coded):
                continue  # "tankers ... could be threatened by Iranian missiles": no act yet
            cand = _candidate(idx, lex, cameo, coded, need,
                              parties=lead_party if relaxed else None)
            if cand is None:
                continue
            finish(idx, lex, cand, memory)
            out.extend(c for a in each_actor(cand, _reciprocal(cameo, coded.code))
                       for c in each_target(a))
    for sent in doc.sents:  # acts named by a noun of their own, beside the sentence's verbs
        if text[sent.start_char:sent.end_char].rstrip().endswith("?"):
            continue
        for coded in free_acts(idx, cameo, sent, taken):
            cand = _candidate(idx, lex, cameo, coded, strict)
            if cand is not None:
                finish(idx, lex, cand, memory)
                out.append(cand)
    return out


_DOERS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
# a verb that describes a noun or sits in a clause of another act's ("roads leading to the
# city centre", "the strike they have been planning", "for holding elections")
_SUBORDINATE = frozenset({"relcl", "acl", "advcl", "pcomp", "amod", "xcomp", "csubj"})


def free_acts(idx: DocIndex, cameo: CameoLexicon, sent: Span, skip: set[int]) -> list[Coded]:
    """ "an Iranian missile attack on a U.S.-flagged ship", "a U.S. attack on an Iranian oil
    platform": an act named by a noun that stands free (the pack's `free_nouns`, each with
    the prepositions that name what it is aimed at), outside the tokens in `skip` and the
    objects of light verbs (coded with their clause): its doer is the party named before the
    noun in its phrase, its target the first party that the phrase it is aimed at names (the
    owner of a ship, of a platform); "an attack damaging a ship" aims at the ship's. Both
    must be named."""
    rule = cameo.supplement.get("free_nouns", {})
    out: list[Coded] = []
    lemmas = token_strings(sent.doc).lemma
    for i in range(sent.start, sent.end):
        preps = rule.get(lemmas[i])
        if preps is None and i > sent.start and lemmas[i][:1].isupper():
            # "denounced a U.S. Attack on ...": the noun capitalised inside a sentence, which
            # the parser takes for a name (none the entities know)
            preps = rule.get(lemmas[i].lower())
            if preps is not None and idx.entity_for_token(sent.doc[i]) is not None:
                preps = None
        if preps is None:
            continue  # (a Token only for a word the rule names)
        tok = sent.doc[i]
        if tok.pos_ not in ("NOUN", "PROPN") or tok.i in skip or (
                tok.dep_ in ("dobj", "nsubj", "nsubjpass")
                and tok.head.lemma_.lower() in cameo.light_verbs | cameo.happen):
            continue
        code = light_noun(cameo, tok)
        if code is None:
            continue
        actor = next((t for t in tok.subtree if t.i < tok.i and _doer(idx, t)), None)
        aimed = [p for p in tok.children if p.dep_ == "prep" and p.lower_ in preps]
        if not aimed and tok.dep_ == "dobj" and tok.i + 1 < sent.end:
            # the phrase right after the noun, which the parser hung on the verb instead
            nxt = sent.doc[tok.i + 1]
            aimed = [nxt] if nxt.dep_ == "prep" and nxt.head.i == tok.head.i and \
                nxt.lower_ in preps else []
        goal = next((o for p in aimed for o in p.children if o.dep_ == "pobj"), None) or next(
            (o for v in tok.children if v.dep_ == "acl" and v.tag_ == "VBG"
             for o in v.children if o.dep_ == "dobj"), None)
        target = next((t for t in goal.subtree if t.i <= goal.i and _doer(idx, t)),
                      None) if goal is not None else None
        if actor is not None and target is not None:
            out.append(Coded(tok, code, actor=actor, target=target, nominal=True, how="noun"))
    return out


def _doer(idx: DocIndex, tok: Token) -> bool:
    ref = idx.entity_for_token(tok)
    return ref is not None and ref.entity.type in _DOERS


def _reciprocal(cameo: CameoLexicon, code: str) -> bool:
    """Whether several doers named together take the act with each other when no one else is
    named (the pack's `reciprocal_codes`: meeting, agreeing, cooperating, fighting)."""
    return code.startswith(tuple(cameo.supplement.get("reciprocal_codes", ())))


def each_actor(cand: Candidate, reciprocal: bool = True) -> list[Candidate]:
    """ "The United States and Britain vetoed a resolution": an act that several parties
    take against a third is one event for each of them, aimed at that third (a joint act with
    no third party, "Jordan and Britain agreed", is one event between the two). An act that
    is not `reciprocal` is each doer's own when no one is named as its target either
    ("France, Germany and Italy condemned the attack": three events, no target)."""
    parties = cand.participants
    if cand.target is None and not reciprocal and len(parties) > 1 and cand.actor is not None \
            and cand.actor.entity.key == parties[0].entity.key:
        return [cand] + [_with_actor(cand, p) for p in parties[1:]]
    if len(parties) < 2 or cand.target is None or cand.actor is None or \
            cand.actor.entity.key != parties[0].entity.key or any(
            p.entity.key and p.entity.key == cand.target.entity.key for p in parties):
        return [cand]
    return [cand] + [_with_actor(cand, p) for p in parties[1:]]


def _with_actor(cand: Candidate, party: Ref) -> Candidate:
    other = copy.copy(cand)
    other.actor, other.extra = party, dict(cand.extra)
    return other


def lead_sentence(doc: Doc) -> Span | None:
    """The lead: the first sentence with a verb on the first line written as prose (a line
    that ends as a sentence ends), past a headline, a title line and a dateline."""
    text = doc_text(doc)
    pos = 0
    for line in text.split("\n"):
        body = line.strip()
        if body.rstrip("\"'”’)")[-1:] in (".", "!"):
            start = pos + line.index(body[0])
            for sent in doc.sents:  # (a dateline before it states nothing: no verb)
                if sent.end_char > start and any(t.pos_ in ("VERB", "AUX") for t in sent):
                    return sent
            return None
        pos += len(line) + 1
    return None


def _story_goes_on(doc: Doc, lead: Span) -> bool:
    """Whether the text goes on past the lead's paragraph with a sentence of its own (a
    verb on a later line): an article, not a lone sentence or a lead alone."""
    text = doc_text(doc)
    end = lead.start_char + len(lead.text.rstrip())  # (the span keeps the line break after it)
    for sent in doc.sents:
        if sent.start_char >= end and "\n" in text[end:sent.start_char] \
                and any(t.pos_ in ("VERB", "AUX") for t in sent):
            return True
    return False


def _may_name(idx: DocIndex, sent: Span, need: set[str], pronouns: int) -> bool:
    """Whether a sentence can give the named parties `require_named` asks for: as many
    entity mentions inside it as roles to fill (each pronoun may stand for one, through
    the coder's memory of the last one named)."""
    lo = bisect.bisect_left(idx.starts, sent.start_char)
    hi = bisect.bisect_left(idx.starts, sent.end_char)
    named = hi - lo + pronouns
    return named >= (2 if {"actor", "target"} <= need else 1)


def _depth(tok: Token) -> int:
    n = 0
    while tok.head.i != tok.i and n < 40:
        tok, n = tok.head, n + 1
    return n


def _rank(coded: Coded) -> tuple[int, int, int]:
    """The sentence's main act first: a framed clause (intent, threat, refusal, demand),
    then the verb nearest the root, then text order."""
    return (coded.how in ("verb", "pattern", "light"), _depth(coded.trigger), coded.trigger.i)


def _conditional(cameo: CameoLexicon, tok: Token) -> bool:
    """Inside an "if"/"unless" clause: the condition of something else, not a claim."""
    cur = tok
    for _ in range(12):
        if cur.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in cameo.condition_marks
                                       for m in cur.children):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def possible_purpose(cameo: CameoLexicon, tok: Token) -> bool:
    """An act stated only as the purpose or subject of something else, no act done: the
    purpose of an act that only may be done ("weapons X could use to threaten Y", "could be
    used to sink a tanker and block the port": the pack's `possibility_modals` on the verb
    the 'to' clause hangs on); what an evaluation weighs ("it is important for X to support
    Y": `evaluation_verbs` with an adjective and "it" for subject); what talks are about ("in talks to buy":
    an event noun of `talks_codes`)."""
    sup = cameo.supplement
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head  # "to sink a tanker and block the port": the purpose is both
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return False
    head = tok.head
    if tok.dep_ in ("xcomp", "advcl") and any(
            c.dep_ == "aux" and c.lower_ in sup.get("possibility_modals", ())
            for c in head.children):
        return True
    if tok.dep_ in ("xcomp", "advcl", "ccomp") and head.lemma_.lower() in sup.get(
            "evaluation_verbs", ()) and any(c.dep_ == "acomp" and c.pos_ == "ADJ"
                                            for c in head.children) and any(
            c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in head.children):
        # ("Chile is ready to support Peru" says what Chile will do: not weighed)
        return True
    if tok.dep_ in ("acl", "relcl") and head.pos_ == "NOUN":
        code = light_noun(cameo, head)
        return code is not None and code.startswith(tuple(sup.get("talks_codes", ())))
    return False


def as_written(idx: DocIndex, cameo: CameoLexicon, tok: Token, *,
               event: bool = False) -> Ref | None:
    """A phrase that names no entity of the document, as a participant of its own; an
    event ("the summit", "accusations") is no participant, unless `event` (an attack that
    kills: `_doerless`)."""
    if tok.pos_ == "PRON" or tok.lower_ in cameo.empty_pronouns or (
            not event and light_noun(cameo, tok)):
        return None
    start, end = np_span(tok)
    text = doc_text(idx.doc)[start:end]
    for det in ("the ", "a ", "an ", "The ", "A ", "An "):
        if text.startswith(det):
            text, start = text[len(det):], start + len(det)
    if not text.strip():
        return None
    ent = Entity(key="", name=text.strip(), type="GROUP")
    return Ref(ent, start, end)


def _party(idx: DocIndex, cameo: CameoLexicon, tok: Token | None, *,
           all_: bool = False) -> list[Ref]:
    if tok is None:
        return []
    refs = resolve_all(idx, tok) if all_ or is_pair_word(tok) else [
        r for r in [resolve(idx, tok)] if r]  # ("both countries": the two named before)
    if refs:
        return refs
    reporter = _reporter(cameo, tok)
    if reporter is not None:  # "Rebel leaders said they would ...": the leaders
        return _party(idx, cameo, reporter, all_=all_)
    own = as_written(idx, cameo, tok)
    return [own] if own is not None else []


def _reporter(cameo: CameoLexicon, tok: Token) -> Token | None:
    """The party a third-person subject pronoun of a reported clause stands for, when no
    antecedent is named: the reporting verb's own subject, a noun of the same number
    ("Rebel leaders said they would attack"; not "Officials said it would rain")."""
    clause = tok.head
    if tok.pos_ != "PRON" or tok.dep_ not in ("nsubj", "nsubjpass") or \
            clause.dep_ != "ccomp" or tok.morph.get("Person") != ["3"]:
        return None
    verb = clause.head
    if verb.lemma_.lower() not in cameo.speech | cameo.own_speech:
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ not in ("NOUN", "PROPN"):
        return None
    number = tok.morph.get("Number")
    plural = subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)
    if not number or (number == ["Plur"]) != plural or not is_party(cameo, subj):
        return None
    return subj


def _candidate(idx: DocIndex, lex: Lexicon, cameo: CameoLexicon,
               coded: Coded, need: set[str], *, parties: set[str] | None = None) -> Candidate | None:
    """The coded act as an event candidate, or None when its parties are not kept: `need`,
    the roles that must be named; `parties`, those that must be parties, named or not (a
    thing is none: `_party_role`)."""
    if habitual(coded.trigger):
        return None  # "has regular meetings with both": a habit, no event of a day
    if coded.code.startswith("04") and any(
            c.dep_ == "dobj" and c.lower_ in lex.meeting_objects_excluded
            for c in coded.trigger.children):
        return None  # "meet Russia's demand", "met the deadline": no meeting (the lexicon's list)
    actors = _party(idx, cameo, coded.actor, all_=True)
    if len(actors) > 1 and coded.target is not None and _their_own(cameo, coded.target):
        coded.target = None  # "X and Y upgraded their ties": with each other
    if coded.target is not None and coded.target.dep_ == "compound" and \
            coded.target.head.lemma_.lower() in text_heads() and _city(idx, coded.target):
        coded.target = None  # "refused to sign the Kyoto treaty": the city names the treaty
    targets = _party(idx, cameo, coded.target)
    if not actors and not targets:
        return None
    if parties and "actor" in parties and coded.actor is not None and _doerless(
            cameo, coded, actors, targets):
        # "A roadside bombing killed one U.S. soldier": no one named did it; the attack or
        # the weapon stands in the actor's place as written, as PLOVER writes its source
        actors = [r for r in [as_written(idx, cameo, coded.actor, event=True)] if r]
        named_act = light_noun(cameo, coded.actor)
        if named_act and cameo.type_of(named_act) in cameo.supplement["lead_doerless_types"]:
            coded.code = named_act  # ... and the bombing is the act (CAMEO's "SHELLING *")
        parties = (parties or set()) - {"actor"}
    if parties and not all(_party_role(cameo, coded, role, actors, targets) for role in parties):
        return None  # "the U.S. military sent F-22 stealth fighters": the fighters are no party
    actor = actors[0] if actors else None
    target = targets[0] if targets else None
    if parties and "target" in parties and coded.target is not None and not _is_party_ref(
            cameo, coded, coded.target, targets):
        target = None  # "Young Algerians blocked roads": the roads are where, not whom
    if coded.target is None and len(actors) > 1 and _reciprocal(cameo, coded.code):
        target = actors[1]  # "Jordan and Britain agreed to ...": a joint act, each the other's
    named = {"actor": bool(actor and actor.entity.key), "target": bool(target and target.entity.key)}
    named["party"] = named["actor"] or named["target"]
    named["target_if_any"] = target is None or named["target"]
    if not all(named[role] for role in need):
        return None  # a party the entity layer does not know: left unsaid (see the pack)
    if actor is not None and target is not None and actor.entity.key and (
            actor.entity.key == target.entity.key):
        target = None
    if target is None and _reflexive(cameo, coded.trigger):
        return None  # "has revealed itself", "gave themselves a veto": aimed at no one else
    item = [coded.target.lemma_.lower()] if coded.target is not None else []
    item += [t.lemma_.lower() for t in coded.tokens]
    subtype = cameo.subtype_of(coded.code, lex.classes_of(item))
    if subtype is not None and (actor is None or not actor.entity.key):
        subtype = None  # a finer kind is kept between named parties only
    if subtype is not None and (target is None or not target.entity.key):
        subtype = None  # ... and a warning or accusation names whom it is aimed at
    if subtype is not None and coded.code in cameo.naming.get("subtype_reversed", []):
        actor, target = target, actor  # "X received a delegation led by Y": Y's visit to X
    cand = Candidate(trigger=coded.trigger, frame="cameo", nominal=coded.nominal,
                     subtype=subtype, actor=actor, target=target,
                     participants=actors if len(actors) > 1 else [])
    cand.arg_tokens = [t for t in (coded.content, coded.target, *coded.tokens) if t is not None]
    cand.extra.update(cameo=coded.code, mode=cameo.mode_of(coded.code),
                      type=cameo.type_of(coded.code), coder=coded.how)
    if target is not None and coded.target is not None and coded.code.startswith(tuple(
            cameo.supplement.get("each_target_codes", ()))) and \
            (any(c.dep_ == "conj" for c in coded.target.children) or is_pair_word(coded.target)):
        cand.extra["more_targets"] = [r for r in resolve_all(idx, coded.target)
                                      if r.entity.key and r.entity.key not in (
                                          target.entity.key, actor and actor.entity.key)]
    return cand


def _city(idx: DocIndex, tok: Token) -> bool:
    """A place that is no state: one a text or a gathering is named after ("the Kyoto
    Protocol"), where a state or a body that names one is its author ("the U.S. resolution")."""
    ref = idx.entity_for_token(tok)
    return ref is not None and ref.entity.type in ("GPE", "LOC") and \
        not ref.entity.key.startswith("country:")


def each_target(cand: Candidate) -> list[Candidate]:
    """ "urged Europe and the US to ...": a general act aimed at several parties named
    together is one event for each of them (a finer kind, an accusation or a warning of "X
    and Y", is aimed at the first, as the keys code it)."""
    out = [cand]
    for party in cand.extra.pop("more_targets", None) or ():
        if cand.participants or cand.subtype is not None:
            break  # a joint act of several parties: its parties are the pair
        other = copy.copy(cand)
        other.target, other.extra = party, dict(cand.extra)
        out.append(other)
    return out


def _reflexive(cameo: CameoLexicon, verb: Token) -> bool:
    """The verb's object (or indirect object) is its doer (the pack's `reflexive_objects`)."""
    words = cameo.supplement.get("reflexive_objects", ())
    return any(c.dep_ in ("dobj", "dative", "iobj") and c.lower_ in words for c in verb.children)


def _their_own(cameo: CameoLexicon, thing: Token) -> bool:
    """A thing, no party, that a plural possessive pronoun owns ("their diplomatic ties"):
    where several parties act, what is theirs together."""
    return not is_party(cameo, thing) and any(
        c.dep_ == "poss" and c.pos_ == "PRON" and c.morph.get("Number") == ["Plur"]
        for c in thing.children)


def _possible(coded: Coded) -> bool:
    """An act under a modal of possibility ("could", "may", "might": the pack's
    `hedge_modals`), which the lead's parties without names do not make an event."""
    pack = get_pack(coded.trigger.doc._.sl_language or "en")
    hedge = (pack.data("hedges", {}) or {}).get("hedge_modals", [])
    verb = coded.content or coded.trigger
    return any(c.dep_ == "aux" and c.lower_ in hedge for c in verb.children)


def _doerless(cameo: CameoLexicon, coded: Coded, actors: list[Ref], targets: list[Ref]) -> bool:
    """Violence whose subject is the weapon or the attack itself, aimed at a party ("A
    roadside bombing killed one U.S. soldier", "An explosion wounded three policemen"): the
    act stands in the lead with the attack or the weapon as written for its actor (the
    pack's `lead_doerless_types`); a party's weapon is its owner's act, read as such
    elsewhere."""
    if cameo.type_of(coded.code) not in cameo.supplement.get("lead_doerless_types", ()):
        return False
    doer = coded.actor
    if doer is None or doer.pos_ not in ("NOUN", "PROPN") or _is_party_ref(
            cameo, coded, doer, actors) or any(
            c.dep_ in ("poss", "amod", "compound") and c.ent_type_ for c in doer.children):
        return False
    return _is_party_ref(cameo, coded, coded.target, targets)


def _party_role(cameo: CameoLexicon, coded: Coded, role: str, actors: list[Ref],
                targets: list[Ref]) -> bool:
    """Whether a role is filled by a party: an entity of the document, or a phrase that names
    someone without a name (`cameo.is_party`: "Israeli soldiers", "thousands of students").
    The target may stay unfilled, or be a thing, where the act names none (`_untargeted`).
    A thing (weapons, documents, amounts, waste; an object word of the pattern that coded
    the act: "sent F-22 stealth fighters") or nothing nameable is no party."""
    if role == "target" and coded.target is None and len(actors) > 1 and _reciprocal(
            cameo, coded.code):
        role = "actor"  # "Jordan and Britain agreed to ...": each the other's party
    tok, refs = (coded.actor, actors) if role == "actor" else (coded.target, targets)
    if role == "target" and _untargeted(cameo, coded, tok is None or not refs):
        return True
    return _is_party_ref(cameo, coded, tok, refs)


def _is_party_ref(cameo: CameoLexicon, coded: Coded, tok: Token | None, refs: list[Ref]) -> bool:
    if tok is None or not refs:
        return False
    if refs[0].entity.key:
        return True
    if tok.dep_ in ("compound", "poss", "amod"):
        return False  # a thing's owner by a name no entity has ("offered Navy warships")
    return (is_party(cameo, tok) or _missed_name(tok)) and \
        not {tok.lower_, tok.lemma_.lower()} & coded.act_words


def _missed_name(tok: Token) -> bool:
    """A proper name NER did not tag ("Police arrested Viktor Bout"): two or more title-case
    proper nouns in a row, none of them a date's or a number's; a name, not a thing."""
    if tok.pos_ != "PROPN" or tok.ent_type_ or not tok.is_title:
        return False
    run = [t for t in tok.subtree if t.pos_ == "PROPN" and t.is_title and not t.ent_type_
           and (t.i == tok.i or t.dep_ == "compound")]
    return len(run) >= 2


def _untargeted(cameo: CameoLexicon, coded: Coded, empty: bool) -> bool:
    """Whether the act stands in the lead without a party for its target (`empty`: none
    read at all, or an event: "agreed to postpone the demonstration").
    With none: a dictionary pattern or a frame (the pack's `lead_untargeted`: "Rebels
    threatened to resume the fighting"), where a verb's own default code needs one ("X hailed
    the deal": no event). With none or a thing: an act of a type that names no target
    (`lead_untargeted_types`: "Prisoners rioted at a jail", "rejected an invitation",
    "conceded to demands": a protest's place, what a refusal or a concession answers); a
    material act a dictionary pattern read in its own words (`lead_pattern_types`: "blocked roads", "remained on
    alert", "suspended part of a military aid program"), not a statement, meeting or threat
    ("sent F-22 stealth fighters" is a show of force aimed at someone) nor aid, which has a
    recipient; an act framed by a word of its actor's own (`lead_framed_things`: "threatened
    to deliver devastating blows", "refused to deploy peacekeepers": what it would do), not
    by a modal alone ("they would block the move")."""
    sup = cameo.supplement
    kind = cameo.type_of(coded.code)
    if kind in sup.get("lead_untargeted_types", ()):
        return True
    if kind in sup.get("lead_untargeted_main_types", ()) and coded.trigger.dep_ not in \
            _SUBORDINATE and (coded.how == "pattern" or cameo.governors.get(
                coded.trigger.lemma_.lower()) == "agree"):
        return True  # "agreed to a six-month extension", "accepted a formula": what is agreed
    if empty and coded.how in sup.get("lead_untargeted", ()):
        return True
    if coded.how == "pattern" and kind in sup.get("lead_pattern_types", ()):
        return True
    return coded.how in sup.get("lead_framed_things", ()) and coded.content is not None and (
        coded.trigger.i != coded.content.i)


def without_repeats(doc: Doc, general: list[Candidate],
                    typed: list[Candidate]) -> list[Candidate]:
    """The general events that state no finer event again: "were set to hold talks" is
    the meeting the finer layer read elsewhere in the document between the same two
    parties, when the naming table allows the general type for that kind."""
    allowed = load_cameo(doc._.sl_language or "en").naming.get("subtype_types", {})
    seen = [(k.subtype, _pair(k)) for k in typed if k.subtype and k.target is not None]
    return [c for c in general if not any(
        c.extra.get("type") in allowed.get(kind, ()) and pair == _pair(c)
        for kind, pair in seen)]


def without_named_repeats(doc: Doc, general: list[Candidate],
                          typed: list[Candidate]) -> list[Candidate]:
    """The general events named by a noun ("Monday's U.S. attack on an Iranian oil site")
    less those a clause of the document states again: the same parties, the same day and
    a type that can code one act (`same_act_types`: "frigates shelled and destroyed two
    Iranian platforms on Monday"). The clause, which says what was done, is the report."""
    cameo = load_cameo(doc._.sl_language or "en")
    clauses = [k for k in general + typed if k.extra.get("coder") != "noun"]

    def day(c: Candidate) -> str | None:
        return c.when if isinstance(c.when, str) and len(c.when) == 10 else None

    return [c for c in general if c.extra.get("coder") != "noun" or day(c) is None or not any(
        day(k) == day(c) and _same_parties(k, c)
        and cameo.same_act(k.extra.get("type"), c.extra.get("type")) for k in clauses)]


def _same_parties(a: Candidate, b: Candidate) -> bool:
    return all(x is not None and y is not None and x.entity.key and x.entity.key == y.entity.key
               for x, y in ((a.actor, b.actor), (a.target, b.target)))


def _pair(c: Candidate) -> frozenset[str]:
    return frozenset(r.entity.key for r in (c.actor, c.target) if r is not None and r.entity.key)


def recode(doc: Doc, cands: list[Candidate]) -> None:
    """CAMEO code, mode and type for the finer-subtype events: the coder's reading of the
    trigger when the naming table allows that type for the subtype ("signed a treaty":
    agreement, SUPPORT 057; "will visit": visit, AGREE 036-like intent)."""
    cameo = load_cameo(doc._.sl_language or "en")
    allowed = cameo.naming.get("subtype_types", {})
    by_sent: dict[int, list[Coded]] = {}
    for c in cands:
        if c.subtype is None or c.extra.get("cameo"):
            continue
        sent = c.trigger.sent
        if sent.start not in by_sent:
            by_sent[sent.start] = code_sentence(cameo, sent)
        for coded in by_sent[sent.start]:
            hits = {coded.trigger.i} | {t.i for t in coded.tokens} | (
                {coded.content.i} if coded.content is not None else set())
            kind = cameo.type_of(coded.code)
            if c.trigger.i in hits and kind in allowed.get(c.subtype, []):
                c.extra.update(cameo=coded.code, mode=cameo.mode_of(coded.code), type=kind)
                break
