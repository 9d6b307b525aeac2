#!/usr/bin/env python3
"""Calibrate when two quotes in different languages are one statement, for an embedder.

    .venv/bin/python scripts/calibrate_xling.py [--embedder e5]

Reads scripts/data/xling_statements.json (statements written for Storyline, each with our
own translations) and embeds every text. Positives: one statement in two different
languages. Negatives: two different statements (on the same subjects) in two different
languages. Prints the cosine distributions and the threshold that keeps the negatives
but one in a hundred (the 99th percentile of the negatives, rounded up) with the share of
positives it keeps; that value is the embedder's `same_statement_xling` in
src/storyline/link/embed.py. One false pair in a hundred is tolerable there because a
same-statement link also needs the same speaker within 30 days.

It also prints, for each threshold from 0.80 to 0.88, the share of positives kept and of
negatives over it, plainly and for pairs that are "mutual best" (within one pair of
languages, each text is the other's closest): the embedder's `same_statement_xling_mutual`
is the threshold where no mutual-best negative remains and the plain rule lets in at most
one negative in twenty-five.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path

import numpy as np

from storyline.link.embed import get_embedder

DATA = Path(__file__).resolve().parent / "data" / "xling_statements.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--embedder", default="auto")
    a = ap.parse_args()
    rows = json.loads(DATA.read_text(encoding="utf-8"))["statements"]
    emb = get_embedder(a.embedder)
    items = [(i, lang, text) for i, row in enumerate(rows) for lang, text in row.items()]
    vecs = np.asarray(emb.embed([t for _, _, t in items]))
    pos, neg = [], []
    for (x, vx), (y, vy) in itertools.combinations(zip(items, vecs), 2):
        if x[1] == y[1]:
            continue  # same language: the monolingual calibration covers it
        (pos if x[0] == y[0] else neg).append(float(vx @ vy))
    mutual_pos, mutual_neg = _mutual_best(items, vecs)
    pos_a, neg_a = np.array(pos), np.array(neg)
    threshold = math.ceil(np.percentile(neg_a, 99) * 100) / 100
    print(json.dumps({
        "embedder": emb.name, "positives": len(pos), "negatives": len(neg),
        "positive_cosine": {"min": round(pos_a.min(), 3), "p10": round(np.percentile(pos_a, 10), 3),
                            "median": round(float(np.median(pos_a)), 3)},
        "negative_cosine": {"max": round(neg_a.max(), 3), "p99": round(np.percentile(neg_a, 99), 3),
                            "median": round(float(np.median(neg_a)), 3)},
        "threshold": threshold,
        "positives_kept": round(float((pos_a >= threshold).mean()), 3),
        "monolingual_same_statement": emb.same_statement,
        "by_threshold": {f"{t:.2f}": {
            "positives_kept": round(float((pos_a >= t).mean()), 3),
            "negatives_over": round(float((neg_a >= t).mean()), 4),
            "mutual_positives_kept": round(sum(c >= t for c in mutual_pos) / len(pos), 3),
            "mutual_negatives_over": round(sum(c >= t for c in mutual_neg) / len(neg), 4)}
            for t in np.arange(0.80, 0.885, 0.01)},
        "same_statement_xling_mutual": getattr(emb, "same_statement_xling_mutual", None)},
        indent=2))


def _mutual_best(items: list[tuple[int, str, str]], vecs: np.ndarray
                 ) -> tuple[list[float], list[float]]:
    """Cosines of the cross-language pairs that are mutual best within their two languages
    (each text the other's closest in the other language): (positives, negatives)."""
    langs = sorted({lang for _, lang, _ in items})
    pos: list[float] = []
    neg: list[float] = []
    for la, lb in itertools.combinations(langs, 2):
        a = [(k, it) for k, it in enumerate(items) if it[1] == la]
        b = [(k, it) for k, it in enumerate(items) if it[1] == lb]
        if not a or not b:
            continue
        m = np.array([[float(vecs[i] @ vecs[j]) for j, _ in b] for i, _ in a])
        for r, (_, x) in enumerate(a):
            for c, (_, y) in enumerate(b):
                if m[r, c] >= m[r].max() and m[r, c] >= m[:, c].max():
                    (pos if x[0] == y[0] else neg).append(float(m[r, c]))
    return pos, neg


if __name__ == "__main__":
    main()
