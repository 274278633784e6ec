"""A rule-based VTIMEZONE for the festival's zone, derived from the IANA tz database.

Calendar clients resolve `DTSTART;TZID=...` through the feed's own VTIMEZONE (ical.js, vobject
and libical do), so it must give the right offset for every event in the feed. icalendar's
`add_missing_timezones()` writes lists of RDATEs, which ical.js and vobject misread (summer
events an hour late); we write what mature producers write instead: one STANDARD and one
DAYLIGHT part, each with a yearly RRULE (`BYMONTH=3;BYDAY=-1SU`), found by reading the zone's
transitions in the festival's year and checking the rule against every year the feed covers.

A zone without daylight saving in those years gets a single STANDARD part. A zone whose changes
no yearly rule describes (Morocco's Ramadan pauses, a rule changed mid-feed) gets one part per
change in the years covered, each with its own DTSTART and no recurrence.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate, compress, islice, repeat
from operator import ne
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from app.scheduling.times import utc_offset

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
RULE_EPOCH_YEAR = 1970  # DTSTART of a recurring part: the rule's first occurrence from this year
_SCAN_STEP = 24 * 3600  # seconds; a zone's offset changes are weeks (today: months) apart
_SCAN_DAY = timedelta(seconds=_SCAN_STEP)
# Years either side of the feed's that a rule should also hold for, when one can: clients
# such as vobject keep the first VTIMEZONE they see for a TZID, so the truer the rule the better.
_NEIGHBOUR_YEARS = 5


@dataclass(frozen=True)
class Transition:
    """One change of a zone's UTC offset."""

    at: int  # POSIX seconds of the first instant with the new offset
    local_before: datetime  # naive wall-clock time of the change in the old offset (as DTSTART)
    offset_from: timedelta
    offset_to: timedelta
    name: str  # abbreviation after the change, e.g. "CEST"


@dataclass(frozen=True)
class Observance:
    """One STANDARD or DAYLIGHT part of a VTIMEZONE."""

    kind: str  # "STANDARD" or "DAYLIGHT"
    starts_at: datetime  # naive local time in offset_from
    offset_from: timedelta
    offset_to: timedelta
    name: str
    rule: tuple[tuple[str, object], ...] | None  # RRULE parts, or None for a single onset


def _offset(zone: ZoneInfo, seconds: int) -> timedelta:
    """The zone's UTC offset at the instant `seconds` (POSIX)."""
    return utc_offset(datetime.fromtimestamp(seconds, zone))


def _daily_offsets(zone: ZoneInfo, start: int, days: int) -> list[timedelta]:
    """`_offset` at `start` and at each of the `days` days after it, in one pass of C calls.

    The probes are the UTC wall-clock times labelled with the zone, as `fromutc` takes them
    (adding a day to an aware datetime adds to its wall-clock time, which here is UTC's)."""
    first = datetime.fromtimestamp(start, UTC).replace(tzinfo=zone)
    probes = accumulate(repeat(_SCAN_DAY, days), initial=first)
    return list(map(zone.utcoffset, map(zone.fromutc, probes)))  # type: ignore[arg-type]


