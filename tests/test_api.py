"""The HTTP API through an in-process ASGI client over a store filled by the fixture."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from _fixtures_story import TEXT_A, build_store
from fastapi.testclient import TestClient

from storyline.errors import AccessDenied
from storyline.serve import create_app
from storyline.serve.cli_commands import is_loopback, server_token

STATIC = Path(__file__).resolve().parents[1] / "src" / "storyline" / "serve" / "static"


@pytest.fixture()
def world(store_url: str) -> dict[str, Any]:
    db = store_url  # each test runs on SQLite, and on PostgreSQL with a cluster
    ids = build_store(db)
    return {"db": str(db), "client": TestClient(create_app(str(db))), **ids}


def assert_error(resp: Any, status: int, code: str) -> dict[str, Any]:
    """Every error has one shape: {"error": {"code", "type", "message", "source"}}."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "type", "message", "source"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_stories_timeline_graph_claims(world: dict[str, Any]) -> None:
    c, boats = world["client"], world["stories"]["boats"]
    stories = c.get("/api/stories").json()
    assert {s["title"] for s in stories} == {"Norway–Chile patrol boat deal",
                                             "Kenya–Ethiopia rail talks"}
    story = c.get(f"/api/stories/{boats}").json()
    assert [d["id"] for d in story["documents"]] == [world["docs"][k] for k in "abc"]
    timeline = c.get(f"/api/stories/{boats}/timeline").json()
    assert len(timeline) == 5
    assert sum(e["when"] is None for e in timeline) == 1  # kept, though undated
    dated = [e["when"] for e in timeline if e["when"]]
    assert dated == sorted(dated)
    first = next(e for e in timeline if e["cluster_id"] == world["clusters"]["boats"])
    assert first["n_independent"] == 2 and first["reporting_outlets"] == ["Harbour Times",
                                                                          "Andes Daily"]
    assert first["actor_key"] == "country:NOR"  # contract keys are always there
    graph = c.get(f"/api/stories/{boats}/graph").json()
    edges = {(e["source"], e["target"]): e for e in graph["edges"]}
    assert edges["country:NOR", "country:CHL"]["subtypes"] == {"arms_transfer": 1,
                                                               "technology_transfer": 1}
    assert edges["country:CHL", "country:NOR"]["subtypes"] == {"trade": 2, "visit": 1}
    assert sorted(edges["country:CHL", "country:NOR"]["clusters"]) == sorted(
        world["clusters"][k] for k in ("deposit", "visit", "more"))
    claims = c.get(f"/api/claims?story={boats}&limit=500").json()["claims"]
    assert len(claims) == 5
    missiles = next(x for x in claims if x["cluster_id"] == world["clusters"]["missiles"])
    assert missiles["denied_by"] == ["Fjordline Yards"]
    assert missiles["original_sources"] == ["a navy source"]
    assert c.get("/api/claims?limit=500").json()["total"] == 6  # every story
    assert len(c.get("/api/claims").json()) == 6  # without paging: every claim, a list
    brief = c.get(f"/api/stories/{boats}/brief?format=md")
    assert brief.headers["content-type"].startswith("text/markdown")
    assert "## Corroborated by independent sources" in brief.text


def test_document_view_carries_every_fact_with_its_span(world: dict[str, Any]) -> None:
    c, doc = world["client"], world["docs"]["a"]
    view = c.get(f"/api/documents/{doc}").json()
    assert view["text"] == TEXT_A
    kinds = {f["kind"] for f in view["facts"]}
    assert kinds == {"entity", "time", "quote", "event"}
    for fact in view["facts"]:
        assert fact["text"] == TEXT_A[fact["start"]:fact["end"]]
    link = view["event_links"]["e1"]
    assert link["cluster_id"] == world["clusters"]["boats"]
    assert [o["doc_id"] for o in link["others"]] == [world["docs"]["b"]]
    assert view["quote_links"]["q0"]["others"][0]["doc_id"] == world["docs"]["b"]
    assert view["story_id"] == world["stories"]["boats"]
    # a denial links to the reports of what it denies
    denial = c.get(f"/api/documents/{world['docs']['c']}").json()["event_links"]["e1"]
    assert denial["role"] == "denial" and denial["cluster_id"] == world["clusters"]["missiles"]
    # id prefixes work as in the CLI
    assert c.get(f"/api/documents/{doc[:8]}").json()["document"]["id"] == doc
    listing = c.get("/api/documents?limit=2").json()
    assert listing["total"] == 4 and len(listing["documents"]) == 2


