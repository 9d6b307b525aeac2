"""Watchlists: named criteria (entities, event subtypes, keywords) over the merged events.

`check_watches` returns the claims that match a watch and are new since its last check:
merged events created or updated since then, or that gained a document added since then.
Each reported claim's (cluster id, updated_at, documents) signature is remembered in the
watch, so a claim is reported again only when it changes, even within the same second.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import InputError, NotFound
from ..store import Store
from ..store.db import now
from .shapes import attach_displays, event_item


def _clean(values: list[str] | None) -> list[str]:
    return sorted({v.strip() for v in values or [] if v and v.strip()})


def add_watch(store: Store, name: str, entities: list[str] | None = None,
              subtypes: list[str] | None = None, keywords: list[str] | None = None) -> dict[str, Any]:
    """Create or replace the watch `name`; entities may be keys or names."""
    name = name.strip()
    spec = {"entities": _clean(entities), "subtypes": _clean(subtypes),
            "keywords": _clean(keywords)}
    if not name:
        raise InputError("a watch needs a name", source="name")
    if not any(spec.values()):
        raise InputError("a watch needs at least one entity, subtype or keyword", source=name)
    with store.write() as conn:
        row = conn.execute("SELECT spec_json FROM watches WHERE name=?", (name,)).fetchone()
        if row:  # replacing the criteria keeps what was already reported
            spec["seen"] = json.loads(row[0]).get("seen", {})
            conn.execute("UPDATE watches SET spec_json=? WHERE name=?", (json.dumps(spec), name))
        else:
            conn.execute("INSERT INTO watches (name, spec_json, created_at) VALUES (?,?,?)",
                         (name, json.dumps(spec), now()))
    return get_watch(store, name)


def _watch_row(row: Any) -> dict[str, Any]:
    spec = json.loads(row["spec_json"])
    return {"name": row["name"], "entities": spec.get("entities", []),
            "subtypes": spec.get("subtypes", []), "keywords": spec.get("keywords", []),
            "created_at": row["created_at"], "last_checked": row["last_checked"]}


def get_watch(store: Store, name: str) -> dict[str, Any]:
    """One watch; NotFound when there is none of that name."""
    row = store.conn.execute("SELECT * FROM watches WHERE name=?", (name,)).fetchone()
    if row is None:
        raise NotFound(f"no watch {name!r}", source=name)
    return _watch_row(row)


def list_watches(store: Store) -> list[dict[str, Any]]:
    """Every watch with its criteria and when it was last checked."""
    return [_watch_row(r) for r in store.conn.execute("SELECT * FROM watches ORDER BY name")]


def _entity_keys(store: Store, refs: list[str]) -> tuple[set[str], set[str]]:
    """Keys named directly or by an entity's name or surface form; names kept for actors
    that have no key."""
    keys, names = set(), {r.lower() for r in refs}
    for ref in refs:
        for row in store.conn.execute(
                "SELECT key FROM entities WHERE key=? OR lower(name)=lower(?) UNION "
                "SELECT entity_key FROM entity_mentions WHERE lower(surface)=lower(?)",
                (ref, ref, ref)):
            keys.add(row[0])
    return keys, names


def _matches(ev: dict[str, Any], keys: set[str], names: set[str], subtypes: set[str],
             keywords: list[str]) -> list[str]:
    """Why a merged event matches a watch (empty when it does not)."""
    why = []
    people = {ev.get("actor_key"), ev.get("target_key")}
    people |= {m.get("source_key") for m in ev["mentions"]}
    people |= {d.get("by_key") for d in ev["denials"]}
    labels = {str(x).lower() for x in (ev.get("actor"), ev.get("target")) if x}
    labels |= {str(m.get("source")).lower() for m in ev["mentions"] if m.get("source")}
    labels |= {str(d.get("by")).lower() for d in ev["denials"] if d.get("by")}
    # a key match says it best; a bare name counts for actors stored without a key
    hit = sorted(k for k in people & keys if k) or sorted(labels & names)
    if hit:
        why.append("entity: " + ", ".join(dict.fromkeys(hit)))
    if {str(ev.get("subtype")).lower(), str(ev.get("type")).lower()} & subtypes:
        why.append(f"subtype: {ev.get('subtype') or ev.get('type')}")
    hay = " ".join([str(ev.get("title") or ""), str(ev.get("item") or "")]
                   + [str(m.get("evidence") or "") for m in ev["mentions"]]).lower()
    words = [k for k in keywords if k.lower() in hay]
    if words:
        why.append("keyword: " + ", ".join(words))
    return why


def _candidates(store: Store, since: str | None) -> list[dict[str, Any]]:
    """Merged events changed since `since` (all of them when never checked)."""
    # the story through the members' documents: link may leave clusters.story_id empty
    sql = ("SELECT c.*, coalesce(c.story_id, (SELECT sd.story_id FROM cluster_members cm "
           "JOIN story_documents sd ON sd.doc_id = cm.doc_id WHERE cm.cluster_id = c.id "
           "LIMIT 1)) AS story FROM clusters c WHERE c.kind = 'event'")
    args: tuple[Any, ...] = ()
    if since:
        sql += (" AND (c.updated_at >= ? OR EXISTS (SELECT 1 FROM cluster_members cm "
                "JOIN documents d ON d.id = cm.doc_id WHERE cm.cluster_id = c.id "
                "AND d.added_at >= ?))")
        args = (since, since)
    out = []
    for row in store.conn.execute(sql + " ORDER BY c.id", args).fetchall():
        data = json.loads(row["json"] or "{}")
        data.update({"cluster_id": row["id"], "story_id": row["story"],
                     "updated_at": row["updated_at"]})
        data.setdefault("type", row["type"])
        data.setdefault("subtype", row["subtype"])
        out.append(event_item(data))
    return out


def _signature(ev: dict[str, Any]) -> str:
    docs = sorted({str(m.get("doc_id")) for m in ev["mentions"]})
    return f"{ev['updated_at']}|{','.join(docs)}|{len(ev['denials'])}"


def _hits(store: Store, row: Any, since: str | None,
          seen: dict[str, str]) -> list[dict[str, Any]]:
    """The claims that match the watch in `row`, changed since `since` and not `seen`."""
    spec = json.loads(row["spec_json"])
    keys, names = _entity_keys(store, spec.get("entities", []))
    subtypes = {s.lower() for s in spec.get("subtypes", [])}
    found = []
    for ev in _candidates(store, since):
        if seen.get(str(ev["cluster_id"])) == _signature(ev):
            continue
        why = _matches(ev, keys, names, subtypes, spec.get("keywords", []))
        if why:
            found.append({"watch": row["name"], "cluster_id": ev["cluster_id"],
                          "story_id": ev["story_id"], "title": ev["title"],
                          "status": ev["status"], "n_independent": ev["n_independent"],
                          "matched": why, "claim": ev})
    attach_displays(store, [h["claim"] for h in found])
    return found


def _check_one(store: Store, row: Any, mark: bool) -> list[dict[str, Any]]:
    spec = json.loads(row["spec_json"])
    seen: dict[str, str] = spec.get("seen", {})
    checked_at = now()
    found = _hits(store, row, row["last_checked"], seen)
    if mark and not store.readonly:
        for hit in found:
            seen[str(hit["cluster_id"])] = _signature(hit["claim"])
        spec["seen"] = seen
        with store.write() as conn:
            conn.execute("UPDATE watches SET last_checked=?, spec_json=? WHERE id=?",
                         (checked_at, json.dumps(spec), row["id"]))
    return found


def watch_claims(store: Store, name: str) -> list[dict[str, Any]]:
    """Every claim matching the watch, the latest changed first (what its feed lists; the
    watch's last check is neither read nor moved)."""
    get_watch(store, name)  # NotFound for an unknown watch
    row = store.conn.execute("SELECT * FROM watches WHERE name=?", (name,)).fetchone()
    hits = _hits(store, row, None, {})
    return sorted(hits, key=lambda h: (str(h["claim"].get("updated_at") or ""),
                                       h["cluster_id"]), reverse=True)


def check_watches(store: Store, name: str | None = None, *,
                  mark: bool = True) -> list[dict[str, Any]]:
    """New claims matching a watch (or every watch) since its last check, with evidence.

    With `mark`, the watch's last check moves to now, so the same claims are not
    reported twice."""
    if name is not None:
        get_watch(store, name)  # NotFound for an unknown watch
        rows = store.conn.execute("SELECT * FROM watches WHERE name=?", (name,)).fetchall()
    else:
        rows = store.conn.execute("SELECT * FROM watches ORDER BY name").fetchall()
    out: list[dict[str, Any]] = []
    for row in rows:
        out += _check_one(store, row, mark)
    return out
