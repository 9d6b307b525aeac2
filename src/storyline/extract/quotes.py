"""The `storyline_quotes` component: quotations and reported speech with their speakers.

Direct quotes are found by their marks (`quote_marks.py`); each quoted segment becomes one
`Quote` (a split quote, “A,” X said, “B.”, gives two with the same speaker). A speaker comes
from the speech cue that governs the quote in the parse, or that sits right next to it
("..., X said." / "X said: “...”" / "according to X, “...”"), through `attribution.py`.
A paragraph that is all quote, right after an attributed paragraph, continues that speaker,
as does a whole-sentence quote after an attributed one in its paragraph (“A,” X said. “B.”)
and a paragraph after one that ends "X said:" (a block quote without marks). A closing
byline (“...” ― X) and a transcript label ("X: ...") name their speaker too. Indirect
speech ("X said (that) ...", `indirect.py`) becomes a `Quote` with `direct=False` holding
the content clause.

Never guess: a quote with no findable speaker keeps `speaker=None` (where its cue has a
subject that names nobody, "officials said", the words go in `source_text` with their
span); a short quoted phrase with no cue at all (a scare quote, a title) and any one-word
quoted term is not a quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..records import Quote
from . import doc_text, token_strings
from .attribution import (
    SUBJECT_DEPS,
    Speaker,
    SpeakerMemory,
    SpeechWords,
    cited_source,
    cue_subject,
    cue_text,
    is_actual,
    is_cue,
    is_plural,
    name_speaker,
    relative_subject,
    source_words,
    speaker_from_subject,
    words_of,
)
from .indirect import indirect_speech
from .quote_marks import CLOSERS, DOUBLE_MARKS, QuoteSpan, find_quote_spans, paragraphs

_SENT_END = {".", "!", "?"}
DASHES = frozenset({"―", "—", "–", "--"})
# An interview transcript's speaker label: "SMITH: ..." at the start of a paragraph.
_LABEL = re.compile(r"[\s\"“„«]*([A-Z][A-Z.'\- ]{1,40}[A-Z]):\s+")
_MAX_CLIMB = 8
_WHOLE_SENTENCE = re.compile(r"\w[.!?]\s+[A-Z\u201c\"']")


@dataclass
class _Item:
    """A statement awaiting its speaker: a quoted segment, a block quote or indirect speech."""

    start: int
    end: int
    direct: bool
    cue: Token | None = None
    span: QuoteSpan | None = None
    by_dependency: bool = False
    inherit: str | None = None  # "para" / "sentence": may go on in an earlier voice
    speaker: Speaker | None = None
    source: tuple[int, int] | None = None  # the unnamed source's words, when no speaker
    extra: dict = field(default_factory=dict)


class QuotesComponent:
    """Sets `doc._.sl_quotes`: direct quotes and indirect speech, in text order."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_quotes = extract_quotes(doc)
        return doc


def extract_quotes(doc: Doc) -> list[Quote]:
    """All quotes of a parsed Doc (entities, when present, give canonical speakers)."""
    text = doc_text(doc)
    paras = paragraphs(text)
    spans = find_quote_spans(text)
    mask = _quote_mask(doc, spans)
    items: list[_Item] = []
    for q in spans:
        item = _Item(q.start, q.end, True, span=q)
        cue, by_dep = _find_cue(doc, q, mask, paras)
        item.cue, item.by_dependency = cue, by_dep
        if cue is None:
            item.inherit = _stands_alone(text, q, paras, spans)
        items.append(item)
    _share_sentence_cues(doc, items)
    _apply_labels(text, paras, items)
    items.extend(_labelled_paragraphs(text, paras, spans))
    blocks = _block_quotes(doc, paras, spans, mask)
    items.extend(blocks)
    items.extend(_Item(s, e, False, cue=cue, by_dependency=True)
                 for s, e, cue in indirect_speech(doc, mask, spans,
                                                  [(b.start, b.end) for b in blocks]))
    items.sort(key=lambda it: (min(it.start, it.cue.idx) if it.cue is not None else it.start))
    _resolve(doc, items, spans, paras)
    quotes = []
    for it in sorted(items, key=lambda it: it.start):
        if it.direct and it.span is not None and not _keep(text, it, words_of(doc)):
            continue
        spk = it.speaker
        src = it.source if spk is None else None
        quotes.append(Quote(
            text=text[it.start:it.end], start=it.start, end=it.end,
            speaker=spk.name if spk else None, speaker_key=spk.key if spk else None,
            speaker_start=spk.start if spk else None, speaker_end=spk.end if spk else None,
            cue=_cue_word(it.cue) if it.cue is not None else it.extra.get("cue"),
            direct=it.direct, source_text=text[src[0]:src[1]] if src else None,
            source_start=src[0] if src else None, source_end=src[1] if src else None))
    return quotes


