"""The feed's short cuts against the plain ways they replace: zone transitions found from one
pass of daily offsets against the day-by-day scan, and lines folded as text against `fold`."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.calendar.contentline import fold, fold_text
from app.calendar.vtimezone import Transition, transitions

ZONES = sorted(available_timezones())
# rules that changed, Ramadan pauses, half and quarter hours, the date line, no DST at all
ODD_ZONES = [
    "Africa/Casablanca", "Africa/El_Aaiun", "Asia/Gaza", "America/Santiago", "Pacific/Easter",
    "Australia/Lord_Howe", "Pacific/Apia", "Pacific/Kiritimati", "Asia/Kathmandu", "Asia/Tehran",
    "America/Godthab", "Europe/Dublin", "Antarctica/Troll", "Europe/Moscow", "America/Caracas",
    "Asia/Pyongyang", "Europe/Volgograd", "Asia/Tokyo", "UTC",
]  # fmt: skip


def scanned(zone_key: str, year: int) -> tuple[Transition, ...]:
    """The zone's changes in `year` as the feed first found them: an offset probe a day, each
    one alone, and a bisection to the second wherever two days' offsets differ."""
    zone = ZoneInfo(zone_key)

    def offset(seconds: int):
        return datetime.fromtimestamp(seconds, UTC).astimezone(zone).utcoffset()

    start = int(datetime(year - 1, 12, 30, tzinfo=UTC).timestamp())
    end = int(datetime(year + 1, 1, 3, tzinfo=UTC).timestamp())
    found = []
    before = offset(start)
    for t in range(start, end, 24 * 3600):
        if offset(t + 24 * 3600) != before:
            lo, hi = t, t + 24 * 3600
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(mid) == before else (lo, mid)
            moment = datetime.fromtimestamp(hi, UTC)
            local = moment.astimezone(zone)
            local_before = (moment + before).replace(tzinfo=None)
            if local_before.year == year:
                found.append(Transition(hi, local_before, before, local.utcoffset(), local.tzname() or ""))
            before = local.utcoffset()
    return tuple(found)


@pytest.mark.parametrize("zone", ODD_ZONES)
def test_odd_zones_transitions_are_the_day_by_day_scans(zone):
    for year in (1916, 1942, 1970, 1996, 2011, 2014, 2018, 2019, 2022, 2026, 2037, 2040):
        assert transitions.__wrapped__(zone, year) == scanned(zone, year), year


@settings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(ZONES), year=st.integers(1880, 2100))
def test_any_zones_transitions_are_the_day_by_day_scans(zone, year):
    assert transitions.__wrapped__(zone, year) == scanned(zone, year)


def test_fold_text_is_fold_for_ascii_and_other_text():
    rng = random.Random(14)
    alphabet = "abc \\\\\\;,é€😀"
    for _ in range(3000):
        line = "".join(rng.choice(alphabet if rng.random() < 0.3 else "ab \\,") for _ in range(rng.randrange(400)))
        assert fold_text(line).encode() == fold(line), repr(line)


@pytest.mark.parametrize(
    "line",
    ["x" * 74 + "\\n" + "y" * 10, "x" * 73 + "\\\\n" + "y", "\\" * 300, "x" * 75, "x" * 76, "é" * 40, ""],
    ids=[
        "escape_across_fold",
        "escaped_backslash_at_fold",
        "only_backslashes",
        "exactly_75",
        "76",
        "two_octets",
        "empty",
    ],
)
def test_fold_text_keeps_escapes_and_characters_whole_as_fold_does(line):
    assert fold_text(line).encode() == fold(line)
