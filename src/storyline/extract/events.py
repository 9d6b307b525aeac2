"""The `storyline_events` component: typed events (PLOVER type + subtype) with their claims.

For each statement sentence: find triggers (lexicon verbs and nouns), read each trigger's
arguments from the parse (`event_frames`), drop what is negated, conditional, asked or
only the content of a denial, attach the claim (`claims`: source, status, time), then merge
repeated mentions of one event and link each denial to the event it denies. Sentences that
state no event of a finer kind go to the general CAMEO coder (`general`, `cameo`): every
PLOVER type, subtype null unless the code gives a finer kind; every event carries the
CAMEO code and PLOVER mode the coder read.
Sets `doc._.sl_events` (list[Event], ids "e1", "e2", ... in text order).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..clean.outlets import lookup as lookup_outlet
from ..lang import get_pack
from ..records import Event
from . import doc_text, token_strings
from .arguments import DocIndex, Ref, child, np_span, resolve, resolve_all, subject_of
from .cameo import load_cameo
from .claims import (
    SPEECH,
    SPEECH_ACTS,
    Source,
    claim_source,
    claim_status,
    event_time,
    modal_chain,
)
from .denials import (
    claim_content,
    inside_denied_claim,
    judged,
    judged_claim_nouns,
    link_denials,
    merge_denials,
    negated,
    negated_denier,
    read_content,
    read_denial,
    speaker_side,
    state_of,
    statement_speaker,
)
from .event_frames import Candidate, build
from .general import (
    as_written,
    general_candidates,
    possible_purpose,
    recode,
    without_named_repeats,
    without_repeats,
)
from .kb import load_kb
from .lexicon import Lexicon, Trigger, load_lexicon

__all__ = ["EventsComponent", "extract_events"]

TERMINAL = ".!\"'\u201d\u2019)]"
# verbs under which an event does not happen, and the words that negate (the pack's cues)
NEGATIVE_GOVERNORS = frozenset(get_pack("en").data("hedges", {}).get("negative_governors", []))
NEGATORS = frozenset(get_pack("en").data("hedges", {}).get("negators", []))
OWN_ADVERBIAL_MARKS = frozenset(get_pack("en").data("hedges", {}).get("own_adverbial_marks", []))
DESIRE_GOVERNORS = frozenset(get_pack("en").data("event_parties", {}).get("desire_governors", []))
# Subtypes whose event needs a counterpart (a transfer has a recipient, a meeting a party).
MONADIC = frozenset({"satellite_launch", "weapons_test", "military_exercise",
                     "ship_to_ship_transfer", "port_call", "denial"})
# Subtypes reported without their target ("the Treasury will announce sanctions"): kept when
# a verb states them (not a bare noun: "the risk of sanctions").
OPEN_TARGET = frozenset({"sanctions_designation"})


class EventsComponent:
    """Sets `doc._.sl_events` from the parse and the entities, times and quotes."""

    def __init__(self, nlp: Language, lexicon_path: str | None = None) -> None:
        self.nlp = nlp
        self.lexicon = load_lexicon(lexicon_path)

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_events = extract_events(doc, self.lexicon)
        return doc


def extract_events(doc: Doc, lexicon: Lexicon | None = None) -> list[Event]:
    """The events of a parsed document (entities, times and quotes used when present)."""
    lex = lexicon or load_lexicon()
    idx = DocIndex.build(doc)
    memory = _speaker_memory(idx)
    cands: list[Candidate] = []
    denials: list[Candidate] = []
    negatives: list[Candidate] = []
    cameo_lex = load_cameo(doc._.sl_language or "en")
    for sent in doc.sents:
        if not _is_statement(doc, sent):
            continue
        for trig in _triggers(idx, lex, sent):
            if not _on_text_line(doc, trig.token.idx):
                continue
            if not trig.nominal and possible_purpose(cameo_lex, trig.token):
                continue  # "weapons X could use to threaten Y": a capability, no act
            if _suppressed(lex, trig):
                if not trig.nominal and negated(trig.token) and not _conditional(trig.token):
                    negatives.extend(c for c in build(idx, lex, trig) if c.subtype)
                continue
            for cand in build(idx, lex, trig):
                if cand.subtype is None:
                    continue
                _finish(idx, lex, cand, memory)
                _doer_by_way(idx, cand)
                _carry_target(idx, cand)
                _open_water(idx, cand)
                if cand.subtype == "denial":
                    if cand.actor is None:  # "The statement called ...": its speaker
                        cand.actor = statement_speaker(memory, subject_of(trig.token), idx)
                    if read_denial(idx, lex, trig, cand):
                        denials.append(cand)
                elif cand.actor is not None and not _same(cand.actor, cand.target) \
                        and _same_line(doc, cand):
                    cands.append(cand)
        for noun in judged_claim_nouns(lex, sent):
            if _on_text_line(doc, noun.idx):
                denials.extend(_judged_denial(idx, lex, noun, memory))
    cands.extend(_own_voice_accusations(idx, lex, memory, cands))
    cands.extend(_grievances(idx, lex, memory, cands))
    refusals = _refusal_warnings(idx, lex, memory, cands)
    covered = {i for c in refusals for i in c.extra["covers"]}
    cands = [c for c in cands if c.trigger.i not in covered] + refusals
    cands.extend(_response_threats(idx, lex, memory, cands))
    voice = load_cameo(doc._.sl_language or "en").supplement.get("state_voice", {})
    for c in cands:  # (before merging: "we warn" and "the DPRK warns" are one state's warning)
        if c.subtype in voice.get("subtypes", ()):
            _for_state(idx, c)
    for c in cands:
        _visit_of_person(lex, c)
    kept = _merge(lex, cands)
    kept = [c for c in kept if _complete(c)]
    for cand in negatives:
        _finish(idx, lex, cand, memory)
        denier = negated_denier(idx, cand)
        if denier is not None:
            denials.append(_denial_of(idx, lex, cand, denier, memory))
    denials.sort(key=lambda c: c.start)
    for d in denials:
        d.actor = state_of(idx, d.actor)
        d.participants = [r for r in (state_of(idx, p) for p in d.participants) if r is not None]
    linked = merge_denials(link_denials(kept, denials))
    # (mentions merged away included)
    taken = _taken([c for c in cands if _complete(c) or any(
        k.subtype == c.subtype and _same(k.actor, c.actor) for k in kept)] + linked + negatives)
    general = [c for c in general_candidates(idx, lex, memory, taken, _finish)
               if _on_text_line(doc, c.trigger.idx) and _same_line(doc, c)
               and not _negated_through(c.trigger) and not _reported_fact(c)]
    recode(doc, kept + linked)
    general = without_repeats(doc, general, kept)
    general = without_named_repeats(doc, general, kept)
    for c in general:
        _demanded_by_source(idx, c, memory)
    general.extend(_stances(idx, lex, memory, kept + general))
    general = _deontic_stances(idx, lex, memory, kept, general)
    general.extend(_reported_wrongs(idx, lex, memory, kept + general))
    for c in general:  # (the finer layer's were read before merging)
        _visit_of_person(lex, c)
    for c in kept + general:
        _for_state(idx, c)
        _guest_first(idx, lex, c)
        _open_water(idx, c)
    general = [c for c in general if c.actor is not None and not _own_side(idx, c)
               and not (c.subtype and c.extra.get("own_target"))]  # (aimed at its own side)
    general = _once(kept + linked, general)
    return _to_events(doc, sorted(kept + linked + general, key=lambda c: c.start))


def _for_state(idx: DocIndex, c: Candidate) -> None:
    """A state's body or official warns, accuses, demands and rejects for the state (the
    pack's `state_voice`: "the DPRK Foreign Ministry denounced ...": North Korea), as it
    denies for it (`state_of`); a body acting on its own state is no target."""
    sup = load_cameo(idx.doc._.sl_language or "en").supplement
    voice = sup.get("state_voice", {})
    speaks = c.subtype in voice.get("subtypes", ()) if c.subtype else \
        c.extra.get("type") in voice.get("types", ())
    if c.subtype == "agreement" and c.trigger.lemma_.lower() in sup.get("state_documents", ()):
        c.actor = state_of(idx, c.actor, officials=True)  # "Putin and Kim signed a treaty"
        c.target = state_of(idx, c.target, officials=True)
        return
    if not speaks:
        if c.subtype in sup.get("state_acts", ()):  # "the DPRK's space agency launched"
            # (and its leader's: "Kim Jong Un ... escalating tests of missiles")
            c.actor = state_of(idx, c.actor, officials=True)
            c.target = state_of(idx, c.target)
        return  # other acts stay their body's: "the Treasury imposed sanctions"
    c.actor = state_of(idx, c.actor, officials=True)
    c.target = state_of(idx, c.target)
    if c.actor is not None and c.target is not None and (
            _same(c.actor, c.target) or _same(c.actor, state_of(idx, c.target, officials=True))):
        c.extra["own_target"] = not _same(c.actor, c.target)
        c.target = None  # (its own official is no target: "I condemn ...", read back to her)


def _own_voice_accusations(idx: DocIndex, lex: Lexicon, memory: list[Ref],
                           cands: list[Candidate]) -> list[Candidate]:
    """ "The U.S. and the ROK puppet air force are still seriously encroaching upon the
    sovereignty of the DPRK": a state that speaks (a state outlet in its own voice, the
    outlet registry's `state`; an official's statement) accuses the party its words charge with a
    wrong (the pack's `wrong_cues`, a verb or noun whose subject or owner is that party),
    one accusation a party (repeats merge)."""
    rule = _own_voice_rule(idx)
    cues = frozenset(rule.get("wrong_cues", ()))
    if not cues:
        return []
    doc = idx.doc
    have = {(c.sent.start, c.subtype) for c in cands}
    out: list[Candidate] = []
    for tok in _tokens_with_lemma(doc, cues):
        if (tok.sent.start, "accusation") in have or not _is_statement(doc, tok.sent) or \
                not _on_text_line(doc, tok.idx) or negated(tok) or _conditional(tok):
            continue
        source, _ = claim_source(idx, tok, memory)
        voice = _voice_state(idx, source)
        party = _wrongdoer(idx, tok)
        if voice is None or party is None:
            continue
        party = state_of(idx, party)
        if party is None or party.entity.key == voice.entity.key or \
                party.entity.type not in ("GPE", "ORG", "PERSON"):
            continue
        cand = Candidate(trigger=tok, frame="accuse", nominal=tok.pos_ != "VERB",
                         subtype="accusation", actor=voice, target=party)
        _finish(idx, lex, cand, memory)
        cand.actor, cand.target = voice, party
        out.append(cand)
    return out


def _refusal_warnings(idx: DocIndex, lex: Lexicon, memory: list[Ref],
                      cands: list[Candidate]) -> list[Candidate]:
    """ "Sweden will not allow Norway to use the missiles": a party that says it will not
    allow (the pack's `refusal_warning.verbs`, negated, with one of its `modals`) what
    another does warns that party (the verb's object, the subject of its complement, or
    the first party its object names, other than its own side). A speaker's "we" is the
    side it speaks for. What it would not allow is no event: the warning's arguments
    cover it, so the general coder leaves the sentence to it."""
    rule = _parties_rule(idx, "refusal_warning")
    verbs = frozenset(rule.get("verbs", ()))
    if not verbs:
        return []
    modals, negators = set(rule.get("modals", ())), set(rule.get("negators", ()))
    doc = idx.doc
    out: list[Candidate] = []
    for tok in _tokens_with_lemma(doc, verbs):
        kids = list(tok.children)
        if tok.pos_ != "VERB" or not any(c.dep_ == "neg" or c.lower_ in negators
                                         for c in kids) or \
                not any(c.dep_ == "aux" and c.lower_ in modals for c in kids):
            continue
        heads = [c for c in kids if c.dep_ in ("dobj", "ccomp", "xcomp")]
        covers = {t.i for h in heads for t in h.subtree}
        if any(c.sent.start == tok.sent.start and c.subtype == "warning" and
               c.trigger.i not in covers for c in cands) or not _is_statement(doc, tok.sent) \
                or not _on_text_line(doc, tok.idx) or _conditional(tok):
            continue  # (the sentence's own warning says it)
        subj = subject_of(tok)
        cand = Candidate(trigger=tok, frame="warn", nominal=False, subtype="warning")
        cand.actor = resolve(idx, subj) if subj is not None else None
        if cand.actor is None or (subj is not None and subj.lower_ in ("we", "i")):
            cand.actor_from_source = True
        own = {_key(cand.actor)}
        cand.extra["covers"] = covers
        args = [a for h in heads for a in ([h] if h.dep_ == "dobj" else
                                           [c for c in h.children if c.dep_ == "nsubj"])]
        target = next((r for r in (resolve(idx, a) for a in args) if r is not None and
                       r.entity.key not in own), None)
        if target is None:
            objs = [c for c in kids if c.dep_ == "dobj"]
            target = next((r for r in (_first_party(idx, o, own) for o in objs) if r), None)
        cand.target = target
        cand.arg_tokens.extend(t for h in heads for t in h.subtree if t.pos_ == "VERB")
        _finish(idx, lex, cand, memory)
        if cand.actor is None or cand.target is not None and \
                cand.target.entity.key == cand.actor.entity.key:
            continue
        cand.status, cand.cue = "asserted", None  # the warning is given now
        out.append(cand)
    return out


def _response_threats(idx: DocIndex, lex: Lexicon, memory: list[Ref],
                      cands: list[Candidate]) -> list[Candidate]:
    """ "Any U.S. interference would meet a strong response", "we will be prepared to meet
    any escalation by Iran with countermeasures", "the U.S. would do whatever was
    necessary": a stand to answer with force (the pack's `response_threat`: a verb whose
    object, or the object of one of `preps`, is one of its words, with a modal of the
    future on it or on the predicate it completes) warns the party whose act it answers
    (the owner of the subject or object that names the act), else the first other party
    its words name ("in the face of new Iranian missiles"), else the one the sentences
    before name (`carried_target`). Its actor is the subject when that is a
    party, else the speaker's side."""
    rule = _parties_rule(idx, "response_threat")
    verbs: dict[str, list[str]] = rule.get("verbs", {})
    if not verbs:
        return []
    modals, preps = set(rule.get("modals", ())), set(rule.get("preps", ()))
    doc = idx.doc
    out: list[Candidate] = []
    for tok in _tokens_with_lemma(doc, verbs):
        words = set(verbs[token_strings(doc).lemma[tok.i]])
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        if tok.pos_ != "VERB" or not any(_answers(t, tok, preps) for t in tok.subtree
                                         if t.lemma_.lower() in words or t.lower_ in words):
            continue
        chain, cur = [tok], tok
        while cur.dep_ in ("xcomp", "acomp") and cur.head != cur and len(chain) < 3:
            cur = cur.head
            chain.append(cur)
        if not any(c.dep_ == "aux" and c.lower_ in modals for t in chain for c in t.children) \
                or any(negated(t) for t in chain) or _conditional(tok) or \
                not _is_statement(doc, tok.sent) or not _on_text_line(doc, tok.idx):
            continue
        if any(c.sent.start == tok.sent.start and c.subtype == "warning" for c in cands + out):
            continue  # (the sentence's own warning says it)
        subj = subject_of(chain[-1])
        actor = resolve(idx, subj, agentive=False) if subj is not None else None
        cand = Candidate(trigger=tok, frame="warn", nominal=False, subtype="warning")
        cand.actor = actor
        if actor is None or (subj is not None and subj.lower_ in ("we", "i")):
            cand.actor_from_source = True
        _finish(idx, lex, cand, memory)
        if cand.actor is None:
            continue
        side = state_of(idx, cand.actor, officials=True)
        own = {cand.actor.entity.key, _key(side)}
        acts = ([subj] if subj is not None and actor is None else []) + [
            o for o in objs if o.lemma_.lower() not in words and o.lower_ not in words] + [tok]
        cand.target = next((r for r in (_first_party(idx, a, own) for a in acts) if r), None)
        if cand.target is None:
            _carry_target(idx, cand)
        if cand.target is None:
            continue
        cand.status, cand.cue = "asserted", None  # the warning is given now
        out.append(cand)
    return out


def _stances(idx: DocIndex, lex: Lexicon, memory: list[Ref],
             have: list[Candidate]) -> list[Candidate]:
    """General events of a stand taken on a measure or a deed (the pack's `stances`):
    "Germany and France have called for the embargo to be lifted" (DEMAND of each of the
    subject's parties, aimed at the measure's owner: `measure_demand`), "the embargo is to
    be lifted despite US objections", "... despite opposition from the US and Japan" (DISAPPROVE
    of each objector, aimed at the owner of the measure the clause acts on, else the
    clause's subject: `objection`), "an EU demand for Turkey to recognise Cyprus" (DEMAND of
    the demand's owner, aimed at the party asked: `noun_demand`); one read in a "despite"
    phrase is asserted by the outlet, whoever says the rest. A measure is owned by
    the party its phrase names before it ("the EU embargo", "the European Union's ban"); a
    measure named again without one ("the embargo") is the one named last with an owner
    in the sentences the pack allows."""
    rule = _parties_rule(idx, "stances")
    if not rule:
        return []
    doc = idx.doc
    cameo = load_cameo(doc._.sl_language or "en")
    seen = {(c.sent.start, c.extra.get("type"), _key(c.actor), _key(c.target)) for c in have}
    out: list[Candidate] = []

    def add(trig: Token, kind: dict[str, Any], actors: list[Ref], target: Ref | None,
            args: list[Token]) -> None:
        if target is None:
            return
        for actor in actors:
            if _same(actor, target) or not actor.entity.key or not target.entity.key:
                continue
            sig = (trig.sent.start, kind["type"], _key(actor), _key(target))
            if sig in seen:
                continue
            seen.add(sig)
            cand = Candidate(trigger=trig, frame="cameo", nominal=trig.pos_ != "VERB",
                             subtype=None, actor=actor, target=target)
            cand.arg_tokens = list(args)
            cand.extra.update(cameo=kind["cameo"], mode=cameo.mode_of(kind["cameo"]),
                              type=kind["type"], coder="stance")
            _finish(idx, lex, cand, memory)
            cand.actor, cand.target = actor, target
            if any(a.lower_ in background for a in [trig, *trig.ancestors]):
                # what a concession is made despite is the writer's: "X said ..., despite
                # US objections" (it is no part of what X says)
                cand.source, cand.status = Source(doc._.sl_outlet, None, True, None), "asserted"
            out.append(cand)

    demand, objection = rule.get("measure_demand", {}), rule.get("objection", {})
    background = frozenset(objection.get("preps", ()))
    asked = rule.get("noun_demand", {})
    # every test below needs one of these lemmas (the pack's lists): no Token for the others
    needs = frozenset([*(demand.get("undo_verbs", ()) if demand else ()),
                       *objection.get("nouns", ()), *(asked.get("nouns", ()) if asked else ())])
    lemmas = token_strings(doc).lemma
    marked = [i for i, lemma in enumerate(lemmas) if lemma in needs]
    for sent in doc.sents if marked else ():
        hits = [i for i in marked if sent.start <= i < sent.end]
        if not hits or not _is_statement(doc, sent) or not _on_text_line(doc, sent.start_char):
            continue
        for i in hits:
            lemma = lemmas[i]
            tok = doc[i]
            if demand and tok.pos_ == "VERB" and lemma in demand.get("undo_verbs", ()) \
                    and not negated(tok):
                gov = _demand_governor(tok, demand)
                thing = child(tok, "nsubjpass", "nsubj", "dobj")
                owner = _measure_owner(idx, rule, thing) if thing is not None else None
                if gov is not None and owner is not None and not negated(gov):
                    subj = subject_of(gov)
                    actors = resolve_all(idx, subj) if subj is not None else []
                    add(gov, demand, actors, owner, [tok, thing])
            elif objection and tok.dep_ == "pobj" and tok.head.lower_ in objection.get(
                    "preps", ()) and lemma in objection.get("nouns", ()):
                parties = [m for m in tok.children if m.dep_ in ("compound", "poss", "amod")
                           and idx.entity_for_token(m) is not None]
                parties += [o for p in tok.children if p.dep_ == "prep" and p.lower_ in
                            objection.get("party_preps", ()) for o in p.children
                            if o.dep_ == "pobj"]
                actors = [idx.country_of_demonym(r) for t in parties
                          for r in (resolve_all(idx, t) or
                                    [x for x in [idx.entity_for_token(t)] if x])]
                clause = tok.head.head
                target = _objected(idx, rule, clause, tok.head, actors)
                add(tok, objection, actors, target, [tok.head])
            elif asked and tok.pos_ == "NOUN" and lemma in asked.get("nouns", ()):
                owner = next((idx.country_of_demonym(r) for m in tok.children
                              if m.dep_ in ("compound", "poss", "amod") and m.i < tok.i
                              for r in [idx.entity_for_token(m)] if r is not None), None)
                whom = next((o for p in tok.children if p.dep_ == "prep" and p.lower_ in
                             asked.get("preps", ()) for o in p.children if o.dep_ == "pobj"),
                            None) or next((subject_of(v) for v in tok.children
                                           if v.dep_ in ("acl", "relcl") and v.pos_ == "VERB"
                                           and subject_of(v) is not None), None)
                target = resolve(idx, whom) if whom is not None else None
                if owner is not None and target is not None:
                    add(tok, asked, [owner], target, [whom])
    return out


def _deontic_stances(idx: DocIndex, lex: Lexicon, memory: list[Ref], kept: list[Candidate],
                     general: list[Candidate]) -> list[Candidate]:
    """ "The ROK should immediately stop such provocation", "Norway must withdraw": a party
    told what it should do is a DEMAND of the speaker aimed at the clause's subject; "the
    government should have acted sooner", what it should have done, a DISAPPROVE (the pack's
    `stances.deontic`: `modals`, `perfect` the auxiliary of the past). The speaker is the
    claim's source when it is a named party, or the state a state outlet speaks for in its
    own voice (any other outlet's "should" is nobody's stand). A passive, negated-away or
    conditional clause, a subject that is not a party or is the speaker's own side, gives
    none. The general coder's DEMAND on a "should have" clause is replaced by the reproach."""
    rule = _parties_rule(idx, "stances").get("deontic", {})
    modals = frozenset(rule.get("modals", ()))
    if not modals:
        return general
    perfect = frozenset(rule.get("perfect", ()))
    caution = frozenset(rule.get("caution", ()))
    doc = idx.doc
    cameo = load_cameo(doc._.sl_language or "en")
    have = kept + general
    out: list[Candidate] = []
    drop: set[int] = set()
    marked = [i for i, low in enumerate(token_strings(doc).lower) if low in modals]
    for sent in doc.sents if marked else ():
        hits = [i for i in marked if sent.start <= i < sent.end]
        if not hits or not _is_statement(doc, sent) or not _on_text_line(doc, sent.start_char):
            continue
        for tok in (doc[i] for i in hits):
            if tok.dep_ != "aux":
                continue
            verb = tok.head
            if verb.pos_ != "VERB" or any(c.dep_ in ("auxpass", "nsubjpass") for c in
                                          verb.children) or _conditional(verb) or \
                    verb.dep_ not in ("ROOT", "ccomp", "conj"):
                continue
            past = any(c.dep_ == "aux" and c.lemma_.lower() in perfect and c.i > tok.i
                       for c in verb.children) and verb.tag_ == "VBN"
            if past:  # (the general coder reads a demand in what should have been done)
                drop.update(id(c) for c in general if c.trigger.i == verb.i and
                            c.extra.get("type") == rule["demand"]["type"])
            kind = rule["reproach"] if past else rule["demand"]
            warns = not past and any(  # "should stop ... and be prudent": a caution warns
                a.dep_ == "acomp" and a.lower_ in caution
                for v in [verb, *(c for c in verb.children if c.dep_ == "conj")]
                for a in v.children)
            subj = subject_of(verb)
            if subj is None or subj.lower_ in ("we", "i", "you", "us", "it", "this", "that"):
                continue  # ("it should not worsen the crisis": a thing, not a party)
            if not past and verb.lemma_.lower() in cameo.supplement.get(
                    "modal_demand", {}).get("rhetorical_verbs", ()):
                continue  # "the U.S. should know that ...": rhetoric, no act asked
            source, _ = claim_source(idx, verb, memory)
            if source.is_outlet:
                actor = _voice_state(idx, source)
            else:
                ent = idx.entity_named(source.name) if source.name else None
                actor = Ref(ent, verb.idx, verb.idx, via="source") if ent is not None else None
            if actor is None:
                continue
            side = state_of(idx, actor, officials=True)
            own = {actor.entity.key, _key(side)}
            for target in resolve_all(idx, subj):
                if target.entity.type not in ("GPE", "ORG", "PERSON", "NORP"):
                    continue
                target = idx.country_of_demonym(target)
                if target.entity.key in own or any(
                        c.sent.start == sent.start and c.extra.get("type") == kind["type"]
                        and _key(c.target) == _key(target) and id(c) not in drop
                        for c in have + out) or any(
                        c.trigger.i == verb.i and id(c) not in drop for c in have):
                    continue  # (the sentence's own event says it)
                if warns:
                    if any(c.sent.start == sent.start and c.subtype == "warning"
                           for c in have + out):
                        continue
                    cand = Candidate(trigger=verb, frame="warn", nominal=False,
                                     subtype="warning", actor=actor, target=target)
                else:
                    cand = Candidate(trigger=verb, frame="cameo", nominal=False, subtype=None,
                                     actor=actor, target=target)
                    cand.extra.update(cameo=kind["cameo"], mode=cameo.mode_of(kind["cameo"]),
                                      type=kind["type"], coder="deontic")
                cand.arg_tokens = [subj]
                _finish(idx, lex, cand, memory)
                cand.actor, cand.target = actor, target
                if warns:
                    cand.status, cand.cue = "asserted", None  # the warning is given now
                out.append(cand)
    return [c for c in general if id(c) not in drop] + out


def _tokens_with_lemma(doc: Doc, lemmas: Any) -> Iterator[Token]:
    """The tokens whose lemma is one of `lemmas`, in text order (read from the token
    strings, so a Token is built only for those)."""
    for i, lemma in enumerate(token_strings(doc).lemma):
        if lemma in lemmas:
            yield doc[i]


def _key(ref: Ref | None) -> str | None:
    return ref.entity.key if ref is not None else None


def _demand_governor(verb: Token, rule: dict[str, Any]) -> Token | None:
    """The demand verb whose complement `verb` is: "called for the embargo to be lifted"
    (the parse: a clause marked "for", or the object of "for"), "urged that X be lifted"."""
    govs = set(rule.get("governors", ()))
    head = verb.head
    if head.i == verb.i:
        return None
    if verb.dep_ in ("advcl", "ccomp", "xcomp") and head.lemma_.lower() in govs:
        return head
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.lemma_.lower() in govs:
        return head.head
    return None


def _measure_owner(idx: DocIndex, rule: dict[str, Any], noun: Token) -> Ref | None:
    """The party a measure belongs to ("the EU embargo", "the European Union's ban"), or,
    for a measure named without one ("the embargo") or by a pronoun that its undoing verb
    takes ("wanted it to end"), the owner of the one named last before it within `reach`
    sentences (of it, or of a mention between them that names no owner either)."""
    nouns = set(rule.get("measure_nouns", ()))
    undo = rule.get("measure_demand", {}).get("undo_verbs", ())
    if noun.lower_ in rule.get("pronouns", ()) and noun.head.lemma_.lower() in undo:
        pass  # "wanted it to end": the measure named last
    elif noun.lemma_.lower() not in nouns:
        return None
    else:
        own = _named_owner(idx, noun)
        if own is not None:
            return own
    doc = idx.doc
    reach = int(rule.get("reach", 3))

    def floor(tok: Token) -> int:
        first = tok.sent.start
        for _ in range(reach - 1):
            if first == 0:
                break
            first = doc[first - 1].sent.start
        return first

    low = floor(noun)
    i = noun.i - 1
    while i >= low:  # (each mention without an owner carries the chain back)
        if doc[i].lemma_.lower() in nouns and doc[i].pos_ == "NOUN":
            own = _named_owner(idx, doc[i])
            if own is not None:
                return own
            low = min(low, floor(doc[i]))
        i -= 1
    return None


def _named_owner(idx: DocIndex, noun: Token) -> Ref | None:
    for m in noun.children:
        if m.dep_ in ("poss", "compound", "amod", "nmod") and m.i < noun.i:
            for t in m.subtree:
                ref = idx.entity_for_token(t)
                if ref is not None and ref.entity.type in ("GPE", "ORG", "NORP"):
                    return idx.country_of_demonym(ref)
    return None


def _objected(idx: DocIndex, rule: dict[str, Any], clause: Token, prep: Token,
              objectors: list[Ref]) -> Ref | None:
    """What an objection is aimed at: the owner of the first measure its clause names
    (outside the objection's own phrase), else the clause's subject when that is a party."""
    skip = {t.i for t in prep.subtree}
    own = {r.entity.key for r in objectors}
    for t in clause.subtree:
        if t.i in skip:
            continue
        ref = _measure_owner(idx, rule, t)
        if ref is not None and ref.entity.key not in own:
            return ref
    subj = subject_of(clause) if clause.pos_ in ("VERB", "AUX") else None
    ref = resolve(idx, subj) if subj is not None else None
    return ref if ref is not None and ref.entity.key not in own else None


def _answers(word: Token, verb: Token, preps: set[str]) -> bool:
    """Whether `word` is what `verb` answers with: its object, the object of one of `preps`
    inside its object ("meet any escalation ... with countermeasures"), or the subject of
    its clause ("do whatever was necessary")."""
    if word.dep_ not in ("dobj", "pobj", "nsubj"):
        return False
    if word.dep_ == "pobj" and word.head.lower_ not in preps:
        return False
    cur = word
    for _ in range(6):
        cur = cur.head
        if cur == verb:
            return True
        if cur.pos_ == "VERB" or (cur.pos_ == "AUX" and cur.dep_ != "ccomp"):
            return False
    return False


def _parties_rule(idx: DocIndex, name: str) -> dict[str, Any]:
    """One rule of the document's language pack's `event_parties.json`."""
    return get_pack(idx.doc._.sl_language or "en").data("event_parties", {}).get(name, {})


def _own_voice_rule(idx: DocIndex) -> dict[str, Any]:
    return _parties_rule(idx, "own_voice_accusation")


def _grievances(idx: DocIndex, lex: Lexicon, memory: list[Ref],
                cands: list[Candidate]) -> list[Candidate]:
    """ "tariffs ... in retaliation for Japan's not honoring its agreement": a punitive act
    (the pack's `grievance.kinds`) taken for a wrong (`grievance.cues` and `preps`) accuses
    the party the wrong is charged to (the first party its words name, not the actor's side)."""
    rule = _parties_rule(idx, "grievance")
    kinds, cues = set(rule.get("kinds", ())), set(rule.get("cues", ()))
    preps = set(rule.get("preps", ()))
    out: list[Candidate] = []
    for c in cands:
        if c.subtype not in kinds or c.actor is None or c.extra.get("grievance_read"):
            continue
        c.extra["grievance_read"] = True
        side = state_of(idx, c.actor, officials=True)
        own = {c.actor.entity.key, _key(side)}
        for tok in c.sent:
            if tok.lemma_.lower() not in cues:
                continue
            objs = [o for p in tok.children if p.dep_ == "prep" and p.lower_ in preps
                    for o in p.children if o.dep_ in ("pobj", "pcomp")]
            target = next((r for r in (_first_party(idx, o, own) for o in objs) if r), None)
            if target is None:
                continue
            cand = Candidate(trigger=tok, frame="accuse", nominal=tok.pos_ != "VERB",
                             subtype="accusation", actor=c.actor, target=target)
            _finish(idx, lex, cand, memory)
            cand.actor, cand.target = c.actor, target
            out.append(cand)
            break
    return out


def _first_party(idx: DocIndex, head: Token, own: set[str | None]) -> Ref | None:
    """The first state or body named in a phrase, other than those in `own`."""
    for t in head.subtree:
        ref = idx.entity_for_token(t)
        if ref is None or ref.entity.type not in ("GPE", "NORP", "ORG"):
            continue
        ref = idx.country_of_demonym(ref)
        if ref.entity.key not in own:
            return ref
    return None


def _reported_wrongs(idx: DocIndex, lex: Lexicon, memory: list[Ref],
                     cands: list[Candidate]) -> list[Candidate]:
    """ "Nebenzia told the council that Western nations are trying to strangle North
    Korea": a hostile act (the pack's `reported_wrong.types`) that a state's official or
    body says another party did accuses the doer, for that state. One accusation a doer in
    a document (an accusation already read counts)."""
    rule = _parties_rule(idx, "reported_wrong")
    types, statuses = set(rule.get("types", ())), set(rule.get("statuses", ()))
    if not types:
        return []
    have = {(_key(state_of(idx, c.actor, officials=True) or c.actor),
             _key(state_of(idx, c.target) or c.target))
            for c in cands if c.subtype == "accusation"}  # (a speaker's is her state's)
    out: list[Candidate] = []
    for c in cands:
        kind = c.extra.get("type") or lex.types.get(c.subtype or "")
        if kind not in types or c.status not in statuses or c.source is None \
                or c.source.is_outlet or c.actor is None:
            continue
        voice = _voice_state(idx, c.source)
        doer = state_of(idx, c.actor)
        if voice is None or doer is None or doer.entity.key == voice.entity.key \
                or doer.entity.type not in ("GPE", "ORG", "PERSON", "NORP"):
            continue
        if (voice.entity.key, doer.entity.key) in have:
            continue
        have.add((voice.entity.key, doer.entity.key))
        cand = Candidate(trigger=c.trigger, frame="accuse", nominal=c.nominal,
                         subtype="accusation", actor=voice, target=doer)
        _finish(idx, lex, cand, memory)
        cand.actor, cand.target = voice, doer
        # an accusation is dated by when it was made ("told the council on Monday"), not
        # by the act it charges ("had fired earlier this month")
        _, speech = claim_source(idx, c.trigger, memory)
        cand.when, cand.when_text = event_time(idx, speech, None, True, [speech]) \
            if speech is not None else (None, None)
        out.append(cand)
    return out


def _voice_state(idx: DocIndex, source: Source) -> Ref | None:
    """The state a source speaks for: a state outlet's in its own voice (the outlet
    registry's `state`: data/outlets.json), an official's or a state body's (their title's
    state); None for any other voice."""
    if source.is_outlet:
        outlet = lookup_outlet(source.name) or next(
            (o for o in map(lookup_outlet, (a.name for a in load_kb().lookup(source.name or "")))
             if o is not None), None)
        if outlet is None or outlet.state is None:
            return None
        ent = next((e for e in idx.entities if e.key == f"country:{outlet.state}"), None)
        return Ref(ent, 0, 0, via="source") if ent is not None else None
    ent = idx.entity_named(source.name) if source.name else None
    if ent is None:
        return None
    side = state_of(idx, Ref(ent, 0, 0, via="source"), officials=True)
    return side if side is not None and side.entity.key.startswith("country:") else None


def _wrongdoer(idx: DocIndex, cue: Token) -> Ref | None:
    """Who a wrong is charged to: the subject of a wrong verb ("the U.S. plundered"), the
    owner of a wrong noun ("the U.S. aggression", "provocations of the ROK"), or the
    subject whose predicate the wrong noun is ("the U.S. efforts are disguised
    encroachment")."""
    if cue.pos_ == "VERB":
        subj = subject_of(cue)
        return resolve(idx, subj) if subj is not None and subj.dep_ != "nsubjpass" else None
    for m in cue.children:
        if m.dep_ in ("poss", "compound", "amod", "nmod") and m.i < cue.i:
            ref = idx.entity_for_token(m)
            if ref is not None:
                return idx.country_of_demonym(ref)
        if m.dep_ == "prep" and m.lower_ == "of":
            for o in m.children:
                ref = resolve(idx, o) if o.dep_ == "pobj" else None
                if ref is not None:
                    return ref
    if cue.dep_ in ("attr", "acomp") and cue.head.lemma_ == "be":
        subj = child(cue.head, "nsubj")
        return resolve(idx, subj) if subj is not None else None
    if cue.dep_ == "dobj" and cue.head.lemma_.lower() in _own_voice_rule(idx).get("deed_verbs", ()):
        subj = subject_of(cue.head)  # "the ROK committed a grave provocation"
        return resolve(idx, subj) if subj is not None and subj.dep_ != "nsubjpass" else None
    return None


def _carry_target(idx: DocIndex, c: Candidate) -> None:
    """ "We officially warn that we can never tolerate such continued encroachment": a
    warning or accusation (the pack's `carried_target`) that names no party as its object is
    aimed at the party its own words name other than the speaker's side ("if the ROK clans
    resume ..."), else at the one named last before it, within the sentences the pack allows
    (the encroachment described just before)."""
    rule = _parties_rule(idx, "carried_target")
    reach = rule.get("subtypes", {})
    if c.target is not None or c.actor is None or c.nominal or c.subtype not in reach:
        return  # (a noun names the act, not its doing: "would end the chip pact")
    trig = load_lexicon().trigger(c.trigger)
    if trig is not None and trig.entry.get("object") == "party" and (
            child(c.trigger, "dobj", "dative") is not None or c.trigger.dep_ == "relcl"):
        return  # its party is named, if not as one: "accused the panel", "a firm it accused"
    kinds = frozenset(rule.get("entity_types", ("GPE", "ORG")))
    side = state_of(idx, c.actor, officials=True)
    own = {c.actor.entity.key, _key(side)}

    def party(ref: Ref | None) -> Ref | None:
        if ref is None:
            return None
        ref = idx.country_of_demonym(ref)
        state = state_of(idx, ref)
        keys = {ref.entity.key, _key(state)}
        return None if keys & own or ref.entity.type not in kinds else ref

    sent = c.sent
    last = c.trigger.right_edge
    for s, e, ent in idx.mentions:  # the warning's own words: after its verb, in its phrase
        if c.trigger.idx < s and e <= last.idx + len(last):
            found = party(Ref(ent, s, e))
            if found is not None:
                c.target = Ref(found.entity, s, e, via="carried")
                c.extra["carried"] = True
                return
    if not reach[c.subtype]:
        return  # its own words only
    first = sent.start
    for _ in range(int(reach[c.subtype]) - 1):
        if first == 0:
            break
        first = c.trigger.doc[first - 1].sent.start
    floor = c.trigger.doc[first].idx
    before = c.trigger.idx
    while True:
        ref = idx.last_mention(before, kinds | {"NORP"}, window=before - floor)
        if ref is None:
            return
        found = party(ref)
        if found is not None:
            c.target = Ref(found.entity, ref.start, ref.end, via="carried")
            c.extra["carried"] = True
            return
        before = ref.start


def _own_side(idx: DocIndex, c: Candidate) -> bool:
    """ "Kuroda, who will head a Japanese team": a person acting on the state their title
    gives them is no interaction between two parties."""
    if c.actor is None or c.target is None or c.actor.entity.type != "PERSON":
        return False
    side = idx.affiliation(c.actor.entity)
    return side is not None and side.key == c.target.entity.key


def _reported_fact(c: Candidate) -> bool:
    """ "He insisted that the leadership had made great advances": a demand verb whose
    clause states what happened (a past, perfect or past progressive verb, no modal) reports
    a fact; only "insisted that X withdraw" or "... X should withdraw" demands."""
    if c.extra.get("coder") != "demand" or c.trigger.pos_ != "VERB":
        return False
    comp = child(c.trigger, "ccomp")
    if comp is None:
        return False
    auxes = [a for a in comp.children if a.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == "MD" for a in auxes):
        return False
    if comp.tag_ == "VB" and any(a.lemma_ == "do" and a.tag_ == "VBD" for a in auxes):
        return True  # "insisted he did not know": a past fact, with "did"
    return comp.tag_ == "VBD" or (comp.tag_ == "VBN" and any(
        a.lemma_ == "have" for a in auxes)) or (comp.tag_ == "VBG" and any(
        a.tag_ == "VBD" for a in auxes))  # "insisted that it was living up to the pact"


def _demanded_by_source(idx: DocIndex, c: Candidate, memory: list[Ref]) -> None:
    """ "Argentina must release the sailors, Britain said": a demand by modal ("must",
    "should") is made by the one who says it, of the clause's subject (a speaker the entity
    layer does not know as written: "rebels announced that X must ..."); in the outlet's own
    voice it is nobody's demand (the actor is cleared and the event dropped)."""
    if c.extra.get("coder") != "demand" or c.target is not None:
        return
    cameo = load_cameo(idx.doc._.sl_language or "en")
    if not any(a.dep_ == "aux" and cameo.modals.get(a.lower_) == "demand"
               for a in c.trigger.children):
        return
    src = c.source if isinstance(c.source, Source) else None
    speaker = idx.entity_named(src.name) if src is not None and src.name and not (
        src.is_outlet) else None
    c.target = c.actor
    c.actor = Ref(speaker, c.trigger.idx, c.trigger.idx, via="source") if speaker else None
    speech = _reporting_verb(c.trigger) if c.actor is None else None
    subj = subject_of(speech) if speech is not None else None
    if subj is not None:
        c.actor = resolve(idx, subj) or as_written(idx, cameo, subj)


def _reporting_verb(tok: Token) -> Token | None:
    """The speech verb whose clause holds `tok` ("rebels announced that X must ...")."""
    cur = tok
    for _ in range(8):
        if cur.head == cur:
            return None
        if cur.dep_ in ("ccomp", "parataxis") and cur.head.lemma_.lower() in SPEECH:
            return cur.head
        cur = cur.head
    return None


def _country_of_party(ref: Ref | None) -> str | None:
    """The country a party is or belongs to ("country:RUS" for Russia, for Putin)."""
    ent = ref.entity if ref is not None else None
    if ent is None or not ent.key:
        return None
    if ent.key.startswith("country:"):
        return ent.key
    code = ent.code or ""
    return f"country:{code[:3]}" if len(code) >= 3 and code[:3].isalpha() and \
        code[:3].isupper() else None


def _guest_first(idx: DocIndex, lex: Lexicon, c: Candidate) -> None:
    """A summit between two parties (the lexicon's `guest_first`) is written guest first,
    as a visit is (the visitor, then the host), when its place tells who hosts: "Putin met
    Kim in Vostochny" is Kim's summit with Putin. Without a place, and for a meeting or an
    agreement of officials, the text's order stays."""
    if c.subtype not in lex.guest_first or c.actor is None or c.target is None:
        return
    place = c.place.entity.key if c.place is not None and c.place.entity.key else None
    if place is None:
        return
    kb = load_kb()
    home_actor, home_target = (
        (country is not None and kb.contains(country, place))
        for country in (_country_of_party(c.actor), _country_of_party(c.target)))
    if home_actor and not home_target:
        c.actor, c.target = c.target, c.actor


def _doer_by_way(idx: DocIndex, c: Candidate) -> None:
    """ "committed such a grave provocation as infiltrating drones into Pyongyang", "the ROK's
    violation of the sovereignty of the DPRK through infiltrations of drones", "the military
    of the ROK is behind a series of drone infiltrations": an act (of the pack's
    `by_way.subtypes`) that names no doer is done by the doer of the act or the party it is
    the way of (through the prepositions of `by_way.preps`, and "of" between nouns): the
    subject of the verb above it, else the owner of the noun, as resolved to its state."""
    rule = _parties_rule(idx, "by_way")
    if c.actor is not None or c.subtype not in rule.get("subtypes", ()):
        return
    preps = set(rule.get("preps", ()))
    cur = c.trigger
    for _ in range(6):
        if cur.dep_ in ("pobj", "pcomp") and cur.head.dep_ in ("prep", "agent") and (
                cur.head.lower_ in preps or (cur.head.lower_ == "of" and cur.head.head.pos_ == "NOUN")):
            cur = cur.head.head
        elif cur.dep_ in ("compound", "amod"):  # "drone infiltrations", "infiltrating drones"
            cur = cur.head
            continue
        else:
            break
        doer = _doer_of(idx, cur)
        if doer is not None:
            c.actor = state_of(idx, doer) or doer
            return


def _doer_of(idx: DocIndex, tok: Token) -> Ref | None:
    """The party that does the act `tok` names: a verb's subject (a copula's too: "X is
    behind"), a noun's owner, or, for a noun a verb takes as object, that verb's subject."""
    if tok.pos_ in ("VERB", "AUX"):
        subj = subject_of(tok)
        return resolve(idx, subj) if subj is not None and subj.dep_ != "nsubjpass" else None
    owner = child(tok, "poss")
    if owner is not None:
        return resolve(idx, owner)
    if tok.dep_ == "dobj":
        return _doer_of(idx, tok.head)
    return None


def _complete(c: Candidate) -> bool:
    """The event names what it needs: a target, unless its kind has none or needs none
    (the pack's `unaimed`: "Iran has deployed missiles near the Strait of Hormuz")."""
    if c.extra.get("region"):
        return False  # a visit to a region, which hosts no one (`_visit_of_person`)
    return c.target is not None or c.subtype in MONADIC or bool(c.extra.get("session")) or (
        c.subtype in OPEN_TARGET and (not c.nominal or bool(c.extra.get("carried")))) or (
        bool(c.extra.get("at_sea")))


def _water(ref: Ref | None, water_words: frozenset[str]) -> bool:
    words = ref.entity.name.lower().split() if ref is not None and ref.entity.type == "LOC" else []
    return any(w in water_words for w in words)


def _open_water(idx: DocIndex, c: Candidate) -> None:
    """ "deployed 18 warships in the northern Indian Ocean", "deployed missiles near the Strait
    of Hormuz": an unaimed act (the pack's `unaimed`) at open water (`water_words`, a word of
    a place's name) takes place there and is aimed at no one (its target null)."""
    rule = _parties_rule(idx, "unaimed")
    if c.subtype not in rule.get("subtypes", ()):
        return
    water = frozenset(rule.get("water_words", ()))
    if c.target is not None:
        if not _water(c.target, water):
            return
        if c.place is None:
            c.place, c.place_text = c.target, c.target.entity.name
        c.target = None
        c.extra["at_sea"] = True
        return
    # (its phrase, or what follows it in its sentence: "Iran's deployment of missiles to
    # cover the entrance to the Gulf", where the parse hangs the purpose on another verb)
    lo, hi = c.trigger.left_edge.idx, c.trigger.sent.end_char
    c.extra["at_sea"] = any(lo <= s and e <= hi and _water(Ref(ent, s, e), water)
                            for s, e, ent in idx.mentions)


def _taken(cands: list[Candidate]) -> set[int]:
    """Tokens that already evoke a typed event (a trigger or a verb among its arguments):
    the general coder leaves them to it."""
    out: set[int] = set()
    for c in cands:
        out.add(c.trigger.i)
        out.update(t.i for t in c.arg_tokens if t.pos_ == "VERB")
    return out


def _conditional(tok: Token) -> bool:
    cur = tok
    for _ in range(12):
        if cur.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                       for m in cur.children):
            return True
        if cur.head == cur:
            return False
        cur = cur.head
    return False


