"""The HTTP API (FastAPI) and the web UI, over one store file.

Readers open the store read-only for each request; writes (ingest, watches) open the one
writer, one at a time. OpenAPI at /openapi.json and /docs (Swagger UI, served from the
package: no CDN). Every list route pages: `total`, `remaining`, and `next_cursor` to pass
as `cursor` for the next page.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import Body, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field

from ..errors import EmptyInput, StoreBusy, StoreError
from ..link import queries as lq
from ..link.salience import rank_dates, story_happenings
from ..link.threads import story_threads
from ..records import DocMeta, RawDocument, document_id, with_display
from ..settings import Settings
from ..store import Store
from ..store import queries as sq
from ..store.db import BUSY_TIMEOUT_MS
from .brief import brief_data, write_brief
from .corrections_api import router as corrections_router
from .feeds import FEED_LIMIT, atom_feed, json_feed
from .graph import actor_graph, graph_json
from .search import search_page
from .shapes import (
    attach_displays,
    event_links,
    list_stories,
    quote_links,
    story_claims,
    story_events,
)
from .watch import add_watch, check_watches, list_watches
from .web import install_docs, install_errors, install_security, install_ui


class IngestItem(BaseModel):
    """One article given as text."""

    text: str = Field(min_length=1, description="The article text.")
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="ISO date of publication.")
    url: str | None = None
    language: str | None = None
    wire: str | None = None


class WatchSpec(BaseModel):
    """A watch: claims about these entities, of these subtypes, or with these words."""

    name: str = Field(min_length=1, max_length=200)
    entities: list[str] = Field(default_factory=list, description="Entity keys or names.")
    subtypes: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)


def _raw(item: IngestItem) -> RawDocument:
    meta = DocMeta(outlet=item.outlet, published=item.published, title=item.title,
                   url=item.url, language=item.language, wire=item.wire)
    meta.provenance = {k: "api" for k, v in meta.as_dict().items()
                       if v not in (None, "", {}) and k != "provenance"}
    return RawDocument(source=item.url or f"api:{document_id(item.text)}", text=item.text,
                       meta=meta, kind="text")


def open_store(path: str, *, readonly: bool) -> Store:
    """Store.open, with a file that is not SQLite reported as a StoreError."""
    try:
        return Store.open(path, readonly=readonly)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot read the store: {exc}", source=path) from exc


def _reader(request: Request) -> Iterator[Store]:
    store = open_store(request.app.state.db_path, readonly=True)
    try:
        yield store
    finally:
        store.close()


def _writer(request: Request) -> Iterator[Store]:
    # Each write is one short transaction: SQLite makes writers take turns (and says when
    # the store stays busy, StoreBusy -> 503), so a watch is saved while an ingest runs.
    store = open_store(request.app.state.db_path, readonly=False)
    try:
        yield store
    finally:
        store.close()


Reader = Annotated[Store, Depends(_reader)]
Writer = Annotated[Store, Depends(_writer)]
Limit = Annotated[int, Query(ge=1, le=sq.MAX_PAGE, description="Items per page.")]
Cursor = Annotated[str | None, Query(max_length=200, description=(
    "The next_cursor of the previous page; none for the first page."))]


def create_app(db_path: str, *, token: str | None = None,
               allowed_hosts: tuple[str, ...] | None = None,
               max_body: int | None = None) -> FastAPI:
    """The API and UI over the store at `db_path`; with `token`, writes need it; with
    `allowed_hosts`, requests must name one of them in their Host header; request bodies
    are at most `max_body` bytes (default settings.max_bytes)."""
    app = FastAPI(title="Storyline", version="0.1.0", docs_url=None, redoc_url=None,
                  description="A verified, cited record of a developing story: stories, "
                              "merged events with their sources and denials, documents "
                              "with every extracted fact and its evidence span.")
    app.state.db_path = str(db_path)
    app.state.write_lock = write_lock = threading.Lock()
    app.state.token = token  # a correction's default author is the token's holder
    install_errors(app)
    install_security(app, token, allowed_hosts,
                     max_body or Settings.load(db=str(db_path)).max_bytes)

    @app.get("/api/documents", tags=["documents"])
    def documents(store: Reader, limit: Limit = 100, cursor: Cursor = None,
                  offset: Annotated[int | None, Query(ge=0)] = None) -> dict[str, Any]:
        """Stored documents, in ingest order: a page, the total, and the next page's cursor."""
        start = offset if offset is not None else sq.decode_cursor(cursor)
        return sq.page(store.list_documents(limit=limit, offset=start),
                       store.count_documents(), start, limit, "documents")

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def document(doc_id: str, store: Reader) -> dict[str, Any]:
        """A document's text and every extracted fact with its span, the merged event each
        event belongs to, and the other reports of each quote."""
        view = sq.document_view(store, doc_id)
        real_id = view["document"]["id"]
        view["story_id"] = lq.story_for_document(store, real_id)
        view["event_links"] = event_links(store, real_id)
        view["quote_links"] = quote_links(store, real_id)
        return view

    @app.get("/api/entities", tags=["entities"])
    def entities(store: Reader, q: str | None = None, limit: Limit = 500,
                 cursor: Cursor = None) -> dict[str, Any]:
        """Entities, most cited first; `q` filters by name, key or surface form. A page, the
        total, and the next page's cursor."""
        start = sq.decode_cursor(cursor)
        return sq.page(sq.list_entities(store, q, limit, start), sq.count_entities(store, q),
                       start, limit, "entities")

    @app.get("/api/entities/{key:path}", tags=["entities"])
    def entity(key: str, store: Reader) -> dict[str, Any]:
        """Everything said of or by an entity (key or name)."""
        return sq.entity_page(store, key)

    @app.get("/api/events", tags=["events"])
    def events(store: Reader, subtype: str | None = None, entity: str | None = None,
               status: str | None = None, doc: str | None = None,
               limit: Limit = 500, cursor: Cursor = None) -> dict[str, Any]:
        """Events as each document reports them (not merged): a page, the total, and the
        next page's cursor."""
        start = sq.decode_cursor(cursor)
        where = {"subtype": subtype, "entity": entity, "status": status, "doc_id": doc}
        return sq.page(sq.list_events(store, **where, limit=limit, offset=start),
                       sq.count_events(store, **where), start, limit, "events")

    @app.get("/api/claims", tags=["stories"])
    def claims(store: Reader, story: int | None = None,
               limit: Annotated[int | None, Query(ge=1, le=sq.MAX_PAGE, description=(
                   "Items per page; without it and without a cursor, every claim, as a "
                   "list (the API's first contract, which clients read)."))] = None,
               cursor: Cursor = None) -> list[dict[str, Any]] | dict[str, Any]:
        """The claims table (one row per merged event) of a story, or of every story: all of
        it as a list, or with `limit`/`cursor` a page, the total, and the next cursor."""
        rows = story_claims(store, story)
        if limit is None and cursor is None:
            return rows
        return sq.page_of(rows, sq.decode_cursor(cursor), limit or 500, "claims")

    @app.get("/api/quotes", tags=["stories"])
    def quotes(store: Reader, story: int | None = None, speaker: str | None = None,
               limit: Limit = 500, cursor: Cursor = None) -> dict[str, Any]:
        """Quotes per document (a page, the total, and the next page's cursor), and
        statements grouped across documents."""
        start = sq.decode_cursor(cursor)
        return {**sq.page(sq.list_quotes(store, speaker=speaker, limit=limit, offset=start),
                          sq.count_quotes(store, speaker=speaker), start, limit, "quotes"),
                "groups": attach_displays(store, lq.quote_groups(store, story))}

    @app.get("/api/stories", tags=["stories"])
    def stories(store: Reader, everything: Annotated[bool, Query(
            alias="all", description="Also the stories in which no event was found "
                                     "(all=false leaves them out; the UI folds them).")]
            = True) -> list[dict[str, Any]]:
        """Every story with its period and size (all=false: only those with an event)."""
        return list_stories(store, include_empty=everything)

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def story(story_id: int, store: Reader) -> dict[str, Any]:
        """A story with its documents."""
        story = lq.get_story(store, story_id)
        story["documents"] = [with_display(d) for d in story["documents"]]
        return story

    @app.get("/api/stories/{story_id}/timeline", tags=["stories"])
    def timeline(story_id: int, store: Reader) -> list[dict[str, Any]]:
        """The story's merged events in date order, with sources, status and denials."""
        return story_events(store, story_id)

    @app.get("/api/dates", tags=["stories"])
    def dates(store: Reader, story: int | None = None,
              top: Annotated[int, Query(ge=0, le=10_000)] = 10) -> list[dict[str, Any]]:
        """The days of a story (or of the whole store) ranked by how much the coverage says
        happened on them, each with its evidence (as `storyline dates`; top 0: every day)."""
        return rank_dates(store, story, top=top)

    @app.get("/api/stories/{story_id}/happenings", tags=["stories"])
    def happenings(story_id: int, store: Reader) -> list[dict[str, Any]]:
        """What happened beside the PLOVER events (deaths, arrests, verdicts, disasters...):
        the story's dated happenings by time and subtype, with the reports of each."""
        lq.get_story(store, story_id)
        return story_happenings(store, story_id)

    @app.get("/api/stories/{story_id}/threads", tags=["stories"])
    def threads(story_id: int, store: Reader) -> dict[str, Any]:
        """Where the story branches: groups of its articles that follow one line (threads),
        each with its label, period, documents and the merged events they share; and the
        articles in no thread."""
        return story_threads(store, story_id)

    @app.get("/api/stories/{story_id}/graph", tags=["stories"])
    def graph(story_id: int, store: Reader) -> dict[str, Any]:
        """The actor graph: who did what to whom, edges by subtype with counts."""
        lq.get_story(store, story_id)
        return graph_json(actor_graph(store, story_id))

    @app.get("/api/stories/{story_id}/brief", tags=["stories"])
    def brief(story_id: int, store: Reader,
              format: Literal["md", "html", "json"] = "md") -> Response:
        """The analyst briefing of the story, every sentence cited (json: the sections and
        sources the web UI draws)."""
        if format == "json":
            return JSONResponse(brief_data(store, story_id))
        text = write_brief(store, story_id, format)
        if format == "html":
            return Response(text, media_type="text/html; charset=utf-8")
        return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")

    @app.get("/api/search", tags=["documents"])
    def search(store: Reader, q: Annotated[str, Query(min_length=1)],
               limit: Limit = 20, cursor: Cursor = None,
               aliases: Annotated[bool, Query(description=(
                   "Widen each actor named to every name the knowledge base knows it by."
               ))] = True) -> dict[str, Any]:
        """Full-text search over documents (a page of the best matches, the total, the next
        page's cursor, what the query was widened to), and the entities whose names match."""
        return search_page(store, q, limit, sq.decode_cursor(cursor), aliases=aliases)

    @app.get("/api/watches", tags=["watches"])
    def watches(store: Reader) -> list[dict[str, Any]]:
        """Every watch."""
        return list_watches(store)

    @app.post("/api/watches", tags=["watches"], status_code=201)
    def new_watch(spec: WatchSpec, store: Writer) -> dict[str, Any]:
        """Add (or replace) a watch."""
        return add_watch(store, spec.name, spec.entities, spec.subtypes, spec.keywords)

    @app.get("/api/watches/{name}/new", tags=["watches"])
    def watch_new(name: str, store: Reader) -> list[dict[str, Any]]:
        """Claims matching the watch that are new since its last check (the check is not
        recorded: POST to record it)."""
        return check_watches(store, name, mark=False)

    @app.get("/api/watches/{name}/feed.atom", tags=["watches"],
             response_class=Response, responses={200: {"content": {
                 "application/atom+xml": {}}}})
    def watch_atom(name: str, store: Reader, request: Request,
                   limit: Annotated[int, Query(ge=1, le=500)] = FEED_LIMIT) -> Response:
        """Atom feed of the watch's claims, the latest changed first, each with its
        evidence (reading it does not move the watch's last check)."""
        return Response(atom_feed(store, name, str(request.base_url), limit),
                        media_type="application/atom+xml; charset=utf-8")

    @app.get("/api/watches/{name}/feed.json", tags=["watches"])
    def watch_json_feed(name: str, store: Reader, request: Request,
                        limit: Annotated[int, Query(ge=1, le=500)] = FEED_LIMIT) -> Response:
        """JSON Feed 1.1 of the watch's claims, as the Atom feed."""
        return JSONResponse(json_feed(store, name, str(request.base_url), limit),
                            media_type="application/feed+json")

    @app.post("/api/watches/{name}/new", tags=["watches"])
    def watch_check(name: str, store: Writer) -> list[dict[str, Any]]:
        """The same claims, and the watch's last check moves to now."""
        return check_watches(store, name, mark=True)

    @app.post("/api/ingest", tags=["documents"])
    def ingest(items: Annotated[IngestItem | list[IngestItem], Body()],
               analyse: bool = True) -> dict[str, Any]:
        """Ingest articles given as text: clean, store, extract and link them."""
        batch = items if isinstance(items, list) else [items]
        if not batch:
            raise EmptyInput("nothing to ingest: an empty list", source="body")
        from ..pipeline import process_raw  # the whole NLP pipeline: load it only when used

        settings = Settings.load(db=app.state.db_path)
        # one ingest at a time in this process (each loads the pipeline and analyses);
        # writes of other kinds go on between its transactions
        if not write_lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise StoreBusy("another ingest has been running on this server for over "
                            f"{BUSY_TIMEOUT_MS // 1000} s; try again later", source="ingest")
        try:
            with open_store(app.state.db_path, readonly=False) as store:
                report = process_raw([_raw(i) for i in batch], store, settings,
                                     analyse=analyse)
        finally:
            write_lock.release()
        return report.as_dict()

    app.include_router(corrections_router)  # corrections, review queue, relink
    install_docs(app)
    install_ui(app)
    return app
