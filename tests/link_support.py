"""Builders for the cross-document tests: invented articles with hand-made analyses.

Every text here is written for these tests. Offsets are computed by locating the given
evidence and surface strings in the article, so each record points at real text.
"""

from __future__ import annotations

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


def parsed_clauses(text: str) -> list[Any]:
    """The clauses (tense, mood) the real English parse gives an invented article, as the
    extraction would store them: the linker reads tense only from these."""
    from storyline.extract.clauses import clauses_of
    from storyline.nlp import load_nlp, make_doc

    nlp = load_nlp("auto", ("storyline_clauses",))
    return clauses_of(nlp(make_doc(nlp, text)))

# (key, name, type, code, surface forms)
ENTITIES: dict[str, tuple[str, str, str, str | None, list[str]]] = {
    "KOR": ("country:KOR", "South Korea", "GPE", "KOR", ["South Korea", "Seoul", "Южная Корея",
                                                        "Сеул", "Südkorea"]),
    "PRK": ("country:PRK", "North Korea", "GPE", "PRK", ["North Korea", "Pyongyang", "КНДР",
                                                        "Пхеньян", "Nordkorea", "Pjöngjang"]),
    "RUS": ("country:RUS", "Russia", "GPE", "RUS", ["Russia", "Moscow", "Kremlin"]),
    "USA": ("country:USA", "United States", "GPE", "USA", ["United States", "Washington"]),
    "IRN": ("country:IRN", "Iran", "GPE", "IRN", ["Iran", "Tehran"]),
    "BLR": ("country:BLR", "Belarus", "GPE", "BLR", ["Belarus", "Minsk"]),
    "NIS": ("org:kor-nis", "National Intelligence Service", "ORG", "KORINT",
            ["National Intelligence Service", "NIS", "spy agency"]),
    "KORDEF": ("org:kor-defense-ministry", "Ministry of National Defense (South Korea)",
               "ORG", "KORMIL", ["defence ministry", "defense ministry"]),
    "ROSA": ("person:rosa-alvarez", "Rosa Alvarez", "PERSON", "USAGOV", ["Alvarez"]),
    "LEE": ("person:lee-min-ho", "Lee Min-ho", "PERSON", "KORGOV", ["Lee"]),
    "VOLKOV": ("person:ivan-volkov", "Ivan Volkov", "PERSON", "RUSGOV", ["Volkov"]),
    "PARK": ("person:park-soo-jin", "Park Soo-jin", "PERSON", "KORGOV", ["Park"]),
    "HAN": ("person:han-ji-woo", "Han Ji-woo", "PERSON", "PRKGOV", ["Han"]),
    "FARM": ("org:grain-council", "International Grain Council", "ORG", "IGOGRA",
             ["Grain Council"]),
    "BRAZIL": ("country:BRA", "Brazil", "GPE", "BRA", ["Brazil", "Brasilia"]),
    "ARG": ("country:ARG", "Argentina", "GPE", "ARG", ["Argentina", "Buenos Aires"]),
    "RADIO": ("org:gulf-radio", "Gulf Radio", "ORG", None, ["Gulf Radio"]),
}


def key(short: str) -> str:
    return ENTITIES[short][0]


def name(short: str) -> str:
    return ENTITIES[short][1]


def _span(text: str, part: str) -> tuple[int, int]:
    i = text.find(part)
    assert i >= 0, f"evidence not in the article: {part!r}"
    return i, i + len(part)


def add_article(store: Store, text: str, *, outlet: str | None = None,
                wire: str | None = None, published: str | None = None,
                title: str | None = None, entities: list[str] | None = None,
                events: list[dict[str, Any]] | None = None,
                quotes: list[dict[str, Any]] | None = None,
                times: list[dict[str, Any]] | None = None, language: str = "en") -> str:
    """Store an invented article and its analysis; returns the document id.

    `entities`: short names from ENTITIES (mentions found in the text); `events`: Event
    fields with `evidence` a part of the text, and actor/target/source given as short
    names (their keys and names filled in); `quotes`: {text, speaker} likewise.
    """
    doc_id = document_id(text)
    meta = DocMeta(outlet=outlet, wire=wire, published=published, title=title,
                   language=language)
    store.add_document(Document(id=doc_id, source=f"test://{doc_id}", text=text, meta=meta))
    ents = []
    for short in entities or []:
        k, n, t, code, surfaces = ENTITIES[short]
        mentions = []
        for s in surfaces:
            start = text.find(s)
            while start >= 0:
                mentions.append(Mention(s, start, start + len(s)))
                start = text.find(s, start + 1)
        if mentions:
            ents.append(Entity(key=k, name=n, type=t, code=code, mentions=mentions))
    evs = []
    for n_ev, spec in enumerate(events or [], start=1):
        d = dict(spec)
        d.setdefault("id", f"e{n_ev}")
        d["start"], d["end"] = _span(text, d["evidence"])
        for role in ("actor", "source"):
            if d.get(role) in ENTITIES:
                short = d[role]
                d[role], d[f"{role}_key"] = name(short), key(short)
        if d.get("target") in ENTITIES and d.get("subtype") != "denial":
            short = d["target"]
            d["target"], d["target_key"] = name(short), key(short)
        d.setdefault("type", "AID")
        if d.get("source") is None:
            d["source"], d["source_is_outlet"] = outlet, True
        evs.append(Event.from_dict(d))
    qs = []
    for spec in quotes or []:
        start, end = _span(text, spec["text"])
        speaker = spec.get("speaker")
        qs.append(Quote(text=spec["text"], start=start, end=end,
                        speaker=name(speaker) if speaker else None,
                        speaker_key=key(speaker) if speaker else None))
    tms = []
    for spec in times or []:
        start, end = _span(text, spec["text"])
        tms.append(TimeMention(text=spec["text"], start=start, end=end,
                               value=spec.get("value")))
    store.save_analysis(doc_id, Analysis(entities=ents, times=tms, quotes=qs, events=evs,
                                         clauses=parsed_clauses(text)))
    return doc_id


def cluster_of(store: Store, doc_id: str, member: str) -> int | None:
    """The cluster a document's event or quote ("q0") belongs to (claims, not denials)."""
    rows = store.conn.execute(
        "SELECT cm.cluster_id FROM cluster_members cm JOIN clusters c ON c.id = cm.cluster_id "
        "WHERE cm.doc_id=? AND cm.member=?", (doc_id, member)).fetchall()
    return rows[0][0] if rows else None


def cluster_json(store: Store, cluster_id: int) -> dict[str, Any]:
    import json

    row = store.conn.execute("SELECT json FROM clusters WHERE id=?", (cluster_id,)).fetchone()
    return json.loads(row[0])
