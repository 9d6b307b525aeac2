"""Stories: the articles about one developing situation.

A document joins the story it fits best, or starts one. The fit (0..1) combines

- entities (0.45): the largest of four readings: how much of the document's entity
  weight is the story's (a name is the story's when a third of its articles use it, or
  three in a small story, so a story that runs for months keeps its names), the evidence
  of the names they share (the sum of their IDFs times the share of the story's articles
  using them, saturating), and the cosine of the document's names with the story's most
  used ones (what the story is mostly about, at any size; COS_FULL counts as a full
  match); in these three each key is weighted by an IDF from the number of documents naming it
  (`entity_counts`, one lookup; counted up to DF_CAP) smoothed by ten unseen documents,
  so a small corpus does not zero out everything; keys every article names weigh little;
  the fourth reading is how much of what the document names the story owns (each name by
  its mentions alone, counted by the share of the other documents naming it that are in
  the story): in a store that follows one subject its name is everywhere and its IDF
  small, but a name that one story's articles use, and few others, is evidence for it;
- merged events (0.30): the share of the document's claims that merge with events the
  story already reports;
- text (0.25): the embedding of title + first paragraph against the story's centroid,
  on the embedder's own scale;

and when none of the document's claims merges with an event anywhere (long articles on
a developing story rarely report an act in the words of an earlier one), the events part
is no evidence either way: entities and text share its weight (0.64 and 0.36);

times a time factor: 1 within two weeks of the story's span, falling to about 0.3 at two
months and 0.1 past three (articles two months apart rarely follow one situation unless
most of their events are shared, which lifts the factor back), and 0.2 for an undated
document (or story) unless shared events or the subject's own content words stand in for
the date (up to 0.85: `undated_words`); and, for a
document none of whose claims merges with the story's events, a series factor on the names
and text parts: for the share of the story's articles that come from the document's own
house (its wire, else its outlet, editions folded), they stand only as far as their content
words agree (`series_factor`: the mean cosine of TF-IDF vectors of the words outside names,
IDF from the store's `word_counts`). One agency's statements share their names and their
style whatever each is about, so names and leads cannot tell its subjects apart; words can.
Words are compared within one language only. Where the document or the story has no date,
names and leads cannot tell two episodes of one subject apart (the same two leaders meeting
a year apart), but the subject's own words can: among the candidate stories whose words
can be compared, the names and text parts of each stand as far as its words agree relative
to the best-agreeing one (`episode_factor`; unless a claim merges on a precise time). Only
relative: two reports of one event in one language may share few words (Chinese in two
scripts), so no absolute bar is asked. The document joins when the fit reaches
JOIN_THRESHOLD.

Candidate stories come from the stories of candidate merged events and from the stories of
documents naming the document's rarest and most used entities among those other documents
also name (a bounded number per key), so a new
article costs the same however large the corpus is; of those, only the stories whose
dates let them reach the best fit are scored (`assign_story`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..lang.terms import content_words
from ..records import Analysis
from ..store.db import now
from .common import LinkContext, first_paragraph, parse_day, vectors
from .embed import relatedness
from .events import Match
from .sources import outlet_house

JOIN_THRESHOLD = 0.30
W_ENTITIES, W_EVENTS, W_TEXT = 0.45, 0.30, 0.25
IDF_PRIOR_DOCS = 10
DF_CAP = 2000
RARE_KEYS = 8
SALIENT_KEYS = 8
# checked on timeline17-dev (finan and h1n1 in one store: stories per topic and mixed
# stories) and the seed and example keys' same_story links; see scripts/eval_t17.py
TYPICAL_DOCS = 3
TYPICAL_SHARE = 0.33
COS_FULL = 0.3
LOOSE_CEILING = 0.25  # the least fit a loose story's text asks, on the embedder's scale
STORY_KEYS = 100
MASS_SCALE = 6.0
SMALL_STORY = 3  # a story this small, once a batch is linked, may fold into a larger one
# a larger thread folds only where its content words are as close to the story's as the
# story's own members are to each other (this share of their mean pairwise cosine), read
# over at most THREAD_WORDS_DOCS members of each (the latest)
THREAD_WORDS_SHARE = 0.8
THREAD_WORDS_DOCS = 200
THREAD_SWEEPS = 3  # a thread that could not fold may once another has grown its story
DOCS_PER_KEY = 50
WORDS_PER_DOC = 100  # a document's content words: its most telling ones by TF-IDF
STORY_WORDS = 600  # a story keeps the sum of its members' word vectors over this many
# a series of one house's articles (an agency's statements) shares its names and its style
# whatever each is about: there, content words must agree as well (mean cosine with the
# members, counted fully from SERIES_WORDS_FULL; checked on the three real-news keys: 0.1
# splits the ten statements of one story in realnews3, 0.04 leaves realnews's statements on
# different subjects in one story)
SERIES_WORDS_FULL = 0.07
# where the document or the story has no date, content words stand in for time: between
# articles on different subjects of one outlet the mean cosine stays below the floor, on one
# subject it reaches the full value (checked on the three real-news keys' undated BBC
# articles: 0.01-0.10 across subjects, 0.23-0.62 within one)
UNDATED_WORDS_FLOOR = 0.12
UNDATED_WORDS_FULL = 0.2
# where a date is missing, a candidate story whose words agree least with the document keeps
# this much of its names and text parts (`episode_factor`): half, so words choose between
# episodes without overruling names and lead on their own
EPISODE_FLOOR = 0.5


@dataclass
class DocProfile:
    """What a document brings to story matching."""

    doc_id: str
    date: dt.date | None
    keys: dict[str, int]
    idf: dict[str, float]
    vec: np.ndarray | None  # the lead's vector, None until a score needs it (`doc_vector`)
    n_claims: int = 0
    parts: dict[str, float] = field(default_factory=dict)
    entity_stories: set[int] | None = None  # `entity_candidates`, once read
    words: dict[str, float] | None = None  # unit TF-IDF vector of content words (`doc_words`)


def idf(ctx: LinkContext, key: str, n_docs: int) -> float:
    cache = ctx.idf
    if key not in cache:
        ctx.df[key] = ctx.store.entity_document_count(key)
        df = min(DF_CAP, ctx.df[key])
        cache[key] = math.log((n_docs + IDF_PRIOR_DOCS) / (df + 1))
    return cache[key]


def corpus_size(ctx: LinkContext) -> int:
    """Number of documents (the largest sequence number: O(1), close enough for an IDF)."""
    return int(ctx.conn.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0])


def doc_text_for_embedding(ctx: LinkContext, doc_id: str) -> str:
    info = ctx.doc(doc_id)
    lead = first_paragraph(ctx.text(doc_id))
    if not info.title:
        return lead
    if lead.startswith(info.title):  # the cleaned text often opens with the headline
        lead = lead[len(info.title):].lstrip(" .")
    return f"{info.title}. {lead}"


def doc_profile(ctx: LinkContext, doc_id: str, analysis: Analysis) -> DocProfile:
    keys: Counter[str] = Counter()
    for ent in analysis.entities:
        keys[ent.key] += max(1, len(ent.mentions))
    n = corpus_size(ctx)
    weights = {k: idf(ctx, k, n) for k in keys}
    n_claims = sum(1 for ev in analysis.events if ev.subtype != "denial")
    return DocProfile(doc_id, parse_day(ctx.doc(doc_id).date), dict(keys), weights, None,
                      n_claims)


def doc_vector(ctx: LinkContext, prof: DocProfile) -> np.ndarray:
    """The vector of the document's title and lead, embedded (or read) when first needed:
    a document that no story is scored against (an undated one without merged events
    cannot reach JOIN_THRESHOLD) and whose story is never scored needs none."""
    if prof.vec is None:
        text = doc_text_for_embedding(ctx, prof.doc_id)
        prof.vec = vectors(ctx, [text])[text]
    return prof.vec


def word_language(ctx: LinkContext, doc_id: str) -> str:
    """The language a document's words are compared in ('xx' when unknown)."""
    return (ctx.doc(doc_id).language or "xx").lower().replace("_", "-").split("-")[0]