# --- direct quotes: cues ----------------------------------------------------------------

def _quote_mask(doc: Doc, spans: list[QuoteSpan]) -> dict[int, int]:
    """token index -> index of the quote (marks included) it lies in."""
    mask: dict[int, int] = {}
    for n, q in enumerate(spans):
        sp = doc.char_span(q.open_at, q.outer_end, alignment_mode="expand")
        if sp is not None:
            for i in range(sp.start, sp.end):
                mask.setdefault(i, n)
    return mask


def _tokens(doc: Doc, start: int, end: int) -> list[Token]:
    sp = doc.char_span(start, end, alignment_mode="expand")
    return list(sp) if sp is not None else []


def _find_cue(doc: Doc, q: QuoteSpan, mask: dict[int, int],
              paras: list[tuple[int, int]]) -> tuple[Token | None, bool]:
    """The cue for a quoted segment, and whether the parse (not adjacency) linked them."""
    qtoks = _tokens(doc, q.start, q.end)
    if not qtoks:
        return None, False
    own = {t.i for t in qtoks}
    frame = _colon_frame(doc, q, mask)
    if frame is not None:
        return frame, False
    cue = _cue_up(qtoks, own, mask) or _cue_down(doc, own, mask)
    if cue is not None and "\n" not in doc_text(doc)[min(cue.idx, q.start):max(cue.idx, q.end)]:
        # (the parser may run a sentence over a paragraph break: not so far)
        if cue.i < qtoks[0].i and cue.dep_ in ("relcl", "acl") and q.close_at is not None \
                and doc_text(doc)[q.close_at - 1] == ",":
            # “...,” The Hill reported: the cue the comma hands the quote to, not one in a
            # relative clause before it ("The loopholes he cited are “...,” X reported")
            return _cue_right(doc, q, mask) or cue, True
        return cue, True
    cue = _cue_right(doc, q, mask) or _cue_left(doc, q, mask)
    if cue is None and q.open_at == paras[q.para][0] + _lead_space(doc_text(doc), paras[q.para]):
        cue = _colon_cue(doc, paras, q.para - 1, mask, announcing=True)
    return cue or _issuing_verb(doc, q, mask), False


def _issuing_verb(doc: Doc, q: QuoteSpan, mask: dict[int, int]) -> Token | None:
    """The verb that issued the document a quote names: "X issued the following press
    statement “...”", "X made public a statement under the title “...”": the quote is the
    document's own words (its title or text), and whoever issued it says them."""
    before = doc.char_span(q.open_at, q.open_at + 1, alignment_mode="expand")
    if before is None:
        return None
    words = words_of(doc)
    for tok in reversed(doc[max(before.sent.start, before.start - 6): before.start]):
        if tok.i in mask or tok.pos_ in ("VERB", "AUX") or tok.text in _SENT_END:
            return None
        if tok.lemma_.lower() in words.document_nouns:
            verb = tok
            for _ in range(3):
                if verb.head.i == verb.i:
                    break
                verb = verb.head
                if verb.pos_ == "VERB" and verb.lemma_.lower() in words.issuing_verbs:
                    return verb
            return None
    return None


def _para_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _share_sentence_cues(doc: Doc, items: list[_Item]) -> None:
    """A quoted fragment with no cue, in a sentence whose other quotes have one
    ("she felt it “was a mistake” because “nobody asked”"), shares that cue."""
    by_sent: dict[tuple[int, int], list[_Item]] = {}
    for it in items:
        if it.span is not None and not it.span.single:
            toks = _tokens(doc, it.start, it.end)
            if toks:
                by_sent.setdefault((toks[0].sent.start, it.span.para), []).append(it)
    for group in by_sent.values():
        cues = {it.cue.i: it.cue for it in group if it.cue is not None and it.by_dependency}
        if len(cues) != 1:
            continue
        cue = next(iter(cues.values()))
        for it in group:
            if it.cue is None and it.inherit is None:
                it.cue, it.by_dependency = cue, True


