"""A small store for the analyst-interface tests, filled straight through the store contract.

The articles are INVENTED for these tests (no shared text). Their facts are written by hand,
with offsets found in the text, so every span points at the words it names. The
cross-document rows (stories, clusters, cluster_members) follow docs/STORE_CONTRACT.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storyline.records import (
    Analysis,
    DocMeta,
    Document,
    Entity,
    Event,
    Mention,
    Quote,
    TimeMention,
    document_id,
)
from storyline.store import Store
from storyline.store.db import now

HOSTILE = "<script>document.title='pwned'</script>"
HOSTILE_IMG = "<img src=x onerror=\"document.title='pwned'\">"

TEXT_A = (
    "Norway will deliver 12 patrol boats to Chile, Defence Minister Ingrid Halvorsen said "
    "on Monday.\n\n"
    "\"The first hulls will be handed over before the winter,\" Halvorsen told reporters "
    "in Bergen.\n\n"
    "Chile appears to have paid a deposit of 40 million dollars, according to Fjordline Yards."
)
TEXT_B = (
    "Norway has agreed to send 10 patrol boats to Chile, the Chilean Navy said on Tuesday.\n\n"
    "Halvorsen said the first hulls would be handed over before the winter.\n\n"
    "The boats were fitted with anti-ship missiles, a navy source said."
)
TEXT_C = (
    "Fjordline Yards denied that the boats carried missiles.\n\n"
    "A visit by Chilean officials to Bergen is set to take place next month, the company "
    "said.\n\n"
    "Chile could buy more boats if funding allows.\n\n"
    f"One reader wrote {HOSTILE} and {HOSTILE_IMG} in the comments."
)
TEXT_D = (
    "Kenyan envoy Amina Odera met Ethiopian officials in Addis Ababa on Friday to discuss "
    "a rail link."
)
TEXT_F = "Norway shipped a second batch of 4 patrol boats to Chile on Thursday, the navy said."


def at(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    """Span of the nth occurrence of `phrase` in `text` (fails loudly when absent)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


ENTITIES = {  # key -> (name, type, code, role, surface forms)
    "country:NOR": ("Norway", "GPE", "NOR", None, ["Norway"]),
    "country:CHL": ("Chile", "GPE", "CHL", None, ["Chile", "Chilean"]),
    "country:KEN": ("Kenya", "GPE", "KEN", None, ["Kenyan"]),
    "country:ETH": ("Ethiopia", "GPE", "ETH", None, ["Ethiopian"]),
    "person:ingrid-halvorsen": ("Ingrid Halvorsen", "PERSON", "NORGOV", "Defence Minister",
                                ["Ingrid Halvorsen", "Halvorsen"]),
    "person:amina-odera": ("Amina Odera", "PERSON", "KENGOV", "envoy", ["Amina Odera"]),
    "org:fjordline-yards": ("Fjordline Yards", "ORG", None, None, ["Fjordline Yards"]),
    "org:chilean-navy": ("Chilean Navy", "ORG", "CHLMIL", None, ["Chilean Navy"]),
    "place:bergen": ("Bergen", "GPE", None, None, ["Bergen"]),
    "place:addis-ababa": ("Addis Ababa", "GPE", None, None, ["Addis Ababa"]),
}


def _entities(text: str, keys: list[str]) -> list[Entity]:
    out = []
    for key in keys:
        name, typ, code, role, forms = ENTITIES[key]
        spans: set[tuple[int, int]] = set()
        for form in forms:
            pos = text.find(form)
            while pos >= 0:
                # a longer surface form of another entity wins ("Chilean Navy" over "Chilean")
                covered = any(pos >= s and pos + len(form) <= e for s, e in spans)
                if not covered:
                    spans.add((pos, pos + len(form)))
                pos = text.find(form, pos + 1)
        mentions = [Mention(text[s:e], s, e) for s, e in sorted(spans)]
        out.append(Entity(key=key, name=name, type=typ, code=code, role=role, mentions=mentions))
    if "org:chilean-navy" in keys:  # "Chilean" inside "Chilean Navy" belongs to the navy
        navy = at(text, "Chilean Navy")
        for ent in out:
            if ent.key == "country:CHL":
                ent.mentions = [m for m in ent.mentions if not navy[0] <= m.start < navy[1]]
    return out


def _event(text: str, eid: str, sentence: str, **kw: Any) -> Event:
    s, e = at(text, sentence)
    return Event(id=eid, start=s, end=e, evidence=sentence, **kw)


def _time(text: str, phrase: str, value: Any, anchor: str | None) -> TimeMention:
    s, e = at(text, phrase)
    return TimeMention(text=phrase, start=s, end=e, value=value, anchor=anchor,
                       note=None if value else "no anchor for this expression")


