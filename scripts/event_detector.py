"""An experiment: can a sentence classifier trained on the project's own keys find the events
the rules miss, on a key it was not trained on? (docs/EVALUATION.md, "Learned detection
from the keys: measured, not shipped"; the answer on 1,318 sentences was no.)

    python scripts/event_detector.py dump --shared ../shared --out /tmp/evsent.jsonl
    python scripts/event_detector.py cv /tmp/evsent.jsonl          # leave one key out

`dump` reads each key's articles the way `storyline eval` does (ingested into a temporary
store, so the text is the cleaned text the extractor sees), parses them with the project's
pipeline, and writes one line per sentence: the key, the file, the sentence's features
(`features` below), the classes of the key events whose evidence lies in it, and the
classes the rules already predict there. The output holds no article text, only feature
names (lemmas of the words) and vectors; it stays outside the repository.

`cv` trains on all keys but one and scores the one left out, for each key, at sentence
level: for each class, the threshold that gives the best F1 pooled over the keys left out,
counted on the sentences where the rules predict no event of that
class (what a learned layer would add).
`--e5` adds the multilingual e5 vector of each sentence (field `q`; the cv reads it with
DENSE=q, and SPARSE=0 leaves the parse's features out).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy
from spacy.tokens import Span

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

KEYS = ("seeds", "examples", "realnews", "realnews2", "realnews3", "realnews4")
MIN_EXAMPLES = 6
DENSE = os.environ.get("DENSE", "v")  # "q": the e5 vectors of `dump --e5`
SPARSE = os.environ.get("SPARSE", "1") == "1"
_PARTY = {"GPE": "P", "NORP": "P", "ORG": "P", "PERSON": "H"}
_CONTENT = frozenset({"VERB", "NOUN", "ADJ", "ADV"})
_SUBJ = frozenset({"nsubj", "nsubjpass", "agent"})
_OBJ = frozenset({"dobj", "pobj", "dative", "attr"})


def _kind(tok) -> str:
    """P (a state or body), H (a person), W (we/us: the speaker's side), or '-'."""
    if tok.lower_ in ("we", "us", "our", "i"):
        return "W"
    t = tok.ent_type_
    if t in _PARTY:
        return _PARTY[t]
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "poss") and c.ent_type_ in _PARTY:
            return _PARTY[c.ent_type_]
    return "-"


def features(sent: Span) -> tuple[list[str], numpy.ndarray]:
    """The sparse feature names and the dense vector (mean content-word vector) of a
    sentence."""
    names: list[str] = []
    vecs = []
    root = sent.root
    names.append("root:" + root.lemma_.lower())
    for tok in sent:
        if tok.is_punct or tok.is_space:
            continue
        lem = tok.lemma_.lower()
        if tok.pos_ in _CONTENT and not tok.is_stop:
            names.append("l:" + lem)
            if tok.has_vector:
                vecs.append(tok.vector)
        if tok.tag_ == "MD":
            names.append("md:" + lem)
        if tok.dep_ == "neg":
            names.append("neg")
        if tok.pos_ == "VERB":
            for c in tok.children:
                if c.dep_ in _SUBJ:
                    names.append(f"vs:{lem}:{_kind(c)}")
                elif c.dep_ in _OBJ:
                    names.append(f"vo:{lem}:{_kind(c)}")
                elif c.dep_ == "prep":
                    names.append(f"vp:{lem}:{c.lower_}")
            if tok.dep_ in ("ccomp", "xcomp"):
                names.append(f"vh:{tok.head.lemma_.lower()}:{lem}")
        if tok.ent_type_ and tok.ent_iob_ == "B":
            names.append("e:" + tok.ent_type_)
    if '"' in sent.text or "\u201c" in sent.text:
        names.append("quoted")
    dim = sent.doc.vocab.vectors_length or 0
    if vecs:
        dense = numpy.mean(numpy.asarray(vecs, dtype=numpy.float32), axis=0)
        norm = float(numpy.linalg.norm(dense))
        dense = dense / norm if norm else dense
    else:
        dense = numpy.zeros(dim, dtype=numpy.float32)
    return sorted(set(names)), dense




def _key_paths(name: str, shared: Path, docs_root: Path) -> tuple[Path, Path]:
    if name == "seeds":
        return shared / "gold" / "seeds.gold.json", shared / "seeds"
    if name == "examples":
        return ROOT / "gold" / "examples.gold.json", ROOT / "examples"
    return ROOT / "tests" / "keys" / f"{name}.gold.json", docs_root / name


def _class(ev: dict) -> str:
    return ev.get("subtype") or ev["type"]


