"""HTTP routes for the analyst's corrections and the review queue (docs/CORRECTIONS.md).

Every write needs the server's token when one is set (serve/web.py checks it before any
route runs); the author of a correction is the one the request names, else the token's
holder ("token:<8 hex of its hash>"), else "api". A write that changes a document's date,
outlet or language analyses it again and links it again before it answers.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from .. import amend
from ..errors import StoreBusy
from ..settings import Settings
from ..store import Store
from ..store import corrections as sc
from ..store.db import BUSY_TIMEOUT_MS
from .review import KINDS, review_queue

router = APIRouter(tags=["corrections"])


class Why(BaseModel):
    reason: str | None = Field(None, max_length=2000, description="Why the change is made.")
    author: str | None = Field(None, max_length=200,
                               description="Who makes it (default: the token's holder).")


class DocumentPatch(Why):
    """Fields of a document to correct; the others stay as they are."""

    published: str | None = Field(None, description="ISO date.")
    outlet: str | None = None
    wire: str | None = None
    title: str | None = None
    language: str | None = None


class EventPatch(Why):
    """Fields of one event (as one document reports it) to correct."""

    type: str | None = None
    subtype: str | None = None
    actor: str | None = Field(None, description="Entity key or name.")
    target: str | None = Field(None, description="Entity key or name.")
    quantity: float | None = None
    when: str | None = Field(None, description="ISO date.")
    where: str | None = None
    source: str | None = Field(None, description="Entity key or name of who claims it.")
    status: Literal["asserted", "hedged", "planned", "hypothetical", "denied"] | None = None


class Merge(Why):
    source: str = Field(min_length=1, description="Entity key (or name) merged away.")
    into: str = Field(min_length=1, description="Entity key (or name) it becomes.")


class Alias(Why):
    alias: str = Field(min_length=1, max_length=200)


class Split(Why):
    surface: str = Field(min_length=1, max_length=200,
                         description="The surface form whose mentions become a new entity.")
    name: str | None = Field(None, max_length=200)
    key: str | None = Field(None, max_length=200)


class Review(Why):
    verdict: Literal["confirmed", "rejected", "open"]
    note: str | None = Field(None, max_length=2000)


class LinkChange(Why):
    kind: Literal["same_event", "same_quote", "contradiction"]
    op: Literal["add", "remove"]
    a: str = Field(min_length=1, description="Event ('3:e2' or fingerprint), quote ('3:q0') "
                                             "or, for a contradiction, the claim's event.")
    b: str = Field(min_length=1, description="The other one (for a contradiction: the denial).")


class Generic(Why):
    kind: Literal["document", "entity", "event", "claim", "link"]
    target: str = Field(min_length=1)
    field: str = Field(min_length=1)
    value: Any = None


def _author(request: Request, body: Why) -> str:
    if body.author:
        return body.author
    token = getattr(request.app.state, "token", None)
    if token:
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:8]
    return "api"


def _run(request: Request, work: Any) -> Any:
    """One correction at a time in this process (it may analyse and link), on the writer."""
    lock = request.app.state.write_lock
    if not lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        raise StoreBusy("another write has been running on this server for over "
                        f"{BUSY_TIMEOUT_MS // 1000} s; try again later", source="corrections")
    try:
        with Store.open(request.app.state.db_path) as store:
            return work(store, Settings.load(db=request.app.state.db_path))
    finally:
        lock.release()


def _correct(request: Request, kind: str, target: str, changes: dict[str, Any],
             body: Why) -> dict[str, Any]:
    rows = _run(request, lambda store, settings: amend.correct(
        store, settings, kind, target, changes, reason=body.reason,
        author=_author(request, body)))
    return {"corrections": rows}


@router.patch("/api/documents/{doc_id}")
def patch_document(doc_id: str, body: DocumentPatch, request: Request) -> dict[str, Any]:
    """Correct a document's date, outlet, wire, title or language; it is analysed again
    (relative times re-anchor) and linked again at once."""
    changes = body.model_dump(exclude_unset=True, exclude={"reason", "author"})
    return _correct(request, "document", doc_id, changes, body)


@router.patch("/api/events/{ref:path}")
def patch_event(ref: str, body: EventPatch, request: Request) -> dict[str, Any]:
    """Correct an event as one document reports it ('<document>:<event id>' or its
    fingerprint): type, subtype, actor, target, quantity, date, place, source, status."""
    changes = body.model_dump(exclude_unset=True, exclude={"reason", "author"})
    return _correct(request, "event", ref, changes, body)


@router.post("/api/entities/merge")
def merge_entities(body: Merge, request: Request) -> dict[str, Any]:
    """Merge one entity into another: every mention and role of `source` becomes `into`."""
    return _correct(request, "entity", body.source, {"merge": body.into}, body)


@router.post("/api/entities/{key:path}/alias")
def add_alias(key: str, body: Alias, request: Request) -> dict[str, Any]:
    """Add an alias: entities named so (in any document) become this one."""
    return _correct(request, "entity", key, {"alias": body.alias}, body)


@router.post("/api/entities/{key:path}/split")
def split_entity(key: str, body: Split, request: Request) -> dict[str, Any]:
    """Split the mentions of one surface form off into an entity of their own."""
    return _correct(request, "entity", key, {"split": body.model_dump(
        include={"surface", "name", "key"})}, body)


@router.post("/api/claims/{cluster_id}/review")
def review_claim(cluster_id: int, body: Review, request: Request) -> dict[str, Any]:
    """Confirm or reject a claim (a merged event), or open it again. A rejected claim no
    longer counts as a report; timeline, claims table and briefs show the verdict."""
    return _correct(request, "claim", str(cluster_id),
                    {"verdict": {"verdict": body.verdict, "note": body.note}}, body)


@router.post("/api/links")
def change_link(body: LinkChange, request: Request) -> dict[str, Any]:
    """Add or remove a same-event, same-quote or contradiction link."""
    return _correct(request, "link", body.a, {body.kind: {"op": body.op, "with": body.b}},
                    body)


@router.post("/api/corrections", status_code=201)
def add_correction(body: Generic, request: Request) -> dict[str, Any]:
    """Any correction: kind, target, field, value (see docs/CORRECTIONS.md)."""
    return _correct(request, body.kind, body.target, {body.field: body.value}, body)


@router.get("/api/corrections")
def corrections(request: Request) -> dict[str, Any]:
    """Every correction, in the order made, with its state: applied, pending (its document
    is not analysed yet) or orphaned (its target is gone, and why)."""
    with Store.open(request.app.state.db_path, readonly=True) as store:
        rows = sc.list_corrections(store)
    return {"total": len(rows), "orphaned": sum(r["state"] == "orphaned" for r in rows),
            "corrections": rows}


@router.delete("/api/corrections/{cid}")
def delete_correction(cid: str, request: Request) -> dict[str, Any]:
    """Undo a correction: what it changed returns to what the extractor says."""
    return {"deleted": _run(request, lambda store, settings: amend.undo(store, settings, cid))}


@router.post("/api/relink")
def relink(request: Request) -> dict[str, Any]:
    """Run the linking again over the whole store; corrections are applied again after it
    (story and merged-event ids change)."""
    return _run(request, amend.relink)


@router.get("/api/review")
def review(request: Request, limit: Annotated[int, Query(ge=1, le=5000)] = 100,
           kind: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    """What most needs an analyst's eye, best first: contradictions, claims whose reports
    disagree on status, undated and inferred dates, single-source claims, events with no
    actor, unattributed quotes."""
    with Store.open(request.app.state.db_path, readonly=True) as store:
        return review_queue(store, limit, tuple(k for k in kind or [] if k in KINDS) or None)
