"""Normalising periods longer than a month: quarters, halves, decades, centuries, seasons.

Pure rules used by `timenorm.analyse`; a quarter or a half is a [first month, last month]
pair, a decade or a century a [first year, last year] pair. A season is a [first month,
last month] pair in the northern-hemisphere meteorological convention (spring = March-May,
summer = June-August, autumn/fall = September-November, winter = December-February, so a
winter spans two years; "the winter of 2024" is the one that begins in December 2024).
Only a season that the text places is resolved ("last summer", "this spring", "the summer
of 2024"); a bare "winter" or "the summer" may be generic and stays unresolved.
"""

from __future__ import annotations

import datetime as dt
import re

from .timevocab import (
    DECADE_WORDS,
    NO_ANCHOR,
    ORDINALS,
    YEAR4,
    Resolution,
    add_months,
    fmt_month,
    relative,
)


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


# First month of each season (meteorological, northern hemisphere).
SEASON_START: dict[str, int] = {"spring": 3, "summer": 6, "summertime": 6, "autumn": 9,
                                "fall": 9, "winter": 12, "wintertime": 12}
_SEASON_WORD = r"(?:spring|summer|summertime|autumn|fall|winter|wintertime)"
_DEICTIC = r"this past|this coming|last|next|this|past|coming|previous"
_SEASON = re.compile(
    rf"(?:the )?(?:(?:early|late|mid) )?(?:(?P<which>{_DEICTIC}) )?(?:(?:early|late|mid) )?"
    rf"(?P<season>{_SEASON_WORD})(?: season)?"
    rf"(?: (?:of )?(?:(?P<year>{YEAR4})|(?P<rel>last|this|next) year))?")
# "the 2024 summer", "last year's summer" (the possessive is gone after cleaning)
_YEAR_SEASON = re.compile(rf"(?:the )?(?:(?P<year>{YEAR4})|(?P<rel>last|this|next) year) "
                          rf"(?:(?:early|late|mid) )?(?P<season>{_SEASON_WORD})")


def _season_pair(start: int) -> list[str]:
    """The [first month, last month] pair of the season whose first month has index
    `start` (year * 12 + month - 1)."""
    y, m = divmod(start, 12)
    return [fmt_month(y, m + 1), fmt_month(*add_months(y, m + 1, 2))]


def _season_occurrence(a: dt.date, first: int, which: str, tense: str | None) -> list[str]:
    """The season starting in month `first` that `which` ("last", "next", "this") picks
    relative to the anchor: last = the latest one over before the anchor's month, next =
    the first one that begins after it, this = the one of the anchor's year ("this fall"
    said in March is the coming one, "this summer" said in November the past one); for a
    winter, which touches two years, the one containing the anchor, else the nearer (a tie
    goes to the coming one unless the verb is past)."""
    now = a.year * 12 + a.month - 1
    starts = [(a.year + k) * 12 + first - 1 for k in (-2, -1, 0, 1)]
    if which == "last":
        return _season_pair(max(s for s in starts if s + 2 < now))
    if which == "next":
        return _season_pair(min(s for s in starts if s > now))

    def dist(s: int) -> tuple[int, bool]:
        gap = 0 if s <= now <= s + 2 else min(abs(now - s), abs(now - s - 2))
        later_first = tense != "past"
        return gap, (s < now) if later_first else (s > now)

    this_year = [s for s in starts if s // 12 <= a.year <= (s + 2) // 12]
    return _season_pair(min(this_year, key=dist))


def r_season(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    """Seasons: a [first month, last month] pair when the text places the season (a year,
    or this/last/next), unresolved otherwise."""
    m = _SEASON.fullmatch(t) or _YEAR_SEASON.fullmatch(t)
    if m is None:
        if re.search(rf"\b{_SEASON_WORD}\b", t):
            return Resolution(None, "unresolved: a season that the text does not place",
                              "season")
        return None
    first = SEASON_START[m["season"]]
    if m["year"]:
        start = int(m["year"]) * 12 + first - 1
        return Resolution(_season_pair(start), "season as a month pair", "absolute")
    if m["rel"]:
        shift = {"last": -1, "this": 0, "next": 1}[m["rel"]]
        return relative(a, lambda x: _season_pair((x.year + shift) * 12 + first - 1),
                        "season of a year relative to the publication date, as a month pair")
    which = m.groupdict().get("which")
    if not which:
        return Resolution(None, "unresolved: a season that the text does not place", "season")
    which = {"this past": "last", "past": "last", "previous": "last", "this coming": "next",
             "coming": "next"}.get(which, which)
    return relative(a, lambda x: _season_occurrence(x, first, which, tense),
                    f"season nearest the publication date by '{m['which']}', as a month pair")
