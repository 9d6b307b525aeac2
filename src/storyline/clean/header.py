"""Metadata stated in the text itself: header lines at the top and credit lines anywhere.

Header lines (a date line, "Published : ...", "Updated: ...", "By ...", a bare masthead) are
metadata, not article text: the cleaner removes them with the reason "metadata". Credit
lines ("... (Yonhap)", "SEOUL (AFP) -", "<outlet> correspondent X contributed to this report.")
are article text and stay; they only tell who published or supplied the story.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from storyline.clean.dates import normalise_date
from storyline.clean.lines import has_terminal, is_blank, is_body, words
from storyline.clean.outlets import Outlet, canonical_outlet, leading_outlet, lookup
from storyline.lang import get_pack
from storyline.records import DocMeta

METADATA = "metadata"

_DATE_LINE = re.compile(r"^\s*date\s*:?\s*(\d{4}-\d{2}-\d{2})(?:T[\d:.+Z-]+)?\s*(.*?)\s*$",
                        re.IGNORECASE)
_PUBLISHED = re.compile(
    r"^\s*(?:published|posted|first published|publication date|date published|released)"
    r"\s*(?:on|at)?\s*:?\s*(.+?)\s*$", re.IGNORECASE)
_UPDATED = re.compile(r"^\s*(?:last\s+)?(?:updated|modified|edited)\s*(?:on|at)?\s*:?\s*(.+?)\s*$",
                      re.IGNORECASE)
_BY = re.compile(r"^\s*by\s*:?\s+(.+?)\s*$", re.IGNORECASE)
_MONTHS = (r"(?:" + "|".join(get_pack("en").data("header")["month_stems"]) + r")[a-z]*\.?")
# A line that is only a date (and maybe a weekday and a clock time): "Nov. 9, 2023 - 09:28".
_BARE_DATE = re.compile(
    rf"^\s*(?:[A-Za-z]+day,?\s+)?(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}/\d{{2}}/\d{{2}})(?:\s*[-–|,]?\s*\d{{1,2}}:\d{{2}}.*)?\s*$",
    re.IGNORECASE)
# Credits that name the agency that supplied the copy.
_END_CREDIT = re.compile(r"\(([A-Za-z][\w .'&-]{1,40})\)\s*$")
_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'-]{1,40}?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*"
                       r"\(([A-Za-z][\w .'&-]{1,40})\)\s*[-–—:]")
_CONTRIBUTED = re.compile(r"\bcontributed\s+(?:to\s+)?(?:this|the)\s+(?:report|story|article)"
                          r"|\bcontributed\s+reporting\b", re.IGNORECASE)
# A credit closing a line: "... — ТАСС", "... /ТАСС/", "... 연합뉴스" (looked up as a wire).
_DASH_CREDIT = re.compile(r"(?:\s[-–—]\s*|/)([^\s/—–-][^/—–]{1,30}?)/?\s*$")
# "..., told AFP." names the agency that interviewed someone: a weak sign of wire copy.
_TOLD = re.compile(r"\btold\s+((?:[A-Z][\w'-]*\s*){1,4})")


@functools.lru_cache(maxsize=1)
def _pack_header() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Header words of every language pack (`header.json`), and a full date in any of their
    scripts ("13 septembre 2023", "2023년 9월 13일", "2024/06/19", "29/03/2024"): a
    header line is read whatever the document's language was detected as."""
    from storyline.lang import available, get_pack

    kinds: dict[str, set[str]] = {"published": set(), "updated": set(), "by": set()}
    months: set[str] = set()
    for code in available():
        pack = get_pack(code)
        for kind, found in kinds.items():
            found.update(w for w in (pack.data("header", {}) or {}).get(kind, []) if w)
        months.update(str(m) for m in ((pack.data("dates", {}) or {}).get("months") or {})
                      if len(str(m)) >= 3)

    def opening(words: set[str]) -> re.Pattern[str]:
        alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!x)x"
        return re.compile(rf"^\s*(?:{alt})(?![\w])\s*[:|]?\s*(.+?)\s*$", re.IGNORECASE)

    mon = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True)) or "(?!x)x"
    full = re.compile(
        r"(?<!\d)(?:(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d\d"
        r"|(?:19|20)\d\d\s*[년年]\s*\d{1,2}\s*[월月]\s*\d{1,2}\s*[일日]"
        rf"|\d{{1,2}}\.?\s+(?:{mon})\.?,?\s+(?:19|20)\d\d)(?!\d)", re.IGNORECASE)
    return opening(kinds["published"]), opening(kinds["updated"]), opening(kinds["by"]), full


