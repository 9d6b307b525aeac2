"""The cross-document layer: stories, merged events, same statements, sources, denials,
inferred dates. `update_links` is incremental: each given document joins existing stories
and clusters found through indexed queries, so the cost per article does not grow with
the corpus; re-linking a document first removes its memberships (idempotent).

Storage (see docs/STORE_CONTRACT.md): stories, story_documents, clusters (kind 'event':
a merged event; kind 'quote': one statement), cluster_members (member = event id, or
"q<idx>" for a quote). A denial event is stored as a member of the cluster it denies and
recognised by its subtype 'denial'.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..records import Analysis
from ..settings import Settings
from ..store import Store
from . import dates, events, quotes, stories
from .clusters import new_cluster, rebuild_event_cluster
from .common import LinkContext
from .contradictions import find_denied
from .embed import Embedder, HashEmbedder, get_embedder

SETTLE_SWEEPS = 3  # passes of `_settle` over a batch at most

__all__ = [
    "Embedder",
    "HashEmbedder",
    "LinkReport",
    "get_embedder",
    "unlink_document",
    "update_links",
]


@dataclass
class LinkReport:
    """What one `update_links` call did."""

    documents: list[str] = field(default_factory=list)  # linked, in the order linked
    skipped: list[str] = field(default_factory=list)  # not analysed yet
    stories_created: list[int] = field(default_factory=list)
    stories_joined: dict[str, int] = field(default_factory=dict)  # doc id -> story id
    # doc id -> the fit to the best candidate story: entities, events, text, time, score
    # (for a document that starts a story: the best of those close enough in time to have
    # been joined; {} when there was none)
    story_fit: dict[str, dict[str, float]] = field(default_factory=dict)
    clusters_created: list[int] = field(default_factory=list)
    clusters_joined: list[int] = field(default_factory=list)
    quote_groups: list[int] = field(default_factory=list)  # statement groups of >= 2 quotes
    denials_linked: list[dict[str, Any]] = field(default_factory=list)
    inferred_dates: list[str] = field(default_factory=list)  # published_inferred changed

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _embedder(embedder: Embedder | None) -> Embedder:
    if embedder is not None:
        return embedder
    return get_embedder(Settings.load().embedder)


def unlink_document(ctx: LinkContext, doc_id: str) -> set[int]:
    """Remove a document's memberships; rebuild what it touched. Returns touched stories."""
    touched_stories: set[int] = set()
    left = stories.remove_document(ctx, doc_id)
    rows = ctx.conn.execute("SELECT DISTINCT cm.cluster_id, c.kind FROM cluster_members cm "
                            "JOIN clusters c ON c.id = cm.cluster_id WHERE cm.doc_id=?",
                            (doc_id,)).fetchall()
    ctx.conn.execute("DELETE FROM cluster_members WHERE doc_id=?", (doc_id,))
    for r in rows:
        if r["kind"] == "quote":
            quotes.rebuild_quote_cluster(ctx, r["cluster_id"])
        else:
            rebuild_event_cluster(ctx, r["cluster_id"])
    if left is not None and ctx.conn.execute("SELECT 1 FROM stories WHERE id=?",
                                             (left,)).fetchone():
        touched_stories.add(left)
    return touched_stories


def _order(ctx: LinkContext, doc_ids: list[str]) -> list[str]:
    """Dated documents first, oldest first: a story then grows as it happened."""
    return sorted(doc_ids, key=lambda d: (ctx.doc(d).date is None, ctx.doc(d).date or "",
                                          ctx.doc(d).seq))