def text_without_names(ctx: LinkContext, doc_id: str) -> str:
    """The document's text with its entity mentions blanked: the entity part weighs names
    already; the words say what the text is about beyond them."""
    chars = list(ctx.text(doc_id))
    for start, end in ctx.conn.execute("SELECT start, end FROM entity_mentions WHERE doc_id=?",
                                       (doc_id,)).fetchall():
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def doc_words(ctx: LinkContext, prof: DocProfile) -> dict[str, float]:
    """The document's WORDS_PER_DOC most telling content words outside its names (count
    damped by a log, times the word's IDF from `word_counts`, smoothed as an entity's), as
    a unit vector; computed when first needed."""
    if prof.words is None:
        counts = content_words(text_without_names(ctx, prof.doc_id),
                               ctx.doc(prof.doc_id).language)
        missing = [w for w in counts if w not in ctx.word_idf]
        if missing:
            n = corpus_size(ctx)
            for w, df in ctx.store.word_document_counts(missing).items():
                ctx.word_idf[w] = math.log((n + IDF_PRIOR_DOCS) / (min(df, DF_CAP) + 1))
        weights = {w: ctx.word_idf[w] * (1.0 + math.log(c)) for w, c in counts.items()}
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:WORDS_PER_DOC]
        norm = math.sqrt(sum(v * v for _, v in top))
        prof.words = {w: v / norm for w, v in top} if norm else {}
    return prof.words


def word_fit(ctx: LinkContext, prof: DocProfile, p: dict[str, Any]) -> float | None:
    """The mean cosine of the document's content words with those of the story's members
    in its language (from their summed vectors); None when no member shares its language
    (words say nothing across languages)."""
    by_language = p.get("words")
    entry = by_language.get(word_language(ctx, prof.doc_id)) if by_language else None
    if not entry or not entry.get("n"):
        return None
    total = entry.get("sum", {})
    return sum(x * total.get(w, 0.0) for w, x in doc_words(ctx, prof).items()) / entry["n"]


def house(ctx: LinkContext, doc_id: str) -> str | None:
    """The house whose voice the document is (its wire, else its outlet), None if unknown."""
    voice = ctx.doc(doc_id).voice
    return outlet_house(voice) or None if voice else None


def series_factor(ctx: LinkContext, prof: DocProfile, p: dict[str, Any],
                  words: float | None) -> float:
    """How far the names and text parts of a story's fit stand (0..1): 1 unless the
    story's articles come from the document's own house; for the share of them that do, as
    far as content words agree (names and style shared by one house's series are no
    evidence of one subject)."""
    n = int(p.get("n_documents", 0))
    h = house(ctx, prof.doc_id) if words is not None and n else None
    if words is None or not h:
        return 1.0
    share = min(1.0, (p.get("houses") or {}).get(h, 0) / n)
    agree = min(1.0, max(0.0, words / SERIES_WORDS_FULL))
    return 1.0 - share + share * agree


