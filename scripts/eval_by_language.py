"""Score the system per language on an answer key whose documents carry a `language`.

    .venv/bin/python scripts/eval_by_language.py ../shared/corpora/multilingual-news/gold.json \
        --docs ../shared/corpora/multilingual-news/docs [--strip-published] [--json OUT]

The whole system runs once (as `storyline eval` does, into a temporary store); the key is
then split by language and each part scored alone (links are scored on the whole key only:
most of them cross languages). With --strip-published the sidecars' `published` is removed
first (a copy of the folder), so `published` measures the dates read from the text itself.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from storyline.eval.run import predictions_from_store
from storyline.eval.scorer import load_key, score
from storyline.eval.types import CorpusPrediction, PredictedLinks
from storyline.pipeline import process_inputs
from storyline.settings import Settings
from storyline.store import Store

BUILT = {"boilerplate", "published", "published_inferred", "entities", "times", "quotes",
         "events", "links"}


def _copy_without_published(src: Path, dst: Path, files: list[str]) -> None:
    for f in files:
        shutil.copy(src / f, dst / f)
        meta = src / (Path(f).stem + ".meta.json")
        if meta.is_file():
            data = json.loads(meta.read_text(encoding="utf-8"))
            data.pop("published", None)
            (dst / meta.name).write_text(json.dumps(data), encoding="utf-8")


def _row(s: dict[str, Any], n: int) -> dict[str, Any]:
    q = s.get("quotes") or {}
    return {"docs": n, "entities_f1": s["entities"]["f1"], "times": s["times"]["accuracy"],
            "times_n": s["times"]["n"], "published": s["published"]["accuracy"],
            "published_inferred": (s.get("published_inferred") or {}).get("accuracy"),
            "quotes_f1": q.get("f1"), "speaker": q.get("speaker_accuracy"),
            "events_f1": s["events"]["f1"],
            "boilerplate_f1": (s.get("boilerplate") or {}).get("f1"),
            "events_status": ((s["events"].get("attributes") or {}).get("status"))}


def evaluate_by_language(key_path: Path, docs: Path, strip_published: bool) -> dict[str, Any]:
    """{"languages": {code: row}, "non_en": row, "all": row, "links": ...}."""
    key = load_key(key_path)
    files = [str(d["file"]) for d in key["documents"]]
    with tempfile.TemporaryDirectory(prefix="storyline-bylang-") as tmp:
        folder = docs
        if strip_published:
            folder = Path(tmp) / "docs"
            folder.mkdir()
            _copy_without_published(docs, folder, files)
        settings = Settings.load()
        settings.db = str(Path(tmp) / "eval.db")
        with Store.open(settings.db) as store:
            process_inputs([str(folder / f) for f in files], store, settings)
            preds = predictions_from_store(store, folder, files)
    full = score(key, preds, built=BUILT)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in key["documents"]:
        groups[str(d.get("language") or "?")].append(d)
    out: dict[str, Any] = {"languages": {}, "all": _row(full, len(files)),
                           "links": full["links"], "details": full.get("details")}
    subsets = {code: ds for code, ds in sorted(groups.items())}
    subsets["non_en"] = [d for d in key["documents"] if d.get("language") != "en"]
    for code, ds in subsets.items():
        sub_key = {**key, "documents": ds, "links": []}
        sub_preds = CorpusPrediction(files={d["file"]: preds.files.get(d["file"]) for d in ds},
                                     links=PredictedLinks())
        s = score(sub_key, sub_preds, built=BUILT - {"links"})
        row = _row(s, len(ds))
        if code == "non_en":
            out["non_en"] = row
        else:
            out["languages"][code] = row
    return out


def markdown(result: dict[str, Any]) -> str:
    """The per-language table."""
    def f(x: Any) -> str:
        return "-" if x is None else f"{x:.2f}" if isinstance(x, float) else str(x)

    lines = [("| lang | docs | entities F1 | times acc (n) | published | inferred | quotes F1 | "
             "speaker | events F1 |"), "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    rows = list(result["languages"].items()) + [("non-en", result["non_en"]),
                                                ("all", result["all"])]
    for code, r in rows:
        lines.append(f"| {code} | {r['docs']} | {f(r['entities_f1'])} | {f(r['times'])} "
                     f"({r['times_n']}) | {f(r['published'])} | {f(r.get('published_inferred'))} | "
                     f"{f(r['quotes_f1'])} | "
                     f"{f(r['speaker'])} | {f(r['events_f1'])} |")
    links = result["links"]
    kinds = ", ".join(f"{k} {f(v['f1'])}" for k, v in links["by_kind"].items()
                      if v["f1"] is not None)
    lines.append(f"\nlinks F1 {f(links['f1'])} ({kinds})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("key", type=Path)
    ap.add_argument("--docs", type=Path, required=True)
    ap.add_argument("--strip-published", action="store_true",
                    help="drop the sidecars' published date: measure dates read from text")
    ap.add_argument("--json", type=Path, help="also write the result as JSON here")
    args = ap.parse_args(argv)
    result = evaluate_by_language(args.key, args.docs, args.strip_published)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