def _doc(text: str, outlet: str, published: str, title: str) -> Document:
    url = f"https://{outlet.lower().replace(' ', '')}.example/{published}"
    meta = DocMeta(outlet=outlet, published=published, title=title, language="en", url=url)
    return Document(id=document_id(text), source=f"{outlet}.txt", text=text, meta=meta,
                    raw_text=text)


def _analyses() -> dict[str, tuple[Document, Analysis]]:
    a = _doc(TEXT_A, "Harbour Times", "2024-03-04", "Norway to deliver patrol boats to Chile")
    b = _doc(TEXT_B, "Andes Daily", "2024-03-05", "Navy confirms boat deal")
    c = _doc(TEXT_C, "Coastal Review", "2024-03-06", f"Shipyard denies missile report {HOSTILE}")
    d = _doc(TEXT_D, "Nairobi Ledger", "2024-05-10", "Envoy discusses rail link")
    ana_a = Analysis(
        entities=_entities(TEXT_A, ["country:NOR", "country:CHL", "person:ingrid-halvorsen",
                                    "org:fjordline-yards", "place:bergen"]),
        times=[_time(TEXT_A, "on Monday", "2024-03-04", "published"),
               _time(TEXT_A, "before the winter", None, None)],
        quotes=[Quote(text="The first hulls will be handed over before the winter",
                      start=at(TEXT_A, "The first hulls")[0],
                      end=at(TEXT_A, "before the winter")[1], speaker="Ingrid Halvorsen",
                      speaker_key="person:ingrid-halvorsen", cue="told")],
        events=[
            _event(TEXT_A, "e1", "Norway will deliver 12 patrol boats to Chile", type="AID",
                   subtype="arms_transfer", actor="Norway", actor_key="country:NOR",
                   target="Chile", target_key="country:CHL", item="patrol boats",
                   quantity=12.0, when="2024-03-04", source="Ingrid Halvorsen",
                   source_key="person:ingrid-halvorsen", status="planned", cue="will",
                   trigger="deliver"),
            _event(TEXT_A, "e2", "Chile appears to have paid a deposit of 40 million dollars",
                   type="COOPERATE", subtype="trade", actor="Chile", actor_key="country:CHL",
                   target="Norway", target_key="country:NOR", item="deposit",
                   quantity=40_000_000.0, when="2024-03-04", source="Fjordline Yards",
                   source_key="org:fjordline-yards", status="hedged", cue="appears",
                   trigger="paid"),
        ])
    ana_b = Analysis(
        entities=_entities(TEXT_B, ["country:NOR", "country:CHL", "person:ingrid-halvorsen",
                                    "org:chilean-navy"]),
        times=[_time(TEXT_B, "on Tuesday", "2024-03-05", "published")],
        quotes=[Quote(text="the first hulls would be handed over before the winter",
                      start=at(TEXT_B, "the first hulls")[0],
                      end=at(TEXT_B, "before the winter")[1], speaker="Ingrid Halvorsen",
                      speaker_key="person:ingrid-halvorsen", cue="said", direct=False)],
        events=[
            _event(TEXT_B, "e1", "Norway has agreed to send 10 patrol boats to Chile", type="AID",
                   subtype="arms_transfer", actor="Norway", actor_key="country:NOR",
                   target="Chile", target_key="country:CHL", item="patrol boats",
                   quantity=10.0, when="2024-03-05", source="Chilean Navy",
                   source_key="org:chilean-navy", status="asserted", trigger="send"),
            _event(TEXT_B, "e2", "The boats were fitted with anti-ship missiles", type="AID",
                   subtype="technology_transfer", actor="Norway", actor_key="country:NOR",
                   target="Chile", target_key="country:CHL", item="anti-ship missiles",
                   when="2024-03-05", source="a navy source", status="asserted",
                   denied_by=["Fjordline Yards"], trigger="fitted"),
        ])
    ana_c = Analysis(
        entities=_entities(TEXT_C, ["country:CHL", "org:fjordline-yards", "place:bergen"]),
        times=[_time(TEXT_C, "next month", "2024-04", "published")],
        events=[
            _event(TEXT_C, "e1", "Fjordline Yards denied that the boats carried missiles",
                   type="REJECT", subtype="denial", actor="Fjordline Yards",
                   actor_key="org:fjordline-yards", source="Fjordline Yards",
                   source_key="org:fjordline-yards", status="asserted", trigger="denied"),
            _event(TEXT_C, "e2", "A visit by Chilean officials to Bergen is set to take place "
                   "next month", type="CONSULT", subtype="visit", actor="Chile",
                   actor_key="country:CHL", target="Norway", target_key="country:NOR",
                   when="2024-04", where="Bergen", source="Fjordline Yards",
                   source_key="org:fjordline-yards", status="planned", cue="set to",
                   trigger="visit"),
            _event(TEXT_C, "e3", "Chile could buy more boats if funding allows",
                   type="COOPERATE", subtype="trade", actor="Chile", actor_key="country:CHL",
                   target="Norway", target_key="country:NOR", item="boats",
                   source="Coastal Review", source_is_outlet=True, status="hypothetical",
                   cue="if", trigger="buy"),
        ])
    ana_d = Analysis(
        entities=_entities(TEXT_D, ["country:KEN", "country:ETH", "person:amina-odera",
                                    "place:addis-ababa"]),
        times=[_time(TEXT_D, "on Friday", "2024-05-10", "published")],
        events=[_event(TEXT_D, "e1", "Kenyan envoy Amina Odera met Ethiopian officials in "
                       "Addis Ababa", type="CONSULT", subtype="meeting", actor="Kenya",
                       actor_key="country:KEN", target="Ethiopia", target_key="country:ETH",
                       when="2024-05-10", where="Addis Ababa", source="Nairobi Ledger",
                       source_is_outlet=True, status="asserted", trigger="met")])
    return {"a": (a, ana_a), "b": (b, ana_b), "c": (c, ana_c), "d": (d, ana_d)}


