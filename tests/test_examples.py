"""The bundled sample articles (examples/) all read and clean, with the metadata they state."""

from __future__ import annotations

import re
from pathlib import Path

from storyline.clean import clean_document
from storyline.clean.outlets import lookup
from storyline.errors import InputError
from storyline.ingest import read_inputs
from storyline.records import RawDocument
from storyline.settings import Settings


def _read(examples_dir: Path) -> list[RawDocument]:
    items = list(read_inputs([str(examples_dir)], Settings.load()))
    errors = [i for i in items if isinstance(i, InputError)]
    assert errors == [], [str(e) for e in errors]
    return [i for i in items if isinstance(i, RawDocument)]


def test_every_example_file_ingests(examples_dir):
    docs = _read(examples_dir)
    assert len(docs) >= 8
    article_files = [p for p in examples_dir.iterdir()
                     if p.is_file() and not p.name.endswith(".meta.json") and p.name != "README.md"]
    read_files = {d.source.split("#")[0] for d in docs}
    assert read_files == {str(p) for p in article_files}
    kinds = {d.kind for d in docs}
    assert {"text", "html", "feed", "jsonl"} <= kinds
    for doc in docs:
        n_words = len(re.findall(r"\w+", clean_document(doc).text))
        assert 150 <= n_words <= 420, (doc.source, n_words)


def test_examples_metadata(examples_dir):
    docs = {Path(d.source).name: d for d in _read(examples_dir)}
    undated = [name for name, d in docs.items() if d.meta.published is None]
    assert undated == ["northern-courier_ship-returns.txt"]
    for name, doc in docs.items():
        assert doc.meta.language == "en", name
        assert doc.meta.outlet and lookup(doc.meta.outlet) is not None, name
        if doc.meta.published:
            assert doc.meta.published.startswith("2026-03"), name
    # one wire story reprinted by two outlets
    reprints = [d for d in docs.values() if d.meta.wire == "Meridian News Agency"]
    assert {d.meta.outlet for d in reprints} == {"Northern Courier", "Pacific Ledger"}
    translated = docs["2026-03-05_quotidien-du-port_denials.txt"]
    assert translated.meta.provenance["translated_from"] == "fr"
    assert translated.meta.provenance["outlet"] == "sidecar"


def test_examples_noise_is_cleaned(examples_dir):
    docs = {Path(d.source).name: clean_document(d) for d in _read(examples_dir)}
    reasons = {r.reason for d in docs.values() for r in d.removed}
    assert {"ad", "share", "promo", "teaser", "timer", "caption", "page_number", "site_tag",
            "script", "metadata"} <= reasons
    for doc in docs.values():
        assert "Advertisement" not in doc.text
        assert not re.search(r"^\d{1,2}:\d{2}$", doc.text, re.MULTILINE)
    ship = docs["2026-03-02_harbor-times_ship-leaves-rajin.txt"]
    assert "about 10,000 artillery shells" in ship.text
    assert "If the shipment is confirmed" in ship.text