def _lead_space(text: str, para: tuple[int, int]) -> int:
    s, e = para
    return len(text[s:e]) - len(text[s:e].lstrip())


def _cue_up(qtoks: list[Token], own: set[int], mask: dict[int, int]) -> Token | None:
    """Climb from the quote to the speech verb that governs it: the first one that reports
    an actual speech act ("X said Y would repeat “...”" -> said), else the first at all;
    at the top of the sentence, a parenthetical cue ("..., he added, ...") governs it."""
    best: tuple[int, Token] | None = None
    if not qtoks:
        return None
    doc = qtoks[0].doc
    strings = token_strings(doc)
    heads, lemmas, lowers = strings.head, strings.lemma, strings.lower
    cues, according = words_of(doc).quote_cues, words_of(doc).according_to[0]
    idioms = words_of(doc).idiom_cues
    for t in qtoks:  # (the climb reads head indexes; a Token is made for a possible cue)
        if heads[t.i] in own and heads[t.i] != t.i:
            continue
        h, steps, found = t.i, 0, None
        while heads[h] != h and steps < _MAX_CLIMB:
            h = heads[h]
            steps += 1
            if h in own:
                continue
            if h in mask:
                break  # another quote: its cue is not ours to borrow
            if (lemmas[h] in cues or lemmas[h] in idioms or lowers[h] == according) \
                    and is_cue(doc[h]):
                found = found or doc[h]
                if is_actual(doc[h]):
                    found = doc[h]
                    break
        if found is None and heads[h] == h and h not in mask:
            # "..., he added, ..." / "According to her, the ship carried “...”"
            found = next((c for c in doc[h].children if (c.dep_ == "parataxis"
                                                         or c.lower_ == according)
                          and c.i not in mask and is_cue(c)), None)
        if found is not None and (best is None or steps < best[0]):
            best = (steps, found)
    return best[1] if best else None


def _cue_down(doc: Doc, own: set[int], mask: dict[int, int]) -> Token | None:
    """A speech verb outside quotes attached under the quote ("“...,” he said" parsed so);
    a passive participle only where no other is ("Asked about it, Clinton said, “...”":
    said; whoever was asked answers)."""
    found: list[Token] = []
    for t in doc[min(own): max(own) + 1].sent if own else []:
        if t.i in mask or not is_cue(t):
            continue
        h = t
        for _ in range(3):
            if h.head.i == h.i:
                break
            h = h.head
            if h.i in own:
                found.append(t)
                break
            if h.i in mask or is_cue(h):
                break
    return next((t for t in found if t.tag_ != "VBN" or any(
        c.dep_ in SUBJECT_DEPS for c in t.children)), found[0] if found else None)


def _is_boundary(doc: Doc, tok: Token, mask: dict[int, int]) -> bool:
    return ("\n" in tok.text) or (tok.text in _SENT_END and tok.i not in mask)


