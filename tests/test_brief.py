"""The analyst briefing: sections kept apart, every sentence cited to an exact span."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from _fixtures_story import build_store

from storyline.errors import NotFound, UnsupportedInput
from storyline.serve.brief import claim_sentence, write_brief
from storyline.serve.cli_commands import brief_command
from storyline.store import Store

SECTIONS = ["## Key developments", "## Corroborated by independent sources",
            "## Single-source claims", "## Denied or disputed", "## Key statements",
            "## Sources"]


@pytest.fixture()
def world(tmp_path: Path) -> dict[str, Any]:
    db = tmp_path / "brief.db"
    return {"db": db, **build_store(db)}


def _section(md: str, title: str) -> str:
    start = md.index(title)
    nxt = [md.index(s) for s in SECTIONS if md.index(s) > start]
    return md[start:min(nxt) if nxt else len(md)]


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
    assert "patrol boats to Chile" in corroborated and "deposit" not in corroborated
    assert "Chile appears to have traded deposit with Norway" in single
    assert "according to Fjordline Yards" in single
    assert "Chile is expected to visit Norway" in single
    assert "Chile could trade boats" in single
    assert "missiles" not in single and "missiles" not in corroborated  # denied: apart
    assert "Denied by Fjordline Yards" in disputed and "anti-ship missiles" in disputed
    assert re.search(r"quantity .*12 \(Ingrid Halvorsen, Harbour Times\) vs 10 "
                     r"\(Chilean Navy, Andes Daily\)", disputed)
    assert "Ingrid Halvorsen: “The first hulls will be handed over before the winter”" \
        in statements
    # every bullet cites, and every citation points at the exact words of a document
    bullets = [ln for ln in md.splitlines() if ln.startswith("- ") and ln != "- None."]
    assert bullets and all(re.search(r"(\[\d+\])+$", ln) for ln in bullets)
    notes = re.findall(r"^\[(\d+)\] ([^,]+), ([\d-]+), doc (d\w+), chars (\d+)–(\d+): “(.*)”$",
                       md, re.MULTILINE)
    cited = {int(n) for ln in bullets for n in re.findall(r"\[(\d+)\]", ln)}
    assert cited == {int(n[0]) for n in notes}
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
    assert parser.hrefs
    docs = set(world["docs"].values())
    for href in parser.hrefs:
        m = re.fullmatch(r"http://127\.0\.0\.1:8765/documents/(d\w+)#(\d+)-(\d+)", href)
        assert m and m[1] in docs
    for h in ("Corroborated by independent sources", "Single-source claims",
              "Denied or disputed", "Key statements"):
        assert f"<h2>{h}</h2>" in page


def test_sentences_follow_the_status() -> None:
    base = {"actor": "Arvenia", "target": "Kastoria", "item": "drones", "quantity": 30.0,
            "subtype": "arms_transfer", "original_sources": ["the defence ministry"],
            "reporting_outlets": ["Daily Post"], "disagreements": []}
    assert claim_sentence({**base, "status": "asserted"}) == \
        "Arvenia transferred 30 drones to Kastoria, according to the defence ministry."
    assert claim_sentence({**base, "status": "planned"}).startswith(
        "Arvenia is expected to transfer 30 drones to Kastoria")
    assert claim_sentence({**base, "status": "hedged"}).startswith(
        "Arvenia appears to have transferred 30 drones")
    assert "could transfer" in claim_sentence({**base, "status": "hypothetical"})
    assert claim_sentence({**base, "status": "denied"}).startswith("Reports that Arvenia")
    meeting = {**base, "subtype": "meeting", "item": None, "quantity": None, "where": ["Lisbon"],
               "original_sources": [], "status": "asserted"}
    assert claim_sentence(meeting) == "Arvenia met Kastoria in Lisbon, according to Daily Post."
    odd = {**meeting, "subtype": "border_incident", "actor": None}
    assert claim_sentence(odd).startswith("An unnamed party was involved in border incident "
                                          "with Kastoria")


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
