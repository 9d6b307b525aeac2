"""Content words of a text: what it is about, beyond the names it uses.

A content word is a run of three or more letters, lower-cased, that is not a stop word of
the document's language (spaCy's own list for that language, `spacy.lang.<code>.stop_words`;
English's when the language is unknown; none where spaCy has no list). Scripts written
without spaces between words (Chinese, Japanese) have no word boundary to find: their runs
give character pairs instead.

The store counts, per word, the documents using it (`word_counts`, kept when a document is
added), so the linker can weigh a word by its IDF as it weighs an entity.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections import Counter

from . import get_pack, unspaced

__all__ = ["content_words", "stop_words"]

_RUN = re.compile(r"[^\W\d_]+")
MIN_LETTERS = 3
MAX_LETTERS = 40  # longer runs are glued text or identifiers, not words


@functools.lru_cache(maxsize=32)
def stop_words(language: str | None) -> frozenset[str]:
    """The stop words of a language (spaCy's list for its pack's code; empty if none). An
    unknown language is read as English, as the pipeline reads it."""
    code = get_pack(language or "en").code
    try:
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(w.lower() for w in getattr(module, "STOP_WORDS", ()))


def content_words(text: str, language: str | None) -> Counter[str]:
    """How often each content word occurs in `text` (see the module doc)."""
    stop = stop_words(language)
    out: Counter[str] = Counter()
    for m in _RUN.finditer(text):
        run = m.group(0).lower()
        if unspaced(run[0]):
            out.update(run[i:i + 2] for i in range(len(run) - 1))
        elif MIN_LETTERS <= len(run) <= MAX_LETTERS and run not in stop:
            out[run] += 1
    return out
