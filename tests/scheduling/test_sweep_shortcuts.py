"""The sweep's shortcuts against the pairwise oracle: the shapes where they could go wrong.

The sweep runs its exact logic only where a screening starts while an earlier one in its
venue, film or guest list is still running (or within turnaround or transfer), and picks up
the state from the screening before. These programmes are built to hit the edges of that:
long screenings spanning many later ones, zero-length ones, equal starts, neighbouring venues
with different turnarounds, many screenings of a film with several prints, a guest listed
twice at one screening (in other spacing or case) or as a blank, and times given in UTC, in a
fixed offset or in the festival's zone (in the hour the clocks repeat, with `fold` set).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scheduling.conflicts import Print, Room, Rules, Slot, find_conflicts
from app.scheduling.conflicts.lineup import Lineup
from tests.scheduling.oracle import find_conflicts_bruteforce

pytestmark = pytest.mark.slow

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = datetime(2021, 10, 30, 22, tzinfo=UTC)  # 00:00 in Berlin; the clocks go back at 03:00
ZONES = [UTC, BERLIN, timezone(timedelta(hours=2))]
GUESTS = ["Anna", " anna ", "ANNA", "Bela  Tarr", "bela tarr", "Chantal", "  ", ""]
VENUES = [-3, 1, 2, 10**12]  # neighbours in the sort, and far apart


@st.composite
def crowded(draw):
    """Up to 40 screenings packed into a few hours of few venues, films and guests."""
    rooms = {
        venue: Room(venue, f"Room {venue}", turnaround_minutes=draw(st.sampled_from([-5, 0, 10, 15, 60])))
        for venue in VENUES
    }
    prints = {film: Print(film, f"Film {film}", copies=draw(st.integers(0, 4))) for film in (1, 2)}
    slots = []
    for id in draw(st.permutations(range(1, draw(st.integers(0, 40)) + 1))):
        starts_at = NIGHT + timedelta(minutes=5 * draw(st.integers(0, 48)))
        runtime = draw(st.sampled_from([0, 5, 10, 15, 20, 30, 90, 240, 600]))
        zone = draw(st.sampled_from(ZONES))
        slots.append(
            Slot(
                id=id,
                venue_id=draw(st.sampled_from(VENUES)),
                starts_at=starts_at.astimezone(zone),
                ends_at=(starts_at + timedelta(minutes=runtime)).astimezone(zone),
                film_ids=tuple(draw(st.lists(st.sampled_from([1, 2, 3]), max_size=3))),
                guests=tuple(draw(st.lists(st.sampled_from(GUESTS), max_size=4))),
                status=draw(st.sampled_from(["confirmed", "confirmed", "draft", "cancelled"])),
                runtime_minutes=runtime,
            )
        )
    rules = Rules(
        zone=BERLIN,
        starts_on=date(2021, 10, 30),
        ends_on=date(2021, 10, 31),
        day_starts_at=time(6),
        print_transfer_minutes=draw(st.sampled_from([0, 5, 30, 120])),
    )
    return slots, rooms, prints, rules


@settings(max_examples=400, deadline=None)
@given(crowded())
def test_the_shortcuts_find_exactly_what_the_oracle_finds(programme):
    assert find_conflicts(*programme) == find_conflicts_bruteforce(*programme)


@settings(max_examples=100, deadline=None)
@given(crowded(), st.integers(1, 5))
def test_many_copies_of_a_programme_find_each_conflict_as_often(programme, copies):
    """The same screenings again and again, at the same times, under new ids: every run of
    flagged screenings is long, and equal starts are ordered by id."""
    slots, rooms, prints, rules = programme
    again = [
        Slot(
            s.id + 100 * k, s.venue_id, s.starts_at, s.ends_at, s.film_ids, s.guests, s.status, None, s.runtime_minutes
        )
        for k in range(copies)
        for s in slots
    ]
    assert find_conflicts(again, rooms, prints, rules) == find_conflicts_bruteforce(again, rooms, prints, rules)


def test_the_same_wall_time_twice_in_the_hour_the_clocks_repeat_is_two_moments():
    """02:30 in Berlin with fold 0 and fold 1 compare equal but are an hour apart: the times
    are not worked out once for both."""
    first = datetime(2021, 10, 31, 2, 30, tzinfo=BERLIN)
    second = first.replace(fold=1)
    assert first == second
    slots = [
        Slot(1, 1, first, first + timedelta(minutes=30), (1,), runtime_minutes=30),
        Slot(2, 1, second, second + timedelta(minutes=30), (1,), runtime_minutes=30),
        Slot(3, 2, first.astimezone(UTC), first.astimezone(UTC) + timedelta(minutes=30), (2,), runtime_minutes=30),
    ]
    rules = Rules(zone=BERLIN, starts_on=date(2021, 10, 30), ends_on=date(2021, 10, 31))
    lineup = Lineup(slots, {}, {}, rules)
    assert lineup.starts[1] - lineup.starts[0] == 3600
    assert lineup.starts[2] == lineup.starts[0]
    assert find_conflicts(slots, {}, {}, rules) == find_conflicts_bruteforce(slots, {}, {}, rules)


def test_a_long_screening_overlaps_every_screening_inside_it_once():
    """One all-night screening and twenty short ones inside it, back to back: twenty overlaps,
    and no turnarounds (the room is not free until the long one ends)."""
    long = Slot(1, 1, NIGHT, NIGHT + timedelta(hours=10), (1,), runtime_minutes=600)
    short = [
        Slot(k + 2, 1, NIGHT + timedelta(minutes=25 * k + 5), NIGHT + timedelta(minutes=25 * k + 25), (k + 2,))
        for k in range(20)
    ]
    rules = Rules(zone=BERLIN, starts_on=date(2021, 10, 30), ends_on=date(2021, 10, 31))
    rooms = {1: Room(1, "Room 1", turnaround_minutes=10)}
    conflicts = find_conflicts([long, *short], rooms, {}, rules)
    assert conflicts == find_conflicts_bruteforce([long, *short], rooms, {}, rules)
    assert sum(c.kind == "venue_overlap" for c in conflicts) == 20
    assert sum(c.kind == "turnaround" for c in conflicts) == 0
