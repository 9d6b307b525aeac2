"""`storyline backfill` on Ray (issue 14): a local cluster of two worker actors stores,
analyses and links the sample articles into the record an ingest makes, reports its
progress with counts, rate and ETA on a pipe, and a backfill killed with SIGKILL while its
workers' results come in resumes with no document lost or analysed twice.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from test_reliability_kill import _query, record

from storyline.backfill import InputSize, expected_total

EXAMPLES = ROOT / "examples"
# The hash embedder keeps the linking phase short; the record does not depend on it.
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "STORYLINE_EMBEDDER": "hash",
       "PYTHONPATH": str(ROOT / "src")}
FACTS = ("entity_mentions", "times", "quotes", "events", "story_documents", "cluster_members")


def _backfill(db: Path, batch: int = 2) -> subprocess.Popen[bytes]:
    """Two workers, batches of two documents: five batches for the nine articles."""
    return subprocess.Popen([sys.executable, "-c", "from storyline.cli import main; main()",
                             "backfill", str(EXAMPLES), "--db", str(db), "--workers", "2",
                             "--batch", str(batch), "--json"], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen[bytes]) -> tuple[dict[str, Any], str]:
    out, err = proc.communicate(timeout=400)
    assert proc.returncode == 0, err.decode()
    return json.loads(out), err.decode()


def _counts(db: Path) -> dict[str, int]:
    return {t: _query(db, f"SELECT count(*) FROM {t}") for t in FACTS}


def _ray_folders(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"slray-{pid}-*"))


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("backfill") / "ref.db"
    proc = _backfill(db)
    report, log = _finish(proc)
    return {"db": db, "report": report, "log": log, "record": record(db),
            "counts": _counts(db), "pid": proc.pid}


@pytest.mark.slow
def test_a_backfill_on_two_workers_makes_the_record_of_an_ingest(
        tmp_path: Path, uninterrupted: dict[str, Any]) -> None:
    from storyline.pipeline import process_inputs
    from storyline.settings import Settings
    from storyline.store import Store

    report, log = uninterrupted["report"], uninterrupted["log"]
    assert (report["workers"], report["stored"], report["known"], report["analysed"],
            report["linked"], report["failed"], report["errors"]) == (2, 9, 0, 9, 9, {}, [])
    assert set(report["phases"]) == {"start", "extract", "link"}
    extract = report["phases"]["extract"]  # the work was done by the workers
    assert extract["worker_cpu_s"] > 0 and 0 < extract["worker_busy_share"] <= 1
    # progress on a pipe: a line per phase, with counts and rate
    assert re.search(r"^start: 2 worker\(s\) ready", log, re.MULTILINE), log
    for phase in ("extract", "link"):
        assert re.search(rf"^{phase}: 9/9 \(100%\) done in [\w ]+, [\d.]+/s$", log,
                         re.MULTILINE), log
    # the same documents, analyses, inferred dates, stories and merged events as an ingest
    settings = Settings.load(db=str(tmp_path / "ingest.db"), embedder="hash")
    with Store.open(settings.db) as store:
        process_inputs([str(EXAMPLES)], store, settings)
    assert record(tmp_path / "ingest.db") == uninterrupted["record"]
    assert _counts(tmp_path / "ingest.db") == uninterrupted["counts"]
    assert _query(uninterrupted["db"], "SELECT count(*) FROM link_queue") == 0
    # the local cluster was shut down and its folder removed
    assert not _ray_folders(uninterrupted["pid"])


@pytest.mark.slow
def test_a_killed_backfill_resumes_with_nothing_lost_or_doubled(
        tmp_path: Path, uninterrupted: dict[str, Any]) -> None:
    # kill -9 once the workers' results come in: some documents analysed, others stored and
    # waiting, others in a worker's hands or not read yet. One document a batch, so results
    # come one by one; a machine fast enough to finish before the kill lands gets a new try.
    rng = random.Random(f"backfill-{os.getpid()}")
    for attempt in range(4):
        db = tmp_path / f"k{attempt}.db"
        proc = _backfill(db, batch=1)
        deadline = time.monotonic() + 300
        while not _query(db, "SELECT count(*) >= 1 FROM documents "
                             "WHERE analysed_at IS NOT NULL"):
            assert proc.poll() is None, "the backfill ended before the kill point"
            assert time.monotonic() < deadline, "the backfill never reached the kill point"
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        if _query(db, "SELECT count(*) < 9 FROM documents WHERE analysed_at IS NOT NULL"):
            break
    assert _query(db, "SELECT count(*) FROM pragma_integrity_check "
                      "WHERE integrity_check = 'ok'") == 1
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    before = dict(conn.execute("SELECT id, analysed_at FROM documents "
                               "WHERE analysed_at IS NOT NULL").fetchall())
    pending = conn.execute("SELECT count(*) FROM documents WHERE analysed_at IS NULL "
                           "AND failed_at IS NULL").fetchone()[0]
    conn.close()
    assert len(before) < 9, "killed after every document was analysed"

    report, _ = _finish(_backfill(db))
    # nothing lost: every document stored once, analysed and linked as in one run
    assert (report["stored"], report["known"]) == (9 - stored, stored)
    assert record(db) == uninterrupted["record"]
    assert _counts(db) == uninterrupted["counts"]
    assert _query(db, "SELECT count(*) FROM link_queue") == 0
    # nothing doubled: the workers analysed what the killed run left, and only that
    assert report["analysed"] == pending + (9 - stored)
    conn = sqlite3.connect(db)
    after = dict(conn.execute("SELECT id, analysed_at FROM documents").fetchall())
    conn.close()
    redated = set(report["inferred_dates"])  # analysed again against their new date
    assert {d: after[d] for d in before if d not in redated} == \
        {d: t for d, t in before.items() if d not in redated}
    # the killed run's Ray folder was removed by the next run
    assert not _ray_folders(proc.pid)


def test_the_extract_total_is_estimated_from_the_input_read() -> None:
    # a quarter of the input read, 5 new documents stored: about 20 to analyse in all
    assert expected_total(2, 5, 0, 0.25, reading=True) == 20
    assert expected_total(2, 5, 3, 0.25, reading=True) == 23  # and 3 left by a stopped run
    assert expected_total(2, 5, 0, None, reading=True) is None  # size unknown (URLs)
    assert expected_total(5, 9, 2, 1.0, reading=False) == 11  # everything read
    # never at or under what is done: the phase ends when it ends
    assert expected_total(11, 9, 2, 1.0, reading=False) is None
    assert expected_total(6, 5, 0, 1.0, reading=True) is None


def test_input_size_follows_files_and_records(tmp_path: Path) -> None:
    from storyline.records import RawDocument

    (tmp_path / "a.txt").write_text("x" * 300)
    (tmp_path / "b.jsonl").write_text("y" * 700)
    size = InputSize([str(tmp_path)])
    assert size.total == 1000 and size.fraction() == 0
    size.saw(RawDocument(source=str(tmp_path / "a.txt"), text="x" * 280))
    assert size.fraction() == pytest.approx(0.28)
    size.saw(RawDocument(source=f"{tmp_path / 'b.jsonl'}#1", text="y" * 100))
    assert size.fraction() == pytest.approx(0.4)  # a.txt done, 100 bytes of b.jsonl
    size.saw(RawDocument(source=f"{tmp_path / 'b.jsonl'}#2", text="y" * 100))
    assert size.fraction() == pytest.approx(0.5)
    assert InputSize(["https://example.org/feed"]).fraction() is None
