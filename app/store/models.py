"""SQLModel tables: the one description of what is stored.

Times are stored as UTC instants (`UTCDateTime`); the festival's timezone turns them back
into local times at the edges. Lists are JSON columns. Derived screening values
(runtime, end, festival day) are never stored: they are worked out from the films.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, LargeBinary, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.store.types import UTCDateTime

# Stable constraint names on both databases (Alembic autogenerate relies on them).
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def instant(**kwargs):
    return Field(sa_type=UTCDateTime, **kwargs)


# Ids are never reused (SQLite would otherwise reuse a deleted row's id): a screening's id
# is its calendar UID, and caches are keyed by version ids.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def festival_key():
    return Field(sa_column=Column(Integer, ForeignKey("festival.id", ondelete="CASCADE"), nullable=False, index=True))


def empty_list() -> list:
    """A new empty list: a Python function, since pydantic reads a default factory's signature on
    every new row, and a builtin's (`list`) is parsed from text each time (a tenth of a millisecond)."""
    return []


def json_list(**kwargs):
    return Field(default_factory=empty_list, sa_column_kwargs={}, sa_type=JSON, **kwargs)


class Festival(SQLModel, table=True):
    __table_args__ = (NEVER_REUSE_IDS,)
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, unique=True)
    name: str = Field(max_length=300)
    city: str = Field(default="", max_length=200)
    website: str | None = Field(default=None, max_length=500)
    timezone: str = Field(max_length=64)
    starts_on: date
    ends_on: date
    day_starts_at: time = Field(default=time(6))
    print_transfer_minutes: int = 30
    revision: int = 1
    # rises with every write to the festival's schedule (see repository.lock_festival)
    schedule_revision: int = 0
    # The slug calendar UIDs are made from: set to the festival's first slug when it is first
    # renamed, so UIDs never change (None: never renamed, the current slug is the first).
    uid_slug: str | None = Field(default=None, max_length=100)
    created_at: datetime = instant()
    updated_at: datetime = instant()


class FestivalSlugHistory(SQLModel, table=True):
    """A slug a festival had before it was renamed: its old URLs answer 308 to the new ones."""

    __tablename__ = "festival_slug_history"
    __table_args__ = (NEVER_REUSE_IDS,)
    id: int | None = Field(default=None, primary_key=True)
    festival_id: int = festival_key()
    slug: str = Field(max_length=100, unique=True)
    renamed_at: datetime = instant()


