"""Sources that name nobody ("officials said", "according to a source"): the outlet stays the
source of the claim, and the record keeps whom it cites, as the text words it, from the
extraction to the store (both backends, and stores made before the column), the document
view, the review queue, `storyline show` and the brief's footnotes."""

from __future__ import annotations

import json
import sqlite3

import pytest

from storyline.nlp import make_doc
from storyline.records import Analysis, Document, DocMeta, Event, Quote, document_id
from storyline.serve.brief import _note_text
from storyline.serve.review import review_queue
from storyline.store import Store
from storyline.store.queries import document_view, list_quotes
from storyline.store.schema import MIGRATIONS, QUOTE_SOURCE_BACKFILL, SCHEMA_VERSION, split_sql


def _read(nlp, text: str):
    doc = nlp(make_doc(nlp, text, outlet="Harbour Times", published="2026-03-02"))
    return doc._.sl_events, doc._.sl_quotes


@pytest.mark.parametrize("text,words", [
    ("Officials said Chile sent 3,000 troops to Peru last week.", "Officials"),
    ("Chile sent 3,000 troops to Peru, according to a senior intelligence source.",
     "a senior intelligence source"),
    ("Two diplomats told reporters that Canada had imposed sanctions on Peru.",
     "Two diplomats"),
])
def test_an_unnamed_source_is_cited_by_the_outlet(nlp, text: str, words: str) -> None:
    events, quotes = _read(nlp, text)
    assert events, text
    ev = events[0]
    assert ev.source == "Harbour Times" and ev.source_is_outlet
    assert ev.source_text == words
    assert text[ev.source_start:ev.source_end] == words
    assert [q.source_text for q in quotes] == [words] and quotes[0].speaker is None


@pytest.mark.parametrize("text", [
    "Peruvian officials said Chile sent 3,000 troops to Peru.",   # a state's officials
    "Chile sent 3,000 troops to Peru last week.",                 # the outlet's own voice
    "They said Chile sent 3,000 troops to Peru.",                 # a pronoun says nothing
])
def test_no_words_where_a_source_is_named_or_none_is_cited(nlp, text: str) -> None:
    events, _ = _read(nlp, text)
    assert events, text
    assert events[0].source_text is None and events[0].source_start is None


def _stored(store: Store) -> str:
    text = "Officials said Norland sent 300 trucks to Sudria."
    doc = Document(id=document_id(text), source="a.txt", text=text, raw_text=text,
                   meta=DocMeta(outlet="Harbour Times"))
    store.add_document(doc)
    quote = Quote(text="Norland sent 300 trucks to Sudria", start=15, end=49, direct=False,
                  cue="said", source_text="Officials", source_start=0, source_end=9)
    named = Quote(text="more to come", start=0, end=5, speaker="Ingrid Halvorsen")
    event = Event(id="e1", type="AID", subtype="arms_transfer", start=15, end=49,
                  evidence=text[15:49], actor="Norland", target="Sudria",
                  source="Harbour Times", source_is_outlet=True, source_text="Officials",
                  source_start=0, source_end=9)
    store.save_analysis(doc.id, Analysis(quotes=[quote, named], events=[event]))
    return doc.id


def test_the_store_lists_the_words_and_the_views_show_them(store_url: str) -> None:
    with Store.open(store_url) as store:
        doc_id = _stored(store)
        rows = list_quotes(store)
        assert [(r["speaker"], r["source_text"]) for r in rows] == [
            ("Ingrid Halvorsen", None), (None, "Officials")]
        facts = {f["id"]: f for f in document_view(store, doc_id)["facts"]}
        assert facts["q0"]["label"] == "unattributed (Officials)"
        assert facts["q0"]["attrs"]["source_text"] == "Officials"
        assert facts["e1"]["attrs"]["source_text"] == "Officials"
        why = [i["why"] for i in review_queue(store)["items"]
               if i["kind"] == "unattributed_quote"]
        assert why == ["reported speech with no speaker (the text names nobody: “Officials”)"]


def test_a_store_made_before_the_column_gets_the_words_from_its_analyses(db_path) -> None:
    conn = sqlite3.connect(db_path)
    for script in MIGRATIONS[:QUOTE_SOURCE_BACKFILL - 1]:
        for statement in split_sql(script):
            conn.execute(statement)
    analysis = {"quotes": [{"text": "trucks", "start": 5, "end": 11, "direct": False,
                            "source_text": "a source", "source_start": 0, "source_end": 8},
                           {"text": "boats", "start": 0, "end": 5, "speaker": "X"}]}
    conn.execute("INSERT INTO documents (id, source, kind, text, raw_text, meta_json, "
                 "removed_json, added_at, analysis_json, analysed_at, words_counted) VALUES "
                 "('d1', 's', 'text', 't', 't', '{}', '[]', 'x', ?, 'x', 1)",
                 (json.dumps(analysis),))
    conn.execute("INSERT INTO quotes (doc_id, idx, text, start, end, speaker, speaker_key, "
                 "direct) VALUES ('d1', 0, 'trucks', 5, 11, NULL, NULL, 0), "
                 "('d1', 1, 'boats', 0, 5, 'X', NULL, 1)")
    conn.execute(f"PRAGMA user_version={QUOTE_SOURCE_BACKFILL - 1}")
    conn.commit()
    conn.close()
    with Store.open(str(db_path)) as store:
        assert store.schema_version() == SCHEMA_VERSION
        got = store.conn.execute("SELECT idx, source_text, source_start, source_end "
                                 "FROM quotes ORDER BY idx").fetchall()
        assert [tuple(r) for r in got] == [(0, "a source", 0, 8), (1, None, None, None)]


def test_the_brief_footnote_says_whom_the_report_cites() -> None:
    note = {"outlet": "Harbour Times", "published": "2026-03-02", "doc_id": "d1", "start": 15,
            "end": 49, "language": "en", "evidence": "Norland sent 300 trucks",
            "unnamed": ["Officials", "a source"]}
    assert _note_text(note) == ("Harbour Times, 2026-03-02, doc d1, chars 15–49: “Norland sent "
                                "300 trucks”, citing unnamed “Officials”, “a source”")
    assert not _note_text({**note, "unnamed": []}).endswith("”, citing")
