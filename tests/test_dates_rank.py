"""The dates that matter: days ranked by what the coverage says happened on them, each with
its evidence; per story or over the whole store; `storyline dates --json`."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from link_support import add_article
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import NotFound
from storyline.link import HashEmbedder, queries, salience, update_links
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def coverage(store: Store) -> list[str]:
    """A flood over a week: the dam broke on 3 March; later reports look back at it."""
    a = add_article(
        store, "The Korvel dam broke on Tuesday, March 3, flooding the valley below. "
               "Rescuers reached the first villages today.",
        outlet="Valley Post", published="2026-03-04", title="Dam breaks",
        times=[{"text": "Tuesday, March 3", "value": "2026-03-03"},
               {"text": "today", "value": "2026-03-04"}])
    b = add_article(
        store, "Since the dam broke on March 3, the river has risen every day, and officials "
               "said on March 6 that the levees would hold.",
        outlet="River News", published="2026-03-07", title="Levees hold",
        times=[{"text": "March 3", "value": "2026-03-03"},
               {"text": "March 6", "value": "2026-03-06"}])
    c = add_article(
        store, "A week after the dam broke on March 3, the inquiry opened in March. "
               "It will report in 2027.",
        outlet="Capital Review", published="2026-03-10", title="Inquiry opens",
        times=[{"text": "March 3", "value": "2026-03-03"},
               {"text": "in March", "value": "2026-03"},
               {"text": "in 2027", "value": "2027"}])
    return [a, b, c]


def test_the_day_every_report_points_back_at_ranks_first(store):
    a, b, c = coverage(store)
    ranked = salience.rank_dates(store, top=None)
    first = ranked[0]
    assert first["date"] == "2026-03-03"
    assert first["referring_documents"] == 3
    # two of the reports came out days later and still name the day
    assert first["referring_back"] == 2
    spans = first["evidence"]["spans"]
    assert {s["doc_id"] for s in spans} == {a, b, c}
    for s in spans:
        text = store.get_document(s["doc_id"]).text
        assert text[s["start"]:s["end"]] == s["text"]
    # a month or a year names no day
    days = [d["date"] for d in ranked]
    assert all(len(d) == 10 for d in days)
    assert "2026-03-06" in days and "2026-03-10" in days  # named once; published on
    assert days.index("2026-03-03") < days.index("2026-03-06")


def test_top_limits_and_weights_change_the_order(store):
    coverage(store)
    assert len(salience.rank_dates(store, top=2)) == 2
    # publications alone: the three publication days, each with one article
    only_published = replace(salience.WEIGHTS, refs=0.0, mentions=0.0, back_refs=0.0,
                             day_before=0.0, events=0.0, spread=0.0, published=1.0)
    ranked = salience.rank_dates(store, top=None, weights=only_published)
    assert [d["date"] for d in ranked] == ["2026-03-04", "2026-03-07", "2026-03-10"]
    assert all(d["evidence"]["published"] for d in ranked)


def test_a_month_or_a_week_spreads_a_little_over_its_days(store):
    coverage(store)
    ranked = {d["date"]: d["score"] for d in salience.rank_dates(store, top=None)}
    # "in March" reaches every day of March, each far below a day named by one document
    assert "2026-03-29" in ranked and ranked["2026-03-29"] < 0.1
    assert ranked["2026-03-29"] < ranked["2026-03-06"]
    assert "2027-01-01" not in ranked  # a year is too wide to say anything about a day
    narrow = replace(salience.WEIGHTS, spread_days=7)
    assert "2026-03-29" not in [d["date"] for d in salience.rank_dates(store, top=None,
                                                                     weights=narrow)]


def test_a_story_ranks_only_its_own_documents(store):
    ids = coverage(store)
    other = add_article(
        store, "Brazil shipped wheat to Argentina on March 5, traders said.",
        outlet="Farm Wire", published="2026-03-05", title="Wheat flows south",
        entities=["BRAZIL", "ARG"],
        times=[{"text": "March 5", "value": "2026-03-05"}])
    update_links(store, ids + [other], embedder=HashEmbedder())
    sid = queries.story_for_document(store, other)
    assert sid is not None and sid != queries.story_for_document(store, ids[0])
    days = [d["date"] for d in salience.rank_dates(store, sid, top=None)]
    assert days[0] == "2026-03-05" and "2026-03-03" not in days
    assert "2026-03-05" in [d["date"] for d in salience.rank_dates(store, top=None)]
    with pytest.raises(NotFound):
        salience.rank_dates(store, 999)


def test_merged_events_dated_to_a_day_count(store):
    a = add_article(
        store, "Belarus sent 300 tanks to Russia on May 2, border officials said.",
        outlet="Baltic Courier", published="2024-05-10", entities=["BLR", "RUS"],
        events=[{"subtype": "arms_transfer", "actor": "BLR", "target": "RUS",
                 "item": "tanks", "when": "2024-05-02",
                 "evidence": "Belarus sent 300 tanks to Russia on May 2"}])
    b = add_article(
        store, "The 300 tanks Belarus shipped to Russia on May 2 crossed at Orsha.",
        outlet="Vistula Daily", published="2024-05-11", entities=["BLR", "RUS"],
        events=[{"subtype": "arms_transfer", "actor": "BLR", "target": "RUS",
                 "item": "tanks", "when": "2024-05-02",
                 "evidence": "The 300 tanks Belarus shipped to Russia on May 2"}])
    update_links(store, [a, b], embedder=HashEmbedder())
    ranked = salience.rank_dates(store, top=None)
    day = next(d for d in ranked if d["date"] == "2024-05-02")
    assert day["event_documents"] == 2 and day["referring_documents"] == 0
    assert day["n_documents"] == 2
    assert day["evidence"]["events"][0]["mentions"]
    assert ranked[0]["date"] == "2024-05-02"


def test_cli_dates_json(store, db_path):
    coverage(store)
    result = CliRunner().invoke(app, ["dates", "--db", str(db_path), "--top", "3", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert len(out) == 3 and out[0]["date"] == "2026-03-03"
    assert {"score", "evidence", "referring_documents"} <= set(out[0])
    missing = CliRunner().invoke(app, ["dates", "999", "--db", str(db_path)])
    assert missing.exit_code != 0


def test_the_brief_lists_the_key_dates_with_their_words(store):
    import re

    from storyline.serve.brief import write_brief

    ids = coverage(store)
    update_links(store, ids, embedder=HashEmbedder())
    sid = queries.story_for_document(store, ids[0])
    md = write_brief(store, sid, "md")
    section = md[md.index("## Key dates"):md.index("## Sources")]
    bullets = [ln for ln in section.splitlines() if ln.startswith("- ")]
    ranked = [d["date"] for d in salience.rank_dates(store, sid, top=None)
              if d["evidence"]["spans"]]
    assert [b[2:12] for b in bullets] == ranked[:len(bullets)] and bullets
    assert all(re.search(r"(\[\d+\])+$", b) for b in bullets)
    notes = dict(re.findall(r"^\[(\d+)\] [^,]+, [\d-]+, doc (d\w+), chars \d+–\d+", md,
                            re.MULTILINE))
    for n in re.findall(r"\[(\d+)\]", bullets[0]):
        assert notes[n] in ids
