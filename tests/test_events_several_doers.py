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


def test_a_title_names_the_person_the_document_gave_it_to(events_of):
    """ "The prime minister urged ...": a definite title whose words are all a person's title
    words in the document names that person (the one last named where several fit); a title
    no one was given names no one."""
    found = _found(events_of, "Prime Minister Tony Blair spoke in Brussels on Monday. "
                              "The prime minister urged Europe to act.")
    assert ("DEMAND", "Tony Blair", "Europe") in found
    found = _found(events_of, "Foreign Minister Choe Son Hui left Pyongyang on Monday. "
                              "The minister met Sergei Lavrov in Moscow.")
    assert ("CONSULT", "Choe Son-hui", "Sergei Lavrov") in found
    found = _found(events_of, "President George Bush met Tony Blair. The minister urged Iran "
                              "to stop.")
    assert not [f for f in found if f[0] == "DEMAND"]


def test_a_habit_is_no_event_of_a_day(events_of):
    """A word of habit (the pack's `habitual_words`) on an act in the simple present makes it
    a habit ("has regular meetings with X"), not a dated event; the same words on a past act
    ("held regular talks on Monday") leave it one day's."""
    found = _found(events_of, "Prime Minister Silvio Berlusconi spoke in Rome. The prime "
                              "minister has regular meetings with France and Germany.")
    assert not [f for f in found if f[0] == "CONSULT"]
    found = _found(events_of, "Japan held regular talks with China on Monday.")
    assert ("CONSULT", "Japan", "China") in found


def test_parties_named_in_one_hyphenated_token(events_of):
    """ "U.S.-Japan talks", "U.S.-ROK military exercises": the tokenizer keeps the pair as one
    token with two names in it; both are the event's parties (joint drills: the partner is
    the target)."""
    assert ("CONSULT", "United States", "Japan") in _found(
        events_of, "U.S.-Japan talks were held on Monday.")
    found = {(e.subtype, e.actor, e.target) for e in events_of(
        "The ongoing large-scale U.S.-ROK military exercises began on Monday.")}
    assert ("military_exercise", "United States", "South Korea") in found


def test_a_visitor_on_a_visit(events_of):
    found = {(e.subtype, e.actor, e.target) for e in events_of(
        "Sergei Shoigu is on a visit to North Korea.")}
    assert ("visit", "Sergei Shoigu", "North Korea") in found


def test_a_state_body_sells_arms_for_its_state(events_of):
    found = {(e.subtype, e.actor, e.target) for e in events_of(
        "The U.S. Department of State approved the sale of 36 attack helicopters to South "
        "Korea on Monday. The United States said the deal strengthens the alliance.")}
    assert ("arms_transfer", "United States", "South Korea") in found


def test_a_region_is_no_host(events_of):
    """ "during a Middle East visit", "will visit Africa": a region of the knowledge base
    (key "loc:") hosts no visit; a country on the same trip does."""
    found = {(e.subtype, e.actor, e.target) for e in events_of(
        "Gordon Brown will visit Africa next week. He will travel to Tanzania on Monday.")}
    assert not [f for f in found if f[2] == "Africa"]
    assert ("visit", "Gordon Brown", "Tanzania") in found
    assert not [e for e in events_of("William Crowe said during a Middle East visit that the "
                                     "fleet would stay.") if e.subtype == "visit"]


def test_the_one_received_on_a_visit_is_the_visitor(events_of):
    found = {(e.subtype, e.actor, e.target) for e in events_of(
        "Kim Jong Un on Friday received Sergei Shoigu, secretary of the Security Council of "
        "Russia, on a visit to North Korea.")}
    assert ("visit", "Sergei Shoigu", "North Korea") in found
    assert not [f for f in found if f[0] == "visit" and f[1] == "Kim Jong-un"]