def _judged_denial(idx: DocIndex, lex: Lexicon, noun: Token,
                   memory: list[Ref]) -> list[Candidate]:
    """ "The accusations are baseless," X said: a denial by X's side."""
    source, _ = claim_source(idx, noun, memory)
    side = speaker_side(idx, source, noun)
    if side is None:
        return []
    cand = Candidate(trigger=noun, frame="deny", nominal=True, subtype="denial", actor=side)
    # the evidence runs from the claim to the words that call it false
    cand.arg_tokens = [t for t in noun.sent if t.lower_ in lex.judgements] + [noun.head]
    _finish(idx, lex, cand, memory)
    cand.actor = side
    if not read_content(idx, lex, cand, *claim_content(noun)):
        return []
    return [cand]


def _denial_of(idx: DocIndex, lex: Lexicon, act: Candidate, denier: Ref,
               memory: list[Ref]) -> Candidate:
    """ "X said it has never supplied weapons to Y": X denies the transfer."""
    d = Candidate(trigger=act.trigger, frame="deny", nominal=False, subtype="denial",
                  actor=denier, arg_tokens=list(act.arg_tokens))
    _finish(idx, lex, d, memory)
    d.actor = denier
    d.denies = [act]
    return d


# --- sentences and triggers ------------------------------------------------------------------