def _fold_words(p: dict[str, Any], lang: str, vec: dict[str, float]) -> None:
    """Add a member's word vector to the story's sum for its language (the STORY_WORDS
    largest entries kept)."""
    entry = p.setdefault("words", {}).setdefault(lang, {"sum": {}, "n": 0})
    total = entry["sum"]
    for w, x in vec.items():
        total[w] = total.get(w, 0.0) + x
    if len(total) > STORY_WORDS:
        total = dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:STORY_WORDS])
    entry["sum"] = {w: round(x, 4) for w, x in total.items()}
    entry["n"] += 1


def _fold(vec_sum: list[float] | None, vec: np.ndarray) -> list[float]:
    """A story's sum of member vectors with one more member (5 decimals, as stored)."""
    base = np.asarray(vec_sum, dtype=np.float64) if vec_sum else np.zeros(len(vec))
    return [round(float(x), 5) for x in base + vec]


def vec_sum(ctx: LinkContext, story_id: int | None, p: dict[str, Any]) -> list[float] | None:
    """The story's sum of member vectors, folding in the members whose vectors were not
    needed when they joined (`vec_pending`, in the order they joined: the same sum as
    folding each when it joined); written back when `story_id` is given."""
    pending = p.get("vec_pending")
    if pending:
        texts = [doc_text_for_embedding(ctx, d) for d in pending]
        by_text = vectors(ctx, texts)
        for t in texts:
            p["vec_sum"] = _fold(p.get("vec_sum"), by_text[t])
        del p["vec_pending"]
        if story_id is not None:
            ctx.conn.execute("UPDATE stories SET profile_json=? WHERE id=?",
                             (json.dumps(p), story_id))
    return p.get("vec_sum")


def undated_words(words: float | None) -> float:
    """How far content words stand in for time where a date is missing (0..1): nothing up
    to UNDATED_WORDS_FLOOR (what articles on different subjects of one outlet share),
    fully from UNDATED_WORDS_FULL (the subject's own words: the ship, the embargo, the
    detainees)."""
    if words is None:
        return 0.0
    return min(1.0, max(0.0, (words - UNDATED_WORDS_FLOOR) /
                        (UNDATED_WORDS_FULL - UNDATED_WORDS_FLOOR)))


def undated(date: dt.date | None, first: str | None, last: str | None) -> bool:
    """Whether a document's date cannot be compared with a story's span."""
    return date is None or parse_day(first) is None or parse_day(last) is None


def episode_factor(words: float | None, best: float | None) -> float:
    """How far an undated document's names and lead stand for a story (EPISODE_FLOOR..1):
    its content words' agreement with the story relative to the best agreement among the
    candidate stories; 1 when words cannot be compared (no member in its language)."""
    if words is None or not best or best <= 0:
        return 1.0
    return EPISODE_FLOOR + (1.0 - EPISODE_FLOOR) * min(1.0, max(0.0, words / best))


def time_factor(date: dt.date | None, first: str | None, last: str | None, evt: float,
                strong: float = 0.0, words: float | None = None) -> float:
    lo, hi = parse_day(first), parse_day(last)
    if date is None or lo is None or hi is None:
        # no date to compare: only shared events, or the subject's own words, can stand in
        # for time (articles on one subject months apart read alike in their names and
        # leads; a report whose events were missed still names what happened in its words)
        return 0.2 + 0.65 * min(1.0, max(evt / 0.4, undated_words(words)))
    gap = max(0, (lo - date).days, (date - hi).days)
    if gap <= 14:
        f = 1.0
    elif gap <= 45:
        f = 1.0 - 0.6 * (gap - 14) / 31
    elif gap <= 90:
        f = 0.4 - 0.25 * (gap - 45) / 45
    else:
        f = 0.1
    # most of the document's events already in the story, with agreeing dates: one
    # situation, even months later
    return max(f, strong) if strong >= 0.5 else f


def _profile(row: Any) -> dict[str, Any]:
    return json.loads(row["profile_json"] or "{}")


def entity_cosine(ctx: LinkContext, prof: DocProfile, counts: dict[str, int]) -> float:
    """Cosine of the document's names (IDF x (1 + log mentions)) and the story's (IDF x
    articles naming it) over the story's STORY_KEYS most used names: what the story is
    mostly about, whatever its size."""
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:STORY_KEYS]
    if not top or not prof.keys:
        return 0.0
    n_corpus = corpus_size(ctx)
    story = {k: idf(ctx, k, n_corpus) * c for k, c in top}
    doc = {k: prof.idf[k] * (1.0 + math.log(m)) for k, m in prof.keys.items()}
    dot = sum(v * story.get(k, 0.0) for k, v in doc.items())
    nd = math.sqrt(sum(v * v for v in doc.values()))
    ns = math.sqrt(sum(v * v for v in story.values()))
    return dot / (nd * ns) if nd and ns else 0.0


def text_fit(embedder: Any, vec: np.ndarray, total: np.ndarray, n: int) -> float:
    """How close a document's lead is to a story's leads (0..1), from the sum of the
    story's `n` unit vectors alone.

    The mean cosine to the members (`vec . total / n`) is on the scale of one pair of
    texts; the cosine to the normalised centroid is not: the centroid of many articles
    points at news in general, so any article comes close to a large story's centroid (a
    flu report scored 0.65-0.77 against the centroid of 32 financial-crisis articles and
    joined them). The mean cosine is read against what the members themselves reach: their
    mean pairwise cosine, `(|total|^2 - n) / (n (n - 1))`. A document as close to the
    members as they are to each other (or as close as the middle of the embedder's scale,
    for a loose story) fits fully; one at the embedder's unrelated floor not at all. A story of one member is read on the embedder's own scale (`relatedness`)."""
    if n <= 0 or not float(np.linalg.norm(total)):
        return 0.0
    mean_cos = float(np.dot(np.asarray(vec, dtype=np.float64), total)) / n
    if n == 1:
        return relatedness(embedder, mean_cos)
    cohesion = (float(np.dot(total, total)) - n) / (n * (n - 1))
    floor, top = embedder.related_floor, embedder.related_ceiling
    # never below the middle of the scale: a loose story is not joined on a faint likeness
    ceiling = min(top, max(cohesion, floor + LOOSE_CEILING * (top - floor)))
    return float(min(1.0, max(0.0, (mean_cos - floor) / (ceiling - floor))))


