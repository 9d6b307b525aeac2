"""Attribution beyond "X said": the learned cue model, citation chains, passive agents,
relative-pronoun speakers, and the language-pack data they read.

Every sentence here is written for these tests (none comes from the shared data).
"""

from __future__ import annotations

import json

import pytest
from conftest import pipeline

from storyline.eval.corpora.polnear import group_quotes
from storyline.extract.attribution import speech_words
from storyline.extract.cue_model import CueModel
from storyline.lang import ROOT, get_pack
from storyline.nlp import make_doc
from storyline.records import Quote

pytestmark = pytest.mark.slow


def reported(text: str) -> list[Quote]:
    nlp = pipeline("storyline_entities", "storyline_quotes")
    doc = nlp(make_doc(nlp, text))
    out = [q for q in doc._.sl_quotes if not q.direct]
    for q in out:
        assert text[q.start:q.end] == q.text
    return out


def the(text: str, fragment: str) -> Quote:
    hits = [q for q in reported(text) if fragment in q.text]
    assert len(hits) == 1, (fragment, reported(text))
    return hits[0]


# --- the learned cue model: reported content beyond speech verbs ----------------------------

@pytest.mark.parametrize("text,content", [
    ("Polls show the senator leading the race by ten points.",
     "the senator leading the race by ten points"),
    ("New surveys show the governor trailing in three counties.",
     "the governor trailing in three counties"),
    ("The mayor called the new bridge a waste of money.", "the new bridge a waste of money"),
    ("The council is expected to approve the budget next week.",
     "to approve the budget next week"),
])
def test_stance_and_evidence_cues_report_content(text: str, content: str) -> None:
    assert [q.text for q in reported(text)] == [content]


@pytest.mark.parametrize("text", [
    "The workers repaired the crane on Monday.",
    "The ferry left the harbour at noon and reached the island by dusk.",
])
def test_plain_events_report_nothing(text: str) -> None:
    assert reported(text) == []


def test_a_passive_cue_without_agent_names_nobody() -> None:
    assert the("The council is expected to approve the budget next week.",
               "approve").speaker is None


def test_a_passive_cue_speaks_for_its_agent() -> None:
    q = the("The plan to close the yard was first reported by the Harbor Times.", "plan")
    assert q.speaker is not None and "Harbor Times" in q.speaker


# --- citation chains: the original source, not the relay ------------------------------------

@pytest.mark.parametrize("text", [
    ("Yonhap reported, citing a report by the Defense Intelligence Agency to lawmaker Kang "
     "Dae-sik, that North Korea had shipped artillery shells to Russia."),
    ("North Korea had shipped artillery shells to Russia, according to a Defense Intelligence "
     "Agency report cited by Yonhap."),
    ("North Korea had shipped artillery shells to Russia, according to a report by the "
     "Defense Intelligence Agency."),
])
def test_a_claim_follows_its_citation_to_the_original_source(text: str) -> None:
    q = the(text, "shipped artillery shells")
    assert q.speaker is not None and "Defense Intelligence Agency" in q.speaker


def test_a_direct_quote_stays_with_whoever_spoke_it() -> None:
    nlp = pipeline("storyline_entities", "storyline_quotes")
    text = "“The ships left in May,” Jane Roe said, citing the agency."
    doc = nlp(make_doc(nlp, text))
    q = next(q for q in doc._.sl_quotes if q.direct)
    assert q.speaker == "Jane Roe"


def test_told_keeps_the_teller_as_source() -> None:
    q = the("The ministry of transport told lawmakers that the ferries had left port.",
            "ferries had left port")
    assert q.cue == "told" and q.speaker is not None and "lawmakers" not in q.speaker.lower()


# --- the speaker's mention -------------------------------------------------------------------

def test_a_relative_pronoun_is_the_speakers_mention() -> None:
    text = ("The deal was signed on Monday, said Jane Roe, who added that the port would "
            "reopen in June.")
    q = the(text, "port would reopen")
    assert q.speaker == "Jane Roe"
    assert text[q.speaker_start:q.speaker_end] == "who"


@pytest.mark.parametrize("text,fragment,name", [
    (("The Harbor Authority closed the east pier on Monday. It said the repairs would take a "
     "month."), "repairs would take", "Harbor Authority"),
    ("The Central Water Board raised prices in May. It said the drought had cut supplies.",
     "drought had cut", "Central Water Board"),
])
def test_it_is_the_organisation_named_before(text: str, fragment: str, name: str) -> None:
    q = the(text, fragment)
    assert q.speaker is not None and name in q.speaker
    assert text[q.speaker_start:q.speaker_end] == "It"


# --- the data: cue words, weights and hedges live in the English pack ------------------------

def test_speech_words_come_from_the_pack() -> None:
    words = speech_words("en")
    assert {"say", "tell", "warn"} <= words.quote_cues
    # learned from PolNeAR train cues of direct quotes, not kept by hand
    learned = get_pack("en").data("attribution_cues")["quote_cues"]
    assert "continue" in learned and "continue" in words.quote_cues
    assert "spokesman" in words.role_nouns and "statement" in words.document_nouns


