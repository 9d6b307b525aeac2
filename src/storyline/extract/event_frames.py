"""From a trigger to a candidate event: the frame's arguments, item, subtype and quantity.

One function per kind of frame reads the parse around the trigger (subject, object,
prepositions, possessor, "between X and Y", a light verb's subject) and fills a `Candidate`.
Which candidates become events (negation, merging, claims) is decided in `events.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token

from . import doc_text, sentence_of
from .arguments import (
    DocIndex,
    Ref,
    child,
    dateline_place,
    is_passive,
    modifier_refs,
    np_span,
    prep_objects,
    resolve,
    resolve_all,
    subject_of,
)
from .cameo import habitual
from .frame_args import (
    ONWARD,
    PORT_CALL_VERBS,
    agent_objects,
    asset_token,
    between,
    climb_subject,
    first_party,
    first_place,
    gap_object,
    goer,
    has_complement,
    item_country,
    light_verb,
    owner_country,
    party,
    place_noun,
)
from .items import head_words, item_quantity, item_text, item_words
from .lexicon import Lexicon, Trigger
from .quantities import Quantity, quantity_of

EXCHANGE_NOUNS = frozenset({"exchange", "return"})


@dataclass(eq=False)
class Candidate:
    """An event in the making: the trigger, its arguments, and (later) its claim."""

    trigger: Token
    frame: str
    nominal: bool
    subtype: str | None
    actor: Ref | None = None
    target: Ref | None = None
    participants: list[Ref] = field(default_factory=list)
    item: Token | None = None
    item_text: str | None = None
    quantity: Quantity | None = None
    place: Ref | None = None
    place_text: str | None = None
    actor_from_source: bool = False  # "they will pay a price": the speaker's side warns
    arg_tokens: list[Token] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # filled by claims / events
    status: str = "asserted"
    cue: str | None = None
    source: Any = None
    when: Any = None
    when_text: str | None = None
    denies: list[Candidate] = field(default_factory=list)
    denial_anaphoric: bool = False
    denied_by: list[Ref] = field(default_factory=list)

    @property
    def sent(self) -> Span:
        return sentence_of(self.trigger)

    @property
    def start(self) -> int:
        return self.trigger.idx


# --- frames --------------------------------------------------------------------------------

def build(idx: DocIndex, lex: Lexicon, trig: Trigger) -> list[Candidate]:
    """Candidates evoked by one trigger (a transfer may imply the one given in return)."""
    cand = Candidate(trigger=trig.token, frame=trig.frame, nominal=trig.nominal, subtype=None)
    if trig.nominal:
        _nominal(idx, lex, trig, cand)
    else:
        _verbal(idx, lex, trig, cand)
    if cand.extra.get("drop"):
        return []
    out = [cand]
    if trig.frame in ("transfer", "deploy") and cand.actor and cand.target:
        out.extend(_exchange(idx, lex, trig.token, cand))
    return out


def _set_item(lex: Lexicon, cand: Candidate, tok: Token | None) -> None:
    if tok is None:
        return
    cand.item = tok
    cand.item_text = item_text(tok)
    cand.quantity = item_quantity(tok)
    cand.arg_tokens.append(tok)


def _subtype(lex: Lexicon, cand: Candidate) -> str | None:
    words = item_words(cand.item) if cand.item is not None else []
    return lex.subtype(cand.frame, words)


def _verbal(idx: DocIndex, lex: Lexicon, trig: Trigger, cand: Candidate) -> None:
    v = trig.token
    entry = trig.entry
    passive = is_passive(v)
    subj = subject_of(v)
    dobj = child(v, "dobj") or gap_object(v, passive)
    patient = child(v, "nsubjpass") if passive else dobj
    if passive and v.dep_ == "acl":
        patient = v.head
    frame = trig.frame
    needs_obj = entry.get("needs_object")
    if isinstance(needs_obj, list) and (dobj is None or dobj.lemma_.lower() not in needs_obj
                                        and dobj.lower_ not in needs_obj):
        cand.extra["drop"] = True
        return
    if needs_obj == "claims":
        cand.extra["drop"] = dobj is None or dobj.lower_ not in lex.claim_nouns
    if frame == "transfer" and not trig.reverse and not passive and dobj is not None and \
            v.lemma_.lower() in lex.senders:
        who = party(idx, dobj)
        if who is not None and who.entity.type == "PERSON":  # "sent Shultz to Moscow": a visit
            place, tok = first_place(idx, prep_objects(v, "to"))
            if place is None or tok is None:
                cand.extra["drop"] = True
                return
            _visit(idx, lex, cand, who, place, tok, dobj)
            return
    if frame in ("transfer", "deploy", "trade"):
        recipients = prep_objects(v, "to", "into") + [c for c in v.children if c.dep_ == "dative"]
        if frame == "trade":  # "traded weapons with X": the other party
            recipients += prep_objects(v, "with")
        with_objs = prep_objects(v, "with")
        item = patient
        if dobj is not None and not passive and party(idx, dobj) is not None and (
                with_objs or frame == "transfer" and lex.classes_of(item_words(dobj)) == []):
            recipients.insert(0, dobj)  # "provided Russia with shells", "supplying Pyongyang"
            item = with_objs[0] if with_objs else None
        if trig.reverse:  # "X received advice from Y": Y gives, X gets
            giver, _ = first_party(idx, prep_objects(v, "from"))
            if giver is None and item is not None:
                giver = party(idx, child(item, "poss"))
            if giver is None:  # "X received Russian help": the country that modifies the item
                giver = item_country(idx, item)
            cand.actor, cand.target = giver, party(idx, subj)
        else:
            cand.actor = party(idx, subj) if subj is not None else None
            cand.target, _ = first_party(idx, recipients)
        _set_item(lex, cand, item)
        if cand.actor is None and not trig.reverse:
            cand.actor = item_country(idx, item)
        cand.subtype = _trade_subtype(lex, item) if frame == "trade" else _subtype(lex, cand)
    elif frame in ("meet", "agree", "cyber", "accuse", "sanction"):
        parties = resolve_all(idx, subj) if subj is not None else []
        cand.actor = parties[0] if parties else None
        objs = []
        if dobj is not None and dobj.lower_ not in lex.meeting_objects_excluded:
            objs.append(dobj)
        objs += prep_objects(v, "with", "on", "against")
        if dobj is not None and frame != "agree":  # ("guidelines on X": what they are about)
            objs += prep_objects(dobj, "on", "against")
        cand.target, _ = first_party(idx, objs)
        if entry.get("needs_item") and (dobj is None or not lex.classes_of(item_words(dobj))):
            cand.extra["drop"] = True
        if entry.get("needs_complement") and not has_complement(lex, v, dobj):
            cand.extra["drop"] = True  # "agreed that ...": a shared view, not an agreement
        if cand.target is None and len(parties) > 1 and lex.is_symmetric(frame):
            cand.target = parties[1]
        if cand.target is None and entry.get("session") and _body_of_states(cand.actor):
            cand.extra["session"] = True  # "the Security Council convened": its own session
        cand.participants = parties
        if frame == "agree" and dobj is not None:
            cand.extra["document"] = dobj.lemma_.lower()  # (what was signed: see events._merge)
        # "imposed an arms ban": the item may name a finer kind (an arms embargo)
        cand.subtype = lex.subtype(frame, item_words(dobj) if dobj is not None else [])
    elif frame == "visit":
        places = ([dobj] if dobj is not None and entry.get("object") == "place" else [])
        places += prep_objects(v, *(entry.get("preps") or ["to"]))
        for p in v.children:  # "travel on to X", "flew back to X"
            if p.lower_ in ONWARD and p.dep_ in ("prep", "advmod", "prt"):
                places += prep_objects(p, *(entry.get("preps") or ["to"]))
        asset = asset_token(lex, subj)
        if entry.get("done_only") and (v.tag_ not in ("VBD", "VBN") or asset is not None):
            cand.extra["drop"] = True  # "will depart for X": announced, not yet a visit; a
            return  # ship that leaves a port makes no call by leaving
        if entry.get("from_visit") and asset is None and v.tag_ in ("VBD", "VBN"):
            been, tok = first_place(idx, prep_objects(v, "from"))  # "returned home from X":
            who = party(idx, subj) if subj is not None else None  # the visit made there
            if been is not None and tok is not None and who is not None and \
                    _abroad(idx, who, been):
                _visit(idx, lex, cand, who, been, tok, subj)
                return
        if entry.get("asset_only") and asset is None:
            cand.extra["drop"] = True  # "returned to X" is a port call of a ship, not a visit
            return
        cand.actor = party(idx, subj) if subj is not None else None
        cand.target, tok = first_place(idx, places)
        if not places and entry.get("arrival") and not prep_objects(v, "to"):
            ref, here = dateline_place(idx)  # "arrived here", "arrived from Helsinki": where
            if ref is not None and _abroad(idx, cand.actor, ref):  # the report is written
                cand.target, tok = ref, here
        cand.place, cand.place_text = cand.target, tok.text if tok is not None else None
        if tok is not None:
            cand.place_text = doc_text(idx.doc)[slice(*np_span(tok))]
        for t in places if cand.target is None else []:
            cand.target, tok = place_noun(idx, t)
            if cand.target is not None:
                cand.place = idx.entity_for_token(tok) or cand.target
                cand.place_text = doc_text(idx.doc)[slice(*np_span(tok))]
                cand.arg_tokens.append(tok)
                break
        if asset is not None and asset is not subj:
            cand.actor = None  # "it" stood for the ship: the ship's owner, not the pronoun's
        _asset_visit(idx, lex, cand, asset or subj)
        if dobj is not None and dobj.lemma_.lower() == "mission":  # "flew a mission to X"
            cand.target, _ = first_party(idx, prep_objects(dobj, "to"))
    elif frame in ("launch", "test"):
        item = dobj or child(v, "nsubjpass")
        words = head_words(item) if item is not None else []
        need = entry.get("needs_item")
        if need and not lex.classes_of(words) or need and need not in lex.classes_of(words):
            cand.extra["drop"] = True
            return
        if entry.get("needs_prep") and not prep_objects(v, *entry["needs_prep"]):
            cand.extra["drop"] = True
            return
        if item is not None and not lex.classes_of(words):
            cand.extra["drop"] = True  # "launched an investigation", "launched a campaign"
            return
        if frame == "launch" and (item is not None and item.pos_ == "NOUN" and not lex.classes_of(
                [item.lemma_.lower(), item.lower_]) or v.dep_ in ("amod", "compound")):
            cand.extra["drop"] = True  # "launch small boat attacks": attacks, not boats, go;
            return  # "land-based launching sites": a place, no launch
        if item is None and not idx.mentions_any(lex.launch_context):
            cand.extra["drop"] = True  # "the company launched": nothing flies in this story
            return
        s = subj if subj is not None else climb_subject(v)
        cand.actor = party(idx, s) if s is not None else None
        _set_item(lex, cand, item)
        cand.subtype = lex.subtype(frame, words)
    elif frame in ("enforce", "restrict"):
        cand.actor = party(idx, subj) if subj is not None else None
        if dobj is None:
            cand.extra["drop"] = True
            return
        cand.target, _ = first_party(idx, prep_objects(dobj, "to", "against", "on")
                                      + prep_objects(v, "to", "against", "on"))
        of = prep_objects(dobj, "of")
        _set_item(lex, cand, of[0] if of else None)
        cand.subtype = lex.subtype(frame, [])
    elif frame in ("warn", "price"):
        if frame == "price":  # "they will pay a price": the payer is the one warned
            cand.target = party(idx, subj) if subj is not None else None
            cand.actor_from_source = True
        else:
            cand.actor = party(idx, subj) if subj is not None else None
            objs = ([dobj] if dobj is not None else []) + prep_objects(v, "against")
            cand.target, _ = first_party(idx, objs)
        cand.subtype = lex.subtype("warn", [])
    elif frame == "deny":
        cand.subtype = "denial"
        cand.participants = resolve_all(idx, subj) if subj is not None else []
        cand.actor = cand.participants[0] if cand.participants else None
    else:
        cand.extra["drop"] = True
        return
    cand.arg_tokens.extend(t for t in (subj, dobj) if t is not None)


def _abroad(idx: DocIndex, who: Ref | None, place: Ref) -> bool:
    """Whether `place` is abroad for `who`: not the country of their title (one who arrives
    home or returns from home visits nothing)."""
    home = idx.affiliation(who.entity) if who is not None else None
    return home is None or home.key != place.entity.key


def _visit(idx: DocIndex, lex: Lexicon, cand: Candidate, who: Ref, place: Ref, tok: Token,
           who_tok: Token | None) -> None:
    """`cand` as `who`'s visit to `place`, written at `tok`."""
    cand.frame, cand.actor, cand.target, cand.place = "visit", who, place, place
    cand.place_text = doc_text(idx.doc)[slice(*np_span(tok))]
    cand.subtype = lex.subtype("visit", [])
    cand.arg_tokens.extend(t for t in (who_tok, tok) if t is not None)


