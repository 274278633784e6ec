"""Finding conflicts: sort once, then sweep each venue, film and guest in time order.

O(n log n) plus the size of the answer. The definitions are in `model.py`; the pairwise
oracle in `tests/scheduling/oracle.py` must find the same list, message for message.

The method, for 100,000 screenings in pure Python: the per-screening work stays inside C
builtins (`sorted`, `map`, `compress`, `chain`), and the exact Python logic of each sweep runs
only where a conflict can begin, a few percent of the screenings.

- Sort once per kind of group: the screenings by venue, by film, by guest, each group in time
  order (a stable sort of the time order), so that each group is a run of places in a list.
- A screening can be in conflict only while an earlier one of its group still runs (or is
  within the venue's turnaround, or the print's transfer time, of its start). The places
  where the screening just before ends that late are found in C (`_close_behind`); a run of
  conflicts can only begin at one of those.
- The sweep picks up there with the state of the screening before alone: that one was not
  in a run, so everything earlier in its group had ended by its start. It follows the run
  place by place with the exact logic and state, and stops where the group is clear again.
  (A long screening spanning many later ones keeps one run going: each later one is looked
  at once, as in a plain sweep.)
- Times are worked out once per distinct moment, guest names once per name (`lineup.py`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date, time, timedelta
from functools import lru_cache
from heapq import heappop, heappush
from itertools import chain, compress, count, islice, repeat
from operator import attrgetter, gt, is_not, itemgetter, lt, or_, sub
from typing import TypeVar
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
from app.scheduling.conflicts.lineup import Lineup, day_begins, guest_keys_by_name, minutes_up, wall_seconds
from app.scheduling.conflicts.messages import conflicts_from
from app.scheduling.conflicts.model import Conflict, Print, Room, Rules, Slot

_GUESTS = attrgetter("guests")
M = TypeVar("M", int, str)
_SLOT_MINUTES = attrgetter("slot_minutes")


def find_conflicts(
    slots: Iterable[Slot], rooms: Mapping[int, Room], prints: Mapping[int, Print], rules: Rules
) -> list[Conflict]:
    """Every conflict, errors first, then by day, start time, kind."""
    lineup = Lineup(slots, rooms, prints, rules)
    return conflicts_from(all_findings(lineup), lineup)


def all_findings(lineup: Lineup) -> list[Finding]:
    """What every check finds in the lineup (in no particular order)."""
    found: list[Finding] = []
    _sweep_venues(lineup, found)
    _sweep_prints(lineup, None, found)
    _sweep_guests(lineup, found)
    _check_availability(lineup, found)
    _check_overruns(lineup, found)
    _check_festival_days(lineup, found)
    return found


def venue_findings(lineup: Lineup) -> list[Finding]:
    """What is decided by each venue's screenings alone: overlaps, turnarounds, availability,
    and the single-screening checks (overruns, festival days)."""
    found: list[Finding] = []
    _sweep_venues(lineup, found)
    _check_availability(lineup, found)
    _check_overruns(lineup, found)
    _check_festival_days(lineup, found)
    return found


def print_findings(lineup: Lineup, films: Collection[int]) -> list[Finding]:
    """The print clashes of `films`: each decided by that film's screenings alone."""
    found: list[Finding] = []
    _sweep_prints(lineup, films, found)
    return found


def guest_findings(lineup: Lineup) -> list[Finding]:
    """Guest clashes: each decided by its pair of screenings alone."""
    found: list[Finding] = []
    _sweep_guests(lineup, found)
    return found


def conflicts_of(screening_id: int, conflicts: Iterable[Conflict]) -> list[Conflict]:
    """The conflicts that involve one screening."""
    return [c for c in conflicts if screening_id in c.screening_ids]


def _close_behind(screenings: list[int], starts: list[int], ends: list[int], reach: int) -> Iterator[int]:
    """The places `p` in `screenings` where the screening before ends less than `reach` seconds
    before screening `p` starts (or after): where a run of conflicts can begin. In C: zip the
    ends with the next starts, compare, compress."""
    following: Iterator[int] = islice(map(starts.__getitem__, screenings), 1, None)
    if reach > 0:
        following = map(sub, following, repeat(reach))
    return compress(count(1), map(gt, map(ends.__getitem__, screenings), following))