def _cue_right(doc: Doc, q: QuoteSpan, mask: dict[int, int]) -> Token | None:
    """"“...,” X said" / "“...,” said X, a ...": a cue within a short window after."""
    if q.close_at is None:
        return None
    after = doc.char_span(q.close_at, q.outer_end, alignment_mode="expand")
    if after is None:
        return None
    i, n = after.end, 0
    while i < len(doc) and doc[i].is_space and "\n" not in doc[i].text:
        i += 1
    glued = doc[after.end - 1]  # “...”― Jane Roe: the tokenizer kept the mark and the dash
    for dash in ([doc[i]] if i < len(doc) and i not in mask else []) + [glued]:
        at = _dash_end(dash)
        if at is not None:
            # “...” ― Jane Roe: a byline closing the paragraph
            rest = doc_text(doc)[at: _para_end(doc_text(doc), at)].strip(" .\xa0")
            if rest and len(rest.split()) <= 6:
                return dash
    if i + 1 < len(doc) and doc[i].text.strip(" \xa0") in ("\n", "\n\n") \
            and _dash_end(doc[i + 1]) is not None:
        # a quote that closes its paragraph, signed in the next: “...” / - Jane Roe.
        at = _dash_end(doc[i + 1])
        assert at is not None
        rest = doc_text(doc)[at: _para_end(doc_text(doc), at)].strip(" .\xa0")
        if rest and len(rest.split()) <= 6 and all(
                next((c for c in w if c.isalpha()), "A").isupper() for w in rest.split()):
            return doc[i + 1]
    last = doc_text(doc)[q.end - 1]
    if last == ".":
        return None  # “... .” Next sentence: whatever follows is not this quote's frame
    frame = _frame_verb(doc, i, mask)
    if frame is not None:
        return frame
    limit = 5 if last in "?!" else 16  # “Why?” she asked. / “Go!” shouted the crowd.
    while i < len(doc) and n < limit:
        tok = doc[i]
        if i in mask or _is_boundary(doc, tok, mask):
            return None
        if is_cue(tok):
            return tok
        i, n = i + 1, n + 1
    return None


def _frame_verb(doc: Doc, i: int, mask: dict[int, int]) -> Token | None:
    """The verb of a speech frame after a quote that ends on a comma, "?" or "!": a clause of
    a subject (a pronoun or a noun phrase) and one finite verb, in either order, alone up to
    the sentence's end or a comma (“...,” Trump reacted. / “...?” reacted Trump. / “...,”
    Roe notes.): whatever its lemma, the verb frames the quote. A verb the tagger took for
    a plural noun counts after a name ("Roe notes")."""
    run: list[Token] = []
    while i < len(doc) and len(run) <= 7:
        tok = doc[i]
        if i in mask:
            return None
        if _is_boundary(doc, tok, mask) or tok.text in (",", ";", ":"):
            break
        run.append(tok)
        i += 1
    else:
        if i < len(doc):
            return None
    if i < len(doc) and doc[i].text == ":" or len(run) < 2:
        return None
    words = words_of(doc)
    verbs = [t for t in run if t.pos_ == "VERB" and t.tag_ in ("VBD", "VBZ", "VBP")]
    if not verbs:
        nouns = [t for t in run if t.pos_ == "NOUN" and t.tag_ == "NNS" and t.i > run[0].i
                 and doc[t.i - 1].pos_ == "PROPN" and t.i == run[-1].i]
        verbs = nouns
    if len(verbs) != 1:
        return None
    verb = verbs[0]
    rest = [t for t in run if t.i != verb.i and t.pos_ not in ("ADV", "PART")
            and not (t.dep_ == "prt" and t.head.i == verb.i)]  # "Roe pointed out"
    if not rest or any(t.pos_ not in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM")
                       or (t.pos_ == "PRON" and t.lower_ not in words.person_pronouns
                           | words.plural_pronouns) for t in rest):
        return None
    side = [t for t in rest if t.i < verb.i]
    if side and len(side) != len(rest):
        return None  # a noun phrase on both sides: an object, not a frame
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in rest):
        return None
    return verb


def _dash_end(tok: Token) -> int | None:
    """Where a byline's name starts after a dash token ("―", "--"), or after a dash the
    tokenizer glued to the closing mark ("”―"); None for any other token."""
    if tok.text in DASHES or (tok.text == "-" and tok.i > 0 and "\n" in tok.doc[tok.i - 1].text):
        # (a hyphen only where it opens a paragraph: "- Jane Roe." under the quote)
        return tok.idx + len(tok.text)
    if len(tok.text) == 2 and tok.text[0] in CLOSERS + '"' and tok.text[1] in DASHES:
        return tok.idx + 2
    return None


def _cue_word(tok: Token) -> str:
    """The cue as the record shows it: the dash alone where a closing mark holds it."""
    at = _dash_end(tok)
    return doc_text(tok.doc)[tok.idx + 1: at] if at is not None and tok.text not in DASHES \
        and tok.text != "-" else cue_text(tok)


