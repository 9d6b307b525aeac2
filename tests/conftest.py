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