class Venue(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("festival_id", "key", name="uq_venue_festival_key"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    festival_id: int = festival_key()
    # short name used by programme folders (venues.yaml, screenings.csv)
    key: str | None = Field(default=None, max_length=100)
    name: str = Field(max_length=300)
    address: str = Field(default="", max_length=500)
    capacity: int | None = None
    turnaround_minutes: int = 15
    latitude: float | None = None
    longitude: float | None = None
    step_free: bool = False
    # [{"starts_at": ISO UTC, "ends_at": ISO UTC}, ...]; empty: the whole festival
    availability: list[dict] = json_list()
    revision: int = 1


class Film(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("festival_id", "key", name="uq_film_festival_key"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    festival_id: int = festival_key()
    key: str | None = Field(default=None, max_length=100)
    title: str = Field(max_length=500)
    original_title: str | None = Field(default=None, max_length=500)
    directors: list[str] = json_list()
    year: int | None = None
    countries: list[str] = json_list()
    languages: list[str] = json_list()
    subtitles: str | None = Field(default=None, max_length=100)
    runtime_minutes: int
    synopsis: str = ""
    section: str | None = Field(default=None, max_length=300)
    premiere: str = Field(default="none", max_length=20)
    format: str | None = Field(default=None, max_length=50)
    copies: int = 1
    credits: list[dict] = json_list()
    distributor: str | None = None
    awards: list[str] = json_list()
    notes: str = ""
    revision: int = 1


class Screening(SQLModel, table=True):
    # a unique index, not a constraint: added to SQLite without copying the table (see the migration)
    __table_args__ = (Index("uq_screening_festival_key", "festival_id", "key", unique=True), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    festival_id: int = festival_key()
    # the row's name in a programme folder's screenings.csv: a moved row moves this screening
    key: str | None = Field(default=None, max_length=100)
    venue_id: int = Field(sa_column=Column(Integer, ForeignKey("venue.id"), nullable=False, index=True))
    starts_at: datetime = instant(index=True)
    title: str | None = Field(default=None, max_length=500)
    intro_minutes: int = 0
    qa_minutes: int = 0
    slot_minutes: int | None = None
    guests: list[str] = json_list()
    status: str = Field(default="draft", max_length=20)
    accessibility: list[str] = json_list()
    ticket_url: str | None = Field(default=None, max_length=1000)
    notes: str = ""
    revision: int = 1


class ScreeningFilm(SQLModel, table=True):
    """The films of a screening, in the order they are shown (a short before the feature)."""

    __tablename__ = "screening_film"
    screening_id: int = Field(
        sa_column=Column(Integer, ForeignKey("screening.id", ondelete="CASCADE"), primary_key=True)
    )
    position: int = Field(primary_key=True)
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False, index=True))


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    __table_args__ = (NEVER_REUSE_IDS,)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = instant()
    revoked_at: datetime | None = instant(default=None, nullable=True)


class PublishedVersion(SQLModel, table=True):
    """A frozen, public version of a festival's programme (see DESIGN.md, Publishing)."""

    __tablename__ = "published_version"
    __table_args__ = (
        UniqueConstraint("festival_id", "number", name="uq_published_version_festival_number"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    festival_id: int = festival_key()
    number: int
    published_at: datetime = instant()
    # the Programme as JSON (app.scheduling.programme.Programme)
    programme: dict = Field(sa_type=JSON)
    # [{"kind": "added"|"moved"|"retimed"|"cancelled", "screening_id": ..., ...}]
    changelog: list[dict] = json_list()
    # the whole-programme feed, rendered once at publish time
    calendar_ics: bytes | None = Field(default=None, sa_type=LargeBinary)


class ScheduleChange(SQLModel, table=True):
    """What a schedule revision changed (see `repository.lock_festival`), kept for the last
    thousand revisions: a server process catches its cached conflicts up from these rows.

    One row per screening the revision wrote; a row without a screening says anything may
    have changed (a venue, a film, the festival's dates): caches are rebuilt.
    """

    __tablename__ = "schedule_change"
    __table_args__ = (Index("ix_schedule_change_festival_revision", "festival_id", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    festival_id: int = Field(sa_column=Column(Integer, ForeignKey("festival.id", ondelete="CASCADE"), nullable=False))
    revision: int
    screening_id: int | None = None


class StaffSession(SQLModel, table=True):
    """A staff member signed in to the pages with an API token (see app/http/staff.py).

    The cookie holds only a random id; this row holds its SHA-256, the token it was opened
    with (a revoked token ends it), the secret behind the forms' cross-site token, and when
    it expires.
    """

    __tablename__ = "staff_session"
    __table_args__ = (NEVER_REUSE_IDS,)
    id: int | None = Field(default=None, primary_key=True)
    session_hash: str = Field(max_length=64, unique=True)
    token_id: int = Field(
        sa_column=Column(Integer, ForeignKey("api_token.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    csrf_secret: str = Field(max_length=64)
    created_at: datetime = instant()
    expires_at: datetime = instant(index=True)


class Plan(SQLModel, table=True):
    """An attendee's plan: the screenings they picked. Only a hash of its secret token is stored."""

    __table_args__ = (NEVER_REUSE_IDS,)
    id: int | None = Field(default=None, primary_key=True)
    festival_id: int = festival_key()
    token_hash: str = Field(max_length=64, unique=True)
    # screening ids in the order they were picked
    screening_ids: list[int] = json_list()
    # rises with every change, so the plan's feed is cached per revision
    revision: int = 1
    created_at: datetime = instant()
    updated_at: datetime = instant()
