"""The `storyline` command. Commands only parse options and call plain functions."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .errors import StorylineError
from .records import DocMeta
from .serve.terminal import LineProgress, SafeConsole
from .settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Storyline: follow a developing story across the news, with evidence.")
console: Console = SafeConsole()  # article text never sends escape sequences to the terminal
err: Console = SafeConsole(stderr=True)

DbOpt = Annotated[Optional[str], typer.Option(
    "--db", envvar="STORYLINE_DB",
    help="The store: a SQLite file (default ./storyline.db) or a postgresql:// URL.")]


def esc(value: object) -> str:
    """Article text is data, never rich markup ("[used for ...]" must print as is)."""
    return escape(str(value))


def _highlight(snippet: str) -> Text:
    """FTS5 marks hits with [ and ]: show them in bold instead."""
    text = Text()
    for i, part in enumerate(re.split(r"\[|\]", snippet)):
        text.append(part, style="bold yellow" if i % 2 else "")
    return text


def _settings(db: str | None, **kw: object) -> Settings:
    return Settings.load(db=db, **kw)


def _fail(exc: StorylineError, code: int = 1) -> None:
    err.print(f"[red]error[/red] {esc(exc)}")
    raise typer.Exit(code)


def _open(db: str | None, readonly: bool = True):  # type: ignore[no-untyped-def]
    from .store import Store

    try:
        return Store.open(_settings(db).db, readonly=readonly)
    except StorylineError as exc:
        _fail(exc)


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, feeds, URLs or URL lists.")],
    db: DbOpt = None,
    outlet: Annotated[Optional[str], typer.Option(help="Outlet, where nothing else says.")] = None,
    published: Annotated[Optional[str], typer.Option(help="Publication date (ISO).")] = None,
    language: Annotated[Optional[str], typer.Option(help="Language code.")] = None,
    wire: Annotated[Optional[str], typer.Option(help="Wire agency.")] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow private/loopback URLs.")] = False,
    follow_links: Annotated[bool, typer.Option(
        help="Follow symbolic links out of an ingested folder.")] = False,
    no_analyse: Annotated[bool, typer.Option("--no-analyse", help="Only ingest and clean.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Ingest articles: read, clean, store, extract and link them."""
    from .pipeline import process_inputs
    from .store import Store

    settings = _settings(db, allow_private=allow_private or None,
                         follow_links=follow_links or None)
    flags = DocMeta(outlet=outlet, published=published, language=language, wire=wire)
    with Store.open(settings.db) as store, _progress() as progress:
        report = process_inputs(inputs, store, settings, flags, progress, analyse=not no_analyse)
    if as_json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for e in report.errors:
            err.print(f"[yellow]skipped[/yellow] {esc(e)}")
        for doc_id, why in report.failed.items():  # stored, not analysed: never blocks others
            err.print(f"[yellow]analysis failed[/yellow] {esc(doc_id)}: {esc(why)}")
        for cid, why in report.as_dict()["corrections_orphaned"].items():
            err.print(f"[yellow]correction orphaned[/yellow] {cid[:12]}: {esc(why)}")
        failed = f", analysis failed {len(report.failed)}" if report.failed else ""
        console.print(f"added {len(report.added)}, already stored {len(report.duplicates)}, "
                      f"refused {len(report.errors)}, analysed {len(report.analysed)}{failed} "
                      f"-> {settings.db}")
    if report.errors and not report.added and not report.duplicates:
        raise typer.Exit(2)


