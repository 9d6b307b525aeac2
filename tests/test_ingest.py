"""The ingest stage: every reader, the metadata cascade, bad inputs, and URL fetching against
a local HTTP server started by the tests (no network)."""

from __future__ import annotations

import http.server
import json
import pathlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.errors import (
    BinaryInput,
    EmptyInput,
    FetchError,
    InputError,
    MalformedInput,
    TooLarge,
    UnsupportedInput,
)
from storyline.ingest import detect_language, read_inputs
from storyline.ingest.urls import check_host, is_url
from storyline.records import DocMeta, RawDocument
from storyline.settings import Settings

ARTICLE = ("The regional ferry operator said on Tuesday that it would add two crossings a day "
           "between the islands from next month.\n\n\u201cDemand has doubled since the bridge "
           "closed,\u201d the company's director said.\n")

HTML_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Ferry operator adds crossings - Island Daily</title>
<meta property="og:title" content="Ferry operator adds crossings">
<meta property="og:site_name" content="Island Daily">
<meta name="author" content="Rui Costa">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Ferry operator adds crossings","datePublished":"2026-05-04T09:00:00+01:00",
"publisher":{"@type":"Organization","name":"Island Daily"}}</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="ad">Advertisement</div>
<article><h1>Ferry operator adds crossings</h1>
<p>The regional ferry operator said on Tuesday that it would add two crossings a day between
the islands from next month, after the closure of the old bridge doubled demand.</p>
<p>"Demand has doubled since the bridge closed," the company's director said, adding that
new timetables would be published on its website within a week.</p>
<p>Passenger groups welcomed the decision but asked for lower fares for residents.</p>
</article><footer>Copyright 2031 Island Daily</footer></body></html>"""

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Coastal Wire Digest</title>
  <id>urn:test:feed</id>
  <updated>2026-05-06T10:00:00Z</updated>
  <entry>
    <title>Harbour dredging begins</title>
    <id>urn:test:1</id>
    <link href="https://digest.example/1"/>
    <published>2026-05-05T23:30:00+09:00</published>
    <updated>2026-05-06T01:00:00+09:00</updated>
    <author><name>Lee Min</name></author>
    <content type="html">&lt;p&gt;Dredging of the inner harbour began on Tuesday and is expected to take
    six weeks, the port authority said.&lt;/p&gt;&lt;p&gt;Fishing boats will use the
    outer quay until the work ends.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Ferry fares to rise</title>
    <id>urn:test:2</id>
    <link href="https://digest.example/2"/>
    <updated>2026-05-06T08:00:00Z</updated>
    <summary>Ferry fares between the islands will rise by 5% in June, the operator said on
    Wednesday, citing higher fuel costs.</summary>
  </entry>
</feed>"""


@pytest.fixture()
def settings() -> Settings:
    return Settings.load(max_bytes=1_000_000, fetch_timeout=2.0, allow_private=False)


def read(paths: list[str | Path], settings: Settings, flags: DocMeta | None = None):
    items = list(read_inputs([str(p) for p in paths], settings, flags))
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, InputError)]
    return docs, errors


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- Readers --------------------------------------------------------------------------------

def test_plain_text(tmp_path, settings):
    p = write(tmp_path / "ferry.txt", "Published: May 5, 2026\nBy Rui Costa\n" + ARTICLE)
    docs, errors = read([p], settings)
    assert errors == [] and len(docs) == 1
    doc = docs[0]
    assert doc.kind == "text" and doc.source == str(p)
    assert doc.meta.published == "2026-05-05" and doc.meta.author == "Rui Costa"
    assert doc.meta.provenance["published"] == "header"
    assert doc.meta.language == "en" and doc.meta.provenance["language"] == "detected"
    assert "two crossings a day" in doc.text


def test_html_page_text_and_metadata(tmp_path, settings):
    p = write(tmp_path / "page.html", HTML_PAGE)
    docs, errors = read([p], settings)
    assert errors == []
    doc = docs[0]
    assert doc.kind == "html"
    assert doc.text.startswith("Ferry operator adds crossings")
    assert "Passenger groups welcomed the decision" in doc.text
    assert "Advertisement" not in doc.text and "Home" not in doc.text
    assert doc.meta.outlet == "Island Daily" and doc.meta.author == "Rui Costa"
    assert doc.meta.published == "2026-05-04"
    assert doc.meta.language == "en"
    assert doc.meta.provenance["published"] == "page"


