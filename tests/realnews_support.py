"""Checks shared by the real-news development keys (tests/keys/NAME.gold.json).

Each key holds only our answers; tests/keys/materialize.py writes the texts it was annotated
on from ../shared. These functions check a key against its sources list and those texts.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
from eval_support import run_eval, score_at

from storyline.eval.keyfile import load_key

KEYS = Path(__file__).resolve().parent / "keys"


def materialize_module() -> ModuleType:
    """tests/keys/materialize.py, loaded as a module (tests/keys is no package)."""
    spec = importlib.util.spec_from_file_location("realnews_materialize", KEYS / "materialize.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def check_sources(key: dict, sources_path: Path, min_documents: int) -> None:
    """The sources list names exactly the key's files, each with a known corpus."""
    sources = json.loads(sources_path.read_text("utf-8"))
    assert sorted(s["file"] for s in sources) == sorted(d["file"] for d in key["documents"])
    assert len(key["documents"]) >= min_documents
    for src in sources:
        assert src["corpus"] in {"kcna", "reuters", "bbc"}
        assert set(src) == {"file", "corpus", "locator", "published", "outlet"}, src["file"]


def check_ids_and_links(key: dict) -> None:
    """Event ids are `<doc>.<n>` with one `<doc>` per document; link members exist."""
    events = {e["id"]: (d["file"], e) for d in key["documents"] for e in d["events"]}
    assert len(events) == sum(len(d["events"]) for d in key["documents"])
    prefixes = [{e["id"].split(".")[0] for e in d["events"]} for d in key["documents"]]
    assert all(len(p) <= 1 for p in prefixes)  # <doc>.<n>, one <doc> per document
    assert len(set().union(*prefixes)) == sum(len(p) for p in prefixes)
    for d in key["documents"]:
        for e in d["events"]:
            if e["subtype"] == "denial":
                assert events[e["target"]][0] == d["file"], e["id"]
    files = {d["file"] for d in key["documents"]}
    for link in key["links"]:
        assert len(link["members"]) >= 2, link["what"]
        for m in link["members"]:
            if link["kind"] in ("same_event", "contradiction"):
                assert m in events, m
            elif link["kind"] == "same_story":
                assert m in files, m
            else:
                assert m[0] in files, m


def check_names(key: dict) -> None:
    """Speakers, actors, targets and sources are entities of their document (or its outlet)."""
    for d in key["documents"]:
        names = {e["name"] for e in d["entities"]}
        for q in d["quotes"]:
            assert q["speaker"] in names, (d["file"], q)
        for e in d["events"]:
            assert e["actor"] is None or e["actor"] in names, (d["file"], e["id"])
            if e["subtype"] != "denial":
                assert e["target"] is None or e["target"] in names, (d["file"], e["id"])
            assert e["source"] in names or e["source"] == d["outlet"], (d["file"], e["id"])


def check_strings(key: dict, docs_dir: Path) -> None:
    """Every name, time, quote, evidence and same_quote part occurs in the materialised text."""
    for d in key["documents"]:
        text = (docs_dir / d["file"]).read_text("utf-8")
        low = text.lower()
        for ent in d["entities"]:
            assert any(f.lower() in low for f in [ent["name"], *ent["aliases"]]), (d["file"], ent)
            for alias in ent["aliases"]:  # short ones ("US", "UN") as whole words, case kept
                found = (re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", text) if len(alias) <= 3
                         else alias.lower() in low)
                assert found, (d["file"], alias)
        for t in d["times"]:
            assert t["text"] in text, (d["file"], t)
        for q in d["quotes"]:
            assert q["text"] in text, (d["file"], q)
        for e in d["events"]:
            assert e["evidence"] in text, (d["file"], e["id"])
    for link in key["links"]:
        if link["kind"] == "same_quote":
            for file, part in link["members"]:
                assert part in (docs_dir / file).read_text("utf-8"), (file, part)


def check_sidecars(key: dict, docs_dir: Path) -> None:
    """Each text's sidecar gives the key's outlet and published date."""
    for d in key["documents"]:
        meta = json.loads((docs_dir / d["file"]).with_suffix(".meta.json").read_text("utf-8"))
        assert meta["outlet"] == d["outlet"]
        assert meta.get("published") == d["published"]


def located(sources_name: str | Path) -> set[str]:
    """Where each text of a sources list (a key's, by name under tests/keys, or any path)
    comes from, one string per article."""
    path = sources_name if isinstance(sources_name, Path) else KEYS / sources_name
    return {json.dumps(s["locator"], sort_keys=True)
            for s in json.loads(path.read_text("utf-8"))}


