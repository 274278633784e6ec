"""The fields of festivals, venues, films and screenings, with their bounds: one family per entity.

Every way in reads these: the JSON API's bodies (`app.api.schemas` builds `Create`, `Update`
and `Public` from the `Base` classes), the programme folder's entries (`app.programme_files`),
and so the board and the loader refuse exactly what the API refuses. The table models in
`app.store.models` store the same fields (a test compares the sets). Pure: pydantic only.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator


class ScreeningStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Premiere(StrEnum):
    NONE = "none"
    LOCAL = "local"
    NATIONAL = "national"
    EUROPEAN = "european"
    INTERNATIONAL = "international"
    WORLD = "world"


class Accessibility(StrEnum):
    SUBTITLED = "subtitled"
    CAPTIONED = "captioned"
    AUDIO_DESCRIPTION = "audio_description"
    RELAXED = "relaxed"


# The longest a screening may last. It also bounds how far apart two screenings that can
# conflict may start, so a write need only look at its neighbours: every way in must keep it.
LONGEST_SCREENING_MINUTES = 24 * 60
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
# Festivals from the first film festivals to well beyond any plan; a festival lasts at most
# LONGEST_FESTIVAL_DAYS, and screenings and availability lie within NEAR_FESTIVAL of it.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
LONGEST_FESTIVAL_DAYS = 92
NEAR_FESTIVAL = timedelta(days=31)
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# Characters that reorder or hide text (bidi overrides and isolates, zero-width marks):
# in a name they make it read differently from what is stored.
_HIDDEN = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200E, 0x200F, 0xFEFF)}


def _plain_text(value: str, *, lines: bool) -> str:
    for char in value:
        if char in _HIDDEN:
            raise ValueError(f"must not contain the invisible control character U+{ord(char):04X}")
        if unicodedata.category(char) == "Cs":
            raise ValueError(f"must not contain the lone surrogate U+{ord(char):04X} (not a character)")
        if unicodedata.category(char) == "Cc" and not (lines and char in "\n\t\r"):
            name = "NUL" if char == "\x00" else f"U+{ord(char):04X}"
            raise ValueError(f"must not contain the control character {name}")
    return value


def _one_line(value: str) -> str:
    return _plain_text(value, lines=False).strip()


def _many_lines(value: str) -> str:
    return _plain_text(value, lines=True)


def _no_blank_names(names: list[str]) -> list[str]:
    if any(not name for name in names):
        raise ValueError("names must not be empty")
    return names


def _one_as_list(value: Any) -> Any:
    """A single name where a list is expected counts as a list of one (handy in YAML)."""
    return [value] if isinstance(value, str) else value


_LINE, _LINES = AfterValidator(_one_line), AfterValidator(_many_lines)
# Single lines of text (names, titles), stripped, each bounded; and text over several lines.
Title = Annotated[str, _LINE, Field(min_length=1, max_length=500)]
Name = Annotated[str, _LINE, Field(min_length=1, max_length=300)]
Role = Annotated[str, _LINE, Field(min_length=1, max_length=100)]
LongLine = Annotated[str, _LINE, Field(max_length=500)]  # an address, a distributor, a screening's title
Label = Annotated[str, _LINE, Field(max_length=300)]  # a section
PersonName = Annotated[str, _LINE, Field(max_length=200)]  # a director, a guest, a country, a city
ShortLine = Annotated[str, _LINE, Field(max_length=100)]  # a language
Format = Annotated[str, _LINE, Field(max_length=50)]
Synopsis = Annotated[str, _LINES, Field(max_length=10_000)]
Notes = Annotated[str, _LINES, Field(max_length=5_000)]
# Lists of names: a single name counts as a list of one; blank names are refused.
_NAMES = (BeforeValidator(_one_as_list), AfterValidator(_no_blank_names))
Directors = Annotated[list[PersonName], *_NAMES, Field(max_length=20)]
Countries = Annotated[list[PersonName], *_NAMES, Field(max_length=30)]
Guests = Annotated[list[PersonName], *_NAMES, Field(max_length=50)]
CreditNames = Annotated[list[PersonName], *_NAMES, Field(max_length=100)]
Awards = Annotated[list[Label], *_NAMES, Field(max_length=50)]


def _web_address(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("must be a web address starting with https:// or http://")
    return value


WebAddress = Annotated[str, AfterValidator(_one_line), Field(max_length=1000), AfterValidator(_web_address)]


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _known_zone(name: str) -> str:
    if name not in _zone_names():
        raise ValueError(f"'{name[:80]}' is not an IANA timezone name (e.g. Europe/Berlin)")
    return name


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("give a local time without an offset (e.g. 06:00); it is read in the festival's timezone")
    return value


def _sensible_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"must lie between {EARLIEST_DATE} and {LATEST_DATE}")
    return value


TimezoneName = Annotated[str, Field(max_length=64), AfterValidator(_known_zone)]
FestivalDate = Annotated[date, AfterValidator(_sensible_date)]
WallClock = Annotated[time, AfterValidator(_wall_clock)]
Minutes = Annotated[int, Field(ge=0, le=LONGEST_SCREENING_MINUTES)]
RuntimeMinutes = Annotated[int, Field(gt=0, le=LONGEST_SCREENING_MINUTES)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Fields(BaseModel):
    """Fields a person typed: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True, validate_default=True)


