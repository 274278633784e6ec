"""The grid view's geometry: per festival day, venues as columns and minutes as rows.

Offsets and lengths are in elapsed minutes from the top of the day's grid, so a screening's
block is exactly as tall as its runtime, a screening past midnight extends below the last
evening hour, and a day with a daylight-saving change still lines up with its hour marks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.printing import labels
from app.printing.model import DayGroup, ScreeningRow
from app.scheduling.programme import Programme, VenueInfo
from app.scheduling.times import add_minutes, minutes_between


@dataclass(frozen=True)
class GridBlock:
    row: ScreeningRow
    offset: float  # minutes from the top of the grid
    length: int  # minutes: the screening's runtime
    lane: int = 0  # side-by-side position when blocks in one venue overlap (e.g. cancelled)
    lanes: int = 1


@dataclass(frozen=True)
class GridColumn:
    venue: VenueInfo
    blocks: tuple[GridBlock, ...]


@dataclass(frozen=True)
class HourMark:
    offset: float
    label: str


@dataclass(frozen=True)
class GridPage:
    """The venues of one day that fit side by side on one page (all of them on screen)."""

    columns: tuple[GridColumn, ...]
    part: int
    parts: int


@dataclass(frozen=True)
class GridDay:
    day: DayGroup
    span: int  # minutes from the top to the bottom of the grid
    hours: tuple[HourMark, ...]
    pages: tuple[GridPage, ...]


def _lay_out_lanes(blocks: list[GridBlock]) -> tuple[GridBlock, ...]:
    """Put overlapping blocks of one venue side by side (greedy interval colouring)."""
    lane_ends: list[float] = []
    lanes: list[int] = []
    for block in blocks:
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= block.offset:
                lane_ends[lane] = block.offset + block.length
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(block.offset + block.length)
        lanes.append(lane)
    count = max(len(lane_ends), 1)
    return tuple(
        GridBlock(block.row, block.offset, block.length, lane, count) for block, lane in zip(blocks, lanes, strict=True)
    )


def grid_day(programme: Programme, day: DayGroup, venues_per_page: int | None = None) -> GridDay:
    """Lay out one festival day: the grid runs from the hour before its first start to the
    hour after its last end."""
    first = min(row.starts_at for row in day.rows)
    top = first.replace(minute=0, second=0, microsecond=0)
    last_end = max(minutes_between(top, row.ends_at) for row in day.rows)
    span = max(60, math.ceil(last_end / 60) * 60)
    # each mark says the wall clock at its instant, in the festival's zone (not in the first
    # screening's offset): after a change of the clocks the marks read on from the new time
    zone = programme.festival.zone
    hours = tuple(
        HourMark(float(offset), labels.clock(add_minutes(top, offset), zone)) for offset in range(0, span + 1, 60)
    )
    columns = []
    for venue in programme.venues:
        rows = [row for row in day.rows if row.venue.id == venue.id]
        if not rows:
            continue
        blocks = [GridBlock(row, minutes_between(top, row.starts_at), row.runtime) for row in rows]
        blocks.sort(key=lambda block: (block.offset, block.row.cancelled, block.row.id))
        columns.append(GridColumn(venue, _lay_out_lanes(blocks)))
    size = venues_per_page or max(len(columns), 1)
    chunks = [columns[start : start + size] for start in range(0, len(columns), size)]
    pages = tuple(GridPage(tuple(chunk), part, len(chunks)) for part, chunk in enumerate(chunks, start=1))
    return GridDay(day, span, hours, pages)


def grid_days(programme: Programme, days: Sequence[DayGroup], venues_per_page: int | None = None) -> list[GridDay]:
    """The grid of every festival day that has screenings."""
    return [grid_day(programme, day, venues_per_page) for day in days if day.rows]
