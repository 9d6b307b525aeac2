"""Quotation marks paired paragraph by paragraph (extract/quote_marks.py). Texts are ours."""

from __future__ import annotations

from storyline.extract.quote_marks import find_quote_spans


def quoted(text: str) -> list[str]:
    return [text[q.start:q.end] for q in find_quote_spans(text)]


def test_a_stray_straight_closing_mark_does_not_turn_later_quotes_inside_out():
    # the opening mark of the first quote was lost in the copy
    text = ('The ministers want the ban lifted to sell more grain." Later the envoy said '
            'the plan was "a worrying issue" for the region. A rights group said: "This '
            'is a huge signal." The minister disagreed.')
    assert quoted(text) == ["a worrying issue", "This is a huge signal."]


def test_straight_and_curly_quotes_still_pair_as_written():
    text = 'He said: "We will go." She said “no” and left; "fine," he added.'
    assert quoted(text) == ["We will go.", "no", "fine"]
    glued = 'The mayor said:"Stay home." Then he left.'
    assert quoted(glued) == ["Stay home."]
