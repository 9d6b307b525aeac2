"""Train the pairwise event-coreference model on the ECB+ train topics and write it into
the package.

    python scripts/train_coref.py ../shared/corpora/ecbplus [--embedder hash] [--folds 5]

Writes (never edit it by hand; run this again):
  src/storyline/data/event_coref.json   feature names, logistic weights, scaling, the
                                        document-grouping and mention-merging thresholds

Train topics are 1-35 except the dev topics (2, 5, 12, 18, 21, 23, 34, 35), the standard
split (../shared/corpora/ecbplus/SOURCE.md); dev and test topics are never read. Every pair
of gold event mentions within a topic is a row (positive when both are in one gold
cluster), its features those of `storyline.eval.corpora.ecbplus.pair_features`. The two
thresholds are chosen by cross-validation over train topics: for each document-grouping
threshold, the weights are fitted on all folds but one and the held-out topics clustered at
each mention threshold; the pair with the best CoNLL F1 over all held-out topics is kept.
Then the weights are fitted again on every train topic. The model also keeps, for pairs of
head lemmas, how often two mentions of one gold sub-topic with those heads were one event
(the `pair_rate` feature; in training, each topic reads the counts of the other topics
only). Only weights and lemma counts are written, no text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.eval.corpora.coref_metrics import conll
from storyline.eval.corpora.ecbplus import (
    DEV_TOPICS,
    FEATURES,
    TopicData,
    annotate,
    lemma_pair_counts,
    merge_tables,
    read_topics,
    topic_data,
)
from storyline.link.embed import get_embedder
from storyline.link.pairwise import MODEL_FILE, average_link_cuts, fit_logistic
from storyline.nlp import load_nlp

OUT = ROOT / "src" / "storyline" / "data" / MODEL_FILE
TRAIN_TOPICS = [t for t in range(1, 36) if t not in DEV_TOPICS and t not in (15, 17)]
DOC_THRESHOLDS = (0.03, 0.04, 0.05, 0.06)
MENTION_THRESHOLDS = tuple(round(x, 3) for x in np.arange(0.2, 0.81, 0.025))
L2 = 1.0
MIN_PAIR_POSITIVE, MIN_PAIR_COUNT = 2, 10  # lemma pairs kept in the model file
LICENSE = ("Weights learned from the ECB+ annotations of train topics (Cybulska & Vossen, "
           "LREC 2014; CC BY 3.0); no corpus text is included.")


def rows(tds: list[TopicData]) -> tuple[np.ndarray, np.ndarray]:
    """Every mention pair of each topic (upper triangle): features and gold label."""
    xs, ys = [], []
    for td in tds:
        n = len(td.mentions)
        iu = np.triu_indices(n, 1)
        gold = np.array([m.gold for m in td.mentions])
        xs.append(td.features[iu])
        ys.append((gold[:, None] == gold[None, :])[iu].astype(float))
    return np.vstack(xs), np.concatenate(ys)


def gold_clusters(tds: list[TopicData]) -> list[list[str]]:
    out: dict[str, list[str]] = {}
    for td in tds:
        for m in td.mentions:
            out.setdefault(m.gold, []).append(m.id)
    return list(out.values())


def cross_validate(tds: list[TopicData], folds: int) -> dict[float, float]:
    """CoNLL F1 over all held-out topics, for each mention threshold."""
    response: dict[float, list[list[str]]] = {th: [] for th in MENTION_THRESHOLDS}
    for k in range(folds):
        train = [td for i, td in enumerate(tds) if i % folds != k]
        held = [td for i, td in enumerate(tds) if i % folds == k]
        x, y = rows(train)
        model = fit_logistic(x, y, FEATURES, l2=L2)
        for td in held:
            probs = model.probability(td.features)
            cuts = average_link_cuts([m.id for m in td.mentions], probs,
                                     list(MENTION_THRESHOLDS))
            for th, clusters in zip(MENTION_THRESHOLDS, cuts):
                response[th] += clusters
    key = gold_clusters(tds)
    return {th: conll(key, r)["conll_f1"] for th, r in response.items()}


def dump(data: dict) -> str:
    """JSON with one key a line and one lemma pair a line (a reviewable diff)."""
    lines = []
    for k, v in data.items():
        if k == "lemma_pairs":
            rows = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in v)
            lines.append(f' "{k}": [\n{rows}\n ]')
        else:
            lines.append(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="the ECB+ folder")
    ap.add_argument("--embedder", default="hash", choices=("hash", "e5"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    t0 = time.time()
    docs, mentions = read_topics(args.path, TRAIN_TOPICS)
    nlp = load_nlp("auto", ())
    with nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in (
            "tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "ner")]):
        annotate(docs, mentions, nlp)
    emb = get_embedder(args.embedder)
    print(f"{len(TRAIN_TOPICS)} train topics, {len(docs)} documents, {len(mentions)} mentions "
          f"({time.time() - t0:.0f} s)", flush=True)
    per_topic = lemma_pair_counts(mentions)
    table = merge_tables(list(per_topic.values()))
    base_rate = sum(p for p, _ in table.values()) / max(1, sum(n for _, n in table.values()))
    # a topic's features read the lemma pairs of the other train topics only
    tds = topic_data(docs, mentions, emb, DOC_THRESHOLDS[0], table, base_rate, per_topic)
    best = (-1.0, DOC_THRESHOLDS[0], MENTION_THRESHOLDS[0])
    for doc_th in DOC_THRESHOLDS:
        for td in tds:
            td.regroup(doc_th)
        scores = cross_validate(tds, args.folds)
        th, f1 = max(scores.items(), key=lambda kv: kv[1])
        print(f"doc threshold {doc_th}: best mention threshold {th} CoNLL {100 * f1:.2f} "
              f"(groups per topic {np.mean([len(set(t.groups.values())) for t in tds]):.1f})",
              flush=True)
        if f1 > best[0]:
            best = (f1, doc_th, th)
    f1, doc_th, th = best
    for td in tds:
        td.regroup(doc_th)
    x, y = rows(tds)
    model = fit_logistic(x, y, FEATURES, l2=L2, threshold=th, meta={
        "doc_threshold": doc_th, "embedder": emb.name, "train_topics": TRAIN_TOPICS,
        "cv_conll_f1": round(100 * f1, 2), "pairs": len(y), "positive": int(y.sum()),
        "license": LICENSE, "base_rate": round(base_rate, 5),
        "lemma_pairs": [[a, b, pos, n] for (a, b), (pos, n) in sorted(table.items())
                        if pos >= MIN_PAIR_POSITIVE or n >= MIN_PAIR_COUNT]})
    args.out.write_text(dump(model.to_json()), encoding="utf-8")
    print(f"wrote {args.out}: doc threshold {doc_th}, mention threshold {th}, "
          f"cross-validated CoNLL {100 * f1:.2f} on train ({time.time() - t0:.0f} s)")
    for name, w in sorted(zip(FEATURES, model.weights), key=lambda kv: -abs(kv[1])):
        print(f"  {name:26s}{w:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
