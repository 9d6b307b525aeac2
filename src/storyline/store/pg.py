"""PostgreSQL behind the SQLite store's interface: schema translation and a connection adapter.

The schema is not written twice: `translate_migration` turns each SQLite migration of
`schema.MIGRATIONS` into PostgreSQL DDL mechanically (INTEGER -> BIGINT, REAL -> DOUBLE
PRECISION, TEXT -> TEXT COLLATE "C" so text sorts by code point as in SQLite, BLOB ->
BYTEA, INTEGER PRIMARY KEY -> an identity column, a `rowid` identity column on every
other rowid table so "latest first" orders read the same, an FTS5 table -> a generated,
GIN-indexed tsvector column on its content table, and its sync triggers dropped).

`PgConnection` gives the rest of Storyline what it uses of `sqlite3.Connection`:
`execute`/`executemany` with `?` placeholders, rows readable by name and by index
(`PgRow`), `lastrowid` after an INSERT, `in_transaction`. `translate` rewrites the few
SQLite-only spellings that remain at the call sites (`?`, `INSERT OR IGNORE`, `INDEXED
BY`, the column name `end`, which PostgreSQL reserves). SQLite's `json_extract`,
`json_type` and `json_array_length` over TEXT exist in PostgreSQL as small SQL functions
(`COMPAT_FUNCTIONS`) with SQLite's results.
"""

from __future__ import annotations

import contextlib
import functools
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import pq

from .schema import split_sql

# Characters of a document's text (after its title) that go into its tsvector: PostgreSQL
# refuses a tsvector over 1 MB, which a long text of many distinct words can reach.
FTS_MAX_CHARS = 300_000
# Text search configuration: 'simple' (lower-cased words, no stemming, no stop words), as
# FTS5's unicode61 tokenizer does, for articles in any language.
FTS_CONFIG = "simple"

# Words PostgreSQL reserves that the SQLite schema uses as column names.
_RESERVED = {"end"}
# The name of the insertion-order column added to tables that SQLite gives a rowid.
ROWID = "rowid"
_HIDDEN = {ROWID}
# What comes before an expression (so an `end` after it is the column, not a CASE's end).
_BEFORE_EXPR = {"SELECT", "WHEN", "THEN", "ELSE", "AND", "OR", "NOT", "BY", "ON", "WHERE",
                "SET", "DISTINCT", "BETWEEN", "LIKE", "IS", "IN", "CASE", "HAVING"}
_OPERATORS = {"=", "<", ">", "(", ",", "+", "-", "*", "/", "|", "!", "%"}
_TSVECTOR_OID = 3614

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\s+|.""",
                    re.DOTALL)

COMPAT_FUNCTIONS = [
    # json_extract(json, '$.a.b'): the value as text (NULL when absent or JSON null),
    # arrays and objects as JSON text, as SQLite returns them to Python.
    """CREATE OR REPLACE FUNCTION json_extract(doc text, path text) RETURNS text
       LANGUAGE sql IMMUTABLE AS $$
       SELECT CASE jsonb_typeof(v) WHEN 'null' THEN NULL
                   WHEN 'string' THEN v #>> '{}'
                   WHEN 'boolean' THEN CASE WHEN v = 'true'::jsonb THEN '1' ELSE '0' END
                   ELSE v::text END
       FROM (SELECT doc::jsonb #> string_to_array(substr(path, 3), '.') AS v) x $$""",
    # json_type(json, '$.a'): SQLite's type names; NULL when the path is absent.
    """CREATE OR REPLACE FUNCTION json_type(doc text, path text) RETURNS text
       LANGUAGE sql IMMUTABLE AS $$
       SELECT CASE jsonb_typeof(v) WHEN 'string' THEN 'text'
                   WHEN 'boolean' THEN CASE WHEN v = 'true'::jsonb THEN 'true' ELSE 'false' END
                   WHEN 'number' THEN CASE WHEN v::text ~ '^-?[0-9]+$' THEN 'integer'
                                           ELSE 'real' END
                   ELSE jsonb_typeof(v) END
       FROM (SELECT doc::jsonb #> string_to_array(substr(path, 3), '.') AS v) x $$""",
    """CREATE OR REPLACE FUNCTION json_array_length(doc text) RETURNS bigint
       LANGUAGE sql IMMUTABLE AS $$ SELECT json_array_length(doc::json)::bigint $$""",
]


def is_url(path: str) -> bool:
    """Whether a --db value names a PostgreSQL database rather than a SQLite file."""
    return path.startswith(("postgresql://", "postgres://"))


