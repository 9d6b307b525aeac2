"""Claims: who asserts an event, how sure (status + cue), and who denies it."""

from __future__ import annotations

import pytest

from storyline.nlp import make_doc
from storyline.records import Event

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str, outlet: str | None = "Test Wire") -> list[Event]:
        doc = nlp(make_doc(nlp, text, published="2024-03-12", outlet=outlet))
        return doc._.sl_events

    return _run


def one(events: list[Event]) -> Event:
    assert len(events) == 1, [(e.subtype, e.actor, e.target) for e in events]
    return events[0]


@pytest.mark.parametrize("text, status, cue", [
    ("Iran sent drones to Russia.", "asserted", None),
    ("Iran has sent drones to Russia, Israel said.", "asserted", None),
    ("China may be supplying drones to Russia.", "hedged", "may"),
    ("China could be supplying drones to Russia.", "hedged", "could"),
    ("Iran appears to have sent missiles to Russia.", "hedged", "appears"),
    ("Iran reportedly sent missiles to Russia.", "hedged", "reportedly"),
    ("Iran is believed to have sent missiles to Russia.", "hedged", "believed"),
    ("Egypt will send troops to Somalia.", "planned", "will"),
    ("Hungarian Foreign Minister Peter Szijjarto is set to visit Beijing.", "planned", "set"),
    ("Hungarian Foreign Minister Peter Szijjarto is expected to travel to Beijing.", "planned",
     "expected"),
    ("Egypt plans to send troops to Somalia.", "planned", "plans"),
    ("Egypt is going to send troops to Somalia.", "planned", "going to"),
    (("The talks come ahead of a summit between Turkish President Recep Tayyip Erdogan and "
     "Russian President Vladimir Putin."), "planned", "ahead of"),
    (("A planned summit between Turkish President Recep Tayyip Erdogan and Russian President "
     "Vladimir Putin was discussed."), "planned", "planned"),
    ("If talks fail, Britain could impose sanctions on Iran.", "hypothetical", "if"),
    ("Japan could restrict exports of chips to China.", "hypothetical", "could"),
])
def test_status_and_cue(run, text: str, status: str, cue: str | None) -> None:
    ev = one(run(text))
    assert ev.status == status
    assert (ev.cue.lower() if ev.cue else None) == cue


def test_reported_future_is_planned(run) -> None:
    ev = one(run("A Chinese spokesman said Beijing would host Vietnamese Foreign Minister "
                 "Bui Thanh Son next week."))
    assert (ev.subtype, ev.status, ev.cue) == ("meeting", "planned", "would")
    assert ev.source == "China" and not ev.source_is_outlet


@pytest.mark.parametrize("text, source", [
    ("According to Japan, China has sent fighter jets to Cambodia.", "Japan"),
    ("China has sent fighter jets to Cambodia, according to Japanese officials.", "Japan"),
    ("Tokyo officials said China had sent fighter jets to Cambodia.", "Japan"),
    ("Japan's intelligence agency told lawmakers that China had sent fighter jets to Cambodia.",
     "Japan"),
    ("Peter Szijjarto said China had sent fighter jets to Cambodia.", "Peter Szijjarto"),
    ("The Pentagon believes China has sent fighter jets to Cambodia.",
     "U.S. Department of Defense"),
])
def test_named_sources(run, text: str, source: str) -> None:
    ev = one(run(text))
    assert (ev.actor, ev.target) == ("China", "Cambodia")
    assert ev.source == source and ev.source_is_outlet is False


def test_outlet_voice(run) -> None:
    ev = one(run("China has sent fighter jets to Cambodia.", outlet="Daily Planet"))
    assert (ev.source, ev.source_is_outlet) == ("Daily Planet", True)
    ev = one(run("China has sent fighter jets to Cambodia, unnamed officials said.",
                 outlet="Daily Planet"))
    assert (ev.source, ev.source_is_outlet) == ("Daily Planet", True)


