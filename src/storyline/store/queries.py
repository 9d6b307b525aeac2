"""Read-side queries over one document's facts and the entities (not the cross-document layer).

Every fact returned carries its evidence: the document id and the character span, with the
exact text of the span, so a reader can highlight it and check it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import InputError, NotFound
from ..records import Analysis, display, with_display
from .db import Store, check_query


def _doc_summary(row: Any) -> dict[str, Any]:
    return with_display({"id": row["id"], "title": row["title"], "outlet": row["outlet"],
                         "wire": row["wire"], "published": row["published"],
                         "published_inferred": row["published_inferred"], "url": row["url"]})


# -- paging: every list route says its total and how to get the next page --------------------

MAX_PAGE = 5000


def encode_cursor(offset: int) -> str:
    """The opaque cursor of the page that starts at `offset`."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The offset a cursor points at (0 for none); a cursor this server did not give is an
    InputError naming it."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["o"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InputError("not a cursor this server gave (take next_cursor from the last page)",
                         source="cursor") from exc
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InputError("not a cursor this server gave (take next_cursor from the last page)",
                         source="cursor")
    return offset


def page(items: Sequence[Any], total: int, offset: int, limit: int,
         key: str) -> dict[str, Any]:
    """One page of a list: `key` holds the items; `total` counts every item of the list,
    `next_cursor` (None on the last page) fetches the next `limit`, `remaining` says how
    many come after this page."""
    end = offset + len(items)
    more = end < total
    return {"total": total, "offset": offset, "limit": limit,
            "remaining": max(0, total - end), key: list(items),
            "next_cursor": encode_cursor(end) if more and items else None}


def page_of(rows: Sequence[Any], offset: int, limit: int, key: str,
            shape: Callable[[Any], Any] = lambda r: r) -> dict[str, Any]:
    """A page cut from a list computed whole (e.g. the claims table)."""
    return page([shape(r) for r in rows[offset:offset + limit]], len(rows), offset, limit, key)


