"""Dates of undated documents: weekday-date pairs, and events shared with dated articles."""

from __future__ import annotations

import pytest
from link_support import add_article, parsed_clauses

from storyline.link import HashEmbedder, update_links
from storyline.link.tenses import Tenses
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


def _tenses(text: str) -> Tenses:
    return Tenses(c.as_dict() for c in parsed_clauses(text))


def tense_at(text: str, start: int, end: int) -> str:
    return _tenses(text).sentence(start, end)


def clause_tense(text: str, start: int, end: int) -> str:
    return _tenses(text).clause(start, end)


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


# ---- candidate anchors, "a day after", "Wednesday's talks", the weekday pick ----------

def _talks(store, day="2024-03-06", when_text="on Wednesday"):
    """Talks in Minsk that a dated article puts on `day`."""
    return add_article(store, "Officials from Iran and Belarus held talks in Minsk about rail "
                              "freight, the foreign ministry said.", outlet="Steppe Observer",
                       published=day, entities=["IRN", "BLR"],
                       events=[{"type": "CONSULT", "subtype": "meeting", "actor": "IRN",
                                "target": "BLR", "when": day, "when_text": when_text,
                                "evidence": "Officials from Iran and Belarus held talks"}])


def _fine(store):
    """A fine that a dated article puts on Friday 1 March 2024."""
    return add_article(store, "Belarus fined Iran's largest rail freight company on Friday "
                              "for breaking transit rules.", outlet="Baltic Courier",
                       published="2024-03-01", entities=["IRN", "BLR"],
                       events=[{"type": "SANCTION", "subtype": "sanctions_designation",
                                "actor": "BLR", "target": "IRN", "when": "2024-03-01",
                                "when_text": "on Friday",
                                "evidence": "Belarus fined Iran's largest rail freight company"}])


FINE_LAST_WEEK = {"type": "SANCTION", "subtype": "sanctions_designation", "actor": "BLR",
                  "target": "IRN", "when_text": "last week",
                  "evidence": "Belarus fined Iran's largest rail freight company last week"}


@pytest.mark.parametrize("phrase,expected", [
    ("two days ago", "2024-03-03"),
    ("three days ago", "2024-03-04"),
])
def test_a_count_of_days_tested_against_candidate_anchors(store, phrase, expected):
    # "N days ago" of a fine dated 1 March fits one publication date only
    fine = _fine(store)
    text = f"Belarus fined Iran's largest rail freight company {phrase}, traders said."
    doc = add_article(store, text, outlet="Caspian Letter", entities=["IRN", "BLR"],
                      events=[{"type": "SANCTION", "subtype": "sanctions_designation",
                               "actor": "BLR", "target": "IRN", "when_text": phrase,
                               "evidence": "Belarus fined Iran's largest rail freight company"}])
    link(store, [fine, doc])
    got = store.get_document(doc)
    assert got.published_inferred == expected
    assert "resolves to the date other articles give it" in got.published_inferred_reason


def test_an_expression_that_ignores_the_anchor_fixes_nothing(store):
    fine = _fine(store)
    doc = add_article(store, "Belarus fined Iran's largest rail freight company on March 1, "
                             "2024, traders said.", outlet="Caspian Letter",
                      entities=["IRN", "BLR"],
                      events=[{"type": "SANCTION", "subtype": "sanctions_designation",
                               "actor": "BLR", "target": "IRN",
                               "when_text": "on March 1, 2024",
                               "evidence": "Belarus fined Iran's largest rail freight company"}])
    link(store, [fine, doc])
    assert store.get_document(doc).published_inferred is None


def test_last_week_alone_names_no_day(store):
    # the fine's week is known, so the article's week is the next one; no day in it is named
    fine = _fine(store)
    doc = add_article(store, "Belarus fined Iran's largest rail freight company last week, "
                             "and traders are still counting the cost.",
                      outlet="Caspian Letter", entities=["IRN", "BLR"],
                      events=[FINE_LAST_WEEK])
    link(store, [fine, doc])
    assert store.get_document(doc).published_inferred is None


