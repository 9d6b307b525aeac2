"""The web UI on a phone (390 px), its charts' axes, folded stories, and /docs with the network
off, in Debian's chromium (issue 13.5); the server and browser as in test_ui.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from _fixtures_story import build_store
from test_ui import browser  # noqa: F401  (the browser fixture)
from ui_support import ARTIFACTS, serving

from storyline.records import DocMeta, Document, document_id
from storyline.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from storyline.serve import create_app

    db = tmp_path_factory.mktemp("narrow") / "ui.db"
    ids = build_store(db)
    with Store.open(db) as store, store.write() as conn:  # a story in which no event was found
        conn.execute("INSERT INTO stories (title, first_date, last_date, created_at, updated_at, "
                     "profile_json) VALUES ('Harbour choir concert', NULL, NULL, '', '', '{}')")
    with Store.open(db) as store:  # more matches of "ferry" than a page of search results
        for i in range(25):
            text = f"The ferry timetable note number {i} was posted at the harbour office."
            store.add_document(Document(id=document_id(text), source=f"ferry{i}.txt", text=text,
                                        raw_text=text, meta=DocMeta(outlet="Harbour Times")))
    with serving(create_app(str(db))) as base:
        yield {"base": base, "db": db, **ids}


def _page(browser: Any, viewport: dict[str, int], offline: bool = False) -> Any:  # noqa: F811
    context = browser.new_context(viewport=viewport)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.problems = []
    pg.outside = []
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    if offline:  # the network is off: only this server answers
        def route(r: Any) -> None:
            if r.request.url.startswith("http://127.0.0.1:"):
                r.continue_()
            else:
                pg.outside.append(r.request.url)
                r.abort()
        pg.route("**/*", route)
    return pg


def _no_sideways_scroll(pg: Any) -> None:
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{pg.url}: the page is {width} px wide"


def test_phone_width_search_box_and_claims_fit(site: dict[str, Any], browser: Any) -> None:  # noqa: F811
    pg = _page(browser, PHONE)
    boats = site["stories"]["boats"]
    pg.goto(f"{site['base']}/stories/{boats}")
    pg.wait_for_selector("#claims tbody tr")
    _no_sideways_scroll(pg)
    box = pg.locator("#search-input").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["width"] >= 150
    button = pg.locator("#search-form button").bounding_box()
    assert button["x"] + button["width"] <= PHONE["width"]
    claims = pg.locator("#claims").bounding_box()
    assert claims["x"] >= 0 and claims["x"] + claims["width"] <= PHONE["width"]
    # each claim is a card: its cells stacked, each under its column's name
    first = pg.locator("#claims tbody tr").first
    assert first.locator("td").first.get_attribute("data-label") == "Claim"
    assert "denied by Fjordline Yards" in pg.locator("#claims").inner_text()
    pg.screenshot(path=str(ARTIFACTS / "phone-story.png"), full_page=True)
    for path in ("/", "/entities", "/search?q=patrol", f"/documents/{site['docs']['a']}",
                 "/entities/person:ingrid-halvorsen"):
        pg.goto(site["base"] + path)
        pg.wait_for_selector("main h1")
        pg.wait_for_load_state("networkidle")
        _no_sideways_scroll(pg)
    pg.screenshot(path=str(ARTIFACTS / "phone-entity.png"), full_page=True)
    assert pg.problems == []
    pg.context.close()


_TEXT_BOXES = """(sel) => [...document.querySelectorAll(sel)].map((svg) => {
  const vb = svg.viewBox.baseVal;
  return [...svg.querySelectorAll("text")].map((t) => {
    const b = t.getBBox();
    return {text: t.textContent, x0: b.x, x1: b.x + b.width, y0: b.y, y1: b.y + b.height,
            w: vb.width, h: vb.height};
  });
}).flat()"""


def test_chart_axes_tick_regularly_and_no_label_is_cut(site: dict[str, Any],
                                                       browser: Any) -> None:  # noqa: F811
    pg = _page(browser, {"width": 1280, "height": 1000})
    pg.goto(f"{site['base']}/stories/{site['stories']['boats']}")
    pg.wait_for_selector("svg#timeline .tick")
    ticks = pg.locator("svg#timeline .tick")
    days = ticks.evaluate_all("(gs) => gs.map((g) => [g.dataset.t, g.dataset.unit, "
                              "+g.dataset.step, g.textContent])")
    assert len(days) >= 3
    dates = [dt.date.fromisoformat(d[0]) for d in days]
    unit, step = days[0][1], days[0][2]
    if unit in ("day", "week"):
        gaps = {(b - a).days for a, b in pairwise(dates)}
        assert gaps == {step * (7 if unit == "week" else 1)}
        assert unit == "day" or all(d.weekday() == 0 for d in dates)
    else:
        months = [d.year * 12 + d.month for d in dates]
        assert all(d.day == 1 for d in dates)
        assert {b - a for a, b in pairwise(months)} == {step * (12 if unit == "year" else 1)}
    labels = [d[3] for d in days]
    assert len(set(labels)) == len(labels)
    for box in pg.evaluate(_TEXT_BOXES, "svg#timeline, svg#actor-graph"):
        assert box["x0"] >= 0 and box["x1"] <= box["w"], f"cut: {box}"
        assert box["y0"] >= 0 and box["y1"] <= box["h"], f"cut: {box}"
    assert pg.problems == []
    pg.context.close()


def test_stories_with_no_events_fold_and_unfold(site: dict[str, Any], browser: Any) -> None:  # noqa: F811
    pg = _page(browser, PHONE)
    pg.goto(site["base"] + "/")
    pg.wait_for_selector("#story-list")
    assert "Harbour choir concert" not in pg.locator("#story-list").inner_text()
    toggle = pg.locator("#show-empty-stories")
    assert toggle.inner_text() == "Show 1 story with no events"
    toggle.click()
    assert "Harbour choir concert" in pg.locator("#story-list").inner_text()
    toggle.click()
    assert "Harbour choir concert" not in pg.locator("#story-list").inner_text()
    assert pg.problems == []
    pg.context.close()


def test_search_results_page_with_show_more(site: dict[str, Any], browser: Any) -> None:  # noqa: F811
    pg = _page(browser, PHONE)
    pg.goto(site["base"] + "/")
    pg.wait_for_selector("#story-list")
    pg.fill("#search-input", "ferry timetable")
    pg.press("#search-input", "Enter")
    pg.wait_for_selector("#search-results li")
    assert pg.locator("#search-results li").count() == 20
    assert "Articles (25)" in pg.locator("main").inner_text()
    more = pg.locator("main button.more")
    assert more.inner_text() == "Show more (5 left)"
    more.click()
    from playwright.sync_api import expect

    expect(pg.locator("#search-results li")).to_have_count(25)
    assert pg.locator("main button.more").count() == 0  # the last page: no button
    _no_sideways_scroll(pg)
    assert pg.problems == []
    pg.context.close()


def test_docs_render_with_the_network_off(site: dict[str, Any], browser: Any) -> None:  # noqa: F811
    pg = _page(browser, {"width": 1280, "height": 1000}, offline=True)
    pg.goto(site["base"] + "/docs")
    pg.wait_for_selector(".swagger-ui .info .title")
    assert "Storyline" in pg.locator(".swagger-ui .info .title").inner_text()
    pg.wait_for_selector(".opblock-summary-path")
    paths = pg.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/documents" in paths and "/api/watches/{name}/feed.atom" in paths
    pg.screenshot(path=str(ARTIFACTS / "docs-offline.png"))
    assert pg.outside == [] and pg.problems == []
    pg.context.close()