def test_html_date_never_guessed_from_body(tmp_path, settings):
    page = HTML_PAGE.replace('"datePublished":"2026-05-04T09:00:00+01:00",', "")
    docs, _ = read([write(tmp_path / "nodate.html", page)], settings)
    assert docs[0].meta.published is None  # not the copyright year, not a body date


def test_feed_one_document_per_entry(tmp_path, settings):
    p = write(tmp_path / "digest.atom", FEED)
    docs, errors = read([p], settings)
    assert errors == [] and len(docs) == 2
    first, second = docs
    assert first.source == f"{p}#1" and second.source == f"{p}#2"
    assert first.kind == "feed"
    assert first.meta.outlet == "Coastal Wire Digest"
    assert first.meta.published == "2026-05-05"  # the stated local date, not shifted to UTC
    assert first.meta.author == "Lee Min" and first.meta.url == "https://digest.example/1"
    assert first.text.startswith("Harbour dredging begins\n")
    assert "Fishing boats will use the\n" not in first.text  # HTML turned into paragraphs
    assert "outer quay until the work ends." in first.text
    assert second.meta.published == "2026-05-06"
    assert "rise by 5% in June" in second.text


def test_json_object_list_and_lines(tmp_path, settings):
    record = {"title": "Bridge repairs delayed", "content": "Repairs to the old bridge will "
              "take another three months, engineers said on Friday.", "outlet": "Island Daily",
              "date": "8 May 2026", "lang": "en-GB", "url": "https://example.org/b"}
    obj = write(tmp_path / "one.json", json.dumps(record))
    lst = write(tmp_path / "many.json", json.dumps([record, {**record, "title": "Second"}]))
    lines = write(tmp_path / "feed.jsonl", "\n".join([
        json.dumps({"body": "<p>The harbour reopened on Monday.</p><p>Ships queued.</p>",
                    "published": "2026-05-11", "wire": "Reuters"}),
        "",
        "{not json",
        json.dumps({"title": "no text here"}),
    ]))
    docs, errors = read([obj, lst, lines], settings)
    assert [d.source for d in docs] == [str(obj), f"{lst}#1", f"{lst}#2", f"{lines}#1"]
    one = docs[0]
    assert one.kind == "jsonl"
    assert one.meta.published == "2026-05-08" and one.meta.language == "en"
    assert one.meta.outlet == "Island Daily" and one.meta.provenance["outlet"] == "jsonl"
    assert one.text.startswith("Bridge repairs delayed\n\nRepairs to the old bridge")
    assert docs[3].text == "The harbour reopened on Monday.\n\nShips queued."
    assert docs[3].meta.wire == "Reuters"
    # the bad lines are reported by line number and the good ones still read
    assert sorted(e.source for e in errors) == [f"{lines}#3", f"{lines}#4"]
    assert all(isinstance(e, MalformedInput) for e in errors)


def test_folder_walk_is_recursive_and_skips_hidden_sidecars_and_readmes(tmp_path, settings):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "a.meta.json", json.dumps({"outlet": "Island Daily"}))
    write(tmp_path / "sub" / "b.txt", ARTICLE.replace("Tuesday", "Monday"))
    write(tmp_path / ".hidden.txt", ARTICLE)
    write(tmp_path / ".git" / "c.txt", ARTICLE)
    write(tmp_path / "README.md", "About these files.")
    docs, errors = read([tmp_path], settings)
    assert errors == []
    assert [Path(d.source).name for d in docs] == ["a.txt", "b.txt"]
    assert docs[0].meta.outlet == "Island Daily"


# --- Metadata cascade ------------------------------------------------------------------------

def test_cascade_sidecar_beats_page_beats_header_beats_flags(tmp_path, settings):
    page = HTML_PAGE.replace("<article>", "<article><p>By Jane Roe</p>")
    p = write(tmp_path / "story.html", page)
    write(tmp_path / "story.meta.json", json.dumps({"outlet": "Sidecar Weekly",
                                                    "translated_from": "pt"}))
    flags = DocMeta(outlet="Flag Outlet", wire="Flag Wire", author="Flag Author",
                    published="2020-01-01")
    doc = read([p], settings, flags)[0][0]
    assert doc.meta.outlet == "Sidecar Weekly" and doc.meta.provenance["outlet"] == "sidecar"
    assert doc.meta.published == "2026-05-04" and doc.meta.provenance["published"] == "page"
    assert doc.meta.author == "Rui Costa"  # page metadata beats the body's byline
    assert doc.meta.wire == "Flag Wire" and doc.meta.provenance["wire"] == "flag"
    assert doc.meta.provenance["translated_from"] == "pt"


