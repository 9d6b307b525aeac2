"""Normalisation rules (pure, no spaCy): invented expressions and anchors, several wordings.

Anchors used: Wednesday 2024-03-13 (mid-week, mid-year), Wednesday 2024-01-10 (January,
for year crossings) and Tuesday 2021-01-05 (an ISO week that belongs to the year before).
"""

from __future__ import annotations

import pytest

from storyline.extract.timenorm import NO_ANCHOR, analyse, normalise, weekday_date_years

WED = "2024-03-13"
JAN = "2024-01-10"


def value(text: str, anchor: str | None = WED, tense: str | None = None):
    return normalise(text, anchor, tense=tense)[0]


# ---- absolute expressions: no anchor needed -------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("March 3, 2019", "2019-03-03"),
    ("Mar. 3, 2019", "2019-03-03"),
    ("3 March 2019", "2019-03-03"),
    ("the 3rd of March, 2019", "2019-03-03"),
    ("2019-03-03", "2019-03-03"),
    ("Sunday, March 3, 2019", "2019-03-03"),
    ("June 2020", "2020-06"),
    ("in October of 2016", "2016-10"),
    ("2017", "2017"),
    ("since 2011", "2011"),
    ("nineteen eighty-four", "1984"),
    ("the 1970s", ["1970", "1979"]),
    ("the third quarter of 2022", ["2022-07", "2022-09"]),
    ("the first half of 2015", ["2015-01", "2015-06"]),
    ("between 2015 and 2018", ["2015", "2018"]),
    ("from March to May 2021", ["2021-03", "2021-05"]),
])
def test_absolute_dates_resolve_without_anchor(text, expected):
    res = analyse(text, None)
    assert res.value == expected
    assert res.kind == "absolute"


def test_weekday_that_contradicts_the_date_is_noted():
    res = analyse("Monday, March 3, 2019", None)
    assert res.value == "2019-03-03"
    assert res.note and "Sunday" in res.note


# ---- weekdays: the tense decides the direction ------------------------------------------

@pytest.mark.parametrize("text,tense,expected", [
    ("Friday", "past", "2024-03-08"),
    ("Friday", "future", "2024-03-15"),
    ("Friday", None, "2024-03-15"),        # nearest: +2 days
    ("Sunday", None, "2024-03-10"),        # nearest: -3 days
    ("on Monday", "present", "2024-03-11"),
    ("late Monday", "past", "2024-03-11"),
    ("Tuesday evening", "past", "2024-03-12"),
    ("early Thursday", "future", "2024-03-14"),
    ("Wednesday", "past", WED),            # the anchor's own weekday is the anchor day
    ("Wednesday", "future", WED),
    ("this Saturday", None, "2024-03-16"),
    ("this Monday", "past", "2024-03-11"),
    ("last Thursday", None, "2024-03-07"),
    ("next Thursday", None, "2024-03-14"),
    ("last Wednesday", None, "2024-03-06"),
])
def test_weekday_direction(text, tense, expected):
    assert value(text, WED, tense) == expected


def test_weekday_with_month_day_fixes_the_year_near_the_anchor():
    # 1 June is a Saturday in 2024 and a Thursday in 2023
    assert value("Saturday, June 1", "2024-06-03") == "2024-06-01"
    assert value("Thursday, June 1st", "2024-06-03") == "2023-06-01"


def test_weekday_date_pair_without_anchor_stays_open_but_lists_years():
    res = analyse("Saturday, June 1", None)
    assert res.value is None
    assert "2019" in res.note and "2024" in res.note
    assert weekday_date_years("Saturday", 6, 1, lo=2015, hi=2025) == [2019, 2024]
    assert weekday_date_years(5, 6, 1, lo=2015, hi=2025) == [2019, 2024]
    assert weekday_date_years("Monday", 2, 29, lo=2000, hi=2030) == [2016]


# ---- months without a year ---------------------------------------------------------------

