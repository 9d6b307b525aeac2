"""Quality gate: `storyline eval` on the seed key must stay at or above pinned floors.

The floors are the issues' done criteria; they only go up. The key and the articles are
read from ../shared at run time (the test skips without it); nothing of them is in the repo.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app

FLOORS = {
    ("boilerplate", "f1"): 0.95,
    ("boilerplate", "keep_recall"): 1.0,
    ("published", "accuracy"): 1.0,
    ("published_inferred", "accuracy"): 1.0,
    ("entities", "f1"): 0.90,
    ("times", "accuracy"): 0.90,
    ("quotes", "f1"): 0.90,
    ("quotes", "speaker_accuracy"): 0.90,
    ("events", "f1"): 0.75,
    ("links", "f1"): 0.80,
}
ATTRIBUTE_FLOORS = {"source": 0.80, "status": 0.80}


@pytest.fixture(scope="module")
def scores(shared: Path) -> dict:
    result = CliRunner().invoke(app, ["eval", str(shared / "gold" / "seeds.gold.json"),
                                      "--docs", str(shared / "seeds"), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{"):])


def test_every_stage_is_scored(scores: dict) -> None:
    for stage in ("boilerplate", "published", "published_inferred", "entities", "times",
                  "quotes", "events", "links"):
        assert scores[stage] is not None, f"{stage} is not built"


@pytest.mark.parametrize(("stage", "metric"), sorted(FLOORS))
def test_floor(scores: dict, stage: str, metric: str) -> None:
    assert scores[stage][metric] >= FLOORS[(stage, metric)], scores[stage]


@pytest.mark.parametrize("attribute", sorted(ATTRIBUTE_FLOORS))
def test_event_attribute_floor(scores: dict, attribute: str) -> None:
    value = scores["events"]["attributes"][attribute]
    assert value >= ATTRIBUTE_FLOORS[attribute], scores["events"]