def _is_statement(doc: Doc, sent: Span) -> bool:
    """Not a question."""
    text = doc_text(doc)[sent.start_char:sent.end_char].strip()
    return bool(text) and not text.endswith("?")


def _on_text_line(doc: Doc, char: int) -> bool:
    """The line holding `char` is running text: it ends with final punctuation. Headlines,
    captions, bullets and teasers do not (nor does a line in capitals), and they only repeat
    (or advertise) the body. A wire's end mark after the last sentence ("... at once. -0-")
    is not part of the line."""
    text = doc_text(doc)
    end = text.find("\n", char)
    line = text[text.rfind("\n", 0, char) + 1: end if end >= 0 else len(text)].rstrip()
    if line.isupper() and len(line.split()) > 1:
        return False  # a headline in capitals ("JAPAN DENIES REPORT ... WITH U.S.")
    for mark in _end_marks(doc._.sl_language or "en"):
        if line.endswith(mark):
            line = line[: -len(mark)].rstrip()
            break
    if bool(line) and line[-1] in TERMINAL:
        return True
    return _cut_paragraph(line, doc._.sl_language or "en")


def _cut_paragraph(line: str, language: str) -> bool:
    """A line that stops without final punctuation is still running text when it is a
    paragraph cut short (a page scraped up to a paywall or a "read more" link): as long as a
    paragraph (the pack's `cut_paragraph.min_words`) and not capitalised word by word as a
    headline is (`max_capitalised` of its words at most)."""
    rule = load_cameo(language).supplement.get("cut_paragraph") or {}
    words = line.split()
    if not rule or len(words) < rule.get("min_words", 10 ** 6):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised <= rule.get("max_capitalised", 0.0) * len(words)


