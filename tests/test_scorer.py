"""The eval scorer's matching rules, on small invented keys and predictions.

The scorer is pure: no spaCy model, no shared data. Each test starts from a prediction
that matches the key exactly and changes one thing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from rich.console import Console

from storyline.errors import KeyFormatError
from storyline.eval import (
    CorpusPrediction,
    FilePrediction,
    PredictedLinks,
    load_key,
    render_table,
    score,
    validate_key,
)
from storyline.records import (
    Analysis,
    DocMeta,
    Document,
    Entity,
    Event,
    Mention,
    Quote,
    RemovedLine,
    TimeMention,
)

A_LINES = [
    "Share this article",
    ("The Harbour Authority of Veltra said on Monday that the Dockworkers Union had "
    "blocked 40 cargo ships at the port of Calder."),
    ("\u201cWe will not negotiate under pressure,\u201d said Mira Okafor, the authority\u2019s "
    "director."),
    "Advertisement",
    ("Union leader Tomas Reyes denied that any ship had been blocked, and said the dispute "
    "would be settled some day."),
    "Published 2031-03-04",
]
B_LINES = [
    "Dockers in Calder have stopped some 40 vessels, according to Coastline Wire.",
    '"We refuse to negotiate while under pressure," director Mira Okafor told reporters.',
    "Related: Ten things to know about shipping",
]
A_TEXT = "\n".join(A_LINES[i] for i in (1, 2, 4))
B_TEXT = B_LINES[0] + "\n" + B_LINES[1]


def make_key() -> dict:
    return {
        "corpus": "harbour",
        "documents": [
            {"file": "a.txt", "outlet": "Veltra Daily", "published": "2031-03-04",
             "boilerplate": ["Share this article", "Advertisement"],
             "keep": ["Union leader Tomas Reyes denied"],
             "entities": [
                 {"name": "Harbour Authority of Veltra", "type": "ORG",
                  "aliases": ["the authority"]},
                 {"name": "Dockworkers Union", "type": "ORG", "aliases": ["Dockers"]},
                 {"name": "Calder", "type": "GPE", "aliases": []},
                 {"name": "Mira Okafor", "type": "PERSON", "aliases": ["Okafor"]},
                 {"name": "Tomas Reyes", "type": "PERSON", "aliases": ["Reyes"]},
             ],
             "times": [{"text": "on Monday", "value": "2031-03-03"},
                       {"text": "some day", "value": None}],
             "quotes": [{"speaker": "Mira Okafor",
                         "text": "We will not negotiate under pressure"}],
             "events": [
                 {"id": "a.e1", "type": "COERCE", "subtype": "blockade",
                  "actor": "Dockworkers Union", "target": "Calder", "quantity": 40,
                  "when": "2031-03-03", "source": "Harbour Authority of Veltra",
                  "status": "asserted",
                  "evidence": "the Dockworkers Union had blocked 40 cargo ships"},
                 {"id": "a.e2", "type": "REJECT", "subtype": "denial", "actor": "Tomas Reyes",
                  "target": "a.e1", "when": None, "source": "Tomas Reyes",
                  "status": "asserted", "evidence": "denied that any ship had been blocked"},
             ]},
            {"file": "b.txt", "outlet": None, "published": None,
             "published_true": "2031-03-05",
             "boilerplate": ["Related: Ten things to know about shipping"],
             "keep": ["told reporters"],
             "entities": [
                 {"name": "Calder", "type": "GPE", "aliases": []},
                 {"name": "Mira Okafor", "type": "PERSON", "aliases": ["Okafor"]},
                 {"name": "Coastline Wire", "type": "ORG", "aliases": ["CW"]},
                 {"name": "Dockworkers Union", "type": "ORG", "aliases": ["Dockers"]},
             ],
             "times": [],
             "quotes": [{"speaker": "Mira Okafor",
                         "text": "We refuse to negotiate while under pressure"}],
             "events": [
                 {"id": "b.e1", "type": "COERCE", "subtype": "blockade",
                  "actor": "Dockworkers Union", "target": "Calder", "quantity": 40,
                  "when": None, "source": "Coastline Wire", "status": "asserted",
                  "evidence": "Dockers in Calder have stopped some 40 vessels"},
             ]},
        ],
        "links": [
            {"kind": "same_event", "what": "the blockade", "members": ["a.e1", "b.e1"]},
            {"kind": "same_quote", "what": "no talks under pressure",
             "members": [["a.txt", "We will not negotiate under pressure"],
                         ["b.txt", "We refuse to negotiate while under pressure"]]},
            {"kind": "contradiction", "what": "blockade denied", "members": ["a.e1", "a.e2"]},
            {"kind": "same_story", "what": "Calder port dispute", "members": ["a.txt", "b.txt"]},
        ],
    }


def at(text: str, sub: str) -> tuple[int, int]:
    start = text.index(sub)
    return start, start + len(sub)


def ent(text: str, key: str, name: str, typ: str, *surface: str) -> Entity:
    mentions = [Mention(s, *at(text, s)) for s in surface]
    return Entity(key=key, name=name, type=typ, mentions=mentions)


def quote(text: str, sub: str, speaker: str | None) -> Quote:
    return Quote(sub, *at(text, sub), speaker=speaker)


def event(text: str, eid: str, subtype: str, sub: str, **kw) -> Event:
    return Event(id=eid, type="X", subtype=subtype, start=at(text, sub)[0],
                 end=at(text, sub)[1], evidence=sub, **kw)


def make_preds() -> CorpusPrediction:
    """A prediction that gets everything in make_key() right."""
    a, b = A_TEXT, B_TEXT
    doc_a = Document(id="da", source="a.txt", text=a, meta=DocMeta(published="2031-03-04"),
                     removed=[RemovedLine(A_LINES[0], "share", 0),
                              RemovedLine(A_LINES[3], "ad", 3),
                              RemovedLine(A_LINES[5], "metadata", 5)])
    an_a = Analysis(
        entities=[ent(a, "org:hav", "Harbour Authority of Veltra", "ORG",
                      "Harbour Authority of Veltra"),
                  ent(a, "org:du", "Dockworkers Union", "ORG", "Dockworkers Union"),
                  ent(a, "gpe:calder", "Calder", "GPE", "Calder"),
                  ent(a, "person:okafor", "Mira Okafor", "PERSON", "Mira Okafor"),
                  ent(a, "person:reyes", "Tomas Reyes", "PERSON", "Tomas Reyes")],
        times=[TimeMention("on Monday", *at(a, "on Monday"), value="2031-03-03"),
               TimeMention("some day", *at(a, "some day"), value=None)],
        quotes=[quote(a, "We will not negotiate under pressure,", "Mira Okafor")],
        events=[event(a, "e1", "blockade", "Dockworkers Union had blocked 40 cargo ships",
                      actor="Dockworkers Union", target="Calder", quantity=40.0,
                      when="2031-03-03", source="Harbour Authority of Veltra"),
                event(a, "e2", "denial", "Tomas Reyes denied that any ship had been blocked",
                      actor="Tomas Reyes", target="e1", source="Tomas Reyes")])
    doc_b = Document(id="db", source="b.txt", text=b, meta=DocMeta(published=None),
                     removed=[RemovedLine(B_LINES[2], "teaser", 2)],
                     published_inferred="2031-03-05")
    an_b = Analysis(
        entities=[ent(b, "gpe:calder", "Calder", "GPE", "Calder"),
                  ent(b, "person:okafor", "Mira Okafor", "PERSON", "Mira Okafor"),
                  ent(b, "org:cw", "Coastline Wire", "ORG", "Coastline Wire"),
                  ent(b, "org:du", "Dockers", "ORG", "Dockers")],
        quotes=[quote(b, "We refuse to negotiate while under pressure", "Mira Okafor")],
        events=[event(b, "e1", "blockade", "Dockers in Calder have stopped some 40 vessels",
                      actor="Dockers", target="Calder", quantity=40, source="Coastline Wire",
                      source_is_outlet=False)])
    links = PredictedLinks(same_event=[[("a.txt", "e1"), ("b.txt", "e1")]],
                           same_quote=[[("a.txt", 0), ("b.txt", 0)]],
                           contradiction=[[("a.txt", "e1"), ("a.txt", "e2")]],
                           same_story=[["a.txt", "b.txt"]])
    return CorpusPrediction(files={"a.txt": FilePrediction(doc_a, an_a),
                                   "b.txt": FilePrediction(doc_b, an_b)}, links=links)


REQUIRED = {
    "boilerplate": {"precision", "recall", "f1", "keep_recall"},
    "published": {"accuracy", "n"},
    "published_inferred": {"accuracy", "n"},
    "entities": {"precision", "recall", "f1"},
    "times": {"accuracy", "n"},
    "quotes": {"precision", "recall", "f1", "speaker_accuracy"},
    "events": {"precision", "recall", "f1", "attributes"},
    "links": {"precision", "recall", "f1", "by_kind"},
}


def test_perfect_prediction_scores_one() -> None:
    s = score(make_key(), make_preds())
    assert set(s) == set(REQUIRED) | {"details"}
    for stage, keys in REQUIRED.items():
        assert set(s[stage]) == keys, stage
    for stage in ("boilerplate", "entities", "quotes", "events", "links"):
        assert (s[stage]["precision"], s[stage]["recall"], s[stage]["f1"]) == (1.0, 1.0, 1.0)
    assert s["boilerplate"]["keep_recall"] == 1.0
    assert s["published"] == {"accuracy": 1.0, "n": 2}
    assert s["published_inferred"] == {"accuracy": 1.0, "n": 1}
    assert s["times"] == {"accuracy": 1.0, "n": 2}
    assert s["quotes"]["speaker_accuracy"] == 1.0
    assert s["events"]["attributes"] == {"when": 1.0, "quantity": 1.0, "source": 1.0,
                                         "status": 1.0}
    assert all(v["f1"] == 1.0 for v in s["links"]["by_kind"].values())
    json.dumps(s)  # the whole result, details included, is plain JSON


def test_resolved_null_time_counts_as_error() -> None:
    preds = make_preds()
    times = preds.files["a.txt"].analysis.times
    times[1].value = "2031-03-10"  # a guess where the text gives no anchor
    s = score(make_key(), preds)
    assert s["times"] == {"accuracy": 0.5, "n": 2}
    wrong = s["details"]["files"]["a.txt"]["times"]["wrong"]
    assert [w["text"] for w in wrong] == ["some day"]
    # Leaving it unmentioned is as right as marking it unresolved.
    del times[1]
    assert score(make_key(), preds)["times"]["accuracy"] == 1.0


def test_time_value_must_match_and_not_conflict() -> None:
    preds = make_preds()
    times = preds.files["a.txt"].analysis.times
    times[0].value = "2031-03-02"
    assert score(make_key(), preds)["times"]["accuracy"] == 0.5
    times[0].value = "2031-03-03"
    # A second, overlapping prediction with another value makes the reading ambiguous.
    times.append(TimeMention("Monday", *at(A_TEXT, "Monday"), value="2031-03-10"))
    assert score(make_key(), preds)["times"]["accuracy"] == 0.5


def test_time_texts_located_as_whole_words_longest_first() -> None:
    text = "The Mayor met them on Friday night. By Friday, May 2 was set."
    key = {"corpus": "t", "links": [], "documents": [{
        "file": "t.txt", "outlet": None, "published": None, "boilerplate": [], "keep": [],
        "entities": [], "quotes": [], "events": [],
        "times": [{"text": "Friday", "value": "2040-01-06"},
                  {"text": "Friday night", "value": "2039-12-30"},
                  {"text": "May", "value": "2040-05"}]}]}
    doc = Document(id="t", source="t.txt", text=text)
    tm = [TimeMention("Friday night", *at(text, "Friday night"), value="2039-12-30"),
          TimeMention("Friday", *at(text, "Friday,"), value="2040-01-06"),
          TimeMention("May 2", *at(text, "May 2"), value="2040-05")]
    preds = CorpusPrediction(files={"t.txt": FilePrediction(doc, Analysis(times=tm))})
    assert score(key, preds)["times"]["accuracy"] == 1.0
    # Had "May" been placed inside "Mayor", the prediction there would not count.
    tm[2].start, tm[2].end = at(text, "Mayor")
    assert score(key, preds)["times"]["accuracy"] == pytest.approx(2 / 3)


def test_wrong_speaker_lowers_speaker_accuracy_only() -> None:
    preds = make_preds()
    preds.files["b.txt"].analysis.quotes[0].speaker = "Coastline Wire"
    s = score(make_key(), preds)
    assert (s["quotes"]["precision"], s["quotes"]["recall"]) == (1.0, 1.0)
    assert s["quotes"]["speaker_accuracy"] == 0.5
    assert s["details"]["files"]["b.txt"]["quotes"]["wrong_speaker"][0]["gold"] == "Mira Okafor"
    # An unattributed quote is no right speaker either.
    preds.files["b.txt"].analysis.quotes[0].speaker = None
    assert score(make_key(), preds)["quotes"]["speaker_accuracy"] == 0.5


def test_speaker_matches_by_alias_and_quote_needs_half_overlap() -> None:
    preds = make_preds()
    q = preds.files["a.txt"].analysis.quotes[0]
    q.speaker = "okafor"  # a key alias, in another case; no predicted entity has that name
    assert score(make_key(), preds)["quotes"]["speaker_accuracy"] == 1.0
    # A span covering under half of the key's verbatim part is no match.
    q.start, q.end = at(A_TEXT, "We will not")
    s = score(make_key(), preds)
    assert (s["quotes"]["precision"], s["quotes"]["recall"]) == (0.5, 0.5)


def test_extra_removed_line_lowers_boilerplate_precision() -> None:
    preds = make_preds()
    doc = preds.files["a.txt"].document
    doc.removed.append(RemovedLine(A_LINES[4], "teaser", 4))
    doc.text = doc.text.replace(A_LINES[4], "")
    s = score(make_key(), preds)["boilerplate"]
    assert s["precision"] == pytest.approx(3 / 4) and s["recall"] == 1.0


def test_dropped_repeat_still_in_text_is_a_spurious_removal() -> None:
    preds = make_preds()
    doc = preds.files["a.txt"].document
    assert A_LINES[4] in doc.text
    doc.removed.append(RemovedLine(A_LINES[4], "duplicate", 9))  # its first copy stays
    s = score(make_key(), preds)
    assert s["boilerplate"]["precision"] == pytest.approx(3 / 4)
    assert s["details"]["files"]["a.txt"]["boilerplate"]["spurious"] == [A_LINES[4]]


def test_removed_number_is_spurious_even_when_the_text_holds_its_digits() -> None:
    preds = make_preds()
    doc = preds.files["a.txt"].document
    digit = next(ch for ch in doc.text if ch.isdigit())  # e.g. "3" of "2031"
    doc.removed.append(RemovedLine(digit, "page_number", 9))
    assert score(make_key(), preds)["boilerplate"]["precision"] == pytest.approx(3 / 4)


def test_glue_repairs_are_not_cuts() -> None:
    preds = make_preds()
    doc = preds.files["a.txt"].document
    doc.removed.append(RemovedLine("saidTomas Reyes \u2192 said Tomas Reyes", "glued", 4))
    assert score(make_key(), preds)["boilerplate"]["precision"] == 1.0
    doc.removed[-1].reason = "duplicate"  # the same record as a cut is a spurious one
    assert score(make_key(), preds)["boilerplate"]["precision"] == pytest.approx(3 / 4)


def test_metadata_lines_are_ignored_and_bullets_are_layout() -> None:
    preds = make_preds()
    removed = preds.files["a.txt"].document.removed
    assert any(r.reason == "metadata" for r in removed)  # already in the perfect prediction
    removed.append(RemovedLine("Author: Desk staff", "metadata", 6))
    removed[0].text = "  \u2022 Share   this article "
    assert score(make_key(), preds)["boilerplate"]["precision"] == 1.0
    # The same metadata line removed as noise is a spurious removal.
    removed.append(RemovedLine("Published 2031-03-04", "site_tag", 5))
    assert score(make_key(), preds)["boilerplate"]["precision"] == pytest.approx(3 / 4)


def test_missing_keep_string_and_missed_line() -> None:
    preds = make_preds()
    doc = preds.files["a.txt"].document
    doc.text = doc.text.replace("Union leader Tomas Reyes", "Tomas Reyes")
    doc.removed = doc.removed[1:]
    s = score(make_key(), preds, built={"boilerplate"})
    assert s["boilerplate"]["keep_recall"] == 0.5
    assert s["boilerplate"]["recall"] == pytest.approx(2 / 3)
    assert s["details"]["files"]["a.txt"]["boilerplate"]["missed"] == ["Share this article"]


def test_stated_date_where_key_has_none_is_wrong() -> None:
    preds = make_preds()
    preds.files["b.txt"].document.meta.published = "2031-03-05"
    s = score(make_key(), preds)
    assert s["published"] == {"accuracy": 0.5, "n": 2}
    assert s["published_inferred"]["accuracy"] == 1.0  # the inferred date is right
    # A stated date is no inference: without an inferred date nothing is credited.
    preds.files["b.txt"].document.published_inferred = None
    s = score(make_key(), preds)
    assert s["published_inferred"]["accuracy"] == 0.0
    assert s["details"]["files"]["b.txt"]["published_inferred"]["predicted"] is None
    preds.files["b.txt"].document.meta.published = None
    preds.files["b.txt"].document.published_inferred = "2031-03-06"
    assert score(make_key(), preds)["published_inferred"]["accuracy"] == 0.0


def test_entities_one_to_one_by_surface_form() -> None:
    preds = make_preds()
    ents = preds.files["a.txt"].analysis.entities
    # Found through a mention, whatever the canonical name and the apostrophe style.
    ents[0] = Entity(key="org:x", name="Veltra port body", type="ORG",
                     mentions=[Mention("The Authority\u2019s", 0, 0),
                               Mention("the authority", 0, 0)])
    assert score(make_key(), preds)["entities"]["f1"] == 1.0
    # One predicted entity merging two people counts once; the other is missed.
    merged = Entity(key="p:m", name="Mira Okafor", type="PERSON", aliases=["Tomas Reyes"])
    preds.files["a.txt"].analysis.entities = ents[:3] + [merged]
    s = score(make_key(), preds)["entities"]
    assert s["precision"] == 1.0 and s["recall"] == pytest.approx(8 / 9)
    preds.files["a.txt"].analysis.entities.append(Entity(key="d", name="Monday", type="DATE"))
    assert score(make_key(), preds)["entities"]["precision"] == pytest.approx(8 / 9)


def test_denial_aligns_through_its_target_event() -> None:
    preds = make_preds()
    evs = preds.files["a.txt"].analysis.events
    s = score(make_key(), preds)["events"]
    assert s["recall"] == 1.0
    # The denial points at an event that is not the denied claim.
    evs.append(event(A_TEXT, "e3", "blockade", "blocked 40 cargo ships at the port",
                     actor="Tomas Reyes", target="Calder"))
    evs[1].target = "e3"
    s = score(make_key(), preds)["events"]
    assert s["recall"] == pytest.approx(2 / 3) and s["precision"] == pytest.approx(2 / 4)
    # Pointing at the right event again, but that event no longer matches the key
    # (wrong actor): the denial fails with it.
    evs[1].target = "e1"
    evs[0].actor = "Calder"
    s = score(make_key(), preds)
    assert s["events"]["recall"] == pytest.approx(1 / 3)
    assert s["details"]["files"]["a.txt"]["events"]["missed"] == ["a.e1", "a.e2"]


def test_event_attributes_scored_on_matched_pairs() -> None:
    preds = make_preds()
    ev = preds.files["b.txt"].analysis.events[0]
    ev.status = "hedged"
    ev.quantity = None
    ev.source = "CW"  # a key alias of the source
    ev.when = "2031-03-05"  # the key says unresolved
    s = score(make_key(), preds)["events"]
    assert s["f1"] == 1.0
    third = pytest.approx(2 / 3)  # three matched pairs, one wrong in each attribute
    assert s["attributes"] == {"when": third, "quantity": third, "source": 1.0,
                               "status": third}
    ev.target = None  # null target only matches a null key target
    assert score(make_key(), preds)["events"]["recall"] == pytest.approx(2 / 3)


def test_event_alignment_prefers_overlapping_evidence() -> None:
    preds = make_preds()
    evs = preds.files["a.txt"].analysis.events
    # A second candidate for a.e1 elsewhere in the text, listed first, with a wrong date.
    decoy = event(A_TEXT, "e0", "blockade", "denied that any ship",
                  actor="Dockworkers Union", target="Calder", quantity=40, when="2031-01-01",
                  source="Harbour Authority of Veltra")
    evs.insert(0, decoy)
    s = score(make_key(), preds)
    assert s["events"]["recall"] == 1.0 and s["events"]["precision"] == pytest.approx(3 / 4)
    assert s["events"]["attributes"]["when"] == 1.0
    assert s["details"]["files"]["a.txt"]["events"]["spurious"][0]["id"] == "e0"


def test_link_pairs() -> None:
    preds = make_preds()
    links = preds.links
    # The same cluster twice, and the contradiction again: pairs count once.
    links.same_event.append([("b.txt", "e1"), ("a.txt", "e1")])
    s = score(make_key(), preds)["links"]
    assert (s["precision"], s["recall"]) == (1.0, 1.0)
    # An unaligned event joins the cluster: its two pairs are false.
    links.same_event[0].append(("b.txt", "nope"))
    s = score(make_key(), preds)
    assert s["links"]["by_kind"]["same_event"]["precision"] == pytest.approx(1 / 3)
    assert s["links"]["precision"] == pytest.approx(4 / 6) and s["links"]["recall"] == 1.0
    assert len(s["details"]["links"]["spurious"]["same_event"]) == 2


def test_same_quote_member_found_by_overlap_and_missing_kind() -> None:
    preds = make_preds()
    qa = preds.files["a.txt"].analysis.quotes
    # A quote not aligned in quote scoring (no key quote) but covering the member text.
    qa.append(quote(A_TEXT, "not negotiate under pressure,\u201d said", None))
    preds.links.same_quote = [[("a.txt", 1), ("b.txt", 0)]]
    preds.links.same_story = []
    s = score(make_key(), preds)["links"]
    assert s["by_kind"]["same_quote"]["f1"] == 1.0
    assert s["by_kind"]["same_story"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert s["recall"] == pytest.approx(3 / 4)


def test_null_stages() -> None:
    preds = make_preds()
    s = score(make_key(), preds, built={"boilerplate", "published"})
    for stage in ("published_inferred", "entities", "times", "quotes", "events", "links"):
        assert s[stage] is None
    assert s["boilerplate"]["f1"] == 1.0
    # Without `built`, a stage with no prediction in any file is null.
    for fp in preds.files.values():
        fp.analysis = None
    preds.links = PredictedLinks()
    s = score(make_key(), preds)
    assert [k for k in REQUIRED if s[k] is None] == ["entities", "times", "quotes", "events",
                                                      "links"]
    # A built stage that found nothing scores zero, not null.
    assert score(make_key(), preds, built={"entities"})["entities"]["recall"] == 0.0


def test_unread_file_counts_as_missed() -> None:
    preds = make_preds()
    preds.files["b.txt"] = None
    s = score(make_key(), preds)
    assert s["entities"]["recall"] == pytest.approx(5 / 9)
    assert s["quotes"]["recall"] == 0.5 and s["published"]["accuracy"] == 0.5
    assert s["published_inferred"]["accuracy"] == 0.0
    assert s["boilerplate"]["recall"] == pytest.approx(2 / 3)


def test_render_table_lists_every_stage() -> None:
    s = score(make_key(), make_preds(), built={"boilerplate", "quotes"})
    console = Console(record=True, width=140)
    console.print(render_table(s))
    out = console.export_text()
    assert "not built" in out and "speaker" in out and "1.000" in out


@pytest.mark.parametrize("mutate, where", [
    (lambda k: k["documents"][0].pop("times"), "documents[0].times"),
    (lambda k: k["documents"][0]["times"][0].update(value="next Monday"),
     "documents[0].times[0].value"),
    (lambda k: k["documents"][1]["events"][0].update(status="likely"),
     "documents[1].events[0].status"),
    (lambda k: k["documents"][0]["events"][1].update(target="a.e9"),
     "documents[0].events[1].target"),
    (lambda k: k["links"][0]["members"].append("c.e1"), "links[0].members[2]"),
    (lambda k: k["documents"][1].update(file="a.txt"), "documents[1].file"),
    (lambda k: k["documents"][0]["entities"][0].update(aliases="x"),
     "documents[0].entities[0].aliases"),
    (lambda k: k["links"][1]["members"][0].pop(), "links[1].members[0]"),
])
def test_malformed_key_names_the_problem(mutate, where) -> None:
    key = make_key()
    mutate(key)
    with pytest.raises(KeyFormatError) as err:
        validate_key(key)
    assert where in str(err.value) and err.value.code == "S401"


def test_load_key_reads_and_checks(tmp_path: Path) -> None:
    good = tmp_path / "k.json"
    good.write_text(json.dumps(make_key()), encoding="utf-8")
    assert load_key(good)["corpus"] == "harbour"
    bad = tmp_path / "bad.json"
    bad.write_text("{\"documents\": [", encoding="utf-8")
    with pytest.raises(KeyFormatError, match="not valid JSON") as err:
        load_key(bad)
    assert err.value.source == str(bad)
    with pytest.raises(KeyFormatError, match="no such key file"):
        load_key(tmp_path / "missing.json")
    broken = copy.deepcopy(make_key())
    del broken["links"]
    with pytest.raises(KeyFormatError, match="links"):
        score(broken, make_preds())


def test_key_strings_in_scripts_without_word_spaces_are_located() -> None:
    from storyline.eval.text import Locator

    loc = Locator("普京今天签署了条约。정상회담은 22일에 열렸다. The Mayor met May.")
    (a, b), = loc.occurrences("今天")
    assert loc.text[a:b] == "今天"
    (c, d), = loc.occurrences("22일")
    assert loc.text[c:d] == "22일"
    assert [loc.text[x:y] for x, y in loc.occurrences("May")] == ["May"]  # not in "Mayor"
