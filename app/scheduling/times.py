"""Festival time: local wall-clock times, absolute durations and festival days.

Every function here is pure: pass the timezone in, never read the clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class NonExistentLocalTime(ValueError):
    """A wall-clock time skipped by a daylight-saving change (e.g. 02:30 on a spring-forward night)."""


def local_time(value: datetime, zone: ZoneInfo) -> datetime:
    """Read `value` in the festival's zone: naive means local wall-clock time.

    A naive time that does not exist in the zone is refused; an ambiguous one (the hour
    repeated when clocks go back) takes its first occurrence. An aware time is converted.
    """
    if value.tzinfo is not None:
        return value.astimezone(zone)
    candidate = value.replace(tzinfo=zone, fold=0)
    round_trip = candidate.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != value:
        raise NonExistentLocalTime(
            f"{value:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks skip that hour; "
            "choose a time before or after the daylight-saving change, or give an offset"
        )
    return candidate


def add_minutes(starts_at: datetime, minutes: int) -> datetime:
    """`starts_at` plus `minutes` of real elapsed time, in the same zone (DST-safe)."""
    zone = starts_at.tzinfo
    return (starts_at.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)


def minutes_between(earlier: datetime, later: datetime) -> float:
    """Elapsed minutes from `earlier` to `later`, in absolute time."""
    return (later.astimezone(UTC) - earlier.astimezone(UTC)).total_seconds() / 60


def festival_day(starts_at: datetime, zone: ZoneInfo, day_starts_at: time = time(6)) -> date:
    """The festival day a screening belongs to.

    A festival day runs from `day_starts_at` to the same local time next day, so a
    screening starting at 01:30 belongs to the day before, and one starting at 23:30
    stays on its day however late it ends.
    """
    local = starts_at.astimezone(zone)
    if local.time().replace(tzinfo=None) < day_starts_at:
        return local.date() - timedelta(days=1)
    return local.date()


def day_bounds(day: date, zone: ZoneInfo, day_starts_at: time = time(6)) -> tuple[datetime, datetime]:
    """The [start, end) instants of a festival day, aware in `zone`."""
    start = local_time(datetime.combine(day, day_starts_at), zone)
    end = local_time(datetime.combine(day + timedelta(days=1), day_starts_at), zone)
    return start, end