def _end_marks(language: str) -> tuple[str, ...]:
    """The pack's `end_marks` ("-0-", "-30-", "###"), longest first."""
    marks = load_cameo(language).supplement.get("end_marks", [])
    return tuple(sorted(marks, key=len, reverse=True))


def _same_line(doc: Doc, cand: Candidate) -> bool:
    """Arguments read from the parse lie on the trigger's line: a parse that runs across a
    line break joins a headline or caption to the text (antecedents may lie anywhere)."""
    for ref in (cand.actor, cand.target):
        if ref is None or ref.via != "parse":
            continue
        lo, hi = sorted((ref.start, cand.trigger.idx))
        if "\n" in doc_text(doc)[lo:hi]:
            return False
    return True


def _triggers(idx: DocIndex, lex: Lexicon, sent: Span) -> list[Trigger]:
    out: list[Trigger] = []
    strings = token_strings(sent.doc)
    words = lex.trigger_words
    for i in range(sent.start, sent.end):
        lemma, lower = strings.lemma[i], strings.lower[i]
        if lemma not in words and lower not in words and lemma != "be" \
                and not lower.endswith(lex.multiword_ends):
            continue  # (no test below can pass)
        tok = sent.doc[i]
        trig = lex.trigger(tok)
        if trig is None and tok.lemma_ == "be" and tok.dep_ == "ROOT":
            trig = _presence(idx, tok)
        if tok.pos_ == "NOUN" and tok.lower_.endswith(lex.multiword_ends):
            # a fixed phrase names its own kind, also over its head's ("summit talks")
            # (as written, so that a hyphenated phrase matches: "ship-to-ship transfer")
            phrase = " ".join("".join(t.lower_ + t.whitespace_ for t in tok.doc[
                max(tok.i - 6, 0): tok.i + 1]).split())
            for key, frame in lex.multiword.items():
                if phrase.endswith(key):
                    trig = Trigger(tok, frame, True, (trig.entry if trig is not None and
                                                      trig.frame == frame else {}))
        if trig is not None and trig.nominal and tok.dep_ == "compound" and not trig.entry.get(
                "as_modifier"):
            continue  # it only describes another noun: "a launch site", "the summit venue"
        if trig is not None and trig.nominal and _standing(tok, lex.standing.get(trig.frame)):
            continue  # "in violation of U.N. sanctions": a measure in force, not an act
        if trig is not None:
            out.append(trig)
    return out


