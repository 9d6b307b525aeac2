"""The stored shape that serve, brief and export read (docs/STORE_CONTRACT.md)."""

from __future__ import annotations

import json

import pytest
from link_support import add_article, cluster_json, cluster_of

from storyline.link import Embedder, HashEmbedder, LinkReport, update_links
from storyline.link.events import usable_when
from storyline.store import Store

EVENT_KEYS = {"type", "subtype", "actor", "actor_key", "target", "target_key", "item",
              "quantity", "quantity_values", "when", "where", "status", "title", "mentions",
              "sources", "n_independent", "n_documents", "denials", "disagreements",
              "first_reported"}
MENTION_KEYS = {"doc_id", "event_id", "outlet", "wire", "published", "source", "source_key",
                "status", "cue", "evidence", "start", "end", "quantity", "when", "where"}
QUOTE_KEYS = {"speaker", "speaker_key", "text", "members", "similarity"}
QUOTE_MEMBER_KEYS = {"doc_id", "quote_idx", "text", "start", "end", "outlet", "published",
                     "language"}


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def test_cluster_and_story_shapes(store):
    a = add_article(store, "Belarus sent 300 tanks to Russia in April, Rosa Alvarez said. "
                           "\u201cWe have seen the trains with our own eyes,\u201d she added.",
                    outlet="Baltic Courier", wire="Meridian", published="2024-05-10",
                    entities=["BLR", "RUS", "ROSA"],
                    events=[{"subtype": "arms_transfer", "actor": "BLR", "target": "RUS",
                             "item": "tanks", "quantity": 300.0, "when": "2024-04",
                             "source": "ROSA", "where": "Brest",
                             "evidence": "Belarus sent 300 tanks to Russia in April"}],
                    quotes=[{"text": "We have seen the trains with our own eyes",
                             "speaker": "ROSA"}])
    b = add_article(store, "Minsk denied sending 300 tanks to Russia. Rosa Alvarez said: "
                           "\u201cWe saw the trains with our own eyes.\u201d",
                    outlet="Vistula Daily", published="2024-05-11",
                    entities=["BLR", "RUS", "ROSA"],
                    events=[{"id": "e1", "subtype": "arms_transfer", "actor": "BLR",
                             "target": "RUS", "item": "tanks", "quantity": 300.0,
                             "when": "2024-04", "source": "ROSA",
                             "evidence": "sending 300 tanks to Russia"},
                            {"id": "e2", "type": "REJECT", "subtype": "denial",
                             "actor": "BLR", "target": "e1", "evidence": "Minsk denied"}],
                    quotes=[{"text": "We saw the trains with our own eyes", "speaker": "ROSA"}])
    report = update_links(store, [a, b], embedder=HashEmbedder())
    assert isinstance(report, LinkReport)
    assert set(report.as_dict()) >= {"stories_created", "stories_joined", "clusters_created",
                                     "clusters_joined", "quote_groups", "inferred_dates"}
    data = cluster_json(store, cluster_of(store, a, "e1"))
    assert set(data) >= EVENT_KEYS
    assert all(set(m) >= MENTION_KEYS for m in data["mentions"])
    assert all(set(s) >= {"original", "original_key", "reported_by", "doc_ids"}
               for s in data["sources"])
    assert all(set(d) >= {"by", "by_key", "doc_id", "event_id", "evidence", "start", "end"}
               for d in data["denials"])
    assert data["first_reported"] == "2024-05-10"
    assert data["mentions"][0]["wire"] == "Meridian"
    q = cluster_json(store, cluster_of(store, a, "q0"))
    assert set(q) >= QUOTE_KEYS
    assert all(set(m) >= QUOTE_MEMBER_KEYS for m in q["members"])
    row = store.conn.execute("SELECT kind, subtype, actor_key, when_start, when_end FROM "
                             "clusters WHERE id=?", (cluster_of(store, a, "e1"),)).fetchone()
    assert tuple(row) == ("event", "arms_transfer", "country:BLR", "2024-04-01", "2024-04-30")
    story = store.conn.execute("SELECT title, first_date, last_date, profile_json FROM "
                               "stories").fetchone()
    profile = json.loads(story["profile_json"])
    assert profile["n_documents"] == 2 and profile["entity_keys"]["country:BLR"] == 2
    assert (story["first_date"], story["last_date"]) == ("2024-05-10", "2024-05-11")


def test_embedders_follow_the_protocol():
    assert isinstance(HashEmbedder(), Embedder)


def test_a_time_its_own_words_cannot_give_is_ignored_in_an_undated_article():
    ev = {"when": "2022-05", "when_text": "Thursday"}
    assert usable_when(ev, anchored=False) is None  # attached from elsewhere
    assert usable_when(ev, anchored=True) == "2022-05"
    assert usable_when({"when": "2022-05", "when_text": "May 2022"}, anchored=False) \
        == "2022-05"
    assert usable_when({"when": "2022-05", "when_text": None}, anchored=False) == "2022-05"