def _link_one(ctx: LinkContext, doc_id: str, analysis: Analysis, report: LinkReport
              ) -> tuple[set[int], list[int]]:
    touched_stories = unlink_document(ctx, doc_id)
    evs = [ev.as_dict() for ev in analysis.events]
    for ev in evs:
        ctx.events[(doc_id, ev["id"])] = ev
    prof = stories.doc_profile(ctx, doc_id, analysis)
    proposals = events.propose(ctx, doc_id, evs, stories.entity_candidates(ctx, prof))
    story_id, created, score = stories.assign_story(ctx, prof, proposals)
    stories.add_document(ctx, story_id, prof, score)
    if created:
        report.stories_created.append(story_id)
    report.stories_joined[doc_id] = story_id
    report.story_fit[doc_id] = prof.parts
    touched_stories.add(story_id)

    claims = [ev for ev in evs if not events.is_denial(ev)]
    chosen = events.choose(ctx, doc_id, claims, proposals, story_id)
    touched: list[int] = []
    for ev in claims:
        cid = chosen.get(ev["id"])
        if cid is None:
            cid = new_cluster(ctx, "event", ev.get("subtype"))
            chosen[ev["id"]] = cid
            report.clusters_created.append(cid)
        else:
            report.clusters_joined.append(cid)
        ctx.conn.execute("INSERT INTO cluster_members (cluster_id, doc_id, member) VALUES (?,?,?) "
                         "ON CONFLICT DO NOTHING",
                         (cid, doc_id, ev["id"]))
        touched.append(cid)
    for ev in evs:
        if not events.is_denial(ev):
            continue
        cid = find_denied(ctx, doc_id, ev, evs, chosen, story_id)
        if cid is None:
            continue
        ctx.conn.execute("INSERT INTO cluster_members (cluster_id, doc_id, member) VALUES (?,?,?) "
                         "ON CONFLICT DO NOTHING",
                         (cid, doc_id, ev["id"]))
        report.denials_linked.append({"doc_id": doc_id, "event_id": ev["id"],
                                      "cluster_id": cid})
        touched.append(cid)
    for cid in dict.fromkeys(touched):
        rebuild_event_cluster(ctx, cid)

    created_q, joined_q = quotes.link_quotes(ctx, doc_id, analysis.quotes)
    for cid in dict.fromkeys(created_q + joined_q):
        quotes.rebuild_quote_cluster(ctx, cid)
    report.quote_groups.extend(c for c in dict.fromkeys(joined_q)
                               if c not in report.quote_groups)
    return touched_stories, touched


def _alone(ctx: LinkContext, report: LinkReport) -> list[str]:
    """The documents of this batch that started a story and are still its only member,
    when the batch holds others to join (oldest first, as linked)."""
    if len(report.documents) < 2:
        return []
    created = set(report.stories_created)
    out = []
    for doc_id in report.documents:
        sid = report.stories_joined.get(doc_id)
        if sid in created and ctx.conn.execute(
                "SELECT count(*) FROM story_documents WHERE story_id=?", (sid,)
                ).fetchone()[0] == 1:
            out.append(doc_id)
    return out


def _settle(ctx: LinkContext, report: LinkReport) -> list[str]:
    """The documents of this batch (in the order linked) in a story of two or more that,
    judged as if they were not in it, would join another story or start their own
    (`stories.fits_elsewhere`); nothing is written."""
    if len(report.documents) < 2:
        return []
    out = []
    for doc_id in report.documents:
        row = ctx.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                               (doc_id,)).fetchone()
        if row is None:
            continue
        analysis = ctx.store.get_analysis(doc_id) or Analysis()
        evs = [ev.as_dict() for ev in analysis.events]
        prof = stories.doc_profile(ctx, doc_id, analysis)
        proposals = events.propose(ctx, doc_id, evs, stories.entity_candidates(ctx, prof))
        if stories.fits_elsewhere(ctx, int(row[0]), prof, proposals):
            out.append(doc_id)
    return out


