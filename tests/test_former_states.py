"""A state that no longer exists (countries.json `until`, `seat`): its seat of government
stands for it in a text dated up to its last day ("Moscow", "the Kremlin", a dateline's
"MOSCOW" in 1987: the Soviet Union), for the member state that holds it now in a later one.
Every text is our own."""

from __future__ import annotations

from storyline.extract.kb import load_kb
from storyline.nlp import make_doc


def test_the_seat_names_the_former_state_up_to_its_last_day() -> None:
    kb = load_kb()
    assert kb.seat_of("Moscow", "1987-04-13").key == "country:SUN"
    assert kb.seat_of("MOSCOW", "1991-12-25").key == "country:SUN"
    assert kb.seat_of("the Kremlin", "1991-12-26") is None
    assert kb.seat_of("Moscow", None) is None  # no date: no guess
    assert kb.seat_of("Prague", "1987-01-01").key == "country:CSK"
    assert kb.seat_of("Berlin", "1987-01-01") is None


def _entities(nlp, text: str, published: str) -> dict[str, list[str]]:
    doc = nlp(make_doc(nlp, text, published=published, outlet="Test Wire"))
    return {e.name: [m.text for m in e.mentions] for e in doc._.sl_entities}


def test_moscow_in_1987_is_the_soviet_union_and_in_2024_russia(nlp) -> None:
    text = ("MOSCOW, April 13 - The Kremlin accused Washington of spying. Our visitor "
            "arrived in Moscow on Monday.")
    old = _entities(nlp, text, "1987-04-13")
    assert "Russia" not in old and sorted(old["Soviet Union"]) == ["Kremlin", "MOSCOW", "Moscow"]
    new = _entities(nlp, text, "2024-04-13")
    assert "Soviet Union" not in new and "Russia" in new


def test_a_visit_to_the_host_state_for_talks_with_it_is_the_visit(events_of) -> None:
    """ "arrived in Moscow for talks with Soviet leaders": the talks with the host state are
    the trip itself (a visit); talks with a person on the trip stay the meeting."""
    evs = events_of("U.S. Secretary of State George Shultz arrived in Moscow on Monday for "
                    "talks with Soviet leaders.", published="1987-04-13")
    assert [(e.subtype, e.actor, e.target) for e in evs if e.type == "CONSULT"] == [
        ("visit", "George Shultz", "Soviet Union")]
    evs = events_of("Putin arrived in Pyongyang on Monday for talks with Kim Jong Un.")
    assert [(e.subtype, e.target) for e in evs if e.type == "CONSULT"] == [
        ("meeting", "Kim Jong-un")]


def test_the_one_judged_for_an_act_does_it(events_of) -> None:
    """ "criticized X for sending forces", "accused X of arming Y": the object of the
    judging verb is the doer of the act in its "for"/"of" phrase, not the judge."""
    evs = events_of("Chinese officials criticized the United States on Monday for sending "
                    "troops to Japan.")
    assert all(e.actor != "China" for e in evs if e.subtype and "deployment" in e.subtype)
    assert any(e.actor == "United States" for e in evs if e.subtype and "deployment" in e.subtype)


def test_the_european_bodies_of_the_knowledge_base(events_of) -> None:
    """The European Council and the European Community (EEC, "the Common Market") are
    bodies of states: a summit or a session of theirs is their own event."""
    evs = events_of("The two-day European Council summit in Brussels begins on Friday.")
    assert [(e.subtype, e.actor, e.target) for e in evs] == [("summit", "European Council", None)]
    evs = events_of("European Community energy ministers met in Luxembourg on Monday.",
                    published="1987-06-02")
    assert ("meeting", "European Community", None) in [(e.subtype, e.actor, e.target) for e in evs]
