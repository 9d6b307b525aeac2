"""The tense of a place in a document, from the clauses the parse stored.

Extraction keeps each clause's tense, mood and negation (`extract/clauses.py`), so the
linker never reads the text again to tell a report from a plan. Three questions:

- `sentence(start, end)`: the tense of the sentence around a span, quoted speech set aside
  unless the span is in it: future if a clause plans, else past if one reports, else
  present ("... told reporters at a Tuesday, September 5 briefing" is past).
- `clause(start, end)`: the tense of the innermost clause holding the span ("a diplomat
  familiar with Wednesday's talks said" is past even when the sentence also plans).
- `event(ev)`: a stored event's own words (the verbs heading clauses inside its span), else
  the clause holding it; a planned or hypothetical event is future.
A document analysed before clauses were stored has none: every answer is then "present"
(no claim about the date is made from it), never a guess from the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_ORDER = ("future", "past", "present")


class Tenses:
    """Questions about tense over one document's stored clauses (plain dicts)."""

    def __init__(self, clauses: Iterable[dict[str, Any]]) -> None:
        self.clauses = sorted(clauses, key=lambda c: (c["start"], -c["end"]))

    @staticmethod
    def _pick(tenses: Iterable[str]) -> str:
        found = set(tenses)
        return next((t for t in _ORDER if t in found), "present")

    def _innermost(self, start: int, end: int) -> dict[str, Any] | None:
        holding = [c for c in self.clauses if c["start"] <= start and end <= c["end"]]
        return min(holding, key=lambda c: c["end"] - c["start"]) if holding else None

    def _quoted(self, start: int) -> bool:
        inner = self._innermost(start, start + 1)
        return bool(inner and inner.get("quoted"))

    def sentence(self, start: int, end: int) -> str:
        """Tense of the sentence around [start, end) (quotes aside unless the span is in one)."""
        same = [c for c in self.clauses if c["sent_start"] <= start < c["sent_end"]]
        if not self._quoted(start):
            same = [c for c in same if not c.get("quoted")]
        return self._pick(c["tense"] for c in same)

    def clause(self, start: int, end: int) -> str:
        """Tense of the innermost clause holding [start, end), else of its sentence."""
        inner = self._innermost(start, end)
        return inner["tense"] if inner else self.sentence(start, end)

    def event(self, ev: dict[str, Any]) -> str:
        """'future' for a plan; else the tense of the verbs inside the event's span."""
        if ev.get("status") in ("planned", "hypothetical"):
            return "future"
        start, end = ev.get("start") or 0, ev.get("end") or 0
        if end <= start:
            return "present"
        heads = [c["tense"] for c in self.clauses
                 if start <= c["head_start"] and c["head_end"] <= end and not c.get("quoted")]
        if heads:
            return self._pick(heads)
        return self.clause(start, end)
