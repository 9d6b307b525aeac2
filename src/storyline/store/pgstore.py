"""The store in PostgreSQL: the same methods as the SQLite store, several writers at once.

Opened by `Store.open("postgresql://...")`. The schema comes from the same migrations
(`pg.translate_migration`), with its version in the table `storyline_schema`. Writers do
not wait on each other except where they touch the same rows (a document, an entity's
count, a vector): two processes adding the same article store it once
(`ON CONFLICT DO NOTHING`), and two analysing the same document take turns on its row.
Transactions that rewrite the cross-document layer (`write(serial=True)`: linking,
migrations) take one advisory lock, so they run one at a time as on SQLite. Readers
never wait: every statement reads a committed snapshot.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from typing import Any

import psycopg

from ..errors import InputError, StoreBusy, StoreError, StorylineError
from ..records import with_display
from . import db, pg
from .db import Store, check_query
from .schema import MIGRATIONS

# pg_advisory_xact_lock key of the serial transactions ("storyline" in ASCII, truncated).
SERIAL_LOCK = 0x73746F72796C696E
VERSION_TABLE = "storyline_schema"
# ts_headline options: the SQLite snippet's markers and about as many words.
_HEADLINE = ('StartSel=[, StopSel=], MaxWords=14, MinWords=6, MaxFragments=1, '
             'FragmentDelimiter=" … "')


@functools.cache
def pg_migrations() -> tuple[tuple[str, ...], ...]:
    """Every migration of `schema.MIGRATIONS`, translated (version i -> i+1 at index i)."""
    fts: set[str] = set()
    rowids: dict[str, str] = {}
    return tuple(tuple(pg.translate_migration(m, fts, rowids)) for m in MIGRATIONS)


@functools.cache
def _identity() -> dict[str, str]:
    return pg.identity_columns(MIGRATIONS)


def redact(url: str) -> str:
    """A URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


