"""Same event across documents: compatible quantities, places, plans and reports."""

from __future__ import annotations

import pytest
from link_support import add_article, cluster_json, cluster_of, key

from storyline.link import HashEmbedder, update_links
from storyline.link.events import items_agree, quantities_agree
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def link(store: Store, ids: list[str]):
    return update_links(store, ids, embedder=HashEmbedder())


TANKS_1 = ("Belarus sent more than 300 tanks to Russia by rail in April, border officials in "
           "Minsk said on Friday. The convoys crossed near the town of Brest, they added.")
TANKS_2 = ("Around 300 armoured vehicles rolled from Belarus into Russia during April, a "
           "monitoring group reported, citing satellite pictures of rail yards near Smolensk.")
TANKS_3 = ("Belarus has handed 3,000 tanks to Russia over the past decade, a think tank in "
           "Minsk estimated on Saturday in a long review of its arsenal.")


def _tanks(store: Store) -> tuple[str, str, str]:
    a = add_article(store, TANKS_1, outlet="Baltic Courier", published="2024-05-10",
                    entities=["BLR", "RUS"], events=[{
                        "subtype": "arms_transfer", "actor": "BLR", "target": "RUS",
                        "item": "tanks", "quantity": 300.0, "quantity_qualifier": "more than",
                        "when": "2024-04", "where": "Brest",
                        "evidence": "Belarus sent more than 300 tanks to Russia"}])
    b = add_article(store, TANKS_2, outlet="Vistula Daily", published="2024-05-11",
                    entities=["BLR", "RUS"], events=[{
                        "subtype": "arms_transfer", "actor": "BLR", "target": "RUS",
                        "item": "armoured vehicles", "quantity": 300.0, "when": "2024-04",
                        "where": "Smolensk",
                        "evidence": "Around 300 armoured vehicles rolled from Belarus into "
                                    "Russia"}])
    c = add_article(store, TANKS_3, outlet="Minsk Review", published="2024-05-12",
                    entities=["BLR", "RUS"], events=[{
                        "subtype": "arms_transfer", "actor": "BLR", "target": "RUS",
                        "item": "tanks", "quantity": 3000.0, "when": ["2014", "2024"],
                        "evidence": "Belarus has handed 3,000 tanks to Russia"}])
    return a, b, c


def test_compatible_quantities_merge_and_places_are_recorded(store):
    a, b, c = _tanks(store)
    link(store, [a, b, c])
    ca, cb, cc = cluster_of(store, a, "e1"), cluster_of(store, b, "e1"), cluster_of(store, c, "e1")
    assert ca == cb  # "more than 300 tanks" and "around 300 armoured vehicles" in April
    assert cc != ca  # ten times as many: another happening
    data = cluster_json(store, ca)
    assert data["n_documents"] == 2
    assert data["quantity"] == 300.0
    assert sorted(data["where"]) == ["Brest", "Smolensk"]
    fields = {d["field"] for d in data["disagreements"]}
    assert "where" in fields and "quantity" not in fields
    assert data["title"].startswith("Belarus → Russia: arms transfer")
    assert {m["doc_id"] for m in data["mentions"]} == {a, b}
    assert all(m["evidence"] and m["start"] is not None for m in data["mentions"])


def test_different_items_do_not_merge(store):
    a = add_article(store, "Brazil shipped 2 million tonnes of wheat to Argentina in May, "
                           "traders in Brasilia said.", outlet="Farm Wire",
                    published="2024-06-02", entities=["BRAZIL", "ARG"], events=[{
                        "subtype": "trade", "type": "COOPERATE", "actor": "BRAZIL",
                        "target": "ARG", "item": "wheat", "when": "2024-05",
                        "quantity": 2_000_000.0,
                        "evidence": "Brazil shipped 2 million tonnes of wheat to Argentina"}])
    b = add_article(store, "Brazil sold crude oil worth 2 million dollars to Argentina in May, "
                           "officials in Buenos Aires said.", outlet="Pampa News",
                    published="2024-06-03", entities=["BRAZIL", "ARG"], events=[{
                        "subtype": "trade", "type": "COOPERATE", "actor": "BRAZIL",
                        "target": "ARG", "item": "crude oil", "when": "2024-05",
                        "evidence": "Brazil sold crude oil worth 2 million dollars"}])
    link(store, [a, b])
    assert items_agree("wheat", "crude oil") is False
    assert cluster_of(store, a, "e1") != cluster_of(store, b, "e1")


