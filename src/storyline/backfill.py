"""Backfill on Ray: a large collection analysed by worker actors, stored by one writer.

`storyline backfill PATH... --workers N` reads and cleans the inputs in the driver and
stores each document (`pipeline.process_raw`, batch by batch: the store keys documents by
a hash of their text, so a document met again changes nothing). Each batch of new
documents goes to a worker actor holding one spaCy pipeline, loaded once in its
`__init__`; the actor runs the pipeline's own guarded extraction
(`pipeline._guarded_analyses`) and sends back only the records, which the driver saves
through the store's public methods. At most `IN_FLIGHT` batches per worker are out at a
time, so the corpus is streamed, never held. Linking is a second phase over what was
stored: `pipeline.analyse_and_link`, after the cluster is shut down.

Resuming needs no bookkeeping of its own. What a stopped run (kill -9 included) leaves is
what the store already marks: a document stored but not analysed (`analysed_at` NULL, or
an anchor date no longer its own) is pending, one analysed but not linked is on the link
queue. A new run re-reads its inputs (known documents are not analysed again), sends
every pending document to the workers once its inputs are read, and links what is queued.

The cluster: a local one by default (`ray.init` with `num_cpus=N`, on 127.0.0.1, no
dashboard, no usage reporting, quiet logs, a temporary folder of its own under the system
temp folder, removed at the end), or an existing one (`--address`), whose nodes need
Storyline and its models installed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import InputError, ModelError, StorylineError
from .ingest import read_inputs
from .pipeline import Progress, _guarded_analyses, analyse_and_link, model_name, process_raw
from .pipeline import _chunks as chunks
from .records import Analysis, DocMeta, Document, RawDocument
from .settings import Settings
from .store import Store
from .store.corrections import Applier as Corrections

Log = Callable[[str], None]

# Batches a worker holds at a time: one it works on, one waiting, so it never idles while
# the driver saves the previous batch.
IN_FLIGHT = 2
# Seconds between two looks at the link queue (the progress of the link phase).
INTERVAL = 10.0
# Environment the workers need to read documents as the driver would (options, the KB).
_ENV_PREFIXES = ("STORYLINE_", "OMP_NUM_THREADS")


@dataclass
class BackfillReport:
    """What a backfill did: documents stored (new), already known, refused (with why),
    analysed by the workers, failed (id -> why), linked; seconds and rate per phase."""

    workers: int = 0
    stored: int = 0
    known: int = 0
    errors: list[InputError] = field(default_factory=list)
    analysed: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    linked: int = 0
    inferred_dates: list[str] = field(default_factory=list)
    phases: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"workers": self.workers, "stored": self.stored, "known": self.known,
                "errors": [e.as_dict() for e in self.errors], "analysed": self.analysed,
                "failed": self.failed, "linked": self.linked,
                "inferred_dates": self.inferred_dates, "phases": self.phases}


# -- progress ----------------------------------------------------------------------------
# Lines or bars come from the CLI's progress callback (pipeline.Progress: stage, done,
# total; serve.terminal.LineProgress off a terminal); the backfill gives it the totals.

def expected_total(analysed: int, stored: int, swept: int, fraction: float | None,
                   reading: bool) -> int | None:
    """Documents the extract phase will analyse in all, as far as can be told: while the
    inputs are read, the new documents stored so far scaled by the share of the input read
    (None where the input's size is unknown); then those stored and those swept up from
    an earlier run. None too while the estimate is not above what is done, so a phase
    ends only when it ends."""
    if reading:
        total = round(stored / fraction) + swept if fraction else None
    else:
        total = stored + swept
    return total if total is not None and total > analysed else None


def _locked(progress: Progress) -> Progress:
    """The callback, one caller at a time (the link phase reports from a second thread)."""
    lock = threading.Lock()

    def call(stage: str, done: int, total: int | None) -> None:
        with lock:
            progress(stage, done, total)
    return call


def _timing(started: float, documents: int) -> dict[str, float]:
    seconds = time.monotonic() - started
    return {"documents": documents, "seconds": round(seconds, 2),
            "docs_per_s": round(documents / seconds, 3) if seconds > 0 else 0.0}


class InputSize:
    """How far through its inputs a run is, by bytes: the files done, and the part of the
    current file read (the text of its records so far). None when the size is unknown
    (URLs)."""

    def __init__(self, inputs: Iterable[str]) -> None:
        self.total = 0
        self.known = True
        for item in inputs:
            path = Path(item)
            if path.is_file():
                self.total += path.stat().st_size
            elif path.is_dir():
                self.total += sum(p.stat().st_size for p in path.rglob("*")
                                  if p.is_file() and not p.name.startswith("."))
            else:
                self.known = False
        self.done = 0
        self.current: str | None = None
        self.current_size = 0
        self.current_read = 0

    def saw(self, item: RawDocument | InputError) -> None:
        source = (item.source or "").split("#", 1)[0]
        if source != self.current:
            self.done += self.current_size
            self.current = source
            try:
                self.current_size = Path(source).stat().st_size
            except (OSError, ValueError):
                self.current_size = 0
            self.current_read = 0
        if isinstance(item, RawDocument):
            self.current_read += len(item.text.encode("utf-8", "replace"))

    def fraction(self) -> float | None:
        if not self.known or not self.total:
            return None
        return (self.done + min(self.current_read, self.current_size)) / self.total


def stderr_log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


# -- the cluster -------------------------------------------------------------------------

def _ray() -> Any:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing reported anywhere
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - ray is a dependency
        raise StorylineError("the backfill needs Ray: pip install ray") from exc
    return ray


@contextlib.contextmanager
def cluster(workers: int, address: str | None = None) -> Iterator[Any]:
    """A Ray cluster for the run: a local one of `workers` CPUs, or the one at `address`.
    Shut down (and a local one's temporary folder removed) at the end."""
    ray = _ray()
    env = {k: v for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES)}
    options: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False,
                               "include_dashboard": False,
                               "runtime_env": {"env_vars": env}}
    temp: str | None = None
    if address is None:
        _remove_stale_temps()
        temp = tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{os.getpid()}-")
        # the workers import `storyline` from where the driver did
        src = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH"))
                                            if p)
        # "local": a new cluster of our own, even where RAY_ADDRESS names another
        options.update(address="local", num_cpus=workers, num_gpus=0,
                       _node_ip_address="127.0.0.1",
                       _temp_dir=temp, object_store_memory=_object_store_bytes(workers))
    else:
        options["address"] = address
    try:
        ray.init(**options)
    except Exception as exc:  # Ray raises many kinds; told by name
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
        where = f"the Ray cluster at {address}" if address else "a local Ray cluster"
        raise StorylineError(f"cannot start or join {where}: {type(exc).__name__}: {exc}",
                             source=address or "ray") from exc
    try:
        yield ray
    finally:
        ray.shutdown()
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


