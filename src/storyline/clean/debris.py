"""Page debris in the words of a document's language: the `boilerplate.json` of its pack.

English debris is judged by the rules of `clean/rules.py`; a document in another language
also has its pack's widget labels ("ANNONCE", "Главные события", "기사모아보기", "热点"),
share and print widgets ("- + 인쇄", "Partager cet article"), photo and video credits
("Photo : KBS News", "© Валерий Шарифулин/ ТАСС"), copyright and contact lines, and the
widget labels a site glues to the end of a byline (cut off, the byline stays). A short line
is judged only: a sentence that happens to open with "Photo" stays, and a credit that
states a date is the article's own stamp ("© Chine Nouvelle (Xinhua), Le 29/03/2024") and
stays too. One language-free shape is here as well: a line of many short labels parted by
spaces in a script that parts no words by spaces (a site's menu, "即時 熱門 政治 軍武").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from storyline.clean.lines import has_terminal, norm, strip_bullet, words
from storyline.lang import get_pack, unspaced

__all__ = ["Debris", "debris_for", "is_menu", "states_date"]

_EDGE = " \t:：!！?？.。·|›»>→<-–—"
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}")
_MAX_WORDS = 12  # a widget line is short: a longer one is article text
_MAX_UNSPACED = 60  # characters, for a line in a script without spaces
_MAX_CREDIT_WORDS = 10
_MAX_FOOTER_WORDS = 25  # a copyright notice may run longer (as in rules.rule_footer)
# The page stamp a stored page opens with ("date 2024-03"): what follows it on its line is
# judged as a line of its own.
_PAGE_STAMP = re.compile(r"^\s*date\s+(?:19|20)\d\d-\d\d(?:-\d\d)?(?![\d-])\s*",
                         re.IGNORECASE)


def _alt(phrases: list[str]) -> str:
    forms = sorted({re.escape(norm(p)) for p in phrases if p}, key=len, reverse=True)
    return "|".join(forms) if forms else "(?!x)x"


@dataclass(frozen=True)
class Debris:
    """One language's debris words, compiled."""

    ad: frozenset[str]
    promo: frozenset[str]
    share: frozenset[str]
    share_glue: frozenset[str]
    promo_opening: re.Pattern[str]
    promo_phrase: re.Pattern[str]
    credit_opening: re.Pattern[str]
    credit_word: re.Pattern[str]
    footer_phrase: re.Pattern[str]
    footer_opening: re.Pattern[str]
    footer_patterns: tuple[re.Pattern[str], ...]
    tail: re.Pattern[str]

    def label(self, line: str) -> str | None:
        """The reason a short line is debris, else None (the tail rule is `cut_tail`)."""
        s = strip_bullet(line)
        key = norm(s).strip(_EDGE)
        if not key:
            return None
        if _short(s, _MAX_FOOTER_WORDS, 2 * _MAX_UNSPACED) and (
                any(p.search(s) for p in self.footer_patterns)
                or self.footer_phrase.search(key) or self.footer_opening.match(key)):
            return "footer"
        if not _short(s):
            return None
        if key in self.ad:
            return "ad"
        if key in self.promo:
            return "promo"
        if self._share(key):
            return "share"
        if self._credit(s, key):
            return "credit"
        if self.promo_opening.match(key) or self.promo_phrase.search(key):
            return "promo"
        return None

    def _share(self, key: str) -> bool:
        tokens = [t for t in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", key)]
        if not tokens or len(tokens) > 8:
            return False
        return all(t in self.share or t in self.share_glue for t in tokens) and \
            any(t in self.share for t in tokens)

    def _credit(self, s: str, key: str) -> bool:
        """A photo or video credit alone on its line ("Фото: by X on Unsplash", "© X/ ТАСС"),
        or an editor's credit ("X/核稿編輯"); not one that states a date (a stamp)."""
        if states_date(s):
            return False
        m = self.credit_opening.match(key)
        if m and len(words(s)) <= _MAX_CREDIT_WORDS:
            return True
        return bool(self.credit_word.search(key)) and not has_terminal(s)

    def cut(self, line: str) -> tuple[str, str, str] | None:
        """(the line kept, the text cut, why) when debris shares a line with text: a
        widget label or a sign-off closing a longer line ("... 기자 x@y.com 기사모아보기",
        "... aus./cah/DP/he"), or debris after a page stamp ("date 2024-03 Photo : X")."""
        m = self.tail.search(line.rstrip())
        if m and line[:m.start()].strip():
            return line[:m.start()].rstrip(), m.group(0).strip(), "promo"
        stamp = _PAGE_STAMP.match(line)
        if stamp and line[stamp.end():].strip():
            reason = self.label(line[stamp.end():])
            if reason is not None:
                return line[:stamp.end()].rstrip(), line[stamp.end():].strip(), reason
        return None


def states_date(line: str) -> bool:
    """A numeric date or a clock time in the line: a credit that states one is a stamp."""
    return bool(_DATE.search(line))


def _short(s: str, max_words: int = _MAX_WORDS, max_chars: int = _MAX_UNSPACED) -> bool:
    if any(unspaced(ch) for ch in s):
        return len(s) <= max_chars
    return len(words(s)) <= max_words


@functools.lru_cache(maxsize=32)
def debris_for(code: str | None) -> Debris | None:
    """The compiled debris of a language; None when its pack has none (English, unknown)."""
    pack = get_pack(code)
    data = pack.data("boilerplate") if pack.code != "xx" else None
    if not data:
        return None

    def words_of(kind: str) -> frozenset[str]:
        return frozenset(norm(w) for w in data.get(kind, []) if w)

    # A credit's opening is followed by its separator ("Photo : X", "사진=X"); a copyright
    # sign needs none ("© X").
    opening = r"^(?:(?:{})\s*[:：=/|]|[©ⓒ])"
    return Debris(
        ad=words_of("ad"), promo=words_of("promo"), share=words_of("share"),
        share_glue=words_of("share_glue"),
        promo_opening=re.compile(rf"^(?:{_alt(data.get('promo_openings', []))})"),
        promo_phrase=re.compile(_alt(data.get("promo_phrases", []))),
        credit_opening=re.compile(opening.format(_alt(data.get("credit_openings", [])))),
        credit_word=re.compile(_alt(data.get("credit_words", []))),
        footer_phrase=re.compile(_alt(data.get("footer_phrases", []))),
        footer_opening=re.compile(rf"^(?:{_alt(data.get('footer_openings', []))})"),
        footer_patterns=tuple(re.compile(p) for p in data.get("footer_patterns", [])),
        tail=re.compile(rf"(?:\s(?:{_alt(data.get('tails', []))})"
                        rf"|{'|'.join(data.get('tail_patterns', [])) or '(?!x)x'})\s*$",
                        re.IGNORECASE))


def is_menu(line: str) -> bool:
    """A site's menu: six or more labels of at most four characters parted by spaces, in a
    script that parts no words by spaces (its prose never looks like this)."""
    labels = line.split()
    if len(labels) < 6 or any(len(x) > 4 for x in labels):
        return False
    return sum(1 for x in labels if any(unspaced(ch) for ch in x)) >= 0.8 * len(labels)
