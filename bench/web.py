"""Web run: Storyline's reading of raw HTML against the libraries it builds on.

Two public benchmarks, dev half in ../shared/corpora/web-extraction (see its SOURCE.md):

1. Article text, scrapinghub/article-extraction-benchmark (`zyte/`): Storyline's cleaned
   `text` against trafilatura.extract with its default settings, without comments (the
   benchmark's own runner) and with favor_precision. Metric of the benchmark's
   evaluate.py: 4-token shingles of `\\w+` tokens, per-page tp/fp/fn normalised to sum 1,
   precision and recall averaged over pages, F1 the harmonic mean of the two averages.
2. Publication day, adbar/htmldate tests (`htmldate/`): Storyline's `published` against
   htmldate.find_date with extensive search (its default) and without. Exact day match
   over the pages with a gold day (the repo's tests/evaluation.py).
3. Glued words: tokens glued around names in ../shared/corpora/kcna-news before and after
   clean/glue.py, and the repairs it makes on random BBC articles (false ones: BBC text has
   no such glue).

Storyline runs in this process as `storyline ingest --no-analyse` would (read_inputs, then
clean_document; the analysis does not change text or date). Every library runs in the same
process on the same pages.

    .venv/bin/python -m bench.web [--data DIR] [--only extraction|dates] [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.clean import clean_document
from storyline.errors import InputError
from storyline.ingest import read_inputs
from storyline.settings import Settings

from .corpora import SHARED

DATA = SHARED / "corpora" / "web-extraction"
_TOKEN = re.compile(r"\w+", re.UNICODE)


# --- the benchmark's metric -----------------------------------------------------------------
def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """4-token shingles of the `\\w+` tokens (a text shorter than n is one shingle)."""
    toks = _TOKEN.findall(text or "")
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1))
                   if toks[i:i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """One page's shingle counts, normalised to sum 1."""
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for k in set(t) | set(p):
        tp += min(t[k], p[k])
        fp += max(0, p[k] - t[k])
        fn += max(0, t[k] - p[k])
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (tp, fp, fn)


