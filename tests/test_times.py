"""The storyline_times component on the real spaCy pipeline, with invented sentences.

Also the TempEval-3 runner on a small TimeML file written here, and (when ../shared is
present) the seed articles scored as the eval scores them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import pipeline

from storyline.eval.corpora.tempeval import evaluate_tempeval, gold_value, parse_tml, value_correct
from storyline.extract.times import time_in_span, times_in_span
from storyline.nlp import make_doc

pytestmark = pytest.mark.slow

WED = "2024-03-13"


def run(text: str, published: str | None = WED):
    nlp = pipeline("storyline_times")
    return nlp(make_doc(nlp, text, published=published))


def by_text(doc) -> dict[str, object]:
    return {t.text: t.value for t in doc._.sl_times}


def test_mentions_have_offsets_into_the_text_and_are_sorted():
    doc = run("The envoy left on Friday. She returns on March 20, 2024, her office said.")
    times = doc._.sl_times
    assert [t.text for t in times] == ["Friday", "March 20, 2024"]
    for t in times:
        assert doc.text[t.start:t.end] == t.text
    assert times[0].start < times[1].start
    assert times[1].anchor == "absolute" and times[0].anchor == "published"


@pytest.mark.parametrize("sentence,span,expected", [
    ("The delegation landed late Tuesday after a long flight.", "late Tuesday", "2024-03-12"),
    ("The envoy arrived Monday evening from Rome.", "Monday evening", "2024-03-11"),
    ("Prices have climbed since early January, traders said.", "since early January", "2024-01"),
    ("Floods hit the north in July and September.", "July and September",
     ["2023-07", "2023-09"]),
    ("He spoke at a Saturday, March 9th rally in the capital.", "Saturday, March 9th",
     "2024-03-09"),
    ("The ministry confirmed the order on Feb. 26, 2024 in a statement.", "Feb. 26, 2024",
     "2024-02-26"),
    ("Growth slowed over the past year, the bank said.", "over the past year",
     ["2023-03", "2024-03"]),
    ("Shipments stopped late last month.", "late last month", "2024-02"),
    ("Voting will close later in the day.", "later in the day", WED),
    ("The plan dates from the beginning of this year.", "the beginning of this year",
     "2024-01"),
    ("Talks resumed in October last year.", "October last year", "2023-10"),
])
def test_detection_and_values(sentence, span, expected):
    doc = run(sentence)
    assert by_text(doc).get(span, "MISSING") == expected, by_text(doc)


@pytest.mark.parametrize("sentence,span,expected", [
    ("Fuel prices have doubled since last summer, drivers complain.", "since last summer",
     ["2023-06", "2023-08"]),
    ("Farmers expect another dry spell this spring.", "this spring", ["2024-03", "2024-05"]),
    ("The dam will be finished next winter, the ministry said.", "next winter",
     ["2024-12", "2025-02"]),
    ("The bridge was built in the summer of 2019 by a local firm.", "the summer of 2019",
     ["2019-06", "2019-08"]),
    ("Snow closed the pass during the winter of nineteen ninety-six.",
     "the winter of nineteen ninety-six", ["1996-12", "1997-02"]),
    ("The council had warned earlier in the week that the dykes were weak.",
     "earlier in the week", "2024-W11"),
    ("Engineers hope to reopen the tunnel later this week.", "later this week", "2024-W11"),
    ("Protesters marched through the old town over the weekend.", "the weekend",
     ["2024-03-09", "2024-03-10"]),
    ("Two ferries collided at the weekend, the coast guard said.", "the weekend",
     ["2024-03-09", "2024-03-10"]),
])
def test_seasons_weeks_and_weekends_in_sentences(sentence, span, expected):
    doc = run(sentence)
    assert by_text(doc).get(span, "MISSING") == expected, by_text(doc)


def test_fall_as_a_verb_or_a_drop_is_not_a_season():
    doc = run("Exports could fall further next month after a fall in orders.")
    assert by_text(doc) == {"next month": "2024-04"}
    doc = run("Analysts blamed this fall in prices on weak demand last month.")
    assert by_text(doc) == {"last month": "2024-02"}
    doc = run("The new school opens this fall, officials said.")
    assert by_text(doc) == {"this fall": ["2024-09", "2024-11"]}


def test_leading_in_and_on_are_left_out_of_the_span():
    doc = run("In October the port reopened, and on Monday it closed again.")
    assert set(by_text(doc)) == {"October", "Monday"}


def test_tense_of_the_governing_verb_decides_the_weekday():
    assert by_text(run("The minister visited the border on Friday."))["Friday"] == "2024-03-08"
    assert by_text(run("The minister will visit the border on Friday."))["Friday"] \
        == "2024-03-15"
    assert by_text(run("The two leaders are set to meet on Monday."))["Monday"] == "2024-03-18"
    assert by_text(run("The two leaders met on Monday."))["Monday"] == "2024-03-11"


def test_tense_decides_a_bare_month():
    assert by_text(run("The factory will reopen in October."))["October"] == "2024-10"
    assert by_text(run("The factory reopened in October."))["October"] == "2023-10"


def test_durations_sets_and_vague_words_are_not_emitted():
    doc = run("He spent four years abroad, calls home each day and is now retired; "
              "in recent months he has written two books.")
    assert doc._.sl_times == []


def test_time_relative_to_an_event_is_kept_unresolved():
    doc = run("The inquiry opened three days after the crash.")
    [t] = doc._.sl_times
    assert t.text == "three days after" and t.value is None and t.anchor is None
    assert "event" in t.note


def test_no_anchor_document():
    doc = run("Officials met on Thursday and again in May, and the deal signed on "
              "June 4, 2019 expires next year.", published=None)
    values = by_text(doc)
    assert values["Thursday"] is None and values["May"] is None and values["next year"] is None
    assert values["June 4, 2019"] == "2019-06-04"
    for t in doc._.sl_times:
        if t.value is None:
            assert t.anchor is None and "no publication date" in t.note


def test_time_in_span_picks_the_time_of_a_clause():
    text = "The army withdrew on Sunday. Aid arrived two days later. Nothing else happened."
    doc = run(text)
    s1 = text.index("The army")
    s2 = text.index("Aid")
    s3 = text.index("Nothing")
    assert time_in_span(doc, s1, s2).value == "2024-03-10"
    assert time_in_span(doc, s2, s3).text == "two days later"
    assert time_in_span(doc, s3, len(text)) is None
    assert len(times_in_span(doc, 0, len(text))) == 2


# ---- TempEval-3 runner on a TimeML file written here ------------------------------------

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-03-13" temporalFunction="false" \
functionInDocument="CREATION_TIME">2024-03-13</TIMEX3></DCT>
<TEXT>
The council <EVENT eid="e1" class="OCCURRENCE">voted</EVENT> on \
<TIMEX3 tid="t1" type="DATE" value="2024-03-11">Monday</TIMEX3> after \
<TIMEX3 tid="t2" type="DURATION" value="P3W">three weeks</TIMEX3> of debate &amp; delay.
It will meet again <TIMEX3 tid="t3" type="DATE" value="2024-W12">next week</TIMEX3>, \
<TIMEX3 tid="t4" type="DATE" value="PRESENT_REF">now</TIMEX3> that the budget from \
<TIMEX3 tid="t5" type="DATE" value="2023-Q4">the fourth quarter</TIMEX3> is in.
</TEXT>
</TimeML>
"""