def test_planned_event_links_to_its_report_when_times_agree(store):
    plan = add_article(store, "Iran's president will visit Minsk this month to sign trade "
                              "deals with Belarus, his office said on Monday.",
                       outlet="Gulf Herald", published="2024-06-03", entities=["IRN", "BLR"],
                       events=[{"type": "CONSULT", "subtype": "visit", "actor": "IRN",
                                "target": "BLR", "status": "planned", "cue": "will",
                                "when": "2024-06", "when_text": "this month",
                                "evidence": "Iran's president will visit Minsk this month"}])
    done = add_article(store, "Iran's president arrived in Minsk on Thursday and held talks "
                              "with the Belarusian leadership about trade.",
                       outlet="Steppe Observer", published="2024-06-20",
                       entities=["IRN", "BLR"],
                       events=[{"type": "CONSULT", "subtype": "visit", "actor": "IRN",
                                "target": "BLR", "when": "2024-06-20",
                                "when_text": "on Thursday",
                                "evidence": "Iran's president arrived in Minsk on Thursday"}])
    vague = add_article(store, "Analysts in Tehran say Iran's leader could one day visit "
                               "Belarus, though no trip is planned.",
                        outlet="Caspian Letter", published="2025-02-11",
                        entities=["IRN", "BLR"],
                        events=[{"type": "CONSULT", "subtype": "visit", "actor": "IRN",
                                 "target": "BLR", "status": "planned", "cue": "could",
                                 "evidence": "Iran's leader could one day visit Belarus"}])
    link(store, [plan, done, vague])
    merged = cluster_of(store, plan, "e1")
    assert merged == cluster_of(store, done, "e1")
    assert cluster_of(store, vague, "e1") != merged  # no time: nothing ties it to June
    data = cluster_json(store, merged)
    assert data["status"] == "asserted"  # the strongest status among its reports
    assert [m["status"] for m in data["mentions"]] == ["planned", "asserted"]


def test_hypothetical_does_not_merge_with_a_report(store):
    a = add_article(store, "Seoul says Russia transferred missile technology to North Korea "
                           "in March.", outlet="Han River Post", published="2024-04-02",
                    entities=["KOR", "RUS", "PRK"], events=[{
                        "subtype": "technology_transfer", "actor": "RUS", "target": "PRK",
                        "item": "missile technology", "when": "2024-03", "source": "KOR",
                        "evidence": "Russia transferred missile technology to North Korea"}])
    b = add_article(store, "If Russia transferred missile technology to North Korea in March, "
                           "Seoul would respond, an official warned.", outlet="East Sea Times",
                    published="2024-04-03", entities=["KOR", "RUS", "PRK"], events=[{
                        "subtype": "technology_transfer", "actor": "RUS", "target": "PRK",
                        "item": "missile technology", "when": "2024-03",
                        "status": "hypothetical", "cue": "if",
                        "evidence": "If Russia transferred missile technology to North Korea"}])
    link(store, [a, b])
    assert cluster_of(store, a, "e1") != cluster_of(store, b, "e1")


