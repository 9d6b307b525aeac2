"""Scale: latency of adding, linking and querying one new article as the store grows.

Setup (untimed): a pool of real articles (first paragraphs of KCNA, Reuters and BBC
articles, so the store stays small on disk) is analysed; the template is a few hundred of
them, with every article of the pool that reports an event (but a third, held out), and it
goes through the real linking once (`link.update_links`). The store under test is then
grown to each size by replicas of the template: replica k is every template document
with a unique marker appended to its text (so its id, the hash of the text, differs),
every date shifted by k weeks (stated and inferred publication dates, time values of
times and events, cluster and story dates), inserted through `Store.add_document` /
`Store.save_analysis` in one transaction per replica; the link tables (stories,
story_documents, clusters, cluster_members) are copied from the template's linked state
with ids remapped and dates shifted, in bulk (running the linker on every replica would
take hours and measure nothing new: each replica links as the template did), and the quote
vectors the template's linking stored are copied once (replicas repeat the quotes).

Measured at each size, all dated a week after the newest replica (the newest news, as a
running store meets it), for held-out real articles alternating with follow-ups (template
articles again, spread over the stories with merged events): add (clean + add_document +
save_analysis of an analysis computed in setup), link (`update_links(store, [id])`, and
link_db: the same less the time spent in the sentence embedder), a story timeline
(`link.queries.timeline`), an entity page (`store.queries.entity_page`, the article's most
mentioned entity) and a search (`store.search`, two words of its title).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import math
import random
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.clean import clean_document
from storyline.link import get_embedder, update_links
from storyline.link.queries import story_for_document, timeline
from storyline.pipeline import extract_analyses
from storyline.records import Analysis, Document, RawDocument, document_id
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.queries import entity_page

from .corpora import Item, kcna_records, mixed_sample, write_inputs
from .throughput import cleaned_pairs

Log = Callable[[str], None]
TEXT_LIMIT = 900  # characters of each article kept (whole paragraphs): short-ish texts
OPERATIONS = ("add", "link", "link_db", "timeline", "entity_page", "search", "checkpoint")
LINK_TABLES = ("stories", "story_documents", "clusters", "cluster_members")

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


# -- dates and ids -----------------------------------------------------------------------------
def shift_date(value: str, weeks: int) -> str:
    """An ISO day (or timestamp) or ISO week moved by `weeks`; other values unchanged."""
    if not weeks:
        return value
    if m := _DAY.match(value):
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3])) + dt.timedelta(weeks=weeks)
        except ValueError:
            return value
        return day.isoformat() + value[10:]
    if m := _WEEK.match(value):
        try:
            day = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1) + dt.timedelta(weeks=weeks)
        except ValueError:
            return value
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return value


def remap(value: Any, weeks: int, ids: dict[str, str]) -> Any:
    """A JSON value with document ids replaced and dates shifted, recursively."""
    if isinstance(value, str):
        return ids.get(value) or shift_date(value, weeks)
    if isinstance(value, list):
        return [remap(v, weeks, ids) for v in value]
    if isinstance(value, dict):
        return {k: remap(v, weeks, ids) for k, v in value.items()}
    return value


def _shift_opt(value: str | None, weeks: int) -> str | None:
    return shift_date(value, weeks) if value else value


def shifted_analysis(analysis: dict[str, Any], weeks: int) -> Analysis:
    """The analysis of a replica: time values of its times and events moved by `weeks`."""
    data = copy.deepcopy(analysis)
    for t in data.get("times", []):
        t["value"] = remap(t.get("value"), weeks, {})
    for ev in data.get("events", []):
        ev["when"] = remap(ev.get("when"), weeks, {})
    return Analysis.from_dict(data)


def replica(doc: Document, k: int, marker: str) -> Document:
    """Document `doc` as replica k: marker appended (a new id), dates shifted k weeks."""
    text = f"{doc.text}\n\n[{marker}]"
    meta = copy.deepcopy(doc.meta)
    meta.published = _shift_opt(meta.published, k)
    return Document(id=document_id(text), source=f"{doc.source}#{marker}", text=text,
                    meta=meta, removed=[], raw_text=f"{doc.raw_text}\n\n[{marker}]",
                    kind=doc.kind, published_inferred=_shift_opt(doc.published_inferred, k),
                    published_inferred_reason=doc.published_inferred_reason)


# -- the template: real articles, really analysed and linked -------------------------------
@dataclass
class Template:
    """The linked template store's content, in memory, ready to replicate."""

    docs: list[Document]
    analyses: dict[str, dict[str, Any]]  # doc id -> Analysis.as_dict()
    model: str
    links: dict[str, list[dict[str, Any]]]  # table -> rows
    new_raw: list[RawDocument] = field(default_factory=list)  # held-out articles
    new_analyses: list[dict[str, Any]] = field(default_factory=list)
    base_raw: list[RawDocument] = field(default_factory=list)  # the template's, as read
    setup_s: dict[str, float] = field(default_factory=dict)
    max_weeks: int = 0  # the largest shift used so far (new articles come after it)
    vectors: list[tuple[Any, ...]] = field(default_factory=list)  # text_vectors rows
    pool: dict[str, int] = field(default_factory=dict)  # articles analysed, with events


