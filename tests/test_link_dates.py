"""Dates of undated documents: weekday-date pairs, and events shared with dated articles."""

from __future__ import annotations

import pytest
from link_support import add_article

from storyline.link import HashEmbedder, update_links
from storyline.link.dates import tense_at
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def link(store, ids):
    return update_links(store, ids, embedder=HashEmbedder())


def dated(store: Store) -> str:
    """A dated article that places the corpus in early 2024."""
    return add_article(store, "Farmers in Brazil expect a record soybean harvest, the "
                              "agriculture ministry said in its February outlook.",
                       outlet="Farm Wire", published="2024-02-20", entities=["BRAZIL"])


@pytest.mark.parametrize("text,expected", [
    # past-tense report of a dated briefing: published after it, the next day at the earliest
    (("The defence minister told reporters at a Wednesday, March 6 briefing in Seoul that "
      "the drills would go ahead."), "2024-03-07"),
    (("Officials met on Wednesday the 6th of March to review the sanctions list, and agreed "
      "to add ten companies."), "2024-03-07"),
    # present tense: that day
    (("The trade fair opens on Friday, March 8 in Minsk with exhibitors from twelve "
      "countries."), "2024-03-08"),
    # future tense: the days before it, the latest of them
    (("Ministers will meet on Friday, March 8 to discuss grain prices, the council said."),
     "2024-03-07"),
])
def test_weekday_date_pair_fixes_the_date(store, text, expected):
    dated(store)
    doc = add_article(store, text, entities=["KOR"])
    report = link(store, [doc])
    got = store.get_document(doc)
    assert got.published_inferred == expected
    assert "weekday-date pair" in got.published_inferred_reason
    assert report.inferred_dates == [doc]
    assert got.meta.published is None  # a stated date is never invented


def test_weekday_date_pair_without_dated_corpus_fixes_nothing(store):
    doc = add_article(store, "The minister told reporters at a Wednesday, March 6 briefing "
                             "that the drills would go ahead.", entities=["KOR"])
    link(store, [doc])
    assert store.get_document(doc).published_inferred is None


def test_the_weekday_picks_the_year_near_the_corpus(store):
    dated(store)
    # among the years around the corpus (2022-2025) only 2022 has March 6 on a Sunday
    doc = add_article(store, "Officials said at a Sunday, March 6 meeting that the plan "
                             "had failed.", entities=["KOR"])
    link(store, [doc])
    assert store.get_document(doc).published_inferred == "2022-03-07"


def test_a_pair_that_fits_no_year_near_the_corpus_fixes_nothing(store):
    dated(store)
    # a Saturday March 6 falls in 2021 and 2027, both outside the window 2022-2025
    doc = add_article(store, "Officials said at a Saturday, March 6 meeting that the plan "
                             "had failed.", entities=["KOR"])
    link(store, [doc])
    assert store.get_document(doc).published_inferred is None


def test_stated_date_is_never_overwritten(store):
    dated(store)
    doc = add_article(store, "The minister told reporters at a Wednesday, March 6 briefing "
                             "that the drills would go ahead.", published="2024-03-09",
                      entities=["KOR"])
    report = link(store, [doc])
    got = store.get_document(doc)
    assert got.published_inferred is None and got.meta.published == "2024-03-09"
    assert report.inferred_dates == []


VISIT_DATED = ("Iran's president arrived in Minsk on Thursday for two days of talks on "
               "trade with Belarus, officials said.")


def _visit(store, when="2024-03-07"):
    return add_article(store, VISIT_DATED, outlet="Steppe Observer", published="2024-03-07",
                       entities=["IRN", "BLR"],
                       events=[{"type": "CONSULT", "subtype": "visit", "actor": "IRN",
                                "target": "BLR", "when": when, "when_text": "on Thursday",
                                "evidence": "Iran's president arrived in Minsk on Thursday"}])


def test_shared_event_dates_an_undated_report(store):
    a = _visit(store)
    b = add_article(store, "Iran's president is in Minsk on Thursday, where he and his "
                           "Belarusian hosts will sign several trade agreements.",
                    outlet="Caspian Letter", entities=["IRN", "BLR"],
                    events=[{"type": "CONSULT", "subtype": "visit", "actor": "IRN",
                             "target": "BLR", "when": None, "when_text": "on Thursday",
                             "evidence": "Iran's president is in Minsk on Thursday"}])
    report = link(store, [a, b])
    got = store.get_document(b)
    assert got.published_inferred == "2024-03-07"
    assert "on Thursday" in got.published_inferred_reason
    assert report.inferred_dates == [b]
    # linking again changes nothing: the pipeline's re-analysis loop ends
    assert link(store, [b]).inferred_dates == []