def _colon_frame(doc: Doc, q: QuoteSpan, mask: dict[int, int]) -> Token | None:
    """The verb of a sentence that is only a speaker and a verb, closed by a colon right
    before the quote ("X resisted: “...”", "X fired back forcefully: “...”", "She boomed:
    “...”"): whatever its lemma, it introduces the quote."""
    before = doc.char_span(q.open_at, q.open_at + 1, alignment_mode="expand")
    if before is None or before.start < 2:
        return None
    i = before.start - 1
    while i >= 0 and doc[i].is_space and "\n" not in doc[i].text:
        i -= 1
    if i < 1 or doc[i].text != ":" or i in mask:
        return None
    run: list[Token] = []
    i -= 1
    while i >= 0 and len(run) <= 8:
        tok = doc[i]
        if i in mask or _is_boundary(doc, tok, mask) or tok.is_space:
            break
        run.insert(0, tok)
        i -= 1
    else:
        if i >= 0:
            return None
    verbs = [t for t in run if t.pos_ == "VERB"]
    if len(verbs) != 1 or verbs[0].tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    verb = verbs[0]
    subject = [t for t in run if t.i < verb.i]
    after = [t for t in run if t.i > verb.i]
    words = words_of(doc)
    if not subject or any(t.pos_ not in ("PROPN", "NOUN", "DET", "ADJ", "PRON", "PUNCT")
                          or (t.pos_ == "PRON" and t.lower_ not in words.person_pronouns
                              | words.plural_pronouns) for t in subject):
        return None
    if not any(t.pos_ == "PROPN" or t.pos_ == "PRON" for t in subject):
        return None  # a named or pronoun speaker only ("The statement reads:" has its rules)
    if any(t.pos_ not in ("ADV", "PART") and not (t.dep_ == "prt" and t.head.i == verb.i)
           for t in after):
        return None
    return verb


def _cue_left(doc: Doc, q: QuoteSpan, mask: dict[int, int]) -> Token | None:
    """"X said, “...”" / "According to X, “...”": a cue just before the opening mark."""
    before = doc.char_span(q.open_at, q.open_at + 1, alignment_mode="expand")
    if before is None:
        return None
    i, n, verbs = before.start - 1, 0, 0
    while i >= 0 and n < 30:
        tok = doc[i]
        if i in mask or _is_boundary(doc, tok, mask):
            return None
        if is_cue(tok):
            return tok if verbs == 0 and n <= 12 else None
        if tok.pos_ == "VERB":
            verbs += 1
        i, n = i - 1, n + 1
    return None


def _colon_cue(doc: Doc, paras: list[tuple[int, int]], p: int,
               mask: dict[int, int], announcing: bool = False) -> Token | None:
    """The cue of a paragraph that ends "X said:" (introducing the next paragraph); with
    `announcing`, for a quotation opening that paragraph, also "X made the following
    comment:" (a statement's unquoted paragraphs are no quote)."""
    if p < 0:
        return None
    s, e = paras[p]
    if not doc_text(doc)[s:e].rstrip().endswith(":"):
        return None
    toks = _tokens(doc, s, e)
    for tok in reversed(toks):
        if tok.i in mask or (tok.text in _SENT_END and tok.i < toks[-1].i):
            return None
        if is_cue(tok) or (announcing and _announces(tok)):
            return tok
    return None


def _announces(verb: Token) -> bool:
    """An issuing verb whose object announces the text below it: "X made the following
    comment:", "X issued the following statement:" (`issuing_verbs`, `announcing_words`)."""
    words = words_of(verb.doc)
    return verb.pos_ == "VERB" and verb.lemma_.lower() in words.issuing_verbs and any(
        c.dep_ == "dobj" and any(g.lower_ in words.announcing_words for g in c.children)
        for c in verb.children)


def _stands_alone(text: str, q: QuoteSpan, paras: list[tuple[int, int]],
                  spans: list[QuoteSpan]) -> str | None:
    """How a quote with no cue of its own may go on in an earlier voice, by the convention
    of news writing: "para" when it is its whole paragraph (or the next part of a quote left
    open), so it continues the previous paragraph's speaker; "sentence" when it is a whole
    sentence (“A,” X said. “B.”), so it continues a speaker of its own paragraph."""
    if q.para > 0 and any(p.continues and p.para == q.para - 1 for p in spans):
        return "para"
    s, e = paras[q.para]
    body = text[s:e].strip()
    quoted = text[q.open_at:q.outer_end].strip()
    if len(quoted) >= 0.9 * len(body):
        return "para"
    before = text[s:q.open_at].rstrip()
    after = text[q.outer_end:e].lstrip()
    starts = not before or before[-1] in ".!?:" or (before[-1] in DOUBLE_MARKS
                                                   and before[-2:-1] in (".", "!", "?"))
    ends = q.close_at is None or text[q.end - 1] in ".!?" or not after or after[0] in ".!?" \
        or _WHOLE_SENTENCE.search(text[q.start:q.end]) is not None
    # (a quote holding a whole sentence before the writer takes its last one over:
    # “A,” X said. “B. C” for the rich.)
    return "sentence" if starts and ends and q.words(text) >= 3 else None


