"""The CLI's lists say how many more there are and how to see them; progress off a terminal
is one plain line per phase with counts, rate and time left (issue 13.5)."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.serve.terminal import LineProgress
from storyline.store import Store

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _folder(root: Path, texts: list[str]) -> Path:
    folder = root / "in"
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"{i}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


TEXTS = ["North Korea fired two ballistic missiles into the sea on Monday, officials said.",
         "The DPRK said the launches on Monday were a routine drill by its artillery units.",
         "The port authority said the ferry had resumed service to the island after repairs."]


def test_line_progress_counts_rate_and_time_left() -> None:
    lines: list[str] = []
    now = [0.0]
    bar = LineProgress(lines.append, interval=10, clock=lambda: now[0])
    for i in range(1, 5):  # ingest: no total known
        now[0] += 1
        bar("ingest", i, None)
    for i in range(1, 41):
        now[0] += 0.5
        bar("extract", i, 40)
    bar.close()
    assert lines[0] == "ingest: 4 done in 4 s, 1.0/s"  # ended when the next phase began
    assert lines[1] == "extract: 20/40 (50%), 2.0/s, about 10 s left"
    assert lines[-1] == "extract: 40/40 (100%) done in 20 s, 2.0/s"
    assert len(lines) == 3  # a line every 10 s within a phase, and one at its end
    bar("extract", 1, 2)  # the phase again (a second pass): a new phase, its own lines
    now[0] += 4
    bar("extract", 2, 2)
    assert lines[-1] == "extract: 2/2 (100%) done in 4 s, 0.5/s"


def test_ingest_off_a_terminal_prints_phase_lines(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    code, out = _run("ingest", str(_folder(tmp_path, TEXTS)), "--db", str(db), "--no-analyse")
    assert code == 0, out
    assert re.search(r"^ingest: 3 done in \d+ s, [\d.]+/s$", out, re.MULTILINE), out
    assert "\x1b[" not in out  # no bar drawn into a log


def test_docs_says_how_many_more_and_how(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert _run("ingest", str(_folder(tmp_path, TEXTS)), "--db", str(db), "--no-analyse")[0] == 0
    code, out = _run("docs", "--db", str(db), "--limit", "2")
    assert code == 0 and "1–2 of 3: 1 more; `storyline docs --offset 2`" in out, out
    code, out = _run("docs", "--db", str(db), "--offset", "2")
    assert code == 0 and "3 document(s)" in out and "more;" not in out
    assert len(re.findall(r"^│ \d ", out, re.MULTILINE)) == 1
    code, out = _run("docs", "--db", str(db), "--limit", "0")
    assert len(re.findall(r"^│ \d ", out, re.MULTILINE)) == 3 and "3 document(s)" in out


def test_search_through_aliases_and_its_pages(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert _run("ingest", str(_folder(tmp_path, TEXTS)), "--db", str(db), "--no-analyse")[0] == 0
    code, out = _run("search", "DPRK", "--db", str(db))
    assert code == 0 and "DPRK also as North Korea" in out, out
    assert "2 match(es)" in out
    out = _run("search", "DPRK", "--db", str(db), "--limit", "1")[1]
    assert "1–1 of 2: 1 more" in out and "--offset 1" in out
    code, out = _run("search", "DPRK", "--db", str(db), "--no-aliases")
    assert "1 match(es)" in out and "also as" not in out


def test_stories_fold_those_with_no_events(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert _run("ingest", str(_folder(tmp_path, TEXTS)), "--db", str(db), "--no-analyse")[0] == 0
    with Store.open(db) as store, store.write() as conn:
        conn.execute("INSERT INTO stories (title, first_date, last_date, created_at, "
                     "updated_at, profile_json) VALUES ('Ferry repairs', NULL, NULL, '', '', "
                     "'{}')")
    code, out = _run("stories", "--db", str(db))
    assert code == 0 and "Ferry repairs" not in out and "1 more with no events: --all shows them" in out
    code, out = _run("stories", "--db", str(db), "--all")
    assert code == 0 and "Ferry repairs" in out and "more with no events" not in out
