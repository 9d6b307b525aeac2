"""Reading the open web: cleaning rules that must not cut article text, the headline and
site name as metadata, dates with their source, and the repair of words glued to names.
Every text here is written for these tests; none comes from ../shared.
"""

from __future__ import annotations

import pytest

from storyline.clean import clean_document
from storyline.clean.glue import dictionary, repair_line, repair_text
from storyline.clean.lines import split_site_name
from storyline.records import DocMeta, RawDocument

PARA_A = ("The council voted on Tuesday to close the old ferry terminal after an inspection "
          "found cracks in two of its piers.")
PARA_B = ("Engineers said repairs would take at least a year and cost more than the terminal "
          "earned in a decade.")


def clean(text: str, language: str | None = None):
    return clean_document(RawDocument(source="t.txt", text=text,
                                      meta=DocMeta(language=language)))


def page(*lines: str) -> str:
    return "\n".join(lines)


def reasons(doc) -> dict[str, str]:
    return {r.text: r.reason for r in doc.removed}


# --- rules that used to cut article text ----------------------------------------------------

def test_repeated_lines_of_a_recipe_or_list_are_kept():
    step = "Stir the mixture gently for two minutes over a low heat"
    text = page(PARA_A, step, "Add the sugar and the lemon juice", step, PARA_B, step)
    doc = clean(text)
    assert doc.text.count(step) == 3
    assert doc.removed == []


def test_a_repeated_photo_caption_is_still_cut_as_a_caption():
    caption = "Workers inspect the damaged pier on Monday. Photo: Harbour Board"
    doc = clean(page(PARA_A, caption, PARA_B, caption))
    assert doc.text.count(caption) == 1
    assert [r.reason for r in doc.removed] == ["caption"]


def test_lines_in_another_script_that_are_not_labels_are_kept():
    korean = "\ud56d\uad6c \uc810\uac80\uc774 \ub298\uc5b4\ub09c\ub2e4. " * 3
    email = "reporter1@example.co.kr"
    site = "www.example.co.kr"
    code = "player.setav health 500"
    text = page(korean, email, korean, site, code, korean)
    doc = clean(text)
    for line in (email, site, code):
        assert line in doc.text
    # a short label in a stray script is still a widget
    doc = clean(page(PARA_A, "\ub274\uc2a4 \ud64d\ubcf4", PARA_B))
    assert reasons(doc) == {"\ub274\uc2a4 \ud64d\ubcf4": "script"}


def test_an_arabic_sentence_quoted_in_an_english_article_is_kept():
    arabic = "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646 \u0627\u0644\u0645\u064a\u0646\u0627\u0621 \u0633\u064a\u063a\u0644\u0642 \u063a\u062f\u0627."
    doc = clean(page(PARA_A, arabic, PARA_B))
    assert arabic in doc.text and doc.removed == []


def test_a_bare_number_is_a_page_number_only_among_page_furniture():
    doc = clean(page(PARA_A, PARA_B, "3"))
    assert doc.text.endswith("\n3") and doc.removed == []
    doc = clean(page(PARA_A, PARA_B, "Subscribe", "3"))
    assert reasons(doc) == {"Subscribe": "promo", "3": "page_number"}
    doc = clean(page(PARA_A, "Page 2 of 5", PARA_B))
    assert reasons(doc) == {"Page 2 of 5": "page_number"}


def test_video_title_only_in_the_player_goes_but_one_repeated_as_caption_stays():
    title = "Divers survey the cracked piers from below"
    doc = clean(page(PARA_A, "02:47", title, PARA_B))
    assert reasons(doc) == {"02:47": "timer", title: "video"}
    doc = clean(page(PARA_A, "02:47", title, title, PARA_B))
    assert reasons(doc) == {"02:47": "timer"}
    assert doc.text.count(title) == 2


# --- headline and site name ------------------------------------------------------------------

