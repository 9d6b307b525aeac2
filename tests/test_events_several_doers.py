"""Several doers named together: an act they take with each other (agreeing, meeting,
fighting: the pack's `reciprocal_codes`) is one event between them; any other act is each
doer's own, aimed at the party named as its target or at none ("France, Germany and Italy
condemned the attack"). A withdrawal names whom it leaves by "from" (the pack's
`noun_target_preps_by_code`). Every sentence is our own."""

from __future__ import annotations


def _found(events_of, text: str) -> set[tuple]:
    return {(e.type, e.actor, e.target) for e in events_of(text)}


def test_each_doer_of_an_act_with_no_target_has_its_own_event(events_of):
    found = _found(events_of, "France, Germany and Italy condemned the bombing on Monday.")
    assert {("DISAPPROVE", "France", None), ("DISAPPROVE", "Germany", None),
            ("DISAPPROVE", "Italy", None)} <= found
    assert not [f for f in found if f[2] in ("Germany", "Italy")]  # no doer aimed at another


def test_a_reciprocal_act_stays_one_event_between_the_doers(events_of):
    found = _found(events_of, "Jordan and Britain agreed to expand military cooperation.")
    assert ("AGREE", "Jordan", "United Kingdom") in found
    assert not [f for f in found if f[1] == "United Kingdom"]


def test_a_withdrawal_is_aimed_at_the_place_it_leaves(events_of):
    found = _found(events_of, "Portugal has announced its imminent withdrawal from Iraq.")
    assert ("RETREAT", "Portugal", "Iraq") in found
    found = _found(events_of, "The Netherlands, Portugal and the Czech Republic have announced "
                              "their imminent withdrawal from Iraq.")
    assert {("RETREAT", "Netherlands", "Iraq"), ("RETREAT", "Portugal", "Iraq"),
            ("RETREAT", "Czech Republic", "Iraq")} <= found


def test_several_doers_against_a_third_each_act_against_it(events_of):
    found = _found(events_of, "The United States and Britain vetoed a Security Council resolution.")
    assert {("REJECT", "United States", "UN Security Council"),
            ("REJECT", "United Kingdom", "UN Security Council")} <= found


def test_a_spokesman_of_a_state_body_warns_for_the_state(events_of):
    """A state's body in an official's title ("Pentagon spokesman", "State Department
    spokesman": a government or military body by its actor code) makes the official speak for
    that state where the document names it, as a demonym does ("Chinese Foreign Ministry
    spokesman")."""
    found = _found(events_of, "Pentagon spokesman John Kirby warned Russia against escalation. "
                              "The United States will respond, he said.")
    assert ("THREATEN", "United States", "Russia") in found
    found = _found(events_of, "State Department spokesman Charles Redman urged Greece to show "
                              "restraint. The United States has bases there.")
    assert ("DEMAND", "United States", "Greece") in found
    # a body of no state ("Amnesty International spokesman") leaves the person as he is
    found = _found(events_of, "Greenpeace spokesman John Smith urged Norway to stop whaling.")
    assert not [f for f in found if f[1] == "Norway"]
