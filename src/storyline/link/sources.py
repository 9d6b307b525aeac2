"""Independent sources behind a merged claim: sources, not articles.

The chain shown for each claim is claim -> original source -> reporting outlets.

- An outlet that attributes the claim to someone ("according to the NIS") reports that
  source: however many outlets cite it, it counts once. A state speaks through its
  agencies, ministries and army, so "the NIS" and "Seoul" are one source (an actor whose
  KB code starts with the country's ISO3 and whose sector is a state one, e.g. "KORINT").
- An outlet that states the claim in its own voice is its own source, or its wire's for a
  wire copy; wire copies (the same `documents.wire`, or near-identical text by MinHash
  over word shingles, Jaccard >= 0.8) count once. A translation is a copy too: editions
  of one house ("KBS World (French service)") are one voice, and two articles in
  different languages whose leads mean the same (multilingual embedder, same-statement
  calibration) count once, under the original.
- An unattributed restatement of a claim that other reports attribute to a named source
  is presumed to come from that source (listed under it with `presumed_doc_ids`): an
  outlet rarely has its own evidence for what it does not attribute, and counting it apart
  would overstate the independent confirmation. This keeps the count conservative.
"""

from __future__ import annotations

import re
from typing import Any

from datasketch import MinHash

from .common import LinkContext, vectors

WIRE_COPY_JACCARD = 0.8
_NUM_PERM = 64
_WORD = re.compile(r"\w+")


def _norm(name: str | None) -> str:
    return re.sub(r"\W+", " ", (name or "").lower()).strip()


def minhash(ctx: LinkContext, doc_id: str) -> MinHash:
    """A MinHash of the document's word 3-shingles (cached for the call)."""
    sig = ctx.minhashes.get(doc_id)
    if sig is None:
        words = _WORD.findall(ctx.text(doc_id).lower())
        shingles = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
        sig = MinHash(num_perm=_NUM_PERM, seed=7)
        sig.update_batch([s.encode("utf-8") for s in shingles])
        ctx.minhashes[doc_id] = sig
    return sig