def update_links(store: Store, doc_ids: list[str] | None = None, *,
                 embedder: Embedder | None = None) -> LinkReport:
    """Link the given analysed documents (default: every analysed one not linked yet).

    Each document joins a story or starts one; its events join merged events or start
    them; its denials attach to the claims they deny; its quotes join statement groups;
    once the batch is linked, a document alone is linked again, and a member of a larger
    story that, judged without itself, fits another story (or none) better is linked again
    (`_settle`); then undated documents get an inferred date where shared events or
    weekday-date pairs fix one (`inferred_dates` lists those whose date changed: analyse them again
    with the new anchor and link them again).
    """
    ctx = LinkContext(store, _embedder(embedder))
    report = LinkReport()
    if doc_ids is None:
        doc_ids = [r[0] for r in store.conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN story_documents sd ON sd.doc_id = d.id "
            "WHERE d.analysed_at IS NOT NULL AND sd.doc_id IS NULL ORDER BY d.seq").fetchall()]
    wanted: list[str] = []
    for ref in dict.fromkeys(doc_ids):
        row = store.conn.execute("SELECT id, analysed_at FROM documents WHERE id=?",
                                 (ref,)).fetchone()
        if row is None or row["analysed_at"] is None:
            report.skipped.append(ref)
        else:
            wanted.append(row["id"])
    touched_stories: set[int] = set()
    touched_clusters: list[int] = []

    def link(doc_id: str) -> None:
        analysis = store.get_analysis(doc_id) or Analysis()
        with store.write(serial=True):
            s, c = _link_one(ctx, doc_id, analysis, report)
            touched_stories.update(s)
            touched_clusters.extend(c)
            for sid in s:
                if store.conn.execute("SELECT 1 FROM stories WHERE id=?", (sid,)).fetchone():
                    stories.refresh_story(ctx, sid)

    for doc_id in _order(ctx, wanted):
        link(doc_id)
        report.documents.append(doc_id)
    # A batch is linked oldest first, so a document that started a story of its own was
    # judged against the stories as they stood then: each one still alone is linked once
    # more against the stories the batch grew (a Timeline17 topic had six such articles
    # that fit its story at the end).
    for doc_id in _alone(ctx, report):
        link(doc_id)
    # and a document that joined a story before the one it belongs to had grown (or
    # joined it only with its own help) moves: each member of a larger story is judged
    # once more against the stories the batch left, as if it were not in its own, and
    # linked again where it no longer fits best (a few sweeps: one leaving can leave
    # another alone)
    for _ in range(SETTLE_SWEEPS):
        moved = _settle(ctx, report)
        for doc_id in moved:
            link(doc_id)
        if not moved:
            break
    # and a thread of a few reports that started before its story could take them joins
    # that story whole, once the batch has grown it
    with store.write(serial=True):
        folded = stories.merge_small_stories(ctx, list(dict.fromkeys(report.stories_created)))
        for small, larger in folded.items():
            for doc_id, sid in report.stories_joined.items():
                if sid == small:
                    report.stories_joined[doc_id] = larger
            stories.refresh_story(ctx, larger)
    created = list(dict.fromkeys(report.stories_created))
    live = {r[0] for i in range(0, len(created), 500) for r in store.conn.execute(
        f"SELECT id FROM stories WHERE id IN ({','.join('?' * len(created[i:i + 500]))})",
        created[i:i + 500])}
    report.stories_created = [sid for sid in created if sid in live]

    with store.write(serial=True):
        candidates = wanted + dates.undated_neighbours(ctx, list(dict.fromkeys(
            touched_clusters)))
        report.inferred_dates = dates.update_dates(ctx, candidates)
        for doc_id in report.inferred_dates:
            row = store.conn.execute("SELECT story_id FROM story_documents WHERE doc_id=?",
                                     (doc_id,)).fetchone()
            if row:
                stories.refresh_story(ctx, row[0])
            for r in store.conn.execute("SELECT DISTINCT cluster_id FROM cluster_members "
                                        "WHERE doc_id=?", (doc_id,)).fetchall():
                kind = store.conn.execute("SELECT kind FROM clusters WHERE id=?",
                                          (r[0],)).fetchone()
                if kind and kind[0] == "quote":
                    quotes.rebuild_quote_cluster(ctx, r[0])
                elif kind:
                    rebuild_event_cluster(ctx, r[0])
    report.clusters_joined = list(dict.fromkeys(report.clusters_joined))
    return report