def dump(args: argparse.Namespace) -> None:
    from storyline.nlp import load_nlp

    shared = Path(args.shared)
    docs_root = Path(args.docs)
    nlp = load_nlp("auto")
    embedder = None
    if args.e5:
        from storyline.link.embed import E5Embedder
        embedder = E5Embedder()
    with open(args.out, "w", encoding="utf-8") as out:
        _dump_keys(args, nlp, embedder, shared, docs_root, out)


def _dump_keys(args, nlp, embedder, shared, docs_root, out) -> None:
    from storyline.eval.text import Locator
    from storyline.nlp import make_doc
    from storyline.pipeline import _context, process_inputs
    from storyline.settings import Settings
    from storyline.store import Store

    for name in args.keys.split(","):
        key_path, docs_dir = _key_paths(name, shared, docs_root)
        if not docs_dir.is_dir():
            subprocess_materialize(name, shared, docs_dir)
        key = json.loads(key_path.read_text("utf-8"))
        files = [d["file"] for d in key["documents"]]
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(db=str(Path(tmp) / "d.db"))
            with Store.open(settings.db) as store:
                process_inputs([str(docs_dir / f) for f in files], store, settings)
                by_name = {Path(src).name: doc_id for doc_id, src in store.conn.execute(
                    "SELECT doc_id, source FROM document_sources")}
                for gd in key["documents"]:
                    if gd["file"] not in by_name:
                        continue
                    doc = store.get_document(by_name[gd["file"]])
                    published, outlet, doc_id, language = _context(doc)
                    if language not in (None, "en"):
                        continue
                    sdoc = nlp(make_doc(nlp, doc.text, published=published, outlet=outlet,
                                        doc_id=doc_id, language=language))
                    loc = Locator(doc.text)
                    spans = []
                    for ev in gd["events"]:
                        occ = loc.occurrences(ev.get("evidence") or "")
                        if occ:
                            spans.append((occ[0], _class(ev)))
                    sents = list(sdoc.sents)
                    e5v = embedder.embed([x.text for x in sents]) if embedder else None
                    rules = [(e.start, e.end, e.subtype or e.type) for e in sdoc._.sl_events]
                    for i, sent in enumerate(sdoc.sents):
                        s, e = sent.start_char, sent.end_char
                        labels = sorted({c for (a, b), c in spans if a < e and b > s})
                        ruled = sorted({c for a, b, c in rules if a < e and b > s})
                        names, dense = features(sent)
                        out.write(json.dumps({"key": name, "file": gd["file"], "sent": i,
                                              "labels": labels, "rules": ruled,
                                              "f": names, "v": [round(float(x), 4) for x in dense],
                                              **({"q": [round(float(x), 4) for x in e5v[i]]}
                                                 if e5v is not None else {})})
                                  + "\n")
        print(name, "done", file=sys.stderr)


def subprocess_materialize(name: str, shared: Path, docs_dir: Path) -> None:
    import subprocess
    subprocess.run([sys.executable, str(ROOT / "tests" / "keys" / "materialize.py"),
                    str(docs_dir), "--shared", str(shared), "--key", name], check=True,
                   stdout=subprocess.DEVNULL)


def _load(path: str) -> list[dict]:
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def _classes(rows: list[dict]) -> list[str]:
    c = Counter(lab for r in rows for lab in r["labels"])
    return sorted(k for k, v in c.items() if v >= MIN_EXAMPLES)


