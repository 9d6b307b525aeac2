"""Constructions the real-news dev keys lose events on, read on sentences written for the
tests (extract/events.py with the pack's event_parties.json)."""

from __future__ import annotations

import pytest

from storyline.nlp import make_doc
from storyline.records import Event

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(events_of):
    return events_of


def _coded(events: list[Event]) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(e.type, e.subtype, e.actor, e.target) for e in events]


def test_a_refusal_to_allow_what_another_does_is_a_warning_to_it(run) -> None:
    evs = run("Sweden will not allow Norway to use the missiles to block shipping, "
              "the minister said.")
    assert _coded(evs) == [("THREATEN", "warning", "Sweden", "Norway")]
    assert evs[0].status == "asserted"  # the warning is given now, not planned
    evs = run("Sweden said it would not let Norway use the new missiles.")
    assert _coded(evs) == [("THREATEN", "warning", "Sweden", "Norway")]
    evs = run("The Swedish defence minister said Sweden would never tolerate the deployment "
              "of Norwegian missiles.")
    assert _coded(evs) == [("THREATEN", "warning", "Sweden", "Norway")]


def test_what_a_party_would_not_allow_is_no_event_of_its_own(run) -> None:
    evs = run('"We will not allow Norway to threaten our country," Swedish Foreign Minister '
              'Anna Berg said.')
    assert _coded(evs) == [("THREATEN", "warning", "Sweden", "Norway")]


def test_a_past_or_granted_permission_is_no_warning(run) -> None:
    assert not [e for e in run("Sweden did not allow Norway to use the port.")
                if e.subtype == "warning"]
    assert not [e for e in run("Sweden will allow Norway to use the port.")
                if e.subtype == "warning"]


def test_a_stand_to_answer_an_act_with_force_warns_the_actor(run) -> None:
    evs = run("Sweden said any Norwegian incursion into its waters would meet a firm "
              "response.")
    assert _coded(evs) == [("THREATEN", "warning", "Sweden", "Norway")]
    evs = run('"We will be prepared to meet any escalation of military actions by Norway with '
              'stronger countermeasures," Swedish Defence Minister Anna Berg said.')
    assert _coded(evs) == [("THREATEN", "warning", "Sweden", "Norway")]
    evs = run("The Swedish defence minister said Sweden would do whatever was necessary to "
              "guard its northern harbours in the face of any Norwegian buildup.")
    assert _coded(evs) == [("THREATEN", "warning", "Sweden", "Norway")]


def test_the_party_warned_may_be_named_before(run) -> None:
    evs = run("Norway has moved missiles to the coast. But Sweden would resort to any action "
              "to defend the strait.")
    assert ("THREATEN", "warning", "Sweden", "Norway") in _coded(evs)


def test_a_response_given_or_a_plain_meeting_is_no_warning(run) -> None:
    assert not [e for e in run("Sweden met the delegation with a warm response.")
                if e.subtype == "warning"]
    assert not [e for e in run("Sweden did whatever was necessary to keep the lanes open.")
                if e.subtype == "warning"]
    assert [e.subtype for e in run("Sweden will meet Norway's prime minister in May.")] == [
        "meeting"]


def _general(events: list[Event], kind: str) -> list[tuple[str | None, str | None]]:
    return [(e.actor, e.target) for e in events if e.type == kind and e.subtype is None]


def test_a_call_for_a_measure_to_be_lifted_is_a_demand_of_its_owner(run) -> None:
    evs = run("The Nordic Council's embargo on fish imports from Chile stayed in force. Norway "
              "and Finland have both called for the embargo to be scrapped.")
    assert _general(evs, "DEMAND") == [("Norway", "Nordic Council"),
                                       ("Finland", "Nordic Council")]
    evs = run("The Australian ban on wheat sales to Iraq stayed in force in May. Oxfam urged "
              "that the ban be lifted. Canada also wanted it to end, despite Egyptian objections.")
    assert ("Oxfam", "Australia") in _general(evs, "DEMAND")
    assert ("Egypt", "Australia") in _general(evs, "DISAPPROVE")  # "it": the ban


