"""The story view marks the dates that matter on its timeline (the ranking of
`storyline dates`, served by /api/dates), in a real browser as tests/test_ui.py drives it."""

from __future__ import annotations

from typing import Any

import pytest
from test_ui import browser, page, site  # noqa: F401 - the browser and server fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_timeline_marks_the_top_dates_in_rank_order(site: dict[str, Any],  # noqa: F811
                                                        page: Any) -> None:  # noqa: F811
    story = site["stories"]["boats"]
    want = page.request.get(f"{site['base']}/api/dates?story={story}&top=5").json()
    assert want  # the story has dated coverage
    page.goto(f"{site['base']}/stories/{story}")
    page.wait_for_selector("svg#timeline .top-date")
    marks = page.locator("svg#timeline .top-date")
    assert [marks.nth(i).get_attribute("data-date") for i in range(marks.count())] == [
        d["date"] for d in want]
    assert marks.locator(".top-rank").all_text_contents() == [str(i + 1) for i in range(len(want))]
    line = page.locator("#top-dates").inner_text()
    assert line.startswith("The dates that matter") and want[0]["date"] in line
    assert page.problems == []
