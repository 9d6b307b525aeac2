"""Corrections in the web UI, in Debian's chromium (Playwright) against the real server:
editing a document's date, confirming and rejecting a claim in the claims table, merging
entities from the entity page, and the review page with its undo."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from _fixtures_story import build_store
from ui_support import ARTIFACTS, browser, serving  # noqa: F401  (the browser fixture)

from storyline import amend
from storyline.settings import Settings
from storyline.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from storyline.serve import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STORYLINE_EMBEDDER", "hash")
        db = tmp_path_factory.mktemp("ui-corr") / "ui.db"
        ids = build_store(db)
        with Store.open(db) as store:  # the linker's own stories and merged events
            amend.relink(store, Settings.load(db=str(db)))
        with serving(create_app(str(db))) as base:
            yield {"base": base, "db": db, **ids}


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:  # noqa: F811  (the imported fixture)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60000)  # a date correction analyses the document again
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.problems = problems
    yield pg
    context.close()


def _get(site: dict[str, Any], path: str) -> Any:
    with urllib.request.urlopen(site["base"] + path) as res:
        return json.loads(res.read())


def _story_of(site: dict[str, Any], doc_id: str) -> int:
    return int(_get(site, f"/api/documents/{doc_id}")["story_id"])


def test_editing_a_documents_date(site: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=30000)

    doc = site["docs"]["a"]
    page.goto(f"{site['base']}/documents/{doc}")
    page.wait_for_selector("#doc-text")
    page.locator("#doc-edit summary").click()
    page.fill("#doc-edit-form-published", "2024-03-11")
    page.fill("#doc-edit-form-reason", "the print edition's date")
    page.locator("#doc-edit-form button[type=submit]").click()
    expect(page.locator("main p.muted").first).to_contain_text("2024-03-11", timeout=120000)
    stored = _get(site, f"/api/documents/{doc}")["document"]
    assert stored["published"] == "2024-03-11" and stored["provenance"]["published"] == \
        "correction"
    made = [c for c in _get(site, "/api/corrections")["corrections"] if c["target"] == doc]
    assert made[-1]["new_value"] == "2024-03-11" and made[-1]["old_value"] == "2024-03-04"
    assert made[-1]["reason"] == "the print edition's date"
    page.screenshot(path=str(ARTIFACTS / "correct-document.png"), full_page=True)
    assert page.problems == []


def test_confirming_and_rejecting_a_claim(site: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=30000)

    b = site["docs"]["b"]
    story = _story_of(site, b)
    claim = next(c for c in _get(site, f"/api/claims?story={story}&limit=500")["claims"]
                 if "missiles" in c["claim"])
    page.goto(f"{site['base']}/stories/{story}")
    page.wait_for_selector("#claims tbody tr")
    cell = page.locator(f'#claims .claim-review[data-cluster="{claim["cluster_id"]}"]')
    cell.locator('button[data-verdict="confirmed"]').click()
    cell = page.locator(f'#claims .claim-review[data-cluster="{claim["cluster_id"]}"]')
    expect(cell.locator(".verdict-confirmed")).to_be_visible()
    row = next(c for c in _get(site, f"/api/claims?story={story}&limit=500")["claims"]
               if c["cluster_id"] == claim["cluster_id"])
    assert row["verdict"] == "confirmed" and row["n_independent"] == claim["n_independent"]
    cell.locator('button[data-verdict="rejected"]').click()
    cell = page.locator(f'#claims .claim-review[data-cluster="{claim["cluster_id"]}"]')
    expect(cell.locator(".verdict-rejected")).to_be_visible()
    row = next(c for c in _get(site, f"/api/claims?story={story}&limit=500")["claims"]
               if c["cluster_id"] == claim["cluster_id"])
    assert row["verdict"] == "rejected" and row["n_independent"] == 0
    # the event's detail says so too
    page.locator("#claims tbody tr", has=page.locator(
        f'.claim-review[data-cluster="{claim["cluster_id"]}"]')).locator("a").first.click()
    expect(page.locator("#event-detail .verdict")).to_contain_text("rejected")
    page.screenshot(path=str(ARTIFACTS / "claim-review.png"), full_page=True)
    assert page.problems == []


def test_merging_entities_from_the_entity_page(site: dict[str, Any], page: Any) -> None:
    page.goto(f"{site['base']}/entities/org:chilean-navy")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Chilean Navy"
    page.locator("#entity-merge summary").click()
    page.fill("#merge-form-into", "country:CHL")
    page.locator("#merge-form button[type=submit]").click()
    page.wait_for_url("**/entities/country*CHL")
    page.wait_for_selector("h1:text('Chile')")
    assert "Chilean Navy" in page.locator("main").inner_text()  # its mentions moved here
    with Store.open(site["db"], readonly=True) as store:
        assert store.conn.execute("SELECT count(*) FROM entity_mentions WHERE "
                                  "entity_key='org:chilean-navy'").fetchone()[0] == 0
    page.screenshot(path=str(ARTIFACTS / "entity-merge.png"), full_page=True)
    assert page.problems == []


def test_review_page_lists_the_queue_and_undoes_a_correction(site: dict[str, Any],
                                                             page: Any) -> None:
    with Store.open(site["db"]) as store:
        amend.correct(store, Settings.load(db=str(site["db"])), "document",
                      site["docs"]["d"], {"title": "A title to take back"}, author="ana")
    before = _get(site, "/api/corrections")["total"]
    page.goto(f"{site['base']}/review")
    page.wait_for_selector("#review-queue tbody tr")
    assert page.locator("#review-queue tbody tr").count() == min(
        _get(site, "/api/review?limit=200")["total"], 200)
    rows = page.locator("#corrections tbody tr")
    assert rows.count() == before
    row = page.locator("#corrections tbody tr", has_text="A title to take back")
    row.locator("button.undo").click()
    from playwright.sync_api import expect

    expect(page.locator("#corrections tbody tr")).to_have_count(before - 1, timeout=60000)
    assert _get(site, f"/api/documents/{site['docs']['d']}")["document"]["title"] == \
        "Envoy discusses rail link"
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
    assert page.problems == []


def test_correction_forms_and_review_page_fit_a_phone(  # noqa: F811
        site: dict[str, Any], browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for path, opener in [(f"/documents/{site['docs']['b']}", "#doc-edit summary"),
                             ("/entities/country:NOR", "#entity-merge summary"),
                             ("/review", None),
                             (f"/stories/{_story_of(site, site['docs']['b'])}", None)]:
            page.goto(site["base"] + path)
            page.wait_for_selector("h1")
            if opener:
                page.locator(opener).click()
            page.wait_for_timeout(200)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide at 390 px"
        page.screenshot(path=str(ARTIFACTS / "review-390.png"), full_page=True)
    finally:
        context.close()
