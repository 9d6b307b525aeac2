"""The analyst's corrections as records: kept, applied again after every re-analysis and
re-linking, reported when their target is gone, undone by deleting them; over the
hand-written store of tests/_fixtures_story.py (no parser: the hash embedder links it)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from _fixtures_story import _analyses, build_store
from fastapi.testclient import TestClient

from storyline import amend
from storyline.errors import InputError, NotFound
from storyline.link import queries as lq
from storyline.serve import create_app
from storyline.serve.brief import write_brief
from storyline.serve.export import export_csv, export_jsonl
from storyline.serve.review import review_queue
from storyline.settings import Settings
from storyline.store import Store
from storyline.store import corrections as sc


@pytest.fixture()
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("STORYLINE_EMBEDDER", "hash")
    db = tmp_path / "c.db"
    ids = build_store(db)
    store = Store.open(db)
    settings = Settings.load(db=str(db))
    amend.relink(store, settings)  # the linker's own stories and merged events
    yield {"db": db, "store": store, "settings": settings, **ids}
    store.close()


def _cluster_of(store: Store, doc_id: str, event_id: str) -> int:
    row = store.conn.execute(
        "SELECT cm.cluster_id FROM cluster_members cm JOIN clusters c ON c.id = cm.cluster_id "
        "WHERE cm.doc_id=? AND cm.member=? AND c.kind='event'", (doc_id, event_id)).fetchone()
    assert row is not None, (doc_id, event_id)
    return int(row[0])


def _data(store: Store, cluster_id: int) -> dict[str, Any]:
    return json.loads(store.conn.execute("SELECT json FROM clusters WHERE id=?",
                                         (cluster_id,)).fetchone()[0])


def _story_items(store: Store) -> list[dict[str, Any]]:
    return [e for s in lq.list_stories(store) for e in lq.timeline(store, s["id"])]


def test_schema_v5_has_the_corrections_table(world: dict[str, Any]) -> None:
    store = world["store"]
    assert store.schema_version() >= 5  # the corrections table came with v5
    cols = {r[1] for r in store.conn.execute("PRAGMA table_info(corrections)")}
    assert {"id", "kind", "target", "field", "old_value", "new_value", "reason", "author",
            "created_at", "doc_id"} <= cols


def test_fingerprints_survive_reanalysis_and_tell_events_apart() -> None:
    doc, ana = _analyses()["a"]
    fps = sc.event_fingerprints(doc.id, ana.events)
    again = sc.event_fingerprints(doc.id, _analyses()["a"][1].events)
    assert fps == again and len(set(fps)) == 2
    assert fps[0] == f"{doc.id}/{ana.events[0].start}-{ana.events[0].end}/deliver"
    # a second event on the same span and trigger gets its own
    twin = ana.events[0].__class__(**{**ana.events[0].as_dict(), "id": "e9"})
    assert sc.event_fingerprints(doc.id, [ana.events[0], twin])[1].endswith("#1")
    # what a correction changes is not in it
    changed = ana.events[0].__class__(**{**ana.events[0].as_dict(), "type": "SANCTION",
                                         "actor": "Chile", "status": "hedged"})
    assert sc.event_fingerprints(doc.id, [changed])[0] == fps[0]


def test_event_correction_is_applied_to_what_the_extractor_gives_again(
        world: dict[str, Any]) -> None:
    store, a = world["store"], world["docs"]["a"]
    rows = amend.correct(store, world["settings"], "event", f"{a}:e1",
                         {"actor": "country:CHL", "status": "asserted", "quantity": "14"},
                         reason="the ministry's own release", author="ana")
    assert [r["field"] for r in rows] == ["actor", "status", "quantity"]
    assert rows[0]["old_value"] == {"key": "country:NOR", "name": "Norway"}
    assert all(r["author"] == "ana" and r["state"] == "applied" for r in rows)
    ev = store.conn.execute("SELECT actor_key, status, quantity FROM events WHERE doc_id=? "
                            "AND event_id='e1'", (a,)).fetchone()
    assert tuple(ev) == ("country:CHL", "asserted", 14.0)
    # the extractor's output, as a re-analysis gives it, comes out corrected
    fresh = _analyses()["a"][1]
    out = sc.Applier(store).analysis(a, fresh)
    assert (out.events[0].actor_key, out.events[0].status, out.events[0].quantity) == \
        ("country:CHL", "asserted", 14.0)
    assert out.events[1].actor_key == "country:CHL"  # e2 was Chile's already: untouched
    # the merged event follows
    cid = _cluster_of(store, a, "e1")
    assert any(m["quantity"] == 14.0 and m["actor_key"] == "country:CHL"
               for m in _data(store, cid)["mentions"])


def test_rejected_claim_no_longer_counts_and_everything_shows_it(
        world: dict[str, Any]) -> None:
    store, settings, b = world["store"], world["settings"], world["docs"]["b"]
    cid = _cluster_of(store, b, "e2")  # the missiles: one source, denied
    before = _data(store, cid)
    assert before["n_independent"] == 1
    rows = amend.correct(store, settings, "claim", str(cid),
                         {"verdict": {"verdict": "rejected", "note": "no missiles aboard"}},
                         author="ana")
    assert rows[0]["target"].startswith(f"{b}/")
    data = _data(store, cid)
    assert data["review"]["verdict"] == "rejected" and data["n_independent"] == 0
    assert data["review"]["note"] == "no missiles aboard"
    story = lq.story_for_document(store, b)
    claim = next(c for c in lq.claims(store, story) if c["cluster_id"] == cid)
    assert claim["review"]["verdict"] == "rejected" and claim["n_independent"] == 0
    brief = write_brief(store, story, "md")
    rejected = brief.split("## Rejected by the analyst")[1].split("##")[0]
    assert "anti-ship missiles" in rejected and "Rejected by the analyst (ana)" in rejected
    assert "anti-ship missiles" not in brief.split("## Rejected by the analyst")[0]
    buf = io.StringIO()
    export_csv(store, buf, story)
    assert any(line.endswith(",rejected") for line in buf.getvalue().splitlines())
    # re-linking the whole store rebuilds every merged event: the verdict comes back
    report = amend.relink(store, settings)
    assert rows[0]["id"] in report["applied"] and not report["orphaned"]
    cid2 = _cluster_of(store, b, "e2")
    assert _data(store, cid2)["review"]["verdict"] == "rejected"
    assert _data(store, cid2)["n_independent"] == 0
    # a later verdict replaces it; "open" takes it back
    amend.correct(store, settings, "claim", f"{b}:e2", {"verdict": "open"})
    assert "review" not in _data(store, cid2) and _data(store, cid2)["n_independent"] == 1
    assert [c["state"] for c in sc.list_corrections(store)] == ["replaced", "applied"]


def test_confirmed_claim_shows_in_the_timeline(world: dict[str, Any]) -> None:
    store, a = world["store"], world["docs"]["a"]
    cid = _cluster_of(store, a, "e1")
    amend.correct(store, world["settings"], "claim", str(cid), {"verdict": "confirmed"},
                  author="ana")
    item = next(e for e in _story_items(store) if e["cluster_id"] == cid)
    assert item["review"]["verdict"] == "confirmed"
    assert "Confirmed by the analyst (ana)" in write_brief(
        store, lq.story_for_document(store, a), "md")


def test_entity_merge_moves_every_mention_and_role_and_survives_relink(
        world: dict[str, Any]) -> None:
    store, settings, b = world["store"], world["settings"], world["docs"]["b"]
    n_navy = store.conn.execute("SELECT count(*) FROM entity_mentions WHERE "
                                "entity_key='org:chilean-navy'").fetchone()[0]
    assert n_navy >= 1
    amend.correct(store, settings, "entity", "Chilean Navy", {"merge": "country:CHL"},
                  reason="the navy speaks for the state here")
    for _ in range(2):  # as made, then after re-linking the whole store
        assert store.conn.execute("SELECT count(*) FROM entity_mentions WHERE "
                                  "entity_key='org:chilean-navy'").fetchone()[0] == 0
        assert store.conn.execute("SELECT count(*) FROM events WHERE source_key="
                                  "'org:chilean-navy'").fetchone()[0] == 0
        src = store.conn.execute("SELECT source, source_key FROM events WHERE doc_id=? AND "
                                 "event_id='e1'", (b,)).fetchone()
        assert tuple(src) == ("Chile", "country:CHL")
        analysis = store.get_analysis(b)
        chile = next(e for e in analysis.entities if e.key == "country:CHL")
        assert "Chilean Navy" in {m.text for m in chile.mentions}
        assert "Chilean Navy" in chile.aliases
        amend.relink(store, settings)


def test_alias_and_split(world: dict[str, Any]) -> None:
    store, settings, a = world["store"], world["settings"], world["docs"]["a"]
    amend.correct(store, settings, "entity", "org:fjordline-yards",
                  {"split": {"surface": "Fjordline Yards", "name": "Fjordline Yards ASA",
                             "key": "org:fjordline-asa"}})
    keys = {r[0] for r in store.conn.execute("SELECT DISTINCT entity_key FROM entity_mentions")}
    assert "org:fjordline-asa" in keys and "org:fjordline-yards" not in keys
    amend.correct(store, settings, "entity", "person:ingrid-halvorsen", {"alias": "Bergen"})
    assert store.conn.execute("SELECT count(*) FROM entity_mentions WHERE "
                              "entity_key='place:bergen'").fetchone()[0] == 0
    ent = next(e for e in store.get_analysis(a).entities if e.key == "person:ingrid-halvorsen")
    assert "Bergen" in ent.aliases and "Bergen" in {m.text for m in ent.mentions}


def test_same_event_and_contradiction_links(world: dict[str, Any]) -> None:
    store, settings = world["store"], world["settings"]
    a, c = world["docs"]["a"], world["docs"]["c"]
    b = world["docs"]["b"]
    assert _cluster_of(store, a, "e2") != _cluster_of(store, c, "e3")
    amend.correct(store, settings, "link", f"{a}:e2",
                  {"same_event": {"op": "add", "with": f"{c}:e3"}})
    assert _cluster_of(store, a, "e2") == _cluster_of(store, c, "e3")
    amend.relink(store, settings)
    assert _cluster_of(store, a, "e2") == _cluster_of(store, c, "e3")
    amend.correct(store, settings, "link", f"{a}:e2",
                  {"same_event": {"op": "remove", "with": f"{c}:e3"}})
    assert _cluster_of(store, a, "e2") != _cluster_of(store, c, "e3")
    # the shipyard's denial of the missiles (the linker did not tie them): tied by hand,
    # kept through a re-link, then taken off again
    def denied() -> bool:
        return any(d.get("event_id") == "e1" and d["doc_id"] == c
                   for d in _data(store, _cluster_of(store, b, "e2"))["denials"])

    assert not denied()
    amend.correct(store, settings, "link", f"{b}:e2",
                  {"contradiction": {"op": "add", "with": f"{c}:e1"}})
    assert denied()
    amend.relink(store, settings)
    assert denied()
    amend.correct(store, settings, "link", f"{b}:e2",
                  {"contradiction": {"op": "remove", "with": f"{c}:e1"}})
    assert not denied()
    with pytest.raises(InputError, match="not a denial"):
        amend.correct(store, settings, "link", f"{b}:e2",
                      {"contradiction": {"op": "add", "with": f"{a}:e1"}})


def test_a_correction_whose_target_is_gone_is_reported(world: dict[str, Any]) -> None:
    store, settings, a = world["store"], world["settings"], world["docs"]["a"]
    rows = amend.correct(store, settings, "claim", f"{a}:e2", {"verdict": "rejected"})
    event = amend.correct(store, settings, "event", f"{a}:e2", {"quantity": 5})
    analysis = store.get_analysis(a)
    analysis.events = [e for e in analysis.events if e.id != "e2"]  # a new extractor
    store.save_analysis(a, analysis, "other-model")
    # what the pipeline reports after analysing that document again
    from storyline.link.corrections import apply_link_corrections

    after = apply_link_corrections(store, None, [a])
    assert set(after.orphaned) == {rows[0]["id"], event[0]["id"]}
    report = amend.relink(store, settings)
    assert rows[0]["id"] in report["orphaned"]
    listed = {c["id"]: c for c in sc.list_corrections(store)}
    assert listed[rows[0]["id"]]["state"] == "orphaned"
    assert "no longer finds the event" in listed[rows[0]["id"]]["state_reason"]


def test_bad_corrections_are_refused_and_store_nothing(world: dict[str, Any]) -> None:
    store, settings, a = world["store"], world["settings"], world["docs"]["a"]
    cases = [("document", a, {"published": "2024-13-45"}, InputError),
             ("document", a, {"colour": "red"}, InputError),
             ("document", "nope", {"title": "x"}, NotFound),
             ("event", f"{a}:e7", {"status": "asserted"}, NotFound),
             ("event", f"{a}:e1", {"status": "maybe"}, InputError),
             ("entity", "country:NOR", {"merge": "country:XXX"}, NotFound),
             ("entity", "country:NOR", {"merge": "country:NOR"}, InputError),
             ("claim", "999999", {"verdict": "rejected"}, NotFound),
             ("claim", f"{a}:e1", {"verdict": "maybe"}, InputError),
             ("nonsense", a, {"x": 1}, InputError)]
    for kind, target, changes, error in cases:
        with pytest.raises(error):
            amend.correct(store, settings, kind, target, changes)
    assert sc.all_corrections(store) == []


def test_undo_returns_to_what_the_extractor_says(world: dict[str, Any]) -> None:
    store, settings, a = world["store"], world["settings"], world["docs"]["a"]
    rows = amend.correct(store, settings, "document", a, {"title": "Corrected title"})
    second = amend.correct(store, settings, "document", a, {"title": "Second title"})
    assert second[0]["old_value"] == "Norway to deliver patrol boats to Chile"
    assert store.get_document(a).meta.title == "Second title"
    assert store.get_document(a).meta.provenance["title"] == "correction"
    assert store.search("Second")[0]["id"] == a  # the full-text index follows
    amend.undo(store, settings, second[0]["id"])
    assert store.get_document(a).meta.title == "Corrected title"
    amend.undo(store, settings, rows[0]["id"])
    assert store.get_document(a).meta.title == "Norway to deliver patrol boats to Chile"
    cid = _cluster_of(store, a, "e1")
    verdict = amend.correct(store, settings, "claim", str(cid), {"verdict": "rejected"})
    amend.undo(store, settings, verdict[0]["id"])
    assert "review" not in _data(store, _cluster_of(store, a, "e1"))
    assert sc.all_corrections(store) == []
    with pytest.raises(NotFound):
        amend.undo(store, settings, verdict[0]["id"])


def test_corrections_travel_in_the_jsonl_export(world: dict[str, Any], tmp_path: Path) -> None:
    store, settings = world["store"], world["settings"]
    a, b = world["docs"]["a"], world["docs"]["b"]
    other = tmp_path / "other.db"
    shutil.copy(world["db"], other)  # another store with the same articles
    amend.correct(store, settings, "claim", f"{b}:e2", {"verdict": "rejected"}, author="ana")
    amend.correct(store, settings, "document", a, {"title": "Renamed"}, author="ana")
    amend.correct(store, settings, "entity", "org:chilean-navy", {"merge": "country:CHL"})
    buf = io.StringIO()
    n = export_jsonl(store, buf)
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    exported = [x["correction"] for x in lines if "correction" in x]
    assert n == len(lines) and len(exported) == 3
    with Store.open(other) as st2:
        # plus one whose document is not in that store
        foreign = {**exported[1], "id": "f" * 32, "target": "d0000000000000000",
                   "doc_id": "d0000000000000000"}
        # and two that are not corrections: refused by number, the good ones kept
        junk = [{"correction": {**exported[0], "id": "e" * 32, "new_value": "maybe"}},
                {"correction": {"kind": "entity"}}]
        report = amend.import_corrections(st2, settings, [{"correction": c}
                                                          for c in exported + [foreign]] + junk)
        assert report["added"] == 4 and list(report["orphaned"]) == ["f" * 32]
        assert report["refused"] == ["record 5: claim.verdict: the value is not a dict",
                                     "record 6: no id"]
        again = amend.import_corrections(st2, settings, [{"correction": c} for c in exported])
        assert again == {"added": 0, "known": 3, "refused": [], "orphaned": {},
                         "link_orphaned": {}}
        assert st2.get_document(a).meta.title == "Renamed"
        cid = _cluster_of(st2, b, "e2")
        assert _data(st2, cid)["review"]["verdict"] == "rejected"
        assert st2.conn.execute("SELECT count(*) FROM entity_mentions WHERE "
                                "entity_key='org:chilean-navy'").fetchone()[0] == 0


def test_review_queue_ranks_what_needs_an_eye(world: dict[str, Any]) -> None:
    store, settings, b = world["store"], world["settings"], world["docs"]["b"]
    queue = review_queue(store, limit=500)
    items = queue["items"]
    assert queue["total"] == len(items) and [i["rank"] for i in items] == \
        list(range(1, len(items) + 1))
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    kinds = {i["kind"] for i in items}
    assert {"contradiction", "single_source"} <= kinds
    top = items[0]
    assert top["kind"] == "contradiction" and "Fjordline Yards" in top["why"]
    assert top["cluster_id"] == _cluster_of(store, b, "e2")
    # a reviewed claim leaves the queue
    amend.correct(store, settings, "claim", str(top["cluster_id"]), {"verdict": "confirmed"})
    after = review_queue(store, limit=500)
    assert top["cluster_id"] not in {i["cluster_id"] for i in after["items"]}
    only = review_queue(store, kinds=("single_source",))
    assert {i["kind"] for i in only["items"]} == {"single_source"}


def test_review_queue_lists_undated_documents_and_unattributed_quotes(
        tmp_path: Path) -> None:
    from storyline.records import Analysis, DocMeta, Document, Quote, document_id

    text = '"We will not stop," a voice said at the quay.'
    with Store.open(tmp_path / "q.db") as store:
        doc = Document(id=document_id(text), source="x.txt", text=text, meta=DocMeta())
        store.add_document(doc)
        store.save_analysis(doc.id, Analysis(quotes=[Quote("We will not stop", 1, 17)]))
        queue = review_queue(store)
    kinds = [i["kind"] for i in queue["items"]]
    assert kinds == ["undated", "unattributed_quote"]
    assert queue["items"][1]["quote"] == f"{doc.id}:q0"


def test_api_routes_need_the_token_and_do_the_work(world: dict[str, Any]) -> None:
    store, a, b = world["store"], world["docs"]["a"], world["docs"]["b"]
    cid = _cluster_of(store, b, "e2")
    store.close()
    client = TestClient(create_app(str(world["db"]), token="s3cret"))
    auth = {"Authorization": "Bearer s3cret"}
    refused = client.post(f"/api/claims/{cid}/review", json={"verdict": "rejected"})
    assert refused.status_code == 401
    assert client.post("/api/entities/merge", json={"source": "org:chilean-navy",
                                                    "into": "country:CHL"}).status_code == 401
    r = client.post(f"/api/claims/{cid}/review", json={"verdict": "rejected", "note": "no"},
                    headers=auth)
    assert r.status_code == 200, r.text
    made = r.json()["corrections"][0]
    assert made["author"].startswith("token:") and made["new_value"]["verdict"] == "rejected"
    with Store.open(world["db"], readonly=True) as reader:
        story = lq.story_for_document(reader, b)
    claims = client.get(f"/api/claims?story={story}&limit=500").json()["claims"]
    assert next(c for c in claims if c["cluster_id"] == cid)["verdict"] == "rejected"
    r = client.patch(f"/api/documents/{a}", json={"title": "New title", "author": "ana",
                                                  "reason": "typo"}, headers=auth)
    assert r.status_code == 200 and r.json()["corrections"][0]["author"] == "ana"
    assert client.get(f"/api/documents/{a}").json()["document"]["title"] == "New title"
    bad = client.patch(f"/api/documents/{a}", json={"published": "yesterday"}, headers=auth)
    assert bad.status_code == 400 and "published" in bad.json()["error"]["message"]
    r = client.post("/api/entities/merge", json={"source": "org:chilean-navy",
                                                 "into": "country:CHL"}, headers=auth)
    assert r.status_code == 200
    r = client.patch(f"/api/events/{a}:e1", json={"status": "hedged"}, headers=auth)
    assert r.status_code == 200 and r.json()["corrections"][0]["old_value"] == "planned"
    listing = client.get("/api/corrections").json()
    assert listing["total"] == 4 and listing["orphaned"] == 0
    assert {c["kind"] for c in listing["corrections"]} == {"claim", "document", "entity",
                                                           "event"}
    queue = client.get("/api/review?limit=5").json()
    assert queue["total"] >= len(queue["items"]) and len(queue["items"]) <= 5
    first = listing["corrections"][0]["id"]
    assert client.delete(f"/api/corrections/{first}").status_code == 401
    assert client.delete(f"/api/corrections/{first}", headers=auth).status_code == 200
    assert client.delete(f"/api/corrections/{first}", headers=auth).status_code == 404
    assert client.get("/api/corrections").json()["total"] == 3


def test_cli_commands(world: dict[str, Any], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    world["store"].close()
    db, a, b = str(world["db"]), world["docs"]["a"], world["docs"]["b"]

    def run(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(app, list(args))
        assert result.exit_code == code, result.output
        return result.output

    out = run("correct", "claim", f"{b}:e2", "rejected", "--note", "no", "--author", "ana",
              "--db", db)
    assert "verdict" in out and "rejected" in out
    with Store.open(db, readonly=True) as reader:
        story = lq.story_for_document(reader, b)
    assert "rejected by the analyst (ana): no" in run("timeline", str(story), "--db", db)
    run("correct", "event", f"{a}:e1", "--status", "hedged", "--db", db)
    assert "status: one of" in run("correct", "event", f"{a}:e1", "--status", "maybe",
                                   "--db", db, code=2)
    bad = run("correct", "document", a, "--published", "31/02/2024", "--db", db, code=2)
    assert "published" in bad
    listing = json.loads(run("corrections", "--db", db, "--json"))
    assert (listing[0]["kind"], listing[0]["field"], listing[0]["author"]) == \
        ("claim", "verdict", "ana")
    assert "linked 4 documents" in run("relink", "--db", db)
    queue = json.loads(run("review", "--db", db, "--json", "--limit", "3"))
    assert len(queue["items"]) <= 3 and queue["total"] >= len(queue["items"])
    export = tmp_path / "out.jsonl"
    run("export", "jsonl", "--db", db, "-o", str(export))
    assert sum('"correction"' in line for line in export.read_text().splitlines()) == 2
    out = run("corrections", "delete", listing[0]["id"][:10], "--db", db)
    assert "deleted" in out
    assert len(json.loads(run("corrections", "--db", db, "--json"))) == 1
    out = run("corrections", "import", str(export), "--db", db)
    assert "imported 1, already here 1, refused 0, orphaned 0" in out


def test_same_quote_link(world: dict[str, Any]) -> None:
    store, settings = world["store"], world["settings"]
    a, b = world["docs"]["a"], world["docs"]["b"]

    def group(doc_id: str) -> int | None:
        row = store.conn.execute(
            "SELECT cm.cluster_id FROM cluster_members cm JOIN clusters c ON "
            "c.id = cm.cluster_id WHERE cm.doc_id=? AND cm.member='q0' AND c.kind='quote'",
            (doc_id,)).fetchone()
        return int(row[0]) if row else None

    op = "remove" if group(a) == group(b) else "add"
    amend.correct(store, settings, "link", f"{a}:q0",
                  {"same_quote": {"op": op, "with": f"{b}:q0"}})
    assert (group(a) == group(b)) == (op == "add")
    amend.relink(store, settings)
    assert (group(a) == group(b)) == (op == "add")
    fp = sc.quote_ref(store, f"{a}:q0")
    assert fp == f"{a}/q{store.get_analysis(a).quotes[0].start}-" \
                 f"{store.get_analysis(a).quotes[0].end}"
    assert [c["state"] for c in sc.list_corrections(store)] == ["applied"]
