"""`storyline correct ...`, `storyline corrections`, `storyline relink`, `storyline review`:
the analyst's corrections from the command line (docs/CORRECTIONS.md)."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from .cli import DbOpt, _fail, _settings, console, err, esc
from .errors import InputError, StorylineError

correct_app = typer.Typer(help="Correct the record: documents, entities, events, claims, "
                               "links. Each correction is kept, and applied again after "
                               "every re-analysis and re-linking.", no_args_is_help=True)
corrections_app = typer.Typer(help="The corrections made: list (default), delete, import.",
                              invoke_without_command=True)

Reason = Annotated[Optional[str], typer.Option(help="Why the correction is made.")]
Author = Annotated[Optional[str], typer.Option(envvar="STORYLINE_AUTHOR",
                                               help="Who makes it (default: your user name).")]


def _author(author: str | None) -> str:
    if author:
        return author
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "cli"


def _do(db: str | None, kind: str, target: str, changes: dict[str, Any],
        reason: str | None, author: str | None) -> None:
    from .amend import correct
    from .store import Store

    settings = _settings(db)
    changes = {k: v for k, v in changes.items() if v is not None}
    try:
        with Store.open(settings.db) as store:
            rows = correct(store, settings, kind, target, changes, reason=reason,
                           author=_author(author))
    except StorylineError as exc:
        _fail(exc, 2)
    for r in rows:
        state = "" if r["state"] == "applied" else f" ({r['state']}: {r['state_reason']})"
        console.print(f"correction {r['id'][:12]}: {esc(r['kind'])} {esc(r['target'])} "
                      f"{esc(r['field'])} {esc(_show(r['old_value']))} -> "
                      f"{esc(_show(r['new_value']))}{state}")


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return value.get("name") or value.get("verdict") or json.dumps(value)
    return "—" if value is None else str(value)


@correct_app.command("document")
def correct_document(doc: Annotated[str, typer.Argument(help="Document id, prefix or number.")],
                     db: DbOpt = None,
                     published: Annotated[Optional[str], typer.Option(help="ISO date.")] = None,
                     outlet: Optional[str] = None, wire: Optional[str] = None,
                     title: Optional[str] = None, language: Optional[str] = None,
                     reason: Reason = None, author: Author = None) -> None:
    """A document's date, outlet, wire, title or language (it is analysed and linked again)."""
    _do(db, "document", doc, {"published": published, "outlet": outlet, "wire": wire,
                              "title": title, "language": language}, reason, author)


@correct_app.command("event")
def correct_event(event: Annotated[str, typer.Argument(
                      help="'<document>:<event id>' (e.g. 3:e2) or the event's fingerprint.")],
                  db: DbOpt = None, type: Optional[str] = None, subtype: Optional[str] = None,
                  actor: Annotated[Optional[str], typer.Option(help="Entity key or name.")]
                  = None,
                  target: Annotated[Optional[str], typer.Option(help="Entity key or name.")]
                  = None,
                  quantity: Optional[float] = None,
                  when: Annotated[Optional[str], typer.Option(help="ISO date.")] = None,
                  where: Optional[str] = None,
                  source: Annotated[Optional[str], typer.Option(
                      help="Who claims it: entity key or name.")] = None,
                  status: Annotated[Optional[str], typer.Option(
                      help="asserted, hedged, planned, hypothetical or denied.")] = None,
                  reason: Reason = None, author: Author = None) -> None:
    """An event as one document reports it: type, actor, target, quantity, date, the
    claim's source and status."""
    _do(db, "event", event, {"type": type, "subtype": subtype, "actor": actor,
                             "target": target, "quantity": quantity, "when": when,
                             "where": where, "source": source, "status": status},
        reason, author)