def test_a_learned_quote_cue_names_the_speaker() -> None:
    nlp = pipeline("storyline_entities", "storyline_quotes")
    text = "“We will rebuild the pier,” Jane Roe said. “It will take a year,” she continued."
    doc = nlp(make_doc(nlp, text))
    q = next(q for q in doc._.sl_quotes if "take a year" in q.text)
    assert q.cue == "continued" and q.speaker == "Jane Roe"


def test_the_cue_model_ships_as_pack_data_with_its_provenance() -> None:
    model = CueModel.for_language("en")
    assert model is not None and 0.0 < model.threshold < 1.0
    assert {"say", "according", "show", "accuse"} <= model.lemmas
    for name in ("attribution_cues.json", "attribution/weights.json"):
        raw = json.loads((ROOT / "en" / name).read_text(encoding="utf-8"))
        assert raw["_generated_by"] == "scripts/train_attribution.py" and raw["_license"]
    weights = json.loads((ROOT / "en" / "attribution" / "weights.json").read_text())["weights"]
    # features are short codes (relation, lemma, tags), never a span of corpus text
    assert all(len(f) < 60 and " " not in f for f in weights)


def test_hedges_schema() -> None:
    hedges = get_pack("en").data("hedges")
    assert "allegedly" in hedges["hedge_adverbs"]
    assert "suspected" in hedges["hedged_adjs"]
    assert "appear" in hedges["hedge_heads"]
    assert {"expect", "set"} <= set(hedges["planned_heads"])
    assert "if" in hedges["conditional_marks"]
    assert "could" in hedges["hedge_modals"] and "will" in hedges["planned_modals"]


# --- the PolNeAR runner's grouping -----------------------------------------------------------

def test_an_indirect_clause_with_a_quoted_phrase_is_one_indirect_attribution() -> None:
    text = "Roe said the plan was “a disaster” for the town and should be dropped."
    qs = [Quote(text="the plan was “a disaster” for the town and should be dropped",
                start=9, end=len(text) - 1, speaker="Roe", speaker_start=0, speaker_end=3,
                cue="said", direct=False),
          Quote(text="a disaster", start=23, end=33, speaker="Roe", speaker_start=0,
                speaker_end=3, cue="said", direct=True)]
    quoted = [(22, 34)]
    groups = group_quotes(qs, quoted)
    assert len(groups) == 1 and groups[0].direct is False
    assert group_quotes(qs)[0].direct is True  # without the text's quotes: any direct piece


# --- unnamed sources: the words as written, never a speaker ---------------------------------

@pytest.mark.parametrize("text,fragment,source", [
    ("Senior officials said the talks would resume in March.", "talks would resume",
     "Senior officials"),
    ("The ferry will not sail this winter, a spokesman said.", "ferry will not sail",
     "a spokesman"),
    ("Many analysts believe that the harbour tax will be dropped.", "harbour tax",
     "Many analysts"),
])
def test_an_unnamed_source_keeps_its_words_and_no_speaker(text: str, fragment: str,
                                                          source: str) -> None:
    q = the(text, fragment)
    assert q.speaker is None and q.speaker_key is None and q.speaker_start is None
    assert q.source_text == source
    assert text[q.source_start:q.source_end] == source


def test_a_direct_quote_from_an_unnamed_source_keeps_its_words() -> None:
    nlp = pipeline("storyline_entities", "storyline_quotes")
    text = "“The ships left in May and nobody stopped them,” two port workers said."
    doc = nlp(make_doc(nlp, text))
    q = next(q for q in doc._.sl_quotes if q.direct)
    assert q.speaker is None and q.source_text == "two port workers"


def test_a_named_speaker_carries_no_source_words() -> None:
    q = the("Jane Roe said the talks would resume in March.", "talks would resume")
    assert q.speaker == "Jane Roe" and q.source_text is None and q.source_start is None


def test_a_pronoun_nobody_can_be_found_for_is_not_a_source_phrase() -> None:
    q = the("They said the talks would resume in March.", "talks would resume")
    assert q.speaker is None and q.source_text is None


def test_the_runner_scores_source_words_apart_from_named_speakers() -> None:
    from storyline.eval.corpora.polnear import GoldAttribution, _Tally

    text = "Officials said the port would reopen. Roe said the ferry would sail."
    gold = [GoldAttribution([(15, 36)], (0, 9), "Officials"),
            GoldAttribution([(47, 67)], (38, 41), "Roe")]
    preds = [Quote(text=text[15:36], start=15, end=36, cue="said", direct=False,
                   source_text="Officials", source_start=0, source_end=9),
             Quote(text=text[47:67], start=47, end=67, speaker="Roe", speaker_start=38,
                   speaker_end=41, cue="said", direct=False)]
    tally = _Tally()
    tally.add(gold, group_quotes(preds, []))
    res = tally.result()
    assert res["source_accuracy"] == 0.5  # the unnamed source is no speaker
    assert res["source_accuracy_with_phrases"] == 1.0
    preds[0].source_start, preds[0].source_end = 10, 14  # words elsewhere: still wrong
    tally = _Tally()
    tally.add(gold, group_quotes(preds, []))
    assert tally.result()["source_accuracy_with_phrases"] == 0.5