_PAGE_STAMP = re.compile(r"^date\s+((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?(?![\d-])", re.IGNORECASE)


def _dateline_day(line: str, page_month: tuple[int, int]) -> str | None:
    """The date of a dateline's day and month ("Bakou, 19 juin, AZERTAC") in the year of
    the page stamp, when the month is the stamp's month; None otherwise."""
    from storyline.lang import available, get_pack

    head = line[:60]
    for code in available():
        months = (get_pack(code).data("dates", {}) or {}).get("months") or {}
        for m in re.finditer(r"(?<!\d)(\d{1,2})\.?\s+(\w+)", head):
            if months.get(m.group(2).lower()) == page_month[1]:
                return normalise_date(f"{page_month[0]}-{page_month[1]:02d}-{int(m.group(1)):02d}")
    return None


_STAMP_MAX = 80  # a date stamp line is short: a sentence that holds a date is not one
_STAMP_LINES = 8  # date stamps are looked for in the first non-blank lines only


def _stamp_date(line: str) -> tuple[str, str] | None:
    """(ISO date, what follows it) of a short line stating a full date in any language."""
    if len(line) > _STAMP_MAX:
        return None
    m = _pack_header()[3].search(line)
    if m is None:
        return None
    date = normalise_date(m.group(0))
    return (date, line[m.end():]) if date else None


def _scan_pack_lines(lines: list[str], scan: HeaderScan) -> None:
    """Header lines in the words of a language pack ("Publié le ...", "Par AFP", "입력 |
    2023-09-13 14:45", "28 марта 2024 17:58"). A date stamp stays in the text (it is also
    a time expression of the article); a byline is metadata."""
    published, updated, by, _ = _pack_header()
    seen = 0
    page_month: tuple[int, int] | None = None
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or i in scan.consumed:
            continue
        seen += 1
        if seen > _STAMP_LINES:
            break
        if seen == 1 and (m := _PAGE_STAMP.match(line)):
            # a page stamp opening a paragraph ("date 2024-03-28 Moscow, Russia - ..."): the
            # date, if it is whole, else its month for a dateline's day ("Bakou, 19 juin")
            if m.group(3):
                _set(scan.meta, "published", normalise_date(m.group(0).split()[-1]))
            else:
                page_month = (int(m.group(1)), int(m.group(2)))
            line = line[m.end():].strip()
        if page_month and scan.meta.published is None and (
                date := _dateline_day(line, page_month)):
            _set(scan.meta, "published", date)
        if (m := updated.match(line)) and (found := _stamp_date(m.group(1))):
            scan.updated = scan.updated or found[0]
            if (m2 := published.match(line)) and (got := _stamp_date(m2.group(1))):
                _set(scan.meta, "published", got[0])
            continue
        if (m := by.match(line)) and len(words(m.group(1))) <= 6 and not has_terminal(line):
            found_outlet = lookup(m.group(1).strip(" .,"))
            if found_outlet is not None:
                _set(scan.meta, "wire" if found_outlet.wire else "outlet", found_outlet.name)
                scan.consumed[i] = METADATA
            continue
        if (found := _stamp_date(line)) is not None:
            _set(scan.meta, "published", found[0])
            rest = re.sub(r"[\d:\s|/,.-]+", " ", found[1]).strip()
            if rest and (o := lookup(rest)) is not None:
                _set(scan.meta, "wire" if o.wire else "outlet", o.name)


