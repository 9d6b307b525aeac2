"""Dates of undated documents, inferred from what they share with dated ones.

Each piece of evidence is a window of possible publication dates; the windows are
intersected and the result is kept only when it is at most a week wide and a rule names
the day in it (never a guess). Two kinds of evidence are here:

1. A weekday-date pair in the text ("Tuesday, September 5th") fixes the year: among the
   years around the store's dated documents exactly one puts that day on that weekday.
   The tense of the reporting clause (quoted speech removed) places the article: a past
   report ("told reporters at a Tuesday, September 5th briefing") is published after that
   day — a same-day report would say just "Tuesday" — so from D+1 to D+7; present from D
   to D+6; future from D-7 to D-1.
2. A merged event shared with articles that state their date: the undated article's own
   relative expression for it ("on Thursday", "yesterday", "last week") must resolve to
   the date those articles give. "Is in Seoul on Thursday" about a visit dated 2023-11-09
   elsewhere: a present-tense report is from that Thursday to six days after; a past-tense
   one ("arrived on Wednesday", "Wednesday's talks ... met") from the next day, as for
   weekday-date pairs; a planned one ("will ... on Thursday") from six days before to that
   day; "last week" / "this month" give the week or month after (or of) the event's.

3. The page's address names the day ("/view/20230913145203318", "/2024/06/19/..."), as
   news sites' addresses often do: that day (an address is fixed when the page is made).

4. A dateline opening the text names the day without its year ("【6月19日 AFP】", "Seoul,
   June 19 (IANS)": a date at the start of the first line followed by the agency's name):
   the year is the one that puts that day nearest a merged event the article shares with
   dated articles (within three days); a dateline that fits none, or two, fixes nothing.

Four more are in `date_constraints.py`: candidate anchors (the article's expression for a
shared event read again against each candidate date), "a day after <event>", "Wednesday's
talks" (a weekday said of a shared event of that kind), and the weekday pick. A denial
shared with a claim gives no window: its time is when it was said.

The windows are intersected. A single day is the date. Otherwise, when a rule above that
names a day (a weekday-date pair, a weekday or "yesterday" said of a dated event) is among
the evidence, the earliest date of the intersection is chosen (the latest when all
evidence is about the future); when only ranges remain ("last week", "this month", the
candidate windows), a weekday the article names must pick the day (`weekday_pick`), else
the date stays open. The reason names the evidence. A stated date is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from .common import Interval, LinkContext, interval, parse_day
from .date_constraints import (
    Window,
    after_window,
    anchor_test_window,
    possessive_weekdays,
    weekday_pick,
)
from .events import DURATIVE_SUBTYPES, is_denial
from .tenses import Tenses

WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2,
            "wed": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
            "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS.update({m[:3]: n for m, n in list(MONTHS.items())})
MONTHS["sept"] = 9
MAX_WIDTH_DAYS = 7
# A day in a page address: 2023/09/13, 2023-09-13, 20230913 alone or opening a time stamp
# (20230913145203318); never inside a longer run of digits that is no stamp.
_URL_DAY = re.compile(r"(?<![\d])((?:19|20)\d\d)([-/_]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])"
                      r"(?:(?!\d)|(?=\d{6}))")

_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues?|Wed|" \
      r"Thu(?:rs?)?|Fri|Sat|Sun)\.?"
_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|" \
       r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DAYN = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
PAIR_PATTERNS = [
    re.compile(rf"\b{_WD},?\s+(?:the\s+)?{_MON}\s+{_DAYN}\b{_YEAR}"),
    re.compile(rf"\b{_WD},?\s+(?:the\s+)?{_DAYN}\s+(?:of\s+)?{_MON}{_YEAR}"),
]
def weekday_years(weekday: int, month: int, day: int, lo: int, hi: int) -> list[int]:
    """Years in [lo, hi] whose month/day falls on `weekday` (0 = Monday)."""
    try:
        from ..extract.timenorm import weekday_date_years

        return list(weekday_date_years(weekday, month, day, lo, hi))
    except ImportError:  # the times stage is not installed: the same rule, here
        out = []
        for y in range(lo, hi + 1):
            try:
                if dt.date(y, month, day).weekday() == weekday:
                    out.append(y)
            except ValueError:
                continue
        return out


def _store_years(ctx: LinkContext) -> tuple[int, int] | None:
    """The years a weekday-date pair may fall in: around the store's dated documents."""
    # two queries: each is answered from the end of the documents_published index
    lo = parse_day(ctx.conn.execute("SELECT min(published) FROM documents").fetchone()[0])
    hi = parse_day(ctx.conn.execute("SELECT max(published) FROM documents").fetchone()[0])
    if lo is None or hi is None:
        return None
    return lo.year - 2, hi.year + 1