@pytest.mark.parametrize(("title", "site", "url", "expected"), [
    ("Ferry terminal to close | Harbour Times", "Harbour Times", None,
     ("Ferry terminal to close", "Harbour Times")),
    ("Ferry terminal to close - Harbour Times", None, "https://www.harbourtimes.com/a/1",
     ("Ferry terminal to close", "Harbour Times")),
    ("Harbour Times :: Ferry terminal to close", "Harbour Times", None,
     ("Ferry terminal to close", "Harbour Times")),
    # a site name that holds a separator itself
    ("Ferry terminal to close - Port News - Daily edition", "Port News - Daily edition", None,
     ("Ferry terminal to close", "Port News - Daily edition")),
    # a section name is not the site: kept
    ("Ferry terminal to close | Editorial", "Harbour Times", None,
     ("Ferry terminal to close | Editorial", None)),
    # a dash inside the headline is not a separator of a site name
    ("Kim - Putin summit ends", None, "https://kim.example.com/", ("Kim - Putin summit ends", None)),
])
def test_site_name_is_split_from_the_title(title, site, url, expected):
    assert split_site_name(title, site, url) == expected


PAGE = """<html lang="en"><head><title>Ferry terminal to close after cracks found - Harbour Times</title>
<meta property="og:title" content="Ferry terminal to close after cracks found - Harbour Times">
<link rel="canonical" href="https://www.harbourtimes.com/news/ferry-terminal">
</head><body><article><h1>Ferry terminal to close after cracks found</h1>
<p>{a}</p><p>{b}</p>
<p>Published on 4 May 2026 by the news desk of the paper, which covers the port.</p>
</article></body></html>"""


def test_html_headline_is_metadata_not_body_and_site_name_gives_the_outlet(tmp_path):
    from storyline.ingest import read_inputs
    from storyline.settings import Settings

    page = tmp_path / "ferry.html"
    page.write_text(PAGE.format(a=PARA_A * 2, b=PARA_B * 2), "utf8")
    [raw] = list(read_inputs([str(page)], Settings()))
    doc = clean_document(raw)
    assert doc.meta.title == "Ferry terminal to close after cracks found"
    assert "Ferry terminal to close" not in doc.text
    assert doc.text.startswith(PARA_A[:40])
    assert doc.meta.outlet == "Harbour Times"
    assert doc.meta.published == "2026-05-04"
    assert doc.meta.provenance["published_source"] in ("htmldate metadata",
                                                        "htmldate extensive search")


def test_html_date_from_metadata_names_its_source(tmp_path):
    from storyline.ingest import read_inputs
    from storyline.settings import Settings

    head = '<meta property="article:published_time" content="2026-05-03T08:00:00Z">'
    page = tmp_path / "ferry.html"
    page.write_text(PAGE.replace("</head>", head + "</head>").format(a=PARA_A * 2, b=PARA_B * 2),
                    "utf8")
    [raw] = list(read_inputs([str(page)], Settings()))
    assert raw.meta.published == "2026-05-03"
    assert raw.meta.provenance["published"] == "page"
    assert raw.meta.provenance["published_source"] == "htmldate metadata"


# --- glued words ---------------------------------------------------------------------------

def test_words_glued_to_a_known_name_are_split_and_shown():
    text = ("Respected ComradeKim Jong Unwas greeted at the airport.\n"
            "The message was sent toKim Jong Un by the delegation.\n"
            "Kim Jong Uninvited the guests to the banquet.")
    doc = clean(text)
    assert doc.text == ("Respected Comrade Kim Jong Un was greeted at the airport.\n"
                        "The message was sent to Kim Jong Un by the delegation.\n"
                        "Kim Jong Un invited the guests to the banquet.")
    glued = sorted(r.text for r in doc.removed if r.reason == "glued")
    assert glued == ["ComradeKim Jong Un \u2192 Comrade Kim Jong Un",
                     "Kim Jong Uninvited \u2192 Kim Jong Un invited",
                     "Kim Jong Unwas \u2192 Kim Jong Un was",
                     "toKim Jong Un \u2192 to Kim Jong Un"]
    assert doc.raw_text == text  # the text as read is kept


@pytest.mark.parametrize("line", [
    "The fund paid FleetBoston and PayPal for the transfers.",  # brands glue on purpose
    "Officials of the World Food Programme met the minister.",  # "Program|me": a word
    "He met John Woodward in London.",  # "Wood|ward": a bare noun makes surnames
    "Visitors crowded into Chinatown for the new year.",
    "The iPhone and eBay were mentioned in the report.",
    "Residents of Pyongyang say Pyongyangites queue for buses.",
])
def test_no_repair_where_the_split_is_not_certain(line):
    assert repair_line(line) == (line, [])


