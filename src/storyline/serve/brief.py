"""An analyst briefing of one story, every sentence cited to its evidence.

Sentences are built from the merged events with templates by subtype and status, never
from free generation: what the store does not say is not written. Sections keep apart what
independent sources corroborate, what one source alone says, what is denied or disputed,
and the key statements.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Literal

from ..link import queries as lq
from ..store import Store
from .shapes import cluster_id, pick_story, story_events

# subtype -> (base form, past participle, object template); {item} {target} {where} {qty}
VERBS: dict[str, tuple[str, str, str]] = {
    "arms_transfer": ("transfer", "transferred", "{qty}{item|arms}{ to target}"),
    "technology_transfer": ("transfer", "transferred", "{item|technology}{ to target}"),
    "troop_deployment": ("deploy", "deployed", "{qty}troops{ to target}"),
    "labor_supply": ("supply", "supplied", "{qty}{item|workers}{ to target}"),
    "meeting": ("meet", "met", "{target|counterparts}{ in where}"),
    "visit": ("visit", "visited", "{target|a partner}{ in where}"),
    "summit": ("hold", "held", "a summit{ with target}{ in where}"),
    "agreement": ("reach", "reached", "an agreement{ with target}"),
    "satellite_launch": ("launch", "launched", "{item|a satellite}"),
    "weapons_test": ("test", "tested", "{item|weapons}"),
    "military_deployment": ("deploy", "deployed", "{qty}{item|forces}{ to target}"),
    "military_exercise": ("hold", "held", "military exercises{ with target}"),
    "sanctions_designation": ("impose", "imposed", "sanctions{ on target}"),
    "sanctions_enforcement": ("enforce", "enforced", "sanctions{ against target}"),
    "export_restriction": ("restrict", "restricted", "exports{ of item}{ to target}"),
    "trade": ("trade", "traded", "{item|goods}{ with target}"),
    "ship_to_ship_transfer": ("carry out", "carried out",
                              "a ship-to-ship transfer{ of item}{ with target}"),
    "port_call": ("make", "made", "a port call{ in where}"),
    "cyber_operation": ("conduct", "conducted", "a cyber operation{ against target}"),
    "warning": ("warn", "warned", "{target|others}"),
    "accusation": ("accuse", "accused", "{target|others}"),
    "denial": ("deny", "denied", "{item|a report}"),
}


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def _fill(template: str, ev: dict[str, Any]) -> str:
    """Fill `{field|default}`, `{ word field}` (only when known) and `{qty}` slots."""
    where = ", ".join(ev.get("where") or []) or None
    values = {"item": ev.get("item"), "target": ev.get("target"), "where": where}
    out, rest = "", template
    while "{" in rest:
        head, _, tail = rest.partition("{")
        slot, _, rest = tail.partition("}")
        out += head
        if slot == "qty":
            out += f"{_number(ev['quantity'])} " if ev.get("quantity") is not None else ""
        elif slot.startswith(" "):  # "{ to target}": the words only when the field is known
            *words, name = slot.strip().split(" ")
            if values.get(name):
                out += " " + " ".join(words + [str(values[name])])
        else:
            name, _, default = slot.partition("|")
            out += str(values.get(name) or default)
    return out + rest


def _according(ev: dict[str, Any]) -> str:
    names = ev["original_sources"] or ev["reporting_outlets"]
    if not names:
        return ""
    return " according to " + (", ".join(names[:-1]) + " and " + names[-1]
                               if len(names) > 1 else names[0])


def claim_sentence(ev: dict[str, Any]) -> str:
    """One plain sentence for a merged event, worded by its status."""
    actor = ev.get("actor") or "An unnamed party"
    subtype = ev.get("subtype") or ""
    base, past, obj = VERBS.get(subtype, ("be involved in", "been involved in",
                                          (subtype or ev.get("type") or "an event").lower()
                                          .replace("_", " ") + "{ with target}"))
    if any(d.get("field") == "quantity" for d in ev.get("disagreements") or []):
        # sources give different numbers: state none of them here (they are listed apart)
        ev = {**ev, "quantity": None}
        obj += " (sources differ on the number)"
    if "{qty}" not in obj and ev.get("quantity") is not None:
        obj += f" (reported quantity: {_number(ev['quantity'])})"
    obj = _fill(obj, ev)
    status = ev.get("status") or "asserted"
    if status == "planned":
        text = f"{actor} is expected to {base} {obj}"
    elif status == "hedged":
        text = f"{actor} appears to have {past} {obj}"
    elif status == "hypothetical":
        text = f"{actor} could {base} {obj}, under conditions that sources set out"
    elif status == "denied":
        text = f"Reports that {actor} {past if past != 'been involved in' else 'was involved in'}" \
               f" {obj} are denied"
    else:
        past_simple = "was involved in" if base == "be involved in" else past
        text = f"{actor} {past_simple} {obj}"
    return text + ("," + _according(ev) if _according(ev) else "") + "."


@dataclass
class _Notes:
    """Footnotes: one per piece of evidence (document + span), numbered in order of use."""

    link_base: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)
    index: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def cite(self, doc_id: str, start: int | None, end: int | None, outlet: str | None,
             published: str | None, evidence: str | None) -> int:
        spanned = start is not None and end is not None
        key = (doc_id, int(start or 0) if spanned else -1, int(end or 0) if spanned else -1)
        if key not in self.index:
            href = f"{self.link_base}/documents/{doc_id}" + (f"#{start}-{end}" if spanned else "")
            self.items.append({"doc_id": doc_id, "start": start, "end": end,
                               "outlet": outlet or "unknown outlet",
                               "published": published or "undated", "evidence": evidence or "",
                               "href": href})
            self.index[key] = len(self.items)
        return self.index[key]


def _doc_meta(store: Store, doc_ids: set[str]) -> dict[str, dict[str, Any]]:
    if not doc_ids:
        return {}
    marks = ",".join("?" * len(doc_ids))
    rows = store.conn.execute(f"SELECT id, outlet, wire, published, published_inferred "
                              f"FROM documents WHERE id IN ({marks})", list(doc_ids)).fetchall()
    return {r["id"]: dict(r) for r in rows}


def _cite_mentions(notes: _Notes, meta: dict[str, dict[str, Any]],
                   mentions: list[dict[str, Any]]) -> list[int]:
    out = []
    for m in mentions:
        if not m.get("doc_id"):
            continue
        d = meta.get(str(m.get("doc_id")), {})
        n = notes.cite(m["doc_id"], m.get("start"), m.get("end"),
                       m.get("outlet") or d.get("outlet") or d.get("wire"),
                       m.get("published") or d.get("published") or d.get("published_inferred"),
                       m.get("evidence") or m.get("text"))
        if n not in out:
            out.append(n)
    return out


def _denial_line(notes: _Notes, meta: dict[str, dict[str, Any]], den: dict[str, Any],
                 ev: dict[str, Any]) -> tuple[str, list[int]]:
    """A denial with its evidence: its own span, else the report it came with."""
    evidence = den
    if den.get("start") is None and den.get("reported_with"):
        evidence = next((m for m in ev["mentions"] if m.get("doc_id") == den.get("doc_id")
                         and m.get("event_id") == den["reported_with"]), den)
    words = evidence.get("evidence")
    said = f"Denied by {den.get('by') or 'an unnamed party'}"
    if words:  # the denial's own words, or those of the report that carries it
        said += f": “{words}”." if evidence is den else f", in the report that says: “{words}”."
    else:
        said += "."
    return said, _cite_mentions(notes, meta, [evidence])


def _denied(ev: dict[str, Any]) -> str:
    names = sorted({d.get("by") or "an unnamed party" for d in ev["denials"]})
    return f" Denied by {', '.join(names)}." if names else ""


def _collect(store: Store, story_id: int, notes: _Notes) -> dict[str, Any]:
    """The briefing as data: sections of (sentence, citation numbers)."""
    story = lq.get_story(store, story_id)
    events = story_events(store, story_id)
    # a claim the analyst rejected is no report: listed apart, never among the findings
    rejected = [e for e in events if (e.get("review") or {}).get("verdict") == "rejected"]
    events = [e for e in events if e not in rejected]
    quotes = lq.quote_groups(store, story_id)
    doc_ids = {m.get("doc_id") for ev in events for m in ev["mentions"]}
    doc_ids |= {d.get("doc_id") for ev in events for d in ev["denials"]}
    doc_ids |= {m.get("doc_id") for q in quotes for m in q.get("members") or []}
    meta = _doc_meta(store, {d for d in doc_ids if d})
    ranked = sorted(events, key=lambda e: (-e["n_independent"], -e["n_documents"],
                                           str(e.get("first_reported") or "")))
    # numbered first, so the footnotes follow the order of reading
    key = [(_reviewed(claim_sentence(e) + _denied(e), e),
            _cite_mentions(notes, meta, e["mentions"])) for e in ranked[:3]]
    sections: dict[str, list[tuple[str, list[int]]]] = {
        "corroborated": [], "single": [], "disputed": [], "statements": [], "rejected": [
            (_reviewed(claim_sentence(e), e), _cite_mentions(notes, meta, e["mentions"]))
            for e in rejected]}
    for ev in events:
        line = (_reviewed(claim_sentence(ev), ev), _cite_mentions(notes, meta, ev["mentions"]))
        if ev["denials"]:
            sections["disputed"].append(line)
            for den in ev["denials"]:
                sections["disputed"].append(_denial_line(notes, meta, den, ev))
        else:
            sections["corroborated" if ev["n_independent"] >= 2 else "single"].append(line)
        for dis in ev["disagreements"]:
            parts = []
            cites: list[int] = []
            for v in dis.get("values") or []:
                who = ", ".join(dict.fromkeys(x for x in (v.get("source"), v.get("outlet")) if x))
                parts.append(f"{_number(v.get('value'))} ({who})" if who else
                             _number(v.get("value")))
                cites += _cite_mentions(notes, meta, [m for m in ev["mentions"]
                                                      if m.get("doc_id") == v.get("doc_id")])
            sections["disputed"].append((f"Sources disagree on the {dis.get('field')} of "
                                         f"“{ev['title']}”: " + " vs ".join(parts) + ".",
                                         sorted(set(cites))))
    for group in quotes:
        members = group.get("members") or []
        speaker = group.get("speaker") or "An unattributed speaker"
        outlets = sorted({m.get("outlet") or meta.get(str(m.get("doc_id")), {}).get("outlet")
                          or meta.get(str(m.get("doc_id")), {}).get("wire") or "unknown outlet"
                          for m in members})
        text = group.get("text") or (members[0].get("text") if members else "")
        said = f"{speaker}: “{text}” (reported by {', '.join(outlets)})."
        sections["statements"].append((said, _cite_mentions(notes, meta, members)))
    sections["dates"] = _key_dates(store, story_id, notes)
    outlets = sorted({d.get("outlet") or d.get("wire") or "unknown outlet"
                      for d in story.get("documents") or []})
    return {"story": story, "key": key, "sections": sections, "outlets": outlets,
            "n_events": len(events), "events": [cluster_id(e) for e in events]}


TITLES = [("corroborated", "Corroborated by independent sources"),
          ("single", "Single-source claims"), ("disputed", "Denied or disputed"),
          ("statements", "Key statements"), ("dates", "Key dates"),
          ("rejected", "Rejected by the analyst")]


def _reviewed(sentence: str, ev: dict[str, Any]) -> str:
    """The sentence with the analyst's verdict on the claim (store/corrections.py)."""
    review = ev.get("review") or {}
    if review.get("verdict") not in ("confirmed", "rejected"):
        return sentence
    who = f" ({review['author']})" if review.get("author") else ""
    note = f": {review['note']}" if review.get("note") else ""
    return f"{sentence} {review['verdict'].capitalize()} by the analyst{who}{note}."