def _asset_visit(idx: DocIndex, lex: Lexicon, cand: Candidate, subj: Token | None) -> None:
    """A ship that visits a port makes a port call (by the ship, where it is named); a
    bomber that flies to a country is a deployment, flown for the country that owns it."""
    if subj is None:
        return
    words = [subj.lemma_.lower(), subj.lower_]
    if lex.classes_of(words) and set(lex.classes_of(words)) & {"vessel", "aircraft"}:
        owner = item_country(idx, subj) or cand.actor
        port_call = "vessel" in lex.classes_of(words) and cand.trigger.lemma_ in PORT_CALL_VERBS
        named = resolve(idx, subj, agentive=False) if port_call else None
        cand.actor = named if named is not None and named.entity.type not in (
            "GPE", "NORP") else owner
        _set_item(lex, cand, subj)
        cand.quantity = None
        cand.frame = "deploy"
        cand.subtype = "port_call" if port_call else "military_deployment"
        if port_call and cand.target is None:
            cand.extra["drop"] = True  # a port call says where: no port read, no call
    else:
        cand.subtype = lex.subtype("visit", [])


def _partner(idx: DocIndex, cand: Candidate, n: Token, light: Token | None,
             actor_tok: Token | None) -> None:
    """The other side of a joint act (the lexicon's `partner` frames): "drills with X",
    "staged a drill with X", "the drill staged by X and Y", "X and Y held drills"."""
    objs = prep_objects(n, "with") + (prep_objects(light, "with") if light is not None else [])
    cand.target, _ = first_party(idx, objs)
    if cand.target is None:
        parties = cand.participants or (resolve_all(idx, actor_tok)
                                         if actor_tok is not None else [])
        others = [p for p in parties if cand.actor is None or
                  p.entity.key != cand.actor.entity.key]
        if others and cand.actor is not None:
            cand.target = others[0]


