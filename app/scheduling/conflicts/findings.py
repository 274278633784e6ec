"""What a check finds, before it becomes a `Conflict`: one small record per kind.

A finding names screenings by their index in `Lineup.slots` (not by id); `screenings` lists
them in time order. `minutes` is rounded up, as in `Conflict.minutes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from app.scheduling.conflicts.model import (
    GUEST_CLASH,
    OUTSIDE_FESTIVAL,
    PRINT_CLASH,
    RUNTIME_OVERRUN,
    TURNAROUND,
    VENUE_OVERLAP,
    VENUE_UNAVAILABLE,
)


@dataclass(frozen=True, slots=True)
class VenueOverlap:
    """Two screenings in one venue share `minutes` of time."""

    kind: ClassVar[str] = VENUE_OVERLAP
    earlier: int
    later: int
    minutes: int

    @property
    def screenings(self) -> tuple[int, ...]:
        """The two screenings, in time order."""
        return self.earlier, self.later


@dataclass(frozen=True, slots=True)
class Turnaround:
    """`later` starts `gap_seconds` after `earlier` frees the room: `minutes` too soon."""

    kind: ClassVar[str] = TURNAROUND
    earlier: int
    later: int
    gap_seconds: int
    minutes: int

    @property
    def screenings(self) -> tuple[int, ...]:
        """The screening that frees the room, then the one that starts too soon."""
        return self.earlier, self.later


@dataclass(frozen=True, slots=True)
class RuntimeOverrun:
    """A screening runs `minutes` longer than its booked slot."""

    kind: ClassVar[str] = RUNTIME_OVERRUN
    screening: int
    minutes: int

    @property
    def screenings(self) -> tuple[int, ...]:
        """The screening alone."""
        return (self.screening,)


@dataclass(frozen=True, slots=True)
class Hold:
    """A screening keeps a film's print until `until` (epoch seconds), transit included."""

    screening: int
    until: int


@dataclass(frozen=True, slots=True)
class PrintClash:
    """`screening` starts while every print of `film_id` is held; the first is free in `minutes`."""

    kind: ClassVar[str] = PRINT_CLASH
    film_id: int
    holders: tuple[Hold, ...]  # in time order
    screening: int
    minutes: int

    @property
    def screenings(self) -> tuple[int, ...]:
        """The holders, then the screening that finds no print."""
        return (*(hold.screening for hold in self.holders), self.screening)


@dataclass(frozen=True, slots=True)
class GuestClash:
    """Overlapping screenings share the guests `guest_keys` (see `guest_key`) for `minutes`."""

    kind: ClassVar[str] = GUEST_CLASH
    earlier: int
    later: int
    guest_keys: tuple[str, ...]  # sorted
    minutes: int

    @property
    def screenings(self) -> tuple[int, ...]:
        """The two screenings, in time order."""
        return self.earlier, self.later


@dataclass(frozen=True, slots=True)
class VenueUnavailable:
    """`minutes` of a screening fall outside its venue's availability windows."""

    kind: ClassVar[str] = VENUE_UNAVAILABLE
    screening: int
    minutes: int

    @property
    def screenings(self) -> tuple[int, ...]:
        """The screening alone."""
        return (self.screening,)


@dataclass(frozen=True, slots=True)
class OutsideFestival:
    """A screening's festival day `day` is not one of the festival's."""

    kind: ClassVar[str] = OUTSIDE_FESTIVAL
    minutes: ClassVar[int] = 0
    screening: int
    day: date

    @property
    def screenings(self) -> tuple[int, ...]:
        """The screening alone."""
        return (self.screening,)


Finding = VenueOverlap | Turnaround | RuntimeOverrun | PrintClash | GuestClash | VenueUnavailable | OutsideFestival