_TEMP_PREFIX = "slray-"  # short: Ray's sockets live under it (AF_UNIX paths hold 107 bytes)


def _remove_stale_temps() -> None:
    """The temporary folders of local clusters whose driver is gone (killed, so it could
    not remove its own); a running driver's folder is left alone."""
    for path in Path(tempfile.gettempdir()).glob(f"{_TEMP_PREFIX}*-*"):
        pid = path.name[len(_TEMP_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir() or path.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            continue


def _object_store_bytes(workers: int) -> int:
    """Enough for the batches in flight (records, not Docs: a few hundred KB each)."""
    return (100 + 25 * workers) * 1024 * 1024


class Extractor:
    """A worker: one spaCy pipeline per actor, loaded once, analysing batches of
    documents with the pipeline's own guarded extraction (a failing document is told by
    name, the rest of its batch analysed)."""

    def __init__(self, settings: Settings) -> None:
        from .nlp import load_nlp

        self.settings = replace(settings, n_process=1)
        self.busy = 0.0  # seconds spent analysing
        load_nlp(self.settings.model)  # cached for the actor's life

    def ready(self) -> int:
        return os.getpid()

    def usage(self) -> tuple[float, float]:
        """CPU seconds this worker has used, and wall seconds it has spent analysing."""
        return time.process_time(), self.busy

    def analyse(self, docs: list[Document]) -> list[tuple[str, Analysis | str, str]]:
        """(id, Analysis and the name of the pipeline that made it, or the reason its
        analysis failed) per document."""
        start = time.perf_counter()
        out: list[tuple[str, Analysis | str, str]] = []
        languages = {d.id: d.meta.language for d in docs}
        for doc_id, result in _guarded_analyses(docs, self.settings):
            model = "" if isinstance(result, str) else model_name(languages.get(doc_id),
                                                                   self.settings.model)
            out.append((doc_id, result, model))
        self.busy += time.perf_counter() - start
        return out


def _usage(ray: Any, actors: list[Any]) -> tuple[float, float]:
    """CPU seconds and busy seconds of all the workers together."""
    got = ray.get([a.usage.remote() for a in actors])
    return sum(c for c, _ in got), sum(b for _, b in got)


def _for_worker(doc: Document) -> Document:
    """What a worker needs of a document: its text and metadata, not what cleaning cut."""
    return replace(doc, raw_text="", removed=[])


class Dispatcher:
    """Batches to the least busy worker, at most IN_FLIGHT each; results saved by the
    driver as they come back."""

    def __init__(self, ray: Any, actors: list[Any], store: Store, report: BackfillReport,
                 saved: Callable[[], None]) -> None:
        self.ray, self.actors, self.store = ray, actors, store
        self.report, self.saved = report, saved
        # the analyst's corrections, as pipeline.analyse_documents applies them: to each
        # document before it is analysed, to each analysis before it is saved
        self.corrections = Corrections(store)
        self.busy = [0] * len(actors)
        self.out: dict[Any, tuple[int, dict[str, str | None]]] = {}

    def submit(self, docs: list[Document]) -> None:
        if not docs:
            return
        while min(self.busy) >= IN_FLIGHT:
            self._collect()
        if self.corrections:
            docs = [self.corrections.document(d) for d in docs]
        i = self.busy.index(min(self.busy))
        ref = self.actors[i].analyse.remote([_for_worker(d) for d in docs])
        self.out[ref] = (i, {d.id: d.anchor_date for d in docs})
        self.busy[i] += 1

    def drain(self) -> None:
        while self.out:
            self._collect()

    def _collect(self) -> None:
        ready, _ = self.ray.wait(list(self.out), num_returns=1)
        ref = ready[0]
        i, anchors = self.out.pop(ref)
        self.busy[i] -= 1
        try:
            results = self.ray.get(ref)
        except Exception as exc:  # a worker that died: its batch stays pending
            cause = getattr(exc, "cause", None)
            if isinstance(cause, ModelError):
                raise cause from exc
            raise StorylineError(f"a backfill worker failed: {type(exc).__name__}: "
                                 f"{str(exc)[:300]}; run the backfill again to resume",
                                 source="ray") from exc
        for doc_id, result, model in results:
            if isinstance(result, str):
                self.store.mark_failed(doc_id, result)
                self.report.failed[doc_id] = result
            else:
                if self.corrections:
                    result = self.corrections.analysis(doc_id, result)
                self.store.save_analysis(doc_id, result, model, anchor=anchors.get(doc_id))
                self.report.analysed += 1
        self.saved()


# -- the run -----------------------------------------------------------------------------

def backfill(inputs: list[str], store: Store, settings: Settings, *, workers: int = 2,
             address: str | None = None, batch: int | None = None,
             flags: DocMeta | None = None, progress: Progress | None = None,
             log: Log = stderr_log, link: bool = True) -> BackfillReport:
    """Store and analyse the inputs on a Ray cluster, then link them (see the module).
    `progress` (stage, done, total) hears of the extract and link phases, `log` gets a
    line when the cluster is ready; `link=False` leaves the analysed documents on the link
    queue for a later run."""
    if workers < 1:
        raise StorylineError(f"--workers must be at least 1, not {workers}", source="workers")
    batch = max(1, int(batch or settings.batch_size))
    progress = _locked(progress or _no_progress)
    report = BackfillReport(workers=workers)
    log(f"backfill: {workers} worker(s), batches of {batch}, "
        f"{'cluster at ' + address if address else 'local Ray cluster'}")
    with cluster(workers, address) as ray:
        started = time.monotonic()
        actor = ray.remote(num_cpus=1, max_restarts=1, max_task_retries=1)(Extractor)
        actors = [actor.remote(settings) for _ in range(workers)]
        ray.get([a.ready.remote() for a in actors])  # every model loaded
        report.phases["start"] = {"seconds": round(time.monotonic() - started, 2)}
        log(f"start: {workers} worker(s) ready, a model loaded in each, in "
            f"{report.phases['start']['seconds']:.1f} s")
        usage, driver_cpu, started = _usage(ray, actors), time.process_time(), time.monotonic()
        size = InputSize(inputs)
        state = {"reading": True, "swept": 0}

        def saved() -> None:
            done = report.analysed + len(report.failed)
            progress("extract", done, expected_total(done, report.stored, state["swept"],
                                                     size.fraction(), state["reading"]))

        dispatcher = Dispatcher(ray, actors, store, report, saved)
        for raw in chunks(_watched(read_inputs(list(inputs), settings, flags), size), batch):
            dispatcher.submit(_store(raw, store, settings, report))
        state["reading"] = False
        dispatcher.drain()  # what is in the workers' hands is pending until it is saved
        # what is still pending: left by an earlier, stopped run, or known and failed
        # before (a document ingested again is analysed again)
        for docs in chunks(store.documents(pending_only=True), batch):
            state["swept"] += len(docs)
            dispatcher.submit(docs)
        dispatcher.drain()
        done = report.analysed + len(report.failed)
        progress("extract", done, done)  # the phase's closing line
        phase = report.phases["extract"] = _timing(started, done)
        cpu, busy = (b - a for a, b in zip(usage, _usage(ray, actors), strict=True))
        phase.update(  # where the phase's work was done, and whether the workers waited
            worker_cpu_s=round(cpu, 2), driver_cpu_s=round(time.process_time() - driver_cpu, 2),
            worker_busy_share=round(busy / (workers * phase["seconds"]), 3)
            if phase["seconds"] else 0.0)
    if link:
        _link(store, settings, report, progress)
    return report


def _watched(items: Iterator[RawDocument | InputError],
             size: InputSize) -> Iterator[RawDocument | InputError]:
    for item in items:
        size.saw(item)
        yield item


def _store(raw: list[RawDocument | InputError], store: Store, settings: Settings,
           report: BackfillReport) -> list[Document]:
    """Clean and store a batch (pipeline.process_raw, not analysed); the new documents."""
    got = process_raw(raw, store, settings, analyse=False)
    report.errors.extend(got.errors)
    report.stored += len(got.added)
    report.known += len(got.duplicates)
    return [store.get_document(doc_id) for doc_id in dict.fromkeys(got.added)]


def _link(store: Store, settings: Settings, report: BackfillReport,
          progress: Progress) -> None:
    """Second phase: link what was analysed (and what an earlier run left unlinked)."""
    queued = len(store.link_queue()[0])
    started = time.monotonic()
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_links, args=(store, queued, progress, stop),
                               daemon=True)
    watcher.start()
    try:
        done = analyse_and_link(store, settings, progress=progress)
    finally:
        stop.set()
        watcher.join()
    report.linked = len(getattr(done.link, "documents", []) or [])
    report.inferred_dates = list(done.inferred_dates)
    report.failed.update(done.failed)
    report.phases["link"] = _timing(started, report.linked)


def _watch_links(store: Store, queued: int, progress: Progress, stop: threading.Event,
                 interval: float = INTERVAL / 2) -> None:
    """Progress of the linking phase, read from the store by a reader of its own (the
    linker reports once, when it is done)."""
    if not queued or store.path == ":memory:":
        return
    with contextlib.suppress(StorylineError), type(store).open(store.path,
                                                               readonly=True) as reader:
        while not stop.wait(interval):
            with contextlib.suppress(Exception):
                done = queued - len(reader.link_queue()[0])
                if done < queued:  # the linker's own call closes the phase
                    progress("link", done, queued)
