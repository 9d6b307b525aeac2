"""The analyst's corrections, as records (docs/CORRECTIONS.md).

A correction says what it changes (`kind`, `target`, `field`), the value before it (what
the extractor or the ingest said) and after it, why, who made it and when. It is keyed by
what survives re-analysis, never by a row number:

  document  documents.id (the hash of the text)      published, outlet, wire, title, language
  entity    the entity's canonical key               merge (into another key), alias, split
  event     the event's fingerprint (see below)      type, subtype, actor, target, quantity,
                                                     when, where, source, status
  claim     the fingerprint of the claim's first     verdict (confirmed, rejected, open)
            report (an event)
  link      an event's or a quote's fingerprint      same_event, same_quote, contradiction
                                                     (add or remove, "with" another one)

An event's fingerprint is "<doc id>/<start>-<end>/<trigger>" (with "#n" for the n-th
event of that span and trigger): none of these is something a correction changes, and the
same extractor finds the same events again. A quote's is "<doc id>/q<start>-<end>".

This module keeps the records and applies them to what the extraction gives (documents and
analyses, `Applier`); `link.corrections` applies the claim and link ones after linking, and
`storyline.amend` runs what a new or deleted correction needs (analyse again, link again).
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timezone
from typing import Any

from ..errors import InputError, NotFound
from ..records import Analysis, Document, Entity, Event, Quote
from .db import Store

DOCUMENT_FIELDS = ("published", "outlet", "wire", "title", "language")
ENTITY_FIELDS = ("merge", "alias", "split")
EVENT_FIELDS = ("type", "subtype", "actor", "target", "quantity", "when", "where", "source",
                "status")
CLAIM_FIELDS = ("verdict",)
LINK_FIELDS = ("same_event", "same_quote", "contradiction")
FIELDS = {"document": DOCUMENT_FIELDS, "entity": ENTITY_FIELDS, "event": EVENT_FIELDS,
          "claim": CLAIM_FIELDS, "link": LINK_FIELDS}
STATUSES = ("asserted", "hedged", "planned", "hypothetical", "denied")
VERDICTS = ("confirmed", "rejected", "open")
# the entity roles an event names, and the name column next to each key
ROLES = (("actor", "actor_key"), ("target", "target_key"), ("source", "source_key"))
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _now() -> str:
    """Microseconds, so corrections made in one second still apply in the order made."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


# -- fingerprints -------------------------------------------------------------------------

def event_fingerprints(doc_id: str, events: Iterable[Event | dict[str, Any]]) -> list[str]:
    """The fingerprint of each event, in order: "<doc id>/<start>-<end>/<trigger>[#n]"."""
    seen: Counter[str] = Counter()
    out = []
    for ev in events:
        d = ev if isinstance(ev, dict) else ev.as_dict()
        trigger = re.sub(r"\s+", "_", str(d.get("trigger") or "-").strip().lower()) or "-"
        base = f"{doc_id}/{d.get('start')}-{d.get('end')}/{trigger}"
        out.append(base if not seen[base] else f"{base}#{seen[base]}")
        seen[base] += 1
    return out


def quote_fingerprint(doc_id: str, quote: Quote | dict[str, Any]) -> str:
    d = quote if isinstance(quote, dict) else quote.as_dict()
    return f"{doc_id}/q{d.get('start')}-{d.get('end')}"


def fingerprint_doc(fingerprint: str) -> str:
    """The document id a fingerprint starts with."""
    return fingerprint.split("/", 1)[0]


