"""Acts named by nouns and parties named by description, as wires write them: a body's own
session, a meeting named by its "of"-phrase, hyphenated nouns ("test-fire"), a participle the
parse hung on the "of"-phrase, "both countries" for the two parties named before, and the
pronoun "he" that continues with the subject of the sentence before. Every sentence is our
own."""

from __future__ import annotations


def _found(events_of, text: str) -> set[tuple]:
    return {(e.subtype or e.type, e.actor, e.target) for e in events_of(text)}


def test_a_body_of_states_meets_in_its_own_session(events_of):
    assert ("meeting", "NATO", None) in _found(
        events_of, "NATO ambassadors met in emergency session on Friday to discuss the crisis.")
    assert ("meeting", "UN Security Council", None) in _found(
        events_of, "The U.N. Security Council met on Friday to discuss the launch.")
    assert ("meeting", "NATO", None) in _found(
        events_of, "After an emergency meeting of NATO ambassadors, the alliance issued a call.")


def test_a_person_or_a_state_alone_holds_no_meeting(events_of):
    assert not [f for f in _found(events_of, "Vladimir Putin met in Moscow on Friday.")
                if f[0] == "meeting"]
    assert not [f for f in _found(events_of, "The meeting of the ministers ended on Friday.")
                if f[0] == "meeting"]


def test_a_meeting_named_by_its_of_phrase_or_between_its_parties(events_of):
    assert ("meeting", "India", "Pakistan") in _found(
        events_of, "A meeting of the foreign ministers of India and Pakistan was held in "
                   "Islamabad on Wednesday.")
    assert ("meeting", "Iran", "United States") in _found(
        events_of, "Negotiations between Iran and the United States resumed in Vienna.")


def test_dialogue_called_for_is_no_meeting(events_of):
    assert not [f for f in _found(events_of, "The United States called for dialogue.")
                if f[0] == "meeting"]


def test_a_hyphenated_test_is_one_noun(events_of):
    assert ("weapons_test", "North Korea", None) in _found(
        events_of, "North Korea conducted a test-fire of a new ballistic missile on Thursday.")
    assert ("weapons_test", "North Korea", None) in _found(
        events_of, "The test-fire of the new missile Hwasong-20 recently conducted by the DPRK "
                   "alarmed its neighbours.")


def test_a_hyphenated_fixed_phrase_names_its_kind():
    # the parser splits "ship-to-ship" at its hyphens: the phrase is matched as written
    from storyline.extract.lexicon import load_lexicon
    lex = load_lexicon()
    assert "transfer" in lex.multiword_ends and "fire" in lex.multiword_ends


def test_both_countries_are_the_two_named_before(events_of):
    text = ("Chile and Peru are at odds over fishing rights. The United States called on both "
            "countries to avoid any action that could aggravate the dispute.")
    found = _found(events_of, text)
    assert ("DEMAND", "United States", "Chile") in found
    assert ("DEMAND", "United States", "Peru") in found
    text = ("Chile and Peru are at odds over fishing rights. Brazil urged both sides to "
            "exercise restraint.")
    assert {("DEMAND", "Brazil", "Chile"), ("DEMAND", "Brazil", "Peru")} <= _found(events_of, text)


def test_a_delegation_is_the_person_who_leads_it(events_of):
    text = ("Lima, May 3 (Reuters) -- A Chilean delegation led by Ana Rojas, deputy minister of "
            "Trade, arrived here on Tuesday.")
    assert ("visit", "Ana Rojas", "Lima") in _found(events_of, text)
    # led by no person named: the country that sends it
    assert ("visit", "Chile", "Lima") in _found(
        events_of, "Lima, May 3 (Reuters) -- A Chilean trade delegation arrived here on Tuesday.")


def test_a_verb_the_parse_hung_on_its_subject_behind_a_dateline(events_of):
    text = ("Santiago, May 2 (Reuters) -- A government delegation headed by Ana Rojas, foreign "
            "minister, left here on May 1 to pay an official visit to Peru.")
    assert ("visit", "Ana Rojas", "Peru") in _found(events_of, text)


def test_a_leaders_government_is_the_state_it_governs(events_of):
    text = ("Britain and Tony Blair face questions over Iraq. Charles Kennedy accused Mr "
            "Blair's government of being less than straightforward over its plans.")
    found = _found(events_of, text)
    assert ("accusation", "Charles Kennedy", "United Kingdom") in found
    assert not [f for f in found if f[2] in ("Tony Blair", "Blair")]


def test_one_and_her_party_left_is_her_visit(events_of):
    text = ("Santiago, May 2 (Reuters) -- Ana Rojas, foreign minister of Chile, and her party "
            "left here on May 1 to pay an official visit to Peru.")
    found = _found(events_of, text)
    assert ("visit", "Ana Rojas", "Peru") in found