# --- participles: the speaker of the verb they hang on ---------------------------------------

def _all_quotes(text: str) -> list[Quote]:
    nlp = pipeline("storyline_entities", "storyline_quotes")
    return list(nlp(make_doc(nlp, text))._.sl_quotes)


def test_a_participle_after_a_preposition_speaks_for_the_verbs_subject() -> None:
    q = the("Jane Roe responded to the petition on Monday by saying that the port would "
            "stay open.", "port would stay open")
    assert q.speaker == "Jane Roe" and q.cue == "saying"


def test_a_participle_before_a_quote_speaks_for_the_singer() -> None:
    text = ("“Keep the lights on,” Jane Roe sings to the crowd before asking them, “Where do "
            "we go from here?”")
    q = next(q for q in _all_quotes(text) if q.text.startswith("Where"))
    assert q.speaker == "Jane Roe"


def test_a_participle_after_a_parenthetical_cue_shares_its_speaker() -> None:
    text = ("“Start talking about the harbour,” Jane Roe said, suggesting a few questions, "
            "including, “Mr. Doe, do you really think the port should stay closed?”")
    q = next(q for q in _all_quotes(text) if q.text.startswith("Mr. Doe"))
    assert q.speaker == "Jane Roe"
    assert text[q.speaker_start:q.speaker_end] == "Jane Roe"  # not "you" inside the quote


def test_quoted_as_saying_speaks_for_the_passive_subject() -> None:
    text = "“The port will close in May,” Jane Roe was quoted as saying."
    q = next(q for q in _all_quotes(text) if q.direct)
    assert q.speaker == "Jane Roe"
    assert text[q.speaker_start:q.speaker_end] == "Jane Roe"


# --- the source outside the quote; a document's named maker; what "citing" cites ------------

@pytest.mark.parametrize("text,speaker", [
    (("“There's a deep rift between the harbour board and frankly the mayor and our "
     "pilots,” Roe, a senior port official, said on Monday."), "Roe"),
    (("“If it doesn't have the money to pay its pilots yet, it will at some point, probably "
     "sooner rather than later,” said John Doe, an engineer who is co-director of the "
     "Harbor Policy Program at the Carnegie Institute."), "John Doe"),
])
def test_a_subject_inside_the_quote_gives_way_to_the_name_outside(text: str,
                                                                 speaker: str) -> None:
    q = next(q for q in _all_quotes(text) if q.direct)
    assert q.speaker == speaker
    assert text[q.speaker_start:q.speaker_end] == speaker


@pytest.mark.parametrize("text,fragment,speaker", [
    (("A Quinnipiac University poll released in May found that most voters oppose the "
     "harbour tax."), "most voters oppose", "Quinnipiac University"),
    ("A study by the Brookings Institution found that the ferries lose money every winter.",
     "ferries lose money", "Brookings Institution"),
    (("An analysis released by the Congressional Budget Office shows that the harbour tax "
     "would raise little."), "harbour tax", "Congressional Budget Office"),
])
def test_a_document_speaks_for_the_body_named_as_its_maker(text: str, fragment: str,
                                                           speaker: str) -> None:
    q = the(text, fragment)
    assert q.speaker is not None and speaker in q.speaker
    assert speaker.split()[-1] in text[q.speaker_start:q.speaker_end]


@pytest.mark.parametrize("text,fragment,source", [
    ("A study by researchers found that the ferries lose money every winter.",
     "ferries lose money", "A study"),
    ("An analysis of port records shows that the ferries lose money every winter.",
     "ferries lose money", "An analysis of port records"),
])
def test_a_document_with_no_named_maker_stays_unnamed(text: str, fragment: str,
                                                      source: str) -> None:
    q = the(text, fragment)
    assert q.speaker is None and q.source_text is not None and q.source_text.startswith(source)


def test_citing_what_is_no_text_or_name_keeps_the_speaker() -> None:
    text = ("In a statement, the Harbor Pilots Association called Jane Roe a champion of "
            "the port, citing her work after the storm.")
    q = the(text, "champion")
    assert q.speaker is not None and "Harbor Pilots Association" in q.speaker


@pytest.mark.parametrize("text,fragment,speaker", [
    ("E.U. leaders warn that the bloc could fall apart over the harbour dispute.",
     "the bloc could fall apart", "European Union"),
    ("A reporter for USA Today reported that the ferry had left without its pilot.",
     "the ferry had left", "USA Today"),
    ("On Monday, PortWatch announced it will have ten inspectors at the harbour.",
     "ten inspectors", "PortWatch"),
])
def test_members_of_a_named_body_and_mixed_case_names_speak(text: str, fragment: str,
                                                             speaker: str) -> None:
    assert the(text, fragment).speaker == speaker


@pytest.mark.parametrize("text,fragment", [
    ("World leaders said that the harbour dispute must end.", "harbour dispute"),
    ("BRUSSELS - European leaders said that the harbour dispute must end.", "harbour dispute"),
])
def test_leaders_of_nothing_named_stay_unnamed(text: str, fragment: str) -> None:
    assert the(text, fragment).speaker is None


