"""Happenings in the dates ranking: the days that dated happenings point at, with their spans
as evidence (link/salience.py), and the same ranking from the HTTP API."""

from __future__ import annotations

from dataclasses import replace

import pytest
from link_support import add_article

from storyline.link import salience
from storyline.records import Event
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def happening(text: str, trigger: str, subtype: str | None, when: str, status: str = "asserted",
              hid: str = "h1") -> Event:
    start = text.index(trigger)
    return Event(id=hid, type="HAPPEN", subtype=subtype, start=start,
                 end=start + len(trigger), evidence=trigger, trigger=trigger, when=when,
                 status=status)


def with_happenings(store: Store, doc_id: str, *events: Event) -> None:
    analysis = store.get_analysis(doc_id)
    assert analysis is not None
    analysis.happenings = list(events)
    store.save_analysis(doc_id, analysis)


def coverage(store: Store) -> tuple[str, str, str]:
    """Two reports of a quake on 12 January (named by no time expression a day resolves to
    alone), and one report that names 15 January twice."""
    t1 = "The quake flattened the capital. Rescuers dug through the night."
    t2 = "Aid arrived after the quake destroyed the port."
    t3 = "Donors met on January 15 and again said on January 15 that they would give more."
    a = add_article(store, t1, outlet="Island Post", published="2010-01-20")
    b = add_article(store, t2, outlet="Harbor News", published="2010-01-21")
    c = add_article(store, t3, outlet="Capital Review", published="2010-01-22",
                    times=[{"text": "January 15", "value": "2010-01-15"}])
    with_happenings(store, a, happening(t1, "quake", "disaster", "2010-01-12"),
                    happening(t1, "dug", None, "2010-01-08", hid="h2"))
    with_happenings(store, b, happening(t2, "quake", "disaster", "2010-01-12"),
                    happening(t2, "arrived", "rescue", "2010-01-05", status="denied", hid="h2"))
    return a, b, c


def test_the_day_dated_happenings_point_at_gains_by_the_knob(store) -> None:
    a, b, _ = coverage(store)
    off = salience.rank_dates(store, top=None, weights=replace(salience.WEIGHTS, happenings=0))
    on = salience.rank_dates(store, top=None, weights=replace(salience.WEIGHTS, happenings=1))
    assert "2010-01-12" not in [d["date"] for d in off]  # nothing else points at the day
    first = on[0]
    assert first["date"] == "2010-01-12"
    assert first["happening_documents"] == 2 and first["n_documents"] == 2
    spans = first["evidence"]["happenings"]
    assert {s["doc_id"] for s in spans} == {a, b}
    for s in spans:
        text = store.get_document(s["doc_id"]).text
        assert text[s["start"]:s["end"]] == s["trigger"] == "quake"
        assert s["subtype"] == "disaster"
    # a denied happening dates nothing, nor does one without a type
    assert "2010-01-05" not in [d["date"] for d in on]
    assert "2010-01-08" not in [d["date"] for d in on]



def test_the_api_serves_the_same_ranking(tmp_path) -> None:
    from _fixtures_story import build_store
    from fastapi.testclient import TestClient

    from storyline.serve import create_app

    db = tmp_path / "api.db"
    ids = build_store(db)
    client = TestClient(create_app(str(db)))
    story = ids["stories"]["boats"]
    resp = client.get(f"/api/dates?story={story}&top=3")
    assert resp.status_code == 200, resp.text
    with Store.open(db, readonly=True) as s:
        assert resp.json() == salience.rank_dates(s, story, top=3)
        every = salience.rank_dates(s, None, top=None)
    assert 0 < len(resp.json()) <= 3
    assert client.get("/api/dates?top=0").json() == every  # the whole store, every day
    missing = client.get("/api/dates?story=9999")
    assert missing.status_code == 404 and "9999" in missing.json()["error"]["message"]
    assert client.get("/api/dates?top=-1").status_code == 422


def test_the_story_timeline_lists_what_happened_by_time(store, db_path) -> None:
    import json

    from typer.testing import CliRunner

    from storyline.cli import app
    from storyline.link import HashEmbedder, update_links

    a, b, c = coverage(store)
    rows = salience.story_happenings(store)
    assert [(r["when"], r["subtype"], r["n_documents"]) for r in rows] == [
        ("2010-01-12", "disaster", 2)]  # the untyped and the denied one are left out
    assert {m["doc_id"] for m in rows[0]["mentions"]} == {a, b}
    update_links(store, [a, b, c], embedder=HashEmbedder())
    story = store.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                               (a,)).fetchone()[0]
    assert salience.story_happenings(store, story)[0]["subtype"] == "disaster"
    out = CliRunner().invoke(app, ["timeline", str(story), "--db", str(db_path), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["happenings"] == salience.story_happenings(store, story)
    text = CliRunner().invoke(app, ["timeline", str(story), "--db", str(db_path)]).output
    assert "What happened" in text and "disaster" in text and "quake" in text


def test_the_api_serves_a_storys_happenings(tmp_path) -> None:
    from _fixtures_story import build_store
    from fastapi.testclient import TestClient

    from storyline.serve import create_app

    db = tmp_path / "api.db"
    ids = build_store(db)
    client = TestClient(create_app(str(db)))
    story = ids["stories"]["boats"]
    assert client.get(f"/api/stories/{story}/happenings").json() == []  # none stored
    assert client.get("/api/stories/9999/happenings").status_code == 404
