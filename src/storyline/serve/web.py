"""The web layer around the API routes: one JSON error shape, security headers, the token
check on writes, and the static UI.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (
    AccessDenied,
    InputError,
    ModelError,
    NotFound,
    StoreBusy,
    StorylineError,
    TooLarge,
    UnsupportedInput,
)

log = logging.getLogger("storyline.serve")
STATIC = Path(__file__).parent / "static"

# Article text is untrusted: no inline script or style, nothing from other origins.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
# /docs is Swagger UI from the fastapi-offline package, served here (it works offline):
# its scripts are files of this server, but it styles elements inline and shows the API
# schema only, never article text.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def status_for(exc: StorylineError) -> int:
    """The HTTP status of an error of the Storyline tree."""
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, AccessDenied):
        return 401
    if isinstance(exc, UnsupportedInput):
        return 415 if exc.source == "content-type" else 400
    if isinstance(exc, TooLarge) and exc.source == "body":
        return 413
    if isinstance(exc, InputError):
        return 400
    if isinstance(exc, ModelError | StoreBusy):
        return 503
    return 500


def error_response(exc: StorylineError, status: int | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """The one JSON error shape: {"error": {"code", "type", "message", "source"}}."""
    return JSONResponse({"error": exc.as_dict()}, status_code=status or status_for(exc),
                        headers=headers)


def _validation_message(exc: RequestValidationError) -> tuple[str, str]:
    parts, where = [], ""
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()))
        where = where or loc
        parts.append(f"{loc}: {err.get('msg')}")
    return "; ".join(parts) or "invalid request", where


def install_errors(app: FastAPI) -> None:
    """Every error, ours or the framework's, leaves in the same shape."""

    @app.exception_handler(StorylineError)
    async def _storyline(request: Request, exc: StorylineError) -> JSONResponse:
        return error_response(exc, headers={"Retry-After": "5"}
                              if isinstance(exc, StoreBusy) else None)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, where = _validation_message(exc)
        return error_response(InputError(message, source=where or request.url.path), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        path = request.url.path
        err: StorylineError
        if exc.status_code == 404:
            err = NotFound(f"no route {path}" if exc.detail == "Not Found" else str(exc.detail),
                           source=path)
        elif exc.status_code in (401, 403):
            err = AccessDenied(str(exc.detail), source=path)
        else:
            err = InputError(str(exc.detail), source=path)
        return error_response(err, exc.status_code, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        err = StorylineError(f"internal error: {type(exc).__name__}", source=request.url.path)
        return error_response(err, 500)


def _same_origin(request: Request) -> bool:
    """A browser's cross-site write carries a foreign Origin: refuse it."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


# Host names a loopback server answers to by default: a page on another site that points
# its own name at 127.0.0.1 (DNS rebinding) sends its name in the Host header.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def _host_name(host: str) -> str:
    """The name in a Host header, without the port ("[::1]:8765" -> "::1")."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class RequestGuard:
    """ASGI middleware run before anything reads the request: the Host header must name an
    allowed host (when a list is given), and no request body over `max_body` bytes is
    read (a declared length over it is refused at once; a chunked body as it arrives)."""

    def __init__(self, app: Any, allowed_hosts: tuple[str, ...] | None, max_body: int) -> None:
        self.app = app
        self.allowed = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}
        self.max_body = max_body

    async def _refuse(self, scope: Any, receive: Any, send: Any, exc: StorylineError,
                      status: int) -> None:
        await _secure(error_response(exc, status), scope.get("path", ""))(scope, receive, send)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        host = headers.get(b"host", b"").decode("latin-1")
        if self.allowed is not None and _host_name(host) not in self.allowed:
            await self._refuse(scope, receive, send, InputError(
                f"this server answers to {', '.join(sorted(self.allowed))} only (Host header "
                f"{host[:80]!r}); serve --allow-host adds a name", source="host"), 400)
            return
        length = headers.get(b"content-length")
        too_large = TooLarge(f"request body over the limit of {self.max_body:,} bytes",
                             source="body")
        if length is not None:
            if not length.isdigit() or int(length) > self.max_body:
                await self._refuse(scope, receive, send, too_large, 413)
                return
            await self.app(scope, receive, send)
            return
        if scope.get("method") not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        chunks: list[Any] = []
        size = 0
        while True:  # no declared length: read it here, up to the cap, then replay it
            message = await receive()
            chunks.append(message)
            size += len(message.get("body", b""))
            if size > self.max_body:
                await self._refuse(scope, receive, send, too_large, 413)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Any:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)