def test_no_demand_without_a_call_or_an_owner(run) -> None:
    evs = run("Norway and Finland have both called for the embargo to be scrapped.")
    assert _general(evs, "DEMAND") == []  # no owner named anywhere
    evs = run("The Nordic Council's embargo on fish imports from Chile stayed in force. Norway "
              "said the embargo would be lifted.")
    assert _general(evs, "DEMAND") == []  # a prediction, no call
    evs = run("The Nordic Council's embargo on Chile stayed in force. Norway has not called for "
              "the embargo to be lifted.")
    assert _general(evs, "DEMAND") == []


def test_an_objection_over_which_a_measure_moves_is_disapproval_of_its_owner(run) -> None:
    evs = run("The Canadian embargo on arms sales to Peru will be lifted this year despite "
              "Brazilian objections, the minister said.")
    assert _general(evs, "DISAPPROVE") == [("Brazil", "Canada")]
    # the objection is the writer's background, not part of what the minister said
    assert [e.source for e in evs if e.type == "DISAPPROVE"] == ["Test Wire"]
    evs = run("Kenya's foreign minister has defended plans to end the African Union's fishing "
              "ban on Somalia, despite opposition from Egypt and Ethiopia.")
    assert _general(evs, "DISAPPROVE") == [("Egypt", "African Union"),
                                           ("Ethiopia", "African Union")]


def test_an_objection_needs_a_party_on_each_side(run) -> None:
    evs = run("The embargo will be lifted this year despite objections, the minister said.")
    assert _general(evs, "DISAPPROVE") == []
    evs = run("The talks went ahead despite heavy rain in Nairobi.")
    assert _general(evs, "DISAPPROVE") == []


def test_a_partys_demand_for_another_to_act_is_its_demand(run) -> None:
    evs = run("The summit opened despite a Kenyan demand for Uganda to withdraw its troops.")
    assert ("Kenya", "Uganda") in _general(evs, "DEMAND")
    evs = run("Demand for Kenyan tea rose sharply in May.")
    assert _general(evs, "DEMAND") == []


@pytest.fixture(scope="module")
def run_state(nlp):
    """A state outlet speaking in its own voice (the outlet registry's `state`)."""
    def _run(text: str) -> list[Event]:
        return nlp(make_doc(nlp, text, published="2024-03-12", outlet="KCNA"))._.sl_events

    return _run


def test_what_a_party_should_do_is_the_speakers_demand_of_it(run, run_state) -> None:
    evs = run_state("The DPRK rejected the plan. The ROK should immediately stop such reckless "
                    "border patrols.")
    assert ("North Korea", "South Korea") in _general(evs, "DEMAND")
    evs = run("Senator Maria Lopez said Chile must open its copper mines to foreign firms.")
    assert ("Maria Lopez", "Chile") in _general(evs, "DEMAND")


def test_what_a_party_should_have_done_is_a_reproach(run) -> None:
    evs = run("Senator Maria Lopez said Chile should have opened its markets years ago.")
    assert _general(evs, "DISAPPROVE") == [("Maria Lopez", "Chile")]
    assert _general(evs, "DEMAND") == []


def test_a_call_to_stop_and_be_careful_is_a_warning(run_state) -> None:
    evs = run_state("The DPRK rejected the plan. Japan should stop its drills at once and be "
                    "careful.")
    assert ("THREATEN", "warning", "North Korea", "Japan") in _coded(evs)


def test_no_stand_from_a_thing_a_passive_a_condition_or_a_plain_outlet(run, run_state) -> None:
    evs = run("The minister said the raid should not worsen the crisis in Kenya.")
    assert _general(evs, "DEMAND") == []
    evs = run_state("The DPRK rejected the plan. Such spies should be thrown out of Japan.")
    assert _general(evs, "DEMAND") == []
    evs = run_state("The DPRK rejected the plan. If Japan crosses the line, it should be afraid.")
    assert _general(evs, "DEMAND") == []
    evs = run("Kenya held talks. Chile should halt its border patrols.")  # the outlet's voice
    assert _general(evs, "DEMAND") == []
