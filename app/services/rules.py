"""The schedule's standing rules, checked inside the writing transaction after the festival's lock.

- Confirmed screenings never hold an error-level conflict among themselves.
- No screening lasts longer than a day (`LONGEST_SCREENING_MINUTES`): the neighbour query
  behind the first rule relies on it, so a film's new runtime or a loaded folder must keep it.

Every write that could break them (confirming or moving a screening, a film's runtime or
copies, a venue's availability, the festival's dates or print transfer time, loading a
folder, a list of changes) calls one of these; a refusal rolls the whole request back.
Refusals name screenings by their films, day, time and venue (`names_of`); the ids stay in
the conflicts' `screening_ids`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.scheduling.conflicts import Conflict, Room, Slot, find_conflicts
from app.scheduling.fields import ScreeningStatus, check_near_festival
from app.scheduling.programme import screening_too_long
from app.scheduling.wording import Named, between, describe, refusal
from app.services.errors import InvalidField, ScheduleRefused
from app.store import repository
from app.store.models import Festival
from app.store.repository import lock_festival, prints_of, rooms_of, rules_of, slots_of


def errors_among(conflicts: list[Conflict], involving: int | None = None) -> list[Conflict]:
    return [c for c in conflicts if c.severity == "error" and (involving is None or involving in c.screening_ids)]


def names_of(session: Session, festival: Festival, slots: Iterable[Slot]) -> dict[int, Named]:
    """Each screening's films, local start and venue, for sentences."""
    slots = list(slots)
    titles = repository.film_titles(session, festival.id, {f for s in slots for f in s.film_ids})
    rooms = rooms_of(session, festival.id, {s.venue_id for s in slots})
    return named(slots, titles, rooms, ZoneInfo(festival.timezone))


def named(
    slots: Iterable[Slot], titles: Mapping[int, str], rooms: Mapping[int, Room], zone: ZoneInfo
) -> dict[int, Named]:
    """`names_of` from titles and rooms already loaded."""
    return {
        s.id: Named(
            " + ".join(titles.get(f, f"film {f}") for f in s.film_ids),
            s.starts_at.astimezone(zone),
            rooms[s.venue_id].name if s.venue_id in rooms else f"venue {s.venue_id}",
        )
        for s in slots
    }


def in_words(
    session: Session, festival: Festival, conflicts: list[Conflict], proposed: Slot | None = None
) -> list[Conflict]:
    """The conflicts with messages that name films, day, time and venue; the ids stay in `screening_ids`."""
    ids = {i for c in conflicts for i in c.screening_ids}
    if not ids:
        return conflicts
    slots = slots_of(session, festival, ids=sorted(i for i in ids if proposed is None or i != proposed.id))
    names = names_of(session, festival, [*slots, *([proposed] if proposed is not None else [])])
    return [dataclasses.replace(c, message=describe(c, names)) for c in conflicts]


def refuse_confirmation_errors(
    screening_id: int, confirmed_conflicts: list[Conflict], names: Mapping[int, Named], new: bool = False
) -> None:
    """Refuse when a confirmed screening has an error-level conflict among the confirmed ones.

    The caller has taken the festival lock and flushed the screening, and passes the
    conflicts found among the confirmed screenings within its reach, and their names.
    """
    errors = errors_among(confirmed_conflicts, involving=screening_id)
    if errors:
        raise ScheduleRefused(refusal(names[screening_id], new, errors, screening_id, names), errors)


def check_whole_schedule(session: Session, festival: Festival, field: str = "films") -> None:
    """Refuse a change (to a film, venue, the festival, or a loaded folder) that breaks a standing rule."""
    lock_festival(session, festival.id)
    slots = slots_of(session, festival)
    for slot in slots:
        reason = screening_too_long(slot.runtime_minutes)
        try:
            check_near_festival(
                slot.starts_at.astimezone(ZoneInfo(festival.timezone)), festival.starts_on, festival.ends_on
            )
        except ValueError as error:  # new dates that leave screenings behind
            field, reason = "starts_on", reason or f"a screening would be left behind: {error}; move it first"
        if reason:
            named = names_of(session, festival, [slot])[slot.id]
            raise InvalidField(field, f"{named}: {reason}")
    confirmed = [s for s in slots if s.status == ScreeningStatus.CONFIRMED]
    if not confirmed:
        return
    conflicts = find_conflicts(
        confirmed, rooms_of(session, festival.id), prints_of(session, festival.id), rules_of(festival)
    )
    errors = errors_among(conflicts)
    if errors:
        involved = {i for c in errors for i in c.screening_ids}
        names = names_of(session, festival, [s for s in confirmed if s.id in involved])
        raise ScheduleRefused(
            "This change would put confirmed screenings in conflict: "
            + between(errors[0], names)
            + ". Set them back to draft or move them first.",
            errors,
        )
