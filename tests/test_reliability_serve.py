"""Nothing let in through the server, the fetcher or the terminal; writers take turns
(docs/RELIABILITY.md). Every server here listens on 127.0.0.1 only."""

from __future__ import annotations

import http.server
import io
import ipaddress
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from _fixtures_story import build_store
from conftest import ROOT
from fastapi.testclient import TestClient

from storyline.errors import FetchError, InputError, StoreBusy
from storyline.ingest import urls
from storyline.records import DocMeta, Document
from storyline.serve import create_app
from storyline.serve.cli_commands import allowed_hosts, brief_command, export_command
from storyline.serve.terminal import SafeConsole, strip_controls
from storyline.settings import Settings
from storyline.store import Store

LOOPBACK = ("localhost", "127.0.0.1", "::1")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("serve") / "s.db"
    build_store(path)
    return str(path)


@pytest.fixture()
def client(db: str) -> TestClient:
    return TestClient(create_app(db, allowed_hosts=LOOPBACK, max_body=10_000),
                      base_url="http://127.0.0.1:8765", raise_server_exceptions=False)


def _error(resp: Any, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "type", "message",
                                                             "source"}
    return body["error"]


# -- client errors are 400, never 500 -------------------------------------------------------
@pytest.mark.parametrize("url", ["/api/search?q=%00", "/api/search?q=a%00b",
                                 "/api/search?q=" + "a" * 60_000,
                                 "/api/entities?q=" + "b" * 60_000,
                                 "/static/app.js%00.png", "/static/%1b%5b2J.js"])
def test_hostile_requests_are_the_clients_error(client: TestClient, url: str) -> None:
    assert _error(client.get(url), 400)["code"] == "S100"


def test_long_or_nul_document_references_are_not_found(client: TestClient) -> None:
    assert _error(client.get("/api/documents/" + "a" * 60_000), 404)["code"] == "S202"
    assert _error(client.get("/api/documents/%00"), 404)["code"] == "S202"


def test_search_still_answers_plain_queries(client: TestClient) -> None:
    got = client.get("/api/search", params={"q": "Norway"})
    assert got.status_code == 200 and got.json()["documents"]


# -- Host header (DNS rebinding) and body cap ----------------------------------------------
def test_only_loopback_host_names_are_answered(client: TestClient) -> None:
    assert client.get("/api/stories").status_code == 200
    assert client.get("/api/stories", headers={"Host": "[::1]:8765"}).status_code == 200
    assert client.get("/api/stories", headers={"Host": "localhost"}).status_code == 200
    err = _error(client.get("/api/stories", headers={"Host": "attacker.example:8765"}), 400)
    assert err["source"] == "host"
    _error(client.post("/api/watches", json={"name": "w"},
                       headers={"Host": "attacker.example"}), 400)


def test_allowed_hosts_follow_the_bound_address() -> None:
    assert set(allowed_hosts("127.0.0.1") or ()) >= set(LOOPBACK)
    assert "news.internal" in (allowed_hosts("127.0.0.1", ["news.internal"]) or ())
    assert allowed_hosts("127.0.0.1", ["*"]) is None
    assert allowed_hosts("0.0.0.0") is None  # a public bind needs its token, any name
    assert allowed_hosts("0.0.0.0", ["news.example"]) == ("news.example",)


def test_request_bodies_over_the_cap_are_never_read(client: TestClient) -> None:
    big = b'{"text": "' + b"a" * 20_000 + b'"}'
    err = _error(client.post("/api/ingest", content=big,
                             headers={"content-type": "application/json"}), 413)
    assert err["code"] == "S103"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(40):
            yield b"a" * 500

    _error(client.post("/api/ingest", content=chunks(),
                       headers={"content-type": "application/json"}), 413)
    small = client.post("/api/watches", json={"name": "ok", "keywords": ["boat"]})
    assert small.status_code == 201


