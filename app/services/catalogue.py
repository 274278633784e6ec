"""Festivals, venues and films: their rules (a timezone fixed once created, availability windows in the
festival's time, nothing deleted while screenings use it) and the confirmed-screening rule on every change.

An update takes `changes` (only the fields that change) and validates the merged result with the
family's `Base`, so a PATCH, the board and the loader meet the same bounds. `If-Match` is compared
under the row's lock, so two writers holding the same ETag cannot both win.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.scheduling.fields import FestivalBase, FestivalSlug, FilmBase, VenueBase, check_near_festival
from app.scheduling.programme import section_slug
from app.scheduling.times import NonExistentLocalTime, local_time
from app.services.errors import Duplicate, InUse, InvalidField, NotFound
from app.services.rules import check_whole_schedule
from app.services.screenings import check_if_match, etag_of
from app.store import repository
from app.store.models import Festival, Film, Venue


class FestivalFields(FestivalSlug, FestivalBase):
    """Every field of a festival (its slug too)."""


# -- festivals ------------------------------------------------------------------------------


def get_festival(session: Session, slug: str, *, first_read: bool = False) -> Festival:
    """The festival called `slug` (NotFound). `first_read`: the session has read nothing yet
    (`repository.first_festival_by_slug`)."""
    festival = (
        repository.first_festival_by_slug(session, slug) if first_read else repository.festival_by_slug(session, slug)
    )
    if festival is None:
        raise NotFound(f"Festival '{slug}' does not exist.")
    return festival


def _slug_taken(slug: str) -> Duplicate:
    return Duplicate(f"A festival with the slug '{slug}' already exists; choose another slug.")


def create_festival(session: Session, fields: FestivalFields, now: datetime) -> Festival:
    if repository.festival_by_slug(session, fields.slug) is not None:
        raise _slug_taken(fields.slug)
    festival = Festival(**fields.model_dump(), created_at=now, updated_at=now)
    repository.take_slug(session, fields.slug)  # a former slug of another festival is free to take
    session.add(festival)
    try:
        session.flush()
    except IntegrityError:
        raise _slug_taken(fields.slug) from None
    return festival


def update_festival(
    session: Session, festival: Festival, changes: dict, now: datetime, if_match: str | None = None
) -> Festival:
    repository.lock_festival(session, festival.id)
    session.refresh(festival)
    check_if_match(if_match, etag_of("festival", festival))
    current = festival.model_dump(include=set(FestivalFields.model_fields))
    merged = FestivalFields.model_validate({**current, **changes})
    if merged.timezone != festival.timezone:
        # stored instants would silently shift wall-clock times; refuse rather than surprise
        raise InvalidField("timezone", "cannot change once created: screenings are stored as instants")
    if merged.slug != festival.slug:
        if repository.festival_by_slug(session, merged.slug) is not None:
            raise _slug_taken(merged.slug)
        # old URLs redirect to the new ones (308), and calendar UIDs keep the first slug
        repository.take_slug(session, merged.slug)
        repository.record_former_slug(session, festival.id, festival.slug, now)
        festival.uid_slug = festival.uid_slug or festival.slug
    for field, value in merged.model_dump().items():
        setattr(festival, field, value)
    festival.revision += 1
    festival.updated_at = now
    session.add(festival)
    session.flush()
    check_whole_schedule(session, festival, field="starts_on")
    return festival


def delete_festival(session: Session, festival: Festival, if_match: str | None = None) -> None:
    repository.lock_festival(session, festival.id)
    session.refresh(festival)
    check_if_match(if_match, etag_of("festival", festival))
    repository.delete_festival(session, festival.id)


# -- venues ---------------------------------------------------------------------------------


def stored_windows(fields: VenueBase, festival: Festival) -> list[dict]:
    """Availability windows as stored: UTC instants, in order; local times read in the festival's zone."""
    zone = ZoneInfo(festival.timezone)
    windows = []
    for index, window in enumerate(fields.availability):
        try:
            starts_at, ends_at = local_time(window.starts_at, zone), local_time(window.ends_at, zone)
            check_near_festival(starts_at, festival.starts_on, festival.ends_on)
            check_near_festival(ends_at, festival.starts_on, festival.ends_on)
        except (NonExistentLocalTime, ValueError) as error:
            raise InvalidField(f"availability.{index}", str(error)) from None
        if ends_at <= starts_at:
            raise InvalidField(f"availability.{index}", "ends_at must be after starts_at")
        windows.append(
            {"starts_at": starts_at.astimezone(UTC).isoformat(), "ends_at": ends_at.astimezone(UTC).isoformat()}
        )
    return sorted(windows, key=lambda w: w["starts_at"])


