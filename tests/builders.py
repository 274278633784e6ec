"""Test builders, one set: request bodies and a client for the JSON API, and published programmes
(as the publisher builds them) for the pure renderers: a small Berlin festival for printing and
exports, and `ProgrammeBuilder` with the Wiesbaden programme for feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from app.scheduling.programme import (
    FestivalInfo,
    FilmInfo,
    Programme,
    ScreeningInfo,
    VenueInfo,
    schedule_screening,
)


def festival_body(**fields: Any) -> dict:
    return {
        "slug": "wiesbaden-2021",
        "name": "Wiesbaden Film Days",
        "city": "Wiesbaden",
        "timezone": "Europe/Berlin",
        "starts_on": "2021-11-17",
        "ends_on": "2021-11-21",
        **fields,
    }


def venue_body(**fields: Any) -> dict:
    return {
        "name": "Caligari FilmBühne",
        "address": "Marktplatz 9, 65183 Wiesbaden",
        "capacity": 300,
        "turnaround_minutes": 15,
        "latitude": 50.0817,
        "longitude": 8.2437,
        **fields,
    }


def film_body(**fields: Any) -> dict:
    return {
        "title": "Dear Comrades!",
        "original_title": "Дорогие товарищи!",
        "directors": ["Andrei Konchalovsky"],
        "year": 2020,
        "countries": ["Russia"],
        "languages": ["Russian"],
        "subtitles": "English",
        "runtime_minutes": 120,
        **fields,
    }


def screening_body(venue_id: int, films: list[int], starts_at: str = "2021-11-19T22:00", **fields: Any) -> dict:
    return {"venue_id": venue_id, "films": films, "starts_at": starts_at, **fields}


class Api:
    """The JSON API as a programmer uses it; `slug` is the festival made by `festival()`."""

    def __init__(self, client: TestClient, headers: dict[str, str]):
        self.client = client
        self.headers = headers
        self.slug = "wiesbaden-2021"

    def post(self, path: str, body: dict, expect: int = 201) -> dict:
        response = self.client.post(path, json=body, headers=self.headers)
        assert response.status_code == expect, response.text
        return response.json()

    def festival(self, **fields: Any) -> dict:
        body = self.post("/api/festivals", festival_body(**fields))
        self.slug = body["slug"]
        return body

    def venue(self, **fields: Any) -> dict:
        return self.post(f"/api/festivals/{self.slug}/venues", venue_body(**fields))

    def film(self, **fields: Any) -> dict:
        return self.post(f"/api/festivals/{self.slug}/films", film_body(**fields))

    def screening(
        self, venue_id: int, films: list[int], starts_at: str = "2021-11-19T22:00", expect: int = 201, **fields: Any
    ) -> dict:
        return self.post(
            f"/api/festivals/{self.slug}/screenings",
            screening_body(venue_id, films, starts_at, **fields),
            expect=expect,
        )


# -- programmes for the renderers -------------------------------------------------------------


BERLIN = ZoneInfo("Europe/Berlin")
OPENING_DAY = date(2021, 11, 19)  # a Friday

ARSENAL = VenueInfo(id=1, name="Kino Arsenal", address="Potsdamer Straße 2", step_free=True)
BABYLON = VenueInfo(id=2, name="Babylon Mitte", address="Rosa-Luxemburg-Straße 30", capacity=450)

CRANES = FilmInfo(
    id=1,
    title="The Cranes Are Flying",
    original_title="Летят журавли",
    directors=("Mikhail Kalatozov",),
    year=1957,
    countries=("USSR",),
    languages=("Russian",),
    subtitles="English",
    runtime_minutes=97,
    section="Retrospective: Evacuation on Screen",
)
LAST_TRAM = FilmInfo(
    id=2,
    title="The Last Tram",
    directors=("Dilnoza Karimova",),
    year=2020,
    countries=("Uzbekistan",),
    languages=("No dialogue",),
    runtime_minutes=12,
    section="Shorts & Debuts",
)
NIGHT_TRAIN = FilmInfo(
    id=3,
    title="Night Train to Tashkent",
    original_title="Toshkentga tungi poyezd",
    directors=("Dilnoza Karimova",),
    year=2021,
    countries=("Uzbekistan", "Germany"),
    languages=("Uzbek", "Russian"),
    subtitles="English",
    runtime_minutes=120,
    section="Competition",
    premiere="world",
)
ASCENT = FilmInfo(
    id=4,
    title="The Ascent",
    original_title="Восхождение",
    directors=("Larisa Shepitko",),
    year=1977,
    countries=("USSR",),
    languages=("Russian",),
    subtitles="English",
    runtime_minutes=111,
    section="Retrospective: Evacuation on Screen",
)
BALLAD = FilmInfo(
    id=5,
    title="Ballad of a Soldier",
    original_title="Баллада о солдате",
    directors=("Grigori Chukhrai",),
    year=1959,
    countries=("USSR",),
    languages=("Russian",),
    subtitles="English",
    runtime_minutes=88,
    section="Retrospective: Evacuation on Screen",
)
FILMS = (CRANES, LAST_TRAM, NIGHT_TRAIN, ASCENT, BALLAD)

FESTIVAL = FestivalInfo(
    slug="kinofest-2021",
    name="Kinofest Berlin",
    city="Berlin",
    timezone="Europe/Berlin",
    starts_on=OPENING_DAY,
    ends_on=OPENING_DAY + timedelta(days=2),
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local Berlin time on the festival's `day` (0 is the opening day)."""
    return datetime.combine(OPENING_DAY + timedelta(days=day), datetime.min.time()).replace(
        hour=hour, minute=minute, tzinfo=BERLIN
    )


