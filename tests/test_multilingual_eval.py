"""Quality gate on the multilingual development key (../shared/corpora/multilingual-news,
29 real articles in 9 languages; read at run time, skipped without ../shared; nothing of it
is in the repository). The system runs once; the key is scored whole and per language
(scripts/eval_by_language.py). Floors are the measured figures less about 0.03, and only
go up."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.seeds]

# (part, metric): floor. part is "all", "non_en" or a language code. Measured 2026-12-06
# (scripts/eval_by_language.py, docs/LANGUAGES.md), less about 0.03; raised after the
# second pass (debris words per language, page-address and dateline dates, weekday
# abbreviations, speakers in subject-first languages) and the third (reported speech
# without quotation marks, mutual-best statements across languages, time bounds, titles
# in the packs): measured 2026-12-07, less about 0.03. Events and links raised after the
# party conventions of docs/EVALUATION.md (English events 0.13 -> 0.44, all events 0.60 ->
# 0.67, links 0.65 -> 0.69). Links raised 2026-12-07 after undated reports' content words
# choose the episode among candidate stories (links 0.691 -> 0.727, same_story 0.892 ->
# 0.967). Entities and events raised 2026-12-07 (third session): Western countries and the
# UN panel in the packs, text as real pages give it (all events 0.728, English 0.667).
FLOORS = {
    ("all", "entities_f1"): 0.94,
    ("all", "times"): 0.83,
    ("all", "quotes_f1"): 0.92,
    ("all", "speaker"): 0.80,
    ("all", "events_f1"): 0.69,
    ("all", "boilerplate_f1"): 0.79,
    ("all", "published_inferred"): 0.47,
    ("non_en", "entities_f1"): 0.92,
    ("non_en", "times"): 0.79,
    ("non_en", "quotes_f1"): 0.93,
    ("non_en", "speaker"): 0.76,
    ("non_en", "events_f1"): 0.70,
    ("non_en", "boilerplate_f1"): 0.87,
    ("non_en", "published_inferred"): 0.47,
    ("en", "entities_f1"): 0.92,
    ("en", "times"): 0.80,
    ("en", "quotes_f1"): 0.88,
    ("en", "speaker"): 0.91,
    ("en", "events_f1"): 0.60,
    ("fr", "times"): 0.78,
    ("ru", "times"): 0.97,
    ("ko", "times"): 0.76,
    ("ja", "times"): 0.97,
    ("zh", "times"): 0.97,
    ("de", "times"): 0.47,
    ("fr", "speaker"): 0.68,
    ("ru", "speaker"): 0.97,
    ("ko", "speaker"): 0.75,
    ("ja", "speaker"): 0.84,
    ("zh", "speaker"): 0.97,
    ("fr", "events_f1"): 0.84,
    ("ru", "events_f1"): 0.70,
    ("ko", "events_f1"): 0.60,
    ("ja", "events_f1"): 0.87,
    ("zh", "events_f1"): 0.63,
    ("de", "events_f1"): 0.67,
}
LINKS_FLOOR = 0.70
# by kind (same_event, same_quote): most of these pairs cross languages
LINKS_KIND_FLOORS = {"same_event": 0.45, "same_quote": 0.20, "same_story": 0.93}
# With the sidecars' dates removed, every date the texts state is read from them.
STATED_DATES_FLOOR = {"all": 0.97, "non_en": 0.97}


def _script():
    spec = importlib.util.spec_from_file_location(
        "eval_by_language", ROOT / "scripts" / "eval_by_language.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _corpus(shared: Path) -> Path:
    corpus = shared / "corpora" / "multilingual-news"
    if not (corpus / "gold.json").is_file():
        pytest.skip("the multilingual key is not present")
    return corpus


@pytest.fixture(scope="module")
def by_language(shared: Path) -> dict:
    corpus = _corpus(shared)
    return _script().evaluate_by_language(corpus / "gold.json", corpus / "docs", False)


@pytest.fixture(scope="module")
def from_text(shared: Path) -> dict:
    corpus = _corpus(shared)
    return _script().evaluate_by_language(corpus / "gold.json", corpus / "docs", True)


@pytest.mark.parametrize(("part", "metric"), sorted(FLOORS))
def test_multilingual_floor(by_language: dict, part: str, metric: str) -> None:
    row = by_language[part] if part in ("all", "non_en") else by_language["languages"][part]
    assert row[metric] is not None and row[metric] >= FLOORS[(part, metric)], row


def test_multilingual_links_floor(by_language: dict) -> None:
    assert by_language["links"]["f1"] >= LINKS_FLOOR, by_language["links"]


@pytest.mark.parametrize("kind", sorted(LINKS_KIND_FLOORS))
def test_multilingual_links_floor_by_kind(by_language: dict, kind: str) -> None:
    got = by_language["links"]["by_kind"][kind]
    assert got["f1"] is not None and got["f1"] >= LINKS_KIND_FLOORS[kind], got


@pytest.mark.parametrize("part", sorted(STATED_DATES_FLOOR))
def test_stated_dates_are_read_from_the_text(from_text: dict, part: str) -> None:
    assert from_text[part]["published"] >= STATED_DATES_FLOOR[part], from_text[part]