def pair_windows(ctx: LinkContext, text: str, tenses: Tenses) -> list[Window]:
    """Windows from weekday-date pairs ("Tuesday, September 5th") in a text, the tense of
    each from the document's stored clauses."""
    out: list[Window] = []
    years = _store_years(ctx)
    for pattern in PAIR_PATTERNS:
        for m in pattern.finditer(text):
            wd = WEEKDAYS[m["wd"].lower().rstrip(".")]
            month = MONTHS[m["mon"].lower().rstrip(".")]
            day = int(m["day"])
            if m["year"]:
                fit = weekday_years(wd, month, day, int(m["year"]), int(m["year"]))
            elif years is not None:
                fit = weekday_years(wd, month, day, *years)
            else:
                fit = []
            if len(fit) != 1:
                continue  # no year, or several: the pair fixes nothing
            d = dt.date(fit[0], month, day)
            tense = tenses.sentence(m.start(), m.end())
            phrase = m.group(0).strip()
            base = f"weekday-date pair '{phrase}' fixes {d.isoformat()}"
            if tense == "past":
                out.append(Window(d + dt.timedelta(days=1), d + dt.timedelta(days=7), False,
                                  f"{base}; past-tense report -> published the next day"))
            elif tense == "future":
                out.append(Window(d - dt.timedelta(days=7), d - dt.timedelta(days=1), True,
                                  f"{base}; future-tense report -> published before it"))
            else:
                out.append(Window(d, d + dt.timedelta(days=6), False,
                                  f"{base}; present-tense report -> published that day"))
    return out


def _week(d: dt.date) -> tuple[dt.date, dt.date]:
    start = d - dt.timedelta(days=d.weekday())
    return start, start + dt.timedelta(days=6)


def _month(d: dt.date, shift: int = 0) -> tuple[dt.date, dt.date]:
    y, m = divmod(d.year * 12 + d.month - 1 + shift, 12)
    first = dt.date(y, m + 1, 1)
    nxt = dt.date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _within(iv: Interval, lo: dt.date, hi: dt.date) -> bool:
    return lo <= iv[0] and iv[1] <= hi


def _relative_window(expr: str, ivs: list[Interval], tense: str, what: str
                     ) -> Window | None:
    """The publication dates for which `expr`, said of an event that other articles date
    to `ivs`, resolves to that date (None when the expression fixes nothing)."""
    e = expr.lower()
    days = sorted({iv[0] for iv in ivs if iv[0] == iv[1]})
    future = tense == "future"
    said = f"'{expr}' for {what}"
    if days and re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", e):
        return Window(days[0], days[0], future, f"{said}, dated {days[0]} elsewhere")
    if days and re.search(r"\b(yesterday|last night)\b", e):
        d = days[0] + dt.timedelta(days=1)
        return Window(d, d, False, f"{said}, dated {days[0]} elsewhere -> the next day")
    if days and re.search(r"\btomorrow\b", e):
        d = days[0] - dt.timedelta(days=1)
        return Window(d, d, True, f"{said}, dated {days[0]} elsewhere -> the day before")
    w = re.search(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)", e)
    if w and days:
        wd = WEEKDAYS[w[1]]
        # the day of that name within three days of the dates the other articles give
        near = sorted({d + dt.timedelta(days=k) for d in days for k in range(-3, 4)
                       if (d + dt.timedelta(days=k)).weekday() == wd})
        if len(near) != 1:
            return None
        d = near[0]
        if future or re.search(r"\bnext\b", e):
            return Window(d - dt.timedelta(days=6), d, True,
                          f"{said} on {d} (planned) -> published in the six days before")
        if tense == "past":
            return Window(d + dt.timedelta(days=1), d + dt.timedelta(days=6), False,
                          f"{said} on {d} (dated by other articles), told in the past "
                          f"tense -> published the next day at the earliest")
        return Window(d, d + dt.timedelta(days=6), False,
                      f"{said} on {d} (dated by other articles) -> published that day at "
                      f"the earliest")
    # coarser: the week or the month of the event as the other articles date it
    for unit, span in (("week", _week), ("month", _month)):
        m = re.search(rf"\b(last|this|next|past) {unit}\b", e)
        if not m:
            continue
        inside = [iv for iv in ivs if _within(iv, *span(iv[0]))]
        if not inside:
            return None
        lo, hi = span(inside[0][0])
        shift = {"last": 1, "past": 1, "this": 0, "next": -1}[m[1]]
        if unit == "week":
            lo, hi = lo + dt.timedelta(days=7 * shift), hi + dt.timedelta(days=7 * shift)
        else:
            lo, hi = _month(lo, shift)
        # a week or a month is a range: it names no day in it (a weekday pick must)
        return Window(lo, hi, shift < 0, f"{said}, in the {unit} of {inside[0][0]} "
                                         f"(dated by other articles)", False)
    return None