def _standing(noun: Token, words: frozenset[str] | None) -> bool:
    """`noun` is the object of one of `words` (a verb or noun: "evade sanctions", "the
    monitoring of sanctions"; a preposition: "under sanctions"), through its first conjunct."""
    if not words:
        return False
    while noun.dep_ == "conj" and noun.head is not noun:
        noun = noun.head
    head = noun.head
    if noun.dep_ == "pobj":
        if head.lower_ in words:
            return True
        head = head.head
    elif noun.dep_ not in ("dobj", "nsubjpass", "obj"):
        return False
    return head.lemma_.lower() in words or head.lower_ in words


def _presence(idx: DocIndex, be: Token) -> Trigger | None:
    """ "The minister is in Seoul": a visit, when the person's title names another country."""
    subj = subject_of(be)
    if subj is None:
        return None
    ref = idx.entity_for_token(subj)
    if ref is None or ref.entity.type != "PERSON":
        return None
    for prep in be.children:
        if prep.dep_ == "prep" and prep.lower_ == "in":
            for obj in prep.children:
                place = idx.entity_for_token(obj) if obj.dep_ == "pobj" else None
                home = idx.affiliation(ref.entity)
                if place and place.entity.type == "GPE" and home and home.key != place.entity.key:
                    return Trigger(be, "visit", False, {"preps": ["in"], "presence": True})
    return None


