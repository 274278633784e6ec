"""Route dependencies shared by the API and the pages: the request's transaction, the caller's token, the festival."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

import anyio.to_thread
from anyio import CancelScope, CapacityLimiter
from fastapi import Depends, Path, Request, Response
from fastapi.exceptions import ResponseValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.http.limits import GATE_TOKEN
from app.http.problems import Problem
from app.scheduling.fields import MAX_ID
from app.services.catalogue import get_festival as festival_named
from app.store.db import get_engines
from app.store.models import ApiToken, Festival
from app.store.tokens import active_token_on

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# ids in paths: positive 32-bit integers (PostgreSQL's integer), else 422 rather than a database error
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's one transaction: committed when the route returns, else rolled back.

    Write requests get the write engine (on SQLite it begins IMMEDIATE, taking the
    database's write lock up front so concurrent confirmations queue instead of racing).
    The session is made here, in the event loop: that reads nothing (it connects at its first
    query, in the route's worker thread). Committing, or rolling back, and closing are one call
    in a worker thread, shielded from cancellation, as FastAPI ends a sync dependency; unless the
    route has committed already, in its own worker thread (`answer_in_one_thread`): then nothing
    is left to send the database, and the session is closed here.
    """
    engines = get_engines()
    write = request.method not in SAFE_METHODS
    session = Session(engines.write if write else engines.read, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        with CancelScope(shield=True):
            await anyio.to_thread.run_sync(_end, session, False, limiter=CapacityLimiter(1))
        raise
    if session.info.pop(_COMMITTED, False) and not session.in_transaction() and not _pending(session):
        session.close()  # no transaction, no connection: closing touches nothing but the session
        return
    with CancelScope(shield=True):
        # its own limiter: ending never waits for a worker thread held by a request waiting for a connection
        await anyio.to_thread.run_sync(_end, session, write, limiter=CapacityLimiter(1))


def _end(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


# scope="function": commit before the response is sent, so a 2xx means it is stored
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
_COMMITTED = "marquee.committed_by_route"


def _pending(session: Session) -> bool:
    return bool(session.new or session.dirty or session.deleted)


async def answer_in_one_thread(
    request: Request, session: Session, work: Callable[[], tuple[Any, dict[str, str]]]
) -> Response:
    """Run a write route's work, its answer's validation and serialisation, and the commit, in
    one worker thread, in that order (as `get_session` and FastAPI do them, in three).

    `work` returns the route's content and the headers to add to the answer. The content is
    validated and serialised to JSON with the route's own response field and settings, exactly
    as FastAPI does for a route that returns content (the same bytes, status and headers), and
    an invalid one is refused as FastAPI refuses it, before anything is committed. Each worker
    thread a request enters costs a thread switch each way (and a wait for a thread while the
    interpreter is busy with other requests); a create used to enter five.
    """
    route = request.scope["route"]

    def run() -> tuple[bytes, dict[str, str]]:
        content, headers = work()
        body = answer_bytes(route, content)
        session.commit()
        session.info[_COMMITTED] = True
        return body, headers

    body, headers = await anyio.to_thread.run_sync(run)
    return answer_response(route, body, headers)


def answer_bytes(route: APIRoute, content: Any) -> bytes:
    """A route's content validated and serialised to JSON with the route's own response field and
    settings, exactly as FastAPI does it; an invalid one raises `ResponseValidationError`, as FastAPI does."""
    field = route.response_field
    assert field is not None
    value, errors = field.validate(content, {}, loc=("response",))
    if errors:
        raise ResponseValidationError(errors=errors, body=content)
    return field.serialize_json(
        value,
        include=route.response_model_include,
        exclude=route.response_model_exclude,
        by_alias=route.response_model_by_alias,
        exclude_unset=route.response_model_exclude_unset,
        exclude_defaults=route.response_model_exclude_defaults,
        exclude_none=route.response_model_exclude_none,
    )


def answer_response(route: APIRoute, body: bytes, headers: dict[str, str]) -> Response:
    """The response of `answer_in_one_thread`: the route's status, JSON, then `headers` in order."""
    response = Response(content=body, media_type="application/json", status_code=route.status_code)
    for name, value in headers.items():
        response.headers[name] = value
    return response


_ROLE_RANK = {"programmer": 1, "admin": 2}
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="marquee"'}
# auto_error=False: a missing or malformed header answers our own 401 problem, not FastAPI's 403
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A token from `marquee token create --role programmer` (or admin).",
)


def token_of(credentials: HTTPAuthorizationCredentials | None, authorization: str | None) -> str:
    """The bearer token of a request, or a 401 problem saying what to send."""
    if credentials is None or not credentials.credentials.strip():
        if authorization:
            raise Problem(401, "The Authorization header must be 'Bearer <token>'.", headers=_CHALLENGE)
        raise Problem(
            401,
            "This needs a token: send 'Authorization: Bearer <token>' "
            "(make one with 'marquee token create --role programmer').",
            headers=_CHALLENGE,
        )
    return credentials.credentials.strip()


def _look_up(token_text: str) -> ApiToken | None:
    # read the token without the write lock: a bad token never queues behind a writer
    with get_engines().read.connect() as connection:
        return active_token_on(connection.execution_options(single_statement=True), token_text)


def require_role(role: str):
    """A dependency admitting a live token of `role` (or higher).

    A write's token was looked up by the request gate (`app.http.limits`), which left the row in
    the request's state: it is taken from there, not read again. Any other request's token is
    looked up on a read connection, in a worker thread.
    """

    async def dependency(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]
    ) -> ApiToken:
        token_text = token_of(credentials, request.headers.get("authorization"))
        gate_text, token = getattr(request.state, GATE_TOKEN, (None, None))
        if gate_text != token_text:
            token = await anyio.to_thread.run_sync(_look_up, token_text)
        if token is None:
            raise Problem(
                401,
                "The token is unknown or has been revoked.",
                headers={"WWW-Authenticate": 'Bearer realm="marquee", error="invalid_token"'},
            )
        if _ROLE_RANK[token.role] < _ROLE_RANK[role]:
            raise Problem(403, f"This needs the {role} role; the token has the {token.role} role.")
        return token

    return dependency


async def optional_programmer(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]
) -> ApiToken | None:
    """A programmer's token when the request sends one (a wrong one is still 401), else None."""
    if credentials is None and not request.headers.get("authorization"):
        return None
    return await _programmer(request, credentials)


_programmer = require_role("programmer")
Programmer = Annotated[ApiToken, Depends(_programmer)]
# reads that the public may make once the festival has published, and a programmer always
Reader = Annotated[ApiToken | None, Depends(optional_programmer)]
Admin = Annotated[ApiToken, Depends(require_role("admin"))]


def get_festival(slug: str, session: SessionDep) -> Festival:
    # the request's first read: the festival is read without the ORM's query (same row, same identity)
    return festival_named(session, slug, first_read=True)


FestivalDep = Annotated[Festival, Depends(get_festival)]


def if_match(request: Request) -> str | None:
    """The request's If-Match header (compared by the service under the row's lock)."""
    return request.headers.get("if-match")
