"""Aligning one document's predictions with its key: entities, quotes and events.

The alignments are one-to-one (each key item and each prediction used at most once) and
are reused: speakers, actors, targets and sources are judged through the entity
alignment, and cross-document links through the quote and event alignments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storyline.eval.text import Locator, Span, assign, norm_name, overlap
from storyline.records import Analysis, Document, Entity, Event


def gold_forms(entity: dict[str, Any]) -> set[str]:
    """A key entity's names: its canonical name and aliases, in name form."""
    forms = {norm_name(entity["name"])} | {norm_name(a) for a in entity.get("aliases", [])}
    return forms - {""}


def pred_forms(entity: Entity) -> set[str]:
    """A predicted entity's surface forms: canonical name, aliases and mention texts."""
    forms = {norm_name(entity.name)} | {norm_name(a) for a in entity.aliases}
    forms |= {norm_name(m.text) for m in entity.mentions}
    return forms - {""}


@dataclass
class DocAlignment:
    """One document of the key side by side with the system's reading of it."""

    file: str
    gold: dict[str, Any]
    document: Document | None  # None: the system could not read the file
    analysis: Analysis = field(default_factory=Analysis)
    locator: Locator | None = None
    gold_forms: list[set[str]] = field(default_factory=list)
    pred_forms: list[set[str]] = field(default_factory=list)
    entity_map: dict[int, int] = field(default_factory=dict)  # predicted -> key entity
    quote_spans: list[Span | None] = field(default_factory=list)  # key quotes in the text
    quote_map: dict[int, int] = field(default_factory=dict)  # key quote -> predicted quote
    evidence_spans: list[Span | None] = field(default_factory=list)  # key events' evidence
    event_map: dict[int, int] = field(default_factory=dict)  # key event -> predicted event

    # -- entity identity ------------------------------------------------------------
    def resolve_gold(self, name: str) -> int | None:
        """The key entity a key name refers to: by canonical name first, then by alias."""
        n = norm_name(name)
        ents = self.gold["entities"]
        for i, ent in enumerate(ents):
            if norm_name(ent["name"]) == n:
                return i
        for i, forms in enumerate(self.gold_forms):
            if n in forms:
                return i
        return None

    def resolve_pred(self, name: str | None, key: str | None) -> int | None:
        """The predicted entity a predicted name refers to: by entity key, then by name."""
        ents = self.analysis.entities
        if key:
            for j, ent in enumerate(ents):
                if ent.key == key:
                    return j
        if name:
            n = norm_name(name)
            for j, ent in enumerate(ents):
                if norm_name(ent.name) == n:
                    return j
        return None

    def same_entity(self, gold_name: str | None, pred_name: str | None,
                    pred_key: str | None = None) -> bool:
        """Whether a predicted name (speaker, actor, target, source) is the key's entity.

        Null matches only null. When the predicted name is an entity the alignment paired
        with a key entity, that pairing decides (so a shared alias like "Kim" cannot make
        one system entity count as two key entities). Otherwise the names match when
        any form of the one equals any form of the other, case-insensitively.
        """
        if gold_name is None or pred_name is None:
            return gold_name is None and pred_name is None
        g = self.resolve_gold(gold_name)
        p = self.resolve_pred(pred_name, pred_key)
        if g is not None and p is not None and p in self.entity_map:
            return self.entity_map[p] == g
        gf = self.gold_forms[g] if g is not None else {norm_name(gold_name)}
        pf = {norm_name(pred_name)} | (self.pred_forms[p] if p is not None else set())
        return bool(gf & pf)


def align_document(file: str, gold: dict[str, Any], document: Document | None,
                   analysis: Analysis | None) -> DocAlignment:
    """Build every alignment for one document (all empty when the file was not read)."""
    al = DocAlignment(file=file, gold=gold, document=document,
                      analysis=analysis if analysis is not None else Analysis())
    al.gold_forms = [gold_forms(e) for e in gold["entities"]]
    al.pred_forms = [pred_forms(e) for e in al.analysis.entities]
    al.quote_spans = [None] * len(gold["quotes"])
    al.evidence_spans = [None] * len(gold["events"])
    if document is None:
        return al
    al.locator = Locator(document.text)
    _align_entities(al)
    _align_quotes(al)
    _align_events(al)
    return al


def _align_entities(al: DocAlignment) -> None:
    weights: dict[tuple[int, int], int] = {}
    for j, pf in enumerate(al.pred_forms):
        pname = norm_name(al.analysis.entities[j].name)
        for i, gf in enumerate(al.gold_forms):
            shared = pf & gf
            if shared:
                # Prefer pairs that share more names, the canonical one above all.
                weights[(j, i)] = len(shared) + (2 if pname == norm_name(
                    al.gold["entities"][i]["name"]) else 0)
    al.entity_map = assign(len(al.pred_forms), len(al.gold_forms), weights)


def _align_quotes(al: DocAlignment) -> None:
    assert al.locator is not None
    al.quote_spans = al.locator.locate_all([q["text"] for q in al.gold["quotes"]])
    weights: dict[tuple[int, int], int] = {}
    for i, span in enumerate(al.quote_spans):
        if span is None:
            continue
        for j, q in enumerate(al.analysis.quotes):
            ov = overlap(span, (q.start, q.end))
            if ov > 0 and 2 * ov >= span[1] - span[0]:
                weights[(i, j)] = ov
    al.quote_map = assign(len(al.quote_spans), len(al.analysis.quotes), weights)


def _align_events(al: DocAlignment) -> None:
    assert al.locator is not None
    gold = al.gold["events"]
    pred = al.analysis.events
    al.evidence_spans = al.locator.locate_all([e["evidence"] for e in gold])
    pred_index: dict[str, int] = {}
    for j, ev in enumerate(pred):
        pred_index.setdefault(ev.id, j)
    gold_index = {e["id"]: i for i, e in enumerate(gold)}

    def target_ok(g: dict[str, Any], p: Event) -> bool:
        if g["subtype"] != "denial" or g["target"] is None:
            return al.same_entity(g["target"], p.target, p.target_key)
        # A denial's target is an event: right when the predicted target is the
        # predicted event aligned to the key's target event.
        if p.target is None or p.target not in pred_index or g["target"] not in gold_index:
            return False
        return al.event_map.get(gold_index[g["target"]]) == pred_index[p.target]

    # Denials are aligned after the events they deny, so their targets can be checked.
    for phase in (False, True):
        rows = [i for i, g in enumerate(gold) if (g["subtype"] == "denial") == phase]
        taken = set(al.event_map.values())
        cols = [j for j in range(len(pred)) if j not in taken]
        weights: dict[tuple[int, int], int] = {}
        for r, i in enumerate(rows):
            g = gold[i]
            for c, j in enumerate(cols):
                p = pred[j]
                if (p.subtype == g["subtype"] and al.same_entity(g["actor"], p.actor, p.actor_key)
                        and target_ok(g, p)):
                    weights[(r, c)] = overlap(al.evidence_spans[i], (p.start, p.end))
        for r, c in assign(len(rows), len(cols), weights).items():
            al.event_map[rows[r]] = cols[c]
