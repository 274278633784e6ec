"""The sweep against the pairwise oracle, on random programmes around the nights the clocks change.

Hypothesis-heavy (a few seconds): marked slow, so `pytest -m "not slow"` leaves it out.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scheduling.conflicts import SEVERITY, Conflict, Print, Room, Rules, Slot, find_conflicts
from app.scheduling.times import add_minutes
from tests.scheduling.oracle import find_conflicts_bruteforce

pytestmark = pytest.mark.slow

BERLIN = ZoneInfo("Europe/Berlin")


def summary(conflicts: list[Conflict]) -> list[tuple[str, tuple[int, ...], int]]:
    """Each conflict's kind, screenings and minutes."""
    return [(c.kind, c.screening_ids, c.minutes) for c in conflicts]


# the nights the clocks go back and forward in Berlin, from 21:00 local the evening before
NIGHTS = [datetime(2021, 10, 30, 19, tzinfo=UTC), datetime(2021, 3, 27, 20, tzinfo=UTC)]
GUEST_NAMES = ["Anna", " anna", "Bela Tarr", "bela  tarr", "Chantal"]


@st.composite
def programmes(draw):
    """Up to 16 screenings in three rooms, with windows, prints, guests, around a night the clocks change."""
    return programme_around(draw, draw(st.sampled_from(NIGHTS)))


def programme_around(draw, night: datetime):
    rooms = {
        venue: Room(
            venue,
            f"Room {venue}",
            turnaround_minutes=draw(st.sampled_from([0, 15, 30, 60])),
            availability=draw(
                st.sampled_from(
                    [
                        (),
                        ((night + timedelta(hours=1), night + timedelta(hours=6)),),
                        (
                            (night, night + timedelta(hours=4)),
                            (night + timedelta(hours=4), night + timedelta(hours=5)),
                            (night + timedelta(hours=6), night + timedelta(hours=12)),
                        ),
                    ]
                )
            ),
        )
        for venue in (1, 2, 3)
    }
    prints = {film: Print(film, f"Film {film}", copies=draw(st.integers(1, 2))) for film in (1, 2, 3)}
    count = draw(st.integers(0, 16))
    slots = [slot_around(draw, night, id) for id in draw(st.permutations(range(1, count + 1)))]
    local_night = night.astimezone(BERLIN).date()
    starts_on = local_night + timedelta(days=draw(st.integers(0, 1)))
    rules = Rules(
        zone=BERLIN,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=draw(st.integers(0, 1))),
        day_starts_at=draw(st.sampled_from([time(6), time(0), time(2, 30), time(2)])),
        print_transfer_minutes=draw(st.sampled_from([0, 30])),
    )
    return slots, rooms, prints, rules


def slot_around(draw, night: datetime, id: int) -> Slot:
    """A screening within ten hours of `night`, in one of three rooms, with guests and a booked slot."""
    starts_at = (night + timedelta(minutes=5 * draw(st.integers(0, 120)))).astimezone(BERLIN)
    runtime = 5 * draw(st.integers(1, 36))
    return Slot(
        id=id,
        venue_id=draw(st.sampled_from([1, 2, 3])),
        starts_at=starts_at,
        ends_at=add_minutes(starts_at, runtime),
        film_ids=tuple(draw(st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=2))),
        guests=tuple(draw(st.lists(st.sampled_from(GUEST_NAMES), max_size=2))),
        status=draw(st.sampled_from(["draft", "confirmed", "cancelled"])),
        slot_minutes=draw(st.sampled_from([None, runtime - 5, runtime, runtime + 5])),
        runtime_minutes=runtime,
    )


@settings(max_examples=300, deadline=None)
@given(programmes())
def test_sweep_finds_exactly_what_the_pairwise_oracle_finds(programme):
    swept = find_conflicts(*programme)
    oracle = find_conflicts_bruteforce(*programme)

    assert sorted(summary(swept)) == sorted(summary(oracle))
    assert swept == oracle


@settings(max_examples=100, deadline=None)
@given(programmes())
def test_every_conflict_names_live_screenings_in_time_order(programme):
    slots, *_ = programme
    by_id = {slot.id: slot for slot in slots if slot.status != "cancelled"}

    for conflict in find_conflicts(*programme):
        starts = [(by_id[id].starts_at.timestamp(), id) for id in conflict.screening_ids]
        assert starts == sorted(starts)
        assert conflict.minutes >= 0
        assert conflict.severity == SEVERITY[conflict.kind]


@st.composite
def crowded_programmes(draw):
    """Shapes the sweep's shortcuts must get right: equal starts, zero-length and touching
    screenings, long ones that outlast their neighbours, shared prints and guests, across a
    night the clocks change."""
    slots, rooms, prints, rules = programme_around(draw, draw(st.sampled_from(NIGHTS)))
    night = slots[0].starts_at if slots else NIGHTS[0]
    extra = []
    for id in range(100, 100 + draw(st.integers(0, 8))):
        starts_at = (night + timedelta(minutes=15 * draw(st.integers(0, 24)))).astimezone(BERLIN)
        runtime = draw(st.sampled_from([0, 15, 30, 300, 600]))
        extra.append(
            Slot(
                id=id,
                venue_id=draw(st.sampled_from([1, 2, 3])),
                starts_at=starts_at,
                ends_at=add_minutes(starts_at, runtime),
                film_ids=(draw(st.sampled_from([1, 2])),),
                guests=tuple(draw(st.lists(st.sampled_from(GUEST_NAMES), max_size=2))),
                runtime_minutes=runtime,
            )
        )
    return [*slots, *extra], rooms, prints, rules


@settings(max_examples=200, deadline=None)
@given(crowded_programmes())
def test_sweep_equals_the_oracle_on_crowded_programmes(programme):
    assert find_conflicts(*programme) == find_conflicts_bruteforce(*programme)
