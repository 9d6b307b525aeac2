"""Word lists and small rules about names: titles, honorifics, family names, NER clean-up.

These are general facts about English news copy (how titles precede names, how romanised
Korean and Chinese names put the family name first), not facts about any one story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..lang import get_pack

_NAMES = get_pack("en").data("names", {})


def _words(kind: str) -> set[str]:
    """One word list of the English pack's `names.json`."""
    return set(_NAMES.get(kind, ()))


HONORIFICS = _words("honorifics")

# Words that head a title before a name ("Foreign Minister Park", "spokesperson Matthew Miller").
TITLE_HEADS = _words("title_heads")
# Words that may stand inside a title without being a name ("national security adviser").
TITLE_MODIFIERS = _words("title_modifiers")
# Prefixes of ships' names (navies' designations).
SHIP_PREFIXES = _words("ship_prefixes")
NAME_PARTICLES = _words("name_particles")
# Letters after a name that are not part of it ("Ken Doe QC").
POST_NOMINALS = _words("post_nominals")

# Romanised family names that come first in Korean and Chinese names.
EAST_ASIAN_SURNAMES = _words("east_asian_surnames")

# NER output that is never an entity on its own: page furniture, titles, bare directions.
NOT_NAMES = _words("not_names")
PHOTO_CUES = _words("photo_cues")
# Org head nouns: an ORG span with one of these followed by a capitalised name that is not
# part of the organisation ("Leiden University Jane Doe") is cut after the head noun.
ORG_HEADS = _words("org_heads")

_MODEL_DESIGNATION = re.compile(r"^[A-Za-z]{1,7}-?\d+[A-Za-z]*$")  # B-52, MiG-29, Su27
_MODEL_WORD = re.compile(r"^[A-Z][A-Za-z]{0,9}-\d+[A-Za-z]*$")  # "B-21 Raider", "Hwasong-18"
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")  # "C.C.": an unexplained abbreviation
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")  # ICBMs, UAVs: common nouns
_GLUED = re.compile(r"^(?!Ma?c)[A-Z][a-z]{2,}[A-Z][a-z]{2,}$")  # "AsiaPolitics": glued labels
_APOS = {"'s", "’s", "'", "’"}


def norm(text: str) -> str:
    """Comparison form of a surface: straight apostrophes, single spaces."""
    return " ".join(text.replace("’", "'").split())


def strip_the(text: str) -> str:
    """Drop a leading article: "the Kremlin" -> "Kremlin"."""
    return re.sub(r"^(the|The|THE)\s+", "", text.strip())


def looks_like_name(text: str) -> bool:
    """Spurious NER filter for spans that no KB entry vouches for."""
    t = norm(text)
    if not t or not any(c.isalpha() for c in t):
        return False
    if t[0].islower() or t.lower() in NOT_NAMES or strip_the(t).lower() in NOT_NAMES:
        return False
    if _MODEL_DESIGNATION.match(t) or _PLURAL_ACRONYM.match(t) or _GLUED.match(t) \
            or _INITIALS.match(t) or any(_MODEL_WORD.match(w) for w in t.split()):
        return False
    words = [w for w in t.split() if w.lower() not in ("of", "for", "and", "the")]
    # A span made only of title words ("Deputy Secretary") names an office, not an entity.
    titles = TITLE_HEADS | TITLE_MODIFIERS
    return not (words and all(w.lower() in titles for w in words))


def is_photo_credit(doc: Doc, start: int) -> bool:
    """A name right after "Photo:" / "Photo by" is a picture credit, not part of the story."""
    i = start - 1
    return i >= 1 and doc[i].text in (":", "by", "By") and doc[i - 1].lower_ in PHOTO_CUES


def name_parts(text: str) -> list[str]:
    """The words of a person's name, without honorifics and trailing possessives."""
    words = [w for w in norm(text).replace("'s", "").split() if w not in HONORIFICS]
    return [w.strip(",.") for w in words if w.strip(",.")]


def family_name(full_name: str, surname: str | None = None) -> str:
    """Family name of a full name: explicit; first word for romanised Korean/Chinese names
    ("Kim Jong-un", "Park Jin", "Xi Jinping"); else the last word ("Antony Blinken")."""
    if surname:
        return surname
    parts = name_parts(full_name)
    if not parts:
        return full_name
    if len(parts) >= 2 and parts[0].lower() in EAST_ASIAN_SURNAMES and len(parts) <= 3 and (
            "-" in parts[1] or len(parts) == 2 and parts[1][0].isupper()
            and parts[1].lower() not in EAST_ASIAN_SURNAMES):
        return parts[0]
    return parts[-1]


def is_full_name(text: str) -> bool:
    return len(name_parts(text)) >= 2


@dataclass
class Cand:
    """A candidate mention: token range, character range, label and (once known) its key."""

    s: int
    e: int
    cs: int
    ce: int
    label: str  # PERSON, ORG, GPE, LOC, FAC
    source: str  # "kb", "ner", "rule"
    key: str | None = None
    kind: str | None = None  # the KB name kind, "generic", "descriptor", "short", "full"
    text: str = ""
    role: str | None = None
    role_country: str | None = None
    generic: str | None = None  # id of a generic body ("foreign-ministry")


@dataclass
class Title:
    """A title before a name: its text, its country (ISO3) and the tokens it covers."""

    text: str
    start: int  # token index of the first title token (after any country/org prefix)
    end: int  # token index just past the title
    country: str | None = None
    org_key: str | None = None


