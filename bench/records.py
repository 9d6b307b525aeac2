"""Dump the records Storyline makes of a fixed set of real articles, and compare two dumps.

A speed change must not change what is extracted. Run `dump` with the code before the
change and with the code after it, then `compare`: every cleaned document (text and
metadata) and every record (entities, times, quotes, events, clauses, happenings) must be
byte-identical.

```
python -m bench.records dump /tmp/before.json [--mixed 150] [--t17 20]
python -m bench.records dump /tmp/after.json  [--mixed 150] [--t17 20]
python -m bench.records compare /tmp/before.json /tmp/after.json
```

The articles: the seeds (../shared/seeds), the examples (examples/), the texts of the
real-news keys (tests/keys/materialize.py, all three), the multilingual corpus's documents
(every language's pipeline), a mixed sample of KCNA, Reuters and BBC articles (the
throughput bench's, seeded) and long Timeline17 articles. They are read through
Storyline's own ingest and cleaning, then `pipeline.extract_analyses`, as the throughput
bench runs them (`--n-process 2` runs the forked path).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from storyline.pipeline import extract_analyses
from storyline.settings import Settings

from .corpora import CORPORA, ROOT, SHARED, mixed_sample, t17_records, write_inputs
from .throughput import cleaned

KEYS = ("realnews", "realnews2", "realnews3")


def _inputs(workdir: Path, n_mixed: int, n_t17: int) -> list[str]:
    """The input paths: seeds, examples, the keys' texts, multilingual, mixed, long."""
    inputs = [str(p) for p in sorted((SHARED / "seeds").glob("*.txt"))]
    inputs += [str(p) for p in sorted((ROOT / "examples").glob("*.txt"))]
    for key in KEYS:
        out = workdir / key
        subprocess.run([sys.executable, str(ROOT / "tests/keys/materialize.py"), str(out),
                        "--key", key, "--shared", str(SHARED)], check=True, capture_output=True)
        inputs += [str(p) for p in sorted(out.glob("*.txt"))]
    ml = CORPORA / "multilingual-news" / "docs"
    if ml.is_dir():
        inputs += [str(p) for p in sorted(ml.glob("*.txt"))]
    if n_mixed:
        inputs += write_inputs(mixed_sample(n_mixed, seed=7), workdir / "mixed")
    if n_t17:
        items = list(t17_records())[::97][:n_t17]
        inputs += write_inputs(items, workdir / "t17")
    return inputs


def dump(out: Path, n_mixed: int, n_t17: int, n_process: int = 1) -> int:
    """Write every cleaned document and its records to `out` (JSON); returns the count."""
    settings = Settings.load()
    with tempfile.TemporaryDirectory() as tmp:
        docs = list(cleaned(_inputs(Path(tmp), n_mixed, n_t17), settings))
        rows: dict[str, Any] = {}
        for doc in docs:
            rows[doc.id] = {"document": _portable(doc.as_dict(), tmp)}
        for doc_id, analysis in extract_analyses(docs, settings, n_process):
            rows[doc_id]["analysis"] = analysis.as_dict()
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    return len(rows)


_TMP = re.compile(r"/tmp/[^/\s\"]+/")


def _portable(row: dict[str, Any], tmp: str) -> dict[str, Any]:
    """A document's row with the temporary folder's name left out of its source."""
    return json.loads(json.dumps(row).replace(tmp.rstrip("/") + "/", "<tmp>/"))


def compare(a: Path, b: Path) -> list[str]:
    """The differences between two dumps (document id and which part), empty if none."""
    left, right = json.loads(a.read_text("utf-8")), json.loads(b.read_text("utf-8"))
    diffs = [f"{k}: only in {a}" for k in sorted(set(left) - set(right))]
    diffs += [f"{k}: only in {b}" for k in sorted(set(right) - set(left))]
    for k in sorted(set(left) & set(right)):
        for part in ("document", "analysis"):
            lp, rp = left[k].get(part, {}), right[k].get(part, {})
            for field in sorted(set(lp) | set(rp)):
                if _TMP.sub("<tmp>/", json.dumps(lp.get(field), sort_keys=True)) != \
                        _TMP.sub("<tmp>/", json.dumps(rp.get(field), sort_keys=True)):
                    diffs.append(f"{k}: {part}.{field} differs")
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump", help="write the records of the article set")
    d.add_argument("out", type=Path)
    d.add_argument("--mixed", type=int, default=150, help="mixed-sample articles (150)")
    d.add_argument("--t17", type=int, default=20, help="long Timeline17 articles (20)")
    d.add_argument("--n-process", type=int, default=1)
    c = sub.add_parser("compare", help="compare two dumps; exit status 1 if they differ")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        n = dump(args.out, args.mixed, args.t17, args.n_process)
        print(f"{n} documents written to {args.out}")
        return 0
    diffs = compare(args.a, args.b)
    for line in diffs[:50]:
        print(line)
    n = len(json.loads(args.a.read_text("utf-8")))
    print(f"{n} documents; {len(diffs)} differences" + ("" if diffs else ": identical"))
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
