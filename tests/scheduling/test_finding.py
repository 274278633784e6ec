"""Finding screenings, without HTTP: filters, search across scripts, the opening day, now and next."""

from datetime import UTC, date, datetime, time

import pytest

from app.scheduling.finding import (
    ProgrammeQuery,
    choices,
    festival_today,
    find_screenings,
    now_and_next,
    opening_day,
    query_params,
    read_query,
    toggled_access,
)
from app.scheduling.programme import FestivalInfo, FilmInfo, Programme, VenueInfo, schedule_screening

FESTIVAL = FestivalInfo(
    slug="wfd",
    name="Wiesbaden Film Days",
    timezone="Europe/Berlin",
    starts_on=date(2021, 11, 17),
    ends_on=date(2021, 11, 21),
    day_starts_at=time(6),
)
FILMS = (
    FilmInfo(
        id=1,
        title="Dear Comrades!",
        original_title="Дорогие товарищи!",
        directors=("Andrei Konchalovsky",),
        languages=("Russian",),
        subtitles="English",
        runtime_minutes=120,
        section="Competition",
    ),
    FilmInfo(
        id=2,
        title="The Cranes Are Flying",
        original_title="Летят журавли",
        directors=("Mikhail Kalatozov",),
        languages=("Russian",),
        subtitles="German",
        runtime_minutes=97,
        section="Retrospective",
    ),
    FilmInfo(id=3, title="Amélie", directors=("Jean-Pierre Jeunet",), languages=("French",), runtime_minutes=122),
)
VENUES = (
    VenueInfo(id=1, name="Caligari FilmBühne", step_free=False),
    VenueInfo(id=2, name="Murnau-Filmtheater", step_free=True),
)
FILMS_BY_ID = {f.id: f for f in FILMS}


def screening(id_, venue, film, starts, **fields):
    return schedule_screening(
        FESTIVAL,
        FILMS_BY_ID,
        id=id_,
        venue_id=venue,
        film_ids=(film,),
        starts_at=datetime.fromisoformat(starts + "+01:00"),
        **{"status": "confirmed", **fields},
    )


PROGRAMME = Programme(
    festival=FESTIVAL,
    venues=VENUES,
    films=FILMS,
    version=1,
    published_at=datetime(2021, 11, 1, tzinfo=UTC),
    screenings=(
        screening(10, 1, 1, "2021-11-19T22:00", accessibility=("captioned",)),
        screening(11, 2, 2, "2021-11-19T18:00", accessibility=("audio_description",)),
        screening(12, 1, 3, "2021-11-20T01:30"),  # after midnight: festival day 19 November
        screening(13, 2, 3, "2021-11-20T14:00", status="cancelled"),
        screening(14, 1, 2, "2021-11-21T12:00"),
    ),
)


def ids(query: ProgrammeQuery) -> list[int]:
    return [s.id for s in find_screenings(PROGRAMME, query).screenings]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ProgrammeQuery(day=date(2021, 11, 19)), [11, 10, 12]),
        (ProgrammeQuery(all_days=True), [11, 10, 12, 13, 14]),
        (ProgrammeQuery(all_days=True, venue_id=2), [11, 13]),
        (ProgrammeQuery(all_days=True, section="retrospective"), [11, 14]),
        (ProgrammeQuery(all_days=True, language="french"), [12, 13]),
        (ProgrammeQuery(all_days=True, subtitles="english"), [10]),
        (ProgrammeQuery(all_days=True, access=("step_free",)), [11, 13]),
        (ProgrammeQuery(all_days=True, access=("captioned",)), [10]),
        (ProgrammeQuery(all_days=True, access=("step_free", "audio_description")), [11]),
        (ProgrammeQuery(text="Dorogie"), [10]),
        (ProgrammeQuery(text="dear"), [10]),
        (ProgrammeQuery(text="ДОРОГИЕ"), [10]),
        (ProgrammeQuery(text="amelie"), [12, 13]),
        (ProgrammeQuery(text="kalatozov"), [11, 14]),
        (ProgrammeQuery(text="kalatozov", day=date(2021, 11, 21)), [14]),
        (ProgrammeQuery(text="nothing like it"), []),
    ],
    ids=[
        "festival_day_after_midnight",
        "all_days",
        "venue",
        "section",
        "language_any_case",
        "subtitles",
        "step_free_venue",
        "captions",
        "two_needs",
        "latin_finds_cyrillic",
        "english_title",
        "cyrillic_any_case",
        "accents_ignored",
        "director",
        "search_within_a_day",
        "no_match",
    ],
)
def test_find_screenings(query, expected):
    assert ids(query) == expected


