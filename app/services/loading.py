"""Loading a programme folder into the database, and exporting one (`marquee load` / `marquee export`).

The folder's entries were validated with the same field families as the API's bodies
(`app.scheduling.fields`); after the upsert the same standing rules are checked as for every
other write (`rules.check_whole_schedule`), so a folder cannot store what the API refuses.
Loading is an upsert inside one transaction: the festival by slug, venues and films by
their `key`, screenings by venue and start time. Loading the same folder twice changes
nothing; nothing is ever deleted by a load. A folder whose confirmed screenings would be
in error-level conflict is refused as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlmodel import Session, select

from app.programme_files import (
    FilmEntry,
    ProgrammeFolder,
    ScreeningEntry,
    VenueEntry,
    record_keys,
)
from app.scheduling.fields import FestivalBase, FilmBase, ScreeningDetails, VenueBase
from app.scheduling.programme import Programme
from app.services.errors import InvalidField
from app.services.rules import check_whole_schedule
from app.store.models import Festival, Film, Screening, ScreeningFilm, Venue
from app.store.repository import current_slug_for, festival_info, lock_festival
from app.store.snapshot import working_programme

# the families' fields that a folder sets directly (the rest are converted below)
FESTIVAL_FIELDS = tuple(FestivalBase.model_fields)
VENUE_FIELDS = tuple(f for f in VenueBase.model_fields if f != "availability")
FILM_FIELDS = tuple(f for f in FilmBase.model_fields if f != "credits")
SCREENING_FIELDS = tuple(ScreeningDetails.model_fields)


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def _assign(row, values: dict) -> bool:
    """Set changed attributes only; True when anything changed."""
    changed = False
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    return changed


def load_programme(
    session: Session, folder: ProgrammeFolder, progress: Callable[[int], None] = lambda _: None
) -> dict[str, int]:
    """Upsert the folder's festival; returns counts of what was created or changed."""
    counts = {"created": 0, "updated": 0}

    def tally(created: bool, changed: bool) -> None:
        if created:
            counts["created"] += 1
        elif changed:
            counts["updated"] += 1

    info = folder.festival
    festival = session.exec(select(Festival).where(Festival.slug == info.slug)).first()
    if festival is None:  # a folder exported before the festival was renamed loads into it
        renamed_to = current_slug_for(session, info.slug)
        festival = session.exec(select(Festival).where(Festival.slug == renamed_to)).first() if renamed_to else None
    now = datetime.now(UTC)
    created = festival is None
    if created:
        festival = Festival(slug=info.slug, created_at=now, updated_at=now)
    else:
        # the festival's lock before any venue, film or screening row, as every other schedule
        # write takes it: taken last, a concurrent API write holding it and waiting for a
        # screening this load had written made a deadlock (PostgreSQL aborted one of them)
        lock_festival(session, festival.id)
        session.refresh(festival)
    if not created and info.timezone != festival.timezone:
        # as over the API: stored instants would silently move on the wall clock
        raise InvalidField(
            "timezone",
            f"festival.yaml says {info.timezone}, but '{info.slug}' is in "
            f"{festival.timezone}; a festival's timezone cannot change once created",
        )
    changed = _assign(festival, {f: getattr(info, f) for f in FESTIVAL_FIELDS})
    if changed and not created:
        festival.revision += 1
        festival.updated_at = now
    if created or changed:
        session.add(festival)
        session.flush()
    tally(created, changed)

    # records made over the API have no key: they answer to the key an export gives them
    stored_venues = list(session.exec(select(Venue).where(Venue.festival_id == festival.id)))
    venue_keys = record_keys([(v.id, v.key, v.name) for v in stored_venues])
    venues = {venue_keys[v.id]: _keep_key(v, venue_keys[v.id]) for v in stored_venues}
    venue_ids: dict[str, int] = {}
    for entry in folder.venues:
        venue_ids[entry.key] = _upsert_venue(session, festival, venues.get(entry.key), entry, tally)

    stored_films = list(session.exec(select(Film).where(Film.festival_id == festival.id)))
    film_keys = record_keys([(f.id, f.key, f.title) for f in stored_films])
    films = {film_keys[f.id]: _keep_key(f, film_keys[f.id]) for f in stored_films}
    film_ids: dict[str, int] = {}
    for entry in folder.films:
        film_ids[entry.key] = _upsert_film(session, festival, films.get(entry.key), entry, tally)
    session.flush()

    stored = list(session.exec(select(Screening).where(Screening.festival_id == festival.id)))
    existing: dict = {(s.venue_id, s.starts_at): s for s in stored}
    existing.update({s.key: s for s in stored if s.key})
    for done, entry in enumerate(folder.screenings, start=1):
        _upsert_screening(session, festival, existing, entry, venue_ids, film_ids, tally)
        progress(done)
    session.flush()
    # the same standing rules as every other write (longest screening, confirmed screenings)
    check_whole_schedule(session, festival, field="screenings.csv")
    return counts


