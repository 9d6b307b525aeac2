"""The store: migrations, idempotent ingest, read-only readers, FTS, atomic writes."""

from __future__ import annotations

import sqlite3

import pytest

from storyline.errors import NotFound, StoreError
from storyline.records import Analysis, Document, DocMeta, Entity, Event, Mention, document_id
from storyline.store import Store
from storyline.store.schema import SCHEMA_VERSION


def _doc(text: str, source: str = "a.txt", **meta: str) -> Document:
    return Document(id=document_id(text), source=source, text=text, raw_text=text,
                    meta=DocMeta(**meta))


def test_new_store_is_migrated_and_in_wal(db_path) -> None:
    with Store.open(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Any SQLite tool can open it.
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_same_text_is_stored_once_with_every_source(db_path) -> None:
    with Store.open(db_path) as store:
        a = _doc("The harbour reopened on Monday.", "one.txt")
        b = _doc("The  harbour reopened on Monday. ", "two.txt")  # same after normalising
        assert store.add_document(a) == (a.id, True)
        assert store.add_document(b) == (a.id, False)
        assert store.count_documents() == 1
        sources = {r[0] for r in store.conn.execute("SELECT source FROM document_sources")}
        assert sources == {"one.txt", "two.txt"}


def test_document_references_and_not_found(db_path) -> None:
    with Store.open(db_path) as store:
        d = _doc("A ferry left the port.", title="Ferry")
        store.add_document(d)
        assert store.get_document("1").id == d.id
        assert store.get_document(d.id[:6]).meta.title == "Ferry"
        with pytest.raises(NotFound):
            store.get_document("dzzzz")


def test_readers_cannot_write(db_path) -> None:
    Store.open(db_path).close()
    reader = Store.open(db_path, readonly=True)
    with pytest.raises(StoreError):
        reader.add_document(_doc("x y z"))
    with pytest.raises(NotFound):
        Store.open(db_path.parent / "absent.db", readonly=True)


def test_failed_write_changes_nothing(db_path) -> None:
    with Store.open(db_path) as store:
        d = _doc("Ships were seen at the pier.")
        store.add_document(d)
        with pytest.raises(RuntimeError):
            with store.write() as conn:
                conn.execute("INSERT INTO entities VALUES ('k2','n','ORG',NULL,NULL)")
                raise RuntimeError("boom")
        assert store.conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 0
        assert store.count_documents() == 1


def test_search_quotes_user_text(db_path) -> None:
    with Store.open(db_path) as store:
        store.add_document(_doc("Inspectors boarded the tanker near the strait."))
        hits = store.search("tanker strait")
        assert len(hits) == 1 and "[tanker]" in hits[0]["snippet"]
        assert store.search('tanker" OR "x') == []  # FTS syntax in user text is not obeyed
        assert store.search("   ") == []


def test_analysis_round_trip(db_path) -> None:
    with Store.open(db_path) as store:
        d = _doc("Norland sent 300 trucks to Sudria.")
        store.add_document(d)
        ev = Event(id="e1", type="AID", subtype="arms_transfer", start=0, end=34,
                   evidence=d.text, actor="Norland", target="Sudria", quantity=300.0,
                   when=["2026-01", "2026-02"])
        store.save_analysis(d.id, Analysis(events=[ev]))
        back = store.get_analysis(d.id)
        assert back is not None and back.events[0].when == ["2026-01", "2026-02"]
        row = store.conn.execute("SELECT when_start, when_end FROM events").fetchone()
        assert tuple(row) == ("2026-01", "2026-02")
        assert list(store.documents(pending_only=True)) == []


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are notes, not a database\n" * 100)
    for readonly in (True, False):
        with pytest.raises(StoreError) as info:
            Store.open(bogus, readonly=readonly)
        assert "notes.db" in str(info.value)
    assert bogus.read_text().startswith("these are notes")  # untouched
