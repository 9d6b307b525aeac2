"""Text helpers for the scorer: normal forms, locating key strings in a text, and
one-to-one assignment.

Everything here is pure and deterministic: the same key and predictions always give
the same alignment, so scores can be compared between runs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..lang import joins_words

Span = tuple[int, int]

# Typographic quotes and apostrophes fold to their ASCII forms, so a key typed with
# straight quotes still finds a text set with curly ones (and the other way round).
_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u0060": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
})
_WS = re.compile(r"\s+")


def norm_line(text: str) -> str:
    """Line form for boilerplate and `keep`: NFKC, whitespace collapsed, stripped; case kept."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


# List markers a page puts before a line ("• Share this"): layout, not the line's content.
_MARKERS = re.compile(r"^[\u2022\u00b7\u2023\u25e6\u25aa\u25ab\u25cf\u25cb\u25a0\u25a1\u25ba\u25b8*>|\-\u2013\u2014 ]+")


def norm_removed_line(text: str) -> str:
    """Boilerplate line form: norm_line without leading list markers (bullets, dashes)."""
    return _MARKERS.sub("", norm_line(text))


def norm_name(text: str) -> str:
    """Name form for entity matching: NFKC, quotes folded, whitespace collapsed, casefolded."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _WS.sub(" ", folded).strip().casefold()


def _fold_char(ch: str, casefold: bool) -> str:
    out = unicodedata.normalize("NFKC", ch).translate(_QUOTES)
    return out.casefold() if casefold else out


def _indexed(text: str, casefold: bool) -> tuple[str, list[int]]:
    """The normal form of `text` and, for each of its characters, the source offset.

    Normalising per character keeps a map back to the original offsets, which are what
    predictions carry.
    """
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                index.append(i)
            continue
        for out in _fold_char(ch, casefold):
            chars.append(" " if out.isspace() else out)
            index.append(i)
    return "".join(chars), index


def _needle(text: str, casefold: bool) -> str:
    return _indexed(text, casefold)[0].strip()


class Locator:
    """Finds key strings in one text, returning spans in the text's own offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._forms = {cf: _indexed(text, cf) for cf in (False, True)}

    def occurrences(self, needle: str) -> list[Span]:
        """Every whole-word occurrence of `needle`, in text order.

        Quotes and whitespace are normalised; an exact-case occurrence is preferred, and
        only when there is none is the search repeated ignoring case.
        """
        for casefold in (False, True):
            hay, index = self._forms[casefold]
            pin = _needle(needle, casefold)
            if not pin:
                return []
            spans: list[Span] = []
            pos = hay.find(pin)
            while pos >= 0:
                end = pos + len(pin)
                # A key string is a whole expression: "May" must not be found in "Mayor".
                # Scripts written without spaces between words (Chinese, Japanese) or with
                # particles joined to the word (Korean "22일에") have no such boundary.
                left_ok = not pin[0].isalnum() or pos == 0 or not hay[pos - 1].isalnum() \
                    or joins_words(pin[0]) or joins_words(hay[pos - 1])
                right_ok = not pin[-1].isalnum() or end == len(hay) or not hay[end].isalnum() \
                    or joins_words(pin[-1]) or joins_words(hay[end])
                if left_ok and right_ok:
                    spans.append((index[pos], index[end - 1] + 1))
                pos = hay.find(pin, pos + 1)
            if spans:
                return spans
        return []

    def locate_all(self, needles: Sequence[str]) -> list[Span | None]:
        """One span per needle (None when absent), no two needles sharing an occurrence.

        Longer needles claim first, so "Wednesday" is not placed inside "Wednesday
        evening" when both are listed. Each needle takes its first occurrence that no
        other needle claimed; failing that, one claimed by a needle of different text;
        never one already claimed by a needle of the same text.
        """
        order = sorted(range(len(needles)), key=lambda i: (-len(needles[i]), i))
        claimed: list[tuple[Span, str]] = []
        result: list[Span | None] = [None] * len(needles)
        for i in order:
            own = norm_name(needles[i])
            occ = self.occurrences(needles[i])
            free = [s for s in occ if not any(overlap(s, c) for c, _ in claimed)]
            if not free:
                free = [s for s in occ
                        if not any(overlap(s, c) and t == own for c, t in claimed)]
            if free:
                result[i] = free[0]
                claimed.append((free[0], own))
        return result


def overlap(a: Span | None, b: Span | None) -> int:
    """Number of characters two half-open spans share (0 when either is None)."""
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def assign(n_rows: int, n_cols: int, weights: dict[tuple[int, int], int]) -> dict[int, int]:
    """One-to-one matching over candidate pairs: most pairs first, then most total weight.

    `weights` holds only the candidate pairs (row, col) -> weight >= 0. Returns row ->
    col. Solved exactly (Hungarian algorithm, scipy), since greedy choices can lose a pair
    that a different choice would have kept.
    """
    if not weights:
        return {}
    big = 1 + sum(weights.values())  # any extra pair outweighs every overlap
    gain = np.zeros((n_rows, n_cols))
    for (r, c), w in weights.items():
        gain[r, c] = big + w
    rows, cols = linear_sum_assignment(gain, maximize=True)
    return {int(r): int(c) for r, c in zip(rows, cols) if (int(r), int(c)) in weights}

