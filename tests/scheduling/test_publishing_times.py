"""Publishing across daylight-saving changes in many zones, without a database.

A stored version's times carry fixed offsets (they come back from JSON); the working copy's
carry the festival's ZoneInfo. In the hour repeated when clocks go back such datetimes compare
unequal (PEP 495), which once made every publish a new version with false "retimed" entries.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.calendar.vtimezone import transitions
from app.scheduling.programme import (
    AvailabilityWindow,
    FestivalInfo,
    FilmInfo,
    Programme,
    VenueInfo,
    schedule_screening,
)
from app.scheduling.publishing import next_version, same_public_content

ZONES = (
    "Australia/Lord_Howe",  # 30-minute DST
    "Asia/Kathmandu",  # +05:45, no DST
    "America/St_Johns",  # -03:30 / -02:30
    "Europe/Dublin",  # negative DST in the tz database
    "Africa/Casablanca",  # Ramadan pauses
    "America/Santiago",  # changes at midnight
    "America/Havana",  # changes at midnight
    "Asia/Beirut",  # changes at midnight
    "Pacific/Apia",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",  # southern hemisphere
    "Pacific/Chatham",  # +12:45 / +13:45
)
T1 = datetime(2022, 1, 1, 12, tzinfo=UTC)
T2 = datetime(2022, 1, 2, 12, tzinfo=UTC)


def stored(version: Programme) -> Programme:
    """A version as the database gives it back: through JSON, every time with a fixed offset."""
    return Programme.model_validate(version.model_dump(mode="json"))


def moments_near_changes(zone_key: str, year: int) -> list[datetime]:
    """Instants at a zone's offset changes in `year` (or noon on 1 July where it has none)."""
    found = [datetime.fromtimestamp(t.at, UTC) for t in transitions(zone_key, year)]
    return found or [datetime(year, 7, 1, 12, tzinfo=UTC)]


@st.composite
def programmes(draw) -> Programme:
    zone_key = draw(st.sampled_from(ZONES))
    year = draw(st.sampled_from((2021, 2022)))
    anchor = draw(st.sampled_from(moments_near_changes(zone_key, year)))
    festival = FestivalInfo(
        slug="f",
        name="F",
        timezone=zone_key,
        starts_on=(anchor - timedelta(days=2)).date(),
        ends_on=(anchor + timedelta(days=2)).date(),
    )
    films = {i: FilmInfo(id=i, title=f"Film {i}", runtime_minutes=draw(st.integers(1, 200))) for i in (1, 2, 3)}

    def near() -> datetime:
        # minutes either side of the change, so repeated and skipped hours are hit often
        return (anchor + timedelta(minutes=draw(st.integers(-240, 240)))).astimezone(festival.zone)

    venues = []
    for venue_id in (1, 2):
        windows = []
        for _ in range(draw(st.integers(0, 2))):
            a, b = sorted((near(), near()))
            windows.append(AvailabilityWindow(starts_at=a, ends_at=b + timedelta(minutes=1)))
        venues.append(VenueInfo(id=venue_id, name=f"Room {venue_id}", availability=tuple(windows)))
    screenings = []
    for screening_id in range(1, draw(st.integers(1, 8)) + 1):
        screenings.append(
            schedule_screening(
                festival,
                films,
                id=screening_id,
                venue_id=draw(st.sampled_from((1, 2))),
                starts_at=near(),
                film_ids=tuple(draw(st.lists(st.sampled_from((1, 2, 3)), min_size=1, max_size=2, unique=True))),
                status=draw(st.sampled_from(("confirmed", "cancelled"))),
            )
        )
    return Programme(festival=festival, venues=tuple(venues), films=tuple(films.values()), screenings=tuple(screenings))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(programmes())
def test_publishing_twice_without_a_change_makes_no_version_in_any_zone(working):
    first, _ = next_version(None, working, T1)
    first = stored(first)

    second, changelog = next_version(first, working, T2)

    assert changelog == []
    assert same_public_content(first, second)
    assert [(s.id, s.sequence, s.last_modified_at) for s in second.screenings] == [
        (s.id, s.sequence, s.last_modified_at) for s in first.screenings
    ]


BERLIN = ZoneInfo("Europe/Berlin")
FESTIVAL = FestivalInfo(
    slug="wiesbaden-2021", name="W", city="Wiesbaden", starts_on=date(2021, 10, 29), ends_on=date(2021, 11, 2)
)
FILMS = {1: FilmInfo(id=1, title="Dear Comrades!", runtime_minutes=60)}


def working(starts_at: str, venue_name: str = "Caligari", **fields) -> Programme:
    fields = {"status": "confirmed", **fields}
    screening = schedule_screening(
        FESTIVAL, FILMS, id=1, venue_id=1, film_ids=(1,), starts_at=datetime.fromisoformat(starts_at), **fields
    )
    return Programme(
        festival=FESTIVAL,
        venues=(VenueInfo(id=1, name=venue_name),),
        films=tuple(FILMS.values()),
        screenings=(screening,),
    )


