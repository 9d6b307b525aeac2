"""Does a briefing sentence say only what its evidence says?

`unsupported(claim, evidence, names)` lists every number, name and place in a sentence's
claim that none of its cited evidence spans states: a number must be written in an evidence
span as it is in the claim ("over 1 million", never "1,000,000" for "a million"); a name or
place must be in an evidence span, or be the canonical name of an entity that the
extraction found inside one ("North Korea" for "the North" or "Pyongyang"). A name made of
several parts ("Park Jin and Antony Blinken") is supported when each part is.

The check reads the sentence as text: it knows nothing of how the briefing built it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..extract.quantities import parse_quantity

# A capitalised run: words that start with a capital or a digit, joined by spaces, hyphens
# or the lower-case particles of names ("Ministry of Foreign Affairs", "Kim Jong-un").
_PARTICLES = r"of|the|de|du|des|la|le|al|bin|von|van|der|and"
_NAME = re.compile(r"(?<![\w’'])[A-Z][\w’'.\-]*"
                   rf"(?:\s+(?:(?:{_PARTICLES})\s+)*[A-Z0-9][\w’'.\-]*)*")
_NUMBER = re.compile(r"(?<![\w.,])\d(?:[\d,.]*\d)?(?![\w])|\b[A-Za-z]+\b")
_CONNECTORS = re.compile(rf"\s+(?:{_PARTICLES})\s+")
# Spelled numbers that are also plain words of a sentence: never read as numbers here.
_NOT_NUMBERS = frozenset({"a", "an", "single", "some", "k", "m", "mn", "bn"})


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def _bare(name: str) -> str:
    """A name without the possessive and the full stop that may close a sentence."""
    name = re.sub(r"['’]s$", "", name.strip())
    return name[:-1] if name.endswith(".") and name.count(".") == 1 else name


def numbers_in(text: str) -> list[str]:
    """The numbers of a text as written: digits ("1,000") and spelled numbers ("two",
    "million")."""
    out = []
    for m in _NUMBER.finditer(text):
        word = m.group(0)
        if word[0].isdigit() or (word.lower() not in _NOT_NUMBERS
                                 and parse_quantity(word) is not None):
            out.append(word)
    return out


def names_in(text: str) -> list[str]:
    """The capitalised runs of a text (names, places, titles), possessives removed."""
    return [_bare(m.group(0)) for m in _NAME.finditer(text)]


def _written(word: str, evidence: Sequence[str]) -> bool:
    pattern = re.compile(rf"(?<![\w]){re.escape(_fold(word))}(?![\w])")
    return any(pattern.search(_fold(e)) for e in evidence)


def _name_supported(name: str, evidence: Sequence[str], known: set[str]) -> bool:
    if _fold(name) in known or _written(name, evidence):
        return True
    parts = [p for p in _CONNECTORS.split(name) if p]
    if len(parts) > 1:
        return all(_name_supported(p, evidence, known) for p in parts)
    return False


def unsupported(claim: str, evidence: Sequence[str], names: Iterable[str] = (), *,
                first_word: bool = True) -> list[str]:
    """What `claim` states that no text of `evidence` does: numbers, then names and places,
    each once ([] when the claim says nothing beyond its evidence). `names` are the
    canonical names of the entities found inside the evidence spans. With `first_word`
    False a capitalised first word that is no name is not counted (a sentence's capital)."""
    known = {_fold(n) for n in names if n}
    problems: list[str] = []
    for num in numbers_in(claim):
        if not _written(num, evidence) and num not in problems:
            problems.append(num)
    for i, m in enumerate(_NAME.finditer(claim)):
        name = _bare(m.group(0))
        if _name_supported(name, evidence, known) or name in problems:
            continue
        if i == 0 and m.start() == 0 and not first_word:
            rest = name.split(" ", 1)[1] if " " in name else ""
            if not rest or _name_supported(rest, evidence, known):
                continue
        problems.append(name)
    return problems