def _analyse(docs: list[Document], settings: Settings) -> dict[str, dict[str, Any]]:
    return {doc_id: a.as_dict() for doc_id, a in extract_analyses(docs, settings)}


def _clean_all(inputs: list[str], settings: Settings) -> tuple[list[RawDocument],
                                                                list[Document]]:
    """Ingested and cleaned articles, each text once."""
    raws, docs, seen = [], [], set()
    for raw, doc in cleaned_pairs(inputs, settings):
        if doc.id not in seen:
            seen.add(doc.id)
            raws.append(raw)
            docs.append(doc)
    return raws, docs


POOL_FACTOR = 4  # articles analysed per article used: where the event-reporting ones come from
EVENT_SHARE = 3  # of the event-reporting articles in the pool, one in EVENT_SHARE is held out


def _corpus(raw: RawDocument) -> str:
    src = raw.source.replace("\\", "/")
    return "bbc" if "/bbc/" in src else src.rsplit("/", 1)[-1].split(".", 1)[0]


def _interleave(raws: list[RawDocument], docs: list[Document]
                ) -> tuple[list[RawDocument], list[Document]]:
    """The articles one corpus after another, in turn (the input files group them)."""
    groups: dict[str, list[int]] = {}
    for i, raw in enumerate(raws):
        groups.setdefault(_corpus(raw), []).append(i)
    order = [i for row in itertools.zip_longest(*groups.values()) for i in row if i is not None]
    return [raws[i] for i in order], [docs[i] for i in order]


