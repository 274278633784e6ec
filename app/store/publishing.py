"""Published versions in the database: publish, read, and the latest version of a festival."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.cache import LRU
from app.scheduling.programme import Programme
from app.settings import get_settings
from app.store.db import get_engines
from app.store.models import Festival, PublishedVersion
from app.store.repository import festival_info


def latest_version(session: Session, festival_id: int) -> PublishedVersion | None:
    return (
        session.exec(
            select(PublishedVersion)
            .where(PublishedVersion.festival_id == festival_id)
            .order_by(PublishedVersion.number.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )


def version_by_number(session: Session, festival_id: int, number: int) -> PublishedVersion | None:
    return (
        session.exec(
            select(PublishedVersion).where(
                PublishedVersion.festival_id == festival_id, PublishedVersion.number == number
            )
        )
        .scalars()
        .first()
    )


PROGRAMME_ITEM_BYTES = 2200  # a parsed screening, film or venue in memory, measured on realistic programmes


def programme_bytes(programme: Programme) -> int:
    """An estimate of the memory a parsed version holds, for the cache's byte bound."""
    items = len(programme.screenings) + len(programme.films) + len(programme.venues)
    return PROGRAMME_ITEM_BYTES * (1 + items)


_programmes: LRU[Programme] = LRU(
    maxsize=32, max_bytes=lambda: get_settings().programme_cache_bytes, size=programme_bytes
)


def programme_of(session: Session, version_id: int, published_at: datetime) -> Programme:
    """A version's Programme, read and parsed once per process (a version never changes).

    Keyed by id and publication time, so that even a database rebuilt with the same ids
    cannot be answered from another's cache."""

    def load() -> Programme:
        stored = session.execute(
            select(PublishedVersion.programme).where(PublishedVersion.id == version_id)
        ).scalar_one()
        return Programme.model_validate(stored)

    return _programmes.get_or_make((version_id, published_at), load)


def unpublished_programme(session: Session, festival: Festival) -> Programme:
    """What the public sees before the first publish: the bare festival (no films, venues or screenings)."""
    return Programme(festival=festival_info(festival))


class UnknownFestival(Exception):
    """No festival has the slug asked for (answered as 404)."""


class PublishedState(NamedTuple):
    festival_id: int
    revision: int
    updated_at: datetime
    version_id: int | None
    published_at: datetime | None


def _published_state_query():
    newer = aliased(PublishedVersion)
    latest = (
        select(newer.id)
        .where(newer.festival_id == Festival.id)
        .correlate(Festival)
        .order_by(newer.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(Festival.id, Festival.revision, Festival.updated_at, PublishedVersion.id, PublishedVersion.published_at)
        .outerjoin(PublishedVersion, PublishedVersion.id == latest)
        .where(Festival.slug == bindparam("slug"))
    )


# built once: every feed poll and page view starts with this query
_PUBLISHED_STATE = _published_state_query()


def published_state(session: Session | Connection, slug: str) -> PublishedState:
    """The festival's id and revision and its latest version's id and time, in one small query.

    Public pages, feeds and prints start here: it is all a cache key needs.
    """
    row = session.execute(_PUBLISHED_STATE, {"slug": slug}).first()
    if row is None:
        raise UnknownFestival(f"Festival '{slug}' does not exist.")
    return PublishedState(*row)


def poll_published_state(slug: str) -> PublishedState:
    """`published_state` in one statement without a transaction: what a feed poll costs."""
    with get_engines().read.connect() as poll:
        return published_state(poll.execution_options(single_statement=True), slug)


def stored_calendar(session: Session, version_id: int) -> bytes:
    """The whole-programme feed rendered when the version was published (without loading the rest)."""
    return session.execute(select(PublishedVersion.calendar_ics).where(PublishedVersion.id == version_id)).scalar_one()


def programme_at(session: Session, state: PublishedState) -> Programme:
    """The latest published version's programme, or the bare festival when nothing is published yet."""
    if state.version_id is None:
        return unpublished_programme(session, session.get(Festival, state.festival_id))
    return programme_of(session, state.version_id, state.published_at)
