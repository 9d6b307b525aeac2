"""Contradictions: denials linked to the claims they deny, and what sources disagree on.

A denial is an event of subtype `denial`. The extractor points its `target` at the denied
event of the same document when it finds it; that event's merged event (across documents)
is the claim denied, so "Moscow called these assertions baseless" in one article is linked
to the shipments that three other articles report. Without a target, the denial is matched
to a claim of its own document that involves the denier and shares words with it, then to
a merged event of the document's story with the same test. A linked denial is stored as a
member of the claim's cluster (its event id), recognised by its subtype.

Disagreements: numbers more than 1.5x apart, times that do not overlap, places that are not
the same name — each listed with who says what.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..extract.kb import load_kb
from .common import LinkContext, gap_days, interval, value_key
from .events import STATEMENT_SUBTYPES, STATEMENT_TYPES, is_denial, is_saying, quantities_agree
from .wording import language_of, statement_words

# Statements that carry a claim about their target ("X accused Y of ..."): what the target
# denies. A warning, a demand or an appeal to the denier is the speaker's own act; a denial
# of "reports that it intended to ..." is not an answer to it.
CLAIM_SUBTYPES = {"accusation"}
CLAIM_TYPES = {"ACCUSE", "DISAPPROVE"}


def _others_act_on(ctx: LinkContext, deniers: list[str], ev: dict[str, Any]) -> bool:
    """Whether the event is another party's warning, demand or appeal (no claim)."""
    if not is_saying(ev) or ev.get("subtype") in CLAIM_SUBTYPES or (
            ev.get("subtype") is None and ev.get("type") in CLAIM_TYPES):
        return False
    voices = set(deniers) | {ctx.state_of(d) for d in deniers} - {None}
    actor = ev.get("actor_key")
    return not actor or not (actor in voices or ctx.state_of(actor) in voices)

def _words(text: str | None, language: str | None) -> set[str]:
    """Words a denial and a claim can share: a statement's words in its language, names
    kept (a denial names what it denies: "the shells", "Russia"), without those that
    call the claim a claim or false ("reports", "baseless": `wording.speech_form`)."""
    return statement_words(text, language, names=False, denial=True)


def _involves(ctx: LinkContext, denier: str | None, ev: dict[str, Any]) -> bool:
    if not denier:
        return False
    sides = {ev.get("actor_key"), ev.get("target_key")} - {None}
    states = {ctx.state_of(k) for k in sides} - {None}
    return denier in sides or ctx.state_of(denier) in states


def _deniers(ev: dict[str, Any]) -> list[str]:
    return [k for k in (ev.get("actor_key"), ev.get("source_key")) if k]


def _own_claim(ctx: LinkContext, deniers: list[str], ev: dict[str, Any]) -> bool:
    """Whether the denier itself asserts this event (its source is the denier, or a voice
    of the denier's state): what a party says in its own voice is not what it denies
    ("Iran denied the reports ... and warned the United States": the warning is Iran's)."""
    source = ev.get("source_key")
    voices = set(deniers) | {ctx.state_of(d) for d in deniers} - {None}
    if source and (source in voices or ctx.state_of(source) in voices):
        return True
    return _own_statement(ctx, voices, ev)


def _own_statement(ctx: LinkContext, voices: set[str], ev: dict[str, Any]) -> bool:
    """Whether the event is the denier's own statement (a warning or an accusation whose
    actor is the denier or its state) that no other party reports: "Iran denied the reports
    as baseless and warned the United States", told by a radio or the outlet, is Iran's own
    warning. One that another state's voice reports ("Washington said Iran had warned
    Kuwait") stays a claim Iran may deny."""
    if ev.get("subtype") not in STATEMENT_SUBTYPES and not (
            ev.get("subtype") is None and ev.get("type") in STATEMENT_TYPES):
        return False
    actor = ev.get("actor_key")
    if not actor or not (actor in voices or ctx.state_of(actor) in voices):
        return False
    source = ev.get("source_key")
    if not source or ev.get("source_is_outlet"):
        return True
    # a third party reports it: a state, or another state's organ or official
    other = ctx.state_of(source) or ctx.country_of(source)
    return other is None or other in voices


