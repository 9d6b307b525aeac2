"""Denials linked to the claims they deny across documents; disagreements listed."""

from __future__ import annotations

import pytest
from link_support import add_article, cluster_json, cluster_of, key

from storyline.link import HashEmbedder, queries, update_links
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def test_denial_in_another_document_links_to_the_merged_claim(store):
    a = add_article(store, "North Korea has shipped two million shells to Russia, South "
                           "Korea's spy agency said on Tuesday.", outlet="Harbor Times",
                    published="2024-02-20", entities=["PRK", "RUS", "KOR", "NIS"],
                    events=[{"subtype": "arms_transfer", "actor": "PRK", "target": "RUS",
                             "item": "shells", "quantity": 2e6, "source": "NIS",
                             "when": ["2023-08", "2024-02"],
                             "evidence": "North Korea has shipped two million shells to "
                                         "Russia"}])
    # the denial points at its own document's claim, which merges with the first report
    b = add_article(store, "Seoul says Pyongyang sent about 2 million artillery shells to "
                           "Moscow. The Kremlin dismissed these claims as fabricated.",
                    outlet="Prairie Gazette", published="2024-02-21",
                    entities=["PRK", "RUS", "KOR"],
                    events=[{"id": "e1", "subtype": "arms_transfer", "actor": "PRK",
                             "target": "RUS", "item": "artillery shells", "quantity": 2e6,
                             "source": "KOR", "when": ["2023-08", "2024-02"],
                             "evidence": "Pyongyang sent about 2 million artillery shells to "
                                         "Moscow"},
                            {"id": "e2", "type": "REJECT", "subtype": "denial",
                             "actor": "RUS", "source": "RUS", "target": "e1",
                             "evidence": "The Kremlin dismissed these claims as fabricated"}])
    # a denial with no target in its article: matched within the story by who and what
    c = add_article(store, "Russia denied receiving any shells from North Korea, a spokesman "
                           "told reporters in Moscow on Thursday.", outlet="Volga Gazette",
                    published="2024-02-22", entities=["RUS", "PRK"],
                    events=[{"id": "e1", "type": "REJECT", "subtype": "denial",
                             "actor": "RUS", "source": "RUS",
                             "evidence": "Russia denied receiving any shells from North "
                                         "Korea"}])
    report = update_links(store, [a, b, c], embedder=HashEmbedder())
    cid = cluster_of(store, a, "e1")
    assert cid == cluster_of(store, b, "e1")
    data = cluster_json(store, cid)
    by = {(d["doc_id"], d["event_id"]) for d in data["denials"]}
    assert by == {(b, "e2"), (c, "e1")}
    assert all(d["by_key"] == key("RUS") for d in data["denials"])
    assert data["n_documents"] == 2  # denials are not reports of the claim
    assert {x["cluster_id"] for x in report.denials_linked} == {cid}
    links = queries.export_links(store)
    assert sorted(links["contradiction"][0]) == sorted([(b, "e1"), (b, "e2"), (c, "e1")])
    assert [sorted(x) for x in links["same_event"]] == [sorted([(a, "e1"), (b, "e1")])]
    story = queries.story_for_document(store, a)
    claim = next(x for x in queries.claims(store, story) if x["cluster_id"] == cid)
    assert len(claim["denials"]) == 2 and claim["n_independent"] == 1


def test_denial_without_a_matching_claim_stays_unlinked(store):
    a = add_article(store, "Brazil denied any plan to raise export taxes on soybeans, the "
                           "farm ministry in Brasilia said.", outlet="Farm Wire",
                    published="2024-03-01", entities=["BRAZIL"],
                    events=[{"type": "REJECT", "subtype": "denial", "actor": "BRAZIL",
                             "evidence": "Brazil denied any plan to raise export taxes"}])
    report = update_links(store, [a], embedder=HashEmbedder())
    assert report.denials_linked == []
    assert cluster_of(store, a, "e1") is None


def test_a_denial_never_denies_what_the_denier_itself_asserts(store):
    # the extraction pointed the denial at the warning of the same sentence; the warning is
    # North Korea's own word (its source is North Korea), not the claim it denies: nothing
    # is denied
    text = ("North Korea said claims that it was preparing to fire rockets over the border "
            "were groundless, and warned South Korea against any provocation.")
    a = add_article(store, text, outlet="Border Wire", published="2024-03-23",
                    entities=["PRK", "KOR"],
                    events=[{"id": "e1", "type": "REJECT", "subtype": "denial",
                             "actor": "PRK", "source": "PRK", "target": "e2",
                             "evidence": "claims that it was preparing to fire rockets over "
                                         "the border were groundless"},
                            {"id": "e2", "type": "THREATEN", "subtype": "warning",
                             "actor": "PRK", "target": "KOR", "source": "PRK",
                             "evidence": "warned South Korea against any provocation"}])
    report = update_links(store, [a], embedder=HashEmbedder())
    assert report.denials_linked == []
    assert cluster_json(store, cluster_of(store, a, "e2"))["denials"] == []


