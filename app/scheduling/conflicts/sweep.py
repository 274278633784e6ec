"""Finding conflicts: sort once, then sweep each venue, film and guest in time order.

O(n log n) plus the size of the answer. The definitions are in `model.py`; the pairwise
oracle in `tests/scheduling/oracle.py` must find the same list, message for message.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import date, time, timedelta
from functools import lru_cache
from heapq import heappop, heappush
from itertools import chain, compress, islice
from operator import attrgetter
from zoneinfo import ZoneInfo

from app.scheduling.conflicts.findings import (
    Finding,
    GuestClash,
    Hold,
    OutsideFestival,
    PrintClash,
    RuntimeOverrun,
    Turnaround,
    VenueOverlap,
    VenueUnavailable,
)
from app.scheduling.conflicts.lineup import Lineup, day_begins, minutes_up, wall_seconds
from app.scheduling.conflicts.messages import conflicts_from
from app.scheduling.conflicts.model import Conflict, Print, Room, Rules, Slot

_GUESTS = attrgetter("guests")
# From this many screenings, `_groups` reads them in memory order and sorts each group after
GATHER_IN_MEMORY_ORDER = 20_000


def find_conflicts(
    slots: Iterable[Slot], rooms: Mapping[int, Room], prints: Mapping[int, Print], rules: Rules
) -> list[Conflict]:
    """Every conflict, errors first, then by day, start time, kind."""
    lineup = Lineup(slots, rooms, prints, rules)
    return conflicts_from(all_findings(lineup), lineup)


def all_findings(lineup: Lineup) -> list[Finding]:
    """What every check finds in the lineup (in no particular order)."""
    by_venue, by_film, by_guest = _groups(lineup, guests=True)
    found: list[Finding] = []
    _sweep_venues(lineup, by_venue, found)
    _sweep_prints(lineup, by_film, found)
    _sweep_guests(lineup, by_guest, found)
    _check_availability(lineup, by_venue, found)
    _check_overruns(lineup, found)
    _check_festival_days(lineup, found)
    return found


def venue_findings(lineup: Lineup) -> list[Finding]:
    """What is decided by each venue's screenings alone: overlaps, turnarounds, availability,
    and the single-screening checks (overruns, festival days)."""
    by_venue, _, _ = _groups(lineup, films=False)
    found: list[Finding] = []
    _sweep_venues(lineup, by_venue, found)
    _check_availability(lineup, by_venue, found)
    _check_overruns(lineup, found)
    _check_festival_days(lineup, found)
    return found


def print_findings(lineup: Lineup, films: Collection[int]) -> list[Finding]:
    """The print clashes of `films`: each decided by that film's screenings alone."""
    _, by_film, _ = _groups(lineup, venues=False)
    found: list[Finding] = []
    _sweep_prints(lineup, {f: group for f, group in by_film.items() if f in films}, found)
    return found


def guest_findings(lineup: Lineup) -> list[Finding]:
    """Guest clashes: each decided by its pair of screenings alone."""
    _, _, by_guest = _groups(lineup, venues=False, films=False, guests=True)
    found: list[Finding] = []
    _sweep_guests(lineup, by_guest, found)
    return found


def _groups(
    lineup: Lineup, venues: bool = True, films: bool = True, guests: bool = False
) -> tuple[dict[int, list[int]], dict[int, list[int]], dict[str, list[int]]]:
    """The screenings per venue, film and guest, each group in time order.

    Plain ints, no per-screening tuples: this runs on 100,000. A large lineup is gathered in
    the order the screenings were given (the order they lie in memory), then each group is
    put in time order: at 100,000, reading them in time order cost more than the sorts.
    """
    by_venue: dict[int, list[int]] = defaultdict(list)
    by_film: dict[int, list[int]] = defaultdict(list)
    by_guest: dict[str, list[int]] = defaultdict(list)
    in_memory_order = len(lineup.order) >= GATHER_IN_MEMORY_ORDER
    order: Iterable[int] = range(len(lineup.order)) if in_memory_order else lineup.order
    in_order = zip(order, map(lineup.venues.__getitem__, order), map(lineup.films.__getitem__, order), strict=True)
    if venues and films:
        for i, venue_id, film_ids in in_order:
            by_venue[venue_id].append(i)
            for film_id in film_ids:
                by_film[film_id].append(i)
    elif venues:
        for i, venue_id, _ in in_order:
            by_venue[venue_id].append(i)
    elif films:
        for i, _, film_ids in in_order:
            for film_id in film_ids:
                by_film[film_id].append(i)
    if guests:
        for i in compress(order, map(_GUESTS, map(lineup.slots.__getitem__, order))):
            for key in lineup.guest_keys(i):
                by_guest[key].append(i)
    if in_memory_order:
        in_time = lineup.rank.__getitem__
        for group in chain(by_venue.values(), by_film.values(), by_guest.values()):
            if len(group) > 1:
                group.sort(key=in_time)
    return by_venue, by_film, by_guest


def conflicts_of(screening_id: int, conflicts: Iterable[Conflict]) -> list[Conflict]:
    """The conflicts that involve one screening."""
    return [c for c in conflicts if screening_id in c.screening_ids]


