"""Extraction throughput per language on the same number of documents.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/bench_languages.py DOCS_DIR \
        [--languages en,fr] [--docs 5] [--repeats 5]

Takes the first N cleaned documents of each language in DOCS_DIR (the sidecars' `language`,
else the detected one), loads each language's pipeline first (loading is not timed), then
times `nlp.pipe` over those N documents, `repeats` times, and prints documents and
characters per second (best of the repeats) for each language.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from storyline.clean import clean_document
from storyline.ingest import read_inputs
from storyline.nlp import load_nlp_for, make_doc
from storyline.settings import Settings


def bench(folder: Path, languages: list[str], n: int, repeats: int) -> dict[str, dict]:
    """{language: {docs, chars, docs_per_s, chars_per_s}}."""
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
        chars = sum(len(d.text) for d in docs)
        out[code] = {"docs": len(docs), "chars": chars, "seconds": round(best, 4),
                     "docs_per_s": round(len(docs) / best, 2),
                     "chars_per_s": round(chars / best)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--languages", default="en,fr")
    ap.add_argument("--docs", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    result = bench(args.folder, args.languages.split(","), args.docs, args.repeats)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
