"""Normalise a stated publication date to ISO YYYY-MM-DD, or None (never a guess)."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# digits, not word boundaries: "2023년", "2023年" name a year too
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
# A clock time and what trails it ("- 09:28", "09:28 KST", "9:10 a.m."): dateparser copes with
# most, but dropping them makes odd separators harmless.
_CLOCK = re.compile(r"[-–—|,]?\s*\b\d{1,2}:\d{2}(:\d{2})?\s*([ap]\.?m\.?)?\s*([A-Z]{2,4}|[+-]\d{2}:?\d{2})?",
                    re.IGNORECASE)
_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False,
             "PREFER_DATES_FROM": "past"}


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def normalise_date(value: Any) -> str | None:
    """ISO date from a string, a date/datetime or a struct_time; None when no full date is stated.

    A string must name a four-digit year: relative words ("yesterday") are never resolved here,
    because a publication date is a fact the page states, not one we compute.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return _valid(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A Unix timestamp (seconds, or milliseconds as in many JSON exports), read in UTC.
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    m = _ISO.search(text)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if not _YEAR.search(text) or len(text) > 80:
        return None
    import dateparser  # slow to import: only when a non-ISO date needs it

    for candidate in (text, _CLOCK.sub(" ", text).strip(" -–—|,")):
        try:
            parsed = dateparser.parse(candidate, settings=_SETTINGS)
        except (ValueError, TypeError, OverflowError, KeyError, AttributeError):
            # dateparser raises assorted errors on odd strings
            parsed = None
        if parsed is not None:
            return parsed.date().isoformat()
    return None
