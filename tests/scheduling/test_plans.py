"""An attendee's plan: overlaps and walks, the sentences, and the fast check against every pair."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scheduling.plans import Clash, distance_km, plan_clashes, walking_minutes
from app.scheduling.programme import FestivalInfo, FilmInfo, Programme, ScreeningInfo, VenueInfo
from app.scheduling.times import add_minutes, festival_day, local_time

BERLIN = ZoneInfo("Europe/Berlin")
FESTIVAL = FestivalInfo(
    slug="wiesbaden-2021", name="exground filmfest", starts_on=date(2021, 3, 1), ends_on=date(2021, 11, 30)
)
CALIGARI = VenueInfo(id=1, name="Caligari", latitude=50.0823, longitude=8.2446)
MURNAU = VenueInfo(id=2, name="Murnau-Filmtheater", latitude=50.0758, longitude=8.2264)  # a 20-minute walk
ATELIER = VenueInfo(id=3, name="Atelier")  # nobody wrote down where it is
FILMS = (
    FilmInfo(id=7, title="Stalker", runtime_minutes=161),
    FilmInfo(id=8, title="Solaris", runtime_minutes=167),
    FilmInfo(id=9, title="Dear Comrades!", runtime_minutes=121),
    FilmInfo(id=10, title="The Mirror", runtime_minutes=107),
)
PROGRAMME = Programme(festival=FESTIVAL, venues=(CALIGARI, MURNAU, ATELIER), films=FILMS)


def pick(id: int, starts: str, minutes: int, venue: int = 1, film: int = 7, title: str | None = None) -> ScreeningInfo:
    """A published screening of `minutes` real minutes, starting at a local (or offset) time."""
    starts_at = local_time(datetime.fromisoformat(starts), BERLIN)
    return ScreeningInfo(
        id=id,
        venue_id=venue,
        starts_at=starts_at,
        film_ids=(film,),
        title=title,
        status="confirmed",
        runtime_minutes=minutes,
        ends_at=add_minutes(starts_at, minutes),
        festival_day=festival_day(starts_at, BERLIN),
    )


def summary(clashes: list[Clash]) -> list[tuple[str, tuple[int, int], int]]:
    return [(clash.kind, clash.screening_ids, clash.minutes) for clash in clashes]


# --- overlaps ------------------------------------------------------------------------------------


def test_two_picks_that_overlap_clash_by_the_minutes_they_share():
    clashes = plan_clashes(
        [pick(1, "2021-11-19 20:00", 120), pick(2, "2021-11-19 21:30", 100, venue=2, film=8)], PROGRAMME
    )

    assert clashes == [
        Clash(
            kind="overlap",
            screening_ids=(1, 2),
            minutes=30,
            message="Stalker (Fri 19 Nov, 20:00–22:00, Caligari) and Solaris (Fri 19 Nov, 21:30–23:10, "
            "Murnau-Filmtheater) overlap by 30 minutes: you can see only one of them in full.",
        )
    ]


def test_a_pick_across_midnight_overlaps_one_in_the_small_hours():
    late = pick(1, "2021-11-19 23:30", 130, film=9)  # until 01:40
    night = pick(2, "2021-11-20 01:00", 90, venue=2, film=10)

    [clash] = plan_clashes([night, late], PROGRAMME)

    assert summary([clash]) == [("overlap", (1, 2), 40)]
    assert clash.message == (
        "Dear Comrades! (Fri 19 Nov, 23:30–01:40, Caligari) and The Mirror (Sat 20 Nov, 01:00–02:30, "
        "Murnau-Filmtheater) overlap by 40 minutes: you can see only one of them in full."
    )


def test_a_long_pick_overlaps_each_of_two_shorter_ones_which_do_not_overlap_each_other():
    clashes = plan_clashes(
        [
            pick(1, "2021-11-19 14:00", 360),
            pick(2, "2021-11-19 15:00", 60, venue=1, film=8),
            pick(3, "2021-11-19 18:00", 60, venue=1, film=9),
        ],
        PROGRAMME,
    )

    assert summary(clashes) == [("overlap", (1, 2), 60), ("overlap", (1, 3), 60)]


def test_on_the_autumn_dst_night_real_time_decides_not_the_wall_clock():
    # 01:30 summer time + 90 real minutes ends at 02:00 winter time; 02:40 summer time came before that
    clashes = plan_clashes(
        [pick(1, "2021-10-31 01:30", 90), pick(2, "2021-10-31T02:40+02:00", 60, venue=2, film=8)], PROGRAMME
    )

    assert clashes == [
        Clash(
            kind="overlap",
            screening_ids=(1, 2),
            minutes=20,
            message="Stalker (Sun 31 Oct, 01:30–02:00 (UTC+01:00), Caligari) and Solaris (Sun 31 Oct, "
            "02:40 (UTC+02:00)–02:40 (UTC+01:00), Murnau-Filmtheater) overlap by 20 minutes: "
            "you can see only one of them in full.",
        )
    ]


def test_on_the_spring_dst_night_the_lost_hour_is_no_time_to_walk():
    # 01:00 + 60 real minutes ends at 03:00 summer time: 03:10 leaves 10 minutes, not 70
    clashes = plan_clashes(
        [pick(1, "2021-03-28 01:00", 60), pick(2, "2021-03-28 03:10", 60, venue=2, film=8)], PROGRAMME
    )

    assert summary(clashes) == [("walk", (1, 2), 10)]


# --- walks ---------------------------------------------------------------------------------------


def test_too_short_a_walk_between_two_venues_is_a_clash_naming_what_is_missing():
    clashes = plan_clashes(
        [pick(1, "2021-11-19 18:00", 120), pick(2, "2021-11-19 20:05", 100, venue=2, film=8)], PROGRAMME
    )

    assert clashes == [
        Clash(
            kind="walk",
            screening_ids=(1, 2),
            minutes=15,
            message="Stalker ends at 20:00 in Caligari, and Solaris starts Fri 19 Nov at 20:05 in "
            "Murnau-Filmtheater, 5 minutes later; the walk takes about 20 minutes: you would miss the first "
            "15 minutes of Solaris, or leave Stalker early.",
        )
    ]


@pytest.mark.parametrize(
    ("second", "venue", "expected"),
    [
        ("2021-11-19 20:20", 2, []),
        ("2021-11-19 20:19", 2, [("walk", (1, 2), 1)]),
        ("2021-11-19 20:00", 1, []),
        ("2021-11-19 20:00", 2, [("walk", (1, 2), 20)]),
        ("2021-11-19 20:14", 3, [("walk", (1, 2), 1)]),
        ("2021-11-19 20:15", 3, []),
    ],
    ids=[
        "walk_exactly_fits",
        "a_minute_short",
        "same_venue_back_to_back",
        "no_time_at_all",
        "unknown_venue_a_minute_short",
        "unknown_venue_fits",
    ],
)
def test_the_walk_between_venues(second, venue, expected):
    clashes = plan_clashes([pick(1, "2021-11-19 18:00", 120), pick(2, second, 60, venue=venue, film=8)], PROGRAMME)

    assert summary(clashes) == expected


def test_a_venue_without_coordinates_is_taken_as_15_minutes_away_and_says_so():
    [clash] = plan_clashes(
        [pick(1, "2021-11-19 18:00", 120), pick(2, "2021-11-19 20:00", 60, venue=3, film=8)], PROGRAMME
    )

    assert clash.message == (
        "Stalker ends at 20:00 in Caligari, and Solaris starts Fri 19 Nov at 20:00 in Atelier, as it ends; "
        "the walk takes about 15 minutes (allowed for, as we do not know where Atelier is): you would miss the "
        "first 15 minutes of Solaris, or leave Stalker early."
    )


def test_a_pick_in_between_does_not_excuse_the_walk_from_one_that_overlaps_it():
    # the short at the Atelier overlaps Stalker; whichever the attendee drops, Murnau at 20:05 is too soon
    plan = [
        pick(1, "2021-11-19 18:00", 120),
        pick(2, "2021-11-19 19:30", 20, venue=3, film=9),
        pick(3, "2021-11-19 20:05", 100, venue=2, film=8),
    ]

    assert summary(plan_clashes(plan, PROGRAMME)) == [("overlap", (1, 2), 20), ("walk", (1, 3), 15)]


def test_a_venue_without_coordinates_in_between_proves_nothing_about_the_others():
    far = VenueInfo(id=4, name="Kino im Schloss", latitude=50.1109, longitude=8.6821)  # in Frankfurt, 31 km away
    programme = Programme(festival=FESTIVAL, venues=(CALIGARI, ATELIER, far), films=FILMS)
    # 20 minutes to and from the Atelier (allowed 15 each), but the walk to Frankfurt takes hours
    plan = [
        pick(1, "2021-11-19 18:00", 120),
        pick(2, "2021-11-19 20:20", 10, venue=3, film=9),
        pick(3, "2021-11-19 20:50", 100, venue=4, film=8),
    ]

    clashes = plan_clashes(plan, programme)

    assert [(c.kind, c.screening_ids) for c in clashes] == [("walk", (1, 3))]
    assert clashes[0].minutes == walking_minutes(CALIGARI, far) - 50


def test_a_pick_listed_twice_counts_once_and_an_empty_plan_has_no_clashes():
    assert plan_clashes([pick(1, "2021-11-19 18:00", 120)] * 2, PROGRAMME) == []
    assert plan_clashes([], PROGRAMME) == []


def test_a_screening_of_several_films_is_called_by_its_title_or_its_films():
    short_and_feature = pick(1, "2021-11-19 18:00", 130, title="Tarkovsky double")
    [clash] = plan_clashes([short_and_feature, pick(2, "2021-11-19 20:00", 60, venue=2, film=8)], PROGRAMME)

    assert clash.message.startswith("Tarkovsky double (Fri 19 Nov, 18:00–20:10, Caligari) and Solaris")


def test_walking_minutes_and_distances():
    assert distance_km(52.5200, 13.4050, 48.8566, 2.3522) == pytest.approx(877.5, abs=0.5)  # Berlin to Paris
    assert walking_minutes(CALIGARI, MURNAU) == 20  # 1.49 km at 4.5 km/h, rounded up
    assert walking_minutes(CALIGARI, CALIGARI) == 0
    assert walking_minutes(CALIGARI, ATELIER) == walking_minutes(None, MURNAU) == 15
    # 900 m due north is 12 minutes, although the haversine makes it 12.00000000000363
    north = 0.9 / 6371.0088 * 57.29577951308232
    assert (
        walking_minutes(
            VenueInfo(id=5, name="a", latitude=50.08, longitude=8.2),
            VenueInfo(id=6, name="b", latitude=50.08 + north, longitude=8.2),
        )
        == 12
    )


def test_a_walk_across_town_is_checked_even_when_the_plan_starts_in_the_middle():
    west = VenueInfo(id=4, name="West", latitude=50.08, longitude=8.18)
    middle = VenueInfo(id=5, name="Middle", latitude=50.08, longitude=8.24)
    east = VenueInfo(id=6, name="East", latitude=50.08, longitude=8.30)
    programme = Programme(festival=FESTIVAL, venues=(west, middle, east), films=FILMS)
    plan = [
        pick(1, "2021-11-19 10:00", 60, venue=5),
        pick(2, "2021-11-19 18:00", 120, venue=4, film=8),
        pick(3, "2021-11-19 21:00", 60, venue=6, film=9),
    ]  # West to East is about 115 minutes on foot

    assert summary(plan_clashes(plan, programme)) == [("walk", (2, 3), walking_minutes(west, east) - 60)]


# --- against every pair --------------------------------------------------------------------------

NIGHTS = [
    datetime(2021, 10, 30, 19, tzinfo=UTC),
    datetime(2021, 3, 27, 20, tzinfo=UTC),
    datetime(2021, 11, 19, 16, tzinfo=UTC),
]


@st.composite
def plans(draw, located: bool = False, apart: bool = False):
    """Up to 12 picks around a night in 5 venues and one the programme lacks (or all located, none overlapping)."""
    venues = tuple(
        VenueInfo(
            id=venue,
            name=f"Venue {venue}",
            latitude=draw(st.floats(50.0, 50.05) if located else st.none() | st.floats(50.0, 50.05)),
            longitude=draw(st.floats(8.2, 8.3)),
        )
        for venue in range(1, 6)
    )
    night = draw(st.sampled_from(NIGHTS))
    picks, at = [], night
    for id in draw(st.permutations(range(1, draw(st.integers(0, 12)) + 1))):
        minutes = draw(st.integers(1, 180))
        if apart:  # one after another, with a gap of 0 to 90 minutes
            starts_at, at = at, add_minutes(at, minutes + draw(st.integers(0, 90)))
        else:
            starts_at = night + timedelta(minutes=draw(st.integers(0, 720)))
        starts_at = starts_at.astimezone(BERLIN)
        venue = draw(st.integers(1, 5 if located else 6))
        ends_at, day = add_minutes(starts_at, minutes), festival_day(starts_at, BERLIN)
        picks.append(
            ScreeningInfo(
                id=id,
                venue_id=venue,
                starts_at=starts_at,
                film_ids=(7,),
                runtime_minutes=minutes,
                ends_at=ends_at,
                festival_day=day,
            )
        )
    return picks, Programme(festival=FESTIVAL, venues=venues, films=FILMS)


def every_pair(picks: list[ScreeningInfo], programme: Programme) -> list[tuple[str, tuple[int, int], int]]:
    """The oracle: each pair of distinct picks, by the definitions, in time order."""
    ordered = sorted({p.id: p for p in picks}.values(), key=lambda p: (p.starts_at.timestamp(), p.id))
    venues = programme.venues_by_id
    found = []
    for a, b in combinations(ordered, 2):
        sa, ea, sb, eb = (int(t.timestamp()) for t in (a.starts_at, a.ends_at, b.starts_at, b.ends_at))
        if max(sa, sb) < min(ea, eb):
            found.append(("overlap", (a.id, b.id), -(-(min(ea, eb) - max(sa, sb)) // 60)))
        else:
            walk = 0 if a.venue_id == b.venue_id else walking_minutes(venues.get(a.venue_id), venues.get(b.venue_id))
            if sb - ea < walk * 60:
                found.append(("walk", (a.id, b.id), -(-(walk * 60 - (sb - ea)) // 60)))
    return found


@settings(max_examples=400, deadline=None)
@given(plans())
def test_the_sweep_finds_exactly_the_pairs_that_clash(plan):
    picks, programme = plan

    assert summary(plan_clashes(picks, programme)) == every_pair(picks, programme)


@settings(max_examples=300, deadline=None)
@given(plans(located=True, apart=True))
def test_with_every_venue_located_and_no_overlap_a_walk_clash_implies_one_between_consecutive_picks(plan):
    picks, programme = plan
    order = [p.id for p in sorted(picks, key=lambda p: p.starts_at.timestamp())]

    clashes = plan_clashes(picks, programme)

    clashing = {clash.screening_ids for clash in clashes}
    for first, second in clashing:
        between = order[order.index(first) : order.index(second) + 1]
        assert any((x, y) in clashing for x, y in zip(between, between[1:], strict=False)), (first, second)
    assert all(clash.kind == "walk" for clash in clashes)
