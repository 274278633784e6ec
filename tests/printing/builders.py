"""Small programmes for the printing tests, built the way the publishing code builds them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.scheduling.programme import (
    FestivalInfo,
    FilmInfo,
    Programme,
    ScreeningInfo,
    VenueInfo,
    schedule_screening,
)

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
