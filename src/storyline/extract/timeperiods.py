"""Normalising periods longer than a month: quarters, halves, decades, centuries, seasons.

Pure rules used by `timenorm.analyse`; a quarter or a half is a [first month, last month]
pair, a decade or a century a [first year, last year] pair. Seasons stay unresolved: their
months depend on the hemisphere and on the convention (meteorological or astronomical).
"""

from __future__ import annotations

import datetime as dt
import re

from .timevocab import DECADE_WORDS, NO_ANCHOR, ORDINALS, YEAR4, Resolution, fmt_month


def r_quarter(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    """Quarters and halves: "the third quarter", "Q3 2023", "the first half of 1990"."""
    m = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th|final|last|current|latest|"
                  r"this|next|previous) (?:fiscal )?(quarter|half)\b|\bq([1-4])\b|\b([12])h\b", t)
    if not m:
        return None
    word, unit = (m[1], m[2]) if m[1] else ((m[3] and "q" + m[3]), "quarter") if m[3] else \
        (m[4] + "h", "half")
    if word in ("next", "previous") and t.startswith("the "):
        return None  # "the previous quarter": relative to the quarter under discussion
    ordinal = ORDINALS.get(word) or (int(word[1]) if word.startswith("q") else None) or \
        (int(word[0]) if word.endswith("h") else None)
    if re.search(r"\d0s\b|\bcentury\b", t):
        return None  # "the last half of the '80s": a part of a decade
    if word == "final" or (word == "last" and re.search(rf"\bof (?:fiscal )?{YEAR4}\b", t)):
        ordinal = 4 if unit == "quarter" else 2  # "the last half of 1989"
    size = 3 if unit == "quarter" else 6
    y_abs = re.search(rf"\b({YEAR4})\b", t)
    y_rel = re.search(r"\b(last|this|next) year\b", t)

    def value(y: int, n: int) -> list[str]:
        return [fmt_month(y, size * n - size + 1), fmt_month(y, size * n)]

    if ordinal and y_abs:
        return Resolution(value(int(y_abs[1]), ordinal), f"{unit} as a month pair", "absolute")
    if a is None:
        return Resolution(None, NO_ANCHOR, "relative")
    cur = (a.month - 1) // size + 1
    if ordinal:
        if y_rel:
            y = a.year + {"last": -1, "this": 0, "next": 1}[y_rel[1]]
        elif re.search(r"\byear (?:ago|earlier)\b", t):  # "the year-ago third quarter"
            y = (a.year if ordinal <= cur else a.year - 1) - 1
        else:  # a reported quarter is the latest that has begun by the anchor
            y = a.year if ordinal <= cur else a.year - 1
        return Resolution(value(y, ordinal), f"{unit} as a month pair", "relative")
    # "the latest quarter" is the last one completed (the one a report covers)
    shift = {"last": -1, "previous": -1, "latest": -1, "next": 1, "current": 0,
             "this": 0}.get(word)
    if shift is None:
        return Resolution(None, "unresolved: which quarter is not said", "relative")
    y, n = divmod((a.year * (12 // size) + cur - 1) + shift, 12 // size)
    return Resolution(value(y, n + 1), f"{unit} as a month pair", "relative")


def r_decade(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    """Decades and centuries: "the 1990s", "the '80s", "the nineties", "the 20th century"."""
    m = re.search(r"\b(1[0-9]|20)(\d)0s\b", t)
    if m:
        start = int(m[1] + m[2] + "0")
        return Resolution([str(start), str(start + 9)], "decade as a year pair", "absolute")
    m = re.search(r"'(\d)0s\b", t) or re.search(r"\b(" + "|".join(DECADE_WORDS) + r")\b", t)
    if m:
        tens = int(m[1]) * 10 if m[1].isdigit() else DECADE_WORDS[m[1]]
        start = 1900 + tens
        if a is not None and start > a.year:
            start -= 100
        return Resolution([str(start), str(start + 9)], "decade as a year pair", "absolute")
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)? century\b", t)
    if m:
        start = (int(m[1]) - 1) * 100
        return Resolution([f"{start:04d}", f"{start + 99:04d}"], "century as a year pair",
                          "absolute")
    return None


def r_season(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    """Seasons: recognised, left unresolved."""
    if re.search(r"\b(?:spring|summer|fall|autumn|winter|summertime|wintertime)\b", t):
        return Resolution(None, "unresolved: seasons are not normalised", "season")
    return None
