"""Throughput and memory: Storyline's per-document pipeline against spaCy alone, same run.

Ours: read the sampled corpus files with Storyline's ingest (`read_inputs`), clean each
document, run the extraction pipeline (`pipeline.extract_analyses`: the spaCy model plus
our components), keep the records. The baseline: the same spaCy model loaded as it ships
(all of its enabled components, none of ours) running `nlp.pipe` over the same cleaned
texts. Both run in this process, interleaved slice by slice (each slice of the sample goes
through both, the order alternating), so the load of a shared machine falls on both alike;
the rates are totals over every repeat.

Memory: the pipeline runs in a child process, which reports its own peak resident set size
(VmHWM from /proc/self/status) when it is done.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.clean import clean_document
from storyline.errors import InputError
from storyline.ingest import read_inputs
from storyline.nlp import _load_base, load_nlp
from storyline.pipeline import extract_analyses, process_inputs
from storyline.records import Document, RawDocument
from storyline.settings import Settings
from storyline.store import Store

from .corpora import Item, mixed_sample, write_inputs

Log = Callable[[str], None]


@dataclass
class Sample:
    """The sampled articles: input files for our ingest, cleaned texts for the baseline."""

    inputs: list[str]
    texts: list[str]
    corpus: dict[str, int] = field(default_factory=dict)
    chunks: list[Sample] = field(default_factory=list)  # the same articles, in slices

    @property
    def n_docs(self) -> int:
        return len(self.texts)

    @property
    def n_words(self) -> int:
        return sum(len(t.split()) for t in self.texts)


def cleaned_pairs(inputs: list[str],
                  settings: Settings) -> Iterator[tuple[RawDocument, Document]]:
    """Ingest and clean, as `pipeline.process_raw` does; refused inputs are skipped."""
    for raw in read_inputs(inputs, settings):
        if isinstance(raw, InputError):
            continue
        try:
            doc = clean_document(raw)
        except InputError:
            continue
        if doc.text.strip():
            yield raw, doc


def cleaned(inputs: list[str], settings: Settings) -> Iterator[Document]:
    """The cleaned documents of `cleaned_pairs`."""
    return (doc for _, doc in cleaned_pairs(inputs, settings))


def prepare(n_docs: int, workdir: Path, settings: Settings, seed: int = 1,
            chunk_size: int = 45, items: list[Item] | None = None) -> Sample:
    """Draw the mixed sample (or take `items`), write its input files (one set per slice
    of `chunk_size` articles, each slice mixed), and clean it once (untimed)."""
    items = mixed_sample(n_docs, seed=seed) if items is None else items
    chunks = []
    for i in range(0, len(items), max(1, chunk_size)):
        inputs = write_inputs(items[i:i + chunk_size], workdir / f"chunk{i // chunk_size}")
        chunks.append(Sample(inputs, [d.text for d in cleaned(inputs, settings)]))
    counts: dict[str, int] = {}
    for it in items:
        counts[it.corpus] = counts.get(it.corpus, 0) + 1
    return Sample([p for c in chunks for p in c.inputs], [t for c in chunks for t in c.texts],
                  counts, chunks)


def cold_start(settings: Settings, baseline: Any = None) -> None:
    """Forget what both pipelines memoised in earlier passes over the same texts (our token
    attributes memo; the lemma cache of each spaCy lemmatizer; the glue repair's split
    points of capitalised words), so no pass is faster only
    because it saw these texts before."""
    import storyline.nlp
    from storyline.clean import glue

    glue.Dictionary.split_points.cache_clear()  # the glue repair's per-word split points
    name = getattr(storyline.nlp, "TOKEN_ATTRS", None)
    nlp = load_nlp(settings.model)
    if name and name in nlp.pipe_names:
        nlp.get_pipe(name).clear()
    for pipeline in (nlp, baseline):
        if pipeline is not None and "lemmatizer" in pipeline.component_names:
            cache = getattr(pipeline.get_pipe("lemmatizer"), "cache", None)
            if isinstance(cache, dict):
                cache.clear()


def ours_pass(sample: Sample, settings: Settings, n_process: int) -> float:
    """Seconds for ingest + clean + extraction of the whole sample."""
    start = time.perf_counter()
    n = sum(1 for _ in extract_analyses(cleaned(sample.inputs, settings), settings, n_process))
    elapsed = time.perf_counter() - start
    if n != sample.n_docs:
        raise RuntimeError(f"our pipeline analysed {n} documents of {sample.n_docs}")
    return elapsed


def baseline_pass(nlp: Any, sample: Sample, n_process: int, batch_size: int) -> float:
    """Seconds for spaCy's own `nlp.pipe` (all of the model's components) over the texts."""
    start = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(sample.texts, n_process=n_process, batch_size=batch_size))
    elapsed = time.perf_counter() - start
    if n != sample.n_docs:
        raise RuntimeError(f"spaCy processed {n} documents of {sample.n_docs}")
    return elapsed


def measure(sample: Sample, settings: Settings, *, repeats: int, processes: tuple[int, ...],
            warmup: Sample | None = None, log: Log = print) -> dict[str, Any]:
    """Ours and the baseline over the sample, `repeats` times, interleaved slice by slice:
    each slice of articles runs through both, the order alternating, so changes in the
    machine's load fall on both alike. Totals over every repeat give the rates."""
    ours_nlp = load_nlp(settings.model)
    base_nlp = _load_base(settings.model)
    batch = settings.batch_size
    if warmup is not None and warmup.n_docs:  # first-call costs (lazy tables) off the clock
        ours_pass(warmup, settings, 1)
        baseline_pass(base_nlp, warmup, 1, batch)
    chunks = sample.chunks or [sample]
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for rep in range(repeats):
        cold_start(settings, base_nlp)  # each repeat starts as the first did
        for key in [f"{name}_{n}proc" for n in processes for name in ("ours", "baseline")]:
            times.setdefault(key, []).append(0.0)
        for key in ("ours_1proc", "baseline_1proc"):
            cpu.setdefault(key, []).append(0.0)
        for ci, chunk in enumerate(chunks):
            for n in processes:
                runs = [("ours", lambda c=chunk, n=n: ours_pass(c, settings, n)),
                        ("baseline", lambda c=chunk, n=n: baseline_pass(base_nlp, c, n, batch))]
                if (rep + ci + n) % 2:  # alternate who goes first
                    runs.reverse()
                for name, fn in runs:
                    c0 = time.process_time()
                    times[f"{name}_{n}proc"][-1] += fn()
                    if n == 1:  # CPU seconds of this process (time waiting for a core not
                        cpu[f"{name}_1proc"][-1] += time.process_time() - c0  # counted)
        log(f"  throughput repeat {rep + 1}/{repeats}: " + ", ".join(
            f"{k} {v[-1]:.1f} s" for k, v in times.items()))
    out: dict[str, Any] = {"n_docs": sample.n_docs, "n_words": sample.n_words,
                           "corpus": sample.corpus, "repeats": repeats, "batch_size": batch,
                           "slices": len(chunks),
                           "seconds": {k: [round(x, 2) for x in v] for k, v in times.items()},
                           "cpu_seconds_1proc": {k: [round(x, 2) for x in v]
                                                 for k, v in cpu.items()},
                           "pipeline_ours": list(ours_nlp.pipe_names),
                           "pipeline_baseline": list(base_nlp.pipe_names)}
    docs, words = sample.n_docs * repeats, sample.n_words * repeats
    for n in processes:
        ours, base = sum(times[f"ours_{n}proc"]), sum(times[f"baseline_{n}proc"])
        out[f"docs_per_s_{n}proc"] = round(docs / ours, 3)
        out[f"baseline_docs_per_s_{n}proc"] = round(docs / base, 3)
        out[f"words_per_s_{n}proc"] = round(words / ours, 1)
        out[f"baseline_words_per_s_{n}proc"] = round(words / base, 1)
        out[f"ratio_{n}proc"] = round(base / ours, 3)
    if 1 in processes:  # the same comparison in CPU time, steadier on a shared machine
        out["ratio_1proc_cpu"] = round(sum(cpu["baseline_1proc"]) / sum(cpu["ours_1proc"]), 3)
    return out


