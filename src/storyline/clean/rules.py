"""Noise rules, by kind of noise. Each rule looks at one line in its context and returns the
reason for removing it, or None to keep it. Rules run in order (like an item pipeline): a
later rule sees what earlier ones removed, which lets the adjacency rules (promo taglines,
teasers) ask whether a neighbour is a widget or a paragraph.

The rules aim at precision: an article sentence, headline, subhead or bullet must never be
cut, so an ambiguous short line (a section name, a byline name) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.clean.debris import Debris, is_menu, states_date
from storyline.clean.lines import (
    has_terminal,
    is_blank,
    is_body,
    is_bullet,
    is_caption,
    is_title_case_phrase,
    is_titleish,
    norm,
    script_counts,
    strip_bullet,
    words,
)


@dataclass
class Context:
    """The lines of one document and the decisions taken so far."""

    lines: list[str]
    header_end: int  # first body paragraph: the header block is above it
    removed: dict[int, str] = field(default_factory=dict)  # line index -> reason
    main_script: str | None = None
    _norms: list[str] | None = None
    # Lines that held one text twice (a doubled caption): index -> the single copy kept
    halved: dict[int, str] = field(default_factory=dict)
    # The debris words of the document's language (None: English or unknown)
    debris: Debris | None = None
    # Lines that shared a line with debris: index -> (the line kept, the text cut, why)
    trimmed: dict[int, tuple[str, str, str]] = field(default_factory=dict)

    def neighbour(self, i: int, step: int) -> int | None:
        """The nearest non-blank line before (step=-1) or after (step=1) line i."""
        j = i + step
        while 0 <= j < len(self.lines):
            if not is_blank(self.lines[j]):
                return j
            j += step
        return None

    def norm(self, i: int) -> str:
        """Line i in comparison form (computed once per document)."""
        if self._norms is None:
            self._norms = [norm(line) for line in self.lines]
        return self._norms[i]

    def kept_neighbour(self, i: int, step: int) -> int | None:
        j = self.neighbour(i, step)
        while j is not None and j in self.removed:
            j = self.neighbour(j, step)
        return j


Rule = Callable[[Context, int, str], str | None]

WIDGETS = {"ad", "share", "promo", "timer", "video", "page_number", "site_tag", "footer"}

_AD = re.compile(
    r"^(advertisement|advertising|advert|ad|ads|sponsored|sponsored (content|post|links?|by .{1,30})"
    r"|paid (content|post|partner content)|promoted( content)?|partner content"
    r"|(story|article) continues (below|after)( (the )?(advertisement|ad))?"
    r"|(advertisement\s*[-–—:]?\s*)?scroll to continue( (with|reading) content)?"
    r"|skip (the )?ad(vertisement)?|close ad|report this ad)$", re.IGNORECASE)

_SHARE_CORE = {"share", "shares", "shared", "copy", "copied", "facebook", "twitter", "whatsapp",
               "linkedin", "reddit", "telegram", "pinterest", "tweet", "email", "e-mail", "print",
               "comments", "comment", "messenger", "kakaotalk", "weibo", "wechat", "bluesky",
               "threads", "flipboard", "bookmark", "save"}
_SHARE_EXTRA = {"this", "article", "story", "page", "on", "via", "link", "url", "the", "x",
                "to", "clipboard", "mail", "gift", "button", "icon", "and", "or", "with", "a",
                "friend", "send", "print-friendly", "version", "view", "show", "hide"}

_PROMO = re.compile(
    r"^(get more (with|from)\b.*|sign ?up( (for|to|now|here)\b.*)?|subscribe( (now|today|here|to|for)\b.*)?"
    r"|subscribers? only|learn more|read more|read next|continue reading"
    r"|why you can trust\b.*|download (the|our)\b.*\bapp\b.*|get the app|open in app"
    r"|already (a subscriber|have an account)\??.*|log ?in|sign ?in|log ?in to .{1,40}"
    r"|register( now| for free| here)?|create (a |an )?(free )?account|follow us( on .{1,40})?"
    r"|get (our|the) .{0,30}newsletters?|newsletters?|join (our|the) .{0,30}(channel|community)"
    r"|more from .{1,40}|you (may|might) also like|recommended( for you| stories)?"
    r"|related( articles| stories| content| coverage| news)?|most (read|popular|viewed)"
    r"|trending( now| stories)?|top stories|see also|also read|editor'?s picks?"
    r"|don'?t miss|listen to (this|the) (article|story)|\d+ min(ute)? read|back to top)$",
    re.IGNORECASE)
# A link to another story: "Read more: <headline>", "Related: <headline>".
_LINK_TEASER = re.compile(r"^(related( stories| articles| coverage)?|see also|also read|read also|"
                          r"read more|more|watch|listen|recommended|don'?t miss|editor'?s pick)"
                          r"\s*[:|›»>\-–—]\s*\S.*$", re.IGNORECASE)
_FOOTER = re.compile(r"^((©|\(c\)|copyright)\s*(©\s*)?(\d{4}|[A-Z]).{0,100}|all rights reserved\.?"
                     r"|(tags|topics|filed under|categories|keywords)\s*:.{0,150})$",
                     re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(you|your|you're|yours)\b", re.IGNORECASE)
_TIMER = re.compile(r"^((video|duration|watch)\s*:?\s*)?\d{1,2}:\d{2}(:\d{2})?$", re.IGNORECASE)
_PAGE = re.compile(r"^(page\s+)?\d{1,3}(\s*(/|of)\s*\d{1,3})?$", re.IGNORECASE)
_SITE_TAG = re.compile(r"^(source|via)?\s*:?\s*site[-_ ]?\d+$", re.IGNORECASE)
# Two Title-case words glued together by a lost separator: "ReadsBusiness", "WorldEurope".
_GLUED = re.compile(r"\b[A-Z][a-z]{2,}[A-Z][a-z]{2,}\b")


def rule_ad(ctx: Context, i: int, line: str) -> str | None:
    return "ad" if _AD.match(strip_bullet(line).strip(" []")) else None


def rule_share(ctx: Context, i: int, line: str) -> str | None:
    tokens = [t.lower() for t in re.findall(r"[\w'-]+", strip_bullet(line))]
    tokens = [t for t in tokens if not t.isdigit()]
    if not tokens or len(tokens) > 8:
        return None
    if all(t in _SHARE_CORE or t in _SHARE_EXTRA for t in tokens) and \
            any(t in _SHARE_CORE for t in tokens):
        return "share"
    return None


def rule_promo(ctx: Context, i: int, line: str) -> str | None:
    s = strip_bullet(line)
    if len(words(s)) > 12 or (has_terminal(s) and not s.endswith(("?", ":"))):
        return None
    return "promo" if _PROMO.match(s.rstrip(" ›»>→")) else None


def rule_link_teaser(ctx: Context, i: int, line: str) -> str | None:
    s = strip_bullet(line)
    if len(words(s)) > 20 or (has_terminal(s) and not s.endswith("?")):
        return None
    return "teaser" if _LINK_TEASER.match(s) else None


def rule_footer(ctx: Context, i: int, line: str) -> str | None:
    """Copyright notices and tag lists at the foot of a page; not a wire's stamp (a credit
    with its date and time: "© Agency, 29/03/2024 00:28")."""
    s = line.strip()
    if len(words(s)) > 25 or not _FOOTER.match(s):
        return None
    return None if states_date(s) else "footer"


def rule_debris(ctx: Context, i: int, line: str) -> str | None:
    """Widget labels, share widgets, credits and footers in the words of the document's
    language (`clean/debris.py`); debris sharing a line with text is cut off the line."""
    if ctx.debris is None:
        return None
    reason = ctx.debris.label(line)
    if reason is None and (cut := ctx.debris.cut(line)) is not None:
        ctx.trimmed[i] = cut
    return reason


def rule_menu(ctx: Context, i: int, line: str) -> str | None:
    return "menu" if is_menu(line) else None


def rule_timer(ctx: Context, i: int, line: str) -> str | None:
    return "timer" if _TIMER.match(line.strip()) else None


_MAX_VIDEO_TIMERS = 2  # more clock lines than this: a live blog's timestamps, not videos


def rule_video(ctx: Context, i: int, line: str) -> str | None:
    """The title a video player shows right under its timer ("02:47" then a headline-shaped
    line): a title shown only in the player is widget text. Where the page repeats that
    title right below as the video's caption, the video is part of the article and both
    lines stay (a caption is article text, and nothing says which copy is the widget)."""
    prev = ctx.neighbour(i, -1)
    if prev is None or ctx.removed.get(prev) != "timer":
        return None
    nxt = ctx.neighbour(i, 1)
    if nxt is not None and ctx.norm(nxt) == ctx.norm(i):
        return None
    if sum(1 for r in ctx.removed.values() if r == "timer") > _MAX_VIDEO_TIMERS:
        return None
    s = line.strip()
    if is_bullet(s) or is_caption(s) or is_body(s) or not is_titleish(s):
        return None
    n = len(words(s))
    return "video" if 3 <= n <= 20 else None


def rule_page_number(ctx: Context, i: int, line: str) -> str | None:
    """"Page 3", "3 of 12", "3/12"; a bare number ("3") only among other page furniture (a
    widget line next to it): alone under a paragraph it may be a count, a score or a list
    number, and an ambiguous line is kept."""
    s = line.strip()
    m = _PAGE.match(s)
    if not m:
        return None
    if not s.isdigit():
        return "page_number"
    return "page_number" if any(_is_widget(ctx, ctx.neighbour(i, step)) for step in (-1, 1)) \
        else None


def rule_site_tag(ctx: Context, i: int, line: str) -> str | None:
    return "site_tag" if _SITE_TAG.match(line.strip()) else None


_LABEL = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+){0,3}$")  # up to four words, letters only


def rule_script(ctx: Context, i: int, line: str) -> str | None:
    """A short label written wholly in a script the article does not use (a stray widget
    label: "뉴스" on an English page). Only a label: a sentence, an address, an e-mail or a
    line of code in another script is text the article quotes."""
    if ctx.main_script is None or not _LABEL.match(strip_bullet(line)):
        return None
    counts = script_counts(line)
    if counts and ctx.main_script not in counts:
        return "script"
    return None


def rule_duplicate(ctx: Context, i: int, line: str) -> str | None:
    """The second copy of a photo caption (a gallery or lightbox repeating the picture).
    Other repeated lines stay: recipes, lists, tables and refrains repeat on purpose, and
    a repeated title is the page's own layout (a video title shown as its caption)."""
    if not is_caption(line):
        return None
    key = ctx.norm(i)
    if len(words(key)) < 4:
        return None  # short repeats ("South Korea", a name) are ambiguous: keep them
    for j in range(i):
        if j not in ctx.removed and ctx.norm(j) == key:
            return "caption"
    return None