def _dated_intervals(ctx: LinkContext, doc_id: str, data: dict[str, Any]) -> list[Interval]:
    """The dates a merged event's reports in articles that state their date give it."""
    ivs: list[Interval] = []
    for m in data.get("mentions", []):
        if m["doc_id"] == doc_id or not ctx.doc(m["doc_id"]).published:
            continue  # only dates that articles state anchor another article
        iv = interval(m.get("when"))
        if iv is not None:
            ivs.append(iv)
    return sorted(set(ivs))


def _said_of(expr: str, ivs: list[Interval], tense: str, what: str, subtype: str | None
             ) -> list[Window]:
    """Windows from a relative expression said of a dated event (rules 2 and 3)."""
    out: list[Window] = []
    win = _relative_window(expr, ivs, tense, what)
    if win is not None:
        out.append(win)
    tested = anchor_test_window(expr, ivs, tense, what,
                                tolerance=2 if subtype in DURATIVE_SUBTYPES else 1)
    if tested is not None:
        out.append(tested)
    return out


def event_windows(ctx: LinkContext, doc_id: str) -> list[Window]:
    """Windows from merged events the document shares with articles that state a date."""
    out: list[Window] = []
    text = ctx.text(doc_id)
    tenses = ctx.tenses(doc_id)
    rows = ctx.conn.execute("SELECT cluster_id, member FROM cluster_members WHERE doc_id=?",
                            (doc_id,)).fetchall()
    shared: list[tuple[dict[str, Any], list[Interval], str]] = []
    for r in rows:
        ev = ctx.event(doc_id, r["member"])
        if not ev or is_denial(ev):
            continue  # a denial's own time is when it was said, not when the claim happened
        crow = ctx.conn.execute("SELECT json FROM clusters WHERE id=? AND kind='event'",
                                (r["cluster_id"],)).fetchone()
        if crow is None:
            continue
        data = json.loads(crow["json"] or "{}")
        ivs = _dated_intervals(ctx, doc_id, data)
        if not ivs:
            continue
        what = data.get("title") or "the same event"
        shared.append((ev, ivs, what))
        if ev.get("when_text"):
            out += _said_of(ev["when_text"], ivs, tenses.event(ev), what,
                            ev.get("subtype"))
        after = after_window(text, tenses, ev, ivs, what)
        if after is not None:
            out.append(after)
    # "Wednesday's talks": a weekday said of the shared event of that kind on that weekday
    for wd_name, noun, start, end, subs in possessive_weekdays(text):
        wd = WEEKDAYS[wd_name.lower()]
        fits = {(tuple(ivs), what, ev.get("subtype")) for ev, ivs, what in shared
                if ev.get("subtype") in subs and len(_days(ivs)) == 1
                and _days(ivs)[0].weekday() == wd}
        if len({f[0] for f in fits}) != 1:
            continue  # none, or talks on two different days: the phrase fixes nothing
        ivs_t, what, subtype = min(fits)
        out += _said_of(f"{wd_name}'s {noun}", list(ivs_t), tenses.clause(start, end),
                        what, subtype)
    return out


def _days(ivs: list[Interval]) -> list[dt.date]:
    return sorted({iv[0] for iv in ivs if iv[0] == iv[1]})


def _time_mentions(ctx: LinkContext, doc_id: str) -> list[tuple[str, int, int]]:
    rows = ctx.conn.execute("SELECT text, start, end FROM times WHERE doc_id=? ORDER BY idx",
                            (doc_id,)).fetchall()
    return [(r["text"], r["start"], r["end"]) for r in rows]


def url_windows(ctx: LinkContext, doc_id: str) -> list[Window]:
    """The day the page's address names (rule 3); none when it names no single day."""
    row = ctx.conn.execute("SELECT url FROM documents WHERE id=?", (doc_id,)).fetchone()
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]+", "", (row["url"] if row else None) or "",
                  flags=re.IGNORECASE)
    days = set()
    for m in _URL_DAY.finditer(path):
        try:
            days.add(dt.date(int(m[1]), int(m[3]), int(m[4])))
        except ValueError:
            continue
    if len(days) != 1:
        return []
    day = days.pop()
    return [Window(day, day, False, f"the page address names {day.isoformat()}")]


