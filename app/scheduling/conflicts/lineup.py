"""The programme as the checks see it: live screenings in epoch seconds, in time order, and lookups."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import compress, count, repeat
from operator import attrgetter, floordiv, is_, lt, ne, sub
from zoneinfo import ZoneInfo

from app.scheduling.conflicts.model import CANCELLED, Print, Room, Rules, Slot
from app.scheduling.times import festival_day

_ID = attrgetter("id")
_STATUS = attrgetter("status")
_FOLD = attrgetter("fold")
_VENUE_ID = attrgetter("venue_id")
_STARTS_AT = attrgetter("starts_at")
_ENDS_AT = attrgetter("ends_at")
_FILM_IDS = attrgetter("film_ids")


class Lineup:
    """The live (not cancelled) screenings, with their times in whole UTC epoch seconds.

    Screenings are named by their index in `slots`; `starts`, `ends`, `films` and `venues` are
    indexed the same way, and `order` lists the indexes in time order (by start, then id,
    then index). Plain lists of ints, worked out once: the sweep runs on 100,000 screenings.
    """

    def __init__(
        self, slots: Iterable[Slot], rooms: Mapping[int, Room], prints: Mapping[int, Print], rules: Rules
    ) -> None:
        given = list(slots)
        statuses = list(map(_STATUS, given))
        live = list(compress(given, map(ne, statuses, repeat(CANCELLED)))) if CANCELLED in statuses else given
        self.slots: list[Slot] = live
        n = len(live)
        # starts and ends together: many an end is another screening's start
        seconds = epoch_seconds([*map(_STARTS_AT, live), *map(_ENDS_AT, live)])
        self.starts: list[int] = seconds[:n]
        self.ends: list[int] = seconds[n:]
        self.films: list[tuple[int, ...]] = list(map(_FILM_IDS, live))
        films_listed = set(map(len, self.films))
        self.one_film_each = films_listed == {1}  # as nearly always
        if max(films_listed, default=0) > 1:
            # a film listed twice in one screening counts once
            for i in compress(range(n), map(lt, repeat(1), map(len, self.films))):
                self.films[i] = tuple(dict.fromkeys(self.films[i]))
        self.venues: list[int] = list(map(_VENUE_ID, live))
        # time order: two stable sorts on int keys
        self.order: list[int] = sorted(range(n), key=list(map(_ID, live)).__getitem__)
        self.order.sort(key=self.starts.__getitem__)
        self.rooms, self.prints, self.rules = rooms, prints, rules
        self._windows: dict[int, tuple[list[int], list[int]] | None] = {}
        self._days: dict[int, date] = {}  # by start second
        self._day_bounds: list[int] | None = None

    def time_key(self, i: int) -> tuple[int, int, int]:
        """Where screening `i` comes in time order: by start, then id, then index."""
        return self.starts[i], self.slots[i].id, i

    def room(self, venue_id: int) -> Room:
        """The venue's room; one with default turnaround and no windows if it is not listed."""
        return self.rooms.get(venue_id) or Room(venue_id, f"venue {venue_id}")

    def copies(self, film_id: int) -> int:
        """How many prints of the film there are: at least one."""
        found = self.prints.get(film_id)
        return max(1, found.copies) if found else 1

    def title(self, film_id: int) -> str:
        """The film's title, or a stand-in when it has no print record."""
        found = self.prints.get(film_id)
        return found.title if found else f"film {film_id}"

    def guest_keys(self, i: int) -> tuple[str, ...]:
        """Screening `i`'s guests as `guest_key`s, each once, in the order listed, blanks left out."""
        return guest_keys_of(tuple(self.slots[i].guests))

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
        """The festival day of screening `i` (looked up among the festival's day boundaries;
        kept by start second, as many screenings start at the same moment)."""
        start = self.starts[i]
        day = self._days.get(start)
        if day is None:
            rules = self.rules
            if self._day_bounds is None:
                self._day_bounds = day_bounds(rules.zone, rules.starts_on, rules.ends_on, rules.day_starts_at)
            k = bisect_right(self._day_bounds, start) - 1
            if 0 <= k < len(self._day_bounds) - 1:
                day = rules.starts_on + timedelta(days=k - 1)
                self._days[start] = day
            else:
                day = festival_day(self.slots[i].starts_at, rules.zone, rules.day_starts_at)
        return day


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)


