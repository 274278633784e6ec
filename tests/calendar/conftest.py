"""Programmes for the feed tests, built the way the publisher builds them (schedule_screening).

The builder lives here (not in a module next to the tests) so that it works under any pytest
import mode; tests get it through the `programme_builder` and `wiesbaden` fixtures.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import vobject.icalendar

from app.scheduling.programme import (
    FestivalInfo,
    FilmInfo,
    Programme,
    ScreeningInfo,
    VenueInfo,
    schedule_screening,
)

PUBLISHED_AT = datetime(2021, 6, 1, 9, 30, tzinfo=UTC)


class ProgrammeBuilder:
    """Venues, films and screenings, then `build()` a (published) Programme."""

    def __init__(
        self,
        *,
        timezone: str = "Europe/Berlin",
        starts_on: date = date(2021, 7, 8),
        ends_on: date = date(2021, 11, 21),
        slug: str = "wfd-2021",
        name: str = "Wiesbaden Film Days 2021",
    ) -> None:
        self.festival = FestivalInfo(
            slug=slug,
            name=name,
            city="Wiesbaden",
            timezone=timezone,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        self.venues: list[VenueInfo] = []
        self.films: list[FilmInfo] = []
        self.screenings: list[ScreeningInfo] = []

    def venue(self, **fields) -> VenueInfo:
        fields.setdefault("id", len(self.venues) + 1)
        fields.setdefault("name", f"Venue {fields['id']}")
        venue = VenueInfo(**fields)
        self.venues.append(venue)
        return venue

    def film(self, **fields) -> FilmInfo:
        fields.setdefault("id", len(self.films) + 1)
        fields.setdefault("title", f"Film {fields['id']}")
        fields.setdefault("runtime_minutes", 90)
        film = FilmInfo(**fields)
        self.films.append(film)
        return film

    def screening(self, starts_at: datetime, film_ids: tuple[int, ...], **fields) -> ScreeningInfo:
        """A screening at `starts_at` (naive: the festival's wall clock), confirmed by default."""
        if starts_at.tzinfo is None:
            starts_at = starts_at.replace(tzinfo=self.festival.zone)
        fields.setdefault("id", 100 + len(self.screenings) + 1)
        fields.setdefault("venue_id", self.venues[0].id if self.venues else 1)
        fields.setdefault("status", "confirmed")
        screening = schedule_screening(
            self.festival,
            {film.id: film for film in self.films},
            starts_at=starts_at,
            film_ids=film_ids,
            **fields,
        )
        self.screenings.append(screening)
        return screening

    def build(self, *, version: int = 1, published_at: datetime | None = PUBLISHED_AT) -> Programme:
        return Programme(
            festival=self.festival,
            venues=tuple(self.venues),
            films=tuple(self.films),
            screenings=tuple(self.screenings),
            version=version,
            published_at=published_at,
        )


# Screening ids of the `wiesbaden` programme, named for what each one tests (the tests spell
# them as UIDs: screening-1@wfd-2021.marquee is SUMMER).
SUMMER, WINTER, ACROSS_MIDNIGHT, ACROSS_DST_NIGHT, CANCELLED, WITH_GUESTS, DRAFT = range(1, 8)
CALIGARI, SHORT, WINGS, HEIMAT = 1, 2, 3, 4
CALIGARI_VENUE, OPEN_AIR = 1, 2
RETROSPECTIVE = "Retrospective: Evacuation on Screen"


def _wiesbaden() -> ProgrammeBuilder:
    """A festival in Europe/Berlin with a screening for every awkward case a feed must get right."""
    b = ProgrammeBuilder()
    b.venue(
        id=CALIGARI_VENUE,
        name="Caligari FilmBühne",
        address="Marktplatz 9, 65183 Wiesbaden",
        latitude=50.0826,
        longitude=8.2432,
        step_free=True,
    )
    b.venue(id=OPEN_AIR, name="Open Air; Kulturpark", address="Schlachthof, Murnaustraße 1")
    b.film(
        id=CALIGARI,
        title="The Cabinet of Dr. Caligari",
        original_title="Das Cabinet des Dr. Caligari",
        directors=("Robert Wiene",),
        year=1920,
        countries=("Germany",),
        languages=("German",),
        subtitles="English",
        runtime_minutes=77,
        section=RETROSPECTIVE,
    )
    b.film(
        id=SHORT,
        title="Kurz, und gut",
        directors=("Anna Ames", "Bo Berg", "Cem Cakir"),
        year=2021,
        countries=("Germany", "Turkey"),
        runtime_minutes=12,
        section="Shorts",
        premiere="world",
    )
    b.film(
        id=WINGS,
        title="Wings of Desire",
        original_title="Der Himmel über Berlin",
        directors=("Wim Wenders",),
        year=1987,
        countries=("West Germany", "France"),
        languages=("German", "English", "French"),
        subtitles="English",
        runtime_minutes=120,
        section="Panorama",
        premiere="local",
    )
    b.film(id=HEIMAT, title="Heimat: Part 1", runtime_minutes=200, section=RETROSPECTIVE)
    b.screening(datetime(2021, 7, 10, 20, 0), (CALIGARI,), id=SUMMER, venue_id=OPEN_AIR)
    b.screening(datetime(2021, 11, 19, 19, 0), (CALIGARI,), id=WINTER)
    b.screening(datetime(2021, 11, 20, 22, 0), (SHORT, WINGS), id=ACROSS_MIDNIGHT)
    b.screening(
        datetime(2021, 10, 30, 23, 30), (HEIMAT,), id=ACROSS_DST_NIGHT, intro_minutes=10,
        qa_minutes=30,
    )  # fmt: skip
    b.screening(
        datetime(2021, 11, 19, 21, 30), (WINGS,), id=CANCELLED, status="cancelled", sequence=2,
        last_modified_at=datetime(2021, 6, 1, 9, 30, tzinfo=UTC),
    )  # fmt: skip
    b.screening(
        datetime(2021, 11, 20, 18, 0), (WINGS,), id=WITH_GUESTS, intro_minutes=10, qa_minutes=30,
        guests=("Wim Wenders", "Solveig Dommartin"), accessibility=("subtitled", "relaxed"),
        ticket_url="https://tickets.example.org/wfd/6",
    )  # fmt: skip
    b.screening(datetime(2021, 11, 21, 15, 0), (CALIGARI,), id=DRAFT, status="draft")
    return b


@pytest.fixture(autouse=True)
def forget_vobject_timezones():
    """vobject keeps the first VTIMEZONE it reads for each TZID for the rest of the process
    (registerTzinfo), so without this a test would read its feed through an earlier test's."""
    registry = vars(vobject.icalendar)["__tzidMap"]
    kept = {key: value for key, value in registry.items() if key == "UTC"}
    registry.clear()
    registry.update(kept)
    yield


@pytest.fixture
def programme_builder() -> type[ProgrammeBuilder]:
    return ProgrammeBuilder


@pytest.fixture
def wiesbaden_builder() -> ProgrammeBuilder:
    """The Wiesbaden programme, still open to changes before `build()`."""
    return _wiesbaden()


@pytest.fixture
def wiesbaden() -> Programme:
    """The Wiesbaden programme, published as version 1."""
    return _wiesbaden().build()
