"""The words of a statement, read in its document's language.

Two reports of one undated statement (a warning, an accusation, a denial) are told apart
by their words (`events.same_words`), and a denial finds the claim it answers by the words
they share (`contradictions`). Every word list comes from the language's pack; none is
kept here.

A statement's words are its content words:

- in scripts with spaces: runs of letters (any script; hyphens inside a word kept; the word
  after a short elision, "l'armée" -> "armée", and before a possessive "'s"; other words
  with an apostrophe are dropped), lower-cased, of `MIN_LETTERS` letters or more, that are not
  stop words of the language (`terms.stop_words`, spaCy's list for the pack) nor forms of
  the verbs that report speech (`speech_form`: "said", "warned", "заявил": two different
  statements share them), a plural "-s" folded (`fold`); a denial's words leave out what
  it calls the claim too ("denied the reports as baseless"). Names can be set aside: a capitalised word names a party or
  a place, which the actor and target keys already compare; in a language that
  capitalises its nouns (the pack's `capitalised_nouns` setting) only a capitalised word
  that the knowledge base knows as a name (in English or in that language) is one.
- in Chinese and Japanese (no spaces between words), character pairs of each run of such
  letters, once the speech words and (when names are set aside) the pack's names of
  actors (`kb.names_in`) are cut out of the run: a pair is the unit those scripts can be
  compared on without a segmenter; pairs of grammar (a stop word, a particle in kana) are
  left out. In Korean, which parts words by spaces but joins particles and endings to
  them ("미사일을", "고조시키고"), the first pair of each word, where its stem is.

Two statements are compared word for word whatever their languages: words of two
languages seldom agree, and where they do ("satellite", a pair of Han characters in
Japanese and Chinese) they are evidence.

Not done: inflection beyond a plural "-s". Two Russian or German reports in other cases
("поставки" / "поставок") share no word; a report that keeps the wording of one source
does.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

from ..lang import get_pack, joins_words, unspaced
from ..lang.terms import MIN_LETTERS, stop_words

_RUN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ELISION = 2  # letters before an apostrophe that elide an article or a pronoun ("l'", "qu'")


def code_of(language: str | None) -> str:
    """The pack code a document's language is read with (English when unknown)."""
    return get_pack(language or "en").code


