"""Festival time without a database: local times, DST, festival days."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scheduling.times import (
    NonExistentLocalTime,
    OffsetNotInUse,
    add_minutes,
    day_bounds,
    day_spans,
    festival_day,
    local_time,
    minutes_between,
    wall_clock_label,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_naive_time_is_read_in_the_festival_zone():
    assert local_time(datetime(2021, 11, 19, 22, 0), BERLIN).utcoffset().total_seconds() == 3600


def test_a_skipped_time_is_refused():
    with pytest.raises(NonExistentLocalTime, match="does not exist in Europe/Berlin"):
        local_time(datetime(2021, 3, 28, 2, 30), BERLIN)


def test_an_ambiguous_time_takes_its_first_occurrence():
    assert local_time(datetime(2021, 10, 31, 2, 30), BERLIN).isoformat() == "2021-10-31T02:30:00+02:00"


@pytest.mark.parametrize(
    ("start", "minutes", "end"),
    [
        ("2021-10-31T01:30:00+02:00", 120, "2021-10-31T02:30:00+01:00"),
        ("2021-03-28T01:30:00+01:00", 60, "2021-03-28T03:30:00+02:00"),
        ("2021-11-19T22:00:00+01:00", 134, "2021-11-20T00:14:00+01:00"),
    ],
    ids=["autumn_night_is_an_hour_longer", "spring_night_is_an_hour_shorter", "past_midnight"],
)
def test_durations_are_absolute_time(start, minutes, end):
    starts_at = datetime.fromisoformat(start).astimezone(BERLIN)
    assert add_minutes(starts_at, minutes).isoformat() == end


@pytest.mark.parametrize(
    ("local", "day"),
    [
        ("2021-11-19T22:30", date(2021, 11, 19)),
        ("2021-11-20T01:30", date(2021, 11, 19)),
        ("2021-11-20T05:59", date(2021, 11, 19)),
        ("2021-11-20T06:00", date(2021, 11, 20)),
    ],
    ids=["late_evening", "after_midnight", "just_before_day_start", "at_day_start"],
)
def test_festival_day_runs_from_day_start_to_day_start(local, day):
    starts_at = local_time(datetime.fromisoformat(local), BERLIN)
    assert festival_day(starts_at, BERLIN, time(6)) == day


def test_day_bounds_of_the_autumn_dst_day_last_25_hours():
    start, end = day_bounds(date(2021, 10, 30), BERLIN)
    assert minutes_between(start, end) == 25 * 60


# --- offsets the zone does not use, gaps of every length, days whose start is skipped --------

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("2021-11-19T20:00+02:00", "2021-11-19 13:00 EST"),
        # after the gap: "02:30-05:00" names 03:30 EDT, not the time typed
        ("2021-03-14T02:30-05:00", "2021-03-14 03:30 EDT"),
        ("2021-11-07T01:30-06:00", "2021-11-07 02:30 EST"),
    ],
    ids=["foreign_offset", "offset_across_the_spring_gap", "neither_offset_of_the_repeated_hour"],
)
def test_an_offset_the_zone_does_not_use_then_is_refused_naming_the_local_time(typed, named):
    with pytest.raises(OffsetNotInUse, match=f"that instant is {named} there") as refused:
        local_time(datetime.fromisoformat(typed), NEW_YORK)
    assert "America/New_York" in str(refused.value)


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("2021-11-07T01:30-04:00", "2021-11-07T01:30:00-04:00"),  # first 01:30
        ("2021-11-07T01:30-05:00", "2021-11-07T01:30:00-05:00"),  # second 01:30
        ("2021-11-07T06:30+00:00", "2021-11-07T01:30:00-05:00"),  # UTC is always an instant
    ],
    ids=["first_occurrence", "second_occurrence", "utc"],
)
def test_an_offset_in_use_or_utc_is_accepted(typed, local):
    assert local_time(datetime.fromisoformat(typed), NEW_YORK).isoformat() == local


@pytest.mark.parametrize(
    ("zone", "wall", "length", "first_valid"),
    [
        ("America/New_York", datetime(2021, 3, 14, 2, 30), "1 hour at 02:00", "03:00"),
        ("Australia/Lord_Howe", datetime(2021, 10, 3, 2, 15), "30 minutes at 02:00", "02:30"),
        ("America/Santiago", datetime(2022, 9, 11, 0, 30), "1 hour at 00:00", "01:00"),
        ("Pacific/Apia", datetime(2011, 12, 30, 12, 0), "24 hours at 00:00", "2011-12-31 00:00"),
    ],
    ids=["new_york", "lord_howe_half_hour", "santiago_midnight", "apia_skipped_day"],
)
def test_a_skipped_time_says_how_long_the_gap_is_and_the_first_valid_time(zone, wall, length, first_valid):
    with pytest.raises(NonExistentLocalTime) as refused:
        local_time(wall, ZoneInfo(zone))
    message = str(refused.value)
    assert f"go forward {length}" in message
    assert f"straight to {first_valid} (the first valid time after the gap)" in message
    assert "an hour" not in message and "offset" not in message


def test_a_festival_day_whose_start_is_skipped_begins_when_the_gap_ends():
    santiago = ZoneInfo("America/Santiago")  # 2022-09-11 00:00 never happened: 23:59:59 -> 01:00
    start, end = day_bounds(date(2022, 9, 10), santiago, time(0))
    assert (start.isoformat(), end.isoformat()) == ("2022-09-10T00:00:00-04:00", "2022-09-11T01:00:00-03:00")
    assert minutes_between(start, end) == 24 * 60  # 25 hours of wall clock, less the skipped one
    assert festival_day(end, santiago, time(0)) == date(2022, 9, 11)


@pytest.mark.parametrize(
    ("moment", "zone", "label"),
    [
        ("2021-10-31T02:30+02:00", "Europe/Berlin", "02:30 CEST"),
        ("2021-10-31T02:30+01:00", "Europe/Berlin", "02:30 CET"),
        ("2021-10-31T03:30+01:00", "Europe/Berlin", "03:30"),
        ("2021-11-19T22:00+01:00", "Europe/Berlin", "22:00"),
        ("2022-04-02T23:30-03:00", "America/Santiago", "23:30 UTC-03:00"),  # numeric abbreviations
        ("2022-04-03T01:45+11:00", "Australia/Lord_Howe", "01:45 UTC+11:00"),
    ],
    ids=["first_of_two", "second_of_two", "after_the_repeat", "ordinary", "numeric_zone", "half_hour_repeat"],
)
def test_wall_clock_label_tells_the_two_occurrences_of_a_repeated_time_apart(moment, zone, label):
    assert wall_clock_label(datetime.fromisoformat(moment), ZoneInfo(zone)) == label


def test_day_spans_of_a_day_starting_in_the_repeated_hour_leave_out_the_second_pass_before_it():
    # day_starts_at 02:30 happens twice in Berlin on 31 October 2021; a start at the second 02:10
    # belongs to 30 October by the wall clock, and the day filter must agree
    spans = day_spans(date(2021, 10, 30), BERLIN, time(2, 30))
    assert [(a.isoformat(), b.isoformat()) for a, b in spans] == [
        ("2021-10-30T00:30:00+00:00", "2021-10-31T00:30:00+00:00"),  # 02:30 CEST to the first 02:30
        ("2021-10-31T01:00:00+00:00", "2021-10-31T01:30:00+00:00"),  # the second 02:00 to 02:30 (CET)
    ]


SPAN_ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Beirut",
    "Europe/Dublin",
    "Pacific/Chatham",
    "Africa/Casablanca",
    "America/St_Johns",
    "Asia/Kathmandu",
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(zone=st.sampled_from(SPAN_ZONES), year=st.sampled_from((2021, 2022)), data=st.data())
def test_day_spans_hold_exactly_the_instants_of_that_festival_day(zone, year, data):
    from app.calendar.vtimezone import transitions

    tz = ZoneInfo(zone)
    changes = [datetime.fromtimestamp(t.at, UTC) for t in transitions(zone, year)] or [datetime(year, 6, 1, tzinfo=UTC)]
    moment = data.draw(st.sampled_from(changes)) + timedelta(minutes=data.draw(st.integers(-300, 300)))
    starts_at = time(data.draw(st.integers(0, 6)), data.draw(st.sampled_from((0, 10, 30, 45))))
    day = festival_day(moment, tz, starts_at)
    for candidate in (day - timedelta(days=1), day, day + timedelta(days=1)):
        inside = any(a <= moment < b for a, b in day_spans(candidate, tz, starts_at))
        assert inside == (candidate == day), (candidate, day_spans(candidate, tz, starts_at))
