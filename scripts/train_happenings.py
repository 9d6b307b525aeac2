"""Train the happenings trigger model on the event mentions of ECB+ and write its weights
into the English language pack.

    python scripts/train_happenings.py ../shared/corpora/ecbplus [--json FILE]

Reads the validated sentences (ECBplus_coreference_sentences.csv) of the train topics
(1-35 except the dev topics) and of the dev topics (2, 5, 12, 18, 21, 23, 34, 35) only;
the test topics (36-45) are never opened. Each sentence is parsed by en_core_web_md from
ECB+'s own tokens; every verb, noun and adjective (`storyline.extract.happenings.candidates`)
is one row, positive when it lies inside an ACTION_* or NEG_* mention. The features are
`happenings.features` (sparse, those seen at least MIN_FEATURE times in train) and the
token's unit word vector. L2 logistic regression (scikit-learn) is fitted on the train
topics for each C in C_GRID; the C and the threshold with the best mention F1 on dev are
kept (a gold mention is found when a predicted token lies inside it; each predicted token
counts once). Writes (never edit by hand; run this again):

  src/storyline/lang/en/happenings.model.json   weights, bias, threshold, dev scores

Only feature weights are written: no text of the corpus.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.extract.happenings import candidates, features, unit_vector
from storyline.nlp import load_nlp

OUT = ROOT / "src" / "storyline" / "lang" / "en" / "happenings.model.json"
DEV = {2, 5, 12, 18, 21, 23, 34, 35}
TRAIN = set(range(1, 36)) - DEV - {15, 17}
C_GRID = (0.3, 1.0, 3.0)
MIN_FEATURE = 2
NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "'s", "n't", "'", "''", "%"}
LICENSE = ("Weights learned from the ACTION mentions of ECB+ train topics (Cybulska & Vossen, "
           "LREC 2014; annotations CC BY 3.0); no corpus text is included.")


def read_sentences(root: Path, topics: set[int]) -> list[tuple[list[str], list[set[int]]]]:
    """(tokens, gold event mentions as sets of token positions) per validated sentence."""
    wanted: dict[str, set[int]] = collections.defaultdict(set)
    with open(root / "ECBplus_coreference_sentences.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if int(row["Topic"]) in topics:
                wanted[f"{row['Topic']}_{row['File']}.xml"].add(int(row["Sentence Number"]))
    out = []
    for name in sorted(wanted):
        path = root / "ECB+" / name.split("_")[0] / name
        tree = ET.parse(path).getroot()
        where: dict[str, tuple[int, int]] = {}
        sents: dict[int, list[str]] = collections.defaultdict(list)
        for tok in tree.iter("token"):
            s = int(tok.get("sentence"))
            where[tok.get("t_id")] = (s, len(sents[s]))
            sents[s].append(tok.text or "")
        gold: dict[int, list[set[int]]] = collections.defaultdict(list)
        for m in tree.find("Markables") or []:
            if not (m.tag.startswith("ACTION_") or m.tag.startswith("NEG_")):
                continue
            pos = [where[a.get("t_id")] for a in m.iter("token_anchor") if a.get("t_id") in where]
            if pos:
                gold[pos[0][0]].append({p for _, p in pos})
        for s in sorted(wanted[name]):
            if sents.get(s):
                out.append((sents[s], gold.get(s, [])))
    return out


def rows(nlp, sentences) -> tuple[list[list[str]], np.ndarray, list[tuple[int, int, bool]]]:
    """Features, vectors and (sentence, token, label) of every candidate token."""
    from spacy.tokens import Doc

    docs = []
    for words, _ in sentences:
        spaces = [i + 1 < len(words) and words[i + 1] not in NO_SPACE_BEFORE
                  for i in range(len(words))]
        docs.append(Doc(nlp.vocab, words=words, spaces=spaces))
    feats, vecs, keys = [], [], []
    for k, doc in enumerate(nlp.pipe(docs, batch_size=64)):
        inside = set().union(*sentences[k][1]) if sentences[k][1] else set()
        for tok in candidates(doc[:]):
            feats.append(features(tok))
            vecs.append(unit_vector(tok))
            keys.append((k, tok.i, tok.i in inside))
    return feats, np.stack(vecs), keys


def mention_scores(sentences, keys, probs: np.ndarray, thr: float) -> dict[str, float]:
    """Mention P/R/F1: a gold mention is found when a predicted token lies inside it."""
    pred = collections.defaultdict(set)
    for (k, i, _), p in zip(keys, probs):
        if p >= thr:
            pred[k].add(i)
    n_pred = sum(len(v) for v in pred.values())
    n_gold = sum(len(g) for _, g in sentences)
    found = sum(1 for k, (_, golds) in enumerate(sentences) for g in golds if g & pred[k])
    hit = sum(1 for k, toks in pred.items() for i in toks
              if any(i in g for g in sentences[k][1]))
    p = hit / n_pred if n_pred else 0.0
    r = found / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold": n_gold, "predicted": n_pred}


def matrix(feats, vecs, vocab: dict[str, int]):
    from scipy.sparse import csr_matrix, hstack

    data, ind, ptr = [], [], [0]
    for fs in feats:
        cols = sorted({vocab[f] for f in fs if f in vocab})
        ind += cols
        data += [1.0] * len(cols)
        ptr.append(len(ind))
    sparse = csr_matrix((data, ind, ptr), shape=(len(feats), len(vocab)))
    return hstack([sparse, csr_matrix(vecs)]).tocsr()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ecbplus", type=Path)
    ap.add_argument("--json", type=Path, help="also write the dev scores here")
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression

    nlp = load_nlp(components=())
    train, dev = read_sentences(args.ecbplus, TRAIN), read_sentences(args.ecbplus, DEV)
    tf, tv, tk = rows(nlp, train)
    df, dv, dk = rows(nlp, dev)
    counts = collections.Counter(f for fs in tf for f in set(fs))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_FEATURE))}
    xt, xd = matrix(tf, tv, vocab), matrix(df, dv, vocab)
    yt = np.array([lab for _, _, lab in tk])
    best = None
    for c in C_GRID:
        clf = LogisticRegression(C=c, max_iter=2000).fit(xt, yt)
        probs = clf.predict_proba(xd)[:, 1]
        for thr in np.arange(0.2, 0.8, 0.025):
            s = mention_scores(dev, dk, probs, float(thr))
            print(f"C={c} thr={thr:.3f} {s}", file=sys.stderr)
            if best is None or s["f1"] > best[0]["f1"]:
                best = (s, c, float(thr), clf)
    scores, c, thr, clf = best
    coef = clf.coef_[0]
    names = sorted(vocab, key=vocab.get)
    model = {
        "_about": "Logistic weights of storyline.extract.happenings (feature -> weight, then "
                  "the weights of the unit word vector); written by scripts/train_happenings.py",
        "_license": LICENSE,
        "_dev": {**scores, "C": c, "threshold": round(thr, 3), "train_rows": len(tk),
                 "train_sentences": len(train), "dev_sentences": len(dev)},
        "bias": round(float(clf.intercept_[0]), 4), "threshold": round(thr, 3),
        "weights": {f: round(float(w), 4) for f, w in zip(names, coef[:len(vocab)])
                    if abs(w) >= 1e-3},
        "vector": [round(float(w), 4) for w in coef[len(vocab):]],
    }
    OUT.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(model["_dev"]))
    if args.json:
        args.json.write_text(json.dumps(model["_dev"], indent=2))


if __name__ == "__main__":
    main()
