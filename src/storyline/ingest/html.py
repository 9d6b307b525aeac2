"""HTML pages: the article text (trafilatura) and the page's own metadata.

Dates: htmldate on the page's metadata first (JSON-LD, OpenGraph, meta tags, <time>
elements, the URL), then htmldate's extensive search over the page; `ingest.meta` then
falls back to the dateline and date lines of the body in the page's language. The source
that gave the date is kept as provenance["published_source"].

The headline is metadata (`title`), not body text: the benchmark bodies and the key have
none, and a headline prepended to the text would be read twice by the extractors.
"""

from __future__ import annotations

import json
import re
from typing import Any

from storyline.errors import MalformedInput
from storyline.records import DocMeta

# Provenance note of a page stored without article text (its title stands for it).
NO_ARTICLE_TEXT = "no_article_text"
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
           "section", "article", "header", "footer", "figcaption", "pre", "ul", "ol", "table"}
_DROP = {"script", "style", "noscript", "template", "svg", "nav", "iframe", "form", "button"}


def html_to_text(fragment: str) -> str:
    """Plain text of a small HTML fragment (a feed entry, a JSON field): one block per line."""
    import lxml.etree
    import lxml.html

    if not fragment or "<" not in fragment:
        return (fragment or "").strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.LxmlError):  # broken fragments: fall back to stripping tags
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    parts: list[str] = []

    def flow(text: str | None) -> None:
        # HTML whitespace: a newline inside a paragraph is a space; blocks make the lines.
        if text:
            parts.append(re.sub(r"\s+", " ", text))

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP:
            flow(el.tail)
            return
        if tag in _BLOCKS:
            parts.append("\n")
        flow(el.text)
        for child in el:
            walk(child)
        if tag in _BLOCKS:
            parts.append("\n")
        flow(el.tail)

    walk(root)
    text = "".join(parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _json_ld(html: str) -> list[dict[str, Any]]:
    """The JSON-LD objects of a page (flattening @graph and lists)."""
    found: list[dict[str, Any]] = []
    for block in re.findall(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", html,
                            re.IGNORECASE | re.DOTALL):
        try:
            data = json.loads(block.strip())
        except json.JSONDecodeError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return found


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() if value else None


def page_metadata(html: str, url: str | None = None) -> DocMeta:
    """Title, author, outlet, date, language and URL as the page states them."""
    import htmldate
    import trafilatura

    from storyline.clean.lines import split_site_name

    meta = DocMeta()
    found = trafilatura.extract_metadata(html, default_url=url)
    if found is not None:
        meta.title = found.title or None
        meta.author = found.author or None
        meta.outlet = found.sitename or None
        meta.url = found.url or url
    for item in _json_ld(html):
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(isinstance(k, str) and k.endswith(("Article", "NewsArticle", "Posting"))
                   for k in kinds):
            continue
        meta.title = meta.title or _name(item.get("headline"))
        meta.author = meta.author or _name(item.get("author"))
        meta.outlet = meta.outlet or _name(item.get("publisher"))
        # Schema.org's sourceOrganization: the agency the copy comes from.
        meta.wire = meta.wire or _name(item.get("sourceOrganization"))
        meta.language = meta.language or _name(item.get("inLanguage"))
    if meta.title:  # "Headline | The Guardian": the site name is the outlet, not the title
        meta.title, site = split_site_name(meta.title, meta.outlet, meta.url or url)
        # a bare web address ("harbourtimes.com", trafilatura's last resort) is no name
        if site and (not meta.outlet or re.fullmatch(r"[\w-]+(\.[\w-]+)+", meta.outlet)):
            meta.outlet = site
    for source, extensive in (("htmldate metadata", False), ("htmldate extensive search", True)):
        meta.published = htmldate.find_date(html, original_date=True, extensive_search=extensive,
                                            outputformat="%Y-%m-%d", url=url)
        if meta.published:
            meta.provenance["published_source"] = source
            break
    m = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z_-]+)", html[:5000], re.IGNORECASE)
    if m and not meta.language:
        meta.language = m.group(1)
    return meta


def extract_html(html: str, source: str, url: str | None = None) -> tuple[str, DocMeta]:
    """The article text of a page (without its headline: that is `meta.title`) and its
    metadata.

    Raises MalformedInput when the page yields no text.
    """
    import trafilatura

    # favor_precision: trafilatura's stricter boilerplate pruning (F1 0.955 -> 0.964 on the
    # dev half of the Zyte benchmark, bench/web.py); short pages fall back to recall below.
    text = trafilatura.extract(html, url=url, output_format="txt", include_comments=False,
                               include_tables=True, deduplicate=False, favor_precision=True)
    if not text or not text.strip():
        # Short pages fall under trafilatura's thresholds: ask it to favour recall.
        text = trafilatura.extract(html, url=url, output_format="txt", favor_recall=True,
                                   include_comments=False)
    try:
        meta = page_metadata(html, url)
    except (ValueError, TypeError, LookupError, ArithmeticError, RecursionError) as exc:
        # The article is kept: its metadata is what could not be read, and it says so.
        meta = DocMeta(url=url, provenance={"metadata_error": f"{type(exc).__name__}: "
                                                               f"{str(exc)[:200]}"})
    if text and text.strip():
        return text.strip(), meta
    if meta.title:  # a page with no article (a video, a gallery): kept with its title
        meta.provenance[NO_ARTICLE_TEXT] = "no article text in the page: stored with its title"
        return meta.title, meta
    raise MalformedInput("no article text and no title could be extracted from the HTML",
                         source=source)


def with_title(text: str, title: str | None) -> str:
    """The text with its headline as the first line, unless the headline is already there."""
    if not title:
        return text
    head = "\n".join(text.split("\n")[:5]).lower()
    if title.strip().lower() in head:
        return text
    return f"{title.strip()}\n\n{text}"
