"""The benchmark code runs and writes what it promises (never a timing assertion), and the
speed work keeps the annotations the same."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench` lives at the root

from bench import scale
from bench.corpora import _reflow, _reuters_date, truncate

pytestmark = pytest.mark.slow


# -- pure helpers -------------------------------------------------------------------------------
def test_shift_date_moves_days_and_weeks_and_leaves_the_rest() -> None:
    assert scale.shift_date("2024-12-30", 1) == "2025-01-06"
    assert scale.shift_date("2024-02-26T10:00:00", 1) == "2024-03-04T10:00:00"
    assert scale.shift_date("2024-W52", 2) == "2025-W02"
    assert scale.shift_date("2024-05", 3) == "2024-05"  # a month is not moved by weeks
    assert scale.shift_date("Pyongyang", 3) == "Pyongyang"
    assert scale.shift_date("2024-01-01", 0) == "2024-01-01"


def test_remap_replaces_ids_and_shifts_nested_dates() -> None:
    data = {"mentions": [{"doc_id": "dabc", "when": ["2024-01-01", "2024-01-03"]}],
            "first_reported": "2024-01-02", "n": 3, "title": "talks"}
    out = scale.remap(data, 1, {"dabc": "dxyz"})
    assert out == {"mentions": [{"doc_id": "dxyz", "when": ["2024-01-08", "2024-01-10"]}],
                   "first_reported": "2024-01-09", "n": 3, "title": "talks"}


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert scale.percentile(values, 50) == 50.0
    assert scale.percentile(values, 95) == 95.0
    assert scale.percentile([7.0], 95) == 7.0


def test_reuters_dates() -> None:
    assert _reuters_date(" 3-MAR-1987 09:18:21.26") == "1987-03-03"
    assert _reuters_date("26-FEB-1987 15:01:01.79") == "1987-02-26"
    assert _reuters_date("garbled") is None


def test_reuters_reflow_and_truncate() -> None:
    body = ("The ministry said on Tuesday it would\nraise the quota for the coming\nseason.\n"
            "    Officials added that talks\nwould resume next week.\n Reuter\n&#3;")
    text = _reflow(body)
    assert text == ("The ministry said on Tuesday it would raise the quota for the coming "
                    "season.\n\nOfficials added that talks would resume next week.")
    assert truncate(text, 30) == "The ministry said on Tuesday it would raise the quota for " \
                                 "the coming season."


def test_replica_has_a_new_id_and_shifted_dates() -> None:
    from storyline.records import DocMeta, Document, document_id

    text = "Officials met in Geneva on Monday to discuss the grain corridor."
    doc = Document(id=document_id(text), source="a.txt", text=text,
                   meta=DocMeta(published="2024-03-04", title="Grain talks"),
                   published_inferred=None)
    rep = scale.replica(doc, 2, "r2")
    assert rep.id != doc.id and rep.text.startswith(text)
    assert rep.meta.published == "2024-03-18" and doc.meta.published == "2024-03-04"


def test_the_pool_gives_every_event_article_to_the_template_or_the_held_out() -> None:
    from types import SimpleNamespace

    docs = [SimpleNamespace(id=f"d{i}") for i in range(40)]  # 30 mixed, then 10 extra KCNA
    with_events = {1, 4, 7, 12, 20, 31, 35, 39}
    analyses = {d.id: {"events": [{"id": "e1"}] if i in with_events else []}
                for i, d in enumerate(docs)}
    base, held = scale._split_pool(docs, analyses, 30, n_base=12, n_new=4)
    assert len(base) == 12 and len(held) == 4 and not set(base) & set(held)
    ordered = sorted(with_events)
    assert held[:2] == ordered[2::3]  # one in three event articles is held out
    assert set(ordered) - set(held) <= set(base)  # the others are in the template
    assert all(i < 30 for i in set(base) | set(held) if i not in with_events)  # fill: mixed


def test_follow_ups_come_from_stories_with_events() -> None:
    docs = [scale.Document(id=f"d{i}", source="s", text="t") for i in range(8)]
    links = {"stories": [], "cluster_members": [],
             "story_documents": [{"doc_id": f"d{i}", "story_id": i % 4} for i in range(8)],
             "clusters": [{"id": 1, "kind": "event", "story_id": 1},
                          {"id": 2, "kind": "event", "story_id": 1},
                          {"id": 3, "kind": "quote", "story_id": 2},
                          {"id": 4, "kind": "event", "story_id": 3}]}
    tpl = scale.Template(docs, {d.id: {} for d in docs}, "m", links,
                         new_raw=["n0", "n1", "n2"], new_analyses=[{}, {}, {}],
                         base_raw=[f"r{i}" for i in range(8)])
    assert scale.story_events(tpl) == {1: 2, 3: 1}
    picked = scale.articles(tpl)
    assert [k for k, _, _ in picked] == ["new", "follow_up"] * 3
    follow = [raw for k, raw, _ in picked if k == "follow_up"]
    assert set(follow) <= {"r1", "r3", "r5", "r7"}  # documents of stories 1 and 3 only


# -- the speed work keeps the annotations ---------------------------------------------------
SENTENCES = [
    "There is no sign that the talks will resume, a spokeswoman said on Friday.",
    "There were reports of shelling near the border, and let's not forget the drones.",
    "The minister, who was gonna visit Hanoi, said the ships had been loaded at Rajin.",
    "Exports rose 4.5 pct in March from a year earlier, the agency's figures showed.",
    "\"We are not going to accept this,\" the foreign ministry told reporters in Seoul.",
    "Y'all ain't gonna believe it: there's a deal, and we gotta sign it, c'mon.",
]


def test_memoised_token_attrs_match_the_attribute_ruler_and_lemmatizer() -> None:
    """The same annotations as spaCy's two components, but for the one correction of the
    lemmatizer's that `silent_e_lemma` makes (spaCy: "staged" -> "stag")."""
    from storyline.nlp import TOKEN_ATTRS, _load_base, silent_e_lemma, use_token_attrs

    plain = _load_base("auto")
    fast = _load_base("auto")
    assert use_token_attrs(fast)
    assert TOKEN_ATTRS in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    verbs = fast.get_pipe(TOKEN_ATTRS).verbs
    texts = SENTENCES + [" ".join(SENTENCES)] * 2  # repeats: the memo's hits
    texts += ["The army staged drills and waged war, hoping to scrape a win; it planned more."]
    fixed = 0
    for a, b in zip(plain.pipe(texts), fast.pipe(texts)):
        got = [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in b]
        want = []
        for t in a:
            spelled = silent_e_lemma(t.text, t.lemma_, verbs) if t.tag_ in (
                "VBD", "VBN", "VBG") else None
            fixed += spelled is not None
            want.append((t.tag_, t.pos_, str(t.morph), spelled or t.lemma_, t.dep_))
        assert got == want
    assert fixed >= 3  # staged, waged, hoping: spaCy's "stag", "wag", "hop"


