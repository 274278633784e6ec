"""Findings become Conflicts: the sentence that says what to fix, and the order of the list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from operator import attrgetter, itemgetter
from typing import assert_never

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
from app.scheduling.conflicts.lineup import Lineup, guest_key, minutes_up
from app.scheduling.conflicts.model import ERROR, SEVERITY, Conflict
from app.scheduling.times import is_repeated, zone_label

# where a conflict comes in the list: errors first, then festival day, start of the first
# screening named (epoch seconds), kind, screening ids, message
SortKey = tuple[bool, date, int, str, tuple[int, ...], str]

_TWO_DIGITS = [f"{n:02}" for n in range(60)]
_ID = attrgetter("id")
_KEY = itemgetter(0)
_CONFLICT = itemgetter(1)


def conflicts_from(findings: Iterable[Finding], lineup: Lineup) -> list[Conflict]:
    """Findings as Conflicts: errors first, then by day, start, kind, screening ids and message."""
    keyed = keyed_conflicts(findings, lineup)
    keyed.sort(key=_KEY)
    return list(map(_CONFLICT, keyed))


def keyed_conflicts(findings: Iterable[Finding], lineup: Lineup) -> list[tuple[SortKey, Conflict]]:
    """Each finding as a Conflict with the key that places it in the list (in the findings' order)."""
    slots, starts = lineup.slots, lineup.starts
    words = Words(lineup)
    keyed = []
    for finding in findings:
        kind = finding.kind
        severity = SEVERITY[kind]
        screenings = finding.screenings
        first = screenings[0]
        ids = tuple(map(_ID, map(slots.__getitem__, screenings)))
        message = sentence(finding, words)
        day = lineup.day(first)
        conflict = Conflict(kind, severity, ids, max(0, finding.minutes), message, day)
        keyed.append(((severity != ERROR, day, starts[first], kind, ids, message), conflict))
    return keyed


def sentence(finding: Finding, words: Words) -> str:
    """What the finding means for the programme, and what to do about it."""
    lineup = words.lineup
    match finding:
        case VenueOverlap(earlier=a, later=b, minutes=minutes):
            return (
                f"Screenings {words.id(a)} ({words.span(a)}) and {words.id(b)} "
                f"({words.span(b)}) overlap by {minutes} minutes in {words.room(b)}; "
                "move one of them or shorten it."
            )
        case Turnaround(earlier=a, later=b, gap_seconds=gap):
            need = lineup.room(lineup.venues[b]).turnaround_minutes
            return (
                f"Screening {words.id(b)} starts {gap // 60} minutes after screening "
                f"{words.id(a)} ends in {words.room(b)}; the room needs {need} for turnaround."
            )
        case RuntimeOverrun(screening=i):
            slot = lineup.slots[i]
            return (
                f"Screening {slot.id} runs {slot.runtime_minutes} minutes but its slot is booked "
                f"for {slot.slot_minutes}; lengthen the slot or trim the intro or Q&A."
            )
        case PrintClash(film_id=film, holders=holders, screening=i, minutes=minutes):
            copies = lineup.copies(film)
            held = ", ".join(words.holder(hold) for hold in holders)
            prints = "1 print" if copies == 1 else f"{copies} prints"
            return (
                f"{lineup.title(film)} has {prints}, but screening {words.id(i)} starts at "
                f"{words.clock(lineup.starts[i])} in {words.room(i)} while {held} still "
                f"{'holds it' if len(holders) == 1 else 'hold them'}: {minutes} minutes short."
            )
        case GuestClash(earlier=a, later=b, guest_keys=keys, minutes=minutes):
            return (
                f"{words.guests(a, keys)} {'is' if len(keys) == 1 else 'are'} listed at screenings "
                f"{words.id(a)} ({words.span(a)}, {words.room(a)}) and {words.id(b)} ({words.span(b)}, "
                f"{words.room(b)}), which overlap by {minutes} minutes."
            )
        case VenueUnavailable(screening=i, minutes=minutes):
            return (
                f"Screening {words.id(i)} runs {words.span(i)} in {words.room(i)}, but {minutes} minutes "
                "of it fall outside the room's availability; move it into an available window."
            )
        case OutsideFestival(screening=i, day=day):
            rules = lineup.rules
            return (
                f"Screening {words.id(i)} falls on festival day {day.isoformat()}, outside the "
                f"festival ({rules.starts_on.isoformat()} to {rules.ends_on.isoformat()}); "
                "move it or cancel it."
            )
        case _:
            assert_never(finding)


class Words:
    """The pieces of a sentence: a screening's id, room and times, guests' names.

    One per lineup: clock times are kept by epoch second, as many conflicts share a start.
    """

    __slots__ = ("lineup", "_clocks", "_rooms")

    def __init__(self, lineup: Lineup) -> None:
        self.lineup = lineup
        self._clocks: dict[int, str] = {}
        self._rooms: dict[int, str] = {}  # by venue id

    def id(self, i: int) -> int:
        """Screening `i`'s id."""
        return self.lineup.slots[i].id

    def room(self, i: int) -> str:
        """The name of screening `i`'s room."""
        venue_id = self.lineup.venues[i]
        name = self._rooms.get(venue_id)
        if name is None:
            name = self._rooms[venue_id] = self.lineup.room(venue_id).name
        return name

    def clock(self, seconds: int) -> str:
        """An instant (epoch seconds) as the festival's clocks show it: 21:30 (02:30 CET in the
        hour the clocks repeat)."""
        text = self._clocks.get(seconds)
        if text is None:
            local = datetime.fromtimestamp(seconds, self.lineup.rules.zone)
            text = _TWO_DIGITS[local.hour] + ":" + _TWO_DIGITS[local.minute]
            if is_repeated(local):
                text += f" {zone_label(local)}"
            self._clocks[seconds] = text
        return text

    def span(self, i: int) -> str:
        """When screening `i` runs, on the festival's clocks: 20:00–22:10."""
        # the clocks looked up here first: most are known, and a call costs more than the lookup
        starts, ends = self.lineup.starts[i], self.lineup.ends[i]
        clocks = self._clocks
        return f"{clocks.get(starts) or self.clock(starts)}–{clocks.get(ends) or self.clock(ends)}"

    def holder(self, hold: Hold) -> str:
        """A screening that holds a print, and until when."""
        i = hold.screening
        ends = self.lineup.ends[i]
        transit = minutes_up(hold.until - ends)
        in_transit = f" plus {transit} minutes in transit" if transit else ""
        return f"screening {self.id(i)} ({self.room(i)}, until {self.clock(ends)}{in_transit})"

    def guests(self, i: int, keys: tuple[str, ...]) -> str:
        """The guests `keys`, spelled as screening `i` lists them: "Anna, Bela and Chantal"."""
        spelled = {guest_key(name): " ".join(name.split()) for name in reversed(self.lineup.slots[i].guests)}
        names = [spelled[key] for key in keys]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
