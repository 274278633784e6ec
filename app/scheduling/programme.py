"""A festival programme as plain values: what renderers, snapshots and the loader share.

These are pydantic models so that a published version can be stored as JSON and read back
exactly, but nothing here knows HTTP or the database. Times are aware datetimes in the
festival's timezone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime, time
from functools import cached_property
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from app.scheduling.fields import LONGEST_SCREENING_MINUTES, Accessibility, Premiere, ScreeningStatus
from app.scheduling.search import fold
from app.scheduling.times import add_minutes, festival_day


class Value(BaseModel):
    model_config = ConfigDict(frozen=True, use_enum_values=True)


class FestivalInfo(Value):
    slug: str
    # the slug calendar UIDs are made from, once the festival has been renamed (its first slug)
    uid_slug: str | None = None
    name: str
    city: str = ""
    website: str | None = None
    timezone: str = "Europe/Berlin"
    starts_on: date
    ends_on: date
    day_starts_at: time = time(6)
    print_transfer_minutes: int = 30

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def calendar_slug(self) -> str:
        """What calendar UIDs are made from: the first slug the festival had, never a later one."""
        return self.uid_slug or self.slug


class AvailabilityWindow(Value):
    starts_at: datetime
    ends_at: datetime


class VenueInfo(Value):
    id: int
    name: str
    address: str = ""
    capacity: int | None = None
    turnaround_minutes: int = 15
    latitude: float | None = None
    longitude: float | None = None
    step_free: bool = False
    availability: tuple[AvailabilityWindow, ...] = ()


class Credit(Value):
    role: str
    names: tuple[str, ...]


class FilmInfo(Value):
    id: int
    title: str
    original_title: str | None = None
    directors: tuple[str, ...] = ()
    year: int | None = None
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    subtitles: str | None = None
    runtime_minutes: int
    synopsis: str = ""
    section: str | None = None
    premiere: Premiere = Premiere.NONE
    format: str | None = None
    copies: int = 1
    credits: tuple[Credit, ...] = ()
    distributor: str | None = None
    awards: tuple[str, ...] = ()
    notes: str = ""


class ScreeningInfo(Value):
    """A screening with its derived times already worked out (see `schedule_screening`)."""

    id: int
    venue_id: int
    starts_at: datetime
    film_ids: tuple[int, ...]
    title: str | None = None
    intro_minutes: int = 0
    qa_minutes: int = 0
    slot_minutes: int | None = None
    guests: tuple[str, ...] = ()
    status: ScreeningStatus = ScreeningStatus.DRAFT
    accessibility: tuple[Accessibility, ...] = ()
    ticket_url: str | None = None
    notes: str = ""
    # derived
    runtime_minutes: int
    ends_at: datetime
    festival_day: date
    # publishing: how many published versions changed this screening's time, venue,
    # films or status, and when the last such version was published
    sequence: int = 0
    last_modified_at: datetime | None = None


class Programme(Value):
    """One festival's programme: the working copy, or a published version of it."""

    festival: FestivalInfo
    venues: tuple[VenueInfo, ...] = ()
    films: tuple[FilmInfo, ...] = ()
    screenings: tuple[ScreeningInfo, ...] = ()
    version: int = 0  # 0: never published
    published_at: datetime | None = None

    @cached_property
    def venues_by_id(self) -> dict[int, VenueInfo]:
        return {venue.id: venue for venue in self.venues}

    @cached_property
    def films_by_id(self) -> dict[int, FilmInfo]:
        return {film.id: film for film in self.films}


def share_field_sets(programme: Programme) -> Programme:
    """The same programme, its screenings, films and venues (and their credits and windows)
    holding one set of the names of their fields set per kind, not one each; returned.

    Pydantic gives every model it validates a set of the fields its input had: for a version
    read back from JSON, every field, so 10,000 screenings hold 10,000 equal sets of 18 names
    (728 bytes each: more than the screening's own dict of values, about 9 MB of a 10,000-
    screening version with its films). The sets are only read (`model_fields_set`, and copied
    by `model_copy`), and the models are frozen, so equal sets can be one."""
    for items in (
        programme.venues,
        [window for venue in programme.venues for window in venue.availability],
        programme.films,
        [credit for film in programme.films for credit in film.credits],
        programme.screenings,
    ):
        _share_equal_sets(items)
    return programme


def _share_equal_sets(items) -> None:
    """The items that have every field set (the names are a subset of the model's fields, so an
    equal count is an equal set) hold the first such item's set; the others keep theirs."""
    every = None
    count = -1
    setter = object.__setattr__  # as pydantic's own model_copy sets it
    for item in items:
        names = item.__pydantic_fields_set__
        if every is None:
            count = len(type(item).model_fields)
            if len(names) == count:
                every = names
        elif len(names) == count:
            setter(item, "__pydantic_fields_set__", every)


def screening_too_long(runtime_minutes: int) -> str | None:
    """Why a screening of this runtime cannot be stored, or None when it can (see LONGEST_SCREENING_MINUTES)."""
    if runtime_minutes > LONGEST_SCREENING_MINUTES:
        return (
            f"the screening would last {runtime_minutes} minutes; at most {LONGEST_SCREENING_MINUTES} "
            "(one day) is allowed"
        )
    return None


def screening_runtime(intro_minutes: int, film_runtimes: list[int], qa_minutes: int) -> int:
    """Runtime of a screening: intro, then every film in order, then the Q&A."""
    return intro_minutes + sum(film_runtimes) + qa_minutes


def screening_title(title: str | None, film_titles: list[str]) -> str:
    """The title to print: the one given, or the films' titles joined (short first)."""
    return title or " + ".join(film_titles)


def schedule_screening(festival: FestivalInfo, films_by_id: dict[int, FilmInfo], **fields) -> ScreeningInfo:
    """Build a ScreeningInfo, working out runtime, end and festival day from its films."""
    runtime = screening_runtime(
        fields.get("intro_minutes", 0),
        [films_by_id[film_id].runtime_minutes for film_id in fields["film_ids"]],
        fields.get("qa_minutes", 0),
    )
    starts_at = fields["starts_at"].astimezone(festival.zone)
    return ScreeningInfo(
        **{**fields, "starts_at": starts_at},
        runtime_minutes=runtime,
        ends_at=add_minutes(starts_at, runtime),
        festival_day=festival_day(starts_at, festival.zone, festival.day_starts_at),
    )


def section_slug(section: str) -> str:
    """A section's URL name: lower case, every run of other characters turned into '-'.

    Latin names follow that rule exactly ("Retrospective: Evacuation on Screen" is
    `retrospective-evacuation-on-screen`); accents are dropped first and Cyrillic and Greek letters
    written in Latin, as search folds them ("Ретроспектива: Évacuation" is
    `retrospektiva-evacuation`); a name with nothing left (Japanese, say) gets `section-` and six
    hex digits of its SHA-256, so it still has a stable, working address.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(section)).strip("-")
    if slug:
        return slug
    digest = hashlib.sha256(unicodedata.normalize("NFC", section.strip()).encode()).hexdigest()
    return f"section-{digest[:6]}"


def former_section_slug(section: str) -> str:
    """The slug of the first releases (other characters, accents included, made '-'), still answered."""
    return re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-")
