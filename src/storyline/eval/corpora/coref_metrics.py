"""Coreference scores: MUC, B-cubed, CEAF-e and the CoNLL F1 (their mean).

Standard definitions (Vilain et al. 1995; Bagga & Baldwin 1998; Luo 2005), as the
reference CoNLL scorer computes them with singletons kept:

- MUC counts links: recall = sum(|K| - |p(K)|) / sum(|K| - 1) over key clusters K, where
  p(K) is the partition of K by the response (a mention the response lacks is a part of its
  own); precision swaps key and response.
- B3 averages, over mentions, |K(m) & R(m)| / |R(m)| (precision) and / |K(m)| (recall).
- CEAF-e aligns key and response clusters one to one maximising the sum of
  phi4(K, R) = 2|K & R| / (|K| + |R|); recall divides it by the number of key clusters,
  precision by the number of response clusters.

A clustering is a list of collections of hashable mention ids.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

Clusters = Sequence[Collection[Hashable]]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _index(clusters: Clusters) -> dict[Hashable, int]:
    out: dict[Hashable, int] = {}
    for i, c in enumerate(clusters):
        for m in c:
            out[m] = i
    return out


def _muc_side(key: Clusters, response: Clusters) -> float:
    where = _index(response)
    num = den = 0
    for k in key:
        parts = set()
        for m in k:
            parts.add(where.get(m, ("alone", m)))
        num += len(k) - len(parts)
        den += len(k) - 1
    return num / den if den else 0.0


def muc(key: Clusters, response: Clusters) -> dict[str, float]:
    r, p = _muc_side(key, response), _muc_side(response, key)
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


def _b3_side(key: Clusters, response: Clusters) -> float:
    """Average over the mentions of `response` of |K & R| / |R|."""
    kidx = _index(key)
    ksets = [set(c) for c in key]
    total = 0.0
    n = 0
    for r in response:
        rs = set(r)
        for m in rs:
            k = ksets[kidx[m]] if m in kidx else {m}
            total += len(k & rs) / len(rs)
            n += 1
    return total / n if n else 0.0


def b3(key: Clusters, response: Clusters) -> dict[str, float]:
    p, r = _b3_side(key, response), _b3_side(response, key)
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


def assignment_max(weights: list[list[float]]) -> float:
    """The largest total weight of a one-to-one assignment (Hungarian method, scipy)."""
    if not weights or not weights[0]:
        return 0.0
    matrix = np.asarray(weights, dtype=float)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[rows, cols].sum())


def ceaf_e(key: Clusters, response: Clusters) -> dict[str, float]:
    """CEAF-e; the alignment is solved per connected group of overlapping clusters."""
    ksets = [set(c) for c in key]
    rsets = [set(c) for c in response]
    ridx = _index(rsets)
    # components of the bipartite overlap graph: clusters that share no mention never align
    parent = list(range(len(ksets)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[int, int] = {}
    for ki, k in enumerate(ksets):
        for m in k:
            if m in ridx:
                ri = ridx[m]
                if ri in owner:
                    a, b = find(owner[ri]), find(ki)
                    if a != b:
                        parent[a] = b
                else:
                    owner[ri] = ki
    groups: dict[int, tuple[list[int], set[int]]] = {}
    for ri, ki in owner.items():
        groups.setdefault(find(ki), ([], set()))[1].add(ri)
    for ki in range(len(ksets)):
        groups.setdefault(find(ki), ([], set()))[0].append(ki)
    similarity = 0.0
    for ks, rs in groups.values():
        rl = sorted(rs)
        if not rl:
            continue
        w = [[2 * len(ksets[k] & rsets[r]) / (len(ksets[k]) + len(rsets[r])) for r in rl]
             for k in ks]
        similarity += assignment_max(w)
    r = similarity / len(ksets) if ksets else 0.0
    p = similarity / len(rsets) if rsets else 0.0
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


def conll(key: Clusters, response: Clusters) -> dict[str, Any]:
    """MUC, B3, CEAF-e and their mean F1 (the CoNLL F1)."""
    scores: dict[str, Any] = {"muc": muc(key, response), "b3": b3(key, response),
                              "ceaf_e": ceaf_e(key, response)}
    scores["conll_f1"] = (scores["muc"]["f1"] + scores["b3"]["f1"] +
                          scores["ceaf_e"]["f1"]) / 3
    return scores
