"""Within-document identity: people by surname, role descriptors, generic bodies, acronyms.

All rules work on `Cand` mentions (names.py) and assign them canonical keys:
- a bare surname ("Blinken", "Mr. Yoon") joins the nearest full name with that family name,
  the one before it if any; a title on the short form ("Foreign Minister Park") picks among
  several people with that surname the one who holds such an office;
- a role descriptor ("the top U.S. diplomat", "the head of American diplomacy") joins the
  person in the document who holds that office, else the KB holder on the document's date;
- a generic body ("the foreign ministry") takes its country from the text in front of it, or
  from the one person in the document who heads such a ministry;
- "Full Name (ACR)" makes ACR an alias of Full Name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from . import doc_text, token_strings
from .kb import KB, Actor, GenericOrg, person_surname, role_category, slugify
from .names import (
    HONORIFICS,
    TITLE_HEADS,
    Cand,
    family_name,
    is_full_name,
    name_parts,
    norm,
    strip_the,
)


@dataclass
class PersonInfo:
    """What a document says and the KB knows about one person of the document."""

    key: str
    families: set[str] = field(default_factory=set)
    full_at: list[int] = field(default_factory=list)  # token indexes of full-name mentions
    offices: set[tuple[str, str | None]] = field(default_factory=set)  # (category, country)
    actor: Actor | None = None


def _strip_title(text: str) -> str:
    words = norm(text).split()
    while len(words) > 1 and (words[0] in HONORIFICS or words[0].lower() in TITLE_HEADS):
        words = words[1:]
    return " ".join(words)


def cluster_persons(doc: Doc, cands: list[Cand], kb: KB, published: str | None,
                    taken: set[int]) -> tuple[dict[str, PersonInfo], list[Cand]]:
    """Give every PERSON candidate a key; return what is known per person and the extra
    surname mentions found on tokens no other candidate covers (`taken`)."""
    people: dict[str, PersonInfo] = {}
    ordered = sorted(cands, key=lambda c: c.s)
    present = {c.key for c in cands if c.key}
    for c in ordered:
        if c.label != "PERSON":
            continue
        name = _strip_title(c.text)
        actor = kb.get(c.key) if c.key else None
        if actor is None and is_full_name(name):
            found = [a for a in kb.lookup(name) if a.type == "PERSON"
                     and _plausible(kb, a, published, present)]
            actor = found[0] if found else None
        if actor is not None:
            c.key, c.kind = actor.key, "full"
        elif is_full_name(name):
            c.key, c.kind = "person:" + slugify(" ".join(name_parts(name))), "full"
        else:
            c.kind = "short"
            continue
        info = people.setdefault(c.key, PersonInfo(key=c.key, actor=actor))
        info.full_at.append(c.s)
        info.families.add(family_name(name, person_surname(actor) if actor else None).lower())
        if actor is not None:
            for r in actor.roles:
                if r.category:
                    info.offices.add((r.category, r.country))
                if r.leader:
                    info.offices.add(("leader", r.country))
    for c in ordered:  # offices named in the text ("Foreign Minister Park Jin")
        if c.kind == "full" and c.role:
            cat = role_category(c.role)
            info = people[c.key]
            country = c.role_country or (info.actor.country if info.actor else None)
            if cat:
                info.offices.add((cat, country))
    families = {f for p in people.values() for f in p.families}
    extra: list[Cand] = []
    # NER often labels a bare surname GPE or ORG ("Park", "Blinken"); a surname of someone
    # named in full in the document is that person.
    for c in ordered:
        if c.label != "PERSON" and c.source == "ner" and c.key is None and c.e - c.s == 1 \
                and c.text.lower() in families and doc[c.s].text[:1].isupper():
            c.label, c.kind = "PERSON", "short"
    lowers = token_strings(doc).lower
    for tok in (doc[i] for i, low in enumerate(lowers) if low in families):
        if tok.i not in taken and tok.pos_ == "PROPN" and tok.is_title \
                and tok.ent_type_ in ("", "PERSON") \
                and tok.lower_ in families and not (tok.i + 1 < len(doc) and doc[tok.i + 1].is_title
                                                    and doc[tok.i + 1].pos_ == "PROPN"):
            extra.append(Cand(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok), "PERSON", "rule",
                              kind="short", text=tok.text))
    for c in sorted([c for c in ordered if c.kind == "short"] + extra, key=lambda c: c.s):
        c.key = _resolve_short(c, people, kb, published, present)
    return people, extra


def _plausible(kb: KB, actor: Actor, published: str | None, present: set[str]) -> bool:
    """A person of the generated dictionaries is the one meant only where the document
    names their country or is dated in one of their offices ("John Smith" is many people)."""
    if not kb.is_generated(actor.key):
        return True
    return f"country:{actor.country}" in present or actor.role_at(published) is not None


def _resolve_short(c: Cand, people: dict[str, PersonInfo], kb: KB, published: str | None,
                   present: set[str]) -> str:
    parts = name_parts(_strip_title(c.text))
    surname = parts[-1] if parts else c.text
    cat = role_category(c.role) if c.role else None
    keys = [k for k, p in people.items() if surname.lower() in p.families]
    if cat and len(keys) > 1:
        fitting = [k for k in keys if any(o[0] == cat for o in people[k].offices)]
        keys = fitting or keys
    if keys:
        before = [(max(i for i in people[k].full_at if i < c.s), k) for k in keys
                  if any(i < c.s for i in people[k].full_at)]
        if before:
            return max(before)[1]
        return min((min(people[k].full_at), k) for k in keys)[1]
    # Nobody of that name in full: the KB, but only with a title that fixes the office
    # ("Secretary Blinken") held on the document's date, or a unique office-holder.
    known = kb.by_surname(surname)
    if cat and known:
        fitting = [a for a in known if any(r.category == cat and r.active(published)
                                           and (c.role_country in (None, r.country))
                                           for r in a.roles)]
        if len(fitting) == 1:
            return fitting[0].key
    elif known and published and (c.source == "rule" or c.label == "PERSON"):
        # Without a title: the one person of that surname in office on the document's date
        # whose country the document names ("Yoon" in a story about Seoul in 2023).
        # The generated dictionaries' people need a title here: they are many per surname.
        fitting = [a for a in known if a.role_at(published) is not None
                   and f"country:{a.country}" in present and not kb.is_generated(a.key)]
        if len(fitting) == 1:
            return fitting[0].key
    return "person:" + slugify(surname)


# ---- role descriptors ----------------------------------------------------------------------------

_DESCRIPTORS = {
    "top diplomat": "foreign_minister", "chief diplomat": "foreign_minister",
    "foreign minister": "foreign_minister", "foreign secretary": "foreign_minister",
    "defense minister": "defense_minister", "defence minister": "defense_minister",
    "defense secretary": "defense_minister", "defence secretary": "defense_minister",
    "defense chief": "defense_minister", "defence chief": "defense_minister",
    "president": "head_of_state", "prime minister": "head_of_government",
    "premier": "head_of_government", "leader": "leader", "supreme leader": "leader",
    "national security adviser": "national_security_adviser",
    "national security advisor": "national_security_adviser",
}


_OFFICE_RX = re.compile(r"(?i)(?<![\w-])(?:" + "|".join(
    sorted((re.escape(d).replace(r"\ ", r"\s+") for d in _DESCRIPTORS), key=len, reverse=True))
    + r"|diplomat|diplomacy)(?![\w-])")
_NOT_NOW = {"former", "deputy", "vice", "assistant", "late", "acting", "ex", "first", "next",
            "new", "incoming", "previous", "then"}


def find_descriptors(doc: Doc, countries: list[Cand], people: dict[str, PersonInfo],
                     person_starts: set[int], kb: KB, published: str | None) -> list[Cand]:
    """Mentions of people by their office: "<country> <office>" ("the Russian president",
    "Japan's foreign minister"), "top <country> diplomat", "head of <demonym> diplomacy".
    Each joins the one person who holds that office, or is left out."""
    out: list[Cand] = []
    by_end = {c.e: c for c in countries if c.key and c.key.startswith("country:")}
    for m in _OFFICE_RX.finditer(doc_text(doc)):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        word = norm(m.group()).lower()
        s, e = span.start, span.end
        start = None
        if word in ("diplomat", "diplomacy"):
            c = by_end.get(s)
            if c is None:
                continue
            if word == "diplomat" and c.s >= 1 and doc[c.s - 1].lower_ in ("top", "chief"):
                start = c.s - 1
            elif word == "diplomacy" and c.s >= 2 and doc[c.s - 1].lower_ == "of" \
                    and doc[c.s - 2].lower_ == "head":
                start = c.s - 2
            cat = "foreign_minister"
        else:
            cat = _DESCRIPTORS[word]
            j = s - 1 if s >= 1 and doc[s - 1].text in ("'s", "’s") else s
            c = by_end.get(j)
            if c is not None:
                start = c.s
        if start is None or c is None or (e < len(doc) and e in person_starts):
            continue  # no country, or a title in front of a name (the person's role)
        if start >= 1 and doc[start - 1].lower_ in _NOT_NOW or doc[start].lower_ in _NOT_NOW:
            continue
        if start >= 1 and doc[start - 1].lower_ == "the":
            start -= 1
        key = _holder(cat, c.key[8:], people, kb, published)
        if key is None:
            continue
        out.append(Cand(start, e, doc[start].idx, span.end_char, "PERSON", "rule", key=key,
                        kind="descriptor", text=doc[start:e].text))
    return out


def _holder(cat: str, country: str, people: dict[str, PersonInfo], kb: KB,
            published: str | None) -> str | None:
    inside = [k for k, p in people.items() if (cat, country) in p.offices]
    if len(inside) == 1:
        return inside[0]
    if len(inside) > 1:
        return None
    holders = kb.holders(cat, country, published)
    return holders[0].key if len(holders) == 1 else None


# ---- generic bodies ------------------------------------------------------------------------------

def resolve_generic(doc: Doc, cands: list[Cand], kb: KB, people: dict[str, PersonInfo]
                    ) -> dict[str, Actor]:
    """Give each generic-body mention its country's key; returns the synthesised actors.

    The country comes, in order, from: the text in front of it or an "of" phrase after it;
    the one person of the document who heads such a body; the same body named with its
    country earlier or later ("Japan's foreign ministry" ... "the foreign ministry"); the one
    country the sentence names (counting the countries of the bodies and people it names);
    the country that dominates the document. A body that exists only for some countries
    (`known_only`) and one whose country stays unknown there is dropped (kind "dropped")."""
    made: dict[str, Actor] = {}
    by_end = {c.e: c for c in cands if c.key and c.key.startswith("country:")}
    by_start = {c.s: c for c in cands if c.key and c.key.startswith("country:")}
    pending: list[Cand] = []
    for c in cands:
        if c.kind != "generic" or c.generic not in kb.generic:
            continue
        g = kb.generic[c.generic]
        iso = None
        j = c.s
        while j - 1 >= 0 and doc[j - 1].lower_ in ("the", "'s", "’s", "'", "’"):
            j -= 1
        if j in by_end:  # "South Korea's foreign ministry", "the Russian Defense Ministry"
            iso = by_end[j].key[8:]
        elif c.e + 1 < len(doc) and doc[c.e].lower_ == "of" and c.e + 1 in by_start:
            iso = by_start[c.e + 1].key[8:]
        elif c.e + 2 < len(doc) and doc[c.e].lower_ == "of" and doc[c.e + 1].lower_ == "the" \
                and c.e + 2 in by_start:
            iso = by_start[c.e + 2].key[8:]
        if iso is None and g.category:
            # The one country whose holder of the matching office the document names.
            countries = {o[1] for p in people.values() for o in p.offices
                         if o[0] == g.category and o[1] and o[1] not in g.overrides}
            iso = countries.pop() if len(countries) == 1 else None
        if iso is None:
            pending.append(c)
            continue
        _assign(c, g, iso, kb, made)
    for c in pending:
        g = kb.generic[c.generic or ""]
        key = _same_body(c, g, cands)
        if key is not None:
            actor = kb.get(key) or made.get(key)
            if actor is not None:
                c.key = key
                made.setdefault(key, actor)
                continue
        iso = _sentence_country(doc, c, cands, kb) or _dominant_country(cands)
        _assign(c, g, iso, kb, made)
    return made


def _assign(c: Cand, g: GenericOrg, iso: str | None, kb: KB, made: dict[str, Actor]) -> None:
    if g.known_only and (iso is None or iso not in g.overrides):
        c.key, c.kind = None, "dropped"
        return
    actor = kb.generic_actor(g, iso)
    c.key = actor.key
    made.setdefault(actor.key, actor)


def _same_body(c: Cand, g: GenericOrg, cands: list[Cand]) -> str | None:
    """The one body of this kind the document names with its country, in words that contain
    this mention's ("the Treasury" after "the US Treasury Department")."""
    bare = strip_the(norm(c.text)).lower()
    keys = set()
    for o in cands:
        if o is c or not o.key or bare not in norm(o.text).lower():
            continue
        if o.key in g.overrides.values() or (o.kind == "generic" and o.key.endswith(f"-{g.id}")):
            keys.add(o.key)
    return keys.pop() if len(keys) == 1 else None


