"""Backfill throughput on Ray: 1 and 2 worker actors against the single-process pipeline.

`python -m bench.backfill [--quick] [--out bench/results.json]` draws the mixed sample of
real articles the throughput benchmark uses (bench/throughput.py: a third each from KCNA,
Reuters-21578 and BBC), then runs, in the same process and in turn (the order rotating
from one repeat to the next, so a change in the machine's load falls on all alike):

- `pipeline`: the single-process ingest without linking, `pipeline.process_inputs(...,
  analyse=False)` then `pipeline.analyse_documents` over what is pending (read, clean,
  store, extract, save), into a new store;
- `1worker`, `2workers`: `backfill.backfill(..., link=False)` with 1 and 2 workers into a
  new store each: the same reading, cleaning, storing and saving in the driver, the
  extraction on the workers. Its rate is that of the extraction phase (from the first
  document read to the last analysis saved); starting the cluster and loading a model in
  each worker (`start_s`) is a fixed cost, reported apart.

Linking is the same code after any of them (`pipeline.analyse_and_link`, in the driver)
and is not part of the comparison; it is timed once, on the last store (`link`: its rate,
the share of its time spent in the sentence embedder, and the store's bytes per document
once linked). The rates are totals over every repeat.
`ratio_2_to_1_workers` is the 2-worker docs/s over the 1-worker docs/s (target >= 1.7);
`ratio_1worker_to_pipeline` the 1-worker rate over the single-process pipeline's. The
machine's load average (os.getloadavg) is recorded before and after each run: on a shared
machine it says how much of the two cores the runs had. The section is merged into the
results file under "backfill" (and its verdict under verdict["backfill_ratio_2_workers"]);
the other sections are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from storyline.backfill import backfill
from storyline.pipeline import analyse_documents, process_inputs
from storyline.settings import Settings
from storyline.store import Store

from . import throughput as tp
from .corpora import CORPORA, available

HERE = Path(__file__).resolve().parent
TARGET = 1.7  # 2 workers against 1, issue 14
CONFIGS = ("pipeline", "1worker", "2workers")


def pipeline_pass(inputs: list[str], settings: Settings, db: Path) -> dict[str, float]:
    """The single-process pipeline without linking: store, then analyse what is pending."""
    tp.cold_start(settings)  # no pass faster only because an earlier one saw the texts
    with Store.open(db) as store:
        cpu, start = time.process_time(), time.perf_counter()
        report = process_inputs(inputs, store, settings, analyse=False)
        analysed = analyse_documents(store, list(store.documents(pending_only=True)),
                                     settings)
        seconds = time.perf_counter() - start
    if len(analysed) != len(report.added):
        raise RuntimeError(f"the pipeline analysed {len(analysed)} of {len(report.added)}")
    return {"documents": len(analysed), "seconds": seconds,
            "cpu_s": time.process_time() - cpu, "start_s": 0.0}


def backfill_pass(inputs: list[str], settings: Settings, db: Path,
                  workers: int) -> dict[str, float]:
    with Store.open(db) as store:
        report = backfill(inputs, store, settings, workers=workers, link=False,
                          log=lambda line: None)
    extract = report.phases["extract"]
    if report.analysed != report.stored:
        raise RuntimeError(f"the backfill analysed {report.analysed} of {report.stored}")
    return {"documents": report.analysed, "seconds": extract["seconds"],
            "cpu_s": extract["worker_cpu_s"] + extract["driver_cpu_s"],
            "worker_cpu_s": extract["worker_cpu_s"], "driver_cpu_s": extract["driver_cpu_s"],
            "worker_busy_share": extract["worker_busy_share"],
            "start_s": report.phases["start"]["seconds"]}


def measure(inputs: list[str], settings: Settings, work: Path, repeats: int,
            log: Any = print) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    for r in range(repeats):
        order = CONFIGS[r % 3:] + CONFIGS[:r % 3]
        for config in order:
            db = work / f"{config}-{r}.db"
            load_before = os.getloadavg()
            if config == "pipeline":
                got = pipeline_pass(inputs, settings, db)
            else:
                got = backfill_pass(inputs, settings, db, 1 if config == "1worker" else 2)
            got.update(config=config, repeat=r, load_before=load_before,
                       load_after=os.getloadavg(), store_bytes=_store_bytes(db))
            runs.append(got)
            log(f"  {config:9s} repeat {r}: {got['documents']} docs in {got['seconds']:.1f} s "
                f"({got['documents'] / got['seconds']:.2f} docs/s; start {got['start_s']:.1f} s)"
                f"; load {load_before[0]:.1f} -> {got['load_after'][0]:.1f}")
    out: dict[str, Any] = {"runs": runs}
    for config in CONFIGS:
        mine = [x for x in runs if x["config"] == config]
        docs = sum(x["documents"] for x in mine)
        secs = sum(x["seconds"] for x in mine)
        cpu = sum(x["cpu_s"] for x in mine)
        out[config] = {"docs_per_s": round(docs / secs, 3),
                       "docs_per_cpu_s": round(docs / cpu, 3) if cpu else None,
                       "start_s": round(sum(x["start_s"] for x in mine) / len(mine), 2)}
        if config != "pipeline":
            wcpu = sum(x["worker_cpu_s"] for x in mine)
            out[config].update(
                docs_per_worker_cpu_s=round(docs / wcpu, 3) if wcpu else None,
                driver_cpu_share=round(sum(x["driver_cpu_s"] for x in mine) / cpu, 3),
                # wall time the workers spent analysing, of the phase's: below 1, they
                # waited for the driver
                worker_busy_share=round(sum(x["worker_busy_share"] * x["seconds"]
                                            for x in mine) / secs, 3))
    out["ratio_2_to_1_workers"] = round(out["2workers"]["docs_per_s"]
                                        / out["1worker"]["docs_per_s"], 3)
    out["ratio_1worker_to_pipeline"] = round(out["1worker"]["docs_per_s"]
                                             / out["pipeline"]["docs_per_s"], 3)
    out["ratio_2workers_to_pipeline"] = round(out["2workers"]["docs_per_s"]
                                              / out["pipeline"]["docs_per_s"], 3)
    sizes = [x["store_bytes"] / x["documents"] for x in runs if x["documents"]]
    out["store_bytes_per_doc_unlinked"] = round(sum(sizes) / len(sizes))
    loads = [x["load_before"][0] for x in runs] + [x["load_after"][0] for x in runs]
    out["load_avg_1min"] = {"min": min(loads), "max": max(loads),
                            "mean": round(sum(loads) / len(loads), 2)}
    return out


def link_pass(db: Path, settings: Settings) -> dict[str, Any]:
    """The second phase on one of the stores (the same for all): linking in the driver,
    and what the store holds per document once linked."""
    from unittest import mock

    from storyline.link.embed import get_embedder
    from storyline.pipeline import analyse_and_link

    from .scale import TimedEmbedder

    embedder = TimedEmbedder(get_embedder(settings.embedder))
    with Store.open(db) as store, \
            mock.patch("storyline.link.embed.get_embedder", lambda name: embedder):
        cpu, start = time.process_time(), time.perf_counter()
        report = analyse_and_link(store, settings)
        seconds = time.perf_counter() - start
        n = store.count_documents()
    linked = len(getattr(report.link, "documents", []) or [])
    return {"documents": linked, "seconds": round(seconds, 2),
            "docs_per_s": round(linked / seconds, 3),
            "docs_per_cpu_s": round(linked / (time.process_time() - cpu), 3),
            "embedding_share": round(embedder.spent / seconds, 3),
            "store_bytes_per_doc": round(_store_bytes(db) / n), "embedder": settings.embedder}


def _store_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def run(n_docs: int, repeats: int, out: Path, log: Any = print) -> dict[str, Any]:
    if not available():
        raise SystemExit(f"bench: the corpora are not in {CORPORA}; set STORYLINE_SHARED")
    settings = Settings.load()
    work = Path(tempfile.mkdtemp(prefix="storyline-backfill-bench-"))
    started = time.perf_counter()
    try:
        sample = tp.prepare(n_docs, work / "sample", settings)
        log(f"backfill: {sample.n_docs} documents ({sample.n_words:,} words), "
            f"{repeats} repeat(s); load {os.getloadavg()}")
        from storyline.nlp import load_nlp

        load_nlp(settings.model)  # the pipeline's model loaded before its timing
        section = measure(sample.inputs, settings, work, repeats, log)
        log("  link phase (driver) on the last store")
        section["link"] = link_pass(work / f"{CONFIGS[-1]}-{repeats - 1}.db", settings)
        log(f"  link: {section['link']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    section.update(n_docs=sample.n_docs, n_words=sample.n_words, repeats=repeats,
                   cpus=os.cpu_count(), batch_size=settings.batch_size,
                   corpus=sample.corpus, duration_s=round(time.perf_counter() - started, 1),
                   target_ratio_2_to_1_workers=TARGET, method=__doc__.split("\n\n", 1)[1])
    results = json.loads(out.read_text("utf-8")) if out.is_file() else {}
    results["backfill"] = section
    results.setdefault("verdict", {})["backfill_ratio_2_workers"] = {
        "value": section["ratio_2_to_1_workers"], "target": f">= {TARGET}",
        "met": section["ratio_2_to_1_workers"] >= TARGET}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    log(f"pipeline {section['pipeline']['docs_per_s']:.2f} docs/s, 1 worker "
        f"{section['1worker']['docs_per_s']:.2f}, 2 workers {section['2workers']['docs_per_s']:.2f}"
        f" docs/s: 2/1 = {section['ratio_2_to_1_workers']:.2f} (target >= {TARGET}), "
        f"load {section['load_avg_1min']} -> {out}")
    return section


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.backfill", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="60 documents, one repeat")
    ap.add_argument("--docs", type=int, default=None, help="sample size (default 240)")
    ap.add_argument("--repeats", type=int, default=None, help="passes of each (default 2)")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    args = ap.parse_args(argv)
    n = args.docs or (60 if args.quick else 240)
    run(n, args.repeats or (1 if args.quick else 2), args.out)


if __name__ == "__main__":
    main()
