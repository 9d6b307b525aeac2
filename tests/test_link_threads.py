"""Threads: where a story branches (link/threads.py), through the module, the CLI and the API.

Every article here is written for these tests.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient
from link_support import add_article
from typer.testing import CliRunner

from storyline.cli import app as cli_app
from storyline.link import HashEmbedder, update_links
from storyline.link.threads import MIN_DOCS, average_link, story_threads, thread_documents
from storyline.serve.api import create_app
from storyline.store import Store

SEOUL_SIDE = [
    ("Lee Min-ho of the National Intelligence Service told lawmakers in Seoul that North "
     "Korea shipped shells to Russia. The defense ministry agreed with Lee.", "2026-03-02"),
    ("The National Intelligence Service briefed Seoul lawmakers again; Lee said the defense "
     "ministry tracked more trains from North Korea toward Russia.", "2026-03-04"),
    ("Seoul's defense ministry said on Friday that the National Intelligence Service and Lee "
     "had shared satellite images of North Korea's port with the allies.", "2026-03-06"),
]
MINSK_SIDE = [
    ("Ivan Volkov flew to Minsk to sign a supply deal with Belarus, days after Russia and "
     "North Korea were accused of trading arms, and Tehran sent a delegation too.", "2026-03-03"),
    ("Volkov said in Minsk that Belarus and Iran would join talks on supplies to Russia; "
     "North Korea was not named.", "2026-03-05"),
    ("Belarus hosted Volkov and an envoy from Tehran; Iran and Belarus promised Russia more "
     "supplies, a week after North Korea's shipments were reported.", "2026-03-07"),
]
ENTS_SEOUL = ["KOR", "NIS", "KORDEF", "LEE", "PRK", "RUS"]
ENTS_MINSK = ["BLR", "IRN", "VOLKOV", "PRK", "RUS"]


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "t.db") as s:
        yield s


def two_branches(store: Store) -> tuple[list[str], list[str]]:
    a = [add_article(store, t, published=d, outlet="Harbor Times", entities=ENTS_SEOUL)
         for t, d in SEOUL_SIDE]
    b = [add_article(store, t, published=d, outlet="Northern Courier", entities=ENTS_MINSK)
         for t, d in MINSK_SIDE]
    return a, b


def test_articles_that_follow_two_branches_form_two_threads(store):
    a, b = two_branches(store)
    threads, alone = thread_documents(store, a + b)
    assert sorted(sorted(t.documents) for t in threads) == sorted([sorted(a), sorted(b)])
    assert alone == []
    labels = {frozenset(t.documents): t for t in threads}
    seoul, minsk = labels[frozenset(a)], labels[frozenset(b)]
    # labelled by what sets each apart; the names every article uses label neither
    assert "National Intelligence Service" in seoul.names or "Lee Min-ho" in seoul.names
    assert "Ivan Volkov" in minsk.names or "Belarus" in minsk.names
    assert not {"North Korea", "Russia"} & set(seoul.names + minsk.names)
    assert (seoul.first_date, seoul.last_date) == ("2026-03-02", "2026-03-06")
    assert 0.0 < seoul.cohesion <= 1.0


def test_an_article_that_follows_no_branch_is_unthreaded(store):
    a, b = two_branches(store)
    odd = add_article(store, "Brazil and Argentina's grain talks in Brasilia ended on "
                      "Tuesday; the International Grain Council will meet again.",
                      published="2026-03-05", entities=["BRAZIL", "ARG", "FARM"])
    threads, alone = thread_documents(store, a + b + [odd])
    assert alone == [odd]
    assert all(odd not in t.documents for t in threads)


def test_a_shared_merged_event_keeps_two_articles_in_one_thread(store):
    a, b = two_branches(store)
    pair = [a[0], b[0]]  # one from each side: they share no name that sets them apart
    threads, alone = thread_documents(store, pair)
    assert threads == [] and sorted(alone) == sorted(pair)
    # the two report one merged event
    store.conn.execute("INSERT INTO clusters (kind, json, updated_at) VALUES "
                       "('event', '{}', '2026-03-08')")
    cid = store.conn.execute("SELECT max(id) FROM clusters").fetchone()[0]
    for doc in pair:
        store.conn.execute("INSERT INTO cluster_members (cluster_id, doc_id, member) "
                           "VALUES (?, ?, 'e1')", (cid, doc))
    store.conn.commit()
    threads, alone = thread_documents(store, pair)
    assert alone == [] and sorted(threads[0].documents) == sorted(pair)
    assert threads[0].events == [cid]


def test_average_link_stops_at_the_threshold():
    sim = np.array([[1.0, 0.9, 0.1, 0.0],
                    [0.9, 1.0, 0.2, 0.1],
                    [0.1, 0.2, 1.0, 0.8],
                    [0.0, 0.1, 0.8, 1.0]])
    assert average_link(sim, 0.5) == [[0, 1], [2, 3]]
    assert average_link(sim, 0.95) == [[0], [1], [2], [3]]
    assert average_link(sim, 0.05) == [[0, 1, 2, 3]]


def test_story_threads_of_a_linked_story_and_of_a_small_one(store):
    a, b = two_branches(store)
    grain = [add_article(store, text, published="2026-03-05", entities=["BRAZIL", "ARG", "FARM"])
             for text in ("Brazil and Argentina's grain talks in Brasilia ended on Tuesday.",
                          "The International Grain Council said Brazil and Argentina agreed "
                          "on grain quotas in Buenos Aires.")]
    update_links(store, a + b + grain, embedder=HashEmbedder())

    def story_of(doc: str) -> int:
        return store.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                                  (doc,)).fetchone()[0]

    big, small = story_of(a[0]), story_of(grain[0])
    assert {story_of(d) for d in a + b} == {big} and small != big  # one story, two branches
    out = story_threads(store, big)
    assert out["n_documents"] == 6
    assert {d for t in out["threads"] for d in t["documents"]} | set(out["unthreaded"]) == \
        set(a + b)
    # the two sides are told apart once a branch must be as distinct as 0.3 asks (at the
    # default, chosen on ECB+ sub-topics, two sides of one supply story stay one line)
    out = story_threads(store, big, threshold=0.3)
    assert out["unthreaded"] == []
    assert sorted(sorted(t["documents"]) for t in out["threads"]) == sorted([sorted(a),
                                                                            sorted(b)])
    assert all(t["n_documents"] == 3 for t in out["threads"])
    few = story_threads(store, small)
    assert few["threads"] == [] and f"fewer than {MIN_DOCS}" in few["note"]
    assert sorted(few["unthreaded"]) == sorted(grain)


def test_threads_through_the_cli_and_the_api(tmp_path):
    db = tmp_path / "t.db"
    with Store.open(db) as s:
        a, b = two_branches(s)
        update_links(s, a + b, embedder=HashEmbedder())
        sid = s.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                             (a[0],)).fetchone()[0]
    res = CliRunner().invoke(cli_app, ["threads", str(sid), "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["story_id"] == sid and "threads" in data and "unthreaded" in data
    missing = CliRunner().invoke(cli_app, ["threads", "999", "--db", str(db)])
    assert missing.exit_code != 0 and "999" in missing.output
    client = TestClient(create_app(str(db)))
    got = client.get(f"/api/stories/{sid}/threads")
    assert got.status_code == 200 and got.json() == data
    assert client.get("/api/stories/999/threads").status_code == 404


def test_a_brief_lists_the_threads_of_a_story_that_branches(store, monkeypatch):
    import functools

    from storyline.link import threads as threads_mod
    from storyline.serve.brief import brief_data, brief_problems, write_brief

    a, b = two_branches(store)
    update_links(store, a + b, embedder=HashEmbedder())
    sid = store.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                             (a[0],)).fetchone()[0]
    # at the default the two sides of this supply story are one line: no section
    assert "Where the story branches" not in write_brief(store, sid, "md")
    # where they are told apart, each thread is a line citing its articles
    monkeypatch.setattr(threads_mod, "story_threads",
                        functools.partial(threads_mod.story_threads, threshold=0.3))
    data = brief_data(store, sid)
    section = next(s for s in data["sections"] if s["key"] == "threads")
    assert len(section["lines"]) == 2
    cited = {n["doc_id"] for n in data["sources"]}
    md = write_brief(store, sid, "md")
    assert "## Where the story branches" in md and "3 articles." in md
    assert "Ivan Volkov" in md or "Belarus" in md
    assert brief_problems(store, sid) == []
    assert set(a + b) <= cited
