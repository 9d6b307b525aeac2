"""End to end: invented articles through the real pipeline (spaCy) and the linking layer."""

from __future__ import annotations

import pytest

from storyline.link import queries
from storyline.settings import Settings
from storyline.store import Store

pytestmark = pytest.mark.slow

ARTICLES = {
    "2025-04-02_harbor-times_port.txt": (
        "Harbor Times\n"
        "April 2, 2025\n\n"
        "Belarus sent about 400 tanks to Russia by rail in March, border officials in Minsk "
        "said on Wednesday.\n\n"
        "The officials said the trains crossed near Brest over several nights. Moscow did not "
        "comment on the shipments.\n\n"
        "\u201cThe deliveries are larger than anything we have seen before,\u201d said Marta "
        "Kowalski, an analyst at the Vistula Institute in Warsaw.\n"),
    "2025-04-03_vistula-daily_tanks.txt": (
        "Vistula Daily\n"
        "April 3, 2025\n\n"
        "Around 400 tanks rolled from Belarus into Russia during March, according to border "
        "officials in Minsk, who said the convoys used the rail line through Brest.\n\n"
        "\u201cThe deliveries are larger than anything we have seen before,\u201d Marta "
        "Kowalski of the Vistula Institute told reporters in Warsaw.\n\n"
        "Russia's defence ministry declined to comment.\n"),
    "2025-04-03_farm-wire_wheat.txt": (
        "Farm Wire\n"
        "April 3, 2025\n\n"
        "Brazil shipped two million tonnes of wheat to Argentina in March, traders in Buenos "
        "Aires said on Thursday, as a drought cut the harvest in the south.\n\n"
        "Prices for flour rose by a tenth over the month, the Argentine bakers' union said.\n"),
}


@pytest.fixture()
def linked(tmp_path):
    from storyline.pipeline import process_inputs

    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings.load(db=str(tmp_path / "e2e.db"), embedder="hash")
    store = Store.open(settings.db)
    report = process_inputs([str(folder)], store, settings)
    yield store, report
    store.close()


def _doc(store: Store, name: str) -> str:
    row = store.conn.execute("SELECT doc_id FROM document_sources WHERE source LIKE ?",
                             (f"%{name}",)).fetchone()
    return row[0]


def test_pipeline_links_what_it_analyses(linked):
    store, report = linked
    assert len(report.analysed) == 3 and report.link is not None
    assert sorted(report.link.documents) == sorted(report.analysed)
    tanks_a = _doc(store, "harbor-times_port.txt")
    tanks_b = _doc(store, "vistula-daily_tanks.txt")
    wheat = _doc(store, "farm-wire_wheat.txt")
    story = queries.story_for_document(store, tanks_a)
    assert story is not None and queries.story_for_document(store, tanks_b) == story
    assert queries.story_for_document(store, wheat) != story
    detail = queries.get_story(store, story)
    assert {d["id"] for d in detail["documents"]} == {tanks_a, tanks_b}
    assert detail["first_date"] == "2025-04-02"


def test_pipeline_groups_the_repeated_quote(linked):
    store, _ = linked
    groups = queries.quote_groups(store)
    tanks_docs = {_doc(store, "harbor-times_port.txt"), _doc(store, "vistula-daily_tanks.txt")}
    assert any({m["doc_id"] for m in g["members"]} == tanks_docs for g in groups), groups


def test_linking_again_through_the_pipeline_changes_nothing(linked):
    from storyline.link import HashEmbedder, update_links

    store, report = linked
    before = queries.export_links(store)
    update_links(store, report.analysed, embedder=HashEmbedder())
    after = queries.export_links(store)
    assert {k: sorted(map(sorted, v)) for k, v in before.items()} == \
        {k: sorted(map(sorted, v)) for k, v in after.items()}
