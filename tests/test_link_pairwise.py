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


def test_fit_reaches_the_penalised_likelihood_optimum():
    """Newton's steps end where a general optimiser of the same objective ends: the mean
    log loss on standardised columns plus l2 / 2n times the squared weights (no bias)."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 3)) * [1.0, 5.0, 0.2] + [0.0, 2.0, -1.0]
    y = (x @ [1.0, -0.3, 4.0] + rng.normal(size=300) > -4.0).astype(float)
    model = fit_logistic(x, y, ("a", "b", "c"), l2=2.0)
    xs = np.hstack([np.ones((300, 1)), (x - x.mean(axis=0)) / x.std(axis=0)])

    def objective(w: np.ndarray) -> float:
        z = xs @ w
        return float(np.mean(np.logaddexp(0.0, z) - y * z) + 2.0 * w[1:] @ w[1:] / 600)

    best = minimize(objective, np.zeros(4), method="BFGS", options={"gtol": 1e-10}).x
    assert np.allclose(model.weights, best[1:], atol=1e-4)
    assert model.bias == pytest.approx(best[0], abs=1e-4)


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
                        "arguments": 0.3, "sentence": 0.5, "document": 0.5}.items():
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
