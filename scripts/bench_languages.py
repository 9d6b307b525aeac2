"""Extraction throughput per language on the same number of documents.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/bench_languages.py DOCS_DIR \
        [--languages en,fr] [--docs 5] [--repeats 5] [--against fr=fr_core_news_md]

Takes the first N cleaned documents of each language in DOCS_DIR (the sidecars' `language`,
else the detected one), loads each language's pipeline first (loading is not timed), then
times `nlp.pipe` over those N documents, `repeats` times, and prints documents and
characters per second (best of the repeats) for each language. `--against CODE=MODEL`
also times spaCy's MODEL as it ships (all its enabled components, `nlp.pipe`) over the same
texts, interleaved with ours repeat by repeat, and gives `ratio` = our docs/s / spaCy's
(`bench.run` writes it to bench/results.json under `languages`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from storyline.clean import clean_document
from storyline.ingest import read_inputs
from storyline.nlp import load_nlp_for, make_doc
from storyline.settings import Settings


def _docs_by_language(folder: Path, languages: list[str], n: int) -> dict[str, list]:
    settings = Settings.load()
    by_lang: dict[str, list] = {code: [] for code in languages}
    for path in sorted(folder.glob("*.txt")):
        for raw in read_inputs([str(path)], settings, None):
            if not hasattr(raw, "text"):
                continue
            doc = clean_document(raw)
            code = doc.meta.language
            if code in by_lang and len(by_lang[code]) < n:
                by_lang[code].append(doc)
    return by_lang


def _rate(docs: list, seconds: float) -> dict[str, Any]:
    chars = sum(len(d.text) for d in docs)
    return {"docs": len(docs), "chars": chars, "seconds": round(seconds, 4),
            "docs_per_s": round(len(docs) / seconds, 2), "chars_per_s": round(chars / seconds)}


def bench_against(folder: Path, code: str, model: str, n: int, repeats: int
                  ) -> dict[str, Any] | None:
    """Our pipeline for `code` against spaCy's `model` alone over the same cleaned texts:
    {ours, spacy, ratio} (best of the repeats, the two interleaved); None without texts."""
    import spacy

    docs = _docs_by_language(folder, [code], n)[code]
    if not docs:
        return None
    ours, theirs = load_nlp_for(code), spacy.load(model)
    texts = [d.text for d in docs]
    list(ours.pipe(make_doc(ours, t, language=code) for t in texts[:1]))  # warm up
    list(theirs.pipe(texts[:1]))
    best_ours = best_theirs = float("inf")
    for i in range(repeats):
        for who in ((0, 1) if i % 2 == 0 else (1, 0)):
            t0 = time.perf_counter()
            if who == 0:
                for _doc in ours.pipe(make_doc(ours, d.text, published=d.meta.published,
                                               language=code) for d in docs):
                    pass
                best_ours = min(best_ours, time.perf_counter() - t0)
            else:
                for _doc in theirs.pipe(texts):
                    pass
                best_theirs = min(best_theirs, time.perf_counter() - t0)
    a, b = _rate(docs, best_ours), _rate(docs, best_theirs)
    return {"language": code, "model": model, "ours": a, "spacy": b,
            "ratio": round(a["docs_per_s"] / b["docs_per_s"], 3)}


def bench(folder: Path, languages: list[str], n: int, repeats: int) -> dict[str, dict]:
    """{language: {docs, chars, docs_per_s, chars_per_s}}."""
    by_lang = _docs_by_language(folder, languages, n)
    out = {}
    for code, docs in by_lang.items():
        if not docs:
            continue
        nlp = load_nlp_for(code)
        list(nlp.pipe(make_doc(nlp, d.text, language=code) for d in docs[:1]))  # warm up
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            for _doc in nlp.pipe(make_doc(nlp, d.text, published=d.meta.published,
                                          language=code) for d in docs):
                pass
            best = min(best, time.perf_counter() - t0)
        out[code] = _rate(docs, best)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--languages", default="en,fr")
    ap.add_argument("--docs", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--against", default=None,
                    help="CODE=MODEL: also time spaCy's MODEL alone on that language's texts")
    args = ap.parse_args(argv)
    result: dict[str, Any] = bench(args.folder, args.languages.split(","), args.docs,
                                   args.repeats)
    if args.against:
        code, model = args.against.split("=", 1)
        result["against"] = bench_against(args.folder, code, model, args.docs, args.repeats)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