def _nominal(idx: DocIndex, lex: Lexicon, trig: Trigger, cand: Candidate) -> None:
    n = trig.token
    entry = trig.entry
    frame = trig.frame
    if any(c.dep_ == "det" and c.lower_ in ("no", "this", "that", "these", "those")
           for c in n.children):
        cand.extra["drop"] = True  # "no such launch"; "this meeting" repeats an earlier one
        return
    if habitual(n.head, n):
        cand.extra["drop"] = True  # "has regular meetings with X": a habit, no event of a day
        return
    if entry.get("needs_modifier"):
        mods = {c.lower_ for c in n.children if c.dep_ in ("amod", "compound")}
        if not mods & set(entry["needs_modifier"]):
            cand.extra["drop"] = True
            return
    poss = child(n, "poss")
    by = prep_objects(n, "by")
    frm = prep_objects(n, "from")
    pair = between(idx, n)
    light = light_verb(lex, n)
    actor_tok = poss or (by[0] if by else None)
    cand.actor = party(idx, actor_tok) if actor_tok is not None else None
    if cand.actor is None and pair:
        cand.actor = pair[0]
        cand.target = pair[1] if len(pair) > 1 else None
        cand.participants = pair
    if cand.actor is None and light is not None:
        s = subject_of(light)
        parties = resolve_all(idx, s) if s is not None else []
        if parties:
            cand.actor = parties[0]
            cand.participants = parties
            if len(parties) > 1 and lex.is_symmetric(frame):
                cand.target = parties[1]
        cand.arg_tokens.extend(t for t in (light, s) if t is not None)
    if cand.actor is None and light is None and frame in ("meet", "summit", "visit"):
        g = goer(lex, n)  # "drove to a meeting with X", "sent X to Moscow for talks"
        parties = resolve_all(idx, g) if g is not None else []
        if parties:
            cand.actor, cand.participants = parties[0], parties
            cand.arg_tokens.append(g)
    if cand.actor is None and light is None:  # "the drill staged by the U.S. and the ROK"
        agents = [o for v in _participles(n) if _light_form(lex, v) for o in agent_objects(v)]
        parties = resolve_all(idx, agents[0]) if agents else []
        if parties:
            cand.actor, cand.participants = parties[0], parties
            actor_tok = agents[0]
    if poss is not None and poss.pos_ == "PRON" and frame == "agree" and light is None and not (
            any(v.dep_ == "acl" for v in n.children)):
        cand.extra["drop"] = True  # "its pact with the US": an agreement in force, no event
        return
    if actor_tok is not None:
        cand.arg_tokens.append(actor_tok)
    if frame in ("transfer", "deploy", "trade"):
        of = prep_objects(n, "of")
        item = of[0] if of else None
        if item is None and n.dep_ == "compound" and frame == "trade":
            if not lex.classes_of([n.head.lemma_.lower(), n.head.lower_]):
                cand.extra["drop"] = True  # "a trading company", "trade talks"
                return
            item = n.head  # "trading weapons" parsed as a compound
        if item is None:
            comps = [c for c in n.children if c.dep_ in ("compound", "amod") and lex.classes_of(
                [c.lemma_.lower(), c.lower_])]
            item = comps[0] if comps else None
        if item is None and lex.classes_of([n.lower_]):
            item = n  # "the North's military supplies to Russia"
        _set_item(lex, cand, item)
        if cand.quantity is None:
            cand.quantity = quantity_of(n) if frame != "deploy" else None
        if trig.reverse:
            giver, _ = first_party(idx, frm)
            cand.actor, cand.target = giver, cand.actor
        else:
            if cand.actor is None and frm:
                cand.actor, _ = first_party(idx, frm)
            if cand.target is None:
                cand.target, _ = first_party(idx, prep_objects(n, "to", "for", "into"))
        if cand.actor is None:
            cand.actor = item_country(idx, item)
        if frame == "trade":
            cand.subtype = _trade_subtype(lex, item)
        else:
            cand.subtype = _subtype(lex, cand)
    elif frame in ("meet", "summit", "agree", "visit", "cyber"):
        if frame == "agree":
            cand.extra["document"] = n.lemma_.lower()
        if frame in ("meet", "summit") and not pair:
            _named_by_modifiers(idx, cand, n, light)
        if cand.target is None and not cand.extra.get("session"):
            objs = prep_objects(n, "with", "to", "on")
            if frame in ("meet", "summit") and light is not None:
                objs += prep_objects(light, "with")  # "held talks on Sunday with X"
            pick = first_place if frame == "visit" else first_party
            cand.target, tok = pick(idx, objs)
            if frame == "visit" and tok is not None:
                cand.place_text = doc_text(idx.doc)[slice(*np_span(tok))]
        if cand.target is None and frame in ("meet", "summit") and light is not None and \
                actor_tok is None and _body_of_states(cand.actor) and len(cand.participants) <= 1:
            cand.extra["session"] = True  # "the G7 held a meeting of ministers": its own
        if cand.target is None and frame == "visit":
            comps = [c for c in n.children if c.dep_ == "compound"]
            cand.target, tok = first_place(idx, comps)
            if tok is not None:
                cand.place_text = tok.text
        if cand.actor is None and frame == "visit":
            cand.actor, _ = first_party(idx, prep_objects(n, "of", "by"))
        if cand.actor is None and frame == "visit":
            cand.actor = _on_a_visit(idx, n)
        cand.subtype = lex.subtype(frame, [])
    elif frame in ("launch", "test", "exercise", "sts", "port", "attempt"):
        comps = [c for c in n.children if c.dep_ in ("compound", "amod")]
        words = [c.lemma_.lower() for c in comps] + [c.lower_ for c in comps]
        words += [o.lemma_.lower() for o in prep_objects(n, "of")]
        if entry.get("needs_item") and entry["needs_item"] not in lex.classes_of(words):
            cand.extra["drop"] = True
            return
        named = [c.lower_ for c in comps if c.dep_ == "compound"]
        if frame in ("launch", "attempt") and (named and not lex.classes_of(named) or not (
                lex.classes_of(words) or idx.mentions_any(lex.launch_context))):
            cand.extra["drop"] = True  # "a product launch", or no rocket in the story
            return
        if frame == "launch" and n.dep_ in ("compound", "amod") and n.head.pos_ == "NOUN":
            cand.extra["drop"] = True  # "land-based launching sites": a place, no launch
            return
        if cand.actor is None:
            s = climb_subject(n)
            cand.actor = party(idx, s) if s is not None else None
        if cand.actor is None and frame == "exercise":
            pair = modifier_refs(idx, n)  # "U.S.-ROK military exercises": joint drills,
            if len(pair) > 1:  # the partner the target (the keys' convention)
                cand.actor, cand.target, cand.participants = pair[0], pair[1], pair
        if cand.actor is None:
            for c in comps:  # "North Korean missile tests"
                ref = idx.entity_for_token(c)
                if ref is not None and ref.entity.type in ("GPE", "NORP"):
                    cand.actor = idx.country_of_demonym(ref)
        if lex.frames.get(frame, {}).get("partner") and cand.target is None:
            _partner(idx, cand, n, light, actor_tok)
        cand.quantity = quantity_of(n)
        cand.item_text = n.text if not comps else doc_text(idx.doc)[slice(*np_span(n))]
        cand.subtype = lex.subtype(frame, words)
        if frame == "attempt":
            cand.subtype = _attempt_subtype(lex, n)
    elif frame == "warn":  # "gave a warning to the UNSC", "Seoul's warning to Pyongyang"
        objs = prep_objects(n, "to", "against") + (
            prep_objects(light, "to") + [c for c in light.children if c.dep_ == "dative"]
            if light is not None else [])
        cand.target, _ = first_party(idx, objs)
        cand.subtype = lex.subtype(frame, [])
    elif frame in ("sanction", "enforce"):
        of = prep_objects(n, "of")
        words = item_words(of[0]) if of else []
        if entry.get("needs_item") and "sanctions" not in lex.classes_of(
                words + [w.lower_ for w in n.subtree]):
            cand.extra["drop"] = True
            return
        if cand.actor is None:
            comps = [c for c in n.children if c.dep_ in ("compound", "amod")]
            cand.actor, _ = first_party(idx, comps)
        objs = prep_objects(n, "against", "on") + [
            o for x in of for o in prep_objects(x, "against", "on")]
        if light is not None:  # "imposed sanctions on X": the preposition hangs off the verb
            objs += prep_objects(light, "against", "on")
            cand.extra["carried"] = True  # a verb states the act ("will announce sanctions")
        cand.target, _ = first_party(idx, objs)
        if cand.target is None:  # "tariffs on Japanese goods": the goods' country
            cand.target = next((r for r in (owner_country(idx, o) for o in objs) if r), None)
        if cand.actor is None:
            s = climb_subject(n, limit=6)
            parties = resolve_all(idx, s) if s is not None else []
            if parties:
                cand.actor, cand.participants = parties[0], parties
        cand.subtype = lex.subtype(frame, [])
    else:
        cand.extra["drop"] = True