class KeySuite:
    """The checks every real-news key gets; a test module subclasses it as `TestNAME`.

    NAME is the key (tests/keys/NAME.gold.json and NAME.sources.json), DOCUMENTS the least
    number of articles it holds, FLOORS the scores `storyline eval` must reach on the
    materialised texts ((stage, metric) -> floor, as in tests/test_seed_eval.py). Without
    ../shared only the key's own consistency is checked.
    """

    NAME: ClassVar[str]
    DOCUMENTS: ClassVar[int]
    FLOORS: ClassVar[dict[tuple[str, str], float]]

    def pytest_generate_tests(self, metafunc: Any) -> None:
        if "stage_metric" in metafunc.fixturenames:
            metafunc.parametrize("stage_metric", sorted(self.FLOORS),
                                 ids=[".".join(k) for k in sorted(self.FLOORS)])

    @pytest.fixture(scope="class")
    @classmethod
    def key(cls) -> dict:
        return load_key(KEYS / f"{cls.NAME}.gold.json")

    @pytest.fixture(scope="class")
    @classmethod
    def docs_dir(cls, shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
        return materialize_module().materialize(tmp_path_factory.mktemp(cls.NAME), shared,
                                                cls.NAME)

    @pytest.fixture(scope="class")
    @classmethod
    def scores(cls, docs_dir: Path) -> dict:
        return run_eval(KEYS / f"{cls.NAME}.gold.json", docs_dir)

    def test_key_and_sources_list_the_same_files(self, key: dict) -> None:
        check_sources(key, KEYS / f"{self.NAME}.sources.json", self.DOCUMENTS)

    def test_ids_unique_and_link_members_exist(self, key: dict) -> None:
        check_ids_and_links(key)

    def test_names_resolve_to_entities_of_their_document(self, key: dict) -> None:
        check_names(key)

    @pytest.mark.seeds
    def test_materialised_texts_hold_every_string_of_the_key(self, key: dict,
                                                             docs_dir: Path) -> None:
        check_strings(key, docs_dir)

    @pytest.mark.seeds
    def test_sidecars_carry_outlet_and_date(self, key: dict, docs_dir: Path) -> None:
        check_sidecars(key, docs_dir)

    @pytest.mark.slow
    @pytest.mark.seeds
    def test_floor(self, scores: dict, stage_metric: tuple[str, str]) -> None:
        stage, metric = stage_metric
        assert score_at(scores, stage, metric) >= self.FLOORS[stage_metric], \
            scores[stage.split(".")[0]]


def _files(sources_name: str) -> set[str]:
    return {s["file"] for s in json.loads((KEYS / sources_name).read_text("utf-8"))}


def _kcna_days(path: Path) -> set[str]:
    return {s["locator"]["date_str"] for s in json.loads(path.read_text("utf-8"))
            if s["corpus"] == "kcna"}


AUDIT_SOURCES = KEYS.parents[1] / "docs" / "precision_audit.sources.json"


class FreshKeySuite(KeySuite):
    """A key annotated before any system run on articles no other key uses: EARLIER, the
    keys it must share no article and no KCNA day with (nor the precision audit); LINK_KINDS,
    the kinds of link it holds; FLOORS set from its first run."""

    EARLIER: ClassVar[tuple[str, ...]]
    LINK_KINDS: ClassVar[frozenset[str]]

    def test_no_article_of_the_earlier_keys_or_the_audit(self, key: dict) -> None:
        # Sources lists only: where each text comes from, and the file it is written to.
        mine = located(f"{self.NAME}.sources.json")
        files = {d["file"] for d in key["documents"]}
        assert files == _files(f"{self.NAME}.sources.json")
        for earlier in self.EARLIER:
            assert not mine & located(f"{earlier}.sources.json"), earlier
            assert not files & _files(f"{earlier}.sources.json"), earlier
        assert not mine & located(AUDIT_SOURCES)

    def test_no_kcna_date_of_the_earlier_keys_or_the_audit(self) -> None:
        # The KCNA items were chosen from days no earlier key or the audit had used.
        mine = _kcna_days(KEYS / f"{self.NAME}.sources.json")
        for earlier in self.EARLIER:
            assert not mine & _kcna_days(KEYS / f"{earlier}.sources.json"), earlier
        assert not mine & _kcna_days(AUDIT_SOURCES)

    def test_ids_unique_and_link_members_exist(self, key: dict) -> None:
        super().test_ids_unique_and_link_members_exist(key)
        assert {link["kind"] for link in key["links"]} == self.LINK_KINDS

    def test_floors_set_from_the_first_run(self) -> None:
        assert self.FLOORS and all(0 < v < 1 for v in self.FLOORS.values())
