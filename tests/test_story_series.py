"""Content words: counted by the store, and asked of a series of one house's articles.

An agency's press statements share their names (the state, its adversaries, the agency)
and their style whatever each is about; names and lead embeddings then read any two of them
as one story. For the share of a story's articles that come from the document's own house,
the fit stands only as far as their content words agree (`stories.series_factor`).
"""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest
from link_support import add_article

from storyline.lang.terms import content_words
from storyline.link import HashEmbedder, queries, update_links
from storyline.records import DocMeta, Document, document_id
from storyline.store import Store
from storyline.store.schema import SCHEMA_VERSION, WORD_BACKFILL

# Invented statements of one agency, one week: two on balloons, one on drills; every one
# names the same three states.
BALLOONS_1 = (
    "North Korea to South Korea and the United States: the balloons carrying leaflets and "
    "rubbish that crossed the border on Tuesday were scattered by the South. The leaflets "
    "and balloons insult our dignity, and the rubbish balloons will be answered in kind if "
    "the scattering of leaflets goes on.")
BALLOONS_2 = (
    "North Korea to South Korea and the United States: more balloons with leaflets and "
    "rubbish landed near the border on Friday. Those who scattered the leaflets and "
    "launched the balloons will collect rubbish of their own: the leaflets must stop.")
DRILLS = (
    "North Korea to South Korea and the United States: the joint air drills of their "
    "bombers and fighter jets off the peninsula rehearse a strike, the bombers flew close "
    "to our airspace, and such exercises of warplanes will meet our air defence forces.")


def test_content_words_leave_out_stop_words_short_words_and_digits() -> None:
    words = content_words("The balloons and the leaflets: 300 balloons in 2024, by us.", "en")
    assert words == Counter({"balloons": 2, "leaflets": 1})
    # a language without spaces between words gives pairs of characters
    assert content_words("气球传单", "zh") == Counter({"气球": 1, "球传": 1, "传单": 1})
    # an unknown language is read as English, as the pipeline reads it
    assert content_words("The balloons", None) == Counter({"balloons": 1})
    # a language spaCy has no stop words for keeps every word of three letters or more
    assert content_words("Les ballons", "xx") == Counter({"les": 1, "ballons": 1})


def _doc(text: str, language: str = "en") -> Document:
    return Document(id=document_id(text), source="t.txt", text=text,
                    meta=DocMeta(language=language))


def test_the_store_counts_each_document_s_words_once(db_path) -> None:
    with Store.open(db_path) as store:
        store.add_document(_doc(BALLOONS_1))
        store.add_document(_doc(BALLOONS_2))
        store.add_document(_doc(BALLOONS_2))  # the same article again: not counted again
        counts = store.word_document_counts(["balloons", "tuesday", "drills", "the"])
        assert counts == {"balloons": 2, "tuesday": 1, "drills": 0, "the": 0}
        assert store.conn.execute("SELECT count(*) FROM documents WHERE words_counted IS "
                                  "NULL").fetchone()[0] == 0


def test_a_store_made_before_word_counts_is_counted_when_opened(db_path) -> None:
    from storyline.store.schema import MIGRATIONS, split_sql

    conn = sqlite3.connect(db_path, isolation_level=None)
    for version, script in enumerate(MIGRATIONS[:WORD_BACKFILL - 1], start=1):
        for statement in split_sql(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={version}")
    for i, text in enumerate((BALLOONS_1, DRILLS)):
        conn.execute("INSERT INTO documents (id, source, kind, language, text, raw_text, "
                     "meta_json, removed_json, added_at) VALUES (?, 's', 'text', 'en', ?, ?, "
                     "'{}', '[]', 'now')", (f"d{i}", text, text))
    conn.close()
    with Store.open(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.word_document_counts(["balloons", "drills", "border"]) == {
            "balloons": 1, "drills": 1, "border": 1}
        # counted once: adding a new document adds only its own words
        store.add_document(_doc(BALLOONS_2))
        assert store.word_document_counts(["balloons", "border", "drills"]) == {
            "balloons": 2, "border": 2, "drills": 1}


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def _statements(store: Store, outlets: tuple[str, str, str]) -> list[str]:
    names = ["PRK", "KOR", "USA"]
    return [add_article(store, text, outlet=outlet, published=day, title="Press statement",
                        entities=names)
            for text, outlet, day in zip((BALLOONS_1, DRILLS, BALLOONS_2), outlets,
                                         ("2024-05-28", "2024-05-29", "2024-05-31"))]


def test_one_house_s_statements_on_other_subjects_are_other_stories(store) -> None:
    b1, drills, b2 = _statements(store, ("Pyongyang Press Office",) * 3)
    update_links(store, [b1, drills, b2], embedder=HashEmbedder())
    story = queries.story_for_document
    assert story(store, b1) == story(store, b2)
    assert story(store, drills) != story(store, b1)


def test_the_same_statements_from_three_houses_stay_one_story(store) -> None:
    """Control: names and text alone join them when they do not come from one house."""
    ids = _statements(store, ("Harbor Times", "Meridian News", "Valley Post"))
    update_links(store, ids, embedder=HashEmbedder())
    assert len({queries.story_for_document(store, d) for d in ids}) == 1
