"""Terminal views: one document with its evidence, and a story's timeline."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .errors import NotFound
from .records import Event
from .store import Store


def _e(value: object) -> str:
    """Article text is data, never rich markup."""
    return escape("" if value is None else str(value))


def _when(value: Any) -> str:
    if value is None:
        return "unresolved"
    if isinstance(value, list):
        return " – ".join(str(v) for v in value)
    return str(value)


def show_document(store: Store, ref: str, console: Console, *, as_json: bool = False) -> None:
    """Print a document's metadata, what cleaning cut, and its facts with their spans."""
    doc = store.get_document(ref)
    analysis = store.get_analysis(doc.id)
    if as_json:
        print(json.dumps({"document": doc.as_dict(),
                          "analysis": analysis.as_dict() if analysis else None},
                         indent=2, ensure_ascii=False))
        return
    m = doc.meta
    date = m.published or (f"{doc.published_inferred} (inferred: {doc.published_inferred_reason})"
                           if doc.published_inferred else "undated (no date stated or inferred)")
    console.rule(f"[bold]{_e(m.title or doc.source)}")
    console.print(_e(f"id {doc.id}  outlet {m.outlet or '?'}  wire {m.wire or '-'}  date {date}  "
                     f"language {m.language or '?'}  source {doc.source}"))
    if doc.removed:
        table = Table("line", "cut because", "text", title="Removed by cleaning")
        for r in doc.removed:
            table.add_row(str(r.line_no), r.reason, _e(r.text[:90]))
        console.print(table)
    console.print(_highlighted(doc.text, analysis))
    if analysis is None:
        console.print("[yellow]not analysed yet[/yellow]")
        return
    ents = Table("entity", "type", "code", "role", "surface forms", title="Entities")
    for e in analysis.entities:
        forms = sorted({mm.text for mm in e.mentions})
        ents.add_row(_e(e.name), e.type, e.code or "", _e(e.role), _e(", ".join(forms)[:80]))
    console.print(ents)
    times = Table("text", "value", "span", "note", title="Time expressions")
    for t in analysis.times:
        times.add_row(_e(t.text), _when(t.value), f"{t.start}-{t.end}", _e(t.note))
    console.print(times)
    quotes = Table("speaker", "quote", "span", title="Quotes")
    for q in analysis.quotes:
        quotes.add_row(_e(q.speaker) if q.speaker else "[italic]unattributed[/italic]" + (
                           f" ({_e(q.source_text)})" if q.source_text else ""),
                       _e(("" if q.direct else "(indirect) ") + q.text[:100]),
                       f"{q.start}-{q.end}")
    console.print(quotes)
    events = Table("id", "event", "actor → target", "item / qty", "when", "source", "status",
                   "evidence", title="Events and claims")
    for ev in analysis.events:
        qty = "" if ev.quantity is None else f" ×{ev.quantity:g}"
        status = ev.status + (f" (denied by {', '.join(ev.denied_by)})" if ev.denied_by else "")
        events.add_row(ev.id, f"{ev.type}/{ev.subtype}",
                       _e(f"{ev.actor or '?'} → {ev.target or '?'}"),
                       _e(f"{ev.item or ''}{qty}"), _when(ev.when), _e(_source(ev)),
                       _e(status), _e(f"[{ev.start}-{ev.end}] {ev.evidence[:70]}"))
    console.print(events)


def _highlighted(text: str, analysis: Any) -> Text:
    """The cleaned text with each fact's span styled: entities, times, quotes, events."""
    out = Text(text)
    if analysis is None:
        return out
    for e in analysis.entities:
        for m in e.mentions:
            out.stylize("bold cyan", m.start, m.end)
    for t in analysis.times:
        out.stylize("green", t.start, t.end)
    for q in analysis.quotes:
        out.stylize("italic", q.start, q.end)
    for ev in analysis.events:
        out.stylize("underline", ev.start, ev.end)
    return out


