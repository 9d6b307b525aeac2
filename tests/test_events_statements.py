"""Real-news event conventions found on the third real-news key's error groups
(docs/EVALUATION.md, "Real-news events: the error groups"): a statement announced by its
quoted title, wrongs committed, joint acts against a third party, deployments aimed at no
one. Each pinned on sentences written for the tests."""

from __future__ import annotations

import pytest

from storyline.nlp import make_doc
from storyline.records import Event

pytestmark = pytest.mark.slow

STATEMENT = (
    "Statement of DPRK Foreign Ministry\n\n"
    "Pyongyang, October 11 (KCNA) -- The Foreign Ministry of the Democratic People's Republic "
    "of Korea on Thursday issued the following important statement \"Sovereignty will be defended "
    "without hesitation\":\n"
    "The ROK keeps going too far with its hostile moves against the DPRK.\n"
    "The ROK must pay a heavy price for its rash deeds.\n"
    "We seriously warn the ROK for the last time.\n")


def run(nlp, text: str, outlet: str = "Test Wire", published: str = "1987-03-24") -> list[Event]:
    return nlp(make_doc(nlp, text, published=published, outlet=outlet))._.sl_events


def triples(events: list[Event]) -> set[tuple[str | None, str | None, str | None]]:
    return {(e.subtype, e.actor, e.target) for e in events}


def test_a_quoted_title_ending_the_announcing_line_announces_the_statement(nlp) -> None:
    """ "X issued the following important statement "TITLE":" -- what follows is X's: the "we"
    below it is X's state, X is the source, and the statement's two warnings to one party are
    one warning."""
    events = run(nlp, STATEMENT, outlet="KCNA", published="2024-10-11")
    warnings = [e for e in events if e.subtype == "warning"]
    assert [(e.actor, e.target, e.source) for e in warnings] == [
        ("North Korea", "South Korea", "Ministry of Foreign Affairs (North Korea)")]
    # the title is no announcement when the line goes on after it
    text = STATEMENT.replace("hesitation\":\n", "hesitation\", it said on Friday.\n")
    assert not [e for e in run(nlp, text, outlet="Test Wire")
                if e.source == "Ministry of Foreign Affairs (North Korea)"
                and e.subtype == "warning" and e.actor == "North Korea"
                and "we seriously warn" in e.evidence.lower()]


def test_a_wrong_committed_is_charged_to_its_doer(nlp) -> None:
    """A state outlet in its own voice: "the ROK committed a grave provocation" (the pack's
    `deed_verbs`) accuses the ROK; in an ordinary outlet's voice it accuses no one, and the
    wrong's mere mention by a third party charges nobody."""
    text = "The ROK committed a grave provocation against the DPRK on Thursday."
    assert ("accusation", "North Korea", "South Korea") in triples(run(nlp, text, "KCNA", "2024-10-11"))
    assert not [e for e in run(nlp, text, "Test Wire", "2024-10-11") if e.subtype == "accusation"]
    text = "The UN discussed the grave provocation on Thursday."
    assert not [e for e in run(nlp, text, "KCNA", "2024-10-11") if e.subtype == "accusation"]


def test_a_joint_act_against_a_third_party_is_each_actors(nlp) -> None:
    """ "The United States and France vetoed a resolution of the Council": one act of each
    against the Council; a joint act with no third party stays one event between the two."""
    events = run(nlp, "UNITED NATIONS, May 14 - The United States and France vetoed a "
                      "Security Council resolution on Thursday.")
    pairs = {(e.actor, e.target) for e in events if e.type == "REJECT"}
    assert pairs == {("United States", "UN Security Council"),
                     ("France", "UN Security Council")}
    events = run(nlp, "Jordan and Britain agreed to hold joint naval exercises next year.")
    assert len({e.actor for e in events}) <= 1


def test_a_deployment_aimed_at_no_one_stands(nlp) -> None:
    """ "Iran has deployed missiles near the Strait of Hormuz": a deployment that names no
    party aimed at is kept with a null target; open water ("into the northern Indian Ocean")
    ("in the northern Indian Ocean") is the deployment's place, never its target (the pack's
    `unaimed`)."""
    events = run(nlp, "WASHINGTON, March 20 - Iran has deployed a dozen new missiles near "
                      "the Strait of Hormuz, Gulf diplomats said.")
    assert ("military_deployment", "Iran", None) in triples(events)
    events = run(nlp, "WASHINGTON, March 20 - The United States has deployed 18 warships in "
                      "the northern Indian Ocean.")
    assert ("military_deployment", "United States", None) in triples(events)
    assert not [e for e in events if e.subtype == "military_deployment" and e.target == "Indian Ocean"]
    # a deployment to a state still names it
    assert ("military_deployment", "Russia", "Belarus") in triples(run(
        nlp, "Russia has deployed tactical nuclear missiles in Belarus, officials said."))


