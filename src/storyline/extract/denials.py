"""Denials: what a denial denies, which event it targets, and denials said in other words.

A denial is a `Candidate` of subtype "denial". Its content comes from:
- a denial verb's complement: "denied it was supplying arms", "rejected accusations that X
  had delivered shells", "dismissed reports of arms transfers", "called the reports lies"
  (`denial_parts`, `read_denial`);
- a claim noun judged false in someone's voice: "the accusations were baseless",
  "accusations made without evidence" (`judged_claim_nouns`);
- a party's own negated act: "X said it has never supplied weapons to Y" (`negated_act`).
`link_denials` gives each denial the event it denies (or None when the document has no such
event: the cross-document layer links it) and `merge_denials` keeps one denial per denier
and denied event.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from . import token_strings
from .arguments import RELATIVE, DocIndex, Ref, child, resolve, subject_of
from .claims import SPEECH_ACTS, Source
from .event_frames import Candidate, build
from .lexicon import Lexicon, Trigger

# Subtypes that one party is accused of and denies (a sanction or a warning is announced by
# the one who makes it: nobody "denies" it in the sense of the key).
NOT_DENIABLE = SPEECH_ACTS | {"sanctions_designation", "sanctions_enforcement",
                              "export_restriction"}
# Nouns for a statement that speaks for whoever made it ("The statement called ...").
STATEMENT_NOUNS = frozenset({"statement", "communique", "communiqué", "release", "response",
                             "reply", "commentary", "note", "message", "declaration"})
NEGATIVE_PREPS = frozenset({"without", "no", "lack", "lacking", "absence", "devoid"})
ACCUSED_FRAMES = frozenset({"transfer", "deploy", "trade", "sts", "cyber"})


# --- what a denial denies ------------------------------------------------------------------

def judged(tokens: list[Token], judgements: frozenset[str]) -> bool:
    """Whether `tokens` call something false ("baseless", "a fabrication", "without
    evidence"); "evidence" counts only with a word that negates it."""
    for t in tokens:
        word = t.lower_
        if word not in judgements and t.lemma_.lower() not in judgements:
            continue
        if word in ("evidence", "proof", "basis"):
            near = {x.lower_ for x in t.doc[max(t.i - 3, 0): t.i]} | {
                a.lower_ for a in t.ancestors if a.i < t.i and a.i >= t.i - 4}
            if not near & NEGATIVE_PREPS:
                continue
        return True
    return False


def denial_parts(trigger: Token, claim_nouns: frozenset[str], judgements: frozenset[str],
                 entry: dict) -> tuple[list[Token], bool] | None:
    """What a denial verb denies: (complement heads to read events from, anaphoric?).

    "denied it was supplying arms" -> the clause; "dismissed these allegations" -> anaphoric;
    "rejected reports of arms transfers" -> the "of" noun; "a figure that X called pure
    invention" -> anaphoric; None: not a denial of a claim.
    """
    if entry.get("needs_judgement") and not judged(list(trigger.subtree), judgements):
        return None
    clauses = [c for c in trigger.children if c.dep_ in ("ccomp", "xcomp", "pcomp")]
    if clauses:
        return clauses, False
    obj = child(trigger, "dobj")
    if obj is not None and obj.lower_ in RELATIVE and trigger.dep_ == "relcl":
        obj = trigger.head  # "the reports, which X denied"
    if obj is None and trigger.dep_ in ("relcl", "acl") and trigger.head.pos_ == "NOUN" and (
            child(trigger, "nsubj") is not None):
        obj = trigger.head  # "a figure that X called pure invention"
    if obj is None:
        return None
    if obj.tag_ == "VBG":  # "denied supplying weapons"
        return [obj], False
    if any(c.dep_ == "compound" and c.tag_ in ("NN", "VBG") and c.lower_.endswith("ing")
           for c in obj.children):
        return [obj], False  # "denied trading weapons", the gerund parsed as a compound
    if obj.lower_ not in claim_nouns and obj.lemma_.lower() not in claim_nouns:
        return None
    return claim_content(obj, trigger)


def claim_content(noun: Token, exclude: Token | None = None) -> tuple[list[Token], bool]:
    """What a claim noun claims: its "that" clause, its "of/about" noun ("reports of arms
    transfers"), or nothing it states itself (anaphoric: "the accusations")."""
    inner = [c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and c != exclude
             and any(m.lower_ == "that" for m in c.children if m.dep_ == "mark")]
    if inner:
        return inner, False
    about = [o for p in noun.children if p.dep_ == "prep" and p.lower_ in ("of", "about", "over")
             for o in p.children if o.dep_ == "pobj"]
    if about:
        return about + [noun], False  # "reports of arms transfers": read the "of" noun
    return [noun], True


def read_denial(idx: DocIndex, lex: Lexicon, trig: Trigger, cand: Candidate) -> bool:
    """Fill `cand.denies` (patterns of the denied event) or mark it anaphoric; False when
    the verb denies nothing that is a claim ("denied entry to the inspectors")."""
    parts = denial_parts(trig.token, lex.claim_nouns, lex.judgements, trig.entry)
    if parts is None or cand.actor is None:
        return False
    return read_content(idx, lex, cand, *parts)


def read_content(idx: DocIndex, lex: Lexicon, cand: Candidate, heads: list[Token],
                 anaphoric: bool) -> bool:
    """Patterns of the denied event read from `heads`, or anaphoric when they name none."""
    cand.denial_anaphoric = anaphoric
    if anaphoric:
        return True
    for head in heads:
        for tok in head.subtree:
            inner = lex.trigger(tok)
            if inner is None or inner.frame == "deny":
                continue
            for c in build(idx, lex, inner):
                subj = child(tok, "nsubj")
                if subj is not None and subj.pos_ == "PRON" and subj.lower_ in ("it", "they"):
                    c.actor = cand.actor  # "X denied it was supplying ...": X
                if c.subtype:
                    cand.denies.append(c)
    if not cand.denies and any(h.lower_ in lex.claim_nouns or h.lemma_.lower() in lex.claim_nouns
                               for h in heads):
        cand.denial_anaphoric = True  # "rejected reports about the ship": whatever was said
    return bool(cand.denies) or cand.denial_anaphoric


def inside_denied_claim(lex: Lexicon, tok: Token) -> bool:
    """`tok` lies in the content of a claim that is denied or judged false ("rejected
    accusations that X had delivered ...", "reports that X sent ... are baseless")."""
    cur = tok
    for _ in range(12):
        if cur.head == cur:
            return False
        up = cur.head
        if up.pos_ == "NOUN" and (up.lower_ in lex.claim_nouns or up.lemma_.lower()
                                  in lex.claim_nouns) and cur.dep_ in ("acl", "prep", "ccomp"):
            gov = lex.trigger(up.head)
            if up.dep_ in ("dobj", "nsubjpass") and gov is not None and gov.frame == "deny":
                return True
            if judged_claim(lex, up):
                return True
        cur = up
    return False


# --- claims judged false in someone's voice -------------------------------------------------

def judged_claim(lex: Lexicon, noun: Token) -> bool:
    """A claim noun that its own phrase or clause calls false: "unfounded accusations",
    "accusations made without evidence", "the accusations were baseless"."""
    if noun.lower_ not in lex.claim_nouns and noun.lemma_.lower() not in lex.claim_nouns:
        return False
    own = set(noun.subtree)
    mods = [t for c in noun.children if c.dep_ in ("amod", "acl", "relcl") for t in c.subtree]
    if judged(mods, lex.judgements):
        return True
    head = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("AUX", "VERB"):
        rest = [t for c in head.children if c.dep_ in ("acomp", "attr", "oprd", "prep", "advcl")
                for t in c.subtree if t not in own]
        return judged(rest, lex.judgements)
    return False


def judged_claim_nouns(lex: Lexicon, sent: Span) -> list[Token]:
    """Claim nouns judged false in `sent` that no denial verb governs (those are read from
    the verb: "rejected unfounded accusations" is one denial)."""
    out = []
    strings = token_strings(sent.doc)
    for i in range(sent.start, sent.end):
        if strings.lower[i] not in lex.claim_nouns and strings.lemma[i] not in lex.claim_nouns:
            continue  # (not a claim noun: see judged_claim)
        tok = sent.doc[i]
        if tok.pos_ != "NOUN" or not judged_claim(lex, tok):
            continue
        # a denial verb above it or in its own clause ("a figure that X called a lie") is
        # read from the verb
        near = list(tok.ancestors) + [c for c in tok.children if c.dep_ in ("acl", "relcl")]
        governed = any(lex.trigger(a) is not None and lex.trigger(a).frame == "deny"
                       for a in near)
        if not governed:
            out.append(tok)
    return out


def speaker_side(idx: DocIndex, source: Source, noun: Token | None = None) -> Ref | None:
    """The party a named source speaks for: a person's country or organisation where the
    text gives it, else the one accused ("the accusations against X", said by X's
    spokesman), else the person."""
    if source.is_outlet or not source.name:
        return None
    ent = idx.entity_named(source.name)
    if ent is None:
        return None
    if ent.type == "PERSON":
        side = idx.affiliation(ent)
        if side is not None:
            ent = side
        elif noun is not None:
            for p in noun.children:
                if p.dep_ == "prep" and p.lower_ == "against":
                    for o in p.children:
                        ref = resolve(idx, o) if o.dep_ == "pobj" else None
                        if ref is not None and ref.entity.type in ("GPE", "ORG"):
                            return ref
    return Ref(ent, noun.idx if noun is not None else 0, noun.idx if noun is not None else 0,
               via="source")


def state_of(idx: DocIndex, ref: Ref | None, *, officials: bool = False) -> Ref | None:
    """A state body denies for its state ("the Iranian foreign ministry" -> Iran) when the
    document names that state; other organisations and people speak for themselves
    (`officials`: a state's official speaks for it too, as in its warnings)."""
    ent = ref.entity if ref is not None else None
    if officials and ent is not None and ent.type == "PERSON" and not ent.code:
        side = idx.affiliation(ent)  # "U.S. deputy ambassador Robert Wood": his title's state
        if side is not None and side.key.startswith("country:"):
            return Ref(side, ref.start, ref.end, via=ref.via)
        return ref
    kinds = ("ORG", "PERSON") if officials else ("ORG",)
    state = idx.state_served(ent) if ent is not None and ent.type in kinds else None
    return Ref(state, ref.start, ref.end, via=ref.via) if state is not None else ref


def statement_speaker(memory: list[Ref], subj: Token | None, idx: DocIndex) -> Ref | None:
    """ "The statement described ...": the one who spoke last before it."""
    if subj is None or subj.lemma_.lower() not in STATEMENT_NOUNS:
        return None
    before = [r for r in memory if r.start < subj.idx]
    if not before:
        return None
    ref = before[-1]
    if ref.entity.type == "PERSON":
        side = idx.affiliation(ref.entity)
        if side is not None:
            return Ref(side, subj.idx, subj.idx + len(subj), via="source")
    return Ref(ref.entity, subj.idx, subj.idx + len(subj), via="source")


# --- a party's own negated act --------------------------------------------------------------

def negated(tok: Token) -> bool:
    """The verb itself is negated ("has never supplied", "did not send")."""
    return any(c.dep_ == "neg" or (c.lower_ == "never" and c.dep_ == "advmod")
               for c in tok.children)


def negated_denier(idx: DocIndex, cand: Candidate) -> Ref | None:
    """Who denies by stating that an act did not happen: a party to the act speaking of it
    ("X said it has never supplied weapons to Y"; Y's officials said they received none), or
    the speaker where the doer is only "the country" ("the country has never supplied").
    None in the outlet's own voice: a report that something did not happen is no denial."""
    if cand.frame not in ACCUSED_FRAMES or cand.subtype is None or cand.nominal:
        return None
    src = cand.source if isinstance(cand.source, Source) else None
    if src is None or src.is_outlet:
        return None
    side = speaker_side(idx, src)
    if side is None:
        return None
    parties = [r for r in (cand.actor, cand.target) if r is not None]
    if any(r.entity.key == side.entity.key for r in parties):
        return side
    subj = subject_of(cand.trigger)
    if cand.actor is None and subj is not None and subj.pos_ == "NOUN":
        return side  # "the country has never supplied": the speaker's country
    return None


# --- linking and merging ---------------------------------------------------------------------

def _same(a: Ref | None, b: Ref | None) -> bool:
    return a is not None and b is not None and a.entity.key == b.entity.key


def _party_to(e: Candidate, refs: list[Ref]) -> bool:
    return any(_same(r, x) for r in refs for x in [e.actor, e.target, *e.participants])


def link_denials(events: list[Candidate], denials: list[Candidate]) -> list[Candidate]:
    """Each denial gets the event it denies as its target (None when the document reports
    no such event); that event gets its deniers."""
    out = []
    for d in denials:
        deniers = d.participants or ([d.actor] if d.actor else [])
        target: Candidate | None = None
        matches: list[Candidate] = []
        if d.denial_anaphoric:
            # the last claim before the denial that the deniers are party to
            pool = [e for e in events if e.start < d.start and e.subtype not in NOT_DENIABLE
                    and _party_to(e, deniers)]
            if pool:
                last_sent = pool[-1].sent.start
                target = min((e for e in pool if e.sent.start == last_sent), key=lambda e: e.start)
                matches = [target]
        else:
            for strict in (True, False):
                for pattern in d.denies:
                    found = [e for e in events if e.subtype == pattern.subtype
                             and (pattern.actor is None or _same(e.actor, pattern.actor))
                             and (not strict or pattern.target is None
                                  or _same(e.target, pattern.target))]
                    matches.extend(f for f in found if f not in matches)
                if matches:
                    break
            ranked = sorted(matches, key=lambda e: (e.start > d.start, e.start))
            target = ranked[0] if ranked else None
        # The party accused of the act is the first to deny it.
        if target is not None:
            deniers.sort(key=lambda r: not _same(r, target.actor))
        if not deniers:
            continue
        d.actor = deniers[0]
        d.participants = deniers if len(deniers) > 1 else []
        d.extra["denied"] = target
        d.source = Source(d.actor.name, d.actor.entity.key, False, d.actor.entity.type)
        for m in matches:
            for r in deniers:
                if all(not _same(r, x) for x in m.denied_by):
                    m.denied_by.append(r)
        out.append(d)
    return out


def merge_denials(denials: list[Candidate]) -> list[Candidate]:
    """One denial per denier and denied event: "X rejected the accusations ... 'These
    accusations are baseless,' X's spokesman said" is one denial (a denial without a target
    in the document joins one by the same party). A joint denial ("X and Y rejected ...")
    and a later one by Y alone stay two statements."""
    kept: list[Candidate] = []
    for d in sorted(denials, key=lambda c: c.start):
        twin = None
        for k in kept:
            a, b = k.extra.get("denied"), d.extra.get("denied")
            if _same(k.actor, d.actor) and (a is None or b is None or a is b):
                twin = k
                break
        if twin is None:
            kept.append(d)
            continue
        keep, other = (d, twin) if _richness(d) > _richness(twin) else (twin, d)
        kept[kept.index(twin)] = keep
        if keep.when is None and other.when is not None:
            keep.when, keep.when_text = other.when, other.when_text
    return kept


def _richness(d: Candidate) -> tuple[bool, int]:
    return d.extra.get("denied") is not None, len(d.participants)
