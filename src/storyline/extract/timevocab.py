"""Vocabulary and calendar arithmetic shared by time detection and normalisation (pure)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..lang import get_pack
from ..records import TimeValue

NO_ANCHOR = "unresolved: relative expression and no publication date to anchor it"


@dataclass(frozen=True)
class Resolution:
    """A normalised value with the note that explains it and the kind of expression.

    kind: absolute, relative, event (relative to another event), season, duration, set,
    vague ("now", "recently"), clock (a time of day with no date) or unknown.
    """

    value: TimeValue
    note: str | None
    kind: str



def relative(a: dt.date | None, fn: Callable[[dt.date], TimeValue], how: str) -> Resolution:
    """A relative resolution: None with the no-anchor note when there is no anchor."""
    if a is None:
        return Resolution(None, NO_ANCHOR, "relative")
    return Resolution(fn(a), how, "relative")



# The English words live in the English language pack (lang/en/time.vocab.json).
_VOCAB = get_pack("en").data("time.vocab")
MONTHS: dict[str, int] = dict(_VOCAB["months"])
WEEKDAYS: dict[str, int] = dict(_VOCAB["weekdays"])
WEEKDAY_NAMES: tuple[str, ...] = tuple(_VOCAB["weekday_names"])
NUMBERS: dict[str, int] = dict(_VOCAB["numbers"])
ORDINALS: dict[str, int] = dict(_VOCAB["ordinals"])
DECADE_WORDS: dict[str, int] = dict(_VOCAB["decade_words"])
# Fixed-date holidays only: movable feasts (Easter) and national days are left unresolved.
HOLIDAYS: dict[str, tuple[int, int]] = {k: (int(v[0]), int(v[1]))
                                        for k, v in _VOCAB["holidays"].items()}

# Regex pieces over lower-cased, cleaned text (see timenorm._clean).
MON = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
WD = r"(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")"
COUNT = r"(?:\d+|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"
VAGUE_COUNT = r"(?:a few|few|several|some|many|the last few|the past few)"
YEAR4 = r"(?:1[5-9]\d\d|20\d\d)"

MON_RE = re.compile(rf"\b({MON})\b")
WD_RE = re.compile(rf"\b({WD})\b")
YEAR_RE = re.compile(rf"\b({YEAR4})\b")


_LEAD = re.compile(r"^(?:in|on|at|during|by|until|till|through|throughout|from|of|around|"
                   r"about|circa|before|after|for|within|over|as of|as early as|as late as|"
                   r"no later than|sometime|some time|the night of)\s+")


_UNITS: tuple[str, ...] = tuple(_VOCAB["spelled_units"])
_TEENS: tuple[str, ...] = tuple(_VOCAB["spelled_teens"])
_TENS: tuple[str, ...] = tuple(_VOCAB["spelled_tens"])
_SPELLED_YEAR = re.compile(
    r"\b(?:(eighteen|nineteen|twenty) (?:(hundred)|(" + "|".join(_TEENS) + r")|(?:oh ("
    + "|".join(_UNITS) + r"))|(" + "|".join(_TENS) + r")(?: (" + "|".join(_UNITS) + r"))?)"
    r"|two thousand(?: and)?(?: (" + "|".join(_TEENS + _UNITS) + r"))?)\b")


def _spelled_year(m: re.Match[str]) -> str:
    """'nineteen ninety-six' -> '1996', 'two thousand' -> '2000' (broadcast transcripts)."""
    if m[1] is None:  # "two thousand (and) N"
        n = m[7]
        return str(2000 + (0 if not n else _UNITS.index(n) + 1 if n in _UNITS else
                           _TEENS.index(n) + 10))
    century = {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[m[1]]
    if m[2]:
        return str(century)
    if m[3]:
        return str(century + 10 + _TEENS.index(m[3]))
    if m[4]:
        return str(century + 1 + _UNITS.index(m[4]))
    return str(century + 20 + 10 * _TENS.index(m[5]) + (_UNITS.index(m[6]) + 1 if m[6] else 0))


def clean_expression(text: str) -> tuple[str, bool]:
    """A time expression lower-cased, without punctuation, ordinal suffixes or leading
    prepositions, spelled-out years as digits; and whether it began with 'since'."""
    t = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    t = re.sub(r"[\u2013\u2014]", "-", t)
    t = re.sub(r"\b([ap])\.m\.?", r"\1m", t)
    t = re.sub(r"(?<!\d)-|-(?!\d)", " ", t)  # keep hyphens of ISO dates and year ranges
    t = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", t)
    t = re.sub(r"'s\b", "", t)
    t = re.sub(r"[.,;:!?()\"\[\]]", " ", t)
    t = " ".join(t.split())
    t = _SPELLED_YEAR.sub(_spelled_year, t)
    since = False
    while True:
        if t.startswith("since "):
            since, t = True, t[6:]
            continue
        new = _LEAD.sub("", t)
        if new == t:
            break
        t = new
    return t, since


def weekend_pair(x: dt.date, shift: int, tense: str | None) -> list[str]:
    """A weekend as a [Saturday, Sunday] pair: 'last'/'next' strict, else by tense or nearest."""
    wd = x.weekday()
    if wd >= 5:  # said during a weekend: that one is "this weekend"
        sat = x - dt.timedelta(days=wd - 5) + dt.timedelta(days=7 * shift)
    else:
        coming = x + dt.timedelta(days=5 - wd)
        back = shift == -1 or (shift == 0 and (tense == "past" or (tense != "future" and wd < 3)))
        sat = coming - dt.timedelta(days=7) if back else coming
    return [fmt_day(sat), fmt_day(sat + dt.timedelta(days=1))]


def count_value(word: str) -> int | None:
    """The integer a count word or numeral stands for, None for vague counts."""
    word = word.strip()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def parse_anchor(anchor: str | None) -> dt.date | None:
    """The date of an ISO anchor ("2023-11-09" or a timestamp), None when not a full date."""
    if not anchor:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", anchor.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    """A date, or None when the day does not exist in that month."""
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    """(year, month) shifted by k months."""
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def fmt_day(d: dt.date) -> str:
    return d.isoformat()


def fmt_month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def fmt_week(d: dt.date) -> str:
    """The ISO week ("2023-W44") that contains `d`."""
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def weekday_date_years(weekday: str | int, month: int, day: int,
                       lo: int = 1990, hi: int = 2035) -> list[int]:
    """Years in [lo, hi] in which `month`/`day` falls on `weekday` (name or 0=Monday).

    "Tuesday, September 5" without a year fits a handful of years; the cross-document stage
    intersects these with other evidence to infer a document's date.
    """
    wd = weekday if isinstance(weekday, int) else WEEKDAYS[weekday.strip().lower().rstrip(".")]
    out = []
    for y in range(lo, hi + 1):
        d = safe_date(y, month, day)
        if d is not None and d.weekday() == wd:
            out.append(y)
    return out
