"""A trained pairwise score for two event mentions, and clustering over such scores.

The model is a logistic regression over named features (trigger lemma, trigger vectors,
arguments, time and place compatibility, sentence and document similarity); its weights,
the feature scaling and the clustering threshold are a data file of the package
(`storyline/data/event_coref.json`), written by `scripts/train_coref.py` from the ECB+
train topics alone (weights only, no corpus text). `average_link` clusters mentions over
the model's probabilities, as the threshold was chosen for.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from ..errors import ModelError

MODEL_FILE = "event_coref.json"


@dataclass(frozen=True)
class PairModel:
    """Logistic weights over standardised features, and the merge threshold."""

    features: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float
    meta: dict[str, Any]

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(same event) for each row of `x` (columns in the order of `features`); works on
        any shape whose last axis is the features."""
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def to_json(self) -> dict[str, Any]:
        return {"features": list(self.features),
                "weights": [round(float(w), 6) for w in self.weights],
                "bias": round(float(self.bias), 6),
                "mean": [round(float(v), 6) for v in self.mean],
                "scale": [round(float(v), 6) for v in self.scale],
                "threshold": round(float(self.threshold), 4), **self.meta}

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str = MODEL_FILE) -> PairModel:
        """A model from its stored form; a file that lacks a part or whose lengths disagree
        is refused by name."""
        try:
            feats = tuple(str(f) for f in data["features"])
            arrays = [np.asarray(data[k], dtype=np.float64) for k in ("weights", "mean", "scale")]
            bias, threshold = float(data["bias"]), float(data["threshold"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"not a pairwise model ({exc})", source=source) from exc
        if any(a.shape != (len(feats),) for a in arrays) or np.any(arrays[2] <= 0):
            raise ModelError(f"weights, mean and scale must have one positive value per "
                             f"feature ({len(feats)} features)", source=source)
        meta = {k: v for k, v in data.items()
                if k not in ("features", "weights", "bias", "mean", "scale", "threshold")}
        return cls(feats, arrays[0], bias, arrays[1], arrays[2], threshold, meta)


@functools.lru_cache(maxsize=4)
def load_model(name: str = MODEL_FILE) -> PairModel:
    """The shipped model (`storyline/data/<name>`)."""
    text = resources.files("storyline.data").joinpath(name).read_text(encoding="utf-8")
    return PairModel.from_json(json.loads(text), name)


def fit_logistic(x: np.ndarray, y: np.ndarray, features: tuple[str, ...], *, l2: float = 1.0,
                 threshold: float = 0.5, meta: dict[str, Any] | None = None,
                 max_iter: int = 50) -> PairModel:
    """L2-regularised logistic regression on standardised columns (the bias is not
    penalised), fitted by Newton's method: a few steps over a small Hessian (one row and
    column per feature) converge where gradient steps over 300,000 pairs took a minute."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    xs = np.hstack([np.ones((len(y), 1)), (x - mean) / scale])
    penalty = np.full(xs.shape[1], float(l2))
    penalty[0] = 0.0

    def loss(w: np.ndarray) -> float:
        z = np.clip(xs @ w, -30.0, 30.0)
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * penalty @ (w * w))

    w = np.zeros(xs.shape[1])
    current = loss(w)
    for _ in range(max_iter):
        p = 1.0 / (1.0 + np.exp(-np.clip(xs @ w, -30.0, 30.0)))
        grad = xs.T @ (p - y) + penalty * w
        hess = (xs * (p * (1.0 - p))[:, None]).T @ xs + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        rate = 1.0
        while rate > 1e-4 and loss(w - rate * step) > current:
            rate /= 2  # a full step that overshoots (nearly separable columns) is halved
        w = w - rate * step
        current = loss(w)
        if np.max(np.abs(rate * step)) < 1e-6:
            break
    return PairModel(tuple(features), w[1:], float(w[0]), mean, scale, threshold,
                     dict(meta or {}))


def average_link_cuts(items: list[Any], sims: np.ndarray, thresholds: list[float]
                      ) -> list[list[list[Any]]]:
    """Agglomerative clustering, average link (UPGMA over 1 - similarity), cut at each
    threshold: clusters keep merging while their average similarity reaches it."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(items)
    if n < 2:
        return [[list(items)] if items else [] for _ in thresholds]
    dist = np.clip(1.0 - np.asarray(sims, dtype=np.float64), 0.0, None)
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    out = []
    for th in thresholds:
        labels = fcluster(tree, t=1.0 - th + 1e-9, criterion="distance")
        groups: dict[int, list[Any]] = {}
        for item, label in zip(items, labels):
            groups.setdefault(int(label), []).append(item)
        out.append(list(groups.values()))
    return out


def average_link(items: list[Any], sims: np.ndarray, threshold: float) -> list[list[Any]]:
    """Agglomerative clustering, average link, until no two clusters reach `threshold`."""
    return average_link_cuts(items, sims, [threshold])[0]
