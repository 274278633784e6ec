"""The board's layout: where each screening sits on a day's time line, pure arithmetic.

A festival day is laid out on a grid of `COLUMN_MINUTES`-minute columns running from a whole
hour at or before the day's first start (at latest four hours after the day opens) to a whole
hour at or after its last end and turnaround (at least midnight after the day opens, plus
eighteen hours), at most `MAX_COLUMNS` wide. Each screening becomes a block as long as it runs;
after it a band as long as its venue's turnaround; times a venue is not available are shaded;
screenings that overlap in a venue go on separate levels so both stay visible. A venue's
booked share is the time its (not cancelled) screenings occupy within its open hours that day,
divided by those open hours; a venue listing no availability is open all the festival day.

Positions are in columns from the board's first instant, measured in absolute time, so a day
across a daylight-saving change lays out as it runs; hour labels are wall-clock times.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

COLUMN_MINUTES = 5
MAX_COLUMNS = 36 * 60 // COLUMN_MINUTES  # a board is at most 36 hours wide
_COLUMN = timedelta(minutes=COLUMN_MINUTES)
_HOUR = timedelta(hours=1)

Window = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class Lane:
    """A venue as the board lays it out."""

    venue_id: int
    turnaround_minutes: int
    availability: tuple[Window, ...] = ()  # empty: available all the time


@dataclass(frozen=True, slots=True)
class Item:
    """A screening as the board lays it out."""

    id: int
    venue_id: int
    starts_at: datetime
    ends_at: datetime
    status: str


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of columns: `start` (0-based) and `width` (at least 1)."""

    start: int
    width: int


@dataclass(frozen=True, slots=True)
class Block:
    id: int
    span: Span
    level: int  # 0 unless it overlaps an earlier block in its venue
    turnaround: Span | None  # the band after it; None when cancelled or no turnaround


@dataclass(frozen=True, slots=True)
class Row:
    venue_id: int
    blocks: tuple[Block, ...]
    closed: tuple[Span, ...]  # shaded: the venue is not available
    levels: int
    booked_minutes: int
    open_minutes: int

    @property
    def share(self) -> float:
        return self.booked_minutes / self.open_minutes if self.open_minutes else 0.0


@dataclass(frozen=True, slots=True)
class HourMark:
    label: str  # "14:00"
    span: Span


@dataclass(frozen=True, slots=True)
class Layout:
    first: datetime
    columns: int
    hours: tuple[HourMark, ...]
    rows: tuple[Row, ...]


def _floor_hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _ceil_hour(at: datetime) -> datetime:
    floor = _floor_hour(at)
    return floor if floor == at else floor + _HOUR


def _column(first: datetime, at: datetime, columns: int, up: bool = False) -> int:
    minutes = (at - first) / _COLUMN
    index = math.ceil(minutes) if up else math.floor(minutes)
    return max(0, min(columns, index))


def _span(first: datetime, columns: int, starts_at: datetime, ends_at: datetime) -> Span | None:
    start = _column(first, starts_at, columns)
    end = _column(first, ends_at, columns, up=True)
    if start >= columns or end <= 0:
        return None
    return Span(start, max(1, end - start))


def _merge(windows: Iterable[Window]) -> list[Window]:
    merged: list[list[datetime]] = []
    for a, b in sorted(windows):
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _within(windows: Sequence[Window], lo: datetime, hi: datetime) -> list[Window]:
    return [(max(a, lo), min(b, hi)) for a, b in windows if a < hi and b > lo]


def _minutes(windows: Iterable[Window]) -> int:
    return round(sum((b - a).total_seconds() for a, b in windows) / 60)


def lay_out(opens: datetime, closes: datetime, zone: ZoneInfo, lanes: Sequence[Lane], items: Sequence[Item]) -> Layout:
    """The board of the festival day running from `opens` to `closes` (aware instants)."""
    # arithmetic in UTC: the same zone on both sides would subtract wall-clock times
    opens, closes = opens.astimezone(UTC), closes.astimezone(UTC)
    lanes = [
        Lane(
            lane.venue_id,
            lane.turnaround_minutes,
            tuple((a.astimezone(UTC), b.astimezone(UTC)) for a, b in lane.availability),
        )
        for lane in lanes
    ]
    items = [Item(i.id, i.venue_id, i.starts_at.astimezone(UTC), i.ends_at.astimezone(UTC), i.status) for i in items]
    turnaround = {lane.venue_id: timedelta(minutes=lane.turnaround_minutes) for lane in lanes}
    earliest = min([opens + timedelta(hours=4), *(i.starts_at for i in items)])
    latest = max([opens + timedelta(hours=18), *(i.ends_at + turnaround.get(i.venue_id, timedelta()) for i in items)])
    # whole local hours (every zone in use today is a whole number of quarter hours from UTC)
    first = _floor_hour(max(earliest, opens - timedelta(hours=12)).astimezone(zone)).astimezone(UTC)
    last = _ceil_hour(latest.astimezone(zone)).astimezone(UTC)
    columns = max(1, min(MAX_COLUMNS, math.ceil((last - first) / _COLUMN)))
    last = first + columns * _COLUMN

    hours = []
    mark = first
    while mark < last:
        at = _column(first, mark, columns)
        hours.append(HourMark(f"{mark.astimezone(zone):%H:%M}", Span(at, min(60 // COLUMN_MINUTES, columns - at))))
        mark += _HOUR

    rows = []
    for lane in lanes:
        mine = sorted((i for i in items if i.venue_id == lane.venue_id), key=lambda i: (i.starts_at, i.id))
        windows = _merge(lane.availability) if lane.availability else [(opens, closes)]
        open_today = _within(windows, opens, closes)
        closed: list[Span] = []
        if lane.availability:
            cursor = first
            for a, b in _within(windows, first, last) + [(last, last)]:
                if a > cursor and (span := _span(first, columns, cursor, a)):
                    closed.append(span)
                cursor = max(cursor, b)
        level_ends: list[datetime] = []  # the end of the last block on each level
        blocks = []
        for item in mine:
            span = _span(first, columns, item.starts_at, item.ends_at)
            if span is None:
                continue
            level = next((n for n, end in enumerate(level_ends) if end <= item.starts_at), len(level_ends))
            if level == len(level_ends):
                level_ends.append(item.ends_at)
            else:
                level_ends[level] = item.ends_at
            band = None
            if item.status != "cancelled" and lane.turnaround_minutes:
                band = _span(first, columns, item.ends_at, item.ends_at + turnaround[lane.venue_id])
            blocks.append(Block(item.id, span, level, band))
        booked = _merge((i.starts_at, i.ends_at) for i in mine if i.status != "cancelled")
        booked_open = [piece for a, b in open_today for piece in _within(booked, a, b)]
        rows.append(
            Row(
                lane.venue_id,
                tuple(blocks),
                tuple(closed),
                max(1, len(level_ends)),
                _minutes(booked_open),
                _minutes(open_today),
            )
        )
    return Layout(first.astimezone(zone), columns, tuple(hours), tuple(rows))
