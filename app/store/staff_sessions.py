"""Staff sessions: the board's sign-in. Only a hash of the cookie's random id is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlmodel import Session

from app.store.models import ApiToken, StaffSession


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(session: Session, token: ApiToken, now: datetime, expires_at: datetime) -> tuple[StaffSession, str]:
    """A new session for `token`; returns the row and the random id for the cookie (shown nowhere else)."""
    session_id = secrets.token_urlsafe(32)
    row = StaffSession(
        session_hash=_hash(session_id),
        token_id=token.id,
        csrf_secret=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    # expired sessions are swept whenever someone signs in
    session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    session.flush()
    return row, session_id


_BY_HASH = (
    select(StaffSession, ApiToken)
    .join(ApiToken, ApiToken.id == StaffSession.token_id)
    .where(StaffSession.session_hash == bindparam("session_hash"))
)


def find_session(session: Session, session_id: str) -> tuple[StaffSession, ApiToken] | None:
    """The session with this cookie id and its token, whatever their state (the caller judges)."""
    row = session.execute(_BY_HASH, {"session_hash": _hash(session_id)}).first()
    return (row[0], row[1]) if row else None


def end_session(session: Session, session_id: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.session_hash == _hash(session_id)))


def end_sessions_of_token(session: Session, token_id: int) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_id == token_id))