KEY_DATES = 5


def _key_dates(store: Store, story_id: int, notes: _Notes) -> list[tuple[str, list[int]]]:
    """The story's dates that matter (`storyline dates`), each cited to the words of the
    articles that name it; a day no article names in words is left out."""
    from ..link.salience import rank_dates

    lines = []
    for d in rank_dates(store, story_id, top=None):
        if not d["evidence"]["spans"]:
            continue
        noun = "document" if d["referring_documents"] == 1 else "documents"
        parts = [f"named by {d['referring_documents']} {noun}"]
        if d["referring_back"]:
            parts.append(f"{d['referring_back']} of them looking back days later")
        if d["published"]:
            parts.append(f"{d['published']} published that day")
        if d["event_documents"]:
            parts.append(f"merged events dated to it in {d['event_documents']} "
                         f"{'document' if d['event_documents'] == 1 else 'documents'}")
        spans = d["evidence"]["spans"]
        meta = _doc_meta(store, {s["doc_id"] for s in spans})
        lines.append((f"{d['date']}: " + ", ".join(parts) + ".",
                      _cite_mentions(notes, meta, spans)))
        if len(lines) == KEY_DATES:
            break
    return lines


def _period(story: dict[str, Any]) -> str:
    first, last = story.get("first_date"), story.get("last_date")
    if not first and not last:
        return "undated"
    return str(first) if first == last or not last else f"{first or '?'} – {last}"