@pytest.mark.parametrize("text,times,expected", [
    # the article's week is 4-10 March; its Thursday is the 7th
    (("Belarus fined Iran's largest rail freight company last week. A customs official said "
      "on Thursday that checks at the border had doubled."), ["last week", "on Thursday"],
     "2024-03-07"),
    (("Belarus fined Iran's largest rail freight company last week. The company's trains were "
      "seen idle at the border on Tuesday morning, and its chief executive resigned on "
      "Wednesday."), ["last week", "Tuesday morning", "Wednesday"], "2024-03-06"),
    # present tense: the same rule, the day itself
    (("Belarus fined Iran's largest rail freight company last week. Its trains are idle on "
      "Friday as inspectors check every wagon."), ["last week", "Friday"], "2024-03-08"),
])
def test_a_named_weekday_picks_the_day_in_a_narrow_window(store, text, times, expected):
    fine = _fine(store)
    doc = add_article(store, text, outlet="Caspian Letter", entities=["IRN", "BLR"],
                      events=[FINE_LAST_WEEK], times=[{"text": t} for t in times])
    report = link(store, [fine, doc])
    got = store.get_document(doc)
    assert got.published_inferred == expected
    assert "names its own weekday" in got.published_inferred_reason
    assert report.inferred_dates == [doc]
    assert link(store, [doc]).inferred_dates == []  # stable when linked again


def test_a_planned_weekday_before_the_reported_one_leaves_the_date_open(store):
    fine = _fine(store)
    text = ("Belarus fined Iran's largest rail freight company last week. Its chief executive "
            "resigned on Friday, and the board will meet on Wednesday to choose a successor.")
    doc = add_article(store, text, outlet="Caspian Letter", entities=["IRN", "BLR"],
                      events=[FINE_LAST_WEEK], times=[{"text": "last week"},
                                                      {"text": "Friday"},
                                                      {"text": "Wednesday"}])
    link(store, [fine, doc])
    # a plan for Wednesday 6 March cannot be told after Friday 8 March: the text disagrees
    assert store.get_document(doc).published_inferred is None


def test_last_thursday_is_not_a_bare_weekday(store):
    fine = _fine(store)
    text = ("Belarus fined Iran's largest rail freight company last week. Traders said last "
            "Thursday's figures were already weak.")
    doc = add_article(store, text, outlet="Caspian Letter", entities=["IRN", "BLR"],
                      events=[FINE_LAST_WEEK], times=[{"text": "last week"},
                                                      {"text": "Thursday"}])
    link(store, [fine, doc])
    assert store.get_document(doc).published_inferred is None


MET_AFTER = {"type": "CONSULT", "subtype": "meeting", "actor": "IRN", "target": "BLR",
             "evidence": "Iranian and Belarusian officials met in Minsk"}


@pytest.mark.parametrize("text,expected", [
    # the train left on the 7th, a day after the talks of Wednesday 6 March: told in the past,
    # published from the 7th; "last week" (the fine) gives 4-10 March; Thursday is the 7th
    (("A freight train left for Tehran on Thursday, rail officials said, a day after Iranian "
      "and Belarusian officials met in Minsk. Belarus fined Iran's largest rail freight "
      "company last week."), "2024-03-07"),
    # two days after: from the 8th; the Friday it names is the 8th
    (("The first train crossed the border on Friday, two days after Iranian and Belarusian "
      "officials met in Minsk. Belarus fined Iran's largest rail freight company last "
      "week."), "2024-03-08"),
])
def test_a_day_after_a_dated_event(store, text, expected):
    talks, fine = _talks(store), _fine(store)
    weekday = "Thursday" if "Thursday" in text else "Friday"
    doc = add_article(store, text, outlet="Caspian Letter", entities=["IRN", "BLR"],
                      events=[MET_AFTER, FINE_LAST_WEEK],
                      times=[{"text": weekday}, {"text": "last week"}])
    link(store, [talks, fine, doc])
    got = store.get_document(doc)
    assert got.published_inferred == expected
    assert "published on or after it" in got.published_inferred_reason


def test_days_after_and_last_week_meet_in_one_day(store):
    # talks on Friday 8 March; the arrival two days later is the 10th, published from then;
    # "last week" of the fine of 1 March ends on the 10th: that day only
    talks, fine = _talks(store, day="2024-03-08", when_text="on Friday"), _fine(store)
    doc = add_article(store, "Grain wagons reached Tehran two days after Iranian and "
                             "Belarusian officials met in Minsk. Belarus fined Iran's largest "
                             "rail freight company last week.", outlet="Caspian Letter",
                      entities=["IRN", "BLR"], events=[MET_AFTER, FINE_LAST_WEEK])
    link(store, [talks, fine, doc])
    got = store.get_document(doc)
    assert got.published_inferred == "2024-03-10"
    assert "'two days after'" in got.published_inferred_reason