def test_symmetric_meeting_and_summit_merge_with_parties_swapped(store):
    a = add_article(store, "Lee Min-ho met Ivan Volkov in Vladivostok on Tuesday, the "
                           "foreign ministry in Seoul said.", outlet="Han River Post",
                    published="2024-07-10", entities=["LEE", "VOLKOV", "KOR"], events=[{
                        "type": "CONSULT", "subtype": "meeting", "actor": "LEE",
                        "target": "VOLKOV", "when": "2024-07-09", "where": "Vladivostok",
                        "evidence": "Lee Min-ho met Ivan Volkov in Vladivostok"}])
    b = add_article(store, "Ivan Volkov and Lee Min-ho held a summit in the Russian Far East "
                           "this week, Moscow said.", outlet="Volga Gazette",
                    published="2024-07-11", entities=["LEE", "VOLKOV", "RUS"], events=[{
                        "type": "CONSULT", "subtype": "summit", "actor": "VOLKOV",
                        "target": "LEE", "when": "2024-W28", "where": "Russian Far East",
                        "evidence": "Ivan Volkov and Lee Min-ho held a summit"}])
    link(store, [a, b])
    assert cluster_of(store, a, "e1") == cluster_of(store, b, "e1")
    data = cluster_json(store, cluster_of(store, a, "e1"))
    # Vladivostok is in the Russian Far East: a place and the place holding it agree
    assert {d["field"] for d in data["disagreements"]} == set()
    assert data["actor_key"] in (key("LEE"), key("VOLKOV"))


def test_places_that_do_not_contain_each_other_are_a_disagreement(store):
    a = add_article(store, "Lee Min-ho met Ivan Volkov in Vladivostok on Tuesday, the "
                           "foreign ministry in Seoul said.", outlet="Han River Post",
                    published="2024-07-10", entities=["LEE", "VOLKOV", "KOR"], events=[{
                        "type": "CONSULT", "subtype": "meeting", "actor": "LEE",
                        "target": "VOLKOV", "when": "2024-07-09", "where": "Vladivostok",
                        "evidence": "Lee Min-ho met Ivan Volkov in Vladivostok"}])
    b = add_article(store, "Ivan Volkov and Lee Min-ho met in Minsk on Tuesday, Moscow said.",
                    outlet="Volga Gazette", published="2024-07-10",
                    entities=["LEE", "VOLKOV", "RUS"], events=[{
                        "type": "CONSULT", "subtype": "meeting", "actor": "VOLKOV",
                        "target": "LEE", "when": "2024-07-09", "where": "Minsk",
                        "evidence": "Ivan Volkov and Lee Min-ho met in Minsk"}])
    link(store, [a, b])
    assert cluster_of(store, a, "e1") == cluster_of(store, b, "e1")
    data = cluster_json(store, cluster_of(store, a, "e1"))
    assert {d["field"] for d in data["disagreements"]} == {"where"}


def test_rules_for_quantities_and_items():
    assert quantities_agree(1_000_000, 1_100_000) is True
    assert quantities_agree(1_000, 1_000_000) is False
    assert quantities_agree(100, 250) is None
    assert quantities_agree(None, 5) is None
    assert items_agree("artillery shells", "munitions and weapons") is True
    assert items_agree("shells", "ammunition") is True
    assert items_agree("troops", "artillery shells") is False
    assert items_agree("statues", "tanks") is None


# Statements: one party speaking to another twice is two acts, unless they say one thing.
WARN_1 = ("South Korea would take every step needed to keep the border crossings open "
          "despite the new artillery batteries, the defence minister said on Sunday. "
          "Seoul had warned Pyongyang not to shell the islands, officials said.")
WARN_2 = ("South Korea would take every step needed to keep border crossings open despite "
          "the new artillery batteries, the defence minister said on Sunday. South Korea "
          "will not allow North Korea to cut the rail link, officials said.")


def _warnings(*evidence: str) -> list[dict]:
    """South Korea's warnings to North Korea, one per piece of evidence."""
    return [{"type": "THREATEN", "subtype": "warning", "actor": "KOR", "target": "PRK",
             "evidence": e} for e in evidence]


def test_undated_statements_of_one_party_join_only_when_they_say_one_thing(store):
    a = add_article(store, WARN_1, outlet="Border Wire", published="2024-03-23",
                    entities=["KOR", "PRK"], events=_warnings(
                        "South Korea would take every step", "Seoul had warned Pyongyang"))
    b = add_article(store, WARN_2, outlet="Harbour Daily", published="2024-03-23",
                    entities=["KOR", "PRK"], events=_warnings(
                        "South Korea would take every step",
                        "South Korea will not allow North Korea"))
    link(store, [a, b])
    same = cluster_of(store, a, "e1")
    assert same is not None and cluster_of(store, b, "e1") == same  # the same words
    assert cluster_of(store, a, "e2") != cluster_of(store, b, "e2")  # two warnings
    assert cluster_of(store, a, "e2") != same and cluster_of(store, b, "e2") != same


