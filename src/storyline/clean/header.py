"""Metadata stated in the text itself: header lines at the top and credit lines anywhere.

Header lines (a date line, "Published : ...", "Updated: ...", "By ...", a bare masthead) are
metadata, not article text: the cleaner removes them with the reason "metadata". Credit
lines ("... (Yonhap)", "SEOUL (AFP) -", "<outlet> correspondent X contributed to this report.")
are article text and stay; they only tell who published or supplied the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyline.clean.dates import normalise_date
from storyline.clean.lines import has_terminal, is_blank, is_body, words
from storyline.clean.outlets import Outlet, canonical_outlet, leading_outlet, lookup
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
_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
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
# "..., told AFP." names the agency that interviewed someone: a weak sign of wire copy.
_TOLD = re.compile(r"\btold\s+((?:[A-Z][\w'-]*\s*){1,4})")


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
            scan.consumed[i] = METADATA
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
