"""Linking reads what grows with the corpus through bounded index ranges: the same rows,
the same story choice as the plain forms (never a timing)."""

from __future__ import annotations

import json
import random

import pytest
from link_support import add_article

from storyline.link import HashEmbedder, events, stories, update_links
from storyline.link.common import LinkContext, latest_clusters
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def test_latest_clusters_gives_the_rows_of_the_single_query(store):
    rng = random.Random(5)
    days = [f"2024-{m:02d}-{d:02d}" for m in range(1, 7) for d in (1, 9, 17, 25)]
    with store.write() as conn:
        for _ in range(400):
            start = rng.choice(days + [None] * 8)
            end = None if start is None else max(start, rng.choice(days))
            conn.execute("INSERT INTO clusters (kind, subtype, actor_key, target_key, "
                         "when_start, when_end, updated_at) VALUES (?,?,?,?,?,?,'now')",
                         (rng.choice(["event", "quote"]), rng.choice(["visit", "quote", None]),
                          rng.choice(["a", "b"]), rng.choice(["x", "y", None]), start, end))
    for _ in range(200):
        kind, sub, actor = rng.choice(["event", "quote"]), rng.choice(["visit", "quote"]), \
            rng.choice(["a", "b"])
        where, args = "kind=? AND subtype=? AND actor_key=?", [kind, sub, actor]
        by_target = rng.random() < 0.5
        if by_target:
            target = rng.choice(["x", None])
            where += " AND target_key=?" if target else " AND target_key IS NULL"
            args += [target] if target else []
        span = None
        if rng.random() < 0.8:
            lo = rng.choice(days)
            span = (lo, max(lo, rng.choice(days)))
        limit = rng.choice([1, 5, 50])
        plain = "SELECT id FROM clusters WHERE " + where
        plain_args = list(args)
        if span:
            plain += " AND (when_end IS NULL OR when_end >= ?) AND (when_start IS NULL OR " \
                     "when_start <= ?)"
            plain_args += list(span)
        want = [r[0] for r in store.conn.execute(plain + " ORDER BY id DESC LIMIT ?",
                                                 [*plain_args, limit])]
        ctx = LinkContext(store, HashEmbedder())
        got = [r["id"] for r in latest_clusters(ctx, "SELECT id FROM clusters", where, args,
                                                span, by_target=by_target, limit=limit)]
        assert got == want


def _best_of_all(ctx, prof, proposals):
    """The story choice by scoring every candidate (what `assign_story` must agree with)."""
    best = None
    n = max(1, prof.n_claims)
    rows = {}
    for sid in sorted(stories.candidate_stories(ctx, prof, proposals)):
        row = ctx.conn.execute("SELECT first_date, last_date, profile_json FROM stories "
                               "WHERE id=?", (sid,)).fetchone()
        if row is not None:
            rows[sid] = {"first_date": row[0], "last_date": row[1],
                         "profile": json.loads(row[2])}
    # undated, each story's words count relative to the best-agreeing candidate's
    words = [stories.word_fit(ctx, prof, row["profile"]) for row in rows.values()
             if stories.undated(prof.date, row["first_date"], row["last_date"])]
    best_words = max((w for w in words if w is not None), default=None)
    for sid, row in rows.items():
        weights = [max((1.0 if m.strong_time else 0.5 for m in ms if sid in m.stories),
                       default=0.0) for ms in proposals.values()]
        evt = sum(weights) / n
        strong = sum(1 for w in weights if w == 1.0) / n
        score, parts = stories.score_story(ctx, prof, row, evt, strong,
                                           events_known=any(proposals.values()),
                                           best_words=best_words)
        if best is None or score > best[0]:
            best = (score, sid, parts)
    return best


class _Undo(Exception):
    pass


TOPICS = [("Belarus sent more tanks to Russia, officials in Minsk said.", ["BLR", "RUS"]),
          ("Rosa Alvarez met officials in Minsk to discuss Belarus.", ["ROSA", "BLR"]),
          ("Seoul said North Korea shipped shells to Russia.", ["KOR", "PRK", "RUS"]),
          ("The Grain Council met in Brazil about exports to Argentina.",
           ["FARM", "BRAZIL", "ARG"])]


def test_the_story_chosen_is_the_best_of_every_candidate(store):
    rng = random.Random(11)
    ids = []
    for i in range(24):
        text, ents = TOPICS[i % len(TOPICS)]
        day = f"2024-{1 + rng.randrange(8):02d}-{1 + rng.randrange(27):02d}"
        ids.append(add_article(store, f"{text} Report {i} of the series.", outlet=f"O{i % 3}",
                               published=day, entities=ents))
        update_links(store, [ids[-1]], embedder=HashEmbedder())
    probes = [(text, ents, day) for text, ents in TOPICS
              for day in ("2024-03-03", "2024-06-20", "2025-05-01", None)]
    joined = created = 0
    for n, (text, ents, day) in enumerate(probes):
        doc_id = add_article(store, f"{text} A later report, number {n}.", published=day,
                             outlet="Probe", entities=ents)
        ctx = LinkContext(store, HashEmbedder())
        prof = stories.doc_profile(ctx, doc_id, store.get_analysis(doc_id))
        proposals = events.propose(ctx, doc_id, [], stories.entity_candidates(ctx, prof))
        want = _best_of_all(ctx, prof, proposals)
        try:
            with store.write():
                sid, new, score = stories.assign_story(ctx, prof, proposals)
                raise _Undo
        except _Undo:
            pass
        if want is not None and want[0] >= stories.JOIN_THRESHOLD:
            assert (sid, new, score, prof.parts) == (want[1], False, want[0], want[2])
            joined += 1
        else:
            assert new
            created += 1
    assert joined and created  # both paths were exercised