def _block_quotes(doc: Doc, paras: list[tuple[int, int]], spans: list[QuoteSpan],
                  mask: dict[int, int]) -> list[_Item]:
    """A paragraph ending "X said:" and a next paragraph with no opening mark: a block quote."""
    out = []
    for p in range(len(paras) - 1):
        cue = _colon_cue(doc, paras, p, mask)
        if cue is None:
            continue
        ns, ne = paras[p + 1]
        body = doc_text(doc)[ns:ne]
        stripped = body.lstrip()
        if not stripped or stripped[0] in DOUBLE_MARKS:
            continue
        start = ns + len(body) - len(stripped)
        out.append(_Item(start, ne - (len(body) - len(body.rstrip())), True, cue=cue,
                         by_dependency=True))
    return out


def _apply_labels(text: str, paras: list[tuple[int, int]], items: list[_Item]) -> None:
    """A quote opening a paragraph with a speaker label (“SMITH: ...) speaks for SMITH."""
    for it in items:
        q = it.span
        if q is None or q.open_at > paras[q.para][0] + _lead_space(text, paras[q.para]):
            continue
        m = _LABEL.match(text, paras[q.para][0], paras[q.para][1])
        if m and m.end() > q.start:
            it.extra["label"] = (m.start(1), m.end(1))
            it.start = m.end()
            it.cue = None


def _labelled_paragraphs(text: str, paras: list[tuple[int, int]],
                         spans: list[QuoteSpan]) -> list[_Item]:
    """A transcript paragraph "SMITH: ..." with no quote marks: SMITH's words."""
    out = []
    for n, (s, e) in enumerate(paras):
        m = _LABEL.match(text, s, e)
        if not m or text[s:m.start(1)].strip() or any(q.para == n for q in spans):
            continue
        end = s + len(text[s:e].rstrip())
        if end - m.end() > 2:
            out.append(_Item(m.end(), end, True, extra={"label": (m.start(1), m.end(1))}))
    return out


# --- speakers ------------------------------------------------------------------------------

