"""Published versions in the database: publish, read, and the latest version of a festival."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.cache import LRU
from app.scheduling.programme import Programme, share_field_sets
from app.settings import get_settings
from app.store.db import get_engines, unit_of_work
from app.store.models import Festival, PublishedVersion
from app.store.plain import KeptConnection
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


# a parsed screening, film or venue in memory: measured 1,005 bytes on the benchmark's 10,000
# screenings with synopses (1,732 before their field-name sets were shared), with room to spare
PROGRAMME_ITEM_BYTES = 1200


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
        return parse_version(stored)

    return _programmes.get_or_make((database_of(session), version_id, published_at), load)


def parse_version(stored: dict) -> Programme:
    """A version's Programme from the JSON stored for it (its field-name sets shared: see
    `share_field_sets`)."""
    return share_field_sets(Programme.model_validate(stored))


def remember_programme(database: str, version_id: int, published_at: datetime, programme: Programme) -> Programme:
    """Keep a version just published, parsed from the JSON stored for it (as `programme_of`
    would parse it), so this process need not read it back; the one kept is returned (a
    version already kept stays: there is one copy of a version in a process)."""
    return _programmes.get_or_make((database, version_id, published_at), lambda: programme)


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
    """`published_state` in one statement without a transaction: what a feed poll costs.

    Asked on this process's poll connection (`PollConnection`): the same query, without the
    session, pool checkout, ping and transaction around it. Whenever that connection is busy
    (another thread) or fails, asked the ordinary way (whose errors the handlers answer)."""
    state = _POLLS.published_state(slug)
    if state is not None:
        return state
    with get_engines().read.connect() as poll:
        return published_state(poll.execution_options(single_statement=True), slug)


class PollConnection(KeptConnection):
    """One DBAPI connection of the read engine's pool, kept by this process for `_PUBLISHED_STATE`.

    A poll on the pool costs a checkout (on PostgreSQL a ping: a round trip), BEGIN, the query
    and a ROLLBACK on return, with SQLAlchemy's compile-cache lookup and result machinery around
    them; under a flood of polls that was most of a poll's CPU (and PostgreSQL's). Here the query
    is compiled once per engine, sent as it is in autocommit (one round trip; psycopg prepares it
    after a few runs), and its row converted with the same column types' result processors, so
    the answer is exactly `published_state`'s. A one-row read needs no transaction: a single
    statement sees one committed state, on PostgreSQL as on SQLite (WAL), so a publish in another
    process is seen by the next poll.

    Used from one thread at a time, dropped when it fails (`KeptConnection`)."""

    def __init__(self) -> None:
        super().__init__()
        self._params: Callable[[str], object] = lambda slug: (slug,)
        self._processors: list = []

    def published_state(self, slug: str) -> PublishedState | None:
        """The state, None when the ordinary way must answer (busy, failed, or no such festival)."""
        _, row = self._fetch_one(get_engines(), lambda: self._params(slug))
        if row is None:
            return None  # busy or failed; or UnknownFestival, raised the ordinary way
        return PublishedState(
            *(
                value if convert is None else convert(value)
                for convert, value in zip(self._processors, row, strict=True)
            )
        )

    def _open(self, engines):
        engine = engines.read
        dialect = engine.dialect
        compiled = _PUBLISHED_STATE.compile(dialect=dialect)
        values = compiled.construct_params({"slug": ""})  # with the LIMIT's (and OFFSET's) own values
        if compiled.positional:
            order = list(compiled.positiontup or ())
            template = [values[name] for name in order]
            at = order.index("slug")
            self._params = lambda slug: (*template[:at], slug, *template[at + 1 :])
        else:
            self._params = lambda slug: {**values, "slug": slug}
        self._sql = compiled.string
        self._processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in _PUBLISHED_STATE.selected_columns
        ]
        connection = engine.raw_connection()
        if dialect.name == "postgresql":
            connection.driver_connection.autocommit = True
        # (SQLite's connections are in autocommit already: app.store.db sets isolation_level None)
        return connection


_POLLS = PollConnection()


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