def test_planned_mention_of_a_dated_event_dates_the_preview(store):
    a = _visit(store)
    b = add_article(store, "Iran's president will travel to Minsk on Thursday for talks, his "
                           "office announced.", outlet="Gulf Herald", entities=["IRN", "BLR"],
                    events=[{"type": "CONSULT", "subtype": "visit", "actor": "IRN",
                             "target": "BLR", "status": "planned", "cue": "will",
                             "when_text": "on Thursday",
                             "evidence": "Iran's president will travel to Minsk on Thursday"}])
    link(store, [a, b])
    # before the visit: the latest day the evidence allows, the day itself
    assert store.get_document(b).published_inferred == "2024-03-07"


def test_conflicting_evidence_leaves_the_date_open(store):
    a = _visit(store)
    b = add_article(store, "Iran's president is in Minsk on Thursday. Aides told reporters at "
                           "a Tuesday, March 19 briefing that the trip had gone well.",
                    outlet="Caspian Letter", entities=["IRN", "BLR"],
                    events=[{"type": "CONSULT", "subtype": "visit", "actor": "IRN",
                             "target": "BLR", "when_text": "on Thursday",
                             "evidence": "Iran's president is in Minsk on Thursday"}])
    link(store, [a, b])
    assert store.get_document(b).published_inferred is None


def test_relative_day_without_a_shared_event_stays_open(store):
    dated(store)
    b = add_article(store, "Argentina's farm minister is in Brasilia on Thursday for talks "
                           "about wheat quotas.", entities=["ARG", "BRAZIL"],
                    events=[{"type": "CONSULT", "subtype": "visit", "actor": "ARG",
                             "target": "BRAZIL", "when_text": "on Thursday",
                             "evidence": "Argentina's farm minister is in Brasilia"}])
    link(store, [b])
    assert store.get_document(b).published_inferred is None


def test_tense_of_the_reporting_clause_ignores_quoted_speech():
    text = ("\u201cThey will pay for this,\u201d the adviser told reporters at a Tuesday, "
            "September 5 briefing.")
    i = text.index("Tuesday")
    assert tense_at(text, i, i + 20) == "past"
    text2 = "The envoy is expected to arrive on Monday, June 3 for talks."
    i = text2.index("Monday")
    assert tense_at(text2, i, i + 14) == "future"
    text3 = "The exhibition opens on Monday, June 3 in the capital."
    i = text3.index("Monday")
    assert tense_at(text3, i, i + 14) == "present"


def test_past_tense_report_and_last_week_combine(store):
    talks = add_article(store, "Officials from Iran and Belarus held talks in Minsk on "
                               "Wednesday about rail freight.", outlet="Steppe Observer",
                        published="2024-03-06", entities=["IRN", "BLR"],
                        events=[{"type": "CONSULT", "subtype": "meeting", "actor": "IRN",
                                 "target": "BLR", "when": "2024-03-06",
                                 "when_text": "on Wednesday",
                                 "evidence": "Officials from Iran and Belarus held talks"}])
    fine = add_article(store, "Belarus fined Iran's largest rail freight company on Friday "
                              "for breaking transit rules.", outlet="Baltic Courier",
                       published="2024-03-01", entities=["IRN", "BLR"],
                       events=[{"type": "SANCTION", "subtype": "sanctions_designation",
                                "actor": "BLR", "target": "IRN", "when": "2024-03-01",
                                "when_text": "on Friday",
                                "evidence": "Belarus fined Iran's largest rail freight company"}])
    undated = add_article(
        store, "A freight train left Minsk a day after Iran and Belarus met on Wednesday. "
               "Belarus fined Iran's largest rail freight company last week, traders noted.",
        outlet="Caspian Letter", entities=["IRN", "BLR"],
        events=[{"type": "CONSULT", "subtype": "meeting", "actor": "IRN", "target": "BLR",
                 "when_text": "on Wednesday", "evidence": "Iran and Belarus met on Wednesday"},
                {"type": "SANCTION", "subtype": "sanctions_designation", "actor": "BLR",
                 "target": "IRN", "when_text": "last week",
                 "evidence": "Belarus fined Iran's largest rail freight company last week"}])
    link(store, [talks, fine, undated])
    got = store.get_document(undated)
    # met on Wednesday 6 March, told in the past tense: from the 7th; "last week" of a fine
    # on Friday 1 March: the week of 4-10 March; together: 7-10 March, the earliest: the 7th
    assert got.published_inferred == "2024-03-07"
    assert "past tense" in got.published_inferred_reason
    assert "week" in got.published_inferred_reason