# -- end to end: `storyline ingest` ---------------------------------------------------------
def ingest_pass(sample: Sample, store: Store, settings: Settings) -> int:
    """`storyline ingest` of the sample's files into `store`, as the command runs it
    (`pipeline.process_inputs`: read, clean, store, extract, link); documents added."""
    report = process_inputs(sample.inputs, store, settings)
    if report.errors or report.failed:
        raise RuntimeError(f"ingest refused or failed documents: {report.errors[:3]} "
                           f"{list(report.failed.items())[:3]}")
    return len(report.added)


def measure_ingest(sample: Sample, settings: Settings, workdir: Path, *, repeats: int,
                   log: Log = print) -> dict[str, Any]:
    """The whole `storyline ingest` (read, clean, store, extract, link into a fresh SQLite
    store per repeat; the slices go into one store in turn, so later slices link against
    what earlier ones stored) against spaCy's own `nlp.pipe` over the same cleaned texts,
    interleaved slice by slice in this process (the order alternating), in CPU seconds of
    the process (all of its threads: e5's included) and in wall seconds. The store and
    embedder are those `storyline ingest` uses (`settings.embedder`)."""
    from storyline.link.embed import get_embedder

    base_nlp = _load_base(settings.model)
    load_nlp(settings.model)
    get_embedder(settings.embedder).embed(["a first call loads the model"])  # off the clock,
    chunks = sample.chunks or [sample]  # as spaCy's model load is
    cpu = {"ours": 0.0, "baseline": 0.0}
    wall = {"ours": 0.0, "baseline": 0.0}
    per_repeat: list[dict[str, float]] = []
    for rep in range(repeats):
        cold_start(settings, base_nlp)
        db = workdir / f"ingest{rep}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        rep_cpu = {"ours": 0.0, "baseline": 0.0}
        with Store.open(db) as store:
            for ci, chunk in enumerate(chunks):
                runs = [("ours", lambda c=chunk: ingest_pass(c, store, settings)),
                        ("baseline", lambda c=chunk: baseline_pass(base_nlp, c, 1,
                                                                   settings.batch_size))]
                if (rep + ci) % 2:
                    runs.reverse()
                for name, fn in runs:
                    c0, w0 = time.process_time(), time.perf_counter()
                    fn()
                    rep_cpu[name] += time.process_time() - c0
                    wall[name] += time.perf_counter() - w0
            n_stored = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        for k in cpu:
            cpu[k] += rep_cpu[k]
        per_repeat.append({k: round(v, 2) for k, v in rep_cpu.items()})
        log(f"  ingest repeat {rep + 1}/{repeats}: CPU s ours {rep_cpu['ours']:.1f}, "
            f"spaCy {rep_cpu['baseline']:.1f}")
    words = sample.n_words * repeats
    return {"n_docs": sample.n_docs, "n_words": sample.n_words, "corpus": sample.corpus,
            "n_stored": n_stored, "repeats": repeats, "slices": len(chunks),
            "embedder": settings.embedder,
            "cpu_seconds": per_repeat,
            "words_per_cpu_s": round(words / cpu["ours"], 1),
            "baseline_words_per_cpu_s": round(words / cpu["baseline"], 1),
            "ratio_cpu": round(cpu["baseline"] / cpu["ours"], 3),
            "words_per_s": round(words / wall["ours"], 1),
            "baseline_words_per_s": round(words / wall["baseline"], 1),
            "ratio_wall": round(wall["baseline"] / wall["ours"], 3)}


