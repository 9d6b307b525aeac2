"""The metadata cascade. Highest first:

    sidecar NAME.meta.json  >  page metadata (HTML JSON-LD/OpenGraph/meta tags, feed or JSON
    fields)  >  header lines in the text  >  detected language  >  flags (command-line
    defaults)  >  weak fallbacks ("X told AFP" for the wire, the wire as outlet)

Each layer is normalised first (ISO dates, ISO 639-1 languages, canonical outlet names) so
that an unreadable value in a high layer lets a lower layer speak.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storyline.clean.dates import normalise_date
from storyline.clean.header import apply_fallbacks, scan_header
from storyline.clean.outlets import canonical_outlet
from storyline.errors import MalformedInput
from storyline.ingest.lang import detect_language, normalise_language
from storyline.records import DocMeta

FIELDS = ("outlet", "wire", "published", "title", "author", "language", "url")
# Other spellings accepted in sidecars and JSON records.
ALIASES = {
    "date": "published", "date_str": "published", "published_at": "published", "datePublished": "published",
    "pubDate": "published", "lang": "language", "link": "url", "publisher": "outlet",
    "site_name": "outlet", "headline": "title", "byline": "author", "agency": "wire",
}
# Sidecar keys kept as notes in provenance (e.g. that an article is a translation).
NOTES = ("translated_from", "translation", "note")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):  # JSON-LD style {"name": ...}
        value = value.get("name")
    if isinstance(value, list):
        value = ", ".join(str(_text(v)) for v in value if _text(v))
    value = str(value).strip() if value is not None else None
    return value or None


# A publication date is only kept this far from the ends of the calendar (years 1 and
# 9999): relative times are read against it ("tomorrow", "next year"), and that date
# arithmetic must stay inside the calendar. No news article is dated in those years.
_FIRST_YEAR, _LAST_YEAR = 2, 9997


def _date(value: Any) -> str | None:
    """normalise_date, with values no calendar holds (a timestamp of 400 digits, year 9999)
    read as no date."""
    try:
        iso = normalise_date(value)
    except (OverflowError, ValueError, TypeError, RecursionError):
        return None
    return iso if iso is not None and usable_date(iso) else None


def usable_date(iso: str) -> bool:
    """Whether an ISO date can anchor relative times (far enough from the calendar's ends)."""
    try:
        return _FIRST_YEAR <= int(iso[:4]) <= _LAST_YEAR
    except ValueError:
        return False


def normalise_meta(meta: DocMeta) -> DocMeta:
    """The same metadata with dates in ISO, languages in ISO 639-1 and outlets canonical."""
    out = DocMeta(provenance=dict(meta.provenance))
    out.outlet = canonical_outlet(_text(meta.outlet))
    out.wire = canonical_outlet(_text(meta.wire))
    out.published = _date(meta.published)
    out.title = _text(meta.title)
    out.author = _text(meta.author)
    out.language = normalise_language(_text(meta.language))
    out.url = _text(meta.url)
    return out


def meta_from_mapping(data: dict[str, Any], origin: str) -> DocMeta:
    """DocMeta from a sidecar or JSON record (known keys and their aliases)."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = ALIASES.get(key, key)
        if name in FIELDS and values.get(name) in (None, ""):
            values[name] = value
    meta = DocMeta()
    for k in FIELDS:  # raw values, of any JSON type: normalise_meta makes them text
        setattr(meta, k, values.get(k))
    meta = normalise_meta(meta)
    meta.provenance = {k: origin for k in FIELDS if getattr(meta, k) not in (None, "")}
    for key in NOTES:
        if isinstance(data.get(key), str) and data[key].strip():
            meta.provenance[key] = data[key].strip()
    return meta


def _display(path: Path) -> str:
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def sidecar_for(path: Path) -> Path:
    """NAME.meta.json next to NAME.ext."""
    return path.with_name(path.stem + ".meta.json")


def read_sidecar(path: Path) -> DocMeta | None:
    """The sidecar of `path`, if there is one; raises MalformedInput naming the sidecar."""
    side = sidecar_for(path)
    try:
        if not side.is_file():
            return None
    except OSError:  # e.g. a 255-byte file name: its sidecar's name is too long to exist
        return None
    try:
        data = json.loads(side.read_text("utf-8-sig"))
    except RecursionError as exc:
        raise MalformedInput("metadata sidecar is nested too deeply",
                             source=_display(side)) from exc
    except (OSError, ValueError) as exc:  # UnicodeDecodeError, JSONDecodeError, huge numbers
        raise MalformedInput(f"metadata sidecar is not valid JSON: {str(exc)[:200]}",
                             source=_display(side)) from exc
    if not isinstance(data, dict):
        raise MalformedInput("metadata sidecar must hold a JSON object", source=_display(side))
    return meta_from_mapping(data, "sidecar")


def build_meta(text: str, *, sidecar: DocMeta | None = None, page: DocMeta | None = None,
               page_origin: str = "page", flags: DocMeta | None = None,
               extra: dict[str, str] | None = None) -> DocMeta:
    """Resolve a document's metadata through the cascade (see the module docstring)."""
    meta = DocMeta()
    if sidecar is not None:
        meta.merge(sidecar, "sidecar")
        meta.provenance.update({k: v for k, v in sidecar.provenance.items() if k in NOTES})
    if page is not None:
        meta.merge(normalise_meta(page), page_origin)
        if meta.provenance.get("published") == page_origin and "published_source" in page.provenance:
            # which of the page's sources gave the date (html.page_metadata)
            meta.provenance["published_source"] = page.provenance["published_source"]
        for note in ("metadata_error", "no_article_text"):  # why a page is kept as it is
            if note in page.provenance:
                meta.provenance[note] = page.provenance[note]
    scan = scan_header(text)
    meta.merge(normalise_meta(scan.meta))  # keeps "header" / "header (updated)"
    if str(meta.provenance.get("published", "")).startswith("header"):
        meta.provenance.setdefault("published_source", "body date line")
    if meta.language is None and (lang := detect_language(text)):
        meta.language = lang
        meta.provenance["language"] = "detected"
    if flags is not None:
        meta.merge(normalise_meta(flags), "flag")
    apply_fallbacks(meta, scan)
    if extra:
        meta.provenance.update(extra)
    return meta