def _split_pool(docs: list[Document], analyses: dict[str, dict[str, Any]], n_mixed: int,
                n_base: int, n_new: int) -> tuple[list[int], list[int]]:
    """Indexes of the template's and the held-out articles in the pool (the mixed sample's
    `n_mixed` articles, then the extra KCNA ones).

    Few articles report one of the event kinds the extractor knows (about 3 in 100 of these
    first paragraphs), so a plain sample gives stories without events and empty timelines.
    Every event-reporting article of the pool is used: one in EVENT_SHARE is held out (news
    that continues a story with events, or starts one), the others go to the template (at
    most half of it); the rest of each set is the mixed sample's other articles, in turn
    from each corpus."""
    with_events = [i for i, d in enumerate(docs) if analyses[d.id].get("events")]
    held = with_events[EVENT_SHARE - 1::EVENT_SHARE][:n_new]
    base = [i for i in with_events if i not in set(held)][:n_base // 2]
    fill = iter(i for i in range(n_mixed) if i not in set(with_events))
    base += list(itertools.islice(fill, n_base - len(base)))
    held += list(itertools.islice(fill, n_new - len(held)))
    return base, held


def _pool_items(n: int) -> tuple[list[Item], list[Item]]:
    """The mixed sample (a third from each corpus) and as many KCNA articles again: KCNA
    (the project's subject) is where most reported events are, several about one
    situation (a visit, an exercise), which makes stories with several merged events."""
    mixed = mixed_sample(n, seed=7)
    seen = {it.key for it in mixed if it.corpus == "kcna"}
    kcna = [it for it in kcna_records() if it.key not in seen]
    return mixed, random.Random(7).sample(kcna, min(len(kcna), n // 3 * 2))


def build_template(n_base: int, n_new: int, workdir: Path, settings: Settings,
                   log: Log = print) -> Template:
    """Analyse a pool of real articles; keep `n_base` (linked: the template) and `n_new`
    held-out ones, preferring those that report events (untimed)."""
    t0 = time.perf_counter()
    mixed, extra = _pool_items(POOL_FACTOR * (n_base + n_new))
    mixed_raw, mixed_docs = _interleave(*_clean_all(
        write_inputs(mixed, workdir / "pool", limit=TEXT_LIMIT), settings))
    extra_raw, extra_docs = _clean_all(write_inputs(extra, workdir / "pool_kcna",
                                                    limit=TEXT_LIMIT), settings)
    known = {d.id for d in mixed_docs}
    keep = [i for i, d in enumerate(extra_docs) if d.id not in known]
    pool_raw = mixed_raw + [extra_raw[i] for i in keep]
    pool_docs = mixed_docs + [extra_docs[i] for i in keep]
    t1 = time.perf_counter()
    pool_analyses = _analyse(pool_docs, settings)
    t2 = time.perf_counter()
    base_idx, new_idx = _split_pool(pool_docs, pool_analyses, len(mixed_docs), n_base, n_new)
    docs = [pool_docs[i] for i in base_idx]
    base_raw = [pool_raw[i] for i in base_idx]
    new_raw = [pool_raw[i] for i in new_idx]
    new_docs = [pool_docs[i] for i in new_idx]
    analyses = {d.id: pool_analyses[d.id] for d in docs}
    n_events = sum(1 for d in pool_docs if pool_analyses[d.id].get("events"))
    log(f"  scale setup: analysed a pool of {len(pool_docs)} articles in {t2 - t1:.0f} s "
        f"({n_events} report events); template {len(docs)}, held out {len(new_docs)}")
    path = workdir / "template.db"
    for p in workdir.glob("template.db*"):
        p.unlink()
    from storyline.nlp import load_nlp

    nlp = load_nlp(settings.model)
    model = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
    with Store.open(path) as store:
        with store.write():
            for doc in docs:
                store.add_document(doc)
                store.save_analysis(doc.id, Analysis.from_dict(analyses[doc.id]), model)
        update_links(store, [d.id for d in docs])
        t3 = time.perf_counter()
        log(f"  scale setup: linked the template in {t3 - t2:.0f} s")
        links = {t: [dict(r) for r in store.conn.execute(f"SELECT * FROM {t}").fetchall()]
                 for t in LINK_TABLES}
        vectors = [tuple(r) for r in store.conn.execute("SELECT * FROM text_vectors")]
        inferred = {r["id"]: (r["published_inferred"], r["published_inferred_reason"])
                    for r in store.conn.execute("SELECT id, published_inferred, "
                                                "published_inferred_reason FROM documents")}
    for doc in docs:
        doc.published_inferred, doc.published_inferred_reason = inferred.get(doc.id, (None, None))
    return Template(docs, analyses, model, links, new_raw,
                    [pool_analyses[d.id] for d in new_docs], base_raw,
                    {"clean_s": round(t1 - t0, 1), "analyse_s": round(t2 - t1, 1),
                     "link_s": round(t3 - t2, 1)},
                    vectors=vectors, pool={"documents": len(pool_docs),
                                           "with_events": n_events})


# -- growing the store -----------------------------------------------------------------------
def add_replica(store: Store, tpl: Template, k: int) -> int:
    """Insert replica k of the template (documents, facts, link tables). Returns docs added."""
    base_s = store.conn.execute("SELECT coalesce(max(id), 0) FROM stories").fetchone()[0] + 1
    base_c = store.conn.execute("SELECT coalesce(max(id), 0) FROM clusters").fetchone()[0] + 1
    ids: dict[str, str] = {}
    marker = f"r{k}"
    with store.write() as conn:
        for doc in tpl.docs:
            rep = replica(doc, k, marker)
            ids[doc.id] = rep.id
            store.add_document(rep)
            store.save_analysis(rep.id, shifted_analysis(tpl.analyses[doc.id], k), tpl.model)

        def sid(x: int | None) -> int | None:
            return None if x is None else base_s + x

        def cid(x: int) -> int:
            return base_c + x

        conn.executemany(
            "INSERT INTO stories (id, title, first_date, last_date, created_at, updated_at, "
            "profile_json) VALUES (?,?,?,?,?,?,?)",
            [(sid(r["id"]), r["title"], _shift_opt(r["first_date"], k),
              _shift_opt(r["last_date"], k), r["created_at"], r["updated_at"],
              # the members whose vectors are not folded in yet (`vec_pending`) by id
              json.dumps(remap(json.loads(r["profile_json"] or "{}"), k, ids)))
             for r in tpl.links["stories"]])
        conn.executemany(
            "INSERT INTO story_documents (doc_id, story_id, score) VALUES (?,?,?)",
            [(ids[r["doc_id"]], sid(r["story_id"]), r["score"])
             for r in tpl.links["story_documents"]])
        conn.executemany(
            "INSERT INTO clusters (id, story_id, kind, type, subtype, actor_key, target_key, "
            "when_start, when_end, json, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(cid(r["id"]), sid(r["story_id"]), r["kind"], r["type"], r["subtype"],
              r["actor_key"], r["target_key"], _shift_opt(r["when_start"], k),
              _shift_opt(r["when_end"], k),
              json.dumps(remap(json.loads(r["json"] or "{}"), k, ids)), r["updated_at"])
             for r in tpl.links["clusters"]])
        conn.executemany(
            "INSERT INTO cluster_members (cluster_id, doc_id, member) VALUES (?,?,?)",
            [(cid(r["cluster_id"]), ids[r["doc_id"]], r["member"])
             for r in tpl.links["cluster_members"]])
    tpl.max_weeks = max(tpl.max_weeks, k)
    return len(tpl.docs)


def grow(store: Store, tpl: Template, size: int, log: Log = print) -> float:
    """Add replicas until the store holds at least `size` documents; seconds spent."""
    start = time.perf_counter()
    with store.write() as conn:  # each quote's vector, as linking the template stored it
        conn.executemany("INSERT OR IGNORE INTO text_vectors VALUES (?,?,?)", tpl.vectors)
    k = tpl.max_weeks + 1 if store.count_documents() else 0
    last = start
    while store.count_documents() < size:
        add_replica(store, tpl, k)
        k += 1
        if time.perf_counter() - last > 30:
            last = time.perf_counter()
            log(f"  scale: {store.count_documents():,} documents "
                f"({last - start:.0f} s)")
    return time.perf_counter() - start


# -- measuring -------------------------------------------------------------------------------
def _query_words(title: str | None, text: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z]{4,}", title or text[:200])]
    return " ".join(words[:2]) or "the"


def _main_entity(analysis: dict[str, Any]) -> str | None:
    ents = analysis.get("entities", [])
    if not ents:
        return None
    return max(ents, key=lambda e: len(e.get("mentions", [])))["key"]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of the values."""
    s = sorted(values)
    if not s:
        return float("nan")
    return s[min(len(s) - 1, max(0, math.ceil(q / 100 * len(s)) - 1))]


def story_events(tpl: Template) -> dict[int, int]:
    """Merged events per story of the linked template (story id -> count)."""
    kinds = {r["id"]: (r["kind"], r["story_id"]) for r in tpl.links["clusters"]}
    out: dict[int, int] = {}
    for kind, story in kinds.values():
        if kind == "event" and story is not None:
            out[story] = out.get(story, 0) + 1
    return out


def articles(tpl: Template) -> list[tuple[str, RawDocument, dict[str, Any]]]:
    """What is measured at each size, alternating: held-out articles (news the store has
    not seen: they start stories or join running ones) and follow-ups (template articles
    again, as the newest report of a running story: they join it, merge events, group
    quotes). Follow-ups are spread evenly over the template's articles in stories with
    merged events (a story gets follow-ups in proportion to its size), so the timelines
    measured are those of stories with events; stories without events only fill in when
    there are too few of those."""
    fresh = [("new", r, a) for r, a in zip(tpl.new_raw, tpl.new_analyses)]
    events = story_events(tpl)
    story_of = {r["doc_id"]: r["story_id"] for r in tpl.links["story_documents"]}
    pool = [i for i, d in enumerate(tpl.docs) if events.get(story_of.get(d.id, -1))]
    if len(pool) < len(fresh):
        pool += [i for i in range(len(tpl.docs)) if i not in set(pool)][:len(fresh) - len(pool)]
    step = len(pool) / max(1, len(fresh))
    picks = sorted({pool[int(k * step)] for k in range(min(len(fresh), len(pool)))})
    follow = [("follow_up", tpl.base_raw[i], tpl.analyses[tpl.docs[i].id]) for i in picks]
    out = []
    for i in range(max(len(fresh), len(follow))):
        out += [x[i] for x in (fresh, follow) if i < len(x)]
    return out


class TimedEmbedder:
    """The configured embedder, counting the seconds spent embedding: the linker's time
    less that is its work on the store (what can grow with the corpus); embedding costs
    the same at any size but swings with the machine's load."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.spent = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def embed(self, texts: list[str]) -> Any:
        start = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.spent += time.perf_counter() - start


def measure(store: Store, tpl: Template, label: str,
            embedder: TimedEmbedder | None = None) -> dict[str, Any]:
    """Add, link and query each measured article; latencies (ms) per operation."""
    weeks = tpl.max_weeks + 1  # the newest news in the store
    if embedder is None:
        embedder = TimedEmbedder(get_embedder(Settings.load().embedder))
    lat: dict[str, dict[str, list[float]]] = {}
    info: dict[str, list[int]] = {"entity_documents": [], "search_hits": [],
                                  "timeline_events": [], "story_documents": []}
    for j, (kind, raw, analysis) in enumerate(articles(tpl)):
        raw = copy.deepcopy(raw)
        raw.meta.published = _shift_opt(raw.meta.published, weeks)
        t0 = time.perf_counter()
        doc = clean_document(raw)
        doc.text = f"{doc.text}\n\n[{kind} {label} {j}]"  # a new document at each size
        doc.id = document_id(doc.text)
        store.add_document(doc)
        store.save_analysis(doc.id, shifted_analysis(analysis, weeks), tpl.model)
        t1 = time.perf_counter()
        embedded = embedder.spent
        update_links(store, [doc.id], embedder=embedder)  # type: ignore[arg-type]
        t2 = time.perf_counter()
        link_db = (t2 - t1) - (embedder.spent - embedded)
        story = story_for_document(store, doc.id)
        events = timeline(store, story) if story is not None else []
        t3 = time.perf_counter()
        key = _main_entity(analysis)
        page = entity_page(store, key) if key else {"documents": []}
        t4 = time.perf_counter()
        hits = store.search(_query_words(doc.meta.title, doc.text))
        t5 = time.perf_counter()
        # the article's pages copied from the write-ahead log into the database file, timed
        # on their own: left to SQLite, the commit that fills the log past 1,000 pages
        # (about every 10 articles, at either size) does it, and chance decides whether
        # `add` or `link` pays those ~20 ms
        if store.backend == "sqlite":  # PostgreSQL checkpoints on its own schedule
            store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        t6 = time.perf_counter()
        for op, sec in zip(OPERATIONS, (t1 - t0, t2 - t1, link_db, t3 - t2, t4 - t3,
                                        t5 - t4, t6 - t5)):
            for group in ("all", kind):
                lat.setdefault(group, {o: [] for o in OPERATIONS})[op].append(sec * 1000)
        info["timeline_events"].append(len(events))
        info["entity_documents"].append(len(page.get("documents", [])))
        info["search_hits"].append(len(hits))
        info["story_documents"].append(store.conn.execute(
            "SELECT count(*) FROM story_documents WHERE story_id=?", (story,)).fetchone()[0])
    out: dict[str, Any] = {"n_documents": store.count_documents(),
                           "n_articles": len(lat["all"]["add"])}
    for op in OPERATIONS:
        vals = lat["all"][op]
        out[op] = {"p50_ms": round(percentile(vals, 50), 2),
                   "p95_ms": round(percentile(vals, 95), 2),
                   "max_ms": round(max(vals, default=float("nan")), 2)}
    out["p50_ms_by_kind"] = {kind: {op: round(percentile(v, 50), 2) for op, v in ops.items()}
                             for kind, ops in lat.items() if kind != "all"}
    out["median_result_sizes"] = {k: statistics.median(v) if v else 0
                                  for k, v in info.items()}
    return out


def run(sizes: list[int], workdir: Path, settings: Settings, *, n_base: int, n_new: int,
        log: Log = print) -> dict[str, Any]:
    """Grow a store through `sizes` and measure at each; returns results.json's `scale`,
    `growth` (last size / first size, per operation) and the setup costs."""
    workdir.mkdir(parents=True, exist_ok=True)
    tpl = build_template(n_base, n_new, workdir, settings, log)
    path = workdir / "scale.db"
    for p in workdir.glob("scale.db*"):
        p.unlink()
    scale: dict[str, Any] = {}
    setup = dict(tpl.setup_s)
    with Store.open(path) as store:
        for size in sizes:
            grow_s = grow(store, tpl, size, log)
            setup[f"grow_to_{size}_s"] = round(grow_s, 1)
            # the inserts' pages written to the database file before measuring, so no
            # measured commit pays for checkpointing the setup's log
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            log(f"  scale: {store.count_documents():,} documents after {grow_s:.0f} s; "
                f"measuring {len(articles(tpl))} articles")
            scale[str(size)] = measure(store, tpl, str(size),
                                       TimedEmbedder(get_embedder(settings.embedder)))
            log("  scale " + str(size) + ": " + ", ".join(
                f"{op} p50 {scale[str(size)][op]['p50_ms']:.1f} / p95 "
                f"{scale[str(size)][op]['p95_ms']:.1f} ms" for op in OPERATIONS))
    db_mb = round(sum(p.stat().st_size for p in workdir.glob("scale.db*")) / 2**20, 1)
    growth: dict[str, Any] = {}
    if len(sizes) >= 2:
        a, b = scale[str(sizes[0])], scale[str(sizes[-1])]
        growth = {"from": sizes[0], "to": sizes[-1]}
        for op in OPERATIONS:
            growth[op] = {q: round(b[op][q] / a[op][q], 2) if a[op][q] else None
                          for q in ("p50_ms", "p95_ms")}
    return {"scale": scale, "growth": growth,
            "scale_setup": {**setup, "template_documents": len(tpl.docs),
                            "template_with_events": sum(
                                1 for d in tpl.docs if tpl.analyses[d.id].get("events")),
                            "template_stories_with_events": len(story_events(tpl)),
                            "pool_documents": tpl.pool.get("documents"),
                            "pool_with_events": tpl.pool.get("with_events"),
                            "new_articles": len(tpl.new_raw),
                            "new_with_events": sum(1 for a in tpl.new_analyses
                                                   if a.get("events")),
                            "text_limit_chars": TEXT_LIMIT, "db_mb": db_mb,
                            "embedder": settings.embedder}}
