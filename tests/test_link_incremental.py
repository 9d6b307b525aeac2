"""Incremental linking: a new document leaves what it does not touch alone; linking again
gives the same result."""

from __future__ import annotations

import json

import pytest
from link_support import add_article

from storyline.link import HashEmbedder, queries, update_links
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def link(store, ids=None):
    return update_links(store, ids, embedder=HashEmbedder())


def corpus(store: Store) -> list[str]:
    ev = {"subtype": "arms_transfer", "actor": "PRK", "target": "RUS", "item": "shells",
          "when": ["2023-08", "2024-02"]}
    a = add_article(store, "North Korea has sent two million shells to Russia, South Korea's "
                           "National Intelligence Service said.", outlet="Harbor Times",
                    published="2024-02-20", entities=["PRK", "RUS", "KOR", "NIS"],
                    events=[dict(ev, quantity=2e6, source="NIS",
                                 evidence="North Korea has sent two million shells to Russia")],
                    quotes=[])
    b = add_article(store, "Seoul says Pyongyang shipped about 2 million shells to Moscow. "
                           "Ivan Volkov called the report \u201ca lie from start to finish\u201d.",
                    outlet="Prairie Gazette", published="2024-02-21",
                    entities=["PRK", "RUS", "KOR", "VOLKOV"],
                    events=[dict(ev, quantity=2e6, source="KOR",
                                 evidence="Pyongyang shipped about 2 million shells to Moscow"),
                            {"id": "e2", "type": "REJECT", "subtype": "denial",
                             "actor": "VOLKOV", "target": "e1",
                             "evidence": "Ivan Volkov called the report"}],
                    quotes=[{"text": "a lie from start to finish", "speaker": "VOLKOV"}])
    c = add_article(store, "Ivan Volkov repeated that the shell report was \u201ca lie from "
                           "start to finish, invented in Seoul\u201d.", outlet="Volga Gazette",
                    published="2024-02-22", entities=["VOLKOV", "KOR"],
                    quotes=[{"text": "a lie from start to finish, invented in Seoul",
                             "speaker": "VOLKOV"}])
    return [a, b, c]


def snapshot(store: Store) -> dict:
    """Clusters and stories as stored, without timestamps."""
    clusters = {r["id"]: (r["kind"], r["story_id"], json.loads(r["json"])) for r in
                store.conn.execute("SELECT id, kind, story_id, json FROM clusters")}
    members = sorted(tuple(r) for r in store.conn.execute(
        "SELECT cluster_id, doc_id, member FROM cluster_members"))
    stories = {r["id"]: (r["title"], r["first_date"], r["last_date"]) for r in
               store.conn.execute("SELECT id, title, first_date, last_date FROM stories")}
    docs = sorted(tuple(r) for r in store.conn.execute(
        "SELECT doc_id, story_id FROM story_documents"))
    return {"clusters": clusters, "members": members, "stories": stories, "docs": docs}


def partition(store: Store) -> set[frozenset]:
    """Clusters as sets of members (ids may change when a cluster is rebuilt)."""
    groups: dict[int, set] = {}
    for cid, doc, member in store.conn.execute(
            "SELECT cluster_id, doc_id, member FROM cluster_members"):
        groups.setdefault(cid, set()).add((doc, member))
    stories: dict[int, set] = {}
    for doc, sid in store.conn.execute("SELECT doc_id, story_id FROM story_documents"):
        stories.setdefault(sid, set()).add(doc)
    return {frozenset(g) for g in groups.values()} | {frozenset(s) for s in stories.values()}


def test_a_new_unrelated_document_changes_nothing_else(store):
    ids = corpus(store)
    link(store, ids)
    before = snapshot(store)
    other = add_article(store, "Brazil shipped two million tonnes of wheat to Argentina in "
                               "January, traders said.", outlet="Farm Wire",
                        published="2024-02-21", entities=["BRAZIL", "ARG"],
                        events=[{"type": "COOPERATE", "subtype": "trade", "actor": "BRAZIL",
                                 "target": "ARG", "item": "wheat", "when": "2024-01",
                                 "evidence": "Brazil shipped two million tonnes of wheat"}])
    report = link(store, [other])
    after = snapshot(store)
    assert report.documents == [other]
    for cid, value in before["clusters"].items():
        assert after["clusters"][cid] == value
    assert set(before["members"]) <= set(after["members"])
    assert before["stories"] == {k: v for k, v in after["stories"].items()
                                 if k in before["stories"]}
    assert len(after["stories"]) == len(before["stories"]) + 1


def test_a_new_related_document_only_touches_its_clusters(store):
    a, b, c = corpus(store)
    link(store, [a, c])
    before = snapshot(store)
    report = link(store, [b])
    after = snapshot(store)
    touched = set(report.clusters_joined) | set(report.clusters_created) | \
        set(report.quote_groups) | {d["cluster_id"] for d in report.denials_linked}
    for cid, value in before["clusters"].items():
        if cid not in touched and value[0] != "quote":
            assert after["clusters"][cid] == value
    assert report.clusters_joined  # its shells report joined the first one
    assert report.quote_groups  # its quote joined the other report of the statement


def test_linking_again_gives_the_same_result(store):
    ids = corpus(store)
    link(store, ids)
    first = partition(store)
    titles = sorted(s["title"] for s in queries.list_stories(store))
    again = link(store, ids)
    assert again.documents and not again.skipped
    assert partition(store) == first
    assert sorted(s["title"] for s in queries.list_stories(store)) == titles
    link(store, list(reversed(ids)))  # order of the batch does not matter either
    assert partition(store) == first


def test_default_links_only_what_is_not_linked_yet(store):
    ids = corpus(store)
    first = link(store)
    assert sorted(first.documents) == sorted(ids)
    assert link(store).documents == []


def test_documents_not_analysed_are_skipped(store):
    from storyline.records import DocMeta, Document, document_id

    text = "An article stored but not analysed yet."
    doc_id = document_id(text)
    store.add_document(Document(id=doc_id, source="test://pending", text=text,
                                meta=DocMeta(published="2024-01-01")))
    report = link(store, [doc_id, "d-no-such-document"])
    assert report.skipped == [doc_id, "d-no-such-document"]
    assert report.documents == []


def test_reanalysed_document_leaves_its_old_events(store):
    a, b, c = corpus(store)
    link(store, [a, b, c])
    analysis = store.get_analysis(b)
    analysis.events = [e for e in analysis.events if e.subtype != "denial"]
    store.save_analysis(b, analysis)
    link(store, [b])
    members = {(d, m) for d, m in store.conn.execute(
        "SELECT doc_id, member FROM cluster_members WHERE doc_id=?", (b,))}
    assert (b, "e2") not in members
    sid = queries.story_for_document(store, a)
    shells = [i for i in queries.timeline(store, sid) if i["subtype"] == "arms_transfer"]
    assert len(shells) == 1 and shells[0]["denials"] == []
