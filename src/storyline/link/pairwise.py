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
                 threshold: float = 0.5, meta: dict[str, Any] | None = None) -> PairModel:
    """L2-regularised logistic regression (L-BFGS) on standardised columns."""
    from scipy.optimize import minimize

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    xs = (x - mean) / scale
    n = len(y)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = xs @ w[1:] + w[0]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        eps = 1e-12
        val = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) / n
        val += l2 * float(w[1:] @ w[1:]) / (2 * n)
        g = (p - y) / n
        return val, np.concatenate([[g.sum()], xs.T @ g + l2 * w[1:] / n])

    res = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B",
                   options={"maxiter": 1000})
    return PairModel(tuple(features), res.x[1:], float(res.x[0]), mean, scale, threshold,
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
