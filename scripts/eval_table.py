#!/usr/bin/env python3
"""The measurement table every closing note reports, the same rows each time.

    .venv/bin/python scripts/eval_table.py [--shared ../shared] [--json OUT] [--only ROW,...]

Rows: the seed key, our sample key, our real-news dev keys (tests/keys/), the multilingual
key (English and other languages apart), PLOVER GSR dev (through the same scorer that is
used on the sentences kept aside), PolNeAR dev, TempEval-3 TBAQ, CoNLL-2003 dev NER (where a
runner exists) and ECB+ dev. Every row runs the project as a user would, in a subprocess, so
one row's failure is reported in the table and never stops the others. A row whose data is
missing says so. Nothing here is tuned on: it only reports.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLI = "import sys; from storyline.cli import main; sys.argv[0] = 'storyline'; main()"


def _run(args: list[str], timeout: int = 3600) -> Any:
    """Run a command printing JSON; return the parsed object or {'error': ...}."""
    t0 = time.time()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=timeout, check=False,
                          env=dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1")))
    out = proc.stdout.strip()
    start = out.find("{")
    try:
        value = json.loads(out[start:]) if start >= 0 else None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        return {"error": (proc.stderr or proc.stdout)[-400:].strip() or f"exit {proc.returncode}"}
    value["_seconds"] = round(time.time() - t0, 1)
    return value


def eval_key(key: Path, docs: Path, also: Path | None = None) -> dict[str, Any]:
    """`storyline eval KEY --docs DIR --json [--also PATH]`."""
    return _run([sys.executable, "-c", CLI, "eval", str(key), "--docs", str(docs), "--json",
                 *(["--also", str(also)] if also else [])])


def subset_key(key: Path, keep: Any, tmp: Path, name: str) -> Path:
    """A copy of `key` with only the documents `keep(doc)` accepts (links cut to them)."""
    data = json.loads(key.read_text(encoding="utf-8"))
    docs = [d for d in data["documents"] if keep(d)]
    files = {d["file"] for d in docs}
    ids = {e["id"] for d in docs for e in d.get("events", [])}
    links = []
    for link in data.get("links", []):
        members = [m for m in link["members"]
                   if (m in ids if isinstance(m, str) and "." in m and m not in files
                       else (m in files if isinstance(m, str) else m[0] in files))]
        if len(members) >= 2:
            links.append(dict(link, members=members))
    out = tmp / f"{name}.json"
    out.write_text(json.dumps(dict(data, documents=docs, links=links)), encoding="utf-8")
    return out


def key_row(scores: dict[str, Any]) -> dict[str, Any]:
    """The key columns of one `storyline eval` result."""
    if "error" in scores:
        return {"error": scores["error"]}
    g = lambda *path: _dig(scores, path)
    return {"entities": g("entities", "f1"), "times": g("times", "accuracy"),
            "quotes": g("quotes", "f1"), "speaker": g("quotes", "speaker_accuracy"),
            "events": g("events", "f1"), "event_source": g("events", "attributes", "source"),
            "links": g("links", "f1"), "same_event": g("links", "by_kind", "same_event", "f1"),
            "published": g("published", "accuracy")}


def _dig(obj: Any, path: tuple[str, ...]) -> Any:
    for p in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(p)
    return round(obj, 3) if isinstance(obj, float) else obj


def rows(shared: Path, only: set[str] | None) -> dict[str, Any]:
    """Every row of the table, as a dict of dicts."""
    out: dict[str, Any] = {}
    want = lambda name: not only or name in only
    with tempfile.TemporaryDirectory(prefix="eval-table-") as t:
        tmp = Path(t)
        if want("seeds") and (shared / "gold/seeds.gold.json").is_file():
            out["seeds"] = key_row(eval_key(shared / "gold/seeds.gold.json", shared / "seeds"))
        if want("examples"):
            out["examples"] = key_row(eval_key(ROOT / "gold/examples.gold.json", ROOT / "examples"))
        keys = ROOT / "tests" / "keys"
        # tests/keys/NAME.gold.json
        for name in ("realnews", "realnews2", "realnews3", "realnews4", "realnews5", "realnews6",
                     "realnews7"):
            if not (want(name) and (keys / f"{name}.gold.json").is_file()):
                continue
            sys.path.insert(0, str(keys))
            try:
                from materialize import materialize  # type: ignore[import-not-found]

                docs = materialize(tmp / name, shared, name)
                out[name] = key_row(eval_key(keys / f"{name}.gold.json", docs))
            except Exception as exc:  # noqa: BLE001 - a row reports its own failure
                out[name] = {"error": repr(exc)[:300]}
        ml = shared / "corpora/multilingual-news"
        if want("multilingual") and (ml / "gold.json").is_file():
            out["multilingual (all)"] = key_row(eval_key(ml / "gold.json", ml / "docs"))
            en = subset_key(ml / "gold.json", lambda d: d.get("language") == "en", tmp, "ml-en")
            other = subset_key(ml / "gold.json", lambda d: d.get("language") != "en", tmp, "ml-x")
            # each part scored with the whole corpus read (dates inferred from the other
            # languages' articles, links across them), as in the row above
            out["multilingual en"] = key_row(eval_key(en, ml / "docs", ml / "docs"))
            out["multilingual non-en"] = key_row(eval_key(other, ml / "docs", ml / "docs"))
        gsr = shared / "corpora/plover-gsr/dev.jsonl"
        if want("gsr") and gsr.is_file():
            out["PLOVER GSR dev"] = _run([sys.executable, str(shared / "tools/score_plover_gsr.py"),
                                          str(gsr), "--main", str(ROOT)])
        if want("polnear") and (shared / "corpora/polnear").is_dir():
            p = _run([sys.executable, "-m", "storyline.eval.corpora.polnear",
                      str(shared / "corpora/polnear"), "--split", "dev", "--json"])
            out["PolNeAR dev"] = p if "error" in p else {
                "direct_f1": _dig(p, ("direct", "f1")), "indirect_f1": _dig(p, ("indirect", "f1")),
                "source_acc": _dig(p, ("all", "source_accuracy_with_phrases")),
                "source_acc_named_speaker": _dig(p, ("all", "source_accuracy")),
                "source_acc_of_named": _dig(p, ("all", "source_accuracy_named")),
                "all_f1": _dig(p, ("all", "f1"))}
        if want("tempeval") and (shared / "corpora/tempeval3").is_dir():
            p = _run([sys.executable, "-m", "storyline.eval.corpora.tempeval",
                      str(shared / "corpora/tempeval3/TBAQ-cleaned"), "--json"])
            out["TempEval-3 TBAQ"] = p if "error" in p else {
                "date_value_acc": _dig(p, ("by_type", "DATE", "value_accuracy_all")),
                "date_detect": _dig(p, ("by_type", "DATE", "detection_recall")),
                "determined_acc": _dig(p, ("date_determined", "value_accuracy_all"))}
        conll = ROOT / "scripts" / "eval_conll.py"
        if want("conll") and conll.is_file() and (shared / "corpora/ner").is_dir():
            out["CoNLL-2003 dev"] = _run([sys.executable, str(conll), "--json"])
        if want("ecb") and (shared / "corpora/ecbplus").is_dir():
            p = _run([sys.executable, "-m", "storyline.eval.corpora.ecbplus",
                      str(shared / "corpora/ecbplus"), "--topics", "2,5,12,18,21,23,34,35", "--json"])
            out["ECB+ dev"] = p if "error" in p else {
                "conll_f1": _dig(p, ("system", "conll_f1")),
                "cluster_lemma_f1": _dig(p, ("cluster_lemma", "conll_f1"))}
    return out


def markdown(table: dict[str, Any]) -> str:
    """One markdown table per kind of row (keys; corpora)."""
    cols = ["entities", "times", "speaker", "quotes", "events", "event_source", "links",
            "same_event"]
    lines = ["| key | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    other = ["", "| corpus | figures |", "| --- | --- |"]
    for name, row in table.items():
        if "entities" in row or ("error" in row and name.split()[0] in
                                 ("seeds", "examples", "realnews", "multilingual")):
            cells = [row.get("error", "")[:60]] if "error" in row else [
                "-" if row.get(c) is None else f"{row[c]:.3f}" for c in cols]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        else:
            figs = ", ".join(f"{k} {v}" for k, v in row.items() if not k.startswith("_"))
            other.append(f"| {name} | {figs} |")
    return "\n".join(lines + other)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", type=Path, help="also write the table as JSON here")
    ap.add_argument("--only", help="comma-separated rows: seeds,examples,realnews,realnews2,"
                    "realnews3,realnews4,realnews5,realnews6,realnews7,multilingual,gsr,polnear,tempeval,conll,"
                    "ecb")
    a = ap.parse_args()
    table = rows(a.shared, set(a.only.split(",")) if a.only else None)
    if a.json:
        a.json.write_text(json.dumps(table, indent=2), encoding="utf-8")
    print(markdown(table))


if __name__ == "__main__":
    main()
