"""Repair of words glued to a name by a scrape that lost the spaces around highlighted text.

Sites set names in bold; a scrape that drops the tags can drop the spaces with them:
"Kim Jong Unwas", "Kim Jong Uninvited", "includingKim Jong Un". A split is made only where
it is certain:

- the name is one the knowledge base knows (its name, alias, official name or metonym,
  written as the knowledge base writes it), and
- the piece glued to it ("was", "including", "Comrade") is a dictionary word (the language pack's `words`): a stop word,
  or a word of four letters or more, since short pieces ("er", "ns") are as often a suffix
  that makes a real word ("New Zealander"); and
- the glued whole is not itself a word ("Chinatown" stays), checked for a single-word name
  and for the piece before a name.

Each repair is returned so that cleaning can keep it visible with its reason ("glued").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Which of the knowledge base's forms name an entity as written (not "Korean", "DPRK's").
_NAME_KINDS = {"name", "alias", "official", "metonym"}


@dataclass(frozen=True)
class Repair:
    """One glued token split: where (offsets in the line before the repair), what, into what."""

    start: int
    end: int
    before: str
    after: str


class Dictionary:
    """Known words of a language pack's `words` file (lemmas, forms, suffix rules, stops)."""

    def __init__(self, data: dict) -> None:
        self.stop = frozenset(data.get("stop_words", []))
        self.lemmas = frozenset(data.get("lemmas", []))
        self.forms = frozenset(data.get("forms", []))
        self.rules = [(a, b) for a, b in data.get("rules", []) if a]

    def __bool__(self) -> bool:
        return bool(self.lemmas)

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one Dictionary per language, kept
    def known(self, word: str, min_stem: int = 2) -> bool:
        """True when `word` (any case) is a word of the language: listed, or a regular
        inflection of a listed lemma of at least `min_stem` letters."""
        w = word.lower()
        if w in self.stop or w in self.forms or w in self.lemmas:
            return True
        return any(w.endswith(a) and len(w) - len(a) + len(b) >= min_stem
                   and w[:-len(a)] + b in self.lemmas for a, b in self.rules)

    def inflected(self, word: str) -> bool:
        """An inflected form of a lemma of four letters or more ("visited", "sent",
        "including"): a word that does not make surnames as bare nouns do ("Wood|ward")."""
        w = word.lower()
        return w in self.forms or any(
            w.endswith(a) and len(w) - len(a) + len(b) >= 4 and w[:-len(a)] + b in self.lemmas
            for a, b in self.rules)

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one Dictionary per language, kept
    def split_points(self, token: str) -> tuple[int, ...]:
        """Where a capitalised word ("Unwas", "Monday") could end a name and start a glued
        word: each k from 2 whose rest `token[k:]` is `after_name`. A word of the text
        is tried once, however often it recurs ("Monday": no point)."""
        return tuple(k for k in range(2, len(token) - 1) if self.after_name(token[k:]))

    def after_name(self, piece: str) -> bool:
        """A piece glued after a name that is surely a word of its own: a stop word, an
        inflected form, or an adverb in -ly ("warmly"); a bare noun is not ("Wood|ward")."""
        w = piece.lower()
        return w in self.stop or (len(w) >= 4 and self.inflected(w)) or (
            len(w) >= 5 and w.endswith("ly") and self.known(w))

    def certain_piece(self, piece: str) -> bool:
        """A glued piece that is surely a word of its own: a stop word, or a word of four
        letters or more whose lemma is no mere suffix ("ites" of "Pyongyangites")."""
        return piece.lower() in self.stop or (len(piece) >= 4 and self.known(piece, 4))


@functools.lru_cache(maxsize=65536)
def is_name(text: str) -> bool:
    """True when the knowledge base knows `text` as a name (through its public lookup; a
    single word only as one of its own names, aliases, official names or metonyms)."""
    from storyline.extract.kb import load_kb

    kb = load_kb()
    if " " in text:
        return bool(kb.lookup(text))
    return len(text) >= 4 and any(kind in _NAME_KINDS for _, kind in kb.entries(text))


