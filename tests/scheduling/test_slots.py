"""Where a film can still go: examples of each rule, and every grid start against a trial-insert oracle."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scheduling.conflicts import RUNTIME_OVERRUN, Print, Room, Rules, Slot, find_conflicts
from app.scheduling.slots import FreeStart, free_starts
from app.scheduling.times import add_minutes, festival_day, local_time

BERLIN = ZoneInfo("Europe/Berlin")
FESTIVAL = Rules(zone=BERLIN, starts_on=date(2021, 11, 17), ends_on=date(2021, 11, 28))
ROOMS = {
    1: Room(1, "Caligari", turnaround_minutes=15),
    2: Room(2, "Delphi", turnaround_minutes=15),
    3: Room(3, "Quick Room", turnaround_minutes=0),
}
STALKER, SOLARIS, SHORT = 7, 8, 9
PRINTS = {STALKER: Print(STALKER, "Stalker", copies=1), SOLARIS: Print(SOLARIS, "Solaris", copies=2)}


def at(text: str, zone: ZoneInfo = BERLIN) -> datetime:
    """A festival time: local wall-clock time, or any ISO time with its offset."""
    return local_time(datetime.fromisoformat(text), zone)


def screening(
    id: int,
    starts: str,
    minutes: int = 100,
    venue: int = 1,
    films: tuple[int, ...] = (SHORT,),
    guests: tuple[str, ...] = (),
    status: str = "confirmed",
) -> Slot:
    starts_at = at(starts)
    return Slot(id, venue, starts_at, add_minutes(starts_at, minutes), films, guests, status, None, minutes)


def starts(found: list[FreeStart], venue: int | None = None) -> list[str]:
    """The offered starts as local ISO times (with offsets), for one venue or all."""
    return [starts_at.isoformat(timespec="minutes") for venue_id, starts_at, _ in found if venue in (None, venue_id)]


def evening(**options) -> list[FreeStart]:
    """Free starts on 19 November between 18:00 and 23:00, every 5 minutes unless told."""
    options = {"earliest": at("2021-11-19 18:00"), "latest": at("2021-11-19 23:00"), **options}
    return free_starts(**options)


# --- the room ----------------------------------------------------------------------------------


def test_a_film_fits_after_the_rooms_turnaround():
    taken = [screening(1, "2021-11-19 18:00", 120)]  # Caligari until 20:00, then 15 minutes' turnaround

    found = evening(
        film_ids=[STALKER],
        runtime_minutes=60,
        screenings=taken,
        rooms={1: ROOMS[1]},
        prints=PRINTS,
        rules=FESTIVAL,
        step=15,
    )

    assert starts(found) == [
        "2021-11-19T20:15+01:00",
        "2021-11-19T20:30+01:00",
        "2021-11-19T20:45+01:00",
        "2021-11-19T21:00+01:00",
        "2021-11-19T21:15+01:00",
        "2021-11-19T21:30+01:00",
        "2021-11-19T21:45+01:00",
        "2021-11-19T22:00+01:00",
        "2021-11-19T22:15+01:00",
        "2021-11-19T22:30+01:00",
        "2021-11-19T22:45+01:00",
        "2021-11-19T23:00+01:00",
    ]
    assert found[0] == (1, at("2021-11-19 20:15"), at("2021-11-19 21:15"))


def test_a_film_must_end_a_turnaround_before_the_next_screening():
    taken = [screening(1, "2021-11-19 21:00", 120)]

    found = evening(
        film_ids=[STALKER],
        runtime_minutes=90,
        screenings=taken,
        rooms={1: ROOMS[1]},
        prints=PRINTS,
        rules=FESTIVAL,
        step=15,
        latest=at("2021-11-19 20:00"),
    )

    # 19:15 + 90 minutes ends at 20:45, just the turnaround before 21:00; 19:30 would end too late
    assert starts(found) == [
        "2021-11-19T18:00+01:00",
        "2021-11-19T18:15+01:00",
        "2021-11-19T18:30+01:00",
        "2021-11-19T18:45+01:00",
        "2021-11-19T19:00+01:00",
        "2021-11-19T19:15+01:00",
    ]


def test_a_room_without_turnaround_takes_a_film_back_to_back():
    taken = [screening(1, "2021-11-19 18:00", 120, venue=3), screening(2, "2021-11-19 21:00", 60, venue=3)]

    found = evening(
        film_ids=[STALKER],
        runtime_minutes=60,
        screenings=taken,
        rooms={3: ROOMS[3]},
        prints=PRINTS,
        rules=FESTIVAL,
        step=30,
        latest=at("2021-11-19 22:00"),
    )

    assert starts(found) == ["2021-11-19T20:00+01:00", "2021-11-19T22:00+01:00"]


def test_only_inside_the_rooms_availability():
    rooms = {1: Room(1, "Caligari", availability=((at("2021-11-19 19:00"), at("2021-11-19 21:30")),))}

    found = evening(
        film_ids=[STALKER], runtime_minutes=90, screenings=[], rooms=rooms, prints=PRINTS, rules=FESTIVAL, step=30
    )

    assert starts(found) == ["2021-11-19T19:00+01:00", "2021-11-19T19:30+01:00", "2021-11-19T20:00+01:00"]


def test_cancelled_screenings_leave_the_room_free_and_drafts_count_unless_asked_not_to():
    taken = [
        screening(1, "2021-11-19 18:00", 120, status="cancelled"),
        screening(2, "2021-11-19 20:00", 120, status="draft"),
        screening(3, "2021-11-19 22:15", 60),
    ]
    ask = dict(
        film_ids=[STALKER],
        runtime_minutes=60,
        screenings=taken,
        rooms={1: ROOMS[1]},
        prints=PRINTS,
        rules=FESTIVAL,
        step=60,
    )

    assert starts(evening(**ask)) == ["2021-11-19T18:00+01:00"]
    assert starts(evening(**ask, against="confirmed")) == [
        "2021-11-19T18:00+01:00",
        "2021-11-19T19:00+01:00",
        "2021-11-19T20:00+01:00",
        "2021-11-19T21:00+01:00",
    ]


def test_a_screening_being_moved_does_not_block_itself():
    taken = [screening(1, "2021-11-19 18:00", 300)]
    ask = dict(
        film_ids=[SHORT],
        runtime_minutes=300,
        screenings=taken,
        rooms={1: ROOMS[1]},
        prints=PRINTS,
        rules=FESTIVAL,
        step=60,
        latest=at("2021-11-19 19:00"),
    )

    assert starts(evening(**ask)) == []
    assert starts(evening(**ask, ignoring={1})) == ["2021-11-19T18:00+01:00", "2021-11-19T19:00+01:00"]


# --- prints and guests ---------------------------------------------------------------------------


def test_a_print_in_transit_keeps_the_film_out_of_other_venues_until_it_arrives():
    # Stalker (one print) ends in Caligari at 20:00, then needs 30 minutes to reach another venue
    taken = [screening(1, "2021-11-19 18:00", 120, films=(STALKER,))]

    found = evening(
        film_ids=[STALKER],
        runtime_minutes=60,
        screenings=taken,
        rooms=ROOMS,
        prints=PRINTS,
        rules=FESTIVAL,
        step=15,
        latest=at("2021-11-19 21:00"),
    )

    assert starts(found, venue=1) == [
        "2021-11-19T20:15+01:00",
        "2021-11-19T20:30+01:00",
        "2021-11-19T20:45+01:00",
        "2021-11-19T21:00+01:00",
    ]
    assert starts(found, venue=2) == ["2021-11-19T20:30+01:00", "2021-11-19T20:45+01:00", "2021-11-19T21:00+01:00"]
    assert starts(found, venue=3) == starts(found, venue=2)


def test_a_film_shown_before_its_next_screening_elsewhere_must_leave_time_for_the_transfer():
    taken = [screening(1, "2021-11-19 21:00", 60, venue=2, films=(STALKER,))]

    found = evening(
        film_ids=[STALKER],
        runtime_minutes=60,
        screenings=taken,
        rooms={1: ROOMS[1]},
        prints=PRINTS,
        rules=FESTIVAL,
        step=30,
        latest=at("2021-11-19 20:00"),
    )

    # 19:30 would end at 20:30, and the print needs until 21:00 to reach Delphi: just in time
    assert starts(found) == [
        "2021-11-19T18:00+01:00",
        "2021-11-19T18:30+01:00",
        "2021-11-19T19:00+01:00",
        "2021-11-19T19:30+01:00",
    ]


def test_a_second_copy_lets_the_film_play_twice_at_once_but_not_three_times():
    taken = [screening(1, "2021-11-19 20:00", 120, venue=1, films=(SOLARIS,))]
    ask = dict(
        film_ids=[SOLARIS],
        runtime_minutes=60,
        rooms={3: ROOMS[3]},
        prints=PRINTS,
        rules=FESTIVAL,
        step=60,
        earliest=at("2021-11-19 20:00"),
        latest=at("2021-11-19 21:00"),
    )

    assert starts(evening(**ask, screenings=taken)) == ["2021-11-19T20:00+01:00", "2021-11-19T21:00+01:00"]
    taken.append(screening(2, "2021-11-19 20:00", 120, venue=2, films=(SOLARIS,)))
    assert starts(evening(**ask, screenings=taken)) == []


def test_a_print_that_stays_in_its_room_frees_a_copy_for_the_screening_elsewhere():
    # Solaris has two prints; the one at Caligari was to travel to Delphi for 21:10 (until 21:30)
    taken = [
        screening(1, "2021-11-19 20:00", 60, venue=1, films=(SOLARIS,)),
        screening(2, "2021-11-19 21:10", 60, venue=2, films=(SOLARIS,)),
    ]
    rooms = {1: Room(1, "Caligari", turnaround_minutes=0), 3: ROOMS[3]}

    found = evening(
        film_ids=[SOLARIS],
        runtime_minutes=30,
        screenings=taken,
        rooms=rooms,
        prints=PRINTS,
        rules=FESTIVAL,
        earliest=at("2021-11-19 20:55"),
        latest=at("2021-11-19 21:10"),
    )

    # shown again in Caligari, that print stays put, and the second one can reach Delphi by 21:10;
    # shown in the Quick Room, both prints would still be on the road at 21:10
    assert starts(found, venue=1) == ["2021-11-19T21:00+01:00", "2021-11-19T21:05+01:00"]
    assert starts(found, venue=3) == []


def test_a_guest_cannot_be_at_two_screenings_at_once():
    taken = [screening(1, "2021-11-19 18:00", 120, venue=2, guests=("Agnes Varda",))]

    found = evening(
        film_ids=[STALKER],
        runtime_minutes=60,
        screenings=taken,
        rooms={1: ROOMS[1]},
        prints=PRINTS,
        rules=FESTIVAL,
        step=30,
        guests=["  agnes   VARDA"],
        latest=at("2021-11-19 20:00"),
    )

    assert starts(found) == ["2021-11-19T20:00+01:00"]


# --- days, bounds and the grid -------------------------------------------------------------------


def test_starts_keep_to_the_festival_days_and_the_day_asked_for():
    rules = Rules(zone=BERLIN, starts_on=date(2021, 11, 19), ends_on=date(2021, 11, 20))
    ask = dict(
        film_ids=[STALKER], runtime_minutes=60, screenings=[], rooms={1: ROOMS[1]}, prints=PRINTS, rules=rules, step=360
    )

    assert starts(free_starts(**ask)) == [
        "2021-11-19T06:00+01:00",
        "2021-11-19T12:00+01:00",
        "2021-11-19T18:00+01:00",
        "2021-11-20T00:00+01:00",
        "2021-11-20T06:00+01:00",
        "2021-11-20T12:00+01:00",
        "2021-11-20T18:00+01:00",
        "2021-11-21T00:00+01:00",
    ]
    # the small hours belong to the festival day before
    assert starts(free_starts(**ask, day=date(2021, 11, 20)))[-1] == "2021-11-21T00:00+01:00"
    assert free_starts(**ask, day=date(2021, 11, 21)) == []


def test_results_come_by_venue_then_start_and_respect_the_venues_asked_for():
    found = evening(
        film_ids=[STALKER],
        runtime_minutes=60,
        screenings=[],
        rooms=ROOMS,
        prints=PRINTS,
        rules=FESTIVAL,
        step=120,
        venue_ids=[3, 1],
    )

    assert [(venue, starts_at.hour) for venue, starts_at, _ in found] == [
        (1, 18),
        (1, 20),
        (1, 22),
        (3, 18),
        (3, 20),
        (3, 22),
    ]


def test_a_naive_bound_is_local_time():
    found = evening(
        film_ids=[STALKER],
        runtime_minutes=60,
        screenings=[],
        rooms={1: ROOMS[1]},
        prints=PRINTS,
        rules=FESTIVAL,
        step=60,
        earliest=datetime(2021, 11, 19, 21, 30),
    )

    assert starts(found) == ["2021-11-19T22:00+01:00", "2021-11-19T23:00+01:00"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"step": 7}, "step must be"),
        ({"step": 0}, "step must be"),
        ({"runtime_minutes": 0}, "at least one minute"),
        ({"film_ids": []}, "at least one film"),
        ({"against": "drafts"}, "against must be"),
    ],
    ids=["step_not_dividing_a_day", "zero_step", "zero_runtime", "no_films", "unknown_against"],
)
def test_a_question_that_makes_no_sense_is_refused(change, message):
    ask = dict(film_ids=[STALKER], runtime_minutes=60, screenings=[], rooms=ROOMS, prints=PRINTS, rules=FESTIVAL)

    with pytest.raises(ValueError, match=message):
        free_starts(**{**ask, **change})


# --- daylight saving -----------------------------------------------------------------------------

NIGHT_RULES = Rules(zone=BERLIN, starts_on=date(2021, 3, 1), ends_on=date(2021, 11, 30))


def test_the_spring_forward_night_never_offers_a_start_the_clocks_skip():
    found = free_starts(
        [STALKER],
        60,
        [],
        {3: ROOMS[3]},
        PRINTS,
        NIGHT_RULES,
        step=30,
        earliest=at("2021-03-28 01:00"),
        latest=at("2021-03-28 04:00"),
    )

    assert starts(found) == [
        "2021-03-28T01:00+01:00",
        "2021-03-28T01:30+01:00",
        "2021-03-28T03:00+02:00",
        "2021-03-28T03:30+02:00",
        "2021-03-28T04:00+02:00",
    ]
    # durations are real time: 01:30 + 60 minutes ends at 03:30 summer time
    assert found[1][2].isoformat() == "2021-03-28T03:30:00+02:00"


def test_the_autumn_night_offers_both_half_past_twos():
    found = free_starts(
        [STALKER],
        60,
        [],
        {3: ROOMS[3]},
        PRINTS,
        NIGHT_RULES,
        step=30,
        earliest=at("2021-10-31T02:00+02:00"),
        latest=at("2021-10-31T03:00+01:00"),
    )

    assert starts(found) == [
        "2021-10-31T02:00+02:00",
        "2021-10-31T02:30+02:00",
        "2021-10-31T02:00+01:00",
        "2021-10-31T02:30+01:00",
        "2021-10-31T03:00+01:00",
    ]
    assert [starts_at.fold for _, starts_at, _ in found] == [0, 0, 1, 1, 0]
    assert found[1][2].isoformat() == "2021-10-31T02:30:00+01:00"


def test_on_the_autumn_night_a_screening_blocks_by_real_time_not_by_the_wall_clock():
    # 01:30 summer time + 120 real minutes ends at 02:30 winter time, with no turnaround in this room
    taken = [screening(1, "2021-10-31 01:30", 120, venue=3)]

    found = free_starts(
        [STALKER],
        30,
        taken,
        {3: ROOMS[3]},
        PRINTS,
        NIGHT_RULES,
        step=30,
        earliest=at("2021-10-31 00:00"),
        latest=at("2021-10-31T03:00+01:00"),
    )

    assert starts(found) == [
        "2021-10-31T00:00+02:00",
        "2021-10-31T00:30+02:00",
        "2021-10-31T01:00+02:00",
        "2021-10-31T02:30+01:00",
        "2021-10-31T03:00+01:00",
    ]


# --- every grid start against the oracle -----------------------------------------------------------

# the nights the clocks change (from 21:00 local the evening before), in a whole-hour and a
# half-hour daylight-saving zone
NIGHTS = [
    (BERLIN, datetime(2021, 10, 30, 19, tzinfo=UTC)),
    (BERLIN, datetime(2021, 3, 27, 20, tzinfo=UTC)),
    (ZoneInfo("Australia/Lord_Howe"), datetime(2021, 10, 2, 10, tzinfo=UTC)),
]
GUEST_NAMES = ["Anna", " anna", "Bela Tarr", "Chantal"]


@st.composite
def questions(draw):
    """A small programme around a DST night and a question about it: (programme, options)."""
    zone, night = draw(st.sampled_from(NIGHTS))
    rooms = {
        venue: Room(
            venue,
            f"Room {venue}",
            turnaround_minutes=draw(st.sampled_from([0, 15, 30])),
            availability=draw(
                st.sampled_from(
                    [
                        (),
                        (),
                        ((night + timedelta(hours=1), night + timedelta(hours=7)),),
                        (
                            (night, night + timedelta(hours=3)),
                            (night + timedelta(hours=3), night + timedelta(hours=4)),
                            (night + timedelta(hours=5), night + timedelta(hours=13)),
                        ),
                    ]
                )
            ),
        )
        for venue in (1, 2, 3)
    }
    prints = {film: Print(film, f"Film {film}", copies=draw(st.integers(1, 3))) for film in (1, 2, 3)}
    slots = []
    for id in range(1, draw(st.integers(0, 14)) + 1):
        starts_at = (night + timedelta(minutes=draw(st.integers(-60, 780)))).astimezone(zone)
        runtime = draw(st.integers(0, 200) | st.sampled_from([60, 90, 120]))
        slots.append(
            Slot(
                id=id,
                venue_id=draw(st.sampled_from([1, 2, 3])),
                starts_at=starts_at,
                ends_at=add_minutes(starts_at, runtime),
                film_ids=tuple(draw(st.lists(st.sampled_from([1, 1, 2, 3, 4]), min_size=1, max_size=2))),
                guests=tuple(draw(st.lists(st.sampled_from(GUEST_NAMES), max_size=2))),
                status=draw(st.sampled_from(["draft", "confirmed", "confirmed", "cancelled"])),
                runtime_minutes=runtime,
            )
        )
    first = night.astimezone(zone).date() + timedelta(days=draw(st.integers(0, 1)))
    rules = Rules(
        zone=zone,
        starts_on=first,
        ends_on=first + timedelta(days=draw(st.integers(0, 1))),
        day_starts_at=draw(st.sampled_from([time(6), time(0), time(2, 30), time(2)])),
        print_transfer_minutes=draw(st.sampled_from([0, 30, 45])),
    )
    options = {
        "film_ids": draw(st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=2)),
        "runtime_minutes": draw(st.integers(1, 240)),
        "guests": draw(st.lists(st.sampled_from(GUEST_NAMES), max_size=1)),
        "step": draw(st.sampled_from([15, 20, 30, 60])),
        "against": draw(st.sampled_from(["all", "confirmed"])),
        "ignoring": set(draw(st.lists(st.integers(1, 4), max_size=1))),
    }
    if draw(st.booleans()):
        options["venue_ids"] = draw(st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=2))
    if draw(st.integers(0, 3)) == 0:
        options["day"] = first + timedelta(days=draw(st.integers(-1, 1)))
    if draw(st.integers(0, 3)) == 0:
        options["earliest"] = night + timedelta(minutes=draw(st.integers(0, 600)))
        options["latest"] = options["earliest"] + timedelta(minutes=draw(st.integers(0, 600)))
    return (slots, rooms, prints, rules), options


def wall_clock_grid(rules: Rules, step: int) -> list[datetime]:
    """Every existing local time on the step grid over the festival's dates and the night after."""
    out: dict[int, datetime] = {}
    wall = datetime.combine(rules.starts_on, time(0))
    while wall < datetime.combine(rules.ends_on + timedelta(days=2), time(0)):
        for fold in (0, 1):
            local = wall.replace(tzinfo=rules.zone, fold=fold)
            if local.astimezone(UTC).astimezone(rules.zone).replace(tzinfo=None) == wall:  # not skipped
                out.setdefault(int(local.timestamp()), local)
        wall += timedelta(minutes=step)
    return [out[t] for t in sorted(out)]


