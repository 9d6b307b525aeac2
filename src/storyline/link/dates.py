"""Dates of undated documents, inferred from what they share with dated ones.

Two kinds of evidence, each a window of possible publication dates; the windows are
intersected and the result is kept only when it is at most a week wide (never a guess):

1. A weekday-date pair in the text ("Tuesday, September 5th") fixes the year: among the
   years around the store's dated documents exactly one puts that day on that weekday.
   The tense of the reporting clause (quoted speech removed) places the article: a past
   report ("told reporters at a Tuesday, September 5th briefing") is published after that
   day — a same-day report would say just "Tuesday" — so from D+1 to D+7; present from D
   to D+6; future from D-7 to D-1.
2. A merged event shared with articles that state their date: the undated article's own
   relative expression for it ("on Thursday", "yesterday", "this month") must resolve to
   the date those articles give. "Is in Seoul on Thursday" about a visit dated 2023-11-09
   by a dated article: a present or past report is from that Thursday to six days after;
   a planned one ("will ... on Thursday") from six days before to that day.

The earliest date of the intersection is chosen (the latest when all evidence is about
the future), with a reason that names the evidence. A stated date is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from .common import LinkContext, interval, parse_day

WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2,
            "wed": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
            "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS.update({m[:3]: n for m, n in list(MONTHS.items())})
MONTHS["sept"] = 9
MAX_WIDTH_DAYS = 7

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
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")
_FUTURE = re.compile(r"\b(will|shall|is set to|are set to|to be held|is scheduled|"
                     r"are scheduled|is expected to|are expected to|plans? to|is due to)\b",
                     re.I)
_PAST = re.compile(r"\b(said|told|announced|stated|added|noted|met|held|was|were|had|did|"
                   r"gave|spoke|briefed|declared|warned|confirmed|revealed|reported|went|"
                   r"came|took|made|[a-z]{3,}ed)\b", re.I)


@dataclass
class Window:
    lo: dt.date
    hi: dt.date
    future: bool
    reason: str


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


def tense_at(text: str, start: int, end: int) -> str:
    """'past', 'present' or 'future' of the sentence around a span, quotes set aside."""
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in (". ", "! ", "? ")))
    right_cands = [i for i in (text.find(p, end) for p in (". ", "! ", "? ", "\n")) if i >= 0]
    sentence = text[left + 1: min(right_cands) if right_cands else len(text)]
    inner = any(m.start() <= start - left - 1 < m.end() for m in _QUOTED.finditer(sentence))
    clause = sentence if inner else _QUOTED.sub(" ", sentence)
    if _FUTURE.search(clause):
        return "future"
    if _PAST.search(clause):
        return "past"
    return "present"


def _store_years(ctx: LinkContext) -> tuple[int, int] | None:
    """The years a weekday-date pair may fall in: around the store's dated documents."""
    row = ctx.conn.execute("SELECT min(published), max(published) FROM documents "
                           "WHERE published IS NOT NULL").fetchone()
    lo, hi = parse_day(row[0]), parse_day(row[1])
    if lo is None or hi is None:
        return None
    return lo.year - 2, hi.year + 1


def pair_windows(ctx: LinkContext, text: str) -> list[Window]:
    """Windows from weekday-date pairs ("Tuesday, September 5th") in a text."""
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
            tense = tense_at(text, m.start(), m.end())
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


def _relative_window(expr: str, dates: list[dt.date], planned: bool, what: str
                     ) -> Window | None:
    """The publication dates for which `expr` (in the undated article) names `dates`."""
    e = expr.lower()
    days = list(dates)
    if not days:
        return None
    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", e):
        d = days[0]
        return Window(d, d, planned, f"'{expr}' for {what} dated {d} elsewhere")
    if re.search(r"\b(yesterday|last night)\b", e):
        d = days[0] + dt.timedelta(days=1)
        return Window(d, d, False, f"'{expr}' for {what} dated {days[0]} elsewhere")
    if re.search(r"\btomorrow\b", e):
        d = days[0] - dt.timedelta(days=1)
        return Window(d, d, True, f"'{expr}' for {what} dated {days[0]} elsewhere")
    w = re.search(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", e)
    if w:
        wd = WEEKDAYS[w[1]]
        # the day of that name within three days of the dates the other articles give
        near = sorted({d + dt.timedelta(days=k) for d in days for k in range(-3, 4)
                       if (d + dt.timedelta(days=k)).weekday() == wd})
        if len(near) != 1:
            return None
        d = near[0]
        if planned or re.search(r"\bnext\b", e):
            return Window(d - dt.timedelta(days=6), d, True,
                          f"'{expr}' (planned) for {what} on {d} -> published in the six "
                          f"days before")
        return Window(d, d + dt.timedelta(days=6), False,
                      f"'{expr}' for {what} on {d} (dated by other articles) -> published "
                      f"that day at the earliest")
    return None


def event_windows(ctx: LinkContext, doc_id: str) -> list[Window]:
    """Windows from merged events the document shares with articles that state a date."""
    out: list[Window] = []
    rows = ctx.conn.execute("SELECT cluster_id, member FROM cluster_members WHERE doc_id=?",
                            (doc_id,)).fetchall()
    for r in rows:
        ev = ctx.event(doc_id, r["member"])
        if not ev or not ev.get("when_text"):
            continue
        crow = ctx.conn.execute("SELECT json FROM clusters WHERE id=? AND kind='event'",
                                (r["cluster_id"],)).fetchone()
        if crow is None:
            continue
        data = json.loads(crow["json"] or "{}")
        days: list[dt.date] = []
        for m in data.get("mentions", []):
            if m["doc_id"] == doc_id or not ctx.doc(m["doc_id"]).published:
                continue  # only dates that articles state anchor another article
            iv = interval(m.get("when"))
            if iv is not None and iv[0] == iv[1]:
                days.append(iv[0])
        days = sorted(set(days))
        if not days:
            continue
        what = data.get("title") or "the same event"
        win = _relative_window(ev["when_text"], days, ev.get("status") == "planned", what)
        if win is not None:
            out.append(win)
    return out


def infer_date(ctx: LinkContext, doc_id: str) -> tuple[str, str] | None:
    """(ISO date, reason) for an undated document, or None when nothing anchors it."""
    windows = pair_windows(ctx, ctx.text(doc_id)) + event_windows(ctx, doc_id)
    if not windows:
        return None
    lo = max(w.lo for w in windows)
    hi = min(w.hi for w in windows)
    if lo > hi or (hi - lo).days > MAX_WIDTH_DAYS:
        return None  # the evidence disagrees or leaves more than a week open
    all_future = all(w.future for w in windows)
    day = hi if all_future else lo
    reasons = "; ".join(dict.fromkeys(w.reason for w in windows))
    return day.isoformat(), reasons


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