def _resolve(doc: Doc, items: list[_Item], spans: list[QuoteSpan],
             paras: list[tuple[int, int]]) -> None:
    """Give every item its speaker, in text order, so pronouns find earlier speakers."""
    memory = SpeakerMemory(doc)
    mask = _quote_mask(doc, spans)
    quote_speaker: dict[int, Speaker | None] = {}
    index = {id(q): n for n, q in enumerate(spans)}
    by_cue: dict[int, Speaker | None] = {}
    phrase_of: dict[int, tuple[int, int] | None] = {}  # cue -> unnamed source's words
    para_of = _para_index(paras)
    # paragraph, speaker, cue, unnamed source
    last: tuple[int, Speaker | None, str | None, tuple[int, int] | None] | None = None
    for it in items:
        if "label" in it.extra:
            it.speaker = name_speaker(doc, *it.extra["label"])
            memory.add(it.extra["label"][0], it.speaker)
        elif it.cue is not None and _dash_end(it.cue) is not None:
            if it.cue.i not in by_cue:
                at = _dash_end(it.cue)
                assert at is not None
                end = _para_end(doc_text(doc), at)
                by_cue[it.cue.i] = name_speaker(
                    doc, at + _lead_space(doc_text(doc), (at, end)),
                    len(doc_text(doc)[:end].rstrip(" .\xa0")))
                memory.add(it.cue.idx, by_cue[it.cue.i])
            it.speaker = by_cue[it.cue.i]
        elif it.cue is not None:
            if it.cue.i not in by_cue:
                subj = cue_subject(it.cue)
                if subj is not None and subj.i in mask:
                    # "“... the president ...,” Flynn, a surrogate, said": the parser took
                    # a word of the quote for the subject; the one outside it speaks
                    subj = _subject_outside(it.cue, mask) or subj
                if subj is None or subj.i in mask:
                    # "“...,” recalled Mr. Roe", "“...,” said Jane Roe, an economist, “...”":
                    # the name after a cue that follows the quote (inverted order), which
                    # the parser made the cue's object or the next clause's subject
                    subj = _inverted_subject(it.cue, mask) or subj
                spk = speaker_from_subject(doc, subj, memory) if subj is not None else None
                if subj is None or subj.i in mask:
                    # "“...,” vowing to ...": the participle hangs on the quote, whose
                    # speaker it shares
                    host = _host_quote(it.cue, mask)
                    spk = quote_speaker.get(host) if host is not None else None
                    spk = spk or _parenthetical_speaker(doc, it.cue, mask, by_cue, memory)
                if spk is not None and subj is not None and subj.pos_ == "PRON" \
                        and subj.i not in mask:
                    spk = replace(spk, start=subj.idx, end=subj.idx + len(subj))
                if spk is not None and subj is not None and subj.pos_ != "PRON" \
                        and is_plural(subj):
                    spk = replace(spk, plural=True)  # "McConnell aides said ... they"
                rel = relative_subject(it.cue)
                if spk is not None and rel is not None:
                    # "Smith, who said ...": the speaker's mention here is "who"
                    spk = replace(spk, start=rel.idx, end=rel.idx + len(rel))
                by_cue[it.cue.i] = spk
                phrase_of[it.cue.i] = source_words(subj) if spk is None and subj is not None \
                    and subj.i not in mask else None
                memory.add(min(it.start, it.cue.idx), spk)
                memory.note_document(it.cue, spk)
            it.speaker, it.source = by_cue[it.cue.i], phrase_of[it.cue.i]
            if not it.direct:
                # "Yonhap reported, citing a report by the agency, that ...": the claim is the
                # agency's (a direct quote stays with whoever spoke the words)
                origin = cited_source(it.cue)
                if origin is not None:
                    named = speaker_from_subject(doc, origin, memory)
                    if named is not None:
                        it.speaker, it.source = named, None
                    elif it.speaker is None:
                        it.source = source_words(origin)
        elif it.inherit and last is not None:
            p = para_of(it.start)
            if last[0] == p or (last[0] == p - 1 and it.inherit == "para"):
                it.speaker, it.source = last[1], last[3]
                it.extra["inherited"] = True
                it.extra["cue"] = last[2]
        if it.span is not None:
            quote_speaker[index[id(it.span)]] = it.speaker
        if it.speaker is not None or it.cue is not None or it.extra.get("inherited"):
            last = (para_of(it.start), it.speaker,
                    _cue_word(it.cue) if it.cue is not None else it.extra.get("cue"), it.source)
    _backfill_chains(items)


def _parenthetical_speaker(doc: Doc, cue: Token, mask: dict[int, int],
                           by_cue: dict[int, Speaker | None],
                           memory: SpeakerMemory) -> Speaker | None:
    """The speaker of the parenthetical cue a subjectless participle follows, where the
    parser hung both on the quote: “...,” X said, suggesting “...” -> X."""
    h = cue
    for _ in range(4):
        if h.head.i == h.i:
            return None
        h = h.head
        for c in h.children:
            if c.dep_ == "parataxis" and c.i != cue.i and c.i not in mask and c.i < cue.i \
                    and is_cue(c) and is_actual(c):
                if c.i in by_cue:
                    return by_cue[c.i]
                subj = cue_subject(c)
                return speaker_from_subject(doc, subj, memory) if subj is not None \
                    and subj.i not in mask else None
    return None