def test_a_search_looks_at_every_day_and_names_the_films_it_matched():
    found = find_screenings(PROGRAMME, ProgrammeQuery(text="Dorogie"))
    assert (found.day, [f.title for f in found.films]) == (None, ["Dear Comrades!"])


@pytest.mark.parametrize(
    ("now", "today", "opening"),
    [
        ("2021-11-10T12:00", None, date(2021, 11, 17)),
        ("2021-11-19T05:59", date(2021, 11, 18), date(2021, 11, 18)),  # before 06:00: still the 18th's festival day
        ("2021-11-19T06:00", date(2021, 11, 19), date(2021, 11, 19)),
        ("2021-11-25T12:00", None, date(2021, 11, 17)),
    ],
    ids=["before", "night_belongs_to_the_day_before", "morning", "after"],
)
def test_the_page_opens_on_today_by_the_festivals_clock_else_the_first_day(now, today, opening):
    moment = datetime.fromisoformat(now + "+01:00")
    assert festival_today(PROGRAMME, moment) == today
    assert opening_day(PROGRAMME, moment) == opening


def test_now_and_next_shows_what_runs_and_what_starts_later_that_festival_day():
    running, coming = now_and_next(PROGRAMME, datetime.fromisoformat("2021-11-19T19:00+01:00"))
    assert ([s.id for s in running], [s.id for s in coming]) == ([11], [10, 12])
    running, coming = now_and_next(PROGRAMME, datetime.fromisoformat("2021-11-20T13:00+01:00"))
    assert (running, coming) == ([], [])  # the cancelled 14:00 is not "next"


def test_choices_come_from_the_programme():
    offered = choices(PROGRAMME)
    assert offered.days == tuple(date(2021, 11, d) for d in range(17, 22))
    assert offered.venues == ((1, "Caligari FilmBühne"), (2, "Murnau-Filmtheater"))
    assert offered.sections == (("competition", "Competition"), ("retrospective", "Retrospective"))
    assert (offered.languages, offered.subtitles) == (("French", "Russian"), ("English", "German"))


def test_a_query_reads_back_from_its_own_parameters():
    query = ProgrammeQuery(
        day=date(2021, 11, 19),
        venue_id=2,
        section="retrospective",
        language="Russian",
        subtitles="German",
        access=("step_free", "captioned"),
        text="Kranich",
    )
    params = query_params(query)
    assert params == [
        ("day", "2021-11-19"),
        ("venue", "2"),
        ("section", "retrospective"),
        ("language", "Russian"),
        ("subtitles", "German"),
        ("access", "step_free"),
        ("access", "captioned"),
        ("q", "Kranich"),
    ]
    as_lists: dict[str, list[str]] = {}
    for name, value in params:
        as_lists.setdefault(name, []).append(value)
    assert read_query(as_lists) == query


def test_unreadable_parameters_are_ignored():
    assert read_query({"day": ["19/11"], "venue": ["x"], "access": ["flying"], "q": ["  "]}) == ProgrammeQuery()
    assert read_query({"day": ["all"]}) == ProgrammeQuery(all_days=True)


def test_toggling_an_access_need():
    query = ProgrammeQuery(access=("captioned",))
    assert toggled_access(query, "step_free") == ("captioned", "step_free")
    assert toggled_access(query, "captioned") == ()