def test_it_said_speaks_for_the_last_institution(run) -> None:
    events = run("The Pentagon said it was watching the border. China has sent fighter jets "
                 "to Cambodia, it said.")
    ev = one(events)
    assert ev.source == "U.S. Department of Defense"


def test_quoted_speaker_is_the_source(run) -> None:
    ev = one(run("\u201cChina has sent fighter jets to Cambodia,\u201d Peter Szijjarto told "
                 "reporters on Monday."))
    assert ev.source == "Peter Szijjarto"


def test_block_quote_after_said_colon(run) -> None:
    text = ("Speaking on the radio, Peter Szijjarto said:\n"
            "I think China will send fighter jets to Cambodia. Nobody can stop that.")
    ev = one(run(text))
    assert (ev.actor, ev.target, ev.source) == ("China", "Cambodia", "Peter Szijjarto")


def test_warning_speaker_side(run) -> None:
    ev = one(run("Belarus has massed tanks on the border. \u201cThey will pay a price for "
                 "this,\u201d Polish Foreign Minister Radoslaw Sikorski told reporters."))
    assert (ev.subtype, ev.actor, ev.target) == ("warning", "Poland", "Belarus")
    assert ev.source == "Radoslaw Sikorski"
    assert ev.status == "asserted"


@pytest.mark.parametrize("denial", [
    "Iran denied sending drones to Russia.",
    "Iran has denied it was supplying drones to Russia.",
    "Tehran dismissed the allegations as baseless.",
    "Iran rejected these claims.",
    "Iran called the reports \u201cwithout evidence\u201d.",
])
def test_denial_targets_the_denied_event(run, denial: str) -> None:
    events = run("Israel said Iran had sent drones to Russia. " + denial)
    assert [e.subtype for e in events] == ["arms_transfer", "denial"]
    claim, den = events
    assert (den.type, den.actor, den.target, den.source) == ("REJECT", "Iran", claim.id, "Iran")
    assert claim.denied_by == ["Iran"]
    assert claim.status == "asserted" and claim.source == "Israel"


def test_denial_picks_the_matching_event(run) -> None:
    events = run("Israel said Iran had sent drones to Russia. Japan sent troops to Djibouti. "
                 "Iran denied it had shipped drones to Russia.")
    by_type = {e.subtype: e for e in events}
    assert by_type["denial"].target == by_type["arms_transfer"].id
    assert by_type["troop_deployment"].denied_by == []


def test_joint_denial_puts_the_accused_first(run) -> None:
    events = run("Egyptian officials said Sudan had sent 300 troops to Chad. Both Chad and Sudan "
                 "denied the reports.")
    claim, den = events
    assert den.actor == "Sudan" and set(den.participants) == {"Chad", "Sudan"}
    assert set(claim.denied_by) == {"Chad", "Sudan"}


def test_denial_without_a_denied_event_in_the_document(run) -> None:
    # the denial stands without a target (the cross-document layer links it); a denial of
    # something that is not a claim is no denial
    ev = one(run("Iran denied the allegations."))
    assert (ev.subtype, ev.actor, ev.target) == ("denial", "Iran", None)
    assert [e for e in run("Iran denied entry to the inspectors.") if e.subtype] == []


@pytest.mark.parametrize("text, status, cue", [
    # a speech verb that performs the act it names: its modality is the act's
    ("The foreign ministry said the European Union would announce sanctions.", "planned",
     "would"),
    ("Canada will impose new sanctions next week.", "planned", "will"),
    ("Canada is set to announce sanctions.", "planned", "set"),
])
def test_sanctions_without_a_named_target(run, text: str, status: str, cue: str) -> None:
    ev = one(run(text))
    assert (ev.subtype, ev.target) == ("sanctions_designation", None)
    assert (ev.status, ev.cue.lower()) == (status, cue)


def test_the_date_of_a_report_does_not_date_a_coordinated_act(run) -> None:
    ev = one(run("The ministry said on Monday that talks went well, and Canada will impose "
                 "sanctions on Iran."))
    assert (ev.actor, ev.target, ev.when) == ("Canada", "Iran", None)


