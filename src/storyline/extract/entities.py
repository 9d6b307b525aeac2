"""Entities with a canonical identity: the `storyline_entities` component and its helpers.

The component runs after spaCy's NER and sets `doc._.sl_entities`: one `Entity` per actor
of the document, with every mention. Sources of mentions, in order of trust:
1. the knowledge base (kb.py) through a case-sensitive gazetteer: countries by name,
   abbreviation, demonym ("North Korean") and metonym ("Pyongyang", "the Kremlin"), bodies,
   agencies, media, people, places; "the North"/"the South" only where the document also
   names that Korea;
2. spaCy's PERSON, ORG, GPE, LOC and FAC spans, cleaned (line breaks, articles, possessives,
   hyphenated given names) and filtered (page furniture, model numbers, title words);
3. "Mr./Ms./Dr. Name" and role descriptors ("the top U.S. diplomat").
A title in front of a name ("U.S. Secretary of State Antony Blinken") becomes the person's
role and never an organisation of its own; a known organisation in it ("State Department
spokesperson ...") stays a mention of that organisation. People are clustered by surname
(coref.py). Unknown names get slug keys: "person:jane-doe", "org:acme-institute".
What names no actor (lang/en/entities.json): a NER span headed by a text or an act ("Press
Statement", "UN Charter"), role words ("Military Commentator"), an era year ("Juche 113"), an
acronym of a thing ("LNG"), a weapon's name ("Styx anti-ship missiles"). A country named only
by a nationality word ("British", "Chinese-made") is typed NORP: the other components read
it as an actor, and `listed` leaves it out of the stored record (no place is named).

Helpers for the other components (signatures are stable): `entity_at`, `resolve_text`,
`entity_for_token`.
"""

from __future__ import annotations

import bisect
from collections import Counter

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from ..records import Entity, Mention
from . import doc_text, register_extensions, span_text, token_strings
from .coref import PersonInfo, cluster_persons, find_descriptors, link_acronyms, resolve_generic
from .entity_rules import (
    bare_body,
    caps_cands,
    company_end,
    company_short_forms,
    credit_cands,
    headline_cut,
    join_place_features,
    key_form,
    names_a_text,
    names_no_actor,
    relabel,
    vessel_cands,
    weapon_names,
)
from .kb import KB, Actor, load_kb, slugify
from .names import (
    EAST_ASIAN_SURNAMES,
    HONORIFICS,
    POST_NOMINALS,
    TITLE_HEADS,
    Cand,
    clean_ner_span,
    family_name,
    is_photo_credit,
    looks_like_name,
    norm,
    split_org_person,
    strip_the,
    title_before,
)

NER_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
_KIND_RANK = {k: i for i, k in enumerate(("name", "official", "alias", "abbrev", "metonym",
                                          "context", "demonym", "people", "combining"))}
_SOURCE_RANK = {"kb": 0, "rule": 1, "ner": 2}
# Name kinds that say what someone is, not where: a country named only so is no place named.
NATIONALITY_KINDS = frozenset({"demonym", "people", "combining"})
_ACTIVE: dict[str, EntitiesComponent] = {}  # the last component built, for the helpers


class EntitiesComponent:
    """spaCy component: `doc._.sl_entities` = canonical entities with their mentions."""

    def __init__(self, nlp: Language, kb: KB | None = None) -> None:
        register_extensions()
        self.kb = kb or load_kb()
        self.tokenizer = nlp.tokenizer
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        surfaces = {s for s, _, _ in self.kb.surfaces()}
        surfaces |= {n for g in self.kb.generic.values() for n in g.names + g.abbrevs}
        surfaces |= {s.replace("'", "’") for s in surfaces if "'" in s}
        self.matcher.add("KB", list(nlp.tokenizer.pipe(sorted(surfaces))))
        _ACTIVE["component"] = self

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_entities = build_entities(doc, self.kb, self.matcher)
        return doc


