"""Same statement across documents: one quote reported in different words or languages.

Two quotes are one statement when the speaker is the same (same speaker key) AND either
one is a fragment of the other (its words occur, in order, inside the other: "full
implementation" within "press for the full implementation of all resolutions") or their
meaning agrees: both have four words or more (short fragments embed noisily), each is the
other's closest statement of that speaker in the other's document (a report gives one
statement once: "mutual best"), and their embedding cosine reaches the embedder's
calibrated `same_statement` (one language) or `same_statement_xling_mutual` (two
languages). A quote joins a statement group when it is one statement with a member and
its cosine with every member it is compared with by meaning is within `GROUP_SLACK` of
that bar (a group does not chain statements that are only close to one of its members).

Candidates: the latest 50 quote clusters of that speaker (clusters row kind 'quote', subtype
'quote', actor_key = speaker key) whose dates lie within 30 days (or are unknown), read
through the clusters_span and clusters_actor indexes (`common.latest_clusters`); where a
date is unknown, the story stands for it (`_compatible`; the same words need neither).

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
GROUP_SLACK = 0.02  # every member compared by meaning within this of the bar
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


def verbatim(a: str, b: str) -> bool:
    """The same words, or one quote a fragment of the other."""
    return contained(a, b) or contained(b, a) or (len(tokens(a)) >= 2 and tokens(a) == tokens(b))


def by_meaning(a: str, b: str) -> bool:
    """Whether `same_statement` compares two quote texts by their vectors (neither is a
    fragment of the other, and both are long enough to embed)."""
    return not verbatim(a, b) and word_count(a) >= MIN_WORDS and word_count(b) >= MIN_WORDS


def _bar(ctx: LinkContext, a_doc: str, b_doc: str) -> float:
    """The cosine two quotes of these documents need: one language, or two."""
    la, lb = ctx.doc(a_doc).language, ctx.doc(b_doc).language
    if la and lb and la != lb:
        return getattr(ctx.embedder, "same_statement_xling_mutual",
                       getattr(ctx.embedder, "same_statement_xling", ctx.embedder.same_statement))
    return float(ctx.embedder.same_statement)


def _cosine(ctx: LinkContext, a: str, b: str) -> float:
    vecs = vectors(ctx, [a, b])
    return float(np.dot(vecs[a], vecs[b]))


def same_statement(ctx: LinkContext, a: tuple[str, int, str], b: tuple[str, int, str],
                   peers: tuple[list[str], list[str]] | None = None) -> float | None:
    """A similarity in 0..1 when two quotes (by one speaker) are one statement, else None.
    `peers`: the other quotes of that speaker in a's and in b's document; by meaning, a
    and b must be each other's closest among them (mutual best)."""
    if verbatim(a[2], b[2]):
        return 1.0
    if word_count(a[2]) < MIN_WORDS or word_count(b[2]) < MIN_WORDS:
        return None
    cos = _cosine(ctx, a[2], b[2])
    if cos < _bar(ctx, a[0], b[0]):
        return None
    if peers is not None:
        a_peers, b_peers = peers
        if any(_cosine(ctx, a[2], t) > cos for t in b_peers if t != b[2]) or \
                any(_cosine(ctx, t, b[2]) > cos for t in a_peers if t != a[2]):
            return None
    return cos


def _members(ctx: LinkContext, cluster_id: int) -> list[tuple[str, int, str]]:
    rows = ctx.conn.execute(
        "SELECT q.doc_id, q.idx, q.text FROM cluster_members cm JOIN quotes q "
        "ON q.doc_id = cm.doc_id AND q.idx = CAST(substr(cm.member, 2) AS INTEGER) "
        "WHERE cm.cluster_id=?", (cluster_id,)).fetchall()
    return [(r["doc_id"], r["idx"], r["text"]) for r in rows]


def _peers(ctx: LinkContext, doc_id: str, speaker_key: str) -> list[str]:
    """The texts of a document's quotes by one speaker that are long enough to embed."""
    rows = ctx.conn.execute("SELECT text FROM quotes WHERE doc_id=? AND speaker_key=?",
                            (doc_id, speaker_key)).fetchall()
    return [r["text"] for r in rows if word_count(r["text"]) >= MIN_WORDS]


