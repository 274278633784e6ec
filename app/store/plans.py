"""Attendees' plans in the database: stored under a hash of their token, found by that hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlmodel import Session

from app.store.models import Festival, Plan
from app.store.tokens import hash_token

# the plan and its festival's slug in one indexed lookup by hash: an unknown token costs the same
# query as a known one, and no comparison of the token itself ever runs
_BY_HASH = (
    select(Plan, Festival.slug)
    .join(Festival, Festival.id == Plan.festival_id)
    .where(Plan.token_hash == bindparam("token_hash"))
)


def plan_by_token(session: Session, token: str) -> tuple[Plan, str] | None:
    """The plan whose token is `token` and its festival's slug, or None."""
    row = session.execute(_BY_HASH, {"token_hash": hash_token(token)}).first()
    return None if row is None else (row[0], row[1])


def add_plan(session: Session, festival_id: int, token: str, screening_ids: list[int], now: datetime) -> Plan:
    plan = Plan(
        festival_id=festival_id,
        token_hash=hash_token(token),
        screening_ids=screening_ids,
        created_at=now,
        updated_at=now,
    )
    session.add(plan)
    session.flush()
    return plan


def save_picks(session: Session, plan: Plan, screening_ids: list[int], now: datetime) -> Plan:
    """Replace the plan's picks (the revision rises, so its cached feed is made again)."""
    plan.screening_ids = list(screening_ids)
    plan.revision += 1
    plan.updated_at = now
    session.add(plan)
    session.flush()
    return plan