def wire_copies(ctx: LinkContext, doc_ids: list[str]) -> list[list[str]]:
    """Group documents that are copies of one story: same wire, or near-identical text."""
    parent = {d: d for d in doc_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_wire: dict[str, str] = {}
    by_house: dict[str, str] = {}
    for d in doc_ids:
        wire = _norm(ctx.doc(d).wire)
        if wire:
            if wire in by_wire:
                union(d, by_wire[wire])
            else:
                by_wire[wire] = d
        house = outlet_house(ctx.doc(d).outlet)
        if house:  # "KBS World (French service)" is KBS World in another language
            if house in by_house:
                union(d, by_house[house])
            else:
                by_house[house] = d
    for i, a in enumerate(doc_ids):
        for b in doc_ids[i + 1:]:
            if find(a) == find(b):
                continue
            if _languages_differ(ctx, a, b):
                if translated_copy(ctx, a, b):
                    union(a, b)
            elif minhash(ctx, a).jaccard(minhash(ctx, b)) >= WIRE_COPY_JACCARD:
                union(a, b)
    groups: dict[str, list[str]] = {}
    for d in doc_ids:
        groups.setdefault(find(d), []).append(d)
    return list(groups.values())


_EDITION = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*")
LEAD_CHARS = 600


def outlet_house(name: str | None) -> str:
    """An outlet's name without its edition or service ("Aju Business Daily (Japanese
    edition)" -> "aju business daily"): editions of one house are one voice."""
    return _norm(_EDITION.sub(" ", name or ""))


def _languages_differ(ctx: LinkContext, a: str, b: str) -> bool:
    la, lb = ctx.doc(a).language, ctx.doc(b).language
    return bool(la and lb and la != lb)


def translated_copy(ctx: LinkContext, a: str, b: str) -> bool:
    """Whether two articles in different languages are one text translated: their leads
    mean the same by the multilingual embedder's own same-statement calibration (word
    shingles cannot see through a translation)."""
    leads = [ctx.text(d)[:LEAD_CHARS] for d in (a, b)]
    vecs = vectors(ctx, leads)
    return float(vecs[leads[0]] @ vecs[leads[1]]) >= ctx.embedder.same_statement


def _outlet_label(ctx: LinkContext, doc_id: str) -> str:
    info = ctx.doc(doc_id)
    # an article without a known outlet is its own reporter (never pooled with others)
    return info.outlet or info.wire or f"unnamed outlet ({doc_id[:10]})"


def is_own_voice(ctx: LinkContext, mention: dict[str, Any]) -> bool:
    """Whether a mention states the claim in the outlet's (or its wire's) own voice."""
    if mention.get("source_is_outlet"):
        return True
    src, key = mention.get("source"), mention.get("source_key")
    if not src and not key:
        return True
    info = ctx.doc(mention["doc_id"])
    names = {_norm(info.outlet), _norm(info.wire)} - {""}
    return _norm(src) in names


def original_of(ctx: LinkContext, mention: dict[str, Any]) -> tuple[str, str | None, str]:
    """(identity, key, display name) of the source a mention attributes the claim to."""
    key = mention.get("source_key")
    state = ctx.state_of(key)
    if state:
        return "key:" + state, state, ctx.name_of(state, mention.get("source")) or state
    if key:
        return "key:" + key, key, ctx.name_of(key, mention.get("source")) or key
    name = mention.get("source") or "unknown"
    return "name:" + _norm(name), None, name


def independent_sources(ctx: LinkContext, mentions: list[dict[str, Any]]
                        ) -> tuple[list[dict[str, Any]], int]:
    """The chain claim -> original sources -> reporting outlets, and the independent count."""
    named: dict[str, dict[str, Any]] = {}
    voice: list[dict[str, Any]] = []
    for m in mentions:
        if is_own_voice(ctx, m):
            voice.append(m)
            continue
        ident, key, name = original_of(ctx, m)
        entry = named.setdefault(ident, {"original": name, "original_key": key,
                                         "reported_by": [], "doc_ids": [], "via": [],
                                         "presumed_doc_ids": [], "kind": "attributed"})
        _add(ctx, entry, m)
        via = m.get("source")
        if via and via not in entry["via"]:
            entry["via"].append(via)

    if voice and named:
        # unattributed restatements go to the source most outlets cite
        top = max(named.values(), key=lambda e: (len(e["doc_ids"]), -len(e["original"])))
        attributed = set(top["doc_ids"])
        for m in voice:
            _add(ctx, top, m)
            if m["doc_id"] not in attributed and m["doc_id"] not in top["presumed_doc_ids"]:
                top["presumed_doc_ids"].append(m["doc_id"])
        entries = list(named.values())
    else:
        entries = list(named.values())
        voice_docs = list(dict.fromkeys(m["doc_id"] for m in voice))
        # one outlet reporting twice, or two copies of one wire story: one source
        groups = wire_copies(ctx, voice_docs)
        by_outlet: dict[str, list[str]] = {}
        for group in groups:
            label = ctx.doc(group[0]).voice or _outlet_label(ctx, group[0])
            by_outlet.setdefault(_norm(label), []).extend(group)
        for docs in by_outlet.values():
            info = ctx.doc(docs[0])
            wires = {ctx.doc(d).wire for d in docs if ctx.doc(d).wire}
            name = next(iter(wires)) if len(wires) == 1 else (info.voice or _outlet_label(ctx,
                                                                                        docs[0]))
            entry = {"original": name, "original_key": None, "reported_by": [],
                     "doc_ids": [], "via": [], "presumed_doc_ids": [], "kind": "own_voice"}
            for m in voice:
                if m["doc_id"] in docs:
                    _add(ctx, entry, m)
            entries.append(entry)
    entries.sort(key=lambda e: (-len(e["doc_ids"]), e["original"]))
    return entries, len(entries)


def _add(ctx: LinkContext, entry: dict[str, Any], m: dict[str, Any]) -> None:
    label = _outlet_label(ctx, m["doc_id"])
    if label not in entry["reported_by"]:
        entry["reported_by"].append(label)
    if m["doc_id"] not in entry["doc_ids"]:
        entry["doc_ids"].append(m["doc_id"])