# ---- candidates -----------------------------------------------------------------------------------

def _kb_cands(doc: Doc, kb: KB, matcher: PhraseMatcher) -> list[Cand]:
    out = []
    for _, s, e in matcher(doc):
        span = doc[s:e]
        text = norm(span.text)
        entries = kb.entries(text)
        if not entries:
            g = kb.generic_org(text)
            if g is not None:
                out.append(Cand(s, e, span.start_char, span.end_char, "ORG", "kb", kind="generic",
                                generic=g.id, text=span.text))
            continue
        best = min(_KIND_RANK[k] for _, k in entries)
        top = {a.key: (a, k) for a, k in entries if _KIND_RANK[k] == best}
        if len(top) != 1:
            continue  # an ambiguous form ("Congolese"): no guess
        actor, kind = next(iter(top.values()))
        if kind == "combining" and not (e < len(doc) and doc[e].text == "-"
                                        and not doc[e - 1].whitespace_):
            continue
        out.append(Cand(s, e, span.start_char, span.end_char, actor.type, "kb", key=actor.key,
                        kind=kind, text=span.text))
    # One token "U.S.-ROK" holds two names the tokenizer did not split.
    for i, word in enumerate(token_strings(doc).text):
        if "-" not in word[1:-1]:
            continue
        tok = doc[i]
        if not kb.entries(tok.text):
            pos = tok.idx
            parts = tok.text.split("-")
            for n, part in enumerate(parts):
                ok = ("name", "alias", "abbrev", "demonym") + (("combining",) if n < len(parts) - 1
                                                              else ())
                hits = [(a, k) for a, k in kb.entries(part) if k in ok]
                if len({a.key for a, _ in hits}) == 1:
                    a = hits[0][0]
                    out.append(Cand(tok.i, tok.i + 1, pos, pos + len(part), a.type, "kb",
                                    key=a.key, kind=hits[0][1], text=part))
                pos += len(part) + 1
    return out


def _looks_korean_name(doc: Doc, s: int, e: int) -> bool:
    """"Park Chan-kyong": a romanised Korean name, whatever label NER gave it."""
    words = span_text(doc, s, e).split()
    return len(words) == 2 and words[0].lower() in EAST_ASIAN_SURNAMES and words[0].istitle() \
        and "-" in words[1] and words[1].split("-")[0].istitle() and words[1].split("-")[1].islower()


def _ner_cands(doc: Doc) -> list[Cand]:
    out = []
    text = doc_text(doc)  # Doc.text joins every token on each access
    for ent in doc.ents:
        if ent.label_ not in NER_LABELS:
            continue
        for s, e in clean_ner_span(doc, ent):
            label = ent.label_
            pieces = [(s, e, label)]
            if label == "ORG":
                split = split_org_person(doc, s, e)
                if split:
                    pieces = [(*split[0], "ORG"), (*split[1], "PERSON")]
            for ps, pe, lab in pieces:
                if lab != "PERSON" and (_looks_korean_name(doc, ps, pe) or (
                        pe - ps >= 3 and doc[pe - 1].text in POST_NOMINALS)):
                    lab = "PERSON"
                lab = relabel(doc, ps, pe, lab)
                if lab == "ORG":
                    pe = company_end(doc, ps, pe)
                pe = headline_cut(doc, ps, pe, lab)
                if pe <= ps:
                    continue
                if lab == "PERSON":
                    while pe - ps > 2 and doc[pe - 1].text in POST_NOMINALS:
                        pe -= 1
                span = doc[ps:pe]
                cs, ce = span.start_char, span.end_char
                # Glued punctuation ("--Kim"): the mention starts at the first letter.
                while cs < ce and not text[cs].isalnum():
                    cs += 1
                if cs < ce:
                    out.append(Cand(ps, pe, cs, ce, lab, "ner", text=text[cs:ce]))
    return join_place_features(doc, out)