@dataclass
class HeaderScan:
    """What the text states about itself, and which lines were header metadata."""

    meta: DocMeta = field(default_factory=DocMeta)  # provenance "header"
    consumed: dict[int, str] = field(default_factory=dict)  # line index -> "metadata"
    told_wire: str | None = None  # "X told AFP": used only when nothing better names a wire
    updated: str | None = None  # an "Updated:" date; a fallback only
    header_end: int = 0  # index of the first body paragraph (or len(lines))


def header_end(lines: list[str]) -> int:
    """Index of the first body paragraph: the header block is everything above it."""
    for i, line in enumerate(lines):
        if is_body(line):
            return i
    return len(lines)


# A dateline that opens a line, its dash optional: "Seoul, June 19 (IANS) Russian ...",
# "PYONGYANG, June 10 (KCNA) -- ...".
_DATELINE_PREFIX = re.compile(r"^[A-Z][A-Za-z .,'-]{1,40}?(,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*"
                              r"\(([A-Za-z][\w .'&-]{1,40})\)\s*(?:[-–—]+|:)?\s*")


def dateline_end(line: str) -> int | None:
    """Where a dateline that opens `line` ends ("Seoul, June 19 (IANS) "), if the agency in
    its brackets is a known wire; else None. Its place is where the copy was filed, not a
    party to what the line reports."""
    m = _DATELINE_PREFIX.match(line)
    if m is None:
        return None
    # a known wire; or, after a place and a day, any agency's initials ("(IANS)")
    if _agency(m.group(2)) or (m.group(1) and re.fullmatch(r"[A-Z]{2,8}", m.group(2))):
        return m.end()
    return None


def _agency(candidate: str) -> Outlet | None:
    found = lookup(candidate.strip())
    return found if found and found.wire else None


def _parse_byline(text: str) -> tuple[list[Outlet], list[str], str | None]:
    """Split "Jane Doe and John Roe, Reuters, March 3, 2026" into known outlets/wires,
    author names and a date."""
    outlets: list[Outlet] = []
    authors: list[str] = []
    dated: list[str] = []
    for part in re.split(r"\s*(?:,|;|\||\band\b|&|\s[-–—]\s)\s*", text):
        part = part.strip(" .")
        if not part:
            continue
        if any(ch.isdigit() for ch in part):
            dated.append(part)  # a date or time written after the names
        elif found := lookup(part):
            outlets.append(found)
        else:
            authors.append(part)
    return outlets, authors, normalise_date(" ".join(dated)) if dated else None


def _set(meta: DocMeta, name: str, value: str | None) -> None:
    if value and getattr(meta, name) in (None, ""):
        setattr(meta, name, value)
        meta.provenance[name] = "header"


def _scan_top(lines: list[str], scan: HeaderScan) -> str | None:
    """Header lines above the first body paragraph; returns a masthead candidate."""
    meta = scan.meta
    first = next((i for i, line in enumerate(lines) if not is_blank(line)), None)
    for i in range(scan.header_end):
        line = lines[i].strip()
        if not line:
            continue
        if m := _DATE_LINE.match(line):
            date = normalise_date(m.group(1))
            if date:
                _set(meta, "published", date)
                rest = m.group(2).strip(" -–—|,")
                if rest and len(words(rest)) <= 8 and not has_terminal(rest):
                    _set(meta, "outlet", canonical_outlet(rest))
                scan.consumed[i] = METADATA
            continue
        if (m := _PUBLISHED.match(line)) and (date := normalise_date(m.group(1))):
            _set(meta, "published", date)
            scan.consumed[i] = METADATA
            continue
        if (m := _UPDATED.match(line)) and (date := normalise_date(m.group(1))):
            scan.updated = scan.updated or date
            scan.consumed[i] = METADATA
            continue
        if _BARE_DATE.match(line) and (date := normalise_date(line)):
            _set(meta, "published", date)
            if any(ch.isalpha() for ch in line):
                scan.consumed[i] = METADATA
            # else a numeric stamp ("2024/06/19 17:20"): it stays in the text, a time
            # expression of the article in any language (as the stamps of other scripts)
            continue
        if (m := _BY.match(line)) and len(words(m.group(1))) <= 12 and not has_terminal(m.group(1)):
            rest = m.group(1)
            if rest[:1].isupper():
                outlets, authors, date = _parse_byline(rest)
                for o in outlets:
                    _set(meta, "wire" if o.wire else "outlet", o.name)
                if authors:
                    _set(meta, "author", ", ".join(authors))
                _set(meta, "published", date)
                scan.consumed[i] = METADATA
                continue
    if first is not None and first < scan.header_end:
        return lines[first].strip()
    return None