@pytest.mark.parametrize("text,fragment,speaker", [
    (("A Quinnipiac University poll was released on Monday. Most voters oppose the harbour "
     "tax, according to the poll."), "Most voters oppose", "Quinnipiac University"),
    (("The Harbor Pilots Association issued a statement on Monday. The statement said that "
     "the port would stay closed."), "port would stay closed", "Harbor Pilots Association"),
])
def test_the_document_refers_back_to_the_one_a_named_maker_made(text: str, fragment: str,
                                                                speaker: str) -> None:
    q = the(text, fragment)
    assert q.speaker is not None and speaker in q.speaker


def test_the_document_with_no_earlier_maker_stays_unnamed() -> None:
    q = the("A poll was released on Monday. Most voters oppose the harbour tax, according "
            "to the poll.", "Most voters oppose")
    assert q.speaker is None


def test_a_participle_right_after_a_person_speaks_for_that_person() -> None:
    """The parse as the model gives it on a real article: "asking" hung on "uses" (xcomp),
    whose subject is the ad; the person the participle follows is who asks."""
    from spacy.tokens import Doc

    from storyline.extract.attribution import cue_subject

    nlp = pipeline("storyline_entities", "storyline_quotes")
    words = ["The", "ad", "uses", "footage", "of", "Jane", "Roe", "asking", ",", "“", "Why",
             "?", "”"]
    heads = [1, 2, 2, 2, 3, 6, 4, 2, 7, 7, 7, 7, 7]
    deps = ["det", "nsubj", "ROOT", "dobj", "prep", "compound", "pobj", "xcomp", "punct",
            "punct", "advmod", "punct", "punct"]
    tags = ["DT", "NN", "VBZ", "NN", "IN", "NNP", "NNP", "VBG", ",", "``", "WRB", ".", "''"]
    pos = ["DET", "NOUN", "VERB", "NOUN", "ADP", "PROPN", "PROPN", "VERB", "PUNCT", "PUNCT",
           "SCONJ", "PUNCT", "PUNCT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos,
              ents=["O"] * 5 + ["B-PERSON", "I-PERSON"] + ["O"] * 6)
    assert cue_subject(doc[7]).text == "Roe"
    doc = Doc(nlp.vocab, words=words[:5] + ["the", "harbour"] + words[7:], heads=heads,
              deps=deps, tags=tags, pos=pos)
    assert cue_subject(doc[7]).text == "ad"  # no person there: the subject as parsed


def test_who_received_the_document_did_not_make_it() -> None:
    q = the("Jane Roe received a message from the harbour board on Monday. The message said "
            "that the port would stay closed.", "port would stay closed")
    assert q.speaker != "Jane Roe"


@pytest.mark.parametrize("text,speaker", [
    (("Jane Roe, director of the Harbor Board, issued the following press statement under "
     "the title “The port will never be closed to our ferries” on Monday:\nThe board met."),
     "Jane Roe"),
    (("John Doe, vice-chairman of the Harbor Board, made public the following press statement "
     "“Our ferries will sail whatever the weather” on Monday:\nThe board met."), "John Doe"),
])
def test_a_quoted_title_of_an_issued_statement_is_its_issuers(text: str, speaker: str) -> None:
    q = next(q for q in _all_quotes(text) if q.direct)
    assert q.speaker == speaker


def test_a_bracketed_abbreviation_is_no_apposition_for_the_speaker() -> None:
    """The parse as the model gives it on a real press statement: the bracketed
    abbreviation of the country hung on the spokesperson as an apposition."""
    from spacy.tokens import Doc

    from storyline.extract.attribution import SpeakerMemory, speaker_from_subject

    nlp = pipeline("storyline_entities", "storyline_quotes")
    words = ["A", "spokesperson", "of", "the", "Harbor", "Board", "of", "Ruritania", "(",
             "ROR", ")", "said", "so", "."]
    heads = [1, 11, 1, 5, 5, 2, 5, 6, 9, 1, 9, 11, 11, 11]
    deps = ["det", "nsubj", "prep", "det", "compound", "pobj", "prep", "pobj", "punct",
            "appos", "punct", "ROOT", "advmod", "punct"]
    pos = ["DET", "NOUN", "ADP", "DET", "PROPN", "PROPN", "ADP", "PROPN", "PUNCT", "PROPN",
           "PUNCT", "VERB", "ADV", "PUNCT"]
    ents = ["O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O", "B-GPE", "O", "B-GPE", "O", "O",
            "O", "O"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, ents=ents)
    spk = speaker_from_subject(doc, doc[1], SpeakerMemory(doc))
    assert spk is not None and "Harbor Board" in spk.name


@pytest.mark.parametrize("text,fragment,speaker", [
    (("According to a civil complaint filed by the federal Securities and Exchange "
     "Commission, the developers engaged in a fraudulent scheme."), "developers engaged",
     "Securities and Exchange Commission"),
    (("But a 46-page analysis released by the Department of Harbor Affairs last month "
     "reveals that the ferries lose money."), "ferries lose money",
     "Department of Harbor Affairs"),
    (("The latest Reuters/Ipsos opinion poll released Friday shows that Roe leads Doe by 43 "
     "percent to 38 percent."), "Roe leads Doe", "Reuters/Ipsos"),
])
def test_a_documents_maker_deeper_in_its_phrase(text: str, fragment: str,
                                                speaker: str) -> None:
    assert the(text, fragment).speaker == speaker


