"""The briefing inside the web app, in a real browser (Debian's chromium through Playwright,
the server and store of tests/test_ui.py): styled in the app's layout, every citation
reaching its source, usable at 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from test_ui import ARTIFACTS, browser, page, site  # noqa: F401  (the shared fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_brief_opens_inside_the_app(site: dict[str, Any], page: Any) -> None:  # noqa: F811
    boats = site["stories"]["boats"]
    page.goto(f"{site['base']}/stories/{boats}")
    page.wait_for_selector("svg#timeline .tl-event")
    page.get_by_role("link", name="briefing", exact=True).click()
    page.wait_for_url(f"**/stories/{boats}/brief")
    page.wait_for_selector("#brief h1")
    # the app's own page: its header, navigation and stylesheet around the brief
    assert page.locator("header.top nav a").count() >= 2
    assert page.locator("#brief h1").inner_text() == "Briefing: Norway–Chile patrol boat deal"
    assert page.evaluate("getComputedStyle(document.querySelector('#brief')).maxWidth") != "none"
    titles = page.locator("#brief h2").all_text_contents()
    assert titles[:5] == ["Key developments", "Corroborated by independent sources",
                          "Single-source claims", "Denied or disputed", "Key statements"]
    assert titles[-1] == "Sources"
    single = page.locator('section[data-section="single"]').inner_text()
    assert "“Chile appears to have paid a deposit of 40 million dollars”" in single
    # a citation picks out its source, whose link opens the exact words in the document
    first = page.locator("#brief sup a.cite").first
    number = first.inner_text().strip("[]")
    first.click()
    source = page.locator(f"#source-{number}")
    assert "active" in (source.get_attribute("class") or "")
    href = source.locator("a").first.get_attribute("href")
    assert href.startswith("/documents/d") and "#" in href
    # the standalone exports are still there
    exports = page.locator("#brief p.muted a")
    assert [exports.nth(i).get_attribute("href") for i in range(exports.count())] == [
        f"/api/stories/{boats}/brief?format=md", f"/api/stories/{boats}/brief?format=html"]
    assert "pwned" not in page.title()
    page.screenshot(path=str(ARTIFACTS / "brief.png"), full_page=True)
    source.locator("a").first.click()
    page.wait_for_url("**/documents/d*")
    page.wait_for_selector("#doc-text .seg")
    assert page.problems == []


def test_the_brief_fits_a_phone(site: dict[str, Any], browser: Any) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(f"{site['base']}/stories/{site['stories']['boats']}/brief")
    pg.wait_for_selector("#brief .sources li")
    # every line of the brief wraps inside the screen: nothing scrolls sideways
    wide = pg.evaluate("""() => [...document.querySelectorAll('#brief, #brief *')]
        .filter((e) => e.getBoundingClientRect().right > 390.5).map((e) => e.tagName)""")
    assert wide == []
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.screenshot(path=str(ARTIFACTS / "brief-390.png"), full_page=True)
    context.close()
