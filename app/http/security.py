"""Security and HTTP hygiene for every response, installed with one call: `install_security(app)`.

- **Headers** on every response, errors included: a Content-Security-Policy that allows no
  inline script (and no inline style: the pages' CSS is `/static/marquee.css`; the printed
  programme's one `<style>` is allowed by its hash), `X-Content-Type-Options: nosniff`,
  `frame-ancestors 'none'` with `X-Frame-Options: DENY`, and `Referrer-Policy: no-referrer`
  (a plan's secret is in its path; no link out may carry it).
- **Private answers**: a response to a request that carried `Authorization`, and every
  response under `/api/`, is `Cache-Control: private, no-store` with `Vary: Authorization`.
- **The request gate** (`app.http.limits`): tokens and body size checked before the body
  is read.
- **Lock waits**: a write that cannot get the database's write lock in time (SQLite's
  "database is locked" after `MARQUEE_SQLITE_BUSY_TIMEOUT`) answers 503 problem+json with
  `Retry-After`, never 500; so does an exhausted connection pool or an unreachable database.
- **HEAD** answers like GET without the body wherever GET is served; a 405 names in `Allow`
  every method its path supports.
- **`/docs` and `/redoc`** are served with their assets from Marquee itself (`app.http.docs`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Hashable
from pathlib import Path

from fastapi import FastAPI, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.cache import LRU
from app.http.docs import install_docs
from app.http.limits import RequestGate
from app.http.problems import Problem, problem_response
from app.settings import get_settings

logger = logging.getLogger("marquee")
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
RETRY_AFTER_SECONDS = 5
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def content_security_policy(
    *,
    style_src: tuple[str, ...] = ("'self'",),
    script_src: tuple[str, ...] = ("'self'",),
    img_src: tuple[str, ...] = ("'self'", "data:"),
    worker_src: tuple[str, ...] | None = None,
) -> str:
    """The policy of every response; pages that need more pass only what they need."""
    directives = [
        ("default-src", ("'self'",)),
        ("script-src", script_src),
        ("style-src", style_src),
        ("img-src", img_src),
        ("font-src", ("'self'",)),
        ("connect-src", ("'self'",)),
        ("object-src", ("'none'",)),
        ("base-uri", ("'none'",)),
        ("form-action", ("'self'",)),
        ("frame-ancestors", ("'none'",)),
    ]
    if worker_src is not None:
        directives.append(("worker-src", worker_src))
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


DEFAULT_CSP = content_security_policy()
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}

_STYLE_ELEMENT = re.compile(rb"<style\b[^>]*>(.*?)</style\s*>", re.DOTALL | re.IGNORECASE)
_style_policies: LRU[str] = LRU(maxsize=256)


def inline_style_policy(html: bytes, key: Hashable) -> str:
    """The default policy, plus the SHA-256 of each `<style>` element of `html` (made once per
    `key`, e.g. the page's ETag). Nothing else inline is allowed: no style attributes, no script."""

    def make() -> str:
        hashes = []
        for css in _STYLE_ELEMENT.findall(html):
            # browsers hash the element's text as parsed: newlines normalised to LF
            text = css.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            digest = base64.b64encode(hashlib.sha256(text).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
        return content_security_policy(style_src=("'self'", *dict.fromkeys(hashes)))

    return _style_policies.get_or_make(key, make)


def private_request(scope: Scope) -> bool:
    """Answers that must not be kept by shared caches: anything asked with a token, and the API."""
    path = scope["path"]
    return path == "/api" or path.startswith("/api/") or "authorization" in Headers(scope=scope)


def _serves_get(app: FastAPI, scope: Scope) -> bool:
    probe = {**scope, "method": "GET"}
    return any(route.matches(probe)[0] == Match.FULL for route in app.router.routes)


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """Every method some route serves at this path (the router's own 405 names one route's only).

    Each method is tried against the routes as the application saw the request (before a
    mount narrowed its root_path); included routers answer for their own routes."""
    base = {**scope, "root_path": scope.get("app_root_path", scope.get("root_path", ""))}
    allowed = []
    for method in METHOD_ORDER:
        probe = {**base, "method": method}
        for route in app.router.routes:
            if route.matches(probe)[0] == Match.FULL:
                if not isinstance(route, Mount) or method in ("GET", "HEAD"):  # mounts: static assets
                    allowed.append(method)
                break
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.insert(allowed.index("GET") + 1, "HEAD")
    return allowed


def secure_start(message: Message, private: bool) -> None:
    """The security headers (and, for a `private` answer, its caching headers) set on a response's start message."""
    headers = MutableHeaders(scope=message)
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    if "content-security-policy" not in headers:
        headers["content-security-policy"] = DEFAULT_CSP
    if private:
        headers["cache-control"] = "private, no-store"
        headers.add_vary_header("Authorization")


class SecureResponses:
    """The outermost layer: security and caching headers on every response, HEAD as GET."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI):
        self.app = app
        self.fastapi_app = fastapi_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head and _serves_get(self.fastapi_app, scope):
            scope = {**scope, "method": "GET"}  # the server sends no body for HEAD; neither do we
        private = private_request(scope)

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                secure_start(message, private)
            elif message["type"] == "http.response.body" and head:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, secured_send)


async def _method_not_allowed(request: Request, _exc: Exception):
    allowed = allowed_methods(request.app, request.scope)
    detail = f"{request.method} is not allowed on {request.url.path}"
    detail += f"; it answers {', '.join(allowed)}." if allowed else "."
    return problem_response(request, Problem(405, detail, headers={"Allow": ", ".join(allowed)}))


_LOCK_WAIT_STATES = {"55P03", "40P01", "40001", "57014"}  # lock not available, deadlock, serialization, timeout


def is_lock_wait(error: OperationalError) -> bool:
    """SQLite's busy timeout ran out, or PostgreSQL gave up waiting for a lock."""
    text = str(error.orig).lower()
    if "database is locked" in text or "database table is locked" in text or "database is busy" in text:
        return True
    return getattr(error.orig, "sqlstate", None) in _LOCK_WAIT_STATES


def _unreachable(error: OperationalError) -> bool:
    """psycopg's errors without an SQL state are the connection's: refused, dropped, timed out."""
    return getattr(error.orig, "sqlstate", "") is None


async def _database_busy(request: Request, exc: Exception):
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if isinstance(exc, PoolTimeout):
        detail = (
            "The server is answering as many requests as its database connections allow; "
            f"nothing was changed. Try again in {RETRY_AFTER_SECONDS} seconds."
        )
    elif isinstance(exc, OperationalError) and is_lock_wait(exc):
        waited = get_settings().sqlite_busy_timeout
        detail = (
            f"The database is busy with another write, and this request gave up waiting for it "
            f"(after {waited:g} s); nothing was changed. Try again in {RETRY_AFTER_SECONDS} seconds."
        )
    elif isinstance(exc, OperationalError) and _unreachable(exc):
        logger.error("the database cannot be reached: %s", exc.orig)
        detail = (
            f"The database cannot be reached at the moment; nothing was changed. "
            f"Try again in {RETRY_AFTER_SECONDS} seconds."
        )
    else:
        logger.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(
            request, Problem(500, "Something went wrong on the server; nothing was changed. The error has been logged.")
        )
    return problem_response(request, Problem(503, detail, headers=headers))


def install_security(app: FastAPI) -> None:
    """Everything above, on `app`. Call it once, after the routers are included."""
    app.add_exception_handler(OperationalError, _database_busy)
    app.add_exception_handler(PoolTimeout, _database_busy)
    app.add_exception_handler(405, _method_not_allowed)
    install_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # Outside Starlette's own layers (ServerErrorMiddleware included), so that even a 500
    # carries the headers and no body is read before the gate has looked at the request.
    build_inner_stack = app.build_middleware_stack

    def build_secured_stack() -> ASGIApp:
        return SecureResponses(RequestGate(build_inner_stack()), app)

    app.build_middleware_stack = build_secured_stack  # type: ignore[method-assign]
