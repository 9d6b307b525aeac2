"""Train the attribution cue model on the PolNeAR train split and write it into the
English language pack.

    python scripts/train_attribution.py ../shared/corpora/polnear [--limit N]

Writes (never edit them by hand; run this again):
  src/storyline/lang/en/attribution_cues.json   cue lemmas: how often each heads a PolNeAR
                                                train cue (of reported content; of a direct
                                                quote), and how often it occurs at all
  src/storyline/lang/en/attribution/weights.json the logistic weights, bias and threshold

Only lemma counts and feature weights are written: no text of the corpus. Each gold
attribution whose content is not mostly quoted gives its cue's head token; every token
whose lemma is in the cue lexicon gives one row per content span the parse offers
(`storyline.extract.cue_model.candidates`), positive when that span matches the gold
content by the rule of `storyline.eval.corpora.polnear` (shared characters cover half of
each). The weights are fitted by L2-regularised logistic regression (L-BFGS) on the first
80% of the articles; the threshold is the one with the best attribution F1 on the other
20%; then the weights are fitted again on all of them.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.eval.corpora.polnear import load_split
from storyline.extract import cue_model
from storyline.extract.attribution import words_of
from storyline.extract.quote_marks import find_quote_spans
from storyline.extract.quotes import _quote_mask
from storyline.nlp import load_nlp, make_doc

PACK = ROOT / "src" / "storyline" / "lang" / "en"
LICENSE = ("Counts and weights learned from PolNeAR v1.0.0 train annotations (Newell, Margolin, "
           "Ruths, LREC 2018); no corpus text is included.")
MIN_CUE = 3  # a lemma heads at least this many train cues
MIN_RATE = 0.04  # and at least this share of its occurrences outside quotes
MIN_QUOTE_CUE = 5  # a verb heads at least this many cues of direct quotes
MIN_QUOTE_RATE = 0.08  # and at least this share of its occurrences
L2 = 5.0
MIN_FEATURE = 2


def head_token(doc, start: int, end: int):
    """The token of a cue span whose head lies outside it (the span's root)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    for t in span:
        if not span.start <= t.head.i < span.end or t.head.i == t.i:
            return t
    return span[0]


def lemma_of(tok) -> str:
    first = words_of(tok.doc).according_to[0]
    return first if tok.lower_ == first else tok.lemma_.lower()


def matches(span: tuple[int, int], pieces, length: int) -> bool:
    s, e = span
    ov = sum(max(0, min(e, b) - max(s, a)) for a, b in pieces)
    return ov > 0 and 2 * ov >= length and 2 * ov >= e - s


def parse(path: Path, limit: int | None, cache: Path | None = None):
    """Each train article parsed, with its quote mask and its gold cues by head token.
    With `cache` (a .spacy file outside the repository) the parse is read from or written
    to it: the features read only the parse."""
    from spacy.tokens import DocBin

    arts = load_split(path, "train", limit)
    nlp = load_nlp("auto", ("storyline_entities",))
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))[:len(arts)]
    else:
        with nlp.select_pipes(disable=["storyline_entities"]):
            docs = list(nlp.pipe((make_doc(nlp, a.text) for a in arts), batch_size=8))
        if cache is not None:
            db = DocBin(attrs=["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB",
                               "ENT_TYPE", "SENT_START", "MORPH"])
            for d in docs:
                db.add(d)
            db.to_disk(cache)
    out = []
    for art, doc in zip(arts, docs):
        spans = find_quote_spans(art.text)
        mask = _quote_mask(doc, spans)
        quoted = [(q.open_at, q.outer_end) for q in spans]
        gold, direct = {}, set()
        for g in art.gold:
            if g.cue is None:
                continue
            t = head_token(doc, *g.cue)
            if g.direct:
                if t is not None and t.i not in mask:
                    direct.add(t.i)
                continue
            if t is not None and t.i not in mask:
                gold.setdefault(t.i, []).append(g)
        out.append((doc, mask, gold, quoted, direct))
    return out


def lexicon(parsed) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Cue lemmas of reported content and of direct quotes: lemma -> [times it heads such a
    cue, times it occurs outside quotes], for the lemmas common and specific enough."""
    cue_n: collections.Counter[str] = collections.Counter()
    quote_n: collections.Counter[str] = collections.Counter()
    seen: collections.Counter[str] = collections.Counter()
    for doc, mask, gold, _, direct in parsed:
        for t in doc:
            if t.i in mask or t.is_punct or t.is_space:
                continue
            lem = lemma_of(t)
            seen[lem] += 1
            if t.i in gold:
                cue_n[lem] += 1
            if t.i in direct and t.pos_ == "VERB" and t.is_alpha:
                quote_n[lem] += 1
    reported = {lem: [n, seen[lem]] for lem, n in sorted(cue_n.items())
                if n >= MIN_CUE and n / seen[lem] >= MIN_RATE}
    quoting = {lem: [n, seen[lem]] for lem, n in sorted(quote_n.items())
               if n >= MIN_QUOTE_CUE and n / seen[lem] >= MIN_QUOTE_RATE}
    return reported, quoting


def rows(parsed, lemmas: frozenset[str]):
    """(features, label, cue id, gold count) per candidate; cue id groups one cue's rows."""
    out, n_gold, cue_id = [], [], 0
    for doc, mask, gold, quoted, _ in parsed:
        text = doc.text
        n_gold.append(sum(len(v) for v in gold.values()))
        takers = cue_model.clause_takers(doc)
        for t in doc:
            lem = lemma_of(t)
            if t.i in mask or lem not in lemmas and (t.i not in takers or t.pos_ != "VERB"):
                continue
            cue_id += 1
            golds = gold.get(t.i, [])
            for cand in cue_model.candidates(t):
                span = cue_model.content_span(doc, cand, text, quoted)
                if span is None:
                    continue  # never emitted (see indirect.py)
                y = any(matches(span, g.pieces, g.length) for g in golds)
                out.append((cue_model.features(cand, lem, lemmas), int(y), cue_id))
        out.append(None)  # article boundary
    return out, n_gold