@pytest.mark.parametrize("text,tense,expected", [
    ("in October", "past", "2023-10"),
    ("in October", "future", "2024-10"),
    ("in October", None, "2023-10"),
    ("in March", "past", "2024-03"),
    ("in April", "past", "2024-04"),      # one month ahead: a reported plan
    ("in June", "past", "2023-06"),
    ("In August", None, "2023-08"),
    ("since early January", None, "2024-01"),
    ("late February", "past", "2024-02"),
    ("last July", None, "2023-07"),
    ("next July", None, "2024-07"),
    ("this September", None, "2024-09"),
    ("July last year", None, "2023-07"),
    ("August of next year", None, "2025-08"),
    ("in July and September", "past", ["2023-07", "2023-09"]),
    ("between April and June", "future", ["2024-04", "2024-06"]),
])
def test_month_direction(text, tense, expected):
    assert value(text, WED, tense) == expected


def test_month_day_without_year():
    assert value("Feb. 20", WED, "past") == "2024-02-20"
    assert value("April 2", WED, "past") == "2024-04-02"    # three weeks ahead
    assert value("November 5", WED, "past") == "2023-11-05"
    assert value("November 5", WED, "future") == "2024-11-05"
    assert value("Christmas", "2024-12-02") == "2024-12-25"


# ---- units relative to the anchor --------------------------------------------------------

@pytest.mark.parametrize("text,anchor,expected", [
    ("this month", WED, "2024-03"),
    ("later this month", WED, "2024-03"),
    ("the start of this month", WED, "2024-03"),
    ("last month", JAN, "2023-12"),
    ("late last month", JAN, "2023-12"),
    ("next month", "2024-12-05", "2025-01"),
    ("this year", WED, "2024"),
    ("earlier this year", WED, "2024"),
    ("last year", WED, "2023"),
    ("early next year", WED, "2025"),
    ("the beginning of this year", WED, "2024-01"),
    ("the end of last year", WED, "2023-12"),
    ("this week", WED, "2024-W11"),
    ("earlier this week", WED, "2024-W11"),
    ("last week", WED, "2024-W10"),
    ("next week", WED, "2024-W12"),
    ("last week", "2021-01-05", "2020-W53"),
    ("last weekend", WED, ["2024-03-09", "2024-03-10"]),
    ("the third quarter", "2024-11-20", ["2024-07", "2024-09"]),
    ("the fourth quarter", "2024-02-01", ["2023-10", "2023-12"]),
])
def test_relative_units(text, anchor, expected):
    assert value(text, anchor) == expected


@pytest.mark.parametrize("text,anchor,expected", [
    ("earlier in the week", WED, "2024-W11"),
    ("later in the week", WED, "2024-W11"),
    ("later this week", WED, "2024-W11"),
    ("earlier in the month", JAN, "2024-01"),
    ("later in the year", WED, "2024"),
])
def test_earlier_or_later_in_the_unit_is_the_anchor_unit(text, anchor, expected):
    assert value(text, anchor) == expected


@pytest.mark.parametrize("text,tense,expected", [
    ("at the weekend", "past", ["2024-03-09", "2024-03-10"]),
    ("over the weekend", "past", ["2024-03-09", "2024-03-10"]),
    ("over the weekend", "future", ["2024-03-16", "2024-03-17"]),
    ("this weekend", "future", ["2024-03-16", "2024-03-17"]),
])
def test_weekend_follows_the_tense(text, tense, expected):
    assert value(text, WED, tense) == expected


# ---- seasons: meteorological, northern hemisphere, as month pairs ------------------------

@pytest.mark.parametrize("text,anchor,expected", [
    # said in March 2026 (spring has begun)
    ("last summer", "2026-03-05", ["2025-06", "2025-08"]),
    ("since last summer", "2026-03-05", ["2025-06", "2025-08"]),
    ("this spring", "2026-03-05", ["2026-03", "2026-05"]),
    ("next winter", "2026-03-05", ["2026-12", "2027-02"]),
    ("last winter", "2026-03-05", ["2025-12", "2026-02"]),   # just over, spanning two years
    ("late last autumn", "2026-03-05", ["2025-09", "2025-11"]),
    # said in October 2025 (autumn)
    ("last summer", "2025-10-15", ["2025-06", "2025-08"]),
    ("this fall", "2025-10-15", ["2025-09", "2025-11"]),    # the one under way
    ("last fall", "2025-10-15", ["2024-09", "2024-11"]),
    ("this past spring", "2025-10-15", ["2025-03", "2025-05"]),
    ("this coming winter", "2025-10-15", ["2025-12", "2026-02"]),
    # said in January 2025 (winter)
    ("this winter", "2025-01-10", ["2024-12", "2025-02"]),
    ("last winter", "2025-01-10", ["2023-12", "2024-02"]),
    ("the summer of last year", "2025-01-10", ["2024-06", "2024-08"]),
    # "this" is the season of the anchor's year, ahead or behind
    ("this fall", WED, ["2024-09", "2024-11"]),
    ("this summer", "2023-11-20", ["2023-06", "2023-08"]),
])
def test_seasons_relative_to_the_anchor(text, anchor, expected):
    assert value(text, anchor) == expected