def venue_fields(venue: Venue, festival: Festival) -> dict:
    """A stored venue as fields, its windows in the festival's zone."""
    zone = ZoneInfo(festival.timezone)
    windows = [
        {key: datetime.fromisoformat(w[key]).astimezone(zone) for key in ("starts_at", "ends_at")}
        for w in venue.availability
    ]
    return {**venue.model_dump(), "availability": windows}


def get_venue(session: Session, festival: Festival, venue_id: int) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None or venue.festival_id != festival.id:
        raise NotFound(f"Venue {venue_id} of festival '{festival.slug}' does not exist.")
    return venue


def create_venue(session: Session, festival: Festival, fields: VenueBase, key: str | None = None) -> Venue:
    venue = Venue(
        **fields.model_dump(exclude={"availability"}),
        festival_id=festival.id,
        key=key,
        availability=stored_windows(fields, festival),
    )
    session.add(venue)
    session.flush()
    return venue


def update_venue(
    session: Session, festival: Festival, venue_id: int, changes: dict, if_match: str | None = None
) -> Venue:
    repository.lock_festival(session, festival.id)
    venue = get_venue(session, festival, venue_id)
    session.refresh(venue)
    check_if_match(if_match, etag_of("venue", venue))
    stored = venue_fields(venue, festival)
    current = {field: stored[field] for field in VenueBase.model_fields}
    merged = VenueBase.model_validate({**current, **changes})
    for field, value in merged.model_dump(exclude={"availability"}).items():
        setattr(venue, field, value)
    venue.availability = stored_windows(merged, festival)
    venue.revision += 1
    session.add(venue)
    session.flush()
    check_whole_schedule(session, festival, field="availability")
    return venue


def delete_venue(session: Session, festival: Festival, venue_id: int, if_match: str | None = None) -> None:
    repository.lock_festival(session, festival.id)
    venue = get_venue(session, festival, venue_id)
    session.refresh(venue)
    check_if_match(if_match, etag_of("venue", venue))
    used = repository.count_screenings_using(session, venue_id=venue.id)
    if used:
        raise InUse(
            f"Venue {venue.id} ({venue.name}) is used by {used} screening"
            f"{'s' if used != 1 else ''}; move or delete them first.",
            "Venue in use",
        )
    session.delete(venue)
    session.flush()


# -- films ----------------------------------------------------------------------------------


def film_fields(film: Film) -> dict:
    return {**film.model_dump(), "section_slug": section_slug(film.section) if film.section else None}


def get_film(session: Session, festival: Festival, film_id: int) -> Film:
    film = session.get(Film, film_id)
    if film is None or film.festival_id != festival.id:
        raise NotFound(f"Film {film_id} of festival '{festival.slug}' does not exist.")
    return film


def create_film(session: Session, festival: Festival, fields: FilmBase, key: str | None = None) -> Film:
    film = Film(**fields.model_dump(), festival_id=festival.id, key=key)
    session.add(film)
    session.flush()
    return film


def update_film(session: Session, festival: Festival, film_id: int, changes: dict, if_match: str | None = None) -> Film:
    repository.lock_festival(session, festival.id)
    film = get_film(session, festival, film_id)
    session.refresh(film)
    check_if_match(if_match, etag_of("film", film))
    current = film.model_dump(include=set(FilmBase.model_fields))
    merged = FilmBase.model_validate({**current, **changes})
    for field, value in merged.model_dump().items():
        setattr(film, field, value)
    film.revision += 1
    session.add(film)
    session.flush()
    check_whole_schedule(session, festival, field="runtime_minutes")
    return film


def delete_film(session: Session, festival: Festival, film_id: int, if_match: str | None = None) -> None:
    repository.lock_festival(session, festival.id)
    film = get_film(session, festival, film_id)
    session.refresh(film)
    check_if_match(if_match, etag_of("film", film))
    used = repository.count_screenings_using(session, film_id=film.id)
    if used:
        raise InUse(
            f"Film {film.id} ({film.title}) is shown in {used} screening"
            f"{'s' if used != 1 else ''}; remove it from them first.",
            "Film in use",
        )
    session.delete(film)
    session.flush()


def list_festivals(session: Session, limit: int, offset: int) -> tuple[list[Festival], int]:
    return repository.festivals_page(session, limit, offset)


def list_venues(session: Session, festival: Festival, limit: int, offset: int) -> tuple[list[Venue], int]:
    return repository.venues_page(session, festival.id, limit, offset)


def list_films(session: Session, festival: Festival, limit: int, offset: int) -> tuple[list[Film], int]:
    return repository.films_page(session, festival.id, limit, offset)
