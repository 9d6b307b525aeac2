"""Scale: latency of adding, linking and querying one new article as the store grows.

Setup (untimed): a few hundred real articles (first paragraphs of KCNA, Reuters and BBC
articles, so the store stays small on disk) go through the real pipeline once: ingest,
clean, extraction, and linking across documents (`link.update_links`). That linked store
is the template. The store under test is then grown to each size by replicas of the
template: replica k is every template document with a unique marker appended to its text
(so its id, the hash of the text, differs), every date shifted by k weeks (stated and
inferred publication dates, time values of times and events, cluster and story dates),
inserted through `Store.add_document` / `Store.save_analysis` in one transaction per
replica; the link tables (stories, story_documents, clusters, cluster_members) are copied
from the template's linked state with ids remapped and dates shifted, in bulk (running the
linker on every replica would take hours and measure nothing new: each replica links as
the template did).

Measured at each size, all dated a week after the newest replica (the newest news, as a
running store meets it), for held-out real articles alternating with follow-ups (template
articles again, preferring those that report events): add (clean + add_document +
save_analysis of an analysis computed in setup), link (`update_links(store, [id])`, and
link_db: the same less the time spent in the sentence embedder), a story timeline
(`link.queries.timeline`), an entity page (`store.queries.entity_page`, the article's most
mentioned entity) and a search (`store.search`, two words of its title).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
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

from .corpora import mixed_sample, write_inputs
from .throughput import cleaned_pairs

Log = Callable[[str], None]
TEXT_LIMIT = 900  # characters of each article kept (whole paragraphs): short-ish texts
OPERATIONS = ("add", "link", "link_db", "timeline", "entity_page", "search")
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


def build_template(n_base: int, n_new: int, workdir: Path, settings: Settings,
                   log: Log = print) -> Template:
    """Analyse and link `n_base` real articles; analyse `n_new` held-out ones (untimed)."""
    t0 = time.perf_counter()
    base_items = mixed_sample(n_base, seed=7)
    new_items = mixed_sample(n_new, seed=7, skip=n_base // 3 + 1)
    base_raw, docs = _clean_all(write_inputs(base_items, workdir / "base", limit=TEXT_LIMIT),
                                settings)
    new_raw, new_docs = _clean_all(write_inputs(new_items, workdir / "new", limit=TEXT_LIMIT),
                                   settings)
    t1 = time.perf_counter()
    analyses = _analyse(docs, settings)
    new_analyses = _analyse(new_docs, settings)
    t2 = time.perf_counter()
    log(f"  scale setup: analysed {len(docs)} + {len(new_docs)} articles in {t2 - t1:.0f} s")
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
        inferred = {r["id"]: (r["published_inferred"], r["published_inferred_reason"])
                    for r in store.conn.execute("SELECT id, published_inferred, "
                                                "published_inferred_reason FROM documents")}
    for doc in docs:
        doc.published_inferred, doc.published_inferred_reason = inferred.get(doc.id, (None, None))
    return Template(docs, analyses, model, links, new_raw,
                    [new_analyses[d.id] for d in new_docs], base_raw,
                    {"clean_s": round(t1 - t0, 1), "analyse_s": round(t2 - t1, 1),
                     "link_s": round(t3 - t2, 1)})


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
              r["profile_json"]) for r in tpl.links["stories"]])
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


def articles(tpl: Template) -> list[tuple[str, RawDocument, dict[str, Any]]]:
    """What is measured at each size, alternating: held-out articles (news the store has
    not seen: they mostly start stories) and follow-ups (template articles again, as the
    newest report of a running story: they join a story, merge events, group quotes)."""
    fresh = [("new", r, a) for r, a in zip(tpl.new_raw, tpl.new_analyses)]
    # follow-ups of articles that report events, so their stories have a timeline
    order = sorted(range(len(tpl.docs)),
                   key=lambda i: not tpl.analyses[tpl.docs[i].id].get("events"))
    with_events = sum(1 for i in order if tpl.analyses[tpl.docs[i].id].get("events"))
    pool = order[:max(with_events, len(fresh))]
    step = max(1, len(pool) // max(1, len(fresh)))
    follow = [("follow_up", tpl.base_raw[i], tpl.analyses[tpl.docs[i].id])
              for i in sorted(pool[::step])][:len(fresh)]
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
        for op, sec in zip(OPERATIONS, (t1 - t0, t2 - t1, link_db, t3 - t2, t4 - t3,
                                        t5 - t4)):
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
                            "new_articles": len(tpl.new_raw), "text_limit_chars": TEXT_LIMIT,
                            "db_mb": db_mb, "embedder": settings.embedder}}
