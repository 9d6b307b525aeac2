"""The web UI in a real browser: Debian's chromium driven by Playwright, against the real
server (uvicorn on a free loopback port) over a store filled by the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from _fixtures_story import HOSTILE, HOSTILE_IMG, build_store
from ui_support import ARTIFACTS, browser, serving  # noqa: F401  (the browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from storyline.serve import create_app

    db = tmp_path_factory.mktemp("ui") / "ui.db"
    ids = build_store(db)
    with serving(create_app(str(db))) as base:
        yield {"base": base, "db": str(db), **ids}


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.problems = problems
    yield pg
    context.close()


def test_story_page_draws_timeline_graph_and_claims(site: dict[str, Any], page: Any) -> None:
    page.goto(f"{site['base']}/stories/{site['stories']['boats']}")
    page.wait_for_selector("svg#timeline .tl-event")
    marks = page.locator("svg#timeline .tl-event")
    assert marks.count() == 5  # every merged event, the undated one in its own strip
    assert page.locator("svg#timeline .tl-event.hedged").count() == 1
    assert page.locator("svg#timeline .tl-event.planned").count() == 1
    assert page.locator("svg#timeline .tl-event .deny").count() == 1  # the denied claim
    counts = page.locator("svg#timeline .tl-event .count").all_text_contents()
    assert sorted(counts) == ["1", "1", "1", "1", "2"]
    assert page.locator("svg#actor-graph .node").count() == 2
    assert page.locator("svg#actor-graph .edge").count() == 2
    rows = page.locator("#claims tbody tr")
    assert rows.count() == 5
    assert "denied by Fjordline Yards" in page.locator("#claims").inner_text()
    # selecting an event mark shows its sources and mentions
    boats = site["clusters"]["boats"]
    page.locator(f'svg#timeline .tl-event[data-cluster="{boats}"]').click()
    detail = page.locator("#event-detail")
    assert "Harbour Times" in detail.inner_text() and "Andes Daily" in detail.inner_text()
    assert detail.locator("a").count() >= 2
    page.screenshot(path=str(ARTIFACTS / "story.png"), full_page=True)
    assert page.problems == []


def test_clicking_a_fact_shows_its_evidence(site: dict[str, Any], page: Any) -> None:
    doc = site["docs"]["a"]
    page.goto(f"{site['base']}/documents/{doc}")
    page.wait_for_selector("#doc-text .seg")
    # a piece of text covered by the event alone, so the click selects the event
    page.locator('#doc-text .seg[data-facts="e1"]').first.click()
    panel = page.locator("#evidence")
    assert panel.locator(".span-text").inner_text() == "Norway will deliver 12 patrol boats to Chile"
    text = panel.inner_text()
    assert "planned" in text and "Ingrid Halvorsen" in text
    # the other report of the same merged event, with a link to its exact span
    other = panel.locator(".other-mentions a")
    assert other.count() == 1
    assert other.get_attribute("href") == f"/documents/{site['docs']['b']}#0-50"
    assert page.url.endswith("#0-44")
    page.screenshot(path=str(ARTIFACTS / "document-evidence.png"), full_page=True)
    other.click()
    page.wait_for_url(f"**/documents/{site['docs']['b']}#0-50")
    from playwright.sync_api import expect

    # the panel is rebuilt for the new page: wait for its text (the old one may linger)
    expect(page.locator("#evidence .span-text")).to_have_text(
        "Norway has agreed to send 10 patrol boats to Chile")
    # a smaller fact inside: the entity
    page.locator('#doc-text .seg.hl-entity', has_text="Chilean Navy").first.click()
    assert page.locator("#evidence .span-text").inner_text() == "Chilean Navy"
    assert page.problems == []


def test_a_foreign_document_shows_english_names_beside_its_own(site: dict[str, Any],
                                                               page: Any) -> None:
    from storyline.records import (Analysis, DocMeta, Document, Entity, Mention,
                                   document_id)
    from storyline.store import Store

    text = "La Norvège livrera douze patrouilleurs au Chili, a annoncé la Norvège."
    doc = Document(id=document_id(text), source="fr.txt", text=text, raw_text=text,
                   meta=DocMeta(outlet="Journal du Port", published="2024-03-05",
                                title="Patrouilleurs", language="fr"))
    spans = [(i, i + len("Norvège")) for i in (text.index("Norvège"), text.rindex("Norvège"))]
    ana = Analysis(entities=[
        Entity(key="country:NOR", name="Norway", type="GPE", code="NOR",
               mentions=[Mention(text[s:e], s, e) for s, e in spans]),
        Entity(key="country:CHL", name="Chile", type="GPE", code="CHL",
               mentions=[Mention("Chili", text.index("Chili"), text.index("Chili") + 5)])])
    with Store.open(site["db"]) as store:
        store.add_document(doc)
        store.save_analysis(doc.id, ana, model="hand-written")
    page.goto(f"{site['base']}/documents/{doc.id}")
    page.wait_for_selector("#doc-text .gloss")
    # the original text is whole; each entity's English name follows its mention once
    assert [g.inner_text() for g in page.locator("#doc-text .gloss").all()] == \
        ["Norway", "Chile", "Norway"]
    assert page.locator("#doc-text .seg.hl-entity").first.inner_text() == "Norvège"
    glossless = page.evaluate("""() => { const t = document.querySelector('#doc-text');
        const c = t.cloneNode(true); c.querySelectorAll('.gloss').forEach((g) => g.remove());
        return c.textContent; }""")
    assert glossless == text
    # an English document gets no glosses
    page.goto(f"{site['base']}/documents/{site['docs']['a']}")
    page.wait_for_selector("#doc-text .seg")
    assert page.locator("#doc-text .gloss").count() == 0
    assert page.problems == []


def test_article_markup_renders_as_text(site: dict[str, Any], page: Any) -> None:
    page.goto(f"{site['base']}/documents/{site['docs']['c']}")
    page.wait_for_selector("#doc-text")
    body = page.locator("#doc-text").inner_text()
    assert HOSTILE in body and HOSTILE_IMG in body
    assert HOSTILE in page.locator("#doc-title").inner_text()
    assert page.locator("#doc-text img, #doc-text script, #doc-title script").count() == 0
    assert page.locator("img").count() == 0
    assert page.evaluate("document.title") != "pwned"
    page.screenshot(path=str(ARTIFACTS / "hostile-document.png"), full_page=True)
    assert page.problems == []


def test_entity_page_and_search(site: dict[str, Any], page: Any) -> None:
    page.goto(f"{site['base']}/")
    page.wait_for_selector("#story-list")
    page.fill("#search-input", "patrol")
    page.press("#search-input", "Enter")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li").count() == 2  # both articles about the boats
    page.goto(f"{site['base']}/entities/person:ingrid-halvorsen")
    page.wait_for_selector("h1")
    text = page.locator("main").inner_text()
    assert "Ingrid Halvorsen" in text and "Defence Minister" in text
    assert "The first hulls will be handed over before the winter" in text
    page.screenshot(path=str(ARTIFACTS / "entity.png"), full_page=True)
    assert page.problems == []
