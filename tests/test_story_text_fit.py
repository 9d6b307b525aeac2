"""The text part of a story's fit (link/stories.text_fit), on vectors built for the test."""

from __future__ import annotations

import numpy as np

from storyline.link.embed import E5Embedder
from storyline.link.stories import text_fit


class Scale:  # the e5 calibration, without loading the model
    related_floor = E5Embedder.related_floor
    related_ceiling = E5Embedder.related_ceiling


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def news_like(rng: np.random.Generator, n: int, base: np.ndarray, topic: np.ndarray | None,
              spread: float) -> np.ndarray:
    """Unit vectors that all lean on `base` (what every news lead shares), on `topic` when
    given, and on their own noise."""
    rows = []
    for _ in range(n):
        v = 2.5 * base + (0.8 * topic if topic is not None else 0) + \
            spread * rng.normal(size=base.shape) / np.sqrt(base.size)
        rows.append(unit(v))
    return np.array(rows)


def test_a_large_story_does_not_take_every_news_article_through_its_centroid():
    rng = np.random.default_rng(7)
    dim = 384
    base = unit(rng.normal(size=dim))
    topic = unit(rng.normal(size=dim))
    other = unit(rng.normal(size=dim))
    members = news_like(rng, 32, base, topic, 1.0)  # e5-like: pairs at about 0.88
    total = members.sum(axis=0)
    insider = news_like(rng, 1, base, topic, 1.0)[0]
    outsider = news_like(rng, 1, base, other, 1.0)[0]  # another story: about 0.80 to each
    # the cosine to the normalised centroid is inflated for any news article: read on the
    # embedder's scale, the outsider would be half related
    mean_cos = float(outsider @ total) / len(members)
    assert float(outsider @ unit(total)) > mean_cos + 0.03
    fit_in = text_fit(Scale, insider, total, len(members))
    fit_out = text_fit(Scale, outsider, total, len(members))
    assert fit_in > 0.8 and fit_out < 0.3 and fit_in - fit_out > 0.5


def test_a_story_of_one_member_reads_the_pair_on_the_embedders_scale():
    rng = np.random.default_rng(3)
    a = unit(rng.normal(size=16))
    assert text_fit(Scale, a, a.copy(), 1) == 1.0
    assert text_fit(Scale, a, np.zeros(16), 0) == 0.0
