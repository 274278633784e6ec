"""Queries: the one place that knows SQL. Everything returned is a row or a plain value."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, delete, event, func, inspect, or_, select, text
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session

from app.scheduling.conflicts import Print, Room, Rules, Slot
from app.scheduling.programme import LONGEST_SCREENING_MINUTES, FestivalInfo
from app.store import plain
from app.store.models import (
    Festival,
    FestivalSlugHistory,
    Film,
    Plan,
    PublishedVersion,
    ScheduleChange,
    Screening,
    ScreeningFilm,
    Venue,
)
from app.store.plain import Plain
from app.store.types import UTCDateTime

LONGEST_SCREENING = timedelta(minutes=LONGEST_SCREENING_MINUTES)


def festival_info(festival: Festival) -> FestivalInfo:
    return FestivalInfo(
        slug=festival.slug,
        uid_slug=festival.uid_slug,
        name=festival.name,
        city=festival.city,
        website=festival.website,
        timezone=festival.timezone,
        starts_on=festival.starts_on,
        ends_on=festival.ends_on,
        day_starts_at=festival.day_starts_at,
        print_transfer_minutes=festival.print_transfer_minutes,
    )


def rules_of(festival: Festival) -> Rules:
    return Rules(
        zone=ZoneInfo(festival.timezone),
        starts_on=festival.starts_on,
        ends_on=festival.ends_on,
        day_starts_at=festival.day_starts_at,
        print_transfer_minutes=festival.print_transfer_minutes,
    )


@dataclass
class ScheduleWrite:
    """A transaction's write to one festival's schedule: its revision, and what it changed."""

    revision: int
    screening_ids: set[int] = field(default_factory=set)
    anything: bool = False  # venues, films or the festival itself: no telling what changed


def lock_festival(session: Session, festival_id: int, *, screenings_only: bool = False) -> int:
    """Serialise schedule writes of one festival and count them; returns the new schedule revision.

    The UPDATE takes the festival's row lock on PostgreSQL, held to the end of the
    transaction (on SQLite the write transaction already holds the database's write lock),
    and its counter keys every cache of derived schedule values (conflicts). Once per
    transaction: later calls answer the same revision.

    At commit the transaction's revision goes into `schedule_change`: the screenings it wrote
    (noted with `note_screenings_written`) when the caller says it writes `screenings_only`,
    else one row that says anything may have changed. Caches in other processes catch up
    from those rows (`screenings_changed`).
    """
    writes: dict[int, ScheduleWrite] = session.info.setdefault(_SCHEDULE_WRITES, {})
    write = writes.get(festival_id)
    if write is None:
        found = plain.rows(session, _LOCK_FESTIVAL, {"festival_id": festival_id})
        if not found:  # as `scalar_one()` would say
            raise NoResultFound("No row was found when one was required")
        revision = found[0][0]
        write = writes[festival_id] = ScheduleWrite(revision)
    write.anything = write.anything or not screenings_only
    return write.revision


def lock_festival_unchanged(session: Session, festival_id: int) -> None:
    """Take the festival's lock like `lock_festival`, for a write that leaves the schedule as it
    is (publishing): the schedule revision stays, so caches of the schedule stay valid."""
    session.execute(_LOCK_FESTIVAL_UNCHANGED, {"festival_id": festival_id})


def note_screenings_written(session: Session, festival_id: int, screening_ids: Iterable[int]) -> None:
    """Record that this transaction wrote (created, changed or deleted) these screenings."""
    session.info[_SCHEDULE_WRITES][festival_id].screening_ids.update(screening_ids)


def schedule_written(session: Session, festival_id: int) -> bool:
    """Whether this transaction has written the festival's schedule (and not committed yet)."""
    return festival_id in session.info.get(_SCHEDULE_WRITES, {})


def schedule_state(session: Session, festival_id: int) -> tuple[int, Rules] | None:
    """The festival's schedule revision and conflict rules as committed now, read together
    (None: the festival is gone, deleted since the request found it)."""
    row = session.execute(
        select(
            Festival.schedule_revision,
            Festival.timezone,
            Festival.starts_on,
            Festival.ends_on,
            Festival.day_starts_at,
            Festival.print_transfer_minutes,
        ).where(Festival.id == festival_id)
    ).one_or_none()
    if row is None:
        return None
    return row[0], Rules(ZoneInfo(row[1]), row[2], row[3], row[4], row[5])


def screenings_changed(session: Session, festival_id: int, after: int, upto: int) -> set[int] | None:
    """The screenings written by revisions `after` + 1 to `upto`; None when anything else may have
    changed, or when a revision in between left no record (pruned, or written before the log)."""
    rows = plain.rows(session, _CHANGES, {"festival_id": festival_id, "after": after, "upto": upto})
    if len({revision for revision, _ in rows}) != upto - after or any(i is None for _, i in rows):
        return None
    return {screening_id for _, screening_id in rows}


def _log_schedule_writes(session: Session) -> None:
    writes: dict[int, ScheduleWrite] = session.info.get(_SCHEDULE_WRITES, {})
    for festival_id, write in writes.items():
        screening_ids: Iterable[int | None] = (
            [None] if write.anything or not write.screening_ids else sorted(write.screening_ids)
        )
        plain.execute_many(
            session,
            _LOG_CHANGE,
            [{"festival_id": festival_id, "revision": write.revision, "screening_id": i} for i in screening_ids],
        )
        if write.revision % SCHEDULE_LOG_PRUNE_EVERY == 0:
            session.execute(
                delete(ScheduleChange).where(
                    ScheduleChange.festival_id == festival_id,
                    ScheduleChange.revision <= write.revision - SCHEDULE_LOG_KEPT,
                )
            )


def _forget_schedule_writes(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_SCHEDULE_WRITES, None)


_SCHEDULE_WRITES = "marquee.schedule_writes"
# how many revisions of the log are kept: a process further behind rebuilds its caches
SCHEDULE_LOG_KEPT = 1_000
SCHEDULE_LOG_PRUNE_EVERY = 100
event.listen(OrmSession, "before_commit", _log_schedule_writes)
event.listen(OrmSession, "after_transaction_end", _forget_schedule_writes)
# built once, plain SQL: the ORM's bulk insert costs more than the INSERT on every write
_LOG_CHANGE = Plain(
    "INSERT INTO schedule_change (festival_id, revision, screening_id) VALUES (:festival_id, :revision, :screening_id)"
)
_CHANGES = Plain(
    "SELECT revision, screening_id FROM schedule_change"
    " WHERE festival_id = :festival_id AND revision > :after AND revision <= :upto"
)


# Statements on the write path are built once: building them per request costs more than running
# them; and run as `Plain` statements (app.store.plain): through `session.execute` each costs
# several times what the database does for it.
_LOCK_FESTIVAL = Plain(
    "UPDATE festival SET schedule_revision = schedule_revision + 1 WHERE id = :festival_id RETURNING schedule_revision"
)
# a no-op UPDATE: it takes the row lock on PostgreSQL, and is a write on SQLite as well
_LOCK_FESTIVAL_UNCHANGED = text("UPDATE festival SET schedule_revision = schedule_revision WHERE id = :festival_id")
_ROOMS = Plain("SELECT id, name, turnaround_minutes, availability FROM venue WHERE festival_id = :festival_id")
_SOME_ROOMS = "SELECT id, name, turnaround_minutes, availability FROM venue WHERE festival_id = :festival_id AND id IN"
_PRINTS = Plain("SELECT id, title, copies FROM film WHERE festival_id = :festival_id")
_SOME_PRINTS = "SELECT id, title, copies FROM film WHERE festival_id = :festival_id AND id IN"
_FILM_FACTS = "SELECT id, title, runtime_minutes FROM film WHERE festival_id = :festival_id AND id IN"
_VENUE_FESTIVAL = Plain("SELECT festival_id FROM venue WHERE id = :venue_id")
_VENUES_AMONG = "SELECT id FROM venue WHERE festival_id = :festival_id AND id IN"


@lru_cache(maxsize=1024)
def _among(sql: str, count: int) -> Plain:
    """`sql` ending in `IN`, with `count` parameters `:id_0` ... (built once per length)."""
    return Plain(f"{sql} ({', '.join(f':id_{i}' for i in range(count))})")


def _ids_among(session: Session, sql: str, festival_id: int, ids: list) -> Sequence[tuple]:
    """The rows of `sql` (ending in `IN`, after a `:festival_id` condition) for these ids."""
    params: dict = {f"id_{i}": value for i, value in enumerate(ids)}
    params["festival_id"] = festival_id
    return plain.rows(session, _among(sql, len(ids)), params)


def venue_belongs(session: Session, festival_id: int, venue_id: int) -> bool:
    return plain.scalar(session, _VENUE_FESTIVAL, {"venue_id": venue_id}) == festival_id


def venues_among(session: Session, festival_id: int, venue_ids: Iterable[int]) -> set[int]:
    """The festival's venues among `venue_ids`."""
    ids = list(set(venue_ids))
    if not ids:
        return set()
    return {venue_id for (venue_id,) in _ids_among(session, _VENUES_AMONG, festival_id, ids)}


def film_facts(session: Session, festival_id: int, film_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
    """(title, runtime) of the festival's films among `film_ids`."""
    ids = list(set(film_ids))
    if not ids:
        return {}
    rows = _ids_among(session, _FILM_FACTS, festival_id, ids)
    return {film_id: (title, runtime) for film_id, title, runtime in rows}


def rooms_of(session: Session, festival_id: int, venue_ids: Iterable[int] | None = None) -> dict[int, Room]:
    """The festival's venues as the conflict sweep sees them (all, or those among `venue_ids`)."""
    if venue_ids is None:
        rows = plain.rows(session, _ROOMS, {"festival_id": festival_id})
    else:
        ids = list(venue_ids)
        rows = _ids_among(session, _SOME_ROOMS, festival_id, ids) if ids else []
    rooms = {}
    for venue_id, name, turnaround, availability in rows:
        windows = _names(availability)  # JSON list (text on SQLite)
        rooms[venue_id] = Room(
            id=venue_id,
            name=name,
            turnaround_minutes=turnaround,
            availability=tuple(
                (datetime.fromisoformat(w["starts_at"]), datetime.fromisoformat(w["ends_at"])) for w in windows
            ),
        )
    return rooms


def prints_of(session: Session, festival_id: int, film_ids: Iterable[int] | None = None) -> dict[int, Print]:
    if film_ids is None:
        rows = plain.rows(session, _PRINTS, {"festival_id": festival_id})
    else:
        ids = list(film_ids)
        rows = _ids_among(session, _SOME_PRINTS, festival_id, ids) if ids else []
    return {film_id: Print(film_id=film_id, title=title, copies=copies) for film_id, title, copies in rows}


def films_of_screenings(
    session: Session, screening_ids: Iterable[int] | None, festival_id: int | None = None
) -> dict[int, list[int]]:
    """Film ids of each screening, in showing order."""
    query = select(ScreeningFilm.screening_id, ScreeningFilm.film_id).order_by(
        ScreeningFilm.screening_id, ScreeningFilm.position
    )
    if screening_ids is not None:
        ids = list(screening_ids)
        if not ids:
            return {}
        query = query.where(ScreeningFilm.screening_id.in_(ids))
    else:
        query = query.join(Screening, Screening.id == ScreeningFilm.screening_id).where(
            Screening.festival_id == festival_id
        )
    films: dict[int, list[int]] = defaultdict(list)
    for screening_id, film_id in session.execute(query):
        films[screening_id].append(film_id)
    return films


# Plain SQL, read without ORM objects or column type processing: the conflict sweep needs
# only these few values of every screening, and loading them is most of its cost.
_SLOTS_SQL = """
SELECT s.id, s.venue_id, s.starts_at, s.intro_minutes, s.qa_minutes, s.slot_minutes, s.guests,
       s.status, f.id, f.runtime_minutes
FROM screening s
JOIN screening_film sf ON sf.screening_id = s.id
JOIN film f ON f.id = sf.film_id
WHERE s.festival_id = :festival_id {where}
ORDER BY s.id, sf.position
"""
_INSTANT = UTCDateTime()


def _utc(value) -> datetime:
    """A stored instant (SQLite gives text, PostgreSQL a naive datetime) as aware UTC."""
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")
    return value.replace(tzinfo=UTC)


def _names(value) -> tuple[str, ...]:
    if not value or value == "[]":
        return ()
    return tuple(json.loads(value) if isinstance(value, str) else value)


_WIDEST_TURNAROUND = Plain("SELECT max(turnaround_minutes) FROM venue WHERE festival_id = :festival_id")


def widest_gap(session: Session, festival: Festival) -> timedelta:
    """The longest a finished screening still matters: the print transfer or a room's turnaround."""
    turnaround = plain.scalar(session, _WIDEST_TURNAROUND, {"festival_id": festival.id}) or 0
    return timedelta(minutes=max(festival.print_transfer_minutes, turnaround))


def slots_of(
    session: Session,
    festival: Festival,
    *,
    around: tuple[datetime, datetime] | None = None,
    statuses: tuple[str, ...] | None = None,
    ids: list[int] | None = None,
    sharing: Slot | None = None,
) -> list[Slot]:
    """The festival's screenings as the conflict sweep sees them (times in UTC).

    `around` limits them to those that can conflict with a screening in that interval: any
    that starts at most a longest screening plus the festival's widest gap (print transfer or
    turnaround) before it, or less than that gap after its end. `sharing` limits them further
    to those that can conflict with that screening at all: every conflict between two
    screenings is in one venue, one film's prints or one guest's time, so those in its venue,
    those showing one of its films and, when it has guests, those that have guests (compared
    by the engine). The slot itself is among them once stored.
    """
    where, params = "", {"festival_id": festival.id}
    dialect = session.get_bind().dialect
    if around is not None:
        where += " AND s.starts_at >= :lo AND s.starts_at < :hi"
        gap = widest_gap(session, festival)
        # arithmetic on UTC instants: on a zone's clock, "02:00 CET + 30 minutes" is 02:30 CEST,
        # an hour early on the night the clocks go back
        params["lo"] = _INSTANT.process_bind_param(around[0].astimezone(UTC) - LONGEST_SCREENING - gap, dialect)
        params["hi"] = _INSTANT.process_bind_param(around[1].astimezone(UTC) + gap, dialect)
        if dialect.name == "sqlite":  # stored as text: compare like with like
            params["lo"], params["hi"] = (str(params["lo"]), str(params["hi"]))
    if ids is not None:
        names = [f"id_{i}" for i in range(len(ids))]
        where += f" AND s.id IN ({', '.join(':' + n for n in names)})" if names else " AND 1 = 0"
        params.update(zip(names, ids, strict=True))
    if sharing is not None:
        # ids from the indexes on venue and film: far fewer than the screenings in the window
        reach = ["SELECT id FROM screening WHERE venue_id = :sharing_venue"]
        params["sharing_venue"] = sharing.venue_id
        if sharing.film_ids:
            names = [f"sharing_film_{i}" for i in range(len(sharing.film_ids))]
            reach.append(
                f"SELECT screening_id FROM screening_film WHERE film_id IN ({', '.join(':' + n for n in names)})"
            )
            params.update(zip(names, sharing.film_ids, strict=True))
        if sharing.guests:  # a superset: the engine compares the names
            within = "starts_at >= :lo AND starts_at < :hi" if around is not None else "festival_id = :festival_id"
            reach.append(f"SELECT id FROM screening WHERE {within} AND CAST(guests AS TEXT) <> '[]'")
        where += f" AND s.id IN ({' UNION ALL '.join(reach)})"
    if statuses is not None:
        names = [f"status_{i}" for i in range(len(statuses))]
        where += f" AND s.status IN ({', '.join(':' + n for n in names)})" if names else " AND 1 = 0"
        params.update(zip(names, statuses, strict=True))
    slots: list[Slot] = []
    current = None
    for screening_id, venue_id, starts_at, intro, qa, slot_minutes, guests, status, film_id, runtime in plain.rows(
        session, _slots_statement(where), params
    ):
        if current is None or current[0] != screening_id:
            if current is not None:
                slots.append(_slot(current))
            current = [screening_id, venue_id, starts_at, intro + qa, slot_minutes, guests, status, [], 0]
        current[7].append(film_id)
        current[8] += runtime
    if current is not None:
        slots.append(_slot(current))
    return slots


@lru_cache(maxsize=256)
def _slots_statement(where: str) -> Plain:
    """`_SLOTS_SQL` with its conditions, built once per shape (building one costs more than a small query)."""
    return Plain(_SLOTS_SQL.format(where=where))


def _slot(row: list) -> Slot:
    screening_id, venue_id, starts_at, extra, slot_minutes, guests, status, film_ids, runtime = row
    starts_at = _utc(starts_at)
    runtime += extra
    return Slot(
        id=screening_id,
        venue_id=venue_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=runtime),
        film_ids=tuple(film_ids),
        guests=_names(guests),
        status=status,
        slot_minutes=slot_minutes,
        runtime_minutes=runtime,
    )


def count_screenings_using(session: Session, *, venue_id: int | None = None, film_id: int | None = None) -> int:
    if venue_id is not None:
        query = select(func.count()).select_from(Screening).where(Screening.venue_id == venue_id)
    else:
        query = select(func.count()).select_from(ScreeningFilm).where(ScreeningFilm.film_id == film_id)
    return session.execute(query).scalar_one()


def delete_festival(session: Session, festival_id: int) -> None:
    """Delete a festival and everything in it, children first (no cascade order surprises)."""
    screenings = select(Screening.id).where(Screening.festival_id == festival_id)
    session.execute(delete(ScreeningFilm).where(ScreeningFilm.screening_id.in_(screenings)))
    for table in (Plan, Screening, Film, Venue, PublishedVersion, FestivalSlugHistory, ScheduleChange):
        session.execute(delete(table).where(table.festival_id == festival_id))
    session.execute(delete(Festival).where(Festival.id == festival_id))
    session.info.get(_SCHEDULE_WRITES, {}).pop(festival_id, None)  # nothing left to log


_SCREENING_DEFAULTS = tuple((n, f) for n, f in Screening.model_fields.items() if not f.is_required())
_SCREENING_MAPPER = inspect(Screening)


def new_screening() -> Screening:
    """`Screening()`: a new screening with its defaults (no id, revision 1, empty lists), made as
    the ORM makes the rows it loads, for a fraction of what `Screening()` costs (pydantic checks
    and copies each default, and reads the default factories' signatures, on every row). Its
    fields are set from validated fields (`ScreeningBase`) before it is stored."""
    screening = _SCREENING_MAPPER.class_manager.new_instance()
    # into the instance's dict, as the ORM's loading does (set_committed_value's bookkeeping has
    # nothing to do for an instance made a moment ago)
    values = screening.__dict__
    for name, info in _SCREENING_DEFAULTS:
        values[name] = info.default_factory() if info.default_factory is not None else info.default  # type: ignore[call-arg]
    return screening


def set_new_screening_values(screening: Screening, values: dict) -> None:
    """`setattr` of each of `values` on a screening from `new_screening`, not stored yet and in no
    session: nothing tracks its changes (`insert_screening` stores what it holds), so the values
    go straight into its dict, as the ORM's loading puts them, without the attribute events that
    cost several times the INSERT; pydantic's record of the fields set is kept as setattr keeps
    it. A screening in a session (or stored) is set the usual way."""
    state = screening._sa_instance_state
    if state.session_id is not None or state.key is not None:
        for name, value in values.items():
            setattr(screening, name, value)
        return
    screening.__dict__.update(values)
    screening.__pydantic_fields_set__.update(values)


_SCREENING_COLUMNS = tuple(c for c in Screening.__table__.c if c.name != "id")
_INSERT_SCREENING = Plain(
    f"INSERT INTO screening ({', '.join(c.name for c in _SCREENING_COLUMNS)})"
    f" VALUES ({', '.join(':' + c.name for c in _SCREENING_COLUMNS)}) RETURNING id"
)
_screening_binds: dict[type, tuple] = {}


def _screening_bind_processors(dialect) -> tuple:
    """Each column's own conversion of a value for the driver (JSON lists, UTC instants), per dialect."""
    found = _screening_binds.get(type(dialect))
    if found is None:
        types = (c.type.dialect_impl(dialect) for c in _SCREENING_COLUMNS)
        found = _screening_binds[type(dialect)] = tuple(t.bind_processor(dialect) for t in types)
    return found


def insert_screening(session: Session, screening: Screening) -> None:
    """Store a new screening with one INSERT and give it its id.

    Not through the session's unit of work, which costs several times the INSERT: the object
    stays out of the session, a plain value of what was stored (load it to change it later).
    A plain statement, each value converted by its column's type as SQLAlchemy would."""
    processors = _screening_bind_processors(session.get_bind().dialect)
    values = {}
    for column, process in zip(_SCREENING_COLUMNS, processors, strict=True):
        value = getattr(screening, column.key)
        values[column.name] = value if process is None else process(value)
    found = plain.rows(session, _INSERT_SCREENING, values)
    if len(found) != 1:  # as `scalar_one()` would say (RETURNING answers the one row)
        raise NoResultFound("No row was found when one was required")
    screening.id = found[0][0]


_DELETE_SCREENING_FILMS = Plain("DELETE FROM screening_film WHERE screening_id = :screening_id")
_INSERT_SCREENING_FILM = Plain(
    "INSERT INTO screening_film (screening_id, position, film_id) VALUES (:screening_id, :position, :film_id)"
)


def set_screening_films(session: Session, screening_id: int, film_ids: list[int], *, replace: bool) -> None:
    """Store the films of a screening in showing order (replacing the ones it had).

    Plain statements, no ORM objects: a screening's films are never loaded as objects."""
    if replace:
        plain.execute_many(session, _DELETE_SCREENING_FILMS, [{"screening_id": screening_id}])
    if film_ids:
        plain.execute_many(
            session,
            _INSERT_SCREENING_FILM,
            [{"screening_id": screening_id, "position": i, "film_id": f} for i, f in enumerate(film_ids)],
        )


def film_titles(session: Session, festival_id: int, film_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Titles of the festival's films (of `film_ids`, or all of them)."""
    if film_ids is not None:
        return {film_id: title for film_id, (title, _) in film_facts(session, festival_id, film_ids).items()}
    query = select(Film.id, Film.title).where(Film.festival_id == festival_id)
    return {row.id: row.title for row in session.execute(query)}


def screenings_page(
    session: Session,
    festival_id: int,
    *,
    spans: list[tuple[datetime, datetime]] | None,
    venue_id: int | None,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Screening], int]:
    """A page of the festival's screenings by start (within `spans`, [start, end) instants), and
    how many match in all."""
    where = [Screening.festival_id == festival_id]
    if spans is not None:
        where.append(or_(*(and_(Screening.starts_at >= a, Screening.starts_at < b) for a, b in spans)))
    if venue_id is not None:
        where.append(Screening.venue_id == venue_id)
    if status is not None:
        where.append(Screening.status == status)
    total = session.execute(select(func.count()).select_from(Screening).where(*where)).scalar_one()
    rows = (
        session.execute(
            select(Screening).where(*where).order_by(Screening.starts_at, Screening.id).offset(offset).limit(limit)
        )
        .scalars()
        .all()
    )
    return list(rows), total


# -- the catalogue: festivals, venues, films ----------------------------------------------------

_FESTIVAL_BY_SLUG = select(Festival).where(Festival.slug == bindparam("slug"))  # every request: build once


def festival_by_slug(session: Session, slug: str) -> Festival | None:
    return session.execute(_FESTIVAL_BY_SLUG, {"slug": slug}).scalars().first()


_FESTIVAL_COLUMNS = tuple(Festival.__table__.c)
_FESTIVAL_ROW = Plain(f"SELECT {', '.join(c.name for c in _FESTIVAL_COLUMNS)} FROM festival WHERE slug = :slug")
_FESTIVAL_MAPPER = inspect(Festival)
_festival_results: dict[type, tuple] = {}


def first_festival_by_slug(session: Session, slug: str) -> Festival | None:
    """`festival_by_slug` as a request's first read (what every festival's route does first).

    In a session that holds nothing yet, the row is read with a plain statement and made into
    the festival as the ORM makes a row it loads: its values converted by the columns' own types,
    then attached to the session as a persistent, unchanged row (the same identity, so a later
    query of it, a refresh or a change and flush behave as they do for a loaded one), for a
    fraction of the ORM query's cost. A session holding anything already asks the ORM."""
    if session.identity_map or session.new or session.deleted:
        return festival_by_slug(session, slug)
    found = plain.rows(session, _FESTIVAL_ROW, {"slug": slug})
    if not found:
        return None
    dialect = session.get_bind().dialect
    converters = _festival_results.get(type(dialect))
    if converters is None:
        types = (c.type.dialect_impl(dialect) for c in _FESTIVAL_COLUMNS)
        converters = _festival_results[type(dialect)] = tuple(t.result_processor(dialect, None) for t in types)
    festival = _FESTIVAL_MAPPER.class_manager.new_instance()
    values = festival.__dict__  # as the ORM's loading fills a new instance (then committed, just below)
    for column, convert, value in zip(_FESTIVAL_COLUMNS, converters, found[0], strict=True):
        values[column.key] = value if convert is None else convert(value)
    make_transient_to_detached(festival)
    session.add(festival)
    return festival


def current_slug_for(session: Session, former_slug: str) -> str | None:
    """The slug of the festival that was called `former_slug` before it was renamed, if any."""
    return session.execute(
        select(Festival.slug)
        .join(FestivalSlugHistory, FestivalSlugHistory.festival_id == Festival.id)
        .where(FestivalSlugHistory.slug == former_slug)
    ).scalar()


def take_slug(session: Session, slug: str) -> None:
    """A festival now answers to `slug`: it stops being anyone's former slug."""
    session.execute(delete(FestivalSlugHistory).where(FestivalSlugHistory.slug == slug))


def record_former_slug(session: Session, festival_id: int, slug: str, renamed_at: datetime) -> None:
    session.add(FestivalSlugHistory(festival_id=festival_id, slug=slug, renamed_at=renamed_at))


def latest_version_number(session: Session, festival_id: int) -> int:
    return (
        session.execute(
            select(func.max(PublishedVersion.number)).where(PublishedVersion.festival_id == festival_id)
        ).scalar()
        or 0
    )


def lock_row(session: Session, row: Festival | Venue | Film) -> None:
    """Re-read a row under its lock (PostgreSQL: FOR UPDATE; SQLite's write transaction holds the database)."""
    session.execute(
        select(type(row)).where(type(row).id == row.id).with_for_update().execution_options(populate_existing=True)
    ).scalars().first()


def festivals_page(session: Session, limit: int, offset: int) -> tuple[list[Festival], int]:
    total = session.execute(select(func.count()).select_from(Festival)).scalar_one()
    rows = (
        session.execute(select(Festival).order_by(Festival.starts_on.desc(), Festival.slug).offset(offset).limit(limit))
        .scalars()
        .all()
    )
    return list(rows), total


def venues_page(session: Session, festival_id: int, limit: int, offset: int) -> tuple[list[Venue], int]:
    where = Venue.festival_id == festival_id
    total = session.execute(select(func.count()).select_from(Venue).where(where)).scalar_one()
    rows = (
        session.execute(select(Venue).where(where).order_by(Venue.name, Venue.id).offset(offset).limit(limit))
        .scalars()
        .all()
    )
    return list(rows), total


def films_page(session: Session, festival_id: int, limit: int, offset: int) -> tuple[list[Film], int]:
    where = Film.festival_id == festival_id
    total = session.execute(select(func.count()).select_from(Film).where(where)).scalar_one()
    rows = (
        session.execute(select(Film).where(where).order_by(Film.title, Film.id).offset(offset).limit(limit))
        .scalars()
        .all()
    )
    return list(rows), total


def versions_page(session: Session, festival_id: int, limit: int, offset: int) -> tuple[list[PublishedVersion], int]:
    where = PublishedVersion.festival_id == festival_id
    total = session.execute(select(func.count()).select_from(PublishedVersion).where(where)).scalar_one()
    rows = (
        session.execute(
            select(PublishedVersion).where(where).order_by(PublishedVersion.number.desc()).offset(offset).limit(limit)
        )
        .scalars()
        .all()
    )
    return list(rows), total


def festivals_with_venues(session: Session) -> list[tuple[Festival, list[Venue], int]]:
    """Every published festival (newest first) with its venues by name and its latest version number.

    A festival that has never published is not public: it is left out."""
    published = select(PublishedVersion.festival_id).distinct()
    festivals = (
        session.execute(
            select(Festival).where(Festival.id.in_(published)).order_by(Festival.starts_on.desc(), Festival.slug)
        )
        .scalars()
        .all()
    )
    venues: dict[int, list[Venue]] = defaultdict(list)
    for venue in session.execute(select(Venue).order_by(Venue.name)).scalars():
        venues[venue.festival_id].append(venue)
    return [(f, venues[f.id], latest_version_number(session, f.id)) for f in festivals]


_SCHEDULED_FILMS = text(
    "SELECT DISTINCT sf.film_id FROM screening_film sf JOIN screening s ON s.id = sf.screening_id "
    "WHERE s.festival_id = :festival_id AND s.status != 'cancelled'"
)


def scheduled_film_ids(session: Session, festival_id: int) -> set[int]:
    """Films shown in at least one screening that is not cancelled (drafts count)."""
    return {row[0] for row in session.execute(_SCHEDULED_FILMS, {"festival_id": festival_id})}


def films_of_festival(session: Session, festival_id: int) -> list[Film]:
    return list(
        session.execute(select(Film).where(Film.festival_id == festival_id).order_by(Film.title, Film.id)).scalars()
    )


def screening_titles(session: Session, ids: list[int]) -> dict[int, str]:
    """The screenings among `ids` that have a title of their own (a programme of shorts)."""
    if not ids:
        return {}
    query = select(Screening.id, Screening.title).where(Screening.id.in_(ids), Screening.title.is_not(None))
    return {row.id: row.title for row in session.execute(query)}