def test_cascade_header_beats_flags(tmp_path, settings):
    p = write(tmp_path / "h.txt", "date 2026-05-09 Strait Observer\n" + ARTICLE)
    flags = DocMeta(outlet="Flag Outlet", published="2020-01-01", language="fr")
    doc = read([p], settings, flags)[0][0]
    assert doc.meta.outlet == "Strait Observer" and doc.meta.provenance["outlet"] == "header"
    assert doc.meta.published == "2026-05-09"
    assert doc.meta.language == "en"  # detected from the text beats a default
    bare = read([write(tmp_path / "bare.txt", ARTICLE)], settings, flags)[0][0]
    assert bare.meta.outlet == "Flag Outlet" and bare.meta.provenance["outlet"] == "flag"
    assert bare.meta.published == "2020-01-01"


def test_sidecar_date_normalised_and_broken_sidecar_reported(tmp_path, settings):
    p = write(tmp_path / "s.txt", ARTICLE)
    write(tmp_path / "s.meta.json", json.dumps({"published": "May 7, 2026", "wire": "afp"}))
    doc = read([p], settings)[0][0]
    assert doc.meta.published == "2026-05-07" and doc.meta.wire == "AFP"
    q = write(tmp_path / "t.txt", ARTICLE)
    write(tmp_path / "t.meta.json", "{broken")
    docs, errors = read([q], settings)
    assert len(docs) == 1  # the article is still read
    assert errors[0].source.endswith("t.meta.json") and isinstance(errors[0], MalformedInput)


def test_language_detection():
    assert detect_language("Le port a rouvert lundi apr\u00e8s une semaine de gr\u00e8ve des "
                           "dockers, a annonc\u00e9 la direction.") == "fr"
    assert detect_language("Short") is None


# --- Bad inputs ------------------------------------------------------------------------------

def test_bad_inputs_each_yield_a_named_error_and_reading_goes_on(tmp_path, settings):
    good = write(tmp_path / "good.txt", ARTICLE)
    bad = {
        "empty.txt": (b"", EmptyInput),
        "blank.txt": (b"  \n\n  ", EmptyInput),
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, BinaryInput),
        "controls.txt": (bytes(range(1, 9)) * 50 + b"text", BinaryInput),
        "scripts.html": (b"<html><body><script>var a = 1;</script></body></html>",
                         MalformedInput),
        "broken.xml": (b"<rss><channel><item><title>x</title", MalformedInput),
        "slides.pptx": (b"PK\x03\x04 not an article", UnsupportedInput),
        "broken.json": (b"{\"text\": ", MalformedInput),
    }
    paths = [write(tmp_path / name, data) for name, (data, _) in bad.items()]
    missing = tmp_path / "missing.txt"
    docs, errors = read([*paths, missing, good], settings)
    assert [d.source for d in docs] == [str(good)]
    by_source = {e.source: e for e in errors}
    for name, (_, kind) in bad.items():
        err = by_source[str(tmp_path / name)]
        assert isinstance(err, kind), (name, err)
        assert str(tmp_path / name) in str(err) and err.code.startswith("S1")
    assert type(by_source[str(missing)]) is InputError


