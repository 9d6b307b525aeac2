"""Briefs of real stores say only what their sources say: every claim of every story's
brief, for the seeds (../shared/seeds), the sample story (examples/) and the real-news
development articles (tests/keys/materialize.py), is checked against its cited evidence
with `brief_problems`; and every sentence keeps its report's status in its words.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.link import queries as lq
from storyline.serve.brief import (
    _Docs,
    brief_problems,
    hedged_words,
    planned_words,
    sentence_status,
    worded,
    write_brief,
)
from storyline.serve.shapes import story_events
from storyline.store import Store

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "tests" / "keys"

pytestmark = pytest.mark.slow


def _ingest(paths: list[Path], db: Path) -> Path:
    result = CliRunner().invoke(app, ["ingest", *map(str, paths), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def seeds_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _ingest([shared / "seeds"], tmp_path_factory.mktemp("brief-seeds") / "s.db")


@pytest.fixture(scope="module")
def examples_db(examples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _ingest([examples_dir], tmp_path_factory.mktemp("brief-examples") / "e.db")


def _says_what_its_reports_say(db: Path) -> list[str]:
    """Every story's brief is borne out by its evidence, and every merged event's sentence
    keeps its status: a hedge or a plan in the words of the template, or the report's own
    sentence quoted as it stands in the document."""
    with Store.open(db, readonly=True) as store:
        assert lq.list_stories(store)
        assert brief_problems(store) == []
        docs = _Docs(store)
        sentences = []
        for ev in story_events(store, None):
            said = worded(ev, docs)
            sentences.append(said.text)
            if said.quoted:
                doc, start, end, words = said.quoted
                assert store.get_document(doc).text[start:end].strip() == words
                continue
            status = sentence_status(ev)
            cue = said.lead.get("cue") if said.lead.get("status") == status else None
            if status == "hedged":
                assert f" {hedged_words(cue)} " in said.claim, said.text
            elif status == "planned":
                assert f" {planned_words(cue)} " in said.claim, said.text
        return sentences


def test_the_seed_briefs_say_only_what_their_sources_say(seeds_db: Path) -> None:
    sentences = _says_what_its_reports_say(seeds_db)
    assert any("“" in s for s in sentences)  # some reports are quoted, not templated
    assert any(not s.startswith("According to") for s in sentences)  # and some templated


def test_the_sample_story_brief(examples_db: Path) -> None:
    sentences = _says_what_its_reports_say(examples_db)
    with Store.open(examples_db, readonly=True) as store:
        md = write_brief(store, None, "md")
    # the sample articles are our own: their words can be named here
    assert "transferred over 1 million artillery shells to Russia" in md
    assert "more than 1,000 containers of weapons and ammunition" in md
    assert "1,000,000" not in md and "1,000 weapons" not in md
    assert "according to National Intelligence Service (South Korea)" in md
    assert any(" appears to have transferred " in s for s in sentences)
    assert any(" will meet " in s or " is expected to " in s for s in sentences)


def test_the_real_news_briefs_say_only_what_their_sources_say(
        shared: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    spec = importlib.util.spec_from_file_location("realnews_materialize",
                                                  KEYS / "materialize.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    tmp = tmp_path_factory.mktemp("brief-realnews")
    docs = module.materialize(tmp / "docs", shared)
    _says_what_its_reports_say(_ingest([docs], tmp / "r.db"))


def test_reports_in_other_languages_keep_their_words(
        shared: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    corpus = shared / "corpora" / "multilingual-news" / "docs"
    picked = [p for p in sorted(corpus.glob("p*-veto-*.txt"))
              if p.stem.rsplit("-", 1)[1] in ("en", "fr", "ko")]
    for p in picked:  # each article with its sidecar
        sidecar = p.with_suffix(".meta.json")
        picked += [sidecar] if sidecar.exists() else []
    db = _ingest(picked, tmp_path_factory.mktemp("brief-multilingual") / "m.db")
    _says_what_its_reports_say(db)
    with Store.open(db, readonly=True) as store:
        briefs = "\n".join(write_brief(store, s["id"], "md") for s in lq.list_stories(store))
        languages = {d["language"] for d in store.list_documents(limit=50)}
    assert {"fr", "ko"} <= languages
    # a claim or statement of a report in another language, in its words, named in English;
    # a French or Korean report merged into one event with others is cited in its words
    shown = [ln for name, code in (("French", "fr"), ("Korean", "ko"))
             for ln in briefs.splitlines() if f" in {name} ({code})" in ln]
    assert shown and any("English names: " in ln for ln in shown), shown
    sources = [ln for ln in briefs.splitlines() if re.match(r"\[\d+\] ", ln)]
    assert any(" (fr): “" in ln for ln in sources) and any(" (ko): “" in ln for ln in sources)
