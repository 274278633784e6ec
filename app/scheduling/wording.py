"""Screenings and refusals in words a programmer can act on: titles, day, time and venue.

Pure: the callers hand in what a screening is called, when and where. The ids stay in the
structured fields of every answer; these sentences are for people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from app.scheduling.conflicts import Conflict

KIND_NAMES = {
    "venue_overlap": "overlap in a venue",
    "turnaround": "short turnaround",
    "runtime_overrun": "runs over its slot",
    "print_clash": "not enough prints",
    "guest_clash": "guest in two places",
    "venue_unavailable": "venue not available",
    "outside_festival": "outside the festival",
}


def when(at: datetime) -> str:
    """A local time as a programme prints it: "Fri 19 Nov 22:00"."""
    return f"{at:%a} {at.day} {at:%b %H:%M}"


@dataclass(frozen=True, slots=True)
class Named:
    """What a screening is called and where it is: enough to find it on the board."""

    title: str
    starts_at: datetime  # local
    venue: str

    def __str__(self) -> str:
        return f"{self.title} ({when(self.starts_at)}, {self.venue})"


def _minutes(n: int) -> str:
    return f"{n} minute{'s' if n != 1 else ''}"


def reason(conflict: Conflict, subject: int, names: Mapping[int, Named]) -> str:
    """Why `subject` is in `conflict`, naming the other screenings involved."""
    others = [names[i] for i in conflict.screening_ids if i != subject and i in names]
    listed = " and ".join(map(str, others))
    minutes = _minutes(conflict.minutes)
    if conflict.kind == "venue_overlap" and others:
        return f"it overlaps {listed} by {minutes} in {others[0].venue}"
    if conflict.kind == "print_clash":
        return (
            f"there are not enough prints: {listed} still "
            f"{'holds' if len(others) == 1 else 'hold'} them ({minutes} short)"
            if others
            else f"it needs a print that is still in use ({minutes} short)"
        )
    if conflict.kind == "venue_unavailable" and subject in names:
        return f"{names[subject].venue} is not available for {minutes} of it"
    if conflict.kind == "turnaround" and others:
        return f"it leaves {others[0].venue} {minutes} short of its turnaround next to {listed}"
    return conflict.message


def refusal(subject: Named, new: bool, errors: list[Conflict], subject_id: int, names: Mapping[int, Named]) -> str:
    """The sentence of a refused confirmation: what, when, where, and why."""
    what = f"The new screening of {subject}" if new else str(subject)
    count = f"{len(errors)} error-level conflict{'s' if len(errors) != 1 else ''}"
    reasons = "; ".join(reason(c, subject_id, names) for c in errors[:3])
    more = f"; and {len(errors) - 3} more" if len(errors) > 3 else ""
    return f"{what} cannot be confirmed: {count} with confirmed screenings: {reasons}{more}."


def between(conflict: Conflict, names: Mapping[int, Named]) -> str:
    """A conflict among several screenings, named: "A (…) and B (…): overlap in a venue, 30 minutes"."""
    listed = " and ".join(str(names[i]) for i in conflict.screening_ids if i in names)
    return f"{listed}: {KIND_NAMES.get(conflict.kind, conflict.kind)}, {_minutes(conflict.minutes)}"


def describe(conflict: Conflict, names: Mapping[int, Named]) -> str:
    """A conflict in a sentence that names its screenings by films, day, time and venue."""
    found = [names[i] for i in conflict.screening_ids if i in names]
    if len(found) != len(conflict.screening_ids) or not found:
        return conflict.message
    minutes = _minutes(conflict.minutes)
    first, last = found[0], found[-1]
    if conflict.kind == "venue_overlap":
        return f"{first} and {last} overlap by {minutes} in {first.venue}; move one of them or shorten it."
    if conflict.kind == "turnaround":
        return f"{last} starts too soon after {first} ends: {first.venue} is {minutes} short of its turnaround."
    if conflict.kind == "print_clash":
        held = " and ".join(map(str, found[:-1]))
        return f"{last} needs a print that {held} still {'holds' if len(found) == 2 else 'hold'}: {minutes} short."
    if conflict.kind == "guest_clash":
        return f"A guest is listed at {first} and {last}, which overlap by {minutes}."
    if conflict.kind == "venue_unavailable":
        return f"{first.venue} is not available for {minutes} of {first}."
    if conflict.kind == "runtime_overrun":
        return f"{first} runs {minutes} over its booked slot; lengthen the slot or trim the intro or Q&A."
    if conflict.kind == "outside_festival":
        return f"{first} falls outside the festival's dates."
    return conflict.message