def clean_ner_span(doc: Doc, span: Span) -> list[tuple[int, int]]:
    """Token ranges of a NER span after clean-up: split at line breaks, no leading article or
    punctuation, no trailing possessive; PERSON spans take a hyphenated given-name tail."""
    pieces: list[tuple[int, int]] = []
    start = span.start
    for i in range(span.start, span.end + 1):
        # Line breaks and brackets end a name: "Institute for Maritime Studies (IMS".
        if i == span.end or "\n" in doc[i].text or doc[i].text in "()[]" or (
                "\n" in doc[i].whitespace_ and i + 1 < span.end):
            end = i + 1 if i < span.end and "\n" not in doc[i].text \
                and doc[i].text not in "()[]" else i
            pieces.append((start, end))
            start = i + 1
    out = []
    for s, e in pieces:
        while s < e and (doc[s].lower_ in ("the", "a", "an") or doc[s].is_punct or doc[s].is_space):
            s += 1
        while e > s and (doc[e - 1].text in _APOS or doc[e - 1].is_punct or doc[e - 1].is_space):
            if doc[e - 1].text == "." and e - 1 > s and not doc[e - 2].whitespace_:
                break  # keep "U.S." / "Jr." intact
            e -= 1
        # "Tory backbencher", "Sea Lark and", "Sea Lark back": a name does not end in a
        # lower-case word (a conjunction, an adverb, a common noun the model ran on into).
        while e - s > 1 and doc[e - 1].is_lower and doc[e - 2].whitespace_ \
                and doc[e - 1].text not in NAME_PARTICLES:
            e -= 1
            while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
                e -= 1
        if span.label_ == "PERSON":
            if _modifier_tail(doc, e):
                continue  # "Oscar-winning", "Nobel-winning": a name made a modifier
            # "Yoon Suk" + "-" + "yeol": romanised given names are often cut at the hyphen.
            while e + 1 < len(doc) and doc[e].text == "-" and not doc[e - 1].whitespace_ \
                    and not doc[e].whitespace_ and doc[e + 1].is_alpha:
                e += 2
        if e > s:
            out.append((s, e))
    return out


def _modifier_tail(doc: Doc, e: int) -> bool:
    """Whether a hyphen and a participle follow token e-1 with no space ("Oscar-winning",
    "Nobel-prize-winning"): the name before them modifies what follows, as a word of it."""
    k = e
    while k + 1 < len(doc) and doc[k].text == "-" and not doc[k - 1].whitespace_ \
            and not doc[k].whitespace_:
        if doc[k + 1].is_lower and doc[k + 1].tag_ in ("VBG", "VBN"):
            return True
        k += 2
    return False


def split_org_person(doc: Doc, s: int, e: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """"Leiden University Jane Doe" (one ORG span) -> (ORG part, PERSON part), else None."""
    for i in range(s, e - 2):
        if doc[i].lower_ in ORG_HEADS and doc[i].is_title:
            tail = doc[i + 1:e]
            if 2 <= len(tail) <= 3 and all(t.is_title and t.is_alpha for t in tail) and \
                    not any(t.lower_ in ORG_HEADS or t.lower_ in TITLE_MODIFIERS for t in tail):
                return (s, i + 1), (i + 1, e)
    return None


def title_before(doc: Doc, name_start: int, cover: dict[int, Cand]) -> Title | None:
    """The title right before a name ("U.S. Secretary of State" before "Antony Blinken").

    `cover` maps token indexes to gazetteer candidates, so that a country ("U.S.", "South
    Korean", "Japan's") or a known organisation ("State Department") in front of the title is
    read as the office's country or organisation and not as part of the office's name.
    """
    i = name_start - 1
    tokens: set[int] = set()
    head_seen = False
    while i >= 0:
        tok = doc[i]
        low = tok.lower_
        if "\n" in tok.text or "\n" in tok.whitespace_ or (low in ("and", ",") and head_seen):
            break
        if tok.is_punct and tok.text not in ("-", "&", ".") and tok.text not in _APOS:
            break
        if i in cover and cover[i].label == "PERSON":
            break
        if tok.text in _APOS or low in ("of", "for", "and", "the", "&", "-"):
            tokens.add(i)
        elif low in TITLE_HEADS:
            tokens.add(i)
            head_seen = True
        elif i in cover or low in TITLE_MODIFIERS or tok.text[:1].isupper():
            tokens.add(i)
        else:
            break
        i -= 1
    if not head_seen:
        return None
    head = max(t for t in tokens if doc[t].lower_ in TITLE_HEADS)
    start = head
    # Left modifiers of the head belong to the title ("National Security Adviser") unless they
    # are a country or a known organisation.
    while start - 1 in tokens and start - 1 not in cover:
        prev = doc[start - 1]
        if prev.text in _APOS and start - 2 in tokens and start - 2 not in cover \
                and doc[start - 2].lower_ in TITLE_MODIFIERS:  # "Children's Minister"
            start -= 1
            continue
        if prev.lower_ not in TITLE_MODIFIERS | TITLE_HEADS or \
                prev.lower_ in ("the", "and", "of", "for", "&"):
            break
        start -= 1
    country = org_key = None
    first = start
    j = start - 1
    while j in tokens:
        if doc[j].text in _APOS or doc[j].lower_ == "the":
            j -= 1
            continue
        c = cover.get(j)
        if c is None or c.key is None:
            break
        if c.key.startswith("country:") and country is None:
            country = c.key[8:]
        elif not c.key.startswith("country:") and org_key is None:
            org_key = c.key
            first = c.s
        else:
            break
        j = c.s - 1
    while start < name_start and doc[start].lower_ in ("the", "of", "and"):
        start += 1
    text = doc[first:name_start].text.strip(" ,")
    return Title(text=text, start=start, end=name_start, country=country, org_key=org_key)