def _by_film(lineup: Lineup) -> tuple[list[int], list[int]]:
    """A place per screening and film: the screenings sorted by film, in time order within a
    film, and the film at each place; none if no film is shown twice."""
    films = lineup.films
    if lineup.one_film_each:
        film_of = list(map(itemgetter(0), films))
        if len(set(film_of)) == len(film_of):
            return [], []  # no film is shown twice
        screenings = sorted(lineup.order, key=film_of.__getitem__)
        return screenings, list(map(film_of.__getitem__, screenings))
    in_time = list(map(films.__getitem__, lineup.order))
    return _by_member(lineup.order, in_time, list(chain.from_iterable(in_time)))


def _by_member(screenings: list[int], members: list[tuple[M, ...]], member: list[M]) -> tuple[list[int], list[M]]:
    """A place per screening and member (`members[k]`: screening `screenings[k]`'s; `member`:
    them all, one after another), sorted by member, in the order of `screenings` within a
    member; and the member at each place."""
    screening = list(chain.from_iterable(map(repeat, screenings, map(len, members))))
    places = sorted(range(len(member)), key=member.__getitem__)
    return list(map(screening.__getitem__, places)), list(map(member.__getitem__, places))


def _sweep_venues(lineup: Lineup, found: list[Finding]) -> None:
    """Overlaps in a venue, and screenings that start before the room is turned around.

    A screening needs looking at only if the room is not free `turnaround` before it starts;
    the earliest of a run of those follows one that left the room free in time, so the state
    the run starts from is that screening's alone.
    """
    starts, ends, venues = lineup.starts, lineup.ends, lineup.venues
    need = {venue_id: lineup.room(venue_id).turnaround_minutes * 60 for venue_id in set(venues)}
    screenings = sorted(lineup.order, key=venues.__getitem__)  # by venue, in time order
    done = -1  # the last place looked at
    for p in _close_behind(screenings, starts, ends, max(need.values(), default=0)):
        if p <= done:
            continue
        venue_id = venues[screenings[p]]
        turnaround = need[venue_id]
        before = screenings[p - 1]
        active: list[int] = []  # the venue's screenings that may still be running
        free_at = last = -1  # when the room is next free, and which screening frees it (-1: none yet)
        if venues[before] == venue_id:
            free_at, last = _freed_by(lineup, screenings, p)
            if ends[before] > starts[before]:
                active.append(before)
        while True:
            i = screenings[p]
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
                if gap < turnaround:
                    found.append(Turnaround(last, i, gap, -(-(turnaround - gap) // 60)))
            if e > s:
                active.append(i)
            if last < 0 or e >= free_at:
                free_at, last = e, i
            done, p = p, p + 1
            # the run goes on while the room is not free in time for the next screening
            if p == len(screenings) or venues[screenings[p]] != venue_id:
                break
            if free_at + max(turnaround, 0) <= starts[screenings[p]]:
                break


def _freed_by(lineup: Lineup, screenings: list[int], p: int) -> tuple[int, int]:
    """When the room is free before place `p` starts, and which screening frees it, when the
    place before `p` (same venue) was not looked at: everything before it had ended by the
    time it started, so it frees the room (unless it ends before it starts: then look back)."""
    starts, ends, venues = lineup.starts, lineup.ends, lineup.venues
    before = screenings[p - 1]
    free_at, last = ends[before], before
    q = p - 2
    while free_at < starts[before] and q >= 0 and venues[screenings[q]] == venues[before]:
        if ends[screenings[q]] > free_at:  # strictly: on a tie the later one frees the room
            free_at, last = ends[screenings[q]], screenings[q]
        q -= 1
    return free_at, last


def _sweep_prints(lineup: Lineup, films: Collection[int] | None, found: list[Finding]) -> None:
    """Screenings that start while every print of one of their films is still held (of
    `films` only, unless None).

    A screening needs looking at only while some hold runs past its start; the earliest of a
    run of those follows one whose holds had all ended, so the run starts with no holds
    but that of the screening before it.
    """
    starts, ends, venues = lineup.starts, lineup.ends, lineup.venues
    transfer = lineup.rules.print_transfer_minutes * 60
    screenings, film_of = _by_film(lineup)
    done = -1
    for p in _close_behind(screenings, starts, ends, transfer):
        film = film_of[p]
        if p <= done or film_of[p - 1] != film or (films is not None and film not in films):
            continue
        holding: list[tuple[int, int]] = []  # heap of (lets go at, screening), still held
        copies = lineup.copies(film)
        while True:
            i, before = screenings[p], screenings[p - 1]
            s = starts[i]
            # the screening before learns where its print goes next: that fixes its hold
            lets_go = ends[before] + (transfer if venues[before] != venues[i] else 0)
            if lets_go > s:
                heappush(holding, (lets_go, before))
            while holding and holding[0][0] <= s:
                heappop(holding)
            if len(holding) >= copies:
                holders = sorted(holding, key=lambda hold: lineup.time_key(hold[1]))
                holds = tuple(Hold(a, until) for until, a in holders)
                found.append(PrintClash(film, holds, i, -(-(holding[0][0] - s) // 60)))
            done, p = p, p + 1
            # the run goes on while a hold (or this screening's, transfer included) runs on
            if p == len(screenings) or film_of[p] != film:
                break
            upto = starts[screenings[p]]
            if ends[i] + max(transfer, 0) <= upto and (not holding or max(holding)[0] <= upto):
                break


def _sweep_guests(lineup: Lineup, found: list[Finding]) -> None:
    """Pairs of overlapping screenings that share guests: one finding per pair.

    A screening needs looking at only while an earlier one with a guest of its own runs
    past its start; the earliest of a run of those follows one that had the guest alone.
    """
    starts, ends, slots = lineup.starts, lineup.ends, lineup.slots
    listed = list(map(_GUESTS, map(slots.__getitem__, lineup.order)))  # in time order
    with_guests = list(compress(lineup.order, listed))
    listed = list(compress(listed, listed))
    keys = guest_keys_by_name(list(chain.from_iterable(listed)))  # a place per screening and name
    if len(keys) < 2:
        return
    at = with_guests  # the screening at each place
    if len(keys) > len(with_guests):
        at = list(chain.from_iterable(map(repeat, with_guests, map(len, listed))))
    # each guest as a small int (sorting those is cheaper than sorting names); the sort is
    # stable, so each guest's places stay in time order
    numbers: dict[str, int] = {}
    guest_of = list(map(numbers.setdefault, keys, count()))
    places = sorted(range(len(keys)), key=guest_of.__getitem__)
    screenings = list(map(at.__getitem__, places))
    guest_of = list(map(guest_of.__getitem__, places))
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    overlap: dict[tuple[int, int], int] = {}
    done = -1
    for p in _close_behind(screenings, starts, ends, 0):
        guest = guest_of[p]
        key = keys[places[p]]
        if p <= done or guest_of[p - 1] != guest or not key:  # a blank name is nobody
            continue
        before = screenings[p - 1]
        active = [before] if ends[before] > starts[before] else []
        latest = ends[before]
        while True:
            i = screenings[p]
            if i != screenings[p - 1]:  # a guest listed twice at a screening counts once
                s, e = starts[i], ends[i]
                active = [a for a in active if ends[a] > s]
                if e > s:
                    for a in active:
                        shared[a, i].append(key)
                        overlap[a, i] = min(ends[a], e) - s
                    active.append(i)
                latest = max(latest, e)
            done, p = p, p + 1
            if p == len(screenings) or guest_of[p] != guest or latest <= starts[screenings[p]]:
                break
    for (a, b), guests in shared.items():
        found.append(GuestClash(a, b, tuple(sorted(guests)), minutes_up(overlap[a, b])))


def _check_availability(lineup: Lineup, found: list[Finding]) -> None:
    """Screenings not wholly inside one of their venue's availability windows."""
    windowed = {venue_id for venue_id in set(lineup.venues) if lineup.windows(venue_id) is not None}
    if not windowed:
        return
    for i in compress(count(), map(windowed.__contains__, lineup.venues)):
        opens, closes = lineup.windows(lineup.venues[i]) or ([], [])
        s, e = lineup.starts[i], lineup.ends[i]
        k = bisect_right(opens, s) - 1
        if k >= 0 and e <= closes[k]:
            continue
        inside = sum(max(0, min(e, we) - max(s, ws)) for ws, we in zip(opens, closes, strict=True))
        found.append(VenueUnavailable(i, minutes_up(e - s - inside)))


def _check_overruns(lineup: Lineup, found: list[Finding]) -> None:
    """Screenings that run longer than their booked slot."""
    slots = lineup.slots
    booked = list(map(_SLOT_MINUTES, slots))
    if booked.count(None) == len(booked):
        return  # no slot is booked for a length
    for i in compress(count(), map(is_not, booked, repeat(None))):
        slot = slots[i]
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
    starts = lineup.starts
    if not starts or (min(starts) >= first and max(starts) < after):
        return
    maybe_outside = map(or_, map(lt, starts, repeat(first)), map(lt, repeat(after - 1), starts))
    for i in compress(count(), maybe_outside):
        day = lineup.day(i)
        if day < rules.starts_on or day > rules.ends_on:
            found.append(OutsideFestival(i, day))