def test_a_lower_case_noun_tagged_as_a_name_is_still_a_definite_speaker() -> None:
    """"the president added" after a quote in two single marks, where the tagger took
    "president" for a proper noun: one definite speaker, as with the right tag."""
    from spacy.tokens import Doc

    from storyline.extract.attribution import SpeakerMemory, speaker_from_subject

    nlp = pipeline("storyline_entities", "storyline_quotes")
    for tag, pos in (("NN", "NOUN"), ("NNP", "PROPN")):
        doc = Doc(nlp.vocab, words=["the", "president", "added", "."], heads=[1, 2, 2, 2],
                  deps=["det", "nsubj", "ROOT", "punct"], tags=["DT", tag, "VBD", "."],
                  pos=["DET", pos, "VERB", "PUNCT"])
        spk = speaker_from_subject(doc, doc[1], SpeakerMemory(doc))
        assert spk is not None and spk.name == "president", tag


@pytest.mark.parametrize("first,speaker", [
    ("Harbor Democrats said on Monday that the port would close.", "Harbor Democrats"),
    ("Mr. Roe and Mr. Doe said on Monday that the port would close.", "Roe"),
])
def test_they_stands_for_a_plural_speaker_before(first: str, speaker: str) -> None:
    q = the(first + " They noted that the ferries would still sail.", "ferries would still")
    assert q.speaker is not None and speaker in q.speaker


def test_they_never_stands_for_one_person() -> None:
    q = the("Jane Roe said on Monday that the port would close. They noted that the ferries "
            "would still sail.", "ferries would still")
    assert q.speaker is None


def test_he_and_the_spokesman_speak_for_the_body_a_spokesman_spoke_for() -> None:
    text = ("“We are keeping the port open,” a spokesman for the Harbor Board told "
            "reporters.\n\nHe said the ferries were running late. “It is only a matter of "
            "time,” he said.\n\nThe spokesman said the ferries would sail on Monday.")
    quotes = _all_quotes(text)
    assert len(quotes) >= 4
    for q in quotes:
        assert q.speaker is not None and "Harbor Board" in q.speaker, q


def test_officials_are_not_one_person_for_he() -> None:
    q = the("Harbor Board officials said the port would stay open. He said the ferries were "
            "running late.", "ferries were running late")
    assert q.speaker is None


def test_a_named_person_nearby_goes_before_a_side_official_for_he() -> None:
    text = ("Jane Roe said on Monday that the port would open. Roe was asked about remarks "
            "from a senior Harbor Board official who said the ferries would stop.\n\n“It "
            "would be quite unjustified to stop them,” she said.")
    q = next(q for q in _all_quotes(text) if q.direct)
    assert q.speaker == "Jane Roe"


@pytest.mark.parametrize("text,fragment,speaker", [
    (("Harbor radio said several ferries were late. It quoted President Jane Roe as saying, "
     "“We will definitely reopen the port and will not leave this move unanswered.”"),
     "definitely reopen", "Jane Roe"),
    ("The mayor accused Jane Roe of saying that the port would close.", "the port would close",
     "Jane Roe"),
    ("Jane Roe pitched herself to the pilots by telling them that the port would stay open.",
     "the port would stay open", "Jane Roe"),
])
def test_the_object_a_verb_names_as_saying_speaks(text: str, fragment: str,
                                                  speaker: str) -> None:
    q = next(q for q in _all_quotes(text) if fragment in q.text and (q.cue or "").endswith(
        "ing"))  # the participle's own quote ("saying"), not the accusation
    assert q.speaker == speaker


def test_a_participle_after_a_reported_clause_goes_with_the_report() -> None:
    text = ("As regards the capture of the tanker, Ruritania said that its action is a part of "
            "the retaliation, declaring that “the days when the ships ran away have gone and "
            "we will not allow it.”")
    q = next(q for q in _all_quotes(text) if q.direct)
    assert q.speaker == "Ruritania"


def test_by_a_participle_the_subject_speaks_not_the_object() -> None:
    text = ("Jane Roe tripped up John Doe in the debate by calling him “a man with no plan "
            "for the harbour at all.”")
    q = next(q for q in _all_quotes(text) if q.direct)
    assert q.speaker == "Jane Roe"


# --- issue 11 point 3, third pass: who speaks where the parse hides it ----------------------

def quoted(text: str, fragment: str) -> Quote:
    nlp = pipeline("storyline_entities", "storyline_quotes")
    hits = [q for q in nlp(make_doc(nlp, text))._.sl_quotes if fragment in q.text]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


def test_as_someone_put_it_is_their_quote() -> None:
    text = ("As Jane Roe, a historian at Marlow College, recently put it, “The bridge was "
            "never the problem.”")
    q = quoted(text, "bridge was never")
    assert q.speaker == "Jane Roe" and q.cue == "put"