def _sweep_venues(lineup: Lineup, by_venue: dict[int, list[int]], found: list[Finding]) -> None:
    """Overlaps in a venue, and screenings that start before the room is turned around."""
    starts, ends = lineup.starts, lineup.ends
    for venue_id, group in by_venue.items():
        need = lineup.room(venue_id).turnaround_minutes * 60
        active: list[int] = []  # screenings that may still be running
        free_at = last = -1  # when the room is next free, and which screening frees it (-1: none yet)
        for i in group:
            s, e = starts[i], ends[i]
            if last < 0:
                pass
            elif free_at > s:
                active = [a for a in active if ends[a] > s]
                if e > s:
                    for a in active:
                        shared = (ends[a] if ends[a] < e else e) - s
                        found.append(VenueOverlap(a, i, -(-shared // 60)))
            else:
                active.clear()
                gap = s - free_at
                if gap < need:
                    found.append(Turnaround(last, i, gap, -(-(need - gap) // 60)))
            if e > s:
                active.append(i)
            if last < 0 or e >= free_at:
                free_at, last = e, i


def _sweep_prints(lineup: Lineup, by_film: dict[int, list[int]], found: list[Finding]) -> None:
    """Screenings that start while every print of one of their films is still held."""
    starts, ends, venues = lineup.starts, lineup.ends, lineup.venues
    transfer = lineup.rules.print_transfer_minutes * 60
    for film, group in by_film.items():
        if len(group) < 2:
            continue
        holding: list[tuple[int, int]] = []  # heap of (lets go at, screening), still held
        before = group[0]
        for i in islice(group, 1, None):
            s = starts[i]
            # the screening before learns where its print goes next: that fixes its hold
            lets_go = ends[before] + (transfer if venues[before] != venues[i] else 0)
            if lets_go > s:
                heappush(holding, (lets_go, before))
            if holding:
                while holding and holding[0][0] <= s:
                    heappop(holding)
                if len(holding) >= lineup.copies(film):
                    holders = sorted(holding, key=lambda hold: lineup.time_key(hold[1]))
                    holds = tuple(Hold(a, until) for until, a in holders)
                    found.append(PrintClash(film, holds, i, -(-(holding[0][0] - s) // 60)))
            before = i


def _sweep_guests(lineup: Lineup, by_guest: dict[str, list[int]], found: list[Finding]) -> None:
    """Pairs of overlapping screenings that share guests: one finding per pair."""
    starts, ends = lineup.starts, lineup.ends
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    overlap: dict[tuple[int, int], int] = {}
    for guest, group in by_guest.items():
        active: list[int] = []
        for i in group:
            s, e = starts[i], ends[i]
            active = [a for a in active if ends[a] > s]
            if e > s:
                for a in active:
                    shared[a, i].append(guest)
                    overlap[a, i] = min(ends[a], e) - s
                active.append(i)
    for (a, b), guests in shared.items():
        found.append(GuestClash(a, b, tuple(sorted(guests)), minutes_up(overlap[a, b])))


def _check_availability(lineup: Lineup, by_venue: dict[int, list[int]], found: list[Finding]) -> None:
    """Screenings not wholly inside one of their venue's availability windows."""
    for venue_id, group in by_venue.items():
        windows = lineup.windows(venue_id)
        if windows is None:
            continue
        opens, closes = windows
        for i in group:
            s, e = lineup.starts[i], lineup.ends[i]
            k = bisect_right(opens, s) - 1
            if k >= 0 and e <= closes[k]:
                continue
            inside = sum(max(0, min(e, we) - max(s, ws)) for ws, we in zip(opens, closes, strict=True))
            found.append(VenueUnavailable(i, minutes_up(e - s - inside)))


def _check_overruns(lineup: Lineup, found: list[Finding]) -> None:
    """Screenings that run longer than their booked slot."""
    for i, slot in enumerate(lineup.slots):
        if slot.slot_minutes is not None and slot.runtime_minutes > slot.slot_minutes:
            found.append(RuntimeOverrun(i, slot.runtime_minutes - slot.slot_minutes))


@lru_cache(maxsize=256)
def _festival_span(zone: ZoneInfo, starts_on: date, ends_on: date, day_starts_at: time) -> tuple[int, int]:
    """Epoch seconds from which a start is surely on the first festival day or later, and before
    which surely on the last or earlier (made once per festival's rules: every write uses them)."""
    rules = Rules(zone, starts_on, ends_on, day_starts_at)
    first = day_begins(starts_on, rules)
    after = day_begins(ends_on + timedelta(days=1), rules)
    if first is None or after is None:
        # The clocks change right at a boundary: a start a full day clear of both (in any UTC
        # offset) is inside; the others get their festival day worked out.
        first = wall_seconds(starts_on, rules) + 86_400
        after = wall_seconds(ends_on + timedelta(days=1), rules) - 86_400
    return first, after


def _check_festival_days(lineup: Lineup, found: list[Finding]) -> None:
    """Screenings whose festival day is before the first or after the last."""
    rules = lineup.rules
    first, after = _festival_span(rules.zone, rules.starts_on, rules.ends_on, rules.day_starts_at)
    for i, s in enumerate(lineup.starts):
        if s < first or s >= after:
            day = lineup.day(i)
            if day < rules.starts_on or day > rules.ends_on:
                found.append(OutsideFestival(i, day))