def stored_events(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """A document's stored events (their JSON), in the analysis' order."""
    analysis = store.get_analysis(doc_id)
    return [ev.as_dict() for ev in analysis.events] if analysis else []


def find_event(store: Store, fingerprint: str) -> dict[str, Any] | None:
    """The stored event with this fingerprint (its JSON), or None."""
    doc_id = fingerprint_doc(fingerprint)
    try:
        events = stored_events(store, doc_id)
    except NotFound:
        return None
    for fp, ev in zip(event_fingerprints(doc_id, events), events):
        if fp == fingerprint:
            return ev
    return None


def find_quote(store: Store, fingerprint: str) -> int | None:
    """The index of the stored quote with this fingerprint, or None."""
    doc_id = fingerprint_doc(fingerprint)
    try:
        analysis = store.get_analysis(doc_id)
    except NotFound:
        return None
    for i, q in enumerate(analysis.quotes if analysis else []):
        if quote_fingerprint(doc_id, q) == fingerprint:
            return i
    return None


def event_ref(store: Store, ref: str) -> str:
    """An event's fingerprint from a fingerprint or "<document ref>:<event id>" ("3:e2")."""
    if "/" in ref:
        if find_event(store, ref) is None:
            raise NotFound(f"no event with the fingerprint {ref!r}", source=ref)
        return ref
    doc_ref, _, event_id = ref.rpartition(":")
    if not doc_ref or not event_id:
        raise InputError(f"an event is '<document>:<event id>' (e.g. 3:e2) or a fingerprint, "
                         f"not {ref!r}", source=ref)
    doc_id = store.resolve_id(doc_ref)
    events = stored_events(store, doc_id)
    for fp, ev in zip(event_fingerprints(doc_id, events), events):
        if ev.get("id") == event_id:
            return fp
    raise NotFound(f"document {doc_id} has no event {event_id!r}", source=ref)


def quote_ref(store: Store, ref: str) -> str:
    """A quote's fingerprint from a fingerprint or "<document ref>:q<index>" ("3:q0")."""
    if "/" in ref:
        if find_quote(store, ref) is None:
            raise NotFound(f"no quote with the fingerprint {ref!r}", source=ref)
        return ref
    doc_ref, _, idx = ref.rpartition(":")
    if not doc_ref or not re.fullmatch(r"q?\d+", idx):
        raise InputError(f"a quote is '<document>:q<index>' (e.g. 3:q0) or a fingerprint, "
                         f"not {ref!r}", source=ref)
    doc_id = store.resolve_id(doc_ref)
    analysis = store.get_analysis(doc_id)
    quotes = analysis.quotes if analysis else []
    i = int(idx.lstrip("q"))
    if i >= len(quotes):
        raise NotFound(f"document {doc_id} has no quote {i}", source=ref)
    return quote_fingerprint(doc_id, quotes[i])


def cluster_representative(store: Store, cluster_id: int) -> str:
    """The fingerprint of a merged event's first report (what a verdict is keyed by)."""
    row = store.conn.execute("SELECT kind, json FROM clusters WHERE id=?",
                             (cluster_id,)).fetchone()
    if row is None or row["kind"] != "event":
        raise NotFound(f"no claim {cluster_id}", source=str(cluster_id))
    mentions = json.loads(row["json"] or "{}").get("mentions") or []
    if not mentions:
        raise NotFound(f"claim {cluster_id} has no reports", source=str(cluster_id))
    first = mentions[0]
    events = stored_events(store, first["doc_id"])
    for fp, ev in zip(event_fingerprints(first["doc_id"], events), events):
        if ev.get("id") == first["event_id"]:
            return fp
    raise NotFound(f"claim {cluster_id}: its first report is no longer stored",
                   source=str(cluster_id))


# -- values -------------------------------------------------------------------------------

def entity_value(store: Store, value: Any, field: str) -> dict[str, Any]:
    """An entity given by key or name -> {"key", "name"} (a name not known: key None)."""
    if isinstance(value, dict):
        value = value.get("key") or value.get("name")
    if value in (None, ""):
        return {"key": None, "name": None}
    text = str(value).strip()
    row = store.conn.execute("SELECT key, name FROM entities WHERE key=?", (text,)).fetchone()
    if row is None:
        rows = store.conn.execute("SELECT key, name FROM entities WHERE lower(name)=lower(?) "
                                  "LIMIT 2", (text,)).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is not None:
        return {"key": row["key"], "name": row["name"]}
    if ":" in text and " " not in text:
        raise NotFound(f"{field}: no entity with the key {text!r}", source=field)
    return {"key": None, "name": text}


def _date_value(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        if len(text) >= 10:
            date.fromisoformat(text[:10])
    except ValueError as exc:
        raise InputError(f"{field}: {text!r} is not a date: {exc}", source=field) from exc
    if not _DATE.match(text[:10]):
        raise InputError(f"{field}: {text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
                         source=field)
    return text[:10]


def check_value(store: Store, kind: str, field: str, value: Any) -> Any:
    """The stored form of a correction's new value, or InputError naming the problem."""
    if kind not in FIELDS:
        raise InputError(f"unknown correction kind {kind!r}: one of {', '.join(FIELDS)}",
                         source="kind")
    if field not in FIELDS[kind]:
        raise InputError(f"a {kind} correction changes one of {', '.join(FIELDS[kind])}, "
                         f"not {field!r}", source="field")
    if kind == "document":
        if field == "published":
            return _date_value(value, field)
        if field == "language":
            text = str(value or "").strip().lower()
            if not re.fullmatch(r"[a-z]{2,3}", text):
                raise InputError(f"language: {value!r} is not a language code (en, fr...)",
                                 source=field)
            return text
        text = str(value).strip() if value is not None else ""
        if len(text) > 500:
            raise InputError(f"{field}: longer than 500 characters", source=field)
        return text or None
    if kind == "event":
        if field in ("actor", "target", "source"):
            return entity_value(store, value, field)
        if field == "quantity":
            if value in (None, ""):
                return None
            try:
                return float(value)
            except (TypeError, ValueError) as exc:
                raise InputError(f"quantity: {value!r} is not a number", source=field) from exc
        if field == "when":
            if isinstance(value, list):
                return [_date_value(v, field) for v in value[:2]]
            return _date_value(value, field)
        if field == "status":
            if value not in STATUSES:
                raise InputError(f"status: one of {', '.join(STATUSES)}, not {value!r}",
                                 source=field)
            return value
        if field == "type":
            text = str(value or "").strip().upper()
            if not re.fullmatch(r"[A-Z_]{2,40}", text):
                raise InputError(f"type: {value!r} is not a PLOVER event type", source=field)
            return text
        return (str(value).strip() or None) if value is not None else None
    if kind == "entity":
        if field == "merge":
            into = entity_value(store, value, "into")
            if into["key"] is None:
                raise NotFound(f"merge: no entity {value!r} to merge into", source="into")
            return into["key"]
        if field == "alias":
            text = str(value or "").strip()
            if not text or len(text) > 200:
                raise InputError("alias: a name of 1 to 200 characters", source=field)
            return text
        if not isinstance(value, dict) or not str(value.get("surface") or "").strip():
            raise InputError("split: {'surface': the form to split off, 'name', 'key'}",
                             source=field)
        surface = str(value["surface"]).strip()
        name = str(value.get("name") or surface).strip()
        key = str(value.get("key") or "").strip() or \
            "split:" + re.sub(r"[^\w]+", "-", name.lower()).strip("-")
        return {"surface": surface, "name": name, "key": key}
    if kind == "claim":
        verdict = value.get("verdict") if isinstance(value, dict) else value
        if verdict not in VERDICTS:
            raise InputError(f"verdict: one of {', '.join(VERDICTS)}, not {verdict!r}",
                             source="verdict")
        note = value.get("note") if isinstance(value, dict) else None
        return {"verdict": verdict, "note": (str(note)[:2000] if note else None)}
    # link
    if not isinstance(value, dict) or value.get("op") not in ("add", "remove") \
            or not value.get("with"):
        raise InputError("a link correction is {'op': 'add'|'remove', 'with': <event or quote>}",
                         source="value")
    return {"op": value["op"], "with": str(value["with"])}


# -- records ------------------------------------------------------------------------------

def _row(r: Any) -> dict[str, Any]:
    d = dict(r)
    for k in ("old_value", "new_value"):
        d[k] = json.loads(d[k]) if d[k] is not None else None
    return d


def add(store: Store, kind: str, target: str, field: str, new_value: Any, old_value: Any,
        *, doc_id: str | None = None, reason: str | None = None, author: str | None = None,
        cid: str | None = None, created_at: str | None = None) -> dict[str, Any]:
    """Store one correction (already checked). `old_value` is what stood before the first
    correction of the same field: later ones keep it, so undoing all returns to it."""
    first = store.conn.execute(
        "SELECT old_value FROM corrections WHERE kind=? AND target=? AND field=? "
        "ORDER BY created_at, id LIMIT 1", (kind, target, field)).fetchone()
    if first is not None and kind in ("document", "event"):
        old_value = json.loads(first[0]) if first[0] is not None else None
    row = {"id": cid or uuid.uuid4().hex, "kind": kind, "target": target, "field": field,
           "doc_id": doc_id, "old_value": old_value, "new_value": new_value,
           "reason": (reason or None) and str(reason)[:2000],
           "author": (author or None) and str(author)[:200], "created_at": created_at or _now()}
    with store.write() as conn:
        conn.execute("INSERT INTO corrections (id, kind, target, field, doc_id, old_value, "
                     "new_value, reason, author, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (row["id"], kind, target, field, doc_id, json.dumps(old_value),
                      json.dumps(new_value), row["reason"], row["author"], row["created_at"]))
    return row


def get(store: Store, cid: str) -> dict[str, Any]:
    row = store.conn.execute("SELECT * FROM corrections WHERE id=?", (cid,)).fetchone()
    if row is None:
        raise NotFound(f"no correction {cid!r}", source=cid)
    return _row(row)


def all_corrections(store: Store, kind: str | None = None,
                    doc_id: str | None = None) -> list[dict[str, Any]]:
    """Corrections in the order they were made (the order they apply in)."""
    sql, args = "SELECT * FROM corrections", []
    where = []
    if kind:
        where.append("kind=?")
        args.append(kind)
    if doc_id:
        where.append("doc_id=?")
        args.append(doc_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_row(r) for r in store.conn.execute(sql + " ORDER BY created_at, id", args)]


def remove(store: Store, cid: str) -> dict[str, Any]:
    row = get(store, cid)
    with store.write() as conn:
        conn.execute("DELETE FROM corrections WHERE id=?", (cid,))
    return row


def state(store: Store, c: dict[str, Any]) -> tuple[str, str | None]:
    """("applied", None) or ("orphaned", why): whether the correction finds its target."""
    kind, target = c["kind"], c["target"]
    if kind == "document":
        ok = store.conn.execute("SELECT 1 FROM documents WHERE id=?", (target,)).fetchone()
        return ("applied", None) if ok else ("orphaned", f"no document {target} in this store")
    if kind == "entity":
        ok = store.conn.execute("SELECT 1 FROM entities WHERE key=?", (target,)).fetchone()
        return ("applied", None) if ok else ("orphaned", f"no entity {target} in this store")
    if kind in ("event", "claim") or (kind == "link" and c["field"] != "same_quote"):
        ends = [target] + ([c["new_value"]["with"]] if kind == "link" else [])
        for fp in ends:
            doc = store.conn.execute("SELECT analysed_at FROM documents WHERE id=?",
                                     (fingerprint_doc(fp),)).fetchone()
            if doc is None:
                return "orphaned", f"no document {fingerprint_doc(fp)} in this store"
            if doc["analysed_at"] is None:
                return "pending", f"document {fingerprint_doc(fp)} is not analysed yet"
            if find_event(store, fp) is None:
                return "orphaned", (f"the analysis of {fingerprint_doc(fp)} no longer finds "
                                    f"the event {fp}")
        return "applied", None
    for fp in (target, c["new_value"]["with"]):
        if find_quote(store, fp) is None:
            return "orphaned", f"no quote {fp} in this store"
    return "applied", None


def list_corrections(store: Store) -> list[dict[str, Any]]:
    """Every correction with its state ("applied", "pending", "orphaned", or "replaced" by
    a later one of the same field) and why."""
    rows = all_corrections(store)
    latest = {(c["kind"], c["target"], c["field"]): c["id"] for c in rows
              if c["kind"] in ("document", "event", "claim")}
    for c in rows:
        c["state"], c["state_reason"] = state(store, c)
        last = latest.get((c["kind"], c["target"], c["field"]), c["id"])
        if c["state"] == "applied" and last != c["id"]:
            c["state"], c["state_reason"] = "replaced", f"correction {last[:12]} replaces it"
    return rows


# -- applying to documents and analyses (after every extraction) ----------------------------

_DOC_COLUMNS = {f: f for f in DOCUMENT_FIELDS}


def apply_document(store: Store, doc_id: str, field: str, value: Any) -> None:
    """Set a document's field (the column and its stored metadata) to `value`."""
    row = store.conn.execute("SELECT meta_json FROM documents WHERE id=?", (doc_id,)).fetchone()
    if row is None:
        return
    meta = json.loads(row[0])
    meta[field] = value
    prov = meta.setdefault("provenance", {})
    prov[field] = "correction"
    with store.write() as conn:
        conn.execute(f"UPDATE documents SET {_DOC_COLUMNS[field]}=?, meta_json=? WHERE id=?",
                     (value, json.dumps(meta), doc_id))


class Applier:
    """The corrections of the store, read once per extraction run, applied to each document
    before it is analysed and to each analysis before it is saved (pipeline.py)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.rows = all_corrections(store)
        self.names: dict[str, tuple[str, str]] = {}

    def __bool__(self) -> bool:
        return bool(self.rows)

    def document(self, doc: Document) -> Document:
        """The document with its corrected fields (the stored row set to them too)."""
        for c in self.rows:
            if c["kind"] != "document" or c["target"] != doc.id:
                continue
            if getattr(doc.meta, c["field"]) != c["new_value"]:
                apply_document(self.store, doc.id, c["field"], c["new_value"])
            setattr(doc.meta, c["field"], c["new_value"])
            doc.meta.provenance[c["field"]] = "correction"
        return doc

    def analysis(self, doc_id: str, analysis: Analysis) -> Analysis:
        """The analysis with the entity and event corrections applied (idempotent)."""
        for c in self.rows:
            if c["kind"] == "entity":
                _apply_entity(self, analysis, c)
        fps = event_fingerprints(doc_id, analysis.events)
        by_fp = dict(zip(fps, analysis.events))
        for c in self.rows:
            if c["kind"] == "event" and c["doc_id"] == doc_id and c["target"] in by_fp:
                _apply_event(by_fp[c["target"]], c["field"], c["new_value"])
        return analysis

    def entity_name(self, key: str) -> tuple[str, str]:
        """(name, type) of a stored entity."""
        if key not in self.names:
            row = self.store.conn.execute("SELECT name, type FROM entities WHERE key=?",
                                          (key,)).fetchone()
            self.names[key] = (row["name"], row["type"]) if row else (key.split(":")[-1], "ORG")
        return self.names[key]


def _apply_event(ev: Event, field: str, value: Any) -> None:
    if field in ("actor", "target", "source"):
        setattr(ev, field, value.get("name") if value else None)
        setattr(ev, f"{field}_key", value.get("key") if value else None)
        if field == "source":
            ev.source_is_outlet = False
    elif field == "where":
        ev.where = value
    elif field == "when":
        ev.when = value
        ev.when_text = ev.when_text or "(corrected)"
    else:
        setattr(ev, field, value)


def _rekey(analysis: Analysis, old: str, new: str, name: str,
           events: Iterable[Event] | None = None) -> None:
    """Every role and speaker that names entity `old` names `new` instead."""
    for ev in (analysis.events if events is None else events):
        for role, key in ROLES:
            if getattr(ev, key) == old:
                setattr(ev, key, new)
                setattr(ev, role, name)
    if events is None:
        for q in analysis.quotes:
            if q.speaker_key == old:
                q.speaker_key, q.speaker = new, name


def _merge_entity(analysis: Analysis, source: Entity, key: str, name: str, etype: str) -> None:
    into = next((e for e in analysis.entities if e.key == key and e is not source), None)
    if into is None:
        into = Entity(key=key, name=name, type=etype)
        analysis.entities.append(into)
    into.mentions += source.mentions
    into.aliases = list(dict.fromkeys(into.aliases + source.aliases + [source.name]))
    analysis.entities.remove(source)
    _rekey(analysis, source.key, key, into.name)


def _apply_entity(applier: Applier, analysis: Analysis, c: dict[str, Any]) -> None:
    if c["field"] == "merge":
        into = c["new_value"]
        for ent in [e for e in analysis.entities if e.key == c["target"]]:
            _merge_entity(analysis, ent, into, *applier.entity_name(into))
        _rekey(analysis, c["target"], into, applier.entity_name(into)[0])
    elif c["field"] == "alias":
        alias = c["new_value"].casefold()
        for ent in [e for e in analysis.entities if e.key != c["target"] and (
                e.name.casefold() == alias or any(m.text.casefold() == alias
                                                  for m in e.mentions))]:
            _merge_entity(analysis, ent, c["target"], *applier.entity_name(c["target"]))
        for ent in analysis.entities:
            if ent.key == c["target"] and c["new_value"] not in ent.aliases:
                ent.aliases.append(c["new_value"])
    else:  # split: the mentions of one surface form become an entity of their own
        spec = c["new_value"]
        surface = spec["surface"].casefold()
        for ent in [e for e in analysis.entities if e.key == c["target"]]:
            moved = [m for m in ent.mentions if m.text.casefold() == surface]
            if not moved:
                continue
            ent.mentions = [m for m in ent.mentions if m.text.casefold() != surface]
            analysis.entities.append(Entity(key=spec["key"], name=spec["name"], type=ent.type,
                                            mentions=moved))
            if not ent.mentions:
                analysis.entities.remove(ent)
            # an event whose evidence holds a moved mention and none left names the new one
            spans = [(m.start, m.end) for m in ent.mentions]
            events = [ev for ev in analysis.events
                      if any(ev.start <= m.start and m.end <= ev.end for m in moved)
                      and not any(ev.start <= s and e <= ev.end for s, e in spans)]
            _rekey(analysis, c["target"], spec["key"], spec["name"], events)
