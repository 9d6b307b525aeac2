"""The analyst briefing: sections kept apart, every sentence cited to an exact span."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from _fixtures_story import build_store

from storyline.errors import NotFound, UnsupportedInput
from storyline.serve.brief import (
    attribution,
    brief_problems,
    claim_sentence,
    quantity_words,
    write_brief,
)
from storyline.serve.brief_check import numbers_in, unsupported
from storyline.serve.cli_commands import brief_command
from storyline.store import Store

SECTIONS = ["## Key developments", "## Corroborated by independent sources",
            "## Single-source claims", "## Denied or disputed", "## Key statements",
            "## Sources"]


@pytest.fixture()
def world(store_url: str) -> dict[str, Any]:
    db = store_url  # each test runs on SQLite, and on PostgreSQL with a cluster
    return {"db": db, **build_store(db)}


def _section(md: str, title: str) -> str:
    start = md.index(title)
    end = md.find("\n## ", start + 1)
    return md[start:end if end >= 0 else len(md)]


def test_markdown_brief_keeps_sections_apart_and_cites_spans(world: dict[str, Any]) -> None:
    with Store.open(world["db"], readonly=True) as store:
        md = write_brief(store, world["stories"]["boats"], "md")
    assert md.startswith("# Briefing: Norway–Chile patrol boat deal")
    assert "Period: 2024-03-04 – 2024-04" in md
    assert [md.index(s) for s in SECTIONS] == sorted(md.index(s) for s in SECTIONS)
    corroborated = _section(md, SECTIONS[1])
    single = _section(md, SECTIONS[2])
    disputed = _section(md, SECTIONS[3])
    statements = _section(md, SECTIONS[4])
    # sources give 12 and 10: the sentence states neither, the disagreement lists both
    assert "Norway transferred patrol boats to Chile (sources differ on the number), " \
        "according to Ingrid Halvorsen and Chilean Navy, as reported by Harbour Times and " \
        "Andes Daily." in corroborated and "deposit" not in corroborated
    # the trade's item ("deposit") is not what its number counts (40 million dollars), and
    # the visit's actor is not named in its words: both quote their report, hedge and plan
    # kept in the report's own words
    assert "According to Fjordline Yards, as reported by Harbour Times: “Chile appears to " \
        "have paid a deposit of 40 million dollars”." in single
    assert "“A visit by Chilean officials to Bergen is set to take place next month”" in single
    assert "“Chile could buy more boats if funding allows”" in single
    assert "traded deposit" not in md and "Chile is expected to visit Norway" not in md
    assert "missiles" not in single and "missiles" not in corroborated  # denied: apart
    assert "Denied by Fjordline Yards" in disputed and "anti-ship missiles" in disputed
    assert "quantity of “Norway transferred patrol boats to Chile”: 12 patrol boats (Ingrid " \
        "Halvorsen, Harbour Times) vs 10 patrol boats (Chilean Navy, Andes Daily)" in disputed
    assert "Ingrid Halvorsen: “The first hulls will be handed over before the winter”" \
        in statements
    # every bullet cites, and every citation points at the exact words of a document
    bullets = [ln for ln in md.splitlines() if ln.startswith("- ") and ln != "- None."]
    assert bullets and all(re.search(r"(\[\d+\])+$", ln) for ln in bullets)
    notes = re.findall(r"^\[(\d+)\] ([^,]+), ([\d-]+), doc (d\w+), chars (\d+)–(\d+): “(.*)”$",
                       md, re.MULTILINE)
    cited = {int(n) for ln in bullets for n in re.findall(r"\[(\d+)\]", ln)}
    assert cited == {int(n) for n in re.findall(r"^\[(\d+)\] ", md, re.MULTILINE)}
    # a day that only articles published on it (or the day after) point at cites them whole
    assert cited - {int(n[0]) for n in notes} == {
        int(n) for n in re.findall(r"^\[(\d+)\] .* no exact span recorded$", md, re.MULTILINE)}
    texts = {d: world["texts"][k] for k, d in world["docs"].items()}
    for _, outlet, date, doc, start, end, evidence in notes:
        assert texts[doc][int(start):int(end)] == evidence
        assert date.startswith("2024-")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.hrefs += [v or "" for k, v in attrs if tag == "a" and k == "href"]


def test_html_brief_links_to_the_evidence_and_escapes(world: dict[str, Any]) -> None:
    with Store.open(world["db"]) as store, store.write() as conn:
        conn.execute("UPDATE stories SET title=? WHERE id=?",
                     ("Boats <script>alert(1)</script>", world["stories"]["boats"]))
    with Store.open(world["db"], readonly=True) as store:
        page = write_brief(store, world["stories"]["boats"], "html",
                           link_base="http://127.0.0.1:8765")
    parser = _Links()
    parser.feed(page)
    assert parser.scripts == 0 and "&lt;script&gt;" in page
    # a standalone page with its own look (the app draws the brief in its own layout)
    assert "<style>" in page and 'name="viewport"' in page
    assert parser.hrefs
    docs = set(world["docs"].values())
    for href in parser.hrefs:
        m = re.fullmatch(r"http://127\.0\.0\.1:8765/documents/(d\w+)(#(\d+)-(\d+))?", href)
        assert m and m[1] in docs
    for h in ("Corroborated by independent sources", "Single-source claims",
              "Denied or disputed", "Key statements"):
        assert f"<h2>{h}</h2>" in page


def _event(evidence: str, **kw: Any) -> dict[str, Any]:
    """A merged event with one report whose words are `evidence`."""
    mention = {"doc_id": None, "evidence": evidence, "start": 0, "end": len(evidence),
               "status": kw.get("status", "asserted"), "cue": kw.pop("cue", None),
               "source": "the defence ministry"}
    base = {"actor": "Arvenia", "target": "Kastoria", "item": "drones", "quantity": None,
            "subtype": "arms_transfer", "status": "asserted", "where": [],
            "original_sources": ["the defence ministry"], "reporting_outlets": ["Daily Post"],
            "disagreements": [], "mentions": [mention]}
    return {**base, **kw}


def test_a_hedge_stays_a_hedge_and_a_plan_stays_in_the_future() -> None:
    said = "according to the defence ministry, as reported by Daily Post."
    assert claim_sentence(_event("Arvenia sent 30 drones to Kastoria", quantity=30.0)) == \
        f"Arvenia transferred 30 drones to Kastoria, {said}"
    appears = _event("Arvenia appears to have sent drones to Kastoria", status="hedged",
                     cue="appears")
    assert claim_sentence(appears) == f"Arvenia appears to have transferred drones to Kastoria, {said}"
    reportedly = _event("Arvenia reportedly sent drones to Kastoria", status="hedged",
                        cue="reportedly")
    assert claim_sentence(reportedly).startswith("Arvenia reportedly transferred drones")
    could = _event("Arvenia could be sending drones to Kastoria", status="hedged", cue="could")
    assert claim_sentence(could).startswith("Arvenia could have transferred drones")
    believed = _event("Arvenia is believed to have sent drones to Kastoria", status="hedged",
                      cue="believed")
    assert claim_sentence(believed).startswith("Arvenia is believed to have transferred")
    said_to = _event("Arvenia is said to have sent drones to Kastoria", status="hedged",
                     cue="said")
    assert claim_sentence(said_to).startswith("Arvenia is said to have transferred")
    # the merged event says it happened, one report hedges it: the hedge is kept
    mixed = _event("Arvenia sent drones to Kastoria")
    mixed["mentions"].append({**appears["mentions"][0], "doc_id": None})
    assert claim_sentence(mixed).startswith("Arvenia appears to have transferred drones")
    will = _event("Arvenia will send drones to Kastoria", status="planned", cue="will")
    assert claim_sentence(will).startswith("Arvenia will transfer drones to Kastoria")
    set_to = _event("Arvenia is set to send drones to Kastoria", status="planned", cue="set")
    assert claim_sentence(set_to).startswith("Arvenia is set to transfer drones")
    upcoming = _event("the upcoming delivery of drones by Arvenia to Kastoria",
                      status="planned", cue="upcoming")
    assert claim_sentence(upcoming).startswith("Arvenia is expected to transfer drones")
    denied = _event("Arvenia sent drones to Kastoria", status="denied")
    assert claim_sentence(denied).startswith("Reports that Arvenia transferred drones")


def test_quantities_keep_their_words() -> None:
    shells = _event("the North had exported over 1 million artillery shells to Russia",
                    actor="North Korea", target="Russia", item="artillery shells",
                    quantity=1_000_000.0)
    shells["mentions"][0]["actor"] = "the North"  # as the report names it
    assert "transferred over 1 million artillery shells to Russia" in claim_sentence(shells)
    boxes = _event("Pyongyang had sent more than 1,000 containers of military equipment to "
                   "Moscow", actor="Pyongyang", target="Moscow", item="military equipment",
                   quantity=1000.0)
    sentence = claim_sentence(boxes)
    assert "more than 1,000 containers of military equipment to Moscow" in sentence
    assert "1,000 military equipment" not in sentence
    assert quantity_words("provided a million shells to Russia", 1e6, "shells") == \
        "a million shells"
    assert quantity_words("provided shells to Russia", 1e6, "shells") is None


def test_an_empty_or_suspect_slot_quotes_the_evidence() -> None:
    tests = _event("North Korea has conducted a record number of missile and other weapons "
                   "tests", actor="North Korea", target=None, item="other weapons tests",
                   subtype="weapons_test", original_sources=["AFP"], reporting_outlets=["AFP"])
    assert claim_sentence(tests) == "According to AFP: “North Korea has conducted a record " \
        "number of missile and other weapons tests”."
    glued = _event("the vessel, the Ryonghae 3, left Rajin", actor="North Korea",
                   item="vesselthe 3", subtype="port_call")
    assert "vesselthe" not in claim_sentence(glued).split("“")[0]
    no_item = _event("Arvenia sent them to Kastoria", item=None)
    assert claim_sentence(no_item).endswith("“Arvenia sent them to Kastoria”.")
    wrong_target = _event("Arvenia sent drones to Lusitania")
    assert "“Arvenia sent drones to Lusitania”" in claim_sentence(wrong_target)
    unknown = _event("Arvenia and Kastoria held talks", subtype=None)
    assert "“Arvenia and Kastoria held talks”" in claim_sentence(unknown)
    meeting = _event("Arvenia met Kastoria's envoy in Lisbon", subtype="meeting", item=None,
                     where=["Lisbon"])
    meeting["mentions"][0]["where"] = "Lisbon"
    assert claim_sentence(meeting).startswith("Arvenia met Kastoria in Lisbon, according to")


def test_a_claim_names_its_original_source_and_the_outlets_that_carry_it() -> None:
    ev = _event("the North had exported artillery shells to Russia", actor="the North",
                target="Russia", item="artillery shells",
                sources=[{"original": "South Korea", "via": ["spy agency", "South Korea"],
                          "reported_by": ["Yonhap", "AFP"]}],
                reporting_outlets=["Yonhap", "AFP"])
    assert attribution(ev) == "according to spy agency (South Korea), as reported by Yonhap " \
        "and AFP"
    own = _event("x", sources=[{"original": "AFP", "via": [], "reported_by": ["AFP"]}],
                 reporting_outlets=["AFP"])
    assert attribution(own) == "according to AFP"


def test_the_checker_finds_what_the_evidence_does_not_say() -> None:
    evidence = ["North Korea provided a million shells to Russia",
                "Pyongyang had sent more than 1,000 containers of munitions to Moscow"]
    assert unsupported("North Korea transferred 1,000,000 artillery shells to Russia",
                       evidence) == ["1,000,000"]
    assert unsupported("North Korea transferred a million shells to Russia", evidence) == []
    assert unsupported("Kim Jong-un met Vladimir Putin in Tokyo", evidence) == \
        ["Kim Jong-un", "Vladimir Putin", "Tokyo"]
    # a canonical name the extraction found inside the span ("Pyongyang" -> North Korea)
    assert unsupported("North Korea sent more than 1,000 containers", evidence[1:]) == \
        ["North Korea"]
    assert unsupported("North Korea sent more than 1,000 containers", evidence[1:],
                       ["North Korea", "Russia"]) == []
    assert unsupported("Russia and North Korea", evidence) == []
    assert unsupported("North Korea sent two ships", evidence) == ["two"]
    assert numbers_in("over 1 million shells, two ships and B-52 bombers") == ["1", "million", "two",
                                                                        "52"]


def test_the_fixture_brief_says_only_what_its_evidence_says(world: dict[str, Any]) -> None:
    with Store.open(world["db"], readonly=True) as store:
        assert brief_problems(store) == []
        assert brief_problems(store, world["stories"]["boats"]) == []


def test_default_story_bad_format_and_cli(world: dict[str, Any], tmp_path: Path) -> None:
    with Store.open(world["db"], readonly=True) as store:
        assert "patrol boat deal" in write_brief(store, None, "md").splitlines()[0]
        with pytest.raises(UnsupportedInput):
            write_brief(store, None, "pdf")  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            write_brief(store, 999, "md")
    out = tmp_path / "out" / "brief.html"
    text = brief_command(str(world["db"]), world["stories"]["rail"], "html", str(out))
    assert out.read_text() == text and "Kenya met Ethiopia in Addis Ababa" in text


def test_the_app_serves_the_brief_page_and_its_data(world: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    from storyline.serve import create_app

    client = TestClient(create_app(str(world["db"])))
    boats = world["stories"]["boats"]
    page = client.get(f"/stories/{boats}/brief")
    assert page.status_code == 200 and '<header class="top">' in page.text
    data = client.get(f"/api/stories/{boats}/brief?format=json").json()
    assert data["story"]["title"] == "Norway–Chile patrol boat deal"
    assert [s["key"] for s in data["sections"]][:5] == ["key", "corroborated", "single",
                                                         "disputed", "statements"]
    numbers = [n["n"] for n in data["sources"]]
    assert numbers == list(range(1, len(numbers) + 1))
    cited = {n for s in data["sections"] for ln in s["lines"] for n in ln["cites"]}
    assert cited == set(numbers)
    texts = {d: world["texts"][k] for k, d in world["docs"].items()}
    for n in data["sources"]:
        if n["start"] is not None:
            assert texts[n["doc_id"]][n["start"]:n["end"]] == n["evidence"]
    assert client.get("/api/stories/999/brief?format=json").status_code == 404
    assert client.get(f"/api/stories/{boats}/brief?format=pdf").status_code in (400, 422)


def test_an_analysts_verdict_shows_in_the_brief(world: dict[str, Any],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # the corrections' review verdict, as the merged events will carry it ("review")
    from storyline.serve import brief

    verdicts = {world["clusters"]["boats"]: "confirmed", world["clusters"]["missiles"]: "rejected"}
    events = brief.story_events

    def reviewed(store: Store, story_id: int | None) -> list[dict[str, Any]]:
        return [{**ev, "review": {"verdict": verdicts[ev["cluster_id"]], "note": "checked"}}
                if ev["cluster_id"] in verdicts else ev for ev in events(store, story_id)]

    monkeypatch.setattr(brief, "story_events", reviewed)
    with Store.open(world["db"], readonly=True) as store:
        md = write_brief(store, world["stories"]["boats"], "md")
    rejected = _section(md, "## Rejected by the analyst")
    assert "anti-ship missiles" in rejected
    assert "anti-ship missiles" not in _section(md, "## Key developments")
    assert "anti-ship missiles" not in _section(md, SECTIONS[3])
    assert "Norway transferred patrol boats to Chile (sources differ on the number), " \
        "according to" in _section(md, SECTIONS[1])
    assert "Confirmed by the analyst: checked." in _section(md, SECTIONS[1])
    assert "Rejected by the analyst: checked." in rejected
    assert "anti-ship missiles" not in md.split("## Rejected by the analyst")[0]


FRENCH = "La Norvège livrera 12 patrouilleurs au Chili, a déclaré Ingrid Halvorsen lundi."


def test_a_report_in_another_language_keeps_its_words_with_english_names(
        world: dict[str, Any]) -> None:
    from _fixtures_story import _add_cluster, at

    from storyline.records import (
        Analysis,
        DocMeta,
        Document,
        Entity,
        Event,
        Mention,
        Quote,
        document_id,
    )

    def entity(key: str, name: str, form: str) -> Entity:
        s, e = at(FRENCH, form)
        return Entity(key=key, name=name, type="GPE", mentions=[Mention(form, s, e)])

    doc = Document(id=document_id(FRENCH), source="fr.txt", text=FRENCH, raw_text=FRENCH,
                   meta=DocMeta(outlet="Le Courrier", published="2024-03-05", language="fr"))
    said = "La Norvège livrera 12 patrouilleurs au Chili"
    s, e = at(FRENCH, said)
    event = Event(id="e1", type="AID", subtype="arms_transfer", start=s, end=e, evidence=said,
                  actor="Norway", target="Chile", item="patrol boats", quantity=12.0,
                  status="planned", cue="livrera", source="Ingrid Halvorsen")
    quote = Quote(text=said, start=s, end=e, speaker="Ingrid Halvorsen", direct=False)
    boats = world["stories"]["boats"]
    with Store.open(world["db"]) as store:
        store.add_document(doc)
        store.save_analysis(doc.id, Analysis(
            entities=[entity("country:NOR", "Norway", "Norvège"),
                      entity("country:CHL", "Chile", "Chili")],
            events=[event], quotes=[quote]), model="hand-written")
        with store.write() as conn:
            conn.execute("INSERT INTO story_documents VALUES (?,?,?)", (doc.id, boats, 1.0))
        mention = {"doc_id": doc.id, "event_id": "e1", "outlet": "Le Courrier", "wire": None,
                   "published": "2024-03-05", "source": "Ingrid Halvorsen", "status": "planned",
                   "cue": "livrera", "evidence": said, "start": s, "end": e, "quantity": 12.0}
        _add_cluster(store, boats, {
            "type": "AID", "subtype": "arms_transfer", "actor": "Norway", "target": "Chile",
            "item": "patrol boats", "quantity": 12.0, "status": "planned", "when": None,
            "where": [], "title": "Norway → Chile: arms transfer", "mentions": [mention],
            "sources": [{"original": "Ingrid Halvorsen", "reported_by": ["Le Courrier"],
                         "doc_ids": [doc.id]}], "n_independent": 1, "n_documents": 1,
            "denials": [], "disagreements": [], "first_reported": "2024-03-05"},
            [(doc.id, "e1")])
        english = world["analyses"]["a"].events[0]
        _add_cluster(store, boats, {"speaker": "Ingrid Halvorsen", "text": english.evidence,
                                    "members": [
            {"doc_id": world["docs"]["a"], "quote_idx": 0, "text": english.evidence,
             "start": english.start, "end": english.end, "outlet": "Harbour Times"},
            {"doc_id": doc.id, "quote_idx": 0, "text": said, "start": s, "end": e,
             "outlet": "Le Courrier"}]}, [(doc.id, "q0")], kind="quote")
    with Store.open(world["db"], readonly=True) as store:
        md = write_brief(store, boats, "md")
        assert brief_problems(store, boats) == []
    single = _section(md, SECTIONS[2])
    # the French report is quoted in French, with its language and the English names
    assert "According to Ingrid Halvorsen, as reported by Le Courrier, in French (fr): " \
        f"“{said}” (English names: Norway, Chile)." in single
    statements = _section(md, SECTIONS[4])
    assert f"in French (fr): “{said}” (English names: Norway, Chile)" in statements
    assert re.search(rf"^\[\d+\] Le Courrier, 2024-03-05, doc {doc.id}, chars {s}–{e} \(fr\): "
                     rf"“{said}”$", md, re.MULTILINE)


def test_the_key_dates_follow_storyline_dates(world: dict[str, Any]) -> None:
    from storyline.link.salience import rank_dates

    boats = world["stories"]["boats"]
    with Store.open(world["db"], readonly=True) as store:
        md = write_brief(store, boats, "md")
        ranked = [d["date"] for d in rank_dates(store, boats, top=None)]
    bullets = [ln for ln in _section(md, "## Key dates").splitlines() if ln.startswith("- ")]
    dates = [b[2:12] for b in bullets]
    # the ranking of `storyline dates`, passing over only days with nothing to cite
    assert dates == [d for d in ranked if d in dates] and dates[:4] == ranked[:4]
    assert all(re.search(r"(\[\d+\])+$", b) for b in bullets)
    assert "1 published the day after" in bullets[2]
