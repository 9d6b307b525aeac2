"""Coreference metrics on a hand example, and the ECB+ reader on an invented file."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.eval.corpora.coref_metrics import assignment_max, b3, ceaf_e, conll, muc
from storyline.eval.corpora.ecbplus import (
    EcbDoc,
    Mention,
    document_similarities,
    predict,
    read_document,
    selected_sentences,
)
from storyline.link import HashEmbedder

KEY = [["a", "b", "c"], ["d", "e"]]
RESPONSE = [["a", "b"], ["c", "d"], ["e"]]


def test_muc_by_hand():
    # recall: {a,b,c} cut in 2 parts -> 1 link of 2; {d,e} cut in 2 -> 0 of 1: 1/3
    # precision: {a,b} whole -> 1 of 1; {c,d} cut in 2 -> 0 of 1; {e} -> 0 of 0: 1/2
    s = muc(KEY, RESPONSE)
    assert s["recall"] == pytest.approx(1 / 3)
    assert s["precision"] == pytest.approx(1 / 2)
    assert s["f1"] == pytest.approx(0.4)


def test_b3_by_hand():
    # precision per mention: a 1, b 1, c 1/2, d 1/2, e 1 -> 4/5
    # recall per mention: a 2/3, b 2/3, c 1/3, d 1/2, e 1/2 -> 8/15
    s = b3(KEY, RESPONSE)
    assert s["precision"] == pytest.approx(4 / 5)
    assert s["recall"] == pytest.approx(8 / 15)
    assert s["f1"] == pytest.approx(2 * (4 / 5) * (8 / 15) / (4 / 5 + 8 / 15))


def test_ceaf_e_by_hand():
    # phi4: {a,b,c}-{a,b} 0.8, {a,b,c}-{c,d} 0.4, {d,e}-{c,d} 0.5, {d,e}-{e} 2/3;
    # best alignment 0.8 + 2/3; recall / 2 key clusters, precision / 3 response clusters
    s = ceaf_e(KEY, RESPONSE)
    total = 0.8 + 2 / 3
    assert s["recall"] == pytest.approx(total / 2)
    assert s["precision"] == pytest.approx(total / 3)
    all_scores = conll(KEY, RESPONSE)
    assert all_scores["conll_f1"] == pytest.approx(
        (0.4 + all_scores["b3"]["f1"] + s["f1"]) / 3)


def test_perfect_and_all_singletons():
    assert conll(KEY, KEY)["conll_f1"] == pytest.approx(1.0)
    singles = [["a"], ["b"], ["c"], ["d"], ["e"]]
    s = conll(KEY, singles)
    assert s["muc"]["f1"] == 0.0 and s["b3"]["precision"] == pytest.approx(1.0)


def test_assignment_is_optimal_not_greedy():
    # greedy would take 0.9 then 0.1; the best assignment is 0.8 + 0.8
    assert assignment_max([[0.9, 0.8], [0.8, 0.1]]) == pytest.approx(1.6)
    assert assignment_max([[0.5, 0.2, 0.9]]) == pytest.approx(0.9)
    assert assignment_max([]) == 0.0


INVENTED = """<Document doc_name="7_1ecb.xml" doc_id="X1">
<token t_id="1" sentence="0" number="0">Storm</token>
<token t_id="2" sentence="0" number="1">hits</token>
<token t_id="3" sentence="0" number="2">coast</token>
<token t_id="4" sentence="1" number="0">The</token>
<token t_id="5" sentence="1" number="1">storm</token>
<token t_id="6" sentence="1" number="2">flooded</token>
<token t_id="7" sentence="1" number="3">Harbourtown</token>
<token t_id="8" sentence="2" number="0">Crews</token>
<token t_id="9" sentence="2" number="1">rescued</token>
<token t_id="10" sentence="2" number="2">ten</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"><token_anchor t_id="2"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="2"><token_anchor t_id="6"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="3"><token_anchor t_id="9"/></ACTION_OCCURRENCE>
<LOC_GEO m_id="4"><token_anchor t_id="7"/></LOC_GEO>
<ACTION_OCCURRENCE m_id="9" TAG_DESCRIPTOR="flood" instance_id="ACT1"/>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT1"><source m_id="1"/><source m_id="2"/><target m_id="9"/></CROSS_DOC_COREF>
</Relations>
</Document>
"""


def test_reader_keeps_event_mentions_of_validated_sentences(tmp_path):
    path = tmp_path / "7_1ecb.xml"
    path.write_text(INVENTED, encoding="utf-8")
    (tmp_path / "s.csv").write_text("Topic,File,Sentence Number\n7,1ecb,1\n7,1ecb,2\n",
                                    encoding="utf-8")
    selected = selected_sentences(tmp_path / "s.csv")
    doc, mentions = read_document(path, 7, selected)
    # sentence 0 is not validated: "hits" is left out; the LOC markable is no event
    assert [m.text for m in mentions] == ["flooded", "rescued"]
    assert mentions[0].gold == "ACT1"
    assert mentions[1].gold.endswith(":singleton")
    assert doc.sentences[1] == [4, 5, 6, 7]


def _m(mid: str, doc: str, head: str, args: set[str], gold: str) -> Mention:
    return Mention(id=mid, doc=doc, topic=1, sentence=1, token_ids=[1], text=head, gold=gold,
                   lemmas=[head], head=head, args=args)


def test_predict_groups_documents_then_mentions():
    words = {1: (1, "x")}
    docs = [EcbDoc("1_1ecb", 1, words, {1: [1]}), EcbDoc("1_2ecb", 1, words, {1: [1]}),
            EcbDoc("1_3ecbplus", 1, words, {1: [1]})]
    docs[0].names.update({"harbourtown": 2, "storm ada": 1})
    docs[1].names.update({"harbourtown": 1, "storm ada": 2})
    docs[2].names.update({"riverton": 2, "storm bo": 1})
    mentions = [_m("a", "1_1ecb", "flood", {"harbourtown"}, "g1"),
                _m("b", "1_2ecb", "flood", {"harbourtown"}, "g1"),
                _m("c", "1_3ecbplus", "flood", {"riverton"}, "g2"),
                _m("d", "1_1ecb", "rescue", {"crew"}, "g3")]
    out = predict(docs, mentions, HashEmbedder(), doc_threshold=0.3, parts=True)
    # the two harbourtown reports form one group, the riverton one another
    assert {frozenset(g) for g in out["documents"]} == {frozenset({"1_1ecb", "1_2ecb"}),
                                                       frozenset({"1_3ecbplus"})}
    for name in ("system", "untrained"):
        as_sets = {frozenset(c) for c in out[name]}
        assert frozenset({"a", "b"}) in as_sets, name  # same lemma, same story
        assert frozenset({"c"}) in as_sets, name  # same lemma, another flood
        assert frozenset({"d"}) in as_sets, name  # another act of the same story
    assert {frozenset(c) for c in out["cluster_lemma"]} == {
        frozenset({"a", "b"}), frozenset({"c"}), frozenset({"d"})}
    assert {frozenset(c) for c in out["lemma"]} == {frozenset({"a", "b", "c"}),
                                                   frozenset({"d"})}


def test_document_similarity_reads_names_and_words():
    words = {1: (1, "x")}
    docs = [EcbDoc(f"1_{i}ecb", 1, words, {1: [1]}) for i in range(3)]
    docs[0].names.update({"harbourtown": 1}); docs[0].terms.update({"flood": 2, "rescue": 1})
    docs[1].names.update({"harbourtown": 1}); docs[1].terms.update({"flood": 1, "levee": 1})
    docs[2].names.update({"riverton": 1}); docs[2].terms.update({"election": 1, "vote": 1})
    sims = document_similarities(docs)
    assert sims[0, 1] > 0.5 and sims[0, 2] == 0.0 and sims[1, 2] == 0.0
    assert np.allclose(sims, sims.T) and np.all(np.diag(sims) == 0)


@pytest.mark.slow
def test_dev_topics_score_above_the_lemma_baseline(shared):
    from storyline.eval.corpora.ecbplus import evaluate_ecbplus

    root = shared / "corpora" / "ecbplus"
    if not (root / "ECBplus_coreference_sentences.csv").exists():
        pytest.skip("ECB+ is not in ../shared")
    res = evaluate_ecbplus(root, [2, 5], embedder="hash", parts=True)
    assert res["mentions"] > 100 and res["gold_clusters"] < res["mentions"]
    assert res["system"]["conll_f1"] > res["cluster_lemma"]["conll_f1"]
    assert res["cluster_lemma"]["conll_f1"] >= res["lemma"]["conll_f1"]
    assert 50 < res["untrained"]["conll_f1"] < 100
    assert res["subtopic_lemma"]["conll_f1"] > res["lemma"]["conll_f1"]
    assert 50 < res["system"]["conll_f1"] < 100
    # each topic's documents fall into few groups, mostly one sub-topic each
    groups = res["document_groups"]["documents"]
    assert groups["clusters"] <= 8 and groups["b3"]["f1"] > 80