def test_tempeval_parser_and_runner(tmp_path: Path):
    path = tmp_path / "doc.tml"
    path.write_text(TML, encoding="utf-8")
    doc = parse_tml(path)
    assert doc.dct == "2024-03-13"
    assert [t.text for t in doc.timexes] == ["Monday", "three weeks", "next week", "now",
                                             "the fourth quarter"]
    assert all(doc.text[t.start:t.end] == t.text for t in doc.timexes)
    assert "debate & delay" in doc.text
    res = evaluate_tempeval(tmp_path)
    date = res["by_type"]["DATE"]
    assert date["gold"] == 4 and date["undetermined"] == 1
    assert date["correct"] == 3  # Monday, next week, the fourth quarter; "now" is not emitted
    assert date["value_accuracy_all"] == 0.75 and date["value_accuracy_detected"] == 1.0
    assert res["by_type"]["DURATION"]["detected"] == 0
    json.dumps(res)


def test_tempeval_value_mapping():
    assert gold_value("1998-Q3") == ("exact", ["1998-07", "1998-09"])
    assert gold_value("2000-W7") == ("exact", "2000-W07")
    assert gold_value("1998-01-08TEV") == ("exact", "1998-01-08")
    assert gold_value("199") == ("exact", ["1990", "1999"])
    assert gold_value("PAST_REF")[0] == "undetermined"
    assert value_correct(None, "PRESENT_REF") and not value_correct("1998", "PRESENT_REF")
    assert value_correct("1949", "1949-XX") and not value_correct("1950", "1949-XX")
    assert value_correct(["1994", "1997"], "1994", part=True)
    assert not value_correct(["1994", "1997"], "1994")
    # seasons: the month pair, and for a winter either of the two it may name
    assert value_correct(["1998-06", "1998-08"], "1998-SU")
    assert not value_correct(["1997-06", "1997-08"], "1998-SU")
    assert value_correct(["1994-12", "1995-02"], "1994-WI")
    assert value_correct(["1993-12", "1994-02"], "1994-WI")
    assert value_correct(None, "1998-FA")