def test_silent_e_lemma_follows_english_spelling() -> None:
    from storyline.nlp import silent_e_lemma

    verbs = frozenset({"stag", "stage", "hop", "hope", "plan", "plane", "visit", "scrap",
                       "scrape", "row"})
    assert silent_e_lemma("staged", "stag", verbs) == "stage"
    assert silent_e_lemma("Hoping", "hop", verbs) == "hope"
    assert silent_e_lemma("scraped", "scrap", verbs) == "scrape"
    assert silent_e_lemma("planned", "plan", verbs) is None  # doubled: "plan"
    assert silent_e_lemma("hopped", "hop", verbs) is None
    assert silent_e_lemma("visited", "visit", verbs) is None  # no verb "visite"
    assert silent_e_lemma("rowed", "row", verbs) is None  # w never doubles


def test_two_and_three_processes_give_the_same_records_as_one() -> None:
    from storyline.pipeline import extract_analyses
    from storyline.records import DocMeta, Document, document_id
    from storyline.settings import Settings

    docs = [Document(id=document_id(t), source=f"s{i}", text=t,
                     meta=DocMeta(published="2024-05-01", outlet="Example Times"))
            for i, t in enumerate(SENTENCES)]
    for n, batch in ((2, 2), (3, 1)):  # rounds of tasks: this process's, the workers' in turn
        settings = Settings.load(batch_size=batch)
        one = list(extract_analyses(docs, settings, 1))
        many = list(extract_analyses(docs, settings, n))
        assert [d for d, _ in many] == [d.id for d in docs]
        assert [a for _, a in one] == [a for _, a in many]


