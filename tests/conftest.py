"""Shared fixtures: the real spaCy pipeline (loaded once), the shared data, a temp store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))


def pipeline(*components: str):
    """The real English pipeline with the named Storyline components (cached per process)."""
    from storyline.nlp import load_nlp

    return load_nlp("auto", tuple(components)) if components else load_nlp("auto")


@pytest.fixture(scope="session")
def nlp():
    """The full English pipeline (a module that needs only some components defines its own)."""
    return pipeline()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "gold" / "seeds.gold.json").exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return ROOT / "examples"


# -- both store backends -------------------------------------------------------------------
# STORYLINE_TEST_PG: the URL of a PostgreSQL database whose user may create databases
# (`make test-postgres` starts a throwaway cluster and sets it); each test gets a new one.
PG_URL = os.environ.get("STORYLINE_TEST_PG", "")
PG_SKIP = ("STORYLINE_TEST_PG is not set: `make test-postgres` runs the PostgreSQL half "
           "against a throwaway cluster")


@pytest.fixture()
def pg_url() -> str:
    """A new, empty PostgreSQL database for one test (dropped after it)."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    from storyline.store.pg import scratch_database

    with scratch_database(PG_URL) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new store goes, once per backend: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    yield request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def events_of(nlp):
    """The events the pipeline extracts from a text (dated 2024-03-12, from "Test Wire"
    unless told otherwise)."""
    from storyline.nlp import make_doc

    def _run(text: str, published: str | None = "2024-03-12",
             outlet: str | None = "Test Wire") -> list:
        return nlp(make_doc(nlp, text, published=published, outlet=outlet))._.sl_events

    return _run
