"""The store: one SQLite file that any SQLite tool can open, or a PostgreSQL database.

WAL journal; every write goes through one writer inside `BEGIN IMMEDIATE`; readers open the
file read-only. Documents are keyed by a hash of their normalised text, so re-ingesting
the same article is a no-op. A `postgresql://` URL opens the same store in PostgreSQL
(`pgstore.PgStore`: the same methods and SQL, several writers at once).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import InputError, NotFound, SchemaError, StoreBusy, StoreError, StorylineError
from ..lang.terms import content_words
from ..records import Analysis, DocMeta, Document, RemovedLine, with_display
from .schema import MIGRATIONS, QUOTE_SOURCE_BACKFILL, SCHEMA_VERSION, WORD_BACKFILL, split_sql

# Latest matching documents a search ranks (see Store.search). On the 21,460 real articles
# of ../shared/corpora, 0.2% of two-title-word queries and 9% of one-word queries match
# more; their top 20 keep 73% of the documents that ranking every match gives.
SEARCH_WINDOW = 1000
# How long a writer waits for another one to finish its transaction before it says that the
# store is busy (milliseconds). Every write is a short transaction (one document, one
# document's facts, one document's links), so a wait this long means a stuck writer.
BUSY_TIMEOUT_MS = 60_000


# The longest search query or reference read; longer ones are the client's error (LIKE and
# FTS5 patterns of tens of kilobytes fail inside SQLite).
MAX_QUERY = 1000

_BUSY = ("the store is busy: another Storyline process has been writing to it for over "
         f"{BUSY_TIMEOUT_MS // 1000} s; try again when it has finished")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _to_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. While another process creates the same new file, SQLite can answer
    "locked" at once, without waiting through the busy timeout: try again until it."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def now() -> str:
    """UTC timestamp used for every `*_at` column."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _value_bounds(value: Any) -> tuple[str | None, str | None]:
    """Sortable start and end strings of a time value (single value or pair)."""
    if value is None:
        return None, None
    if isinstance(value, list | tuple):
        return (value[0] if value else None), (value[-1] if value else None)
    return value, value