def part_weights(events_known: bool) -> tuple[float, float, float]:
    """The weights of entities, events and text; without event evidence (none of the
    document's claims merges with an event anywhere) entities and text share it all."""
    if events_known:
        return W_ENTITIES, W_EVENTS, W_TEXT
    rest = W_ENTITIES + W_TEXT
    return W_ENTITIES / rest, 0.0, W_TEXT / rest


def score_story(ctx: LinkContext, prof: DocProfile, row: Any, evt: float,
                strong: float = 0.0, events_known: bool = True,
                best_words: float | None = None) -> tuple[float, dict]:
    """The fit of a document to a story (0..1) and its parts. `best_words`: where the
    date is missing, the best content-word agreement among the candidate stories."""
    p = row["profile"]
    n = max(1, int(p.get("n_documents", 0)))
    counts = p.get("entity_keys", {})
    total = shared = mass = own = own_total = 0.0
    for k, mentions in prof.keys.items():
        # how much of what the document names the story owns: of the other documents
        # naming each name, the share in the story (a name that one story's articles use,
        # and few others, is evidence for it however common it is in the store)
        others = ctx.df.get(k, 0) - 1
        own_total += 1.0 + math.log(mentions)
        if others > 0:
            own += (1.0 + math.log(mentions)) * min(1.0, counts.get(k, 0) / others)
        w = prof.idf[k] * (1.0 + math.log(mentions))
        # a name is the story's when its articles keep using it: TYPICAL_SHARE of them,
        # and TYPICAL_DOCS suffice in a small story, so a story that runs for months does
        # not dilute its own names
        typical = min(1.0, counts.get(k, 0) / max(min(n, TYPICAL_DOCS), TYPICAL_SHARE * n))
        total += w
        shared += w * typical
        # the evidence of shared names counts each by the share of the story's articles
        # that use it: a long story has used many places once or twice
        mass += prof.idf[k] * min(1.0, counts.get(k, 0) / n)
    # the share of the document's names the story uses, or the evidence of the rare names
    # they share (each shared name counts its IDF; saturating), whichever is stronger: an
    # article that names many other things still belongs with a story it shares a ship,
    # a port and an agency with
    # or how close the document's names are to what the story is mostly about (a cosine
    # that does not fall as the story grows; COS_FULL of it counts as a full match)
    ent = max(shared / total if total else 0.0, 1.0 - math.exp(-mass / MASS_SCALE),
              min(1.0, entity_cosine(ctx, prof, counts) / COS_FULL),
              own / own_total if own_total else 0.0)
    txt = 0.0
    if p.get("embedder") == ctx.embedder.name and (p.get("vec_sum") or p.get("vec_pending")):
        total_vec = np.asarray(vec_sum(ctx, row.get("id"), p), dtype=np.float64)
        txt = text_fit(ctx.embedder, doc_vector(ctx, prof), total_vec, int(p.get("n_vec", 0)))
    words = word_fit(ctx, prof, p)
    tf = time_factor(prof.date, row["first_date"], row["last_date"], evt, strong, words)
    w_ent, w_evt, w_txt = part_weights(events_known)
    # a claim merging with the story's events says one subject: nothing to discount
    series = 1.0 if evt else series_factor(ctx, prof, p, words)
    if strong < 0.5 and undated(prof.date, row["first_date"], row["last_date"]):
        # undated, names and lead do not tell which episode of a subject a report is (a
        # claim merged on a precise time does)
        series *= episode_factor(words, best_words)
    # one house's names and style say nothing of its subject; events it shares do
    score = tf * (w_evt * evt + series * (w_ent * ent + w_txt * txt))
    return score, {"entities": round(ent, 3), "events": round(evt, 3), "text": round(txt, 3),
                   "words": None if words is None else round(words, 3),
                   "series": round(series, 3),
                   "time": round(tf, 3), "score": round(score, 3)}


def entity_candidates(ctx: LinkContext, prof: DocProfile) -> set[int]:
    """Stories of documents that name the document's rarest entities (bounded per key);
    read once per document (the links do not change between its two uses)."""
    if prof.entity_stories is not None:
        return set(prof.entity_stories)
    out: set[int] = set()
    # a name no other document uses finds nothing: look up the names others share, the
    # rarest ones and those the document leans on most (a long article's rarest names are
    # mostly its own)
    shared = [k for k in prof.keys if ctx.store.entity_document_count(k) >= 2]
    rare = sorted(shared, key=lambda k: (-prof.idf[k], k))[:RARE_KEYS]
    salient = sorted(shared, key=lambda k: (-prof.idf[k] * (1.0 + math.log(prof.keys[k])), k))
    for key in dict.fromkeys(rare + salient[:SALIENT_KEYS]):
        # the latest mentions (entity_mentions_recent keeps a key's rows in insertion
        # order): an arbitrary LIMIT would pick documents by id hash, mostly old ones
        rows = ctx.conn.execute(
            "SELECT DISTINCT sd.story_id FROM (SELECT doc_id FROM entity_mentions "
            "INDEXED BY entity_mentions_recent WHERE entity_key=? AND doc_id<>? "
            "ORDER BY rowid DESC LIMIT ?) em JOIN story_documents sd ON sd.doc_id = em.doc_id",
            (key, prof.doc_id, 3 * DOCS_PER_KEY)).fetchall()
        out |= {r[0] for r in rows}
    prof.entity_stories = set(out)
    return out