def _suppressed(lex: Lexicon, trig: Trigger) -> bool:
    """Negated, conditional (inside "if ..."), governed by "refuse/deny/stop", or the
    object of another trigger ("curbing exports": one event, not two)."""
    tok = trig.token
    head = tok.head
    if trig.nominal and tok.pos_ == "PROPN" and tok.dep_ == "compound":
        return True  # a word inside a name ("the ... Sanctions Monitoring Team")
    if trig.nominal and tok.dep_ == "pobj" and head.lower_ == "of" and (
            lex.trigger(head.head) is not None):
        return True  # "enforcement of sanctions": one event
    if trig.nominal and head != tok and tok.dep_ in ("dobj", "nsubjpass") and (
            lex.trigger(head) is not None and head.lemma_.lower() not in lex.light_verbs
            and not _only_named(lex, head)):
        return True
    if not trig.nominal and tok.lemma_.lower() in lex.light_verbs:
        obj = child(tok, "dobj")
        if obj is not None and lex.trigger(obj) is not None:
            return True
    if any(c.dep_ == "neg" or (c.lower_ in NEGATORS and c.dep_ in ("advmod", "det"))
           for c in tok.children):
        return True
    if _negated_through(tok):
        return True
    cur = tok
    for _ in range(12):
        if cur.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                       for m in cur.children):
            return True  # the condition of something else, not a claim
        if cur.head == cur or _own_adverbial(cur):
            break
        up = cur.head
        if up.lemma_.lower() in NEGATIVE_GOVERNORS and cur.dep_ in ("ccomp", "pcomp", "prep"):
            return True  # "denied it was supplying", "prohibits it from selling"
        if up.lemma_.lower() in DESIRE_GOVERNORS and cur.dep_ == "xcomp":
            return True  # only wanted: "they want to sell arms to China"
        cur = up
    # the content of a denied claim ("rejected accusations that X had delivered ...")
    return trig.frame != "deny" and inside_denied_claim(lex, tok)


