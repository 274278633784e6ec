"""The fast path of a create: `POST /api/festivals/{slug}/screenings`, the most frequent write.

Profiled, a create spent as much CPU in the layers around its work as in the work: five
middleware layers and FastAPI's routing and dependency resolution on the event loop, and two
worker threads before the route's own (the gate's token check, the festival), each a thread
switch each way and, on a busy machine, a wait for a core. `ScreeningCreates` is ASGI
middleware, inside `WritesFirst` and outside everything else, that answers a create which is
going to succeed, or to be refused by the service, in one worker thread and with the very bytes
and headers the route, its handlers and `SecureResponses` send:

1. the request's headers are checked as the gate checks them, and the token is looked up
   before a byte of the body is read: on SQLite on the event loop, on a connection of its own
   that never waits (`TokenConnection`, microseconds), else in a worker thread as the gate does;
2. the body (a `Content-Length` of at most 64 KiB, JSON) is read, parsed and validated with the
   route's own body field, as FastAPI does it;
3. in one worker thread, on a session of the write engine (as `get_session` makes it): the
   festival is read (`get_festival`), the route's work runs (`created`, the route's own), its
   answer is validated and serialised with the route's own response field (`answer_bytes`), and
   the transaction commits; the answer is sent after the commit, as the route's is.

What the service raises there (404 of an unknown festival, 409, 422 of a field, 503 of a lock
wait) is rolled back and answered by the application's own handler of that exception, as the
route's would be. Anything else goes the usual way, through every layer, with the body handed on
as it was received: no valid token of a programmer (401 and 403 come from the gate and the
route), a missing, chunked or large body, another content type, a body FastAPI would refuse (so
which of 404 and 422 answers is decided there, as always), a root path, and any exception without
a handler of its own. Nothing is committed on the fast path before that decision, so a request
that goes the usual way is run from the start there, once.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlmodel import Session
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.deps import _ROLE_RANK, answer_bytes, answer_response
from app.http.limits import _active_token, _content_length, bearer_token
from app.http.security import secure_start
from app.services.catalogue import get_festival
from app.settings import get_settings
from app.store.db import get_engines
from app.store.models import ApiToken, Festival
from app.store.tokens import TOKENS

logger = logging.getLogger("marquee")

CREATE_PATH = "/api/festivals/{slug}/screenings"
_CREATE = re.compile(r"^/api/festivals/(?P<slug>[^/]+)/screenings$")
FAST_BODY_BYTES = 64 * 1024  # a screening's body is a few hundred bytes
Work = Callable[[Session, Festival, Any], tuple[Any, dict[str, str]]]


class _Usual(Exception):
    """Raised in the worker thread: the request goes the usual way (nothing was committed)."""


class ScreeningCreates:
    """ASGI middleware: the fast path of `POST /api/festivals/{slug}/screenings` (see the module)."""

    enabled = True  # tests turn it off to compare with the usual way

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI, route: APIRoute, work: Work):
        assert route.path == CREATE_PATH and route.methods == {"POST"}, route
        self.app = app
        self.fastapi_app = fastapi_app
        self.route = route
        self.work = work

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.enabled
            or scope["method"] != "POST"
            or scope.get("root_path")
            or not scope["path"].endswith("/screenings")
        ):
            await self.app(scope, receive, send)
            return
        match = _CREATE.match(scope["path"])
        if match is None:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        token = bearer_token(headers.get("authorization"))
        length = _content_length(headers)
        if (
            not isinstance(token, str)
            or length is None
            or not 0 < length <= min(FAST_BODY_BYTES, get_settings().max_body_bytes)
            or "transfer-encoding" in headers
            or not _is_json(headers.get("content-type"))
        ):
            await self.app(scope, receive, send)
            return
        found = await _live_token(token)
        if found is None or _ROLE_RANK.get(found.role, 0) < _ROLE_RANK["programmer"]:
            await self.app(scope, receive, send)  # 401 or 403 (or 503), from the gate or the route
            return

        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client has gone: nothing was read into the database, nobody to answer
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        handed_on = _replaying(body, receive)
        route = self.route
        fields = _valid_body(route, body)
        if fields is None:
            await self.app(scope, handed_on, send)  # 422 (or 404 first) from FastAPI and the handlers
            return

        slug = match["slug"]
        try:
            answer, answer_headers = await anyio.to_thread.run_sync(self._create, slug, fields, route)
        except _Usual:
            await self.app(scope, handed_on, send)
            return
        except Exception as error:  # noqa: BLE001 - answered by the application's handler of it
            await self._answer_error(scope, handed_on, send, error)
            return
        await answer_response(route, answer, answer_headers)(scope, handed_on, _secured(send))

    def _create(self, slug: str, fields: Any, route: APIRoute) -> tuple[bytes, dict[str, str]]:
        """In a worker thread: the festival, the work, the answer's bytes, the commit (or nothing)."""
        session = Session(get_engines().write, expire_on_commit=False)
        try:
            try:
                festival = get_festival(session, slug, first_read=True)
                content, headers = self.work(session, festival, fields)
                answer = answer_bytes(route, content)
            except Exception as error:
                session.rollback()
                if self._handler(error) is None:
                    raise _Usual from error
                raise
            session.commit()  # what it raises is answered by its handler (500 without one)
            return answer, headers
        finally:
            session.close()

    def _handler(self, error: Exception) -> Callable | None:
        """The application's handler of `error`, found as Starlette's ExceptionMiddleware finds it
        (by the exception's classes); None for those it leaves to the catch-all (a 500)."""
        if isinstance(error, HTTPException):
            return None  # handled by status code: left to the usual way
        handlers = self.fastapi_app.exception_handlers
        for kind in type(error).__mro__:
            if kind is Exception:
                return None
            if kind in handlers:
                return handlers[kind]
        return None

    async def _answer_error(self, scope: Scope, receive: Receive, send: Send, error: Exception) -> None:
        handler = self._handler(error) or self.fastapi_app.exception_handlers.get(Exception)
        if handler is None:
            raise error
        response = await handler(Request(scope, receive), error)
        await response(scope, receive, _secured(send))


