"""An attendee's plan: which of their picked screenings they cannot both see.

`plan_clashes` names every pair of picks that clash, once, with a sentence the attendee can
act on:

- overlap: the two screenings share time ([start, end) intervals, compared in absolute time
  to the second, so a night when the clocks go back is no trap); `minutes` is the shared
  time, rounded up.
- walk: they do not overlap, are in different venues, and the time from the end of the
  earlier to the start of the later is shorter than the walk between the venues; `minutes` is
  how much is missing, rounded up. The walk is the great-circle distance (a sphere of the
  Earth's mean radius, 6,371.0088 km) at 4.5 km/h, rounded up to whole minutes; 15 minutes
  when either venue has no coordinates. One venue needs no walk.

A pick of no length (runtimes are positive, so none should be) clashes with nothing.

Every clashing pair is named, not only picks next to each other in the plan: a pick between
two others does not excuse them. With coordinates for every venue and no overlaps, a walk
clash between two picks always comes with one between some two consecutive picks between
them (the straight-line distance obeys the triangle inequality, and rounding up keeps it), so
consecutive picks alone would tell *whether* a plan works; but not *which* pairs fail, and the
shortcut breaks in two real cases: a pick in between that overlaps one of them (the attendee
will drop one of those two), and a venue in between without coordinates (its 15 minutes are a
guess that proves nothing about the others). So each pick is checked against every pick that
ends within the longest walk before it starts (found by sorting on ends), and overlaps by a
sweep on starts: O(n log n) plus the pairs close enough in time to matter.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from math import asin, ceil, cos, radians, sin, sqrt
from zoneinfo import ZoneInfo

from app.scheduling.programme import FilmInfo, Programme, ScreeningInfo, VenueInfo, screening_title

OVERLAP = "overlap"
WALK = "walk"

WALKING_KM_PER_HOUR = 4.5
UNKNOWN_WALK_MINUTES = 15  # when a venue has no coordinates
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Clash:
    """Two picks an attendee cannot both see, and why, in a sentence."""

    kind: str  # "overlap" or "walk"
    screening_ids: tuple[int, int]  # the earlier pick first (by start, then id)
    minutes: int  # the overlap, or the minutes the walk is short of; rounded up
    message: str


def plan_clashes(picks: Iterable[ScreeningInfo], programme: Programme) -> list[Clash]:
    """Every pair of picks that overlap, or are too close in time for the walk between them.

    `picks` are published screenings of `programme` (a pick listed twice counts once); the
    programme supplies venues, film titles and the festival's zone for the sentences.
    Sorted by the earlier pick's start, then the later's.
    """
    plan = _Plan(picks, programme)
    found = [*plan.overlaps(), *plan.walks()]
    found.sort(key=lambda finding: (finding[1], finding[2]))  # picks are numbered in time order
    return [plan.clash(*finding) for finding in found]


def walking_minutes(a: VenueInfo | None, b: VenueInfo | None) -> int:
    """Minutes to walk from one venue to another (None: a venue the programme does not know)."""
    if a is not None and b is not None and a.id == b.id:
        return 0
    if a is None or b is None or a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return UNKNOWN_WALK_MINUTES
    return _walk(distance_km(a.latitude, a.longitude, b.latitude, b.longitude))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points given in degrees (haversine)."""
    phi1, phi2 = radians(lat1), radians(lat2)
    h = sin((phi2 - phi1) / 2) ** 2 + cos(phi1) * cos(phi2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def _walk(km: float) -> int:
    """Whole minutes to walk `km`, rounded up (and not up again for floating-point dust)."""
    return ceil(round(km / WALKING_KM_PER_HOUR * 60, 9))


# (kind, earlier pick, later pick, minutes, walk minutes or 0)
_Finding = tuple[str, int, int, int, int]


class _Plan:
    """The picks in time order with their instants in UTC seconds, and the sentences."""

    def __init__(self, picks: Iterable[ScreeningInfo], programme: Programme) -> None:
        # compared as timestamps: two times in one ZoneInfo compare by wall clock, fold ignored
        unique = {pick.id: pick for pick in picks if pick.ends_at.timestamp() > pick.starts_at.timestamp()}
        self.picks = sorted(unique.values(), key=lambda pick: (pick.starts_at.timestamp(), pick.id))
        self.starts = [int(pick.starts_at.timestamp()) for pick in self.picks]
        self.ends = [int(pick.ends_at.timestamp()) for pick in self.picks]
        self.venues = [programme.venues_by_id.get(pick.venue_id) for pick in self.picks]
        self.films = programme.films_by_id
        self.zone: ZoneInfo = programme.festival.zone

    def overlaps(self) -> list[_Finding]:
        """Pairs sharing time: a sweep in start order over the picks still running."""
        found: list[_Finding] = []
        running: list[int] = []
        for b, (start, end) in enumerate(zip(self.starts, self.ends, strict=True)):
            running = [a for a in running if self.ends[a] > start]
            for a in running:
                found.append((OVERLAP, a, b, _minutes(min(self.ends[a], end) - start), 0))
            running.append(b)
        return found

    def walks(self) -> list[_Finding]:
        """Pairs in different venues too close in time: each pick against those ending shortly before."""
        found: list[_Finding] = []
        longest = self._longest_walk() * 60
        if not longest:
            return found
        by_end = sorted(range(len(self.picks)), key=lambda a: (self.ends[a], a))
        ends = [self.ends[a] for a in by_end]
        for b, start in enumerate(self.starts):
            # picks ending in (start - longest, start]: the only ones a walk can fall short from
            for a in by_end[bisect_right(ends, start - longest) : bisect_right(ends, start)]:
                # a ends before b starts, so it starts earlier: a < b (every pick lasts a while)
                walk = walking_minutes(self.venues[a], self.venues[b]) if self._apart(a, b) else 0
                gap = start - self.ends[a]
                if gap < walk * 60:
                    found.append((WALK, a, b, _minutes(walk * 60 - gap), walk))
        return found

    def _apart(self, a: int, b: int) -> bool:
        return self.picks[a].venue_id != self.picks[b].venue_id

    def _longest_walk(self) -> int:
        """An upper bound on the walk between any two of the plan's venues, in minutes.

        By the triangle inequality no two points are further apart than twice the furthest any
        is from one of them; a venue without coordinates may be 15 minutes from any other.
        """
        ids = {pick.venue_id for pick in self.picks}
        if len(ids) < 2:
            return 0
        located = [
            (venue.latitude, venue.longitude)
            for venue in {venue.id: venue for venue in self.venues if venue is not None}.values()
            if venue.latitude is not None and venue.longitude is not None
        ]
        bound = UNKNOWN_WALK_MINUTES if len(located) < len(ids) else 0
        if located:
            lat, lon = located[0]
            furthest = max(distance_km(lat, lon, other_lat, other_lon) for other_lat, other_lon in located)
            bound = max(bound, _walk(2 * furthest) + 1)
        return bound

    def clash(self, kind: str, a: int, b: int, minutes: int, walk: int) -> Clash:
        """A finding as a Clash with its sentence."""
        first, second = self.picks[a], self.picks[b]
        if kind == OVERLAP:
            message = (
                f"{self._title(first)} ({self._when(first)}, {self._venue(a)}) and {self._title(second)} "
                f"({self._when(second)}, {self._venue(b)}) overlap by {_count(minutes)}: "
                "you can see only one of them in full."
            )
        else:
            gap = _minutes(self.starts[b] - self.ends[a])
            later = f"{_count(gap)} later" if gap else "as it ends"
            unknown = [self._venue(n) for n in (a, b) if not _located(self.venues[n])]
            guess = f" (allowed for, as we do not know where {' or '.join(unknown)} is)" if unknown else ""
            message = (
                f"{self._title(first)} ends at {self._time(first.ends_at)} in {self._venue(a)}, and "
                f"{self._title(second)} starts {self._day(second.starts_at)} at {self._time(second.starts_at)} in "
                f"{self._venue(b)}, {later}; the walk takes about {_count(walk)}{guess}: you would miss "
                f"the first {_count(minutes)} of {self._title(second)}, or leave {self._title(first)} early."
            )
        return Clash(kind, (first.id, second.id), minutes, message)

    def _title(self, pick: ScreeningInfo) -> str:
        films: list[FilmInfo | None] = [self.films.get(film_id) for film_id in pick.film_ids]
        titles = [film.title if film else f"film {film_id}" for film, film_id in zip(films, pick.film_ids, strict=True)]
        return screening_title(pick.title, titles)

    def _venue(self, n: int) -> str:
        venue = self.venues[n]
        return venue.name if venue is not None else f"venue {self.picks[n].venue_id}"

    def _when(self, pick: ScreeningInfo) -> str:
        return f"{self._day(pick.starts_at)}, {self._time(pick.starts_at)}–{self._time(pick.ends_at)}"

    def _day(self, at: datetime) -> str:
        local = at.astimezone(self.zone)
        return f"{_WEEKDAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"

    def _time(self, at: datetime) -> str:
        """Local wall-clock time; with its UTC offset when the clocks show it twice that night."""
        local = at.astimezone(self.zone)
        text = f"{local:%H:%M}"
        other = local.replace(fold=1 - local.fold)
        if other.utcoffset() != local.utcoffset():
            offset = local.strftime("%z")
            text += f" (UTC{offset[:3]}:{offset[3:]})"
        return text


def _located(venue: VenueInfo | None) -> bool:
    return venue is not None and venue.latitude is not None and venue.longitude is not None


def _minutes(seconds: int) -> int:
    return -(-seconds // 60)


def _count(minutes: int) -> str:
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
