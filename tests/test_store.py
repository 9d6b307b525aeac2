"""The store: migrations, idempotent ingest, read-only readers, FTS, atomic writes.

The contract tests take `store_url` and run once per backend: SQLite, and PostgreSQL when
STORYLINE_TEST_PG names a cluster (`make test-postgres`).
"""

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


def test_same_text_is_stored_once_with_every_source(store_url) -> None:
    with Store.open(store_url) as store:
        a = _doc("The harbour reopened on Monday.", "one.txt")
        b = _doc("The  harbour reopened on Monday. ", "two.txt")  # same after normalising
        assert store.add_document(a) == (a.id, True)
        assert store.add_document(b) == (a.id, False)
        assert store.count_documents() == 1
        sources = {r[0] for r in store.conn.execute("SELECT source FROM document_sources")}
        assert sources == {"one.txt", "two.txt"}


def test_document_references_and_not_found(store_url) -> None:
    with Store.open(store_url) as store:
        d = _doc("A ferry left the port.", title="Ferry")
        store.add_document(d)
        assert store.get_document("1").id == d.id
        assert store.get_document(d.id[:6]).meta.title == "Ferry"
        with pytest.raises(NotFound):
            store.get_document("dzzzz")


def test_readers_cannot_write(store_url) -> None:
    Store.open(store_url).close()
    reader = Store.open(store_url, readonly=True)
    with pytest.raises(StoreError):
        reader.add_document(_doc("x y z"))
    reader.close()


def test_a_reader_needs_a_store(db_path) -> None:
    with pytest.raises(NotFound):
        Store.open(db_path.parent / "absent.db", readonly=True)


def test_failed_write_changes_nothing(store_url) -> None:
    with Store.open(store_url) as store:
        d = _doc("Ships were seen at the pier.")
        store.add_document(d)
        with pytest.raises(RuntimeError):
            with store.write() as conn:
                conn.execute("INSERT INTO entities VALUES ('k2','n','ORG',NULL,NULL)")
                raise RuntimeError("boom")
        assert store.conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 0
        assert store.count_documents() == 1


def test_search_quotes_user_text(store_url) -> None:
    with Store.open(store_url) as store:
        store.add_document(_doc("Inspectors boarded the tanker near the strait."))
        hits = store.search("tanker strait")
        assert len(hits) == 1 and "[tanker]" in hits[0]["snippet"]
        assert store.search('tanker" OR "x') == []  # FTS syntax in user text is not obeyed
        assert store.search("   ") == []


def test_analysis_round_trip(store_url) -> None:
    with Store.open(store_url) as store:
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


# -- what keeps one article's cost flat in a large store ----------------------------------
def _entity(key: str, text: str, *surfaces: str) -> Entity:
    return Entity(key=key, name=surfaces[0], type="GPE",
                  mentions=[Mention(s, text.index(s), text.index(s) + len(s)) for s in surfaces])


def _counts(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.conn.execute(
        "SELECT entity_key, n_documents FROM entity_counts WHERE n_documents > 0")}


def _distinct(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.conn.execute(
        "SELECT entity_key, count(DISTINCT doc_id) FROM entity_mentions GROUP BY entity_key")}


def test_entity_counts_follow_every_analysis(store_url) -> None:
    with Store.open(store_url) as store:
        a = _doc("Norland and Sudria met. Norland said so.", "a.txt")
        b = _doc("Norland sent trucks.", "b.txt")
        for d in (a, b):
            store.add_document(d)
        store.save_analysis(a.id, Analysis(entities=[
            _entity("country:NOR", a.text, "Norland", "Norland said"),
            _entity("country:SUD", a.text, "Sudria"),
            Entity(key="country:XXX", name="Nowhere", type="GPE")]))  # no mention: not counted
        store.save_analysis(b.id, Analysis(entities=[_entity("country:NOR", b.text, "Norland")]))
        assert _counts(store) == _distinct(store) == {"country:NOR": 2, "country:SUD": 1}
        assert store.entity_document_count("country:NOR") == 2
        assert store.entity_document_count("country:XXX") == 0
        # analysed again: without Sudria, then the same once more (no double counting)
        for _ in range(2):
            store.save_analysis(a.id, Analysis(entities=[
                _entity("country:NOR", a.text, "Norland")]))
            assert _counts(store) == _distinct(store) == {"country:NOR": 2}