def find_denied(ctx: LinkContext, doc_id: str, denial: dict[str, Any],
                events: list[dict[str, Any]], chosen: dict[str, int | None],
                story_id: int | None) -> int | None:
    """The merged event a denial denies, or None when nothing fits."""
    deniers = _deniers(denial)
    by_id = {ev["id"]: ev for ev in events}
    target = denial.get("target")
    if target and chosen.get(target) is not None and not _own_claim(
            ctx, deniers, by_id.get(target, {})):
        return chosen[target]
    lang = language_of(ctx, doc_id)
    text = _words(denial.get("evidence"), lang) | _words(denial.get("item"), lang)
    best: tuple[float, int] | None = None
    for ev in events:
        if is_denial(ev) or chosen.get(ev["id"]) is None or _own_claim(ctx, deniers, ev) \
                or _others_act_on(ctx, deniers, ev):
            continue
        involved = any(_involves(ctx, d, ev) for d in deniers)
        overlap = len(text & (_words(ev.get("evidence"), lang) | _words(ev.get("item"), lang)))
        if not involved or overlap == 0:
            continue
        # the nearest claim before the denial, other things equal
        distance = abs(denial.get("start", 0) - ev.get("end", 0))
        score = overlap + 1.0 / (1 + distance / 200)
        if best is None or score > best[0]:
            best = (score, chosen[ev["id"]])  # type: ignore[assignment]
    if best is not None:
        return best[1]
    if story_id is None:
        return None
    rows = ctx.conn.execute("SELECT id, actor_key, target_key, json FROM clusters "
                            "WHERE story_id=? AND kind='event'", (story_id,)).fetchall()
    for row in rows:
        data = json.loads(row["json"] or "{}")
        probe = {"actor_key": row["actor_key"], "target_key": row["target_key"]}
        if not any(_involves(ctx, d, probe) for d in deniers):
            continue
        if data.get("mentions") and all(_own_claim(ctx, deniers, m) or
                                        _others_act_on(ctx, deniers, m)
                                        for m in data["mentions"]):
            continue
        said = [(m.get("evidence"), language_of(ctx, m.get("doc_id")))
                for m in data.get("mentions", [])[:5]]
        words = _words(data.get("item"), said[0][1] if said else None).union(
            *(_words(e, lang) for e, lang in said))
        if len(text & words) >= 2:
            return int(row["id"])
    return None


def denial_entries(ctx: LinkContext, denials: list[tuple[str, dict[str, Any]]],
                   claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cluster's "denials": linked denial events, then `denied_by` names on claims."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for doc_id, ev in denials:
        by_key = ev.get("actor_key") or ev.get("source_key")
        by = ev.get("actor") or ev.get("source") or ctx.name_of(by_key) or "unknown"
        out.append({"by": by, "by_key": by_key, "doc_id": doc_id, "event_id": ev.get("id"),
                    "evidence": ev.get("evidence"), "start": ev.get("start"),
                    "end": ev.get("end"), "with": [p for p in ev.get("participants", [])
                                                   if p != by]})
        seen.add((doc_id, by.lower()))
        for p in ev.get("participants", []):
            seen.add((doc_id, p.lower()))
    for m in claims:
        for name in m.get("denied_by") or []:
            if (m["doc_id"], name.lower()) in seen:
                continue
            seen.add((m["doc_id"], name.lower()))
            out.append({"by": name, "by_key": None, "doc_id": m["doc_id"], "event_id": None,
                        "evidence": None, "start": None, "end": None, "with": [],
                        "reported_with": m.get("event_id")})
    return out


def _place(p: str) -> str:
    return re.sub(r"^(the)\s+", "", p.strip().lower())


def disagreements(ctx: LinkContext, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Numbers, times and places on which the reports of one event differ."""
    out: list[dict[str, Any]] = []

    def values(field: str, items: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
        return {"field": field, "values": [
            {"value": v, "doc_id": m["doc_id"], "source": m.get("source"),
             "outlet": m.get("outlet")} for v, m in items]}

    qs = [(m["quantity"], m) for m in mentions if m.get("quantity")]
    if any(quantities_agree(a, b) is not True for i, (a, _) in enumerate(qs)
           for b, _ in qs[i + 1:]):
        out.append(values("quantity", qs))

    ws = [(m["when"], m, interval(m["when"])) for m in mentions if interval(m.get("when"))]
    tol = 2
    if any(gap_days(a[2], b[2]) > tol for i, a in enumerate(ws) for b in ws[i + 1:]):
        seen: set[str] = set()
        items = []
        for v, m, _ in ws:
            if value_key(v) + m["doc_id"] not in seen:
                seen.add(value_key(v) + m["doc_id"])
                items.append((v, m))
        out.append(values("when", items))

    ps = [(m["where"], m) for m in mentions if m.get("where")]
    names = sorted({_place(p) for p, _ in ps})
    # "Seoul" and "Seoul, South Korea" agree; so do a place and the place that holds it
    # ("Vladivostok" and "the Russian Far East", "Seoul" and "South Korea": kb.contains)
    if any(a not in b and b not in a and not _nested(a, b)
           for i, a in enumerate(names) for b in names[i + 1:]):
        out.append(values("where", ps))
    return out


def _nested(a: str, b: str) -> bool:
    kb = load_kb()  # cached: the extraction's knowledge base
    return kb.contains(a, b) or kb.contains(b, a)