def _on_a_visit(idx: DocIndex, n: Token) -> Ref | None:
    """The visitor of "X, on a visit to Y, ...", "X is on an official visit to Y", "X, who
    is on a visit to Y", "received X on a visit to Y": the noun the "on"/"during" phrase
    describes, or the object of the verb it hangs on, or that verb's subject."""
    prep = n.head
    if n.dep_ != "pobj" or prep.lower_ not in ("on", "during") or prep.dep_ != "prep":
        return None
    host = prep.head
    if host.pos_ in ("PROPN", "NOUN"):
        return party(idx, host)
    if host.pos_ in ("VERB", "AUX"):  # ("received X on a visit to Y": X, the one received)
        s = child(host, "dobj") or subject_of(host)
        return party(idx, s) if s is not None else None
    return None


def _named_by_modifiers(idx: DocIndex, cand: Candidate, n: Token,
                        light: Token | None = None) -> None:
    """A meeting named by its parties ("a ROK-Japan-China summit", "U.S.-Japan talks", "a
    meeting of the foreign ministers of X and Y"): the first two; a summit of one
    international body ("an EU summit"), or a meeting of its members ("a meeting of NATO
    ambassadors"), is its own, with no target (a "G7 ministerial meeting" is left to the
    parties that meet there)."""
    refs = modifier_refs(idx, n)
    if not refs and (light is None or child(light, "nsubj") is None) and not (
            n.dep_ == "pobj" and n.head.lower_ == "of"):
        # "after a meeting of NATO ambassadors", "a meeting of the ministers of X and Y" (not
        # one attended by someone, whose attending is the news: "attended a meeting of G7
        # ministers"; nor one that only places another: "on the sidelines of a summit of X")
        refs = [r for o in prep_objects(n, "of") for r in resolve_all(idx, o)]
        if len(refs) == 1 and _body_of_states(refs[0]):
            cand.actor, cand.target, cand.participants = refs[0], None, refs
            cand.extra["session"] = True  # (the body's own session)
            return
    if len(refs) > 1:
        cand.actor, cand.target, cand.participants = refs[0], refs[1], refs
    elif len(refs) == 1 and _body_of_states(refs[0]) and cand.frame == "summit":
        cand.actor, cand.target, cand.participants = refs[0], None, refs
        cand.extra["session"] = True


