"""Independent sources: wire copies once, one original source once, an agency and its
country as one source."""

from __future__ import annotations

import pytest
from link_support import add_article, cluster_json, cluster_of, key

from storyline.link import HashEmbedder, update_links
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def shells(source: str | None = None, **extra):
    ev = {"subtype": "arms_transfer", "actor": "PRK", "target": "RUS", "item": "artillery shells",
          "quantity": 2_000_000.0, "when": ["2023-08", "2024-02"]}
    if source:
        ev["source"] = source
    ev.update(extra)
    return ev


WIRE_TEXT = ("North Korea has shipped about two million artillery shells to Russia since last "
             "August, according to officials who track the rail traffic between the two "
             "countries. The shipments have grown in recent weeks, the officials said, and "
             "more trains were seen leaving the border station this month.")


def test_wire_copies_count_once(store):
    a = add_article(store, WIRE_TEXT, outlet="Harbor Times", wire="Reuters",
                    published="2024-02-20", entities=["PRK", "RUS"],
                    events=[shells(evidence="North Korea has shipped about two million "
                                            "artillery shells to Russia")])
    b = add_article(store, WIRE_TEXT + " (Reuters)", outlet="Prairie Gazette", wire="Reuters",
                    published="2024-02-20", entities=["PRK", "RUS"],
                    events=[shells(evidence="North Korea has shipped about two million "
                                            "artillery shells to Russia")])
    # no byline, but the same text with one sentence added: a wire copy by its text
    c = add_article(store, WIRE_TEXT + " Moscow did not comment.", outlet="Delta Chronicle",
                    published="2024-02-21", entities=["PRK", "RUS"],
                    events=[shells(evidence="North Korea has shipped about two million "
                                            "artillery shells to Russia")])
    update_links(store, [a, b, c], embedder=HashEmbedder())
    cid = cluster_of(store, a, "e1")
    assert cid == cluster_of(store, b, "e1") == cluster_of(store, c, "e1")
    data = cluster_json(store, cid)
    assert data["n_documents"] == 3
    assert data["n_independent"] == 1
    assert len(data["sources"]) == 1
    assert set(data["sources"][0]["reported_by"]) == {"Harbor Times", "Prairie Gazette",
                                                      "Delta Chronicle"}


def test_outlets_with_their_own_reporting_count_apart(store):
    a = add_article(store, "Satellite images reviewed by this newspaper show North Korea "
                           "moving about two million artillery shells toward Russia.",
                    outlet="Harbor Times", published="2024-02-20", entities=["PRK", "RUS"],
                    events=[shells(evidence="North Korea moving about two million artillery "
                                            "shells toward Russia")])
    b = add_article(store, "Our correspondents at the border counted freight trains carrying "
                           "some two million shells from North Korea to Russia.",
                    outlet="Prairie Gazette", published="2024-02-21",
                    entities=["PRK", "RUS"],
                    events=[shells(item="shells", evidence="some two million shells from "
                                                           "North Korea to Russia")])
    update_links(store, [a, b], embedder=HashEmbedder())
    data = cluster_json(store, cluster_of(store, a, "e1"))
    assert data["n_documents"] == 2
    assert data["n_independent"] == 2


def test_outlets_citing_one_agency_and_its_country_count_once(store):
    a = add_article(store, "South Korea's National Intelligence Service told lawmakers that "
                           "North Korea sent some two million shells to Russia.",
                    outlet="Harbor Times", published="2024-02-20",
                    entities=["KOR", "NIS", "PRK", "RUS"],
                    events=[shells(source="NIS", evidence="North Korea sent some two million "
                                                          "shells to Russia")])
    b = add_article(store, "The NIS believes Pyongyang has delivered roughly 2 million "
                           "artillery rounds to Moscow since August.",
                    outlet="Prairie Gazette", published="2024-02-21",
                    entities=["NIS", "PRK", "RUS"],
                    events=[shells(source="NIS", item="artillery rounds",
                                   evidence="Pyongyang has delivered roughly 2 million "
                                            "artillery rounds to Moscow")])
    c = add_article(store, "Seoul estimates that North Korea has provided over two million "
                           "shells to Russia for its war.", outlet="Delta Chronicle",
                    published="2024-02-21", entities=["KOR", "PRK", "RUS"],
                    events=[shells(source="KOR", evidence="North Korea has provided over two "
                                                          "million shells to Russia")])
    d = add_article(store, "Ivan Volkov said Russia had received two million shells from "
                           "North Korea, confirming the estimate from Seoul.",
                    outlet="Volga Gazette", published="2024-02-22",
                    entities=["VOLKOV", "RUS", "PRK", "KOR"],
                    events=[shells(source="VOLKOV", item="shells",
                                   evidence="Russia had received two million shells from "
                                            "North Korea")])
    update_links(store, [a, b, c, d], embedder=HashEmbedder())
    cid = cluster_of(store, a, "e1")
    assert cid == cluster_of(store, b, "e1") == cluster_of(store, c, "e1") \
        == cluster_of(store, d, "e1")
    data = cluster_json(store, cid)
    assert data["n_documents"] == 4
    # the NIS and Seoul are one source (South Korea); Volkov (Russia) another
    assert data["n_independent"] == 2
    korea = next(s for s in data["sources"] if s["original_key"] == key("KOR"))
    assert korea["original"] == "South Korea"
    assert set(korea["reported_by"]) == {"Harbor Times", "Prairie Gazette", "Delta Chronicle"}
    assert set(korea["via"]) == {"National Intelligence Service", "South Korea"}


