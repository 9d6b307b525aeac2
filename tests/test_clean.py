"""The clean stage on articles written for these tests, in several page layouts.

Each layout mixes article text (which must all survive) with one or more kinds of noise
(which must go, each with its reason). The texts are invented; none comes from ../shared.
"""

from __future__ import annotations

import json

import pytest

from storyline.clean import clean_document, removed_counts, scan_header
from storyline.clean.dates import normalise_date
from storyline.clean.lines import has_terminal, is_caption
from storyline.clean.outlets import canonical_outlet, lookup
from storyline.records import DocMeta, RawDocument, document_id


def clean(text: str, meta: DocMeta | None = None):
    return clean_document(RawDocument(source="test.txt", text=text, meta=meta or DocMeta()))


def reasons(doc) -> dict[str, str]:
    return {r.text: r.reason for r in doc.removed}


# --- Layout 1: a magazine page with a promo block, kicker, bullets and a video ------------

MAGAZINE_BODY = [
    ("Dockworkers in the northern port of Ostrava Bay walked off the job on Tuesday, halting "
     "the loading of grain ships for the second time this month."),
    ("The union said about 2,000 members joined the stoppage, which is set to last until "
     "Friday unless the port authority reopens wage talks."),
    ("\u201cWe have asked for a meeting three times and heard nothing back,\u201d said union "
     "spokeswoman Ilse Brandt. \u201cThe ships can wait a few days.\u201d"),
    ("The port authority said it regretted the walkout and would meet the union \u201cas soon as "
     "possible\u201d, without giving a date."),
    ("Grain traders said the delays could push up freight rates if the stoppage drags on into "
     "next week."),
    ("Exporters have already moved some cargo to the southern terminal, according to shipping "
     "data reviewed by the paper."),
]
MAGAZINE = "\n".join([
    "date 2026-04-14 Harbor Times",
    "ADVERTISEMENT",
    "Sponsored",
    "Business",
    "Get more with Harbor Plus",
    "Your morning briefing on the markets that move your world",
    "Learn more",
    "Dockworkers at Ostrava Bay stage second walkout in a month",
    "Weekend ReadsBusiness",
    "",
    "  \u2022 About 2,000 union members stop loading grain ships",
    "  \u2022 The port authority says it will meet the union but gives no date",
    "Anna Lindqvist",
    "Why you can trust Harbor Times",
    MAGAZINE_BODY[0],
    "",
    MAGAZINE_BODY[1],
    "Striking workers gather outside the main gate on Tuesday. Photo: Harbor Times",
    MAGAZINE_BODY[2],
    "",
    "Ten cheap places to eat near the waterfront this summer",
    "",
    MAGAZINE_BODY[3],
    "",
    "1:02:10",
    "",
    "Inside the port where the cranes never stop",
    "",
    "Inside the port where the cranes never stop",
    "",
    MAGAZINE_BODY[4],
    "\ud55c\uad6d\uc5b4 \ub274\uc2a4",
    MAGAZINE_BODY[5],
    "",
    "source site-7",
    "12",
])


def test_magazine_layout_noise_removed_with_reasons():
    doc = clean(MAGAZINE)
    got = reasons(doc)
    assert got["ADVERTISEMENT"] == "ad"
    assert got["Sponsored"] == "ad"
    assert got["Get more with Harbor Plus"] == "promo"
    assert got["Learn more"] == "promo"
    assert got["Why you can trust Harbor Times"] == "promo"
    # a slogan inside the promo block, addressing the reader
    assert got["Your morning briefing on the markets that move your world"] == "promo"
    assert got["Weekend ReadsBusiness"] == "kicker"
    assert got["Ten cheap places to eat near the waterfront this summer"] == "teaser"
    assert got["1:02:10"] == "timer"
    # the player's title under its timer, repeated below as its caption: both kept (the key
    # of the seeds keeps such a pair; a title shown only in the player goes, see examples)
    assert "Inside the port where the cranes never stop" not in got
    assert got["\ud55c\uad6d\uc5b4 \ub274\uc2a4"] == "script"
    assert got["source site-7"] == "site_tag"
    assert got["12"] == "page_number"
    assert got["date 2026-04-14 Harbor Times"] == "metadata"


