"""STIX 2.1 export: each story as a Report, its actors as Identities or Threat Actors, each
merged event as a Relationship carrying its evidence, with the stix2 library.

Mapping:
  a story                     -> Report (name, published = the story's last date, object_refs)
  an actor of a hostile event -> ThreatActor (PLOVER ASSAULT, COERCE, THREATEN, MOBILIZE)
  any other actor or target   -> Identity (individual for a person, organization otherwise)
  a merged event              -> Relationship actor -> target, relationship_type = its
                                 subtype (or PLOVER type) in STIX's form ("arms-transfer"),
                                 description = the claim, confidence from the independent
                                 sources, start_time from its date, and one external
                                 reference per report (outlet, date, document#start-end,
                                 the evidence sentence, the URL when known)
  a denial, a disagreement,   -> Note on the Relationship, with the evidence as an external
  an event with no target        reference (an event with no target has no Relationship:
                                 its Note refers to the actor)
Ids are UUIDv5 of the store's own keys, so the same store exports the same ids.
"""

from __future__ import annotations

import re
import uuid
from typing import IO, Any

import stix2

from ..link import queries as lq
from ..store import Store
from .shapes import story_events

NAMESPACE = uuid.UUID("6f1f3e0c-3b7e-5a52-9a43-8d1f2b0c5e11")  # storyline's STIX ids
THREAT_TYPES = {"ASSAULT", "COERCE", "THREATEN", "MOBILIZE"}
EPOCH = "2000-01-01T00:00:00Z"  # created/modified of objects no stored time dates


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _time(value: Any) -> str | None:
    """A STIX timestamp from an ISO day or date-time (None when it is neither)."""
    if not isinstance(value, str):
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{value}T00:00:00Z"
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(?:Z|[+-]00:?00)?",
                     value)
    return f"{m[1]}T{m[2]}Z" if m else None


def _rel_type(ev: dict[str, Any]) -> str:
    raw = str(ev.get("subtype") or ev.get("type") or "related-to").lower()
    return re.sub(r"[^a-z0-9]+", "-", raw).strip("-") or "related-to"


def _confidence(ev: dict[str, Any]) -> int:
    """STIX confidence (0-100): 15 for a denied claim, else 30 for one independent source,
    up to 90 for four or more."""
    if ev.get("status") == "denied":
        return 15
    n = max(1, int(ev.get("n_independent") or 0))
    return min(90, 30 + 20 * (n - 1))


def _evidence(m: dict[str, Any]) -> dict[str, Any]:
    """One report of a claim as a STIX external reference."""
    shown = m.get("display") or {}
    outlet = shown.get("outlet") or m.get("outlet") or m.get("wire") or "unknown outlet"
    date = shown.get("date") or m.get("published")
    when = f", {'~' if shown.get('inferred') else ''}{date}" if date else ""
    ref = {"source_name": f"{outlet}{when}",
           "external_id": f"{m.get('doc_id')}#{m.get('start')}-{m.get('end')}",
           "description": str(m.get("evidence") or "")[:2000] or "(no evidence text)"}
    if m.get("url"):
        ref["url"] = m["url"]
    return ref


def _actor_ref(key: str | None, name: str | None) -> str | None:
    return key or (f"name:{name}" if name else None)


class _Bundle:
    """The objects of the export, each made once (by id)."""

    def __init__(self, store: Store, hostile: set[str]) -> None:
        self.store = store
        self.hostile = hostile  # the actors of a hostile event: threat actors everywhere
        self.objects: dict[str, Any] = {}
        self.urls: dict[str, str] = {}

    def add(self, obj: Any) -> str:
        self.objects.setdefault(obj.id, obj)
        return str(obj.id)

    def actor(self, key: str | None, name: str | None) -> str | None:
        ref = _actor_ref(key, name)
        if ref is None:
            return None
        hostile = ref in self.hostile
        row = self.store.conn.execute("SELECT name, type FROM entities WHERE key=?",
                                      (ref,)).fetchone()
        label = (row["name"] if row else None) or name or ref
        typ = row["type"] if row else None
        if hostile:
            sid = _id("threat-actor", ref)
            if sid not in self.objects:
                self.add(stix2.ThreatActor(
                    id=sid, name=label, created=EPOCH, modified=EPOCH,
                    threat_actor_types=["nation-state"] if ref.startswith("country:")
                    else ["unknown"], description=f"storyline key {ref}"))
            return sid
        sid = _id("identity", ref)
        if sid not in self.objects:
            self.add(stix2.Identity(
                id=sid, name=label, created=EPOCH, modified=EPOCH,
                identity_class="individual" if typ == "PERSON" else "organization",
                description=f"storyline key {ref}"))
        return sid

    def url(self, doc_id: str) -> str | None:
        if doc_id not in self.urls:
            row = self.store.conn.execute("SELECT url FROM documents WHERE id=?",
                                          (doc_id,)).fetchone()
            self.urls[doc_id] = (row["url"] if row else None) or ""
        return self.urls[doc_id] or None