def displays(store: Store, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    """`display` of each of these documents, read from their rows (by id)."""
    out: dict[str, dict[str, Any]] = {}
    ids = list(dict.fromkeys(doc_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in store.conn.execute(
                "SELECT id, outlet, wire, published, published_inferred FROM documents "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            out[r["id"]] = display(r)
    return out


def resolve_entity(store: Store, ref: str) -> dict[str, Any]:
    """The entity row for a key, or for a name (case-insensitive); NotFound otherwise."""
    row = store.conn.execute("SELECT * FROM entities WHERE key=?", (ref,)).fetchone()
    if row is None:
        row = store.conn.execute("SELECT * FROM entities WHERE lower(name)=lower(?) "
                                 "ORDER BY key LIMIT 1", (ref.strip(),)).fetchone()
    if row is None:
        raise NotFound(f"no entity {ref!r}", source=ref)
    return dict(row)


def _entity_filter(q: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause of an entity listing filtered by name, key or surface form."""
    if not q:
        return "", []
    check_query(q)
    like = "%" + q.strip().lower().replace("%", "").replace("_", "") + "%"
    where = (" WHERE lower(e.name) LIKE ? OR lower(e.key) LIKE ? OR e.key IN "
             "(SELECT entity_key FROM entity_mentions WHERE lower(surface) LIKE ?)")
    return where, [like, like, like]


def list_entities(store: Store, q: str | None = None, limit: int = 500,
                  offset: int = 0) -> list[dict[str, Any]]:
    """Entities with how many documents and mentions name them, most cited first."""
    where, args = _entity_filter(q)
    sql = ("SELECT e.key, e.name, e.type, e.code, e.role, "
           "count(DISTINCT m.doc_id) AS n_documents, count(m.doc_id) AS n_mentions "
           "FROM entities e LEFT JOIN entity_mentions m ON m.entity_key = e.key" + where +
           " GROUP BY e.key ORDER BY n_documents DESC, n_mentions DESC, e.name, e.key "
           "LIMIT ? OFFSET ?")
    return [dict(r) for r in store.conn.execute(sql, (*args, limit, offset)).fetchall()]


def entities_by_key(store: Store, keys: list[str]) -> list[dict[str, Any]]:
    """The entities with these keys that the store holds, as `list_entities` lists them."""
    if not keys:
        return []
    sql = ("SELECT e.key, e.name, e.type, e.code, e.role, "
           "count(DISTINCT m.doc_id) AS n_documents, count(m.doc_id) AS n_mentions "
           "FROM entities e LEFT JOIN entity_mentions m ON m.entity_key = e.key "
           f"WHERE e.key IN ({','.join('?' * len(keys))}) GROUP BY e.key "
           "ORDER BY n_documents DESC, n_mentions DESC, e.name, e.key")
    return [dict(r) for r in store.conn.execute(sql, keys).fetchall()]


def count_entities(store: Store, q: str | None = None) -> int:
    """How many entities `list_entities` lists with the same filter."""
    where, args = _entity_filter(q)
    return int(store.conn.execute("SELECT count(*) FROM entities e" + where, args).fetchone()[0])


# The two fields of an event's JSON that its columns do not hold, read by SQLite (parsing
# every event's whole JSON in Python was a third of an entity page's cost): `denied_type`
# is NULL when the key is absent, `denied_by` the value (JSON text for an array or object);
# `evidence` is a string (or NULL).
_EVENT_JSON_FIELDS = ("json_type(ev.json, '$.denied_by') AS denied_type, "
                      "json_extract(ev.json, '$.denied_by') AS denied_by, "
                      "json_extract(ev.json, '$.evidence') AS evidence")


def _json_field(kind: str | None, value: Any, default: Any) -> Any:
    """A value read by `json_extract` as `json.loads` of the whole JSON would give it."""
    if kind is None:
        return default
    if kind == "null":
        return None
    if kind in ("array", "object"):
        return json.loads(value)
    if kind in ("true", "false"):
        return kind == "true"
    return value


def _event_row(row: Any) -> dict[str, Any]:
    """An event row (`_EVENT_COLUMNS` and its document's outlet, date and title)."""
    denied_by = _json_field(row["denied_type"], row["denied_by"], [])
    return {"doc_id": row["doc_id"], "event_id": row["event_id"], "type": row["type"],
            "subtype": row["subtype"], "actor": row["actor"], "actor_key": row["actor_key"],
            "target": row["target"], "target_key": row["target_key"], "item": row["item"],
            "quantity": row["quantity"], "when": json.loads(row["when_json"] or "null"),
            "where": row["place"], "source": row["source"], "source_key": row["source_key"],
            "status": row["status"], "denied_by": denied_by,
            "evidence": row["evidence"], "start": row["start"], "end": row["end"],
            "outlet": row["outlet"], "published": row["published"], "title": row["doc_title"],
            "display": display(row)}


_EVENT_COLUMNS = ("ev.doc_id, ev.event_id, ev.type, ev.subtype, ev.actor, ev.actor_key, "
                  "ev.target, ev.target_key, ev.item, ev.quantity, ev.when_json, "
                  "ev.when_start, ev.place, ev.source, ev.source_key, ev.status, ev.start, "
                  "ev.end, " + _EVENT_JSON_FIELDS)
_DOC_COLUMNS = "d.outlet, d.wire, d.published, d.published_inferred, d.title AS doc_title"
_EVENTS_SQL = (f"SELECT {_EVENT_COLUMNS}, {_DOC_COLUMNS} "
               "FROM events ev "
               "JOIN documents d ON d.id = ev.doc_id")


def _event_filter(subtype: str | None, entity: str | None, status: str | None,
                  doc_id: str | None) -> tuple[str, list[Any]]:
    where, args = [], []  # type: ignore[var-annotated]
    if subtype:
        where.append("(ev.subtype = ? OR ev.type = ?)")
        args += [subtype, subtype]
    if entity:
        where.append("(ev.actor_key = ? OR ev.target_key = ? OR ev.source_key = ?)")
        args += [entity] * 3
    if status:
        where.append("ev.status = ?")
        args.append(status)
    if doc_id:
        where.append("ev.doc_id = ?")
        args.append(doc_id)
    return (" WHERE " + " AND ".join(where) if where else ""), args


def list_events(store: Store, *, subtype: str | None = None, entity: str | None = None,
                status: str | None = None, doc_id: str | None = None,
                limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
    """Events as each document reports them (not merged), filtered, by date."""
    where, args = _event_filter(subtype, entity, status, doc_id)
    sql = _EVENTS_SQL + where
    sql += (" ORDER BY ev.when_start IS NULL, ev.when_start, d.seq, ev.start, ev.event_id "
            "LIMIT ? OFFSET ?")
    return [_event_row(r) for r in store.conn.execute(sql, (*args, limit, offset)).fetchall()]


def count_events(store: Store, *, subtype: str | None = None, entity: str | None = None,
                 status: str | None = None, doc_id: str | None = None) -> int:
    """How many events `list_events` lists with the same filters."""
    where, args = _event_filter(subtype, entity, status, doc_id)
    return int(store.conn.execute("SELECT count(*) FROM events ev" + where, args).fetchone()[0])


def _quote_filter(speaker: str | None) -> tuple[str, list[Any]]:
    if not speaker:
        return "", []
    return " WHERE q.speaker_key = ? OR lower(q.speaker) = lower(?)", [speaker, speaker]


def list_quotes(store: Store, *, speaker: str | None = None,
                limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
    """Quotes as each document reports them, with the speaker (None when unattributed)."""
    where, args = _quote_filter(speaker)
    sql = ("SELECT q.*, d.outlet, d.wire, d.published, d.published_inferred, "
           "d.title AS doc_title FROM quotes q JOIN documents d ON d.id = q.doc_id" + where)
    rows = store.conn.execute(sql + " ORDER BY d.seq, q.start, q.idx LIMIT ? OFFSET ?",
                              (*args, limit, offset))
    return [_quote_row(r) for r in rows.fetchall()]


def count_quotes(store: Store, *, speaker: str | None = None) -> int:
    """How many quotes `list_quotes` lists with the same filter."""
    where, args = _quote_filter(speaker)
    return int(store.conn.execute("SELECT count(*) FROM quotes q" + where, args).fetchone()[0])


def _quote_row(r: Any) -> dict[str, Any]:
    return with_display({
        "doc_id": r["doc_id"], "idx": r["idx"], "text": r["text"], "start": r["start"],
        "end": r["end"], "speaker": r["speaker"], "speaker_key": r["speaker_key"],
        "source_text": r["source_text"], "direct": bool(r["direct"]),
        "outlet": r["outlet"], "wire": r["wire"],
        "published": r["published"], "published_inferred": r["published_inferred"],
        "title": r["doc_title"]})


ENTITY_PAGE_LIMIT = 200


def entity_page(store: Store, key: str, limit: int = ENTITY_PAGE_LIMIT) -> dict[str, Any]:
    """Everything said of or by an actor: mentions per document, events, quotes.

    Bounded: the `limit` latest documents naming it, and the `limit` latest events in each
    role and quotes (`more` says which lists were cut), each read newest first through an
    index, so the page costs the same in a store of any size.
    """
    ent = resolve_entity(store, key)
    key = ent["key"]
    mentions: dict[str, list[dict[str, Any]]] = {}
    more_docs = False
    # entity_mentions_recent (key alone) walks the key's mentions newest first; stop at the
    # first mention of one document too many
    cur = store.conn.execute(
        "SELECT doc_id, surface, start, end FROM entity_mentions "
        "INDEXED BY entity_mentions_recent WHERE entity_key=? ORDER BY rowid DESC", (key,))
    for r in cur:
        if r["doc_id"] not in mentions and len(mentions) >= limit:
            more_docs = True
            break
        mentions.setdefault(r["doc_id"], []).append(
            {"text": r["surface"], "start": r["start"], "end": r["end"]})
    cur.close()
    docs = []
    if mentions:
        rows = store.conn.execute(
            "SELECT seq, id, title, outlet, wire, published, published_inferred, url "
            f"FROM documents WHERE id IN ({','.join('?' * len(mentions))})",
            list(mentions)).fetchall()
        for r in sorted(rows, key=lambda r: r["seq"]):
            docs.append({**_doc_summary(r), "mentions": sorted(
                mentions[r["id"]], key=lambda m: (m["start"], m["end"]))})
    roles: dict[str, list[dict[str, Any]]] = {}
    more: dict[str, bool] = {"documents": more_docs}
    for role, column in (("as_actor", "actor_key"), ("as_target", "target_key"),
                         ("as_source", "source_key")):
        rows = store.conn.execute(
            f"SELECT {_EVENT_COLUMNS}, d.seq, {_DOC_COLUMNS} "
            "FROM events ev "
            f"JOIN documents d ON d.id = ev.doc_id WHERE ev.{column}=? "
            "ORDER BY ev.rowid DESC LIMIT ?", (key, limit + 1)).fetchall()
        more[role] = len(rows) > limit
        rows = sorted(rows[:limit], key=lambda r: (r["when_start"] is None,
                                                   r["when_start"] or "", r["seq"]))
        roles[role] = [_event_row(r) for r in rows]
    quotes = _speaker_quotes(store, key, limit + 1)
    more["quotes"] = len(quotes) > limit
    return {"entity": ent, "documents": docs, **roles, "quotes": quotes[:limit],
            "limit": limit, "more": more}


def _speaker_quotes(store: Store, key: str, limit: int) -> list[dict[str, Any]]:
    """The latest quotes by a speaker key, in document order (as `list_quotes` gives them)."""
    rows = store.conn.execute(
        "SELECT q.*, d.seq, d.outlet, d.wire, d.published, d.published_inferred, "
        "d.title AS doc_title FROM quotes q "
        "JOIN documents d ON d.id = q.doc_id WHERE q.speaker_key = ? "
        "ORDER BY q.rowid DESC LIMIT ?", (key, limit)).fetchall()
    rows = sorted(rows, key=lambda r: (r["seq"], r["start"]))
    return [_quote_row(r) for r in rows]


def _facts(text: str, analysis: Analysis) -> list[dict[str, Any]]:
    """Every extracted fact of a document as a highlightable span with its attributes."""
    facts: list[dict[str, Any]] = []

    def add(fid: str, kind: str, start: int, end: int, label: str, **attrs: Any) -> None:
        facts.append({"id": fid, "kind": kind, "start": start, "end": end,
                      "text": text[start:end], "label": label, "attrs": attrs})

    n = 0
    for ent in analysis.entities:
        for m in ent.mentions:
            n += 1
            add(f"m{n}", "entity", m.start, m.end, ent.name, key=ent.key, name=ent.name,
                type=ent.type, code=ent.code, role=ent.role)
    for i, t in enumerate(analysis.times):
        add(f"t{i}", "time", t.start, t.end, t.text, value=t.value, anchor=t.anchor, note=t.note)
    for i, q in enumerate(analysis.quotes):
        add(f"q{i}", "quote", q.start, q.end, q.speaker or (
            f"unattributed ({q.source_text})" if q.source_text else "unattributed"),
            speaker=q.speaker, speaker_key=q.speaker_key, cue=q.cue, direct=q.direct,
            source_text=q.source_text,
            speaker_span=None if q.speaker_start is None else [q.speaker_start, q.speaker_end])
    for ev in analysis.events:
        add(ev.id, "event", ev.start, ev.end, f"{ev.type}/{ev.subtype or '-'}", type=ev.type,
            subtype=ev.subtype, actor=ev.actor, actor_key=ev.actor_key, target=ev.target,
            target_key=ev.target_key, item=ev.item, quantity=ev.quantity,
            quantity_qualifier=ev.quantity_qualifier, when=ev.when, when_text=ev.when_text,
            where=ev.where, source=ev.source, source_key=ev.source_key,
            source_is_outlet=ev.source_is_outlet, source_text=ev.source_text,
            status=ev.status, cue=ev.cue,
            denied_by=ev.denied_by, trigger=ev.trigger)
    facts.sort(key=lambda f: (f["start"], -f["end"]))
    return facts


def document_view(store: Store, doc_id: str) -> dict[str, Any]:
    """A document's text and every extracted fact with its span, for highlighting."""
    doc = store.get_document(doc_id)
    analysis = store.get_analysis(doc.id)
    m = doc.meta
    return {
        "document": {"id": doc.id, "source": doc.source, "kind": doc.kind, "title": m.title,
                     "outlet": m.outlet, "wire": m.wire, "published": m.published,
                     "published_inferred": doc.published_inferred,
                     "published_inferred_reason": doc.published_inferred_reason,
                     "author": m.author, "language": m.language, "url": m.url,
                     "provenance": m.provenance,
                     "display": display({"outlet": m.outlet, "wire": m.wire,
                                         "published": m.published,
                                         "published_inferred": doc.published_inferred})},
        "text": doc.text,
        "analysed": analysis is not None,
        "facts": _facts(doc.text, analysis) if analysis else [],
        "removed": [r.as_dict() for r in doc.removed],
    }