def test_put_without_it_is_no_cue() -> None:
    text = "Jane Roe put the letter on the table. “The bridge was never the problem.”"
    assert quoted(text, "bridge was never").cue is None


def test_a_dash_glued_to_the_closing_mark_is_a_byline() -> None:
    text = ("“The roads in this county have been neglected for twenty years.”― Jane Roe.\n\n"
            "“We need a school closer to the farms.” ― John Doe\n")
    first = quoted(text, "roads in this county")
    assert first.speaker == "Jane Roe" and first.cue == "―"
    assert quoted(text, "school closer").speaker == "John Doe"


def test_a_passive_participle_cue_speaks_for_its_agent() -> None:
    text = ("When pressed by Jane Roe about how he would pay for the plan, the governor "
            "talked about the weather.")
    q = the(text, "how he would pay")
    assert q.speaker == "Jane Roe"


def test_a_modal_verbs_own_subject_speaks() -> None:
    text = ("Senator John Doe praised the Harbor Authority on Monday. The Harbor Authority "
            "said the pier was safe, but they could not resist pointing out that the repairs "
            "had cost twice the estimate.")
    q = the(text, "repairs had cost")
    assert text[q.speaker_start:q.speaker_end] == "they"
    assert q.speaker is not None and "Harbor Authority" in q.speaker


def test_a_reported_modal_clause_keeps_the_reporter() -> None:
    text = ("Prime Minister Jane Roe said this week that the country would leave the union by "
            "March and suggested that it would close the border.")
    q = next(q for q in reported(text) if q.cue == "suggested")
    assert q.text == "it would close the border" and q.speaker == "Jane Roe"


def test_his_aides_speak_for_him() -> None:
    text = ("Senator John Doe spoke in Marlow on Monday. His aides said the speech would focus "
            "on trade.")
    q = the(text, "focus on trade")
    assert q.speaker == "John Doe"
    assert text[q.speaker_start:q.speaker_end] == "His"


def test_they_after_a_named_persons_aides() -> None:
    text = ("Senator Mitch Harlan met the mayor in May. Harlan aides acknowledged a close "
            "relationship with the mayor's office. But they emphasized that the tariffs had worked.")
    q = the(text, "tariffs had worked")
    assert q.speaker == "Mitch Harlan"
    assert text[q.speaker_start:q.speaker_end] == "they"


def test_they_bound_to_the_governing_clauses_plural_subject() -> None:
    text = ("Mr. Grassley and Mr. Leahy delayed the vote because they argued that the bureau "
            "had withheld the files.")
    q = the(text, "withheld the files")
    assert q.speaker is not None and "Grassley" in q.speaker
    assert text[q.speaker_start:q.speaker_end] == "they"


def test_they_with_a_generic_antecedent_names_nobody() -> None:
    text = ("Environmentalists worry that the cleanup could fall to taxpayers. The state has "
            "few options, they say.")
    assert the(text, "few options").speaker is None


def test_a_name_in_a_clause_on_the_subject_is_not_the_speaker() -> None:
    text = ("Donald Trump and Hillary Clinton met voters at the fair. Trump, appearing after "
            "Clinton at the town hall, cited problems at the border that he blamed on the "
            "governor.")
    q = the(text, "problems at the border")
    assert q.speaker == "Donald Trump"


def test_a_comma_hands_the_quote_to_the_cue_after_it() -> None:
    text = ("Mitch Harlan listed the loopholes. The four “loopholes” he cited are “the right to "
            "claim losses on land beyond what was invested,” the Harbor Times reported.")
    q = quoted(text, "the right to claim losses")
    assert q.cue == "reported" and q.speaker is not None and "Harbor Times" in q.speaker


def test_an_issuing_verb_announces_the_paragraph_below() -> None:
    text = ("On Monday, the Harbor Authority issued the following statement:\n\n"
            "“The east pier will stay closed until the repairs are done.”\n")
    q = quoted(text, "east pier")
    assert q.speaker is not None and "Harbor Authority" in q.speaker and q.cue == "issued"


def test_an_issuing_verb_without_an_announcing_object_is_no_cue() -> None:
    text = ("On Monday, the Harbor Authority issued new permits:\n\n"
            "“The east pier will stay closed until the repairs are done.”\n")
    assert quoted(text, "east pier").speaker is None


def test_a_subject_the_parser_took_for_a_subordinators_object() -> None:
    text = ("Fighting goes on in the northern valleys as Ruritania and Freedonia support the "
            "rebels.")
    q = the(text, "the rebels")
    assert q.speaker is not None and "Ruritania" in q.speaker


def test_asked_gives_way_to_the_answering_cue() -> None:
    text = ("“We have to let this investigation unfold and I will have more to say about it "
            "when we actually know some facts,” the mayor said.\n\nAsked about Trump's "
            "declaration that it had been a bomb, Jane Roe said, “I think it’s important to "
            "know the facts about any incident like this. That’s why it’s critical to support "
            "the investigators who are looking into it.”")
    q = quoted(text, "important to know the facts")
    assert q.cue == "said" and q.speaker == "Jane Roe"