def test_said_words_set_names_aside():
    from storyline.link.events import said_text, said_words, same_words

    text = "Seoul had warned Pyongyang not to fly them over the crowded harbour. Next."
    said = said_text(text, {"start": 0, "end": 26})
    assert said == "Seoul had warned Pyongyang not to fly them over the crowded harbour"
    assert said_words(said) == {"fly", "crowded", "harbour"}
    assert not same_words(said, "Seoul will not let Pyongyang fly the new drones")
    assert same_words("would not let Pyongyang fire the rockets to close the crossings",
                      "will not allow Pyongyang to fire the rockets to close off the border "
                      "crossings")


def test_a_statement_is_made_on_one_day(store):
    """Two reports of "South Korea warned North Korea" dated one day apart may be one
    warning; a third dated a day later again agrees with the second but not with the first:
    a statement is made at one time, so it stays apart."""
    def warning(day: str, outlet: str) -> str:
        text = (f"South Korea warned North Korea not to shell the islands, the defence "
                f"ministry said on {day}.")
        return add_article(store, text, outlet=outlet, published="2024-03-25",
                           entities=["KOR", "PRK"], events=[
                               {"type": "THREATEN", "subtype": "warning", "actor": "KOR",
                                "target": "PRK", "when": day,
                                "evidence": "South Korea warned North Korea"}])
    a = warning("2024-03-22", "Border Wire")
    b = warning("2024-03-23", "Harbour Daily")
    c = warning("2024-03-24", "Island Post")
    link(store, [a, b, c])
    assert cluster_of(store, c, "e1") not in {cluster_of(store, a, "e1")}


def _force(store: Store, outlet: str, published: str, text: str, type_: str, when, evidence):
    return add_article(store, text, outlet=outlet, published=published,
                       entities=["USA", "IRN"], events=[{
                           "type": type_, "subtype": None, "actor": "USA", "target": "IRN",
                           "when": when, "evidence": evidence}])


def _shelled(store: Store) -> str:
    return _force(store, "Gulf Wire", "1987-10-19", "Four US frigates shelled and destroyed "
                  "two Iranian platforms on Monday, Washington said.", "COERCE", "1987-10-19",
                  "shelled and destroyed two Iranian platforms")


def test_one_use_of_force_coded_two_ways_is_one_event_on_one_day(store):
    """ "Frigates shelled and destroyed two Iranian platforms on Monday" (coded COERCE) and
    "warships attacked an Iranian platform on Monday" (FIGHT): one use of force, tied by
    its day."""
    a = _shelled(store)
    b = _force(store, "Harbor Times", "1987-10-20", "US warships attacked an Iranian oil "
               "platform in the Gulf on Monday, officials in Washington said.", "FIGHT",
               "1987-10-19", "US warships attacked an Iranian oil platform")
    link(store, [a, b])
    assert cluster_of(store, a, "e1") == cluster_of(store, b, "e1")


def test_types_coded_apart_stay_apart_without_a_day_that_ties_them(store):
    """The same two types with no precise day in common stay apart, as do unrelated
    types on the same day."""
    a = _shelled(store)
    c = _force(store, "Valley Post", "1987-10-21", "The United States has often attacked "
               "Iranian boats, a review in Washington found.", "FIGHT", None,
               "The United States has often attacked Iranian boats")
    d = _force(store, "Meridian News", "1987-10-20", "The United States gave Iran aid "
               "on Monday, Washington said.", "AID", "1987-10-19",
               "The United States gave Iran aid on Monday")
    link(store, [a, c, d])
    assert cluster_of(store, c, "e1") != cluster_of(store, a, "e1")
    assert cluster_of(store, d, "e1") != cluster_of(store, a, "e1")