class Store:
    """A Storyline database. Use `Store.open(path)` to write, `readonly=True` to only read;
    `path` is a SQLite file or a `postgresql://` URL."""

    backend = "sqlite"

    def __init__(self, conn: sqlite3.Connection, path: str, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> "Store":
        """Open (and for a writer, create and migrate) the store at `path`."""
        path = str(path)
        if path.startswith(("postgresql://", "postgres://")):
            from .pgstore import PgStore
            return PgStore.open_url(path, readonly=readonly)
        try:
            if readonly:
                if path != ":memory:" and not Path(path).exists():
                    raise NotFound(f"no store at {path}; ingest something first", source=path)
                uri = f"file:{Path(path).resolve()}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                if path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
                # before WAL: switching a new file to WAL takes a lock another process
                # creating the same store at the same moment may hold
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                _to_wal(conn)
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy(_BUSY, source=path) from exc
            raise StoreError(f"cannot open the store: {exc}", source=path) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store: {exc}", source=path) from exc
        store = cls(conn, path, readonly)
        try:
            store._ready(path)
        except StorylineError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:  # not a SQLite file, or a damaged one
            conn.close()
            raise StoreError(f"not a usable Storyline store: {exc}", source=path) from exc
        return store

    def _ready(self, name: str) -> None:
        """A reader checks the schema's version; a writer migrates it to this one."""
        if not self.readonly:
            self.migrate()
            return
        version = self.schema_version()
        if version != SCHEMA_VERSION:
            raise SchemaError(f"store schema v{version}, this Storyline needs "
                              f"v{SCHEMA_VERSION}: open it once for writing to migrate",
                              source=name)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply the migrations this file has not seen, each in its own transaction.

        The version is read again inside each write transaction: two processes creating
        or upgrading the same store at once take turns, and the second finds the work done.
        """
        if self.schema_version() == SCHEMA_VERSION:  # versions only grow: no lock needed
            return
        while True:
            with self.write(serial=True):
                version = self.schema_version()
                if version > SCHEMA_VERSION:
                    raise SchemaError(f"store schema v{version} is newer than this Storyline "
                                      f"(v{SCHEMA_VERSION})", source=self.path)
                if version == SCHEMA_VERSION:
                    return
                self._apply_migration(version)
                if version + 1 == WORD_BACKFILL:
                    self._count_stored_words()
                if version + 1 == QUOTE_SOURCE_BACKFILL:
                    self._fill_quote_sources()

    def _apply_migration(self, version: int) -> None:
        """Run the migration from `version` to the next, inside the caller's transaction."""
        for statement in split_sql(MIGRATIONS[version]):
            self.conn.execute(statement)
        self.conn.execute(f"PRAGMA user_version={version + 1}")

    def _count_stored_words(self) -> None:
        """Count the content words of every document not counted yet (the documents of a
        store made before `word_counts`), inside the caller's transaction."""
        counts: dict[str, int] = {}
        ids: list[str] = []
        for row in self.conn.execute("SELECT id, text, language FROM documents "
                                     "WHERE words_counted IS NULL").fetchall():
            ids.append(row[0])
            for w in content_words(row[1] or "", row[2]):
                counts[w] = counts.get(w, 0) + 1
        self._add_word_counts(counts)
        self.conn.executemany("UPDATE documents SET words_counted=1 WHERE id=?",
                              [(i,) for i in ids])

    def _fill_quote_sources(self) -> None:
        """Copy the unnamed sources' words of the stored quotes from each document's
        analysis JSON into their rows (a store made before the quotes table kept them),
        inside the caller's transaction."""
        rows = []
        for doc_id, raw in self.conn.execute(
                "SELECT id, analysis_json FROM documents WHERE analysis_json IS NOT NULL"
        ).fetchall():
            try:
                quotes = (json.loads(raw) or {}).get("quotes") or []
            except ValueError:
                continue  # (an unreadable analysis is analysed again when next read)
            rows.extend((q.get("source_text"), q.get("source_start"), q.get("source_end"),
                         doc_id, i) for i, q in enumerate(quotes)
                        if isinstance(q, dict) and q.get("source_text"))
        self.conn.executemany("UPDATE quotes SET source_text=?, source_start=?, source_end=? "
                              "WHERE doc_id=? AND idx=?", rows)

    def _add_word_counts(self, counts: dict[str, int]) -> None:
        """Add to `word_counts` (in key order, so concurrent writers never wait in a circle)."""
        self.conn.executemany("INSERT INTO word_counts (word, n_documents) VALUES (?, ?) "
                              "ON CONFLICT(word) DO UPDATE SET "
                              "n_documents = word_counts.n_documents + excluded.n_documents",
                              sorted(counts.items()))

    def word_document_counts(self, words: list[str]) -> dict[str, int]:
        """How many documents use each word (`word_counts`; 0 when none does)."""
        out = dict.fromkeys(words, 0)
        for i in range(0, len(words), 500):
            chunk = words[i:i + 500]
            for r in self.conn.execute("SELECT word, n_documents FROM word_counts WHERE word IN "
                                       f"({','.join('?' * len(chunk))})", chunk).fetchall():
                out[r[0]] = int(r[1])
        return out

    @contextlib.contextmanager
    def write(self, serial: bool = False) -> Iterator[Any]:
        """One write transaction (BEGIN IMMEDIATE): all of it lands, or none of it.

        `serial`: a transaction that reads and rewrites the cross-document layer, which
        must not interleave with another one (SQLite's writes are all serial; PostgreSQL
        takes a lock for these only)."""
        if self.readonly:
            raise StoreError("this store was opened read-only", source=self.path)
        if self.conn.in_transaction:  # nested: join the outer transaction
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy(_BUSY, source=self.path) from exc
            raise StoreError(f"cannot write: {exc}", source=self.path) from exc
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # -- documents ---------------------------------------------------------------------
    def add_document(self, doc: Document) -> tuple[str, bool]:
        """Store a cleaned document; returns (id, True) if new, (id, False) if known."""
        m = doc.meta
        with self.write() as conn:
            # one statement decides, so two writers adding the same article at once store
            # it once: the second waits for the first and inserts nothing
            new = conn.execute(
                "INSERT INTO documents (id, source, kind, outlet, wire, published, "
                "published_inferred, published_inferred_reason, title, author, language, url, "
                "text, raw_text, meta_json, removed_json, added_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING "
                "RETURNING seq",
                (doc.id, doc.source, doc.kind, m.outlet, m.wire, m.published,
                 doc.published_inferred, doc.published_inferred_reason, m.title, m.author,
                 m.language, m.url, doc.text, doc.raw_text, json.dumps(m.as_dict()),
                 json.dumps([r.as_dict() for r in doc.removed]), now())).fetchone() is not None
            if new:  # counted once: the text of a stored document never changes
                self._add_word_counts(dict.fromkeys(content_words(doc.text, m.language), 1))
                conn.execute("UPDATE documents SET words_counted=1 WHERE id=?", (doc.id,))
            # the same article again: remember where it was seen, change nothing else ...
            conn.execute("INSERT INTO document_sources (doc_id, source, seen_at) "
                         "VALUES (?,?,?) ON CONFLICT DO NOTHING", (doc.id, doc.source, now()))
            if not new:  # ... except that an analysis that failed is tried again
                conn.execute("UPDATE documents SET failed_at=NULL, failed_reason=NULL "
                             "WHERE id=? AND failed_at IS NOT NULL", (doc.id,))
                return doc.id, False
        return doc.id, True

    def resolve_id(self, ref: str) -> str:
        """A document id from an id, a unique id prefix, or the document's number."""
        ref = ref.strip()
        if len(ref) > MAX_QUERY or "\x00" in ref:
            raise NotFound(f"no document {ref[:80]!r}", source=ref[:80])
        if ref.isdigit():
            row = self.conn.execute("SELECT id FROM documents WHERE seq=?", (int(ref),)).fetchone()
        else:
            rows = self.conn.execute("SELECT id FROM documents WHERE id LIKE ? LIMIT 2",
                                     (ref.replace("%", "") + "%",)).fetchall()
            if len(rows) > 1:
                raise NotFound(f"document reference {ref!r} is ambiguous", source=ref)
            row = rows[0] if rows else None
        if row is None:
            row = self.conn.execute("SELECT id FROM documents WHERE source=? "
                                    "ORDER BY seq LIMIT 1", (ref,)).fetchone()
        if row is None:
            raise NotFound(f"no document {ref!r}", source=ref)
        return str(row["id"])

    def get_document(self, ref: str) -> Document:
        """The stored document for an id, id prefix, number or source path."""
        row = self.conn.execute("SELECT * FROM documents WHERE id=?",
                                (self.resolve_id(ref),)).fetchone()
        return _row_to_document(row)

    def documents(self, *, pending_only: bool = False) -> Iterator[Document]:
        """Every stored document in ingest order (or only those to analyse: never analysed
        and not failed, or analysed against an anchor date that is no longer theirs)."""
        if not pending_only:
            for row in self.conn.execute("SELECT * FROM documents ORDER BY seq").fetchall():
                yield _row_to_document(row)
            return
        # two indexed queries (documents_pending, documents_inferred), never a scan
        seqs = {r[0] for r in self.conn.execute(
            "SELECT seq FROM documents WHERE analysed_at IS NULL AND failed_at IS NULL")}
        seqs |= {r[0] for r in self.conn.execute(
            "SELECT seq FROM documents WHERE published IS NULL AND published_inferred IS NOT "
            "NULL AND analysed_at IS NOT NULL AND failed_at IS NULL "
            "AND published_inferred IS DISTINCT FROM analysis_anchor")}
        for seq in sorted(seqs):
            row = self.conn.execute("SELECT * FROM documents WHERE seq=?", (seq,)).fetchone()
            if row is not None:
                yield _row_to_document(row)

    def link_queue(self) -> tuple[list[str], list[str]]:
        """What a run stopped before finishing: (analysed documents not linked, documents
        linked whose linking run did not finish), each in ingest order."""
        rows = self.conn.execute(
            "SELECT q.doc_id, d.failed_at, sd.doc_id AS linked FROM link_queue q "
            "JOIN documents d ON d.id = q.doc_id "
            "LEFT JOIN story_documents sd ON sd.doc_id = q.doc_id ORDER BY d.seq").fetchall()
        return ([r["doc_id"] for r in rows if r["linked"] is None and r["failed_at"] is None],
                [r["doc_id"] for r in rows if r["linked"] is not None])

    def dequeue_links(self, doc_ids: list[str]) -> None:
        """Documents linked: off the link queue."""
        with self.write() as conn:
            conn.executemany("DELETE FROM link_queue WHERE doc_id=?", [(d,) for d in doc_ids])

    def mark_failed(self, doc_id: str, reason: str) -> None:
        """Record that a document's analysis failed, and why; analysis passes it by."""
        with self.write() as conn:
            conn.execute("UPDATE documents SET failed_at=?, failed_reason=? WHERE id=?",
                         (now(), reason, doc_id))

    def failed_documents(self) -> list[dict[str, Any]]:
        """Documents whose analysis failed: seq, id, source and the reason."""
        return [dict(r) for r in self.conn.execute(
            "SELECT seq, id, source, failed_at, failed_reason FROM documents "
            "WHERE failed_at IS NOT NULL ORDER BY seq").fetchall()]

    def list_documents(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """A summary row per document, newest first by date."""
        rows = self.conn.execute(
            "SELECT d.seq, d.id, d.source, d.outlet, d.wire, d.published, d.published_inferred, "
            "d.title, d.language, length(d.text) AS chars, d.analysed_at, d.failed_reason, "
            "sd.story_id, "
            "json_array_length(d.removed_json) AS removed "
            "FROM documents d LEFT JOIN story_documents sd ON sd.doc_id = d.id "
            "ORDER BY d.seq LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return [with_display(dict(r)) for r in rows]

    def count_documents(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def set_published_inferred(self, doc_id: str, date: str | None, reason: str | None) -> None:
        """Record an inferred date (never in place of a stated one)."""
        with self.write() as conn:
            conn.execute("UPDATE documents SET published_inferred=?, published_inferred_reason=? "
                         "WHERE id=?", (date, reason, doc_id))

    # -- analyses ----------------------------------------------------------------------
    def save_analysis(self, doc_id: str, analysis: Analysis, model: str = "",
                      anchor: str | None = None) -> None:
        """Replace a document's extracted facts (in one transaction); `anchor` is the date
        its relative times were read against."""
        with self.write() as conn:
            # the document's row first: a second writer analysing the same document waits
            # here for the first one's facts, and then replaces them
            conn.execute("UPDATE documents SET analysis_json=?, analysed_at=?, model=?, "
                         "analysis_anchor=?, failed_at=NULL, failed_reason=NULL WHERE id=?",
                         (json.dumps(analysis.as_dict()), now(), model, anchor, doc_id))
            before = {r[0] for r in conn.execute(
                "SELECT DISTINCT entity_key FROM entity_mentions WHERE doc_id=?", (doc_id,))}
            after = {ent.key for ent in analysis.entities if ent.mentions}
            for table in ("entity_mentions", "times", "quotes", "events"):
                conn.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc_id,))
            # shared rows in key order, so that concurrent writers never wait on each other
            # in a circle; each kind of row in one executemany (one round trip to a server)
            conn.executemany("INSERT INTO entity_counts (entity_key, n_documents) VALUES (?, ?) "
                             "ON CONFLICT(entity_key) DO UPDATE SET "
                             "n_documents = entity_counts.n_documents + excluded.n_documents",
                             [(k, -1 if k in before else 1) for k in sorted(before ^ after)])
            ents = sorted(analysis.entities, key=lambda e: e.key)
            conn.executemany("INSERT INTO entities (key, name, type, code, role) VALUES "
                             "(?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET "
                             "code=coalesce(entities.code, excluded.code), "
                             "role=coalesce(excluded.role, entities.role)",
                             [(e.key, e.name, e.type, e.code, e.role) for e in ents])
            conn.executemany("INSERT INTO entity_mentions (doc_id, entity_key, surface, "
                             "start, end) VALUES (?,?,?,?,?)",
                             [(doc_id, ent.key, m.text, m.start, m.end)
                              for ent in analysis.entities for m in ent.mentions])
            conn.executemany("INSERT INTO times (doc_id, idx, text, start, end, value_json) "
                             "VALUES (?,?,?,?,?,?)", [
                                 (doc_id, i, t.text, t.start, t.end, json.dumps(t.value))
                                 for i, t in enumerate(analysis.times)])
            conn.executemany("INSERT INTO quotes (doc_id, idx, text, start, end, speaker, "
                             "speaker_key, direct, source_text, source_start, source_end) "
                             "VALUES (?,?,?,?,?,?,?,?,?,?,?)", [
                                 (doc_id, i, q.text, q.start, q.end, q.speaker, q.speaker_key,
                                  int(q.direct), q.source_text, q.source_start, q.source_end)
                                 for i, q in enumerate(analysis.quotes)])
            conn.executemany(
                "INSERT INTO events (doc_id, event_id, type, subtype, actor, actor_key, "
                "target, target_key, item, quantity, when_json, when_start, when_end, "
                "place, source, source_key, status, start, end, json) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc_id, ev.id, ev.type, ev.subtype, ev.actor, ev.actor_key, ev.target,
                  ev.target_key, ev.item, ev.quantity, json.dumps(ev.when), *_value_bounds(ev.when),
                  ev.where, ev.source, ev.source_key, ev.status, ev.start, ev.end,
                  json.dumps(ev.as_dict())) for ev in analysis.events])
            conn.execute("INSERT INTO link_queue (doc_id) VALUES (?) ON CONFLICT DO NOTHING",
                         (doc_id,))

    def entity_document_count(self, key: str) -> int:
        """How many documents name the entity (`entity_counts`, kept by save_analysis)."""
        row = self.conn.execute("SELECT n_documents FROM entity_counts WHERE entity_key=?",
                                (key,)).fetchone()
        return int(row[0]) if row else 0

    def get_analysis(self, doc_id: str) -> Analysis | None:
        row = self.conn.execute("SELECT analysis_json FROM documents WHERE id=?",
                                (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"no document {doc_id!r}", source=doc_id)
        return Analysis.from_dict(json.loads(row[0])) if row[0] else None

    # -- sentence vectors --------------------------------------------------------------
    def get_vectors(self, embedder: str, texts: list[str]) -> dict[str, bytes]:
        """The stored vectors (raw bytes) of those `texts` that `embedder` has embedded
        before; `embedder` names the vector space (e.g. "e5/384")."""
        by_hash = {text_hash(t): t for t in texts}
        keys = list(by_hash)
        out: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self.conn.execute(
                "SELECT text_hash, vec FROM text_vectors WHERE embedder=? AND text_hash IN "
                f"({','.join('?' * len(chunk))})", (embedder, *chunk)).fetchall()
            for r in rows:
                out[by_hash[r[0]]] = bytes(r[1])
        return out

    def put_vectors(self, embedder: str, vectors: dict[str, bytes]) -> None:
        """Remember the vectors of texts (text -> raw bytes); a read-only store skips it."""
        if self.readonly or not vectors:
            return
        with self.write() as conn:
            # in key order: concurrent writers never wait on each other in a circle
            conn.executemany("INSERT INTO text_vectors (embedder, text_hash, vec) "
                             "VALUES (?,?,?) ON CONFLICT DO NOTHING",
                             sorted((embedder, text_hash(t), v) for t, v in vectors.items()))

    # -- search ------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20, offset: int = 0,
               groups: list[list[str]] | None = None) -> list[dict[str, Any]]:
        """Full-text search (FTS5) with a highlighted snippet; plain words are ANDed, and
        `groups` (when given, in place of the query's words) are ANDed groups of phrases
        any one of which may match (a name and its aliases).

        The best `limit` by bm25 (ties: the newest first), from `offset`, of the
        SEARCH_WINDOW latest documents that match. bm25 costs about a microsecond per
        match ranked (each match's term positions and length), so ranking every match of a
        common word would cost the size of the corpus; the window bounds it. A query with
        fewer matches (most queries of two words or more) is ranked whole; one
        that matches more (a common word) gets the best of its latest SEARCH_WINDOW
        matches, where the older ones would compete on a weak signal anyway (the words
        are everywhere), and a narrower query reaches further back (`count_search` says
        how many match in all). Snippets are made for the results only, in one pass over
        the matches between the oldest and the newest result (a separate FTS5 query per
        result cost a doclist seek in every index segment, which grows with the corpus).
        """
        check_query(query)
        fts = _fts_groups(groups) if groups is not None else _fts_query(query)
        if not fts:
            return []
        try:
            top = self.conn.execute(
                "WITH hits AS (SELECT rowid, rank FROM documents_fts WHERE documents_fts "
                "MATCH ? ORDER BY rowid DESC LIMIT ?) "
                "SELECT rowid, rank FROM hits ORDER BY rank, rowid DESC LIMIT ? OFFSET ?",
                (fts, SEARCH_WINDOW, limit, offset)).fetchall()
            if not top:
                return []
            seqs = [int(r[0]) for r in top]
            marks = ",".join("?" * len(seqs))
            snippets = {int(r[0]): r[1] for r in self.conn.execute(
                "SELECT rowid, snippet(documents_fts, 1, '[', ']', ' … ', 12) "
                "FROM documents_fts WHERE documents_fts MATCH ? AND rowid BETWEEN ? AND ? "
                f"AND +rowid IN ({marks})", (fts, min(seqs), max(seqs), *seqs))}
            docs = {int(r["seq"]): r for r in self.conn.execute(
                "SELECT id, seq, title, outlet, wire, published, published_inferred, source "
                f"FROM documents WHERE seq IN ({marks})", seqs)}
        except sqlite3.OperationalError as exc:  # a query FTS5 cannot read: the client's
            raise InputError(f"bad search query {query!r}: {exc}", source="q") from exc
        return [with_display({**dict(docs[seq]), "snippet": snippets.get(seq), "rank": rank})
                for seq, rank in ((int(r[0]), r[1]) for r in top) if seq in docs]

    def count_search(self, query: str, groups: list[list[str]] | None = None) -> int:
        """How many documents match the query (all of them, not only the ranked window)."""
        check_query(query)
        fts = _fts_groups(groups) if groups is not None else _fts_query(query)
        if not fts:
            return 0
        try:
            return int(self.conn.execute("SELECT count(*) FROM documents_fts WHERE "
                                         "documents_fts MATCH ?", (fts,)).fetchone()[0])
        except sqlite3.OperationalError as exc:
            raise InputError(f"bad search query {query!r}: {exc}", source="q") from exc