def test_migrating_a_v2_store_counts_its_entities(db_path) -> None:
    from storyline.store.schema import split_sql
    from storyline.store.schema import MIGRATIONS

    conn = sqlite3.connect(db_path)
    for script in MIGRATIONS[:2]:
        for statement in split_sql(script):
            conn.execute(statement)
    conn.execute("INSERT INTO documents (id, source, kind, text, raw_text, meta_json, "
                 "removed_json, added_at) VALUES ('d1', 's', 'text', 't', 't', '{}', '[]', 'x'),"
                 " ('d2', 's', 'text', 'u', 'u', '{}', '[]', 'x')")
    conn.execute("INSERT INTO entity_mentions VALUES ('d1', 'k', 'K', 0, 1), "
                 "('d1', 'k', 'K', 2, 3), ('d2', 'k', 'K', 0, 1), ('d2', 'j', 'J', 0, 1)")
    conn.execute("PRAGMA user_version=2")
    conn.commit()
    conn.close()
    with Store.open(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert _counts(store) == {"k": 2, "j": 1}


def test_event_rows_keep_denials_and_evidence(store_url) -> None:
    from storyline.store.queries import entity_page, list_events

    with Store.open(store_url) as store:
        d = _doc("Norland sent 300 trucks to Sudria, which Sudria denied.")
        store.add_document(d)
        ev = Event(id="e1", type="AID", subtype="arms_transfer", start=0, end=34,
                   evidence="Norland sent 300 trucks to Sudria", actor="Norland",
                   actor_key="country:NOR", target="Sudria", target_key="country:SUD",
                   denied_by=["Sudria", "a \u201cspokesman\u201d"])
        plain = Event(id="e2", type="AID", subtype="trade", start=0, end=7, evidence="Norland",
                      actor="Norland", actor_key="country:NOR")
        store.save_analysis(d.id, Analysis(entities=[_entity("country:NOR", d.text, "Norland")],
                                           events=[ev, plain]))
        rows = {r["event_id"]: r for r in list_events(store)}
        assert rows["e1"]["denied_by"] == ["Sudria", "a \u201cspokesman\u201d"]
        assert rows["e1"]["evidence"] == "Norland sent 300 trucks to Sudria"
        assert rows["e2"]["denied_by"] == [] and rows["e2"]["evidence"] == "Norland"
        page = entity_page(store, "country:NOR")
        assert {e["event_id"]: e["denied_by"] for e in page["as_actor"]} == {
            "e1": ev.denied_by, "e2": []}


def test_search_ranks_the_latest_matches_and_highlights_each(store_url, monkeypatch) -> None:
    from storyline.store import db

    with Store.open(store_url) as store:
        texts = ["The tanker left the harbour at dawn.",                      # oldest
                 "Tanker crews said the tanker and another tanker were held.",  # best match
                 "A tanker was seen near the strait.",
                 "Officials inspected a tanker.",
                 "The port reopened after the tanker was moved."]            # newest
        ids = [store.add_document(_doc(t, f"{i}.txt"))[0] for i, t in enumerate(texts)]
        hits = store.search("tanker")
        assert len(hits) == 5 and hits[0]["id"] == ids[1]
        assert [h["rank"] for h in hits] == sorted(h["rank"] for h in hits)
        for h in hits:
            assert "[tanker]" in h["snippet"].lower()
            assert set(h) == {"id", "seq", "title", "outlet", "wire", "published",
                              "published_inferred", "source", "snippet", "rank", "display"}
        assert [h["id"] for h in store.search("tanker", limit=2)] == [h["id"] for h in hits[:2]]
        # pages: the next two after the first two, and a count of every match
        assert [h["id"] for h in store.search("tanker", limit=2, offset=2)] == \
            [h["id"] for h in hits[2:4]]
        assert store.count_search("tanker") == 5 and store.count_search("tanker strait") == 1
        # more matches than the window: the best of the latest ones only
        monkeypatch.setattr(db, "SEARCH_WINDOW", 3)
        hits = store.search("tanker")
        assert {h["id"] for h in hits} == set(ids[2:])
        # the window holds the latest matches of the whole query, not of each word
        assert [h["id"] for h in store.search("tanker harbour")] == [ids[0]]


def test_search_ties_come_newest_first(store_url) -> None:
    with Store.open(store_url) as store:
        ids = [store.add_document(_doc(f"Convoy {w} reached the border.", f"{w}.txt"))[0]
               for w in ("alpha", "bravo", "delta")]
        hits = store.search("convoy border")
        assert [h["id"] for h in hits] == ids[::-1]
        assert len({h["rank"] for h in hits}) == 1


def test_v3_store_upgrades_to_v4_and_queues_what_was_left_unlinked(db_path) -> None:
    """Schema v4 (reliability): a store written by v3 gets the link queue filled with its
    analysed documents that belong to no story, and their analysis anchors."""
    import sqlite3

    from storyline.store.schema import split_sql
    from storyline.store.schema import MIGRATIONS

    conn = sqlite3.connect(db_path, isolation_level=None)
    for version, script in enumerate(MIGRATIONS[:3], start=1):
        for statement in split_sql(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={version}")
    conn.execute("INSERT INTO documents (id, source, kind, published, text, raw_text, "
                 "meta_json, removed_json, added_at, analysis_json, analysed_at) VALUES "
                 "('dold', 'old.txt', 'text', '2026-01-02', 't', 't', '{}', '[]', 'now', "
                 "'{}', 'now')")
    conn.close()
    with Store.open(db_path) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert store.link_queue() == (["dold"], [])
        assert store.conn.execute("SELECT analysis_anchor FROM documents").fetchone()[0] \
            == "2026-01-02"
        assert list(store.documents(pending_only=True)) == []


def test_a_failed_document_waits_until_it_is_ingested_again(store_url) -> None:
    with Store.open(store_url) as store:
        d = _doc("Norland sent 300 trucks to Sudria.")
        store.add_document(d)
        assert [x.id for x in store.documents(pending_only=True)] == [d.id]
        store.mark_failed(d.id, "RuntimeError: boom")
        assert list(store.documents(pending_only=True)) == []
        assert [f["failed_reason"] for f in store.failed_documents()] == ["RuntimeError: boom"]
        store.add_document(d)  # the same article again: tried again
        assert [x.id for x in store.documents(pending_only=True)] == [d.id]
        store.save_analysis(d.id, Analysis(), anchor=None)
        assert store.failed_documents() == [] and store.link_queue() == ([d.id], [])
        store.dequeue_links([d.id])
        assert store.link_queue() == ([], [])
