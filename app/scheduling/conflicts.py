"""Schedule conflicts: what would stop a programme from running as planned.

Pure functions over plain values (`Slot`, `Room`, `Print`, `Rules`); the caller builds them.
`find_conflicts` sorts and sweeps per venue, per film and per guest (O(n log n) plus the size
of the answer); `find_conflicts_bruteforce` checks every pair and is the oracle for tests.
Both produce the same list, message for message.

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
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from heapq import heappop, heappush
from itertools import compress, islice
from operator import attrgetter
from zoneinfo import ZoneInfo

from app.scheduling.times import festival_day, is_repeated, zone_label

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

_ID = attrgetter("id")
_VENUE_ID = attrgetter("venue_id")
_STARTS_AT = attrgetter("starts_at")
_ENDS_AT = attrgetter("ends_at")
_FILM_IDS = attrgetter("film_ids")
_GUESTS = attrgetter("guests")
_TWO_DIGITS = [f"{n:02}" for n in range(60)]


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


# A finding is what a detector reports before it becomes a Conflict:
# (kind, slot indexes in time order, minutes, detail for the message).
Finding = tuple[str, tuple[int, ...], int, object]


def find_conflicts(
    slots: Iterable[Slot], rooms: Mapping[int, Room], prints: Mapping[int, Print], rules: Rules
) -> list[Conflict]:
    """Every conflict, errors first, then by day, start time, kind."""
    p = _Programme(slots, rooms, prints, rules)
    # Group slot indexes per venue, film and guest, visiting them in time order so that every
    # group comes out sorted. Plain ints, no per-slot tuples: this runs on 100,000 slots.
    by_venue: dict[int, list[int]] = defaultdict(list)
    by_film: dict[int, list[int]] = defaultdict(list)
    by_guest: dict[str, list[int]] = defaultdict(list)
    order = p.order
    in_order = zip(order, map(p.venues.__getitem__, order), map(p.films.__getitem__, order), strict=True)
    for i, venue_id, films in in_order:
        by_venue[venue_id].append(i)
        for film_id in films:
            by_film[film_id].append(i)
    for i in compress(order, map(_GUESTS, map(p.slots.__getitem__, order))):
        for key in p.guest_keys(i):
            by_guest[key].append(i)
    out: list[Finding] = []
    _sweep_venues(p, by_venue, out)
    _sweep_prints(p, by_film, out)
    _sweep_guests(p, by_guest, out)
    _check_availability(p, by_venue, out)
    _check_overruns(p, out)
    _check_festival_days(p, out)
    return p.conflicts(out)


def conflicts_of(screening_id: int, conflicts: Iterable[Conflict]) -> list[Conflict]:
    """The conflicts that involve one screening."""
    return [c for c in conflicts if screening_id in c.screening_ids]


def error_conflicts_with(
    candidate: Slot,
    others: Iterable[Slot],
    rooms: Mapping[int, Room],
    prints: Mapping[int, Print],
    rules: Rules,
) -> list[Conflict]:
    """The error-level conflicts `candidate` would have with `others` (to refuse a confirmation).

    Includes the candidate's own venue_unavailable; ignores any slot of `others` with the
    candidate's id (its stored, older self) and conflicts among `others` alone.
    """
    if candidate.status == CANCELLED:
        return []
    films = set(candidate.film_ids)
    related = [
        other
        for other in others
        if other.id != candidate.id and (other.venue_id == candidate.venue_id or not films.isdisjoint(other.film_ids))
    ]
    return [
        conflict
        for conflict in find_conflicts([*related, candidate], rooms, prints, rules)
        if conflict.severity == ERROR and candidate.id in conflict.screening_ids
    ]


def find_conflicts_bruteforce(
    slots: Iterable[Slot], rooms: Mapping[int, Room], prints: Mapping[int, Print], rules: Rules
) -> list[Conflict]:
    """Pairwise O(n^2) oracle, for tests and the benchmark only."""
    p = _Programme(slots, rooms, prints, rules)
    starts, ends, films = p.starts, p.ends, p.films
    venue = [slot.venue_id for slot in p.slots]
    guests = [set(p.guest_keys(i)) for i in range(len(p.slots))]
    order = sorted(range(len(p.slots)), key=p.time_key)
    # hold[i][film]: when screening i lets go of the film's print (see the module docstring)
    transfer = rules.print_transfer_minutes * 60
    hold: list[dict[int, int]] = [{} for _ in p.slots]
    for film in {film for i in order for film in films[i]}:
        showing = [i for i in order if film in films[i]]
        for i, following in zip(showing, [*showing[1:], None], strict=True):
            moves = following is not None and venue[following] != venue[i]
            hold[i][film] = ends[i] + (transfer if moves else 0)

    out: list[Finding] = []
    for n, b in enumerate(order):
        sb, eb = starts[b], ends[b]
        earlier = order[:n]
        same_room = [a for a in earlier if venue[a] == venue[b]]
        for a in same_room:
            shared = min(ends[a], eb) - max(starts[a], sb)
            if shared > 0:
                out.append((VENUE_OVERLAP, (a, b), _minutes(shared), None))
        if same_room:
            free_at = max(ends[a] for a in same_room)
            last = [a for a in same_room if ends[a] == free_at][-1]
            need = p.room(venue[b]).turnaround_minutes * 60
            if free_at <= sb and sb - free_at < need:
                out.append((TURNAROUND, (last, b), _minutes(need - (sb - free_at)), sb - free_at))
        for film in films[b]:
            holders = [a for a in earlier if film in hold[a] and hold[a][film] > sb]
            if len(holders) >= p.copies(film):
                first_free = min(hold[a][film] for a in holders)
                detail = (film, tuple((a, hold[a][film]) for a in holders))
                out.append((PRINT_CLASH, (*holders, b), _minutes(first_free - sb), detail))
        for a in earlier if guests[b] else ():
            shared = min(ends[a], eb) - max(starts[a], sb)
            if guests[a] & guests[b] and shared > 0:
                out.append((GUEST_CLASH, (a, b), _minutes(shared), tuple(sorted(guests[a] & guests[b]))))
        windows = p.windows(venue[b])
        if windows is not None:
            spans = list(zip(*windows, strict=True))
            if not any(ws <= sb and eb <= we for ws, we in spans):
                inside = sum(max(0, min(eb, we) - max(sb, ws)) for ws, we in spans)
                out.append((VENUE_UNAVAILABLE, (b,), _minutes(eb - sb - inside), None))
        day = festival_day(p.slots[b].starts_at, rules.zone, rules.day_starts_at)
        if not rules.starts_on <= day <= rules.ends_on:
            out.append((OUTSIDE_FESTIVAL, (b,), 0, day))
    _check_overruns(p, out)
    return p.conflicts(out)


# --- the sweeps ----------------------------------------------------------------------------


def _sweep_venues(p: _Programme, by_venue: dict[int, list[int]], out: list[Finding]) -> None:
    starts, ends = p.starts, p.ends
    for venue_id, group in by_venue.items():
        need = p.room(venue_id).turnaround_minutes * 60
        active: list[int] = []  # screenings that may still be running
        free_at = last = None  # when the room is next free, and which screening frees it
        for i in group:
            s, e = starts[i], ends[i]
            if free_at is None:
                pass
            elif free_at > s:
                active = [a for a in active if ends[a] > s]
                if e > s:
                    for a in active:
                        shared = (ends[a] if ends[a] < e else e) - s
                        out.append((VENUE_OVERLAP, (a, i), -(-shared // 60), None))
            else:
                active.clear()
                gap = s - free_at
                if gap < need:
                    out.append((TURNAROUND, (last, i), -(-(need - gap) // 60), gap))
            if e > s:
                active.append(i)
            if free_at is None or e >= free_at:
                free_at, last = e, i


def _sweep_prints(p: _Programme, by_film: dict[int, list[int]], out: list[Finding]) -> None:
    starts, ends, venues = p.starts, p.ends, p.venues
    transfer = p.rules.print_transfer_minutes * 60
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
                if len(holding) >= p.copies(film):
                    holders = sorted(holding, key=lambda hold: p.time_key(hold[1]))
                    detail = (film, tuple((a, until) for until, a in holders))
                    ids = (*(a for _, a in holders), i)
                    out.append((PRINT_CLASH, ids, -(-(holding[0][0] - s) // 60), detail))
            before = i


def _sweep_guests(p: _Programme, by_guest: dict[str, list[int]], out: list[Finding]) -> None:
    starts, ends = p.starts, p.ends
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
    for pair, guests in shared.items():
        out.append((GUEST_CLASH, pair, _minutes(overlap[pair]), tuple(sorted(guests))))


def _check_availability(p: _Programme, by_venue: dict[int, list[int]], out: list[Finding]) -> None:
    for venue_id, group in by_venue.items():
        windows = p.windows(venue_id)
        if windows is None:
            continue
        opens, closes = windows
        for i in group:
            s, e = p.starts[i], p.ends[i]
            k = bisect_right(opens, s) - 1
            if k >= 0 and e <= closes[k]:
                continue
            inside = sum(max(0, min(e, we) - max(s, ws)) for ws, we in zip(opens, closes, strict=True))
            out.append((VENUE_UNAVAILABLE, (i,), _minutes(e - s - inside), None))


def _check_overruns(p: _Programme, out: list[Finding]) -> None:
    for i, slot in enumerate(p.slots):
        if slot.slot_minutes is not None and slot.runtime_minutes > slot.slot_minutes:
            out.append((RUNTIME_OVERRUN, (i,), slot.runtime_minutes - slot.slot_minutes, None))


def _check_festival_days(p: _Programme, out: list[Finding]) -> None:
    rules = p.rules
    first = _day_begins(rules.starts_on, rules)
    after = _day_begins(rules.ends_on + timedelta(days=1), rules)
    if first is None or after is None:
        # The clocks change right at a boundary: a start a full day clear of both (in any UTC
        # offset) is inside; the others get their festival day worked out.
        first = _wall_seconds(rules.starts_on, rules) + 86_400
        after = _wall_seconds(rules.ends_on + timedelta(days=1), rules) - 86_400
    for i, s in enumerate(p.starts):
        if s < first or s >= after:
            day = p.day(i)
            if day < rules.starts_on or day > rules.ends_on:
                out.append((OUTSIDE_FESTIVAL, (i,), 0, day))


def _day_begins(day: date, rules: Rules) -> int | None:
    """When festival day `day` begins, in epoch seconds; None if the clocks change right then.

    If the local time `day_starts_at` on `day` is neither skipped nor repeated, wall-clock
    time passes it once: every start before that instant is on an earlier festival day and
    every start from it on `day` or later.
    """
    wall = datetime.combine(day, rules.day_starts_at)
    once, twice = wall.replace(tzinfo=rules.zone), wall.replace(tzinfo=rules.zone, fold=1)
    return int(once.timestamp()) if once.utcoffset() == twice.utcoffset() else None


def _wall_seconds(day: date, rules: Rules) -> int:
    """`day_starts_at` on `day` read as if it were UTC, in epoch seconds."""
    wall = datetime.combine(day, rules.day_starts_at)
    return (wall - datetime(1970, 1, 1)) // timedelta(seconds=1)


def _minutes(seconds: int) -> int:
    return -(-seconds // 60)


# --- the programme as the checks see it, and the messages -----------------------------------


class _Programme:
    """The live (not cancelled) slots with their UTC epoch seconds, and lookups."""

    def __init__(self, slots, rooms, prints, rules: Rules) -> None:
        live = [slot for slot in slots if slot.status != CANCELLED]
        self.slots: list[Slot] = live
        # whole UTC epoch seconds, worked out once (map keeps the per-slot cost in C)
        self.starts = list(map(int, map(datetime.timestamp, map(_STARTS_AT, live))))
        self.ends = list(map(int, map(datetime.timestamp, map(_ENDS_AT, live))))
        self.films = [films if len(films) < 2 else tuple(dict.fromkeys(films)) for films in map(_FILM_IDS, live)]
        self.venues = list(map(_VENUE_ID, live))
        # time order: by start, then id, then position (two stable sorts on int keys)
        self.order = sorted(range(len(live)), key=list(map(_ID, live)).__getitem__)
        self.order.sort(key=self.starts.__getitem__)
        self.rooms, self.prints, self.rules = rooms, prints, rules
        self._windows: dict[int, tuple[list[int], list[int]] | None] = {}
        self._days: dict[int, date] = {}
        self._day_bounds: list[int] | None = None

    def time_key(self, i: int) -> tuple[int, int, int]:
        """Where slot `i` comes in time order: by start, then id, then position."""
        return self.starts[i], self.slots[i].id, i

    def room(self, venue_id: int) -> Room:
        return self.rooms.get(venue_id) or Room(venue_id, f"venue {venue_id}")

    def copies(self, film_id: int) -> int:
        found = self.prints.get(film_id)
        return max(1, found.copies) if found else 1

    def title(self, film_id: int) -> str:
        found = self.prints.get(film_id)
        return found.title if found else f"film {film_id}"

    def guest_keys(self, i: int) -> list[str]:
        return list(dict.fromkeys(k for k in map(_guest_key, self.slots[i].guests) if k))

    def windows(self, venue_id: int) -> tuple[list[int], list[int]] | None:
        """The venue's availability as merged [start, end) epoch windows, or None if any time."""
        if venue_id not in self._windows:
            spans = sorted((int(a.timestamp()), int(b.timestamp())) for a, b in self.room(venue_id).availability)
            merged: list[list[int]] = []
            for a, b in spans:
                if merged and a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                elif b > a:
                    merged.append([a, b])
            self._windows[venue_id] = ([a for a, _ in merged], [b for _, b in merged]) if spans else None
        return self._windows[venue_id]

    def day(self, i: int) -> date:
        """The festival day of live slot `i` (looked up among the festival's day boundaries)."""
        day = self._days.get(i)
        if day is None:
            rules = self.rules
            if self._day_bounds is None:
                first = rules.starts_on - timedelta(days=1)
                days = max(0, (rules.ends_on - rules.starts_on).days) + 3
                bounds = [_day_begins(first + timedelta(days=k), rules) for k in range(days)]
                self._day_bounds = [] if None in bounds else bounds
            k = bisect_right(self._day_bounds, self.starts[i]) - 1
            if 0 <= k < len(self._day_bounds) - 1:
                day = rules.starts_on + timedelta(days=k - 1)
            else:
                day = festival_day(self.slots[i].starts_at, rules.zone, rules.day_starts_at)
            self._days[i] = day
        return day

    def conflicts(self, findings: list[Finding]) -> list[Conflict]:
        """Findings as Conflicts: errors first, then by day, start time, kind."""
        keyed = []
        for kind, idxs, minutes, detail in findings:
            severity = SEVERITY[kind]
            ids = tuple(self.slots[i].id for i in idxs)
            first = idxs[0]
            message = self._message(kind, idxs, minutes, detail)
            conflict = Conflict(kind, severity, ids, max(0, minutes), message, self.day(first))
            key = (severity != ERROR, conflict.festival_day, self.starts[first], kind, ids)
            keyed.append((key, message, conflict))
        keyed.sort(key=lambda item: item[:2])
        return [conflict for _, _, conflict in keyed]

    def _hm(self, at: datetime) -> str:
        local = at.astimezone(self.rules.zone)
        text = _TWO_DIGITS[local.hour] + ":" + _TWO_DIGITS[local.minute]
        return f"{text} {zone_label(local)}" if is_repeated(local) else text

    def _span(self, i: int) -> str:
        slot = self.slots[i]
        return f"{self._hm(slot.starts_at)}–{self._hm(slot.ends_at)}"

    def _message(self, kind: str, idxs: tuple[int, ...], minutes: int, detail) -> str:
        slot = self.slots[idxs[-1]]
        room = self.room(slot.venue_id).name
        if kind == VENUE_OVERLAP:
            a, b = idxs
            return (
                f"Screenings {self.slots[a].id} ({self._span(a)}) and {slot.id} "
                f"({self._span(b)}) overlap by {minutes} minutes in {room}; "
                "move one of them or shorten it."
            )
        if kind == TURNAROUND:
            need = self.room(slot.venue_id).turnaround_minutes
            return (
                f"Screening {slot.id} starts {detail // 60} minutes after screening "
                f"{self.slots[idxs[0]].id} ends in {room}; the room needs {need} for turnaround."
            )
        if kind == RUNTIME_OVERRUN:
            return (
                f"Screening {slot.id} runs {slot.runtime_minutes} minutes but its slot is booked "
                f"for {slot.slot_minutes}; lengthen the slot or trim the intro or Q&A."
            )
        if kind == PRINT_CLASH:
            film, holders = detail
            copies = self.copies(film)
            held = ", ".join(self._holder(a, lets_go) for a, lets_go in holders)
            prints = "1 print" if copies == 1 else f"{copies} prints"
            return (
                f"{self.title(film)} has {prints}, but screening {slot.id} starts at "
                f"{self._hm(slot.starts_at)} in {room} while {held} still "
                f"{'holds it' if len(holders) == 1 else 'hold them'}: {minutes} minutes short."
            )
        if kind == GUEST_CLASH:
            a, b = idxs
            names = self._guest_names(a, detail)
            return (
                f"{names} {'is' if len(detail) == 1 else 'are'} listed at screenings "
                f"{self.slots[a].id} ({self._span(a)}, "
                f"{self.room(self.slots[a].venue_id).name}) and {slot.id} ({self._span(b)}, "
                f"{room}), which overlap by {minutes} minutes."
            )
        if kind == VENUE_UNAVAILABLE:
            return (
                f"Screening {slot.id} runs {self._span(idxs[0])} in {room}, but {minutes} minutes "
                "of it fall outside the room's availability; move it into an available window."
            )
        rules = self.rules
        return (
            f"Screening {slot.id} falls on festival day {detail.isoformat()}, outside the "
            f"festival ({rules.starts_on.isoformat()} to {rules.ends_on.isoformat()}); "
            "move it or cancel it."
        )

    def _holder(self, i: int, lets_go: int) -> str:
        slot = self.slots[i]
        room = self.room(slot.venue_id).name
        transit = _minutes(lets_go - self.ends[i])
        in_transit = f" plus {transit} minutes in transit" if transit else ""
        return f"screening {slot.id} ({room}, until {self._hm(slot.ends_at)}{in_transit})"

    def _guest_names(self, i: int, keys: tuple[str, ...]) -> str:
        guests = reversed(self.slots[i].guests)
        spelled = {_guest_key(name): " ".join(name.split()) for name in guests}
        names = [spelled[key] for key in keys]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _guest_key(name: str) -> str:
    return " ".join(name.split()).casefold()