# -- festival ---------------------------------------------------------------------------------


class FestivalBase(Fields):
    name: Name
    city: PersonName = ""
    website: WebAddress | None = None
    timezone: TimezoneName = "Europe/Berlin"
    starts_on: FestivalDate
    ends_on: FestivalDate
    day_starts_at: WallClock = Field(default=time(6), description="local time a festival day starts")
    print_transfer_minutes: Minutes = 30

    @model_validator(mode="after")
    def _dates_in_order(self) -> FestivalBase:
        if self.ends_on < self.starts_on:
            raise ValueError(f"ends_on ({self.ends_on}) is before starts_on ({self.starts_on})")
        if (self.ends_on - self.starts_on).days >= LONGEST_FESTIVAL_DAYS:
            raise ValueError(f"a festival lasts at most {LONGEST_FESTIVAL_DAYS} days")
        return self


class FestivalSlug(Fields):
    slug: str = Field(
        pattern=SLUG_PATTERN, max_length=100, description="URL name: lower-case letters, digits and single dashes"
    )


# -- venue ------------------------------------------------------------------------------------


class AvailabilityWindow(Fields):
    starts_at: datetime
    ends_at: datetime


class VenueBase(Fields):
    name: Name
    address: LongLine = ""
    capacity: int | None = Field(default=None, ge=0, le=1_000_000)
    turnaround_minutes: Minutes = 15
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    step_free: bool = False
    availability: list[AvailabilityWindow] = Field(
        default_factory=list, max_length=200, description="windows when the festival has the room; none: all of it"
    )


# -- film -------------------------------------------------------------------------------------


class Credit(Fields):
    role: Role
    names: CreditNames


class FilmBase(Fields):
    title: Title
    original_title: LongLine | None = None
    directors: Directors = Field(default_factory=list)
    year: int | None = Field(default=None, ge=1880, le=2100)
    countries: Countries = Field(default_factory=list)
    languages: Countries = Field(default_factory=list)
    subtitles: ShortLine | None = None
    runtime_minutes: RuntimeMinutes
    synopsis: Synopsis = ""
    section: Label | None = None
    premiere: Premiere = Premiere.NONE
    format: Format | None = None
    copies: int = Field(default=1, ge=1, le=100)
    credits: list[Credit] = Field(default_factory=list, max_length=50)
    distributor: LongLine | None = None
    awards: Awards = Field(default_factory=list)
    notes: Notes = ""


# -- screening --------------------------------------------------------------------------------


class ScreeningDetails(Fields):
    """What a screening holds besides its place, time and films (a programme file names those by key)."""

    title: LongLine | None = None
    intro_minutes: Minutes = 0
    qa_minutes: Minutes = 0
    slot_minutes: int | None = Field(default=None, gt=0, le=LONGEST_SCREENING_MINUTES)
    guests: Guests = Field(default_factory=list)
    status: ScreeningStatus = ScreeningStatus.DRAFT
    accessibility: list[Accessibility] = Field(default_factory=list, max_length=4)
    ticket_url: WebAddress | None = None
    notes: Notes = ""

    @field_validator("title", mode="after")
    @classmethod
    def _blank_title_is_none(cls, value: str | None) -> str | None:
        return value or None


class ScreeningBase(ScreeningDetails):
    """A screening as typed; `venue_id` and `films` name stored venues and films."""

    venue_id: Id
    starts_at: datetime = Field(description="ISO 8601; without an offset it is read in the festival's timezone")
    films: list[Id] = Field(min_length=1, max_length=50, description="film ids in the order they are shown")


# The fields each family holds (the table models and programme-file entries must store them all).
FESTIVAL_FIELDS = tuple(FestivalSlug.model_fields) + tuple(FestivalBase.model_fields)
VENUE_FIELDS = tuple(VenueBase.model_fields)
FILM_FIELDS = tuple(FilmBase.model_fields)
SCREENING_FIELDS = tuple(ScreeningBase.model_fields)


def check_near_festival(when: datetime, starts_on: date, ends_on: date) -> None:
    """Refuse a time far from the festival's dates (a typo of a year, not a programming choice)."""
    if not starts_on - NEAR_FESTIVAL <= when.date() <= ends_on + NEAR_FESTIVAL:
        raise ValueError(
            f"{when:%Y-%m-%d} is more than {NEAR_FESTIVAL.days} days from the festival ({starts_on} to {ends_on})"
        )
