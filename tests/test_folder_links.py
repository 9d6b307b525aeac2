"""Links in an ingested folder: a folder's own files are read; a link out of it is read only
when it names a web page and leads to one (saved pages are staged as links), never to
anything else unless --follow-links."""

from __future__ import annotations

from pathlib import Path

from storyline.errors import InputError
from storyline.ingest import read_inputs
from storyline.settings import Settings

PAGE = ("<!doctype html><html><head><title>Port opens</title></head><body><article><p>The "
        "harbour authority of Tessaly opened its new container terminal on Monday, officials "
        "said, after two years of building work on the northern quay.</p></article></body>"
        "</html>")


def _read(folder: Path, **kw):
    items = list(read_inputs([str(folder)], Settings(**kw)))
    docs = [i for i in items if not isinstance(i, InputError)]
    errors = [i for i in items if isinstance(i, InputError)]
    return docs, errors


def test_a_link_out_of_the_folder_to_a_page_is_read(tmp_path):
    outside = tmp_path / "saved" / "page-1"
    outside.parent.mkdir()
    outside.write_text(PAGE, encoding="utf-8")  # a cached page with no extension
    stage = tmp_path / "stage"
    stage.mkdir()
    (stage / "page-1.html").symlink_to(outside)
    docs, errors = _read(stage)
    assert not errors and len(docs) == 1 and "container terminal" in docs[0].text


def test_a_link_out_of_the_folder_to_anything_else_is_refused(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    stage = tmp_path / "stage"
    stage.mkdir()
    (stage / "passwd.txt").symlink_to(secret)
    (stage / "passwd.html").symlink_to(secret)  # a page's name is not enough
    docs, errors = _read(stage)
    assert docs == [] and len(errors) == 2
    assert all("outside the folder" in e.message for e in errors)
    docs, errors = _read(stage, follow_links=True)  # asked for: read
    assert len(docs) >= 1