def test_worker_tasks_are_whole_batches_in_turn_and_an_even_tail() -> None:
    from storyline.pipeline import worker_tasks

    def tasks(n_docs: int, batch: int, n: int) -> list[tuple[int, int]]:
        got = list(worker_tasks(iter(range(n_docs)), batch, n))
        assert [i for _, t in got for i in t] == list(range(n_docs))  # all, in order
        return [(slot, len(t)) for slot, t in got]

    # slot n-1 is this process; whole batches in turn, the rest shared by the round's
    # slots not yet handed out
    assert tasks(45, 16, 2) == [(0, 16), (1, 16), (0, 7), (1, 6)]  # 23 and 22
    assert tasks(30, 16, 2) == [(0, 16), (1, 14)]
    assert tasks(10, 16, 2) == [(0, 5), (1, 5)]
    assert tasks(90, 16, 2) == [(0, 16), (1, 16), (0, 16), (1, 16), (0, 16), (1, 10)]
    assert tasks(33, 16, 2) == [(0, 16), (1, 16), (1, 1)]  # a last one: here, not forked
    assert tasks(40, 16, 3) == [(0, 16), (1, 16), (2, 8)]
    assert tasks(7, 2, 4) == [(0, 2), (1, 2), (2, 2), (3, 1)]
    assert tasks(3, 16, 4) == [(1, 1), (2, 1), (3, 1)]
    assert tasks(40, 16, 1) == [(0, 16), (0, 16), (0, 8)]
    assert tasks(0, 16, 2) == []


def test_glue_split_points_are_the_pieces_after_a_name() -> None:
    from storyline.clean.glue import dictionary

    words = dictionary("en")
    for token in ("Unwas", "Uninvited", "Monday", "Putinhas", "Koreans", "Rajinport", "Ab"):
        want = tuple(k for k in range(2, len(token) - 1) if words.after_name(token[k:]))
        assert words.split_points(token) == want
    assert words.split_points("Unwas")[0] == 2  # "Un" + "was" first (then "Unw" + "as")


def test_pipeline_freezes_the_loaded_heap_once_per_language() -> None:
    import gc

    from storyline import pipeline
    from storyline.records import DocMeta, Document, document_id
    from storyline.settings import Settings

    docs = [Document(id=document_id(t), source=f"s{i}", text=t, meta=DocMeta())
            for i, t in enumerate(SENTENCES[:2])]
    list(pipeline.extract_analyses(docs, Settings.load(), 1))
    assert None in pipeline._SETTLED and gc.get_freeze_count() > 0
    frozen = gc.get_freeze_count()
    list(pipeline.extract_analyses(docs, Settings.load(), 1))
    assert gc.get_freeze_count() == frozen  # not again for the same language


