"""Sanctions in force are no new sanctions; a relative pronoun names only a noun it agrees
with; a thing its owner's pronoun holds is not the seller's (`events._standing`,
`arguments._agrees`, `cameo._owner`)."""

from __future__ import annotations

import pytest


def _designations(events):
    return [(e.actor, e.target) for e in events if e.subtype == "sanctions_designation"]


@pytest.mark.parametrize("text", [
    "Laos sold rifles to Myanmar in violation of U.N. sanctions against Myanmar.",
    "The deliveries breach European Union sanctions on Belarus, the envoy said.",
    "Inspectors monitor the enforcement of U.N. sanctions against Iran.",
    "Traders helped Belarus evade European Union sanctions for a decade.",
])
def test_sanctions_in_force_are_no_designation(events_of, text):
    assert _designations(events_of(text)) == []


@pytest.mark.parametrize("text, pair", [
    ("Canada imposed new sanctions on Belarus on Monday.", ("Canada", "Belarus")),
    ("The European Union slapped sanctions on Belarus after the vote.",
     ("European Union", "Belarus")),
])
def test_new_sanctions_still_are(events_of, text, pair):
    assert pair in _designations(events_of(text))


def test_a_plural_verb_is_not_the_singular_name_before_it(events_of):
    text = "The purchases of rifles from Belarus, which violate European Union rules, continued."
    assert not [e for e in events_of(text) if e.actor == "Belarus"]


def test_a_singular_verb_still_names_the_country(events_of):
    text = "The rifles came from Belarus, which has attacked Lithuania twice this year."
    assert [e for e in events_of(text) if e.actor == "Belarus" and e.target == "Lithuania"]


def test_its_purchases_from_a_seller_do_not_make_the_seller_a_target(events_of):
    assert not [e for e in events_of("Minsk acted to shield its rifle purchases from Laos.")
                if e.target == "Laos"]
    assert [e for e in events_of("Vientiane rejected a proposal from Hanoi.")
            if e.actor == "Laos" and e.target == "Vietnam"]


def test_purchases_from_a_seller_are_the_sellers_transfer(events_of):
    events = events_of("Belarus's purchases of artillery shells from Laos continued in March.")
    assert ("arms_transfer", "Laos", "Belarus") in [(e.subtype, e.actor, e.target)
                                                    for e in events]
    assert not [e for e in events_of("China's purchases of soybeans from Brazil rose in March.")
                if e.subtype]
