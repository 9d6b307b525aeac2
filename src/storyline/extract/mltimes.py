"""Time expressions in any language, from the language pack's date words (no parse needed).

The pack gives the words (`dates.json`, generated from dateparser's CLDR data: month and
weekday names, "hier", "지난달", "今年") and the hand-kept rest (`times.json`: the cue
words before a month or a year, the date units of the CJK scripts, words for "that same
day", clock patterns). The shapes are shared by every language: day month [year], month
year, year-unit month-unit day-unit, numeric dates, a cue then a month or a year, relative
days, months and years, weekdays. Values are resolved against the publication date; when
there is none, a "YYYY-MM" page stamp in the first line still places a bare day ("19日").
Nothing is emitted that names no point in time (durations, "over the last four months").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from ..lang import LanguagePack, get_pack
from ..records import TimeMention, TimeValue
from .timevocab import add_months, fmt_day, fmt_month, parse_anchor, safe_date

__all__ = ["find_times", "month_context", "normalise_other", "weekday_of"]

_Y = r"((?:19|20)\d\d)"
_STAMP = re.compile(r"^\s*(?:date\s+)?((?:19|20)\d\d)-(\d\d)(?![-\d])")


@dataclass(frozen=True)
class _Anchor:
    day: dt.date | None  # the publication date
    year: int | None  # the year and month known without a day (a page stamp)
    month: int | None


def month_context(text: str) -> tuple[int, int] | None:
    """(year, month) of a "YYYY-MM" page stamp opening the text, else None."""
    m = _STAMP.match(text[:40])
    return (int(m[1]), int(m[2])) if m else None


def _alt(words: Any) -> str:
    forms = sorted({re.escape(str(w)) for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(forms) + ")" if forms else "(?!x)x"


@dataclass(frozen=True)
class _Rules:
    months: dict[str, int]
    weekdays: dict[str, int]
    rel: dict[str, dict[str, int]]  # unit -> word -> offset
    patterns: list[tuple[str, re.Pattern[str]]]


def _lower_keys(table: Any) -> dict[str, int]:
    return {str(k).lower(): int(v) for k, v in (table or {}).items()}


@functools.lru_cache(maxsize=32)
def _rules(code: str) -> _Rules:
    pack = get_pack(code)
    dates = pack.data("dates", {}) or {}
    extra = pack.data("times", {}) or {}
    months = _lower_keys(dates.get("months"))
    weekdays = _lower_keys(dates.get("weekdays"))
    rel: dict[str, dict[str, int]] = {}
    for unit in ("day", "month", "year"):
        rel[unit] = {**_lower_keys((dates.get("relative") or {}).get(unit)),
                     **_lower_keys((extra.get("relative") or {}).get(unit))}
    b = r"(?<![\w])" if pack.script in ("Latn", "Cyrl") else ""
    e = r"(?![\w])" if pack.script in ("Latn", "Cyrl") else ""
    mon, wd = _alt(months), _weekday_alt(weekdays, pack.script in ("Latn", "Cyrl"))
    ry, rm, rd = _alt(rel["year"]), _alt(rel["month"]), _alt(rel["day"])
    units = extra.get("units") or {}
    yu, mu, du = (re.escape(units.get(k, "")) for k in ("year", "month", "day"))
    year_suffix = _alt(extra.get("year_suffix", []))
    p: list[tuple[str, str]] = []
    if du:  # CJK and Korean: 2023년 9월 13일, 6月19日, 지난해 9월, 다음달 30일, 19日
        p += [("ymd", rf"{_Y}\s*{yu}\s*(\d{{1,2}})\s*{mu}\s*(\d{{1,2}})\s*{du}"),
              ("rym", rf"({ry})\s*(\d{{1,2}})\s*{mu}"),
              ("ym", rf"{_Y}\s*{yu}\s*(\d{{1,2}})\s*{mu}(?!\s*\d)"),
              ("md", rf"(?<!\d)(\d{{1,2}})\s*{mu}\s*(\d{{1,2}})\s*{du}"),
              ("rmd", rf"({rm})\s*(\d{{1,2}})\s*{du}"),
              ("rmend", rf"({rm})\s*{_alt(extra.get('month_end', []))}"),
              ("pd", rf"({_alt(extra.get('past_day', []))})\s*(\d{{1,2}})\s*{du}"),
              # "어제(28일)": the day in brackets says which day the relative word is
              ("rdd", rf"(?:{rd})\s*[(（]\s*(\d{{1,2}})\s*{du}\s*[)）]"),
              ("d", rf"(?<![\d.])(\d{{1,2}})\s*{du}"),
              # a month alone ("8월 이후", "8月以降", "自8月以来"): not "3개월", "3か月"
              ("bm", rf"(?<![\d.])(\d{{1,2}})\s*{mu}(?!\s*\d)"),
              ("y", rf"{_Y}\s*{yu}")]
    if months:  # 13 сентября 2023 (года), 19 juin, 13. September 2023, 30 апреля следующего года
        p += [("dmy", (rf"{b}(\d{{1,2}})\.?\s+({mon}){e}\.?(?:\s+{_Y}(?:\s*{year_suffix})?"
                      rf"|\s+({ry}){e})?")),
              ("my", rf"{b}({mon}){e}\.?\s+{_Y}"),
              ("cm", rf"{b}{_alt(extra.get('month_cues', []))}\s+({mon}){e}")]
    p += [("iso", r"(?<!\d)((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
          ("dmy_num", r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)(?!\d)"),
          ("cy", rf"{b}{_alt(extra.get('year_cues', []))}\s+{_Y}(?:\s*{year_suffix})?(?!\d)"),
          ("rd", rf"{b}({rd}){e}"),
          ("rm", rf"{b}({rm}){e}"),
          ("ry", rf"{b}({ry}){e}"),
          ("same", rf"{b}{_alt(extra.get('same_day', []))}{e}"),
          ("clock", extra.get("clock") or r"(?!x)x"),
          ("wd", rf"{b}(?:{_alt(extra.get('weekday_cues', []))}\s+)?({wd}){e}")]
    return _Rules(months, weekdays, rel,
                  [(k, re.compile(rx, re.IGNORECASE)) for k, rx in p])


def _weekday_alt(weekdays: dict[str, int], spaced: bool) -> str:
    """Weekday names; in a spaced script an abbreviation (under four letters, or the start
    of a longer name of that day: "mit", "die", "sam", "серед") only with its full stop:
    bare, it is a common word ("mit", "die", "серед" = with, the, among)."""
    if not spaced:
        return _alt(weekdays)
    full, short = [], []
    for w, i in weekdays.items():
        longer = any(o != w and o.startswith(w) and j == i for o, j in weekdays.items())
        (short if len(w) < 4 or longer else full).append(w)
    abbr = "|".join(re.escape(w) for w in sorted(short, key=len, reverse=True))
    return "(?:" + _alt(full) + (rf"|(?:{abbr})\." if abbr else "") + ")"


def _month_of(rules: _Rules, word: str) -> int | None:
    return rules.months.get(word.lower().rstrip("."))


def _resolve(kind: str, g: tuple[str | None, ...], rules: _Rules, a: _Anchor) -> TimeValue:
    """The value of one match (None when nothing anchors it)."""
    ay = a.day.year if a.day else a.year
    am = a.day.month if a.day else a.month

    def day(y: int | None, m: int | None, d: int) -> str | None:
        if y is None or m is None:
            return None
        x = safe_date(y, m, d)
        return fmt_day(x) if x else None

    if kind in ("ymd", "iso"):
        return day(int(g[0]), int(g[1]), int(g[2]))  # type: ignore[arg-type]
    if kind == "dmy_num":
        return day(int(g[2]), int(g[1]), int(g[0]))  # type: ignore[arg-type]
    if kind in ("ym",):
        return fmt_month(int(g[0]), int(g[1]))  # type: ignore[arg-type]
    if kind == "y" or kind == "cy":
        return g[0]
    if kind == "md":
        return day(ay, int(g[0]), int(g[1]))  # type: ignore[arg-type]
    if kind == "dmy":
        m = _month_of(rules, g[1] or "")
        y = int(g[2]) if g[2] else (ay + rules.rel["year"][g[3].lower()]
                                    if g[3] and ay else ay)
        return day(y, m, int(g[0]))  # type: ignore[arg-type]
    if kind == "my":
        m = _month_of(rules, g[0] or "")
        return fmt_month(int(g[1]), m) if m else None  # type: ignore[arg-type]
    if kind == "cm":
        m = _month_of(rules, g[0] or "")
        return fmt_month(ay, m) if m and ay else None
    if kind == "bm":
        m = int(g[0])  # type: ignore[arg-type]
        return fmt_month(ay, m) if ay and 1 <= m <= 12 else None
    if kind == "rym":
        off = rules.rel["year"].get((g[0] or "").lower())
        return fmt_month(ay + off, int(g[1])) if ay and off is not None else None  # type: ignore[arg-type]
    if kind in ("rmd", "rmend", "rm"):
        off = rules.rel["month"].get(" ".join((g[0] or "").lower().split()))
        if off is None or ay is None or am is None:
            return None
        y, m = add_months(ay, am, off)
        return day(y, m, int(g[1])) if kind == "rmd" else fmt_month(y, m)  # type: ignore[arg-type]
    if kind == "ry":
        off = rules.rel["year"].get((g[0] or "").lower())
        return str(ay + off) if ay and off is not None else None
    if kind in ("d", "rdd"):
        return day(ay, am, int(g[0]))  # type: ignore[arg-type]
    if kind == "pd":  # "지난 22일": the last 22nd on or before the anchor
        if ay is None or am is None:
            return None
        d = int(g[1])  # type: ignore[arg-type]
        y, m = (ay, am) if not a.day or d <= a.day.day else add_months(ay, am, -1)
        return day(y, m, d)
    if a.day is None:
        return None
    if kind == "rd":
        off = rules.rel["day"].get((g[0] or "").lower())
        return fmt_day(a.day + dt.timedelta(days=off)) if off is not None else None
    if kind in ("same", "clock"):
        return fmt_day(a.day)
    if kind == "wd":  # the last such weekday on or before the anchor (news reports the past)
        wd = rules.weekdays.get((g[0] or "").lower().rstrip("."))
        if wd is None:
            return None
        return fmt_day(a.day - dt.timedelta(days=(a.day.weekday() - wd) % 7))
    return None


def find_times(text: str, pack: LanguagePack | str, anchor: str | None) -> list[TimeMention]:
    """The time expressions of `text` (in the pack's language), in text order."""
    code = pack if isinstance(pack, str) else pack.code
    rules = _rules(code)
    ctx = month_context(text)
    day = parse_anchor(anchor)
    a = _Anchor(day, ctx[0] if ctx else None, ctx[1] if ctx else None)
    found: list[tuple[int, int, str, tuple[str | None, ...]]] = []
    for kind, rx in rules.patterns:
        for m in rx.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), kind, m.groups()))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))  # longest first, no overlaps
    kept: list[tuple[int, int, str, tuple[str | None, ...]]] = []
    for f in found:
        if all(f[1] <= k[0] or f[0] >= k[1] for k in kept):
            kept.append(f)
    out = []
    for s, e, kind, groups in sorted(kept):
        value = _resolve(kind, groups, rules, a)
        if kind in ("cm", "bm") and isinstance(value, str):
            value = _past_month(text, s, e, value, code, a)
        if value is None and kind in ("wd", "rd", "rdd", "same", "clock", "d", "pd", "rm", "ry",
                                      "rmd", "rmend", "rym", "cm", "bm", "md"):
            note = "unresolved: relative expression and no publication date to anchor it"
            out.append(TimeMention(text=text[s:e], start=s, end=e, value=None, anchor=None,
                                   note=note))
            continue
        absolute = kind in ("ymd", "iso", "dmy_num", "ym", "y", "cy", "my") or (
            kind == "dmy" and groups[2])
        out.append(TimeMention(text=text[s:e], start=s, end=e, value=value,
                               anchor="absolute" if absolute else (
                                   "published" if day else "page month"),
                               note=None))
    return out