def _own_adverbial(verb: Token) -> bool:
    """A clause set off by a comma with its own subject and a subordinator of time or
    manner (", as they held talks"; ", when the ship docked") says what happened of its
    own, wherever the parse hangs it: never the condition of an "if" clause before it."""
    if verb.dep_ != "advcl" or verb.i == 0:
        return False
    marks = [c for c in verb.children if c.dep_ == "mark"]
    if not marks or marks[0].lower_ not in OWN_ADVERBIAL_MARKS or marks[0].i == 0:
        return False
    if verb.doc[marks[0].i - 1].text != ",":
        return False
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _negated_through(tok: Token) -> bool:
    """Negation reaches the event through the predicate that carries it ("did not agree to
    supply", "did not hold talks", "is not entitled to blame"), not through coordination
    ("..., and they will pay")."""
    cur = tok
    for _ in range(6):
        if cur.dep_ not in ("xcomp", "dobj", "pcomp", "attr", "oprd", "acomp") or cur.head == cur:
            break
        cur = cur.head
        if any(c.dep_ == "neg" or c.lower_ in ("never",) for c in cur.children):
            return True
        if cur.lemma_.lower() in NEGATIVE_GOVERNORS:
            return True
    return False


def _only_named(lex: Lexicon, verb: Token) -> bool:
    """ "termed the launch a violation": a verb that only names its object (no judgement
    that calls it false), so the object stays an event of its own."""
    trig = lex.trigger(verb)
    return trig is not None and bool(trig.entry.get("needs_judgement")) and not judged(
        list(verb.subtree), lex.judgements)


# --- claim, time, place ----------------------------------------------------------------------

def _speaker_memory(idx: DocIndex) -> list[Ref]:
    """Speakers named so far, in text order: an "it said" speaks for the last institution."""
    refs: list[Ref] = []
    for tok in _tokens_with_lemma(idx.doc, SPEECH):
        if tok.lemma_.lower() in SPEECH and tok.pos_ == "VERB":
            subj = child(tok, "nsubj")
            if subj is not None and subj.pos_ != "PRON":
                ref = resolve(idx, subj)
                if ref is not None:
                    refs.append(Ref(ref.entity, subj.idx, subj.idx + len(subj)))
    for q in idx.quotes:
        if q.speaker and q.speaker_start is not None:
            ent = idx.entity_named(q.speaker)
            if ent is not None:
                refs.append(Ref(ent, q.speaker_start, q.speaker_end or q.speaker_start))
    refs.sort(key=lambda r: r.start)
    return refs


def _finish(idx: DocIndex, lex: Lexicon, cand: Candidate, memory: list[Ref]) -> None:
    trig = cand.trigger
    cand.status, cand.cue = claim_status(trig, cand.nominal, cand.subtype, lex.light_verbs)
    source, speech = claim_source(idx, trig, memory)
    if cand.extra.get("coder") == "noun" and trig.dep_ == "dobj" and not source.is_outlet \
            and trig.head.lemma_.lower() not in SPEECH:
        # "Moscow condemned the Greek attack on ...": an act named as what a party takes a
        # stance on is no claim of that party's (it does not report it); the report tells it
        source = Source(idx.doc._.sl_outlet, None, True, None)
    own_voice = source.is_outlet
    if cand.subtype in SPEECH_ACTS and cand.actor is not None and source.is_outlet:
        source = Source(cand.actor.name, cand.actor.entity.key, False, cand.actor.entity.type)
    cand.source = source
    if cand.actor_from_source and source.name and not source.is_outlet:
        ent = idx.entity_named(source.name)
        if ent is not None:
            side = idx.affiliation(ent) if ent.type == "PERSON" else ent
            if side is None:  # an official the knowledge base codes for a state's government
                state = state_of(idx, Ref(ent, trig.idx, trig.idx, via="source"), officials=True)
                side = state.entity if state is not None and state.entity.key.startswith(
                    "country:") else None
            if side is not None:
                cand.actor = Ref(side, trig.idx, trig.idx, via="source")
    anchors = modal_chain(trig, cand.nominal, lex.light_verbs)
    if speech is not None and cand.subtype in SPEECH_ACTS and _own_clause(trig, speech):
        speech = None  # "..., a figure that X called a lie": X's words, not the report's date
    cand.when, cand.when_text = event_time(idx, trig, speech, cand.subtype in SPEECH_ACTS,
                                           anchors)
    if cand.when is None and cand.subtype in SPEECH_ACTS and speech is None:
        cand.when, cand.when_text = _statement_day(idx, trig, own_voice)
    if cand.subtype == "meeting" and _leaders(idx, lex, cand):
        cand.subtype = "summit"
    if cand.place is None and cand.subtype in ("meeting", "summit", "visit", "agreement"):
        cand.place, cand.place_text = _place(idx, cand)


def _statement_day(idx: DocIndex, trig: Token, own_voice: bool) -> tuple[object, str | None]:
    """The day a statement's own warning or accusation is made: the day its announcement
    gives ("made public the following press statement on May 25:"), else, in a state news
    agency's own voice or a statement that gives none, the day of publication."""
    announced = idx.announced_at(trig.idx)
    if announced is not None:
        text = doc_text(idx.doc)  # (the last day on its line: a dateline's comes first)
        start = text.rfind("\n", 0, announced.start) + 1
        end = text.find("\n", announced.end)
        for tm in reversed(idx.times):
            if start <= tm.start < (end if end >= 0 else len(text)) and \
                    isinstance(tm.value, str) and len(tm.value) == 10:
                return tm.value, tm.text
    elif not own_voice or _voice_state(idx, Source(idx.doc._.sl_outlet, None, True, None)) \
            is None:
        return None, None  # (an outlet reporting "X denied" has not denied anything)
    published = idx.doc._.sl_published
    return (published[:10], None) if published else (None, None)


def _own_clause(trig: Token, speech: Token) -> bool:
    """A relative clause with its own subject lies between the trigger and the speech verb."""
    cur = trig
    for _ in range(12):
        if cur == speech or cur.head == cur:
            return False
        if cur.dep_ in ("acl", "relcl") and child(cur, "nsubj") is not None:
            return True
        cur = cur.head
    return False


def _leaders(idx: DocIndex, lex: Lexicon, cand: Candidate) -> bool:
    """Both sides are heads of state or government (a summit, not a meeting)."""
    titles = lex.item_classes.get("leader_titles", frozenset())
    for ref in (cand.actor, cand.target):
        if ref is None or ref.entity.type != "PERSON" or not idx.titles(ref.entity) & titles:
            return False
    return True


def _other_name(ref: Ref, written: str) -> bool:
    """ "in Seoul" for South Korea: a place named otherwise than the party (its capital),
    not the party's own name or abbreviation ("in the U.S.")."""
    low = written.lower().removeprefix("the ")
    return low != ref.entity.name.lower().removeprefix("the ") and not (
        written.replace(".", "").isupper())