def test_unattributed_restatement_is_presumed_from_the_named_source(store):
    a = add_article(store, "South Korea's spy agency, the NIS, said North Korea sent two "
                           "million shells to Russia.", outlet="Harbor Times",
                    published="2024-02-20", entities=["NIS", "PRK", "RUS"],
                    events=[shells(source="NIS", evidence="North Korea sent two million "
                                                          "shells to Russia")])
    b = add_article(store, "The talks follow revelations that North Korea supplied Russia "
                           "with two million shells.", outlet="Prairie Gazette",
                    published="2024-02-21", entities=["PRK", "RUS"],
                    events=[shells(evidence="North Korea supplied Russia with two million "
                                            "shells")])
    update_links(store, [a, b], embedder=HashEmbedder())
    data = cluster_json(store, cluster_of(store, a, "e1"))
    assert data["n_independent"] == 1
    assert data["sources"][0]["presumed_doc_ids"] == [b]


class _SameMeaning(HashEmbedder):
    """An embedder that reads two given texts, in any language, as one meaning (as the
    multilingual model does a faithful translation) and every other text by hashing."""

    def __init__(self, *same: str) -> None:
        super().__init__()
        self.same = same
        # its own vector space: the store keeps vectors per embedder name, and this one
        # gives some texts other vectors than the hash embedder does
        self.name = "same-meaning:" + "|".join(s[:20] for s in same)

    def embed(self, texts):  # type: ignore[no-untyped-def]
        import numpy as np

        out = super().embed(texts)
        ref = super().embed([self.same[0]])[0]
        for i, t in enumerate(texts):
            if any(t.startswith(s[:40]) for s in self.same):
                out[i] = ref
        return np.asarray(out)


FR_TEXT = ("La Corée du Nord a expédié environ deux millions d'obus d'artillerie vers la "
           "Russie depuis août dernier, selon des responsables qui suivent le trafic "
           "ferroviaire entre les deux pays.")


def test_a_translation_counts_under_its_original(store):
    a = add_article(store, WIRE_TEXT, outlet="Harbor Times", published="2024-02-20",
                    entities=["PRK", "RUS"],
                    events=[shells(evidence="North Korea has shipped about two million "
                                            "artillery shells to Russia")])
    b = add_article(store, FR_TEXT, outlet="Gazette du Port", published="2024-02-20",
                    language="fr", entities=["PRK", "RUS"],
                    events=[shells(evidence="La Corée du Nord a expédié environ deux "
                                            "millions d'obus")])
    update_links(store, [a, b], embedder=_SameMeaning(WIRE_TEXT, FR_TEXT))
    data = cluster_json(store, cluster_of(store, a, "e1"))
    assert data["n_documents"] == 2 and data["n_independent"] == 1


def test_editions_of_one_house_are_one_voice():
    from storyline.link.sources import outlet_house

    assert outlet_house("KBS World (French service)") == outlet_house("KBS World")
    assert outlet_house("Aju Business Daily (Japanese edition)") == "aju business daily"
    assert outlet_house("Harbor Times") != outlet_house("Gazette du Port")


def test_leads_that_mean_different_things_are_no_translation(store):
    from storyline.link.common import LinkContext
    from storyline.link.sources import translated_copy

    a = add_article(store, WIRE_TEXT, outlet="Harbor Times", published="2024-02-20")
    b = add_article(store, FR_TEXT, outlet="Gazette du Port", published="2024-02-20",
                    language="fr")
    same = LinkContext(store, _SameMeaning(WIRE_TEXT, FR_TEXT))
    apart = LinkContext(store, _SameMeaning("Rain is forecast for the weekend fixtures.",
                                            FR_TEXT))
    assert translated_copy(same, a, b) and not translated_copy(apart, a, b)