def _sentence_country(doc: Doc, c: Cand, cands: list[Cand], kb: KB) -> str | None:
    """The one country the sentence names, directly or as the country of a known body or
    person ("the US State Department said ... the Treasury would ...")."""
    sent = doc[c.s].sent
    found = set()
    for o in cands:
        if o is c or not o.key or not (sent.start <= o.s < sent.end):
            continue
        if o.key.startswith("country:"):
            found.add(o.key[8:])
        else:
            actor = kb.get(o.key)
            if actor is not None and actor.country:
                found.add(actor.country)
    return found.pop() if len(found) == 1 else None


def _dominant_country(cands: list[Cand]) -> str | None:
    """The country of at least two thirds of the document's country mentions (three or more)."""
    counts: dict[str, int] = {}
    for o in cands:
        if o.key and o.key.startswith("country:") and o.kind != "people":
            counts[o.key[8:]] = counts.get(o.key[8:], 0) + 1
    if not counts:
        return None
    iso, n = max(counts.items(), key=lambda kv: kv[1])
    return iso if n >= 3 and 3 * n >= 2 * sum(counts.values()) else None


# ---- acronyms -------------------------------------------------------------------------------------

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{1,9}$")
_SMALL = {"of", "and", "the", "for", "on", "in", "to", "&", "de", "du", "des", "la", "le"}


