"""The programmers' board: one festival day of the working schedule, drafts and conflicts included.

Gathers what the page shows (venues with their booked share, screenings as blocks, the day's
conflicts errors first, films not yet scheduled) and lays it out with the pure
`scheduling.board`. Edits made on the board go through the same use cases as the API
(`screenings`, `changes`, `publishing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.scheduling.board import Item, Lane, Layout, lay_out
from app.scheduling.conflicts import Conflict
from app.scheduling.times import day_bounds, festival_day
from app.scheduling.wording import KIND_NAMES, Named, describe, when
from app.services.conflict_ledgers import festival_conflicts
from app.services.rules import names_of
from app.store import repository
from app.store.models import Festival, Film
from app.store.repository import rooms_of, slots_of


@dataclass
class BoardScreening:
    id: int
    venue_id: int
    title: str
    films: list[tuple[int, str, int]]  # id, title, runtime
    starts_at: datetime  # local
    ends_at: datetime
    runtime_minutes: int
    status: str
    guests: tuple[str, ...]
    prints: str  # "DCP, 1 print"
    severity: str | None  # the worst conflict it is in
    turnaround_minutes: int

    @property
    def when(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


@dataclass
class BoardConflict:
    severity: str
    kind: str
    kind_name: str
    minutes: int
    message: str
    screenings: list[tuple[int, str]]  # id, name ("Dear Comrades! (Fri 19 Nov 22:00, Caligari)")


@dataclass
class BoardVenue:
    id: int
    name: str
    turnaround_minutes: int
    booked_minutes: int = 0
    open_minutes: int = 0

    @property
    def share(self) -> int:
        return round(100 * self.booked_minutes / self.open_minutes) if self.open_minutes else 0


@dataclass
class Board:
    festival: Festival
    day: date
    days: list[date]
    venues: list[BoardVenue]
    layout: Layout
    screenings: dict[int, BoardScreening]
    conflicts: list[BoardConflict]
    unscheduled: list[Film]
    films: list[Film] = field(default_factory=list)


def festival_days(festival: Festival) -> list[date]:
    return [festival.starts_on + timedelta(days=n) for n in range((festival.ends_on - festival.starts_on).days + 1)]


def _prints(film: Film) -> str:
    copies = f"{film.copies} print{'s' if film.copies != 1 else ''}"
    return f"{film.format}, {copies}" if film.format else copies


def board_of(session: Session, festival: Festival, day: date | None) -> Board:
    """The board of one festival day (the first, when `day` is None or outside the festival)."""
    days = festival_days(festival)
    if day not in days:
        day = days[0]
    zone = ZoneInfo(festival.timezone)
    opens, closes = day_bounds(day, zone, festival.day_starts_at)
    rooms = rooms_of(session, festival.id)
    films = repository.films_of_festival(session, festival.id)
    by_film = {f.id: f for f in films}
    slots = [s for s in slots_of(session, festival, around=(opens, closes)) if opens <= s.starts_at < closes]
    conflicts = festival_conflicts(session, festival)
    worst: dict[int, str] = {}
    for conflict in conflicts:
        for screening_id in conflict.screening_ids:
            if worst.get(screening_id) != "error":
                worst[screening_id] = conflict.severity
    own_titles = repository.screening_titles(session, [s.id for s in slots])
    screenings: dict[int, BoardScreening] = {}
    for slot in slots:
        shown = [by_film[f] for f in slot.film_ids if f in by_film]
        room = rooms.get(slot.venue_id)
        screenings[slot.id] = BoardScreening(
            id=slot.id,
            venue_id=slot.venue_id,
            title=own_titles.get(slot.id) or " + ".join(f.title for f in shown),
            films=[(f.id, f.title, f.runtime_minutes) for f in shown],
            starts_at=slot.starts_at.astimezone(zone),
            ends_at=slot.ends_at.astimezone(zone),
            runtime_minutes=slot.runtime_minutes,
            status=slot.status,
            guests=slot.guests,
            prints="; ".join(_prints(f) for f in shown),
            severity=worst.get(slot.id),
            turnaround_minutes=room.turnaround_minutes if room else 15,
        )
    venues = sorted(
        (BoardVenue(r.id, r.name, r.turnaround_minutes) for r in rooms.values()),
        key=lambda v: (v.name.casefold(), v.id),
    )
    lanes = [Lane(v.id, v.turnaround_minutes, rooms[v.id].availability) for v in venues]
    layout = lay_out(
        opens, closes, zone, lanes, [Item(s.id, s.venue_id, s.starts_at, s.ends_at, s.status) for s in slots]
    )
    for venue, row in zip(venues, layout.rows, strict=True):
        venue.booked_minutes, venue.open_minutes = row.booked_minutes, row.open_minutes
    scheduled = repository.scheduled_film_ids(session, festival.id)
    return Board(
        festival=festival,
        day=day,
        days=days,
        venues=venues,
        layout=layout,
        screenings=screenings,
        conflicts=_day_conflicts(session, festival, conflicts, day, zone, rooms, by_film),
        unscheduled=[f for f in films if f.id not in scheduled],
        films=films,
    )


def _day_conflicts(
    session: Session,
    festival: Festival,
    conflicts: list[Conflict],
    day: date,
    zone: ZoneInfo,
    rooms,
    films: dict[int, Film],
) -> list[BoardConflict]:
    """The day's conflicts, errors first, each naming its screenings by films, day, time and venue."""
    mine = [c for c in conflicts if c.festival_day == day]
    ids = sorted({i for c in mine for i in c.screening_ids})
    slots = {s.id: s for s in slots_of(session, festival, ids=ids)} if ids else {}
    names: dict[int, Named] = {}
    for screening_id, slot in slots.items():
        title = " + ".join(films[f].title for f in slot.film_ids if f in films)
        room = rooms.get(slot.venue_id)
        names[screening_id] = Named(title, slot.starts_at.astimezone(zone), room.name if room else "?")
    return [
        BoardConflict(
            c.severity,
            c.kind,
            KIND_NAMES.get(c.kind, c.kind),
            c.minutes,
            describe(c, names),
            [(i, str(names[i]) if i in names else f"screening {i}") for i in c.screening_ids],
        )
        for c in sorted(mine, key=lambda c: c.severity != "error")
    ]