def test_a_statements_unquoted_paragraphs_are_no_quote() -> None:
    text = ("Pyongyang, May 18 (KCNA) -- Jane Roe, director of the Harbor Authority, issued the "
            "following press statement on Saturday:\nRecently, the council named the harbour "
            "an \"unsafe port\" for the reason that it did not report its repairs.\n")
    nlp = pipeline("storyline_entities", "storyline_quotes")
    doc = nlp(make_doc(nlp, text))
    assert not [q for q in doc._.sl_quotes if q.text.startswith("Recently")]


def test_a_participle_on_the_occasion_of_a_cue_is_the_speakers() -> None:
    text = ("Jane Roe runs the transport department. “We will get there,” she said at a news "
            "conference announcing that her department was suing the county over its law.")
    q = the(text, "suing the county")
    assert q.speaker == "Jane Roe" and text[q.speaker_start:q.speaker_end] == "she"


def test_a_quote_of_whole_sentences_goes_on_in_the_paragraphs_voice() -> None:
    text = ("“It is more tinkering at the edges,” said Jane Roe, an economist at Marlow "
            "College. “I would not call it reform. There are no changes that make the code "
            "simpler. It is basically just a tax increase” for the top earners.")
    assert quoted(text, "not call it reform").speaker == "Jane Roe"


def test_a_quoted_phrase_inside_the_writers_sentence_stays_unattributed() -> None:
    text = ("“It is more tinkering at the edges,” said Jane Roe, an economist at Marlow "
            "College. Critics call the plan “a tax increase for the top earners” and little "
            "else.")
    assert quoted(text, "tax increase for the top").speaker != "Jane Roe"


def test_the_title_names_the_person_who_bears_it() -> None:
    text = ("Foreign Secretary Jack Straw spoke in the Commons on Tuesday. The secretary said "
            "the talks had been long and complex.")
    q = the(text, "talks had been long")
    assert q.speaker == "Jack Straw"
    assert text[q.speaker_start:q.speaker_end] == "secretary"


def test_a_title_nobody_bore_earlier_names_nobody_new() -> None:
    text = "Jane Roe met the archbishop on Monday. The archbishop said the talks were complex."
    q = the(text, "talks were complex")
    assert q.speaker != "Jane Roe"


def test_the_official_named_before_speaks_for_their_body() -> None:
    text = ("The Harbor Authority has closed the east pier, Harbor Authority officials said "
            "today. “We would rather repair it ourselves,” the official said.")
    q = quoted(text, "rather repair it")
    assert q.speaker is not None and "Harbor Authority" in q.speaker


def test_he_is_none_of_several_officials() -> None:
    text = ("The Harbor Authority has closed the east pier, Harbor Authority officials said "
            "today.\n\n“The pier is safe and will open again in June,” he said.")
    assert quoted(text, "pier is safe").speaker != "Harbor Authority"


@pytest.mark.parametrize("text,fragment,speaker", [
    # the name after the cue, which the parser made the cue's object
    (("The talks ended late.\n\n“Several of us were arguing that we have to wait,” recalled "
     "Mr. Roe. “Then we went home.”"), "arguing that we have to wait", "Roe"),
    # the name after the cue, which the parser made the subject of the quote's second part
    (("Prices rose in the state last year.\n\n\"The risk,\" said Jane Roe, an economist at "
     "Marlow College, \"is that we are going to be attracting workers and repelling jobs.\""),
     "attracting workers", "Jane Roe"),
    # a noun phrase that ends on the name
    (("The rally ended late.\n\n“Imagine a third man going up against them on the same "
     "stage,” mused radio host John Doe. “Not to mention the debates.”"), "third man",
     "John Doe"),
])
def test_the_name_after_a_cue_that_follows_the_quote_speaks(text: str, fragment: str,
                                                             speaker: str) -> None:
    assert speaker in (quoted(text, fragment).speaker or "")


def test_no_name_after_the_cue_names_nobody_from_the_quote() -> None:
    text = ("The rally ended late.\n\n“Several of us at the Marlow Herald were arguing that we "
            "have to wait,” recalled one of the organisers.")
    assert quoted(text, "arguing that we have to wait").speaker != "Marlow Herald"


@pytest.mark.parametrize("text,fragment,speaker,cue", [
    # any verb frames a quote that ends on a comma, "?" or "!" ("reacted", "pressed" are
    # no speech verbs of the pack)
    (("Jane Roe gave a speech on Sunday.\n\n“What sport is she talking about? Who is she "
     "profiling?” reacted John Doe."), "What sport", "John Doe", "reacted"),
    (("The talk turned to the border.\n\n\"Would it be negotiable about the rules?\" John Doe "
     "pressed. \"Maybe let some people stay if they register?\""), "negotiable", "John Doe",
     "pressed"),
    # a verb with its particle
    ("The markets fell.\n\n“The stock has not done well this year,” John Doe pointed out.",
     "stock has not done well", "John Doe", "pointed"),
    # a verb the tagger took for a plural noun, after a name
    (("Conservatives met in Iowa.\n\n“He may be the only one who can unite the party,” John "
     "Doe notes."), "only one who can unite", "John Doe", "notes"),
])
def test_a_frame_after_the_quote_gives_its_verb_as_cue(text: str, fragment: str, speaker: str,
                                                       cue: str) -> None:
    q = quoted(text, fragment)
    assert q.speaker == speaker and q.cue == cue