def _scan_credits(lines: list[str], scan: HeaderScan) -> None:
    """Credit lines anywhere in the text; the lines themselves stay in the article."""
    meta = scan.meta
    for i, line in enumerate(lines):
        if i in scan.consumed or is_blank(line):
            continue
        s = line.strip()
        m = _END_CREDIT.search(s)
        if m and (agency := _agency(m.group(1))):
            _set(meta, "wire", agency.name)
        m = _DATELINE.match(s)
        if m and (agency := _agency(m.group(1))):
            _set(meta, "wire", agency.name)
        m = _DASH_CREDIT.search(s)
        if m and (agency := _agency(m.group(1).strip(" .,"))):
            _set(meta, "wire", agency.name)
        if _CONTRIBUTED.search(s) and (found := leading_outlet(words(s))):
            _set(meta, "wire" if found.wire else "outlet", found.name)
        if scan.told_wire is None:
            for m in _TOLD.finditer(s):
                ws = m.group(1).split()
                for n in range(len(ws), 0, -1):
                    agency = _agency(" ".join(ws[:n]).strip(".,;:"))
                    if agency:
                        scan.told_wire = agency.name
                        break
                if scan.told_wire:
                    break


def scan_header(text: str) -> HeaderScan:
    """Read the header block and the credit lines of a plain text (see the module docstring)."""
    lines = text.split("\n")
    scan = HeaderScan(header_end=header_end(lines))
    masthead = _scan_top(lines, scan)
    _scan_pack_lines(lines, scan)
    _scan_credits(lines, scan)
    if masthead is not None:
        idx = next(i for i, line in enumerate(lines) if not is_blank(line))
        found = lookup(masthead)
        named = {str(v).lower() for v in (scan.meta.wire, scan.meta.outlet) if v}
        if idx not in scan.consumed and found is not None:
            # A bare known name at the very top is the masthead (or the wire's slug).
            _set(scan.meta, "wire" if found.wire else "outlet", found.name)
            scan.consumed[idx] = METADATA
        elif idx not in scan.consumed and masthead.lower() in named:
            scan.consumed[idx] = METADATA
    if scan.meta.published is None and scan.updated:
        scan.meta.published = scan.updated
        scan.meta.provenance["published"] = "header (updated)"
    return scan


def apply_fallbacks(meta: DocMeta, scan: HeaderScan) -> None:
    """The weakest sources, used only when nothing else spoke.

    "X told AFP" suggests AFP copy; a wire named in a byline or masthead with no other outlet
    is the publisher we know of. A wire guessed from "told" is too weak to name the outlet.
    """
    told = str(meta.provenance.get("wire", "")).startswith("told")
    if meta.outlet is None and meta.wire is not None and not told:
        meta.outlet = meta.wire
        meta.provenance["outlet"] = "wire"
    if meta.wire is None and scan.told_wire:
        meta.wire = scan.told_wire
        meta.provenance["wire"] = f"told {scan.told_wire}"