@lru_cache(maxsize=256)
def transitions(zone_key: str, year: int) -> tuple[Transition, ...]:
    """The zone's offset changes whose local wall-clock time falls in `year`.

    Probes the offset once a day (a zone's offset changes are weeks, today months, apart),
    then bisects each day whose offset differs from the last change's to the second."""
    zone = ZoneInfo(zone_key)
    start = int(datetime(year - 1, 12, 30, tzinfo=UTC).timestamp())
    end = int(datetime(year + 1, 1, 3, tzinfo=UTC).timestamp())
    days = (end - start) // _SCAN_STEP
    daily = _daily_offsets(zone, start, days)
    changes = list(compress(range(days), map(ne, daily, islice(daily, 1, None))))  # daily[k] != daily[k + 1]
    found = []
    before = daily[0]
    day = 0
    while day < days:
        if daily[day] == before:  # as usual: on to the next day whose next day's offset differs
            following = bisect_left(changes, day)
            if following == len(changes):
                break
            day = changes[following]
        t = start + day * _SCAN_STEP
        nxt = t + _SCAN_STEP
        if daily[day + 1] != before:
            lo, hi = t, nxt  # offset(lo) == before, offset(hi) != before: bisect to the second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset(zone, mid) == before:
                    lo = mid
                else:
                    hi = mid
            moment = datetime.fromtimestamp(hi, UTC)
            local = moment.astimezone(zone)
            new_offset = utc_offset(local)
            local_before = (moment + before).replace(tzinfo=None)
            if local_before.year == year:
                found.append(
                    Transition(
                        at=hi,
                        local_before=local_before,
                        offset_from=before,
                        offset_to=new_offset,
                        name=local.tzname() or "",
                    )
                )
            before = new_offset
        day += 1
    return tuple(found)


