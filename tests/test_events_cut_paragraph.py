"""A paragraph cut short where a page was scraped still states its events; a long headline
does not (`events._on_text_line`, the English pack's `cut_paragraph`)."""

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