def _honorific_cands(doc: Doc) -> list[Cand]:
    out = []
    for i, word in enumerate(token_strings(doc).text):
        if word not in HONORIFICS:
            continue
        tok = doc[i]
        if tok.i + 1 < len(doc) and doc[tok.i + 1].is_title:
            e = tok.i + 1
            while e < len(doc) and e - tok.i <= 3 and doc[e].is_title and doc[e].is_alpha:
                e += 1
            span = doc[tok.i:e]
            out.append(Cand(tok.i, e, span.start_char, span.end_char, "PERSON", "rule",
                            text=span.text))
    return out


def _select(cands: list[Cand]) -> list[Cand]:
    """Longest first, then the more trusted source; no two chosen mentions overlap."""
    chosen: list[Cand] = []
    used: set[int] = set()
    for c in sorted(cands, key=lambda c: (-(c.ce - c.cs), _SOURCE_RANK[c.source], c.cs)):
        if used.isdisjoint(range(c.cs, c.ce)):
            chosen.append(c)
            used.update(range(c.cs, c.ce))
    return sorted(chosen, key=lambda c: c.cs)


def _residue_only(doc: Doc, c: Cand, kb_tokens: set[int]) -> bool:
    """A NER span whose every word is a gazetteer match ("Israel-Gaza", "NK-Russia")."""
    rest = [t for t in doc[c.s:c.e] if t.i not in kb_tokens and not t.is_punct
            and t.lower_ not in ("the", "and", "of", "'s", "’s")]
    return not rest and any(t.i in kb_tokens for t in doc[c.s:c.e])


def _in_title_run(doc: Doc, c: Cand) -> bool:
    """"State" in "Secretary of State", "Pacific Affairs" in "Assistant Secretary of State for
    East Asian and Pacific Affairs": a capitalised run after a capitalised title word."""
    i = c.s - 1
    if i < 0 or doc[i].lower_ not in ("of", "for", "and"):
        return False
    while i >= 0 and i >= c.s - 10:
        t = doc[i]
        if t.lower_ in TITLE_HEADS and t.is_title:
            return True
        if not (t.lower_ in ("of", "for", "and", "&") or t.is_title or t.is_upper):
            return False
        i -= 1
    return False


# ---- the document ---------------------------------------------------------------------------------

