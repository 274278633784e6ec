"""API tokens: only a SHA-256 hash is stored; the token itself is shown once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.store.models import ApiToken

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


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(session: Session, token_id: int) -> ApiToken | None:
    row = session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.add(row)
    return row
