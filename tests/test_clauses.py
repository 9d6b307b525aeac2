"""Tense, mood and negation of each clause, read from the real parse and stored."""

from __future__ import annotations

import pytest

from storyline.extract.clauses import clauses_of, quoted_spans
from storyline.lang import get_pack
from storyline.link.tenses import Tenses

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    from storyline.nlp import load_nlp

    return load_nlp("auto", ("storyline_clauses",))


def _clauses(nlp, text):
    from storyline.nlp import make_doc

    return clauses_of(nlp(make_doc(nlp, text)))


def _head(text, clauses, word):
    return next(c for c in clauses if text[c.head_start:c.head_end] == word)


@pytest.mark.parametrize("text,word,tense,mood", [
    ("The minister met his counterpart in Hanoi.", "met", "past", "indicative"),
    ("The two sides have agreed on a ceasefire.", "agreed", "past", "indicative"),
    ("The envoy will travel to Lima next week.", "travel", "future", "indicative"),
    ("The delegation is set to arrive on Monday.", "arrive", "future", "indicative"),
    ("Talks are expected to resume in May.", "expected", "future", "indicative"),
    ("The port would reopen if the strike ended.", "reopen", "present", "conditional"),
    ("The council meets every Tuesday.", "meets", "present", "indicative"),
])
def test_tense_and_mood_of_a_clause(nlp, text, word, tense, mood):
    c = _head(text, _clauses(nlp, text), word)
    assert (c.tense, c.mood) == (tense, mood)


def test_negation_and_quotation_are_kept(nlp):
    text = "\u201cWe will not sign,\u201d the spokesman said."
    cs = _clauses(nlp, text)
    sign, said = _head(text, cs, "sign"), _head(text, cs, "said")
    assert sign.negated and sign.quoted and sign.tense == "future"
    assert not said.negated and not said.quoted and said.tense == "past"


def test_a_participle_standing_alone_is_past(nlp):
    text = "Officials recalled the summit held last June."
    assert _head(text, _clauses(nlp, text), "held").tense == "past"


def test_tenses_answer_from_stored_clauses_only(nlp):
    text = "\u201cThey will pay,\u201d the adviser told reporters at a Tuesday briefing."
    t = Tenses(c.as_dict() for c in _clauses(nlp, text))
    i = text.index("Tuesday")
    assert t.sentence(i, i + 7) == "past"  # the quoted plan is set aside
    j = text.index("pay")
    assert t.sentence(j, j + 3) == "future"  # inside the quote, the quote counts
    assert Tenses([]).sentence(0, 5) == "present"  # nothing stored: no claim from the text


def test_quotation_marks_come_from_the_pack():
    pairs = get_pack("en").data("tense")["quote_pairs"]
    assert quoted_spans("He said \u201cyes\u201d and left.", pairs) == [(8, 13)]
    assert quoted_spans("Il a dit \u00ab oui \u00bb.", get_pack("fr").data("tense")["quote_pairs"])
