"""`python -m bench.store [--sizes 10000] [--quick]`: the store on SQLite vs PostgreSQL.

Needs a PostgreSQL server whose user may create databases: STORYLINE_TEST_PG (`make
bench-store` starts a throwaway cluster, as `make test-postgres` does). Both backends are
measured in the same run, on the same template and the same articles, one after the other:

- `grow_docs_per_s`: the scale run's growth (scale.grow: replicas of a linked template of
  real articles, documents, facts and link tables), documents per second, one writer;
- `writers`: documents and facts written (Store.add_document + save_analysis, one
  transaction each, as ingest writes them) by 1 and by 2 processes at once, docs/s;
- `scale`: at each size, the scale run's per-article latencies (scale.measure: add, link,
  timeline, entity page, search) on each backend;
- `ratios`: PostgreSQL / SQLite for each (a rate above 1 is faster, a latency above 1
  slower).

Linking embeds with the `hash` embedder unless `--embedder` says otherwise: embedding
costs the same on both backends, and `link_db` (linking less embedding) is what differs.

The result goes into the `store` key of the results file (other keys are kept).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from storyline.link import get_embedder
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.pg import scratch_database

from . import scale

HERE = Path(__file__).resolve().parent
WRITER_REPLICAS = 4  # replicas of the template each writer adds in the `writers` test


def _writer(url: str, tpl: scale.Template, ks: list[int], start: Any) -> None:
    store = Store.open(url)
    start.wait()
    for k in ks:
        for doc in tpl.docs:
            rep = scale.replica(doc, k, f"w{k}")
            store.add_document(rep)
            store.save_analysis(rep.id, scale.shifted_analysis(tpl.analyses[doc.id], k),
                                tpl.model)
    store.close()


def writers(url: str, tpl: scale.Template, n: int, first_k: int) -> float:
    """Documents per second that `n` processes write at once into the store at `url`."""
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(n + 1)
    procs = [ctx.Process(target=_writer, args=(url, tpl, [first_k + i * WRITER_REPLICAS + j
                                                          for j in range(WRITER_REPLICAS)],
                                               start)) for i in range(n)]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise RuntimeError(f"a writer failed (exit code {p.exitcode})")
    return n * WRITER_REPLICAS * len(tpl.docs) / (time.perf_counter() - t0)


def backend_grow(url: str, tpl: scale.Template, size: int, log: Any) -> float:
    """Grow one store to `size` documents; docs/s (the store left ready to measure)."""
    with Store.open(url) as store:
        before = store.count_documents()
        grow_s = scale.grow(store, tpl, size, log)
        rate = round((store.count_documents() - before) / grow_s, 1)
        if store.backend == "sqlite":
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:  # planner statistics after a bulk load (autovacuum would, later)
            store.conn.execute("VACUUM ANALYZE")
        log(f"  store {store.backend}: {store.count_documents():,} documents, {rate} docs/s "
            "growing")
    return rate


def backend_measure(url: str, tpl: scale.Template, label: str,
                    settings: Settings) -> dict[str, Any]:
    """The scale run's per-article latencies on the store at `url` (and, on PostgreSQL,
    the statements each article cost and the server's round trip)."""
    with Store.open(url) as store:
        sent = getattr(store.conn, "statements", None)
        out = scale.measure(store, tpl, label,
                            scale.TimedEmbedder(get_embedder(settings.embedder)))
        if sent is not None:
            out["statements_per_article"] = round(
                (store.conn.statements - sent) / out["n_articles"], 1)
            rtt = []
            for _ in range(200):
                t0 = time.perf_counter()
                store.conn.execute("SELECT 1").fetchone()
                rtt.append((time.perf_counter() - t0) * 1000)
            out["round_trip_ms"] = {"p50": round(scale.percentile(rtt, 50), 3),
                                    "p95": round(scale.percentile(rtt, 95), 3)}
    return out