# -- memory ---------------------------------------------------------------------------------
def _child_main(inputs_file: str, mode: str, n_process: int) -> None:
    """In the child: run one pipeline over the inputs, print what it did."""
    settings = Settings.load()
    inputs = json.loads(Path(inputs_file).read_text("utf-8"))
    if mode == "ours":
        n = sum(1 for _ in extract_analyses(cleaned(inputs, settings), settings, n_process))
    else:
        nlp = _load_base(settings.model)
        texts = [d.text for d in cleaned(inputs, settings)]
        n = sum(1 for _ in nlp.pipe(texts, n_process=n_process, batch_size=settings.batch_size))
    print(json.dumps({"n_docs": n, "peak_rss_mb": _own_peak_mb()}))


def _own_peak_mb() -> float:
    """This process's peak RSS in MB: VmHWM of /proc/self/status (the memory of this program
    since exec), else ru_maxrss (on Linux that one also counts the parent's RSS at fork,
    which the exec'd child inherits as its starting high-water mark)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def peak_rss(inputs: list[str], mode: str = "ours", n_process: int = 1) -> dict[str, Any]:
    """Peak RSS (MB) of a child process running the pipeline (`mode` ours or baseline) over
    the inputs, as the child measures it at its end (see `_own_peak_mb`)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(inputs, fh)
    try:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bench.throughput", "--child", fh.name,
                               "--mode", mode, "--n-process", str(n_process)],
                              capture_output=True, text=True, env=env, cwd=root, check=False)
        if proc.returncode:
            raise RuntimeError(f"memory child failed: {proc.stderr[-2000:]}")
        done = json.loads(proc.stdout.strip().splitlines()[-1])
        return {"peak_rss_mb": done["peak_rss_mb"], "n_docs": done["n_docs"],
                "seconds": round(time.perf_counter() - start, 1), "n_process": n_process}
    finally:
        os.unlink(fh.name)


def _main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--child", required=True, help="JSON list of input paths")
    ap.add_argument("--mode", choices=("ours", "baseline"), default="ours")
    ap.add_argument("--n-process", type=int, default=1)
    args = ap.parse_args()
    _child_main(args.child, args.mode, args.n_process)


if __name__ == "__main__":
    _main()