def _subject_outside(cue: Token, mask: dict[int, int]) -> Token | None:
    """A cue's subject outside the quotes, where the parser gave it one inside a quote: another
    subject of the cue ("“...,” said James Acton", with a word of the quote as a second
    subject), or a name or pronoun standing as subject or apposition between the quote's
    end and the cue ("“...,” Flynn, a top surrogate, said")."""
    subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS and c.i not in mask]
    if subjects:
        return min(subjects, key=lambda c: abs(c.i - cue.i))
    i = cue.i - 1
    while i >= cue.sent.start and i not in mask:
        i -= 1
    for tok in cue.doc[i + 1: cue.i]:
        while tok.dep_ in ("compound", "flat") and tok.head.i < cue.i and tok.head.i not in mask:
            tok = tok.head
        if tok.dep_ in SUBJECT_DEPS | {"appos"} and (tok.pos_ in ("PROPN", "PRON")
                                                    or tok.ent_type_):
            return tok
    return None


def _inverted_subject(cue: Token, mask: dict[int, int]) -> Token | None:
    """The speaker named right after a cue that directly follows a closing quotation mark
    (“...,” recalled Mr. Roe. / “...,” said Jane Roe, a ..., “...”): the last noun of the
    name or noun phrase that starts after the cue, up to the first punctuation mark or
    verb. Only a proper name, or a noun phrase that holds one, counts."""
    doc = cue.doc
    i = cue.i - 1
    while i >= cue.sent.start and i not in mask and doc[i].is_punct:
        i -= 1
    if i < 0 or i not in mask:
        return None  # the cue does not follow a quote's closing mark (only punctuation between)
    run: list[Token] = []
    for tok in doc[cue.i + 1: min(len(doc), cue.i + 9)]:
        if tok.i in mask or tok.is_punct or tok.is_space or tok.pos_ in (
                "VERB", "AUX", "ADP", "SCONJ", "CCONJ", "PRON", "PART", "ADV"):
            break
        run.append(tok)
    nouns = [t for t in run if t.pos_ in ("PROPN", "NOUN")]
    if not nouns or not any(t.pos_ == "PROPN" or t.ent_type_ for t in run):
        return None
    return nouns[-1]


def _host_quote(cue: Token, mask: dict[int, int]) -> int | None:
    """The quote a subjectless cue hangs on, if it hangs on one."""
    h = cue
    for _ in range(4):
        if h.head.i == h.i:
            return None
        h = h.head
        if h.i in mask:
            return mask[h.i]
    return None


def _backfill_chains(items: list[_Item]) -> None:
    """A quote left open at paragraph end shares the speaker of the paragraph it runs on to."""
    quoted = sorted((it for it in items if it.span is not None), key=lambda it: it.start)
    for a, b in zip(reversed(quoted[:-1]), reversed(quoted[1:])):
        sa, sb = a.span, b.span
        assert sa is not None and sb is not None
        if sa.continues and sb.para == sa.para + 1 and a.speaker is None \
                and a.cue is None and b.speaker is not None:
            a.speaker, a.source = b.speaker, b.source
            a.extra["inherited"] = True


def _para_index(paras: list[tuple[int, int]]) -> Callable[[int], int]:
    starts = [s for s, _ in paras]

    def find(pos: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    return find


def _keep(text: str, it: _Item, words_: SpeechWords) -> bool:
    """Drop scare quotes, titles and one-word terms; keep attributed or sentence-long quotes."""
    q = it.span
    assert q is not None
    words = q.words(text)
    attributed = it.cue is not None or it.extra.get("inherited", False)
    if q.single:
        return it.cue is not None and it.by_dependency and words >= 2
    if words <= 1:
        # "“No,” she said.": a one-word utterance, not a quoted term
        return it.cue is not None and q.close_at is not None and \
            text[q.close_at - 1] in ",.!?"
    if _is_title(text[q.start:q.end], words_.title_small_words) and not (
            it.cue is not None and it.cue.lemma_.lower() in words_.naming):
        return False  # “Fox News Sunday”, “The Art of War”: a title, not words spoken
    if attributed and (it.speaker is not None or words > 4 or it.inherit):
        return True
    return words >= 5 and any(c in text[q.start:q.end] for c in " ")


def _is_title(content: str, small: frozenset[str]) -> bool:
    """Short, capitalised throughout, no sentence punctuation: a name or a title."""
    words = re.findall(r"[^\W\d_][\w'’\-]*", content)
    if not words or len(words) > 8 or content.rstrip()[-1:] in ".!?,":
        return False
    return all(w[0].isupper() or w.lower() in small for w in words) and words[0][0].isupper()
