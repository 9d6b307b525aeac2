"""Per-document extraction: spaCy components over one `Doc`.

Each stage is a component registered in `factories.py`; results live on `Doc` extension
attributes prefixed `sl_`, registered once in `register_extensions()`:

    doc._.sl_published  str | None      anchor date (ISO) set before the pipeline runs
    doc._.sl_outlet     str | None      the outlet, the source of claims in its own voice
    doc._.sl_doc_id     str | None
    doc._.sl_language   str | None      ISO 639-1 code: the language pack of the document
    doc._.sl_entities   list[Entity]    canonical entities with their mentions
    doc._.sl_times      list[TimeMention]
    doc._.sl_quotes     list[Quote]
    doc._.sl_events     list[Event]     events with their claim (source, status, denials)

Every record carries character offsets into `doc.text`.
"""

from __future__ import annotations

import bisect
from typing import NamedTuple

import numpy
from spacy.attrs import HEAD, IDX, LEMMA, LENGTH, POS, SENT_START
from spacy.tokens import Doc, Span, Token

EXTENSIONS: dict[str, object] = {
    "sl_published": None,
    "sl_outlet": None,
    "sl_doc_id": None,
    "sl_language": None,  # ISO 639-1 code of the document (picks its language pack)
    "sl_entities": None,
    "sl_times": None,
    "sl_quotes": None,
    "sl_events": None,
    "sl_happenings": None,  # list[Event] of type HAPPEN: general events (extract/happenings.py)
    "sl_clauses": None,  # list[Clause]: tense, mood, negation of each clause (extract/clauses.py)
    "sl_text": None,  # doc.text, kept by `doc_text` (spaCy rebuilds it on every access)
    "sl_strings": None,  # the tokens' strings, kept by `token_strings`
    "sl_breaks": None,  # the tokens holding line breaks, kept by `line_breaks`
    "sl_verbs": None,  # the tokens tagged VERB, kept by `cameo._verb_indexes`
    "sl_pos": None,  # each token's POS id, kept by `token_pos`
    "sl_sent_starts": None,  # the tokens starting a sentence, kept by `sent_range`
}

# The user_data key under which spaCy keeps the `sl_text` extension's value.
_TEXT_KEY = ("._.", "sl_text", None, None)


def keep_text(doc: Doc, text: str) -> None:
    """Remember the text a Doc was made from as its `doc_text` (spaCy's tokenizer keeps
    every character, so `doc.text` equals it), sparing the join over its tokens."""
    doc.user_data[_TEXT_KEY] = text


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc: spaCy's `Doc.text` joins every token on each
    access, which made per-candidate helpers cost O(tokens) each time."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


class TokenStrings(NamedTuple):
    """Each token's text, lower-case form, lower-cased lemma and the index of its head, as
    lists indexed like the Doc. Scanning these costs no `Token` object per token; the extractors scan the whole
    document many times, and only build a Token where a string says it may matter."""

    text: list[str]
    lower: list[str]
    lemma: list[str]
    head: list[int]
    idx: list[int]  # the character offset of each token


_STRINGS_KEY = ("._.", "sl_strings", None, None)
_LEMMAS: dict[int, str] = {}  # lemma hash -> the lemma in lower case (hashes are stable)


def token_strings(doc: Doc) -> TokenStrings:
    """The token strings of a parsed Doc (see TokenStrings), computed once per Doc: call it
    after the lemmas are set (our components run after them)."""
    found = doc.user_data.get(_STRINGS_KEY)
    if found is None or len(found.text) != len(doc):
        strings = doc.vocab.strings
        array = doc.to_array([IDX, LENGTH, LEMMA, HEAD]) if len(doc) else \
            numpy.zeros((0, 4), dtype="uint64")
        text = doc_text(doc)
        starts = array[:, 0].tolist()
        texts = [text[a:a + n] for a, n in zip(starts, array[:, 1].tolist())]
        lemmas = []
        for h in array[:, 2].tolist():
            lemma = _LEMMAS.get(h)
            if lemma is None:
                lemma = _LEMMAS[h] = strings[h].lower()
            lemmas.append(lemma)
        if len(_LEMMAS) > 200_000:
            _LEMMAS.clear()
        heads = (numpy.arange(len(doc), dtype="int64") + array[:, 3].astype("int64")).tolist()
        found = TokenStrings(texts, [t.lower() for t in texts], lemmas, heads, starts)
        doc.user_data[_STRINGS_KEY] = found
    return found


def span_text(doc: Doc, start: int, end: int) -> str:
    """`doc[start:end].text` without building the span's tokens."""
    if end <= start:
        return ""
    strings = token_strings(doc)
    return doc_text(doc)[strings.idx[start]:strings.idx[end - 1] + len(strings.text[end - 1])]


_BREAKS_KEY = ("._.", "sl_breaks", None, None)


def line_breaks(doc: Doc) -> list[int]:
    """Indexes of the tokens holding a line break, ascending: the lines of a Doc are the
    runs of tokens between them (spaCy keeps a newline in a token of its own, never in a
    token's trailing whitespace). Computed once per Doc."""
    found = doc.user_data.get(_BREAKS_KEY)
    if found is None or found[0] != len(doc):
        found = (len(doc), [i for i, t in enumerate(token_strings(doc).text) if "\n" in t])
        doc.user_data[_BREAKS_KEY] = found
    return found[1]


def line_of(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The token range of the line holding tokens [start, end): from after the last break
    before `start` to the first break at or after `end` (exclusive)."""
    breaks = line_breaks(doc)
    k = bisect.bisect_left(breaks, start)
    line_s = breaks[k - 1] + 1 if k else 0
    k = bisect.bisect_left(breaks, end)
    return line_s, breaks[k] if k < len(breaks) else len(doc)


_POS_KEY = ("._.", "sl_pos", None, None)


def token_pos(doc: Doc) -> list[int]:
    """Each token's coarse part of speech as its id (`spacy.parts_of_speech`: VERB, AUX...),
    one array pass per Doc: call it once the tags are final (our components run after)."""
    found = doc.user_data.get(_POS_KEY)
    if found is None or len(found) != len(doc):
        found = doc.to_array(POS).tolist() if len(doc) else []
        doc.user_data[_POS_KEY] = found
    return found


_SENTS_KEY = ("._.", "sl_sent_starts", None, None)


def sent_range(doc: Doc, i: int) -> tuple[int, int]:
    """(start, end) of the sentence holding token i: `doc[i].sent.start` and `.end`
    (the same boundaries: the tokens whose sent_start is 1) without building the spans;
    the boundaries are read once per Doc."""
    found = doc.user_data.get(_SENTS_KEY)
    if found is None or found[0] != len(doc):
        flags = doc.to_array(SENT_START) if len(doc) else numpy.zeros(0, dtype="uint64")
        found = doc.user_data[_SENTS_KEY] = (len(doc), numpy.flatnonzero(flags == 1).tolist())
    starts = found[1]
    k = bisect.bisect_right(starts, i)
    return (starts[k - 1] if k else 0), (starts[k] if k < len(starts) else len(doc))


def sentence_of(tok: Token) -> Span:
    """`tok.sent`: the same span, made from `sent_range` (spaCy's Token.sent slices the Doc
    twice and walks the sentence's tokens to find its ends)."""
    start, end = sent_range(tok.doc, tok.i)
    return Span(tok.doc, start, end)


def register_extensions() -> None:
    """Register the `sl_` extensions once (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