def test_huge_file_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # a sparse 50 MB file
        fh.truncate(50 * 1024 * 1024)
    opened: list[str] = []
    real_open = pathlib.Path.open

    def spy(self, *args, **kwargs):
        opened.append(str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", spy)
    start = time.perf_counter()
    docs, errors = read([big], Settings.load(max_bytes=20_000_000))
    assert time.perf_counter() - start < 1.0
    assert docs == [] and isinstance(errors[0], TooLarge) and "huge.txt" in str(errors[0])
    assert str(big) not in opened


def test_latin1_and_bom(tmp_path, settings):
    latin = write(tmp_path / "latin.txt", ("Le caf\u00e9 du port a rouvert ses portes lundi, "
                                           "a d\u00e9clar\u00e9 le g\u00e9rant.").encode("latin-1"))
    bom = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    docs, errors = read([latin, bom], settings)
    assert errors == []
    assert "caf\u00e9 du port" in docs[0].text
    assert docs[0].meta.provenance["encoding"] == "latin-1 (not UTF-8)"
    assert docs[1].text.startswith("The regional ferry") and "encoding" not in docs[1].meta.provenance


# --- URLs ------------------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # close after each response: chunk-less bodies end at EOF

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, body: bytes, ctype: str, length: bool = True, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/page":
            self._send(HTML_PAGE.encode(), "text/html; charset=utf-8")
        elif self.path == "/feed":
            self._send(FEED.encode(), "application/atom+xml")
        elif self.path == "/plain":
            self._send(ARTICLE.encode("cp1252"), "text/plain")
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
        elif self.path == "/big":
            self._send(b"a " * 600_000, "text/plain")
        elif self.path == "/big-stream":
            self._send(b"a " * 600_000, "text/plain", length=False)
        elif self.path == "/slow":
            time.sleep(3)
            self._send(b"late", "text/plain")
        elif self.path == "/image":
            self._send(b"\x89PNG\r\n", "image/png")
        else:
            self._send(b"not found", "text/plain", status=404)


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client hangs up on purpose in the size-cap and timeout tests


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def local() -> Settings:
    return Settings.load(max_bytes=1_000_000, fetch_timeout=1.0, allow_private=True)


def test_fetch_html_feed_and_text(server, local):
    docs, errors = read([f"{server}/page", f"{server}/feed", f"{server}/plain"], local)
    assert errors == []
    assert len(docs) == 4
    page = docs[0]
    assert page.kind == "url" and page.source == f"{server}/page"
    assert page.meta.outlet == "Island Daily" and page.meta.published == "2026-05-04"
    assert page.meta.url == f"{server}/page"
    assert docs[1].source == f"{server}/feed#1" and docs[1].meta.published == "2026-05-05"
    assert "two crossings a day" in docs[3].text


def test_fetch_follows_redirects(server, local):
    docs, _ = read([f"{server}/moved"], local)
    assert docs[0].meta.url == f"{server}/page"


def test_private_addresses_refused_without_allow_private(server, settings):
    docs, errors = read([f"{server}/page"], settings)
    assert docs == [] and isinstance(errors[0], FetchError)
    assert "private" in errors[0].message and errors[0].source == f"{server}/page"
    for url in ("http://10.1.2.3/", "http://169.254.169.254/latest", "http://[::1]:8080/",
                "http://192.168.0.1/", "http://0.0.0.0/"):
        with pytest.raises(FetchError):
            check_host(url, allow_private=False)
    check_host("http://93.184.216.34/", allow_private=False)  # a public literal: allowed
    with pytest.raises(FetchError):
        check_host("ftp://93.184.216.34/", allow_private=True)


def test_download_size_cap(server, local):
    for path in ("/big", "/big-stream"):  # declared length, then a body without one
        docs, errors = read([f"{server}{path}"], local)
        assert docs == [] and isinstance(errors[0], TooLarge), path


def test_fetch_timeout(server, local):
    start = time.perf_counter()
    docs, errors = read([f"{server}/slow"], local)
    assert time.perf_counter() - start < 2.5
    assert docs == [] and isinstance(errors[0], FetchError) and "timed out" in errors[0].message


def test_http_errors_and_unsupported_types(server, local):
    _, errors = read([f"{server}/nothing", f"{server}/image"], local)
    assert isinstance(errors[0], FetchError) and "404" in errors[0].message
    assert isinstance(errors[1], UnsupportedInput)


def test_url_list_files(tmp_path, server, local):
    listing = write(tmp_path / "reading.urls", f"# today\n{server}/page\n\n{server}/plain\n")
    as_txt = write(tmp_path / "links.txt", f"{server}/plain\n")
    docs, errors = read([listing, as_txt], local)
    assert errors == []
    assert [d.source for d in docs] == [f"{server}/page", f"{server}/plain", f"{server}/plain"]
    assert docs[1].meta.provenance["encoding"] == "latin-1 (not UTF-8)"


def test_is_url():
    assert is_url("https://example.org/a?b=1") and is_url("HTTP://example.org")
    assert not is_url("example.org/page") and not is_url("file:///etc/passwd")