@correct_app.command("merge")
def correct_merge(source: Annotated[str, typer.Argument(help="Entity merged away (key/name).")],
                  into: Annotated[str, typer.Argument(help="Entity it becomes (key/name).")],
                  db: DbOpt = None, reason: Reason = None, author: Author = None) -> None:
    """Merge two entities: every mention and role of SOURCE becomes INTO."""
    _do(db, "entity", source, {"merge": into}, reason, author)


@correct_app.command("alias")
def correct_alias(entity: str, alias: str, db: DbOpt = None, reason: Reason = None,
                  author: Author = None) -> None:
    """Add an alias: entities named ALIAS in any document become ENTITY."""
    _do(db, "entity", entity, {"alias": alias}, reason, author)


@correct_app.command("split")
def correct_split(entity: str,
                  surface: Annotated[str, typer.Argument(help="The form to split off.")],
                  db: DbOpt = None, name: Optional[str] = None,
                  key: Optional[str] = None, reason: Reason = None,
                  author: Author = None) -> None:
    """Split an entity: its mentions written SURFACE become an entity of their own."""
    _do(db, "entity", entity, {"split": {"surface": surface, "name": name, "key": key}},
        reason, author)


@correct_app.command("claim")
def correct_claim(claim: Annotated[str, typer.Argument(
                      help="Claim (merged event) id, or one of its events (3:e2).")],
                  verdict: Annotated[str, typer.Argument(help="confirmed, rejected or open.")],
                  db: DbOpt = None, note: Optional[str] = None, reason: Reason = None,
                  author: Author = None) -> None:
    """Confirm or reject a claim (open takes the verdict back)."""
    _do(db, "claim", claim, {"verdict": {"verdict": verdict, "note": note}}, reason, author)


@correct_app.command("link")
def correct_link(kind: Annotated[str, typer.Argument(
                     help="same_event, same_quote or contradiction.")],
                 op: Annotated[str, typer.Argument(help="add or remove.")],
                 a: Annotated[str, typer.Argument(help="Event (3:e2) or quote (3:q0).")],
                 b: Annotated[str, typer.Argument(
                     help="The other one (for a contradiction: the denial).")],
                 db: DbOpt = None, reason: Reason = None, author: Author = None) -> None:
    """Add or remove a same-event, same-quote or contradiction link."""
    _do(db, "link", a, {kind: {"op": op, "with": b}}, reason, author)


@corrections_app.callback()
def corrections(ctx: typer.Context, db: DbOpt = None,
                as_json: Annotated[bool, typer.Option("--json")] = False,
                orphaned: Annotated[bool, typer.Option(
                    help="Only those that no longer find their target.")] = False) -> None:
    """List the corrections, in the order made, with their state and why."""
    if ctx.invoked_subcommand:
        return
    from .store import Store
    from .store.corrections import list_corrections

    try:
        with Store.open(_settings(db).db, readonly=True) as store:
            rows = list_corrections(store)
    except StorylineError as exc:
        _fail(exc)
    if orphaned:
        rows = [r for r in rows if r["state"] == "orphaned"]
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("id", "when", "author", "kind", "target", "field", "old", "new", "reason",
                  "state")
    for r in rows:
        state = r["state"] + (f": {r['state_reason']}" if r["state_reason"] else "")
        table.add_row(r["id"][:12], r["created_at"][:19], esc(r["author"] or ""), r["kind"],
                      esc(r["target"]), r["field"], esc(_show(r["old_value"])),
                      esc(_show(r["new_value"])), esc(r["reason"] or ""), esc(state))
    console.print(table if rows else "no corrections")