def test_magazine_layout_keeps_every_article_line():
    doc = clean(MAGAZINE)
    for sentence in MAGAZINE_BODY:
        assert sentence in doc.text
    # headline, bullets, caption, the video's title (once), a section label and a byline name
    for kept in ("Dockworkers at Ostrava Bay stage second walkout in a month",
                 "\u2022 About 2,000 union members stop loading grain ships",
                 "Striking workers gather outside the main gate on Tuesday. Photo: Harbor Times",
                 "Business", "Anna Lindqvist"):
        assert kept in doc.text
    assert doc.text.count("Inside the port where the cranes never stop") == 2
    assert doc.meta.published == "2026-04-14"
    assert doc.meta.outlet == "Harbor Times"
    assert doc.meta.title == "Dockworkers at Ostrava Bay stage second walkout in a month"
    assert "\n\n\n" not in doc.text and doc.text == doc.text.strip()


def test_removed_lines_carry_line_numbers_and_counts():
    doc = clean(MAGAZINE)
    lines = MAGAZINE.split("\n")
    for r in doc.removed:
        assert r.text in lines[r.line_no]
    counts = removed_counts(doc)
    assert counts["ad"] == 2 and counts["promo"] == 4 and counts["metadata"] == 1
    assert doc.raw_text == MAGAZINE
    assert doc.id == document_id(doc.text)


# --- Layout 2: wire copy reprinted by a paper ---------------------------------------------

WIRE_BODY = [
    ("LISBON, April 20 (AP) \u2014 Portugal's coast guard said on Monday it had boarded a "
     "tanker suspected of carrying fuel transferred at sea in breach of sanctions."),
    ("Officials said the ship, which reportedly sailed without a working transponder, would "
     "be held in port while investigators examined its papers."),
    "\u201cWe acted on information shared by our partners,\u201d a coast guard spokesman said.",
    "The ship's operator could not be reached for comment. (AP)",
]
WIRE = "\n".join([
    "The Guardian",
    "",
    "Coast guard boards tanker suspected of sanctions breach",
    "",
    "By Associated Press",
    "",
    "Published: 20 April 2026 14:05 BST",
    "Updated: 21 April 2026 08:00 BST",
    "",
    "\u2022 Copy link",
    "Share on WhatsApp",
    "",
    ("Coast guard officers on the deck of the tanker. (Coast Guard photo) Coast guard officers "
     "on the deck of the tanker. (Coast Guard photo)"),
    "",
    *[p + "\n" for p in WIRE_BODY],
])


def test_wire_layout_metadata_and_credit():
    doc = clean(WIRE)
    assert doc.meta.outlet == "The Guardian"  # masthead, canonical name
    assert doc.meta.wire == "AP"
    assert doc.meta.published == "2026-04-20"  # Published, not Updated
    got = reasons(doc)
    for line in ("The Guardian", "By Associated Press", "Published: 20 April 2026 14:05 BST",
                 "Updated: 21 April 2026 08:00 BST"):
        assert got[line] == "metadata"
    assert got["Copy link"] == "share"
    assert got["Share on WhatsApp"] == "share"
    for sentence in WIRE_BODY:
        assert sentence in doc.text  # the end credit "(AP)" stays: it is article text


def test_doubled_caption_keeps_one_copy():
    doc = clean(WIRE)
    caption = "Coast guard officers on the deck of the tanker. (Coast Guard photo)"
    assert doc.text.count(caption) == 1
    assert any(r.reason == "caption" and r.text == caption for r in doc.removed)


def test_updated_date_is_only_a_fallback():
    doc = clean("Updated: 2 May 2026 10:00\n" + "\n".join(WIRE_BODY))
    assert doc.meta.published == "2026-05-02"
    assert doc.meta.provenance["published"] == "header (updated)"


# --- Layout 3: plain report with subheads, a list and a footer credit ---------------------

REPORT = """Lawmakers question spending on new patrol boats

Parliament's defence committee on Thursday questioned why the cost of six new patrol boats had risen by more than 40% since the contract was signed.

Rising costs

The ministry said delays at the shipyard and higher steel prices explained most of the increase, and that the first boat would be delivered next year.

Committee members asked for three documents:
1. the original contract;
2. the shipyard's delivery schedule;
3. an audit of the steel purchases.

What happens next

The committee will vote on whether to open a formal inquiry on May 12.
RFA reporter Daniel Kim contributed to this report."""


def test_report_layout_keeps_subheads_lists_and_footer_credit():
    doc = clean(REPORT)
    assert doc.removed == []
    assert doc.text == REPORT
    assert doc.meta.outlet == "Radio Free Asia"  # from the footer credit, which stays
    assert doc.meta.published is None  # a date in the body is not the publication date
    assert doc.meta.title == "Lawmakers question spending on new patrol boats"