# ---- the seed articles, read from ../shared at run time ---------------------------------

@pytest.mark.seeds
def test_seed_time_values(shared: Path):
    """Gold times scored as the eval does, with the true date as anchor where one is known."""
    key = json.loads((shared / "gold" / "seeds.gold.json").read_text(encoding="utf-8"))
    nlp = pipeline("storyline_times")
    correct = total = 0
    for d in key["documents"]:
        text = (shared / "seeds" / d["file"]).read_text(encoding="utf-8")
        anchor = d.get("published") or d.get("published_true")
        doc = nlp(make_doc(nlp, text, published=anchor))
        used: list[tuple[int, int]] = []
        for g in sorted(d["times"], key=lambda t: -len(t["text"])):
            total += 1
            i = text.find(g["text"])
            while i >= 0 and any(i < e and s < i + len(g["text"]) for s, e in used):
                i = text.find(g["text"], i + 1)
            if i < 0:
                continue
            used.append((i, i + len(g["text"])))
            got = [t.value for t in times_in_span(doc, i, i + len(g["text"]))
                   if t.value is not None]
            want = g["value"]
            correct += (not got) if want is None else (bool(got) and all(v == want for v in got))
    assert total and correct / total >= 0.9


def _sample_texts() -> list[str]:
    root = Path(__file__).resolve().parent.parent / "examples"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt"))]
    return texts + [
        "Talks resumed on Monday, Sept. 5, 2023, and ended late Wednesday evening.",
        "x" * 300 + " It happened in May and August 2022, two weeks after the vote. " + "y" * 300,
        "Prices fell 12 percent in the 1990s; the first quarter of 2024 was worse.",
        "There are many options springing up; this spring the talks stalled.",
        "Officials met three days ago\nand again the next day, 1 March 2024.",
    ]


def test_rules_scan_only_near_trigger_words_without_changing_the_spans():
    from storyline.extract.times import _ALL_KINDS, _rule_spans, rule_windows

    texts = _sample_texts()
    assert any([w[:2] for w in rule_windows(t)] != [(0, len(t))] for t in texts)  # narrower
    for text in texts:
        windows = rule_windows(text)
        for a, b, _ in windows:  # each window starts and ends at whitespace or an end
            assert a == 0 or text[a - 1].isspace()
            assert b == len(text) or text[b].isspace()
        assert _rule_spans(text) == _rule_spans(text, [(0, len(text), _ALL_KINDS)])


def test_a_season_word_inside_a_longer_word_is_not_a_season():
    from storyline.extract.times import _ALL_KINDS, _rule_spans

    text = "options like this springing up"
    assert _rule_spans(text, [(0, len(text), _ALL_KINDS)]) == []


@pytest.mark.parametrize("sentence,span,expected", [
    ("The drills ran from May 17 to 24 near the coast.", "from May 17 to 24",
     ["2024-05-17", "2024-05-24"]),
    ("Two navies held a joint drill on June 17-20.", "June 17-20", ["2024-06-17", "2024-06-20"]),
    ("In the period between June 6 and 8 the ferries stopped.", "between June 6 and 8",
     ["2024-06-06", "2024-06-08"]),
    ("From the night of May 28 to the dawn of June 2 the lights stayed off.",
     "From the night of May 28 to the dawn of June 2", ["2024-05-28", "2024-06-02"]),
])
def test_a_span_of_days_is_one_range(sentence, span, expected):
    got = by_text(run(sentence, published="2024-06-25"))
    assert got.get(span) == expected


@pytest.mark.parametrize("sentence,texts", [
    ("They met on May 6 and June 8.", {"May 6", "June 8"}),  # two days, as TimeML has them
    ("Talks on April 24 and 25 ended.", {"April 24"}),
    ("Sales rose 17 to 24 percent on May 3.", {"May 3"}),  # a share, not days
])
def test_what_is_no_span_of_days_stays_as_it_was(sentence, texts):
    assert set(by_text(run(sentence, published="2024-06-25"))) == texts


@pytest.mark.parametrize("sentence,published,span,expected", [
    ("He sent greetings on the occasion of the New Year 2025.", "2025-01-03",
     "the New Year 2025", "2025"),
    ("She wished the people happiness in the new year.", "2024-12-28", "the new year", "2025"),
    ("Markets shut for lunar New Year's Day in 2023.", "2023-03-01",
     "lunar New Year's Day in 2023", "2023-01-22"),
    ("Shops closed for the Spring Festival.", "2026-02-03", "the Spring Festival", "2026-02-17"),
])
def test_the_new_year_and_the_lunar_new_year(sentence, published, span, expected):
    assert by_text(run(sentence, published=published)).get(span) == expected


def test_a_year_long_plan_is_no_new_year():
    assert by_text(run("The council adopted a new year-long plan.", published="2024-01-12")) == {}
