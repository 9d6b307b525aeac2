"""The scorer's arithmetic: precision, recall, F1 and accuracies with one convention."""

from __future__ import annotations


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | None]:
    """Precision, recall and F1 (0 against a non-empty other side, null when both are empty)."""
    if n_pred == 0 and n_gold == 0:
        return {"precision": None, "recall": None, "f1": None}
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def ratio(num: int, den: int) -> float | None:
    """An accuracy: null over no items."""
    return num / den if den else None