def _keep_key(row: Venue | Film, key: str) -> Venue | Film:
    """Give a key-less record the key it answers to, so later loads and exports agree."""
    if row.key is None:
        row.key = key
    return row


def _upsert_venue(session, festival, venue: Venue | None, entry: VenueEntry, tally) -> int:
    info = entry.venue
    created = venue is None
    if created:
        venue = Venue(festival_id=festival.id, key=entry.key, name=info.name)
    values = {f: getattr(info, f) for f in VENUE_FIELDS}
    values["availability"] = [
        {"starts_at": w.starts_at.astimezone(UTC).isoformat(), "ends_at": w.ends_at.astimezone(UTC).isoformat()}
        for w in info.availability
    ]
    changed = _assign(venue, values)
    if changed and not created:
        venue.revision += 1
    if created or changed:
        session.add(venue)
        session.flush()
    tally(created, changed)
    return venue.id


def _upsert_film(session, festival, film: Film | None, entry: FilmEntry, tally) -> int:
    info = entry.film
    created = film is None
    if created:
        film = Film(festival_id=festival.id, key=entry.key, title=info.title, runtime_minutes=info.runtime_minutes)
    values = {f: _plain(getattr(info, f)) for f in FILM_FIELDS}
    values["credits"] = [{"role": c.role, "names": list(c.names)} for c in info.credits]
    changed = _assign(film, values)
    if changed and not created:
        film.revision += 1
    if created or changed:
        session.add(film)
        session.flush()
    tally(created, changed)
    return film.id


def _utc(value: datetime) -> datetime:
    """A stored instant as aware UTC (rows read back are naive UTC on some databases)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _upsert_screening(session, festival, existing, entry: ScreeningEntry, venue_ids, film_ids, tally) -> None:
    info = entry.screening
    venue_id = venue_ids[entry.venue_key]
    starts_at = info.starts_at.astimezone(UTC)
    # a keyed row names its screening wherever it now is (a row moved in the spreadsheet moves it);
    # a row without a key is the screening at its place
    screening = existing.get(entry.key) if entry.key else None
    if screening is None:
        screening = existing.get((venue_id, starts_at))
        if screening is not None and entry.key and screening.key not in (None, entry.key):
            screening = None  # that place holds another keyed screening: this row is a new one
    created = screening is None
    if created:
        screening = Screening(festival_id=festival.id, venue_id=venue_id, starts_at=starts_at, key=entry.key)
        existing[(venue_id, starts_at)] = screening
        if entry.key:
            existing[entry.key] = screening
    elif entry.key and screening.key is None:
        screening.key = entry.key
    changed = _assign(screening, {f: _plain(getattr(info, f)) for f in SCREENING_FIELDS})
    if not created and (screening.venue_id, _utc(screening.starts_at)) != (venue_id, starts_at):
        screening.venue_id, screening.starts_at, changed = venue_id, starts_at, True
    wanted = [film_ids[k] for k in entry.film_keys]
    if not created:
        current = list(
            session.execute(
                select(ScreeningFilm.film_id)
                .where(ScreeningFilm.screening_id == screening.id)
                .order_by(ScreeningFilm.position)
            ).scalars()
        )
        if current == wanted:
            wanted = None
        else:
            session.execute(delete(ScreeningFilm).where(ScreeningFilm.screening_id == screening.id))
            changed = True
        if changed:
            screening.revision += 1
    if created or changed:
        session.add(screening)
        session.flush()
    if wanted is not None:
        session.add_all(ScreeningFilm(screening_id=screening.id, position=i, film_id=f) for i, f in enumerate(wanted))
    tally(created, changed)


def export_programme(session: Session, festival: Festival) -> ProgrammeFolder:
    """The festival's working programme as a folder (all screenings, drafts included)."""
    programme: Programme = working_programme(session, festival)
    venue_keys = record_keys(
        [(v.id, v.key, v.name) for v in session.exec(select(Venue).where(Venue.festival_id == festival.id))]
    )
    film_keys = record_keys(
        [(f.id, f.key, f.title) for f in session.exec(select(Film).where(Film.festival_id == festival.id))]
    )
    screening_keys = {
        s.id: s.key for s in session.exec(select(Screening).where(Screening.festival_id == festival.id)) if s.key
    }
    return ProgrammeFolder(
        festival=festival_info(festival),
        venues=tuple(VenueEntry(key=venue_keys[v.id], venue=v) for v in programme.venues),
        films=tuple(FilmEntry(key=film_keys[f.id], film=f) for f in programme.films),
        screenings=tuple(
            ScreeningEntry(
                line=i + 2,
                venue_key=venue_keys[s.venue_id],
                film_keys=tuple(film_keys[f] for f in s.film_ids),
                screening=s,
                key=screening_keys.get(s.id),
            )
            for i, s in enumerate(programme.screenings)
        ),
    )
