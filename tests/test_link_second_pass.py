"""A batch is linked oldest first; a document left alone is linked once more at the end
against the stories the batch grew (link/__init__.update_links). Articles are ours."""

from __future__ import annotations

import pytest
from link_support import add_article

from storyline.link import HashEmbedder, update_links
from storyline.store import Store


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "t.db") as s:
        yield s


def test_an_article_alone_joins_the_story_that_grew_after_it(store):
    a = add_article(store, "Lee Min-ho of the National Intelligence Service said on Monday "
                    "that trains crossed into Russia.", published="2026-03-02",
                    entities=["LEE", "NIS", "RUS"])
    # shares nothing with the first: alone when it is linked
    b = add_article(store, "Ivan Volkov met officials in Minsk on Tuesday about Belarus and "
                    "its supplies.", published="2026-03-03", entities=["VOLKOV", "BLR"])
    # names both: joins the first, and the story now speaks of the second's names too
    c = add_article(store, "Lee Min-ho and the National Intelligence Service said Ivan Volkov "
                    "took the trains through Belarus and Minsk to Russia.",
                    published="2026-03-04", entities=["LEE", "NIS", "VOLKOV", "BLR", "RUS"])
    report = update_links(store, [a, b, c], embedder=HashEmbedder())
    stories = {r[0]: r[1] for r in store.conn.execute(
        "SELECT doc_id, story_id FROM story_documents")}
    assert stories[a] == stories[b] == stories[c]
    assert report.stories_created == [stories[a]]  # the story b started and left is gone
    assert report.stories_joined[b] == stories[a] and report.story_fit[b]["score"] >= 0.3
    assert store.conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


def test_an_article_that_fits_nothing_stays_alone(store):
    a = add_article(store, "Lee Min-ho of the National Intelligence Service said on Monday "
                    "that trains crossed into Russia.", published="2026-03-02",
                    entities=["LEE", "NIS", "RUS"])
    odd = add_article(store, "Brazil and Argentina's grain talks in Brasilia ended on Tuesday.",
                      published="2026-03-03", entities=["BRAZIL", "ARG"])
    update_links(store, [a, odd], embedder=HashEmbedder())
    rows = store.conn.execute("SELECT story_id, count(*) FROM story_documents "
                              "GROUP BY story_id").fetchall()
    assert sorted(r[1] for r in rows) == [1, 1]