def _joins(ctx: LinkContext, q: tuple[str, int, str], others: list[tuple[str, int, str]],
           own: list[str], speaker_key: str) -> float | None:
    """The best similarity of a quote with a group's members when it joins the group:
    one statement with a member (mutual best) and close to every member compared by
    meaning; else None."""
    best = None
    for m in others:
        s = same_statement(ctx, q, m, (own, _peers(ctx, m[0], speaker_key)))
        if s is not None and (best is None or s > best):
            best = s
    if best is None:
        return None
    for m in others:
        if by_meaning(q[2], m[2]) and _cosine(ctx, q[2], m[2]) < _bar(ctx, q[0], m[0]) - GROUP_SLACK:
            return None
    return best


def _story(ctx: LinkContext, doc_id: str) -> int | None:
    row = ctx.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                           (doc_id,)).fetchone()
    return None if row is None else int(row[0])


def _compatible(ctx: LinkContext, doc_id: str, others: list[tuple[str, int, str]]) -> bool:
    """Whether a document's quote may join a group with these members: every dated member
    within `WINDOW_DAYS` of the document's date; where a date is unknown (an undated
    page, whose quotes would otherwise meet those of every date), the story stands for it:
    an undated document needs a member in its story, and an undated member must be in it."""
    day = parse_day(ctx.doc(doc_id).date)
    story = _story(ctx, doc_id)
    near = False
    for m in others:
        mday = parse_day(ctx.doc(m[0]).date)
        same = story is not None and _story(ctx, m[0]) == story
        if mday is None and not same:
            return False
        if day is not None and mday is not None and abs((mday - day).days) > WINDOW_DAYS:
            return False
        near = near or same
    return day is not None or near


def _likeness(text: str, others: list[tuple[str, int, str]]) -> float:
    """How close a quote's words are to a group's nearest member (Jaccard of their word
    sets): among groups it is one statement with, the one that words it most alike."""
    mine = set(tokens(text))
    best = 0.0
    for m in others:
        theirs = set(tokens(m[2]))
        if mine | theirs:
            best = max(best, len(mine & theirs) / len(mine | theirs))
    return best


def link_quotes(ctx: LinkContext, doc_id: str, quotes: list[Quote]
                ) -> tuple[list[int], list[int]]:
    """Put each attributed quote of a document in a statement group: (created, joined).

    A document's quotes join groups best match first, each group taking one of them: a
    quote and its own fragment ('the issue a "red line"' and "red line") are each one
    statement with both members of another report, and each goes to the one it repeats
    most closely."""
    created: list[int] = []
    joined: list[int] = []
    day = parse_day(ctx.doc(doc_id).date)
    options: list[tuple[float, float, int, int]] = []  # (similarity, likeness, quote, group)
    for i, q in enumerate(quotes):
        if not q.speaker_key or not q.text:
            continue
        span = None if day is None else ((day - dt.timedelta(days=WINDOW_DAYS)).isoformat(),
                                         (day + dt.timedelta(days=WINDOW_DAYS)).isoformat())
        groups = [(cid, [m for m in _members(ctx, cid) if m[0] != doc_id])
                  for cid in (int(row["id"]) for row in latest_clusters(
                      ctx, "SELECT id FROM clusters",
                      "kind='quote' AND subtype='quote' AND actor_key=?",
                      [q.speaker_key], span, by_target=False))]
        own = [x.text for x in quotes if x.speaker_key == q.speaker_key and x.text and
               word_count(x.text) >= MIN_WORDS]
        # the vectors this quote's comparisons need, read (or embedded) at once
        pairs = [m[2] for _, others in groups for m in others if by_meaning(q.text, m[2])]
        if pairs:
            vectors(ctx, [q.text, *own, *pairs, *(t for d in {m[0] for _, o in groups
                                                              for m in o}
                                                  for t in _peers(ctx, d, q.speaker_key))])
        for cid, others in groups:
            sim = _joins(ctx, (doc_id, i, q.text), others, own, q.speaker_key) \
                if others else None
            if sim is not None and sim < 1.0 and not _compatible(ctx, doc_id, others):
                sim = None  # by meaning only where the dates (or the story) agree
            if sim is not None:
                options.append((sim, _likeness(q.text, others), i, cid))
    choice: dict[int, int] = {}
    taken: set[int] = set()
    for sim, like, i, cid in sorted(options, key=lambda o: (-o[0], -o[1], o[2], o[3])):
        if i not in choice and cid not in taken:
            choice[i] = cid
            taken.add(cid)
    for i, q in enumerate(quotes):
        if not q.speaker_key or not q.text:
            continue
        cid = choice.get(i)
        if cid is None:
            cid = new_cluster(ctx, "quote", "quote")
            created.append(cid)
        else:
            joined.append(cid)
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
