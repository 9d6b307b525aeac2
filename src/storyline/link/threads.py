"""Threads: where a story branches.

A story that runs for months branches: an oil spill becomes the leak, the cap, the
compensation fund and the hearings; a war its fronts, its talks and its sanctions. A
thread is a group of the story's articles that follow one branch. Threads are read from
what linking stored, when asked, so they follow every relink and correction and keep no
state of their own:

- names (weight W_NAMES): the cosine of two articles' named entities, each weighted by its
  mentions and an IDF from `entity_counts` (a name every article of the story uses says
  little about the branch, so the story's own share of a name lowers it too);
- text (W_TEXT): the stored vectors of their title and lead (those linking embedded), on
  the embedder's own scale (`relatedness`); where either has none, names decide alone;
- events: two articles that report one merged event are in one branch at least as much as
  SHARED_EVENT says;

then average-link clustering until no two groups are closer than THRESHOLD (chosen on the
ECB+ train topics' sub-topics, see `scripts/eval_threads.py`; never on its dev topics).
An article alone in its group belongs to no thread (`unthreaded`): a branch is followed by
two reports at least. Each thread is labelled by the names that set it apart from the rest
of the story and its most reported kind of event, with its period and its documents.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..store import Store
from .common import LinkContext, parse_day
from .embed import E5Embedder, HashEmbedder, relatedness
from .queries import _story_row

W_NAMES, W_TEXT = 0.55, 0.45
SHARED_EVENT = 0.6
THRESHOLD = 0.05  # chosen on the ECB+ train topics (scripts/eval_threads.py), B3 F1 0.846
MIN_DOCS = 4  # a story of fewer articles has no branches worth drawing
MAX_DOCS = 600  # beyond this, the latest articles are threaded (the clustering is cubic)
LABEL_NAMES = 3
_SPACES = {f"{cls.name}/{dim}": cls for cls, dim in ((E5Embedder, 384), (HashEmbedder, 2048))}


@dataclass
class Thread:
    """One branch of a story."""

    label: str
    names: list[str]
    subtype: str | None
    first_date: str | None
    last_date: str | None
    documents: list[str]
    cohesion: float  # mean similarity of its articles' pairs (0..1)
    events: list[int] = field(default_factory=list)  # merged events its articles report

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["n_documents"] = len(self.documents)
        return out


@dataclass
class _Doc:
    doc_id: str
    date: dt.date | None
    names: Counter[str]
    clusters: set[int]
    subtypes: Counter[str]
    vec: np.ndarray | None = None


def _documents(store: Store, doc_ids: list[str]) -> list[_Doc]:
    marks = ",".join("?" * len(doc_ids))
    rows = store.conn.execute(
        f"SELECT id, published, published_inferred FROM documents WHERE id IN ({marks})",
        doc_ids).fetchall()
    dates = {r["id"]: parse_day(r["published"] or r["published_inferred"]) for r in rows}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for r in store.conn.execute(
            f"SELECT doc_id, entity_key, count(*) AS n FROM entity_mentions "
            f"WHERE doc_id IN ({marks}) GROUP BY doc_id, entity_key", doc_ids):
        names[r["doc_id"]][r["entity_key"]] = int(r["n"])
    clusters: dict[str, set[int]] = defaultdict(set)
    for r in store.conn.execute(
            f"SELECT cm.doc_id, cm.cluster_id FROM cluster_members cm JOIN clusters c "
            f"ON c.id = cm.cluster_id AND c.kind = 'event' WHERE cm.doc_id IN ({marks})",
            doc_ids):
        clusters[r["doc_id"]].add(int(r["cluster_id"]))
    subtypes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in store.conn.execute(
            f"SELECT doc_id, subtype FROM events WHERE doc_id IN ({marks}) "
            f"AND subtype IS NOT NULL AND subtype != 'denial'", doc_ids):
        subtypes[r["doc_id"]][r["subtype"]] += 1
    return [_Doc(d, dates.get(d), names[d], clusters[d], subtypes[d])
            for d in doc_ids if d in dates]


def _attach_vectors(store: Store, docs: list[_Doc]) -> Any:
    """The stored lead vectors, from the vector space that holds most of them (nothing is
    embedded here: a read never writes); the embedder class of that space, or None."""
    from .stories import doc_text_for_embedding

    ctx = LinkContext(store, None)  # type: ignore[arg-type] - only its document caches
    texts = {d.doc_id: doc_text_for_embedding(ctx, d.doc_id) for d in docs}
    best: tuple[int, str | None, dict[str, bytes]] = (0, None, {})
    for space in _SPACES:
        got = store.get_vectors(space, list(set(texts.values())))
        if len(got) > best[0]:
            best = (len(got), space, got)
    _, space, got = best
    if space is None:
        return None
    size = 4 * int(space.split("/")[1])
    for d in docs:
        b = got.get(texts[d.doc_id])
        if b is not None and len(b) == size:
            d.vec = np.frombuffer(b, dtype="<f4")
    return _SPACES[space]


def similarities(store: Store, docs: list[_Doc]) -> np.ndarray:
    """The articles' pairwise similarity (0..1), as the module docstring says."""
    n = len(docs)
    from .stories import corpus_size, idf

    keys = sorted({k for d in docs for k in d.names})
    index = {k: i for i, k in enumerate(keys)}
    ctx = LinkContext(store, None)  # type: ignore[arg-type] - only its IDF cache
    n_corpus = corpus_size(ctx)
    # a name most of the story's articles use marks no branch
    share = Counter(k for d in docs for k in d.names)
    weights = np.array([idf(ctx, k, n_corpus) * max(0.0, 1.0 - share[k] / n) for k in keys], dtype=np.float64)
    mat = np.zeros((n, len(keys)), dtype=np.float64)
    for i, d in enumerate(docs):
        for k, c in d.names.items():
            mat[i, index[k]] = (1.0 + math.log(c)) * weights[index[k]]
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    mat /= norms
    names = mat @ mat.T
    embedder = _attach_vectors(store, docs)
    sim = names.copy()
    if embedder is not None:
        have = [i for i, d in enumerate(docs) if d.vec is not None]
        if len(have) > 1:
            vecs = np.stack([docs[i].vec for i in have]).astype(np.float64)
            cos = vecs @ vecs.T
            text = relatedness(embedder, cos)
            sub = np.ix_(have, have)
            sim[sub] = W_NAMES * names[sub] + W_TEXT * text
    clusters = sorted({c for d in docs for c in d.clusters})
    if clusters:  # articles that report one merged event: document x event incidence
        col = {c: k for k, c in enumerate(clusters)}
        reports = np.zeros((n, len(clusters)))
        for i, d in enumerate(docs):
            reports[i, [col[c] for c in d.clusters]] = 1.0
        sim = np.where(reports @ reports.T > 0, np.maximum(sim, SHARED_EVENT), sim)
    np.fill_diagonal(sim, 1.0)
    return sim