def _markdown(data: dict[str, Any], notes: _Notes) -> str:
    story = data["story"]
    out = [f"# Briefing: {story.get('title')}", "",
           (f"Period: {_period(story)} · {len(story.get('documents') or [])} documents from "
            f"{', '.join(data['outlets'])} · {data['n_events']} merged events"), "",
           "## Key developments", ""]
    cite = lambda ns: "".join(f"[{n}]" for n in ns)
    out += [f"- {s} {cite(ns)}" for s, ns in data["key"]] or ["- No events recorded yet."]
    for key, title in TITLES:
        out += ["", f"## {title}", ""]
        out += [f"- {s} {cite(ns)}" for s, ns in data["sections"][key]] or ["- None."]
    out += ["", "## Sources", ""]
    out += [f"[{i}] {n['outlet']}, {n['published']}, doc {n['doc_id']}, " + (
            f"chars {n['start']}–{n['end']}: “{n['evidence']}”" if n["start"] is not None
            else "no exact span recorded") for i, n in enumerate(notes.items, 1)]
    return "\n".join(out) + "\n"


def _html(data: dict[str, Any], notes: _Notes) -> str:
    e = html.escape
    story = data["story"]

    def cites(ns: list[int]) -> str:
        return "".join(f'<sup><a href="{e(notes.items[n - 1]["href"])}" '
                       f'title="{e(notes.items[n - 1]["outlet"])}">[{n}]</a></sup>' for n in ns)

    def items(lines: list[tuple[str, list[int]]], empty: str) -> str:
        if not lines:
            return f"<ul><li>{e(empty)}</li></ul>"
        return "<ul>" + "".join(f"<li>{e(s)} {cites(ns)}</li>" for s, ns in lines) + "</ul>"

    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>Briefing: {e(str(story.get('title')))}</title></head><body>",
             f"<h1>Briefing: {e(str(story.get('title')))}</h1>",
             (f"<p>Period: {e(_period(story))} · {len(story.get('documents') or [])} documents "
              f"from {e(', '.join(data['outlets']))} · {data['n_events']} merged events</p>"),
             "<h2>Key developments</h2>", items(data["key"], "No events recorded yet.")]
    for key, title in TITLES:
        parts += [f"<h2>{e(title)}</h2>", items(data["sections"][key], "None.")]
    parts.append('<h2>Sources</h2><ol class="sources">')
    for n in notes.items:
        where = (f'chars {n["start"]}–{n["end"]}): “{e(n["evidence"])}”'
                 if n["start"] is not None else "no exact span recorded)")
        parts.append(f'<li><a href="{e(n["href"])}">{e(n["outlet"])}, {e(n["published"])}'
                     f'</a> (doc {e(n["doc_id"])}, {where}</li>')
    parts.append("</ol></body></html>")
    return "\n".join(parts) + "\n"


def write_brief(store: Store, story_id: int | None, fmt: Literal["md", "html"] = "md", *,
                link_base: str = "") -> str:
    """The briefing of a story (the largest when None) as Markdown or HTML."""
    if fmt not in ("md", "html"):
        from ..errors import UnsupportedInput

        raise UnsupportedInput(f"unknown briefing format {fmt!r} (md or html)", source=fmt)
    notes = _Notes(link_base=link_base.rstrip("/"))
    data = _collect(store, pick_story(store, story_id), notes)
    return _markdown(data, notes) if fmt == "md" else _html(data, notes)
