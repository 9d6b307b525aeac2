"""The scores as a table for the terminal."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from storyline.eval.types import LINK_KINDS

_PRF = ("boilerplate", "entities", "quotes", "events", "links")


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _counts(counts: dict[str, Any] | None) -> str:
    if not counts:
        return ""
    if "correct" in counts:
        return f"{counts['correct']}/{counts['n']} right"
    return f"{counts['tp']} matched, {counts['predicted']} predicted, {counts['gold']} in key"


def render_table(scores: dict[str, Any]) -> Table:
    """One row per stage (and per sub-score: keep, speaker, event attributes, link kinds)."""
    counts = (scores.get("details") or {}).get("counts", {})
    table = Table(title="Storyline eval", show_lines=False)
    for name, justify in (("Stage", "left"), ("Precision", "right"), ("Recall", "right"),
                          ("F1", "right"), ("Accuracy", "right"), ("Counts", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]

    def prf_row(label: str, s: dict[str, Any], note: str = "") -> None:
        table.add_row(label, _num(s["precision"]), _num(s["recall"]), _num(s["f1"]), "", note)

    def acc_row(label: str, value: float | None, note: str = "") -> None:
        table.add_row(label, "", "", "", _num(value), note)

    for stage in ("boilerplate", "published", "published_inferred", "entities", "times",
                  "quotes", "events", "links"):
        s = scores.get(stage)
        if s is None:
            table.add_row(stage, "", "", "", "", "not built", style="dim")
            continue
        if stage in _PRF:
            prf_row(stage, s, _counts(counts.get(stage)))
        else:
            acc_row(stage, s["accuracy"], _counts(counts.get(stage)))
        if stage == "boilerplate":
            acc_row("  keep", s["keep_recall"])
        elif stage == "quotes":
            acc_row("  speaker", s["speaker_accuracy"])
        elif stage == "events":
            for attr, value in s["attributes"].items():
                acc_row(f"  {attr}", value)
        elif stage == "links":
            for kind in LINK_KINDS:
                prf_row(f"  {kind}", s["by_kind"][kind])
    return table
