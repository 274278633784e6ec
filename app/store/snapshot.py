"""The stored festival as a plain `Programme` (for export, publishing, printing, feeds)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from app.scheduling.programme import (
    AvailabilityWindow,
    Credit,
    FilmInfo,
    Programme,
    VenueInfo,
    schedule_screening,
)
from app.store.models import Festival, Film, Screening, Venue
from app.store.repository import festival_info, films_of_screenings


def venue_info(venue: Venue, zone) -> VenueInfo:
    return VenueInfo(
        id=venue.id,
        name=venue.name,
        address=venue.address,
        capacity=venue.capacity,
        turnaround_minutes=venue.turnaround_minutes,
        latitude=venue.latitude,
        longitude=venue.longitude,
        step_free=venue.step_free,
        availability=tuple(
            AvailabilityWindow(
                starts_at=datetime.fromisoformat(w["starts_at"]).astimezone(zone),
                ends_at=datetime.fromisoformat(w["ends_at"]).astimezone(zone),
            )
            for w in venue.availability
        ),
    )


def film_info(film: Film | Row) -> FilmInfo:
    return FilmInfo(
        id=film.id,
        title=film.title,
        original_title=film.original_title,
        directors=tuple(film.directors),
        year=film.year,
        countries=tuple(film.countries),
        languages=tuple(film.languages),
        subtitles=film.subtitles,
        runtime_minutes=film.runtime_minutes,
        synopsis=film.synopsis,
        section=film.section,
        premiere=film.premiere,
        format=film.format,
        copies=film.copies,
        credits=tuple(Credit(role=c["role"], names=tuple(c["names"])) for c in film.credits),
        distributor=film.distributor,
        awards=tuple(film.awards),
        notes=film.notes,
    )


# What a Programme holds of a film and a screening: read as columns, without ORM objects
# (publishing reads every one of a festival's, under its lock)
_FILM_COLUMNS = [getattr(Film, name) for name in FilmInfo.model_fields]
_SCREENING_COLUMNS = (
    Screening.id,
    Screening.venue_id,
    Screening.starts_at,
    Screening.title,
    Screening.intro_minutes,
    Screening.qa_minutes,
    Screening.slot_minutes,
    Screening.guests,
    Screening.status,
    Screening.accessibility,
    Screening.ticket_url,
    Screening.notes,
)


def working_programme(session: Session, festival: Festival, statuses: tuple[str, ...] | None = None) -> Programme:
    """The festival as it stands now (not a published version)."""
    info = festival_info(festival)
    venues = session.exec(select(Venue).where(Venue.festival_id == festival.id).order_by(Venue.id)).all()
    films = session.execute(sa_select(*_FILM_COLUMNS).where(Film.festival_id == festival.id).order_by(Film.id)).all()
    query = sa_select(*_SCREENING_COLUMNS).where(Screening.festival_id == festival.id)
    if statuses is not None:
        query = query.where(Screening.status.in_(statuses))
    screenings = session.execute(query.order_by(Screening.starts_at, Screening.venue_id, Screening.id)).all()
    film_infos = tuple(film_info(f) for f in films)
    films_by_id = {f.id: f for f in film_infos}
    film_ids = films_of_screenings(session, None, festival.id)
    return Programme(
        festival=info,
        venues=tuple(venue_info(v, info.zone) for v in venues),
        films=film_infos,
        screenings=tuple(
            schedule_screening(
                info,
                films_by_id,
                id=s.id,
                venue_id=s.venue_id,
                starts_at=s.starts_at,
                film_ids=tuple(film_ids.get(s.id, ())),
                title=s.title,
                intro_minutes=s.intro_minutes,
                qa_minutes=s.qa_minutes,
                slot_minutes=s.slot_minutes,
                guests=tuple(s.guests),
                status=s.status,
                accessibility=tuple(s.accessibility),
                ticket_url=s.ticket_url,
                notes=s.notes,
            )
            for s in screenings
        ),
    )