def test_a_move_between_the_two_occurrences_of_a_repeated_hour_is_a_retime():
    first, _ = next_version(None, working("2021-10-31T02:30+02:00"), T1)

    second, changelog = next_version(stored(first), working("2021-10-31T02:30+01:00"), T2)

    assert [(e["kind"], e["before"]["starts_at"], e["after"]["starts_at"]) for e in changelog] == [
        ("retimed", "2021-10-31T02:30:00+02:00", "2021-10-31T02:30:00+01:00")
    ]
    assert second.screenings[0].sequence == 1


def test_an_availability_window_in_the_repeated_hour_is_no_change():
    window = AvailabilityWindow(
        starts_at=datetime(2021, 10, 31, 0, 30, tzinfo=UTC).astimezone(BERLIN),
        ends_at=datetime(2021, 10, 31, 1, 30, tzinfo=UTC).astimezone(BERLIN),
    )
    programme = Programme(
        festival=FESTIVAL,
        venues=(VenueInfo(id=1, name="Caligari", availability=(window,)),),
        films=tuple(FILMS.values()),
        screenings=working("2021-10-30T20:00+02:00").screenings,
    )
    first, _ = next_version(None, programme, T1)

    second, _ = next_version(stored(first), programme, T2)

    assert same_public_content(stored(first), second)


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ("title", {"title": "Dear Comrades! (restored)"}),
        ("notes", {"notes": "Introduced by the restorer."}),
        ("guests", {"guests": ("Andrei Konchalovsky",)}),
        ("venue name", {"venue_name": "Caligari FilmBühne"}),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_change_to_what_the_event_shows_moves_last_modified_but_not_sequence(change, fields):
    first, _ = next_version(None, working("2021-11-01T20:00+01:00"), T1)

    second, changelog = next_version(stored(first), working("2021-11-01T20:00+01:00", **fields), T2)

    assert changelog == []
    assert (second.screenings[0].sequence, second.screenings[0].last_modified_at) == (0, T2)


def test_a_change_nothing_shows_moves_nothing():
    first, _ = next_version(None, working("2021-11-01T20:00+01:00"), T1)
    screening = working("2021-11-01T20:00+01:00").screenings[0]
    more_copies = Programme(
        festival=FESTIVAL,
        venues=(VenueInfo(id=1, name="Caligari"),),
        films=(FILMS[1].model_copy(update={"copies": 3}),),
        screenings=(screening,),
    )

    second, _ = next_version(stored(first), more_copies, T2)

    assert (second.screenings[0].sequence, second.screenings[0].last_modified_at) == (0, T1)


def test_a_cancelled_screening_carried_over_moves_last_modified_when_its_venue_is_renamed():
    first, _ = next_version(None, working("2021-11-01T20:00+01:00", status="cancelled"), T1)
    assert first.screenings == ()  # cancelled before it was ever published: left out
    published, _ = next_version(None, working("2021-11-01T20:00+01:00"), T1)
    gone = Programme(festival=FESTIVAL, venues=(VenueInfo(id=1, name="Caligari"),), films=tuple(FILMS.values()))
    cancelled, _ = next_version(stored(published), gone, T2)
    renamed = Programme(
        festival=FESTIVAL, venues=(VenueInfo(id=1, name="Caligari FilmBühne"),), films=tuple(FILMS.values())
    )

    third, _ = next_version(stored(cancelled), renamed, T2 + timedelta(days=1))

    assert (third.screenings[0].status, third.screenings[0].sequence, third.screenings[0].last_modified_at) == (
        "cancelled",
        1,
        T2 + timedelta(days=1),
    )


@st.composite
def edits(draw, programme: Programme) -> Programme:
    """The programme after a programmer's work: screenings kept, moved an hour, cancelled or deleted."""
    screenings = []
    for screening in programme.screenings:
        match draw(st.sampled_from(("keep", "move", "cancel", "delete"))):
            case "keep":
                screenings.append(screening)
            case "move":
                hour = timedelta(hours=1)
                moved = (screening.starts_at + hour).astimezone(programme.festival.zone)
                screenings.append(
                    screening.model_copy(update={"starts_at": moved, "ends_at": screening.ends_at + hour})
                )
            case "cancel":
                screenings.append(screening.model_copy(update={"status": "cancelled"}))
    return programme.model_copy(update={"screenings": tuple(screenings)})


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.data(), programmes())
def test_the_next_version_is_the_same_from_a_version_as_made_or_as_stored(data, working):
    """The publishing process compares with the version it made (times in the festival's zone),
    any other with the version read back (fixed offsets): the same next version either way."""
    first, _ = next_version(None, working, T1)
    later = data.draw(edits(working))

    from_made, made_changelog = next_version(first, later, T2)
    from_stored, stored_changelog = next_version(stored(first), later, T2)

    assert made_changelog == stored_changelog
    assert from_made.model_dump(mode="json") == from_stored.model_dump(mode="json")
    assert same_public_content(first, from_made) == same_public_content(stored(first), from_stored)
