"""storyline_quotes: direct quotes, speakers, indirect speech, on the real spaCy pipeline.

Every sentence here is written for these tests (none comes from the shared data); each
pattern is tried in more than one wording so the rules, not the sentences, are tested.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import pipeline

from storyline.extract.quote_marks import find_quote_spans
from storyline.nlp import make_doc
from storyline.records import Quote

pytestmark = pytest.mark.slow


def quotes_of(text: str) -> list[Quote]:
    nlp = pipeline("storyline_entities", "storyline_quotes")
    doc = nlp(make_doc(nlp, text))
    found = doc._.sl_quotes
    for q in found:  # every record is evidence: its offsets point at its text
        assert text[q.start:q.end] == q.text
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start < q.speaker_end <= len(text)
    return found


def direct(text: str) -> list[Quote]:
    return [q for q in quotes_of(text) if q.direct]


def one(text: str, fragment: str) -> Quote:
    hits = [q for q in direct(text) if fragment in q.text]
    assert len(hits) == 1, (fragment, direct(text))
    return hits[0]


def speaker_is(q: Quote, name: str) -> bool:
    return q.speaker is not None and q.speaker.lower() == name.lower()


# --- marks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ('He said "the road is closed" today.', ["the road is closed"]),
    ("He said “the road is closed” today.", ["the road is closed"]),
    ("It was “cold,” she said, “and wet.”", ["cold", "and wet."]),
    ("Roads are “mostly clear” for now.“ We stayed,” she said.", ["mostly clear", "We stayed"]),
    ("“Too late”, he said.”Nobody came,” she said.", ["Too late", "Nobody came"]),
    ("Her son’s school ‘opened late’ on Monday.", ["opened late"]),
    ('"He called it “a show” and left," she said.', ["He called it “a show” and left"]),
    ('There was “no sign" of damage, and "more checks” follow.', ["no sign", "more checks"]),
    ("''It is over,'' he said.", ["It is over"]),
])
def test_quote_marks(text: str, expected: list[str]) -> None:
    spans = find_quote_spans(text)
    assert [text[q.start:q.end] for q in spans] == expected


def test_apostrophes_are_not_quotes() -> None:
    text = "The farmers’ union and the city’s mayor met at the governor’s office."
    assert find_quote_spans(text) == []


def test_open_quote_continues_into_next_paragraph() -> None:
    text = "“The first part is done.\n“The second part starts soon,” she said."
    spans = find_quote_spans(text)
    assert spans[0].close_at is None and spans[0].continues
    assert text[spans[1].start:spans[1].end] == "The second part starts soon"


# --- speakers of direct quotes -------------------------------------------------------------

@pytest.mark.parametrize("text,fragment,speaker", [
    ("“The bridge will reopen in March,” Maria Lopez said.", "bridge will reopen",
     "Maria Lopez"),
    ('"We are not leaving this valley," said Tomas Berg, a spokesman for the miners.',
     "not leaving", "Tomas Berg"),
    ("Maria Lopez said, “The bridge will reopen in March.”", "bridge will reopen",
     "Maria Lopez"),
    ("“We have no plans to raise taxes,” Finance Minister Rahul Mehta told reporters.",
     "no plans to raise", "Rahul Mehta"),
    (("Ingrid Solberg, a professor of law at the University of Bergen, said the ruling was "
      "“a turning point for the courts”."), "turning point", "Ingrid Solberg"),
    ("According to Karl Brenner, “the dam was never inspected after the flood.”",
     "never inspected", "Karl Brenner"),
])
def test_speaker_of_a_cue(text: str, fragment: str, speaker: str) -> None:
    q = one(text, fragment)
    assert speaker_is(q, speaker), q
    assert q.speaker_start is not None and speaker.split()[-1] in text[
        q.speaker_start:q.speaker_end]


@pytest.mark.parametrize("text", [
    "“In short,” Helen Park said, “the talks have failed.”",
    "“Frankly,” said Helen Park, “the talks have failed and nobody is surprised.”",
])
def test_split_quote_gives_two_quotes_one_speaker(text: str) -> None:
    qs = direct(text)
    assert len(qs) == 2
    assert all(speaker_is(q, "Helen Park") for q in qs)
    assert qs[0].start < qs[1].start


@pytest.mark.parametrize("text", [
    "“The budget is tight,” said Mayor Daniel Okafor. “We will cut travel first,” he added.",
    "Daniel Okafor spoke after the vote. “We will cut travel first,” he said.",
    ("Daniel Okafor, the mayor, said the budget was tight.\n\n“We will cut travel first,” "
     "he told the council."),
])
def test_pronoun_speaker_is_the_last_named_one(text: str) -> None:
    q = one(text, "cut travel first")
    assert speaker_is(q, "Daniel Okafor"), q
    # the speaker's evidence is the pronoun beside the quote
    assert text[q.speaker_start:q.speaker_end] == "he"


def test_pronoun_it_is_the_last_institutional_speaker() -> None:
    text = ("Amnesty International said the camp was overcrowded. "
            "“Conditions are getting worse every week,” it said.")
    q = one(text, "Conditions are getting worse")
    assert speaker_is(q, "Amnesty International"), q


@pytest.mark.parametrize("text,fragment", [
    ("Paris dismissed the allegations as “baseless and irresponsible”.", "baseless"),
    ("Paris called the report “deeply misleading” on Tuesday.", "deeply misleading"),
])
def test_capital_speaks_for_its_country(text: str, fragment: str) -> None:
    q = one(text, fragment)
    assert speaker_is(q, "France"), q


def test_partial_quotes_take_the_subject_of_the_speech_verb() -> None:
    text = ("Senator Ruth Adler said on Monday that the agency must be “held accountable "
            "for every dollar”, promising to seek “a full audit” of its accounts.")
    assert speaker_is(one(text, "held accountable"), "Ruth Adler")
    assert speaker_is(one(text, "a full audit"), "Ruth Adler")


def test_quote_in_a_planned_speech_belongs_to_the_one_who_spoke() -> None:
    text = ("Carlos Mendes said the president would reaffirm his “unwavering support” for "
            "the farmers.")
    assert speaker_is(one(text, "unwavering support"), "Carlos Mendes")


@pytest.mark.parametrize("after", [
    "",
    "\n\nMayor Clara Voss said on Friday that the city would pay for the repairs.",
    "\nClara Voss, the mayor, said the city would pay.",
])
def test_quote_paragraph_goes_on_in_the_previous_voice(after: str) -> None:
    text = ("“The first phase is finished,” said engineer Omar Haddad.\n\n"
            "“The second phase starts when the rain stops, and it will take a year.”" + after)
    assert speaker_is(one(text, "second phase"), "Omar Haddad")


def test_quote_over_two_paragraphs() -> None:
    text = ("“The first phase is finished,” said engineer Omar Haddad. “We moved the "
            "cables last week.\n“The second phase starts when the rain stops.”")
    assert speaker_is(one(text, "moved the cables"), "Omar Haddad")
    assert speaker_is(one(text, "second phase"), "Omar Haddad")


def test_sentence_quote_after_the_attribution_in_the_same_paragraph() -> None:
    text = "“The water is safe,” Nadia Rahman said. “We test it every single morning.”"
    assert speaker_is(one(text, "every single morning"), "Nadia Rahman")


@pytest.mark.parametrize("intro", [
    "Speaking at the conference in Vienna, economist Lena Varga said:",
    "In a written statement, Lena Varga wrote:",
])
def test_block_quote_after_said_colon(intro: str) -> None:
    body = "Prices will keep rising until the harvest improves. Families should plan for it."
    q = one(f"{intro}\n{body}", "Prices will keep rising")
    assert q.text == body
    assert speaker_is(q, "Lena Varga")


def test_wrong_spacing_around_marks() -> None:
    text = ("“We will rebuild the school,” Ines Duarte said, and the region is “looking for "
            "extra money” for builders.“ We will hire local workers,” she added.")
    assert speaker_is(one(text, "hire local workers"), "Ines Duarte")
    assert one(text, "hire local workers").text.startswith("We will")
    assert speaker_is(one(text, "looking for extra money"), "Ines Duarte")


def test_single_quotes_need_a_speech_verb() -> None:
    text = "Ana Ruiz called the verdict ‘a betrayal of the victims’ on Friday."
    assert speaker_is(one(text, "a betrayal of the victims"), "Ana Ruiz")
    assert direct("The crowd sang about a ‘glorious’ future for the town.") == []


def test_dash_byline_names_the_speaker() -> None:
    text = "“Rivers do not wait for permits or for meetings.” ― Elena Marsh"
    assert speaker_is(one(text, "Rivers do not wait"), "Elena Marsh")


def test_transcript_labels() -> None:
    text = "HOST: What happens to the case now?\nMORALES: We wait for the court to decide."
    q = one(text, "We wait for the court")
    assert q.text.startswith("We wait") and speaker_is(q, "Morales")


# --- what is not a quote, and what has no speaker --------------------------------------------

@pytest.mark.parametrize("text", [
    "The two countries announced a “strategic” partnership last year.",
    "The firm launched its “green growth” plan in the spring.",
    "She appeared on “Morning Report With Jane” to discuss the strike.",
])
def test_scare_quotes_and_titles_are_not_quotes(text: str) -> None:
    assert direct(text) == []


@pytest.mark.parametrize("text", [
    ("Residents gathered outside the hall. “Nobody told us anything about the plan.” "
     "The meeting ended at noon."),
    "A sign on the gate read “No trucks allowed after dark, by order of the council.”",
])
def test_quote_without_a_findable_speaker_is_unattributed(text: str) -> None:
    qs = direct(text)
    assert len(qs) == 1 and qs[0].speaker is None and qs[0].speaker_key is None


def test_generic_speakers_stay_unattributed() -> None:
    q = one("“The market has already priced this in,” analysts said.", "already priced")
    assert q.speaker is None and q.cue == "said"


@pytest.mark.parametrize("text,fragment,speaker", [
    # a title the parser reads as a prepositional phrase leaves the verb without a subject
    (("“The ban covers every port,” Under Secretary of State for Arms Control Jane Roe said "
     "on Tuesday."), "ban covers", "Jane Roe"),
    (("“Those who trade with the regime will pay a price,” Under Secretary of the Interior "
     "Tom Hale said in a statement."), "pay a price", "Tom Hale"),
    (("“No shipment will slip through,” Under Secretary of the Treasury Nadia Ortiz told "
     "reporters."), "slip through", "Nadia Ortiz"),
])
def test_speaker_named_right_before_a_subjectless_cue(text: str, fragment: str,
                                                      speaker: str) -> None:
    assert speaker_is(one(text, fragment), speaker)


@pytest.mark.parametrize("text,fragment,key", [
    (("A spokesman for the Japanese defence ministry said the jets “were never in danger” "
     "during the drill."), "never in danger", "org:jpn-defense-ministry"),
    (("In Tokyo, a spokeswoman for the Japanese foreign ministry said in a briefing that "
     "Japan “will respond firmly” to any incursion."), "respond firmly",
     "org:jpn-foreign-ministry"),
    (("“The border stays closed,” a spokesperson for Poland's defence ministry told "
     "reporters."), "border stays closed", "org:pol-defense-ministry"),
])
def test_a_spokesperson_speaks_for_the_body_not_its_country(text: str, fragment: str,
                                                           key: str) -> None:
    assert one(text, fragment).speaker_key == key


@pytest.mark.parametrize("text,fragment,key", [
    (("The Finnish foreign ministry said in a statement that it “regrets the decision” taken "
     "by the council. The statement called the move “a step backwards for the whole region.”"),
     "step backwards", "org:fin-foreign-ministry"),
    (("Harbourline Freight Co. Ltd. said in a statement on Friday that it had complied with "
     "the law. The statement described the claims as “baseless and harmful to our staff.”"),
     "baseless", "org:harbourline-freight-co-ltd"),
])
def test_the_statement_speaks_for_whoever_issued_it(text: str, fragment: str, key: str) -> None:
    assert one(text, fragment).speaker_key == key


def test_a_statement_nobody_issued_stays_unattributed() -> None:
    q = one("The statement called the move “a step backwards for the whole region.”",
            "step backwards")
    assert q.speaker is None


@pytest.mark.parametrize("text,fragment,key", [
    (("South Korea's National Intelligence Service briefed lawmakers on Monday. “The launch "
     "failed within seconds,” the agency said."), "launch failed", "org:kor-nis"),
    (("The Federal Bureau of Investigation opened an inquiry in May. “The suspects used "
     "forged papers,” the agency said."), "forged papers", "org:us-fbi"),
    (("Regulators fined Harbourline Freight Co. Ltd. on Tuesday. “We have always followed the "
     "rules,” the company said in a reply."), "followed the rules",
     "org:harbourline-freight-co-ltd"),
])
def test_the_agency_or_the_company_is_the_last_body_of_that_kind(text: str, fragment: str,
                                                                 key: str) -> None:
    assert one(text, fragment).speaker_key == key


@pytest.mark.parametrize("text,fragment,speaker", [
    (("Piet Belder spoke to reporters on Monday. According to him, the tanker carried "
     "“nothing but fuel oil” to the port."), "fuel oil", "Piet Belder"),
    ("According to Mira Holt, the ferry left “two hours behind schedule” on Sunday.",
     "behind schedule", "Mira Holt"),
])
def test_according_to_governs_a_partial_quote_later_in_the_sentence(text: str, fragment: str,
                                                                    speaker: str) -> None:
    assert speaker_is(one(text, fragment), speaker)


# --- indirect speech --------------------------------------------------------------------------

@pytest.mark.parametrize("text,content,speaker", [
    ("Pedro Alvarez said the factory would close in June.",
     "the factory would close in June", "Pedro Alvarez"),
    ("Pedro Alvarez told workers that the factory would close in June.",
     "the factory would close in June", "Pedro Alvarez"),
    ("The factory would close in June, Pedro Alvarez said.",
     "The factory would close in June", "Pedro Alvarez"),
])
def test_indirect_speech(text: str, content: str, speaker: str) -> None:
    ind = [q for q in quotes_of(text) if not q.direct]
    assert len(ind) == 1, ind
    assert ind[0].text == content and speaker_is(ind[0], speaker)
    assert not any(q.direct for q in quotes_of(text))


@pytest.mark.parametrize("text,content", [
    ("Prices, the minister said, will keep rising until spring.",
     "Prices, the minister said, will keep rising until spring"),
    (("The mill was meant to reopen in May, but the owners sold the land before the "
      "workers could return, a former manager said."),
     ("The mill was meant to reopen in May, but the owners sold the land before the workers "
      "could return")),
])
def test_indirect_speech_around_the_attribution(text: str, content: str) -> None:
    ind = [q for q in quotes_of(text) if not q.direct]
    assert [q.text for q in ind] == [content]


def test_no_claim_in_a_negated_or_open_question() -> None:
    assert [q for q in quotes_of("Pedro Alvarez could not say whether the plant would "
                                 "close.") if not q.direct] == []


# --- the seeds, scored as the eval scores them -----------------------------------------------

@pytest.mark.seeds
def test_seed_quotes_score(shared: Path) -> None:
    gold = json.loads((shared / "gold" / "seeds.gold.json").read_text(encoding="utf-8"))
    nlp = pipeline("storyline_entities", "storyline_quotes")
    tp = n_pred = n_gold = right = 0
    for gd in gold["documents"]:
        text = (shared / "seeds" / gd["file"]).read_text(encoding="utf-8")
        preds = [q for q in nlp(make_doc(nlp, text))._.sl_quotes if q.direct]
        n_pred += len(preds)
        n_gold += len(gd["quotes"])
        used: set[int] = set()
        for g in gd["quotes"]:
            at = text.find(g["text"])
            assert at >= 0
            best = max(((min(at + len(g["text"]), p.end) - max(at, p.start), i)
                        for i, p in enumerate(preds) if i not in used), default=(0, -1))
            if best[0] * 2 < len(g["text"]):
                continue
            used.add(best[1])
            tp += 1
            forms = next(({e["name"].lower(), *(a.lower() for a in e["aliases"])}
                          for e in gd["entities"] if e["name"] == g["speaker"]),
                         {g["speaker"].lower()})
            right += (preds[best[1]].speaker or "").lower() in forms
    p, r = tp / n_pred, tp / n_gold
    assert 2 * p * r / (p + r) >= 0.88
    assert right / tp >= 0.88


@pytest.mark.parametrize("text", [
    "Analysts said the plan was “a real mess” for the port.",
    "Several traders said the new levy was “simply too high” for them.",
])
def test_a_short_unattributed_fragment_is_left_to_its_clause(text: str) -> None:
    # nobody is named, so the quoted words are no one's quote: the reported clause keeps them
    assert direct(text) == []
    assert any("“" in q.text for q in quotes_of(text) if not q.direct)