_SENTENCE_END = re.compile(r"[.!?。！？\n]")


@functools.lru_cache(maxsize=32)
def _past_cues(code: str) -> re.Pattern[str] | None:
    pack = get_pack(code)
    words = (pack.data("times", {}) or {}).get("past_cues") or []
    if not words:
        return None
    b, e = (r"(?<![\w])", r"(?![\w])") if pack.script in ("Latn", "Cyrl") else ("", "")
    return re.compile(b + _alt(words) + e, re.IGNORECASE)


def _past_month(text: str, s: int, e: int, value: str, code: str, a: _Anchor) -> str:
    """A month named without its year ("im September") is in the anchor's year, unless it
    comes after the anchor's month and its sentence speaks of the past ("zuletzt",
    "hatten": `times.json` past_cues): then the year before."""
    am = a.day.month if a.day else a.month
    rx = _past_cues(code)
    if rx is None or am is None or int(value[5:7]) <= am:
        return value
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, s)]
    stop = _SENTENCE_END.search(text, e)
    if rx.search(text, starts[-1] if starts else 0, stop.start() if stop else len(text)):
        return f"{int(value[:4]) - 1:04d}{value[4:]}"
    return value


def normalise_other(text: str, anchor: str | None) -> tuple[TimeValue, str | None] | None:
    """(value, note) of an expression in the words of a non-English pack ("19日", "hier",
    "어제(28일)") that covers the whole of it, for callers that do not know its language
    (the linker reads an event's time again against candidate dates); None if none does."""
    from ..lang import available

    expr = text.strip()
    if not expr:
        return None
    for code in available():
        if code == "en":
            continue
        for t in find_times(expr, code, anchor):
            if t.end - t.start >= 0.6 * len(expr):
                return t.value, t.note
    return None


def weekday_of(text: str) -> int | None:
    """The weekday (0 = Monday) an expression in a non-English pack's words names by itself
    ("am Mittwoch", "в среду", "jeudi"), else None (a date, a relative day, no weekday)."""
    from ..lang import available

    expr = text.strip()
    for code in available():
        if code == "en":
            continue
        rules = _rules(code)
        for kind, rx in rules.patterns:
            if kind == "wd" and (m := rx.fullmatch(expr)):
                return rules.weekdays.get((m.group(1) or "").lower().rstrip("."))
    return None