def oracle(programme, options) -> list[tuple[int, int]]:
    """Try every grid start in every venue: insert the proposal, run the engine, keep the clean ones."""
    slots, rooms, prints, rules = programme
    others = [
        slot
        for slot in slots
        if slot.id not in options["ignoring"] and (options["against"] == "all" or slot.status == "confirmed")
    ]
    proposal_id = max((slot.id for slot in slots), default=0) + 1
    found = []
    for venue in sorted(set(options.get("venue_ids", rooms))):
        for starts_at in wall_clock_grid(rules, options["step"]):
            if "day" in options and festival_day(starts_at, rules.zone, rules.day_starts_at) != options["day"]:
                continue
            if "earliest" in options and not options["earliest"] <= starts_at <= options["latest"]:
                continue
            runtime = options["runtime_minutes"]
            proposal = Slot(
                proposal_id,
                venue,
                starts_at,
                add_minutes(starts_at, runtime),
                tuple(options["film_ids"]),
                tuple(options["guests"]),
                "confirmed",
                None,
                runtime,
            )
            conflicts = find_conflicts([*others, proposal], rooms, prints, rules)
            if not any(c.kind != RUNTIME_OVERRUN and proposal_id in c.screening_ids for c in conflicts):
                found.append((venue, int(starts_at.timestamp())))
    return found