def _participles(n: Token) -> list[Token]:
    """The participles that describe the act a noun names: its own, and those the parse hung
    on its "of"-phrase ("the test-fire of the latest ICBM conducted by the DPRK": the ICBM
    was not conducted, the test-fire was)."""
    out = [v for v in n.children if v.dep_ == "acl"]
    for obj in prep_objects(n, "of"):
        for t in (obj, *(a for a in obj.children if a.dep_ == "appos")):
            out.extend(v for v in t.children if v.dep_ == "acl" and v.tag_ == "VBN")
    return out


def _light_form(lex: Lexicon, v: Token) -> bool:
    """A light verb ("staged": its lemma as English spells it, `nlp.silent_e_lemma`)."""
    return v.lemma_.lower() in lex.light_verbs


def _body_of_states(ref: Ref | None) -> bool:
    """An international organisation (the KB's IGO codes: the EU, the UN Security Council,
    NATO), whose summit or session is its own event."""
    return ref is not None and ref.entity.type == "ORG" and (ref.entity.code or "").startswith(
        "IGO")


def _trade_subtype(lex: Lexicon, item: Token | None) -> str:
    """Trade in arms is an arms transfer; trade in goods (or in nothing named) is trade."""
    words = item_words(item) if item is not None else []
    sub = lex.subtype("transfer", words) if words else None
    return sub if sub and sub != "trade" else "trade"