def print_timeline(store: Store, story_id: int | None, console: Console, *,
                   as_json: bool = False) -> None:
    """Print a story's timeline: merged events in date order, with their evidence."""
    from .link.queries import list_stories, timeline
    from .link.salience import story_happenings

    stories = list_stories(store)
    if not stories:
        raise NotFound("no stories yet: ingest some articles first", source=store.path)
    if story_id is None:
        story = max(stories, key=lambda s: (s.get("n_documents", 0), s.get("n_events", 0)))
    else:
        matches = [s for s in stories if s["id"] == story_id]
        if not matches:
            raise NotFound(f"no story {story_id}", source=str(story_id))
        story = matches[0]
    from .serve.shapes import attach_displays

    rows = attach_displays(store, timeline(store, story["id"]))
    happened = story_happenings(store, story["id"])
    if as_json:
        print(json.dumps({"story": story, "timeline": rows, "happenings": happened}, indent=2,
                         ensure_ascii=False))
        return
    span = " – ".join(x for x in (story.get("first_date"), story.get("last_date")) if x)
    console.rule(f"[bold]Story {story['id']}: {_e(story['title'])}[/bold]  {_e(span)}")
    for row in rows:
        console.print(_timeline_entry(row))
        review = row.get("review") or {}
        if review.get("verdict"):  # the analyst's verdict (docs/CORRECTIONS.md)
            console.print(f"    [bold]{review['verdict']} by the analyst[/bold] "
                          f"({_e(review.get('author') or '?')})"
                          + (f": {_e(review['note'])}" if review.get("note") else ""))
        for src in row.get("sources", []):
            outlets = ", ".join(src.get("reported_by", [])) or "?"
            console.print(f"    source: {_e(src.get('original') or '?')}  ←  reported by "
                          f"{_e(outlets)}")
        for m in row.get("mentions", [])[:6]:
            shown = (m.get("display") or {}).get("text") or m.get("outlet") or "?"
            console.print(f"    [dim]{_e(shown)} {m['doc_id'][:10]}[{m['start']}:{m['end']}][/dim] "
                          f"{_e(m.get('status') or '')}: “{_e(m.get('evidence') or '')}”")
        for d in row.get("denials", []):
            if not d.get("evidence"):  # a name the report gives as denying, no words of its own
                console.print(f"    [red]denied by {_e(d.get('by') or '?')}[/red] "
                              f"[dim](so the report {(d.get('doc_id') or '?')[:10]} says; no "
                              f"denial of its own)[/dim]")
                continue
            console.print(f"    [red]denied by {_e(d.get('by') or '?')}[/red]: "
                          f"“{_e(d.get('evidence') or '')}”"
                          + (f" [dim]{d['doc_id'][:10]}[{d['start']}:{d['end']}][/dim]"
                             if d.get("doc_id") and d.get("start") is not None else ""))
        for dis in row.get("disagreements", []):
            values = "; ".join(f"{_e(v.get('value'))} ({_e(v.get('source') or v.get('outlet'))})"
                               for v in dis.get("values", []))
            console.print(f"    [yellow]sources disagree on {dis.get('field')}[/yellow]: {values}")
    if happened:
        console.rule("[bold]What happened[/bold] (general events beside PLOVER)")
    for h in happened:
        m = h["mentions"][0]
        console.print(f"[bold]{_when(h['when']):>24}[/bold]  {_e(h['subtype'])}: "
                      f"“{_e(m.get('evidence') or '')}”  [cyan]{h['n_documents']} report(s)"
                      f"[/cyan] [dim]{m['doc_id'][:10]}[{m['start']}:{m['end']}][/dim]")
    if not rows and not happened:
        console.print("no events in this story yet")


def _timeline_entry(row: dict[str, Any]) -> Text:
    """One line per merged event: date, what happened, status, independent sources."""
    line = Text()
    line.append(f"{_when(row.get('when')):>24}  ", style="bold")
    line.append(row.get("title") or "?")
    colour = {"asserted": "green", "hedged": "yellow", "planned": "blue",
              "hypothetical": "magenta"}.get(row.get("status") or "", "white")
    line.append(f"  [{row.get('status')}]", style=colour)
    line.append(f"  {row.get('n_independent', 0)} independent source(s), "
                f"{row.get('n_documents', 0)} report(s)", style="cyan")
    if row.get("denials"):
        line.append("  DENIED", style="bold red")
    return line


def _source(ev: Event) -> str:
    """ "Yonhap, citing officials": the source, and the words of an unnamed one it cites."""
    return (ev.source or "?") + (f", citing {ev.source_text}" if ev.source_text else "")