def candidate_stories(ctx: LinkContext, prof: DocProfile,
                      proposals: dict[str, list[Match]]) -> set[int]:
    out = entity_candidates(ctx, prof)
    for matches in proposals.values():
        for m in matches:
            out |= m.stories
    return out


def _spans(ctx: LinkContext, story_ids: list[int]) -> dict[int, tuple[str | None, str | None]]:
    """(first_date, last_date) of existing stories, read in batches (not their profiles)."""
    out: dict[int, tuple[str | None, str | None]] = {}
    for i in range(0, len(story_ids), 500):
        chunk = story_ids[i:i + 500]
        for r in ctx.conn.execute("SELECT id, first_date, last_date FROM stories WHERE id IN "
                                  f"({','.join('?' * len(chunk))})", chunk).fetchall():
            out[int(r[0])] = (r[1], r[2])
    return out


def _story_row(ctx: LinkContext, sid: int) -> dict[str, Any] | None:
    """A story's dates and parsed profile, read once per linking context."""
    row = ctx.story_rows.get(sid)
    if row is None:
        found = ctx.conn.execute("SELECT id, first_date, last_date, profile_json FROM "
                                 "stories WHERE id=?", (sid,)).fetchone()
        if found is None:
            return None
        row = {"id": sid, "first_date": found["first_date"], "last_date": found["last_date"],
               "profile": _profile(found)}
        ctx.story_rows[sid] = row
    return row


def assign_story(ctx: LinkContext, prof: DocProfile, proposals: dict[str, list[Match]]
                 ) -> tuple[int, bool, float]:
    """The story a document joins (or a new one): (story id, created, fit); see
    `best_story`."""
    sid, score = best_story(ctx, prof, proposals)
    if sid is not None:
        return sid, False, score
    stamp = now()
    cur = ctx.conn.execute("INSERT INTO stories (title, first_date, last_date, created_at, "
                           "updated_at, profile_json) VALUES (?,?,?,?,?,?)",
                           ("(untitled)", None, None, stamp, stamp, "{}"))
    return int(cur.lastrowid), True, 1.0


def best_story(ctx: LinkContext, prof: DocProfile, proposals: dict[str, list[Match]]
               ) -> tuple[int | None, float]:
    """The story a document would join and its fit, or (None, 0.0) when it would start one.

    The best fit of the candidate stories (ties: the lowest id), joined when it reaches
    JOIN_THRESHOLD. A story's fit is at most its time factor times the weights of its parts
    with the entity and text parts at 1, a bound known from its dates and the document's
    merged events alone. Stories are scored highest bound first; scoring stops when no
    remaining bound reaches JOIN_THRESHOLD or the best fit found, so the stories too far in
    time to be joined (most candidates in a large store) cost one batched read of their
    dates, not the parsing of their profiles. The story chosen and its fit are those of
    scoring every candidate; when none can be joined, `prof.parts` is the best fit among
    the stories whose bound reached the threshold ({} if none did).
    """
    cands = sorted(candidate_stories(ctx, prof, proposals))
    events_known = any(proposals.values())
    w_ent, w_evt, w_txt = part_weights(events_known)
    spans = _spans(ctx, [s for s in cands if s not in ctx.story_rows])
    n = max(1, prof.n_claims)
    queue: list[tuple[float, int, float, float]] = []
    best_words: float | None = None
    for sid in cands:
        cached = ctx.story_rows.get(sid)
        if cached is not None:
            first, last = cached["first_date"], cached["last_date"]
        elif sid in spans:
            first, last = spans[sid]
        else:
            continue  # no longer a story
        # a claim that merges with one of the story's events counts 1 when precise times
        # agree, 0.5 otherwise; only the precise ones can excuse a long gap in time
        weights = [max((1.0 if m.strong_time else 0.5 for m in matches if sid in m.stories),
                       default=0.0) for matches in proposals.values()]
        evt = sum(weights) / n
        strong = sum(1 for w in weights if w == 1.0) / n
        words = None
        if undated(prof.date, first, last):
            # no date on one side: the story's words may stand in for it, and tell episodes
            # of one subject apart (read, not embedded)
            row = _story_row(ctx, sid)
            if row is None:
                continue
            words = word_fit(ctx, prof, row["profile"])
            if words is not None and (best_words is None or words > best_words):
                best_words = words
        bound = time_factor(prof.date, first, last, evt, strong, words) * \
            (w_ent + w_evt * evt + w_txt)
        queue.append((bound * (1 + 1e-9) + 1e-12, sid, evt, strong))
    queue.sort(key=lambda q: (-q[0], q[1]))
    best: tuple[float, int, dict] | None = None
    for bound, sid, evt, strong in queue:
        if bound < JOIN_THRESHOLD or (best is not None and bound < best[0]):
            break  # no story left can be joined, or reach the best fit found
        row = _story_row(ctx, sid)
        if row is None:
            continue
        score, parts = score_story(ctx, prof, row, evt, strong, events_known, best_words)
        if best is None or score > best[0] or (score == best[0] and sid < best[1]):
            best = (score, sid, parts)
    if best is not None and best[0] >= JOIN_THRESHOLD:
        prof.parts = best[2]
        return best[1], best[0]
    prof.parts = best[2] if best else {}
    return None, 0.0