@settings(max_examples=250, deadline=None)
@given(questions())
def test_every_grid_start_is_offered_exactly_when_inserting_it_there_conflicts_with_nothing(question):
    programme, options = question
    slots, rooms, prints, rules = programme

    found = free_starts(screenings=slots, rooms=rooms, prints=prints, rules=rules, **options)

    assert [(venue, int(starts_at.timestamp())) for venue, starts_at, _ in found] == oracle(programme, options)
    for _, starts_at, ends_at in found:
        assert starts_at.tzinfo is rules.zone and ends_at.tzinfo is rules.zone
        assert ends_at.timestamp() - starts_at.timestamp() == options["runtime_minutes"] * 60
        assert (starts_at.hour * 60 + starts_at.minute) % options["step"] == 0


@st.composite
def crowded_prints(draw):
    """One film shown often in several rooms over a few hours, with one to three prints."""
    zone, night = draw(st.sampled_from(NIGHTS))
    rooms = {
        venue: Room(venue, f"Room {venue}", turnaround_minutes=draw(st.sampled_from([0, 0, 10])))
        for venue in (1, 2, 3, 4)
    }
    prints = {1: Print(1, "Film 1", copies=draw(st.integers(1, 3))), 2: Print(2, "Film 2", copies=2)}
    slots = []
    for id in range(1, draw(st.integers(2, 12)) + 1):
        starts_at = (night + timedelta(minutes=5 * draw(st.integers(0, 60)))).astimezone(zone)
        runtime = draw(st.sampled_from([0, 30, 60, 90]) | st.integers(0, 150))
        slots.append(
            Slot(
                id,
                draw(st.sampled_from([1, 2, 3, 4])),
                starts_at,
                add_minutes(starts_at, runtime),
                draw(st.sampled_from([(1,), (1,), (1, 2), (2,)])),
                (),
                draw(st.sampled_from(["draft", "confirmed"])),
                None,
                runtime,
            )
        )
    first = night.astimezone(zone).date()
    rules = Rules(
        zone=zone,
        starts_on=first,
        ends_on=first + timedelta(days=1),
        print_transfer_minutes=draw(st.sampled_from([0, 20, 30, 60])),
    )
    options = {
        "film_ids": draw(st.sampled_from([[1], [1], [1, 2]])),
        "runtime_minutes": draw(st.integers(1, 120)),
        "guests": [],
        "step": draw(st.sampled_from([5, 10, 15])),
        "against": "all",
        "ignoring": set(),
        "earliest": night - timedelta(hours=1),
        "latest": night + timedelta(hours=6),
    }
    return (slots, rooms, prints, rules), options


@settings(max_examples=250, deadline=None)
@given(crowded_prints())
def test_a_crowded_film_is_offered_exactly_where_a_print_is_free(question):
    programme, options = question
    slots, rooms, prints, rules = programme

    found = free_starts(screenings=slots, rooms=rooms, prints=prints, rules=rules, **options)

    assert [(venue, int(starts_at.timestamp())) for venue, starts_at, _ in found] == oracle(programme, options)
