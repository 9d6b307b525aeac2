"""What a new user met first (issue 13.5): paging with a cursor and a total on every list,
one outlet and date for a document in every view, search through aliases, /docs offline,
stories with no events folded away, STIX 2.1 and watchlist feeds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import feedparser
import pytest
import stix2
from _fixtures_story import add_late_report, build_store
from fastapi.testclient import TestClient

from storyline.records import DocMeta, Document, display, document_id
from storyline.serve import create_app
from storyline.store import Store
from storyline.store import queries as sq


@pytest.fixture()
def world(tmp_path: Path) -> dict[str, Any]:
    db = tmp_path / "gaps.db"
    ids = build_store(db)
    return {"db": str(db), "client": TestClient(create_app(str(db))), **ids}


def _add(db: str, text: str, source: str, **meta: Any) -> str:
    doc = Document(id=document_id(text), source=source, text=text, raw_text=text,
                   meta=DocMeta(**meta))
    with Store.open(db) as store:
        return store.add_document(doc)[0]


def _walk(c: TestClient, url: str, key: str, limit: int) -> tuple[list[Any], list[dict]]:
    """Every item of a list route, page by page through next_cursor."""
    items, pages = [], []
    sep = "&" if "?" in url else "?"
    body = c.get(f"{url}{sep}limit={limit}").json()
    while True:
        pages.append(body)
        items += body[key]
        assert len(body[key]) <= limit
        if body["next_cursor"] is None:
            return items, pages
        body = c.get(f"{url}{sep}limit={limit}&cursor={body['next_cursor']}").json()


@pytest.mark.parametrize("url,key", [
    ("/api/documents", "documents"), ("/api/events", "events"), ("/api/quotes", "quotes"),
    ("/api/claims", "claims"), ("/api/entities", "entities"),
    ("/api/claims?story=1", "claims"), ("/api/events?subtype=arms_transfer", "events")])
def test_every_list_pages_with_a_cursor_and_a_total(world: dict[str, Any], url: str,
                                                    key: str) -> None:
    c = world["client"]
    sep = "&" if "?" in url else "?"
    whole = c.get(f"{url}{sep}limit=500").json()
    assert whole["next_cursor"] is None and whole["remaining"] == 0
    assert whole["total"] == len(whole[key]) > 1
    items, pages = _walk(c, url, key, 2)
    assert items == whole[key]  # page by page: every item once, in the same order
    assert [p["total"] for p in pages] == [whole["total"]] * len(pages)
    assert [p["remaining"] for p in pages] == [max(0, whole["total"] - 2 * (i + 1))
                                               for i in range(len(pages))]


def test_no_silent_cap_and_bad_cursors_are_named(world: dict[str, Any]) -> None:
    c = world["client"]
    for i in range(7):
        _add(world["db"], f"Harbour note number {i} about the ferry timetable.", f"n{i}.txt")
    first = c.get("/api/documents?limit=5").json()
    assert first["total"] == 11 and first["remaining"] == 6 and first["next_cursor"]
    for bad in ("nonsense", "eyJvIjogLTF9", "eyJ4IjogMX0", "e30"):  # junk, -1, no offset
        err = c.get("/api/documents", params={"cursor": bad}).json()["error"]
        assert err["source"] == "cursor" and "cursor" in err["message"]
    assert c.get("/api/documents?limit=5001").status_code == 422
    # the older offset parameter still works
    assert c.get("/api/documents?offset=10").json()["documents"][0]["seq"] == 11


def test_a_document_has_one_outlet_and_date_in_every_view(world: dict[str, Any]) -> None:
    c = world["client"]
    text = ("PYONGYANG (AFP) - Trains carrying shells crossed the border on Thursday, "
            "officials said, in the latest sign of arms deliveries.")
    doc = _add(world["db"], text, "afp.txt", wire="AFP")
    with Store.open(world["db"]) as store:
        store.set_published_inferred(doc, "2023-11-09", "same event as dated reports")
    want = {"outlet": "AFP", "date": "2023-11-09", "inferred": True,
            "text": "AFP, ~2023-11-09"}
    listed = next(d for d in c.get("/api/documents").json()["documents"] if d["id"] == doc)
    assert listed["display"] == want
    found = c.get("/api/search", params={"q": "shells border"}).json()["documents"]
    assert [d["display"] for d in found] == [want]
    assert display({"outlet": None, "wire": None, "published": None})["text"] == "?, undated"
    # stated date and outlet win over wire and inferred date
    assert display({"outlet": "Harbour Times", "wire": "AFP", "published": "2024-03-04",
                    "published_inferred": "2024-03-01"})["text"] == "Harbour Times, 2024-03-04"
    # the reports inside a timeline and the story's documents say the same as the list
    boats = world["stories"]["boats"]
    shown = {d["id"]: d["display"] for d in c.get("/api/documents").json()["documents"]}
    for ev in c.get(f"/api/stories/{boats}/timeline").json():
        for m in ev["mentions"]:
            assert m["display"] == shown[m["doc_id"]]
    for d in c.get(f"/api/stories/{boats}").json()["documents"]:
        assert d["display"] == shown[d["id"]]
    for q in c.get("/api/quotes").json()["quotes"]:
        assert q["display"] == shown[q["doc_id"]]


def test_search_finds_an_actor_by_any_of_its_names(world: dict[str, Any]) -> None:
    c = world["client"]
    north = _add(world["db"], "North Korea fired two ballistic missiles into the sea.", "nk.txt",
                 outlet="Harbour Times", published="2023-11-02")
    dprk = _add(world["db"], "The DPRK said the launches were a routine drill.", "dprk.txt",
                outlet="Andes Daily", published="2023-11-03")
    russian = _add(world["db"], "Северная Корея провела новые испытания ракет.", "ru.txt",
                   outlet="Meridian", published="2023-11-04", language="ru")
    _add(world["db"], "South Korea held a drill near the border.", "sk.txt")
    got = c.get("/api/search", params={"q": "DPRK"}).json()
    assert {d["id"] for d in got["documents"]} == {north, dprk, russian}
    assert got["total"] == 3
    assert "North Korea" in got["expanded"][0] and got["expanded"][0][0] == "DPRK"
    # the same from the other name, and with another word (ANDed with the group)
    assert {d["id"] for d in c.get("/api/search", params={"q": "North Korea"}).json()[
        "documents"]} == {north, dprk, russian}
    assert [d["id"] for d in c.get("/api/search", params={"q": "DPRK drill"}).json()[
        "documents"]] == [dprk]
    # as written only, when asked
    plain = c.get("/api/search", params={"q": "DPRK", "aliases": "false"}).json()
    assert [d["id"] for d in plain["documents"]] == [dprk] and plain["expanded"] == []
    # a lower-case short word is no abbreviation ("us" is not the US)
    from storyline.serve.search import expand

    assert expand("tell us more")[0] == [["tell"], ["us"], ["more"]]
    # the search pages as the other lists do
    first = c.get("/api/search", params={"q": "DPRK", "limit": 2}).json()
    rest = c.get("/api/search", params={"q": "DPRK", "limit": 2,
                                        "cursor": first["next_cursor"]}).json()
    assert len(first["documents"]) == 2 and len(rest["documents"]) == 1
    assert rest["next_cursor"] is None
    assert {d["id"] for d in first["documents"] + rest["documents"]} == {north, dprk, russian}


def test_docs_render_from_local_assets_only(world: dict[str, Any]) -> None:
    c = world["client"]
    page = c.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and all(r.startswith("/") and not r.startswith("//") for r in refs), refs
    assert "<script>" not in page.text.replace(" ", "")  # no inline script
    for ref in refs:
        got = c.get(ref)
        assert got.status_code == 200, ref
        assert len(got.content) > 100
    assert "SwaggerUIBundle" in c.get("/docs/static/swagger-ui-bundle.js").text
    csp = page.headers["content-security-policy"]
    assert "http" not in csp and "script-src 'self';" in csp
    assert c.get("/docs/static/../../api.py").status_code == 404
    assert c.get("/docs/static/index.html").status_code == 404  # only the files /docs loads
    assert c.get("/redoc").status_code in (200, 404)  # never a CDN page
    assert "cdn" not in c.get("/redoc").text.lower()


def test_stories_with_no_events_are_folded_away(world: dict[str, Any]) -> None:
    c = world["client"]
    doc = _add(world["db"], "The harbour choir sang on Sunday.", "choir.txt")
    with Store.open(world["db"]) as store, store.write() as conn:
        conn.execute("INSERT INTO stories (title, first_date, last_date, created_at, "
                     "updated_at, profile_json) VALUES ('Choir', NULL, NULL, '', '', '{}')")
        sid = conn.execute("SELECT max(id) FROM stories").fetchone()[0]
        conn.execute("INSERT INTO story_documents VALUES (?,?,1.0)", (doc, sid))
    assert sid not in {s["id"] for s in c.get("/api/stories?all=false").json()}
    assert sid in {s["id"] for s in c.get("/api/stories").json()}  # the default: every one
    assert sid in {s["id"] for s in c.get("/api/stories?all=true").json()}


def test_stix_bundle_parses_and_carries_the_evidence(world: dict[str, Any]) -> None:
    from storyline.serve.cli_commands import export_command

    out = Path(world["db"]).with_suffix(".stix.json")
    n = export_command(world["db"], "stix", str(out))
    bundle = stix2.parse(out.read_text(encoding="utf-8"), allow_custom=False)
    assert len(bundle.objects) == n
    by_type: dict[str, list[Any]] = {}
    for obj in bundle.objects:
        by_type.setdefault(obj.type, []).append(obj)
    assert {r.name for r in by_type["report"]} == {"Norway–Chile patrol boat deal",
                                                   "Kenya–Ethiopia rail talks"}
    ids = {o.id for o in bundle.objects}
    for report in by_type["report"]:
        assert set(report.object_refs) <= ids
    rels = {r.description: r for r in by_type["relationship"]}
    boats = rels["Norway → Chile: arms transfer (patrol boats)"]
    assert boats.relationship_type == "arms-transfer"
    names = {o.id: o.name for o in by_type["identity"] + by_type.get("threat-actor", [])}
    assert (names[boats.source_ref], names[boats.target_ref]) == ("Norway", "Chile")
    refs = {r.source_name: r for r in boats.external_references}
    assert set(refs) == {"Harbour Times, 2024-03-04", "Andes Daily, 2024-03-05"}
    for ref in refs.values():  # each report's evidence: its sentence and its span
        doc_id, span = ref.external_id.split("#")
        start, end = map(int, span.split("-"))
        assert world["texts"][next(k for k, v in world["docs"].items() if v == doc_id)][
            start:end] == ref.description
    assert boats.confidence > rels["Chile → Norway: visit"].confidence
    denial = [n for n in by_type["note"] if n.abstract == "Denied by Fjordline Yards"]
    assert len(denial) == 1
    assert denial[0].object_refs == [rels[
        "Norway → Chile: technology transfer (anti-ship missiles)"].id]
    # the same store exports the same ids
    again = stix2.parse(out.read_text(encoding="utf-8"), allow_custom=False)
    export_command(world["db"], "stix", str(out))
    assert {o.id for o in stix2.parse(out.read_text(encoding="utf-8")).objects} == \
        {o.id for o in again.objects}


def test_watch_feeds_list_new_and_changed_claims(world: dict[str, Any]) -> None:
    c = world["client"]
    assert c.post("/api/watches", json={"name": "boats", "subtypes": ["arms_transfer"]}
                  ).status_code == 201
    atom = c.get("/api/watches/boats/feed.atom")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(atom.content)
    assert not feed.bozo and feed.feed.title == "Storyline watch: boats"
    assert [e.title for e in feed.entries] == ["Norway → Chile: arms transfer (patrol boats)"]
    entry = feed.entries[0]
    assert entry.id == f"urn:storyline:claim:{world['clusters']['boats']}"
    assert entry.link.endswith(f"/stories/{world['stories']['boats']}#cluster-"
                               f"{world['clusters']['boats']}")
    assert "Norway will deliver 12 patrol boats to Chile" in entry.summary
    assert f"/documents/{world['docs']['a']}#" in entry.summary
    # a later report adds a claim: it comes first; reading never moved the last check
    late = add_late_report(world["db"], world)
    feed = feedparser.parse(c.get("/api/watches/boats/feed.atom").content)
    assert [e.id for e in feed.entries] == [f"urn:storyline:claim:{late['cluster']}",
                                            f"urn:storyline:claim:{world['clusters']['boats']}"]
    assert feed.entries[0].updated >= feed.entries[1].updated
    assert c.get("/api/watches").json()[0]["last_checked"] is None
    jf = c.get("/api/watches/boats/feed.json")
    assert jf.headers["content-type"].startswith("application/feed+json")
    body = jf.json()
    assert body["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["id"] for i in body["items"]] == [e.id for e in feed.entries]
    assert all(i["date_modified"] and i["content_text"] for i in body["items"])
    assert c.get("/api/watches/nobody/feed.json").status_code == 404
    json.dumps(body)  # plain JSON


def test_quote_rows_page_in_document_order(world: dict[str, Any]) -> None:
    with Store.open(world["db"], readonly=True) as store:
        every = sq.list_quotes(store)
        assert sq.count_quotes(store) == len(every)
        assert sq.list_quotes(store, limit=1, offset=1) == every[1:2]
        assert sq.count_entities(store, "fjord") == 1
        assert sq.count_events(store, subtype="arms_transfer") == 2
