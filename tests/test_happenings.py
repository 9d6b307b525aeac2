"""storyline_happenings: general events beside PLOVER, on sentences written for the tests."""

from __future__ import annotations

import json

import pytest

from storyline.extract.happenings import HAPPEN, candidates, features, load_model
from storyline.lang import get_pack
from storyline.nlp import make_doc
from storyline.records import Analysis, Event

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str, published: str = "2010-01-14"):
        return nlp(make_doc(nlp, text, published=published, outlet="Test Wire"))

    return _run


def only(doc, subtype: str) -> Event:
    found = [h for h in doc._.sl_happenings if h.subtype == subtype]
    assert len(found) == 1, [(h.subtype, h.trigger) for h in doc._.sl_happenings]
    return found[0]


@pytest.mark.parametrize("text, subtype, trigger", [
    ("Police arrested the mayor of Springfield on Monday.", "arrest", "arrested"),
    ("The singer died at his home in Los Angeles on Thursday.", "death", "died"),
    ("A jury convicted the doctor of involuntary manslaughter on Monday.", "verdict",
     "convicted"),
    ("A powerful earthquake hit the capital on Tuesday afternoon.", "disaster", "earthquake"),
    ("Voters went to the polls on Sunday in the first free election in decades.", "election",
     "election"),
    ("The outbreak of swine flu began in Mexico in April.", "outbreak", "outbreak"),
    ("The prime minister resigned on Friday after weeks of protests.", "resignation",
     "resigned"),
])
def test_a_happening_of_each_kind_with_its_day(run, text: str, subtype: str,
                                               trigger: str) -> None:
    # (past the lead: a lead between parties is coded as a PLOVER event, "Police arrested
    # the mayor" COERCE, and a token with a PLOVER event gives no happening)
    h = only(run("Reports came in overnight. " + text), subtype)
    assert h.type == HAPPEN
    assert h.trigger == trigger
    assert h.when is not None and h.when_text  # the day the sentence gives it
    assert h.evidence in text and trigger in h.evidence


def test_participants_time_and_place_come_from_the_pipeline(run) -> None:
    # (an arrest by a party is PLOVER's now, COERCE, since the GSR lead pass: no happening)
    doc = run("Viktor Bout died in Bangkok on March 6, 2008.")
    h = only(doc, "death")
    assert h.actor == "Viktor Bout"
    assert h.when == "2008-03-06" and h.when_text == "March 6, 2008"
    assert h.where == "Bangkok"
    assert h.status == "asserted" and h.source_is_outlet


def test_an_event_noun_takes_its_of_phrase(run) -> None:
    h = only(run("The death of Michael Jackson on June 25, 2009 shocked his fans."), "death")
    assert h.target == "Michael Jackson" and h.when == "2009-06-25"


def test_negated_asked_and_plain_words_give_no_happening(run) -> None:
    assert run("Police did not arrest anyone on Monday.")._.sl_happenings == []
    assert run("Will the rebels attack the town on Friday?")._.sl_happenings == []
    assert run("The committee is a group of twelve people.")._.sl_happenings == []


def test_no_happening_on_a_token_plover_coded(run) -> None:
    doc = run("North Korea launched a satellite on Monday.")
    coded = {e.trigger for e in doc._.sl_events}
    assert "launched" in coded  # PLOVER reads it (satellite launch) ...
    assert all(h.trigger not in coded for h in doc._.sl_happenings)  # ... so it is not repeated


def test_a_verb_telling_of_its_subjects_happening_is_not_a_second_one(run) -> None:
    doc = run("A magnitude 7.0 earthquake struck Haiti on Tuesday, killing thousands.")
    assert {h.subtype for h in doc._.sl_happenings} == {"disaster", "killing"}


def test_happenings_round_trip_in_the_analysis(run) -> None:
    doc = run("Police arrested the mayor on Monday.")
    a = Analysis(happenings=list(doc._.sl_happenings))
    back = Analysis.from_dict(json.loads(json.dumps(a.as_dict())))
    assert back.happenings == a.happenings and back.events == []


def test_the_model_and_type_table_are_pack_data() -> None:
    model = load_model("en")
    assert model is not None and 0 < model.threshold < 1
    assert model.vector.shape == (300,)
    table = get_pack("en").data("happenings.types")
    lemmas = [lemma for words in table["types"].values() for lemma in words]
    assert len(lemmas) == len(set(lemmas))  # one type a lemma
    assert model.types["arrest"] == "arrest" and model.types["die"] == "death"
    # the weights learned something sensible: an event lemma weighs more than a plain noun
    assert model.weights.get("l=attack", 0) > model.weights.get("l=table", 0)


def test_features_name_the_tokens_own_reading(nlp) -> None:
    doc = nlp(make_doc(nlp, "Police arrested the mayor."))
    feats = features(doc[1])
    assert "l=arrest" in feats and "p=VERB" in feats and "c=nsubj" in feats


def test_the_tokens_scored_are_the_candidates_worth_scoring(run) -> None:
    """`_to_score` reads lemmas and tags from the token strings: the same tokens as the
    candidates of each statement that a typed lemma or a dated verb makes worth scoring."""
    from storyline.extract.arguments import DocIndex
    from storyline.extract.claims import SPEECH
    from storyline.extract.happenings import _dated_sentences, _statement, _to_score

    model = load_model("en")
    doc = run("The quake struck Haiti on Tuesday. Was anyone killed? Police arrested two men "
              "on Monday, officials said. The strike ended. A suicide bombing killed 12 "
              "people on 3 May 2024 and the army said it launched strikes.")
    dated = _dated_sentences(doc, DocIndex.build(doc))
    assert dated
    for taken in (set(), {1, 12}):
        want = [t for sent in doc.sents if _statement(doc, sent) for t in candidates(sent)
                if t.i not in taken and (t.lemma_.lower() in model.types or (
                    t.sent.start in dated and t.lemma_.lower() not in SPEECH
                    and t.pos_ == "VERB"))]
        assert want and [t.i for t in _to_score(doc, model, taken, dated)] == \
            [t.i for t in want]


def test_a_verb_only_type_word_is_no_happening_as_a_noun(run) -> None:
    """To shell a town is an attack; artillery shells are ammunition (`verb_only`)."""
    shells = run("North Korea sent over a million artillery shells to Russia last year, "
                 "officials said on Monday.")
    assert not [h for h in shells._.sl_happenings if h.subtype == "attack"], \
        [(h.subtype, h.trigger) for h in shells._.sl_happenings]
    shelled = run("Army units shelled the border town of Kestrel on Monday, the governor said.")
    acts = [(e.type, e.subtype) for e in shelled._.sl_events + shelled._.sl_happenings
            if e.trigger == "shelled"]
    assert acts in ([("FIGHT", None)], [(HAPPEN, "attack")]), acts  # PLOVER's, or a happening
