"""`storyline eval` on PLOVER gold-standard records: format detection, the four figures, and
a whole run on records written for the tests (no PLOVER text is kept in the repository)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.eval.corpora import plover_gsr

RECORDS = [  # our own sentences, in the GSR's record shape
    {"id": "T-REJECT-0001", "event": "REJECT", "eventText": "rejected",
     "source": [{"actorText": "Chile", "code": "CHL"}], "target": "",
     "text": "Chile rejected the proposal from Peru on Monday."},
    {"id": "T-THREATEN-0002", "event": "THREATEN", "eventText": "threatened to impose",
     "source": [{"actorText": "Finland", "code": "FIN"}], "target": "",
     "text": "Finland threatened to impose sanctions on Belarus."},
    {"id": "T-AGREE-0003", "event": "AGREE", "eventText": "agreed to hold",
     "source": [{"actorText": "Norway", "code": "NOR"}, {"actorText": "Sweden", "code": "SWE"}],
     "target": "", "text": "Norway and Sweden agreed to hold joint naval drills next month."},
    {"id": "T-DEMAND-0004", "event": "DEMAND", "eventText": "demanded",
     "source": [{"actorText": "Ecuador", "code": "ECU"}], "target": "",
     "text": "Ecuador demanded that Colombia withdraw its troops from the border."},
]


def _write(tmp_path: Path, records: list[dict]) -> Path:
    path = tmp_path / "gsr.jsonl"
    doc = {"id": "T-DOCUMENT-0000", "event": "DOCUMENT", "eventText": "internal note"}
    path.write_text("\n".join(json.dumps(r) for r in [doc, *records]) + "\n", encoding="utf-8")
    return path


def test_format_is_detected(tmp_path: Path) -> None:
    assert plover_gsr.is_gsr(_write(tmp_path, RECORDS))
    other = tmp_path / "news.jsonl"
    other.write_text(json.dumps({"title": "x", "text": "y"}) + "\n", encoding="utf-8")
    assert not plover_gsr.is_gsr(other)
    assert not plover_gsr.is_gsr(tmp_path / "missing.jsonl")


def test_records_without_text_are_skipped(tmp_path: Path) -> None:
    assert [r["id"] for r in plover_gsr.load_records(_write(tmp_path, RECORDS))] == [
        r["id"] for r in RECORDS]


def test_score_counts_as_the_shared_scorer() -> None:
    recs = RECORDS[:3]
    events = {
        "T-REJECT-0001": [{"type": "REJECT", "actor": "Chile", "actor_key": "country:CHL"},
                          {"type": "CONSULT", "actor": "Peru"}],
        "T-THREATEN-0002": [{"type": "SANCTION", "actor": "Finland"}],
        # the actor matches through the code in its key, not its name
        "T-AGREE-0003": [{"type": "AGREE", "actor": "Kingdom of Sweden",
                          "actor_key": "country:SWE"}],
    }
    got = plover_gsr.score(recs, events)
    assert got == {"sentences": 3, "detected": 1.0, "type_hit": round(2 / 3, 3),
                   "per_sent": round(4 / 3, 2), "source_hit": 1.0}
    events["T-REJECT-0001"][0]["actor"] = "Bolivia"
    events["T-REJECT-0001"][0]["actor_key"] = "country:BOL"
    assert plover_gsr.score(recs, events)["source_hit"] == 0.5
    assert plover_gsr.score(recs, {})["detected"] == 0.0


@pytest.mark.slow
def test_eval_command_runs_the_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["eval", str(_write(tmp_path, RECORDS)), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output[result.output.index("{"):])
    assert scores["corpus"] == "plover-gsr" and scores["sentences"] == 4
    assert scores["detected"] == 1.0
    assert scores["type_hit"] >= 0.75 and scores["per_sent"] <= 2.0
    assert scores["source_hit"] >= 0.75
    assert set(scores["by_type"]) == {"REJECT", "THREATEN", "AGREE", "DEMAND"}


def test_a_key_still_needs_its_folder(tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"corpus": "x", "documents": [], "links": []}), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(key)])
    assert result.exit_code != 0 and "--docs" in result.output


# PLOVER GSR dev (../shared/corpora/plover-gsr/dev.jsonl, 179 sentences; read at run time,
# none of it is in the repository), with the default knobs (general events between named
# parties, the lead between parties named or not: docs/EVALUATION.md, "Two yardsticks").
# Measured 2026-12-07 with `storyline eval` and ../shared/tools/score_plover_gsr.py alike:
# detected 0.844, type_hit 0.715, per_sent 0.97, source_hit 0.914 (0.804 / 0.670 / 0.93 /
# 0.942 before the parse repairs and violence no one named did; 0.704 / 0.581 / 0.79 /
# 0.933 before the lead's material patterns, framed things, refusals and concessions).
# Floors: those minus about 0.03; they only go up (source_hit stays at its floor: the new
# type hits are the bombings whose PLOVER source is a place, 'Samarra').
# Raised 2026-12-07 (second session) from the measured 0.888 / 0.788 / 1.02 / 0.922 (odd ids
# 0.957 / 0.872, even ids 0.812 / 0.694: the even half, never read, is what unread text gets).
# Raised again (issue 11, point 1) from the measured 0.911 / 0.810 / 1.07 / 0.924 (odd ids
# 1.000 / 0.915, even ids 0.812 / 0.694 unchanged).
GSR_DEV_FLOORS = {"detected": 0.88, "type_hit": 0.78, "source_hit": 0.91}


@pytest.mark.slow
def test_gsr_dev_floors(shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dev = shared / "corpora" / "plover-gsr" / "dev.jsonl"
    if not dev.is_file():
        pytest.skip("PLOVER GSR dev is not in ../shared")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["eval", str(dev), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output[result.output.index("{"):])
    assert scores["sentences"] == 179
    for metric, floor in GSR_DEV_FLOORS.items():
        assert scores[metric] >= floor, (metric, scores[metric], floor)
    assert scores["per_sent"] <= 2.0  # type_hit is not bought with many guesses
