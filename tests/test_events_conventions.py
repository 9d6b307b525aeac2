"""Who the parties are, on real-news wordings (docs/EVALUATION.md, "Who the parties are"):
each convention the event extractor follows, pinned on sentences written for the tests."""

from __future__ import annotations

import pytest

from storyline.nlp import make_doc
from storyline.records import Event

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run():
    from conftest import pipeline

    nlp = pipeline()

    def _run(text: str, published: str = "2024-05-27") -> list[Event]:
        doc = nlp(make_doc(nlp, text, published=published, outlet="Test Wire"))
        return doc._.sl_events

    return _run


def triples(events: list[Event]) -> set[tuple[str | None, str | None, str | None]]:
    return {(e.subtype, e.actor, e.target) for e in events}


def test_a_wire_end_mark_ends_the_last_sentence(run) -> None:
    text = ("Pyongyang, March 2 (KCNA) -- Ri Su Yong, a spokesman of the Foreign Ministry of the "
            "DPRK, issued the following press statement on Monday.\n"
            "The ROK staged a provocative drill again on March 1.\n"
            "I sternly warn Seoul to stop the reckless military drill at once. -0-")
    assert ("warning", "North Korea", "South Korea") in triples(run(text))


def test_a_headline_in_capitals_is_no_text_line() -> None:
    from conftest import pipeline

    from storyline.extract.events import _on_text_line

    nlp = pipeline()
    text = "CHILE DENIES REPORT IT MAY END COPPER PACT WITH U.S.\n\nThe talks went on."
    doc = nlp(make_doc(nlp, text, published="2024-05-27"))
    assert not _on_text_line(doc, 0)
    assert _on_text_line(doc, text.index("talks"))


def test_a_dateline_without_agency_never_acts(run) -> None:
    ev = run("SANTA FE, N.M., April 17 - The White House announced 50 pct tariffs on "
             "Brazilian steel.")
    assert ("sanctions_designation", "White House", "Brazil") in triples(ev)


@pytest.mark.parametrize("text, actor, target", [
    ("Canada imposed tariffs on Chinese electric cars on Monday.", "Canada", "China"),
    # through an amount of the goods, never into a clause about them
    ("Mexico announced 20 pct tariffs on 50 mln dlrs worth of Peruvian textiles.", "Mexico",
     "Peru"),
])
def test_tariffs_are_sanctions_on_the_goods_country(run, text: str, actor: str,
                                                    target: str) -> None:
    assert ("sanctions_designation", actor, target) in triples(run(text))


def test_a_thing_named_in_a_clause_is_not_the_target(run) -> None:
    ev = run("Norway imposed sanctions on a firm it accused of carrying Iranian oil.")
    assert not [e for e in ev if e.subtype == "sanctions_designation" and e.target == "Iran"]


def test_a_clock_time_s_zone_is_no_target(run) -> None:
    """ "at 1100 GMT": the parser may take the zone for a proper noun; the platforms' owner
    is the target."""
    ev = run("Officials in Ankara said four Greek frigates shelled and destroyed two Turkish "
             "platforms at the Delta field at 0900 GMT on Monday.")
    hits = [e for e in ev if e.actor == "Greece"]
    assert hits and all(e.target == "Turkey" for e in hits)


def test_a_summit_of_one_international_body_is_its_own(run) -> None:
    ev = run("Jacinda Ardern will attend an EU summit in Brussels next week.")
    assert ("summit", "European Union", None) in triples(ev)
    ev = run("The UN Security Council will convene an open meeting on Friday.")
    assert ("meeting", "UN Security Council", None) in triples(ev)
    # a meeting named by a body is left to the parties that meet there
    ev = run("Blinken flew to Tokyo after attending a G7 foreign ministerial meeting in Italy.")
    assert not [e for e in ev if e.actor == "Group of Seven"]


def test_a_meeting_named_by_its_parties(run) -> None:
    ev = run("At a Chile-Peru-Bolivia tripartite summit held on Monday, a declaration was "
             "adopted.")
    assert ("summit", "Chile", "Peru") in triples(ev)


def test_a_warning_given_to_someone(run) -> None:
    ev = run("Chile gave a stern warning to Peru on Sunday.")
    assert ("warning", "Chile", "Peru") in triples(ev)


def test_a_state_agency_launches_for_its_state(run) -> None:
    ev = run("The National Aerospace Technology Administration of the DPRK conducted the "
             "launch of a reconnaissance satellite.")
    assert ("satellite_launch", "North Korea", None) in triples(ev)


def test_negation_through_the_predicate(run) -> None:
    ev = run("Chile, which supports the plan, is not entitled to blame Peru.")
    assert not [e for e in ev if e.actor == "Chile" and e.target == "Peru"]


def test_a_demand_by_modal_in_the_outlet_voice_is_nobodys(run) -> None:
    assert not [e for e in run("Turkey must issue a written statement.") if e.type == "DEMAND"]
    ev = run("Rebels from Chad announced that President Kagame must agree to constitutional "
             "changes.")  # a speaker the entity layer does not know: as written
    assert [e.target for e in ev if e.type == "DEMAND" and e.actor not in (None, "Kagame")] == [
        "Kagame"]