def _mention(doc: Document, ev: Event) -> dict[str, Any]:
    return {"doc_id": doc.id, "event_id": ev.id, "outlet": doc.meta.outlet, "wire": None,
            "published": doc.meta.published, "source": ev.source, "source_key": ev.source_key,
            "status": ev.status, "cue": ev.cue, "evidence": ev.evidence, "start": ev.start,
            "end": ev.end, "quantity": ev.quantity, "when": ev.when, "where": ev.where}


def _cluster_json(title: str, members: list[tuple[Document, Event]], *, status: str,
                  n_independent: int, denials: list[dict[str, Any]] | None = None,
                  disagreements: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    first = members[0][1]
    sources: dict[str, dict[str, Any]] = {}
    for doc, ev in members:
        src = sources.setdefault(ev.source or doc.meta.outlet or "?", {
            "original": ev.source or doc.meta.outlet, "original_key": ev.source_key,
            "reported_by": [], "doc_ids": []})
        src["reported_by"].append(doc.meta.outlet)
        src["doc_ids"].append(doc.id)
    quantities = [ev.quantity for _, ev in members if ev.quantity is not None]
    return {
        "type": first.type, "subtype": first.subtype, "actor": first.actor,
        "actor_key": first.actor_key, "target": first.target, "target_key": first.target_key,
        "item": first.item, "quantity": quantities[0] if quantities else None,
        "quantity_values": quantities, "when": first.when,
        "where": sorted({ev.where for _, ev in members if ev.where}), "status": status,
        "title": title, "mentions": [_mention(doc, ev) for doc, ev in members],
        "sources": list(sources.values()), "n_independent": n_independent,
        "n_documents": len({doc.id for doc, _ in members}), "denials": denials or [],
        "disagreements": disagreements or [],
        "first_reported": min(doc.meta.published for doc, _ in members)}


def _when_bounds(value: Any) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    return (value[0], value[-1]) if isinstance(value, list) else (value, value)


def _add_cluster(store: Store, story_id: int, data: dict[str, Any],
                 members: list[tuple[str, str]], kind: str = "event") -> int:
    lo, hi = _when_bounds(data.get("when"))
    with store.write() as conn:
        cur = conn.execute(
            "INSERT INTO clusters (story_id, kind, type, subtype, actor_key, target_key, "
            "when_start, when_end, json, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (story_id, kind, data.get("type"), data.get("subtype"), data.get("actor_key"),
             data.get("target_key"), lo, hi, json.dumps(data), now()))
        cid = int(cur.lastrowid or 0)
        conn.executemany("INSERT INTO cluster_members VALUES (?,?,?)",
                         [(cid, doc_id, member) for doc_id, member in members])
    return cid


def _add_story(store: Store, title: str, first: str, last: str, doc_ids: list[str]) -> int:
    with store.write() as conn:
        cur = conn.execute("INSERT INTO stories (title, first_date, last_date, created_at, "
                           "updated_at, profile_json) VALUES (?,?,?,?,?,?)",
                           (title, first, last, now(), now(),
                            json.dumps({"n_documents": len(doc_ids)})))
        sid = int(cur.lastrowid or 0)
        conn.executemany("INSERT INTO story_documents VALUES (?,?,?)",
                         [(d, sid, 1.0) for d in doc_ids])
    return sid