def _single(words: set[str], stems: set[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Entries of one word (a statement's words are compared one by one), stems longest
    first."""
    words = {w.strip() for w in words if w.strip() and " " not in w.strip()}
    stems = {s.strip() for s in stems if s.strip() and " " not in s.strip()}
    return frozenset(words), tuple(sorted(stems, key=len, reverse=True))


@functools.lru_cache(maxsize=32)
def _speech(code: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(lemmas, word beginnings) of the verbs that report a statement in this language
    ("said", "told", "warned"; "заявил", "sagte"), which two different statements share:

    - the pack's claim verbs (`speech_words.json` through `attribution.speech_words`: verbs
      whose subject is the source of the claim their complement states), lemmas matched
      through the pack's inflection rules and its `cue_forms` (`_lemmas`);
    - the pack's speech verbs (`speech_verbs.json`) and its reported-speech verbs
      (`reported_speech.json`), word beginnings.
    The acts themselves (a demand, an accusation) are part of what a statement says: they
    stay."""
    from ..extract.attribution import speech_words

    pack = get_pack(code)
    stems = set(pack.words("speech_verbs"))
    reported = pack.data("reported_speech", None) or {}
    stems |= {str(w).lower() for w in reported.get("verbs", ())}
    return _single(set(speech_words(code).claim_verbs), stems)


@functools.lru_cache(maxsize=32)
def _denying(code: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(lemmas, word beginnings) of what a denial says of the claim it denies ("denied the
    reports as baseless"): the pack's denial triggers (`events.triggers.json`, word
    beginnings); where a pack has no triggers of its own (English), the event lexicon's
    verbs and nouns of denial, its claim nouns and its judgements."""
    triggers = (get_pack(code).data("events.triggers", None) or {}).get("triggers")
    if triggers is not None:
        return _single(set(), {str(w).lower() for w in triggers.get("denial", ())})
    from ..extract.lexicon import load_lexicon

    try:
        lex = load_lexicon()
    except (OSError, ValueError, KeyError):
        return _single(set(), set())
    frames = {f for f, spec in lex.frames.items() if spec.get("default") == "denial"}
    words = {w.lower() for table in (lex.verbs, lex.nouns) for w, entry in table.items()
             if entry.get("frame") in frames}
    return _single(words | {w.lower() for w in lex.claim_nouns | lex.judgements}, set())


@functools.lru_cache(maxsize=16)
def _rules(code: str) -> tuple[tuple[str, str], ...]:
    from ..clean.glue import dictionary

    return tuple(dictionary(code).rules)


def _lemmas(word: str, code: str) -> set[str]:
    """The word and the lemmas it can be a form of: by the pack's suffix rules (`words`),
    and as an irregular form of a speech verb (`cue_forms` of `speech_words`)."""
    from ..extract.attribution import speech_words

    out = {word[:-len(a)] + b for a, b in _rules(code) if word.endswith(a) and len(word) > len(a)}
    out.add(word)
    irregular = speech_words(code).cue_forms.get(word)
    if irregular:
        out.add(irregular)
    return out


def _in(word: str, code: str, table: tuple[frozenset[str], tuple[str, ...]]) -> bool:
    words, stems = table
    return word.startswith(stems) or bool(words & _lemmas(word, code))


@functools.lru_cache(maxsize=65536)
def speech_form(word: str, code: str, denial: bool = False) -> bool:
    """Whether a lower-cased word is a form of a verb that reports speech in this language
    (`_speech`); with `denial`, or of what a denial calls the claim (`_denying`)."""
    return _in(word, code, _speech(code)) or (denial and _in(word, code, _denying(code)))


def fold(word: str) -> str:
    """A plural "-s" folded: "shells" -> "shell", "supplies" -> "supply", "armes" -> "arme"
    (a no-op in scripts without it)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=16)
def _names_pattern(code: str) -> re.Pattern[str] | None:
    """The pack's names of actors in scripts without spaces, longest first, as one pattern."""
    from ..extract.kb import load_kb

    names = {n for ns in load_kb().names_in(code).values() for n in ns
             if n and any(joins_words(ch) for ch in n)}
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


@functools.lru_cache(maxsize=65536)
def _known_name(word: str, code: str) -> bool:
    """Whether the knowledge base knows a capitalised word as a name (exactly, or in the
    language's own names), also with a genitive "-s" ("Russlands")."""
    from ..extract.kb import load_kb

    kb = load_kb()
    for w in {word, word[:-1] if len(word) > 4 and word.endswith("s") else word}:
        if kb.entries(w) or kb.lookup(w, code):
            return True
    return False


def _kana(ch: str) -> bool:
    return 0x3040 <= ord(ch) <= 0x30FF


def _stems(code: str, denial: bool) -> tuple[str, ...]:
    return _speech(code)[1] + (_denying(code)[1] if denial else ())


def _pairs(run: str, code: str, names: bool, denial: bool) -> set[str]:
    """Character pairs of a run of letters without word spaces (Chinese, Japanese), speech
    words (and names) cut out; a pair that is a stop word, or holds a stop word written in
    kana (a particle, an ending: "が緊"), is grammar, not content."""
    stop = stop_words(code)
    pieces = [run]
    if names and (pattern := _names_pattern(code)) is not None:
        pieces = [p for piece in pieces for p in pattern.split(piece)]
    for stem in _stems(code, denial):
        if any(joins_words(ch) for ch in stem):
            pieces = [p for piece in pieces for p in piece.split(stem)]
    pairs = {p[i:i + 2] for p in pieces for i in range(len(p) - 1)}
    return {p for p in pairs if p not in stop and not any(_kana(ch) and ch in stop for ch in p)}


def _leading_pair(word: str, code: str, names: bool, denial: bool) -> str | None:
    """A word of a script that parts words by spaces but joins particles and endings to
    them (Korean: "미사일을", "고조시키고"): its first two letters, where its stem is; none
    for a stop word, a speech word or a name."""
    stop = stop_words(code)
    if word in stop or word[:2] in stop or len(word) < 2:
        return None
    if word.startswith(_stems(code, denial)):
        return None
    if names and (pattern := _names_pattern(code)) is not None and pattern.match(word):
        return None
    return word[:2]


def statement_words(text: str | None, language: str | None, *, names: bool = True,
                    denial: bool = False) -> set[str]:
    """Content words of a statement in its document's language (see the module doc);
    `names`: set names aside; `denial`: leave out what a denial calls the claim too."""
    code = code_of(language)
    stop = stop_words(code)
    capitalised_nouns = bool(get_pack(code).settings.get("capitalised_nouns"))
    out: set[str] = set()
    for m in _RUN.finditer(text or ""):
        run = m.group()
        if any(joins_words(ch) for ch in run):
            for joined, chars in itertools.groupby(run, joins_words):
                part = "".join(chars)
                if not joined or part in stop:
                    continue
                if unspaced(part[0]):
                    out |= _pairs(part, code, names, denial)
                elif (pair := _leading_pair(part, code, names, denial)) is not None:
                    out.add(pair)
            continue
        word = _unelided(run)
        if word is None or len(word) < MIN_LETTERS:
            continue
        if names and word[:1].isupper() and (
                not capitalised_nouns or _known_name(word, code)):
            continue
        w = word.lower()
        folded = fold(w)
        if w in stop or speech_form(w, code, denial) or speech_form(folded, code, denial):
            continue
        out.add(folded)
    return out


def _unelided(run: str) -> str | None:
    """The word of a run: the word after a short elision ("l'armée", "qu'il"), the word
    before a possessive "'s" ("Iran's"); none for another word with an apostrophe (a
    contraction: "don't")."""
    parts = re.split(r"['’]", run)
    if len(parts) == 1:
        return run
    if len(parts) == 2 and len(parts[0]) <= _ELISION:
        return parts[1]
    if len(parts) == 2 and parts[1] in ("s", "S"):
        return parts[0]
    return None


def language_of(ctx: Any, doc_id: str | None) -> str | None:
    """A document's language as the store has it (None when unknown)."""
    if not doc_id:
        return None
    try:
        return ctx.doc(doc_id).language
    except (TypeError, KeyError):
        return None