# A rule says on which day of a month a change happens; `_rule_day` answers it for a year.
def _rule_day(rule: tuple, year: int) -> date | None:
    kind, month = rule[0], rule[1]
    days_in_month = calendar.monthrange(year, month)[1]
    if kind == "monthday":
        day = rule[2]
        return date(year, month, day) if day <= days_in_month else None
    weekday = rule[2]
    if kind == "last":
        last = date(year, month, days_in_month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first_day = 1 if kind == "nth" else rule[3]  # "window": the weekday on or after day N
    first = date(year, month, first_day)
    found = first + timedelta(days=(weekday - first.weekday()) % 7)
    if kind == "nth":
        found += timedelta(weeks=rule[3] - 1)
    return found if found.month == month else None


def _shortest(month: int) -> int:
    """The fewest days `month` ever has (28 for February)."""
    return calendar.monthrange(2001, month)[1]


def _rrule(rule: tuple) -> tuple[tuple[str, object], ...]:
    kind, month = rule[0], rule[1]
    if kind == "monthday":
        return (("FREQ", "YEARLY"), ("BYMONTH", month), ("BYMONTHDAY", rule[2]))
    day = WEEKDAYS[rule[2]]
    if kind == "last":
        return (("FREQ", "YEARLY"), ("BYMONTH", month), ("BYDAY", f"-1{day}"))
    if kind == "nth":
        return (("FREQ", "YEARLY"), ("BYMONTH", month), ("BYDAY", f"{rule[3]}{day}"))
    days = list(range(rule[3], rule[3] + 7))
    return (("FREQ", "YEARLY"), ("BYMONTH", month), ("BYDAY", day), ("BYMONTHDAY", days))


def _matching(zone_key: str, year: int, like: Transition) -> Transition | None:
    same = [
        t for t in transitions(zone_key, year) if (t.offset_from, t.offset_to) == (like.offset_from, like.offset_to)
    ]
    return same[0] if len(same) == 1 else None


def _fits(rule: tuple, clock: time, found: Transition | None, year: int) -> bool:
    return (
        found is not None and found.local_before.time() == clock and _rule_day(rule, year) == found.local_before.date()
    )


def _fit_rule(zone_key: str, basis: Transition, years: range) -> tuple | None:
    """The yearly rule that reproduces `basis` in every one of `years`, preferring the one that
    also holds in most of the years around them (so "last Sunday" beats "fourth Sunday")."""
    local = basis.local_before
    month, weekday, day = local.month, local.weekday(), local.day
    wanted = {y: _matching(zone_key, y, basis) for y in years}
    around = [
        *range(years[0] - _NEIGHBOUR_YEARS, years[0]),
        *range(years[-1] + 1, years[-1] + 1 + _NEIGHBOUR_YEARS),
    ]
    neighbours = {y: _matching(zone_key, y, basis) for y in around}
    candidates: list[tuple[str, int, int] | tuple[str, int, int, int]] = []
    if day + 7 > calendar.monthrange(local.year, month)[1]:
        candidates.append(("last", month, weekday))
    if (day - 1) // 7 + 1 <= 4:
        candidates.append(("nth", month, weekday, (day - 1) // 7 + 1))
    candidates.append(("monthday", month, day))
    # "the Friday on or after the 23rd": every seven-day window that holds the festival year's
    # day; the years around pick the true one (as they pick "last" over "fourth")
    first_starts = range(max(1, day - 6), min(day, _shortest(month) - 6) + 1)
    candidates += [("window", month, weekday, first) for first in first_starts]
    best, best_score = None, -1
    for rule in candidates:
        if not all(_fits(rule, local.time(), wanted[y], y) for y in years):
            continue
        score = sum(_fits(rule, local.time(), t, y) for y, t in neighbours.items())
        if score > best_score:
            best, best_score = rule, score
    return best


def _constant(zone_key: str, year: int) -> tuple[Observance, ...]:
    zone = ZoneInfo(zone_key)
    local = datetime(year, 1, 1, 12, tzinfo=zone)
    offset = utc_offset(local)
    start = datetime(RULE_EPOCH_YEAR, 1, 1)
    return (Observance("STANDARD", start, offset, offset, local.tzname() or "", None),)


def _explicit(zone_key: str, years: range) -> tuple[Observance, ...]:
    """One part per change: for zones no yearly rule describes."""
    first = _constant(zone_key, years[0])[0]
    opening = Observance("STANDARD", datetime(years[0], 1, 1), first.offset_to, first.offset_to, first.name, None)
    changes = [t for y in years for t in transitions(zone_key, y)]
    return (opening,) + tuple(
        Observance(
            "DAYLIGHT" if t.offset_to > t.offset_from else "STANDARD",
            t.local_before,
            t.offset_from,
            t.offset_to,
            t.name,
            None,
        )
        for t in changes
    )


@lru_cache(maxsize=256)
def observances(zone_key: str, first_year: int, last_year: int, basis_year: int) -> tuple[Observance, ...]:
    """The parts of a VTIMEZONE that is right for every time in `first_year`..`last_year`."""
    years = range(first_year, last_year + 1)
    by_year = {y: transitions(zone_key, y) for y in years}
    if not any(by_year.values()):
        return _constant(zone_key, basis_year)
    basis = by_year.get(basis_year, ())
    paired = (
        len(basis) == 2
        and basis[0].offset_to == basis[1].offset_from
        and basis[1].offset_to == basis[0].offset_from
        and all(len(found) == 2 for found in by_year.values())
    )
    if paired:
        rules = [_fit_rule(zone_key, t, years) for t in basis]
        if all(rules):
            summer = max(t.offset_to for t in basis)
            parts = []
            for t, rule in zip(basis, rules, strict=True):
                assert rule is not None  # all(rules) above
                first_day = _rule_day(rule, RULE_EPOCH_YEAR)
                if first_day is None:  # e.g. a 29 February rule: no 1970 occurrence
                    return _explicit(zone_key, years)
                onset = datetime.combine(first_day, t.local_before.time())
                kind = "DAYLIGHT" if t.offset_to == summer else "STANDARD"
                parts.append(Observance(kind, onset, t.offset_from, t.offset_to, t.name, _rrule(rule)))
            return tuple(parts)
    return _explicit(zone_key, years)


def build_vtimezone(zone_key: str, first_year: int, last_year: int, basis_year: int) -> Timezone:
    """A VTIMEZONE component for `zone_key`, right for `first_year`..`last_year`."""
    timezone = Timezone()
    timezone.add("TZID", zone_key)
    for part in observances(zone_key, first_year, last_year, basis_year):
        component = TimezoneDaylight() if part.kind == "DAYLIGHT" else TimezoneStandard()
        component.add("DTSTART", part.starts_at)
        if part.rule is not None:
            component.add("RRULE", vRecur(dict(part.rule)))
        component.add("TZNAME", part.name)
        component.add("TZOFFSETFROM", part.offset_from)
        component.add("TZOFFSETTO", part.offset_to)
        timezone.add_component(component)
    return timezone