def text_hash(text: str) -> str:
    """The key of a text in `text_vectors`: blake2b-128 of its UTF-8 bytes, in hex."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def check_query(query: str) -> None:
    """Refuse a search query longer than MAX_QUERY characters (InputError, the client's)."""
    if len(query) > MAX_QUERY:
        raise InputError(f"the query is {len(query):,} characters long; at most {MAX_QUERY:,}",
                         source="q")
    if _BAD_QUERY_CHARS.search(query):
        raise InputError("the query holds control characters", source="q")


_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_BAD_QUERY_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fts_query(query: str) -> str:
    """Quote each word so user text never becomes FTS5 syntax by accident (control
    characters, which FTS5 cannot take inside a string, are spaces)."""
    query = _CONTROL_CHARS.sub(" ", query)
    words = [w for w in query.replace('"', " ").split() if w]
    return " ".join(f'"{w}"' for w in words)


def _fts_phrase(text: str) -> str:
    return '"' + " ".join(_CONTROL_CHARS.sub(" ", text).replace('"', " ").split()) + '"'


def _fts_groups(groups: list[list[str]]) -> str:
    """An FTS5 query from groups of phrases: a phrase of each group must match (OR within a
    group, AND between groups); every phrase is quoted, so nothing in it is syntax."""
    parts = []
    for group in groups:
        phrases = list(dict.fromkeys(p for p in (_fts_phrase(t) for t in group) if p != '""'))
        if phrases:
            parts.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    return " AND ".join(parts)


def _row_to_document(row: sqlite3.Row) -> Document:
    meta = DocMeta.from_dict(json.loads(row["meta_json"]))
    return Document(
        id=row["id"], source=row["source"], text=row["text"], meta=meta,
        removed=[RemovedLine.from_dict(r) for r in json.loads(row["removed_json"])],
        raw_text=row["raw_text"], kind=row["kind"],
        published_inferred=row["published_inferred"],
        published_inferred_reason=row["published_inferred_reason"])