def epoch_seconds(moments: list[datetime]) -> list[int]:
    """Each aware moment in whole UTC epoch seconds (map keeps the per-moment cost in C).

    `moment - _EPOCH` is absolute time for any zone; for moments in UTC (as the store reads
    them) it skips the offset lookups that `datetime.timestamp` makes: half the cost.
    Each distinct moment is worked out once: a programme has far fewer start and end times
    than screenings (100,000 screenings start and end at 3,353 moments), and a dict lookup
    costs a fraction of the arithmetic. Not when a moment has `fold` set: in the hour the
    clocks repeat, moments with the same wall time and zone but a different fold compare
    equal (and hash alike) though they are an hour apart.
    """
    if any(map(_FOLD, moments)):
        return list(map(floordiv, map(sub, moments, repeat(_EPOCH)), repeat(_SECOND)))
    distinct = list(dict.fromkeys(moments))
    seconds = dict(zip(distinct, map(floordiv, map(sub, distinct, repeat(_EPOCH)), repeat(_SECOND)), strict=True))
    return list(map(seconds.__getitem__, moments))


@lru_cache(maxsize=256)
def day_bounds(zone: ZoneInfo, starts_on: date, ends_on: date, day_starts_at: time) -> list[int]:
    """When each day from the eve of the festival to the day after it begins, in epoch seconds;
    empty when the clocks change right as one begins (every day is then worked out by
    `festival_day`). Made once per festival's rules: every write's conflicts use them. Callers
    must not change the list."""
    rules = Rules(zone, starts_on, ends_on, day_starts_at)
    first = starts_on - timedelta(days=1)
    days = max(0, (ends_on - starts_on).days) + 3
    bounds = [day_begins(first + timedelta(days=k), rules) for k in range(days)]
    return [] if None in bounds else [bound for bound in bounds if bound is not None]


def day_begins(day: date, rules: Rules) -> int | None:
    """When festival day `day` begins, in epoch seconds; None if the clocks change right then.

    If the local time `day_starts_at` on `day` is neither skipped nor repeated, wall-clock
    time passes it once: every start before that instant is on an earlier festival day and
    every start from it on `day` or later.
    """
    wall = datetime.combine(day, rules.day_starts_at)
    once, twice = wall.replace(tzinfo=rules.zone), wall.replace(tzinfo=rules.zone, fold=1)
    return int(once.timestamp()) if once.utcoffset() == twice.utcoffset() else None


def wall_seconds(day: date, rules: Rules) -> int:
    """`day_starts_at` on `day` read as if it were UTC, in epoch seconds."""
    wall = datetime.combine(day, rules.day_starts_at)
    return (wall - datetime(1970, 1, 1)) // timedelta(seconds=1)


@lru_cache(maxsize=16_384)
def guest_keys_of(guests: tuple[str, ...]) -> tuple[str, ...]:
    """Guests' names as `guest_key`s, each once, in the order listed, blanks left out."""
    return tuple(key for key in dict.fromkeys(map(guest_key, guests)) if key)


_KEYS: dict[str, str] = {}  # guest_key by name: the same names come back sweep after sweep


def guest_keys_by_name(names: list[str]) -> list[str]:
    """`guest_key` of each name (remembered: a dict lookup costs a fraction of working it out)."""
    keys = list(map(_KEYS.get, names))
    if None in keys:
        if len(_KEYS) > 16_384:  # guest names are free text: keep the memory bounded (a few MB)
            _KEYS.clear()
        for k in compress(count(), map(is_, keys, repeat(None))):
            keys[k] = _KEYS.setdefault(names[k], guest_key(names[k]))
    return keys  # type: ignore[return-value]  # no None left


def guest_key(name: str) -> str:
    """A guest's name as compared: whitespace collapsed, case folded."""
    return " ".join(name.split()).casefold()


def minutes_up(seconds: int) -> int:
    """Seconds as whole minutes, rounded up."""
    return -(-seconds // 60)