CLAIM = "Israel said Iran had sent drones to Russia. "


@pytest.mark.parametrize("denial", [
    # a denied claim clause is the content of the denial, not an event of its own
    ("Iran and Russia on Monday dismissed claims that Iranian ships had delivered drones to "
    "Russia."),
    ("Iran rejected accusations that its army had sent drones to Russia, calling them a "
    "fabrication."),
    "Iran and Russia have rejected reports of drone transfers as lies.",
    # a party to the act says it did not happen
    "Iran said it has never supplied drones to Russia.",
    "Russia said it had not received any drones from Iran.",
    # a claim judged false in the denier's voice
    ("\u201cThese allegations are baseless,\u201d Iranian Foreign Minister Hossein "
    "Amir-Abdollahian said."),
    "An Iranian spokesman said the accusations against Tehran were groundless.",
    # the claim as the antecedent of a relative clause
    "Israel put the number at 400, a figure that Iran called pure invention.",
])
def test_denials_in_other_words(run, denial: str) -> None:
    events = run(CLAIM + denial)
    assert [e.subtype for e in events] == ["arms_transfer", "denial"], [
        (e.subtype, e.actor, e.target) for e in events]
    claim, den = events
    assert den.actor in ("Iran", "Russia") and den.target == claim.id
    assert den.actor in claim.denied_by


def test_joint_denial_date(run) -> None:
    events = run(CLAIM + "Iran and Russia on Monday dismissed claims that Iranian ships had "
                 "delivered drones to Russia.")
    den = events[-1]
    assert set(den.participants) == {"Iran", "Russia"} and den.when == "2024-03-11"


@pytest.mark.parametrize("text, actor", [
    (("A spokesman for the Iranian foreign ministry said the country \u201chas never sold and "
     "will never sell\u201d drones to anyone."), "Iran"),
    ("Iran's embassy said the talks were based on claims made without evidence.", "Iran"),
    ("Iran and Russia have both denied trading weapons.", "Iran"),
    (("An Iranian spokesman said on Monday that talks would continue. The statement described "
     "the reports as a smear campaign."), "Iran"),
    # the only event is a sanction, which nobody "denies": no target in this document
    (("The European Union imposed sanctions on Belarus. Belarus called the accusations "
     "unfounded."), "Belarus"),
])
def test_denial_of_a_claim_reported_elsewhere(run, text: str, actor: str) -> None:
    den = [e for e in run(text) if e.subtype == "denial"]
    assert [(d.actor, d.target) for d in den] == [(actor, None)]


@pytest.mark.parametrize("text", [
    CLAIM + "Iran did not send drones to Belarus.",
    CLAIM + "The claims were detailed, Israeli officials said.",
    CLAIM + "There is evidence for the claims, Israeli officials said.",
    CLAIM + "Iranian officials said the reports were detailed.",
])
def test_no_denial(run, text: str) -> None:
    assert [e.subtype for e in run(text)] == ["arms_transfer"]


def test_one_denial_per_denier(run) -> None:
    events = run(CLAIM + "Iran rejected the accusations. \u201cThese accusations are "
                 "baseless,\u201d an Iranian spokesman said.")
    assert [e.subtype for e in events] == ["arms_transfer", "denial"]


def test_a_denial_in_a_relative_clause_is_not_dated_by_the_report(run) -> None:
    events = run("Poland told lawmakers on Monday that Belarus had sent 400 troops to Russia, a "
                 "figure that Belarus called pure invention.")
    assert [(e.subtype, e.actor) for e in events] == [("troop_deployment", "Belarus"),
                                                      ("denial", "Belarus")]
    assert events[1].target == events[0].id and events[1].when is None


def test_since_a_period_runs_to_publication(run) -> None:
    ev = one(run("Iran has sent drones to Russia since last summer."))
    assert isinstance(ev.when, list) and ev.when[0].startswith("2023") and ev.when[1] == "2024-03"
