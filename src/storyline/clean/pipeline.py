"""clean_document: header metadata, then the noise rules, then the cleaned text."""

from __future__ import annotations

import copy
import logging
import re
from collections import Counter

from storyline.clean.debris import debris_for
from storyline.clean.glue import repair_text
from storyline.clean.header import apply_fallbacks, header_end, scan_header
from storyline.clean.lines import (
    has_terminal,
    is_blank,
    is_bullet,
    is_caption,
    norm,
    script_counts,
    strip_bullet,
    words,
)
from storyline.clean.rules import RULES, Context, split_doubled
from storyline.records import DocMeta, Document, RawDocument, RemovedLine, document_id

log = logging.getLogger(__name__)

_BLANKS = re.compile(r"\n{3,}")
# The reason of a repair made in place: words split, nothing cut (see clean/glue.py).
GLUED = "glued"


def _title(ctx: Context) -> str | None:
    """The headline: the first kept, headline-shaped line of the header block."""
    for i in range(ctx.header_end):
        line = ctx.lines[i].strip()
        if (line and i not in ctx.removed and not is_bullet(line) and not is_caption(line)
                and not has_terminal(line) and len(words(line)) >= 4):
            return line
    return None


def _headline_line(text: str, title: str | None) -> int | None:
    """The index of the first line when it repeats the page's title (the extractor kept the
    <h1>); None otherwise."""
    if not title:
        return None
    for i, line in enumerate(text.split("\n")[:5]):
        if line.strip():
            return i if norm(line) == norm(title) else None
    return None


def _main_script(text: str) -> str | None:
    counts = script_counts(text)
    total = sum(counts.values())
    if not total:
        return None
    script, n = max(counts.items(), key=lambda kv: kv[1])
    # Only a clearly dominant script makes a line in another script stray.
    return script if n / total >= 0.8 else None


def apply_rules(text: str, consumed: dict[int, str] | None = None,
                language: str | None = None) -> tuple[Context, list[str]]:
    """Run the rules over `text` (in `language`, whose pack may add debris words); returns
    the context and the kept lines (doubled captions reduced to one copy, widget labels cut
    off the end of a line)."""
    lines = text.split("\n")
    ctx = Context(lines=lines, header_end=header_end(lines), removed=dict(consumed or {}),
                  main_script=_main_script(text), debris=debris_for(language))
    for _name, rule in RULES:
        for i, line in enumerate(lines):
            if i in ctx.removed or is_blank(line):
                continue
            reason = rule(ctx, i, line)
            if reason:
                ctx.removed[i] = reason
    kept: list[str] = []
    for i, line in enumerate(lines):
        if i in ctx.removed:
            continue
        line = ctx.trimmed[i][0] if i in ctx.trimmed else line
        single = split_doubled(line) if not is_blank(line) else None
        if single is not None:
            ctx.halved[i] = single
            line = single
        kept.append(line.strip())
    return ctx, kept


def _without_bullet(line: str) -> str:
    """A removed line without its bullet glyph ("• Link copied" -> "Link copied"); a dash
    before another sign is a widget's own ("- + 인쇄": a text-size control), and stays."""
    s = strip_bullet(line)
    return s if not s or s[0].isalnum() or s[0] in "\"'“‘«(" else line.strip()


def _debris_language(given: str | None, text: str) -> str | None:
    """The language whose debris words apply: the one given, else the one the raw text is
    detected in (the stored language is still detected on the cleaned text, below)."""
    if given:
        return given
    from storyline.ingest.lang import detect_language  # here: ingest imports clean

    return detect_language(text)


def clean_document(raw: RawDocument) -> Document:
    """Clean one raw document: header lines become metadata, noise lines are cut (each kept
    as a RemovedLine with its reason), and the id is the hash of the cleaned text."""
    text = raw.text.replace("\r\n", "\n").replace("\r", "\n")
    # Words glued to names by a lossy scrape ("Kim Jong Unwas"), split where certain; the
    # English dictionary decides, so only English (or not yet known) text is repaired.
    glued: list[RemovedLine] = []
    if (raw.meta.language or "en").lower().startswith("en"):
        text, repairs = repair_text(text, "en")
        glued = [RemovedLine(text=f"{r.before} \u2192 {r.after}", reason=GLUED, line_no=i)
                 for i, r in repairs]
    scan = scan_header(text)
    consumed = dict(scan.consumed)
    if raw.kind == "html" and (i := _headline_line(text, raw.meta.title)) is not None:
        consumed[i] = "metadata"  # the page's headline: it is the title, not body text
    ctx, kept = apply_rules(text, consumed, _debris_language(raw.meta.language, text))

    clean = _BLANKS.sub("\n\n", "\n".join(kept)).strip()
    meta: DocMeta = copy.deepcopy(raw.meta)
    if not clean and raw.kind == "html" and raw.meta.title:
        # Every line was noise (a page of ads): the page is kept with its title and
        # metadata, and says why, rather than refused.
        clean = raw.meta.title.strip()
        cuts = ", ".join(sorted(set(ctx.removed.values())))
        meta.provenance["no_article_text"] = f"every line was cut ({cuts}): stored with its title"
    meta.merge(scan.meta)  # keeps "header" or "header (updated)"
    apply_fallbacks(meta, scan)
    if meta.language is None:
        from storyline.ingest.lang import detect_language  # here: ingest imports clean

        if lang := detect_language(clean):
            meta.language = lang
            meta.provenance["language"] = "detected"
    if meta.title is None and (title := _title(ctx)):
        meta.title = title
        meta.provenance["title"] = "header"

    # The text of a removed line without its bullet glyph: "• Link copied" -> "Link copied".
    removed = [RemovedLine(text=_without_bullet(ctx.lines[i]), reason=reason, line_no=i)
               for i, reason in sorted(ctx.removed.items())]
    for i, single in sorted(ctx.halved.items()):
        removed.append(RemovedLine(text=single, reason="caption" if is_caption(single)
                                   else "duplicate", line_no=i))
    for i, (_kept, cut, reason) in sorted(ctx.trimmed.items()):
        if i not in ctx.removed:
            removed.append(RemovedLine(text=cut, reason=reason, line_no=i))
    removed += glued
    removed.sort(key=lambda r: r.line_no)

    counts = Counter(r.reason for r in removed)
    if counts:
        log.debug("%s: removed %s", raw.source, dict(counts))
    return Document(id=document_id(clean), source=raw.source, text=clean, meta=meta,
                    removed=removed, raw_text=raw.text, kind=raw.kind)


def removed_counts(doc: Document) -> Counter[str]:
    """Lines cut from a document, counted by reason."""
    return Counter(r.reason for r in doc.removed)
