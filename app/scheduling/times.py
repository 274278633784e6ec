"""Festival time: local wall-clock times, absolute durations and festival days.

Every function here is pure: pass the timezone in, never read the clock.

Two aware datetimes in different tzinfos compare unequal whenever either falls in the hour
repeated when clocks go back (PEP 495), and two in the same tzinfo compare equal when only
their fold differs. So anything that asks "is this the same time?" compares `instant(...)`s
(UTC), never the zone-aware values themselves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo


class NonExistentLocalTime(ValueError):
    """A wall-clock time skipped by a daylight-saving change (e.g. 02:30 on a spring-forward night)."""


class OffsetNotInUse(ValueError):
    """A time given with a UTC offset that the festival's zone does not use at that instant."""


def instant(value: datetime) -> datetime:
    """The same moment in UTC: what to compare, hash or sort when tzinfos may differ."""
    return value.astimezone(UTC)


def utc_offset(moment: datetime) -> timedelta:
    """The UTC offset of an aware `moment` (`datetime.utcoffset()`, which is None only when naive)."""
    offset = moment.utcoffset()
    assert offset is not None, f"{moment!r} has no UTC offset"
    return offset


def format_offset(offset: timedelta) -> str:
    """'+05:45', '-03:30', '+00:00'."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _duration(delta: timedelta) -> str:
    """'30 minutes', '1 hour', '1 hour 30 minutes', '24 hours'."""
    minutes = int(delta.total_seconds()) // 60
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def gap_around(wall: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """For a naive wall-clock time skipped in `zone`: the gap's (first skipped wall time, naive;
    the first instant after the gap, aware in `zone`)."""
    a = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    b = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    lo, hi = min(a, b), max(a, b)
    before = utc_offset(lo.astimezone(zone))
    # the offset changes somewhere in (lo, hi]: bisect to the second
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid <= lo:
            mid = lo + timedelta(seconds=1)
        if mid.astimezone(zone).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    after = hi.astimezone(zone)
    return (hi + before).replace(tzinfo=None), after


def _local_label(local: datetime) -> str:
    return f"{local:%Y-%m-%d %H:%M}"


def local_time(value: datetime, zone: ZoneInfo) -> datetime:
    """Read `value` in the festival's zone: naive means local wall-clock time.

    A naive time that does not exist in the zone is refused, saying how long the gap is
    and the first time after it; an ambiguous one (the hour repeated when clocks go back)
    takes its first occurrence. An aware time must carry the offset the zone uses at that
    instant (which tells the two occurrences of a repeated hour apart) or be UTC; any other
    offset is refused, naming the local time that instant would be.
    """
    if value.tzinfo is not None:
        offset = value.utcoffset()
        local = value.astimezone(zone)
        if offset == timedelta(0) or local.utcoffset() == offset:
            return local
        raise OffsetNotInUse(
            f"{value.isoformat(timespec='minutes')} gives the offset {format_offset(utc_offset(value))}, which "
            f"{zone.key} does not use at that moment: that instant is "
            f"{_local_label(local)} {zone_label(local)} there. Give the local time without an offset, "
            f"or with the offset {zone.key} uses then ({format_offset(utc_offset(local))})"
        )
    candidate = value.replace(tzinfo=zone, fold=0)
    round_trip = candidate.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != value:
        gap_start, after = gap_around(value, zone)
        jump = after.replace(tzinfo=None) - gap_start
        same_day = after.date() == gap_start.date()
        to = f"{after:%H:%M}" if same_day else _local_label(after)
        raise NonExistentLocalTime(
            f"{_local_label(value)} does not exist in {zone.key}: the clocks go forward "
            f"{_duration(jump)} at {gap_start:%H:%M} on {gap_start:%Y-%m-%d}, straight to {to} (the first "
            f"valid time after the gap); choose a time before {gap_start:%H:%M} or from {to} on"
        )
    return candidate


def zone_label(local: datetime) -> str:
    """The zone's abbreviation at `local` ('CEST'), or its UTC offset where the tz database
    has only numbers ('UTC-03:00' rather than '-03')."""
    name = local.tzname() or ""
    if name and name[0].isalpha():
        return name
    return f"UTC{format_offset(utc_offset(local))}"


def is_repeated(local: datetime) -> bool:
    """True when `local`'s wall-clock time happens twice in its zone (clocks going back)."""
    other = local.replace(fold=1 - local.fold)
    return other.utcoffset() != local.utcoffset()