def fit(data, vocab: dict[str, int]):
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    r, c = [], []
    for i, (feats, _, _) in enumerate(data):
        for f in feats:
            j = vocab.get(f)
            if j is not None:
                r.append(i)
                c.append(j)
    X = csr_matrix((np.ones(len(r)), (r, c)), shape=(len(data), len(vocab)))
    y = np.array([d[1] for d in data], dtype=float)

    def loss(w):
        z = X @ w[1:] + w[0]
        p = 1 / (1 + np.exp(-z))
        eps = 1e-12
        val = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + L2 * w[1:] @ w[1:] / 2
        g = p - y
        grad = np.concatenate([[g.sum()], X.T @ g + L2 * w[1:]])
        return val, grad

    res = minimize(loss, np.zeros(len(vocab) + 1), jac=True, method="L-BFGS-B",
                   options={"maxiter": 500})
    return res.x


def score(data, w, vocab) -> np.ndarray:
    out = np.empty(len(data))
    for i, (feats, _, _) in enumerate(data):
        z = w[0] + sum(w[1 + vocab[f]] for f in feats if f in vocab)
        out[i] = 1 / (1 + np.exp(-z))
    return out


def best_threshold(data, probs, n_gold: int) -> tuple[float, dict]:
    """The threshold with the best F1 when each cue keeps its most probable reading."""
    by_cue: dict[int, tuple[float, int]] = {}
    for (_, y, cid), p in zip(data, probs):
        if cid not in by_cue or p > by_cue[cid][0]:
            by_cue[cid] = (p, y)
    best = (0.5, {"f1": 0.0})
    for th in np.arange(0.1, 0.81, 0.025):
        kept = [y for p, y in by_cue.values() if p >= th]
        tp = sum(kept)
        prec = tp / len(kept) if kept else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f1 > best[1]["f1"]:
            best = (float(th), {"precision": round(prec, 4), "recall": round(rec, 4),
                                "f1": round(f1, 4)})
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--cache", type=Path, default=None, help="a .spacy file for the parse")
    args = ap.parse_args()
    parsed = parse(Path(args.path), args.limit, args.cache)
    lex, quoting = lexicon(parsed)
    lemmas = frozenset(lex)
    cut = int(len(parsed) * 0.8)
    fit_rows, _fit_gold = rows(parsed[:cut], lemmas)
    held_rows, held_gold = rows(parsed[cut:], lemmas)
    fit_rows = [r for r in fit_rows if r is not None]
    held_rows = [r for r in held_rows if r is not None]

    def vocab_of(data):
        counts = collections.Counter(f for feats, _, _ in data for f in feats)
        return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_FEATURE))}

    vocab = vocab_of(fit_rows)
    w = fit(fit_rows, vocab)
    th, held = best_threshold(held_rows, score(held_rows, w, vocab), sum(held_gold))
    print(f"held-out train ({len(parsed) - cut} articles): threshold {th:.3f} {held}",
          file=sys.stderr)
    all_rows = fit_rows + held_rows
    vocab = vocab_of(all_rows)
    w = fit(all_rows, vocab)
    weights = {f: round(float(w[1 + i]), 4) for f, i in vocab.items() if abs(w[1 + i]) >= 1e-3}
    meta = {"_generated_by": "scripts/train_attribution.py", "_license": LICENSE}
    (PACK / "attribution_cues.json").write_text(json.dumps({
        **meta, "_about": "Cue lemmas of PolNeAR train attributions: lemma -> [times it heads "
        "a cue of reported content, times it occurs outside quotes]. Candidates for the cue model.",
        "lemmas": lex, "_about_quote_cues": "Verbs heading PolNeAR train cues of direct quotes "
        "(same counts); read with speech_words.json's quote_cues.", "quote_cues": quoting}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (PACK / "attribution" / "weights.json").write_text(json.dumps({
        **meta, "_about": "Logistic weights of storyline.extract.cue_model: feature -> weight; "
        "a cue's content is kept when P >= threshold.",
        "bias": round(float(w[0]), 4), "threshold": round(th, 3), "held_out": held,
        "articles": len(parsed), "rows": len(all_rows), "weights": weights},
        indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(lex)} cue lemmas, {len(weights)} weights, {len(all_rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
