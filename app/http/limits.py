"""The request gate: what cannot succeed is refused before a byte of its body is read.

A pure ASGI middleware, in front of FastAPI (which reads and parses a body before it runs a
route's dependencies, so a 99 MB POST without a token used to cost seconds and hundreds of
megabytes before its 401). In order:

1. a write (POST, PUT, PATCH, DELETE) under `/api/` without an `Authorization: Bearer <token>`
   header, or with a malformed one: 401, at once;
2. a `Content-Length` over `MARQUEE_MAX_BODY_BYTES`: 413, at once;
3. a write under `/api/` whose token is unknown or revoked: 401. The token is looked up on the
   read engine (an ordinary read: on SQLite it never waits for, or takes, the write lock);
4. a body without a length (chunked) that grows past the cap while it is read: 413.

Public by design, so never asked for a token here: `POST /api/festivals/{slug}/plans` and
everything under `/api/plans/` (an attendee's plan; its secret is in its path). Roles (403)
and reads of unpublished data are still checked by the routes' dependencies: for a write they
take the token's row the gate found (`GATE_TOKEN` in the request's state, with the token it was
found by) instead of looking it up a second time; a read's token is looked up there.
"""

from __future__ import annotations

import logging
import re

import anyio.to_thread
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.problems import Problem, problem_response
from app.settings import get_settings
from app.store.db import get_engines
from app.store.models import ApiToken
from app.store.tokens import active_token_on

logger = logging.getLogger("marquee")

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PUBLIC_WRITES = re.compile(r"^/api/(?:festivals/[^/]+/plans/?|plans(?:/.*)?)$")
_CHALLENGE = 'Bearer realm="marquee"'
_DRAIN_AT_MOST = 64 * 1024  # bytes of an unread body the server may still receive and drop
GATE_TOKEN = "gate_token"  # the request state's (token, ApiToken row) of a write the gate let through


def needs_token(method: str, path: str) -> bool:
    """Whether the gate asks this request for a valid token before it reads the body."""
    if method not in WRITE_METHODS or not (path == "/api" or path.startswith("/api/")):
        return False
    return not (method == "POST" and _PUBLIC_WRITES.match(path)) and not path.startswith("/api/plans/")


def bearer_token(authorization: str | None) -> str | Problem:
    """The token of an `Authorization: Bearer <token>` header, or the 401 that answers it."""
    if not authorization:
        return Problem(
            401,
            "This needs a token: send 'Authorization: Bearer <token>' "
            "(make one with 'marquee token create --role programmer').",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Problem(
            401, "The Authorization header must be 'Bearer <token>'.", headers={"WWW-Authenticate": _CHALLENGE}
        )
    return token.strip()


def _active_token(token: str) -> ApiToken | None:
    """The token's row if it is live: one SELECT on the read engine, outside any write transaction."""
    with get_engines().read.connect() as connection:
        return active_token_on(connection.execution_options(single_statement=True), token)


def _too_large(cap: int) -> Problem:
    return Problem(
        413,
        f"The request body is larger than this server accepts ({cap:,} bytes, "
        "MARQUEE_MAX_BODY_BYTES); nothing was read or changed. Send less at once "
        "(for a whole programme, use 'marquee load').",
    )


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a body without a length grows past the cap.

    An HTTPException, so FastAPI passes it through its body parsing untouched and the
    problem handlers answer it as 413 problem+json."""

    def __init__(self, cap: int):
        super().__init__(413, _too_large(cap).detail, headers={"Connection": "close"})
        self.cap = cap


class RequestGate:
    """Refuses unauthenticated writes and oversized bodies before the application reads them."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cap = get_settings().max_body_bytes
        token: str | Problem | None = None
        if needs_token(scope["method"], scope["path"]):
            token = bearer_token(headers.get("authorization"))
            if isinstance(token, Problem):
                await self._refuse(scope, receive, send, token)
                return
        length = _content_length(headers)
        if length is not None and length > cap:
            await self._refuse(scope, receive, send, _too_large(cap))
            return
        if isinstance(token, str):
            found = await self._check(token)
            if isinstance(found, Problem):
                await self._refuse(scope, receive, send, found)
                return
            scope.setdefault("state", {})[GATE_TOKEN] = (token, found)

        received = 0
        started = False

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise BodyTooLarge(cap)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, capped_receive, watched_send)
        except BodyTooLarge as error:  # read outside a route (a route's own read is answered inside)
            if started:
                raise
            await self._refuse(scope, receive, send, _too_large(error.cap))

    @staticmethod
    async def _check(token: str) -> ApiToken | Problem:
        try:
            active = await anyio.to_thread.run_sync(_active_token, token)
        except SQLAlchemyError:
            logger.exception("the token could not be looked up")
            return Problem(
                503,
                "The database cannot be reached to check the token; nothing was changed. Try again in a moment.",
                headers={"Retry-After": "5"},
            )
        if active is not None:
            return active
        return Problem(
            401,
            "The token is unknown or has been revoked.",
            headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'},
        )

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, problem: Problem) -> None:
        # The body is left unread. A small one is drained by the server and the connection
        # kept; a large or unknown one is not worth receiving: close after answering.
        length = _content_length(Headers(scope=scope))
        chunked = "chunked" in Headers(scope=scope).get("transfer-encoding", "").lower()
        if chunked or (length or 0) > _DRAIN_AT_MOST:
            problem.headers["Connection"] = "close"
        response = problem_response(Request(scope), problem)
        await response(scope, receive, send)


def _content_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