def _attempt_subtype(lex: Lexicon, n: Token) -> str | None:
    """An attempt is an attempt at something: "attempt to launch X", or the launch that the
    same sentence talks about ("a successful launch following two failed attempts")."""
    for c in n.children:
        if c.dep_ in ("acl", "relcl", "xcomp"):
            trig = lex.trigger(c)
            if trig is not None and trig.frame in ("launch", "test"):
                return lex.subtype(trig.frame, [w.lower_ for w in c.subtree])
    for t in n.sent:
        if t == n:
            continue
        trig = lex.trigger(t)
        if trig is not None and trig.frame in ("launch", "test"):
            words = [w.lemma_.lower() for w in t.subtree] if not trig.nominal else [
                c.lemma_.lower() for c in t.children]
            st = lex.subtype(trig.frame, words)
            if st:
                return st
        if t.lemma_.lower() in lex.item_classes.get("satellite", ()):
            return lex.subtype("launch", ["satellite"])
    return None


def _exchange(idx: DocIndex, lex: Lexicon, v: Token, cand: Candidate) -> list[Candidate]:
    """ "X supplies Y ... in exchange for Z": Z moves from Y to X (a second transfer)."""
    out = []
    for prep in v.children:
        if prep.dep_ != "prep" or prep.lower_ != "in":
            continue
        for noun in prep.children:
            if noun.dep_ != "pobj" or noun.lower_ not in EXCHANGE_NOUNS:
                continue
            for item in prep_objects(noun, "for"):
                other = Candidate(trigger=item, frame="transfer", nominal=True, subtype=None,
                                  actor=cand.target, target=cand.actor)
                _set_item(lex, other, item)
                other.subtype = _subtype(lex, other)
                other.extra["exchange"] = True
                if other.subtype:
                    out.append(other)
    return out
