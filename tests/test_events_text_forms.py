"""Text as real pages give it: a paragraph cut short, "they" after a coordinated subject, a
clause set off by a comma that the parse hangs under a condition."""

from __future__ import annotations


def test_a_paragraph_cut_mid_sentence_keeps_its_accusation(events_of):
    text = ("Foreign ministers met in Geneva on Monday.\n\n"
            "On Monday the Japanese foreign minister called the talks useful and "
            "accused China of trying to block the inquiry into the \u201cunlawful seizures of "
            "fishing boats in the disputed")
    found = [(e.subtype, e.actor, e.target) for e in events_of(text)]
    assert ("accusation", "Japan", "China") in found


def test_the_same_words_as_a_headline_state_nothing(events_of):
    text = ("Japanese Foreign Minister Accuses China Of Trying To Block The Inquiry Into "
            "Unlawful Seizures Of Fishing Boats In The Disputed Waters Near The Islands\n\n"
            "Foreign ministers met in Geneva on Monday.")
    assert not [e for e in events_of(text) if e.subtype == "accusation"]


def test_a_short_unpunctuated_line_is_no_running_text(events_of):
    text = "Japan accuses China of blocking inquiry\n\nForeign ministers met in Geneva on Monday."
    assert not [e for e in events_of(text) if e.subtype == "accusation"]


def test_they_after_a_coordinated_subject_is_both_parties(events_of):
    text = ("Chinese President Xi Jinping and Russian President Vladimir Putin signed a trade "
            "treaty as they held summit talks in Beijing on Tuesday.")
    kinds = {e.subtype for e in events_of(text)}
    assert "summit" in kinds and "agreement" in kinds


def test_a_clause_set_off_by_a_comma_is_no_part_of_a_condition(events_of):
    """ "..., as they held talks" hangs, in the parse, under the "if" clause before it; it
    still says what happened."""
    text = ("Chinese President Xi Jinping and Russian President Vladimir Putin signed a trade "
            "treaty calling for joint patrols if either is attacked, as they held summit talks "
            "in Beijing on Tuesday.")
    assert "summit" in {e.subtype for e in events_of(text)}
    held_if = "Laos would send troops to Vietnam if China attacked Vietnam."
    assert not [e for e in events_of(held_if) if e.status == "asserted"
                and e.actor == "Laos"]