async def _live_token(token: str) -> ApiToken | None:
    """The token's row if it is live; None when it is not, or cannot be looked up (the usual way answers)."""
    try:
        answered, found = TOKENS.active_token(get_engines(), token)
        if answered:
            return found
        return await anyio.to_thread.run_sync(_active_token, token)
    except Exception:  # noqa: BLE001 - the usual way answers (401, or 503)
        return None


def _is_json(content_type: str | None) -> bool:
    return content_type is not None and content_type.split(";", 1)[0].strip().lower() == "application/json"


def _valid_body(route: APIRoute, body: bytes) -> Any | None:
    """The body as the route's endpoint receives it (parsed and validated as FastAPI does it);
    None when FastAPI would refuse it."""
    try:
        content = json.loads(body)
        field = route.body_field
        if field is None:
            return None
        value, errors = field.validate(content, {}, loc=("body",))
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return None  # answered the usual way (FastAPI's own 400 or 422)
    return None if errors else value


def _replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` for the usual way: the body read here, then whatever the server sends next."""
    handed = False

    async def replayed() -> Message:
        nonlocal handed
        if not handed:
            handed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _secured(send: Send) -> Send:
    async def secured_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            secure_start(message, private=True)  # under /api/: always private
        await send(message)

    return secured_send


def install_screening_creates(app: FastAPI, route: APIRoute, work: Work) -> None:
    """The fast path of `route` (the create route, answering with `work`): inside `WritesFirst`
    (install before it), outside `SecureResponses` and the gate."""
    build_stack = app.build_middleware_stack

    def build_with_fast_creates() -> ASGIApp:
        return ScreeningCreates(build_stack(), app, route, work)

    app.build_middleware_stack = build_with_fast_creates  # type: ignore[method-assign]