def test_a_clause_with_an_object_after_the_quote_is_no_frame() -> None:
    text = ("The yard was busy.\n\n“Safety first, every single day,” John Doe painted the "
            "crane.")
    assert quoted(text, "Safety first").cue != "painted"


def test_whoever_issued_a_document_says_what_it_says() -> None:
    text = ("Jane Roe runs the harbour. At the time, she released a statement saying, \"The "
            "harbour has distinguished itself as a trusted partner for the finest brands.\"")
    q = quoted(text, "trusted partner")
    assert q.speaker == "Jane Roe" and text[q.speaker_start:q.speaker_end] == "she"


def test_whoever_received_a_document_does_not_say_it() -> None:
    text = ("Jane Roe runs the harbour. On Monday, she received a letter saying, \"The harbour "
            "must close its east pier before the end of the month.\"")
    assert quoted(text, "east pier").speaker != "Jane Roe"


def test_a_quote_signed_in_the_next_paragraph_is_the_signers() -> None:
    text = ("The senator spoke in Iowa on Monday.\n\n\"I will look into it. I don't know the "
            "status, but I will certainly look into it.\"\n\n- Jane Roe.\n\nRoe has been "
            "looking into it.")
    q = quoted(text, "certainly look into it")
    assert q.speaker == "Jane Roe" and q.cue == "-"


def test_a_list_item_under_a_quote_signs_nothing() -> None:
    text = ("The senator spoke in Iowa on Monday.\n\n\"I will look into it. I don't know the "
            "status, but I will certainly look into it.\"\n\n- raise taxes on the rich.")
    assert quoted(text, "certainly look into it").speaker is None


@pytest.mark.parametrize("text,fragment,speaker,cue", [
    (("\"It is not possible at this point,\" said John Doe, president of the union. Jane Roe "
     "resisted: \"Governors do not have the power to suspend the law.\""), "suspend the law",
     "Jane Roe", "resisted"),
    (("The debate went on. Jane Roe fired back forcefully: “If they sue us in a court, they "
     "are going to lose.”"), "sue us in a court", "Jane Roe", "fired"),
])
def test_a_speaker_and_a_verb_before_a_colon_introduce_the_quote(text: str, fragment: str,
                                                                 speaker: str, cue: str) -> None:
    q = quoted(text, fragment)
    assert q.speaker == speaker and q.cue == cue


@pytest.mark.parametrize("text,verb", [
    ("The debate went on. Jane Roe boomed: “We will win this state and the next one.”",
     "boomed"),
    (("The hall was ready. Jane Roe painted a sign for the door: “No phones in the chamber "
     "and no food after noon.”"), None),  # an object: no frame (whatever else finds a cue)
    (("The hall was ready. The rules were clear: “No phones in the chamber and no food after "
     "noon.”"), None),  # nobody named
])
def test_only_a_bare_speaker_and_verb_make_a_colon_frame(text: str, verb: str | None) -> None:
    from storyline.extract.quote_marks import find_quote_spans
    from storyline.extract.quotes import _colon_frame, _quote_mask

    nlp = pipeline("storyline_entities")
    doc = nlp(make_doc(nlp, text))
    spans = find_quote_spans(text)
    found = _colon_frame(doc, spans[0], _quote_mask(doc, spans))
    assert (found.text if found is not None else None) == verb


# --- "he" continues with the subject of the sentence before -----------------------------------

def _speakers(text: str) -> dict[str, str | None]:
    nlp = pipeline("storyline_entities", "storyline_quotes")
    doc = nlp(make_doc(nlp, text))
    return {q.text: q.speaker for q in doc._.sl_quotes}


def test_he_continues_with_the_subject_named_after_the_last_speaker() -> None:
    text = ("Paul Hart is urging council members to back the plan. Mr Hart is at a meeting in "
            "Leeds. Councillor John Reed reacted to his plea by saying the city needed to wait. "
            "Mr Hart has been closer to the unions than any other mayor.\n\n"
            "He said some people were in denial about the cost.")
    got = _speakers(text)
    assert got["some people were in denial about the cost"] == "Paul Hart"
    assert got["the city needed to wait"] == "John Reed"


def test_he_stays_with_the_last_speaker_when_no_new_subject_is_named() -> None:
    text = ("Mayor Tom Keller said the budget was already stretched. The council meets on "
            "Monday.\n\nHe said the city would review its rents next year.")
    assert _speakers(text)["the city would review its rents next year"] == "Tom Keller"
    text = ("Anna Berg met Tom Keller on Monday. Tom Keller said the budget was stretched. "
            "He said the city would review its rents next year.")
    assert _speakers(text)["the city would review its rents next year"] == "Tom Keller"


def test_an_announcement_speaks_for_whoever_made_it() -> None:
    text = ("The Harbour Authority made an announcement on Monday. The announcement said the "
            "port would reopen on April 13 and would review \"the whole of its fees.\"")
    got = _speakers(text)
    assert set(got.values()) == {"Harbour Authority"}, got
