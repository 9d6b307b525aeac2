"""Mention rules that spaCy's NER and the gazetteer miss, used by `entities.py`.

- Vessels: "USS Carl Vinson", "the cargo ship Sea Lark", "the tanker, the Northern Dawn,",
  "identified the vessel as the Sea Lark": a ship (VEHICLE), never a person or a company;
  once a name is known as a ship, its other mentions in the document are that ship too.
- All-caps forms: a dateline "LISBON, May 2 (...) --" or an all-caps headline names what
  the normal-case form names ("Lisbon"), so it resolves through the knowledge base.
- Wire credits: "(Reuters)", "MADRID, May 2 (EFE) --" name the agency; a credit may use the
  first word of an agency's name only.
- Company short forms: "Acme" or "Acme Trading" after "Acme Trading Co. Ltd." is the
  same company (legal suffixes and trade words dropped from the end).
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Token

from ..lang import get_pack
from . import doc_text, line_breaks, line_of, span_text, token_strings
from .kb import KB, Actor, slugify
from .names import SHIP_PREFIXES, TITLE_MODIFIERS, Cand, norm, strip_the

# Common nouns that introduce a ship's name ("the tanker X", "the vessel, the X,").
VESSEL_NOUNS = {"ship", "vessel", "tanker", "freighter", "destroyer", "frigate", "submarine",
                "cruiser", "ferry", "trawler", "corvette", "warship", "icebreaker", "yacht",
                "barge", "bulker", "containership", "steamer", "tugboat", "dredger", "lugger",
                "schooner", "gunboat", "carrier"}
# "carrier" is a ship only in these compounds (an airline is a "budget carrier").
_CARRIER_KINDS = {"aircraft", "bulk", "lng", "ore", "container", "helicopter", "car", "oil",
                  "gas", "crude"}
_NAME_INTRO = {"as", "named", "called", "dubbed"}
_DASHES = {"--", "—", "–", "-"}
# Legal forms and trade words that end a company's name and are dropped in short forms.
LEGAL_SUFFIXES = {"ltd", "ltd.", "limited", "co", "co.", "inc", "inc.", "incorporated",
                  "corp", "corp.", "corporation", "llc", "l.l.c.", "plc", "gmbh", "ag", "sa",
                  "s.a.", "nv", "n.v.", "bv", "jsc", "pjsc", "ojsc", "cjsc", "llp", "lp", "pte",
                  "pty", "group", "holdings", "holding", "company", "&", ","}
TRADE_WORDS = {"shipping", "trading", "logistics", "maritime", "marine", "shipbuilding",
               "shipmanagement", "industries", "industrial", "international", "enterprises",
               "enterprise", "technologies", "technology", "energy", "petroleum", "investment",
               "investments", "capital", "partners", "resources", "lines", "line", "transport",
               "freight", "navigation", "commercial", "global", "services"}


# ---- vessels ----------------------------------------------------------------------------------

def _name_token(tok: Token, first: bool) -> bool:
    if "\n" in tok.text or tok.is_space:
        return False
    if first:
        return (tok.is_title or (tok.is_upper and len(tok.text) > 1)) and tok.text[0].isalpha()
    return tok.is_title or (tok.is_upper and len(tok.text) > 1) or tok.like_num


def _name_after(doc: Doc, j: int) -> int:
    """End of a run of capitalised words (numbers after the first) starting at token j."""
    k = j
    while k < len(doc) and k - j < 5 and _name_token(doc[k], k == j) \
            and not (k > j and doc[k - 1].whitespace_ == "" and doc[k].is_punct):
        k += 1
    return k


def _is_vessel_noun(doc: Doc, tok: Token) -> bool:
    low = tok.lower_
    if low not in VESSEL_NOUNS or not (tok.is_lower or tok.is_title):
        return False
    return low != "carrier" or (tok.i > 0 and doc[tok.i - 1].lower_ in _CARRIER_KINDS)


def vessel_cands(doc: Doc, kb: KB, kb_tokens: set[int]) -> list[Cand]:
    """Ships by navy prefix ("USS X") or by a vessel noun in front of the name; every other
    mention of such a name in the document joins it."""
    spans: list[tuple[int, int]] = []
    texts, lowers = token_strings(doc)[:2]
    for i, word in enumerate(texts):
        if word not in SHIP_PREFIXES and lowers[i] not in VESSEL_NOUNS:
            continue  # (neither test below can pass)
        tok = doc[i]
        if tok.text in SHIP_PREFIXES and tok.i + 1 < len(doc) and doc[tok.i + 1].is_title:
            e = tok.i + 1
            while e < len(doc) and e - tok.i <= 3 and doc[e].is_title and doc[e].is_alpha:
                e += 1
            spans.append((tok.i, e))
            continue
        if not _is_vessel_noun(doc, tok):
            continue
        j = tok.i + 1
        apposition = j < len(doc) and doc[j].text == ","
        introduced = apposition or (j < len(doc) and doc[j].lower_ in _NAME_INTRO)
        if introduced:
            j += 1
        if j < len(doc) and doc[j].lower_ == "the" and introduced:
            j += 1
        k = _name_after(doc, j)
        if k == j or not _plausible_vessel_name(doc, j, k, kb, kb_tokens):
            continue
        if apposition and not (k >= len(doc) or doc[k].is_punct):
            continue  # "the vessel, Western officials said": not an apposition
        if not introduced and doc[j:k].root.dep_ in ("nsubj", "nsubjpass") and not (
                tok.head.i in range(j, k) or any(t.head.i == tok.i for t in doc[j:k])):
            continue  # "after inspecting the ship Smith said": the name is not the ship's
        spans.append((j, k))
    names = {tuple(texts[s:e]) for s, e in spans}
    out = []
    for s, e in spans:
        out.append(_vessel(doc, s, e))
    # Other mentions of the same name ("The Sea Lark returned on Monday").
    seen = set(spans)
    firsts = {name[0] for name in names if name}
    for i in range(len(doc)) if names else ():
        if texts[i] not in firsts:
            continue
        for name in names:
            e = i + len(name)
            if e <= len(doc) and (i, e) not in seen and tuple(texts[i:e]) == name \
                    and not (e < len(doc) and doc[e].like_num):
                seen.add((i, e))
                out.append(_vessel(doc, i, e))
    return out


def _vessel(doc: Doc, s: int, e: int) -> Cand:
    span = doc[s:e]
    return Cand(s, e, span.start_char, span.end_char, "VEHICLE", "rule", kind="vessel",
                text=span.text)


def _plausible_vessel_name(doc: Doc, s: int, e: int, kb: KB, kb_tokens: set[int]) -> bool:
    """Not a known actor ("the ship Russia seized"), a date, or the subject of a relative
    clause on the vessel noun ("the vessel Jane Doe boarded")."""
    span = doc[s:e]
    if kb.entries(span.text) or any(i in kb_tokens for i in range(s, e)) \
            or all(t.text in SHIP_PREFIXES for t in span):
        return False  # a known actor, or a navy prefix with no name after it
    if any(t.ent_type_ in ("DATE", "TIME", "NORP") for t in span):
        return False
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.dep_ in ("relcl", "acl"):
        return False
    return not (e < len(doc) and doc[e].text in ("'s", "’s") and e + 1 < len(doc)
                and doc[e + 1].pos_ == "VERB")


# ---- all-caps datelines and headlines ----------------------------------------------------------

def _caps_word(tok: Token) -> bool:
    return tok.is_upper and tok.is_alpha and len(tok.text) >= 2


def caps_cands(doc: Doc, kb: KB, caps_lines: set[int] | None = None) -> list[Cand]:
    """Mentions written in capitals where the normal-case form is in the knowledge base: a
    dateline ("LISBON, May 2 --") or an all-caps line ("TALKS IN GENEVA"). The tokens of
    all-caps lines go into `caps_lines` (NER reads such lines poorly)."""
    out: list[Cand] = []
    texts = token_strings(doc).text
    text = doc_text(doc)
    breaks = line_breaks(doc)
    for i, j in zip([0] + [b + 1 for b in breaks], breaks + [len(doc)]):  # each line
        if j <= i:
            continue
        line = text[doc[i].idx:doc[j - 1].idx + len(texts[j - 1])]
        # (an ASCII line with a lower-case letter is no line in capitals: most lines, told
        # at C speed without a test per character)
        letters = [] if line.isascii() and line != line.upper() else [
            c for c in line if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and len(letters) > 3:
            out += _caps_runs(doc, kb, i, j)  # a headline in capitals
            if caps_lines is not None:
                caps_lines.update(range(i, j))
        else:
            k = i  # (a capitals word: see _caps_word)
            while k < j and texts[k].isupper() and texts[k].isalpha() and len(texts[k]) >= 2:
                k += 1
            if k > i and k < j and (texts[k] in (",", "(") or texts[k] in _DASHES):
                out += _caps_runs(doc, kb, i, k, whole=True)  # a dateline
    return out


def _caps_runs(doc: Doc, kb: KB, start: int, end: int, whole: bool = False) -> list[Cand]:
    out = []
    i = start
    while i < end:
        found = None
        for n in ((end - i,) if whole else range(min(4, end - i), 0, -1)):
            toks = doc[i:i + n]
            if not all(_caps_word(t) for t in toks) or kb.entries(toks.text):
                continue  # an abbreviation in capitals ("NATO") is matched as it is
            actor = _unique(kb, " ".join(t.text.title() for t in toks))
            if actor is not None:
                found = (n, actor)
                break
        if found is None:
            i += 1
            continue
        n, (actor, kind) = found
        span = doc[i:i + n]
        out.append(Cand(i, i + n, span.start_char, span.end_char, actor.type, "kb",
                        key=actor.key, kind=kind, text=span.text))
        i += n
    return out


_KIND_ORDER = ("name", "official", "alias", "metonym", "demonym")


def _unique(kb: KB, text: str) -> tuple[Actor, str] | None:
    entries = [(a, k) for a, k in kb.entries(text) if k in _KIND_ORDER]
    if not entries:
        return None
    best = min(_KIND_ORDER.index(k) for _, k in entries)
    top = {a.key: (a, k) for a, k in entries if _KIND_ORDER.index(k) == best}
    return next(iter(top.values())) if len(top) == 1 else None


# ---- wire credits -----------------------------------------------------------------------------

def _wires() -> tuple[tuple[str, tuple[str, ...]], ...]:
    from ..clean.outlets import wire_names  # the registry's one reader

    return wire_names()


def wire_agency(name: str) -> str | None:
    """The canonical name of the wire agency a credit names: by any of its names, or by the
    first word of its name ("Kyodo" for "Kyodo News"), when one agency alone fits."""
    low = norm(name).lower()
    for canon, aliases in _wires():
        if low in {canon.lower(), *(a.lower() for a in aliases)}:
            return canon
    hits = {canon for canon, aliases in _wires() for form in (canon, *aliases)
            if len(form.split()) > 1 and form.split()[0].lower() == low}
    return hits.pop() if len(hits) == 1 else None


def credit_cands(doc: Doc, kb: KB) -> tuple[list[Cand], dict[str, Actor]]:
    """"(Agency)" as a dateline or closing credit: a mention of that agency. Returns the
    mentions and the actors made for agencies the knowledge base does not hold."""
    out: list[Cand] = []
    made: dict[str, Actor] = {}
    for i, word in enumerate(token_strings(doc).text):
        if word != "(":
            continue
        tok = doc[i]
        e = tok.i + 1
        while e < len(doc) and e - tok.i <= 3 and _name_token(doc[e], e == tok.i + 1):
            e += 1
        if e == tok.i + 1 or e >= len(doc) or doc[e].text != ")":
            continue
        nxt = doc[e + 1] if e + 1 < len(doc) else None
        credit = nxt is None or nxt.text in _DASHES or "\n" in doc[e].whitespace_ \
            or "\n" in nxt.text or (tok.i > 0 and doc[tok.i - 1].like_num)
        if not credit:
            continue
        span = doc[tok.i + 1:e]
        canon = wire_agency(span.text)
        if canon is None:
            continue
        actor = _kb_actor(kb, canon) or _kb_actor(kb, span.text)
        if actor is None:
            actor = Actor(key=f"org:{slugify(canon)}", name=canon, type="ORG", sector="MED")
            made[actor.key] = actor
        out.append(Cand(span.start, span.end, span.start_char, span.end_char, "ORG", "rule",
                        key=actor.key, kind="credit", text=span.text))
    return out, made


def _kb_actor(kb: KB, text: str) -> Actor | None:
    found = {a.key: a for a, _ in kb.entries(text) if a.type == "ORG"}
    return next(iter(found.values())) if len(found) == 1 else None


# ---- company short forms ----------------------------------------------------------------------

def short_forms(name: str) -> list[str]:
    """"Acme Trading Co. Ltd." -> ["Acme Trading", "Acme"]: the name without its legal form,
    then without its trade words; empty when the name has neither."""
    words = strip_the(norm(name)).split()
    out: list[str] = []
    while len(words) > 1 and words[-1].lower().strip(",") in LEGAL_SUFFIXES:
        words = words[:-1]
    if len(words) < len(strip_the(norm(name)).split()):
        out.append(" ".join(words).rstrip(","))
    while len(words) > 1 and words[-1].lower() in TRADE_WORDS:
        words = words[:-1]
        out.append(" ".join(words))
    full = strip_the(norm(name))
    return [f for f in dict.fromkeys(out) if f and f != full]


def company_short_forms(doc: Doc, cands: list[Cand], taken: set[int]) -> list[Cand]:
    """Join short forms of a company named in full to it; returns new mentions for short
    forms that no other candidate covers (re-keys the covered ones in place)."""
    forms: dict[str, str] = {}
    for c in cands:
        if c.label == "ORG" and c.source != "kb" and c.key and c.key.startswith("org:"):
            for f in short_forms(c.text):
                if len(f.split()) > 1 or len(f) >= 4:
                    forms.setdefault(f, c.key)
    if not forms:
        return []
    words = {f: tuple(f.split()) for f in sorted(forms, key=len, reverse=True)}
    texts = token_strings(doc).text
    for c in cands:
        if c.source == "kb" or c.kind in ("vessel", "credit"):
            continue
        key = forms.get(strip_the(norm(c.text)))
        # "Orion" tagged where the text says "Orion Petroleum": the mention takes the form
        for f, ws in words.items():
            e = c.s + len(ws)
            if e > c.e and e <= len(doc) and tuple(texts[c.s:e]) == ws \
                    and not any(k in taken for k in range(c.e, e)):
                taken.update(range(c.e, e))
                c.e, c.ce, c.text, key = e, doc[e - 1].idx + len(doc[e - 1]), doc[c.s:e].text, \
                    forms[f]
                break
        if key and key != c.key:
            c.key, c.label = key, "ORG"
    out = []
    firsts = {ws[0] for ws in words.values() if ws}
    for i, word in enumerate(texts):
        if word not in firsts or i in taken:
            continue  # (no form starts here)
        tok = doc[i]
        if not tok.is_title:
            continue
        for f, ws in words.items():
            e = i + len(ws)
            if e <= len(doc) and tuple(texts[i:e]) == ws \
                    and not any(k in taken for k in range(i, e)) \
                    and not (e < len(doc) and doc[e].is_title) \
                    and (len(ws) > 1 or tok.pos_ == "PROPN"):
                span = doc[i:e]
                out.append(Cand(i, e, span.start_char, span.end_char, "ORG", "rule",
                                key=forms[f], kind="short", text=span.text))
                taken.update(range(i, e))
                break
    return out


def company_end(doc: Doc, s: int, e: int) -> int:
    """Where an ORG span ends when NER stopped short of the legal form: "Kestrel Maritime"
    + "Trading LLC" (up to three more capitalised words ending in a legal suffix)."""
    for k in range(e + 1, min(len(doc), e + 4) + 1):
        toks = doc[e:k]
        if not all(t.is_title or t.is_upper for t in toks) or any(
                "\n" in t.whitespace_ for t in doc[e - 1:k - 1]):
            return e
        last = toks[-1].lower_
        if last in LEGAL_SUFFIXES and last not in ("&", ",", "group", "company", "holdings"):
            return k
    return e


# ---- NER labels and headlines -----------------------------------------------------------------

# Words that make a span an organisation, whatever label NER gave it ("Kim Il Sung University").
ORG_WORDS = {"university", "institute", "college", "academy", "school", "foundation", "agency",
             "council", "ministry", "department", "committee", "corporation", "company",
             "association", "organization", "organisation", "commission", "federation"}
_PLACE_PREFIXES = {"Mt", "Mt.", "Mount", "Lake", "Cape"}
_PLACE_SUFFIXES = {"river", "lake", "island", "islands", "mountain", "mountains", "province",
                   "county", "district", "peninsula", "strait", "bay", "sea", "valley"}
_KOREAN_PLACE = re.compile(r"^[A-Z][a-z]+-(?:dong|gu|gun|myon|ri)$")  # "Somun-dong"
_VERB_TAGS = {"VBD", "VBN", "VBZ", "VBP", "VBG"}
_NAME_ED_WORDS = {"united", "limited", "incorporated", "federated", "allied", "reformed",
                  "combined", "unified", "advanced", "applied", "integrated", "assured"}


def relabel(doc: Doc, s: int, e: int, label: str) -> str:
    """The right label for a NER span the model may have mislabelled: a PERSON with an
    organisation word in it is an ORG; "Mount X", "X River", "Somun-dong" are places."""
    words = token_strings(doc).text[s:e]
    if label == "PERSON" and any(w.lower() in ORG_WORDS and w[0].isupper() for w in words[1:]):
        return "ORG"
    if label in ("PERSON", "ORG") and len(words) > 1 and (
            words[0] in _PLACE_PREFIXES or words[-1].lower() in _PLACE_SUFFIXES
            and words[-1][0].isupper() and not any(w.islower() for w in words)):
        return "LOC"  # (not "Undok Farm in Onchon County": a farm in a county)
    if label in ("PERSON", "ORG") and _KOREAN_PLACE.match(span_text(doc, s, e)):
        return "GPE"
    return label


def headline_cut(doc: Doc, s: int, e: int, label: str) -> int:
    """Where a NER span in a title-case headline ends: before its first verb ("Delegation
    Leaves", "Houses Built in ..."). Returns `s` when nothing of a name is left."""
    line_s, line_e = line_of(doc, s, e)
    if line_e - line_s > 25:
        return e  # a line of more than 25 tokens is no headline
    texts = token_strings(doc).text  # (str tests as spaCy's is_alpha, is_title, is_upper)
    line = [w for w in texts[line_s:line_e] if w.isalpha() and len(w) >= 4]
    if len(line) < 3 or texts[line_e - 1] in (".", "?", "!"):
        return e
    if sum(w.istitle() or w.isupper() for w in line) < 0.8 * len(line):
        return e  # not a headline in title case
    for i in range(s, e):
        # title case hides verbs from the tagger: a participle is a word in "-ed" too
        if doc[i].tag_ in _VERB_TAGS or ((i > s or label != "PERSON")
                                         and doc[i].lower_.endswith("ed")
                                         and len(doc[i].text) >= 5
                                         and doc[i].lower_ not in _NAME_ED_WORDS):
            return i if label == "PERSON" else s
    return e


# ---- phrases that name no actor ---------------------------------------------------------------

def _entity_data() -> dict:
    return get_pack("en").data("entities", {}) or {}


@functools.lru_cache(maxsize=1)
def _not_actor_words() -> tuple[frozenset[str], ...]:
    data = _entity_data()
    # a clock time's zone ("12.47 BST") is an abbreviation of a measure too (generated:
    # lang/xx/timezones.tzdata.json)
    zones = get_pack("xx").data("timezones.tzdata", {}) or {}
    return tuple(frozenset(w.lower() for w in data.get(k, []) +
                           (zones.get("abbreviations", []) if k == "common_acronyms" else []))
                 for k in ("text_heads", "role_words", "eras", "common_acronyms", "bare_bodies"))


def text_heads() -> frozenset[str]:
    """Head words of a text, a speech, an act or a gathering named in title case (the
    pack's `text_heads`): a name that modifies one names that thing, no party."""
    return _not_actor_words()[0]


@functools.lru_cache(maxsize=1)
def _place_features() -> dict[str, str]:
    return {k.lower(): v.lower() for k, v in (_entity_data().get("place_features") or {}).items()}


def join_place_features(doc: Doc, cands: list[Cand]) -> list[Cand]:
    """"Straits" + "of" + "Hormuz", which NER tags apart: one place, "Straits of Hormuz"."""
    features = _place_features()
    starts = {c.s: c for c in cands}
    dropped: set[int] = set()
    for c in cands:
        if id(c) in dropped or strip_the(c.text).lower() not in features or c.label == "PERSON" \
                or c.e + 1 >= len(doc) or doc[c.e].lower_ != "of" or not doc[c.e + 1].is_title:
            continue
        nxt = starts.get(c.e + 1)
        end = nxt.e if nxt is not None else _name_after(doc, c.e + 1)
        if nxt is not None:
            dropped.add(id(nxt))
        c.e, c.ce, c.label = end, doc[end - 1].idx + len(doc[end - 1]), "LOC"
        c.text = doc_text(doc)[c.cs:c.ce]
    return [c for c in cands if id(c) not in dropped]


def key_form(name: str) -> str:
    """The form a name's key is made from: a place's feature word in the singular ("Straits
    of Hormuz" and "Strait of Hormuz" are one place)."""
    words = strip_the(name).split()
    if len(words) > 2 and words[1].lower() == "of":
        words[0] = _place_features().get(words[0].lower(), words[0])
    return " ".join(words)


@functools.lru_cache(maxsize=1)
def _weapon_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in _entity_data().get("weapon_nouns", []))


