"""The third real-news development key (tests/keys/realnews3.gold.json): valid, and scored.

20 articles (10 KCNA of October 2024, 8 Reuters-21578 of March 1987, 2 BBC News of January
2005) that the system had never been run on when the key was annotated, by hand and before
any run (tests/keys/README.md). The texts stay in ../shared; tests/keys/materialize.py --key
realnews3 writes them. Without ../shared only the key's own consistency is checked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval_support import run_eval, score_at
from realnews_support import (
    KEYS,
    check_ids_and_links,
    check_names,
    check_sidecars,
    check_sources,
    check_strings,
    materialize_module,
)

from storyline.eval.keyfile import load_key

KEY = KEYS / "realnews3.gold.json"
SOURCES = KEYS / "realnews3.sources.json"

# First measured 2026-12-07, the first time the system saw these articles (`storyline eval`
# on the materialised files, after the key was committed): published 1.0, entities F1 0.833
# (P 0.766, R 0.913), times 0.985 (65 of 66), quotes F1 0.871, speakers 0.545 (24 of 44),
# events F1 0.090 (P 0.238, R 0.056: 5 of 90 key events matched), event source 0.0 (none of
# those 5), links F1 0.535 (same_story 0.993, same_quote 0.800, same_event 0.020,
# contradiction 0). Floors are those minus about 0.03, rounded down; they only go up. Event
# source has no floor yet: at 0.0 over 5 pairs a floor could not fail; give it one once it
# is measured above 0.
# Entities raised 2026-12-07 from the measured 0.887 after the entity work on the first two
# keys (this key held out: none of its articles was looked at for it). Speakers raised
# 2026-12-07 from the measured 0.591 (attribution's third pass), events from 0.123 (the
# events and general-coder passes on the first two keys; this key held out again). Event
# source is 1 of 7 matched pairs (0.143): still no floor, as one pair would break it.
FLOORS = {
    ("published", "accuracy"): 0.97,
    ("entities", "f1"): 0.86,
    ("times", "accuracy"): 0.95,
    ("quotes", "f1"): 0.84,
    ("quotes", "speaker_accuracy"): 0.56,
    ("events", "f1"): 0.09,
    ("links", "f1"): 0.50,
}


@pytest.fixture(scope="module")
def key() -> dict:
    return load_key(KEY)


@pytest.fixture(scope="module")
def docs_dir(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialize_module().materialize(tmp_path_factory.mktemp("realnews3"), shared,
                                            "realnews3")


def test_key_and_sources_list_the_same_files(key: dict) -> None:
    check_sources(key, SOURCES, 20)


def test_no_article_of_the_earlier_keys(key: dict) -> None:
    def located(name: str) -> set[str]:
        return {json.dumps(s["locator"], sort_keys=True)
                for s in json.loads((KEYS / name).read_text("utf-8"))}
    mine = located("realnews3.sources.json")
    assert not mine & located("realnews.sources.json")
    assert not mine & located("realnews2.sources.json")
    files = {d["file"] for d in key["documents"]}
    for earlier in ("realnews.gold.json", "realnews2.gold.json"):
        assert not files & {d["file"] for d in load_key(KEYS / earlier)["documents"]}


def test_ids_unique_and_link_members_exist(key: dict) -> None:
    check_ids_and_links(key)
    assert {link["kind"] for link in key["links"]} == {
        "same_event", "same_story", "contradiction", "same_quote"}


def test_names_resolve_to_entities_of_their_document(key: dict) -> None:
    check_names(key)


@pytest.mark.seeds
def test_materialised_texts_hold_every_string_of_the_key(key: dict, docs_dir: Path) -> None:
    check_strings(key, docs_dir)


@pytest.mark.seeds
def test_sidecars_carry_outlet_and_date(key: dict, docs_dir: Path) -> None:
    check_sidecars(key, docs_dir)


@pytest.fixture(scope="module")
def scores(docs_dir: Path) -> dict:
    return run_eval(KEY, docs_dir)


@pytest.mark.slow
@pytest.mark.seeds
@pytest.mark.parametrize(("stage", "metric"), sorted(FLOORS))
def test_realnews3_floor(scores: dict, stage: str, metric: str) -> None:
    assert score_at(scores, stage, metric) >= FLOORS[(stage, metric)], scores[stage.split(".")[0]]
