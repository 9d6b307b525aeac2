"""Visits, meetings and statements as wires and state agencies write them (realnews4 and the
first keys' conventions): arrivals "here" and departures, names the parse hangs wrongly,
talks one goes or is sent to, praise sent, calls on several parties, joint statements."""

from __future__ import annotations


def _found(events_of, text: str) -> set[tuple]:
    return {(e.subtype, e.actor, e.target) for e in events_of(text)}


def test_two_names_joined_by_and_meet_each_other(events_of):
    text = "Secretary of State Antony Blinken and Foreign Minister Wang Yi met in Beijing on Friday."
    found = _found(events_of, text)
    assert ("meeting", "Antony Blinken", "Wang Yi") in found


def test_a_name_apposed_to_a_fronted_phrase_is_the_subject(events_of):
    text = ("Hanoi, March 3 (VNA) -- At the invitation of the Foreign Ministry of Vietnam, "
            "Sergei Lavrov, foreign minister of Russia, arrived here on Monday to pay an "
            "official visit to Vietnam.")
    assert ("visit", "Sergei Lavrov", "Vietnam") in _found(events_of, text)


def test_an_arrival_is_at_the_place_of_the_dateline_not_where_one_came_from(events_of):
    text = "BEIJING, June 18 - Secretary of State Antony Blinken arrived from Tokyo on Sunday."
    found = _found(events_of, text)
    assert ("visit", "Antony Blinken", "China") in found
    assert not [f for f in found if f[2] == "Japan"]


def test_one_come_home_visits_nobody(events_of):
    text = ("Seoul, May 2 (Yonhap) -- Yoon Suk Yeol, president of South Korea, arrived here "
            "on Friday.")
    assert not [f for f in _found(events_of, text) if f[0] == "visit"]


def test_a_departure_made_is_a_visit_one_announced_is_not_yet(events_of):
    assert ("visit", "Kim Jong-un", "Russia") in _found(
        events_of, "Kim Jong Un left for Russia on Monday.")
    assert not [f for f in _found(events_of, "Kim Jong Un will depart for Russia on Monday.")
                if f[0] == "visit"]


def test_talks_one_drives_to_or_is_sent_to(events_of):
    drove = "Antony Blinken drove straight from the airport to a meeting with Wang Yi."
    assert ("meeting", "Antony Blinken", "Wang Yi") in _found(events_of, drove)
    sent = ("President Joe Biden announced he is sending Antony Blinken to Beijing for talks "
            "with Wang Yi next month.")
    found = _found(events_of, sent)
    assert ("meeting", "Antony Blinken", "Wang Yi") in found


def test_hours_of_talks_are_held_talks(events_of):
    text = "Antony Blinken was holding several hours of talks with Wang Yi today."
    assert ("meeting", "Antony Blinken", "Wang Yi") in _found(events_of, text)


def test_a_visit_to_a_person_is_a_meeting(events_of):
    text = "Senator Lindsey Graham recently visited Rishi Sunak in London."
    found = _found(events_of, text)
    assert ("meeting", "Lindsey Graham", "Rishi Sunak") in found
    assert not [f for f in found if f[0] == "visit"]


def test_a_meeting_named_twice_in_either_order_is_one(events_of):
    text = ("Wang Yi met Antony Blinken on Friday in Beijing. Later Antony Blinken met "
            "Wang Yi again with a handshake at the door.")
    meetings = [e for e in events_of(text) if e.subtype == "meeting"]
    assert len(meetings) == 1


def test_congratulations_and_tributes_sent_are_support(events_of):
    sent = "Prime Minister Rishi Sunak sent Joe Biden his warmest congratulations."
    assert any(e.type == "SUPPORT" and e.actor == "Rishi Sunak" and e.target == "Joe Biden"
               for e in events_of(sent))
    paid = "Olaf Scholz also paid tribute to Emmanuel Macron's campaign."
    assert any(e.type == "SUPPORT" and e.actor == "Olaf Scholz" and e.target == "Emmanuel Macron"
               for e in events_of(paid))


def test_a_call_on_two_parties_is_a_demand_on_each(events_of):
    text = "Emmanuel Macron urged China and India to end their border dispute."
    demands = {e.target for e in events_of(text) if e.type == "DEMAND"}
    assert {"China", "India"} <= demands


def test_a_city_that_names_a_treaty_is_no_party(events_of):
    text = "So far Australia has refused to sign up to the Kyoto treaty."
    found = [e for e in events_of(text) if e.type == "REJECT"]
    assert found and all(e.target != "Kyoto" for e in found)


def test_travel_from_a_place_is_not_aimed_at_it(events_of):
    text = "Sergei Lavrov, accompanied by advisers, arrived from Helsinki aboard a plane."
    assert not [e for e in events_of(text) if e.target == "Finland"]


def test_a_joint_statement_made_public_is_an_agreement(events_of):
    text = ("The chief executives of Japan and the Philippines made public a \"joint "
            "statement\" on Tuesday.")
    found = _found(events_of, text)
    assert ("agreement", "Japan", "Philippines") in found


def test_two_documents_signed_side_by_side_are_two_agreements(events_of):
    text = ("The leaders of Japan and the Philippines made public a \"joint statement\" on "
            "Tuesday. The militaries of Japan and the Philippines signed \"guidelines on "
            "maritime cooperation\" on the same day.")
    agreements = [e for e in events_of(text) if e.subtype == "agreement"]
    assert len(agreements) == 2


def test_denounces_and_rejects_is_an_accusation_and_a_rejection(events_of):
    text = ("The Foreign Ministry of China strongly denounces and rejects the provocative act "
            "of Japan.")
    found = _found(events_of, text)
    assert ("accusation", "China", "Japan") in found
    assert any(e.type == "REJECT" and e.target == "Japan" for e in events_of(text))


def test_one_who_returned_from_a_place_visited_it(events_of):
    text = "Choe Son Hui, foreign minister of the DPRK, returned home from Moscow on Monday."
    assert ("visit", "Choe Son-hui", "Russia") in _found(events_of, text)
    assert not [f for f in _found(events_of, "The minister returned to Seoul on Monday.")
                if f[0] == "visit"]


def test_a_definite_noun_names_the_party_it_was_last_written_with(events_of):
    text = ("Oslo, May 2 (NTB) -- Espen Barth Eide, foreign minister of Norway, released the "
            "following statement on May 2:\nDrones sent by the spies in Sweden were found "
            "again near the border.\nWe give the spies a stern warning.")
    assert any(e.subtype == "warning" and e.target == "Sweden" for e in events_of(text))
    bare = ("Oslo, May 2 (NTB) -- Espen Barth Eide, foreign minister of Norway, released the "
            "following statement on May 2:\nDrones were found again near the border.\n"
            "We give the spies a stern warning.")
    assert not [e for e in events_of(bare) if e.target == "Sweden"]
