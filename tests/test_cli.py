"""The `storyline` command end to end, in process (Typer's runner), on a temporary store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.store import Store

runner = CliRunner()

GOOD = ("The port authority said on Monday that the ferry Aurora had resumed service to the "
        "island after repairs. Officials expect traffic to return to normal this week.\n")


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _bad_folder(root: Path) -> Path:
    folder = root / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    with open(folder / "huge.txt", "wb") as fh:  # 50 MB, sparse: refused before reading
        fh.truncate(50 * 1024 * 1024)
    (folder / "latin1.txt").write_bytes(
        "Le ministre a déclaré mardi que la coopération régionale était essentielle pour la "
        "sécurité du détroit et des ports voisins.\n".encode("latin-1"))
    (folder / "broken.rss").write_text("<rss><channel><title>x</title><item><title>oops",
                                       encoding="utf-8")
    return folder


def test_bad_inputs_are_named_and_good_ones_stored(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    code, out = _run("ingest", str(_bad_folder(tmp_path)), "--db", str(db), "--no-analyse")
    assert code == 0, out
    for name in ("empty.txt", "binary.txt", "huge.txt", "broken.rss"):
        assert name in out, f"no message names {name}:\n{out}"
    with Store.open(db, readonly=True) as store:
        sources = {Path(r["source"]).name for r in store.list_documents()}
    assert sources == {"good.txt", "latin1.txt"}
    latin = next(d for d in Store.open(db, readonly=True).documents()
                 if d.source.endswith("latin1.txt"))
    assert "déclaré" in latin.text


def test_nothing_ingestable_exits_2_and_keeps_the_store(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    assert _run("ingest", str(good), "--db", str(db), "--no-analyse")[0] == 0
    before = Path(db).stat().st_size
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out = _run("ingest", str(empty), "--db", str(db), "--no-analyse")
    assert code == 2 and "empty.txt" in out
    with Store.open(db, readonly=True) as store:
        assert store.count_documents() == 1
    assert Path(db).stat().st_size >= before


def test_reingesting_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "one.txt").write_text(GOOD, encoding="utf-8")
    _run("ingest", str(folder), "--db", str(db), "--no-analyse")
    code, out = _run("ingest", str(folder), "--db", str(db), "--no-analyse", "--json")
    report = json.loads(out[out.index("{"):])
    assert code == 0 and report["added"] == [] and len(report["duplicates"]) == 1


def test_seeds_ingested_twice_store_five(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    seeds = shared / "seeds"
    for _ in range(2):
        assert _run("ingest", str(seeds), "--db", str(db), "--no-analyse")[0] == 0
    with Store.open(db, readonly=True) as store:
        assert store.count_documents() == 5


@pytest.mark.slow
def test_examples_end_to_end(examples_dir: Path, tmp_path: Path) -> None:
    """The demo path: ingest the samples, then docs, show, search, stories, timeline."""
    db = str(tmp_path / "demo.db")
    code, out = _run("ingest", str(examples_dir), "--db", db)
    assert code == 0, out
    code, out = _run("docs", "--db", db)
    assert code == 0 and "undated" not in out.split("\n")[0]
    code, out = _run("show", "1", "--db", db)
    assert code == 0 and "Entities" in out and "Events and claims" in out
    code, out = _run("search", "sanctions", "--db", db)
    assert code == 0 and "sanction" in out.lower()
    code, out = _run("stories", "--db", db)
    assert code == 0
    code, out = _run("timeline", "--db", db, "--json")
    data = json.loads(out)
    assert data["timeline"], "the sample story has no timeline"
    for row in data["timeline"]:
        for m in row["mentions"]:
            doc = Store.open(db, readonly=True).get_document(m["doc_id"])
            assert doc.text[m["start"]:m["end"]] == m["evidence"]
    code, out = _run("timeline", "--db", db)
    assert code == 0 and "“”" not in out  # a denial prints its words, or says it has none
    code, out = _run("show", "nope", "--db", db)
    assert code == 1 and "no document" in out


def test_eval_on_a_key_with_missing_files_is_a_clear_error(tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"corpus": "x", "documents": [
        {"file": "absent.txt", "outlet": None, "wire": None, "published": None,
         "boilerplate": [], "keep": [], "entities": [], "times": [], "quotes": [],
         "events": []}], "links": []}))
    code, out = _run("eval", str(key), "--docs", str(tmp_path))
    assert code == 2 and "absent.txt" in out


def test_copying_a_seed_under_another_name_is_the_same_document(shared: Path,
                                                                 tmp_path: Path) -> None:
    src = next((shared / "seeds").glob("*.txt"))
    copy = tmp_path / "renamed.txt"
    shutil.copy(src, copy)
    db = str(tmp_path / "s.db")
    _run("ingest", str(src), "--db", db, "--no-analyse")
    code, out = _run("ingest", str(copy), "--db", db, "--no-analyse", "--json")
    assert json.loads(out[out.index("{"):])["added"] == []


def test_article_text_with_brackets_prints_verbatim(tmp_path: Path) -> None:
    doc = tmp_path / "brackets.txt"
    doc.write_text("Exports of coke [used for steel production] rose sharply in [bold]May, "
                   "the customs office said on Friday.\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    _run("ingest", str(doc), "--db", db, "--no-analyse")
    code, out = _run("show", "1", "--db", db)
    assert code == 0 and "[used for steel production]" in out and "[bold]May" in out
    code, out = _run("search", "steel", "--db", db)
    assert code == 0 and "steel" in out
