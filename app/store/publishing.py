"""Published versions in the database: publish, read, and the latest version of a festival."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.cache import LRU
from app.scheduling.programme import Programme
from app.settings import get_settings
from app.store.db import get_engines, unit_of_work
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


class VersionHead(NamedTuple):
    """A version's id, number and time, without its programme, changelog or feed."""

    id: int
    number: int
    published_at: datetime


def latest_version_head(session: Session, festival_id: int) -> VersionHead | None:
    """The latest version's id, number and time (what publishing needs, read without the rest)."""
    row = session.execute(
        select(PublishedVersion.id, PublishedVersion.number, PublishedVersion.published_at)
        .where(PublishedVersion.festival_id == festival_id)
        .order_by(PublishedVersion.number.desc())
        .limit(1)
    ).first()
    return VersionHead(*row) if row is not None else None


def version_by_id(session: Session, version_id: int) -> PublishedVersion:
    return session.get_one(PublishedVersion, version_id)


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

    Keyed by database, id and publication time, so that neither another database nor one
    rebuilt with the same ids (a festival restored from its export keeps its versions' ids and
    times) can be answered from another's cache."""

    def load() -> Programme:
        stored = session.execute(
            select(PublishedVersion.programme).where(PublishedVersion.id == version_id)
        ).scalar_one()
        return Programme.model_validate(stored)

    return _programmes.get_or_make((database_of(session), version_id, published_at), load)


def database_of(session: Session) -> str:
    """The database a session talks to, as cache keys name it (ids are unique only within one)."""
    return session.get_bind().url.render_as_string(hide_password=True)


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


def stored_calendar(session: Session, version_id: int) -> bytes | None:
    """The whole-programme feed rendered after the version was published (without loading the
    rest); None until it has been stored."""
    return session.execute(select(PublishedVersion.calendar_ics).where(PublishedVersion.id == version_id)).scalar_one()


def store_calendar(version_id: int, calendar: bytes) -> None:
    """Store a version's whole-programme feed, in a transaction of its own (taking no festival's
    lock); a feed already stored stays (every process renders the same bytes)."""
    with unit_of_work() as session:
        session.execute(
            update(PublishedVersion)
            .where(PublishedVersion.id == version_id, PublishedVersion.calendar_ics.is_(None))
            .values(calendar_ics=calendar)
        )


def programme_at(session: Session, state: PublishedState) -> Programme:
    """The latest published version's programme, or the bare festival when nothing is published yet."""
    if state.version_id is None:
        return unpublished_programme(session, session.get(Festival, state.festival_id))
    return programme_of(session, state.version_id, state.published_at)