def build_entities(doc: Doc, kb: KB, matcher: PhraseMatcher) -> list[Entity]:
    """All the document's entities (see the module docstring for the rules)."""
    published = doc._.sl_published
    caps_lines: set[int] = set()
    kb_c = [c for c in _kb_cands(doc, kb, matcher) + caps_cands(doc, kb, caps_lines)
            if not is_photo_credit(doc, c.s)]
    ner_c = [c for c in _ner_cands(doc) if not is_photo_credit(doc, c.s)
             and not caps_lines.intersection(range(c.s, c.e))]
    # A body named only as the owner of a text ("the UN Charter") is not named there.
    texts = [range(c.s, c.e) for c in ner_c if names_a_text(doc, c.s, c.e)]
    kb_c = [c for c in kb_c if not (c.label == "ORG" and any(
        c.s in r and c.e - 1 in r and c.e < r.stop for r in texts))]
    kb_sel = _select(kb_c)
    kb_tokens = {i for c in kb_sel for i in range(c.s, c.e)}
    credits, agencies = credit_cands(doc, kb)
    rule_c = _honorific_cands(doc) + vessel_cands(doc, kb, kb_tokens) + credits
    # Titles in front of names: the role of the person, never an organisation of its own.
    cover = {i: c for c in kb_sel for i in range(c.s, c.e)}
    persons = [c for c in ner_c + rule_c if c.label == "PERSON"] + \
        [c for c in kb_sel if c.label == "PERSON"]
    title_tokens: set[int] = set()
    for c in persons:
        start = c.s + 1 if doc[c.s].text in HONORIFICS else c.s
        t = title_before(doc, start, cover)
        if t is not None:
            c.role, c.role_country = t.text, t.country
            title_tokens.update(range(t.start, t.end))
    weapons = weapon_names(doc, ner_c)
    ner_c = [c for c in ner_c if looks_like_name(c.text) and not _residue_only(doc, c, kb_tokens)
             and not names_no_actor(doc, c.s, c.e, kb_tokens)
             and not any(c.text == w or c.text.endswith(" " + w) for w in weapons)
             and (c.label == "PERSON" or not (title_tokens & set(range(c.s, c.e))
                                              or _in_title_run(doc, c)))]
    selected = _select(kb_sel + rule_c + ner_c)
    _former_seats(selected, kb, published)
    # "the North" stands for North Korea only where the document names North Korea.
    present = {c.key for c in selected if c.key and c.kind != "context"}
    selected = [c for c in selected if c.kind != "context" or _context_ok(kb, c, present)]
    taken_tokens = {i for c in selected for i in range(c.s, c.e)}
    for c in selected:  # a place or body spaCy found that only the generated layer knows
        if c.key is None and c.source == "ner":
            _widen_to_body(doc, kb, c, present, taken_tokens)
        if c.key is None and c.source == "ner" and c.label != "PERSON":
            c.key = _generated_key(kb, c, present)
    taken = {i for c in selected for i in range(c.s, c.e)}
    people, extra = cluster_persons(doc, selected, kb, published, taken)
    selected += extra
    made = resolve_generic(doc, selected, kb, people)
    made.update(agencies)
    selected = [c for c in selected if c.kind != "dropped"]
    starts = {c.s for c in selected if c.label == "PERSON"}
    countries = [c for c in selected if c.key and c.key.startswith("country:")]
    selected += find_descriptors(doc, countries, people, starts, kb, published)
    selected = _bare_bodies(selected)
    # Unknown names: one key per name whatever label NER gave each mention (the majority's).
    labels: dict[str, Counter[str]] = {}
    for c in selected:
        if c.key is None:
            labels.setdefault(slugify(key_form(c.text)), Counter())[c.label] += 1
    for c in selected:
        if c.key is None:
            slug = slugify(key_form(c.text))
            c.label = labels[slug].most_common(1)[0][0]
            c.key = f"{c.label.lower()}:{slug}"
    taken = {i for c in selected for i in range(c.s, c.e)}
    selected += company_short_forms(doc, selected, taken)
    selected += link_acronyms(doc, selected, taken)
    return _entities(doc, selected, kb, made, people, published)


_PLACE_TYPES = {"GPE", "LOC", "FAC"}


def _former_seats(cands: list[Cand], kb: KB, published: str | None) -> None:
    """ "Moscow" and "the Kremlin" in a text of 1987 stand for the Soviet Union, whose seat
    they were then, not for Russia, which holds them now (countries.json `until`, `seat`)."""
    for c in cands:
        if c.key is not None and c.key.startswith("country:"):
            state = kb.seat_of(norm(c.text), published)
            if state is not None:
                c.key, c.label = state.key, "GPE"


def _bare_bodies(cands: list[Cand]) -> list[Cand]:
    """"the Council" alone is the one body of the document whose name ends in "Council"
    ("the U.N. Security Council"); with none, or several, it names nothing."""
    out = []
    for c in cands:
        if c.key is None and c.source == "ner" and bare_body(c.text):
            head = strip_the(norm(c.text)).lower()
            owners = {o.key or slugify(key_form(o.text)) for o in cands if o is not c
                      and strip_the(norm(o.text)).lower().endswith(" " + head)}
            if len(owners) != 1:
                continue
            owner = next(o for o in cands if (o.key or slugify(key_form(o.text))) in owners)
            c.label = owner.label
            c.key = owner.key or f"{owner.label.lower()}:{slugify(key_form(owner.text))}"
        out.append(c)
    return out


_WIDEN = 2  # capitalised words NER may have cut off either side of a body's name