def install_security(app: FastAPI, token: str | None,
                     allowed_hosts: tuple[str, ...] | None = None,
                     max_body: int = 20_000_000) -> None:
    """Security headers on every response; writes need the token (when one is set) and
    must not come from another site; the Host must be allowed (`allowed_hosts`, None: any)
    and a request body at most `max_body` bytes."""
    app.add_middleware(RequestGuard, allowed_hosts=allowed_hosts, max_body=max_body)

    @app.middleware("http")
    async def _guard(request: Request, call_next: Any) -> Response:
        path = request.url.path
        if request.method in WRITE_METHODS:
            if not _same_origin(request):
                return _secure(error_response(AccessDenied(
                    "cross-site write refused", source=path), 403), path)
            if token is not None:
                given = request.headers.get("authorization", "")
                scheme, _, value = given.partition(" ")
                if scheme.lower() != "bearer" or not hmac.compare_digest(
                        value.strip().encode(), token.encode()):
                    return _secure(error_response(AccessDenied(
                        "this server needs 'Authorization: Bearer <token>' for writes",
                        source=path), 401, {"WWW-Authenticate": "Bearer"}), path)
        try:
            response = await call_next(request)
        except Exception as exc:  # an error raised past the handlers still gets our shape
            log.exception("unexpected error on %s", path)
            response = error_response(StorylineError(
                f"internal error: {type(exc).__name__}", source=path), 500)
        return _secure(response, path)


def _secure(response: Response, path: str) -> Response:
    docs = path == "/docs" or path.startswith("/docs/")
    response.headers["Content-Security-Policy"] = DOCS_CSP if docs else CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    return response


UI_ROUTES = ("/", "/stories", "/stories/{story_id}", "/stories/{story_id}/brief",
             "/documents/{doc_id}", "/entities", "/entities/{key:path}", "/search", "/review")
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}


def install_ui(app: FastAPI) -> None:
    """The single-page UI: index.html for its routes, and its static files."""

    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type=STATIC_TYPES[".html"],
                            headers={"Cache-Control": "no-cache"})

    for route in UI_ROUTES:
        app.add_api_route(route, index, methods=["GET"], include_in_schema=False)

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> FileResponse:
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in name) or len(name) > 255:
            raise InputError("a static file name with control characters or too long",
                             source=repr(name[:80]))
        path = (STATIC / name).resolve()
        if path.parent != STATIC.resolve() or not path.is_file() \
                or path.suffix not in STATIC_TYPES:
            raise NotFound(f"no static file {name!r}", source=name)
        return FileResponse(path, media_type=STATIC_TYPES[path.suffix],
                            headers={"Cache-Control": "no-cache"})


# The files of Swagger UI that /docs loads, and the bootstrap (ours, a file: no inline
# script) that starts it on this server's schema. They come from the fastapi-offline
# package, which ships Swagger UI 5 (swagger-ui-bundle on PyPI ships 4.15, which cannot
# read the OpenAPI 3.1 schema FastAPI writes).
SWAGGER_FILES = {"swagger-ui.css": ".css", "swagger-ui-bundle.js": ".js", "favicon.png": ".png"}
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} · API</title>
  <link rel="icon" type="image/png" href="/docs/static/favicon.png">
  <link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi="{openapi}"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script src="/static/swagger-init.js"></script>
</body>
</html>
"""


def install_docs(app: FastAPI) -> None:
    """/docs: Swagger UI over /openapi.json, every file served from the installed package
    (fastapi-offline's static folder), so it renders with no network. Create the app with
    docs_url=None and redoc_url=None."""
    from html import escape
    from importlib.resources import files

    root = Path(str(files("fastapi_offline") / "static"))
    page = DOCS_PAGE.format(title=escape(app.title), openapi=escape(app.openapi_url or ""))

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    @app.get("/docs/static/{name}", include_in_schema=False)
    async def docs_static(name: str) -> FileResponse:
        if name not in SWAGGER_FILES:
            raise NotFound(f"no file {name[:80]!r} in /docs/static", source="/docs/static")
        types = {".css": STATIC_TYPES[".css"], ".js": STATIC_TYPES[".js"], ".png": "image/png"}
        return FileResponse(root / name, media_type=types[SWAGGER_FILES[name]],
                            headers={"Cache-Control": "public, max-age=86400"})