def merge_rounds(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One size's measurement from its rounds: each latency the mean of the rounds'."""
    out: dict[str, Any] = {"rounds": rounds}
    for op in scale.OPERATIONS:
        out[op] = {q: round(sum(r[op][q] for r in rounds) / len(rounds), 2)
                   for q in ("p50_ms", "p95_ms")}
    return out


def writers_both(workdir: Path, pg_url: str, tpl: scale.Template,
                 repeats: int = 2) -> dict[str, dict[str, float]]:
    """Docs/s of 1 and 2 writer processes on each backend, interleaved and repeated (a
    new store each time); the rate is the total over the repeats."""
    docs: dict[tuple[str, int], float] = {}
    secs: dict[tuple[str, int], float] = {}
    first_k = 3000  # writer replicas: ids and dates apart from the grown store's
    for rep in range(repeats):
        for n in (1, 2):
            for backend in ("sqlite", "postgresql"):
                with contextlib.ExitStack() as stack:
                    if backend == "sqlite":
                        url = str(workdir / f"writers-{rep}-{n}.db")
                    else:
                        url = stack.enter_context(scratch_database(pg_url))
                    Store.open(url).close()
                    rate = writers(url, tpl, n, first_k)
                count = n * WRITER_REPLICAS * len(tpl.docs)
                docs[backend, n] = docs.get((backend, n), 0) + count
                secs[backend, n] = secs.get((backend, n), 0) + count / rate
    return {b: {str(n): round(docs[b, n] / secs[b, n], 1) for n in (1, 2)}
            for b in ("sqlite", "postgresql")}


def run(sizes: list[int], workdir: Path, pg_url: str, settings: Settings, *,
        n_base: int, n_new: int, log: Any = print,
        template: scale.Template | None = None) -> dict[str, Any]:
    """Both backends over the same template (built here unless given); returns
    results.json's `store`."""
    workdir.mkdir(parents=True, exist_ok=True)
    tpl = template or scale.build_template(n_base, n_new, workdir, settings, log)
    result: dict[str, Any] = {"sizes": sizes, "template_documents": len(tpl.docs),
                              "sqlite": {"scale": {}, "grow_docs_per_s": {}},
                              "postgresql": {"scale": {}, "grow_docs_per_s": {}}}
    with contextlib.ExitStack() as stack:
        urls = {"sqlite": str(workdir / "store.db"),
                "postgresql": stack.enter_context(scratch_database(pg_url))}
        for size in sizes:
            weeks = tpl.max_weeks
            for backend, url in urls.items():  # the same replicas into each
                tpl.max_weeks = weeks
                result[backend]["grow_docs_per_s"][str(size)] = backend_grow(
                    url, tpl, size, log)
            # measured in two rounds, the backends in turn, so that a change in the
            # machine's load falls on both
            rounds: dict[str, list[dict[str, Any]]] = {b: [] for b in urls}
            for r in (1, 2):
                for backend, url in urls.items():
                    rounds[backend].append(backend_measure(url, tpl, f"{size}r{r}", settings))
            for backend in urls:
                result[backend]["scale"][str(size)] = merge_rounds(rounds[backend])
                log(f"  store {backend} at {size:,}: " + ", ".join(
                    f"{op} p50 {result[backend]['scale'][str(size)][op]['p50_ms']} ms"
                    for op in scale.OPERATIONS if op != "checkpoint"))
        result["sqlite"]["db_mb"] = round(sum(
            p.stat().st_size for p in workdir.glob("store.db*")) / 2**20, 1)
        with Store.open(urls["postgresql"], readonly=True) as store:
            result["postgresql"]["db_mb"] = round(store.conn.execute(
                "SELECT pg_database_size(current_database())").fetchone()[0] / 2**20, 1)
    result["writers"] = writers_both(workdir, pg_url, tpl)
    log(f"  store writers (docs/s): {result['writers']}")
    result["ratios"] = ratios(result)
    return result


def ratios(result: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL / SQLite for every rate and latency of the run."""
    sq, pg = result["sqlite"], result["postgresql"]
    out: dict[str, Any] = {"grow_docs_per_s": {}, "writers": {}, "latency": {}}
    for size in map(str, result["sizes"]):
        out["grow_docs_per_s"][size] = round(pg["grow_docs_per_s"][size]
                                             / sq["grow_docs_per_s"][size], 2)
        out["latency"][size] = {
            op: {q: (round(pg["scale"][size][op][q] / sq["scale"][size][op][q], 2)
                     if sq["scale"][size][op][q] else None) for q in ("p50_ms", "p95_ms")}
            for op in scale.OPERATIONS if op != "checkpoint"}
    for n, rate in result["writers"]["postgresql"].items():
        out["writers"][n] = round(rate / result["writers"]["sqlite"][n], 2)
    out["writers_2_over_1"] = {b: round(result["writers"][b]["2"] / result["writers"][b]["1"], 2)
                               for b in ("sqlite", "postgresql")}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000", help="store sizes, comma-separated")
    ap.add_argument("--quick", action="store_true", help="a small template (60 articles)")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    ap.add_argument("--embedder", default="hash",
                    help="linking's sentence embedder (default 'hash': the store is what is "
                         "compared, and the same embedding cost on both sides only adds noise)")
    args = ap.parse_args(argv)
    pg_url = os.environ.get("STORYLINE_TEST_PG")
    if not pg_url:
        raise SystemExit("bench.store: set STORYLINE_TEST_PG (make bench-store starts a "
                         "throwaway PostgreSQL cluster)")
    plan = scale_plan(args.quick)
    os.environ["STORYLINE_EMBEDDER"] = args.embedder  # linking the template reads it too
    settings = Settings.load()
    work = Path(tempfile.mkdtemp(prefix="storyline-bench-store-"))
    started = time.perf_counter()
    try:
        result = run([int(x) for x in args.sizes.split(",")], work, pg_url, settings,
                     n_base=plan[0], n_new=plan[1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["duration_s"] = round(time.perf_counter() - started, 1)
    result["embedder"] = args.embedder
    result["load_avg_end"] = os.getloadavg()
    earlier = json.loads(args.out.read_text("utf-8")) if args.out.is_file() else {}
    earlier["store"] = result
    args.out.write_text(json.dumps(earlier, indent=2) + "\n", "utf-8")
    print(json.dumps(result["ratios"], indent=2))
    print(f"results: {args.out} (store)")


def scale_plan(quick: bool) -> tuple[int, int]:
    """(template articles, held-out articles): the bench's QUICK or FULL plan's."""
    from .run import FULL, QUICK

    plan = QUICK if quick else FULL
    return plan.n_base, plan.n_new


if __name__ == "__main__":
    main()