def _widen_to_body(doc: Doc, kb: KB, c: Cand, present: set[str], taken: set[int]) -> None:
    """A body's name NER cut short ("Reporters [Sans Frontieres]", "[Médecins Sans]
    Frontières"), often under another label: the span widened by up to _WIDEN capitalised
    words either side that the generated layer knows as one body's whole name becomes
    that body (ORG, its key)."""
    def ok(i: int) -> bool:
        t = doc[i]
        return i not in taken and t.is_alpha and (t.is_title or t.is_upper) \
            and not t.is_stop and "\n" not in t.whitespace_
    if kb.entries(strip_the(c.text)):
        return  # a name the project's own knowledge base gives ("Security Council")
    for a in range(_WIDEN + 1):
        if a and not (c.s - a >= 0 and ok(c.s - a)):
            break
        for b in range(_WIDEN + 1):
            if (a, b) == (0, 0):
                continue
            if b and not (c.e + b - 1 < len(doc) and ok(c.e + b - 1)):
                break
            span = doc[c.s - a:c.e + b]
            hits = kb.weak_lookup(span.text)
            if len(hits) == 1 and hits[0].type == "ORG" and (
                    hits[0].country is None or f"country:{hits[0].country}" in present):
                c.s, c.e, c.cs, c.ce = span.start, span.end, span.start_char, span.end_char
                c.text, c.label, c.key = span.text, "ORG", hits[0].key
                return


def _generated_key(kb: KB, c: Cand, present: set[str]) -> str | None:
    """The key of the one actor of the generated layer (Phoenix) named `c`: a place (or
    country) whatever spaCy's label ("Omsk" is often called ORG); a body where spaCy says
    ORG and the body is international or of a country the document names (a national
    "Army" or "Ministry of Defence" is every country's); else None."""
    hits = kb.weak_lookup(strip_the(c.text))
    if len(hits) != 1:
        return None
    actor = hits[0]
    fits = actor.type in _PLACE_TYPES or actor.type == c.label == "ORG" and (
        actor.country is None or f"country:{actor.country}" in present)
    return actor.key if fits else None


def _context_ok(kb: KB, c: Cand, present: set[str]) -> bool:
    actor = kb.get(c.key or "")
    if actor is None:
        return False
    reqs = next((x.get("requires", []) for x in actor.context_aliases
                 if norm(x["alias"]) == norm(c.text)), [])
    return all(f"country:{r}" in present for r in reqs)


def _entities(doc: Doc, cands: list[Cand], kb: KB, made: dict[str, Actor],
              people: dict[str, PersonInfo], published: str | None) -> list[Entity]:
    text = doc_text(doc)
    groups: dict[str, list[Cand]] = {}
    for c in sorted(cands, key=lambda c: (c.cs, c.ce)):
        groups.setdefault(c.key or "", []).append(c)
    out = []
    for key, cs in groups.items():
        # A country named only by its people ("the Palestinians") is not named as a place.
        if key.startswith("country:") and all(c.kind == "people" for c in cs):
            continue
        info = people.get(key)
        # a name the document does not tie to the dictionaries' person of that name (no
        # country, no office on its date) stays unknown
        untied = info is not None and info.actor is None and kb.is_generated(key)
        actor = None if untied else kb.get(key) or made.get(key)
        entity = _entity(text, key, cs, actor, published)
        # Named only by a nationality word ("British", "Chinese-made", "Sino-"): the events
        # may still take the country as an actor, but no place is named (NORP, not listed).
        if key.startswith("country:") and all(c.kind in NATIONALITY_KINDS for c in cs):
            entity.type = "NORP"
        out.append(entity)
    return sorted(out, key=lambda e: e.mentions[0].start if e.mentions else 0)


def _bare_person(text: str) -> str:
    """A person's name as written, without an honorific or a possessive."""
    words = [w for w in norm(text).split() if w not in HONORIFICS]
    return " ".join(words).removesuffix("'s")