def prf(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    """Precision and recall averaged over pages, F1 their harmonic mean (evaluate.py)."""
    def p(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def r(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    ps = [p(*x) for x in rows if x[0] + x[1] > 0]
    rs = [r(*x) for x in rows if x[0] + x[2] > 0]
    mp, mr = sum(ps) / len(ps), sum(rs) / len(rs)
    return {"precision": round(mp, 4), "recall": round(mr, 4),
            "f1": round(2 * mp * mr / (mp + mr), 4) if mp + mr else 0.0}


# --- Storyline, in process ------------------------------------------------------------------
def storyline_read(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Per file name: the cleaned text, metadata and cut lines, or the refusal's reason."""
    settings = Settings()
    out: dict[str, dict[str, Any]] = {}
    for path in paths:
        row: dict[str, Any] = {"text": "", "published": None, "refused": None}
        try:
            for item in read_inputs([str(path)], settings):
                if isinstance(item, InputError):
                    row["refused"] = f"{item.code}: {item}"
                    continue
                doc = clean_document(item)
                row.update(text=doc.text, published=doc.meta.published, title=doc.meta.title,
                           outlet=doc.meta.outlet, provenance=doc.meta.provenance,
                           removed=Counter(r.reason for r in doc.removed))
        except InputError as exc:
            row["refused"] = f"{exc.code}: {exc}"
        except Exception as exc:  # noqa: BLE001 - a crash is what this run must show
            row["refused"] = f"CRASH {type(exc).__name__}: {exc}"
        out[path.name] = row
    return out


# --- 1. article text ------------------------------------------------------------------------
PEERS: dict[str, dict[str, Any]] = {
    "trafilatura_default": {}, "trafilatura_no_comments": {"include_comments": False},
    "trafilatura_favor_precision": {"favor_precision": True}}


def extraction(data: Path, stage: Path) -> dict[str, Any]:
    """Article-text F1 of Storyline and of trafilatura's settings on the zyte pages."""
    import trafilatura

    root = data / "zyte"
    gold = json.loads((root / "ground-truth.json").read_text("utf8"))
    html = {}
    for k in gold:
        with gzip.open(root / "html" / f"{k}.html.gz", "rt", encoding="utf8") as fh:
            html[k] = fh.read()
    for k, h in html.items():
        (stage / f"{k}.html").write_text(h, "utf8")
    t0 = time.time()
    sl = storyline_read([stage / f"{k}.html" for k in gold])
    preds = {"storyline": {k: sl[f"{k}.html"]["text"] for k in gold}}
    secs = {"storyline": time.time() - t0}
    for name, kw in PEERS.items():
        t0 = time.time()
        preds[name] = {k: trafilatura.extract(html[k], **kw) or "" for k in gold}
        secs[name] = time.time() - t0
    res: dict[str, Any] = {"pages": len(gold)}
    for name, pred in preds.items():
        res[name] = prf([tp_fp_fn(gold[k]["articleBody"], pred[k]) for k in gold])
        res[name]["seconds"] = round(secs[name], 1)
    res["storyline_refused"] = {k: r["refused"] for k, r in sl.items() if r["refused"]}
    res["storyline_cuts"] = dict(sum((r.get("removed", Counter()) for r in sl.values()),
                                     Counter()).most_common())
    return res


# --- 2. publication day ---------------------------------------------------------------------
def _decode(path: Path) -> str | bytes:
    """As tests/evaluation.py loads a page: UTF-8, else the detected encoding, else bytes."""
    from charset_normalizer import detect

    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        enc = detect(data)["encoding"]
    try:
        return data.decode(enc) if enc else data
    except (UnicodeDecodeError, LookupError):
        return data


def dates(data: Path, stage: Path) -> dict[str, Any]:
    """Day accuracy of Storyline and of htmldate (extensive and fast) on the htmldate pages."""
    import htmldate

    tests = data / "htmldate" / "tests"
    gold: dict[str, dict[str, Any]] = {}
    for f in ("eval_mediacloud_2020.json", "eval_default.json"):
        gold.update(json.loads((tests / f).read_text("utf8")))
    src, staged = {}, {}
    for g in gold.values():
        f = g["file"]
        src[f] = next(tests / d / f for d in ("test_set", "cache", "eval", "pages")
                      if (tests / d / f).is_file())
        staged[f] = stage / (f if src[f].suffix.lower() in (".html", ".htm") else f + ".html")
        if not staged[f].exists():  # a copy: ingest does not follow links out of a folder
            shutil.copyfile(src[f], staged[f])
    t0 = time.time()
    sl = storyline_read(sorted(set(staged.values())))
    got = {"storyline": {f: sl[p.name]["published"] for f, p in staged.items()}}
    secs = {"storyline": time.time() - t0}
    for name, ext in (("htmldate_extensive", True), ("htmldate_fast", False)):
        t0, got[name] = time.time(), {}
        for f, path in src.items():
            try:
                got[name][f] = htmldate.find_date(_decode(path), original_date=True,
                                                  extensive_search=ext)
            except Exception:  # noqa: BLE001 - a crash is a miss, as in the benchmark
                got[name][f] = None
        secs[name] = time.time() - t0
    dated = [g for g in gold.values() if isinstance(g["date"], str)]
    res: dict[str, Any] = {"pages": len(dated)}
    for name, pred in got.items():
        ok = sum((pred[g["file"]] or "")[:10] == g["date"] for g in dated)
        res[name] = {"accuracy": round(ok / len(dated), 4), "correct": ok,
                     "dated": sum(pred[g["file"]] is not None for g in dated),
                     "seconds": round(secs[name], 1)}
    res["storyline_date_source"] = dict(Counter(
        (r.get("provenance") or {}).get("published_source", "none") for r in sl.values()))
    res["storyline_refused"] = {k: r["refused"] for k, r in sl.items() if r["refused"]}
    return res


# --- 3. glued words (clean/glue.py) ------------------------------------------------------------
# Measured glue: a lower-case letter right before an upper-case one inside a token
# ("includingKim", "ComradeKim"), and the last part of a Korean given name running on in
# lower case ("Jong Unwas", "Il Sungand").
_CAMEL = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*")
_RUN_ON = re.compile(r"\b(?:Jong|Il|Yo|Chol|Song|Hui|Sok) (?:Un|Il|Sung|Jong|Chol|Hui)[a-z]+\b")


def glue(shared: Path = SHARED, bbc_sample: int = 200, seed: int = 0) -> dict[str, Any]:
    """Glued tokens in the KCNA corpus before and after the repair, and the repairs made on
    random BBC articles (which have no glue: every repair there is a false one)."""
    import random

    from storyline.clean.glue import repair_text

    records = json.loads((shared / "corpora" / "kcna-news" /
                          "kcna_headlines_2024-11-11.json").read_text("utf8"))
    counts: Counter[str] = Counter()
    for r in records:
        text = str(r.get("story_text") or "")
        fixed, found = repair_text(text)
        counts["camel_before"] += len(_CAMEL.findall(text))
        counts["camel_after"] += len(_CAMEL.findall(fixed))
        counts["name_run_on_before"] += len(_RUN_ON.findall(text))
        counts["name_run_on_after"] += len(_RUN_ON.findall(fixed))
        counts["repairs"] += len(found)
    files = sorted((shared / "corpora" / "bbc-news").rglob("*.txt"))
    sample = random.Random(seed).sample(files, min(bbc_sample, len(files)))
    bbc = [(f.name, r.before, r.after) for f in sample
           for _, r in repair_text(f.read_text("utf-8", errors="replace"))[1]]
    return {"kcna_stories": len(records), **counts, "bbc_articles": len(sample),
            "bbc_repairs": len(bbc), "bbc_repairs_made": bbc[:20]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--only", choices=["extraction", "dates", "glue"])
    ap.add_argument("--out", type=Path, help="also write the JSON result here")
    a = ap.parse_args(argv)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench_web_") as tmp:
        for name, fn in (("extraction", extraction), ("dates", dates)):
            if a.only in (None, name):
                (Path(tmp) / name).mkdir()
                out[name] = fn(a.data.resolve(), Path(tmp) / name)
    if a.only in (None, "glue"):
        out["glue"] = glue()
    text = json.dumps(out, indent=1, ensure_ascii=False)
    if a.out:
        a.out.write_text(text + "\n", "utf8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
