"""Finding quoted stretches of text by their quotation marks, paragraph by paragraph.

Handles straight and curly double quotes, guillemets, marks with stray spaces
(`the end.“ We left`), marks written in the wrong direction, quotes that run over
several paragraphs (a paragraph left open and the next one opening with a mark), and
single curly quotes (‘...’) told apart from apostrophes. Used by `quotes.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_MARKS = '"“”„«»‟″'
OPENERS = "“„«‟"
CLOSERS = "”»"
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
_PARA = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")
# a double mark, or two apostrophes standing for one ('' but not ''')
_MARK = re.compile("''(?!')|[" + DOUBLE_MARKS + "]")


@dataclass
class QuoteSpan:
    """A quoted stretch: content offsets (without the marks) and the marks' offsets."""

    start: int  # content start (after the opening mark and spaces)
    end: int  # content end (before the closing mark, trailing comma dropped)
    open_at: int  # offset of the opening mark
    close_at: int | None  # offset of the closing mark; None when the paragraph ended first
    para: int  # index of the paragraph (non-empty line) it lies in
    single: bool = False  # ‘...’ rather than “...”
    continues: bool = False  # left open at paragraph end, and the next paragraph goes on
    close_len: int = 1  # 2 for a closing ''

    @property
    def outer_end(self) -> int:
        return self.close_at + self.close_len if self.close_at is not None else self.end

    def words(self, text: str) -> int:
        return len(_WORD.findall(text[self.start:self.end]))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line."""
    return [(m.start(), m.end()) for m in _PARA.finditer(text) if m.group().strip()]


def _looks_opening(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{—–-/") and not nxt.isspace()


def _looks_closing(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]}—–-'’" or i + 1 == len(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _marks(text: str, ps: int, pe: int) -> list[tuple[int, str, int]]:
    """(offset, mark, length) of every double mark; '' (two apostrophes) counts as "."""
    out = []
    for m in _MARK.finditer(text, ps, pe + 2):  # (past `pe`: a '' may end there, as before)
        i = m.start()
        if i >= pe:
            break
        out.append((i, '"', 2) if m.end() - i == 2 else (i, text[i], 1))
    return out


def _double_quotes(text: str, para: int, ps: int, pe: int) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    opened: tuple[int, str, int] | None = None
    nested = 0  # curly pairs open inside a straight-quoted stretch
    for i, ch, n in _marks(text, ps, pe):
        if opened is None:
            if (ch in CLOSERS or ch == '"') and _looks_closing(text, i) \
                    and not _looks_opening(text, i):
                # a stray closing mark (its opening one lost in the copy: 'from
                # Europe." When he ...'): nothing to pair it with; pairing it would turn
                # every later quote of the paragraph inside out
                continue
            opened, nested = (i, ch, n), 0
            continue
        if opened[1] == '"' and ch != '"':
            # "He called it “a show” today": a quote within the quote; but a lone curly
            # closer ends it ("mixed marks”)
            if ch in OPENERS and _looks_opening(text, i):
                nested += 1
                continue
            if nested:
                nested -= 1
                continue
        if ch in OPENERS and _looks_opening(text, i) and not _looks_closing(text, i):
            # a new opening while one is open: the earlier mark was never closed
            opened = (i, ch, n)
            continue
        s, e = _trim(text, opened[0] + opened[2], i)
        if e > s:
            out.append(QuoteSpan(s, e, opened[0], i, para, close_len=n))
        opened = None
    if opened is not None:
        s, e = _trim(text, opened[0] + opened[2], pe)
        if e > s:
            out.append(QuoteSpan(s, e, opened[0], None, para))
    return out


def _single_quotes(text: str, para: int, ps: int, pe: int,
                   taken: list[QuoteSpan]) -> list[QuoteSpan]:
    """‘...’ pairs outside double quotes; a ’ between letters is an apostrophe."""
    out: list[QuoteSpan] = []
    i = ps
    while i < pe:
        i = text.find(SINGLE_OPEN, i, pe)  # (only an opening mark can start a pair)
        if i < 0:
            break
        if text[i] == SINGLE_OPEN and _looks_opening(text, i) and not any(
                q.open_at <= i < q.outer_end for q in taken):
            for j in range(i + 1, min(pe, i + 160)):
                if text[j] == SINGLE_CLOSE and _looks_closing(text, j):
                    s, e = _trim(text, i + 1, j)
                    if e > s:
                        out.append(QuoteSpan(s, e, i, j, para, single=True))
                    i = j
                    break
                if text[j] == SINGLE_OPEN:
                    break
        i += 1
    return out


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quoted stretch of `text`, in order."""
    paras = paragraphs(text)
    spans: list[QuoteSpan] = []
    for n, (ps, pe) in enumerate(paras):
        doubles = _double_quotes(text, n, ps, pe)
        spans.extend(doubles)
        spans.extend(_single_quotes(text, n, ps, pe, doubles))
    spans.sort(key=lambda q: q.start)
    # A paragraph left open whose next paragraph opens with a mark: one quote goes on.
    for q in spans:
        if q.close_at is None and not q.single and q.para + 1 < len(paras):
            ns, _ = paras[q.para + 1]
            if text[ns:ns + 1] in DOUBLE_MARKS or text.startswith("''", ns):
                q.continues = True
    return spans
