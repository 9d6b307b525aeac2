"""More evidence for the date of an undated article, each a window of publication dates.

`dates.py` holds the first two kinds of evidence (weekday-date pairs, and a relative
expression said of a merged event that dated articles fix) and the decision. This module
adds four, built from what the extractor stored for the article (its events, the time
mentions whose value is None for want of an anchor, their texts and offsets):

3. Candidate anchors. A relative expression the article attaches to a merged event
   ("last week", "two days ago", "earlier this week", "last Thursday") is read again by
   the time normaliser against every candidate publication date, from two weeks before
   the date the dated articles give the event to two weeks after; the window is the
   candidates for which it resolves to a value overlapping that date (allowing the
   merge's own tolerance when none overlaps exactly). An expression whose value does not
   change with the anchor (an absolute date, a count from another event) says nothing
   about the publication date and gives no window; one that fits no candidate gives an
   empty window: the evidence disagrees and the date stays open.
4. "<N> day(s) after <event>" ("a day after officials met in Seoul"): the article's
   happening is N days after a merged event dated D elsewhere; reported in the past or
   present it is published on or after D+N (within the same two weeks).
5. "<Weekday>'s <happening>" ("Wednesday's talks", "Friday's drills"): the possessive names
   a merged event of the article of that kind (the event lexicon's noun -> subtype); when
   the dated articles put it on a day of that weekday, the phrase counts as "on Wednesday"
   said of it, in the tense of its own clause.
6. Weekday pick (`weekday_pick`): windows from rules 3 and 4 and from "last week" /
   "this month" are ranges that fix no day. When their intersection is at most seven days,
   each weekday the article names in a past- or present-tense clause ("was seen on
   Thursday morning", "officials said on Thursday", "Wednesday's talks") is read as the
   day of that name inside it (news names a day of the week just past by its weekday), so
   the article is published on or after the latest of them; a weekday named in a future
   clause ("will meet on Friday") bounds it from above. The latest named day is chosen:
   it is the earliest day every expression allows, and a same-day report names its own
   weekday ("officials said on Thursday" in Thursday's report). No named weekday inside
   the window, or a future one before it: the date stays open.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from .common import Interval, gap_days, interval, value_key
from .tenses import Tenses

CANDIDATE_DAYS = 14  # candidates: this many days either side of the event's date
MAX_SPAN_DAYS = 120  # a coarser date (a year) says nothing a candidate test can use
_DAY = dt.timedelta(days=1)

WEEKDAY_INDEX = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
                 "saturday": 5, "sunday": 6}
_BARE_WEEKDAY = re.compile(
    r"^(?:on\s+|by\s+|from\s+|since\s+|early\s+|late\s+|(?:early|late)\s+on\s+)?"
    r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:['\u2019]s)?(?:\s+(?:morning|afternoon|evening|night|overnight))?$", re.IGNORECASE)
_MODIFIED = re.compile(r"\b(?:last|next|this|past|coming|previous|following)\s+$",
                       re.IGNORECASE)
_POSSESSIVE = re.compile(
    r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)['\u2019]s\s+"
    r"(?P<w1>[a-z-]+)(?:\s+(?P<w2>[a-z-]+))?")
_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "the": 1}
_AFTER = re.compile(
    r"\b(?P<n>a|an|one|two|three|four|five|six|seven|\d{1,2}|the)\s+(?P<unit>day|days|week|"
    r"weeks)\s+after\s+(?:the\s+)?$", re.IGNORECASE)
# nouns for happenings when the event lexicon cannot be read
_FALLBACK_NOUNS = {"talks": {"meeting", "summit"}, "meeting": {"meeting", "summit"},
                   "summit": {"summit", "meeting"}, "visit": {"visit"}, "trip": {"visit"},
                   "sanctions": {"sanctions_designation"}, "drills": {"military_exercise"},
                   "exercise": {"military_exercise"}, "launch": {"satellite_launch",
                                                                 "weapons_test"}}
COMPATIBLE = {"meeting": {"summit"}, "summit": {"meeting"}}


@dataclass
class Window:
    """Possible publication dates from one piece of evidence. `decides`: the window's own
    rule names the day to choose in it (its first day, its last when all is future);
    ranges such as "last week" do not, and need a weekday pick (rule 6)."""

    lo: dt.date
    hi: dt.date
    future: bool
    reason: str
    decides: bool = True

    @classmethod
    def never(cls, reason: str) -> Window:
        """An empty window: this evidence fits no date near the others."""
        return cls(dt.date.max, dt.date.min, False, reason, False)


@functools.lru_cache(maxsize=1)
def happening_nouns() -> dict[str, frozenset[str]]:
    """Noun -> event subtypes it can name, from the extractor's event lexicon."""
    from ..extract.lexicon import load_lexicon  # the one loader of the event lexicon

    try:
        lexicon = load_lexicon()
        frames = lexicon.frames
        out: dict[str, set[str]] = {}
        for noun, spec in lexicon.nouns.items():
            frame = frames.get(spec.get("frame"), {})
            subs = {frame.get("default")} | set((frame.get("by_item") or {}).values())
            subs.discard(None)
            for s in list(subs):
                subs |= COMPATIBLE.get(s, set())
            if subs:
                out[noun.lower()] = subs
    except (OSError, ValueError, ModuleNotFoundError, AttributeError):
        out = {}
    out = out or {k: set(v) for k, v in _FALLBACK_NOUNS.items()}
    return {k: frozenset(v) for k, v in out.items()}


