"""Where a film can still go: the start times at which a proposed screening fits the programme.

`free_starts` answers, venue by venue, the start times on a wall-clock grid at which a new
screening of some films, lasting `runtime_minutes` (intro, films and Q&A), would have no
*blocking* conflict with the screenings already planned. Blocking means, in the terms of
`app.scheduling.conflicts` (whose definitions this module mirrors to the second):

- every error: venue_overlap, print_clash, venue_unavailable;
- turnaround, although the engine calls it a warning: a free slot should leave the room its
  cleaning time, before and after, rather than offer a start the board would then flag;
- guest_clash, although a warning: a guest cannot be in two places, so a screening with
  guests fits only where none of them is already at an overlapping screening;
- outside_festival, although a warning: the start's festival day must lie within the
  festival's dates (and be `day`, when one is asked for).

runtime_overrun cannot arise (the proposal books no slot length). So a start is offered
exactly when inserting the proposal as a confirmed screening, with an id above every other
(so it comes after any screening starting at the same instant, as a new one would), and
running `find_conflicts` names it in no conflict other than runtime_overrun. Only conflicts
that name the proposal count, as for `error_conflicts_with`: with several copies of a film,
the engine can blame a clash that a new screening causes on other screenings (see the
print_clash caveat in conflicts.py), and such a clash does not make the start unfit.

The existing screenings counted are the drafts and the confirmed ones (`against="all"`), or
only the confirmed ones (`against="confirmed"`); cancelled ones never; `ignoring` leaves out
given ids (a screening being moved). The grid: every `step` minutes of local wall-clock time
from midnight (so on the hour for any step dividing 60), in the festival's zone; a wall time
the clocks skip is never offered, and on the night the clocks go back both occurrences of a
repeated wall time may be (02:30 summer time, then 02:30 winter time, in Europe/Berlin).
Ends are `runtime_minutes` of real time later. Every instant is compared in whole UTC
seconds, as the engine does.

How: no trial insert per candidate. Each condition is turned into the set of start instants
it blocks, as sorted intervals: per venue the busy intervals (merged after one sort) and the
availability windows; per film a sweep over its screenings in time order that finds, for
each stretch between two consecutive starts, the starts at which one more screening would
need more prints than there are (see `_film_blocks`); per guest the screenings they attend.
The festival's days, `day`, `earliest` and `latest` bound a grid of wall-clock starts; every
interval is mapped to the grid's indexes (an empty one vanishes), and the grid indexes left
free are the answer. Cost: O((n + answers) log n) for n screenings; besides, the zone's
offset is looked up once an hour over the dates asked, and the grid's index takes one slot
per grid point (a list allocated in C).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from heapq import heappop, heappush, heapreplace
from itertools import compress, repeat
from operator import attrgetter, itemgetter, not_
from typing import Literal
from zoneinfo import ZoneInfo

from app.scheduling.conflicts import CANCELLED, Print, Room, Rules, Slot
from app.scheduling.times import local_time

Against = Literal["all", "confirmed"]
Span = tuple[int, int]  # [start, end), in epoch seconds or in grid indexes

CONFIRMED = "confirmed"
_NEVER = -(2**62)  # before any instant
_FOREVER = 2**62  # after any instant
_END = itemgetter(1)
_VENUE_ID = attrgetter("venue_id")
_STARTS_AT = attrgetter("starts_at")
_ENDS_AT = attrgetter("ends_at")
_FILM_IDS = attrgetter("film_ids")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WALL_EPOCH = datetime(1970, 1, 1)
_SECOND = timedelta(seconds=1)
_HOUR = 3600
_MARGIN = 26 * _HOUR  # more than any UTC offset


# (venue_id, starts_at, ends_at): where and when the proposed screening fits; both times aware
# in the festival's zone, ends_at being starts_at plus the runtime in absolute time. A plain
# tuple: a NamedTuple costs three times as much to make, and answers run to 100,000.
FreeStart = tuple[int, datetime, datetime]


def free_starts(
    film_ids: Sequence[int],
    runtime_minutes: int,
    screenings: Iterable[Slot],
    rooms: Mapping[int, Room],
    prints: Mapping[int, Print],
    rules: Rules,
    *,
    guests: Iterable[str] = (),
    day: date | None = None,
    venue_ids: Iterable[int] | None = None,
    earliest: datetime | None = None,
    latest: datetime | None = None,
    step: int = 5,
    against: Against = "all",
    ignoring: Collection[int] = (),
) -> list[FreeStart]:
    """Every grid start at which a screening of `film_ids` fits with no blocking conflict.

    `rooms` are the festival's venues (all of them are searched unless `venue_ids` narrows
    it; an id missing from `rooms` counts as a room with default turnaround, always
    available); `prints` the films' copies; `guests` the proposal's guests. `day` is a
    festival day; `earliest` and `latest` bound the start (inclusive; a naive time is local).
    Ordered by venue id, then start. Raises ValueError for a runtime under one minute, no
    films, or a `step` that does not divide a day into whole minutes.
    """
    if runtime_minutes < 1:
        raise ValueError("a screening runs at least one minute")
    if not film_ids:
        raise ValueError("a screening shows at least one film")
    if step < 1 or 1440 % step:
        raise ValueError(f"step must be a whole number of minutes that divides a day (1440), not {step}")
    if against not in ("all", CONFIRMED):
        raise ValueError(f"against must be 'all' or 'confirmed', not {against!r}")
    zone = rules.zone
    grid = _grid(rules, day, earliest, latest, step)
    venues = sorted(rooms if venue_ids is None else set(venue_ids))
    if not grid.size or not venues:
        return []

    live = [
        slot
        for slot in screenings
        if slot.status != CANCELLED and (against == "all" or slot.status == CONFIRMED) and slot.id not in ignoring
    ]
    # whole UTC seconds, as the engine has them; map keeps the per-screening work in C
    starts = list(map(int, map(datetime.timestamp, map(_STARTS_AT, live))))
    ends = list(map(int, map(datetime.timestamp, map(_ENDS_AT, live))))
    length = runtime_minutes * 60

    # blocked in every venue alike: the guests' other screenings, and each film's prints as
    # seen from a venue that shows neither neighbouring screening (see `_film_blocks`)
    keys = {_guest_key(name) for name in guests} - {""}
    guest_spans = [
        (starts[i] - length + 1, ends[i])
        for i in (range(len(live)) if keys else ())
        if ends[i] > starts[i] and not keys.isdisjoint(map(_guest_key, live[i].guests))
    ]
    wanted = set(venues)
    everywhere: list[Span] = [*guest_spans]
    generic_by_film: dict[int, list[Span]] = {}
    overrides: dict[int, list[_Override]] = defaultdict(list)
    for film, group in _screenings_by_film(live, starts, film_ids).items():
        found = prints.get(film)
        generic, special = _film_blocks(
            [starts[i] for i in group],
            [ends[i] for i in group],
            [live[i].venue_id for i in group],
            max(1, found.copies) if found else 1,
            rules.print_transfer_minutes * 60,
            length,
            wanted,
        )
        everywhere.extend(generic)
        generic_by_film[film] = _union(grid.spans(generic))
        for venue_id, stretch, spans in special:
            where = grid.span(stretch)
            if where[0] < where[1]:
                overrides[venue_id].append((film, where, _union(grid.spans(spans))))
    blocked = _union(grid.spans(everywhere))
    guests_blocked = _union(grid.spans(guest_spans))

    # per venue: free where the room is available and not busy, less what is blocked
    in_venue: dict[int, list[int]] = {venue_id: [] for venue_id in venues}
    for i, venue_id in enumerate(map(_VENUE_ID, live)):
        if venue_id in in_venue:
            in_venue[venue_id].append(i)
    free_by_venue: list[tuple[int, list[Span]]] = []
    for venue_id in venues:
        room = rooms.get(venue_id) or Room(venue_id, f"venue {venue_id}")
        free = _room_free(room, in_venue[venue_id], starts, ends, length, grid)
        if venue_id in overrides:
            free = _minus_in_venue(free, blocked, guests_blocked, generic_by_film, overrides[venue_id])
        else:
            free = _minus(free, blocked)
        if free:
            free_by_venue.append((venue_id, free))
    return _answers(free_by_venue, grid, zone, length)


# --- the grid of wall-clock starts ---------------------------------------------------------


class _Grid:
    """The starts on offer: wall-clock multiples of the step within the allowed instants.

    Stored as runs of evenly spaced epoch seconds (one per stretch of constant UTC offset);
    grid point `i` is the i-th start in time order. `span` maps an interval of instants to the
    interval of grid indexes inside it, so that interval arithmetic on indexes is exact for
    grid points and an interval holding no grid point vanishes.
    """

    def __init__(self, runs: list[tuple[int, int]], step_seconds: int) -> None:
        self.firsts = [first for first, _ in runs]
        self.counts = [count for _, count in runs]
        self.bases: list[int] = []
        total = 0
        for count in self.counts:
            self.bases.append(total)
            total += count
        self.size = total
        self.step = step_seconds

    def below(self, t: int) -> int:
        """How many grid points come before instant `t`."""
        k = bisect_left(self.firsts, t) - 1
        if k < 0:
            return 0
        return self.bases[k] + min(self.counts[k], (t - self.firsts[k] + self.step - 1) // self.step)

    def span(self, span: Span) -> Span:
        """The grid indexes of the points in a [start, end) interval of instants."""
        return self.below(span[0]), self.below(span[1])

    def spans(self, spans: Iterable[Span]) -> list[Span]:
        """`span` for many intervals at once, leaving out those holding no grid point."""
        firsts, counts, bases, step = self.firsts, self.counts, self.bases, self.step
        out: list[Span] = []
        for a, b in spans:
            k = bisect_left(firsts, a) - 1
            lo = 0 if k < 0 else bases[k] + min(counts[k], (a - firsts[k] + step - 1) // step)
            k = bisect_left(firsts, b) - 1
            hi = 0 if k < 0 else bases[k] + min(counts[k], (b - firsts[k] + step - 1) // step)
            if lo < hi:
                out.append((lo, hi))
        return out

    def seconds(self, lo: int, hi: int) -> list[int]:
        """The instants of grid points lo to hi - 1."""
        out: list[int] = []
        k = bisect_right(self.bases, lo) - 1
        while lo < hi:
            first, base, count = self.firsts[k], self.bases[k], self.counts[k]
            upto = min(hi, base + count)
            out.extend(range(first + (lo - base) * self.step, first + (upto - base) * self.step, self.step))
            lo, k = upto, k + 1
        return out


def _grid(rules: Rules, day: date | None, earliest: datetime | None, latest: datetime | None, step: int) -> _Grid:
    """The grid of starts whose festival day is in the festival (and is `day`) within the bounds."""
    first_day, last_day = rules.starts_on, rules.ends_on
    if day is not None:
        first_day, last_day = max(first_day, day), min(last_day, day)
    if first_day > last_day:
        return _Grid([], step * 60)
    # a festival day runs from day_starts_at to the same wall-clock time next day
    opens = _wall_seconds(first_day, rules)
    closes = _wall_seconds(last_day + timedelta(days=1), rules)
    lo, hi = opens - _MARGIN, closes + _MARGIN
    if earliest is not None:
        lo = max(lo, _ceil_seconds(local_time(earliest, rules.zone)))
    if latest is not None:
        hi = min(hi, _floor_seconds(local_time(latest, rules.zone)) + 1)
    every = step * 60
    runs: list[tuple[int, int]] = []
    for since, until, offset in _offsets(rules.zone, opens - _MARGIN, closes + _MARGIN):
        a = max(since, opens - offset, lo)
        b = min(until, closes - offset, hi)
        first = a + (-(a + offset)) % every  # the first instant whose wall-clock time is on the grid
        if first < b:
            runs.append((first, (b - 1 - first) // every + 1))
    return _Grid(runs, every)


def _offsets(zone: ZoneInfo, since: int, until: int) -> list[tuple[int, int, int]]:
    """The zone's UTC offset over [since, until), as (from, to, offset seconds) stretches.

    Looks every hour and finds each change to the second by bisection; no zone changes its
    offset twice within an hour.
    """

    def offset(t: int) -> int:
        found = datetime.fromtimestamp(t, zone).utcoffset()
        return int(found.total_seconds()) if found is not None else 0

    stretches: list[tuple[int, int, int]] = []
    start, current, t = since, offset(since), since
    while t < until:
        later = min(t + _HOUR, until)
        after = offset(later)
        if after != current:
            a, b = t, later  # offset(a) == current != offset(b)
            while b - a > 1:
                middle = (a + b) // 2
                a, b = (middle, b) if offset(middle) == current else (a, middle)
            stretches.append((start, b, current))
            start, current = b, after
        t = later
    stretches.append((start, until, current))
    return stretches


def _wall_seconds(day: date, rules: Rules) -> int:
    """`day_starts_at` on `day` as wall-clock seconds since 1970-01-01 00:00 (rounded up)."""
    wall = datetime.combine(day, rules.day_starts_at)
    return -((_WALL_EPOCH - wall) // _SECOND)


def _ceil_seconds(at: datetime) -> int:
    """The first whole UTC second at or after `at`."""
    return -((_EPOCH - at) // _SECOND)


def _floor_seconds(at: datetime) -> int:
    """The last whole UTC second at or before `at`."""
    return (at - _EPOCH) // _SECOND


# --- venues --------------------------------------------------------------------------------


def _room_free(
    room: Room, group: list[int], starts: list[int], ends: list[int], length: int, grid: _Grid
) -> list[Span]:
    """Grid indexes at which the room is available for `length` seconds, clear of its screenings.

    A screening [s, e) blocks every start from s - length - turnaround (exclusive) to
    e + turnaround: overlap, or too short a turnaround on either side. A zero-length one
    overlaps nothing, so it blocks only the turnarounds, ending or starting exactly at s.
    """
    need = room.turnaround_minutes * 60
    before = length + need - 1
    busy = [(starts[i] - before, ends[i] + need) for i in group]
    instants = [i for i in group if ends[i] <= starts[i]]
    if instants:
        busy = [span for span in busy if span[1] - span[0] > before + need]
        busy += [(starts[i] - before, starts[i] - length + 1) for i in instants]
        busy += [(starts[i], starts[i] + need) for i in instants]
    busy.sort()
    gaps: list[Span] = []  # the room's free time: between the merged busy spans
    free_from = _NEVER
    for a, b in busy:
        if a > free_from:
            gaps.append((free_from, a))
        if b > free_from:
            free_from = b
    gaps.append((free_from, _FOREVER))
    windows = _windows(room)
    if windows is not None:
        gaps = _within(gaps, [(a, b - length + 1) for a, b in windows if b - length >= a])
    return grid.spans(gaps)


def _windows(room: Room) -> list[Span] | None:
    """The room's availability as merged epoch-second windows, or None if any time (as the engine)."""
    if not room.availability:
        return None
    merged: list[list[int]] = []
    for a, b in sorted((int(a.timestamp()), int(b.timestamp())) for a, b in room.availability):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        elif b > a:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