# -- DDL ---------------------------------------------------------------------------------
def _top_level_split(body: str) -> list[str]:
    """Split a column list on the commas outside parentheses and quotes."""
    parts, depth, buf = [], 0, ""
    for tok in _TOKEN.findall(body):
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        if tok == "," and depth == 0:
            parts.append(buf.strip())
            buf = ""
        else:
            buf += tok
    if buf.strip():
        parts.append(buf.strip())
    return parts


_TYPES = {"INTEGER": "BIGINT", "INT": "BIGINT", "REAL": "DOUBLE PRECISION",
          "TEXT": 'TEXT COLLATE "C"', "BLOB": "BYTEA", "NUMERIC": "NUMERIC"}
_CONSTRAINTS = {"PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "CONSTRAINT"}


def _ident(name: str) -> str:
    return f'"{name}"' if name.lower() in _RESERVED else name


def _column(defn: str) -> tuple[str, str, bool]:
    """(PostgreSQL column definition, column name, is the integer primary key)."""
    m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z]+)(.*)$", defn, re.DOTALL)
    if m is None:
        raise ValueError(f"cannot translate the column definition {defn!r}")
    name, typ, rest = m.group(1), m.group(2).upper(), m.group(3)
    if typ not in _TYPES:
        raise ValueError(f"cannot translate the column type {typ!r} in {defn!r}")
    if typ == "INTEGER" and re.match(r"\s*PRIMARY\s+KEY", rest, re.IGNORECASE):
        return (f"{_ident(name)} BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                name, True)
    return f"{_ident(name)} {_TYPES[typ]}{translate_words(rest)}", name, False


def _create_table(stmt: str) -> list[str]:
    m = re.match(r"CREATE\s+TABLE\s+(\w+)\s*\((.*)\)\s*(WITHOUT\s+ROWID)?\s*$", stmt, re.DOTALL | re.IGNORECASE)
    if m is None:
        raise ValueError(f"cannot translate {stmt[:80]!r}")
    table, body, without_rowid = m.group(1), m.group(2), bool(m.group(3))
    defs, has_alias = [], False
    for part in _top_level_split(body):
        if part.split()[0].upper() in _CONSTRAINTS:
            defs.append(translate_words(part))
            continue
        defn, _, is_pk = _column(part)
        has_alias |= is_pk
        defs.append(defn)
    if not without_rowid and not has_alias:  # SQLite's implicit rowid: insertion order
        defs.append(f"{ROWID} BIGINT GENERATED BY DEFAULT AS IDENTITY")
    return [f"CREATE TABLE {table} (\n    " + ",\n    ".join(defs) + "\n)"]


def _create_index(stmt: str, rowids: dict[str, str]) -> str:
    """An index as SQLite builds it: on a rowid table every index ends with the rowid (so
    `WHERE key=? ORDER BY rowid DESC LIMIT n` reads n entries), which PostgreSQL needs
    spelled out."""
    m = re.match(r"(CREATE\s+(UNIQUE\s+)?INDEX\s+\w+\s+ON\s+(\w+)\s*\()([^)]*)(\).*)$", stmt,
                 re.DOTALL | re.IGNORECASE)
    if m is None:
        raise ValueError(f"cannot translate {stmt[:80]!r}")
    cols, rowid = m.group(4), rowids.get(m.group(3))
    if rowid and not m.group(2) and rowid not in re.findall(r"\w+", cols):
        cols += f", {rowid}"
    return translate(m.group(1) + cols + m.group(5), params=False)


def _create_fts(stmt: str) -> list[str]:
    m = re.match(r"CREATE\s+VIRTUAL\s+TABLE\s+(\w+)\s+USING\s+fts5\s*\((.*)\)\s*$", stmt,
                 re.DOTALL | re.IGNORECASE)
    if m is None:
        raise ValueError(f"cannot translate {stmt[:80]!r}")
    name, args = m.group(1), _top_level_split(m.group(2))
    opts = dict(re.findall(r"(\w+)\s*=\s*'([^']*)'", m.group(2)))
    content = opts.get("content")
    if not content:
        raise ValueError(f"{name}: only external-content FTS5 tables translate")
    cols = [a.strip() for a in args if "=" not in a]
    weights = "ABCD"
    parts = []
    for i, col in enumerate(cols):
        text = f"coalesce({_ident(col)}, '')"
        if i == len(cols) - 1:
            text = f"left({text}, {FTS_MAX_CHARS})"
        parts.append(f"setweight(to_tsvector('{FTS_CONFIG}'::regconfig, {text}), "
                     f"'{weights[min(i, 3)]}')")
    column = (f"ALTER TABLE {content} ADD COLUMN {name} tsvector GENERATED ALWAYS AS "
              f"({' || '.join(parts)}) STORED")
    return [column, f"CREATE INDEX {name}_gin ON {content} USING gin ({name})"]


def translate_migration(script: str, fts_tables: set[str] | None = None,
                        rowids: dict[str, str] | None = None) -> list[str]:
    """PostgreSQL statements for one SQLite migration. `fts_tables` collects the names of
    FTS5 tables met so far (their SQLite triggers are dropped: a generated column does
    their work), `rowids` each table's rowid column (the last column of its indexes);
    pass the same ones to every migration in turn."""
    fts = fts_tables if fts_tables is not None else set()
    rowids = rowids if rowids is not None else {}
    out: list[str] = []
    for stmt in split_sql(script):
        head = " ".join(stmt.split()[:3]).upper()
        if head.startswith("CREATE VIRTUAL TABLE"):
            fts.add(stmt.split()[3])
            out += _create_fts(stmt)
        elif head.startswith("CREATE TABLE"):
            out += _create_table(stmt)
            rowids.update(_rowid_columns(stmt))
        elif head.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")):
            out.append(_create_index(stmt, rowids))
        elif head.startswith("CREATE TRIGGER"):
            if not any(re.search(rf"\b{re.escape(t)}\b", stmt) for t in fts):
                raise ValueError(f"no PostgreSQL translation for the trigger {stmt[:60]!r}")
        elif head.startswith("ALTER TABLE") and _ADD_COLUMN.match(stmt):
            m = _ADD_COLUMN.match(stmt)
            assert m is not None
            out.append(m.group(1) + _column(m.group(2))[0])
        else:
            out.append(translate(stmt, params=False))
    return out


_ADD_COLUMN = re.compile(r"(ALTER\s+TABLE\s+\w+\s+ADD\s+COLUMN\s+)(.*)$",
                         re.DOTALL | re.IGNORECASE)


def _rowid_columns(stmt: str) -> dict[str, str]:
    """{table: its rowid column} for a CREATE TABLE: the INTEGER PRIMARY KEY, or the added
    `rowid`; nothing for a WITHOUT ROWID table."""
    m = re.match(r"CREATE\s+TABLE\s+(\w+)\s*\((.*)\)\s*(WITHOUT\s+ROWID)?\s*$", stmt,
                 re.DOTALL | re.IGNORECASE)
    if m is None or m.group(3):
        return {}
    for part in _top_level_split(m.group(2)):
        c = re.match(r"(\w+)\s+INTEGER\s+PRIMARY\s+KEY", part, re.IGNORECASE)
        if c:
            return {m.group(1): c.group(1)}
    return {m.group(1): ROWID}


def identity_columns(migrations: Sequence[str]) -> dict[str, str]:
    """Table -> its integer primary key column (SQLite's rowid alias), over all migrations."""
    out: dict[str, str] = {}
    for script in migrations:
        for stmt in split_sql(script):
            if re.match(r"CREATE\s+TABLE\b", stmt, re.IGNORECASE):
                out.update({t: c for t, c in _rowid_columns(stmt).items() if c != ROWID})
    return out


# -- statements --------------------------------------------------------------------------
def translate_words(sql: str) -> str:
    """Quote the reserved column names of a DDL fragment."""
    return translate(sql, params=False)


@functools.lru_cache(maxsize=4096)
def translate(sql: str, params: bool = True,
              returning: str | None = None) -> str:
    """A SQLite statement as PostgreSQL reads it (see the module docstring); with
    `params`, `?` becomes psycopg's `%s` (and a literal `%` doubles); `returning` adds
    `RETURNING column` to an INSERT that has none."""
    toks = _TOKEN.findall(sql)
    out: list[str] = []
    case_depth = 0
    or_ignore = False
    prev = ""  # the previous token that is not white space
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.upper() if tok[:1].isalpha() or tok[:1] == "_" else ""
        if word == "OR" and prev.upper() == "INSERT":
            nxt = _next_word(toks, i)
            if nxt is not None and toks[nxt].upper() == "IGNORE":
                or_ignore = True
                i = nxt + 2 if nxt + 1 < len(toks) and toks[nxt + 1].isspace() else nxt + 1
                continue
            if nxt is not None and toks[nxt].upper() == "REPLACE":
                raise ValueError("INSERT OR REPLACE has no PostgreSQL translation: write "
                                 "INSERT ... ON CONFLICT (key) DO UPDATE")
        by = _next_word(toks, i) if word == "INDEXED" else None
        if by is not None and toks[by].upper() == "BY":  # SQLite's index hint: dropped
            name = _next_word(toks, by)
            i = (name if name is not None else by) + 1
            if i < len(toks) and toks[i].isspace():
                i += 1
            continue
        if tok.startswith("--"):  # a comment: nothing appended may land inside it
            tok = " "
        if word == "CASE":
            case_depth += 1
        elif word == "END":
            as_column = prev.upper() in _BEFORE_EXPR or prev in _OPERATORS
            if case_depth and not as_column:  # closes a CASE: it follows an expression
                case_depth -= 1
            elif prev != ".":
                tok = '"end"'
        elif params and tok == "?":
            tok = "%s"
        elif params and "%" in tok:  # psycopg reads % everywhere, in literals too
            tok = tok.replace("%", "%%")
        out.append(tok)
        if not tok.isspace():
            prev = tok
        i += 1
    text = "".join(out).rstrip().rstrip(";")
    if or_ignore:
        text += " ON CONFLICT DO NOTHING"
    if returning and not _RETURNING.search(text):
        text += f" RETURNING {returning}"
    return text


def _next_word(toks: list[str], i: int) -> int | None:
    for j in range(i + 1, len(toks)):
        if not toks[j].isspace():
            return j
    return None


_INSERT_TABLE = re.compile(r"\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_INSERT_COLUMNS = re.compile(r"\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)\s*\(([^)]*)\)",
                             re.IGNORECASE)