def test_a_day_after_without_a_named_day_stays_open(store):
    # on or after the 7th, within the fine's next week: four days, no weekday named
    talks, fine = _talks(store), _fine(store)
    doc = add_article(store, "A freight train left for Tehran a day after Iranian and "
                             "Belarusian officials met in Minsk. Belarus fined Iran's largest "
                             "rail freight company last week.", outlet="Caspian Letter",
                      entities=["IRN", "BLR"], events=[MET_AFTER, FINE_LAST_WEEK],
                      times=[{"text": "last week"}])
    link(store, [talks, fine, doc])
    assert store.get_document(doc).published_inferred is None


def test_a_planned_happening_a_day_after_fixes_nothing(store):
    talks, fine = _talks(store), _fine(store)
    doc = add_article(store, "A freight train will leave for Tehran a day after Iranian and "
                             "Belarusian officials met in Minsk. Belarus fined Iran's largest "
                             "rail freight company last week. It will arrive on Thursday.",
                      outlet="Caspian Letter", entities=["IRN", "BLR"],
                      events=[MET_AFTER, FINE_LAST_WEEK],
                      times=[{"text": "last week"}, {"text": "Thursday"}])
    link(store, [talks, fine, doc])
    got = store.get_document(doc)
    # only "last week" and a future Thursday remain: no day is picked
    assert got.published_inferred is None


MET = {"type": "CONSULT", "subtype": "meeting", "actor": "IRN", "target": "BLR",
       "evidence": "Iran and Belarus met in Minsk"}


@pytest.mark.parametrize("text,expected", [
    # told in the past: published after the talks of Wednesday 6 March, the 7th at the earliest
    (("Iran and Belarus met in Minsk to discuss freight. Trade will grow, a diplomat familiar "
      "with Wednesday's talks said."), "2024-03-07"),
    (("Iran and Belarus met in Minsk to discuss freight. After Wednesday's meeting, both "
      "sides promised lower tariffs."), "2024-03-07"),
    # present: that day at the earliest
    (("Iran and Belarus met in Minsk to discuss freight. Wednesday's talks are the first in "
      "a year."), "2024-03-06"),
])
def test_weekday_possessive_names_the_shared_event(store, text, expected):
    talks = _talks(store)
    doc = add_article(store, text, outlet="Caspian Letter", entities=["IRN", "BLR"],
                      events=[MET])
    link(store, [talks, doc])
    got = store.get_document(doc)
    assert got.published_inferred == expected
    assert "Wednesday's" in got.published_inferred_reason


def test_weekday_possessive_of_another_day_fixes_nothing(store):
    # the talks the dated article reports were on a Wednesday, not a Tuesday
    talks = _talks(store)
    doc = add_article(store, "Iran and Belarus met in Minsk to discuss freight. Trade will "
                             "grow, a diplomat familiar with Tuesday's talks said.",
                      outlet="Caspian Letter", entities=["IRN", "BLR"], events=[MET])
    link(store, [talks, doc])
    assert store.get_document(doc).published_inferred is None


def test_weekday_possessive_of_another_kind_fixes_nothing(store):
    # the weather is no happening of the shared event's kind
    talks = _talks(store)
    doc = add_article(store, "Iran and Belarus met in Minsk to discuss freight. Wednesday's "
                             "weather kept some delegates away, officials said.",
                      outlet="Caspian Letter", entities=["IRN", "BLR"], events=[MET])
    link(store, [talks, doc])
    assert store.get_document(doc).published_inferred is None


@pytest.mark.parametrize("sentence,word,tense", [
    (("If the ship leaves again, both sides are expected to publish their findings, a "
      "diplomat familiar with Wednesday's talks said."), "Wednesday", "past"),
    ("Officials said on Thursday that the talks will resume.", "Thursday", "past"),
    ("On Friday, officials said the plan had failed.", "Friday", "past"),
    ("Ministers will meet on Friday to discuss grain.", "Friday", "future"),
    ("The envoy is scheduled to arrive on Monday.", "Monday", "future"),
    ("The president is in Minsk on Thursday.", "Thursday", "present"),
])
def test_clause_tense_reads_the_verb_nearest_the_weekday(sentence, word, tense):
    i = sentence.index(word)
    assert clause_tense(sentence, i, i + len(word)) == tense