@pytest.mark.parametrize("text,expected", [
    ("in the summer of 2024", ["2024-06", "2024-08"]),
    ("spring 2019", ["2019-03", "2019-05"]),
    ("the autumn of 2008", ["2008-09", "2008-11"]),
    ("the winter of nineteen ninety-four", ["1994-12", "1995-02"]),
    ("early summer 2021", ["2021-06", "2021-08"]),
])
def test_seasons_with_a_year_need_no_anchor(text, expected):
    res = analyse(text, None)
    assert (res.value, res.kind) == (expected, "absolute")


@pytest.mark.parametrize("text", ["winter", "in summer", "the summer", "the early spring",
                                  "the past three summers"])
def test_seasons_the_text_does_not_place_stay_unresolved(text):
    assert value(text, WED, "past") is None


@pytest.mark.parametrize("text,expected", [
    ("today", WED), ("tonight", WED), ("later in the day", WED), ("this morning", WED),
    ("yesterday", "2024-03-12"), ("last night", "2024-03-12"),
    ("tomorrow", "2024-03-14"), ("the day after tomorrow", "2024-03-15"),
    ("three days ago", "2024-03-10"), ("two weeks ago", "2024-W09"),
    ("four months ago", "2023-11"), ("a year ago", "2023"),
])
def test_days_and_counts_from_the_anchor(text, expected):
    assert value(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("over the past year", ["2023-03", "2024-03"]),
    ("Over the past two years", ["2022-03", "2024-03"]),
    ("in the last six months", ["2023-09", "2024-03"]),
    ("over the past three weeks", ["2024-02-21", "2024-03-13"]),
    ("the next two months", ["2024-03", "2024-05"]),
])
def test_periods_ending_or_starting_at_the_anchor(text, expected):
    assert value(text) == expected


# ---- what is never resolved --------------------------------------------------------------

RELATIVE = ["Friday", "on Monday", "late Tuesday", "Sunday evening", "this Thursday",
            "in October", "since early August", "last month", "this year", "last week",
            "May last year", "today", "yesterday", "two weeks ago", "over the past year",
            "the beginning of this year", "later this month", "in May and August",
            "Tuesday, September 5th", "Nov. 3", "the third quarter", "last summer",
            "this coming spring", "the winter of last year", "earlier in the week"]


@pytest.mark.parametrize("text", RELATIVE)
def test_no_anchor_leaves_every_relative_expression_unresolved(text):
    for tense in (None, "past", "future"):
        res = analyse(text, None, tense=tense)
        assert res.value is None, (text, tense)
        assert res.note and res.note.startswith(NO_ANCHOR)


@pytest.mark.parametrize("text", ["three days later", "a month after", "two weeks after",
                                  "the following day", "the next morning", "that week",
                                  "a year earlier"])
def test_times_relative_to_another_event_stay_unresolved(text):
    res = analyse(text, WED)
    assert res.value is None
    assert res.kind == "event"


@pytest.mark.parametrize("text,kind", [
    ("four years", "duration"), ("two months", "duration"), ("a decade", "duration"),
    ("each day", "set"), ("every week", "set"), ("daily", "set"),
    ("now", "vague"), ("recently", "vague"), ("recent months", "vague"),
    ("the past few years", "vague"), ("winter", "season"), ("10:30 p.m.", "clock"),
])
def test_durations_sets_and_vague_references_carry_no_value(text, kind):
    res = analyse(text, WED)
    assert (res.value, res.kind) == (None, kind)


def test_anchor_must_be_a_full_date():
    assert value("last month", "2024-03") is None
    assert value("last month", "2024-03-13T09:30:00Z") == "2024-02"


def test_normalise_returns_value_and_note():
    val, note = normalise("since late October", WED, tense="past")
    assert val == "2023-10"
    assert note and "since" in note