def _place(idx: DocIndex, cand: Candidate) -> tuple[Ref | None, str | None]:
    toks = [cand.trigger] + [t for t in cand.arg_tokens if t.pos_ in ("VERB", "AUX")]
    if cand.trigger.head != cand.trigger:
        toks.append(cand.trigger.head)
    skip = {r.entity.key for r in (cand.actor, cand.target) if r is not None}
    for t in toks:
        for prep in t.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "at"):
                continue
            for obj in prep.children:
                ref = idx.entity_for_token(obj) if obj.dep_ == "pobj" else None
                if ref is None and obj.dep_ == "pobj":  # "at Russia's launch site": Russia
                    owner = child(obj, "poss")
                    ref = idx.entity_for_token(owner) if owner is not None else None
                    if ref is not None and ref.entity.type == "GPE":
                        return ref, doc_text(idx.doc)[slice(*np_span(obj))]
                    ref = None
                # a party's own name is no place ("talks in X" with X), its capital is
                written = doc_text(idx.doc)[ref.start: ref.end] if ref else ""
                if ref and ref.entity.type in ("GPE", "LOC", "FAC", "ORG") and (
                        ref.entity.key not in skip or cand.subtype == "visit"
                        or _other_name(ref, written)):
                    return ref, doc_text(idx.doc)[ref.start: ref.end]
    return None, None


# --- merging repeated mentions ---------------------------------------------------------------

def _same(a: Ref | None, b: Ref | None) -> bool:
    return a is not None and b is not None and a.entity.key == b.entity.key


def _richness(c: Candidate) -> tuple[int, int]:
    return (c.quantity is not None, c.target is not None)


def _precision(when: object) -> int:
    """How precise a time value is: a day beats a week, a week a month, a month a year."""
    if not isinstance(when, str):
        return 0
    return {10: 4, 8: 3, 7: 2, 4: 1}.get(len(when), 0)


def _absorb(keep: Candidate, other: Candidate) -> None:
    """Fill what the kept mention leaves open from another mention of the same event."""
    for name in ("item_text", "place", "place_text"):
        if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(keep, name, getattr(other, name))
    if (keep.when is None or (_precision(other.when) > _precision(keep.when) and isinstance(
            keep.when, str) and str(other.when)[:4] == keep.when[:4])) and other.when is not None:
        keep.when, keep.when_text = other.when, other.when_text
    if keep.quantity is None:
        keep.quantity = other.quantity


def _once(typed: list[Candidate], general: list[Candidate]) -> list[Candidate]:
    """A finer kind the coder reads again between the same parties in one document ("denounces
    X's act" and later "X violated"): one event, the first mention, as `_merge` makes of the
    finer layer's repeats."""
    seen = {(c.subtype, _key(c.actor), _key(c.target)) for c in typed if c.subtype}
    out = []
    for c in sorted(general, key=lambda c: c.start):
        k = (c.subtype, _key(c.actor), _key(c.target))
        if c.subtype and k in seen:
            continue
        seen.add(k)
        out.append(c)
    return out


def _visit_of_person(lex: Lexicon, c: Candidate) -> None:
    """ "Senator X visited Mr Blair": one visits places; a person who visits a person meets
    them (a delegation received by a leader stays its visit: "received a delegation led by
    Y" is Y's visit to the host, as the keys code it)."""
    if c.subtype == "visit" and c.target is not None and c.target.entity.type == "PERSON" \
            and c.actor is not None and c.actor.entity.type == "PERSON" and \
            c.trigger.pos_ == "VERB" and c.trigger.lemma_.lower() == "visit":
        c.subtype = lex.subtype("meet", [])
        c.place, c.place_text = None, None
    if c.subtype == "visit" and c.target is not None and c.target.entity.key.startswith("loc:"):
        c.target = None  # "a Middle East visit", "a tour of Africa": a region is no host (the
        c.extra["region"] = True  # knowledge base's regions, key "loc:"): no event


def _symmetric_twin(lex: Lexicon, k: Candidate, c: Candidate) -> bool:
    """ "X met Y" and later "Y met X with a handshake": one meeting, whoever is named first
    (the lexicon's symmetric frames; two documents signed are still two agreements)."""
    return k.subtype == c.subtype and k.frame == c.frame and lex.is_symmetric(c.frame) and \
        k.target is not None and c.target is not None and \
        _same(k.actor, c.target) and _same(k.target, c.actor) and \
        k.extra.get("document") == c.extra.get("document")


def _merge(lex: Lexicon, cands: list[Candidate]) -> list[Candidate]:
    """One event per repeated mention: same subtype and parties (a missing target joins the
    event with the same actor); distinct counts stay distinct reports."""
    # talks with the host state itself on a trip there are the trip ("arrived in Moscow for
    # talks with Soviet leaders": the visit), where a trip made to meet someone is the meeting
    # ("travelled to X, where he met Y")
    visits = [c for c in cands if c.subtype == "visit" and c.target is not None]
    cands = [c for c in cands if not (c.subtype == "meeting" and any(
        v.sent.start == c.sent.start and _same(v.actor, c.actor) and _same(v.target, c.target)
        for v in visits))]
    meets = [c for c in cands if c.subtype in ("meeting", "summit")]
    cands = [c for c in cands if not (c.subtype == "visit" and any(
        m.sent.start == c.sent.start and _same(m.actor, c.actor) and m.target is not None
        for m in meets) and not _absorb_place(c, meets))]
    kept: list[Candidate] = []
    for c in sorted(cands, key=lambda c: c.start):
        twin = None
        mirror = next((k for k in kept if _symmetric_twin(lex, k, c)), None)
        if mirror is not None:  # (the first mention's order stays)
            _absorb(mirror, c)
            continue
        for k in kept:
            if k.subtype != c.subtype or not _same(k.actor, c.actor):
                continue
            if not (k.target is None or c.target is None or _same(k.target, c.target)):
                continue
            if k.quantity is not None and c.quantity is not None and \
                    k.quantity.value != c.quantity.value:
                continue
            if k.extra.get("document") and c.extra.get("document") and \
                    k.extra["document"] != c.extra["document"]:
                continue  # a joint statement and guidelines signed beside it: two agreements
            twin = k
            break
        if twin is None:
            kept.append(c)
            continue
        if _richness(c) > _richness(twin):
            kept[kept.index(twin)] = c
            _absorb(c, twin)
        else:
            _absorb(twin, c)
    return kept


def _absorb_place(visit: Candidate, meets: list[Candidate]) -> bool:
    for m in meets:
        if m.sent.start == visit.sent.start and _same(m.actor, visit.actor):
            if m.place is None and visit.place_text:
                m.place, m.place_text = visit.target, visit.place_text
            if m.when is None and visit.when is not None:
                m.when, m.when_text = visit.when, visit.when_text
    return False


# --- output ----------------------------------------------------------------------------------

def _evidence(doc: Doc, c: Candidate) -> tuple[int, int]:
    sent = c.sent
    toks = [c.trigger] + [t for t in c.arg_tokens if sent.start <= t.i < sent.end]
    lo = min(t.left_edge.i if t != c.trigger else t.i for t in toks)
    hi = max(t.i for t in toks)
    for ref in (c.actor, c.target, c.place):
        if ref is not None and sent.start_char <= ref.start < sent.end_char:
            span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
            if span is not None:
                lo, hi = min(lo, span.start), max(hi, span.end - 1)
    if c.item is not None and sent.start <= c.item.i < sent.end:
        hi = max(hi, c.item.i)
    lo, hi = max(lo, sent.start), min(hi, sent.end - 1)
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, c.trigger.idx) + 1
    line_end = text.find("\n", c.trigger.idx)
    while lo < c.trigger.i and doc[lo].idx < line_start:  # a parse that ran over a headline
        lo += 1
    while hi > c.trigger.i and line_end >= 0 and doc[hi].idx >= line_end:
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _unnamed_source(doc: Doc, src: Source) -> dict[str, Any]:
    """The words of the unnamed source an outlet cites for the event, when it cites one."""
    if not src.is_outlet or src.words is None:
        return {}
    s, e = src.words
    return {"source_text": doc_text(doc)[s:e], "source_start": s, "source_end": e}


def _to_events(doc: Doc, cands: list[Candidate]) -> list[Event]:
    lex = load_lexicon()
    cameo = load_cameo(doc._.sl_language or "en")
    ids = {id(c): f"e{i}" for i, c in enumerate(cands, 1)}
    out = []
    for c in cands:
        start, end = _evidence(doc, c)
        denied = c.extra.get("denied")
        src = c.source if isinstance(c.source, Source) else Source(None)
        out.append(Event(
            id=ids[id(c)], subtype=c.subtype,
            type=c.extra.get("type") or cameo.rename(lex.type_of(c.subtype)) or "",
            cameo=c.extra.get("cameo"), mode=c.extra.get("mode"),
            start=start, end=end, evidence=doc_text(doc)[start:end],
            actor=c.actor.name if c.actor else None,
            actor_key=(c.actor.entity.key or None) if c.actor else None,
            target=ids.get(id(denied)) if denied is not None else (
                c.target.name if c.target else None),
            target_key=None if denied is not None else (
                (c.target.entity.key or None) if c.target else None),
            participants=[p.name for p in c.participants] if len(c.participants) > 1 else [],
            item=c.item_text, quantity=c.quantity.value if c.quantity else None,
            quantity_qualifier=c.quantity.qualifier if c.quantity else None,
            when=c.when, when_text=c.when_text, where=c.place_text,
            source=src.name, source_key=src.key, source_is_outlet=src.is_outlet,
            **_unnamed_source(doc, src), status=c.status, cue=c.cue, denied_by=[r.name for r in c.denied_by],
            trigger=c.trigger.text,
        ))
    return out