class PgStore(Store):
    """A Storyline store in a PostgreSQL database."""

    backend = "postgresql"
    _writing = False  # inside write() (the server's transaction status lags in a pipeline)

    @classmethod
    def open_url(cls, url: str, *, readonly: bool = False) -> PgStore:
        """Connect (and for a writer, create and migrate the schema)."""
        name = redact(url)
        try:
            conn = pg.connect(url, _identity(), readonly=readonly)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the store: {str(exc).strip()}", source=name) from exc
        store = cls(conn, name, readonly)
        try:
            store._ready(name)
        except StorylineError:
            conn.close()
            raise
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(f"not a usable Storyline store: {str(exc).strip()}",
                             source=name) from exc
        return store

    def schema_version(self) -> int:
        if self.conn.execute(f"SELECT to_regclass('{VERSION_TABLE}')").fetchone()[0] is None:
            return 0
        row = self.conn.execute(f"SELECT version FROM {VERSION_TABLE}").fetchone()
        return int(row[0]) if row else 0

    def _apply_migration(self, version: int) -> None:
        raw = self.conn.raw
        if version == 0:
            raw.execute(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version integer NOT NULL)")
            for fn in pg.COMPAT_FUNCTIONS:
                raw.execute(fn)
        for statement in pg_migrations()[version]:
            raw.execute(statement)
        raw.execute(f"DELETE FROM {VERSION_TABLE}")
        raw.execute(f"INSERT INTO {VERSION_TABLE} (version) VALUES ({version + 1})")

    @contextlib.contextmanager
    def write(self, serial: bool = False) -> Iterator[Any]:
        """One write transaction: all of it lands, or none of it (see the module doc)."""
        if self.readonly:
            raise StoreError("this store was opened read-only", source=self.path)
        raw = self.conn.raw
        lock = f"SELECT pg_advisory_xact_lock({_signed(SERIAL_LOCK)})"
        if self._writing:  # nested: join the outer transaction
            if serial:
                raw.execute(lock)
            yield self.conn
            return
        self._writing = True
        try:
            # pipeline mode: statements go to the server without waiting for each answer
            # (a read waits for what is before it), BEGIN and COMMIT included; an error
            # surfaces by the block's end at the latest, and nothing of it is committed
            with raw.pipeline():
                raw.execute("BEGIN")
                if serial:
                    raw.execute(lock)
                yield self.conn
                raw.execute("COMMIT")
        except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure) as exc:
            self._rollback()
            raise StoreBusy(f"the store is busy: {str(exc).strip()}; try again",
                            source=self.path) from exc
        except BaseException:
            self._rollback()
            raise
        finally:
            self._writing = False

    def _rollback(self) -> None:
        if not self.conn.raw.closed and self.conn.in_transaction:
            self.conn.raw.execute("ROLLBACK")

    def search(self, query: str, limit: int = 20, offset: int = 0,
               groups: list[list[str]] | None = None) -> list[dict[str, Any]]:
        """Full-text search (tsvector, ts_rank, ts_headline snippets): plain words are
        ANDed; `groups` (in place of the query's words) are ANDed groups of phrases any one
        of which may match (a name and its aliases).

        As on SQLite: the best `limit` from `offset` (ties: the newest first) of the
        SEARCH_WINDOW latest matching documents; `rank` is minus ts_rank, so that lower is
        better as with bm25.
        """
        check_query(query)
        tsq, args = _tsquery(query, groups)
        if tsq is None:
            return []
        try:
            rows = self.conn.execute(
                f"WITH q AS (SELECT {tsq} AS q), "
                "hits AS (SELECT d.seq, ts_rank(d.documents_fts, q.q) AS r "
                "FROM documents d, q WHERE d.documents_fts @@ q.q "
                "ORDER BY d.seq DESC LIMIT ?), "
                "top AS (SELECT seq, r FROM hits ORDER BY r DESC, seq DESC LIMIT ? OFFSET ?) "
                f"SELECT {SEARCH_COLUMNS}, "
                "ts_headline(?::regconfig, d.text, q.q, ?) AS snippet, -top.r AS rank "
                "FROM top JOIN documents d ON d.seq = top.seq, q "
                "ORDER BY top.r DESC, top.seq DESC",
                (*args, db.SEARCH_WINDOW, limit, offset, pg.FTS_CONFIG, _HEADLINE)).fetchall()
        except psycopg.errors.DataError as exc:
            raise InputError(f"bad search query {query!r}: {exc}", source="q") from exc
        return [with_display(dict(r)) for r in rows]

    def count_search(self, query: str, groups: list[list[str]] | None = None) -> int:
        """How many documents match the query (all of them, not only the ranked window)."""
        check_query(query)
        tsq, args = _tsquery(query, groups)
        if tsq is None:
            return 0
        return int(self.conn.execute(f"SELECT count(*) FROM documents WHERE documents_fts @@ "
                                     f"({tsq})", args).fetchone()[0])


# The columns of a search result besides snippet and rank (those of Store.search).
SEARCH_COLUMNS = ("d.id, d.seq, d.title, d.outlet, d.wire, d.published, d.published_inferred, "
                  "d.source")


def _tsquery(query: str, groups: list[list[str]] | None) -> tuple[str | None, list[str]]:
    """A tsquery expression and its parameters: the query's words ANDed (plainto_tsquery:
    nothing in them is syntax), or each group's phrases ORed and the groups ANDed; None
    when there is nothing to search for."""
    cfg = "?::regconfig"
    if groups is None:
        words = " ".join(query.split())
        return (f"plainto_tsquery({cfg}, ?)", [pg.FTS_CONFIG, words]) if words else (None, [])
    parts, args = [], []
    for group in groups:
        phrases = list(dict.fromkeys(" ".join(p.split()) for p in group if p.split()))
        if phrases:
            parts.append("(" + " || ".join(f"phraseto_tsquery({cfg}, ?)" for _ in phrases) + ")")
            for p in phrases:
                args += [pg.FTS_CONFIG, p]
    return (" && ".join(parts), args) if parts else (None, [])


def _signed(key: int) -> int:
    """A 64-bit lock key as PostgreSQL's signed bigint."""
    return key - (1 << 64) if key >= 1 << 63 else key