@functools.lru_cache(maxsize=8)
def dictionary(lang: str) -> Dictionary:
    """The language's dictionary (empty where the pack has no `words`)."""
    from storyline.lang import get_pack

    return Dictionary(get_pack(lang).data("words", {}) or {})


# A capitalised word running on in lower case ("Unwas"), the capitalised words before it
# ("Kim Jong "), and a word glued before a capital ("includingKim", "ComradeKim").
_RUN_ON = re.compile(r"(?<![^\W\d_])[A-Z][a-z]+")
_WORDS_BEFORE = re.compile(r"(?:[A-Z][a-z]*[ -]){0,3}$")
_CAMEL = re.compile(r"(?<![^\W\d_])([A-Za-z][a-z]+)(?=[A-Z])")
_WORDS_AFTER = re.compile(r"[A-Z][a-z]*(?:[ -][A-Z][a-z]*){0,3}")


def _split_after(line: str, words: Dictionary, out: list[Repair]) -> str:
    """"Kim Jong Unwas" -> "Kim Jong Un was": a known name, then a glued word."""
    pieces, last_end = [], 0
    for m in _RUN_ON.finditer(line):
        token = m.group(0)
        for k in words.split_points(token):
            head, piece = token[:k], token[k:]
            before = _WORDS_BEFORE.search(line, 0, m.start())
            prev = re.findall(r"([A-Z][a-z]*)([ -])", before.group(0)) if before else []
            # names ending in `head`, longest first: "Kim Jong Un", "Jong Un", "Un"
            for n in range(len(prev), -1, -1):
                cand = "".join(w + j for w, j in prev[len(prev) - n:]) + head
                if is_name(cand):
                    break
            else:
                continue
            if words.known(token) and (" " not in cand or len(piece) < 4):
                continue  # a word of its own ("Chinatown", "Programme"), unless a long
                # inflected word follows a full name ("Kim Jong Uninvited")
            start = m.start() - len(cand) + len(head)
            out.append(Repair(start, m.end(), line[start:m.end()], f"{cand} {piece}"))
            pieces += [line[last_end:m.start() + k], " "]
            last_end = m.start() + k
            break
    return "".join(pieces) + line[last_end:] if pieces else line


def _split_before(line: str, words: Dictionary, out: list[Repair]) -> str:
    """"includingKim Jong Un" -> "including Kim Jong Un": a glued word, then a known name."""
    pieces, last_end = [], 0
    for m in _CAMEL.finditer(line):
        piece, at = m.group(1), m.end()
        if not words.certain_piece(piece):
            continue
        after = _WORDS_AFTER.match(line, at)
        if after is None:
            continue
        parts = re.findall(r"([A-Z][a-z]*)([ -]?)", after.group(0))
        for n in range(len(parts), 0, -1):
            name = "".join(w + j for w, j in parts[:n]).rstrip(" -")
            if is_name(name) and not line[at + len(name):at + len(name) + 1].isalpha():
                break
        else:
            continue
        if words.known(piece + parts[0][0]):
            continue  # a word of its own
        if piece[0].isupper() and " " not in name:
            continue  # "FleetBoston", "PayPal": brands glue capitalised words on purpose
        out.append(Repair(m.start(), at + len(name), line[m.start():at + len(name)],
                          f"{piece} {name}"))
        pieces += [line[last_end:at], " "]
        last_end = at
    return "".join(pieces) + line[last_end:] if pieces else line


def repair_line(line: str, lang: str = "en") -> tuple[str, list[Repair]]:
    """The line with glued names split, and the repairs made (none where unsure). Offsets
    of a repair are those of the line before the repairs of its kind."""
    words = dictionary(lang)
    if not words:
        return line, []
    repairs: list[Repair] = []
    line = _split_after(line, words, repairs)
    line = _split_before(line, words, repairs)
    return line, repairs


def repair_text(text: str, lang: str = "en") -> tuple[str, list[tuple[int, Repair]]]:
    """`repair_line` over every line: the text and (line index, repair) pairs."""
    lines = text.split("\n")
    found: list[tuple[int, Repair]] = []
    for i, line in enumerate(lines):
        fixed, reps = repair_line(line, lang)
        if reps:
            lines[i] = fixed
            found.extend((i, r) for r in reps)
    return "\n".join(lines), found
