"""Shared route dependencies: the request's transaction, the caller's token, the festival."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Request, Response
from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.api.problems import Problem, not_found
from app.api.schemas import MAX_ID
from app.store.db import get_engines
from app.store.models import ApiToken, Festival
from app.store.tokens import find_active_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# ids in paths: positive 32-bit integers (PostgreSQL's integer), else 422 rather than a database error
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


def get_session(request: Request) -> Iterator[Session]:
    """The request's one transaction: committed when the route returns, else rolled back.

    Write requests get the write engine (on SQLite it begins IMMEDIATE, taking the
    database's write lock up front so concurrent confirmations queue instead of racing).
    """
    engines = get_engines()
    write = request.method not in SAFE_METHODS
    with Session(engines.write if write else engines.read, expire_on_commit=False) as session:
        try:
            yield session
            if write:
                session.commit()
        except BaseException:
            session.rollback()
            raise


# scope="function": commit before the response is sent, so a 2xx means it is stored
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

_ROLE_RANK = {"programmer": 1, "admin": 2}


def _bearer(authorization: str | None) -> str:
    challenge = {"WWW-Authenticate": 'Bearer realm="marquee"'}
    if not authorization:
        raise Problem(401, "This needs a token: send 'Authorization: Bearer <token>' "
                           "(make one with 'marquee token create --role programmer').",
                      headers=challenge)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "The Authorization header must be 'Bearer <token>'.", headers=challenge)
    return token.strip()


def require_role(role: str):
    def dependency(session: SessionDep,
                   authorization: Annotated[str | None, Header()] = None) -> ApiToken:
        token = find_active_token(session, _bearer(authorization))
        if token is None:
            raise Problem(401, "The token is unknown or has been revoked.",
                          headers={"WWW-Authenticate": 'Bearer realm="marquee", error="invalid_token"'})
        if _ROLE_RANK[token.role] < _ROLE_RANK[role]:
            raise Problem(403, f"This needs the {role} role; the token has the {token.role} role.")
        return token

    return dependency


Programmer = Annotated[ApiToken, Depends(require_role("programmer"))]
Admin = Annotated[ApiToken, Depends(require_role("admin"))]


_FESTIVAL_BY_SLUG = select(Festival).where(Festival.slug == bindparam("slug"))  # every request: build once


def festival_by_slug(session: Session, slug: str) -> Festival:
    festival = session.execute(_FESTIVAL_BY_SLUG, {"slug": slug}).scalars().first()
    if festival is None:
        raise not_found(f"Festival '{slug}'")
    return festival


def get_festival(slug: str, session: SessionDep) -> Festival:
    return festival_by_slug(session, slug)


FestivalDep = Annotated[Festival, Depends(get_festival)]


def etag_of(kind: str, row) -> str:
    return f'"{kind}-{row.id}-{row.revision}"'


def check_if_match(request: Request, etag: str) -> None:
    """Honour If-Match on PATCH and DELETE: 412 when the client's copy is stale."""
    header = request.headers.get("if-match")
    if header is None:
        return
    candidates = [c.strip() for c in header.split(",")]
    if "*" in candidates or etag in candidates:
        return
    raise Problem(412, f"The resource has changed since you read it (its ETag is now {etag}); "
                       "read it again and retry.", headers={"ETag": etag})


def set_etag(response: Response, etag: str) -> None:
    response.headers["ETag"] = etag