def test_an_object_pronoun_is_not_its_clause_subject(run) -> None:
    ev = run("Peru adopted a joint declaration on Monday. The Foreign Ministry of Chile "
             "strongly rejects it.")
    assert any(e.type == "REJECT" and e.target == "Peru" for e in ev), triples(ev)


def test_the_agent_of_a_participle_acts(run) -> None:
    ev = run("Cuba condemned the joint air drill staged by Chile and Peru last week.")
    assert ("military_exercise", "Chile", "Peru") in triples(ev)


def test_an_agreement_in_force_is_no_event(run) -> None:
    ev = run("SANTIAGO, April 3 - A top Chilean official has insisted that the country was "
             "living up to its copper pact with the US.")
    assert not [e for e in ev if e.subtype == "agreement"]


def test_greetings_received_are_the_senders(run) -> None:
    ev = run("Kim Jong Un received a message of greeting from Gabriel Boric, president of Chile.")
    assert [(e.actor, e.target) for e in ev] == [("Gabriel Boric", "Kim Jong-un")]


def test_seeking_talks_is_a_meeting(run) -> None:
    ev = run("Japan would seek new talks with Chile to resolve the issue.")
    assert ("meeting", "Japan", "Chile") in triples(ev)


def test_a_coalition_led_by_a_state_is_the_states(run) -> None:
    ev = run("Jacinda Ardern has criticised the US-led relief coalition.")
    assert ("accusation", "Jacinda Ardern", "United States") in triples(ev)


def test_a_demand_verb_over_a_stated_fact_demands_nothing(run) -> None:
    ev = run("Chile insisted that the Peruvian leadership had made great advances in trade.")
    assert not [e for e in ev if e.type == "DEMAND"]
    ev = run("Chile insisted that Peru withdraw its troops.")
    assert ("DEMAND", "Chile", "Peru") in {(e.type, e.actor, e.target) for e in ev}


def test_a_signed_treaty_binds_the_states(run) -> None:
    ev = run("Chilean President Gabriel Boric and Peruvian President Dina Boluarte signed a new "
             "strategic partnership treaty on Wednesday.")
    assert ("agreement", "Chile", "Peru") in triples(ev)
    ev = run("Mr Straw and his Spanish counterpart Miguel Moratinos agreed to establish a body.")
    assert {(e.subtype, e.target) for e in ev} == {("agreement", "Miguel Moratinos")}


def test_a_place_named_by_its_country(run) -> None:
    # "at Russia's launch site": the summit is hosted by Russia, so its guest comes first
    ev = run("President Vladimir Putin met North Korea's Kim Jong Un, possibly at Russia's "
             "most modern space rocket launch site, on Wednesday.")
    assert ("summit", "Kim Jong-un", "Vladimir Putin") in triples(ev)
    ev = run("Putin arrived in the North Korean capital on Tuesday evening.")
    assert any(e.subtype == "visit" and e.target == "North Korea" for e in ev)


def test_assisting_with_a_programme_is_a_technology_transfer(run) -> None:
    ev = run("Moscow is likely assisting Tehran with its missile program.")
    assert ("technology_transfer", "Russia", "Iran") in triples(ev)
    assert ("arms_transfer", "Iran", "Russia") in triples(run("Iran assisted Russia with drones."))


def test_a_relative_clause_object_is_its_noun(run) -> None:
    # "the deals Moscow has struck": a deal struck, no strike
    ev = run("Seoul worries about the deals Moscow has struck with Pyongyang.")
    assert not [e for e in ev if e.type == "FIGHT"]
    assert any(e.type == "SUPPORT" and e.actor == "Russia" for e in ev)


def test_a_person_acting_on_their_own_state_is_no_interaction(run) -> None:
    ev = run("Makoto Kuroda, vice minister of Japan, will head a Japanese team next week.")
    assert not [e for e in ev if e.actor == "Makoto Kuroda" and e.target == "Japan"]


STATEMENT = (
    "Pyongyang, May 26 (KCNA) -- Kim Kang Il, vice-minister of National Defence of the "
    "Democratic People's Republic of Korea, made public the following press statement "
    "\"Our sovereignty will be defended\" on May 25:\n"
    "Warships of the puppet ROK are frequently crossing our maritime border.\n"
    "We officially warn that we can never tolerate such continued encroachment on our "
    "maritime sovereignty.\n")


def test_we_of_a_statement_made_public_is_its_issuers_state(run) -> None:
    """ "X made public the following press statement "TITLE" on ...:": the "we" below it is
    X's state, X is the source, and a warning that names nobody is aimed at the party whose
    act the sentence before describes."""
    events = run(STATEMENT)
    warnings = [e for e in events if e.subtype == "warning"]
    assert [(e.actor, e.target, e.source) for e in warnings] == [
        ("North Korea", "South Korea", "Kim Kang Il")]
    # made the day the statement was made public, not the day of the dateline
    assert [e.when for e in run(STATEMENT, published="2024-05-26")
            if e.subtype == "warning"] == ["2024-05-25"]