def build_store(path: str | Path) -> dict[str, Any]:
    """Fill a new store at `path`; returns the ids the tests need (docs, stories, clusters)."""
    docs = _analyses()
    with Store.open(path) as store:
        for doc, ana in docs.values():
            store.add_document(doc)
            store.save_analysis(doc.id, ana, model="hand-written")
        (a, aa), (b, ab), c, d = docs["a"], docs["b"], docs["c"][0], docs["d"][0]
        ev = {(k, e.id): e for k, (_, an) in docs.items() for e in an.events}
        s1 = _add_story(store, "Norway–Chile patrol boat deal", "2024-03-04", "2024-04",
                        [a.id, b.id, c.id])
        s2 = _add_story(store, "Kenya–Ethiopia rail talks", "2024-05-10", "2024-05-10", [d.id])
        denial = {"by": "Fjordline Yards", "by_key": "org:fjordline-yards", "doc_id": c.id,
                  "event_id": "e1", "evidence": ev["c", "e1"].evidence,
                  "start": ev["c", "e1"].start, "end": ev["c", "e1"].end}
        qty = {"field": "quantity", "values": [
            {"value": 12.0, "doc_id": a.id, "source": "Ingrid Halvorsen", "outlet": a.meta.outlet},
            {"value": 10.0, "doc_id": b.id, "source": "Chilean Navy", "outlet": b.meta.outlet}]}
        clusters = {
            "boats": _add_cluster(store, s1, _cluster_json(
                "Norway → Chile: arms transfer (patrol boats)",
                [(a, ev["a", "e1"]), (b, ev["b", "e1"])], status="asserted", n_independent=2,
                disagreements=[qty]), [(a.id, "e1"), (b.id, "e1")]),
            "deposit": _add_cluster(store, s1, _cluster_json(
                "Chile → Norway: trade (deposit)", [(a, ev["a", "e2"])], status="hedged",
                n_independent=1), [(a.id, "e2")]),
            "missiles": _add_cluster(store, s1, _cluster_json(
                "Norway → Chile: technology transfer (anti-ship missiles)",
                [(b, ev["b", "e2"])], status="asserted", n_independent=1, denials=[denial]),
                [(b.id, "e2")]),
            "visit": _add_cluster(store, s1, _cluster_json(
                "Chile → Norway: visit", [(c, ev["c", "e2"])], status="planned",
                n_independent=1), [(c.id, "e2")]),
            "more": _add_cluster(store, s1, _cluster_json(
                "Chile → Norway: trade (boats)", [(c, ev["c", "e3"])], status="hypothetical",
                n_independent=1), [(c.id, "e3")]),
            "rail": _add_cluster(store, s2, _cluster_json(
                "Kenya → Ethiopia: meeting", [(d, ev["d", "e1"])], status="asserted",
                n_independent=1), [(d.id, "e1")]),
        }
        qa, qb = aa.quotes[0], ab.quotes[0]
        clusters["quote"] = _add_cluster(store, s1, {
            "speaker": "Ingrid Halvorsen", "speaker_key": "person:ingrid-halvorsen",
            "text": qa.text, "similarity": 0.91, "members": [
                {"doc_id": a.id, "quote_idx": 0, "text": qa.text, "start": qa.start,
                 "end": qa.end, "outlet": a.meta.outlet, "published": a.meta.published,
                 "language": "en"},
                {"doc_id": b.id, "quote_idx": 0, "text": qb.text, "start": qb.start,
                 "end": qb.end, "outlet": b.meta.outlet, "published": b.meta.published,
                 "language": "en"}]}, [(a.id, "q0"), (b.id, "q0")], kind="quote")
    return {"docs": {k: v[0].id for k, v in docs.items()},
            "analyses": {k: v[1] for k, v in docs.items()},
            "texts": {k: v[0].text for k, v in docs.items()},
            "stories": {"boats": s1, "rail": s2}, "clusters": clusters}


def add_late_report(path: str | Path, ids: dict[str, Any]) -> dict[str, Any]:
    """A later article with one new merged event in the boats story (for watch tests)."""
    doc = _doc(TEXT_F, "Andes Daily", "2024-03-08", "Second batch shipped")
    ev = _event(TEXT_F, "e1", "Norway shipped a second batch of 4 patrol boats to Chile",
                type="AID", subtype="arms_transfer", actor="Norway", actor_key="country:NOR",
                target="Chile", target_key="country:CHL", item="patrol boats", quantity=4.0,
                when="2024-03-07", source="Chilean Navy", source_key="org:chilean-navy",
                status="asserted", trigger="shipped")
    ana = Analysis(entities=_entities(TEXT_F, ["country:NOR", "country:CHL"]), events=[ev])
    with Store.open(path) as store:
        store.add_document(doc)
        store.save_analysis(doc.id, ana, model="hand-written")
        sid = ids["stories"]["boats"]
        with store.write() as conn:
            conn.execute("INSERT INTO story_documents VALUES (?,?,?)", (doc.id, sid, 1.0))
        cid = _add_cluster(store, sid, _cluster_json(
            "Norway → Chile: arms transfer (second batch)", [(doc, ev)], status="asserted",
            n_independent=1), [(doc.id, "e1")])
    return {"doc": doc.id, "cluster": cid}
