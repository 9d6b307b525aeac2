"""Throughput of a language pack's pipeline against spaCy's model for that language alone.

The French pipeline (spaCy's fr_core_news_md as Storyline loads it, then the multilingual
component) against fr_core_news_md as it ships, over the French articles of
../shared/corpora/multilingual-news, in the same run (`scripts/bench_languages.py`).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from .corpora import CORPORA

ROOT = Path(__file__).resolve().parents[1]
MULTILINGUAL = CORPORA / "multilingual-news" / "docs"
AGAINST = {"fr": "fr_core_news_md"}
METHOD = ("Storyline's pipeline for the language (its spaCy model as Storyline loads it, then "
          "the multilingual component) against the same spaCy model as it ships (all its "
          "enabled components), nlp.pipe over the same cleaned articles of that language in "
          "../shared/corpora/multilingual-news, the two interleaved repeat by repeat; best "
          "of the repeats; ratio = our docs/s / spaCy's.")


def _script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "bench_languages", ROOT / "scripts" / "bench_languages.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def run(repeats: int, n_docs: int = 5) -> dict[str, Any]:
    """{code: {language, model, ours, spacy, ratio}} for each language measured."""
    if not MULTILINGUAL.is_dir():
        return {}
    script = _script()
    out: dict[str, Any] = {}
    for code, model in AGAINST.items():
        found = script.bench_against(MULTILINGUAL, code, model, n_docs, repeats)
        if found is not None:
            out[code] = found
    return out
