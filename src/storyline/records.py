"""The records that flow along the data path, each with `as_dict()` / `from_dict()`.

Offsets (`start`, `end`) are character offsets into `Document.text`, the cleaned text
that the store keeps; every fact carries them as its evidence.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T", bound="Record")

# A time value: "2023", "2023-11", "2023-11-09", "2023-W44", a [start, end] pair, or None.
TimeValue = str | list[str] | None


class Record:
    """Mixin: plain-dict round trip for dataclass records."""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class DocMeta(Record):
    """What is known about a document besides its text, and where each field came from."""

    outlet: str | None = None
    wire: str | None = None
    published: str | None = None  # ISO date the document itself states (or a flag gave)
    title: str | None = None
    author: str | None = None
    language: str | None = None
    url: str | None = None
    # field name -> where it came from: "sidecar", "page", "header", "flag", "feed", "jsonl"
    provenance: dict[str, str] = field(default_factory=dict)

    def merge(self, other: "DocMeta", origin: str | None = None) -> None:
        """Fill the fields still empty from `other` (earlier sources win)."""
        for f in dataclasses.fields(self):
            if f.name == "provenance":
                continue
            if getattr(self, f.name) in (None, "") and getattr(other, f.name) not in (None, ""):
                setattr(self, f.name, getattr(other, f.name))
                self.provenance[f.name] = origin or other.provenance.get(f.name, "unknown")


@dataclass
class RawDocument(Record):
    """One article as read, before cleaning: its extracted text and metadata."""

    source: str  # path, URL or "path#n" for an item of a feed or a JSON Lines file
    text: str
    meta: DocMeta = field(default_factory=DocMeta)
    kind: str = "text"  # text, html, feed, jsonl, url

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RawDocument":
        meta = data.get("meta") or {}
        return cls(source=data["source"], text=data["text"], kind=data.get("kind", "text"),
                   meta=DocMeta.from_dict(meta) if isinstance(meta, dict) else meta)


@dataclass
class RemovedLine(Record):
    """A line the cleaner cut, kept with the reason so a user can see what was cut."""

    text: str
    reason: str  # ad, share, teaser, caption, timer, page_number, site_tag, script, metadata, ...
    line_no: int  # 0-based line number in the raw text


@dataclass
class Mention(Record):
    """A surface form of an entity in a document."""

    text: str
    start: int
    end: int


@dataclass
class Entity(Record):
    """An entity with a canonical identity within one document."""

    key: str  # canonical key, stable across documents: "country:PRK", "person:antony-blinken"
    name: str  # canonical name: "North Korea", "Antony Blinken"
    type: str  # PERSON, ORG, GPE, LOC, FAC, NORP, VEHICLE
    code: str | None = None  # PLOVER/CAMEO-style actor code: "PRK", "PRKGOV", "USAMIL"
    role: str | None = None  # "Secretary of State", from a title in the text or the KB
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Entity":
        d = dict(data)
        d["mentions"] = [Mention.from_dict(m) for m in d.get("mentions", [])]
        return super().from_dict.__func__(cls, d)  # type: ignore[attr-defined]


@dataclass
class TimeMention(Record):
    """A time expression and its normalised value; `value` None means unresolved."""

    text: str
    start: int
    end: int
    value: TimeValue = None
    anchor: str | None = None  # "published", "inferred", "absolute", or None when unresolved
    note: str | None = None  # why it is unresolved, or how it was resolved


@dataclass
class Quote(Record):
    """A quotation (or indirect statement) with its speaker, if one can be found."""

    text: str
    start: int
    end: int
    speaker: str | None = None  # canonical name; None means unattributed
    speaker_key: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None  # "said", "added", "told", "according to", ...
    direct: bool = True  # False for indirect speech ("X said that ...")
    # The source as the text words it when it names nobody ("officials", "a senior
    # official", "the poll"): shown to the analyst, never a speaker (speaker stays None)
    source_text: str | None = None
    source_start: int | None = None
    source_end: int | None = None


@dataclass
class Event(Record):
    """A typed event (PLOVER type and subtype) with its attributes and its claim.

    The claim: `source` asserts it with `status`; `denied_by` lists who denies it.
    """

    id: str  # unique in its document: "e1", "e2", ...
    type: str  # PLOVER: AID, CONSULT, COOPERATE, MOBILIZE, REJECT, SANCTION, THREATEN, ...
    subtype: str | None
    start: int  # evidence span in the document text
    end: int
    evidence: str
    actor: str | None = None  # canonical names
    target: str | None = None  # for a denial: the id of the denied event, when found
    actor_key: str | None = None
    target_key: str | None = None
    participants: list[str] = field(default_factory=list)
    item: str | None = None
    quantity: float | None = None
    quantity_qualifier: str | None = None  # "about", "over", "more than", ...
    when: TimeValue = None
    when_text: str | None = None
    where: str | None = None
    source: str | None = None  # who asserts it; the outlet when the article says it itself
    source_key: str | None = None
    source_is_outlet: bool = False
    # where the outlet reports what a source that names nobody said ("officials said",
    # "according to a source"): that source's words as written; `source` stays the outlet
    source_text: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    status: str = "asserted"  # asserted, hedged, planned, hypothetical, denied
    cue: str | None = None  # the word that set the status ("appears", "will", "if")
    denied_by: list[str] = field(default_factory=list)
    trigger: str | None = None  # the verb or noun that evoked the event
    cameo: str | None = None  # CAMEO code the event coder read ("042"), when it coded one
    mode: str | None = None  # PLOVER mode of that code (2021 crosswalk: "visit", "allege")


@dataclass
class Clause(Record):
    """A clause as the parse read it, kept so later stages never re-parse the text: its
    span, its head verb's span, its sentence's span, tense ('past', 'present', 'future'),
    mood ('indicative', 'conditional'), negation, and whether it is inside a quotation."""

    start: int
    end: int
    head_start: int
    head_end: int
    sent_start: int
    sent_end: int
    tense: str = "present"
    mood: str = "indicative"
    negated: bool = False
    quoted: bool = False


@dataclass
class Analysis(Record):
    """Everything extracted from one document."""

    entities: list[Entity] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    # general events beside PLOVER (type HAPPEN, extract/happenings.py): kept apart from
    # `events`, which the answer keys score; the dates ranking and the story views read them
    happenings: list[Event] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Analysis":
        return cls(
            entities=[Entity.from_dict(e) for e in data.get("entities", [])],
            times=[TimeMention.from_dict(t) for t in data.get("times", [])],
            quotes=[Quote.from_dict(q) for q in data.get("quotes", [])],
            events=[Event.from_dict(e) for e in data.get("events", [])],
            clauses=[Clause.from_dict(c) for c in data.get("clauses", [])],
            happenings=[Event.from_dict(e) for e in data.get("happenings", [])],
        )


@dataclass
class Document(Record):
    """A cleaned document as stored: stable id from the hash of its normalised text."""

    id: str
    source: str
    text: str  # cleaned text; every offset points into it
    meta: DocMeta = field(default_factory=DocMeta)
    removed: list[RemovedLine] = field(default_factory=list)
    raw_text: str = ""
    kind: str = "text"
    published_inferred: str | None = None
    published_inferred_reason: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        d = dict(data)
        d["meta"] = DocMeta.from_dict(d.get("meta") or {})
        d["removed"] = [RemovedLine.from_dict(r) for r in d.get("removed", [])]
        return super().from_dict.__func__(cls, d)  # type: ignore[attr-defined]

    @property
    def anchor_date(self) -> str | None:
        """The date that anchors relative times: the stated date, else the inferred one."""
        return self.meta.published or self.published_inferred


_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form hashed for identity: NFKC, lower case, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def document_id(text: str) -> str:
    """Stable document id: the same article (after cleaning) always gets the same id."""
    return "d" + hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def display(row: Mapping[str, Any] | Any) -> dict[str, Any]:
    """How every view shows a document's outlet and date: the outlet, else the wire; the
    stated date, else the inferred one (marked `inferred`, shown with "~"). `text` is the
    one-line form ("AFP, ~2023-11-09", "?, undated"). `row` is a mapping or an SQLite row
    with any of outlet, wire, published, published_inferred."""
    if not isinstance(row, Mapping):
        row = dict(row)
    outlet = row.get("outlet") or row.get("wire") or None
    stated = row.get("published") or None
    inferred = None if stated else (row.get("published_inferred") or None)
    date = stated or inferred
    shown = f"~{date}" if inferred else (date or "undated")
    return {"outlet": outlet, "date": date, "inferred": bool(inferred),
            "text": f"{outlet or '?'}, {shown}"}


def with_display(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row with its `display` (see `display`) added."""
    return {**row, "display": display(row)}
