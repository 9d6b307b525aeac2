"""Constructions the real-news dev keys lose events on, read on sentences written for the
tests (extract/events.py with the pack's event_parties.json)."""

from __future__ import annotations

import pytest

from storyline.nlp import make_doc
from storyline.records import Event

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str) -> list[Event]:
        return nlp(make_doc(nlp, text, published="2024-03-12", outlet="Test Wire"))._.sl_events

    return _run


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
    evs = run("Sweden said any Norwegian interference in the region would meet a strong "
              "response.")
    assert _coded(evs) == [("THREATEN", "warning", "Sweden", "Norway")]
    evs = run('"We will be prepared to meet any escalation of military actions by Norway with '
              'stronger countermeasures," Swedish Defence Minister Anna Berg said.')
    assert _coded(evs) == [("THREATEN", "warning", "Sweden", "Norway")]
    evs = run("The Swedish defence minister said Sweden would do whatever was necessary to "
              "keep the shipping lanes open in the face of new Norwegian missiles.")
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
