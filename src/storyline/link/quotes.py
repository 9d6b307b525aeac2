"""Same statement across documents: one quote reported in different words or languages.

Two quotes are one statement when the speaker is the same (same speaker key) AND either
their meaning agrees (embedding cosine above the embedder's calibrated `same_statement`, or
`same_statement_xling` for quotes in two languages;
both need four words or more, since short fragments embed noisily) or one is a fragment
of the other (its words occur, in order, inside the other: "full implementation" within
"press for the full implementation of all resolutions").

Candidates: the latest 50 quote clusters of that speaker (clusters row kind 'quote', subtype
'quote', actor_key = speaker key) whose dates lie within 30 days (or are unknown), read
through the clusters_span and clusters_actor indexes (`common.latest_clusters`).

Vectors: a quote is embedded only when it is compared by meaning with another quote of
its speaker (most quotes never are: no other statement group of that speaker lies within
the window), once, and kept in the store's `text_vectors` (`common.vectors`); the stored
vectors of the quotes one new quote is compared with are read in one query. Which quotes were embedded
changes no link: a vector depends on its text alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import Counter

import numpy as np

from ..lang import unspaced
from ..records import Quote
from ..store.db import now
from .clusters import new_cluster
from .common import LinkContext, latest_clusters, parse_day, vectors

WINDOW_DAYS = 30
MIN_WORDS = 4
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STOP = {"the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "we", "i", "it", "is",
         "are", "be", "that", "this", "with", "our", "will", "re", "s", "t", "every", "each",
         "all", "some", "any", "more", "most", "other", "such", "very", "than", "then",
         "also", "from", "have", "been", "were", "they", "them", "their", "what", "which",
         "about", "into", "there", "these", "those", "would", "could", "should", "shall",
         "when", "where", "while", "just", "only", "even", "much", "many", "your", "here"}


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))




@functools.lru_cache(maxsize=4096)  # asked for each pair a quote is compared in
def word_count(text: str) -> int:
    """Words of a quote: tokens, where a run of Chinese or Japanese characters (one token:
    those scripts part no words by spaces) counts a word per two characters, so such a
    quote is not 'too short to embed' for want of spaces. Korean parts words by spaces."""
    n = 0
    for tok in tokens(text):
        cjk = sum(1 for ch in tok if unspaced(ch))
        n += max(1, (cjk + 1) // 2 + (len(tok) - cjk > 0)) if cjk else 1
    return n


def contained(short: str, long: str) -> bool:
    """Whether the words of `short` occur, in order and together, inside `long`."""
    a, b = tokens(short), tokens(long)
    if len(a) < 2 or len(a) >= len(b):
        return False
    if not any(len(w) >= 4 and w not in _STOP for w in a):
        return False
    n = len(a)
    return any(b[i:i + n] == a for i in range(len(b) - n + 1))


def by_meaning(a: str, b: str) -> bool:
    """Whether `same_statement` compares two quote texts by their vectors (neither is a
    fragment of the other, and both are long enough to embed)."""
    return not (contained(a, b) or contained(b, a)) and \
        word_count(a) >= MIN_WORDS and word_count(b) >= MIN_WORDS


def same_statement(ctx: LinkContext, a: tuple[str, int, str], b: tuple[str, int, str]
                   ) -> float | None:
    """A similarity in 0..1 when two quotes (by one speaker) are one statement, else None."""
    if contained(a[2], b[2]) or contained(b[2], a[2]):
        return 1.0
    if word_count(a[2]) < MIN_WORDS or word_count(b[2]) < MIN_WORDS:
        return None
    vecs = vectors(ctx, [a[2], b[2]])
    cos = float(np.dot(vecs[a[2]], vecs[b[2]]))
    la, lb = ctx.doc(a[0]).language, ctx.doc(b[0]).language
    bar = ctx.embedder.same_statement if not (la and lb and la != lb) else getattr(
        ctx.embedder, "same_statement_xling", ctx.embedder.same_statement)
    return cos if cos >= bar else None


def _members(ctx: LinkContext, cluster_id: int) -> list[tuple[str, int, str]]:
    rows = ctx.conn.execute(
        "SELECT q.doc_id, q.idx, q.text FROM cluster_members cm JOIN quotes q "
        "ON q.doc_id = cm.doc_id AND q.idx = CAST(substr(cm.member, 2) AS INTEGER) "
        "WHERE cm.cluster_id=?", (cluster_id,)).fetchall()
    return [(r["doc_id"], r["idx"], r["text"]) for r in rows]


def link_quotes(ctx: LinkContext, doc_id: str, quotes: list[Quote]
                ) -> tuple[list[int], list[int]]:
    """Put each attributed quote of a document in a statement group: (created, joined)."""
    created: list[int] = []
    joined: list[int] = []
    day = parse_day(ctx.doc(doc_id).date)
    taken: set[int] = set()
    for i, q in enumerate(quotes):
        if not q.speaker_key or not q.text:
            continue
        span = None if day is None else ((day - dt.timedelta(days=WINDOW_DAYS)).isoformat(),
                                         (day + dt.timedelta(days=WINDOW_DAYS)).isoformat())
        best: tuple[float, int] | None = None
        groups = [(cid, [m for m in _members(ctx, cid) if m[0] != doc_id])
                  for cid in (int(row["id"]) for row in latest_clusters(
                      ctx, "SELECT id FROM clusters",
                      "kind='quote' AND subtype='quote' AND actor_key=?",
                      [q.speaker_key], span, by_target=False)) if cid not in taken]
        # the vectors this quote's comparisons need, read (or embedded) at once
        pairs = [m[2] for _, others in groups for m in others if by_meaning(q.text, m[2])]
        if pairs:
            vectors(ctx, [q.text, *pairs])
        for cid, others in groups:
            sims = [same_statement(ctx, (doc_id, i, q.text), m) for m in others]
            sims_ok = [s for s in sims if s is not None]
            if others and sims_ok and (best is None or max(sims_ok) > best[0]):
                best = (max(sims_ok), cid)
        if best is None:
            cid = new_cluster(ctx, "quote", "quote")
            created.append(cid)
        else:
            cid = best[1]
            joined.append(cid)
        taken.add(cid)
        ctx.conn.execute("INSERT INTO cluster_members (cluster_id, doc_id, member) VALUES (?,?,?) "
                         "ON CONFLICT DO NOTHING",
                         (cid, doc_id, f"q{i}"))
    return created, joined


def rebuild_quote_cluster(ctx: LinkContext, cluster_id: int) -> bool:
    """Recompute a statement group from its members; delete it when none is left."""
    rows = ctx.conn.execute(
        "SELECT q.doc_id, q.idx, q.text, q.start, q.end, q.speaker, q.speaker_key "
        "FROM cluster_members cm JOIN quotes q ON q.doc_id = cm.doc_id "
        "AND q.idx = CAST(substr(cm.member, 2) AS INTEGER) WHERE cm.cluster_id=?",
        (cluster_id,)).fetchall()
    if not rows:
        ctx.conn.execute("DELETE FROM cluster_members WHERE cluster_id=?", (cluster_id,))
        ctx.conn.execute("DELETE FROM clusters WHERE id=?", (cluster_id,))
        return False
    members = []
    for r in rows:
        info = ctx.doc(r["doc_id"])
        members.append({"doc_id": r["doc_id"], "quote_idx": r["idx"], "text": r["text"],
                        "start": r["start"], "end": r["end"], "outlet": info.outlet,
                        "published": info.date, "language": info.language,
                        "speaker": r["speaker"]})
    members.sort(key=lambda m: (m["published"] or "9999", ctx.doc(m["doc_id"]).seq,
                                m["quote_idx"]))
    sims = []
    for a in range(len(members)):
        for b in range(a + 1, len(members)):
            ma, mb = members[a], members[b]
            s = same_statement(ctx, (ma["doc_id"], ma["quote_idx"], ma["text"]),
                               (mb["doc_id"], mb["quote_idx"], mb["text"]))
            sims.append(s if s is not None else 0.0)
    speaker_key = rows[0]["speaker_key"]
    speaker = Counter(m["speaker"] for m in members if m["speaker"]).most_common(1)
    dates = [m["published"] for m in members if m["published"]]
    stories = [r[0] for m in members for r in ctx.conn.execute(
        "SELECT story_id FROM story_documents WHERE doc_id=?", (m["doc_id"],)).fetchall()]
    data = {"speaker": speaker[0][0] if speaker else ctx.name_of(speaker_key),
            "speaker_key": speaker_key, "text": members[0]["text"],
            "members": [{k: v for k, v in m.items() if k != "speaker"} for m in members],
            "similarity": round(min(sims), 4) if sims else 1.0,
            "n_members": len(members), "n_documents": len({m["doc_id"] for m in members})}
    ctx.conn.execute(
        "UPDATE clusters SET story_id=?, type='QUOTE', actor_key=?, when_start=?, when_end=?, "
        "json=?, updated_at=? WHERE id=?",
        (Counter(stories).most_common(1)[0][0] if stories else None, speaker_key,
         min(dates) if dates else None, max(dates) if dates else None,
         json.dumps(data, ensure_ascii=False), now(), cluster_id))
    return True