# -- rows and connections ----------------------------------------------------------------
class PgRow:
    """A result row read by index or by column name, as `sqlite3.Row` is."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: tuple[Any, ...], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._index[key]]
            except KeyError:
                lowered = key.lower()
                if lowered in self._index:
                    return self._values[self._index[lowered]]
                raise IndexError(f"no such column: {key}") from None
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PgRow) and self._values == other._values \
            and self._index == other._index

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"PgRow({dict(zip(self._index, self._values))!r})"


def _row_factory(cursor: Any) -> Any:
    desc = cursor.description or []
    keep = [i for i, d in enumerate(desc)
            if d.name not in _HIDDEN and d.type_code != _TSVECTOR_OID]
    index = {desc[i].name: n for n, i in enumerate(keep)}
    if len(keep) == len(desc):
        return lambda values: PgRow(tuple(values), index)
    return lambda values: PgRow(tuple(values[i] for i in keep), index)


class PgCursor(psycopg.ClientCursor):  # type: ignore[type-arg]
    """A client-side binding cursor (parameters are quoted into the statement, so an
    untyped `?` reads as SQLite's does) with SQLite's `lastrowid`."""

    lastrowid: int | None = None


class PgConnection:
    """What Storyline uses of `sqlite3.Connection`, over a psycopg connection in
    autocommit mode (transactions are explicit: `Store.write` issues BEGIN/COMMIT)."""

    def __init__(self, raw: psycopg.Connection[Any], identity: dict[str, str]) -> None:
        self.raw = raw
        self.identity = identity
        self.statements = 0  # statements sent (each execute, each executemany), for benches

    def cursor(self) -> PgCursor:
        return PgCursor(self.raw, row_factory=_row_factory)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        self.statements += 1
        cur = self.cursor()
        m = _INSERT_TABLE.match(sql)
        returning = (self.identity.get(m.group(1))
                     if m and not _RETURNING.search(sql) else None)
        cur.execute(translate(sql, True, returning), tuple(params or ()))  # type: ignore[arg-type]
        if returning:  # (in a pipeline, fetching waits for the answer)
            row = cur.fetchone()
            cur.lastrowid = int(row[0]) if row is not None else None
        self._follow_explicit_ids(sql)
        return cur

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        self.statements += 1
        cur = self.cursor()
        rows = [tuple(r) for r in seq]
        if rows:
            cur.executemany(translate(sql), rows)  # type: ignore[arg-type]
            self._follow_explicit_ids(sql)
        return cur

    def _follow_explicit_ids(self, sql: str) -> None:
        """After rows inserted with their own ids (copies of a store, benchmarks), move the
        identity past them, so the next row without one gets a new id, as in SQLite."""
        m = _INSERT_COLUMNS.match(sql)
        column = self.identity.get(m.group(1)) if m else None
        if m and column and column in re.findall(r"\w+", m.group(2)):
            self.raw.execute(f"SELECT setval(pg_get_serial_sequence('{m.group(1)}', "
                             f"'{column}'), (SELECT coalesce(max({column}), 0) + 1 "
                             f"FROM {m.group(1)}), false)")

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def connect(url: str, identity: dict[str, str], *, readonly: bool = False) -> PgConnection:
    """A connection to the database at `url` (autocommit; read-only sessions for readers)."""
    raw = psycopg.connect(url, autocommit=True)
    if readonly:
        raw.execute("SET default_transaction_read_only = on")
    return PgConnection(raw, identity)


def database_url(url: str, name: str) -> str:
    """`url` with its database replaced by `name`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextlib.contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A new, empty database beside the one `url` names (its user may create databases),
    dropped afterwards: for tests and benchmarks."""
    name = f"storyline_scratch_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield database_url(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
