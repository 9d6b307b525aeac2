"""The hostile-input corpus, written at test time (no binaries in the repository).

`build(folder)` writes every kind of bad, odd or hostile input Storyline must survive and
returns what ingesting the folder must give for each: "ok" (stored), or the code of the
error that names it ("S101" empty, "S102" binary, "S103" too large, "S104" encoding,
"S105" malformed, "S106" unsupported, "S107" refused URL). A source that is skipped on
purpose (hidden files, READMEs) is listed as "skip". Every text here was written for this
corpus.

    python tests/hostile/make_corpus.py DIR     # write the corpus to look at it
"""

from __future__ import annotations

import codecs
import json
import os
import random
import sys
from pathlib import Path

# A short article of our own; each file varies it so that no two are the same document.
ARTICLE = ("The harbour authority said on Tuesday that the ferry {n} would resume crossings "
           "to the northern islands next week, after repairs to its engine were finished.")

# Settings the corpus is read with (small limits keep it fast).
MAX_BYTES = 200_000
MAX_CHARS = 20_000


def article(n: object) -> str:
    return ARTICLE.format(n=n)


def _b(text: str) -> bytes:
    return text.encode("utf-8")


def build(folder: Path) -> dict[str, str]:
    """Write the corpus into `folder`; {source name (relative, as ingest names it): outcome}."""
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}
    rng = random.Random(15)

    def put(name: str | bytes, data: bytes, outcome: str | None = None) -> None:
        path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes)
                            else os.fsencode(name))
        with open(path, "wb") as fh:
            fh.write(data)
        if outcome is not None:
            shown = os.fsdecode(name if isinstance(name, bytes) else os.fsencode(name))
            shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            expect[shown] = outcome

    # -- empty, blank, invisible ---------------------------------------------------------
    put("empty.txt", b"", "S101")
    put("spaces.txt", b"   \n\n\t  \n", "S101")
    put("invisible.txt", _b("\u00a0\u200b\ufeff\u2028\u200b\u00a0\n"), "S101")
    put("bidi-marks.txt", _b("\u200e\u200f\u202a\u202c\u2066\u2069\n"), "S101")
    put("only-bom.txt", codecs.BOM_UTF8, "S101")
    put("nbsp-lines.txt", _b("\u00a0\n" * 50), "S101")
    # -- binary ----------------------------------------------------------------------------
    put("nul.txt", b"text\x00with\x00nul\x00bytes" * 10, "S102")
    put("controls.txt", bytes(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) for _ in range(400)),
        "S102")
    put("random.txt", bytes(rng.randrange(256) for _ in range(4096)), "S102")
    put("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "S102")
    put("gzip.json", b"\x1f\x8b\x08\x00" + bytes(rng.randrange(256) for _ in range(512)), "S102")
    put("pdf.html", b"%PDF-1.7\n\x00\x01\x02" + bytes(range(256)), "S102")
    # -- encodings -------------------------------------------------------------------------
    put("utf16le.txt", codecs.BOM_UTF16_LE + article("utf16le").encode("utf-16-le"), "ok")
    put("utf16be.txt", codecs.BOM_UTF16_BE + article("utf16be").encode("utf-16-be"), "ok")
    put("utf16-truncated.txt", codecs.BOM_UTF16_LE + article("t").encode("utf-16-le")[:-1],
        "S104")
    put("utf8-bom.txt", codecs.BOM_UTF8 + _b(article("bom")), "ok")
    put("latin1.txt", ("Caf\xe9 " + article("latin1")).encode("latin-1"), "ok")
    put("latin1-fffe.txt", b"\xff\xfe" + ("caf\xe9 soci\xe9t\xe9 " + article("fffe"))
        .encode("latin-1"), "ok")
    put("cp1252-quotes.txt", ("\u201cQuoted\u201d " + article("cp1252")).encode("cp1252"), "ok")
    put("c1-garbage.txt", bytes([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x41]) * 200, "S104")
    put("crlf.txt", _b(article("crlf").replace(" ", "\r\n", 3)), "ok")
    put("cr-only.txt", _b(article("cr").replace(" ", "\r", 3)), "ok")
    put("escapes.txt", _b("\x1b]0;owned\x07\x1b[2J" + article("escapes")), "ok")
    put("overlong-utf8.txt", b"\xc0\xaf\xe0\x80\xaf " + _b(article("overlong")), "ok")
    put("mixed-scripts.txt", _b("\u0645\u0631\u062d\u0628\u0627 \u4f60\u597d " +
                                article("scripts")), "ok")
    put("rtl-override.txt", _b("\u202e" + article("rtl")), "ok")
    put("combining.txt", _b("e\u0301" * 300 + " " + article("combining")), "ok")
    # -- sizes ------------------------------------------------------------------------------
    put("too-many-bytes.txt", _b(article("big") + "\n\n") * (MAX_BYTES // 100), "S103")
    put("too-many-chars.txt", _b("\n\n".join(article(i) for i in range(MAX_CHARS // 100))),
        "S103")
    put("one-long-line.txt", _b(" ".join(article(i) for i in range(100))), "ok")
    put("many-short-lines.txt", _b("\n".join(f"Line {i} said the harbour authority."
                                             for i in range(300))), "ok")
    # -- names ------------------------------------------------------------------------------
    put("n" * 251 + ".txt", _b(article("long name")), "ok")
    put(b"not-utf8-\xff\xfe.txt", _b(article("bytes name")), "ok")
    put("new\nline.txt", _b(article("newline name")), "ok")
    put("esc\x1b[31mred.txt", _b(article("escape name")), "ok")
    put("spaces and 'quotes' \"here\".txt", _b(article("quoted name")), "ok")
    put("\u202etxt.exe.txt", _b(article("rtl name")), "ok")
    put("--db=x.txt", _b(article("option name")), "ok")
    put("UPPER.TXT", _b(article("upper")), "ok")
    put(".hidden.txt", _b(article("hidden")), None)  # skipped by design: no outcome
    put("README.txt", _b("About this folder."), None)
    put("no-extension", _b(article("noext")), "S106")
    put("document.pdf", b"%PDF-1.4\n" + _b(article("pdf")), "S106")
    put("archive.tar.gz", b"\x1f\x8b\x08\x00", "S106")
    put("orphan.meta.json", b"{}", None)  # a sidecar with no article: skipped
    (folder / "a-folder.txt").mkdir(exist_ok=True)
    # -- sidecars ---------------------------------------------------------------------------
    put("side-broken.txt", _b(article("side broken")), "ok")
    put("side-broken.meta.json", b"{not json", None)
    expect["side-broken.meta.json"] = "S105"
    put("side-list.txt", _b(article("side list")), "ok")
    put("side-list.meta.json", b"[1, 2]", None)
    expect["side-list.meta.json"] = "S105"
    put("side-bigdate.txt", _b(article("side bigdate")), "ok")
    put("side-bigdate.meta.json", b'{"date": 1' + b"0" * 400 + b', "outlet": "X"}', None)
    put("side-deep.txt", _b(article("side deep")), "ok")
    put("side-deep.meta.json", b"[" * 100_000, None)
    expect["side-deep.meta.json"] = "S105"
    # -- edge dates in header lines ---------------------------------------------------------
    for i, date in enumerate(["9999-12-31", "0001-01-01", "0000-00-00", "2026-02-30",
                              "2026-13-01", "99999-01-01", "1970-01-01", "2038-01-19",
                              "9998-12-31", "0002-01-01"]):
        put(f"date-{i}.txt", _b(f"date {date} Harbor Times\n\nThe minister said yesterday "
                                f"and tomorrow that {article(f'date {i}')}"), "ok")
    # -- JSON -------------------------------------------------------------------------------
    put("deep-list.json", b"[" * 100_000, "S105")
    put("deep-object.json", b'{"a":' * 20_000 + b"1" + b"}" * 20_000, "S105")
    put("truncated.json", b'{"text": "' + _b(article("trunc")), "S105")
    put("scalar.json", b"42", "S105")
    put("empty-list.json", b"[]", "S101")
    put("text-number.json", b'{"text": 12345}', "S105")
    put("text-invisible.json", _b(json.dumps({"text": "\u200b\u00a0\ufeff"})), "S101")
    put("surrogate.json", b'{"text": "lone \\ud800 surrogate: ' + _b(article("sur")) + b'"}', "ok")
    for i, value in enumerate(["1" + "0" * 400, "1e308", "-1e20", "NaN", "Infinity", "-0",
                               '"9999-12-31"', '"0001-01-01"', '[2026, 3, 1]',
                               '{"year": 2026}', "true", "null"]):
        put(f"json-date-{i}.json",
            _b(f'{{"text": "{article(f"json date {i}")}", "date": {value}}}'), "ok")
    put("huge-title.json", _b(json.dumps({"text": article("title"), "title": "T" * 5_000})),
        "ok")
    put("nested-title.json", _b(json.dumps({"text": article("nested"),
                                            "title": {"name": {"name": [1, {"x": 2}]}}})), "ok")
    lines = [json.dumps({"text": article("line 1")}),
             '{"text": "digits", "n": 1' + "0" * 5000 + "}",
             "{broken",
             json.dumps({"text": article("line 4")}),
             "[" * 5000,
             json.dumps({"text": article("line 6"), "date": 10 ** 30})]
    put("records.jsonl", _b("\n".join(lines)), None)
    for n, outcome in enumerate(["ok", "S105", "S105", "ok", "S105", "ok"], start=1):
        expect[f"records.jsonl#{n}"] = outcome
    put("list.json", _b(json.dumps([{"text": article("list 1")}, "not an object",
                                    {"text": article("list 3")}])), None)
    for n, outcome in enumerate(["ok", "S105", "ok"], start=1):
        expect[f"list.json#{n}"] = outcome
    # -- HTML -------------------------------------------------------------------------------
    def page(n: str, inside: str = "", attrs: str = "") -> str:
        """A page with enough article text for the extractor (three paragraphs)."""
        paras = "".join(f"<p{attrs}>{inside}{article(f'{n} {i}')} The operator added that "
                        f"timetables for route {i} would follow.</p>" for i in range(3))
        return f"<html><head><title>Ferry {n}</title></head><body><article>{paras}" \
               "</article></body></html>"

    put("unclosed.html", _b(page("unclosed").replace("</p>", "").replace("</article>", "")),
        "ok")
    # deeper than the HTML parser goes: refused by name, never a crash
    put("nested-divs.html", _b("<div>" * 3000 + page("nested") + "</div>" * 3000), "S105")
    put("only-script.html", _b("<html><script>var a = 1;</script></html>"), "S105")
    put("only-comments.html", _b("<!-- nothing here --><!-- or here -->"), "S105")
    put("bogus-charset.html", _b('<meta charset="no-such-charset">' + page("charset")), "ok")
    put("declared-latin1.html", ('<meta charset="iso-8859-1">' + page("decl", "Caf\xe9 "))
        .encode("latin-1"), "ok")
    put("script-in-text.html", _b(page("xss", "&lt;script&gt;alert(1)&lt;/script&gt;"
                                       "<img src=x onerror=alert(2)> ")), "ok")
    put("null-entity.html", _b(page("entity", "&#0;&#x0; ")), "ok")
    put("huge-attr.html", _b(page("attr", attrs=f' title="{"a" * 50_000}"')), "ok")
    # -- feeds ------------------------------------------------------------------------------
    put("empty-feed.rss", b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"</channel></rss>", "S101")
    put("broken-feed.rss", b"<rss><channel><item><title>x", "S105")
    put("xxe.rss", b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/'
        b'passwd">]><rss version="2.0"><channel><title>t</title><item><title>A</title>'
        b"<description>" + _b(article("xxe")) + b" &x;</description></item></channel></rss>",
        None)
    expect["xxe.rss#1"] = "ok"
    laughs = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' +
              b"".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'.encode()
                       for p, c in zip("abcdefgh", "bcdefghi")) +
              b']><rss version="2.0"><channel><title>t</title><item><title>L</title>'
              b"<description>" + _b(article("laughs")) + b" &i;</description></item>"
              b"</channel></rss>")
    put("laughs.rss", laughs, None)
    expect["laughs.rss#1"] = "any"  # refused or read without the expansion: never a hang
    put("feed-no-content.rss", b'<?xml version="1.0"?><rss version="2.0"><channel><title>t'
        b"</title><item><title></title></item></channel></rss>", None)
    expect["feed-no-content.rss#1"] = "any"
    # -- URL lists (no network: every address here is refused before any connection) --------
    for i, url in enumerate(["http://127.0.0.1/", "http://10.0.0.1/", "http://169.254.169.254/",
                             "http://100.100.100.200/", "http://[::1]/", "http://[2002:7f00:1::]/",
                             "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "file:///etc/passwd",
                             "http://user:pass@127.0.0.1:1/"]):
        put(f"url-{i}.urls", _b(url + "\n"), None)
        expect[url] = "S107" if url.startswith("http") else "any"
        if not url.startswith("http"):
            expect.pop(url)
            expect[f"url-{i}.urls"] = "S105"
    put("not-urls.urls", b"this is not a url\n", "S105")
    # -- links ------------------------------------------------------------------------------
    target = folder.parent / f"{folder.name}-outside.txt"
    target.write_bytes(_b(article("outside")))
    try:
        os.symlink(target, folder / "link-out.txt")
        expect["link-out.txt"] = "S106"
        os.symlink("/etc/hostname", folder / "link-etc.txt")
        expect["link-etc.txt"] = "S106"
        os.symlink(folder / "utf8-bom.txt", folder / "link-in.txt")
        expect["link-in.txt"] = "ok"
        os.symlink(folder / "missing.txt", folder / "dangling.txt")  # not a file: skipped
    except OSError:  # a file system without links
        pass
    return expect


if __name__ == "__main__":  # pragma: no cover
    out = build(Path(sys.argv[1]))
    print(json.dumps(out, indent=1, ensure_ascii=False))