def day_of(festival: Festival, at: datetime) -> date:
    """The festival day a (stored or typed) start belongs to."""
    zone = ZoneInfo(festival.timezone)
    return festival_day(at, zone, festival.day_starts_at)


def changelog_lines(changelog: list[dict], zone: ZoneInfo) -> list[dict]:
    """Changelog entries worded for the board's preview: kind, title, before and after as "Fri 19 Nov 22:00, X"."""

    def place(where: dict | None) -> str | None:
        if not where:
            return None
        return f"{when(datetime.fromisoformat(where['starts_at']).astimezone(zone))}, {where['venue']}"

    return [
        {
            "kind": e["kind"],
            "title": e["title"],
            "screening_id": e["screening_id"],
            "before": place(e.get("before")),
            "after": place(e.get("after")),
        }
        for e in changelog
    ]


def named_conflicts(session: Session, festival: Festival) -> list[tuple[Conflict, str, str]]:
    """Every conflict of the festival, errors first, with when it happens ("Fri 19 Nov 22:00") and
    a sentence naming its screenings by films, day, time and venue (for `marquee conflicts`)."""
    conflicts = festival_conflicts(session, festival)
    ids = sorted({i for c in conflicts for i in c.screening_ids})
    names = names_of(session, festival, slots_of(session, festival, ids=ids)) if ids else {}
    return [
        (
            c,
            when(names[c.screening_ids[0]].starts_at) if c.screening_ids[0] in names else str(c.festival_day),
            describe(c, names),
        )
        for c in conflicts
    ]