def profile_without(ctx: LinkContext, story_id: int, prof: DocProfile
                    ) -> dict[str, Any] | None:
    """A story's row (dates and profile, as `_story_row` gives it) with one of its members
    taken out, computed from the stored profile without writing anything: its names, lead
    vector, content words (the STORY_WORDS kept: a word the member alone brought and that
    was cut stays cut) and house counted once less, its dates those of the other members.
    None when the story is gone or the member is its only one."""
    row = _story_row(ctx, story_id)
    if row is None:
        return None
    p = json.loads(json.dumps(row["profile"]))
    n = int(p.get("n_documents", 0))
    if n < 2:
        return None
    counts = p.setdefault("entity_keys", {})
    for k in prof.keys:
        if counts.get(k, 0) > 1:
            counts[k] -= 1
        else:
            counts.pop(k, None)
    p["n_documents"] = n - 1
    if prof.doc_id in (p.get("vec_pending") or []):
        p["vec_pending"].remove(prof.doc_id)
    elif p.get("vec_sum") is not None and p.get("embedder") == ctx.embedder.name:
        own = doc_vector(ctx, prof)
        p["vec_sum"] = [round(float(x), 5) for x in
                        np.asarray(p["vec_sum"], dtype=np.float64) - own]
    p["n_vec"] = max(0, int(p.get("n_vec", 0)) - 1)
    entry = (p.get("words") or {}).get(word_language(ctx, prof.doc_id))
    if entry and entry.get("n"):
        total = entry["sum"]
        for w, x in doc_words(ctx, prof).items():
            if w in total:
                left = total[w] - x
                if left > 1e-4:
                    total[w] = round(left, 4)
                else:
                    del total[w]
        entry["n"] -= 1
    if (h := house(ctx, prof.doc_id)) and (p.get("houses") or {}).get(h):
        p["houses"][h] -= 1
        if not p["houses"][h]:
            del p["houses"][h]
    first, last = row["first_date"], row["last_date"]
    day = prof.date.isoformat() if prof.date else None
    if day is not None and day in (first, last):
        days = sorted(x for x in (ctx.doc(r[0]).date for r in ctx.conn.execute(
            "SELECT doc_id FROM story_documents WHERE story_id=? AND doc_id<>?",
            (story_id, prof.doc_id))) if x)
        first = days[0] if days else None
        last = days[-1] if days else None
    return {"id": None, "first_date": first, "last_date": last, "profile": p}


def fits_elsewhere(ctx: LinkContext, story_id: int, prof: DocProfile,
                   proposals: dict[str, list[Match]]) -> bool:
    """Whether a member of `story_id`, judged as if it were not in it (`profile_without`),
    would join another story or start one of its own."""
    row = profile_without(ctx, story_id, prof)
    if row is None:
        return False
    saved = ctx.story_rows.get(story_id)
    ctx.story_rows[story_id] = row
    try:
        best, _ = best_story(ctx, prof, proposals)
    finally:
        if saved is None:
            ctx.story_rows.pop(story_id, None)
        else:
            ctx.story_rows[story_id] = saved
    return best != story_id


def thread_fit(ctx: LinkContext, profs: list[DocProfile], sid: int) -> float:
    """How well a small story's documents fit another story `sid`, together: the mean of
    their fits on names and text (events aside, as for a document none of whose claims
    merges), each with its own date against the story's span; 0 unless most of them (more
    than half) would join it on their own (JOIN_THRESHOLD)."""
    row = _story_row(ctx, sid)
    if row is None or not profs:
        return 0.0
    fits = [score_story(ctx, p, row, 0.0, events_known=False)[0] for p in profs]
    if 2 * sum(1 for f in fits if f >= JOIN_THRESHOLD) <= len(fits):
        return 0.0
    return sum(fits) / len(fits)


def _word_sums(ctx: LinkContext, doc_ids: list[str]) -> tuple[dict[str, dict[str, float]],
                                                             dict[str, int], dict[str, float]]:
    """Per language: the sum of the documents' content-word vectors (`doc_words`, whole),
    how many documents, and the sum of their squared norms."""
    sums: dict[str, dict[str, float]] = {}
    n: Counter[str] = Counter()
    sq: dict[str, float] = {}
    for d in doc_ids:
        lang = word_language(ctx, d)
        vec = doc_words(ctx, DocProfile(d, None, {}, {}, None))
        total = sums.setdefault(lang, {})
        for w, x in vec.items():
            total[w] = total.get(w, 0.0) + x
        n[lang] += 1
        sq[lang] = sq.get(lang, 0.0) + sum(x * x for x in vec.values())
    return sums, dict(n), sq


def thread_words_agree(ctx: LinkContext, thread: list[str], story: list[str]) -> bool:
    """Whether a thread's content words are as close to a story's as the story's members
    are to each other: the mean cosine of a thread member's words with a story member's
    (same language) reaches THREAD_WORDS_SHARE of the story's mean pairwise cosine.

    A story that gathers many reports of one long subject (a war, told in battles, an
    inquiry, an election) is loose in its words, and a thread of it is about as close to
    it as its members are to each other; two series of one house on different subjects
    share their names and style but not their words (each is closer to itself than to the
    other). Read over the latest THREAD_WORDS_DOCS members of each."""
    def latest(docs: list[str]) -> list[str]:
        return sorted(docs, key=lambda d: (ctx.doc(d).seq or 0, d))[-THREAD_WORDS_DOCS:]

    t_sum, t_n, _ = _word_sums(ctx, latest(thread))
    s_sum, s_n, s_sq = _word_sums(ctx, latest(story))
    cross = pairs = within = within_pairs = 0.0
    for lang, total in s_sum.items():
        k = s_n[lang]
        if k > 1:
            within += sum(x * x for x in total.values()) - s_sq[lang]
            within_pairs += k * (k - 1)
        if lang in t_sum:
            cross += sum(x * total.get(w, 0.0) for w, x in t_sum[lang].items())
            pairs += t_n[lang] * k
    if not pairs or not within_pairs:
        return False
    return cross / pairs >= THREAD_WORDS_SHARE * max(0.0, within / within_pairs)


