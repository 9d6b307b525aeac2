"""Small judgements about one line of text, shared by the header scan and the noise rules."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_TERMINAL = ".!?:;…"
_CLOSERS = "\"”’'»)]"
_BULLET = re.compile(r"^\s*[•·▪◦●■\-–—*]\s+")
_TRAILING_PAREN = re.compile(r"\s*\([^()]{1,60}\)\s*$")
# A photo or video credit that marks a caption: "... Photo: AP", "(Reuters photo)", "(left)".
_CAPTION = re.compile(
    r"(\b(photo|picture|image|video|file photo|photograph|credit|source)\s*:\s*[\w .&/'-]{1,40}$)"
    r"|(\((left|right|centre|center|middle|second from (left|right)|top|bottom|file)\))"
    r"|(\([^()]*\b(photo|pictures?|images?)\b[^()]*\)\s*$)"
    r"|(^(file )?(photo|picture|image)\s*:)"  # "FILE PHOTO: ..."
    r"|(\b[A-Z]{2,}/[A-Z][\w .'-]+(/file photo)?$)",  # agency/photographer: "AGENCY/Jane Roe"
    re.IGNORECASE)


@lru_cache(maxsize=8192)
def words(line: str) -> tuple[str, ...]:
    """The words of a line (letters and digits, keeping inner apostrophes and hyphens).
    Remembered: the rules ask it of the same line one after another."""
    return tuple(WORD.findall(line))


def is_blank(line: str) -> bool:
    return not line.strip()


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line).strip()


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def has_terminal(line: str) -> bool:
    """True when the line ends like a sentence (or a clause introducing one: ':')."""
    s = line.rstrip()
    # A trailing credit "(Yonhap)" after a full stop still ends a sentence.
    if s.endswith(")"):
        inner = _TRAILING_PAREN.sub("", s)
        if inner != s and inner:
            s = inner
    while s and s[-1] in _CLOSERS:
        s = s[:-1].rstrip()
        if s and s[-1] in _TERMINAL + ",":
            return True
    return bool(s) and s[-1] in _TERMINAL


def is_caption(line: str) -> bool:
    """A photo/video caption: it carries a credit or a position marker like "(left)".
    Each of _CAPTION's forms holds a ":", a "(" or a "/": a line with none is no caption,
    and most lines are let go without the expression's scan."""
    return ("(" in line or ":" in line or "/" in line) and bool(_CAPTION.search(line))


def is_body(line: str) -> bool:
    """A paragraph of running text: a sentence of some length, not a caption or a bullet."""
    if is_blank(line) or is_bullet(line) or is_caption(line):
        return False
    n = len(words(line))
    return (n >= 8 and has_terminal(line)) or n >= 30


def is_titleish(line: str) -> bool:
    """Headline-shaped: starts with a capital (or digit/quote), no terminal punctuation."""
    s = strip_bullet(line)
    if not s or has_terminal(s) or s[-1] in ",-–—":
        return False
    first = s.lstrip("\"“‘'«(")[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def is_title_case_phrase(line: str) -> bool:
    """Every content word capitalised ("South Korea", "Park Chan-kyong"): a label or a name."""
    small = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with",
             "de", "du", "la", "le", "von", "van"}
    ws = words(line)
    return bool(ws) and all(w[0].isupper() or w.lower() in small or w[0].isdigit() for w in ws)


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str | None:
    """The script of a letter ("LATIN", "HANGUL", "CJK", "CYRILLIC", ...); None for non-letters."""
    if ch.isascii():
        return "LATIN" if ch.isalpha() else None
    if not ch.isalpha():
        return None
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    head = name.split(" ")[0]
    if head in {"HIRAGANA", "KATAKANA", "CJK"}:
        return "CJK"
    return head


def script_counts(text: str) -> dict[str, int]:
    """Letters per script in a text."""
    if text.isascii():  # (the common case: Latin letters only, counted at C speed)
        n = sum(map(str.isalpha, text))
        return {"LATIN": n} if n else {}
    counts = Counter(map(script_of, text))
    counts.pop(None, None)
    return dict(counts)


def norm(line: str) -> str:
    """The form lines are compared in: NFKC, whitespace collapsed, lower case."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", line)).strip().lower()


# The separators sites put between a headline and their own name: "Headline | Site".
_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|::|»|·|/)\s+")


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()


def _host_names(url: str | None) -> set[str]:
    """The name parts of a URL's host: "https://www.theguardian.com/x" -> {"theguardian"}."""
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", url or "", re.IGNORECASE)
    if not m:
        return set()
    parts = [p for p in m.group(1).lower().split(".") if p not in ("www", "m", "amp")]
    # the registrable name: the part before the public suffix (co.uk, com.br: short parts)
    names = {p for p in parts[:-1] if len(p) > 3} or set(parts[:1])
    return {_squash(p) for p in names if p}


def split_site_name(title: str, site: str | None = None,
                    url: str | None = None) -> tuple[str, str | None]:
    """The headline of a page title and the site name it carried, if any.

    A leading or trailing part of the title ("Headline | The Guardian", "Digg - Headline")
    is the site's name when it equals the page's site name or spells its web address
    ("TechCrunch" for techcrunch.com, "News Nation" for newsnation.in). A part that names
    nothing of the kind ("| Editorial") stays: only the site is metadata.
    """
    site_key, hosts = _squash(site or ""), _host_names(url)

    def is_site(part: str) -> bool:
        key = _squash(part)
        return len(key) > 2 and (key == site_key or (len(key) > 3 and key in hosts))

    title = title.strip()
    seps = list(_TITLE_SEP.finditer(title))
    # the whole site name first (it may hold a separator itself), then one part
    for sep in seps:
        head, tail = title[:sep.start()].strip(), title[sep.end():].strip()
        if head and tail and _squash(tail) == site_key:
            return head, tail
    for sep in seps:
        head, tail = title[:sep.start()].strip(), title[sep.end():].strip()
        if head and tail and _squash(head) == site_key:
            return tail, head
    if seps:
        last, first = seps[-1], seps[0]
        tail, head = title[last.end():].strip(), title[:first.start()].strip()
        if is_site(tail):
            return title[:last.start()].strip(), tail
        if is_site(head):
            return title[first.end():].strip(), head
    return title, None
