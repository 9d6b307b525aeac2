"""The story view marks the dates that matter on its timeline (the ranking of
`storyline dates`, served by /api/dates) and lists what happened beside the PLOVER events,
in a real browser as tests/test_ui.py drives it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from _fixtures_story import build_store
from test_ui import browser, page  # noqa: F401 - the browser fixtures
from ui_support import serving

from storyline.records import Event
from storyline.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The UI tests' store, with one happening stored in a document of a story."""
    db = tmp_path_factory.mktemp("happen-ui") / "ui.db"
    ids = build_store(db)
    doc_id = ids["docs"]["a"]
    with Store.open(db) as store:
        text = store.get_document(doc_id).text
        word = text.split()[1]
        start = text.index(word)
        analysis = store.get_analysis(doc_id)
        analysis.happenings = [Event(id="h1", type="HAPPEN", subtype="launch", start=start,
                                     end=start + len(word), evidence=word, trigger=word,
                                     when="2026-02-27")]
        store.save_analysis(doc_id, analysis)
        story = store.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                                   (doc_id,)).fetchone()[0]
    from storyline.serve import create_app

    with serving(create_app(str(db))) as base:
        yield {"base": base, "story": story, "doc": doc_id, "word": word, "start": start}


def test_the_timeline_marks_the_top_dates_and_lists_what_happened(
        site: dict[str, Any], page: Any) -> None:  # noqa: F811
    story = site["story"]
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
    item = page.locator("#happenings li")
    assert item.count() == 1
    assert "launch" in item.inner_text() and site["word"] in item.inner_text()
    href = item.locator("a").get_attribute("href")
    assert href == f"/documents/{site['doc']}#{site['start']}-{site['start'] + len(site['word'])}"
    assert page.problems == []