def test_a_busy_store_is_503_with_retry_after(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.store.db as dbmod

    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        c = TestClient(create_app(db), raise_server_exceptions=False)
        resp = c.post("/api/watches", json={"name": "busy", "keywords": ["x"]})
        err = _error(resp, 503)
        assert err["code"] == "S203" and "busy" in err["message"]
        assert resp.headers.get("retry-after")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# -- writers take turns -----------------------------------------------------------------------
def test_a_writer_that_waits_too_long_says_the_store_is_busy(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    import storyline.store.db as dbmod

    path = tmp_path / "b.db"
    Store.open(path).close()
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(path, readonly=True) as reader:  # readers are never blocked
            assert reader.count_documents() == 0
        with pytest.raises(StoreBusy) as info, Store.open(path) as store:
            store.add_document(_doc("held"))
        assert "busy" in str(info.value) and "b.db" in str(info.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _doc(n: str) -> Document:
    text = f"The port authority said the ferry {n} sails on Monday."
    return Document(id=f"d-{n}", source=f"{n}.txt", text=text, meta=DocMeta(), raw_text=text)


_CREATE = """
import sys
from storyline.records import Document, DocMeta
from storyline.store import Store
path, n = sys.argv[1], sys.argv[2]
with Store.open(path) as store:
    for i in range(5):
        text = f"Writer {n} wrote article {i} about the ferry."
        store.add_document(Document(id=f"d{n}-{i}", source=f"{n}-{i}.txt", text=text,
                                    meta=DocMeta(), raw_text=text))
"""


def test_writers_creating_one_store_at_once_never_fail(tmp_path: Path) -> None:
    """Four processes create and fill the same new store at the same moment, three times."""
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    for trial in range(3):
        path = tmp_path / f"new{trial}.db"
        procs = [subprocess.Popen([sys.executable, "-c", _CREATE, str(path), str(n)], env=env,
                                  stderr=subprocess.PIPE) for n in range(4)]
        errors = [p.communicate(timeout=120)[1].decode() for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, errors
        with Store.open(path, readonly=True) as store:
            assert store.count_documents() == 20


# -- SSRF ------------------------------------------------------------------------------------
@pytest.mark.parametrize("address", [
    "100.64.0.1", "100.100.100.200", "100.127.255.254",  # shared address space (CGNAT)
    "127.0.0.1", "10.1.2.3", "169.254.169.254", "0.0.0.0", "192.0.0.1", "198.18.0.1",
    "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:100.64.0.1",
    "2002:7f00:1::1", "2002:a9fe:a9fe::1", "2001:0:4136:e378::1", "64:ff9b::7f00:1"])
def test_addresses_that_are_not_public_are_refused(address: str) -> None:
    assert urls._blocked(ipaddress.ip_address(address))
    literal = f"[{address}]" if ":" in address else address
    with pytest.raises(FetchError):
        urls.check_host(f"http://{literal}/", allow_private=False)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert not urls._blocked(ipaddress.ip_address(address))


class _Echo(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.headers.get("Host", ""))
        body = b"The ferry sails on Monday, the port authority said."
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch) -> None:
    """DNS rebinding: the name resolves once (to 127.0.0.1 here); a second lookup would
    answer otherwise (here: fail). The fetch must use the first answer, and still send the
    name in the Host header."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: Any, *args: Any, **kw: Any) -> Any:
        if host == "rebind.example":
            lookups.append(host)
            if len(lookups) > 1:
                raise socket.gaierror("the second answer would point elsewhere")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        got = urls.fetch(f"http://rebind.example:{port}/story",
                         Settings.load(allow_private=True, fetch_timeout=5.0))
    finally:
        server.shutdown()
        server.server_close()
    assert lookups == ["rebind.example"]
    assert got.content.startswith(b"The ferry") and got.url.startswith("http://rebind.example")
    assert _Echo.seen[-1] == f"rebind.example:{port}"


# -- outputs -----------------------------------------------------------------------------------
def test_export_and_brief_to_a_folder_are_clear_errors(db: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        export_command(db, "jsonl", str(tmp_path))
    with pytest.raises(InputError, match="is a folder"):
        brief_command(db, None, "md", str(tmp_path))
    n = export_command(db, "jsonl", str(tmp_path / "out" / "docs.jsonl"))
    assert n > 0 and (tmp_path / "out" / "docs.jsonl").stat().st_size > 0


def test_terminal_output_strips_control_characters() -> None:
    assert strip_controls("a\x1b]0;owned\x07b\x1b[2Jc\x9bd\ne\tf") == "a]0;ownedb[2Jcd\ne\tf"
    out = io.StringIO()
    console = SafeConsole(file=out, force_terminal=True, width=80)
    console.print("[bold]title[/bold] \x1b]0;owned\x07 text")
    printed = out.getvalue()
    assert "\x1b]0;" not in printed and "\x07" not in printed
    assert "\x1b[1m" in printed  # the console's own styles still render


def test_a_redirect_to_a_refused_address_is_never_followed(monkeypatch) -> None:
    """A page on an allowed server (127.0.0.1 counts as public here, nothing else does)
    redirects to the cloud metadata range and to a 6to4 address: both refused before any
    connection to them."""
    real_blocked = urls._blocked
    monkeypatch.setattr(urls, "_blocked",
                        lambda ip: False if str(ip) == "127.0.0.1" else real_blocked(ip))
    targets = iter(["http://100.100.100.200/latest/meta-data/", "http://[2002:7f00:1::1]/"])

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", next(targets))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for _ in range(2):
            with pytest.raises(FetchError, match="private or reserved"):
                urls.fetch(f"http://127.0.0.1:{server.server_address[1]}/",
                           Settings.load(fetch_timeout=5.0))
    finally:
        server.shutdown()
        server.server_close()


def test_api_writes_go_on_while_an_ingest_runs(db: str, monkeypatch) -> None:
    """An ingest holds this server's ingest lock for its whole run; a watch is saved
    meanwhile, and a second ingest that waits too long is told the server is busy."""
    from storyline.serve import api

    monkeypatch.setattr(api, "BUSY_TIMEOUT_MS", 200)
    app = create_app(db)
    c = TestClient(app, raise_server_exceptions=False)
    app.state.write_lock.acquire()  # an ingest is running
    try:
        assert c.post("/api/watches", json={"name": "meanwhile", "keywords": ["ferry"]}).status_code == 201
        err = _error(c.post("/api/ingest", json={"text": "The ferry sails."}), 503)
        assert err["code"] == "S203"
    finally:
        app.state.write_lock.release()


def test_a_fetch_tries_each_checked_address_in_turn() -> None:
    """No network: a mock transport refuses the first address (an IPv6 route this machine
    lacks) and answers on the second; the name stays in the Host header."""
    import httpx

    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers["host"]))
        if request.url.host == "2001:db8::1":
            raise httpx.ConnectError("unreachable", request=request)
        return httpx.Response(200, text="ok")

    addresses = [ipaddress.ip_address("2001:db8::1"), ipaddress.ip_address("192.0.2.7")]
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        resp = urls._connect(client, "http://news.example/story", addresses)
        assert resp.status_code == 200
        resp.close()
    assert seen == [("2001:db8::1", "news.example"), ("192.0.2.7", "news.example")]