def test_entities_events_quotes_search(world: dict[str, Any]) -> None:
    c = world["client"]
    names = [e["name"] for e in c.get("/api/entities?q=fjord").json()["entities"]]
    assert names == ["Fjordline Yards"]
    page = c.get("/api/entities/person:ingrid-halvorsen").json()
    assert page["entity"]["role"] == "Defence Minister"
    assert [(e["doc_id"], e["event_id"]) for e in page["as_source"]] == [(world["docs"]["a"],
                                                                         "e1")]
    assert len(page["quotes"]) == 2 and len(page["documents"]) == 2
    assert c.get("/api/entities/ingrid halvorsen").json()["entity"]["key"] == \
        "person:ingrid-halvorsen"  # a name works as well as a key
    events = c.get("/api/events?subtype=arms_transfer").json()["events"]
    assert {e["doc_id"] for e in events} == {world["docs"]["a"], world["docs"]["b"]}
    assert all(e["evidence"] for e in events)
    quotes = c.get("/api/quotes?speaker=person:ingrid-halvorsen").json()
    assert len(quotes["quotes"]) == 2 and len(quotes["groups"]) == 1
    found = c.get("/api/search?q=patrol boats").json()
    assert {d["id"] for d in found["documents"]} == {world["docs"]["a"], world["docs"]["b"]}


def test_every_error_has_one_shape(world: dict[str, Any], monkeypatch: Any,
                                   tmp_path: Path) -> None:
    c = world["client"]
    assert_error(c.get("/api/stories/999"), 404, "S202")
    assert_error(c.get("/api/no-such-route"), 404, "S202")
    assert_error(c.get("/api/documents/dffffffffffff"), 404, "S202")
    assert_error(c.get("/api/entities/person:nobody"), 404, "S202")
    assert_error(c.get("/api/watches/nothing/new"), 404, "S202")
    err = assert_error(c.get("/api/stories/abc"), 422, "S100")
    assert err["source"] == "path.story_id"
    assert_error(c.get("/api/search"), 422, "S100")
    assert_error(c.post("/api/watches", json={"entities": ["x"]}), 422, "S100")
    assert_error(c.post("/api/ingest", json={"title": "no text"}), 422, "S100")
    assert_error(c.post("/api/ingest", json=[]), 400, "S101")
    assert_error(c.post("/api/watches", json={"name": "empty"}), 400, "S100")
    assert_error(c.get("/api/stories/1/brief?format=pdf"), 422, "S100")
    assert_error(c.delete("/api/stories"), 405, "S100")
    assert_error(c.get("/static/../api.py"), 404, "S202")
    # a file that is not a store: the store's own error, as a 500
    bad = tmp_path / "not-a-store.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    assert_error(TestClient(create_app(str(bad))).get("/api/stories"), 500, "S200")
    # an unexpected crash: the same shape, no traceback leaked
    import storyline.store.queries as sq

    def boom(*a: Any, **k: Any) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(sq, "list_entities", boom)
    crashing = TestClient(create_app(world["db"]), raise_server_exceptions=False)
    err = assert_error(crashing.get("/api/entities"), 500, "S000")
    assert "secret detail" not in err["message"]


def test_security_headers_and_no_inline_script(world: dict[str, Any]) -> None:
    c = world["client"]
    for path in ("/", "/api/stories", f"/documents/{world['docs']['c']}", "/static/app.js",
                 "/api/nope"):
        r = c.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    page = c.get("/").text
    assert all(re.search(r'src="/static/[\w.]+"', tag) for tag in re.findall(r"<script[^>]*>", page))
    assert "<style" not in page and " style=" not in page
    for js in STATIC.glob("*.js"):  # data never goes through the HTML parser
        code = js.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, f"{js.name} uses {sink}"
    assert c.get("/openapi.json").json()["paths"]["/api/stories/{story_id}/timeline"]


