"""Nothing lost, nothing let in: the hostile-input corpus (tests/hostile/make_corpus.py)
read end to end, each input with its expected outcome; one article never poisons the store
(docs/RELIABILITY.md)."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from storyline.errors import TooLarge
from storyline.pipeline import process_inputs, process_raw
from storyline.records import Analysis, DocMeta, RawDocument
from storyline.settings import Settings
from storyline.store import Store

sys.path.insert(0, str(ROOT / "tests"))
from hostile.make_corpus import MAX_BYTES, MAX_CHARS, article, build


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Any, Store]:
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "corpus"
    expect = build(folder)
    store = Store.open(base / "h.db")
    settings = Settings.load(max_bytes=MAX_BYTES, max_chars=MAX_CHARS, fetch_timeout=2.0)
    report = process_inputs([str(folder)], store, settings, analyse=False)
    return folder, expect, report, store


def _outcomes(folder: Path, report: Any, store: Store) -> dict[str, set[str]]:
    """source name (relative to the folder, or the URL) -> outcomes seen ("ok", codes)."""
    prefix = str(folder) + "/"
    seen: dict[str, set[str]] = {}
    for e in report.errors:
        seen.setdefault((e.source or "").removeprefix(prefix), set()).add(e.code)
    for r in store.conn.execute("SELECT source FROM document_sources"):
        seen.setdefault(r[0].removeprefix(prefix), set()).add("ok")
    return seen


def test_the_corpus_is_large(corpus) -> None:
    _, expect, _, _ = corpus
    assert len(expect) >= 101


def test_every_hostile_input_has_its_expected_outcome(corpus) -> None:
    folder, expect, report, store = corpus
    seen = _outcomes(folder, report, store)
    wrong = {name: (want, sorted(seen.get(name, {"nothing"}))) for name, want in expect.items()
             if want != "any" and seen.get(name) != {want}}
    assert not wrong, "\n".join(f"{k!r}: {v}" for k, v in wrong.items())
    unexpected = set(seen) - set(expect)
    assert not unexpected  # nothing read that the corpus did not list (hidden, READMEs)


def test_nothing_from_outside_the_folder_or_the_network_was_stored(corpus) -> None:
    _, _, _, store = corpus
    texts = "\n".join(r[0] for r in store.conn.execute("SELECT text FROM documents"))
    assert "root:" not in texts and "outside" not in texts
    latin = store.conn.execute("SELECT text FROM documents WHERE source LIKE "
                               "'%latin1-fffe.txt'").fetchone()[0]
    assert latin.startswith("ÿþcafé société")  # read as Latin-1, never as UTF-16 CJK


def test_edge_dates_never_reach_the_store(corpus) -> None:
    _, _, _, store = corpus
    dates = [r[0] for r in store.conn.execute("SELECT published FROM documents WHERE "
                                              "published IS NOT NULL")]
    assert dates and all("0002" <= d[:4] <= "9997" for d in dates)
    dropped = store.conn.execute("SELECT count(*) FROM documents WHERE meta_json LIKE "
                                 "'%published_dropped%'").fetchone()[0]
    assert dropped >= 2  # 9999-12-31 and 0001-01-01 say why they have no date


def test_the_store_takes_good_articles_after_the_corpus(corpus, tmp_path) -> None:
    _, _, _, store = corpus
    good = tmp_path / "good.txt"
    good.write_text(article("after the corpus"))
    report = process_inputs([str(good)], store, Settings.load(), analyse=False)
    assert len(report.added) == 1 and not report.errors


# -- analysis: one article never poisons the store -----------------------------------------
def _raw(text: str, source: str, published: str | None = None) -> RawDocument:
    return RawDocument(source=source, text=text, meta=DocMeta(published=published))


def test_a_text_over_max_chars_is_refused_before_storing(db_path) -> None:
    words = " ".join(f"w{i % 977}" for i in range(60_000))  # ~300,000 distinct-ish chars
    with Store.open(db_path) as store:
        report = process_raw([_raw(words, "long.txt"), _raw(article("short"), "short.txt")],
                             store, Settings.load(max_chars=100_000), analyse=False)
        assert [type(e) for e in report.errors] == [TooLarge]
        assert "long.txt" in str(report.errors[0]) and "max_chars" in str(report.errors[0])
        assert store.count_documents() == 1


def test_edge_dates_and_a_failing_analysis_never_block_the_rest(db_path, monkeypatch) -> None:
    """'date 9999-12-31' + 'tomorrow', '0001-01-01' + 'yesterday' are analysed; an analysis
    that raises marks its document failed with the reason, and the others are analysed."""
    from storyline import pipeline

    real = pipeline.extract_analyses

    def flaky(docs, settings, n_process=None):  # type: ignore[no-untyped-def]
        docs = list(docs)
        for doc_id, analysis in real(docs, settings, n_process):
            if "poison" in next(d.text for d in docs if d.id == doc_id):
                raise RuntimeError("E088-like failure in one document")
            yield doc_id, analysis

    monkeypatch.setattr(pipeline, "extract_analyses", flaky)
    texts = [("date 9999-12-31 Harbor Times\n\nThe minister said the ship leaves tomorrow.",
              "future.txt"),
             ("date 0001-01-01 Harbor Times\n\nThe minister said the ship left yesterday.",
              "past.txt"),
             (f"poison {article('poison')}", "poison.txt"),
             (article("good"), "good.txt")]
    settings = Settings.load(embedder="hash", batch_size=8)
    with Store.open(db_path) as store:
        report = process_raw([_raw(t, s) for t, s in texts], store, settings)
        failed = store.failed_documents()
        assert [f["source"] for f in failed] == ["poison.txt"]
        assert "E088-like" in failed[0]["failed_reason"]
        assert len(report.analysed) == 3 and next(iter(report.failed.values())).startswith(
            "RuntimeError")
        # the failed document waits; the next run is not blocked by it
        again = process_raw([_raw(article("later"), "later.txt")], store, settings)
        assert len(again.analysed) == 1 and not again.failed
        # the same article ingested again is tried again
        monkeypatch.setattr(pipeline, "extract_analyses", real)
        retry = process_raw([_raw(f"poison {article('poison')}", "poison.txt")], store,
                            settings)
        assert len(retry.analysed) == 1 and store.failed_documents() == []


def test_the_pipe_keeps_order_around_a_failing_document(db_path, monkeypatch) -> None:
    """Only the failing document fails; the rest of its batch keeps its analysis."""
    from storyline import pipeline

    def fake(docs, settings, n_process=None):  # type: ignore[no-untyped-def]
        for d in docs:
            if "bad" in d.text:
                raise ValueError("cannot analyse")
            yield d.id, Analysis()

    monkeypatch.setattr(pipeline, "extract_analyses", fake)
    with Store.open(db_path) as store:
        raws = [_raw(article(f"{'bad' if i in (2, 5) else 'fine'} {i}"), f"{i}.txt")
                for i in range(8)]
        report = process_raw(raws, store, Settings.load(batch_size=3), analyse=False)
        docs = list(store.documents(pending_only=True))
        done = pipeline.analyse_documents(store, docs, Settings.load(batch_size=3),
                                          failed=report.failed)
        assert len(done) == 6 and len(report.failed) == 2
        assert {f["source"] for f in store.failed_documents()} == {"2.txt", "5.txt"}


def test_a_latin1_file_starting_with_ff_fe_is_not_utf16(tmp_path) -> None:
    from storyline.ingest.files import decode

    data = b"\xff\xfe" + "caf\xe9 and the harbour".encode("latin-1")
    text, note = decode(data, "x.txt")
    assert text.startswith("ÿþcafé") and note and "latin-1" in note
    real = codecs.BOM_UTF16_LE + "中文新闻 and harbour".encode("utf-16-le")
    assert decode(real, "y.txt") == ("中文新闻 and harbour", "utf-16")


def test_the_cli_names_a_failed_analysis_and_goes_on(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from storyline import pipeline
    from storyline.cli import app

    def fake(docs, settings, n_process=None):  # type: ignore[no-untyped-def]
        for d in docs:
            if "poison" in d.text:
                raise RuntimeError("cannot analyse this one")
            yield d.id, Analysis()

    monkeypatch.setattr(pipeline, "extract_analyses", fake)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(article("fine"))
    (folder / "b.txt").write_text(f"poison {article('bad')}")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "c.db")],
                                env={"STORYLINE_EMBEDDER": "hash"})
    assert result.exit_code == 0, result.output
    assert "analysis failed" in result.output and "cannot analyse this one" in result.output
    assert "analysed 1, analysis failed 1" in result.output
    listed = CliRunner().invoke(app, ["docs", "--db", str(tmp_path / "c.db")])
    assert listed.exit_code == 0 and "analysis failed" in listed.output


def test_a_missing_model_marks_no_document_failed(db_path, monkeypatch) -> None:
    from storyline import pipeline
    from storyline.errors import ModelError

    def no_model(docs, settings, n_process=None):  # type: ignore[no-untyped-def]
        raise ModelError("the spaCy model for this language is not installed")
        yield  # a generator, like the real one

    monkeypatch.setattr(pipeline, "extract_analyses", no_model)
    with Store.open(db_path) as store:
        process_raw([_raw(article("model"), "m.txt")], store, Settings.load(), analyse=False)
        docs = list(store.documents(pending_only=True))
        with pytest.raises(ModelError):
            pipeline.analyse_documents(store, docs, Settings.load())
        assert store.failed_documents() == []
        assert len(list(store.documents(pending_only=True))) == 1  # still waiting