def screening(festival: FestivalInfo = FESTIVAL, films=FILMS, **fields) -> ScreeningInfo:
    fields.setdefault("status", "confirmed")
    return schedule_screening(festival, {film.id: film for film in films}, **fields)


# The screenings every test knows by id.
CRANES_OPENING = 1  # Fri 18:00, Arsenal, intro 10
SHORT_AND_FEATURE = 2  # Fri 22:00, Babylon: short + 120-min feature + Q&A, ends 00:32 Sat
LATE_ASCENT = 3  # Sat 23:30, Arsenal, ends 01:21 Sun: still Saturday's screening
CANCELLED_BALLAD = 4  # Sat 16:00, Babylon, cancelled
CRANES_AGAIN = 5  # Sun 15:00, Arsenal
BALLAD_SUNDAY = 6  # Sun 20:00, Babylon


def festival_programme() -> Programme:
    """Three days, two venues, six screenings, one past midnight, one cancelled."""
    screenings = (
        screening(
            id=CRANES_OPENING,
            venue_id=ARSENAL.id,
            starts_at=at(0, 18),
            film_ids=(CRANES.id,),
            intro_minutes=10,
            accessibility=("captioned",),
            ticket_url="https://tickets.example.org/1",
        ),
        screening(
            id=SHORT_AND_FEATURE,
            venue_id=BABYLON.id,
            starts_at=at(0, 22),
            film_ids=(LAST_TRAM.id, NIGHT_TRAIN.id),
            qa_minutes=20,
            guests=("Dilnoza Karimova",),
        ),
        screening(id=LATE_ASCENT, venue_id=ARSENAL.id, starts_at=at(1, 23, 30), film_ids=(4,)),
        screening(
            id=CANCELLED_BALLAD,
            venue_id=BABYLON.id,
            starts_at=at(1, 16),
            film_ids=(BALLAD.id,),
            status="cancelled",
        ),
        screening(id=CRANES_AGAIN, venue_id=ARSENAL.id, starts_at=at(2, 15), film_ids=(1,)),
        screening(id=BALLAD_SUNDAY, venue_id=BABYLON.id, starts_at=at(2, 20), film_ids=(5,)),
    )
    return Programme(
        festival=FESTIVAL,
        venues=(ARSENAL, BABYLON),
        films=FILMS,
        screenings=screenings,
        version=2,
        published_at=datetime(2021, 11, 12, 18, 30, tzinfo=BERLIN),
    )


def programme_of_days(days: int, screenings_per_day: int = 6) -> Programme:
    """A programme running `days` days, three shows a day in as many rooms as it takes."""
    festival = FESTIVAL.model_copy(update={"ends_on": OPENING_DAY + timedelta(days=days - 1)})
    rooms = max(2, -(-screenings_per_day // 3))
    venues = (ARSENAL, BABYLON) + tuple(VenueInfo(id=number, name=f"Studio {number}") for number in range(3, rooms + 1))
    screenings = []
    for day in range(days):
        for slot in range(screenings_per_day):
            screenings.append(
                screening(
                    festival,
                    id=len(screenings) + 1,
                    venue_id=venues[slot % rooms].id,
                    starts_at=at(day, 12 + 3 * (slot // rooms)),
                    film_ids=(FILMS[(day + slot) % len(FILMS)].id,),
                )
            )
    return Programme(
        festival=festival,
        venues=venues,
        films=FILMS,
        screenings=tuple(screenings),
        version=1,
        published_at=datetime(2021, 11, 1, 12, tzinfo=BERLIN),
    )


# -- programmes for the feeds ------------------------------------------------------------------


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