def test_teaser_needs_to_stand_alone():
    # A headline-shaped line followed by its own lower-case continuation is a broken
    # paragraph, not a teaser.
    text = ("The minister arrived in the capital on Sunday for talks with her counterpart.\n"
            "Talks on the future of the fishing agreement between the two countries\n"
            "are expected to last two days, officials said.\n")
    assert clean(text).removed == []


def test_teaser_between_paragraphs_is_cut_but_short_subhead_kept():
    text = ("Exports of frozen fish fell sharply in the first quarter, customs data showed.\n\n"
            "Fish exports\n\n"
            "Officials blamed a shortage of refrigerated containers at the main ports.\n\n"
            "How a small island became the world's biggest exporter of sardines\n\n"
            "The ministry expects exports to recover in the second half of the year.")
    doc = clean(text)
    assert reasons(doc) == {
        "How a small island became the world's biggest exporter of sardines": "teaser"}
    assert "Fish exports" in doc.text


SUBHEADS = """Fishermen rescued after boat capsizes off the coast

Coast guard officials rescued five fishermen on Sunday after their boat capsized in heavy seas.

A night of high winds along the northern coast

Forecasters had warned of gusts of up to 100 km/h overnight, and several ferries were cancelled.

What can small boats do to stay safe

Officials advised crews to check forecasts twice a day and to carry a working radio at all times.

Harbour safety rules for small fishing boats under review

The harbour authority said its review of safety rules for small boats would end in June.

The rescue crews were praised by the regional governor, President
Anna Sorensen of the fishermen's association, who called them heroes.

Read more: Ferry services suspended as storm approaches
Tags: Fishing, Weather, Coast guard
Comments (12)
\u00a9 2026 Coastal News. All rights reserved."""


def test_subheads_questions_and_broken_lines_are_not_teasers():
    doc = clean(SUBHEADS)
    got = reasons(doc)
    for kept in ("A night of high winds along the northern coast",  # prose-like label
                 "What can small boats do to stay safe",  # a question subhead
                 "Harbour safety rules for small fishing boats under review",  # its section
                 "The rescue crews were praised by the regional governor, President"):
        assert kept not in got and kept in doc.text
    assert got == {"Read more: Ferry services suspended as storm approaches": "teaser",
                   "Tags: Fishing, Weather, Coast guard": "footer",
                   "Comments (12)": "share",
                   "\u00a9 2026 Coastal News. All rights reserved.": "footer"}


def test_photo_credit_captions_are_not_titles():
    doc = clean("FILE PHOTO: Cranes at the container terminal in Rotterdam. AGENCY/Jan de Vries\n"
                "ROTTERDAM, June 2 (Reuters) - Container volumes at Europe's largest port rose "
                "3% in May, the port authority said on Monday.")
    assert doc.meta.title is None
    assert doc.meta.wire == "Reuters"
    assert doc.removed == []


# --- Section kickers and video titles -----------------------------------------------------

BODY_A = ("The regional council approved a new budget for river defences on Tuesday after a "
          "year of flooding in the valley.")
BODY_B = ("Councillors said the money would pay for higher embankments and two new pumping "
          "stations near the old mill.")


def page(*lines: str) -> str:
    return "\n".join(lines)


@pytest.mark.parametrize("label", ["World", "Politics", "ASIA", "Asia-Pacific"])
def test_lone_section_word_above_the_headline_is_a_kicker(label):
    text = page("Advertisement", label, "Council backs new flood defences for the valley",
                "", BODY_A, "", BODY_B)
    doc = clean(text)
    assert reasons(doc)[label] == "kicker"
    assert doc.meta.title == "Council backs new flood defences for the valley"
    assert BODY_A in doc.text and BODY_B in doc.text


def test_lone_section_word_next_to_a_byline_or_date_is_a_kicker():
    text = page("Harbour strike ends after three weeks of talks", "By Ines Moreau",
                "Business", "", BODY_A)
    assert reasons(clean(text))["Business"] == "kicker"
    text = page("Published: 4 May 2026", "Europe", "Ferry line to resume winter sailings",
                "", BODY_B)
    assert reasons(clean(text))["Europe"] == "kicker"


@pytest.mark.parametrize("lines", [
    # under the headline: a venue, a fact of the article
    ["Rovers v United (Sat)", "Eastfield", "Saturday, 5 April", "", BODY_A],
    # in the body: a one-word subhead
    ["Council backs new flood defences", "", BODY_A, "", "Reaction", "", BODY_B],
    # two words: a byline name, not a label
    ["Council backs new flood defences for the valley", "Mira Holt", "", BODY_A],
    # punctuation: not a bare label
    ["Valley:", "Council backs new flood defences for the valley", "", BODY_A],
])
def test_lone_words_elsewhere_are_kept(lines):
    doc = clean(page(*lines))
    assert not any(r.reason == "kicker" for r in doc.removed), doc.removed


