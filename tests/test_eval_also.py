"""`storyline eval --also`: articles read with the key's but not scored, so that a key
covering part of a corpus is scored on what the whole corpus gives (a date inferred from the
other articles)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval_support import run_eval

ROOT = Path(__file__).resolve().parents[1]


def _subset(tmp: Path, file: str) -> Path:
    """The examples key cut to one article (links dropped: they need other articles)."""
    key = json.loads((ROOT / "gold/examples.gold.json").read_text("utf-8"))
    key["documents"] = [d for d in key["documents"] if d["file"] == file]
    key["links"] = []
    path = tmp / "one.gold.json"
    path.write_text(json.dumps(key), "utf-8")
    return path


@pytest.mark.slow
def test_also_reads_the_corpus_and_scores_only_the_key(tmp_path: Path) -> None:
    # the article states no date; the key's published_true comes from the other articles
    key = _subset(tmp_path, "northern-courier_ship-returns.txt")
    alone = run_eval(key, ROOT / "examples")
    with_corpus = run_eval(key, ROOT / "examples", "--also", str(ROOT / "examples"))
    assert alone["published_inferred"]["n"] == with_corpus["published_inferred"]["n"] == 1
    assert alone["published_inferred"]["accuracy"] == 0.0
    assert with_corpus["published_inferred"]["accuracy"] == 1.0
    # only the key's article is scored: its four times, now dated from the corpus
    assert alone["times"]["n"] == with_corpus["times"]["n"] == 4
    assert with_corpus["times"]["accuracy"] == 1.0 > alone["times"]["accuracy"]