@app.command()
def backfill(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, feeds, URLs or URL lists.")],
    workers: Annotated[int, typer.Option(min=1, help="Worker actors (one spaCy model each).")] = 2,
    address: Annotated[Optional[str], typer.Option(
        help="Join the Ray cluster at this address (default: start a local one).")] = None,
    batch: Annotated[Optional[int], typer.Option(
        min=1, help="Documents per batch sent to a worker (default: settings.batch_size).")] = None,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Backfill a large collection on a Ray cluster: store, extract on workers, then link.
    Stopped at any point, the same command resumes where it stopped."""
    from .backfill import backfill as run_backfill
    from .store import Store

    settings = _settings(db)
    try:
        with Store.open(settings.db) as store, _progress() as progress:
            report = run_backfill(inputs, store, settings, workers=workers, address=address,
                                  batch=batch, progress=progress,
                                  log=lambda line: err.print(esc(line), highlight=False))
    except StorylineError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for e in report.errors:
            err.print(f"[yellow]skipped[/yellow] {esc(e)}")
        for doc_id, why in report.failed.items():
            err.print(f"[yellow]analysis failed[/yellow] {esc(doc_id)}: {esc(why)}")
        console.print(f"added {report.stored}, already stored {report.known}, refused "
                      f"{len(report.errors)}, analysed {report.analysed}, linked "
                      f"{report.linked} -> {settings.db}")
    if report.errors and not report.stored and not report.known:
        raise typer.Exit(2)


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int | None], None]]:
    """The pipeline's progress callback: rich's bars on a terminal; elsewhere (a log, a
    pipe, CI) one plain line per phase with counts, rate and time left, on stderr."""
    if not err.is_terminal:
        lines = LineProgress(lambda line: print(line, file=sys.stderr, flush=True))
        try:
            yield lines
        finally:
            lines.close()
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=err,
                  transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield progress


def _written(what: str, out: object, write: Callable[[], object]) -> None:
    """Run a command that writes a file (or stdout), failing cleanly; say where it went."""
    try:
        write()
    except StorylineError as exc:
        _fail(exc)
    if out:
        err.print(f"{what} written to {out}")


def _more(shown: int, offset: int, total: int, command: str) -> str | None:
    """The line under a list that does not show everything: how many more, and how."""
    left = total - offset - shown
    if left <= 0:
        return None
    return (f"{offset + 1}–{offset + shown} of {total}: {left} more; "
            f"`{command} --offset {offset + shown}` shows the next ones, --limit 0 all")


@app.command()
def docs(db: DbOpt = None,
         limit: Annotated[int, typer.Option(help="How many (0: all).", min=0)] = 100,
         offset: Annotated[int, typer.Option(help="Skip this many first.", min=0)] = 0) -> None:
    """List stored documents (the line under the table says how many more there are)."""
    store = _open(db)
    total = store.count_documents()
    rows = store.list_documents(limit=limit or max(total, 1), offset=offset)
    table = Table("#", "id", "outlet", "date", "title / source", "chars", "cut")
    for r in rows:
        shown = r["display"]
        date = (f"~{shown['date']} (inferred)" if shown["inferred"]
                else shown["date"] or "undated")
        title = r["title"] or Path(r["source"]).name
        if r.get("failed_reason"):
            title += " (analysis failed: ingest it again to retry)"
        table.add_row(str(r["seq"]), r["id"][:10], esc(shown["outlet"] or "?"), date,
                      esc(title), str(r["chars"]), str(r["removed"]))
    console.print(table)
    more = _more(len(rows), offset, total, "storyline docs")
    console.print(more or f"{total} document(s)")


@app.command()
def show(doc: Annotated[str, typer.Argument(help="Document id, id prefix, number or path.")],
         db: DbOpt = None,
         as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show a document: its metadata, what cleaning cut, and every extracted fact."""
    from .show import show_document

    store = _open(db)
    try:
        show_document(store, doc, console, as_json=as_json)
    except StorylineError as exc:
        _fail(exc)


@app.command()
def search(query: str, db: DbOpt = None,
           limit: Annotated[int, typer.Option(help="How many (0: every ranked one).",
                                              min=0)] = 20,
           offset: Annotated[int, typer.Option(help="Skip this many best.", min=0)] = 0,
           aliases: Annotated[bool, typer.Option(
               help="Widen each actor named to every name the knowledge base knows.")]
           = True) -> None:
    """Full-text search over the stored articles ("DPRK" also finds "North Korea")."""
    from .serve.search import search_page
    from .store.db import SEARCH_WINDOW

    store = _open(db)
    try:
        found = search_page(store, query, limit or SEARCH_WINDOW, offset, aliases=aliases)
    except StorylineError as exc:
        _fail(exc)
    rows = found["documents"]
    table = Table("id", "outlet", "date", "snippet")
    for r in rows:
        shown = r["display"]
        table.add_row(r["id"][:10], esc(shown["outlet"] or "?"),
                      f"~{shown['date']}" if shown["inferred"] else shown["date"] or "",
                      _highlight(r["snippet"] or ""))
    for group in found["expanded"]:
        others = f" and {len(group) - 4} other names" if len(group) > 4 else ""
        err.print(f"{esc(group[0])} also as {esc(', '.join(group[1:4]))}{others} "
                  "(--no-aliases: only as written)")
    if not rows:
        console.print(f"no match for {query!r}")
        return
    console.print(table)
    more = _more(len(rows), offset, found["ranked"], f"storyline search {query!r}")
    console.print(more or f"{found['total']} match(es)")
    if found["total"] > found["ranked"]:
        console.print(f"{found['total']} match in all; the best of the latest "
                      f"{found['ranked']} are ranked: more words reach further back")


@app.command("eval")
def eval_(key: Path, docs: Annotated[Optional[Path], typer.Option(
              "--docs", help="Folder of the articles (not for a PLOVER GSR .jsonl).")] = None,
          as_json: Annotated[bool, typer.Option("--json")] = False,
          details: Annotated[bool, typer.Option(help="Keep per-document details.")] = False,
          model: Annotated[str, typer.Option(help="spaCy model.")] = "auto",
          also: Annotated[Optional[list[str]], typer.Option(
              "--also", help="More articles (a file or folder; repeatable) read with the "
                             "key's but not scored.")] = None) -> None:
    """Score the system against a gold key (../shared/gold/README.md format) or PLOVER GSR
    records (JSON Lines, one sentence a record)."""
    from .eval.run import evaluate, print_scores

    try:
        scores = evaluate(key, docs, Settings.load(model=model), also=also)
    except StorylineError as exc:
        _fail(exc, 2)
    if not details:
        scores.pop("details", None)
    if as_json:
        print(json.dumps(scores, indent=2, ensure_ascii=False))
    else:
        print_scores(scores, console)


@app.command()
def stories(db: DbOpt = None,
            all_: Annotated[bool, typer.Option("--all", help=(
                "Also the stories in which no event was found."))] = False) -> None:
    """List the stories: groups of articles about one developing situation."""
    from .link.queries import list_stories

    store = _open(db)
    every = list_stories(store)
    shown = every if all_ else [s for s in every if s.get("n_events")]
    table = Table("story", "title", "from", "to", "docs", "events")
    for s in shown:
        table.add_row(str(s["id"]), esc(s["title"]), s.get("first_date") or "", s.get("last_date") or "",
                      str(s.get("n_documents", "")), str(s.get("n_events", "")))
    console.print(table)
    if len(every) > len(shown):
        console.print(f"{len(every) - len(shown)} more with no events: --all shows them")


@app.command()
def timeline(story: Annotated[Optional[int], typer.Argument(help="Story id (default: largest).")]
             = None, db: DbOpt = None,
             as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Print a story's merged events in order, with sources, status and denials."""
    from .show import print_timeline

    store = _open(db)
    try:
        print_timeline(store, story, console, as_json=as_json)
    except StorylineError as exc:
        _fail(exc)


@app.command()
def dates(story: Annotated[Optional[int], typer.Argument(help="Story id (default: the whole store).")]
          = None, db: DbOpt = None,
          top: Annotated[int, typer.Option("--top", help="How many days (0: all).")] = 10,
          as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Rank the days by how much the coverage says happened on them, with the evidence."""
    from .link.salience import rank_dates

    store = _open(db)
    try:
        ranked = rank_dates(store, story, top=top)
    except StorylineError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(ranked, indent=2, ensure_ascii=False))
        return
    table = Table("date", "score", "docs", "referring", "back", "published", "events",
                  "happenings")
    for d in ranked:
        table.add_row(d["date"], f"{d['score']:.2f}", str(d["n_documents"]),
                      str(d["referring_documents"]), str(d["referring_back"]),
                      str(d["published"]), str(d["event_documents"]),
                      str(d["happening_documents"]))
    console.print(table)


@app.command()
def threads(story: Annotated[int, typer.Argument(help="Story id.")], db: DbOpt = None,
            as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Where a story branches: groups of its articles that follow one line, each labelled
    by the names that set it apart and its most reported kind of event."""
    from .link.threads import story_threads

    store = _open(db)
    try:
        out = story_threads(store, story)
    except StorylineError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    table = Table("thread", "label", "from", "to", "docs", "cohesion")
    for i, t in enumerate(out["threads"], 1):
        table.add_row(str(i), esc(t["label"]), t["first_date"] or "", t["last_date"] or "",
                      str(t["n_documents"]), f"{t['cohesion']:.2f}")
    console.print(table)
    if out.get("note"):
        console.print(out["note"])
    if out["unthreaded"]:
        console.print(f"{len(out['unthreaded'])} of {out['n_documents']} articles follow no "
                      "thread with another")


@app.command()
def serve(db: DbOpt = None,
          host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")]
          = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8765,
          token: Annotated[Optional[str], typer.Option(envvar="STORYLINE_TOKEN",
                                                       help="Bearer token for writes.")] = None,
          allow_host: Annotated[Optional[list[str]], typer.Option(
              help="Host name the server answers to besides loopback ones ('*': any).")]
          = None,
          ) -> None:
    """Serve the HTTP API (/docs, /openapi.json) and the web UI at /."""
    from .serve.cli_commands import run_server

    try:
        run_server(_settings(db).db, host, port, token, allow_host)
    except StorylineError as exc:
        _fail(exc)


@app.command()
def brief(story: Annotated[Optional[int], typer.Argument(help="Story id (default: largest).")]
          = None, db: DbOpt = None,
          fmt: Annotated[str, typer.Option("--format", help="md or html.")] = "md",
          out: Annotated[Optional[str], typer.Option("-o", "--out", help="File (default stdout).")]
          = None,
          link_base: Annotated[str, typer.Option(help="URL of the web UI for evidence links.")]
          = "") -> None:
    """Write a short analyst briefing in which every sentence cites its sources."""
    from .serve.cli_commands import brief_command

    if fmt not in ("md", "html"):
        _fail(StorylineError(f"unknown format {fmt!r}: md or html", source="--format"), 2)
    _written("briefing", out, lambda: brief_command(_settings(db).db, story, fmt, out,
                                                      link_base))


@app.command()
def export(fmt: Annotated[str, typer.Argument(
               help="jsonl, csv, timelinejs, graphml, gexf, ftm or stix.")],
           db: DbOpt = None,
           out: Annotated[Optional[str], typer.Option("-o", "--out", help="File (default stdout).")]
           = None,
           story: Annotated[Optional[int], typer.Option(help="Only this story.")] = None) -> None:
    """Export documents, claims, a story's timeline or the actor graph."""
    from .serve.cli_commands import export_command

    try:
        n = export_command(_settings(db).db, fmt, out, story)
    except StorylineError as exc:
        _fail(exc, 2)
    if out:
        err.print(f"{n} records written to {out}")


watch_app = typer.Typer(help="Watchlists: new matching claims since the last check.",
                        no_args_is_help=True)
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def watch_add(name: str, db: DbOpt = None,
              entity: Annotated[Optional[list[str]], typer.Option(help="Entity name or key.")]
              = None,
              subtype: Annotated[Optional[list[str]], typer.Option(help="Event subtype.")] = None,
              keyword: Annotated[Optional[list[str]], typer.Option(help="Keyword.")] = None,
              ) -> None:
    """Save a watch (entities, event subtypes, keywords)."""
    from .serve.cli_commands import watch_add_command

    try:
        watch = watch_add_command(_settings(db).db, name, entity, subtype, keyword)
    except StorylineError as exc:
        _fail(exc, 2)
    console.print(f"watch {watch.get('name', name)!r} saved")


@watch_app.command("list")
def watch_list(db: DbOpt = None) -> None:
    """List the saved watches."""
    from .serve.cli_commands import watch_list_command

    table = Table("name", "entities", "subtypes", "keywords", "last checked")
    for w in watch_list_command(_settings(db).db):
        spec = w.get("spec", w)
        table.add_row(w["name"], ", ".join(spec.get("entities", [])),
                      ", ".join(spec.get("subtypes", [])), ", ".join(spec.get("keywords", [])),
                      w.get("last_checked") or "never")
    console.print(table)


@watch_app.command("check")
def watch_check(name: Annotated[Optional[str], typer.Argument(help="One watch (default all).")]
                = None, db: DbOpt = None,
                peek: Annotated[bool, typer.Option(help="Do not record this check.")] = False,
                as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The new claims matching the watches since their last check."""
    from .serve.cli_commands import watch_check_command

    try:
        watch_check_command(_settings(db).db, name, mark=not peek, as_json=as_json)
    except StorylineError as exc:
        _fail(exc)


@watch_app.command("feed")
def watch_feed(name: str, db: DbOpt = None,
               fmt: Annotated[str, typer.Option("--format", help="atom or json.")] = "atom",
               out: Annotated[Optional[str], typer.Option("-o", "--out",
                                                          help="File (default stdout).")] = None,
               base: Annotated[str, typer.Option(help="URL of the server the links point to.")]
               = "http://127.0.0.1:8765") -> None:
    """The watch's claims as an Atom or JSON feed (the server serves the same at
    /api/watches/NAME/feed.atom and feed.json); the last check does not move."""
    from .serve.cli_commands import watch_feed_command

    if fmt not in ("atom", "json"):
        _fail(StorylineError(f"unknown feed format {fmt!r}: atom or json", source="--format"), 2)
    _written("feed", out, lambda: watch_feed_command(_settings(db).db, name, fmt, out, base))


from .cli_corrections import register as _register_corrections  # noqa: E402

_register_corrections(app)  # correct, corrections, relink, review


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except StorylineError as exc:
        err.print(f"[red]error[/red] {esc(exc)}")
        sys.exit(1)
