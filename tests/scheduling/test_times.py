"""Festival time without a database: local times, DST, festival days."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.scheduling.times import (
    NonExistentLocalTime,
    add_minutes,
    day_bounds,
    festival_day,
    local_time,
    minutes_between,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_naive_time_is_read_in_the_festival_zone():
    assert local_time(datetime(2021, 11, 19, 22, 0), BERLIN).utcoffset().total_seconds() == 3600


def test_a_skipped_time_is_refused():
    with pytest.raises(NonExistentLocalTime, match="does not exist in Europe/Berlin"):
        local_time(datetime(2021, 3, 28, 2, 30), BERLIN)


def test_an_ambiguous_time_takes_its_first_occurrence():
    assert local_time(datetime(2021, 10, 31, 2, 30), BERLIN).isoformat() == "2021-10-31T02:30:00+02:00"


@pytest.mark.parametrize(("start", "minutes", "end"), [
    ("2021-10-31T01:30:00+02:00", 120, "2021-10-31T02:30:00+01:00"),
    ("2021-03-28T01:30:00+01:00", 60, "2021-03-28T03:30:00+02:00"),
    ("2021-11-19T22:00:00+01:00", 134, "2021-11-20T00:14:00+01:00"),
], ids=["autumn_night_is_an_hour_longer", "spring_night_is_an_hour_shorter", "past_midnight"])
def test_durations_are_absolute_time(start, minutes, end):
    starts_at = datetime.fromisoformat(start).astimezone(BERLIN)
    assert add_minutes(starts_at, minutes).isoformat() == end


@pytest.mark.parametrize(("local", "day"), [
    ("2021-11-19T22:30", date(2021, 11, 19)),
    ("2021-11-20T01:30", date(2021, 11, 19)),
    ("2021-11-20T05:59", date(2021, 11, 19)),
    ("2021-11-20T06:00", date(2021, 11, 20)),
], ids=["late_evening", "after_midnight", "just_before_day_start", "at_day_start"])
def test_festival_day_runs_from_day_start_to_day_start(local, day):
    starts_at = local_time(datetime.fromisoformat(local), BERLIN)
    assert festival_day(starts_at, BERLIN, time(6)) == day


def test_day_bounds_of_the_autumn_dst_day_last_25_hours():
    start, end = day_bounds(date(2021, 10, 30), BERLIN)
    assert minutes_between(start, end) == 25 * 60