# --- prints --------------------------------------------------------------------------------

# (film, where in grid indexes, what is blocked there in grid indexes): a stretch of time in
# which a venue sees a film's prints differently from the other venues
_Override = tuple[int, Span, list[Span]]


def _screenings_by_film(live: list[Slot], starts: list[int], film_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each of the proposal's films, its screenings in the engine's time order: start, id, position."""
    films: dict[int, list[int]] = {film: [] for film in film_ids}
    showing = compress(range(len(live)), map(not_, map(set(films).isdisjoint, map(_FILM_IDS, live))))
    for i in showing:
        for film in dict.fromkeys(live[i].film_ids):
            if film in films:
                films[film].append(i)
    for group in films.values():
        group.sort(key=lambda i: (starts[i], live[i].id, i))
    return films


def _film_blocks(
    starts: list[int],
    ends: list[int],
    venues: list[int],
    copies: int,
    transfer: int,
    length: int,
    wanted: Collection[int],
) -> tuple[list[Span], list[tuple[int, Span, list[Span]]]]:
    """The starts at which one more screening of a film would be in a print_clash.

    `starts`, `ends` and `venues` are the film's screenings in time order (start, then id).
    As in the engine, a screening holds a print from its start to its end, plus `transfer`
    when the film's next screening is in another venue; a screening starting while `copies`
    holds still run clashes, and so does every holder named with it.

    A proposal starting at s comes after the screenings starting at or before s (it is the
    newest), and only its neighbours' venues matter: the one before (P) holds its print for
    the transfer unless the proposal is in P's venue; the proposal holds its own print for the
    transfer unless the one after (N) is in its venue. Within the stretch [start of P, start of
    N) the proposal clashes
    - on its own start, when the copies-th longest hold among the earlier screenings (with P's
      hold as the proposal makes it) lasts past s: a prefix of the stretch;
    - as a holder, when some later screening j finds copies - 1 other holds running and the
      proposal's hold lasts past j's start: with j* the first such, every s after
      start(j*) - length - the proposal's transfer: a suffix of the stretch.
    Counting the holds running at each start once (a heap sweep, as the engine does) and the
    next screening meeting a threshold (a backward pass), each stretch costs O(log m).

    Answers the spans blocked for a venue showing neither neighbour (the same for every such
    venue), and, for the neighbours' venues in `wanted`, each stretch where theirs differ:
    (venue, stretch, spans).
    """
    film = _FilmPrints(starts, ends, venues, copies, transfer, length)
    generic: list[Span] = []
    special: list[tuple[int, Span, list[Span]]] = []
    m = len(starts)
    for k in range(m + 1):
        film.pass_screening(k - 1)
        before, after = k - 1, k  # P and N (-1 or m: there is none)
        stretch = (starts[before] if before >= 0 else _NEVER, starts[after] if after < m else _FOREVER)
        if stretch[0] >= stretch[1]:
            continue
        moves = transfer > 0
        everywhere = film.blocked(before, after, stretch, before >= 0 and moves, after < m and moves)
        generic += everywhere
        if not moves:
            continue
        for venue in {venues[n] for n in (before, after) if 0 <= n < m} & set(wanted):
            p_moves = before >= 0 and venues[before] != venue
            own_moves = after < m and venues[after] != venue
            own = film.blocked(before, after, stretch, p_moves, own_moves)
            if own != everywhere:
                special.append((venue, stretch, own))
    return generic, special


class _FilmPrints:
    """One film's screenings in time order, with what the print sweep needs to answer stretches."""

    def __init__(
        self, starts: list[int], ends: list[int], venues: list[int], copies: int, transfer: int, length: int
    ) -> None:
        m = len(starts)
        self.starts, self.ends, self.copies, self.transfer, self.length = starts, ends, copies, transfer, length
        # each screening's hold as things stand (the last one's never matters)
        self.holds = [ends[i] + (transfer if venues[i] != venues[i + 1] else 0) for i in range(m - 1)] + ends[-1:]
        # how many holds are running when each screening starts, as the engine's heap sweep counts
        self.running: list[int] = []
        heap: list[int] = []
        for j in range(m):
            if j and self.holds[j - 1] > starts[j]:
                heappush(heap, self.holds[j - 1])
            while heap and heap[0] <= starts[j]:
                heappop(heap)
            self.running.append(len(heap))
        # _next[t][j]: the first screening from j on with at least t holds running at its start
        self._next: dict[int, list[int]] = {}
        for t in {copies - 2, copies - 1, copies}:
            if t > 0:
                found = [m] * (m + 1)
                for j in range(m - 1, -1, -1):
                    found[j] = j if self.running[j] >= t else found[j + 1]
                self._next[t] = found
        self.top: list[int] = []  # the `copies` longest holds among the screenings before P

    def pass_screening(self, before: int) -> None:
        """Move on to the stretch after screening `before`: the one before it joins `top`."""
        if before >= 1:
            hold = self.holds[before - 1]
            if len(self.top) < self.copies:
                heappush(self.top, hold)
            elif hold > self.top[0]:
                heapreplace(self.top, hold)

    def first_from(self, t: int, j: int) -> int:
        """The first screening from j on with at least t holds running at its start (m if none)."""
        return j if t <= 0 or j >= len(self.starts) else self._next[t][j]

    def blocked(self, before: int, after: int, stretch: Span, p_moves: bool, own_moves: bool) -> list[Span]:
        """What is blocked in a stretch, when P's print and the proposal's travel on or not."""
        lo, hi = stretch
        out: list[Span] = []
        p_hold = None
        if before >= 0:
            p_hold = self.ends[before] + (self.transfer if p_moves else 0)
            until = _cth_longest(self.top, self.copies, p_hold)
            if until is not None and until > lo:
                out.append((lo, min(until, hi)))
        if after < len(self.starts):
            j = self.first_clash(after, before, p_hold)
            if j < len(self.starts):
                since = self.starts[j] - self.length - (self.transfer if own_moves else 0) + 1
                out.append((max(lo, since), hi))
        return out

    def first_clash(self, after: int, before: int, p_hold: int | None) -> int:
        """The first screening from `after` on at whose start copies - 1 other holds run (m if none).

        P's hold as the proposal makes it (`p_hold`) may differ from the one the sweep counted
        (P followed by N): only for starts in [end of P, end of P + transfer), where one hold
        more, or one fewer, runs.
        """
        need = self.copies - 1
        found = self.first_from(need, after)
        if p_hold is None or p_hold == self.holds[before]:
            return found
        end = self.ends[before]
        lo = max(after, bisect_left(self.starts, end))
        hi = bisect_left(self.starts, end + self.transfer)
        if p_hold > self.holds[before]:  # one hold more in the window
            if lo < hi and (inside := self.first_from(need - 1, lo)) < hi:
                found = min(found, inside)
            return found
        if found < lo:  # one hold fewer in the window
            return found
        found = self.first_from(need, max(hi, after))
        if lo < hi and (inside := self.first_from(need + 1, lo)) < hi:
            found = min(found, inside)
        return found


def _cth_longest(top: list[int], copies: int, extra: int) -> int | None:
    """The copies-th longest hold among `top` (a min-heap of at most `copies`) and `extra`."""
    if len(top) < copies - 1:
        return None
    if len(top) == copies - 1:
        return min(top[0], extra) if top else extra
    if extra <= top[0]:
        return top[0]
    if copies == 1:
        return extra
    second = top[1] if copies == 2 else min(top[1], top[2])
    return min(second, extra)


# --- interval arithmetic on sorted, disjoint [start, end) spans ----------------------------


def _union(spans: Iterable[Span], presorted: bool = False) -> list[Span]:
    """The spans merged into sorted, disjoint, non-touching spans (empty ones dropped)."""
    out: list[Span] = []
    for a, b in spans if presorted else sorted(spans):
        if a >= b:
            continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _minus(spans: list[Span], cut: list[Span]) -> list[Span]:
    """`spans` less `cut`; costs O(len(spans) log len(cut)) plus the pieces it makes."""
    out: list[Span] = []
    for a, b in spans:
        k = bisect_right(cut, a, key=_END)  # the first cut ending after a
        while a < b and k < len(cut) and cut[k][0] < b:
            if cut[k][0] > a:
                out.append((a, cut[k][0]))
            a = max(a, cut[k][1])
            k += 1
        if a < b:
            out.append((a, b))
    return out


def _within(spans: list[Span], keep: list[Span]) -> list[Span]:
    """The parts of `spans` inside `keep`."""
    out: list[Span] = []
    for a, b in spans:
        k = bisect_right(keep, a, key=_END)
        while k < len(keep) and keep[k][0] < b:
            lo, hi = max(a, keep[k][0]), min(b, keep[k][1])
            if lo < hi:
                out.append((lo, hi))
            k += 1
    return out


def _minus_in_venue(
    free: list[Span],
    blocked: list[Span],
    guests_blocked: list[Span],
    generic_by_film: Mapping[int, list[Span]],
    overrides: list[_Override],
) -> list[Span]:
    """A venue's free grid indexes less what blocks there, where its prints differ from others'.

    Outside the override stretches the venue sees what every venue sees (`blocked`); inside
    them, what blocks is worked out again: the guests, and each film's generic spans except in
    that film's own override stretches for this venue, where its override spans count instead.
    """
    region = _union(where for _, where, _ in overrides)
    parts: list[Span] = [*_within(region, guests_blocked)]
    for film, spans in generic_by_film.items():
        mine = [(where, own) for f, where, own in overrides if f == film]
        parts += _minus(_within(region, spans), _union(where for where, _ in mine))
        parts += [span for _, own in mine for span in own]
    return sorted(_minus(_minus(free, region), blocked) + _minus(_within(free, region), _union(parts)))


# --- answers -------------------------------------------------------------------------------


def _answers(free_by_venue: list[tuple[int, list[Span]]], grid: _Grid, zone: ZoneInfo, length: int) -> list[FreeStart]:
    """The free grid indexes as FreeStarts; each distinct start and end is made once."""
    starts_at = [_EPOCH] * grid.size
    ends_at = [_EPOCH] * grid.size
    at = partial(datetime.fromtimestamp, tz=zone)
    for lo, hi in _union(span for _, free in free_by_venue for span in free):
        seconds = grid.seconds(lo, hi)
        starts_at[lo:hi] = map(at, seconds)
        ends_at[lo:hi] = map(at, [s + length for s in seconds])
    out: list[FreeStart] = []
    for venue_id, free in free_by_venue:
        for lo, hi in free:
            out += zip(repeat(venue_id), starts_at[lo:hi], ends_at[lo:hi])
    return out


def _guest_key(name: str) -> str:
    """A guest's name as the engine compares it: whitespace collapsed, case folded."""
    return " ".join(name.split()).casefold()