def _days(ivs: list[Interval]) -> list[dt.date]:
    return sorted({iv[0] for iv in ivs if iv[0] == iv[1]})


def anchor_test_window(expr: str, ivs: list[Interval], tense: str, what: str,
                       tolerance: int = 1) -> Window | None:
    """Rule 3: the candidate publication dates against which `expr`, said of an event that
    dated articles put at `ivs`, resolves to a value overlapping them."""
    from ..extract.timenorm import normalise

    lo = min(iv[0] for iv in ivs) - dt.timedelta(days=CANDIDATE_DAYS)
    hi = max(iv[1] for iv in ivs) + dt.timedelta(days=CANDIDATE_DAYS)
    if (hi - lo).days > MAX_SPAN_DAYS:
        return None
    arg = tense if tense in ("past", "future") else None
    values: set[str] = set()
    gaps: list[tuple[dt.date, int]] = []
    c = lo
    while c <= hi:
        value, _ = normalise(expr, c.isoformat(), tense=arg)
        values.add(value_key(value))
        jv = interval(value)
        if jv is not None:
            gaps.append((c, min(gap_days(jv, iv) for iv in ivs)))
        c += _DAY
    if len(values) < 2:
        return None  # the same value whatever the anchor: nothing about the date
    said = f"'{expr}' for {what}"
    for allowed, how in ((0, ""), (tolerance, f", within {tolerance} day(s)")):
        ok = [c for c, g in gaps if g <= allowed]
        if ok:
            return Window(ok[0], ok[-1], tense == "future",
                          f"{said} resolves to the date other articles give it{how} when "
                          f"published {ok[0]} to {ok[-1]}", False)
    return Window.never(f"{said} resolves to no date other articles give it")


def after_window(text: str, tenses: Tenses, ev: dict[str, Any], ivs: list[Interval],
                 what: str) -> Window | None:
    """Rule 4: "a day after <event>" -> published on or after the event's date + N."""
    start = ev.get("start")
    if not isinstance(start, int) or start <= 0:
        return None
    m = _AFTER.search(text[max(0, start - 40):start])
    days = _days(ivs)
    if m is None or len(days) != 1:
        return None
    n = int(m["n"]) if m["n"].isdigit() else _COUNT[m["n"].lower()]
    if m["n"].lower() == "the" and m["unit"].lower().endswith("s"):
        return None  # "the days after": no count
    if m["unit"].lower().startswith("week"):
        n *= 7
    at = max(0, start - 40) + m.start()
    if tenses.clause(at, start) == "future" or tenses.sentence(at, start) == "future":
        return None  # "will leave a day after the talks": a plan fixes no report date
    d = days[0] + dt.timedelta(days=n)
    return Window(d, d + dt.timedelta(days=CANDIDATE_DAYS - 1), False,
                  f"'{m.group(0).strip()}' {what}, dated {days[0]} by other articles: the "
                  f"happening it reports is {d}, published on or after it", False)


def possessive_weekdays(text: str) -> list[tuple[str, str, int, int, frozenset[str]]]:
    """Rule 5: ("Wednesday", noun, start, end, subtypes) for "Wednesday's talks" phrases
    whose noun names a kind of happening."""
    nouns = happening_nouns()
    out = []
    for m in _POSSESSIVE.finditer(text):
        # the noun itself or after one modifier ("Friday's joint drills")
        for word in (m["w1"], m["w2"]):
            noun = (word or "").lower()
            subs = nouns.get(noun) or nouns.get(noun.removesuffix("s"))
            if subs:
                out.append((m["wd"], noun, m.start(), m.end("wd"), subs))
                break
    return out


def bare_weekday(text: str, mention_text: str, start: int) -> int | None:
    """The weekday (0 = Monday) a time mention names by itself ("on Thursday",
    "Thursday morning", "Wednesday's"), or None (none, or "last Thursday", a date)."""
    m = _BARE_WEEKDAY.match(mention_text.strip())
    if m is None:
        # in another language's words ("am Mittwoch", "в четверг")
        from ..extract.mltimes import weekday_of

        return weekday_of(mention_text)
    if _MODIFIED.search(text[max(0, start - 12):start]):
        return None
    return WEEKDAY_INDEX[m["wd"].lower()]


def weekday_pick(text: str, tenses: Tenses, times: list[tuple[str, int, int]], lo: dt.date,
                 hi: dt.date) -> tuple[dt.date, str] | None:
    """Rule 6: the day to choose in a window of at most seven days, from the weekdays the
    article names; None when it names none inside, or a future one rules the pick out."""
    if (hi - lo).days > 6:
        return None
    past: list[tuple[dt.date, str]] = []
    future: list[tuple[dt.date, str]] = []
    for t_text, start, end in times:
        wd = bare_weekday(text, t_text, start)
        if wd is None:
            continue
        day = lo + dt.timedelta(days=(wd - lo.weekday()) % 7)
        if day > hi:
            continue  # the named day lies outside the window
        (future if tenses.clause(start, end) == "future" else past).append(
            (day, t_text.strip()))
    if not past:
        return None
    day = max(past)[0]
    if future and min(future)[0] < day:
        return None  # a plan named before the latest reported day: the text disagrees
    names = ", ".join(dict.fromkeys(f"'{s}'" for d, s in past if d == day))
    return day, (f"the window {lo} to {hi} holds the weekday the article names in the past "
                 f"or present ({names}) on {day}: published that day at the earliest (a "
                 f"same-day report names its own weekday)")
