"""Staff sign-in for the pages: an API token opens a session held in a cookie; a revoked token ends it."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.services.errors import ServiceError
from app.store import staff_sessions
from app.store.tokens import find_active_token

SESSION_LIFETIME = timedelta(hours=12)


class SignInRefused(ServiceError):
    """The token given at sign-in is unknown or revoked."""


@dataclass(frozen=True)
class Staff:
    """Who is signed in: their token's id, name and role, and the secret their forms carry."""

    token_id: int
    name: str
    role: str
    csrf: str
    expires_at: datetime


def sign_in(session: Session, token_text: str, now: datetime) -> tuple[Staff, str]:
    """Open a session for a live token; returns who signed in and the id for the cookie."""
    token = find_active_token(session, token_text.strip()) if token_text.strip() else None
    if token is None:
        raise SignInRefused(
            "That token is unknown or has been revoked. Make one with 'marquee token create --role programmer'."
        )
    row, session_id = staff_sessions.open_session(session, token, now, now + SESSION_LIFETIME)
    return Staff(token.id, token.name, token.role, row.csrf_secret, row.expires_at), session_id


def signed_in(session: Session, session_id: str, now: datetime) -> Staff | None:
    """Who holds this session, or None when it is unknown, expired, or its token was revoked.

    A revoked token ends every session it opened (the caller's transaction must write).
    """
    found = staff_sessions.find_session(session, session_id)
    if found is None:
        return None
    row, token = found
    if token.revoked_at is not None:
        staff_sessions.end_sessions_of_token(session, token.id)
        return None
    if row.expires_at <= now:
        staff_sessions.end_session(session, session_id)
        return None
    return Staff(token.id, token.name, token.role, row.csrf_secret, row.expires_at)


def sign_out(session: Session, session_id: str) -> None:
    staff_sessions.end_session(session, session_id)


def same_secret(given: str | None, expected: str) -> bool:
    """Compare a form's cross-site token in constant time."""
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())