def initials(name: str) -> str:
    """"Center for Strategic and International Studies" -> "CSIS"."""
    return "".join(w[0] for w in strip_the(name).replace("-", " ").split()
                   if w.lower() not in _SMALL and w[:1].isalpha()).upper()


def link_acronyms(doc: Doc, cands: list[Cand], taken: set[int]) -> list[Cand]:
    """"Full Name (ACR)": ACR and later bare ACR mentions join Full Name; returns new
    mentions for acronyms that no other candidate covered."""
    by_end = {c.e: c for c in cands if c.label != "PERSON" and c.key}
    alias: dict[str, str] = {}
    extra: list[Cand] = []
    texts = token_strings(doc).text
    for i in range(1, len(doc) - 2):
        if texts[i] == "(" and texts[i + 2] == ")" and _ACRONYM.match(texts[i + 1]) \
                and i in by_end:
            alias.setdefault(texts[i + 1], by_end[i].key or "")
    names = {c.key: c.text for c in cands if c.label != "PERSON" and c.key
             and not c.key.startswith("country:") and len(c.text.split()) >= 2}
    for c in cands:
        if c.source != "kb" and c.label != "PERSON" and _ACRONYM.match(c.text):
            key = alias.get(c.text) or next((k for k, n in names.items()
                                             if initials(n) == c.text.replace(".", "")), None)
            if key:
                c.key = key
    for i, word in enumerate(texts if alias else ()):
        if word in alias and i not in taken:
            tok = doc[i]
            extra.append(Cand(i, i + 1, tok.idx, tok.idx + len(tok), "ORG", "rule",
                              key=alias[tok.text], kind="acronym", text=tok.text))
    return extra
