"""Schedule conflicts: the kinds, what each one means, and the values the engine reads and writes.

The caller builds plain values (`Slot`, `Room`, `Print`, `Rules`); `find_conflicts` (in
`sweep.py`) answers `Conflict`s. The pairwise oracle in `tests/scheduling/oracle.py` checks
the sweep against these definitions, message for message.

Definitions (every interval is half-open, [start, end), compared in absolute time at
whole-second resolution; minutes are rounded up; cancelled screenings take part in nothing):

- venue_overlap (error): one conflict per pair of screenings in a venue whose intervals share
  time; `minutes` is the shared time. A long screening overlapping three later ones gives three.
- turnaround (warning): the room is free from the latest end among the venue's screenings that
  started before (start, then id, orders ties); a screening starting after that, but sooner
  than the venue's `turnaround_minutes`, is short by `minutes`. The pair named is that
  latest-ending screening and this one. A screening that overlaps gets venue_overlap instead.
- runtime_overrun (warning): `slot_minutes` is set and `runtime_minutes` is longer.
- print_clash (error): for each film, take its screenings in (start, id) order. A screening
  holds a print over [start, end + print_transfer_minutes) when the film's next screening is
  in another venue, else over [start, end). When a screening starts while `copies` (or more)
  of those holds are still running, it clashes: `screening_ids` are the holders and it,
  `minutes` is how long until the first holder lets go. Exact for one copy. With several,
  it does not track which print goes where, so it can flag a clash that another assignment of
  prints avoids, or miss one caused by a transfer to a later screening than the next one.
  A film missing from `prints` counts as one copy; fewer than one counts as one.
- guest_clash (warning): one conflict per pair of overlapping screenings that share a guest,
  naming every shared guest (compared case-insensitively, whitespace collapsed, spelled as the
  earlier screening lists them); `minutes` is the overlap.
- venue_unavailable (error): the venue lists availability windows (merged where they touch or
  overlap) and the screening is not wholly inside one; `minutes` is the part outside them.
- outside_festival (warning): the screening's festival day (see `times.festival_day`) is
  before `starts_on` or after `ends_on`; `minutes` is 0.

A venue missing from `rooms` is taken as a room with default turnaround and no windows; a film
listed twice in one screening counts once. `Conflict.festival_day` is the festival day of the
first screening named. Zero-length screenings overlap nothing (runtimes are positive anyway).
The list comes errors first, then by festival day, start of the first screening named, kind,
screening ids and message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

VENUE_OVERLAP = "venue_overlap"
TURNAROUND = "turnaround"
RUNTIME_OVERRUN = "runtime_overrun"
PRINT_CLASH = "print_clash"
GUEST_CLASH = "guest_clash"
VENUE_UNAVAILABLE = "venue_unavailable"
OUTSIDE_FESTIVAL = "outside_festival"

ERROR = "error"
WARNING = "warning"

SEVERITY: dict[str, str] = {
    VENUE_OVERLAP: ERROR,
    TURNAROUND: WARNING,
    RUNTIME_OVERRUN: WARNING,
    PRINT_CLASH: ERROR,
    GUEST_CLASH: WARNING,
    VENUE_UNAVAILABLE: ERROR,
    OUTSIDE_FESTIVAL: WARNING,
}

CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Slot:
    """One screening as the sweep sees it."""

    id: int
    venue_id: int
    starts_at: datetime  # aware
    ends_at: datetime  # aware: starts_at + runtime in absolute time
    film_ids: tuple[int, ...]
    guests: tuple[str, ...] = ()
    status: str = "confirmed"  # draft | confirmed | cancelled
    slot_minutes: int | None = None
    runtime_minutes: int = 0


@dataclass(frozen=True, slots=True)
class Room:
    """A venue: one screening at a time, a least gap between them, optional windows."""

    id: int
    name: str
    turnaround_minutes: int = 15
    availability: tuple[tuple[datetime, datetime], ...] = ()  # empty: the whole festival


@dataclass(frozen=True, slots=True)
class Print:
    """How many prints of a film the festival has."""

    film_id: int
    title: str
    copies: int = 1


@dataclass(frozen=True, slots=True)
class Rules:
    """Festival-wide settings the checks need."""

    zone: ZoneInfo
    starts_on: date
    ends_on: date
    day_starts_at: time = time(6)
    print_transfer_minutes: int = 30


@dataclass(frozen=True, slots=True)
class Conflict:
    """A problem in the programme, with a sentence saying what to fix."""

    kind: str
    severity: str
    screening_ids: tuple[int, ...]  # in time order
    minutes: int  # overlap, shortfall or overrun, rounded up
    message: str
    festival_day: date  # of the earliest screening involved