def _with_url(store, doc_id: str, url: str) -> str:
    with store.write():
        store.conn.execute("UPDATE documents SET url=? WHERE id=?", (url, doc_id))
    return doc_id


@pytest.mark.parametrize("url,expected", [
    ("https://m.example.com/view/20230913145203318", "2023-09-13"),  # a time stamp id
    ("https://example.com/2024/06/19/putin-arrives/", "2024-06-19"),
    ("https://example.com/news/2024-03-28-council-vote", "2024-03-28"),
    # no single day: a month only, an id that is no date, two days
    ("https://example.com/nachrichten-2024-03/61817767-vote.htm", None),
    ("https://example.com/articles/-/3525046", None),
    ("https://example.com/2024/06/19/recap-of-2024/06/12", None),
])
def test_the_page_address_names_the_day(store, url, expected):
    doc = _with_url(store, add_article(store, "Officials met to review the sanctions list.",
                                       entities=["KOR"]), url)
    link(store, [doc])
    got = store.get_document(doc)
    assert got.published_inferred == expected
    if expected:
        assert "page address" in got.published_inferred_reason
        assert got.meta.published is None


def _minsk_report(store, opening: str, times: list[dict]) -> str:
    text = opening + " Iran's president arrived in Minsk for trade talks with his hosts."
    return add_article(store, text, outlet="Caspian Letter", entities=["IRN", "BLR"],
                       times=times,
                       events=[{"type": "CONSULT", "subtype": "visit", "actor": "IRN",
                                "target": "BLR", "when": None, "when_text": None,
                                "evidence": "Iran's president arrived in Minsk"}])


@pytest.mark.parametrize("opening,expr,expected", [
    ("MINSK, March 7 (Caspian Wire) -", "March 7", "2024-03-07"),
    ("【3月7日 AFP】", "3月7日", "2024-03-07"),
    # a date that is no dateline (no agency after it), or a day far from the shared event
    ("On March 7 officials said", "March 7", None),
    ("MINSK, March 25 (Caspian Wire) -", "March 25", None),
])
def test_a_dateline_takes_the_year_of_the_events_it_shares(store, opening, expr, expected):
    a = _visit(store)
    start = opening.index(expr)
    b = _minsk_report(store, opening, [{"text": expr, "start": start,
                                        "end": start + len(expr), "value": None}])
    link(store, [a, b])
    got = store.get_document(b)
    assert got.published_inferred == expected
    if expected:
        assert "dateline" in got.published_inferred_reason


@pytest.mark.parametrize("expr,expected", [
    ("am Donnerstag", 3), ("в четверг", 3), ("jeudi", 3), ("on Thursday", 3),
    # not a weekday by itself: a relative day, a date, a common word
    ("gestern", None), ("19日", None), ("mit", None),
])
def test_a_weekday_in_any_language_can_pick_the_day(expr, expected):
    from storyline.link.date_constraints import bare_weekday

    assert bare_weekday("", expr, 0) == expected


def test_the_dateline_outweighs_the_tense_of_a_same_day_report(store):
    """ "MINSK, March 7 (Caspian Wire) - ... arrived on Thursday": a past-tense report of a
    visit that other articles date to Thursday 7 March would be published from the next day
    on, but the dateline names the 7th; the article's own dateline wins."""
    a = _visit(store)
    opening = "MINSK, March 7 (Caspian Wire) -"
    text = opening + " Iran's president arrived in Minsk on Thursday for trade talks."
    b = add_article(store, text, outlet="Caspian Letter", entities=["IRN", "BLR"],
                    times=[{"text": "March 7", "start": 7, "end": 14, "value": None},
                           {"text": "on Thursday", "start": text.index("on Thursday"),
                            "end": text.index("on Thursday") + 11, "value": None}],
                    events=[{"type": "CONSULT", "subtype": "visit", "actor": "IRN",
                             "target": "BLR", "when": None, "when_text": "on Thursday",
                             "evidence": "Iran's president arrived in Minsk on Thursday"}])
    link(store, [a, b])
    got = store.get_document(b)
    assert got.published_inferred == "2024-03-07"
    assert "dateline" in got.published_inferred_reason