def test_video_title_under_its_timer_is_part_of_the_player():
    text = page(BODY_A, "", "02:47", "", "Drone footage shows the flooded valley floor",
                "", BODY_B)
    doc = clean(text)
    got = reasons(doc)
    assert got["02:47"] == "timer"
    assert got["Drone footage shows the flooded valley floor"] == "video"
    assert BODY_A in doc.text and BODY_B in doc.text


def test_video_title_repeated_as_caption_keeps_the_caption():
    text = page(BODY_A, "", "Video: 1:15", "", "How the pumping stations will work", "",
                "How the pumping stations will work", "", BODY_B)
    doc = clean(text)
    # the title shown again as the video's caption: the video is part of the article
    assert "How the pumping stations will work" not in reasons(doc)
    assert doc.text.count("How the pumping stations will work") == 2


def test_line_under_a_timer_that_is_text_or_a_live_blog_entry_is_kept():
    # a sentence under a clock line is article text
    sentence = "Officials said the river had peaked overnight and was now falling."
    doc = clean(page(BODY_A, "", "04:10", "", sentence, "", BODY_B))
    assert sentence in doc.text
    # a live blog: many clock lines, each above an entry headline
    entries = ["Water level passes the old record", "Evacuation centre opens in the school",
               "Rail line closed between the two towns"]
    lines = [BODY_A]
    for k, entry in enumerate(entries):
        lines += ["", f"1{k}:05", "", entry, "", BODY_B.replace("two", str(k + 3))]
    doc = clean(page(*lines))
    for entry in entries:
        assert entry in doc.text


# --- Header and credit lines ---------------------------------------------------------------

@pytest.mark.parametrize("line, wire, author", [
    ("By Reuters", "Reuters", None),
    ("BY AGENCE FRANCE-PRESSE", "AFP", None),
    ("By Jane Doe", None, "Jane Doe"),
    ("By Jane Doe and Omar Haddad, Reuters", "Reuters", "Jane Doe, Omar Haddad"),
    ("By Omar Haddad | March 3, 2026", None, "Omar Haddad"),
])
def test_bylines(line, wire, author):
    text = (f"Ministers meet to discuss fuel prices\n{line}\n"
            "Energy ministers from five countries met on Monday to discuss a rise in fuel prices.")
    doc = clean(text)
    assert doc.meta.wire == wire
    assert doc.meta.author == author
    assert doc.meta.published == ("2026-03-03" if "2026" in line else None)
    assert reasons(doc)[line] == "metadata"


def test_byline_wire_becomes_outlet_when_no_other_is_named():
    doc = clean("By Kyodo\nThe government approved a new budget for coastal defence on Friday.")
    assert doc.meta.wire == "Kyodo" and doc.meta.outlet == "Kyodo"


def test_dateline_credit_gives_wire():
    doc = clean("ANKARA, May 3 (Reuters) - Turkey said on Saturday it would reopen the border "
                "crossing next week.")
    assert doc.meta.wire == "Reuters"
    assert doc.removed == []


def test_told_agency_is_a_weak_wire_signal():
    text = ("The talks were productive, a senior diplomat told Xinhua on Monday, adding that "
            "a second round would follow.")
    doc = clean(text)
    assert doc.meta.wire == "Xinhua"
    assert doc.meta.provenance["wire"] == "told Xinhua"
    assert doc.meta.outlet is None  # a "told" wire is too weak to name the publisher
    # a stated byline beats it
    doc = clean("By Kyodo\n" + text)
    assert doc.meta.wire == "Kyodo"


def test_existing_metadata_wins_over_header_lines():
    meta = DocMeta(outlet="Pacific Ledger", published="2026-01-02",
                   provenance={"outlet": "sidecar", "published": "sidecar"})
    doc = clean("date 2026-04-14 Harbor Times\nThe port reopened on Monday after a week-long "
                "strike by dockworkers.", meta)
    assert doc.meta.outlet == "Pacific Ledger" and doc.meta.published == "2026-01-02"
    assert doc.meta.provenance["outlet"] == "sidecar"


def test_scan_header_reports_consumed_lines():
    scan = scan_header("Strait Observer\nPublished : Jun. 5, 2026 - 18:40\nThe ferry service "
                       "between the islands resumed on Friday after a two-week suspension.")
    assert scan.meta.outlet == "Strait Observer"
    assert scan.meta.published == "2026-06-05"
    assert set(scan.consumed) == {0, 1}


