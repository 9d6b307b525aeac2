"""Making, undoing and re-applying the analyst's corrections (docs/CORRECTIONS.md).

`correct` checks and stores a correction, then does at once what it needs: a document's
date, outlet, wire, title or language is analysed again (relative times re-anchor) and
linked again; an entity or event correction is applied to the stored analyses it touches,
which are linked again; a claim verdict or a link correction is applied over the links.
`undo` deletes a correction and returns what it touched to what the extractor says.
`relink` runs the linking again over the whole store, corrections re-applied after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .errors import InputError, NotFound
from .link.corrections import CorrectionReport, apply_link_corrections
from .settings import Settings
from .store import Store
from .store import corrections as sc


def _entity_key(store: Store, ref: str) -> str:
    value = sc.entity_value(store, ref, "entity")
    if value["key"] is None:
        raise NotFound(f"no entity {ref!r} (give its key, e.g. country:PRK, or its exact name)",
                       source=ref)
    return str(value["key"])


def _target(store: Store, kind: str, ref: str, quote: bool = False
            ) -> tuple[str, str | None]:
    """(target key, document id) of what a correction names (`quote`: a quote's)."""
    ref = str(ref).strip()
    if not ref:
        raise InputError("no target given", source="target")
    if kind == "document":
        doc_id = store.resolve_id(ref)
        return doc_id, doc_id
    if kind == "entity":
        return _entity_key(store, ref), None
    if kind == "claim":
        fp = sc.cluster_representative(store, int(ref)) if ref.isdigit() else \
            sc.event_ref(store, ref)
        return fp, sc.fingerprint_doc(fp)
    if kind in ("event", "link"):
        fp = sc.quote_ref(store, ref) if quote else sc.event_ref(store, ref)
        return fp, sc.fingerprint_doc(fp)
    raise InputError(f"unknown correction kind {kind!r}: one of {', '.join(sc.FIELDS)}",
                     source="kind")


def _old_value(store: Store, kind: str, target: str, field: str) -> Any:
    if kind == "document":
        row = store.conn.execute(f"SELECT {field} FROM documents WHERE id=?",
                                 (target,)).fetchone()
        return row[0] if row else None
    if kind == "event":
        ev = sc.find_event(store, target) or {}
        if field in ("actor", "target", "source"):
            return {"key": ev.get(f"{field}_key"), "name": ev.get(field)}
        return ev.get(field)
    return None


def correct(store: Store, settings: Settings, kind: str, target: str,
            changes: dict[str, Any], *, reason: str | None = None,
            author: str | None = None) -> list[dict[str, Any]]:
    """Check and store corrections of one target (field -> new value), then apply them.
    Nothing is stored when one of them is wrong (InputError or NotFound names it)."""
    if not changes:
        raise InputError("nothing to correct: no field given", source="body")
    key, doc_id = _target(store, kind, target, quote="same_quote" in changes)
    checked: list[tuple[str, Any]] = []
    for field, value in changes.items():
        new = sc.check_value(store, kind, field, value)
        if kind == "link":
            find = sc.quote_ref if field == "same_quote" else sc.event_ref
            new["with"] = find(store, new["with"])
            if field == "contradiction" and new["op"] == "add":
                denial = sc.find_event(store, new["with"]) or {}
                if denial.get("subtype") != "denial":
                    raise InputError(f"{new['with']} is not a denial (correct its subtype to "
                                     "'denial' first)", source="with")
        if kind == "entity" and field == "merge" and new == key:
            raise InputError(f"cannot merge {key} into itself", source="into")
        checked.append((field, new))
    rows = [sc.add(store, kind, key, field, new, _old_value(store, kind, key, field),
                   doc_id=doc_id, reason=reason, author=author) for field, new in checked]
    reapply(store, settings, rows)
    for row in rows:
        row["state"], row["state_reason"] = sc.state(store, row)
    return rows


def affected_documents(store: Store, c: dict[str, Any]) -> list[str]:
    """The documents a correction touches (whose analysis or links it changes)."""
    if c["kind"] == "entity":
        keys = [c["target"]]
        if c["field"] == "merge":
            keys.append(c["new_value"])
        elif c["field"] == "split":
            keys.append(c["new_value"]["key"])
        docs: list[str] = []
        for k in keys:
            for sql in ("SELECT DISTINCT doc_id FROM entity_mentions WHERE entity_key=?",
                        "SELECT DISTINCT doc_id FROM events WHERE actor_key=?",
                        "SELECT DISTINCT doc_id FROM events WHERE target_key=?",
                        "SELECT DISTINCT doc_id FROM events WHERE source_key=?",
                        "SELECT DISTINCT doc_id FROM quotes WHERE speaker_key=?"):
                docs += [r[0] for r in store.conn.execute(sql, (k,))]
        if c["field"] == "alias":
            docs += [r[0] for r in store.conn.execute(
                "SELECT DISTINCT doc_id FROM entity_mentions WHERE lower(surface)=lower(?)",
                (c["new_value"],))]
        return list(dict.fromkeys(docs))
    ends = [c["target"]]
    if c["kind"] == "link":
        ends.append(c["new_value"]["with"])
    return list(dict.fromkeys(sc.fingerprint_doc(fp) for fp in ends))


def _existing(store: Store, doc_ids: Iterable[str]) -> list[str]:
    out = []
    for d in dict.fromkeys(doc_ids):
        row = store.conn.execute("SELECT analysed_at, failed_at FROM documents WHERE id=?",
                                 (d,)).fetchone()
        if row is not None and row["analysed_at"] and not row["failed_at"]:
            out.append(d)
    return out


def _resave(store: Store, doc_ids: list[str]) -> None:
    """Apply the entity and event corrections to the stored analyses (no parse)."""
    applier = sc.Applier(store)
    for doc_id in doc_ids:
        analysis = store.get_analysis(doc_id)
        if analysis is None:
            continue
        row = store.conn.execute("SELECT model, analysis_anchor FROM documents WHERE id=?",
                                 (doc_id,)).fetchone()
        store.save_analysis(doc_id, applier.analysis(doc_id, analysis), row["model"] or "",
                            anchor=row["analysis_anchor"])


def _reanalyse(store: Store, settings: Settings, doc_ids: list[str]) -> None:
    """Run the extraction again (corrections applied by the pipeline)."""
    from .pipeline import analyse_documents

    analyse_documents(store, [store.get_document(d) for d in doc_ids], settings)


def link_again(store: Store, settings: Settings, doc_ids: list[str]) -> CorrectionReport:
    """Link the documents again (each leaves its story and groups first), date what that
    dates, and apply the link corrections and verdicts over the result."""
    from .link import update_links
    from .link.embed import get_embedder
    from .pipeline import analyse_documents

    embedder = get_embedder(settings.embedder)
    if doc_ids:
        report = update_links(store, doc_ids, embedder=embedder)
        store.dequeue_links(report.documents)
        if report.inferred_dates:  # a new anchor: analyse those again, then link them
            analyse_documents(store, [store.get_document(d) for d in report.inferred_dates],
                              settings)
            store.dequeue_links(update_links(store, report.inferred_dates,
                                             embedder=embedder).documents)
    return apply_link_corrections(store, embedder)


def reapply(store: Store, settings: Settings, rows: list[dict[str, Any]], *,
            undo: bool = False) -> CorrectionReport:
    """Do what these corrections need (made, imported or, with `undo`, deleted)."""
    parse: list[str] = []
    resave: list[str] = []
    relink: list[str] = []
    for c in rows:
        if c["kind"] == "document" and not undo:  # the stored field, before any analysis
            sc.apply_document(store, c["target"], c["field"], c["new_value"])
        docs = _existing(store, affected_documents(store, c))
        if c["kind"] == "document" and c["field"] == "title":
            relink += docs  # no extraction reads the title
        elif c["kind"] == "document":
            parse += docs
        elif c["kind"] in ("entity", "event"):
            (parse if undo else resave).extend(docs)
        elif undo:
            relink += docs  # a verdict or a link taken back: link those documents afresh
    parse = list(dict.fromkeys(parse))
    resave = [d for d in dict.fromkeys(resave) if d not in parse]
    if parse:
        _reanalyse(store, settings, parse)
    if resave:
        _resave(store, resave)
    return link_again(store, settings, list(dict.fromkeys(parse + resave + relink)))


def undo(store: Store, settings: Settings, cid: str) -> dict[str, Any]:
    """Delete a correction; what it touched returns to what the extractor (and the other
    corrections) say."""
    row = sc.remove(store, cid)
    if row["kind"] == "document":
        rest = [c for c in sc.all_corrections(store, "document", row["target"])
                if c["field"] == row["field"]]
        sc.apply_document(store, row["target"], row["field"],
                          rest[-1]["new_value"] if rest else row["old_value"])
        if not rest:  # the field is no longer the analyst's: its provenance is unknown
            _forget_provenance(store, row["target"], row["field"])
    reapply(store, settings, [row], undo=True)
    return row


def _forget_provenance(store: Store, doc_id: str, field: str) -> None:
    r = store.conn.execute("SELECT meta_json FROM documents WHERE id=?", (doc_id,)).fetchone()
    if r is None:
        return
    meta = json.loads(r[0])
    if meta.get("provenance", {}).get(field) == "correction":
        meta["provenance"][field] = "restored"
    with store.write() as conn:
        conn.execute("UPDATE documents SET meta_json=? WHERE id=?", (json.dumps(meta), doc_id))


def relink(store: Store, settings: Settings) -> dict[str, Any]:
    """Run the linking again over the whole store: stories, merged events, statement groups
    and inferred dates are rebuilt from the stored analyses (corrections applied to them
    first), then the link corrections and verdicts are applied again. A killed run is
    finished by the next one (every document waits in the link queue until linked)."""
    from .pipeline import analyse_and_link

    rows = sc.all_corrections(store)
    parse = _existing(store, [c["target"] for c in rows if c["kind"] == "document"
                              and _differs(store, c)])
    resave = [d for d in _existing(store, (d for c in rows if c["kind"] in ("entity", "event")
                                           for d in affected_documents(store, c)))
              if d not in parse]
    if parse:
        _reanalyse(store, settings, parse)
    if resave:
        _resave(store, resave)
    with store.write() as conn:
        conn.execute("INSERT OR IGNORE INTO link_queue (doc_id) SELECT id FROM documents "
                     "WHERE analysed_at IS NOT NULL AND failed_at IS NULL")
        for table in ("cluster_members", "clusters", "story_documents", "stories"):
            conn.execute(f"DELETE FROM {table}")
    report = analyse_and_link(store, settings)
    corr = report.corrections or CorrectionReport()
    for c in sc.list_corrections(store):  # every correction, whatever its kind
        if c["state"] == "orphaned":
            corr.orphaned.setdefault(c["id"], c["state_reason"])
        elif c["state"] == "applied" and c["id"] not in corr.applied + list(corr.orphaned):
            corr.applied.append(c["id"])
    corr.applied = [cid for cid in corr.applied if cid not in corr.orphaned]
    n_docs = len(report.link.documents) if report.link else 0
    return {"documents": n_docs, "stories": len(store.conn.execute(
        "SELECT id FROM stories").fetchall()), **corr.as_dict()}


def _differs(store: Store, c: dict[str, Any]) -> bool:
    return _old_value(store, "document", c["target"], c["field"]) != c["new_value"]


def _record_problem(c: Any) -> str | None:
    """Why an imported record is not a correction this store can keep, or None."""
    if not isinstance(c, dict):
        return "not a JSON object"
    for key in ("id", "kind", "target", "field"):
        if not isinstance(c.get(key), str) or not c[key]:
            return f"no {key}"
    kind, field, value = c["kind"], c["field"], c.get("new_value")
    if kind not in sc.FIELDS or field not in sc.FIELDS[kind]:
        return f"unknown correction {kind}.{field}"
    shapes = {("entity", "merge"): str, ("entity", "alias"): str, ("entity", "split"): dict,
              ("claim", "verdict"): dict, ("link", field): dict}
    want = shapes.get((kind, field))
    if want is not None and not isinstance(value, want):
        return f"{kind}.{field}: the value is not a {want.__name__}"
    if kind == "claim" and value.get("verdict") not in sc.VERDICTS:
        return f"verdict {value.get('verdict')!r} is not one of {', '.join(sc.VERDICTS)}"
    if kind == "link" and (value.get("op") not in ("add", "remove") or not value.get("with")):
        return "a link correction needs op (add/remove) and with"
    if kind == "entity" and field == "split" and not all(
            isinstance(value.get(k), str) for k in ("surface", "name", "key")):
        return "a split needs surface, name and key"
    if kind in ("event", "link", "claim") and "/" not in c["target"]:
        return f"{c['target']!r} is not a fingerprint"
    return None


def import_corrections(store: Store, settings: Settings,
                       records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Add corrections exported from another store (known ids are skipped, records that
    are not corrections are refused with the reason, the others kept), then apply them;
    those whose target is not here are listed as orphaned."""
    added, known, refused = [], 0, []
    for n, rec in enumerate(records, 1):
        c = rec.get("correction", rec) if isinstance(rec, dict) else rec
        problem = _record_problem(c)
        if problem is not None:
            refused.append(f"record {n}: {problem}")
            continue
        if store.conn.execute("SELECT 1 FROM corrections WHERE id=?", (c["id"],)).fetchone():
            known += 1
            continue
        added.append(sc.add(store, c["kind"], c["target"], c["field"], c.get("new_value"),
                            c.get("old_value"), doc_id=c.get("doc_id"),
                            reason=c.get("reason"), author=c.get("author"), cid=c["id"],
                            created_at=c.get("created_at")))
    report = reapply(store, settings, added) if added else CorrectionReport()
    states = [sc.state(store, c) for c in added]
    return {"added": len(added), "known": known, "refused": refused,
            "orphaned": {c["id"]: why for c, (s, why) in zip(added, states) if s == "orphaned"},
            "link_orphaned": report.orphaned}
