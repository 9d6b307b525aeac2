"""`python -m bench.run [--quick] [--out bench/results.json]`: throughput, memory and scale.

Writes the numbers to a JSON file and prints them as tables. See bench/README.md for what
each number means and what a full run costs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from storyline.settings import Settings

from . import scale as scale_mod
from . import languages as lang_mod
from . import throughput as tp
from .corpora import CORPORA, T17_DIR, available, bbc_files, corpus_sample, t17_records

HERE = Path(__file__).resolve().parent

# What the benchmark reports against (never asserted by the tests).
TARGETS = {"ratio_1proc": 1.0, "ratio_2proc": 1.0, "ratio_long_1proc": 1.0,
           "ratio_ingest_cpu": 0.5, "peak_rss_mb": 1500.0, "growth_max": 2.0,
           "p95_ms_at_largest": 100.0}


@dataclass
class Plan:
    """How much work one run does."""

    n_docs: int  # throughput sample (a third from each corpus)
    repeats: int  # passes of each configuration
    warmup_docs: int
    sizes: list[int]  # store sizes for the scale test ([] skips it)
    n_base: int  # real articles analysed and linked for the scale template
    n_new: int  # held-out articles measured at each size (and as many follow-ups)
    chunk: int = 45  # throughput slice: each slice runs through ours and spaCy in turn
    ingest_docs: int = 100  # BBC articles for the end-to-end `storyline ingest` row (0: none)
    long_docs: int = 60  # Timeline17 articles for the long-article row (0: none)
    ingest_chunk: int = 25


FULL = Plan(n_docs=450, repeats=3, warmup_docs=24, sizes=[10_000, 100_000], n_base=300,
            n_new=25)
QUICK = Plan(n_docs=90, repeats=2, warmup_docs=12, sizes=[1_000, 10_000], n_base=60, n_new=10,
             chunk=30, ingest_docs=50, long_docs=30)

METHOD = {
    "throughput": (
        "Mixed sample of real articles (a third each from KCNA JSON, Reuters-21578 SGML as "
        "JSON Lines records, BBC text files). Ours: Storyline's ingest (read_inputs) + clean + "
        "extraction (pipeline.extract_analyses: the spaCy model as Storyline loads it plus "
        "Storyline's components). Baseline: the same spaCy model as it ships, all of its "
        "enabled components, nlp.pipe over the same cleaned texts. Same process, same batch "
        "size, interleaved slice by slice (each slice of the sample goes through both, the "
        "order alternating), repeated; rates are totals over every repeat; ratio = our "
        "docs/s / theirs at the same process count (2proc: our forked worker and the process "
        "itself vs spaCy's n_process=2). The token-attribute memo is emptied at the start of each repeat. "
        "ratio_1proc_cpu: the same in CPU seconds of the process. Words are "
        "whitespace-separated tokens of the cleaned texts."),
    "ingest": (
        "End to end: `storyline ingest` of BBC text files (pipeline.process_inputs: read, "
        "clean, store in SQLite, extract, link with the configured embedder) into a fresh "
        "store per repeat, the slices in turn into one store, against spaCy's own nlp.pipe "
        "(all of the model's components) over the same cleaned texts; same process, "
        "interleaved slice by slice, the order alternating. ratio_cpu = spaCy's CPU "
        "seconds / ours (CPU of the whole process, every thread): our words per "
        "CPU-second over spaCy's; ratio_wall the same in wall seconds."),
    "long": (
        "The throughput method (1 process, extraction) over long articles: Timeline17 dev "
        "articles (JSON Lines records, detokenised by the corpus's own tool)."),
    "memory": ("Peak RSS (VmHWM of /proc/self/status, read at its end) of a child process "
               "running our "
               "pipeline (ingest + clean + extraction, 1 process) over the throughput sample; "
               "the baseline's for comparison."),
    "scale": (
        "Template: first paragraphs (<= {limit} chars) of real articles analysed and linked "
        "by the real pipeline, drawn from a pool (the mixed sample, 4x the articles needed, "
        "plus as many KCNA articles again) where the articles that report events are all "
        "used (a third held out, the rest at most half the template; few articles report "
        "an event kind the extractor knows). The store is grown by replicas of the template: "
        "each replica k appends a unique marker to every text (new ids) and shifts every "
        "date by k weeks (stated and inferred publication dates, ISO-day and ISO-week time "
        "values of times and events, story and cluster dates and the dates inside cluster "
        "JSON), inserted through Store.add_document/save_analysis, one transaction per "
        "replica (setup, not measured). The link tables are copied from the template's "
        "linked state with ids remapped (bulk), instead of running the linker per replica, "
        "and the quote vectors the template's linking stored (text_vectors) once. Measured "
        "per held-out article and per follow-up (a template article again, spread over the "
        "stories with merged events), dated a week after the newest replica: add = clean + "
        "add_document + save_analysis of a precomputed analysis; link = "
        "link.update_links(store, [id]); timeline = link.queries.timeline of its story; "
        "entity_page = store.queries.entity_page of its most mentioned entity; search = "
        "store.search of two words of its title; link_db = link less the time spent in the "
        "sentence embedder (the linker's work on the store, what could grow with the "
        "corpus). growth = value at the largest size / value at the smallest."),
    "languages": lang_mod.METHOD,
}


def _log(console: Console) -> Any:
    def log(msg: str) -> None:
        console.print(msg, highlight=False)
    return log


def run(plan: Plan, out: Path, *, workdir: Path | None = None, skip_scale: bool = False,
        skip_throughput: bool = False, console: Console | None = None) -> dict[str, Any]:
    """Run the benchmark and write `out`; returns the results. With `skip_throughput`,
    only the scale part runs; the throughput and memory sections of the `out` file already
    there are kept (named in `carried_over`), so the file keeps every key."""
    console = console or Console()
    log = _log(console)
    if not available():
        raise SystemExit(f"bench: the corpora are not in {CORPORA}; set STORYLINE_SHARED")
    settings = Settings.load()
    started = time.perf_counter()
    own_tmp = workdir is None
    work = Path(tempfile.mkdtemp(prefix="storyline-bench-")) if workdir is None else workdir
    results: dict[str, Any] = {
        "quick": plan is QUICK, "plan": asdict(plan),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_avg_start": os.getloadavg()},
        "settings": {"model": settings.model, "batch_size": settings.batch_size,
                     "n_process": settings.n_process, "embedder": settings.embedder},
        "method": {k: v.format(limit=scale_mod.TEXT_LIMIT) for k, v in METHOD.items()},
        "targets": TARGETS,
    }
    try:
        if skip_throughput:
            earlier = json.loads(out.read_text("utf-8")) if out.is_file() else {}
            kept = [k for k in ("throughput", "memory", "long", "ingest", "languages")
                    if k in earlier]
            results.update({k: earlier[k] for k in kept})
            results["carried_over"] = {"sections": kept, "from": str(out),
                                       "their_duration_s": earlier.get("duration_s")}
        else:
            _throughput_and_memory(plan, work, settings, results, log)
        if plan.sizes and not skip_scale:
            log(f"[bold]scale[/bold]: sizes {plan.sizes}")
            results.update(scale_mod.run(plan.sizes, work / "scale", settings,
                                         n_base=plan.n_base, n_new=plan.n_new, log=log))
    finally:
        if own_tmp:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_avg_end"] = os.getloadavg()
    results["duration_s"] = round(time.perf_counter() - started, 1)
    results["verdict"] = verdict(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    show(results, console)
    console.print(f"results: {out}  ({results['duration_s']:.0f} s)")
    return results


def _throughput_and_memory(plan: Plan, work: Path, settings: Settings,
                           results: dict[str, Any], log: Any) -> None:
    if plan.n_docs:
        _extraction(plan, work, settings, results, log)
    _long_and_ingest(plan, work, settings, results, log)


def _extraction(plan: Plan, work: Path, settings: Settings, results: dict[str, Any],
                log: Any) -> None:
    log(f"[bold]throughput[/bold]: {plan.n_docs} documents, {plan.repeats} repeats")
    sample = tp.prepare(plan.n_docs, work / "throughput", settings, chunk_size=plan.chunk)
    warm = tp.prepare(plan.warmup_docs, work / "warmup", settings, seed=99)
    results["throughput"] = tp.measure(sample, settings, repeats=plan.repeats,
                                       processes=(1, 2), warmup=warm, log=log)
    log("[bold]memory[/bold]: pipeline in a child process")
    mem = tp.peak_rss(sample.inputs, "ours", 1)
    base_mem = tp.peak_rss(sample.inputs, "baseline", 1)
    results["memory"] = {"peak_rss_mb": mem["peak_rss_mb"], "n_docs": mem["n_docs"],
                         "baseline_peak_rss_mb": base_mem["peak_rss_mb"]}
    log("[bold]languages[/bold]: French pipeline against fr_core_news_md alone")
    results["languages"] = lang_mod.run(plan.repeats)


def _long_and_ingest(plan: Plan, work: Path, settings: Settings, results: dict[str, Any],
                     log: Any) -> None:
    """Extraction over long articles, and the whole `storyline ingest` (1 process)."""
    one = replace(settings, n_process=1)
    if plan.long_docs and (CORPORA / T17_DIR).is_dir():
        log(f"[bold]long articles[/bold]: {plan.long_docs} Timeline17 articles")
        items = corpus_sample(t17_records(), plan.long_docs, seed=3)
        long = tp.prepare(len(items), work / "long", one, chunk_size=plan.chunk, items=items)
        results["long"] = tp.measure(long, one, repeats=plan.repeats, processes=(1,), log=log)
    if plan.ingest_docs:
        log(f"[bold]ingest[/bold]: {plan.ingest_docs} BBC articles, end to end")
        items = corpus_sample(bbc_files(), plan.ingest_docs, seed=1)
        sample = tp.prepare(len(items), work / "ingest", one, chunk_size=plan.ingest_chunk,
                            items=items)
        results["ingest"] = tp.measure_ingest(sample, one, work, repeats=plan.repeats, log=log)


def verdict(results: dict[str, Any]) -> dict[str, Any]:
    """Each target: the measured value and whether it is met."""
    out: dict[str, Any] = {}
    t = results.get("throughput") or {}
    for key in ("ratio_1proc", "ratio_2proc"):
        if key in t:
            out[key] = {"value": t[key], "target": f">= {TARGETS[key]}",
                        "met": t[key] >= TARGETS[key]}
    for section, key, target in (("long", "ratio_1proc", "ratio_long_1proc"),
                                 ("ingest", "ratio_cpu", "ratio_ingest_cpu")):
        value = (results.get(section) or {}).get(key)
        if value is not None:
            out[target] = {"value": value, "target": f">= {TARGETS[target]}",
                           "met": value >= TARGETS[target]}
    m = results.get("memory") or {}
    if "peak_rss_mb" in m:
        out["peak_rss_mb"] = {"value": m["peak_rss_mb"], "target": f"< {TARGETS['peak_rss_mb']}",
                              "met": m["peak_rss_mb"] < TARGETS["peak_rss_mb"]}
    g = results.get("growth") or {}
    for op in ("link", "link_db", "timeline", "entity_page", "search", "add"):
        if isinstance(g.get(op), dict) and g[op].get("p95_ms") is not None:
            out[f"growth_{op}"] = {"value": g[op]["p95_ms"], "target": "<= 2.0",
                                   "met": g[op]["p95_ms"] <= TARGETS["growth_max"]}
    s = results.get("scale") or {}
    if s:
        largest = s[max(s, key=int)]
        for op in ("timeline", "entity_page"):
            out[f"p95_{op}_ms"] = {"value": largest[op]["p95_ms"],
                                   "target": f"< {TARGETS['p95_ms_at_largest']}",
                                   "met": largest[op]["p95_ms"] < TARGETS["p95_ms_at_largest"]}
    return out


def show(results: dict[str, Any], console: Console) -> None:
    """The results as tables."""
    t = results.get("throughput")
    if t:
        table = Table(title=f"Throughput ({t['n_docs']} documents, {t['n_words']:,} words; "
                            f"{t['repeats']} repeats, interleaved)")
        for col in ("processes", "ours docs/s", "spaCy docs/s", "ours words/s",
                    "spaCy words/s", "ratio"):
            table.add_column(col, justify="right")
        for n in (1, 2):
            if f"docs_per_s_{n}proc" in t:
                table.add_row(str(n), f"{t[f'docs_per_s_{n}proc']:.2f}",
                              f"{t[f'baseline_docs_per_s_{n}proc']:.2f}",
                              f"{t[f'words_per_s_{n}proc']:,.0f}",
                              f"{t[f'baseline_words_per_s_{n}proc']:,.0f}",
                              f"{t[f'ratio_{n}proc']:.2f}")
        console.print(table)
        if "ratio_1proc_cpu" in t:
            console.print(f"1 process in CPU seconds (steadier on a shared machine): ratio "
                          f"{t['ratio_1proc_cpu']:.2f}")
    lg = results.get("long")
    if lg:
        console.print(f"Long articles ({lg['n_docs']} Timeline17, {lg['n_words']:,} words): "
                      f"ours {lg['words_per_s_1proc']:,.0f} words/s, spaCy "
                      f"{lg['baseline_words_per_s_1proc']:,.0f}; ratio {lg['ratio_1proc']:.2f} "
                      f"(CPU {lg['ratio_1proc_cpu']:.2f})")
    ing = results.get("ingest")
    if ing:
        console.print(f"storyline ingest end to end ({ing['n_docs']} BBC, {ing['n_words']:,} "
                      f"words): ours {ing['words_per_cpu_s']:,.0f} words per CPU-second, spaCy "
                      f"{ing['baseline_words_per_cpu_s']:,.0f}; ratio {ing['ratio_cpu']:.2f} "
                      f"(wall {ing['ratio_wall']:.2f})")
    for code, row in (results.get("languages") or {}).items():
        console.print(f"{code}: ours {row['ours']['docs_per_s']:.1f} docs/s, {row['model']} "
                      f"alone {row['spacy']['docs_per_s']:.1f} docs/s, ratio {row['ratio']:.2f}")
    m = results.get("memory")
    if m:
        console.print(f"Peak RSS: ours {m['peak_rss_mb']:.0f} MB, spaCy alone "
                      f"{m['baseline_peak_rss_mb']:.0f} MB")
    s = results.get("scale")
    if s:
        table = Table(title="Latency per new article (p50 / p95 ms)")
        table.add_column("operation")
        for size in s:
            table.add_column(f"{int(size):,} docs", justify="right")
        if results.get("growth"):
            table.add_column("growth p95", justify="right")
        for op in scale_mod.OPERATIONS:
            row = [op] + [f"{s[size][op]['p50_ms']:.1f} / {s[size][op]['p95_ms']:.1f}"
                          for size in s]
            if results.get("growth"):
                g = results["growth"][op]["p95_ms"]
                row.append("-" if g is None else f"{g:.2f}x")
            table.add_row(*row)
        console.print(table)
    v = results.get("verdict")
    if v:
        table = Table(title="Targets")
        for col in ("target", "value", "wanted", "met"):
            table.add_column(col)
        for name, item in v.items():
            table.add_row(name, str(item["value"]), item["target"],
                          "[green]yes[/green]" if item["met"] else "[red]no[/red]")
        console.print(table)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    ap.add_argument("--quick", action="store_true",
                    help="smaller throughput sample, scale at 1,000 and 10,000 documents")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    ap.add_argument("--skip-scale", action="store_true", help="throughput and memory only")
    ap.add_argument("--skip-throughput", action="store_true",
                    help="scale only; keep the throughput and memory of the --out file")
    ap.add_argument("--only-ingest", action="store_true",
                    help="only the long-article and end-to-end ingest rows (no scale)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="keep working files (stores, samples) here instead of a temp folder")
    args = ap.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.only_ingest:
        plan = replace(plan, n_docs=0, sizes=[])
    run(plan, args.out, workdir=args.workdir,
        skip_scale=args.skip_scale, skip_throughput=args.skip_throughput)


if __name__ == "__main__":
    main()
