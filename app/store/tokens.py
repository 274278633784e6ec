"""API tokens: only a SHA-256 hash is stored; the token itself is shown once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import bindparam, inspect
from sqlalchemy.engine import Connection, Dialect
from sqlmodel import Session, select

from app.store import plain
from app.store.models import ApiToken
from app.store.plain import Plain

ROLES = ("programmer", "admin")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, role: str, name: str = "") -> tuple[ApiToken, str]:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    token = "mq_" + secrets.token_urlsafe(32)
    row = ApiToken(name=name, role=role, token_hash=hash_token(token), created_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    return row, token


_BY_HASH = select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))  # every request: build once


def find_active_token(session: Session, token: str) -> ApiToken | None:
    row = session.execute(_BY_HASH, {"token_hash": hash_token(token)}).scalars().first()
    if row is None or row.revoked_at is not None:
        return None
    return row


_COLUMNS = tuple(ApiToken.__table__.c)
_ACTIVE_BY_HASH = Plain(f"SELECT {', '.join(c.name for c in _COLUMNS)} FROM api_token WHERE token_hash = :token_hash")
_converters: dict[type, tuple] = {}


def _converters_for(dialect: Dialect) -> tuple:
    found = _converters.get(type(dialect))
    if found is None:
        types = (c.type.dialect_impl(dialect) for c in _COLUMNS)
        found = _converters[type(dialect)] = tuple(t.result_processor(dialect, None) for t in types)
    return found


def active_token_on(connection: Connection, token: str) -> ApiToken | None:
    """`find_active_token` on a connection, without a session or the ORM's query machinery (most
    of the cost of every write's token check): one plain SELECT, its values converted by the
    columns' own types, as the ORM converts them. The row comes back as an `ApiToken` outside
    any session, like the one a closed session leaves behind."""
    found = plain.rows_on(connection, _ACTIVE_BY_HASH, {"token_hash": hash_token(token)})
    return _active_row(found[0], connection.dialect) if found else None


def _active_row(found: tuple, dialect: Dialect) -> ApiToken | None:
    row = _MAPPER.class_manager.new_instance()
    values = row.__dict__  # as the ORM's loading fills a new instance (nothing tracks a row made a moment ago)
    for column, convert, value in zip(_COLUMNS, _converters_for(dialect), found, strict=True):
        values[column.key] = value if convert is None or value is None else convert(value)
    if row.revoked_at is not None:
        return None
    return row


_MAPPER = inspect(ApiToken)


class TokenConnection(plain.KeptConnection):
    """One connection of SQLite's read engine, kept by this process to check a create's token on
    the event loop (`app.http.creates`): the same SELECT and conversion as `active_token_on`,
    without a pool checkout or a worker thread; reading one row by its index takes SQLite
    microseconds, and a read never waits for a writer (WAL).

    It never waits for anything else either: its busy timeout is 0, and it is used by one
    thread at a time (`KeptConnection`). Whenever it cannot answer (busy, failed, not SQLite)
    `active_token` says so, and the token is looked up the usual way."""

    def __init__(self) -> None:
        super().__init__()
        self._names: tuple[str, ...] | None = None

    def active_token(self, engines, token: str) -> tuple[bool, ApiToken | None]:
        """(True, the live token's row or None) when answered here; (False, None): ask the usual way."""
        if engines.read.dialect.name != "sqlite":
            return False, None
        params = {"token_hash": hash_token(token)}
        answered, found = self._fetch_one(
            engines, lambda: params if self._names is None else tuple(params[n] for n in self._names)
        )
        if not answered:
            return False, None
        return True, (_active_row(found, engines.read.dialect) if found is not None else None)

    def _open(self, engines):
        self._sql, self._names = _ACTIVE_BY_HASH.rendered(engines.read.dialect)
        connection = engines.read.raw_connection()  # in autocommit: app.store.db sets isolation_level None
        connection.driver_connection.execute("PRAGMA busy_timeout=0")  # never wait on the event loop
        return connection


TOKENS = TokenConnection()


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(session: Session, token_id: int) -> ApiToken | None:
    row = session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.add(row)
    return row
