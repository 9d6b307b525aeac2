"""Quantities: numbers in digits and words, with their qualifiers."""

from __future__ import annotations

import pytest

from storyline.extract.quantities import parse_quantity, quantity_of


@pytest.mark.parametrize("text, value, qualifier", [
    ("1 million", 1_000_000, None),
    ("a million", 1_000_000, None),
    ("over 1 million", 1_000_000, "over"),
    ("about 10,000", 10_000, "about"),
    ("more than 1,000", 1_000, "more than"),
    ("50,000", 50_000, None),
    ("two", 2, None),
    ("twenty-five", 25, None),
    ("two hundred thousand", 200_000, None),
    ("1.5 billion", 1_500_000_000, None),
    ("nearly 2m", 2_000_000, "nearly"),
    ("some 300", 300, "some"),
    ("at least 40", 40, "at least"),
    ("up to 12,500", 12_500, "up to"),
    ("a dozen", 12, None),
    ("tens of thousands", 10_000, "tens of"),
    ("several hundred", 100, "several"),
    ("thousands", 1_000, "at least"),
])
def test_parse_quantity(text: str, value: float, qualifier: str | None) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.value == value
    assert q.qualifier == qualifier


@pytest.mark.parametrize("text", ["the", "some", "a few", "", "many"])
def test_not_a_quantity(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.fixture(scope="module")
def nlp():
    from conftest import pipeline

    return pipeline()


@pytest.mark.slow
@pytest.mark.parametrize("sentence, noun, value, qualifier", [
    ("The army moved about 4,000 soldiers to the border.", "soldiers", 4_000, "about"),
    ("Officials counted more than 300 trucks at the crossing.", "trucks", 300, "more than"),
    ("The factory made over 2 million rounds last year.", "rounds", 2_000_000, "over"),
    ("They found three tankers near the port.", "tankers", 3, None),
])
def test_quantity_of_noun(nlp, sentence: str, noun: str, value: float,
                          qualifier: str | None) -> None:
    doc = nlp.make_doc(sentence)
    doc = nlp(doc)
    tok = next(t for t in doc if t.text == noun)
    q = quantity_of(tok)
    assert q is not None and q.value == value and q.qualifier == qualifier


@pytest.mark.slow
@pytest.mark.parametrize("sentence, noun", [
    ("The third attempt failed.", "attempt"),
    ("The 2019 talks collapsed.", "talks"),
    ("A large number of shells arrived.", "number"),
])
def test_no_count(nlp, sentence: str, noun: str) -> None:
    doc = nlp(nlp.make_doc(sentence))
    tok = next(t for t in doc if t.text == noun)
    assert quantity_of(tok) is None
