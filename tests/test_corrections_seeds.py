"""The scripted session of issue 13 on the real seed articles: ingest them; set the VOA
article's date through the API; merge two entities; reject a claim; `storyline relink`;
every correction stays in place and shows in the timeline, the brief and the exports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app
from storyline.serve import create_app
from storyline.serve.export import export_csv, export_jsonl
from storyline.store import Store
from storyline.store import corrections as sc

pytestmark = [pytest.mark.slow, pytest.mark.seeds]

TOKEN = "analyst-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
VOA_DATE = "2024-10-28"  # the Monday of the briefing the article reports


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def session(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("seeds") / "s.db"
    _cli("ingest", str(shared / "seeds"), "--db", str(db))
    return {"db": str(db), "client": TestClient(create_app(str(db), token=TOKEN))}


def _voa(store: Store) -> str:
    row = store.conn.execute("SELECT id FROM documents WHERE outlet='Voice of America'"
                             ).fetchone()
    assert row is not None, "the VOA seed is not stored with its outlet"
    return str(row[0])


def _cluster_of_fingerprint(store: Store, fp: str) -> int:
    ev = sc.find_event(store, fp)
    assert ev is not None, fp
    row = store.conn.execute(
        "SELECT cm.cluster_id FROM cluster_members cm JOIN clusters c ON c.id = cm.cluster_id "
        "WHERE cm.doc_id=? AND cm.member=? AND c.kind='event'",
        (sc.fingerprint_doc(fp), ev["id"])).fetchone()
    assert row is not None
    return int(row[0])


def test_corrections_survive_relink_and_show_everywhere(session: dict[str, Any]) -> None:
    db, client = session["db"], session["client"]
    with Store.open(db, readonly=True) as store:
        voa = _voa(store)
        assert store.get_document(voa).meta.published is None
        before = store.get_analysis(voa)
    assert not any(str(t.value or "").startswith("2024-10") for t in before.times)

    # 1. the VOA article's date, through the API: its relative times re-anchor at once
    r = client.patch(f"/api/documents/{voa}", json={"published": VOA_DATE, "author": "ana",
                                                    "reason": "the page's dateline"},
                     headers=AUTH)
    assert r.status_code == 200, r.text
    with Store.open(db, readonly=True) as store:
        doc = store.get_document(voa)
        assert doc.meta.published == VOA_DATE and doc.meta.provenance["published"] == \
            "correction"
        anchored = [t for t in store.get_analysis(voa).times if t.anchor == "published"]
        assert any(str(t.value or "").startswith("2024-1") for t in anchored), \
            [(t.text, t.value) for t in anchored]
        assert store.conn.execute("SELECT analysis_anchor FROM documents WHERE id=?",
                                  (voa,)).fetchone()[0] == VOA_DATE

    # 2. two entities merged
    r = client.post("/api/entities/merge", json={"source": "org:us-department-of-state",
                                                 "into": "country:USA", "author": "ana"},
                    headers=AUTH)
    assert r.status_code == 200, r.text

    # 3. the best-supported claim of the largest story, rejected
    story = max(client.get("/api/stories").json(), key=lambda s: s["n_documents"])["id"]
    claim = client.get(f"/api/claims?story={story}&limit=500").json()["claims"][0]
    r = client.post(f"/api/claims/{claim['cluster_id']}/review",
                    json={"verdict": "rejected", "note": "not borne out", "author": "ana"},
                    headers=AUTH)
    assert r.status_code == 200, r.text
    rejected_fp = r.json()["corrections"][0]["target"]

    # 4. the whole store linked again from the command line
    out = _cli("relink", "--db", db)
    assert "orphaned 0" in out

    listing = client.get("/api/corrections").json()
    assert listing["total"] == 3 and listing["orphaned"] == 0
    assert {c["author"] for c in listing["corrections"]} == {"ana"}
    assert all(c["state"] == "applied" for c in listing["corrections"])
    with Store.open(db, readonly=True) as store:
        assert store.get_document(voa).meta.published == VOA_DATE
        for sql in ("SELECT count(*) FROM entity_mentions WHERE entity_key=?",
                    ("SELECT count(*) FROM events WHERE actor_key=? OR target_key=? OR "
                     "source_key=?")):
            n = sql.count("?")
            assert store.conn.execute(sql, ("org:us-department-of-state",) * n
                                      ).fetchone()[0] == 0
        cid = _cluster_of_fingerprint(store, rejected_fp)
        story = store.conn.execute("SELECT story_id FROM clusters WHERE id=?",
                                   (cid,)).fetchone()[0]

    # visible in the timeline, the claims table, the brief and the exports
    timeline = client.get(f"/api/stories/{story}/timeline").json()
    item = next(e for e in timeline if e["cluster_id"] == cid)
    assert item["review"]["verdict"] == "rejected" and item["n_independent"] == 0
    claims = client.get(f"/api/claims?story={story}&limit=500").json()["claims"]
    assert next(c for c in claims if c["cluster_id"] == cid)["verdict"] == "rejected"
    brief = client.get(f"/api/stories/{story}/brief").text
    section = brief.split("## Rejected by the analyst")[1].split("\n## ")[0]
    assert "Rejected by the analyst (ana): not borne out" in section
    docs = client.get(f"/api/documents/{voa}").json()["document"]
    assert docs["published"] == VOA_DATE
    with Store.open(db, readonly=True) as store:
        buf = io.StringIO()
        export_jsonl(store, buf)
        exported = [json.loads(x)["correction"] for x in buf.getvalue().splitlines()
                    if '"correction"' in x[:20]]
        assert sorted(c["kind"] for c in exported) == ["claim", "document", "entity"]
        csv_buf = io.StringIO()
        export_csv(store, csv_buf, story)
        assert any(line.endswith(",rejected") for line in csv_buf.getvalue().splitlines())
    review = client.get("/api/review?limit=5000").json()
    assert cid not in {i["cluster_id"] for i in review["items"]}
    assert voa not in {i["doc_id"] for i in review["items"]
                       if i["kind"] in ("undated", "inferred_date")}
    cli_list = _cli("corrections", "--db", db, "--json")
    assert len(json.loads(cli_list)) == 3
