"""Queries: the one place that knows SQL. Everything returned is a row or a plain value."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlmodel import Session

from app.scheduling.conflicts import Print, Room, Rules, Slot
from app.scheduling.programme import FestivalInfo
from app.scheduling.times import add_minutes
from app.store.models import Festival, Film, PublishedVersion, Screening, ScreeningFilm, Venue

# A screening lasts at most a day and a turnaround or print transfer is at most a day, so
# every screening that can conflict with one starts within two days of it.
CONFLICT_REACH = timedelta(days=2)


def festival_info(festival: Festival) -> FestivalInfo:
    return FestivalInfo(
        slug=festival.slug, name=festival.name, city=festival.city, website=festival.website,
        timezone=festival.timezone, starts_on=festival.starts_on, ends_on=festival.ends_on,
        day_starts_at=festival.day_starts_at, print_transfer_minutes=festival.print_transfer_minutes)


def rules_of(festival: Festival) -> Rules:
    return Rules(zone=ZoneInfo(festival.timezone), starts_on=festival.starts_on,
                 ends_on=festival.ends_on, day_starts_at=festival.day_starts_at,
                 print_transfer_minutes=festival.print_transfer_minutes)


def lock_festival(session: Session, festival_id: int) -> None:
    """Serialise schedule writes of one festival across processes.

    PostgreSQL: a row lock on the festival, held to the end of the transaction. SQLite:
    the write transaction already began IMMEDIATE and holds the database's write lock.
    """
    if session.get_bind().dialect.name != "sqlite":
        session.execute(select(Festival.id).where(Festival.id == festival_id).with_for_update())


def rooms_of(session: Session, festival_id: int) -> dict[int, Room]:
    rows = session.execute(
        select(Venue.id, Venue.name, Venue.turnaround_minutes, Venue.availability)
        .where(Venue.festival_id == festival_id))
    return {row.id: Room(id=row.id, name=row.name, turnaround_minutes=row.turnaround_minutes,
                         availability=tuple(
                             (datetime.fromisoformat(w["starts_at"]), datetime.fromisoformat(w["ends_at"]))
                             for w in row.availability or ()))
            for row in rows}


def prints_of(session: Session, festival_id: int) -> dict[int, Print]:
    rows = session.execute(select(Film.id, Film.title, Film.copies).where(Film.festival_id == festival_id))
    return {row.id: Print(film_id=row.id, title=row.title, copies=row.copies) for row in rows}


def film_runtimes(session: Session, festival_id: int) -> dict[int, int]:
    rows = session.execute(select(Film.id, Film.runtime_minutes).where(Film.festival_id == festival_id))
    return {film_id: runtime for film_id, runtime in rows}


def films_of_screenings(session: Session, screening_ids: Iterable[int] | None,
                        festival_id: int | None = None) -> dict[int, list[int]]:
    """Film ids of each screening, in showing order."""
    query = select(ScreeningFilm.screening_id, ScreeningFilm.film_id).order_by(
        ScreeningFilm.screening_id, ScreeningFilm.position)
    if screening_ids is not None:
        ids = list(screening_ids)
        if not ids:
            return {}
        query = query.where(ScreeningFilm.screening_id.in_(ids))
    else:
        query = query.join(Screening, Screening.id == ScreeningFilm.screening_id).where(
            Screening.festival_id == festival_id)
    films: dict[int, list[int]] = defaultdict(list)
    for screening_id, film_id in session.execute(query):
        films[screening_id].append(film_id)
    return films


SLOT_COLUMNS = (Screening.id, Screening.venue_id, Screening.starts_at, Screening.intro_minutes,
                Screening.qa_minutes, Screening.slot_minutes, Screening.guests, Screening.status)


def slots_of(session: Session, festival: Festival, *, around: tuple[datetime, datetime] | None = None,
             statuses: tuple[str, ...] | None = None) -> list[Slot]:
    """The festival's screenings as the conflict sweep sees them.

    `around` limits them to those that can conflict with a screening in that interval.
    """
    query = select(*SLOT_COLUMNS).where(Screening.festival_id == festival.id)
    if around is not None:
        query = query.where(Screening.starts_at >= around[0] - CONFLICT_REACH,
                            Screening.starts_at < around[1] + CONFLICT_REACH)
    if statuses is not None:
        query = query.where(Screening.status.in_(statuses))
    rows = session.execute(query).all()
    if not rows:
        return []
    runtimes = film_runtimes(session, festival.id)
    films = films_of_screenings(session, [r.id for r in rows] if around is not None else None,
                                festival.id)
    zone = ZoneInfo(festival.timezone)
    slots = []
    for row in rows:
        film_ids = tuple(films.get(row.id, ()))
        runtime = row.intro_minutes + sum(runtimes[f] for f in film_ids) + row.qa_minutes
        starts_at = row.starts_at.astimezone(zone)
        slots.append(Slot(id=row.id, venue_id=row.venue_id, starts_at=starts_at,
                          ends_at=add_minutes(starts_at, runtime), film_ids=film_ids,
                          guests=tuple(row.guests or ()), status=row.status,
                          slot_minutes=row.slot_minutes, runtime_minutes=runtime))
    return slots


def count_screenings_using(session: Session, *, venue_id: int | None = None,
                           film_id: int | None = None) -> int:
    if venue_id is not None:
        query = select(func.count()).select_from(Screening).where(Screening.venue_id == venue_id)
    else:
        query = select(func.count()).select_from(ScreeningFilm).where(ScreeningFilm.film_id == film_id)
    return session.execute(query).scalar_one()


def delete_festival(session: Session, festival_id: int) -> None:
    """Delete a festival and everything in it, children first (no cascade order surprises)."""
    screenings = select(Screening.id).where(Screening.festival_id == festival_id)
    session.execute(delete(ScreeningFilm).where(ScreeningFilm.screening_id.in_(screenings)))
    for table in (Screening, Film, Venue, PublishedVersion):
        session.execute(delete(table).where(table.festival_id == festival_id))
    session.execute(delete(Festival).where(Festival.id == festival_id))
