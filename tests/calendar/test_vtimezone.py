"""The feed's VTIMEZONE: rule-based, derived from the tz database, right for any IANA zone.

vobject resolves `DTSTART;TZID=...` through the feed's own VTIMEZONE (as ical.js and libical
do), so comparing its answers with zoneinfo's checks the VTIMEZONE we wrote.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject

from app.calendar import render_calendar
from app.calendar.vtimezone import build_vtimezone, observances


def rules(zone: str, first_year: int, last_year: int | None = None) -> list[tuple]:
    parts = observances(zone, first_year, last_year or first_year, first_year)
    return [
        (
            part.kind,
            part.starts_at.isoformat(),
            part.offset_from,
            part.offset_to,
            part.rule and dict(part.rule),
        )
        for part in parts
    ]


H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (
            "Europe/Berlin",
            [
                ("DAYLIGHT", "1970-03-29T02:00:00", 1 * H, 2 * H,
                 {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"}),
                ("STANDARD", "1970-10-25T03:00:00", 2 * H, 1 * H,
                 {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"}),
            ],
        ),
        (
            "America/New_York",
            [
                ("DAYLIGHT", "1970-03-08T02:00:00", -5 * H, -4 * H,
                 {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "2SU"}),
                ("STANDARD", "1970-11-01T02:00:00", -4 * H, -5 * H,
                 {"FREQ": "YEARLY", "BYMONTH": 11, "BYDAY": "1SU"}),
            ],
        ),
        (
            "Australia/Sydney",
            [
                ("STANDARD", "1970-04-05T03:00:00", 11 * H, 10 * H,
                 {"FREQ": "YEARLY", "BYMONTH": 4, "BYDAY": "1SU"}),
                ("DAYLIGHT", "1970-10-04T02:00:00", 10 * H, 11 * H,
                 {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "1SU"}),
            ],
        ),
        (
            "Asia/Tehran",  # 2021: fixed dates, 22 March and 22 September
            [
                ("DAYLIGHT", "1970-03-22T00:00:00", 3.5 * H, 4.5 * H,
                 {"FREQ": "YEARLY", "BYMONTH": 3, "BYMONTHDAY": 22}),
                ("STANDARD", "1970-09-22T00:00:00", 4.5 * H, 3.5 * H,
                 {"FREQ": "YEARLY", "BYMONTH": 9, "BYMONTHDAY": 22}),
            ],
        ),
        ("Asia/Tokyo", [("STANDARD", "1970-01-01T00:00:00", 9 * H, 9 * H, None)]),
        ("UTC", [("STANDARD", "1970-01-01T00:00:00", 0 * H, 0 * H, None)]),
    ],
    ids=["last_sunday", "nth_sunday", "southern_hemisphere", "fixed_dates", "no_dst", "utc"],
)  # fmt: skip
def test_current_rules_are_read_from_the_tz_database(zone, expected):
    assert rules(zone, 2021) == expected


def test_a_zone_that_dropped_daylight_saving_gets_the_rules_of_the_festivals_year():
    assert [part[-1] for part in rules("America/Mexico_City", 2021)] == [
        {"FREQ": "YEARLY", "BYMONTH": 4, "BYDAY": "1SU"},
        {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"},
    ]
    assert rules("America/Mexico_City", 2024) == [("STANDARD", "1970-01-01T00:00:00", -6 * H, -6 * H, None)]


@pytest.mark.parametrize(
    ("zone", "first_year", "last_year"),
    [("America/Mexico_City", 2022, 2023), ("Africa/Casablanca", 2021, 2022)],
    ids=["rules_change_inside_the_feed", "ramadan_moves_every_year"],
)
def test_changes_no_yearly_rule_describes_are_listed_one_part_each(zone, first_year, last_year):
    parts = observances(zone, first_year, last_year, first_year)
    assert all(part.rule is None for part in parts)
    assert parts[0].starts_at == datetime(first_year, 1, 1)
    assert len(parts) > 2


def test_vtimezone_has_no_rdate_lists():
    text = build_vtimezone("Europe/Berlin", 2021, 2021, 2021).to_ical().decode()
    assert "RDATE" not in text
    assert text.count("RRULE:") == 2


ZONES = [
    "Europe/Berlin",
    "Europe/London",
    "Europe/Dublin",  # negative DST in the tz database: winter is "daylight" there
    "America/New_York",
    "America/Santiago",  # changes at midnight, on a Saturday-night rule
    "America/Sao_Paulo",
    "America/St_Johns",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # a 30-minute change
    "Pacific/Chatham",
    "Asia/Jerusalem",  # Friday before the last Sunday
    "Asia/Tehran",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Africa/Casablanca",
    "America/Mexico_City",
]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(date(2021, 1, 1), date(2021, 12, 31)), (date(2022, 6, 1), date(2023, 5, 31))],
    ids=["one_year", "across_new_year"],
)
def test_every_start_and_end_resolves_through_the_feeds_vtimezone(programme_builder, zone, starts_on, ends_on):
    """A screening every week at 20:30, and every hour and a half round each clock change."""
    b = programme_builder(timezone=zone, starts_on=starts_on, ends_on=ends_on)
    b.film(id=1, runtime_minutes=150)
    tz = ZoneInfo(zone)
    instants = []
    day = starts_on
    while day <= ends_on:
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
        if day.weekday() == 4:
            instants.append(midnight + timedelta(hours=20, minutes=30))
        if (midnight + timedelta(days=1)).utcoffset() != midnight.utcoffset():
            start = midnight.astimezone(UTC) - timedelta(hours=6)
            instants += [start + timedelta(minutes=90 * n) for n in range(24)]
        day += timedelta(days=1)
    for number, instant in enumerate(instants, start=1):
        b.screening(instant.astimezone(UTC), (1,), id=number)
    programme = b.build()
    cal = vobject.readOne(render_calendar(programme).decode(), validate=True)
    read = {
        int(event.uid.value.split("-")[1].split("@")[0]): (
            event.dtstart.value.astimezone(UTC),
            event.dtend.value.astimezone(UTC),
        )
        for event in cal.vevent_list
    }
    expected = {s.id: (s.starts_at.astimezone(UTC), s.ends_at.astimezone(UTC)) for s in programme.screenings}
    wrong = {k: (read.get(k), v) for k, v in expected.items() if read.get(k) != v}
    assert wrong == {}
