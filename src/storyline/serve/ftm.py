"""FollowTheMoney export: actors, articles and merged events as FtM entities.

Mapping (checked against followthemoney's model):
  PERSON                              -> Person (role as `position`)
  ORG                                 -> Organization, or PublicBody when the actor code
                                         marks a state body (…GOV, …MIL, …LEG, …JUD)
  GPE keyed `country:XXX`             -> PublicBody for the state as an actor, `country` set
  other places, groups, vehicles      -> not exported as entities (places stay on events)
  a document                          -> Article (title, publisher, publishedAt, sourceUrl)
  a merged event                      -> Event (organizer, involved, date, proof = articles)
Countries are an FtM property type, not a schema: `country` carries ISO codes.
"""

from __future__ import annotations

import json
from typing import IO, Any

from followthemoney import model
from followthemoney.types import registry

from ..link import queries as lq
from ..store import Store
from .shapes import story_events

NS = "storyline"
STATE_CODES = ("GOV", "MIL", "LEG", "JUD", "SPY", "PTY")


def _schema(ent: dict[str, Any]) -> str | None:
    typ, key, code = ent["type"], ent["key"], ent.get("code") or ""
    if typ == "PERSON":
        return "Person"
    if typ == "ORG":
        return "PublicBody" if code[3:6] in STATE_CODES else "Organization"
    if typ == "GPE" and key.startswith("country:"):
        return "PublicBody"
    return None


def _country(ent: dict[str, Any]) -> str | None:
    for guess in (ent["key"].split(":", 1)[1] if ent["key"].startswith("country:") else None,
                  (ent.get("code") or "")[:3] or None):
        if guess:
            code = registry.country.clean(guess)
            if code:
                return code
    return None


def _entity(ent: dict[str, Any], aliases: list[str]) -> Any:
    schema = _schema(ent)
    if schema is None:
        return None
    proxy = model.make_entity(schema)
    proxy.make_id(NS, ent["key"])
    proxy.add("name", ent["name"])
    proxy.add("alias", [a for a in aliases if a != ent["name"]])
    proxy.add("country", _country(ent))
    proxy.add("notes", f"storyline key {ent['key']}")
    if ent["key"].startswith("country:"):
        proxy.add("description", "The state, as an actor in reported events")
    if ent.get("role"):
        proxy.add("position" if schema == "Person" else "description", ent["role"])
    return proxy


def _article(doc: dict[str, Any]) -> Any:
    proxy = model.make_entity("Article")
    proxy.make_id(NS, "doc", doc["id"])
    proxy.add("title", doc.get("title") or doc["source"])
    proxy.add("publisher", doc.get("outlet") or doc.get("wire"))
    proxy.add("publishedAt", doc.get("published") or doc.get("published_inferred"))
    proxy.add("sourceUrl", doc.get("url"))
    proxy.add("language", doc.get("language"))
    proxy.add("bodyText", doc.get("text"))
    proxy.add("notes", f"storyline document {doc['id']}")
    return proxy


def _date(when: Any) -> str | None:
    value = when[0] if isinstance(when, list) and when else when
    return value if isinstance(value, str) and registry.date.clean(value) else None


def _event(ev: dict[str, Any], actors: dict[str, Any], articles: dict[str, Any]) -> Any:
    proxy = model.make_entity("Event")
    proxy.make_id(NS, "cluster", str(ev["cluster_id"]))
    proxy.add("name", ev["title"])
    proxy.add("date", _date(ev["when"]))
    if ev["mentions"]:
        proxy.add("summary", ev["mentions"][0].get("evidence"))
    proxy.add("description", f"status {ev['status']}; {ev['n_independent']} independent "
                             f"source(s): {', '.join(ev['original_sources']) or 'unknown'}")
    proxy.add("keywords", [k for k in (ev["type"], ev["subtype"], ev["status"]) if k])
    proxy.add("location", ev["where"])
    proxy.add("publisher", ev["reporting_outlets"])
    if ev["actor_key"] in actors:
        proxy.add("organizer", actors[ev["actor_key"]].id)
    for key in (ev["actor_key"], ev["target_key"]):
        if key in actors:
            proxy.add("involved", actors[key].id)
            proxy.add("country", actors[key].get("country"))
    for m in ev["mentions"]:
        art = articles.get(m.get("doc_id"))
        if art is not None:
            proxy.add("proof", art.id)
            proxy.add("sourceUrl", art.get("sourceUrl"))
    return proxy


def ftm_entities(store: Store, story_id: int | None = None) -> list[Any]:
    """Entity proxies for the store (or one story): actors, articles, merged events."""
    wanted = None
    if story_id is not None:
        wanted = {d["id"] for d in lq.get_story(store, story_id).get("documents") or []}
    docs = [dict(r) for r in store.conn.execute(
        "SELECT id, source, title, outlet, wire, published, published_inferred, url, "
        "language, text FROM documents ORDER BY seq")]
    docs = [d for d in docs if wanted is None or d["id"] in wanted]
    articles = {d["id"]: _article(d) for d in docs}
    aliases: dict[str, list[str]] = {}
    for r in store.conn.execute("SELECT DISTINCT entity_key, surface, doc_id "
                                "FROM entity_mentions ORDER BY surface"):
        if wanted is None or r["doc_id"] in wanted:
            forms = aliases.setdefault(r["entity_key"], [])
            if r["surface"] not in forms:
                forms.append(r["surface"])
    actors = {}
    for row in store.conn.execute("SELECT * FROM entities ORDER BY key"):
        ent = dict(row)
        if ent["key"] in aliases:
            proxy = _entity(ent, aliases[ent["key"]])
            if proxy is not None:
                actors[ent["key"]] = proxy
    events = [_event(ev, actors, articles) for ev in story_events(store, story_id)]
    return [*actors.values(), *articles.values(), *events]


def export_ftm(store: Store, out: IO[Any], story_id: int | None = None) -> int:
    """Write FtM entities, one JSON object per line; returns how many."""
    proxies = ftm_entities(store, story_id)
    for proxy in proxies:
        line = json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
        try:
            out.write(line)
        except TypeError:
            out.write(line.encode("utf-8"))
    return len(proxies)