def _before_weapon_noun(doc: Doc, e: int) -> bool:
    """Whether a weapon noun follows token e-1, past quotes and a hyphenated modifier
    ("Silkworm missiles", "\"Silkworm\" anti-ship missiles")."""
    k = e
    while k < len(doc) and k - e < 5 and doc[k].lower_ not in _weapon_nouns():
        tok = doc[k]
        if not (tok.is_quote or tok.text == "-" or (tok.is_lower and (
                (k + 1 < len(doc) and doc[k + 1].text == "-") or doc[k - 1].text == "-"))):
            return False
        k += 1
    return k < len(doc) and doc[k].lower_ in _weapon_nouns()


def weapon_names(doc: Doc, cands: list[Cand]) -> set[str]:
    """Names NER gave as entities that are weapons' ("Styx" in "Styx anti-ship missiles"):
    every mention that is, or ends in, one of them names no actor."""
    return {c.text for c in cands if c.source == "ner" and _before_weapon_noun(doc, c.e)}


def bare_body(text: str) -> bool:
    """"Council" alone: a body's head word, not a name of its own."""
    return strip_the(norm(text)).lower() in _not_actor_words()[4]


@functools.lru_cache(maxsize=1)
def _publication_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in _entity_data().get("publication_nouns", []))


def names_a_text(doc: Doc, s: int, e: int) -> bool:
    """A span headed by the name of a text or an act ("UN Charter", "Press Statement"),
    unless the name is a publication's: it modifies a publication noun or stands in
    apposition to one ("the Il Manifesto paper", "the newspaper Il Manifesto")."""
    if e <= s:
        return False
    root = doc[s:e].root
    if root.lower_ not in _not_actor_words()[0]:
        return False
    publications = _publication_nouns()
    return not ((root.dep_ in ("compound", "appos", "nmod") and root.head.lower_ in publications)
                or any(c.dep_ == "appos" and c.lower_ in publications for c in root.children))


def names_no_actor(doc: Doc, s: int, e: int, kb_tokens: set[int]) -> bool:
    """A NER span that names a text or an act ("Press Statement of Spokesperson", "UN
    Charter", "the U.S. Attack"), a role ("Military Commentator", "Kuwaiti Emir": role words
    after title modifiers and nationality words) or a year of an era ("Juche 113")."""
    _, roles, eras, acronyms, _ = _not_actor_words()
    words = [t for t in doc[s:e] if not t.is_punct]
    if not words:
        return False
    if len(words) == 1 and words[0].lower_ in acronyms and words[0].is_upper:
        return True  # "LNG", "GMT": a thing or a measure
    if names_a_text(doc, s, e):
        return True
    if len(words) > 1 and words[0].lower_ in eras and all(t.like_num for t in words[1:]):
        return True
    return words[-1].lower_ in roles and all(
        t.lower_ in TITLE_MODIFIERS or t.lower_ in roles or t.i in kb_tokens for t in words[:-1])
