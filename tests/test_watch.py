"""Watchlists: claims matching entities, subtypes or keywords, new since the last check."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from _fixtures_story import add_late_report, build_store

from storyline.errors import InputError, NotFound
from storyline.serve.cli_commands import watch_check_command
from storyline.serve.watch import add_watch, check_watches, list_watches
from storyline.store import Store
from storyline.store.db import now


@pytest.fixture()
def world(store_url: str) -> dict[str, Any]:
    db = store_url  # each test runs on SQLite, and on PostgreSQL with a cluster
    return {"db": db, **build_store(db)}


def _ids(hits: list[dict[str, Any]]) -> set[int]:
    return {h["cluster_id"] for h in hits}


def test_entity_watch_reports_each_claim_once(world: dict[str, Any]) -> None:
    cl = world["clusters"]
    with Store.open(world["db"]) as store:
        add_watch(store, "shipyard", entities=["fjordline yards"])  # a name, any case
        first = check_watches(store, "shipyard")
        assert _ids(first) == {cl["deposit"], cl["missiles"], cl["visit"]}
        missiles = next(h for h in first if h["cluster_id"] == cl["missiles"])
        assert missiles["matched"] == ["entity: org:fjordline-yards"]
        assert missiles["claim"]["mentions"][0]["evidence"] == \
            "The boats were fitted with anti-ship missiles"
        assert check_watches(store, "shipyard") == []
        assert list_watches(store)[0]["last_checked"] is not None


def test_new_claims_appear_after_a_later_report(world: dict[str, Any]) -> None:
    cl = world["clusters"]
    with Store.open(world["db"]) as store:
        add_watch(store, "boats", subtypes=["arms_transfer"])
        add_watch(store, "shipyard", entities=["org:fjordline-yards"])
        assert _ids(check_watches(store, "boats")) == {cl["boats"]}
        check_watches(store, "shipyard")
    late = add_late_report(world["db"], world)
    with Store.open(world["db"]) as store:
        hits = check_watches(store)  # every watch
        assert [(h["watch"], h["cluster_id"]) for h in hits] == [("boats", late["cluster"])]
        assert hits[0]["claim"]["mentions"][0]["doc_id"] == late["doc"]
        assert check_watches(store) == []


def test_a_changed_claim_is_reported_again(world: dict[str, Any]) -> None:
    cl = world["clusters"]
    with Store.open(world["db"]) as store:
        add_watch(store, "shipyard", entities=["Fjordline Yards"])
        check_watches(store, "shipyard")
        row = store.conn.execute("SELECT json FROM clusters WHERE id=?",
                                 (cl["deposit"],)).fetchone()
        data = json.loads(row[0])
        data["denials"] = [{"by": "Chile", "by_key": "country:CHL", "doc_id": world["docs"]["b"],
                            "event_id": None, "evidence": "x", "start": 0, "end": 1}]
        with store.write() as conn:
            conn.execute("UPDATE clusters SET json=?, updated_at=? WHERE id=?",
                         (json.dumps(data), now(), cl["deposit"]))
        assert _ids(check_watches(store, "shipyard")) == {cl["deposit"]}


def test_keywords_peek_and_errors(world: dict[str, Any]) -> None:
    cl = world["clusters"]
    with Store.open(world["db"]) as store:
        add_watch(store, "arms", keywords=["MISSILES"])
        peek = check_watches(store, "arms", mark=False)
        assert _ids(peek) == {cl["missiles"]} and peek[0]["matched"] == ["keyword: MISSILES"]
        assert check_watches(store, "arms", mark=False) == peek  # peeking records nothing
        with pytest.raises(InputError):
            add_watch(store, "nothing")
        with pytest.raises(NotFound):
            check_watches(store, "no-such-watch")
    out = io.StringIO()
    hits = watch_check_command(str(world["db"]), "arms", out=out)
    assert len(hits) == 1 and "anti-ship missiles" in out.getvalue()
    assert f"#{cl['missiles']}" in out.getvalue()
    out = io.StringIO()
    assert watch_check_command(str(world["db"]), "arms", out=out) == []
    assert out.getvalue() == "nothing new\n"
