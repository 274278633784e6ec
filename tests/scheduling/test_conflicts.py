"""The conflict engine: what each kind means, its edge cases and its sentences."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import get_args
from zoneinfo import ZoneInfo

import pytest

from app.scheduling import conflicts as engine
from app.scheduling.conflicts import (
    SEVERITY,
    Conflict,
    Print,
    Room,
    Rules,
    Slot,
    conflicts_of,
    find_conflicts,
    model,
    sweep,
)
from app.scheduling.conflicts.findings import Finding
from app.scheduling.times import add_minutes, local_time

BERLIN = ZoneInfo("Europe/Berlin")
# wide enough that outside_festival stays quiet except where a test narrows it
RULES = Rules(zone=BERLIN, starts_on=date(2021, 3, 1), ends_on=date(2021, 11, 30))
ROOMS = {
    1: Room(1, "Caligari", turnaround_minutes=15),
    2: Room(2, "Delphi", turnaround_minutes=15),
    3: Room(3, "Quick Room", turnaround_minutes=0),
}
STALKER = 7
PRINTS = {STALKER: Print(STALKER, "Stalker", copies=1), 8: Print(8, "Solaris", copies=2)}


def at(text: str) -> datetime:
    """A festival time: local wall-clock time, or any ISO time with its offset."""
    return local_time(datetime.fromisoformat(text), BERLIN)


def screening(
    id: int,
    starts: str,
    minutes: int = 100,
    venue: int = 1,
    films: tuple[int, ...] | None = None,
    guests: tuple[str, ...] = (),
    status: str = "confirmed",
    slot_minutes: int | None = None,
) -> Slot:
    """A screening of `minutes` real minutes; by default of a film of its own."""
    starts_at = at(starts)
    return Slot(
        id=id,
        venue_id=venue,
        starts_at=starts_at,
        ends_at=add_minutes(starts_at, minutes),
        film_ids=films if films is not None else (100 + id,),
        guests=guests,
        status=status,
        slot_minutes=slot_minutes,
        runtime_minutes=minutes,
    )


def find(*slots: Slot, rooms=ROOMS, prints=PRINTS, rules=RULES) -> list[Conflict]:
    return find_conflicts(slots, rooms, prints, rules)


def summary(conflicts: list[Conflict]) -> list[tuple[str, tuple[int, ...], int]]:
    return [(c.kind, c.screening_ids, c.minutes) for c in conflicts]


# --- venue: overlap and turnaround --------------------------------------------------------


def test_turnaround_shorter_than_room_needs_is_a_warning():
    conflicts = find(screening(11, "2021-11-19 20:00", 110), screening(12, "2021-11-19 22:00"))

    assert conflicts == [
        Conflict(
            kind="turnaround",
            severity="warning",
            screening_ids=(11, 12),
            minutes=5,
            message="Screening 12 starts 10 minutes after screening 11 ends in Caligari; "
            "the room needs 15 for turnaround.",
            festival_day=date(2021, 11, 19),
        )
    ]


def test_overlap_in_one_venue_is_an_error_naming_both_screenings():
    conflicts = find(screening(11, "2021-11-19 20:00", 130), screening(12, "2021-11-19 21:30"))

    assert conflicts == [
        Conflict(
            kind="venue_overlap",
            severity="error",
            screening_ids=(11, 12),
            minutes=40,
            message="Screenings 11 (20:00–22:10) and 12 (21:30–23:10) overlap by 40 minutes "
            "in Caligari; move one of them or shorten it.",
            festival_day=date(2021, 11, 19),
        )
    ]


VENUE_CASES = {
    "exact_touch": (
        [screening(1, "2021-11-19 20:00", 120), screening(2, "2021-11-19 22:00")],
        [("turnaround", (1, 2), 15)],
    ),
    "gap_equal_to_turnaround": (
        [screening(1, "2021-11-19 20:00", 120), screening(2, "2021-11-19 22:15")],
        [],
    ),
    "zero_gap_in_room_without_turnaround": (
        [screening(1, "2021-11-19 20:00", 120, venue=3), screening(2, "2021-11-19 22:00", venue=3)],
        [],
    ),
    "one_minute_overlap": (
        [screening(1, "2021-11-19 20:00", 121), screening(2, "2021-11-19 22:00")],
        [("venue_overlap", (1, 2), 1)],
    ),
    "shared_start": (
        [screening(2, "2021-11-19 20:00", 60), screening(1, "2021-11-19 20:00", 120)],
        [("venue_overlap", (1, 2), 60)],
    ),
    "fully_contained": (
        [screening(1, "2021-11-19 20:00", 180), screening(2, "2021-11-19 21:00", 60)],
        [("venue_overlap", (1, 2), 60)],
    ),
    "across_midnight": (
        [screening(1, "2021-11-19 23:30", 130), screening(2, "2021-11-20 01:00")],
        [("venue_overlap", (1, 2), 40)],
    ),
    "long_screening_overlaps_two_later_ones": (
        [
            screening(1, "2021-11-19 14:00", 360),
            screening(2, "2021-11-19 15:00", 90),
            screening(3, "2021-11-19 17:00", 90),
        ],
        [("venue_overlap", (1, 2), 90), ("venue_overlap", (1, 3), 90)],
    ),
    "turnaround_counts_from_the_latest_end_not_the_latest_start": (
        [
            screening(1, "2021-11-19 10:00", 240),
            screening(2, "2021-11-19 11:00", 60),
            screening(3, "2021-11-19 14:05"),
        ],
        [("venue_overlap", (1, 2), 60), ("turnaround", (1, 3), 10)],
    ),
    "other_venue_is_no_conflict": (
        [screening(1, "2021-11-19 20:00", 120), screening(2, "2021-11-19 21:00", venue=2)],
        [],
    ),
    "cancelled_ignored": (
        [screening(1, "2021-11-19 20:00", 120, status="cancelled"), screening(2, "2021-11-19 21:00")],
        [],
    ),
    "draft_takes_part": (
        [screening(1, "2021-11-19 20:00", 120, status="draft"), screening(2, "2021-11-19 21:00")],
        [("venue_overlap", (1, 2), 60)],
    ),
    # 01:00 CEST + 120 real minutes ends at 02:00 CET; 02:30 CEST came half an hour before that
    "dst_fall_back_overlap_hidden_by_wall_clock": (
        [screening(1, "2021-10-31 01:00", 120), screening(2, "2021-10-31T02:30+02:00")],
        [("venue_overlap", (1, 2), 30)],
    ),
    # 01:30 CEST + 90 real minutes ends at 02:00 CET, the second 02:00 of the night
    "dst_fall_back_second_hour_turnaround": (
        [screening(1, "2021-10-31T01:30+02:00", 90), screening(2, "2021-10-31T02:10+01:00")],
        [("turnaround", (1, 2), 5)],
    ),
    # 01:00 CET + 60 real minutes ends at 03:00 CEST: the clocks skip 02:00-03:00
    "dst_spring_forward_turnaround": (
        [screening(1, "2021-03-28 01:00", 60), screening(2, "2021-03-28 03:10")],
        [("turnaround", (1, 2), 5)],
    ),
}


@pytest.mark.parametrize(("slots", "expected"), VENUE_CASES.values(), ids=VENUE_CASES.keys())
def test_venue_edge_cases(slots, expected):
    assert summary(find(*slots)) == expected


def test_overlap_across_midnight_belongs_to_the_festival_day_it_started():
    conflicts = find(screening(1, "2021-11-19 23:30", 130), screening(2, "2021-11-20 01:00"))

    assert [c.festival_day for c in conflicts] == [date(2021, 11, 19)]


# --- runtime overrun ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("runtime", "slot_minutes", "expected"),
    [(125, 110, [("runtime_overrun", (1,), 15)]), (110, 110, []), (125, None, []), (90, 110, [])],
    ids=["overruns", "exactly_fits", "no_slot_booked", "shorter_than_slot"],
)
def test_runtime_longer_than_booked_slot_is_a_warning(runtime, slot_minutes, expected):
    assert summary(find(screening(1, "2021-11-19 20:00", runtime, slot_minutes=slot_minutes))) == expected


def test_runtime_overrun_message_names_runtime_and_booked_slot():
    [conflict] = find(screening(1, "2021-11-19 20:00", 125, slot_minutes=110))

    assert conflict.message == (
        "Screening 1 runs 125 minutes but its slot is booked for 110; lengthen the slot or trim the intro or Q&A."
    )


# --- prints ------------------------------------------------------------------------------------


def test_print_needed_elsewhere_before_transfer_is_done_is_an_error():
    conflicts = find(
        screening(1, "2021-11-19 20:00", 120, venue=1, films=(STALKER,)),
        screening(2, "2021-11-19 22:10", 120, venue=2, films=(STALKER,)),
    )

    assert conflicts == [
        Conflict(
            kind="print_clash",
            severity="error",
            screening_ids=(1, 2),
            minutes=20,
            message="Stalker has 1 print, but screening 2 starts at 22:10 in Delphi while "
            "screening 1 (Caligari, until 22:00 plus 30 minutes in transit) still holds it: "
            "20 minutes short.",
            festival_day=date(2021, 11, 19),
        )
    ]


PRINT_CASES = {
    "same_venue_back_to_back": (
        [
            screening(1, "2021-11-19 18:00", 120, venue=3, films=(STALKER,)),
            screening(2, "2021-11-19 20:00", venue=3, films=(STALKER,)),
        ],
        [],
    ),
    "other_venue_after_transfer": (
        [
            screening(1, "2021-11-19 18:00", 120, films=(STALKER,)),
            screening(2, "2021-11-19 20:30", venue=2, films=(STALKER,)),
        ],
        [],
    ),
    "simultaneous_with_one_copy": (
        [
            screening(1, "2021-11-19 20:00", films=(STALKER,)),
            screening(2, "2021-11-19 20:00", venue=2, films=(STALKER,)),
        ],
        [("print_clash", (1, 2), 130)],
    ),
    "two_copies_serve_two_venues": (
        [
            screening(1, "2021-11-19 20:00", films=(8,)),
            screening(2, "2021-11-19 20:00", venue=2, films=(8,)),
        ],
        [],
    ),
    "third_screening_with_two_copies": (
        [
            screening(1, "2021-11-19 20:00", 120, films=(8,)),
            screening(2, "2021-11-19 20:00", 100, venue=2, films=(8,)),
            screening(3, "2021-11-19 21:00", venue=3, films=(8,)),
        ],
        [("print_clash", (1, 2, 3), 70)],
    ),
    "short_before_a_feature_shares_the_print_check": (
        [
            screening(1, "2021-11-19 20:00", 120, films=(STALKER, 101)),
            screening(2, "2021-11-19 21:00", venue=2, films=(102, STALKER)),
        ],
        [("print_clash", (1, 2), 90)],
    ),
    "film_listed_twice_in_one_screening": (
        [screening(1, "2021-11-19 20:00", films=(STALKER, STALKER))],
        [],
    ),
    "cancelled_screening_frees_the_print": (
        [
            screening(1, "2021-11-19 20:00", films=(STALKER,), status="cancelled"),
            screening(2, "2021-11-19 20:00", venue=2, films=(STALKER,)),
        ],
        [],
    ),
    # 01:30 CEST + 90 real minutes ends at 02:00 CET and the print moves until 02:30 CET;
    # 02:50 CEST came 40 minutes before that, although its wall-clock time is later
    "transfer_across_the_dst_night": (
        [
            screening(1, "2021-10-31 01:30", 90, films=(STALKER,)),
            screening(2, "2021-10-31T02:50+02:00", venue=2, films=(STALKER,)),
        ],
        [("print_clash", (1, 2), 40)],
    ),
}


@pytest.mark.parametrize(("slots", "expected"), PRINT_CASES.values(), ids=PRINT_CASES.keys())
def test_print_edge_cases(slots, expected):
    assert summary(find(*slots)) == expected


def test_print_clash_with_several_copies_names_every_holder():
    [conflict] = find(
        screening(1, "2021-11-19 20:00", 120, films=(8,)),
        screening(2, "2021-11-19 20:00", 100, venue=2, films=(8,)),
        screening(3, "2021-11-19 21:00", venue=3, films=(8,)),
    )

    assert conflict.message == (
        "Solaris has 2 prints, but screening 3 starts at 21:00 in Quick Room while screening 1 "
        "(Caligari, until 22:00 plus 30 minutes in transit), screening 2 (Delphi, until 21:40 plus "
        "30 minutes in transit) still hold them: 70 minutes short."
    )


def test_film_without_a_print_record_counts_as_one_copy():
    conflicts = find(
        screening(1, "2021-11-19 20:00", films=(55,)),
        screening(2, "2021-11-19 20:30", venue=2, films=(55,)),
    )

    assert summary(conflicts) == [("print_clash", (1, 2), 100)]


# --- guests ----------------------------------------------------------------------------------


def test_guest_at_two_overlapping_screenings_is_a_warning_whatever_the_spelling():
    conflicts = find(
        screening(1, "2021-11-19 20:00", 120, guests=("Anna Karina",)),
        screening(2, "2021-11-19 21:00", venue=2, guests=("  anna   KARINA ",)),
    )

    assert conflicts == [
        Conflict(
            kind="guest_clash",
            severity="warning",
            screening_ids=(1, 2),
            minutes=60,
            message="Anna Karina is listed at screenings 1 (20:00–22:00, Caligari) and "
            "2 (21:00–22:40, Delphi), which overlap by 60 minutes.",
            festival_day=date(2021, 11, 19),
        )
    ]


def test_guests_shared_by_one_pair_make_one_conflict_naming_them_all():
    conflicts = find(
        screening(1, "2021-11-19 20:00", 120, guests=("Bela Tarr", "Agnes Varda", "Chantal")),
        screening(2, "2021-11-19 21:00", venue=2, guests=("Agnes Varda", "Bela Tarr")),
    )

    assert [c.message for c in conflicts] == [
        "Agnes Varda and Bela Tarr are listed at screenings 1 (20:00–22:00, Caligari) and "
        "2 (21:00–22:40, Delphi), which overlap by 60 minutes."
    ]


@pytest.mark.parametrize(
    "second_starts",
    ["2021-11-19 22:00", "2021-11-19 22:05"],
    ids=["exact_touch", "after"],
)
def test_guest_at_screenings_that_do_not_overlap_is_fine(second_starts):
    conflicts = find(
        screening(1, "2021-11-19 20:00", 120, guests=("Anna",)),
        screening(2, second_starts, venue=2, guests=("Anna",)),
    )

    assert conflicts == []


# --- venue availability -------------------------------------------------------------------


def room_open(*windows: tuple[str, str]) -> dict[int, Room]:
    return {1: Room(1, "Caligari", availability=tuple((at(a), at(b)) for a, b in windows))}


AVAILABILITY_CASES = {
    "inside": ([("2021-11-19 10:00", "2021-11-19 23:00")], "2021-11-19 20:00", []),
    "runs_past_closing": (
        [("2021-11-19 10:00", "2021-11-19 21:00")],
        "2021-11-19 20:00",
        [("venue_unavailable", (1,), 40)],
    ),
    "entirely_outside": (
        [("2021-11-18 10:00", "2021-11-18 23:00")],
        "2021-11-19 20:00",
        [("venue_unavailable", (1,), 100)],
    ),
    "exactly_fills_window": ([("2021-11-19 20:00", "2021-11-19 21:40")], "2021-11-19 20:00", []),
    "adjacent_windows_merge": (
        [("2021-11-19 10:00", "2021-11-19 20:30"), ("2021-11-19 20:30", "2021-11-19 23:00")],
        "2021-11-19 20:00",
        [],
    ),
    "gap_between_windows": (
        [("2021-11-19 10:00", "2021-11-19 20:30"), ("2021-11-19 21:00", "2021-11-19 23:00")],
        "2021-11-19 20:00",
        [("venue_unavailable", (1,), 30)],
    ),
}


@pytest.mark.parametrize(("windows", "starts", "expected"), AVAILABILITY_CASES.values(), ids=AVAILABILITY_CASES.keys())
def test_screening_outside_the_rooms_availability_is_an_error(windows, starts, expected):
    assert summary(find(screening(1, starts), rooms=room_open(*windows))) == expected


def test_venue_unavailable_message_names_the_time_outside_the_windows():
    rooms = room_open(("2021-11-19 10:00", "2021-11-19 20:30"), ("2021-11-19 21:00", "2021-11-19 23:00"))

    [conflict] = find(screening(1, "2021-11-19 20:00"), rooms=rooms)

    assert conflict.message == (
        "Screening 1 runs 20:00–21:40 in Caligari, but 30 minutes of it fall outside the room's "
        "availability; move it into an available window."
    )


# --- festival days ------------------------------------------------------------------------


FESTIVAL = Rules(zone=BERLIN, starts_on=date(2021, 11, 17), ends_on=date(2021, 11, 28))


@pytest.mark.parametrize(
    ("starts", "expected_day"),
    [
        ("2021-11-17 01:30", date(2021, 11, 16)),
        ("2021-11-29 06:00", date(2021, 11, 29)),
        ("2021-11-17 06:00", None),
        ("2021-11-28 23:30", None),
        ("2021-11-29 05:55", None),
    ],
    ids=["night_before_first_day", "morning_after_last_day", "first_day", "last_night", "small_hours_of_last_day"],
)
def test_screening_on_a_festival_day_outside_the_dates_is_a_warning(starts, expected_day):
    conflicts = find(screening(1, starts), rules=FESTIVAL)

    expected = [] if expected_day is None else [("outside_festival", (1,), 0, expected_day)]
    assert [(c.kind, c.screening_ids, c.minutes, c.festival_day) for c in conflicts] == expected


def test_outside_festival_message_names_the_day_and_the_dates():
    [conflict] = find(screening(1, "2021-11-17 01:30"), rules=FESTIVAL)

    assert conflict.message == (
        "Screening 1 falls on festival day 2021-11-16, outside the festival "
        "(2021-11-17 to 2021-11-28); move it or cancel it."
    )


DST_BOUNDARY_CASES = {
    # day_starts_at 02:30 happens twice when the clocks go back: festival days follow the wall clock
    "repeated_hour": (
        date(2021, 10, 31),
        ["2021-10-31T02:10+02:00", "2021-10-31T02:40+02:00", "2021-10-31T02:10+01:00", "2021-10-31T02:40+01:00"],
        [(1, date(2021, 10, 30)), (3, date(2021, 10, 30))],
    ),
    # ... and never happens when they go forward
    "skipped_hour": (
        date(2021, 3, 28),
        ["2021-03-28 01:50", "2021-03-28 03:10"],
        [(1, date(2021, 3, 27))],
    ),
}


@pytest.mark.parametrize(("starts_on", "starts", "outside"), DST_BOUNDARY_CASES.values(), ids=DST_BOUNDARY_CASES.keys())
def test_festival_day_starting_in_the_dst_night_follows_the_wall_clock(starts_on, starts, outside):
    rules = Rules(zone=BERLIN, starts_on=starts_on, ends_on=starts_on + timedelta(days=2), day_starts_at=time(2, 30))
    slots = [screening(id, text, venue=id) for id, text in enumerate(starts, start=1)]
    rooms = {id: Room(id, f"Room {id}") for id in range(1, len(starts) + 1)}

    conflicts = find(*slots, rooms=rooms, rules=rules)

    assert [(c.screening_ids[0], c.festival_day) for c in conflicts] == outside


# --- the whole list -----------------------------------------------------------------------


def test_errors_come_first_then_day_start_and_kind():
    slots = [
        screening(1, "2021-11-18 20:00", 120, slot_minutes=100),
        screening(2, "2021-11-18 22:05"),
        screening(3, "2021-11-19 20:00", 120),
        screening(4, "2021-11-19 21:00"),
        screening(5, "2021-11-18 10:00", films=(STALKER,), venue=2),
        screening(6, "2021-11-18 10:30", films=(STALKER,), venue=3),
    ]

    assert summary(find(*slots)) == [
        ("print_clash", (5, 6), 100),
        ("venue_overlap", (3, 4), 60),
        ("runtime_overrun", (1,), 20),
        ("turnaround", (1, 2), 10),
    ]


def test_severity_is_fixed_per_kind():
    assert SEVERITY == {
        "venue_overlap": "error",
        "turnaround": "warning",
        "runtime_overrun": "warning",
        "print_clash": "error",
        "guest_clash": "warning",
        "venue_unavailable": "error",
        "outside_festival": "warning",
    }


def test_conflicts_of_a_screening_are_those_naming_it():
    conflicts = find(
        screening(1, "2021-11-19 14:00", 360),
        screening(2, "2021-11-19 15:00", 90),
        screening(3, "2021-11-19 20:00"),
    )

    assert summary(conflicts_of(2, conflicts)) == [("venue_overlap", (1, 2), 90)]
    assert summary(conflicts_of(3, conflicts)) == [("turnaround", (1, 3), 15)]


# --- the package's shape ------------------------------------------------------------------

# what app/, bench/ and tests/ import from app.scheduling.conflicts
IMPORTED_ELSEWHERE = ("Conflict", "Print", "Room", "Rules", "Slot", "SEVERITY", "conflicts_of", "find_conflicts")


def test_the_names_other_code_imports_stay_at_the_package_root():
    exported = {name: getattr(engine, name) for name in engine.__all__}

    assert set(IMPORTED_ELSEWHERE) <= exported.keys()
    assert exported["find_conflicts"] is sweep.find_conflicts
    assert exported["Conflict"] is model.Conflict


def test_every_kind_has_one_finding_and_a_severity():
    assert sorted(kind.kind for kind in get_args(Finding)) == sorted(SEVERITY)


# --- the sweep's shortcuts: candidates, runs and the rank * BIG encoding ---------------------
# The sweep compares each screening only with the one just before it in its venue (film, guest)
# and then follows runs; these are the shapes where that could go wrong, each checked against
# the pairwise oracle and against what the definitions say.

SHORTCUT_CASES = {
    # a long screening still runs after its neighbour ended: the later ones overlap it
    "long_screening_outlasts_its_neighbour": (
        [
            screening(1, "2021-11-19 14:00", 600),
            screening(2, "2021-11-19 15:00", 30),
            screening(3, "2021-11-19 17:00", 30),
        ],
        [("venue_overlap", (1, 2), 30), ("venue_overlap", (1, 3), 30)],
    ),
    "equal_starts_ordered_by_id": (
        [screening(2, "2021-11-19 20:00", 60), screening(1, "2021-11-19 20:00", 90)],
        [("venue_overlap", (1, 2), 60)],
    ),
    "touching_is_a_turnaround_not_an_overlap": (
        [screening(1, "2021-11-19 20:00", 60), screening(2, "2021-11-19 21:00")],
        [("turnaround", (1, 2), 15)],
    ),
    "turnaround_exactly_the_gap": (
        [screening(1, "2021-11-19 20:00", 60), screening(2, "2021-11-19 21:15")],
        [],
    ),
    "zero_length_overlaps_nothing": (
        [screening(1, "2021-11-19 20:00", 60), screening(2, "2021-11-19 20:30", 0), screening(3, "2021-11-19 22:00")],
        [],
    ),
    # the last screening in one venue ends after the first in the next venue starts
    "venues_do_not_reach_into_each_other": (
        [screening(1, "2021-11-19 23:00", 180, venue=1), screening(2, "2021-11-19 10:00", 60, venue=2)],
        [],
    ),
    "across_midnight_into_the_next_day": (
        [screening(1, "2021-11-19 23:30", 90), screening(2, "2021-11-20 00:30", 30)],
        [("venue_overlap", (1, 2), 30)],
    ),
    # the one print is held by a long screening while a short one in between has let go
    "print_held_past_the_screening_before": (
        [
            screening(1, "2021-11-19 14:00", 300, venue=1, films=(STALKER,)),
            screening(2, "2021-11-19 14:30", 30, venue=1, films=(STALKER,)),
            screening(3, "2021-11-19 16:00", 30, venue=1, films=(STALKER,)),
        ],
        [
            ("print_clash", (1, 2), 270),
            ("print_clash", (1, 3), 180),
            ("venue_overlap", (1, 2), 30),
            ("venue_overlap", (1, 3), 30),
        ],
    ),
    "guest_in_a_long_screening_and_two_inside_it": (
        [
            screening(1, "2021-11-19 14:00", 300, venue=1, guests=("Anna",)),
            screening(2, "2021-11-19 14:30", 30, venue=2, guests=("anna",)),
            screening(3, "2021-11-19 16:00", 30, venue=3, guests=(" Anna ", "Anna")),
        ],
        [("guest_clash", (1, 2), 30), ("guest_clash", (1, 3), 30)],
    ),
}


@pytest.mark.parametrize(("slots", "expected"), SHORTCUT_CASES.values(), ids=SHORTCUT_CASES.keys())
def test_the_sweeps_shortcuts(slots, expected):
    from tests.scheduling.oracle import find_conflicts_bruteforce

    found = find(*slots)
    assert sorted(summary(found)) == sorted(expected)
    assert found == find_conflicts_bruteforce(slots, ROOMS, PRINTS, RULES)


def test_the_same_wall_clock_time_twice_in_the_night_is_told_apart_in_messages():
    # 02:30 CEST and 02:30 CET: equal as datetimes in one zone, an hour apart
    first, second = at("2021-10-31T02:30+02:00"), at("2021-10-31T02:30+01:00")
    assert first == second and first.fold != second.fold
    slots = [
        Slot(1, 1, first, add_minutes(first, 20), (101,), runtime_minutes=20),
        Slot(2, 1, add_minutes(first, 10), add_minutes(first, 30), (102,), runtime_minutes=20),
        Slot(3, 2, second, add_minutes(second, 20), (103,), runtime_minutes=20),
        Slot(4, 2, add_minutes(second, 10), add_minutes(second, 30), (104,), runtime_minutes=20),
    ]

    messages = [c.message for c in find(*slots)]

    assert any("(02:30 CEST–02:50 CEST)" in m for m in messages)
    assert any("(02:30 CET–02:50 CET)" in m for m in messages)