def test_writes_need_the_token_when_one_is_set(world: dict[str, Any]) -> None:
    c = TestClient(create_app(world["db"], token="s3cret-token"))
    spec = {"name": "boats", "subtypes": ["arms_transfer"]}
    assert_error(c.post("/api/watches", json=spec), 401, "S501")
    assert_error(c.post("/api/watches", json=spec, headers={"Authorization": "Bearer wrong"}),
                 401, "S501")
    assert_error(c.post("/api/ingest", json={"text": "x"}), 401, "S501")
    ok = c.post("/api/watches", json=spec, headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 201 and ok.json()["subtypes"] == ["arms_transfer"]
    assert c.get("/api/watches").status_code == 200  # reads stay open
    # a write from another site is refused even with no token set
    open_app = world["client"]
    assert_error(open_app.post("/api/watches", json=spec,
                               headers={"Origin": "http://evil.example"}), 403, "S501")


def test_server_refuses_a_public_address_without_a_token(monkeypatch: Any) -> None:
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert server_token("127.0.0.1", None) is None
    with pytest.raises(AccessDenied):
        server_token("0.0.0.0", None)
    assert server_token("0.0.0.0", "abc") == "abc"
    monkeypatch.setenv("STORYLINE_TOKEN", "from-env")
    assert server_token("0.0.0.0", None) == "from-env"


def test_watches_through_the_api(world: dict[str, Any]) -> None:
    c = world["client"]
    made = c.post("/api/watches", json={"name": "shipyard", "entities": ["Fjordline Yards"]})
    assert made.status_code == 201
    assert [w["name"] for w in c.get("/api/watches").json()] == ["shipyard"]
    peek = c.get("/api/watches/shipyard/new").json()
    assert {h["cluster_id"] for h in peek} == {world["clusters"][k]
                                               for k in ("deposit", "missiles", "visit")}
    assert c.get("/api/watches/shipyard/new").json() == peek  # a GET records nothing
    assert len(c.post("/api/watches/shipyard/new").json()) == 3  # a POST records the check
    assert c.get("/api/watches/shipyard/new").json() == []


def test_ingest_runs_the_pipeline(world: dict[str, Any]) -> None:
    pytest.importorskip("storyline.clean", reason="the cleaning stage is not written yet")
    from storyline.pipeline import process_raw  # noqa: F401

    c = world["client"]
    body = {"text": "The council of Valmora approved a new bridge on Monday, its mayor said.",
            "title": "Valmora bridge", "outlet": "Valmora Post", "published": "2024-06-03"}
    r = c.post("/api/ingest?analyse=false", json=[body])
    assert r.status_code == 200, r.text
    added = r.json()["added"]
    assert len(added) == 1
    again = c.post("/api/ingest?analyse=false", json=body).json()
    assert again["duplicates"] == added and again["added"] == []
    view = c.get(f"/api/documents/{added[0]}").json()
    assert view["document"]["outlet"] == "Valmora Post"
    assert "bridge" in view["text"]


@pytest.mark.slow
def test_ingest_analyses_and_links(world: dict[str, Any]) -> None:
    pytest.importorskip("storyline.clean", reason="the cleaning stage is not written yet")
    c = world["client"]
    body = {"text": "Prime Minister Lena Varga of Hungary met the Austrian chancellor in Vienna "
                    "on Tuesday. \"We will build the pipeline together,\" Varga said.",
            "title": "Varga in Vienna", "outlet": "Danube Daily", "published": "2024-06-04"}
    report = c.post("/api/ingest", json=body).json()
    assert report["analysed"] == report["added"] and len(report["added"]) == 1
    view = c.get(f"/api/documents/{report['added'][0]}").json()
    assert view["analysed"]
    names = {f["attrs"]["name"] for f in view["facts"] if f["kind"] == "entity"}
    assert "Vienna" in names or "Hungary" in names
    for fact in view["facts"]:
        assert fact["text"] == view["text"][fact["start"]:fact["end"]]
