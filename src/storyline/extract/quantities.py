"""How many: numbers in words or digits with their qualifier ("about 10,000" -> 10000, "about").

`parse_quantity(text)` reads a phrase; `quantity_of(token)` reads the number that modifies a
noun in a dependency parse ("over 1 million artillery shells" -> 1000000, "over").
Ordinals ("a third attempt") and years are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "single": 1,
}
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000,
    "bn": 1_000_000_000, "dozen": 12,
}
# Longest first so that "more than" wins over "more".
QUALIFIERS = (
    "as many as", "as much as", "more than", "less than", "fewer than", "at least",
    "at most", "up to", "close to", "an estimated", "nearly", "almost", "about", "around",
    "approximately", "roughly", "some", "over", "under", "below", "above", "estimated",
    "upwards of", "just over", "just under", "several", "a few", "tens of", "hundreds of", "thousands of",
    "millions of",
)
# "tens of thousands": an order of magnitude, kept as the lower bound with its qualifier.
_VAGUE = {"tens of": 10, "hundreds of": 100, "thousands of": 1_000, "millions of": 1_000_000}
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_SPLIT = re.compile(r"\s+|(?<=\d)(?=[a-z])|-(?=[a-z])")


@dataclass
class Quantity:
    """A number read from text, with its qualifier ("about", "more than") and the text."""

    value: float
    qualifier: str | None
    text: str


def _qualifier(words: list[str]) -> tuple[str | None, list[str]]:
    joined = " ".join(words)
    for q in QUALIFIERS:
        if joined == q or joined.startswith(q + " "):
            return q, words[len(q.split()):]
    return None, words


def _number(word: str) -> float | None:
    w = word.replace(",", "")
    if _NUMBER.match(word) or re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    return None


def _words_value(words: list[str]) -> float | None:
    """Value of a run like ["1", "million"], ["two", "hundred", "thousand"], ["a", "million"]."""
    total = 0.0
    current: float | None = None
    seen = False
    for raw in words:
        w = raw.strip(".").lower()
        if w in ("and", "-"):
            continue
        num = _number(w)
        if num is not None:
            current = (current or 0) + num
            seen = True
        elif w in _UNITS and not (w in ("a", "an") and seen):
            current = (current or 0) + _UNITS[w]
            seen = True
        elif w in _SCALES or (w.endswith("s") and w[:-1] in _SCALES and len(w) > 3):
            scale = _SCALES.get(w) or _SCALES[w[:-1]]
            current = (current if current is not None else 1) * scale
            if scale >= 1000:
                total += current
                current = None
            seen = True
        else:
            return None
    if not seen:
        return None
    return total + (current or 0)


def parse_quantity(text: str) -> Quantity | None:
    """Parse "about 10,000", "over 1 million", "a million", "two", "1.5bn" (None if not a number)."""
    clean = text.strip().lower().replace("\u2019", "'")
    words = [w for w in _SPLIT.split(clean) if w]
    qualifier, rest = _qualifier(words)
    if qualifier in _VAGUE:
        # "tens of thousands": the scale word follows; the value is the smallest reading.
        value = _words_value(rest) if rest else None
        if value is None:
            return None
        return Quantity(value * _VAGUE[qualifier], qualifier, text.strip())
    if not rest:
        return None
    if len(rest) == 1 and rest[0].endswith("s") and rest[0][:-1] in _SCALES and not qualifier:
        # a bare plural scale ("thousands"): a lower bound, not a count
        return Quantity(float(_SCALES[rest[0][:-1]]), "at least", text.strip())
    value = _words_value(rest)
    if value is None:
        return None
    if qualifier == "some" and value < 2:
        return None
    return Quantity(value, qualifier, text.strip())


def _is_year(token: Token) -> bool:
    return token.ent_type_ == "DATE" or bool(re.fullmatch(r"(1[89]|20)\d\d", token.text))


def quantity_of(noun: Token) -> Quantity | None:
    """The cardinal number that counts `noun` in the parse, with its qualifier, if any."""
    for child in noun.children:
        if child.dep_ != "nummod" or _is_year(child) or child.tag_ == "JJ":
            continue
        if child.lower_ in ("first", "second", "third"):
            continue
        toks = sorted(child.subtree, key=lambda t: t.i)
        # Qualifiers sometimes hang off the noun itself ("about 10,000 troops": advmod).
        for t in noun.children:
            if t.dep_ in ("advmod", "quantmod") and t.i < child.i and t.lower_ in _QUAL_WORDS:
                toks = [t] + toks
        before = noun.doc[toks[0].i - 2: toks[0].i]
        text = " ".join(t.text for t in toks)
        two = " ".join(t.lower_ for t in before)
        if two in QUALIFIERS:
            text = two + " " + text
        elif len(before) and before[-1].lower_ in QUALIFIERS:
            text = before[-1].lower_ + " " + text
        q = parse_quantity(text)
        if q is not None:
            return q
    # "a large number of shells" has no count; "1,000 containers of munitions" counts the
    # containers, which the caller reaches by walking up from the item.
    return None


_QUAL_WORDS = {q.split()[0] for q in QUALIFIERS}
