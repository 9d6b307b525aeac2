"""Exports, each loaded back with the tool it is meant for."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from _fixtures_story import build_store
from followthemoney import model

from storyline.errors import InputError, UnsupportedInput
from storyline.records import Analysis, Document
from storyline.serve.cli_commands import export_command
from storyline.serve.export import export, tl_date
from storyline.store import Store


@pytest.fixture()
def world(store_url: str) -> dict[str, Any]:
    db = store_url  # each export test runs on SQLite, and on PostgreSQL with a cluster
    ids = build_store(db)
    store = Store.open(db, readonly=True)
    yield {"db": db, "store": store, **ids}
    store.close()


def _run(world: dict[str, Any], fmt: str, story: int | None = None) -> str:
    out = io.StringIO()
    export(world["store"], fmt, out, story)
    return out.getvalue()


def test_jsonl_round_trips_documents_and_facts(world: dict[str, Any]) -> None:
    lines = _run(world, "jsonl").splitlines()
    assert len(lines) == 4
    for line in lines:
        row = json.loads(line)
        doc = Document.from_dict(row["document"])
        analysis = Analysis.from_dict(row["analysis"])
        for ev in analysis.events:
            assert doc.text[ev.start:ev.end] == ev.evidence
    boats = _run(world, "jsonl", world["stories"]["boats"]).splitlines()
    assert {json.loads(x)["document"]["id"] for x in boats} == {world["docs"][k] for k in "abc"}


def test_csv_is_the_claims_table(world: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(world, "csv"))))
    assert len(rows) == 6
    by_id = {int(r["cluster_id"]): r for r in rows}
    missiles = by_id[world["clusters"]["missiles"]]
    assert missiles["denied_by"] == "Fjordline Yards" and missiles["status"] == "asserted"
    boats = by_id[world["clusters"]["boats"]]
    assert boats["n_independent"] == "2"
    assert boats["reporting_outlets"] == "Harbour Times; Andes Daily"
    assert boats["disagreements"] == "quantity: 12.0 vs 10.0"


def test_timelinejs_shape(world: dict[str, Any]) -> None:
    data = json.loads(_run(world, "timelinejs", world["stories"]["boats"]))
    assert set(data) == {"title", "events"}
    assert set(data["title"]["text"]) == {"headline", "text"}
    assert data["title"]["text"]["headline"] == "Norway–Chile patrol boat deal"
    # the undated event is left out and named in the title text
    assert len(data["events"]) == 4
    assert "Chile → Norway: trade (boats)" in data["title"]["text"]["text"]
    for ev in data["events"]:
        assert set(ev["start_date"]) <= {"year", "month", "day", "display_date"}
        assert ev["start_date"]["year"] == "2024"
        assert ev["text"]["headline"] and ev["text"]["text"] and ev["group"]
    visit = next(e for e in data["events"] if e["group"] == "visit")
    assert visit["start_date"] == {"year": "2024", "month": "4"}
    assert tl_date("2024-W10") == {"year": "2024", "month": "3", "day": "4",
                                   "display_date": "week 10 of 2024"}
    assert tl_date(None) is None and tl_date("soon") is None


def test_graph_exports_load_in_networkx(world: dict[str, Any], tmp_path: Path) -> None:
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"g.{fmt}"
        path.write_text(_run(world, fmt, world["stories"]["boats"]))
        graph = reader(path)
        assert graph.is_directed()
        assert set(graph.nodes) == {"country:NOR", "country:CHL"}
        edge = graph.edges["country:CHL", "country:NOR"]
        assert edge["subtypes"] == "trade:2;visit:1" and int(edge["weight"]) == 3
    whole = tmp_path / "all.graphml"
    whole.write_text(_run(world, "graphml"))
    assert nx.read_graphml(whole).has_edge("country:KEN", "country:ETH")


def test_ftm_entities_validate(world: dict[str, Any]) -> None:
    lines = _run(world, "ftm", world["stories"]["boats"]).splitlines()
    proxies = [model.get_proxy(json.loads(line)) for line in lines]
    ids = {p.id for p in proxies}
    by_schema: dict[str, list[Any]] = {}
    for p in proxies:
        by_schema.setdefault(p.schema.name, []).append(p)
        for prop, values in p.properties.items():  # every reference resolves in the export
            if p.schema.get(prop).type.name == "entity":
                assert set(values) <= ids, (p.schema.name, prop)
    assert [p.caption for p in by_schema["Person"]] == ["Ingrid Halvorsen"]
    assert by_schema["Person"][0].get("position") == ["Defence Minister"]
    assert [p.caption for p in by_schema["Organization"]] == ["Fjordline Yards"]
    bodies = {p.caption: p for p in by_schema["PublicBody"]}
    assert set(bodies) == {"Norway", "Chile", "Chilean Navy"}
    assert bodies["Norway"].get("country") == ["no"] and bodies["Chile"].get("country") == ["cl"]
    assert len(by_schema["Article"]) == 3
    events = {p.caption: p for p in by_schema["Event"]}
    assert len(events) == 5
    boats = events["Norway → Chile: arms transfer (patrol boats)"]
    assert boats.get("date") == ["2024-03-04"] and len(boats.get("proof")) == 2
    assert boats.get("organizer") == [bodies["Norway"].id]


def test_unknown_format_binary_stream_and_cli(world: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(UnsupportedInput):
        export(world["store"], "xlsx", io.StringIO())
    raw = io.BytesIO()
    export(world["store"], "graphml", raw)
    assert raw.getvalue().startswith(b"<graphml")
    out = tmp_path / "claims.csv"
    assert export_command(str(world["db"]), "csv", str(out), world["stories"]["rail"]) == 1
    assert "Kenya → Ethiopia: meeting" in out.read_text()
    with pytest.raises(InputError):
        export_command(str(world["db"]), "pdf", str(out))
