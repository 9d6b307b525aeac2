"""Precision of the event layers on sentences written for the tests: acts aimed at their own
doer, phrasal verbs and offices that are no seizure, and the purpose of an act that only may
be done (events.supplement.json: reflexive_objects, 'take off', take_control patterns,
possibility_modals). Each with the sentences where the rule must not fire."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(events_of):
    return events_of


def test_an_act_aimed_at_its_own_doer_is_no_event(run) -> None:
    assert run("Argentina has revealed itself as a reckless aggressor.") == []
    assert run("The government of Peru has disgraced itself before the world.") == []
    assert run("The shareholders of Telmex have given themselves a veto over the deal.") == []
    # ... but a reflexive act aimed at another party stands
    ev = run("Peru has distanced itself from Chile.")
    assert [(e.type, e.actor, e.target) for e in ev] == [("DISAPPROVE", "Peru", "Chile")]


def test_take_off_and_an_office_taken_over_are_no_seizure(run) -> None:
    assert run("The helicopter of the Chilean army which took off at Arica landed.") == []
    assert run("Mexico took over the presidency of the Andean group from Colombia.") == []
    assert run("Chile took over the chairmanship of the Pacific forum from Peru.") == []
    # ... a town taken over is
    ev = run("Rebels took over the town of Goma from the army.")
    assert [e.cameo for e in ev] == ["171"]


def test_the_purpose_of_a_possible_act_is_no_act(run) -> None:
    assert run("Officials fear weapons that Venezuela could use to threaten its neighbour "
               "Colombia.") == []
    assert run("Venezuela may send troops to attack Colombia.") == []
    # ... the act done, or planned, or possible itself, stands
    assert [e.type for e in run("Venezuela used the weapons to threaten Colombia.")] == [
        "THREATEN"]
    assert [e.type for e in run("Venezuela sent troops to attack Colombia.")] == ["FIGHT"]
    assert [(e.type, e.status) for e in run("Venezuela will send troops to attack Colombia.")
            ] == [("FIGHT", "planned")]
    assert [e.type for e in run("Venezuela could threaten Colombia.")] == ["THREATEN"]


def test_a_weighed_act_or_the_subject_of_talks_is_no_act(run) -> None:
    assert run("It is important for Chile to support Peru.") == []
    assert run("Codelco told reporters it was in talks to buy a stake in the Peruvian miner Volcan.") == []
    # ... a party's own readiness is (CAMEO 03), and talks held are a meeting
    assert [e.type for e in run("Chile is ready to support Peru.")] == ["AGREE"]
    assert [e.subtype for e in run("Chile and Peru held talks to end the border dispute.")] == [
        "meeting"]


def test_heading_a_team_is_no_act(run) -> None:
    assert run("Pinera, who will head a Chilean team going to Lima next week, spoke.") == []
    assert run("Pinera will head the new committee.") == []


def test_a_complaint_to_come_is_no_threat(run) -> None:
    ev = run("Peru would complain to the World Trade Organization about Chile's tariffs.")
    assert [(e.type, e.status) for e in ev] == [("DISAPPROVE", "planned")]
    # ... a hostile act to come is a threat (CAMEO 13), and so is a framed complaint
    assert [e.subtype for e in run("Peru would attack Chile.")] == ["warning"]
    assert [e.subtype for e in run("Peru threatened to denounce Chile.")] == ["warning"]