def split_doubled(line: str) -> str | None:
    """If a line is one text written twice ("A. (Credit) A. (Credit)"), the single copy."""
    s = line.strip()
    n = len(s)
    for k in range(n // 2 - 3, n // 2 + 4):
        if 0 < k < n and s[k] == " ":
            left, right = s[:k].strip(), s[k + 1:].strip()
            if left == right and len(words(left)) >= 5:
                return left
    return None


# One Title-case (or capitalised) word: "World", "Politics", "ASIA", "Asia-Pacific".
_SECTION_WORD = re.compile(r"^(?:[A-Z][a-z]+|[A-Z]{2,})(?:-(?:[A-Z][a-z]+|[A-Z]{2,}))?$")


def _is_headline(ctx: Context, j: int) -> bool:
    """A kept, headline-shaped line of the header block (what `_title` would pick)."""
    s = ctx.lines[j].strip()
    return (j not in ctx.removed and not is_bullet(s) and not is_caption(s)
            and not has_terminal(s) and len(words(s)) >= 4 and is_titleish(s))


def rule_kicker(ctx: Context, i: int, line: str) -> str | None:
    """Section labels above the headline: several glued together ("Weekend ReadsBusiness"),
    or a lone section word ("World", "Politics") directly above the headline, or directly
    next to a byline or date line. A lone word elsewhere is ambiguous and kept: under the
    headline it is often a fact (a venue: "Leeds v Saracens" / "Headingley"), between promo
    lines or in the body it could be a name or a one-word subhead."""
    if i >= ctx.header_end:
        return None
    s = line.strip()
    if has_terminal(s):
        return None
    if _SECTION_WORD.match(s):
        after, before = ctx.neighbour(i, 1), ctx.neighbour(i, -1)
        if after is not None and _is_headline(ctx, after):
            return "kicker"
        if any(j is not None and ctx.removed.get(j) == "metadata" for j in (before, after)):
            return "kicker"
        return None
    if len(words(s)) > 6 or not _GLUED.search(s):
        return None
    return "kicker" if is_title_case_phrase(s) else None


def _is_widget(ctx: Context, j: int | None) -> bool:
    return j is not None and ctx.removed.get(j) in WIDGETS


def rule_promo_tagline(ctx: Context, i: int, line: str) -> str | None:
    """A short slogan inside a promo widget: it sits between widget lines, addresses the
    reader ("you") or is framed by promo lines on both sides, and is not a name or label."""
    s = line.strip()
    if has_terminal(s) or len(words(s)) > 15 or is_title_case_phrase(s):
        return None
    before, after = ctx.neighbour(i, -1), ctx.neighbour(i, 1)
    promo_side = [j for j in (before, after) if j is not None and ctx.removed.get(j) == "promo"]
    if not promo_side:
        return None
    if _SECOND_PERSON.search(s) or len(promo_side) == 2:
        return "promo"
    return None


_AUX = ("is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would",
        "should", "has", "have", "had", "may", "must", "shall")
_WH = ("what", "who", "why", "how", "when", "where", "which", "whose")
_FUNCTION_END = {"the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "with", "that",
                 "by", "at", "from", "as", "than", "which", "who", "whose", "but", "nor", "its",
                 "their", "his", "her", "our", "this", "these", "those", "into", "onto"}
# Titles that precede a name: a line ending with one is broken before the name.
_TITLE_END = {"president", "chairman", "marshal", "comrade", "general", "minister", "secretary",
              "premier", "leader", "mr", "mrs", "ms", "dr", "prof", "sir", "king", "queen",
              "prince", "ambassador", "governor", "senator", "rep", "chancellor", "spokesman",
              "spokeswoman", "spokesperson"}
_REPORTING = re.compile(r"\b(said|says|noted|notes|told|added|stressed|emphasized|emphasised|"
                        r"stated|claimed|argued|warned|insisted)\s+that\b", re.IGNORECASE)
_DISCOURSE = re.compile(r"^(actually|however|meanwhile|moreover|furthermore|therefore|indeed|"
                        r"still|instead|nevertheless|in fact|in addition|for example|as a result)"
                        r"\s*,", re.IGNORECASE)
_LOST_SPACE = re.compile(r"[a-z]{2,}[A-Z][a-z]")
_STOP = set(_FUNCTION_END) | set(_AUX) | {"be", "been", "it", "not", "no", "also", "over",
                                          "after", "about", "new", "says", "said"}


def _content_words(text: str) -> set[str]:
    # Five-letter prefixes: a cheap stem, so "exports" meets "exporter".
    return {w.lower()[:5] for w in words(text) if len(w) > 2 and w.lower() not in _STOP}


def _reads_as_sentence_or_fragment(s: str) -> bool:
    """Signs that a headline-shaped line is really article text: a question subhead, a
    sentence that lost its full stop, or a line broken in mid-sentence."""
    ws = [w.lower() for w in words(s)]
    if not ws:
        return True
    if ws[0] in ("a", "an", "the"):
        return True  # headlines drop leading articles; prose and section labels keep them
    if ws[0] in _AUX or (ws[0] in _WH and len(ws) > 1 and ws[1] in _AUX):
        return True  # a question used as a subhead ("What is ...", "Is ...")
    if _DISCOURSE.match(s) or _REPORTING.search(s):
        return True
    if ws[-1] in _FUNCTION_END or ws[-1].rstrip(".") in _TITLE_END:
        return True  # broken before its continuation
    return bool(_LOST_SPACE.search(s))


def rule_teaser(ctx: Context, i: int, line: str) -> str | None:
    """A related-article headline standing alone between body paragraphs.

    Subheads look the same, so a candidate is kept when it reads as part of the article: it
    is a bullet, a question, a sentence fragment, or it introduces the section below it
    (its words come back in the next paragraphs; a teaser is about another story).
    """
    if i < ctx.header_end or is_bullet(line) or not is_titleish(line) or is_caption(line):
        return None
    s = line.strip()
    n = len(words(s))
    if n < 6 or n > 16:
        return None  # short subheads ("Spy satellite") are part of the article
    before, after = ctx.kept_neighbour(i, -1), ctx.kept_neighbour(i, 1)
    if before is None or after is None:
        return None
    if not (is_body(ctx.lines[before]) and is_body(ctx.lines[after])):
        return None
    if ctx.lines[after].lstrip()[:1].islower():
        return None  # the paragraph continues it: a broken line, not a teaser
    # A line right under a video timer is the video's title, judged by rule_video.
    prev_any = ctx.neighbour(i, -1)
    if prev_any is not None and ctx.removed.get(prev_any) in ("timer", "video"):
        return None
    if _reads_as_sentence_or_fragment(s):
        return None
    own = _content_words(s)
    following: set[str] = set()
    j: int | None = i
    for _ in range(3):
        j = ctx.kept_neighbour(j, 1) if j is not None else None
        if j is None:
            break
        following |= _content_words(ctx.lines[j])
    if own and len(own & following) / len(own) >= 0.3:
        return None  # a subhead: its section picks up its words
    return "teaser"


# Order matters: exact kinds first, then the rules that judge a line by its neighbours.
RULES: tuple[tuple[str, Rule], ...] = (
    ("ad", rule_ad),
    ("share", rule_share),
    ("promo", rule_promo),
    ("link_teaser", rule_link_teaser),
    ("footer", rule_footer),
    ("debris", rule_debris),
    ("menu", rule_menu),
    ("timer", rule_timer),
    ("video", rule_video),  # before "duplicate": a repeated title keeps its caption copy
    ("site_tag", rule_site_tag),
    ("script", rule_script),
    ("page_number", rule_page_number),  # after the widgets a bare number may sit among
    ("duplicate", rule_duplicate),
    ("kicker", rule_kicker),
    ("promo_tagline", rule_promo_tagline),
    ("teaser", rule_teaser),
)
