"""Precision rules found by an audit on unseen articles (docs/PRECISION_AUDIT.md), on
sentences written for the tests: words of force used for criticism, idioms of 'take' and
'leave' that seize or leave nothing, greetings received, a body's own meeting and talks held
"with" someone, 'should' that asks nothing of anyone, a past told with 'did', and the lead
of an article whose parties are not named (events.supplement.json: verbal_senses,
patterns, modal_demand, article_lead_require_named). Each with the sentence where the rule
must not fire."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(events_of):
    return events_of


def _read(events) -> list[tuple]:
    return [(e.type, e.subtype, e.actor, e.target) for e in events]


def test_an_attack_in_words_is_criticism(run) -> None:
    ev = run("Opposition leader Maria Santos attacked President Jorge Alvarez, saying his "
             "budget had failed the poor.")
    assert [e.type for e in ev] == ["DISAPPROVE"]
    ev = run("Senator Ana Ruiz is expected to attack Prime Minister Tomas Vidal in parliament.")
    assert [(e.type, e.actor, e.target) for e in ev] == [
        ("DISAPPROVE", "Ana Ruiz", "Tomas Vidal")]
    # ... an armed attack on a state stays one
    ev = run("Rebel fighters from Colombia attacked Venezuela, killing ten soldiers.")
    assert ev and ev[0].type in ("ASSAULT", "FIGHT")


def test_idioms_of_take_and_leave_seize_nothing(run) -> None:
    ev = run("The European Union took issue with Venezuela over its elections.")
    assert [(e.type, e.actor, e.target) for e in ev] == [
        ("DISAPPROVE", "European Union", "Venezuela")]
    assert run("Prime Minister Tomas Vidal took Portugal to war in 2003.") == []
    assert not any(e.type == "CONSULT" for e in run(
        "Chile joined the pact in 1990, leaving Peru open to pressure from Bolivia."))
    # ... a town taken is still an act of force
    assert [e.cameo for e in run("Rebels took the town of Goma from the army.")] == ["192"]


def test_a_congratulatory_message_received_is_the_senders_praise(run) -> None:
    ev = run("President Lula received a congratulatory message from Chancellor Olaf Scholz.")
    assert [(e.type, e.actor, e.target) for e in ev] == [("SUPPORT", "Olaf Scholz", "Lula")]


def test_a_body_of_states_holds_its_own_meeting_and_talks_are_held_with_someone(run) -> None:
    ev = run("NATO held a meeting of defence ministers in Brussels.")
    assert _read(ev) == [("CONSULT", "meeting", "NATO", None)]
    ev = run("Foreign Minister Celso Amorim held talks on Monday with Chilean Foreign Minister "
             "Ignacio Walker.")
    assert _read(ev) == [("CONSULT", "meeting", "Celso Amorim", "Ignacio Walker")]


def test_should_that_asks_nothing_of_anyone_is_no_demand(run) -> None:
    assert run("Finance minister Pedro Gomez believes foreign investment is something we "
               "should welcome.") == []
    assert run("Venezuela should know that its threats are futile, Colombia said.") == []
    # ... what a party should do is a demand on it
    ev = run("Venezuela should withdraw its troops, Colombia said.")
    assert [(e.type, e.actor, e.target) for e in ev] == [("DEMAND", "Colombia", "Venezuela")]


def test_a_past_told_with_did_is_no_demand(run) -> None:
    assert run("Prime Minister Tomas Vidal insisted he did not know the date of the vote.") == []


def test_the_lead_of_an_article_needs_named_parties(run) -> None:
    lead = "LIMA, May 3 - Officials from several countries arrived in Lima for talks on the debt."
    # a lone sentence (a lead alone, a coded sentence) keeps its unnamed party as written
    assert [e.actor for e in run(lead)] != []
    # ... where the story goes on below, its parties are named there, not in the lead
    assert run(lead + "\n\nPeru's finance minister Pedro Gomez said the talks would last "
                      "three days.\n") == []
