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


def test_the_place_of_a_dateline_never_speaks_or_acts(nlp):
    """A parse that makes the dateline's place the subject and the real subject its
    apposition ("LONDON, March 4 - The head of X, NAME, warned ...") gives the name."""
    from spacy.tokens import Doc

    from storyline.extract.arguments import past_dateline, subject_of
    from storyline.nlp import make_doc

    words = ["OSLO", ",", "May", "4", "-", "The", "head", "of", "the", "senate", ",", "Ola",
             "Nordmann", ",", "warned", "Sweden", "."]
    heads = [14, 0, 0, 2, 0, 6, 0, 6, 9, 7, 6, 12, 6, 0, 14, 14, 14]
    deps = ["nsubj", "punct", "appos", "nummod", "punct", "det", "appos", "prep", "det",
            "pobj", "punct", "compound", "appos", "punct", "ROOT", "dobj", "punct"]
    pos = ["PROPN", "PUNCT", "PROPN", "NUM", "PUNCT", "DET", "NOUN", "ADP", "DET", "NOUN",
           "PUNCT", "PROPN", "PROPN", "PUNCT", "VERB", "PROPN", "PUNCT"]
    spaces = [False, True, True, True, True, True, True, True, True, False, True, True,
              False, True, True, False, False]
    base = make_doc(nlp, "x", published="2024-05-04", outlet="Test Wire")
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)
    doc._.sl_language = base._.sl_language or "en"
    assert subject_of(doc[14]).text == "Nordmann"
    assert past_dateline(doc[0]).text == "Nordmann"
    assert past_dateline(doc[6]).i == 6  # no dateline: as it is


def test_a_clerical_title_is_no_part_of_the_name(nlp):
    from storyline.nlp import make_doc

    text = ("Hojatoleslam Ali Rezaei, a senior cleric, said on Friday that the talks had "
            "failed. \u201cWe will not return,\u201d he said.")
    doc = nlp(make_doc(nlp, text, published="2024-03-12", outlet="Test Wire"))
    assert ("Ali Rezaei", "PERSON") in [(e.name, e.type) for e in doc._.sl_entities]
    assert {q.speaker for q in doc._.sl_quotes} == {"Ali Rezaei"}


def test_with_a_name_before_a_participle_that_name_acts(events_of):
    """ "Prices rose with X buying ...": X buys, not the prices; a leader's weapons test
    is his state's."""
    events = events_of("Tensions rose along the border with North Korean leader Kim Jong Un "
                       "ordering tests of new cruise missiles.")
    assert ("weapons_test", "North Korea") in [(e.subtype, e.actor) for e in events]