def merge_small_stories(ctx: LinkContext, story_ids: list[int]) -> dict[int, int]:
    """Fold each story of two or more documents among `story_ids` into a larger story
    that its documents fit together ({folded: the story it ends in}).

    A batch is linked oldest first, so a story's early reports can start a thread of their
    own before the story they belong to has the names and leads to take them (a hostage
    case, an inquiry's report, told in three articles of a year-long war). Once the batch
    is linked, a small story joins the larger candidate story that most of its documents
    would join on their own, the one they fit best on average (`thread_fit`): the thread
    stays whole (its members are not spread over stories one by one) and becomes part of
    the story it follows.
    A thread of more than SMALL_STORY documents folds the same way only where its content
    words are as close to the story's as the story's own members are to each other
    (`thread_words_agree`): a long subject's story is loose in its words and its threads
    read like it, while two series of one house on different subjects share their names
    and style but not their words. A few sweeps: a thread that could not fold may once
    another has grown its story. Stories of one document were linked again already."""
    merged: dict[int, int] = {}
    for _ in range(THREAD_SWEEPS):
        folded = _merge_threads(ctx, [s for s in story_ids if s not in merged])
        if not folded:
            break
        merged.update(folded)
    # a story folded into one that later folded itself ends where its documents are
    for small, larger in merged.items():
        while larger in merged:
            larger = merged[larger]
        merged[small] = larger
    return merged


def _merge_threads(ctx: LinkContext, story_ids: list[int]) -> dict[int, int]:
    """One sweep of `merge_small_stories` over `story_ids`."""
    merged: dict[int, int] = {}
    for sid in story_ids:
        members = [r[0] for r in ctx.conn.execute(
            "SELECT doc_id FROM story_documents WHERE story_id=? ORDER BY doc_id", (sid,))]
        if len(members) < 2:
            continue
        cands: set[int] = set()
        profs = []
        for d in members:
            prof = doc_profile(ctx, d, ctx.store.get_analysis(d) or Analysis())
            profs.append(prof)
            cands |= entity_candidates(ctx, prof)
        sizes = {c: n for c, n in ((c, ctx.conn.execute(
            "SELECT count(*) FROM story_documents WHERE story_id=?", (c,)).fetchone()[0])
            for c in sorted(cands - {sid})) if n > len(members)}
        ranked = sorted(((thread_fit(ctx, profs, c), -c) for c in sizes), reverse=True)
        if len(members) > SMALL_STORY:
            # a larger thread folds only into a story whose words it reads as close to as
            # the story's own members do (`thread_words_agree`)
            ranked = [b for b in ranked if b[0] >= JOIN_THRESHOLD and thread_words_agree(
                ctx, members, [r[0] for r in ctx.conn.execute(
                    "SELECT doc_id FROM story_documents WHERE story_id=?", (-b[1],))])][:1]
        best = ranked[0] if ranked else None
        if best is None or best[0] < JOIN_THRESHOLD:
            continue
        target = -best[1]
        ctx.conn.execute("UPDATE clusters SET story_id=? WHERE story_id=?", (target, sid))
        for d, prof in zip(members, profs):
            remove_document(ctx, d)
            add_document(ctx, target, prof, best[0])
        merged[sid] = target
    return merged


def add_document(ctx: LinkContext, story_id: int, prof: DocProfile, score: float) -> None:
    """Record membership and fold the document into the story's profile."""
    ctx.conn.execute("INSERT INTO story_documents (doc_id, story_id, score) VALUES (?,?,?) "
                     "ON CONFLICT (doc_id) DO UPDATE SET story_id=excluded.story_id, "
                     "score=excluded.score", (prof.doc_id, story_id, round(score, 4)))
    row = ctx.conn.execute("SELECT * FROM stories WHERE id=?", (story_id,)).fetchone()
    p = _profile(row)
    counts = p.setdefault("entity_keys", {})
    for k in prof.keys:
        counts[k] = counts.get(k, 0) + 1
    p["n_documents"] = int(p.get("n_documents", 0)) + 1
    if p.get("embedder") not in (None, ctx.embedder.name):
        p["vec_sum"], p["n_vec"] = None, 0  # another embedder's centroid is not comparable
        p.pop("vec_pending", None)
    p["embedder"] = ctx.embedder.name
    if prof.vec is None or p.get("vec_pending"):  # folded when a score needs the sum
        p.setdefault("vec_pending", []).append(prof.doc_id)
    else:
        p["vec_sum"] = _fold(p.get("vec_sum"), prof.vec)
    p["n_vec"] = int(p.get("n_vec", 0)) + 1
    _fold_words(p, word_language(ctx, prof.doc_id), doc_words(ctx, prof))
    if h := house(ctx, prof.doc_id):
        houses = p.setdefault("houses", {})
        houses[h] = houses.get(h, 0) + 1
    day = prof.date.isoformat() if prof.date else None
    first = min(x for x in (row["first_date"], day) if x) if (row["first_date"] or day) else None
    last = max(x for x in (row["last_date"], day) if x) if (row["last_date"] or day) else None
    ctx.conn.execute("UPDATE stories SET profile_json=?, first_date=?, last_date=?, updated_at=? "
                     "WHERE id=?", (json.dumps(p), first, last, now(), story_id))
    ctx.story_rows.pop(story_id, None)


