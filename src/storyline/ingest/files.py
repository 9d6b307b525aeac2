"""read_inputs: files, folders, URLs and URL lists in; RawDocuments (or InputErrors) out.

Each bad input yields an InputError naming it, and reading goes on with the next one.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from storyline.errors import (
    BinaryInput,
    EmptyInput,
    EncodingError,
    InputError,
    MalformedInput,
    TooLarge,
    UnsupportedInput,
)
from storyline.ingest.feeds import parse_feed
from storyline.ingest.html import extract_html
from storyline.ingest.jsonl import parse_json
from storyline.ingest.meta import build_meta, read_sidecar
from storyline.ingest.urls import fetch, is_url, read_url_list
from storyline.records import DocMeta, RawDocument
from storyline.settings import Settings

log = logging.getLogger(__name__)

TEXT = {".txt", ".text"}
HTML = {".html", ".htm", ".xhtml"}
FEED = {".xml", ".rss", ".atom"}
JSON = {".json"}
JSONL = {".jsonl", ".ndjson"}
URLS = {".urls"}
SUPPORTED = TEXT | HTML | FEED | JSON | JSONL | URLS
SIDECAR = ".meta.json"
LATIN1_NOTE = "latin-1 (not UTF-8)"
# Documentation that sits next to articles in a folder is not an article.
_DOC_FILES = re.compile(r"^(readme|license|licence|changelog)(\..*)?$", re.IGNORECASE)
_CONTROL = set(range(32)) - {9, 10, 12, 13}
# Unicode categories of characters that show nothing: controls, format characters (ZWSP,
# BOM, bidi marks), separators, unassigned and private-use code points.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}


def display_path(path: Path | str) -> str:
    """A path as text that can be stored and printed: bytes of a file name that are not
    UTF-8 (kept by Python as surrogates) are written as \\xNN escapes."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _check_binary(data: bytes, source: str) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not _looks_8bit(data):
        return
    head = data[:65536]
    if b"\x00" in head:
        raise BinaryInput("binary data (NUL bytes), not text", source=source)
    controls = sum(1 for b in head if b in _CONTROL)
    if controls / max(len(head), 1) > 0.05:
        raise BinaryInput(f"binary data ({controls} control bytes in the first {len(head)})",
                          source=source)


def _looks_8bit(data: bytes) -> bool:
    """Bytes after a UTF-16 byte-order mark that are 8-bit text all the same: most pairs
    of bytes are two printable ASCII characters (a Latin-1 file that happens to start with
    "ÿþ"). UTF-16 text of a Latin or Cyrillic script has a NUL or control byte in every
    pair; CJK ideographs have both bytes printable ASCII in about a fifth of the pairs,
    Hangul in none."""
    body = data[2:2 + 8192]
    pairs = [body[i:i + 2] for i in range(0, len(body) - 1, 2)]
    if not pairs:
        return False
    ascii_pairs = sum(1 for p in pairs if all(32 <= b < 127 or b in (9, 10, 13) for b in p))
    return ascii_pairs / len(pairs) > 0.7


def decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str | None]:
    """Text and an encoding note: UTF-8 (BOM allowed) first, then a declared charset, then
    cp1252/latin-1, accepted with the note "latin-1 (not UTF-8)"."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not _looks_8bit(data):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise EncodingError(f"undecodable UTF-16: {exc.reason}", source=source) from exc
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if declared and codecs.lookup(declared).name not in ("utf-8",):
        try:
            return data.decode(declared), f"{declared} (declared)"
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("cp1252"), LATIN1_NOTE
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    # Latin-1 decodes anything; many C1 control characters mean it was not Latin-1 at all.
    c1 = sum(1 for ch in text if 0x80 <= ord(ch) <= 0x9F)
    if c1 / max(len(text), 1) > 0.01:
        raise EncodingError("not UTF-8 and not Latin-1 text", source=source)
    return text, LATIN1_NOTE


def _declared_charset(data: bytes) -> str | None:
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.-]+)", data[:4096], re.IGNORECASE)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore")
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _documents(kind: str, text: str, source: str, *, sidecar: DocMeta | None,
               flags: DocMeta | None, notes: dict[str, str], url: str | None = None,
               doc_kind: str | None = None) -> Iterator[RawDocument | InputError]:
    """Documents of one decoded input of the given format."""
    if not has_visible_text(text):
        yield EmptyInput("only whitespace or invisible characters", source=source)
        return
    for item in _documents_of(kind, text, source, sidecar=sidecar, flags=flags, notes=notes,
                              url=url, doc_kind=doc_kind):
        if isinstance(item, RawDocument) and not has_visible_text(item.text):
            yield EmptyInput("only whitespace or invisible characters", source=item.source)
        elif isinstance(item, RawDocument):
            yield _scrubbed(item)
        else:
            yield item


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(value: str) -> str:
    """Lone surrogates (a JSON "\\ud800") are no text and cannot be stored: U+FFFD."""
    return _SURROGATE.sub("\ufffd", value)


def _scrubbed(doc: RawDocument) -> RawDocument:
    doc.text, doc.source = _scrub(doc.text), _scrub(doc.source)
    meta = doc.meta
    for name in ("outlet", "wire", "published", "title", "author", "language", "url"):
        if isinstance(value := getattr(meta, name), str):
            setattr(meta, name, _scrub(value))
    meta.provenance = {_scrub(str(k)): _scrub(str(v)) for k, v in meta.provenance.items()}
    return doc


def has_visible_text(text: str) -> bool:
    """Whether a text holds a character that shows: not a space, a control or an invisible
    format character (zero-width space, byte-order mark, line separator, ...)."""
    return any(not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE for ch in text)


def _documents_of(kind: str, text: str, source: str, *, sidecar: DocMeta | None,
                  flags: DocMeta | None, notes: dict[str, str], url: str | None = None,
                  doc_kind: str | None = None) -> Iterator[RawDocument | InputError]:
    if kind == "html":
        body, page = extract_html(text, source, url=url)
        meta = build_meta(body, sidecar=sidecar, page=page, page_origin="page", flags=flags,
                          extra=notes)
        yield RawDocument(source=source, text=body, meta=meta, kind=doc_kind or "html")
    elif kind in ("feed", "json", "jsonl"):
        items = parse_feed(text, source) if kind == "feed" else \
            parse_json(text, source, lines=kind == "jsonl")
        origin = "feed" if kind == "feed" else "jsonl"
        for item in items:
            if isinstance(item, InputError):
                yield item
                continue
            item_source, body, page = item
            if page.url is None and url is not None:
                page.url = url
            meta = build_meta(body, sidecar=sidecar, page=page, page_origin=origin,
                              flags=flags, extra=notes)
            yield RawDocument(source=item_source, text=body, meta=meta,
                              kind=doc_kind or ("feed" if kind == "feed" else "jsonl"))
    else:
        url_meta = DocMeta(url=url) if url else None
        meta = build_meta(text, sidecar=sidecar, page=url_meta, flags=flags, extra=notes)
        yield RawDocument(source=source, text=text, meta=meta, kind=doc_kind or "text")


def _kind_of_suffix(path: Path) -> str | None:
    suffix = path.suffix.lower()
    for kind, group in (("text", TEXT), ("html", HTML), ("feed", FEED), ("json", JSON),
                        ("jsonl", JSONL), ("urls", URLS)):
        if suffix in group:
            return kind
    return None


def read_file(path: Path, settings: Settings,
              flags: DocMeta | None = None) -> Iterator[RawDocument | InputError]:
    """Documents of one file (several for a feed, a JSON list, JSON Lines or a URL list)."""
    source = display_path(path)
    if path.name.lower().endswith(SIDECAR):
        yield UnsupportedInput("a metadata sidecar, read with its article, not an article",
                               source=source)
        return
    kind = _kind_of_suffix(path)
    if kind is None:
        yield UnsupportedInput(
            f"unsupported file type {path.suffix or '(no extension)'!r}; expected one of "
            f"{', '.join(sorted(SUPPORTED))}", source=source)
        return
    size = path.stat().st_size  # checked before reading: a huge file is never loaded
    if size == 0:
        yield EmptyInput("the file is empty", source=source)
        return
    if size > settings.max_bytes:
        yield TooLarge(f"{size:,} bytes is over the limit of {settings.max_bytes:,} "
                       "(settings.max_bytes)", source=source)
        return
    with path.open("rb") as fh:
        data = fh.read(settings.max_bytes + 1)
    _check_binary(data, source)
    text, note = decode(data, source, _declared_charset(data) if kind == "html" else None)
    text = _normalise(text)
    notes = {"encoding": note} if note else {}
    try:
        sidecar = read_sidecar(path)
    except InputError as exc:
        yield exc  # a broken sidecar is reported; the article is still read without it
        sidecar = None
    urls = read_url_list(text) if kind in ("urls", "text") else None
    if urls is not None:  # a .urls file, or a .txt that holds only URLs
        for url in urls:
            yield from _guarded(read_url(url, settings, flags), url)
        return
    if kind == "urls":
        yield MalformedInput("a URL list must hold one http(s) URL per line", source=source)
        return
    yield from _documents(kind, text, source, sidecar=sidecar, flags=flags, notes=notes)


def _sniff(content: bytes, media: str) -> str:
    head = content[:2048].lstrip().lower()
    if media in ("text/html", "application/xhtml+xml"):
        return "html"
    if media in ("application/rss+xml", "application/atom+xml", "application/feed+json"):
        return "feed"
    if media in ("application/json", "application/ld+json"):
        return "json"
    if media in ("application/x-ndjson", "application/jsonl"):
        return "jsonl"
    if media.endswith("xml") or head.startswith(b"<?xml"):
        return "feed" if (b"<rss" in head or b"<feed" in head or b"<rdf" in head) else "html"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if media.startswith("text/") or not media:
        return "text"
    return "unsupported"


def read_url(url: str, settings: Settings,
             flags: DocMeta | None = None) -> Iterator[RawDocument | InputError]:
    """Documents of one URL: fetched, then read by its content type."""
    try:
        got = fetch(url, settings)
        if not got.content:
            yield EmptyInput("the download is empty", source=url)
            return
        kind = _sniff(got.content, got.content_type)
        if kind == "unsupported":
            yield UnsupportedInput(f"unsupported content type {got.content_type!r}", source=url)
            return
        _check_binary(got.content, url)
        text, note = decode(got.content, url, got.charset)
        notes = {"encoding": note} if note else {}
        yield from _documents(kind, _normalise(text), url, sidecar=None, flags=flags,
                              notes=notes, url=got.url, doc_kind="url")
    except InputError as exc:
        yield exc


def _walk(folder: Path, follow_links: bool = False) -> Iterator[Path | InputError]:
    """Article files under a folder, sorted; hidden files, sidecars and READMEs skipped.

    A symbolic link that leads out of the folder (`passwd.txt -> /etc/passwd`) is refused
    by name unless `follow_links`: ingesting a folder reads what is in it.
    """
    root = folder.resolve()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.name.lower().endswith(SIDECAR) or _DOC_FILES.match(path.name):
            continue
        if not follow_links and not path.resolve().is_relative_to(root) \
                and not _linked_page(path):
            yield UnsupportedInput("a link to a file outside the folder, not followed "
                                   "(--follow-links reads it)", source=display_path(path))
            continue
        yield path


_MARKUP = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_TAG = re.compile(rb"</?[a-zA-Z][a-zA-Z0-9]{0,9}[\s>/]")


def _linked_page(path: Path) -> bool:
    """A link out of the folder that names a web page (.html/.htm) and leads to one (its
    first 4 KB hold HTML markup: a doctype, <html>, or five tags) is read: collections of
    saved pages are staged as links. Any other file outside the folder (a `passwd.txt` leading to /etc/passwd, a key file
    behind `page.html`) needs --follow-links."""
    if _kind_of_suffix(path) != "html":
        return False
    try:
        target = path.resolve(strict=True)
        if not target.is_file():
            return False
        with target.open("rb") as fh:
            head = fh.read(4096)
    except (OSError, RuntimeError):
        return False
    # markup: a doctype or <html>, or tags throughout (pages can open with server warnings)
    return b"\0" not in head and (_MARKUP.search(head) is not None
                                   or len(_TAG.findall(head)) >= 5)


def _guarded(items: Iterator[RawDocument | InputError],
             source: str) -> Iterator[RawDocument | InputError]:
    """Turn an unexpected failure inside one input into an InputError naming it."""
    try:
        yield from items
    except InputError as exc:
        yield exc
    except (OSError, ValueError, LookupError, TypeError, ArithmeticError, RecursionError) as exc:
        log.debug("reading %s failed", source, exc_info=True)
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:300]
        yield MalformedInput(f"could not be read: {type(exc).__name__}: {reason}",
                             source=source)


def read_inputs(inputs: Iterable[str], settings: Settings,
                flags: DocMeta | None = None) -> Iterator[RawDocument | InputError]:
    """Read files, folders (recursively), http(s) URLs and URL-list files.

    Yields a RawDocument per article and an InputError (never raised) per bad input, so the
    caller can report it and go on. `flags` are the lowest-priority metadata defaults.
    """
    for item in inputs:
        item = str(item)
        if is_url(item):
            yield from _guarded(read_url(item, settings, flags), item)
            continue
        path = Path(item)
        if path.is_dir():
            for file in _walk(path, bool(getattr(settings, "follow_links", False))):
                if isinstance(file, InputError):
                    yield file
                    continue
                yield from _guarded(read_file(file, settings, flags), display_path(file))
        elif path.is_file():
            yield from _guarded(read_file(path, settings, flags), display_path(item))
        elif path.exists():
            yield UnsupportedInput("not a regular file or folder", source=display_path(item))
        else:
            yield InputError("no such file, folder or URL", source=display_path(item))