def _entity(text: str, key: str, cs: list[Cand], actor: Actor | None,
            published: str | None) -> Entity:
    mentions, seen = [], set()
    for c in cs:
        if (c.cs, c.ce) not in seen:
            seen.add((c.cs, c.ce))
            mentions.append(Mention(text=text[c.cs:c.ce], start=c.cs, end=c.ce))
    if actor is not None:
        name, typ, code = actor.name, actor.type, actor.code
    else:
        typ = Counter(c.label for c in cs if c.kind != "descriptor").most_common(1)[0][0]
        forms = [_bare_person(c.text) if typ == "PERSON" else strip_the(c.text)
                 for c in cs if c.kind != "descriptor"]
        # the fullest form, written as a name rather than in capitals ("Lisbon", not "LISBON")
        name = max(forms, key=lambda f: (len(f.split()), not f.isupper(), len(f)))
        code = None
    role = next((c.role for c in cs if c.role), None)
    if role is None and actor is not None and actor.type == "PERSON":
        held = actor.role_at(published)
        role = held.title if held else None
    aliases: list[str] = []
    for m in mentions:
        form = " ".join(m.text.split())
        if form != name and form not in aliases:
            aliases.append(form)
    return Entity(key=key, name=name, type=typ, code=code, role=role, aliases=aliases,
                  mentions=mentions)


def listed(entities: list[Entity]) -> list[Entity]:
    """The entities a document names, for its stored record: all but the nationalities
    (NORP), which the other components read as actors while the document is analysed."""
    return [e for e in entities if e.type != "NORP"]


# ---- helpers for other components -----------------------------------------------------------------

def _kb() -> KB:
    comp = _ACTIVE.get("component")
    return comp.kb if comp is not None else load_kb()


def _ents(doc: Doc) -> list[Entity]:
    return doc._.sl_entities or []


_MENTIONS_KEY = ("._.", "sl_mention_index", None, None)


def _mention_index(doc: Doc) -> tuple[list[int], list[tuple[int, int, int, Entity]], int]:
    """The document's mentions sorted by start (with the order `entity_at` reads them in),
    the starts alone, and the longest mention's length; kept while `sl_entities` stays."""
    ents = _ents(doc)
    found = doc.user_data.get(_MENTIONS_KEY)
    if found is None or found[0] is not ents:
        rows = sorted((m.start, m.end, n, ent) for n, (ent, m) in enumerate(
            (ent, m) for ent in ents for m in ent.mentions))
        longest = max((e - s for s, e, _, _ in rows), default=0)
        found = (ents, [r[0] for r in rows], rows, longest)
        doc.user_data[_MENTIONS_KEY] = found
    return found[1], found[2], found[3]


def entity_at(doc: Doc, start: int, end: int) -> Entity | None:
    """The entity with a mention overlapping the character span [start, end); the longest
    overlap wins, then the shorter (more specific) mention, then the first in the order of
    the entities and their mentions."""
    starts, rows, longest = _mention_index(doc)
    best, score = None, (0, 0, 0)
    # a mention overlapping the span starts before its end and at most `longest` before it
    for i in range(bisect.bisect_left(starts, start - longest), bisect.bisect_left(starts, end)):
        m_start, m_end, order, ent = rows[i]
        overlap = min(end, m_end) - max(start, m_start)
        if overlap > 0 and (overlap, m_start - m_end, -order) > score:
            best, score = ent, (overlap, m_start - m_end, -order)
    return best