@corrections_app.command("delete")
def corrections_delete(cid: Annotated[str, typer.Argument(help="Correction id (or prefix).")],
                       db: DbOpt = None) -> None:
    """Undo a correction: what it changed returns to what the extractor says."""
    from .amend import undo
    from .store import Store

    settings = _settings(db)
    try:
        with Store.open(settings.db) as store:
            ids = [r[0] for r in store.conn.execute(
                "SELECT id FROM corrections WHERE id LIKE ?", (cid.replace("%", "") + "%",))]
            if len(ids) != 1:
                raise InputError(f"{'no' if not ids else 'more than one'} correction {cid!r}",
                                 source=cid)
            row = undo(store, settings, ids[0])
    except StorylineError as exc:
        _fail(exc, 2)
    console.print(f"correction {row['id'][:12]} deleted ({row['kind']} {esc(row['target'])} "
                  f"{row['field']})")


@corrections_app.command("import")
def corrections_import(path: Annotated[Path, typer.Argument(
                           help="JSON Lines: `storyline export jsonl` output or one "
                                "correction a line.")],
                       db: DbOpt = None) -> None:
    """Import corrections exported from another store, and apply them here."""
    from .amend import import_corrections
    from .store import Store

    settings = _settings(db)
    try:
        try:
            lines = path.read_text("utf-8").splitlines()
        except OSError as exc:
            raise InputError(f"cannot read: {exc}", source=str(path)) from exc
        records = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {n} is not JSON: {exc}", source=str(path)) from exc
            if isinstance(rec, dict) and ("correction" in rec or "kind" in rec
                                          and "target" in rec):
                records.append(rec)
        with Store.open(settings.db) as store:
            report = import_corrections(store, settings, records)
    except StorylineError as exc:
        _fail(exc, 2)
    console.print(f"imported {report['added']}, already here {report['known']}, "
                  f"refused {len(report['refused'])}, orphaned {len(report['orphaned'])}")
    for why in report["refused"]:
        err.print(f"[yellow]refused[/yellow] {esc(why)}")
    for cid, why in report["orphaned"].items():
        err.print(f"[yellow]orphaned[/yellow] {cid[:12]}: {esc(why)}")


def relink(db: DbOpt = None) -> None:
    """Run the linking again over the whole store (stories, merged events, statement
    groups, inferred dates); the corrections are applied again after it."""
    from .amend import relink as relink_store
    from .store import Store

    settings = _settings(db)
    try:
        with Store.open(settings.db) as store:
            report = relink_store(store, settings)
    except StorylineError as exc:
        _fail(exc)
    console.print(f"linked {report['documents']} documents into {report['stories']} stories; "
                  f"corrections applied {len(report['applied'])}, orphaned "
                  f"{len(report['orphaned'])}")
    for cid, why in report["orphaned"].items():
        err.print(f"[yellow]orphaned[/yellow] {cid[:12]}: {esc(why)}")


def review(db: DbOpt = None, limit: int = 30,
           kind: Annotated[Optional[list[str]], typer.Option(
               help="Only these kinds (contradiction, status_disagreement, undated, "
                    "inferred_date, single_source, no_actor, unattributed_quote).")] = None,
           as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """What most needs an analyst's eye, first."""
    from .serve.review import review_queue
    from .store import Store

    try:
        with Store.open(_settings(db).db, readonly=True) as store:
            queue = review_queue(store, limit, tuple(kind) if kind else None)
    except StorylineError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(queue, indent=2, ensure_ascii=False))
        return
    table = Table("#", "score", "kind", "what", "why", "where")
    for i in queue["items"]:
        where = (f"claim {i['cluster_id']}" if i.get("cluster_id") else
                 i.get("quote") or (i.get("doc_id") or "")[:10])
        table.add_row(str(i["rank"]), f"{i['score']:.1f}", i["kind"], esc(i["title"]),
                      esc(i["why"]), esc(where))
    console.print(table)
    shown = len(queue["items"])
    if shown < queue["total"]:
        console.print(f"{shown} of {queue['total']} shown (--limit for more)")


def register(app: typer.Typer) -> None:
    """Add the commands to the `storyline` app."""
    app.add_typer(correct_app, name="correct")
    app.add_typer(corrections_app, name="corrections")
    app.command()(relink)
    app.command()(review)