def test_unknown_masthead_line_is_kept():
    doc = clean("Some Local Gazette\nThe harbour master resigned on Monday after a review of "
                "safety procedures found repeated failures.")
    assert doc.meta.outlet is None
    assert "Some Local Gazette" in doc.text


def test_script_rule_keeps_mixed_lines_and_other_language_articles():
    text = ("The ministry's statement, titled \u201c\ud574\uc591 \uc548\uc804\u201d (maritime "
            "safety), was issued on Monday.\nOfficials said inspections would increase.")
    assert clean(text).removed == []
    korean = ("\ud574\uc591\uc218\uc0b0\ubd80\ub294 \uc6d4\uc694\uc77c \uc0c8 \uaddc\uc815\uc744 "
              "\ubc1c\ud45c\ud588\ub2e4.\n\ud56d\uad6c \uc810\uac80\uc774 \ub298\uc5b4\ub09c\ub2e4."
              "\nBusan\n\uad00\uacc4\uc790\ub294 \ub2e4\uc74c \uc8fc\uc5d0 \ud68c\uc758\uac00 "
              "\uc5f4\ub9b0\ub2e4\uace0 \ub9d0\ud588\ub2e4.")
    doc = clean(korean)
    # In a Korean article, a Latin-only line is the stray one.
    assert reasons(doc) == {"Busan": "script"}
    assert doc.text.count("\n") == 2


# --- Helpers --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2026-03-02", "2026-03-02"),
    ("2026-03-04T08:00:00+09:00", "2026-03-04"),
    ("Mar. 3, 2026 - 09:10", "2026-03-03"),
    ("Tuesday, 3 March 2026", "2026-03-03"),
    ("yesterday", None),
    ("March 2026", None),
    ("", None),
    (None, None),
])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


def test_outlet_registry_is_data():
    assert lookup("Agence France-Presse").name == "AFP" and lookup("afp").wire
    assert canonical_outlet("SCMP") == "South China Morning Post"
    assert canonical_outlet("Some Unknown Weekly") == "Some Unknown Weekly"
    assert lookup("Meridian News Agency").wire  # the fictional wire of the examples
    from importlib import resources

    data = json.loads(resources.files("storyline").joinpath("data", "outlets.json")
                      .read_text("utf-8"))
    assert len([e for e in data["entries"] if e["wire"]]) >= 8


def test_line_helpers():
    assert has_terminal("He said it was \u201cfine.\u201d")
    assert has_terminal("The talks ended on Friday. (Yonhap)")
    assert not has_terminal("A headline with no full stop")
    assert is_caption("A man waves a flag in the square. Photo: AP")
    assert is_caption("The minister (left) greets her counterpart in Seoul.")
    assert not is_caption("The minister greeted her counterpart in Seoul.")


def test_caption_guard_answers_as_the_expression():
    """is_caption lets a line with no ":", "(" or "/" go without the scan: the same answer
    as the expression on every line, random ones included."""
    import random

    from storyline.clean.lines import _CAPTION

    lines = ["FILE PHOTO: Troops march", "YONHAP/Kim Hong-ji", "Photo : AP", "(Right) the envoy",
             "Seen at the rally (pictures by Reuters)", "a/b", "Credit:", "plain words here"]
    rng = random.Random(5)
    alphabet = "ab PhotoLEFT()/:.-'&\n"
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
              for _ in range(20_000)]
    for line in lines:
        assert is_caption(line) == bool(_CAPTION.search(line)), line


# --- The seeds (read from ../shared at run time) ---------------------------------------------

@pytest.mark.seeds
def test_seed_boilerplate_and_keep(shared):
    gold = json.loads((shared / "gold" / "seeds.gold.json").read_text("utf-8"))
    lost = []  # removed lines that the key does not list and that are gone from the text
    for entry in gold["documents"]:
        text = (shared / "seeds" / entry["file"]).read_text("utf-8")
        doc = clean_document(RawDocument(source=entry["file"], text=text))
        cut = {r.text for r in doc.removed if r.reason != "metadata"}
        for line in entry["boilerplate"]:
            assert line in cut, (entry["file"], line)
        for keep in entry["keep"]:
            assert keep in doc.text, (entry["file"], keep)
        assert doc.meta.published == entry["published"], entry["file"]
        kept_lines = set(doc.text.split("\n"))
        lost += [r.text for r in doc.removed if r.reason != "metadata"
                 and r.text not in entry["boilerplate"] and r.text not in kept_lines]
    assert len(lost) <= 1, lost