def test_records_compare_names_each_difference_and_ignores_the_temporary_folder(
        tmp_path: Path) -> None:
    from bench.records import compare

    row = {"document": {"source": "/tmp/tmpab12/kcna.jsonl#3", "text": "Kim met Putin."},
           "analysis": {"events": [{"type": "MEET"}], "times": []}}
    other = json.loads(json.dumps(row))
    other["document"]["source"] = "/tmp/tmpzz99/kcna.jsonl#3"  # another run's folder
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"d1": row}))
    b.write_text(json.dumps({"d1": other}))
    assert compare(a, b) == []
    other["analysis"]["events"][0]["type"] = "CONSULT"
    b.write_text(json.dumps({"d1": other, "d2": row}))
    assert compare(a, b) == [f"d2: only in {b}", "d1: analysis.events differs"]


# -- the whole benchmark on a tiny sample -------------------------------------------------
def test_bench_runs_on_a_tiny_sample_and_writes_the_expected_keys(
        shared: Path, tmp_path: Path) -> None:
    if not (shared / "corpora" / "kcna-news").is_dir():
        pytest.skip("../shared/corpora is not present")
    from rich.console import Console

    from bench.run import Plan, run

    out = tmp_path / "results.json"
    plan = Plan(n_docs=6, repeats=1, warmup_docs=3, sizes=[40, 80], n_base=9, n_new=2,
                ingest_docs=4, long_docs=2, ingest_chunk=2)
    run(plan, out, workdir=tmp_path / "work", console=Console(quiet=True))
    res = json.loads(out.read_text("utf-8"))
    t = res["throughput"]
    for key in ("docs_per_s_1proc", "docs_per_s_2proc", "baseline_docs_per_s_1proc",
                "baseline_docs_per_s_2proc", "ratio_1proc", "ratio_2proc", "words_per_s_1proc",
                "words_per_s_2proc", "n_docs", "corpus"):
        assert key in t, key
    assert t["n_docs"] == 6 and set(t["corpus"]) == {"kcna", "reuters", "bbc"}
    assert t["ratio_1proc"] == pytest.approx(
        t["docs_per_s_1proc"] / t["baseline_docs_per_s_1proc"], rel=0.01)
    assert "storyline_entities" in t["pipeline_ours"]
    assert not any(p.startswith("storyline") for p in t["pipeline_baseline"])
    assert res["memory"]["peak_rss_mb"] > 0 and res["memory"]["baseline_peak_rss_mb"] > 0
    ing = res["ingest"]  # the whole `storyline ingest`, against spaCy in the same run
    assert ing["n_docs"] == 4 and ing["n_stored"] == 4 and ing["slices"] == 2
    assert ing["corpus"] == {"bbc": 4}
    assert ing["ratio_cpu"] == pytest.approx(
        ing["words_per_cpu_s"] / ing["baseline_words_per_cpu_s"], rel=0.01)
    assert res["verdict"]["ratio_ingest_cpu"]["target"] == ">= 0.5"
    if "long" in res:  # Timeline17 is in ../shared/corpora
        assert res["long"]["n_docs"] == 2 and res["long"]["corpus"] == {"t17": 2}
        assert res["long"]["n_words"] / 2 > t["n_words"] / 6  # long articles indeed
        assert "ratio_long_1proc" in res["verdict"]
    assert set(res["scale"]) == {"40", "80"}
    for size in ("40", "80"):
        point = res["scale"][size]
        assert point["n_documents"] >= int(size)
        assert point["n_articles"] == 4  # two held-out articles and two follow-ups
        for op in scale.OPERATIONS:
            assert point[op]["p50_ms"] <= point[op]["p95_ms"]
    assert set(res["growth"]) >= set(scale.OPERATIONS)
    assert "k weeks" in res["method"]["scale"] and res["verdict"]
    if (shared / "corpora" / "multilingual-news").is_dir():
        fr = res["languages"]["fr"]
        assert fr["model"] == "fr_core_news_md" and fr["ours"]["docs"] == fr["spacy"]["docs"]
        assert fr["ratio"] == pytest.approx(
            fr["ours"]["docs_per_s"] / fr["spacy"]["docs_per_s"], rel=0.02)