def test_a_warning_with_no_party_before_it_is_no_event(run) -> None:
    text = STATEMENT.replace("Warships of the puppet ROK are", "Warships are")
    assert not [e for e in run(text) if e.subtype == "warning"]


def test_a_warning_is_aimed_at_the_party_its_own_words_name(run) -> None:
    text = STATEMENT.replace(
        "We officially warn that we can never tolerate such continued encroachment on our "
        "maritime sovereignty.",
        "If the ROK clans resume the provocation, we will respond a hundred times, as we have "
        "already warned.")
    text = text.replace("Warships of the puppet ROK are", "Warships are")
    assert ("warning", "North Korea", "South Korea") in triples(run(text))


def test_a_country_inside_an_organisations_name_is_a_persons_side() -> None:
    """ "vice-minister of [National Defence of the Democratic People's Republic of Korea]":
    the country's official name ends the organisation's; a short form another country also
    goes by ("the Workers' Party of Korea") names no side."""
    from conftest import pipeline

    from storyline.extract.arguments import DocIndex

    nlp = pipeline()
    doc = nlp(make_doc(nlp, STATEMENT, published="2024-05-26"))
    idx = DocIndex.build(doc)
    kim = idx.entity_named("Kim Kang Il")
    assert kim is not None and idx.affiliation(kim).name == "North Korea"
    text = ("Kim Yo Jong, vice department director of the Central Committee of the Workers' "
            "Party of Korea, said the ROK must stop. The DPRK and the ROK talked.")
    doc = nlp(make_doc(nlp, text, published="2024-05-26"))
    idx = DocIndex.build(doc)
    kim = idx.entity_named("Kim Yo Jong")
    side = idx.affiliation(kim) if kim is not None else None
    assert side is None or side.name != "South Korea"


def test_an_agreement_takes_its_counterpart_from_its_own_words(run) -> None:
    """ "signed a deal to buy gas from Qatar": the deal's other side is named in its terms;
    a pact only named ("would end the chip pact if ...") is no agreement made."""
    events = run("Vietnam has signed a $12bn deal to buy liquefied natural gas from Qatar.")
    assert ("agreement", "Vietnam", "Qatar") in triples(events)
    events = run("Chile would end the copper pact if the U.S. raised its tariffs, Kyodo said.")
    assert not [e for e in events if e.subtype == "agreement"]


COMMENTARY = ("Pyongyang, January 29 (KCNA) -- The DPRK has long said so.\n"
              "It is not the first time that the U.S. plundered oil of other countries.\n")


def test_a_state_agency_in_its_own_voice_accuses_the_wrongdoer() -> None:
    """A state news agency's commentary speaks for its state (the outlet registry's `state`): a
    wrong charged to a party ("the U.S. plundered") is the state's accusation of it; the
    same words in an ordinary outlet's own voice accuse no one."""
    from conftest import pipeline

    nlp = pipeline()

    def accusations(outlet: str) -> set[tuple[str | None, str | None, str | None]]:
        doc = nlp(make_doc(nlp, COMMENTARY, published="2024-01-29", outlet=outlet))
        return {t for t in triples(doc._.sl_events) if t[0] == "accusation"}

    assert accusations("KCNA") == {("accusation", "North Korea", "United States")}
    doc = nlp(make_doc(nlp, COMMENTARY, published="2024-01-29", outlet="KCNA"))
    assert [e.when for e in doc._.sl_events if e.subtype == "accusation"] == ["2024-01-29"]
    assert accusations("Test Wire") == set()


def test_an_act_only_wanted_is_no_event(run) -> None:
    """ "They want to sell arms to China" (the pack's `desire_governors`) states a wish, not
    a sale; "they sold arms to China" does."""
    assert not [e for e in run("The French want the ban lifted because they want to sell "
                               "arms to China.") if e.subtype == "arms_transfer"]
    assert ("arms_transfer", "France", "China") in triples(run("France sold arms to China."))


def test_an_arms_embargo_is_an_export_restriction(run) -> None:
    """ "imposed an arms ban on X" restricts exports of arms (the lexicon's sanction frame
    by item); "imposed sanctions on X" stays a designation."""
    assert ("export_restriction", "European Union", "Belarus") in triples(
        run("The European Union imposed an arms ban on Belarus in 2011."))
    assert ("sanctions_designation", "European Union", "Belarus") in triples(
        run("The European Union imposed sanctions on Belarus in 2011."))


def test_a_punitive_act_for_a_wrong_accuses_the_wrongdoer(run) -> None:
    """ "tariffs ... in retaliation for Brazil's failure to honor the pact" (the pack's
    `grievance`): the one who punishes accuses the party the wrong is charged to."""
    events = run("Canada announced tariffs on steel imports in retaliation for Brazil's "
                 "failure to honor the trade pact.")
    assert ("accusation", "Canada", "Brazil") in triples(events)
    events = run("Canada announced tariffs on Brazilian steel imports on Monday.")
    assert not [e for e in events if e.subtype == "accusation"]