def _note(bundle: _Bundle, key: str, abstract: str, content: str, refs: list[str],
          evidence: list[dict[str, Any]], when: str) -> str:
    return bundle.add(stix2.Note(
        id=_id("note", key), created=when, modified=when, abstract=abstract[:500],
        content=content or abstract, object_refs=refs,
        external_references=evidence or None))


def _event_objects(bundle: _Bundle, ev: dict[str, Any]) -> list[str]:
    """The objects of one merged event: its actors, its Relationship, its Notes."""
    src = bundle.actor(ev.get("actor_key"), ev.get("actor"))
    dst = bundle.actor(ev.get("target_key"), ev.get("target"))
    when = _time(ev.get("updated_at")) or EPOCH
    for m in ev["mentions"]:
        m.setdefault("url", bundle.url(str(m.get("doc_id"))))
    evidence = [_evidence(m) for m in ev["mentions"]]
    refs = [r for r in (src, dst) if r]
    cid = ev["cluster_id"]
    status = ev.get("status") or "asserted"
    if src and dst:
        start = _time(ev["when"][0] if isinstance(ev["when"], list) and ev["when"]
                      else ev["when"])
        rel = stix2.Relationship(
            id=_id("relationship", f"cluster:{cid}"), created=when, modified=when,
            relationship_type=_rel_type(ev), source_ref=src, target_ref=dst,
            description=ev["title"], confidence=_confidence(ev), labels=[status],
            start_time=start, external_references=evidence or None)
        main = bundle.add(rel)
        refs.append(main)
    elif refs:  # no target: the claim stays, as a note on its actor
        main = _note(bundle, f"cluster:{cid}", ev["title"],
                     f"{status}; {ev['n_independent']} independent source(s)", refs[:1],
                     evidence, when)
        refs.append(main)
    else:
        return []
    for i, d in enumerate(ev["denials"]):
        denial = dict(d, url=bundle.url(str(d.get("doc_id"))))
        refs.append(_note(bundle, f"cluster:{cid}:denial:{i}", f"Denied by {d.get('by') or '?'}",
                          str(d.get("evidence") or ""), [main],
                          [_evidence(denial)] if d.get("doc_id") else [], when))
    for i, g in enumerate(ev["disagreements"]):
        values = " vs ".join(f"{v.get('value')} ({v.get('source') or v.get('outlet') or '?'})"
                             for v in g.get("values") or [])
        refs.append(_note(bundle, f"cluster:{cid}:disagreement:{i}",
                          f"Sources disagree on the {g.get('field')}", values, [main], [],
                          when))
    return refs


def stix_bundle(store: Store, story_id: int | None = None) -> stix2.Bundle:
    """The STIX 2.1 bundle of one story (every story when None)."""
    ids = [story_id] if story_id is not None else [s["id"] for s in lq.list_stories(store)]
    events = {sid: story_events(store, sid) for sid in ids}
    hostile = {_actor_ref(ev.get("actor_key"), ev.get("actor")) for evs in events.values()
               for ev in evs if str(ev.get("type") or "").upper() in THREAT_TYPES}
    bundle = _Bundle(store, {h for h in hostile if h})
    for sid in ids:
        story = lq.get_story(store, sid)
        refs: list[str] = []
        for ev in events[sid]:
            refs += _event_objects(bundle, ev)
        if not refs:
            continue  # a story with no actor in any event: STIX needs a report to refer
        published = _time(story.get("last_date")) or EPOCH
        bundle.add(stix2.Report(
            id=_id("report", f"story:{sid}"), created=published, modified=published,
            name=story["title"] or f"Story {sid}", published=published,
            report_types=["threat-report"], object_refs=list(dict.fromkeys(refs)),
            description=f"{story['n_documents']} document(s), {story['n_events']} merged "
                        f"event(s), {story.get('first_date') or '?'} – "
                        f"{story.get('last_date') or '?'}; exported by Storyline"))
    return stix2.Bundle(objects=list(bundle.objects.values()), allow_custom=False)


def export_stix(store: Store, out: IO[Any], story_id: int | None = None) -> int:
    """Write the STIX 2.1 bundle as JSON; returns the number of objects."""
    from .export import _write

    data = stix_bundle(store, story_id)
    _write(out, data.serialize(pretty=True) + "\n")
    return len(data.objects)