def fit(rows: list[dict], classes: list[str], *, l2: float = 1.0, epochs: int = 300,
        min_count: int = 2) -> tuple[dict[str, int], numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """One-vs-rest logistic regression, sparse and dense features side by side, L2, by
    L-BFGS (scipy, at training time only)."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    counts = Counter(n for r in rows for n in r["f"])
    vocab = {n: i for i, n in enumerate(sorted(n for n, c in counts.items() if c >= min_count))}
    ind, ptr = [], [0]
    for r in rows:
        ind.extend(vocab[n] for n in r["f"] if n in vocab)
        ptr.append(len(ind))
    xs = csr_matrix((numpy.ones(len(ind)), ind, ptr), shape=(len(rows), len(vocab)))
    xd = numpy.asarray([r[DENSE] for r in rows], dtype=numpy.float64)
    mu, sd = xd.mean(axis=0), xd.std(axis=0) + 1e-6
    xd = (xd - mu) / sd / numpy.sqrt(xd.shape[1] / 20)  # (standardised: e5's rows are all alike)
    ns, nd = xs.shape[1], xd.shape[1]
    ws = numpy.zeros((ns, len(classes)))
    wd = numpy.zeros((nd, len(classes)))
    b = numpy.zeros(len(classes))
    for k, cls in enumerate(classes):
        y = numpy.asarray([1.0 if cls in r["labels"] else 0.0 for r in rows])
        pos = max(1.0, y.sum())
        weight = numpy.where(y > 0, min(5.0, (len(y) - pos) / pos / 4), 1.0)

        def loss(theta: numpy.ndarray, y: numpy.ndarray = y,
                 weight: numpy.ndarray = weight) -> tuple[float, numpy.ndarray]:
            a, c, bb = theta[:ns], theta[ns:ns + nd], theta[-1]
            z = xs @ a + xd @ c + bb
            p = 1 / (1 + numpy.exp(-z))
            eps = 1e-9
            ll = -(weight * (y * numpy.log(p + eps) + (1 - y) * numpy.log(1 - p + eps))).sum()
            g = weight * (p - y)
            grad = numpy.concatenate([xs.T @ g + l2 * a, xd.T @ g + l2 * c, [g.sum()]])
            return ll + 0.5 * l2 * (a @ a + c @ c), grad

        res = minimize(loss, numpy.zeros(ns + nd + 1), jac=True, method="L-BFGS-B",
                       options={"maxiter": epochs})
        ws[:, k], wd[:, k], b[k] = res.x[:ns], res.x[ns:ns + nd], res.x[-1]
    return vocab, ws, wd / sd[:, None] / numpy.sqrt(len(sd) / 20), \
        b - (mu / sd / numpy.sqrt(len(sd) / 20)) @ wd


class _Scorer:
    def __init__(self, rows: list[dict], classes: list[str]) -> None:
        self.vocab, self.ws, self.wd, self.b = fit(rows, classes)

    def scores(self, names: list[str], dense: numpy.ndarray) -> numpy.ndarray:
        z = self.b.copy()
        idx = [self.vocab[n] for n in names if n in self.vocab]
        if idx:
            z += self.ws[idx].sum(axis=0)
        z += dense @ self.wd
        return 1.0 / (1.0 + numpy.exp(-z))


def cv(args: argparse.Namespace) -> None:
    rows = _load(args.data)
    classes = _classes(rows)
    keys = [k for k in KEYS if any(r["key"] == k for r in rows)]
    probs = {}
    for held in keys:
        train = [r for r in rows if r["key"] != held]
        m = _Scorer(train, classes)
        for r in rows:
            if r["key"] == held:
                probs[id(r)] = m.scores(r["f"] if SPARSE else [], numpy.asarray(r[DENSE], dtype=numpy.float32))
    # pooled, per threshold: sentence-level class detection over the keys left out
    print("class  n  best_t  P  R  F1   (pooled over keys left out; sentences the rules miss)")
    best = {}
    total = [0, 0, 0]
    for k, cls in enumerate(classes):
        n = sum(cls in r["labels"] for r in rows)
        grid = []
        for t in numpy.arange(0.02, 0.96, 0.03):
            tp = fp = fn = 0
            for r in rows:
                if cls in r["rules"]:
                    continue
                pred = probs[id(r)][k] >= t
                gold = cls in r["labels"]
                tp += pred and gold
                fp += pred and not gold
                fn += gold and not pred
            p = tp / (tp + fp) if tp + fp else 0.0
            rr = tp / (tp + fn) if tp + fn else 0.0
            f = 2 * p * rr / (p + rr) if p + rr else 0.0
            grid.append((f, t, p, rr, tp, fp))
        f, t, p, rr, tp, fp = max(grid)
        best[cls] = float(t)
        total[0] += tp
        total[1] += fp
        total[2] += round(tp / rr) - tp if rr else sum(
            cls in r["labels"] and cls not in r["rules"] for r in rows)
        print(f"{cls:22s} {n:4d} {t:.2f} {p:.2f} {rr:.2f} {f:.2f} tp={tp} fp={fp}")
    tp, fp, fn = total
    print(f"all classes, each at its best threshold: tp={tp} fp={fp} fn={fn} "
          f"P={tp / max(1, tp + fp):.2f} R={tp / max(1, tp + fn):.2f}")
    Path(args.thresholds).write_text(json.dumps(best, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--shared", default=str(ROOT.parent / "shared"))
    d.add_argument("--docs", default="/tmp/storyline-keydocs")
    d.add_argument("--keys", default=",".join(KEYS))
    d.add_argument("--out", required=True)
    d.add_argument("--e5", action="store_true")
    c = sub.add_parser("cv")
    c.add_argument("data")
    c.add_argument("--thresholds", default="/tmp/evsent.thresholds.json")
    args = ap.parse_args()
    {"dump": dump, "cv": cv}[args.cmd](args)


if __name__ == "__main__":
    main()
