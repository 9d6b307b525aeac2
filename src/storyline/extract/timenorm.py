"""Normalising a time expression against an anchor date: pure rules, no spaCy.

Values: "YYYY", "YYYY-MM", "YYYY-MM-DD", "YYYY-Www" (ISO week), a [start, end] pair of
those, or None (unresolved; the note says why). The anchor is the document's publication
date; with no anchor every relative expression stays None: we never guess.

Direction rules (news usage), `tense` is "past", "present", "future" or None:
- weekday alone: past -> the most recent such day on or before the anchor; future -> the
  next on or after it; otherwise the nearest within +-3 days. "last"/"next" are strict,
  "this" follows the tense and defaults to the coming one.
- month without year, and month-day without year: the occurrence nearest the anchor where
  one against the tense counts 6 times its distance. Past: "in September" said in November
  is this September, "in January" last January, but "in December" (one month ahead) the
  coming one: reported plans put a near-future month after a past-tense verb ("said it
  would pay on Dec. 7"). No tense: a future occurrence counts twice (news mostly reports
  what happened; the future is usually marked by "will", "next", "set to").
- "Tuesday, September 5" without a year: the year nearest the anchor in which that date
  is a Tuesday (within one year of it); with no anchor, None and the note lists the years.
- modifiers keep the granularity of their head ("late last month" -> the month, "since
  early August" -> August), except "the beginning/end of" a year -> its first/last month.
- quarters and halves -> a [first month, last month] pair; "over the past N years" ->
  a [month, month] pair ending at the anchor month; "over the past N weeks/days" -> a
  [day, day] pair; "in May and August", "between 2019 and 2021" -> a pair of the two.
- counts relative to another event ("two weeks after", "the next day") -> None.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from lunardate import LunarDate

from ..lang import get_pack
from ..records import TimeValue
from .timeperiods import r_decade, r_quarter, r_season
from .timevocab import (
    COUNT,
    HOLIDAYS,
    MON,
    MON_RE,
    MONTHS,
    NO_ANCHOR,
    VAGUE_COUNT,
    WD,
    WD_RE,
    WEEKDAY_NAMES,
    WEEKDAYS,
    YEAR4,
    YEAR_RE,
    Resolution,
    add_months,
    clean_expression,
    count_value,
    fmt_day,
    fmt_month,
    fmt_week,
    parse_anchor,
    relative,
    safe_date,
    weekday_date_years,
    weekend_pair,
)

__all__ = ["Resolution", "analyse", "normalise", "weekday_date_years"]

EMITTED_KINDS = frozenset({"absolute", "relative", "event", "season"})

Rule = Callable[[str, "dt.date | None", "str | None"], "Resolution | None"]

# How much farther an occurrence against the tense counts ("in March" said in February
# with a past-tense verb is still more often next month than a year back: reported plans).
_AGAINST_TENSE = 6


def _pick(cands: list[Any], key: Any, tense: str | None, dist: Callable[[Any], int]) -> Any:
    """The candidate occurrence nearest the anchor `key`, by weighted distance.

    Past tense: a later occurrence counts 6 times its distance; future tense: an earlier
    one does; no tense: a later one counts twice (news mostly reports what happened).
    Ties go to the earlier occurrence.
    """
    later = {"past": _AGAINST_TENSE, "future": 1}.get(tense or "", 2)
    earlier = _AGAINST_TENSE if tense == "future" else 1
    return min(cands, key=lambda c: (dist(c) * (later if c > key else earlier), c > key))


def _month_occurrence(a: dt.date, month: int, tense: str | None, which: str | None) -> str:
    key = (a.year, a.month)
    if which == "last":
        y = a.year if month < a.month else a.year - 1
    elif which == "next":
        y = a.year if month > a.month else a.year + 1
    elif which == "this":
        y = a.year
    else:
        cands = [(a.year + k, month) for k in (-1, 0, 1)]
        y = _pick(cands, key, tense, lambda c: abs((c[0] - key[0]) * 12 + c[1] - key[1]))[0]
    return fmt_month(y, month)


def _weekday_occurrence(a: dt.date, wd: int, tense: str | None, which: str | None) -> dt.date:
    diff = (wd - a.weekday()) % 7  # 0..6 days ahead
    ahead, back = a + dt.timedelta(days=diff), a - dt.timedelta(days=(7 - diff) % 7)
    if which == "last":
        return back if back < a else back - dt.timedelta(days=7)
    if which == "next":
        return ahead if ahead > a else ahead + dt.timedelta(days=7)
    if which == "this":
        return back if tense == "past" else ahead
    if tense == "past":
        return back
    if tense == "future":
        return ahead
    return ahead if diff <= 3 else back


# ---- rules, tried in order -------------------------------------------------------------

_EVENT = re.compile(
    rf"\b(?:{COUNT}|{VAGUE_COUNT}) (?:hours?|days?|weeks?|months?|years?|decades?) "
    r"(?:after|later|before|earlier|prior|on|afterwards?)\b"
    r"|\bthe (?:next|following|previous|preceding|prior) (?:day|week|month|year|morning|"
    r"afternoon|evening|night|weekend|quarter)\b"
    r"|\bthe day (?:before|after)\b(?! (?:yesterday|tomorrow))"
    r"|\b(?:that|the same) (?:day|week|month|year|morning|afternoon|evening|night)\b"
    r"|\bthe (?:year|month|week) (?:earlier|before|after)\b"
    r"|\byear (?:ago|earlier) (?:period|quarter|month)\b")


def _r_event(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    if _EVENT.search(t):
        return Resolution(None, "unresolved: relative to another event or time in the text",
                          "event")
    return None


_VAGUE = re.compile(
    r"(?:right |just |until |up to |even )?(?:now|currently|recently|lately|nowadays|"
    r"presently|soon|shortly|then|once|later|earlier|previously|formerly|immediately|"
    r"the (?:past|future|present|time|moment|meantime|end of the day|day|week|month|year)|"
    r"at present|a while|some time|sometime|these days|those days|this time|one day|"
    rf"recent (?:days|weeks|months|years|decades)|(?:the )?(?:past|last|next|coming) "
    rf"{VAGUE_COUNT} \w+|{VAGUE_COUNT} (?:days|weeks|months|years|decades) ago|"
    r"the (?:early|late|mid) (?:days|years)|years|months|weeks|days|decades|centuries)")


def _r_vague(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    if _VAGUE.fullmatch(t) or re.fullmatch(rf"(?:the )?(?:past|last|next|coming) {VAGUE_COUNT}"
                                           r" \w+", t):
        return Resolution(None, "vague reference, no point in time", "vague")
    return None


_SET = re.compile(r"^(?:each|every|per)\b|\b(?:daily|weekly|monthly|annually|yearly|nightly|"
                  r"biweekly|quarterly)\b|^(?:a|per) (?:day|week|month|year)$")


def _r_set(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    if _SET.search(t):
        return Resolution(None, "recurring time (a set), no single point", "set")
    return None


_HEAD = re.compile(rf"\b(?:{MON}|{WD}|{YEAR4}|q[1-4])\b")
_RANGE = re.compile(r"^(?:between |from )?(?P<l>.+?) (?:and|or|to|through|until|till|-) "
                    r"(?P<r>.+)$")
_YEARISH = re.compile(rf"\b(?:{YEAR4}|(?:last|this|next) year)$")


def _r_range(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = _RANGE.match(t) or re.fullmatch(rf"(?P<l>{YEAR4})-(?P<r>{YEAR4}|\d\d)", t)
    if not m or not (_HEAD.search(m["l"]) and _HEAD.search(m["r"])):
        return None
    left, right = m["l"], m["r"]
    if re.fullmatch(r"\d\d", right):  # "1998-99"
        right = left[:2] + right
    tail = _YEARISH.search(right)  # "May and August 2023": the year belongs to both
    if tail and not YEAR_RE.search(left) and MON_RE.search(left):
        left = f"{left} {tail.group(0)}"
    rl, rr = analyse(left, fmt_day(a) if a else None, tense=tense), \
        analyse(right, fmt_day(a) if a else None, tense=tense)
    if rl.kind not in ("absolute", "relative") or rr.kind not in ("absolute", "relative"):
        return None
    if not isinstance(rl.value, str) or not isinstance(rr.value, str):
        if a is None and "relative" in (rl.kind, rr.kind):
            return Resolution(None, NO_ANCHOR, "relative")
        return None
    kind = "absolute" if rl.kind == rr.kind == "absolute" else "relative"
    return Resolution([rl.value, rr.value], "pair of the two times", kind)


def _weekday_note(t: str, d: dt.date) -> str | None:
    w = WD_RE.search(t)
    if w and WEEKDAYS[w[1]] != d.weekday():
        return f"the text says {w[1]} but the date is a {WEEKDAY_NAMES[d.weekday()]}"
    return None


def _r_week_of(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = re.match(r"(?:the )?week (?:of|beginning|starting|ending) (.+)$", t)
    if not m:
        return None
    res = analyse(m[1], fmt_day(a) if a else None, tense=tense)
    if isinstance(res.value, str) and len(res.value) == 10:
        return Resolution(fmt_week(dt.date.fromisoformat(res.value)), "week of a date", res.kind)
    return Resolution(None, res.note, res.kind)


def _r_full_date(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = re.search(rf"\b({MON}) (\d{{1,2}}) ({YEAR4})\b", t)
        if m:
            y, mo, d = int(m[3]), MONTHS[m[1]], int(m[2])
        else:
            m = re.search(rf"\b(\d{{1,2}}) (?:of )?({MON}) ({YEAR4})\b", t)
            if not m:
                return None
            y, mo, d = int(m[3]), MONTHS[m[2]], int(m[1])
    day = safe_date(y, mo, d)
    if day is None:
        return None
    return Resolution(fmt_day(day), _weekday_note(t, day), "absolute")


def _r_month_year(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = re.search(rf"\b({MON}) (?:of )?({YEAR4})\b", t)
    if m:
        return Resolution(fmt_month(int(m[2]), MONTHS[m[1]]), None, "absolute")
    m = re.search(rf"\b({MON}) (?:of )?(last|this|next) year\b|\b(last|this|next) year in ({MON})\b",
                  t)
    if m:
        month = MONTHS[m[1] or m[4]]
        shift = {"last": -1, "this": 0, "next": 1}[m[2] or m[3]]
        return relative(a, lambda x: fmt_month(x.year + shift, month),
                    "month of a year relative to the publication date")
    return None


def _r_year(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = YEAR_RE.search(t)
    if m and not re.search(r"\b\d{1,2}:\d\d\b", t[: m.start()]):
        return Resolution(m[1], None, "absolute")
    return None


@functools.cache
def _word_re(words: str) -> re.Pattern[str]:
    """`words` as a whole-word expression (compiled once: the rules below try the same few
    holiday and New Year names on every time expression)."""
    return re.compile(rf"\b{re.escape(words)}\b")


@functools.cache
def _solar_re(words: str) -> re.Pattern[str]:
    """The whole expression naming the solar New Year `words` (with its year, if any)."""
    return re.compile(rf"(?:the )?{re.escape(words)}(?: (?:in )?\d{{4}})?")


_MONTH_DAY = re.compile(rf"\b({MON}) (\d{{1,2}})\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) (?:of )?({MON})\b")


def _month_day(t: str) -> tuple[int, int] | None:
    m = _MONTH_DAY.search(t) or _DAY_MONTH.search(t)
    if m:
        mon, day = (m[1], m[2]) if not m[1].isdigit() else (m[2], m[1])
        return MONTHS[mon], int(day)
    for name, md in HOLIDAYS.items():  # (as clean_expression writes it: "new year day")
        if _word_re(name.replace(chr(39) + 's', '')).search(t):
            return md
    return None


def _r_month_day(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    md = _month_day(t)
    if md is None or (safe_date(2024, *md) is None):
        return None
    month, day = md
    w = WD_RE.search(t)
    if a is None:
        if w:
            years = weekday_date_years(WEEKDAYS[w[1]], month, day)
            return Resolution(None, f"{NO_ANCHOR}; {WEEKDAY_NAMES[WEEKDAYS[w[1]]]} "
                              f"{month:02d}-{day:02d} falls in {years}", "relative")
        return Resolution(None, NO_ANCHOR, "relative")
    cands = [d for d in (safe_date(a.year + k, month, day) for k in (-1, 0, 1)) if d]
    if w:
        fit = [d for d in cands if d.weekday() == WEEKDAYS[w[1]]]
        if fit:
            best = min(fit, key=lambda d: abs((d - a).days))
            return Resolution(fmt_day(best), "year fixed by the weekday nearest the "
                              "publication date", "relative")
    best = _pick(cands, a, tense, lambda d: abs((d - a).days))
    note = "year from the publication date and tense"
    if w:
        note += "; " + (_weekday_note(t, best) or "")
    return Resolution(fmt_day(best), note, "relative")


_UNIT_RE = r"(day|week|month|year|decade)s?"


def _shift(a: dt.date, n: int, unit: str) -> TimeValue:
    if unit == "day":
        return fmt_day(a + dt.timedelta(days=n))
    if unit == "week":
        return fmt_week(a + dt.timedelta(days=7 * n))
    if unit == "month":
        return fmt_month(*add_months(a.year, a.month, n))
    return str(a.year + n * (10 if unit == "decade" else 1))


def _r_ago(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = re.search(rf"\b({COUNT}) {_UNIT_RE} (ago|from now|hence)\b", t)
    if not m:
        return None
    n = count_value(m[1])
    if n is None:
        return None
    sign = -1 if m[3] == "ago" else 1
    return relative(a, lambda x: _shift(x, sign * n, m[2]), f"{m[2]}s counted from the publication date")


def _r_past_range(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = re.search(rf"\b(?:(the) )?(past|last|previous|coming|next) (?:({COUNT}) )?{_UNIT_RE}\b", t)
    if not m or not (m[1] or m[3] or m[2] == "past"):
        return None
    if m[2] in ("coming", "next") and not m[3]:
        return None  # "the coming week" is next week (a unit, below)
    if not m[3] and m[0].endswith("s"):
        return Resolution(None, "vague reference, no point in time", "vague")  # "past years"
    n = count_value(m[3]) if m[3] else 1
    if n is None:
        return None
    unit, sign = m[4], (-1 if m[2] in ("past", "last", "previous") else 1)

    def pair(x: dt.date) -> TimeValue:
        if unit in ("day", "week"):
            other = x + dt.timedelta(days=sign * n * (7 if unit == "week" else 1))
            ends = [fmt_day(other), fmt_day(x)]
        else:
            months = n * {"month": 1, "year": 12, "decade": 120}[unit]
            ends = [fmt_month(*add_months(x.year, x.month, sign * months)), fmt_month(x.year, x.month)]
        return ends if sign < 0 else ends[::-1]

    return relative(a, pair, "period ending (or starting) at the publication date")


def _r_deictic(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    table = ((r"\bthe day before yesterday\b", -2), (r"\bthe day after tomorrow\b", 2),
             (r"\b(?:yesterday|last night)\b", -1), (r"\btomorrow\b", 1),
             ((r"\b(?:today|tonight|this (?:morning|afternoon|evening)|(?:later|earlier) in the "
              r"day|(?:later|earlier) today)\b"), 0))
    for pat, n in table:
        if re.search(pat, t):
            return relative(a, lambda x, n=n: fmt_day(x + dt.timedelta(days=n)),
                        "day counted from the publication date")
    return None


def _r_weekday(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = re.search(rf"\b(?:(this past|this coming|last|next|this|past|coming) )?"
                  rf"(?:(?:early|late|mid) )?({WD})\b", t)
    if not m:
        return None
    which = {"this past": "last", "past": "last", "this coming": "next", "coming": "next"}.get(
        m[1] or "", m[1])
    wd = WEEKDAYS[m[2]]
    how = f"{WEEKDAY_NAMES[wd]} nearest the publication date by " + (
        f"'{m[1]}'" if m[1] else f"{tense or 'no'} tense")
    return relative(a, lambda x: fmt_day(_weekday_occurrence(x, wd, tense, which)), how)


# "earlier in the week" is the anchor's week, like "earlier this week" (news usage: the
# week, month or year of the report).
_POS = r"the beginning of|the start of|the end of|the middle of|the turn of|beginning of|" \
       r"start of|end of|middle of|earlier in|later in|early|late|mid|earlier|later"


def _r_unit(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = re.search(rf"\b(?:({_POS}) )?(this|last|next|the current|the coming|the previous|"
                  r"the present|current|previous|coming|the) (week|weekend|month|year)\b", t)
    if not m or (m[2] == "the" and not m[1] and m[3] != "weekend"):
        return None
    shift = {"last": -1, "previous": -1, "the previous": -1, "next": 1, "coming": 1,
             "the coming": 1}.get(m[2], 0)
    pos, unit = (m[1] or ""), m[3]

    def value(x: dt.date) -> TimeValue:
        if unit == "week":
            return fmt_week(x + dt.timedelta(days=7 * shift))
        if unit == "month":
            return fmt_month(*add_months(x.year, x.month, shift))
        if unit == "year":
            y = x.year + shift
            if pos.endswith(("beginning of", "start of")):
                return fmt_month(y, 1)
            if pos.endswith("end of"):
                return fmt_month(y, 12)
            return str(y)
        return weekend_pair(x, shift, tense)

    return relative(a, value, f"{unit} relative to the publication date")


def _r_month(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    m = re.search(rf"\b(?:(last|next|this) )?(?:(?:early|late|mid) )?({MON})\b", t)
    if not m:
        return None
    month = MONTHS[m[2]]
    how = "month nearest the publication date by " + (f"'{m[1]}'" if m[1] else
                                                       f"{tense or 'no'} tense")
    return relative(a, lambda x: _month_occurrence(x, month, tense, m[1]), how)


def _r_duration(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    if re.search(rf"\b(?:{COUNT}|{VAGUE_COUNT}|\d+ (?:to|or) \d+|half an?)(?: more)? "
                 r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)"
                 r"|nights?|quarters?)\b", t):
        return Resolution(None, "a duration, no point in time", "duration")
    return None


def _r_clock(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    if re.search(r"\b\d{1,2}(?: \d\d)? ?[ap]m\b|\bnoon\b|\bmidnight\b|\b\d{1,2} \d\d\b|"
                 r"\b(?:morning|afternoon|evening|night|overnight)\b", t):
        return Resolution(None, "a time of day without a date", "clock")
    return None


_NEW_YEAR = get_pack("en").data("time.vocab", {}).get("new_year", {})


def _r_new_year(t: str, a: dt.date | None, tense: str | None) -> Resolution | None:
    """ "lunar New Year's Day in 2024": 2024-02-10 (the lunar calendar's first day); "the New
    Year 2024", "greetings on the new year": the year (the one named, else the publication
    year, the next one late in the year)."""
    words = _NEW_YEAR
    if not words:
        return None
    year_m = YEAR_RE.search(t)
    named = int(year_m[1]) if year_m else None
    for name in words.get("lunar", ()):
        if _word_re(name).search(t):
            if named is None and a is None:
                return Resolution(None, NO_ANCHOR, "relative")
            if named is not None:
                day = LunarDate(named, 1, 1).to_solar_date()
            else:  # the one nearest the publication date
                assert a is not None
                day = min((LunarDate(y, 1, 1).to_solar_date() for y in (a.year - 1, a.year, a.year + 1)),
                          key=lambda d: abs((d - a).days))
            return Resolution(day.isoformat(), "the Lunar New Year (lunar calendar)",
                              "absolute" if named is not None else "relative")
    if any(_word_re(n).search(t) for n in words.get("not_solar", ())):
        return None  # New Year's Day, New Year's Eve: fixed holidays
    # the whole expression: not "a new year-long"
    if any(_solar_re(n).fullmatch(t) for n in words.get("solar", ())):
        if named is not None:
            return Resolution(str(named), "the New Year named", "absolute")
        if a is None:
            return Resolution(None, NO_ANCHOR, "relative")
        year = a.year + (1 if a.month >= int(words.get("next_year_from_month", 13)) else 0)
        return Resolution(str(year), "the New Year of the publication date", "relative")
    return None


RULES: tuple[Rule, ...] = (
    _r_new_year, r_quarter, _r_event, _r_vague, _r_set, _r_week_of, _r_range, _r_full_date, _r_month_year, r_decade,
    r_season, _r_year, _r_month_day, _r_ago, _r_past_range, _r_deictic, _r_weekday, _r_unit,
    _r_month, _r_duration, _r_clock,
)


def analyse(text: str, anchor: str | None, *, tense: str | None = None) -> Resolution:
    """Normalise `text` against the ISO `anchor` date; the kind says what it is."""
    t, since = clean_expression(text)
    if since and tense is None:
        tense = "past"  # "since early August": the start lies before the anchor
    a = parse_anchor(anchor)
    for rule in RULES:
        res = rule(t, a, tense)
        if res is not None:
            if since and res.value is not None and res.kind != "event":
                return Resolution(res.value, "start of the period ('since')"
                                  + (f"; {res.note}" if res.note else ""), res.kind)
            return res
    return Resolution(None, "unresolved: not a recognised time expression", "unknown")


def normalise(text: str, anchor: str | None, *,
              tense: str | None = None) -> tuple[TimeValue, str | None]:
    """(value, note) for a time expression against the publication date `anchor`.

    `tense` ("past", "present", "future" or None) of the governing verb decides the
    direction of a bare weekday or month; an absolute date needs no anchor.
    """
    res = analyse(text, anchor, tense=tense)
    if res.kind == "unknown" or not text.isascii():  # in another language's words?
        from .mltimes import normalise_other

        other = normalise_other(text, anchor)
        if other is not None:
            return other
    return res.value, res.note
