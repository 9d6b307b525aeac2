"""Running `storyline eval` on a key from the tests, and reading a score by its path."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app


def run_eval(key: Path, docs: Path, *extra: str) -> dict:
    """The scores `storyline eval KEY --docs DOCS --json [EXTRA...]` prints (it must
    succeed)."""
    result = CliRunner().invoke(app, ["eval", str(key), "--docs", str(docs), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{"):])


def score_at(scores: dict, stage: str, metric: str) -> float:
    """scores["events"]["attributes"]["source"] as score_at(scores, "events.attributes",
    "source")."""
    node = scores
    for part in stage.split("."):
        node = node[part]
    return node[metric]