_DATELINE_AT = 40  # a dateline's date starts within this many characters of the text
# the agency after the date: "(IANS)", " AFP】", ", AZERTAC" (a name in capitals)
_DATELINE_CREDIT = re.compile(r"^\s*,?\s*(?:[(（\[【]\s*[A-ZА-ЯЁ][\w .&-]{1,20}?\s*[)）\]】]"
                              r"|[A-ZА-ЯЁ]{2,}[\w-]*\s*[)）\]】]?)")
_DATELINE_SLACK = 3  # days between the dateline and the shared event's date


def dateline_windows(ctx: LinkContext, doc_id: str) -> list[Window]:
    """The day a dateline names, in the year of the dated events the article shares
    (rule 4)."""
    from ..extract.timenorm import normalise

    text = ctx.text(doc_id)
    first = next(iter(_time_mentions(ctx, doc_id)), None)
    if first is None or first[1] > _DATELINE_AT or "\n" in text[:first[1]]:
        return []
    if not _DATELINE_CREDIT.match(text[first[2]:first[2] + 30]):
        return []
    days = {d for (d,) in ctx.conn.execute(
        "SELECT DISTINCT c.when_start FROM cluster_members cm JOIN clusters c "
        "ON c.id = cm.cluster_id WHERE cm.doc_id=? AND c.kind != 'quote' "
        "AND c.when_start IS NOT NULL", (doc_id,)).fetchall()}
    found = set()
    for d in days:
        anchor = parse_day(d)
        if anchor is None:
            continue
        value, _ = normalise(first[0], anchor.isoformat())
        day = parse_day(value) if isinstance(value, str) and len(value) == 10 else None
        if day is not None and abs((day - anchor).days) <= _DATELINE_SLACK:
            found.add(day)
    if len(found) != 1:
        return []
    day = found.pop()
    return [Window(day, day, False, f"the dateline '{first[0]}' names {day.isoformat()} "
                                    "(the year of the dated events it shares)")]


def infer_date(ctx: LinkContext, doc_id: str) -> tuple[str, str] | None:
    """(ISO date, reason) for an undated document, or None when nothing anchors it."""
    own = url_windows(ctx, doc_id) + dateline_windows(ctx, doc_id)
    windows = (pair_windows(ctx, ctx.text(doc_id), ctx.tenses(doc_id))
               + event_windows(ctx, doc_id) + own)
    if not windows:
        return None
    lo = max(w.lo for w in windows)
    hi = min(w.hi for w in windows)
    if lo > hi and own:
        own_lo, own_hi = max(w.lo for w in own), min(w.hi for w in own)
        if own_lo <= own_hi:
            # the page's own address or dateline names its day: that outweighs what the
            # tense of a report suggests ("held talks on Wednesday" is often told that day)
            windows, lo, hi = own, own_lo, own_hi
    if lo > hi or (hi - lo).days > MAX_WIDTH_DAYS:
        return None  # the evidence disagrees or leaves more than a week open
    reasons = "; ".join(dict.fromkeys(w.reason for w in windows))
    if lo == hi:
        return lo.isoformat(), reasons
    if any(w.decides for w in windows):
        day = hi if all(w.future for w in windows) else lo
        return day.isoformat(), reasons
    # only ranges: a weekday the article names must pick the day in them
    picked = weekday_pick(ctx.text(doc_id), ctx.tenses(doc_id), _time_mentions(ctx, doc_id),
                          lo, hi)
    if picked is None:
        return None
    return picked[0].isoformat(), f"{reasons}; {picked[1]}"


def update_dates(ctx: LinkContext, doc_ids: list[str]) -> list[str]:
    """Infer dates for the undated ones among `doc_ids`; the ids whose date changed."""
    changed: list[str] = []
    for doc_id in dict.fromkeys(doc_ids):
        info = ctx.doc(doc_id)
        if info.published:
            continue  # a stated date is never overwritten
        found = infer_date(ctx, doc_id)
        if found is None or found[0] == (info.published_inferred or "")[:10]:
            continue
        ctx.store.set_published_inferred(doc_id, found[0], found[1])
        ctx.forget_doc(doc_id)
        changed.append(doc_id)
    return changed


def undated_neighbours(ctx: LinkContext, cluster_ids: list[int]) -> list[str]:
    """Undated documents that report the given merged events (they may now be datable)."""
    out: list[str] = []
    for cid in cluster_ids:
        for r in ctx.conn.execute("SELECT DISTINCT cm.doc_id FROM cluster_members cm "
                                  "JOIN documents d ON d.id = cm.doc_id WHERE "
                                  "cm.cluster_id=? AND d.published IS NULL", (cid,)).fetchall():
            out.append(r[0])
    return out
