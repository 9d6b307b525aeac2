"""Plain functions behind the `serve`, `brief`, `watch` and `export` commands.

The Typer CLI only parses options and calls these; each raises StorylineError on a
problem the user can fix, which the CLI prints with its code.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO, Any

from ..errors import AccessDenied, InputError
from ..store import Store
from .export import FORMATS, export
from .terminal import strip_controls
from .watch import add_watch, check_watches, list_watches


def is_loopback(host: str) -> bool:
    """True when `host` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        try:  # a host name: loopback only when every address it resolves to is
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False
        return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def server_token(host: str, token: str | None) -> str | None:
    """The token writes need: required on a non-loopback address, optional on loopback."""
    token = token or os.environ.get("STORYLINE_TOKEN") or None
    if not is_loopback(host) and not token:
        raise AccessDenied(f"refusing to serve on {host} without a token: writes would be open "
                           "to the network; pass --token or set STORYLINE_TOKEN",
                           source=host)
    return token


def allowed_hosts(host: str, extra: list[str] | None = None) -> tuple[str, ...] | None:
    """The Host names the server answers to: on a loopback address only loopback names
    (and `extra`), so another site cannot reach it through DNS rebinding; on any other
    address every name, unless `extra` lists them."""
    from .web import LOOPBACK_HOSTS

    names = [h.strip().lower() for h in (extra or []) if h.strip()]
    if "*" in names:
        return None
    if is_loopback(host):
        return (*LOOPBACK_HOSTS, host.strip("[]").lower(), *names)
    return tuple(names) or None


def run_server(db: str, host: str = "127.0.0.1", port: int = 8765,
               token: str | None = None, allow_hosts: list[str] | None = None) -> None:
    """Serve the API and the web UI (blocks until stopped)."""
    import uvicorn

    from .api import create_app

    token = server_token(host, token)
    Store.open(db).close()  # create and migrate the store, so readers can open it
    app = create_app(db, token=token, allowed_hosts=allowed_hosts(host, allow_hosts))
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


def _output(out: str | None) -> tuple[IO[Any], bool]:
    """The stream to write to; an output that cannot be a file is an InputError naming it."""
    if out in (None, "-"):
        return sys.stdout, False
    path = Path(out)
    if path.is_dir():
        raise InputError("is a folder: give the name of a file to write (-o FOLDER/NAME)",
                         source=out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "w", encoding="utf-8", newline=""), True
    except OSError as exc:
        raise InputError(f"cannot write there: {exc.strerror or exc}", source=out) from exc


def brief_command(db: str, story: int | None = None, fmt: str = "md", out: str | None = None,
                  link_base: str = "") -> str:
    """Write the briefing of a story (largest when None) to `out` or stdout; returns it."""
    from .brief import write_brief

    with Store.open(db, readonly=True) as store:
        text = write_brief(store, story, fmt, link_base=link_base)  # type: ignore[arg-type]
    stream, close = _output(out)
    try:  # a terminal gets the text without control characters (docs/RELIABILITY.md)
        stream.write(text if close or not stream.isatty() else strip_controls(text))
    finally:
        if close:
            stream.close()
    return text


def export_command(db: str, fmt: str, out: str | None = None,
                   story: int | None = None) -> int:
    """Export the store (or one story) as `fmt` to `out` or stdout; returns the count."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}",
                         source=fmt)
    with Store.open(db, readonly=True) as store:
        stream, close = _output(out)
        try:
            return export(store, fmt, stream, story)
        finally:
            if close:
                stream.close()


def watch_add_command(db: str, name: str, entities: list[str] | None = None,
                      subtypes: list[str] | None = None,
                      keywords: list[str] | None = None) -> dict[str, Any]:
    """Add (or replace) a watch; returns it."""
    with Store.open(db) as store:
        return add_watch(store, name, entities or [], subtypes or [], keywords or [])


def watch_list_command(db: str) -> list[dict[str, Any]]:
    """Every watch."""
    with Store.open(db, readonly=True) as store:
        return list_watches(store)


def watch_feed_command(db: str, name: str, fmt: str = "atom", out: str | None = None,
                       base: str = "http://127.0.0.1:8765") -> str:
    """Write the watch's Atom or JSON feed to `out` or stdout; returns it."""
    from .feeds import atom_feed, json_feed

    with Store.open(db, readonly=True) as store:
        text = (atom_feed(store, name, base).decode("utf-8") if fmt == "atom"
                else json.dumps(json_feed(store, name, base), indent=2, ensure_ascii=False))
    stream, close = _output(out)
    try:
        stream.write(text + "\n")
    finally:
        if close:
            stream.close()
    return text


def watch_check_command(db: str, name: str | None = None, mark: bool = True,
                        as_json: bool = False, out: IO[str] | None = None) -> list[dict[str, Any]]:
    """New claims for one watch (or all) since the last check; prints them; returns them."""
    with Store.open(db, readonly=not mark) as store:
        hits = check_watches(store, name, mark=mark)
    stream = out or sys.stdout

    def write(line: str) -> None:  # article text, shown to a person: no control characters
        stream.write(strip_controls(line) + "\n")

    if as_json:
        stream.write(json.dumps(hits, indent=2, ensure_ascii=False) + "\n")
        return hits
    if not hits:
        write("nothing new")
    for h in hits:
        write(f"[{h['watch']}] #{h['cluster_id']} {h['title']} ({h['status']}, "
              f"{h['n_independent']} independent) — {'; '.join(h['matched'])}")
        for m in h["claim"]["mentions"]:
            write(f"    {(m.get('display') or {}).get('text') or m.get('outlet') or '?'} "
                  f"{m.get('doc_id')}#{m.get('start')}-{m.get('end')}: "
                  f"“{m.get('evidence') or ''}”")
    return hits