def entity_for_token(doc: Doc, token: Token) -> Entity | None:
    """The entity whose mention covers the token; else that of its compound head ("spokesperson"
    in "State Department spokesperson Matthew Miller"); else that of a modifier naming it
    ("troops" in "North Korean troops")."""
    ent = entity_at(doc, token.idx, token.idx + len(token))
    if ent is not None:
        return ent
    head, steps = token, 0
    while head.dep_ in ("compound", "amod", "nmod", "flat") and head.head.i != head.i and steps < 3:
        head, steps = head.head, steps + 1
        ent = entity_at(doc, head.idx, head.idx + len(head))
        if ent is not None:
            return ent
    for child in token.children:
        if child.dep_ in ("compound", "amod", "poss", "nmod", "appos"):
            ent = entity_at(doc, child.idx, child.idx + len(child))
            if ent is not None:
                return ent
    return None


def resolve_text(doc: Doc, text: str) -> Entity | None:
    """The canonical entity for a free-text name in the context of this document ("Seoul",
    "the North", "Mr. Blinken", "Moscow", "the top U.S. diplomat"); None if unknown."""
    kb = _kb()
    ents = _ents(doc)
    raw = norm(text).strip(" .,;:\"“”")
    if not raw:
        return None
    low = raw.lower()
    for ent in ents:  # a form the document itself uses
        if low in {ent.name.lower(), *(a.lower() for a in ent.aliases)}:
            return ent
    bare = strip_the(raw)
    words = bare.split()
    while len(words) > 1 and (words[0] in HONORIFICS or words[0].lower() in TITLE_HEADS):
        words = words[1:]
    core = " ".join(words)
    for ent in ents:
        if core.lower() in {ent.name.lower(), *(a.lower() for a in ent.aliases)}:
            return ent
    present = {e.key for e in ents}
    for form in (raw, bare, core):
        for actor, kind in kb.entries(form) or kb.entries(form, fold_case=True):
            if kind == "context":
                reqs = next((x.get("requires", []) for x in actor.context_aliases
                             if norm(x["alias"]).lower() == form.lower()), [])
                if not all(f"country:{r}" in present for r in reqs):
                    continue
            return next((e for e in ents if e.key == actor.key), None) or _from_actor(actor)
    if len(words) == 1:  # a bare surname: the person of this document with that family name
        hits = [e for e in ents if e.type == "PERSON"
                and family_name(e.name, _surname(kb, e.key)).lower() == words[0].lower()]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return max(hits, key=lambda e: len(e.mentions)) if len(
                {len(e.mentions) for e in hits}) == len(hits) else None
    return _resolve_phrase(doc, raw, kb)


def _surname(kb: KB, key: str) -> str | None:
    actor = kb.get(key)
    return actor.surname if actor else None


def _from_actor(actor: Actor) -> Entity:
    return Entity(key=actor.key, name=actor.name, type=actor.type, code=actor.code)


def _resolve_phrase(doc: Doc, text: str, kb: KB) -> Entity | None:
    """A descriptor or a generic body in free text, read against this document."""
    comp = _ACTIVE.get("component")
    if comp is None:
        return None
    probe = comp.tokenizer(text)
    cands = _select(_kb_cands(probe, kb, comp.matcher))
    countries = [c for c in cands if c.key and c.key.startswith("country:")]
    people: dict[str, PersonInfo] = {}
    for ent in _ents(doc):
        actor = kb.get(ent.key)
        if ent.type == "PERSON" and actor is not None:
            info = people.setdefault(ent.key, PersonInfo(key=ent.key, actor=actor))
            for r in actor.roles:
                if r.category:
                    info.offices.add((r.category, r.country))
                if r.leader:
                    info.offices.add(("leader", r.country))
    key = None
    generic = [c for c in cands if c.kind == "generic"]
    if generic:  # "North Korea's foreign ministry"
        made = resolve_generic(probe, cands, kb, people)
        key = generic[0].key  # None where the body is unknown there ("U.S. intelligence")
        actor = made.get(key or "")
    else:
        found = find_descriptors(probe, countries, people, set(), kb, doc._.sl_published)
        key = found[0].key if found else None
        actor = kb.get(key) if key else None
    if key is None:
        return None
    return next((e for e in _ents(doc) if e.key == key), None) or (
        _from_actor(actor) if actor else None)