def test_an_attack_named_by_a_noun_is_its_doers_on_the_owner_of_its_aim(nlp) -> None:
    """ "a U.S. attack on an Iranian oil platform" (the pack's `free_nouns`): FIGHT by the
    party that modifies the noun against the party that owns what it hit, beside the verb
    that reports it; an attack whose doer is not named is no event."""
    events = run(nlp, "MOSCOW, Oct 20 - Tass denounced a U.S. attack on an Iranian oil platform "
                      "in the Gulf on Monday.")
    assert ("FIGHT", "United States", "Iran") in {(e.type, e.actor, e.target) for e in events}
    events = run(nlp, "MOSCOW, Oct 20 - Tass denounced the attack on an Iranian oil platform "
                      "in the Gulf on Monday.")
    assert not [e for e in events if e.type == "FIGHT"]


def test_an_act_by_way_of_another_is_its_doers(nlp) -> None:
    """ "are behind several drone infiltrations into Pyongyang": a deployment that names
    no doer is done by the doer of the act it is the way of (the pack's `by_way`); with no
    doer there, no event."""
    text = ("Pyongyang, October 13 (KCNA) -- It was confirmed that the armed forces of the ROK "
            "are behind several drone infiltrations into Pyongyang.")
    assert ("military_deployment", "South Korea", "North Korea") in triples(
        run(nlp, text, outlet="KCNA", published="2024-10-13"))
    text = ("Pyongyang, October 13 (KCNA) -- The DPRK discussed several drone infiltrations "
            "into Pyongyang.")
    assert not [e for e in run(nlp, text, outlet="KCNA", published="2024-10-13")
                if e.subtype == "military_deployment" and e.actor == "North Korea"]


def test_a_statement_announced_with_its_date_after_the_title_is_its_issuers(nlp) -> None:
    """ "... released the following press statement "TITLE" on October 13:" -- the line
    ends with a colon, so what follows is the issuer's: its "we" is the issuer's state."""
    text = STATEMENT.replace("on Thursday issued the following important statement \"Sovereignty "
                             "will be defended without hesitation\":",
                             "issued the following important statement \"Sovereignty will be "
                             "defended without hesitation\" on October 11:")
    warnings = [e for e in run(nlp, text, outlet="KCNA", published="2024-10-11")
                if e.subtype == "warning"]
    assert [(e.actor, e.target) for e in warnings] == [("North Korea", "South Korea")]


def test_a_spokesman_for_a_body_warns_for_its_state(nlp) -> None:
    """ "A spokesman for the Ministry of National Defence of the DPRK warned that ...": the
    ministry's, so the state's, warning; "for" names whom a spokesman speaks for only."""
    text = ("Pyongyang, October 19 (KCNA) -- A spokesman for the Ministry of National Defence "
            "of the DPRK warned that the army will strike back at once if the "
            "ROK's drones intrude again.")
    assert ("warning", "North Korea", "South Korea") in triples(
        run(nlp, text, outlet="KCNA", published="2024-10-19"))
    text = "KYIV, May 2 - Troops for Ukraine warned that Russia would attack again."
    assert not [e for e in run(nlp, text) if e.actor == "Ukraine"]


def test_an_official_the_knowledge_base_codes_speaks_for_the_state(nlp) -> None:
    """A statement of Kim Yo Jong (coded a government official of the DPRK in the knowledge
    base; her title names a party, not the state): "The provocateurs shall pay a heavy price"
    is North Korea's warning."""
    text = ("Pyongyang, October 15 (KCNA) -- Kim Yo Jong, vice department director of the "
            "Central Committee of the Workers' Party of Korea, issued the following press "
            "statement on Tuesday:\n"
            "We now hold firm proof that the ROK military thugs are to blame for "
            "the hostile intrusion into the DPRK.\n"
            "The provocateurs shall pay a heavy price.\n")
    assert ("warning", "North Korea", "South Korea") in triples(
        run(nlp, text, outlet="KCNA", published="2024-10-15"))


def test_a_deployment_whose_purpose_names_open_water_stands(nlp) -> None:
    """ "Iran's deployment of missiles to watch the approaches to the Gulf" (the purpose
    parsed onto another verb): open water named after the act in its sentence."""
    text = ("WASHINGTON, March 24 - Talks were held with Qatar in view of Iran's deployment "
            "of anti-ship missiles to watch the approaches to the Gulf.")
    assert ("military_deployment", "Iran", None) in triples(run(nlp, text))


def test_what_is_launched_is_the_head_of_the_object(nlp) -> None:
    """ "launch small boat attacks": attacks are launched, not boats; "land-based launching
    sites" is a place. Neither is a satellite launch; a launched satellite still is."""
    for text in ("WASHINGTON, Oct 8 - Iran used the platform to launch small boat attacks on "
                 "shipping near missile sites, the Pentagon said.",
                 "BAHRAIN, March 24 - Iran has built three land-based launching sites "
                 "for its new rockets along the coast, a Gulf shipping source said."):
        assert not [e for e in run(nlp, text) if e.subtype == "satellite_launch"], text
    assert ("satellite_launch", "North Korea", None) in triples(run(
        nlp, "SEOUL, May 27 - North Korea launched a reconnaissance satellite on Monday."))
