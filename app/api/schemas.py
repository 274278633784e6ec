"""Request and response bodies of the JSON API (the public contract in DESIGN.md)."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from app.scheduling.programme import LONGEST_SCREENING_MINUTES as MAX_MINUTES

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Premiere = Literal["none", "local", "national", "european", "international", "world"]
Status = Literal["draft", "confirmed", "cancelled"]
Accessibility = Literal["subtitled", "captioned", "audio_description", "relaxed"]
Minutes = Annotated[int, Field(ge=0, le=MAX_MINUTES)]
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _known_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{name}' is not an IANA timezone name (e.g. Europe/Berlin)") from None
    return name


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("give a local time without an offset (e.g. 06:00); it is read in the festival's timezone")
    return value


def _clean_names(names: list[str]) -> list[str]:
    cleaned = [n.strip() for n in names]
    if any(not n for n in cleaned):
        raise ValueError("names must not be empty")
    return cleaned


Names = Annotated[list[str], AfterValidator(_clean_names)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        # PostgreSQL text cannot hold NUL; refuse it everywhere so both databases agree
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("text must not contain the NUL character")
        return value


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int


# -- festivals -----------------------------------------------------------------------------

class FestivalFields(Body):
    name: str = Field(min_length=1, max_length=300)
    city: str = Field(default="", max_length=200)
    website: str | None = Field(default=None, max_length=500)
    timezone: Annotated[str, AfterValidator(_known_zone)] = "Europe/Berlin"
    starts_on: date
    ends_on: date
    day_starts_at: Annotated[time, AfterValidator(_wall_clock)] = Field(
        default=time(6), description="local time a festival day starts")
    print_transfer_minutes: Minutes = 30

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.ends_on < self.starts_on:
            raise ValueError(f"ends_on ({self.ends_on}) is before starts_on ({self.starts_on})")
        return self


class FestivalCreate(FestivalFields):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=100,
                      description="URL name: lower-case letters, digits and single dashes")


class FestivalUpdate(Body):
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=100)
    name: str | None = None
    city: str | None = None
    website: str | None = None
    timezone: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    day_starts_at: time | None = None
    print_transfer_minutes: int | None = None


class FestivalPublic(FestivalCreate):
    model_config = ConfigDict(extra="ignore")
    id: int
    created_at: datetime
    updated_at: datetime
    latest_version: int = 0


# -- venues --------------------------------------------------------------------------------

class AvailabilityWindow(Body):
    starts_at: datetime
    ends_at: datetime


class VenueFields(Body):
    name: str = Field(min_length=1, max_length=300)
    address: str = Field(default="", max_length=500)
    capacity: int | None = Field(default=None, ge=0)
    turnaround_minutes: Minutes = 15
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    step_free: bool = False
    availability: list[AvailabilityWindow] = Field(
        default_factory=list, description="windows when the festival has the room; none: all of it")


class VenueUpdate(Body):
    name: str | None = None
    address: str | None = None
    capacity: int | None = None
    turnaround_minutes: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    step_free: bool | None = None
    availability: list[AvailabilityWindow] | None = None


class VenuePublic(VenueFields):
    model_config = ConfigDict(extra="ignore")
    id: int


# -- films ---------------------------------------------------------------------------------

class Credit(Body):
    role: str = Field(min_length=1, max_length=100)
    names: Names


class FilmFields(Body):
    title: str = Field(min_length=1, max_length=500)
    original_title: str | None = Field(default=None, max_length=500)
    directors: Names = Field(default_factory=list)
    year: int | None = Field(default=None, ge=1880, le=2100)
    countries: Names = Field(default_factory=list)
    languages: Names = Field(default_factory=list)
    subtitles: str | None = Field(default=None, max_length=100)
    runtime_minutes: int = Field(gt=0, le=MAX_MINUTES)
    synopsis: str = ""
    section: str | None = Field(default=None, max_length=300)
    premiere: Premiere = "none"
    format: str | None = Field(default=None, max_length=50)
    copies: int = Field(default=1, ge=1, le=100)
    credits: list[Credit] = Field(default_factory=list)
    distributor: str | None = None
    awards: list[str] = Field(default_factory=list)
    notes: str = ""


class FilmUpdate(Body):
    title: str | None = None
    original_title: str | None = None
    directors: list[str] | None = None
    year: int | None = None
    countries: list[str] | None = None
    languages: list[str] | None = None
    subtitles: str | None = None
    runtime_minutes: int | None = None
    synopsis: str | None = None
    section: str | None = None
    premiere: str | None = None
    format: str | None = None
    copies: int | None = None
    credits: list[Credit] | None = None
    distributor: str | None = None
    awards: list[str] | None = None
    notes: str | None = None


class FilmPublic(FilmFields):
    model_config = ConfigDict(extra="ignore")
    id: int
    section_slug: str | None = None


# -- screenings ----------------------------------------------------------------------------

class ScreeningFields(Body):
    venue_id: Id
    starts_at: datetime = Field(description="ISO 8601; without an offset it is read in the "
                                            "festival's timezone")
    films: list[Id] = Field(min_length=1, max_length=50,
                             description="film ids in the order they are shown")
    title: str | None = Field(default=None, max_length=500)
    intro_minutes: Minutes = 0
    qa_minutes: Minutes = 0
    slot_minutes: int | None = Field(default=None, gt=0, le=MAX_MINUTES)
    guests: Names = Field(default_factory=list)
    status: Status = "draft"
    accessibility: list[Accessibility] = Field(default_factory=list)
    ticket_url: str | None = Field(default=None, max_length=1000)
    notes: str = ""


class ScreeningUpdate(Body):
    venue_id: int | None = None
    starts_at: datetime | None = None
    films: list[int] | None = None
    title: str | None = None
    intro_minutes: int | None = None
    qa_minutes: int | None = None
    slot_minutes: int | None = None
    guests: list[str] | None = None
    status: str | None = None
    accessibility: list[str] | None = None
    ticket_url: str | None = None
    notes: str | None = None


class ConflictPublic(BaseModel):
    kind: str
    severity: Literal["error", "warning"]
    screening_ids: list[int]
    minutes: int
    message: str
    festival_day: date


class ScreeningPublic(ScreeningFields):
    model_config = ConfigDict(extra="ignore")
    id: int
    title: str
    runtime_minutes: int
    ends_at: datetime
    festival_day: date
    conflicts: list[ConflictPublic] = Field(default_factory=list)