def average_link(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Groups of indices: the two closest groups (mean pairwise similarity) merge until no
    two are closer than `threshold`."""
    groups: list[list[int]] = [[i] for i in range(len(sim))]
    total = sim.astype(np.float64).copy()  # sum of pairwise similarities between groups
    np.fill_diagonal(total, -np.inf)
    sizes = np.ones(len(sim))
    alive = np.ones(len(sim), dtype=bool)
    while alive.sum() > 1:
        mean = total / np.outer(sizes, sizes)
        mean[~alive, :] = -np.inf
        mean[:, ~alive] = -np.inf
        i, j = np.unravel_index(int(np.argmax(mean)), mean.shape)
        if mean[i, j] < threshold:
            break
        groups[i] += groups[j]
        groups[j] = []
        total[i, :] += total[j, :]
        total[:, i] += total[:, j]
        total[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
    return [sorted(g) for g in groups if g]


def _label(store: Store, members: list[_Doc], docs: list[_Doc]) -> tuple[str, list[str],
                                                                         str | None]:
    """The names that set the thread apart (used by many of its articles, few others), and
    its most reported kind of event."""
    inside = Counter(k for d in members for k in d.names)
    outside = Counter(k for d in docs if d not in members for k in d.names)
    n_in, n_out = len(members), max(1, len(docs) - len(members))
    score = {k: c / n_in - outside[k] / n_out for k, c in inside.items() if c > 1 or n_in == 1}
    top = [k for k, s in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])) if s > 0]
    names: list[str] = []
    for key in top:
        row = store.conn.execute("SELECT name FROM entities WHERE key=?", (key,)).fetchone()
        name = row["name"] if row else key
        # one name once: "Paulson" beside "Henry Paulson", "Organisation" beside "Organization"
        if not any(_same_name(name, other) for other in names):
            names.append(name)
        if len(names) == LABEL_NAMES:
            break
    subtypes = Counter()
    for d in members:
        subtypes.update(d.subtypes)
    subtype = subtypes.most_common(1)[0][0] if subtypes else None
    parts = list(names)
    if subtype:
        parts.append(subtype.replace("_", " "))
    return (" · ".join(parts) or "other reports"), names, subtype


def _same_name(a: str, b: str) -> bool:
    """Two labels of one name: equal, one inside the other, or spelt alike (z/s, case)."""
    x, y = (set(n.lower().replace("z", "s").split()) for n in (a, b))
    return bool(x and y) and (x <= y or y <= x)


def thread_documents(store: Store, doc_ids: list[str], threshold: float = THRESHOLD
                     ) -> tuple[list[Thread], list[str]]:
    """The threads of these documents (largest first) and the documents in none."""
    docs = _documents(store, list(dict.fromkeys(doc_ids)))
    if len(docs) < 2:
        return [], [d.doc_id for d in docs]
    sim = similarities(store, docs)
    threads, alone = [], []
    for group in average_link(sim, threshold):
        members = [docs[i] for i in group]
        if len(members) < 2:
            alone.append(members[0].doc_id)
            continue
        sub = sim[np.ix_(group, group)]
        cohesion = float((sub.sum() - len(group)) / (len(group) * (len(group) - 1)))
        label, names, subtype = _label(store, members, docs)
        dates = sorted(d.date for d in members if d.date)
        clusters = Counter(c for d in members for c in d.clusters)
        threads.append(Thread(
            label, names, subtype, dates[0].isoformat() if dates else None,
            dates[-1].isoformat() if dates else None,
            [d.doc_id for d in sorted(members, key=lambda d: (d.date or dt.date.max,
                                                              d.doc_id))],
            round(cohesion, 3), [c for c, k in clusters.most_common() if k > 1]))
    threads.sort(key=lambda t: (-len(t.documents), t.first_date or "9999", t.label))
    return threads, alone


def story_threads(store: Store, story_id: int, threshold: float = THRESHOLD
                  ) -> dict[str, Any]:
    """A story's threads: `{story_id, threads: [...], unthreaded: [doc ids], note}`. A story
    of fewer than MIN_DOCS articles, or one whose articles all follow one branch, has one
    thread or none, and the note says so."""
    _story_row(store, story_id)
    rows = store.conn.execute(
        "SELECT d.id FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
        "WHERE sd.story_id=? ORDER BY coalesce(d.published, d.published_inferred, '') DESC, "
        "d.seq DESC", (story_id,)).fetchall()
    doc_ids = [r["id"] for r in rows]
    out: dict[str, Any] = {"story_id": story_id, "n_documents": len(doc_ids), "threads": [],
                           "unthreaded": []}
    if len(doc_ids) < MIN_DOCS:
        out["unthreaded"] = doc_ids
        out["note"] = f"fewer than {MIN_DOCS} articles: no branches to draw"
        return out
    if len(doc_ids) > MAX_DOCS:
        out["note"] = f"the latest {MAX_DOCS} of {len(doc_ids)} articles are threaded"
        doc_ids = doc_ids[:MAX_DOCS]
    threads, alone = thread_documents(store, doc_ids, threshold)
    out["threads"] = [t.to_dict() for t in threads]
    out["unthreaded"] = alone
    if len(threads) <= 1 and "note" not in out:
        out["note"] = "the story does not branch: its articles follow one line"
    return out
