"""Language identification with py3langid (its model ships inside the package: no download)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_MIN_LETTERS = 20  # below this the classifier's answer is noise
_MIN_CONFIDENCE = 0.5


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def normalise_language(code: str | None) -> str | None:
    """ISO 639-1 from a tag like "en-US", "EN", "fr_FR"; None when it is not a language tag."""
    if not code:
        return None
    head = str(code).strip().replace("_", "-").split("-")[0].lower()
    return head if len(head) == 2 and head.isalpha() else None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short or unclear."""
    sample = text[:800]  # plenty for a confident guess; the classifier is O(length)
    if sum(map(str.isalpha, sample)) < _MIN_LETTERS:
        return None
    lang, confidence = _identifier().classify(sample)
    return normalise_language(lang) if confidence >= _MIN_CONFIDENCE else None