def test_a_denial_never_denies_the_deniers_own_warning_told_by_a_radio(store):
    # the warning is the denier's own statement (its actor is Iran) though a radio, not
    # Iran, is its source: Iran does not deny its own warning
    text = ("Tehran rejected as invented the stories that it aimed to seal off the strait, "
            "and warned Washington against meddling, Gulf Radio said.")
    a = add_article(store, text, outlet="Gulf Wire", published="1987-03-23",
                    entities=["IRN", "USA", "RADIO"],
                    events=[{"id": "e1", "type": "REJECT", "subtype": "denial",
                             "actor": "IRN", "source": "IRN", "target": "e2",
                             "evidence": "the stories that it aimed to seal off the strait"},
                            {"id": "e2", "type": "THREATEN", "subtype": "warning",
                             "actor": "IRN", "target": "USA", "source": "RADIO",
                             "evidence": "warned Washington against meddling"}])
    report = update_links(store, [a], embedder=HashEmbedder())
    assert report.denials_linked == []
    assert cluster_json(store, cluster_of(store, a, "e2"))["denials"] == []


def test_a_warning_another_state_reports_can_be_denied(store):
    # Washington says Iran warned Kuwait; Iran denies it: the warning is Washington's claim
    text = ("Washington said Iran had warned Kuwait to stop shipping oil. Iran denied "
            "issuing any such warning.")
    a = add_article(store, text, outlet="Gulf Wire", published="1987-03-23",
                    entities=["IRN", "USA"],
                    events=[{"id": "e1", "type": "THREATEN", "subtype": "warning",
                             "actor": "IRN", "source": "USA",
                             "evidence": "Iran had warned Kuwait to stop shipping oil"},
                            {"id": "e2", "type": "REJECT", "subtype": "denial",
                             "actor": "IRN", "source": "IRN", "target": "e1",
                             "evidence": "Iran denied issuing any such warning"}])
    report = update_links(store, [a], embedder=HashEmbedder())
    cid = cluster_of(store, a, "e1")
    assert [x["cluster_id"] for x in report.denials_linked] == [cid]
    assert [d["event_id"] for d in cluster_json(store, cid)["denials"]] == ["e2"]


def test_disagreements_on_numbers_and_dates(store):
    a = add_article(store, "Belarus sent 400 tanks to Russia in March, a border official "
                           "said.", outlet="Baltic Courier", published="2024-04-10",
                    entities=["BLR", "RUS"],
                    events=[{"subtype": "arms_transfer", "actor": "BLR", "target": "RUS",
                             "item": "tanks", "quantity": 400.0, "when": "2024-03",
                             "evidence": "Belarus sent 400 tanks to Russia in March"}])
    b = add_article(store, "Belarus has sent about 700 tanks to Russia this spring, a "
                           "monitoring group in Minsk said.", outlet="Vistula Daily",
                    published="2024-04-11", entities=["BLR", "RUS"],
                    events=[{"subtype": "arms_transfer", "actor": "BLR", "target": "RUS",
                             "item": "tanks", "quantity": 700.0, "when": ["2024-03", "2024-04"],
                             "evidence": "Belarus has sent about 700 tanks to Russia"}])
    update_links(store, [a, b], embedder=HashEmbedder())
    cid = cluster_of(store, a, "e1")
    assert cid == cluster_of(store, b, "e1")  # 1.75x apart: not enough to split
    data = cluster_json(store, cid)
    q = next(d for d in data["disagreements"] if d["field"] == "quantity")
    assert sorted(v["value"] for v in q["values"]) == [400.0, 700.0]
    assert {v["outlet"] for v in q["values"]} == {"Baltic Courier", "Vistula Daily"}
    assert "when" not in {d["field"] for d in data["disagreements"]}  # they overlap


def test_a_denial_of_reports_is_no_answer_to_anothers_warning(store):
    # North Korea denies claims about its intent; the South Korean warning in the same
    # article is South Korea's own act, no claim about the North that the denial answers
    text = ("South Korea would take every step needed to keep its border towns safe, the "
            "defence minister said. North Korea said claims that it planned to shell those "
            "towns were groundless.")
    a = add_article(store, text, outlet="Border Wire", published="2024-03-23",
                    entities=["PRK", "KOR"],
                    events=[{"id": "e1", "type": "THREATEN", "subtype": "warning",
                             "actor": "KOR", "target": "PRK", "source": "KOR",
                             "evidence": "South Korea would take every step needed to keep "
                                         "its border towns safe"},
                            {"id": "e2", "type": "REJECT", "subtype": "denial",
                             "actor": "PRK", "source": "PRK",
                             "evidence": "claims that it planned to shell those towns were "
                                         "groundless"}])
    report = update_links(store, [a], embedder=HashEmbedder())
    assert report.denials_linked == []
    assert cluster_json(store, cluster_of(store, a, "e1"))["denials"] == []