def remove_document(ctx: LinkContext, doc_id: str) -> int | None:
    """Take a document out of its story (recomputing the profile); the story it left."""
    row = ctx.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                           (doc_id,)).fetchone()
    if row is None:
        return None
    story_id = int(row[0])
    ctx.conn.execute("DELETE FROM story_documents WHERE doc_id=?", (doc_id,))
    members = [r[0] for r in ctx.conn.execute(
        "SELECT doc_id FROM story_documents WHERE story_id=?", (story_id,)).fetchall()]
    ctx.story_rows.pop(story_id, None)
    if not members:
        ctx.conn.execute("UPDATE clusters SET story_id=NULL WHERE story_id=?", (story_id,))
        ctx.conn.execute("DELETE FROM stories WHERE id=?", (story_id,))
        return story_id
    rebuild_profile(ctx, story_id, members)
    return story_id


def rebuild_profile(ctx: LinkContext, story_id: int, members: list[str]) -> None:
    """Recompute a story's profile from its documents (after one left)."""
    ctx.story_rows.pop(story_id, None)
    counts: Counter[str] = Counter()
    for d in members:
        for r in ctx.conn.execute("SELECT DISTINCT entity_key FROM entity_mentions "
                                  "WHERE doc_id=?", (d,)).fetchall():
            counts[r[0]] += 1
    texts = [doc_text_for_embedding(ctx, d) for d in members]
    by_text = vectors(ctx, texts)
    vecs = np.vstack([by_text[t] for t in texts])
    days = sorted(x for x in (ctx.doc(d).date for d in members) if x)
    p = {"entity_keys": dict(counts), "n_documents": len(members),
         "embedder": ctx.embedder.name,
         "vec_sum": [round(float(x), 5) for x in vecs.sum(axis=0)], "n_vec": len(members)}
    for d in members:
        _fold_words(p, word_language(ctx, d), doc_words(ctx, DocProfile(d, None, {}, {}, None)))
    houses = Counter(h for h in (house(ctx, d) for d in members) if h)
    if houses:
        p["houses"] = dict(houses)
    ctx.conn.execute("UPDATE stories SET profile_json=?, first_date=?, last_date=?, updated_at=? "
                     "WHERE id=?", (json.dumps(p), days[0] if days else None,
                                    days[-1] if days else None, now(), story_id))


def refresh_story(ctx: LinkContext, story_id: int) -> None:
    """Recompute a story's title and dates from its merged events and documents."""
    ctx.story_rows.pop(story_id, None)
    row = ctx.conn.execute("SELECT * FROM stories WHERE id=?", (story_id,)).fetchone()
    if row is None:
        return
    members = [r[0] for r in ctx.conn.execute(
        "SELECT doc_id FROM story_documents WHERE story_id=?", (story_id,)).fetchall()]
    days = sorted(x for x in (ctx.doc(d).date for d in members) if x)
    # the most reported merged events in this story's documents, the ones its articles
    # lead with first
    in_story = set(members)
    clusters = []
    for r in ctx.conn.execute("SELECT id, json FROM clusters WHERE story_id=? AND "
                              "kind='event'", (story_id,)).fetchall():
        data = json.loads(r["json"] or "{}")
        ments = [m for m in data.get("mentions", []) if m["doc_id"] in in_story]
        n_docs = len({m["doc_id"] for m in ments})
        position = sum((m.get("start") or 0) / max(1, ctx.text_length(m["doc_id"]))
                       for m in ments) / max(1, len(ments))
        clusters.append((-n_docs, round(position, 3), r["id"], {**data, "n_documents": n_docs}))
    clusters.sort(key=lambda c: c[:3])
    title = story_title([c[3] for c in clusters], _profile(row), ctx, members)
    ctx.conn.execute("UPDATE stories SET title=?, first_date=?, last_date=?, updated_at=? "
                     "WHERE id=?", (title, days[0] if days else None,
                                    days[-1] if days else None, now(), story_id))


def _label(data: dict[str, Any], short: bool) -> str:
    what = (data.get("subtype") or data.get("type") or "event").replace("_", " ")
    a, t = data.get("actor"), data.get("target")
    if short:
        return f"{a} {what}" if a else what
    if a and t:
        return f"{a} – {t}: {what}"
    return f"{a or t}: {what}" if (a or t) else what


def story_title(clusters: list[dict[str, Any]], profile: dict[str, Any], ctx: LinkContext,
                members: list[str]) -> str:
    """"North Korea – Russia: arms transfer; Antony Blinken visit": the most reported
    merged event, then the next one of another kind; else the story's main entities."""
    if clusters:
        first = clusters[0]
        parts = [_label(first, short=False)]
        for data in clusters[1:]:
            if data.get("subtype") != first.get("subtype") and (data.get("n_documents") or 0) \
                    >= max(2, (first.get("n_documents") or 0) // 2):
                parts.append(_label(data, short=True))
                break
        return "; ".join(parts)
    counts = profile.get("entity_keys", {})
    names = [ctx.name_of(k) or k.split(":", 1)[-1] for k, _ in
             sorted(counts.items(), key=lambda kv: -kv[1])[:3]]
    if names:
        return " – ".join(names)
    titles = [t for t in (ctx.doc(d).title for d in members) if t]
    return titles[0] if titles else "(untitled story)"