def wall_clock_label(moment: datetime, zone: tzinfo, date_format: str = "") -> str:
    """'22:00': the wall-clock time of `moment` in `zone`; in an hour the clocks repeat, with
    which one it is ('01:30 CEST' before the clocks go back, '01:30 CET' after). With a
    `date_format` (e.g. '%Y-%m-%d') the local date comes first: '2021-10-31 02:30 CET'.

    Every printed or written time goes through here (programme, grid ruler, CSV, change sheet,
    feed descriptions, conflict messages), so none can show two different moments alike."""
    local = moment.astimezone(zone)
    text = f"{local:{date_format} %H:%M}" if date_format else f"{local:%H:%M}"
    if is_repeated(local):
        text += f" {zone_label(local)}"
    return text


def add_minutes(starts_at: datetime, minutes: int) -> datetime:
    """`starts_at` plus `minutes` of real elapsed time, in the same zone (DST-safe)."""
    zone = starts_at.tzinfo
    return (starts_at.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)


def minutes_between(earlier: datetime, later: datetime) -> float:
    """Elapsed minutes from `earlier` to `later`, in absolute time."""
    return (later.astimezone(UTC) - earlier.astimezone(UTC)).total_seconds() / 60


def day_start(day: date, zone: ZoneInfo, day_starts_at: time = time(6)) -> datetime:
    """The instant festival day `day` begins: `day_starts_at` on that date (its first
    occurrence if the clocks repeat it; the end of the gap if the clocks skip it, as when
    midnight is skipped in America/Santiago)."""
    wall = datetime.combine(day, day_starts_at)
    try:
        return local_time(wall, zone)
    except NonExistentLocalTime:
        return gap_around(wall, zone)[1]


def festival_day(starts_at: datetime, zone: ZoneInfo, day_starts_at: time = time(6)) -> date:
    """The festival day a screening belongs to.

    A festival day runs from `day_starts_at` to the same local time next day, so a
    screening starting at 01:30 belongs to the day before, and one starting at 23:30
    stays on its day however late it ends. It follows the wall clock: when `day_starts_at`
    falls in an hour the clocks repeat, a start in the second occurrence before it belongs
    to the day before, as the printed programme shows it.
    """
    local = starts_at.astimezone(zone)
    if local.time().replace(tzinfo=None) < day_starts_at:
        return local.date() - timedelta(days=1)
    return local.date()


def _offset_changes(zone: ZoneInfo, lo: int, hi: int, step: int = 900) -> list[int]:
    """POSIX seconds of the zone's offset changes in [lo, hi): each the first second of a new offset."""

    def offset(seconds: int) -> timedelta:
        return utc_offset(datetime.fromtimestamp(seconds, UTC).astimezone(zone))

    found, current = [], offset(lo)
    for t in range(lo, hi, step):
        after = offset(t + step)
        if after != current:
            a, b = t, t + step  # offset(a) == current != offset(b)
            while b - a > 1:
                mid = (a + b) // 2
                a, b = (mid, b) if offset(mid) == current else (a, mid)
            found.append(b)
            current = after
    return found


def day_spans(day: date, zone: ZoneInfo, day_starts_at: time = time(6)) -> list[tuple[datetime, datetime]]:
    """Every instant whose `festival_day` is `day`, as [start, end) spans in UTC, in order.

    One span (`day_bounds`) on almost every day; two when `day_starts_at` falls in an hour the
    clocks repeat, since `festival_day` follows the wall clock and the second pass through that
    hour belongs partly to the day before. The `day` filter of the screenings list uses these.
    """
    first = datetime.combine(day, day_starts_at).replace(tzinfo=UTC)
    last = datetime.combine(day + timedelta(days=1), day_starts_at).replace(tzinfo=UTC)
    lo, hi = int((first - timedelta(days=2)).timestamp()), int((last + timedelta(days=2)).timestamp())
    cuts = [lo, *_offset_changes(zone, lo, hi), hi]
    spans: list[tuple[datetime, datetime]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece_start = datetime.fromtimestamp(start, UTC)
        offset = utc_offset(piece_start.astimezone(zone))
        # within a piece of constant offset, wall clock = instant + offset
        s = max(piece_start, first - offset)
        e = min(datetime.fromtimestamp(end, UTC), last - offset)
        if s < e:
            if spans and spans[-1][1] == s:
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
    return spans


def day_bounds(day: date, zone: ZoneInfo, day_starts_at: time = time(6)) -> tuple[datetime, datetime]:
    """The [start, end) instants of a festival day, aware in `zone`."""
    return day_start(day, zone, day_starts_at), day_start(day + timedelta(days=1), zone, day_starts_at)