def test_adverb_glued_after_a_name_is_split_but_not_a_bare_adjective():
    assert repair_line("Kim Jong Unwarmly welcomed them.")[0] == "Kim Jong Un warmly welcomed them."
    assert repair_line("Kim Jong Ungood health.") == ("Kim Jong Ungood health.", [])


def test_no_glue_repair_outside_english():
    text = "Le ministre a vu ComradeKim Jong Unwas hier."
    assert clean(text, language="fr").text == text


def test_dictionary_knows_inflections_and_not_glued_forms():
    words = dictionary("en")
    assert words.known("visited") and words.known("including") and words.known("was")
    assert not words.known("unwas") and not words.known("includingkim")
    assert words.inflected("received") and not words.inflected("ward")


def test_repair_text_reports_the_line_of_each_repair():
    text, found = repair_text("No glue here.\nThe gifts sent byKim Jong Unto the school.")
    assert text.endswith("sent by Kim Jong Un to the school.")
    assert [(i, r.after) for i, r in found] == [(1, "Kim Jong Un to"), (1, "by Kim Jong Un")]


# --- the web benchmark's metric (bench/web.py) -----------------------------------------------

def test_web_bench_metric_is_the_benchmarks():
    from bench.web import prf, tp_fp_fn

    assert tp_fp_fn(PARA_A, PARA_A) == (1.0, 0.0, 0.0)
    # the headline in front of the body: 4 extra shingles of 22, nothing missed
    _tp, fp, fn = tp_fp_fn(PARA_A, "Ferry terminal to close\n" + PARA_A)
    assert fn == 0 and fp == pytest.approx(4 / 22)
    got = prf([tp_fp_fn(PARA_A, PARA_A), tp_fp_fn(PARA_A, "")])
    assert got["precision"] == 1.0 and got["recall"] == 0.5  # an empty page: no precision
    assert got["f1"] == pytest.approx(2 / 3, abs=1e-4)


def test_page_whose_metadata_cannot_be_read_is_stored_with_the_reason(monkeypatch):
    from storyline.ingest import html as html_mod

    def broken(*_a, **_k):
        raise ValueError("unreadable date widget")

    monkeypatch.setattr(html_mod, "page_metadata", broken)
    page = PAGE.format(a=PARA_A * 2, b=PARA_B * 2)
    text, meta = html_mod.extract_html(page, "p.html", url="https://www.harbourtimes.com/x")
    assert PARA_A[:40] in text
    assert meta.published is None and meta.url == "https://www.harbourtimes.com/x"
    assert meta.provenance["metadata_error"] == "ValueError: unreadable date widget"
    from storyline.ingest.meta import build_meta

    built = build_meta(text, page=meta)
    assert built.provenance["metadata_error"] == "ValueError: unreadable date widget"


def test_page_of_nothing_but_noise_is_stored_with_its_title_and_the_reason():
    raw = RawDocument(source="ad.html", text="Sponsored Content\nAdvertisement", kind="html",
                      meta=DocMeta(title="Loft living in the old mill", published="2026-05-04"))
    doc = clean_document(raw)
    assert doc.text == "Loft living in the old mill"
    assert doc.meta.published == "2026-05-04"
    assert doc.meta.provenance["no_article_text"] == "every line was cut (ad): stored with its title"
    assert {r.reason for r in doc.removed} == {"ad"}
    # a text file keeps today's behaviour: nothing left is nothing stored
    raw.kind = "text"
    assert clean_document(raw).text == ""


def test_html_page_without_article_text_is_kept_by_its_title_or_refused_without_one():
    from storyline.errors import MalformedInput
    from storyline.ingest.html import extract_html

    page_html = ("<html><head><title>Night ferry crossing, in pictures</title></head>"
                 "<body><img src='night-ferry.jpg'></body></html>")
    text, meta = extract_html(page_html, "gallery.html")
    assert text == "Night ferry crossing, in pictures"
    assert meta.provenance["no_article_text"] == "no article text in the page: stored with its title"
    with pytest.raises(MalformedInput, match="no article text and no title"):
        extract_html("<html><body><script>var a = 1;</script></body></html>", "s.html")
