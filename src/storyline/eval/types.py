"""What the system hands to the scorer: its predictions for every file of a key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storyline.records import Analysis, Document

# Link kinds, in the order the report lists them.
LINK_KINDS = ("same_event", "same_quote", "contradiction", "same_story")


@dataclass
class FilePrediction:
    """One file as the system read it: the cleaned document and what was extracted.

    `document.text` is the cleaned text every offset in `analysis` points into;
    `document.removed` what cleaning cut; `document.meta.published` the stated date;
    `document.published_inferred` the inferred one. `analysis` None: nothing extracted.
    """

    document: Document
    analysis: Analysis | None = None


@dataclass
class PredictedLinks:
    """Cross-document clusters the system found.

    same_event / contradiction: clusters of (file, event id in that file's analysis);
    same_quote: clusters of (file, index into that file's analysis.quotes);
    same_story: clusters of file names.
    """

    same_event: list[list[tuple[str, str]]] = field(default_factory=list)
    same_quote: list[list[tuple[str, int]]] = field(default_factory=list)
    contradiction: list[list[tuple[str, str]]] = field(default_factory=list)
    same_story: list[list[str]] = field(default_factory=list)

    @classmethod
    def coerce(cls, value: PredictedLinks | dict[str, Any] | None) -> PredictedLinks:
        """Accept the dataclass, a plain dict with the same keys (lists for tuples), or None."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        unknown = set(value) - set(LINK_KINDS)
        if unknown:
            raise ValueError(f"unknown link kinds: {sorted(unknown)}")
        return cls(
            same_event=[[(str(f), str(e)) for f, e in c] for c in value.get("same_event", [])],
            same_quote=[[(str(f), int(i)) for f, i in c] for c in value.get("same_quote", [])],
            contradiction=[[(str(f), str(e)) for f, e in c]
                           for c in value.get("contradiction", [])],
            same_story=[[str(f) for f in c] for c in value.get("same_story", [])],
        )

    def any(self) -> bool:
        """True when at least one cluster of any kind was predicted."""
        return any(getattr(self, k) for k in LINK_KINDS)


@dataclass
class CorpusPrediction:
    """The system's output for a corpus, keyed by file name as the key's `file` spells it.

    A file mapped to None (or absent) is one the system could not read: everything the
    key holds for it counts as missed.
    """

    files: dict[str, FilePrediction | None]
    links: PredictedLinks = field(default_factory=PredictedLinks)

    def __post_init__(self) -> None:
        self.links = PredictedLinks.coerce(self.links)  # type: ignore[arg-type]
