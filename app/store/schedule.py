"""The working schedule: placing and saving screenings, and their conflicts.

Routes hand in validated fields; this module checks them against the festival, places the
screening in time, stores it under the festival lock and enforces the confirmed-screening
rule (see `guard`), and finds conflicts by loading only what can conflict.
"""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlmodel import Session

from app.cache import LRU
from app.scheduling.conflicts import Conflict, Slot, conflicts_of, find_conflicts
from app.scheduling.programme import LONGEST_SCREENING_MINUTES, screening_runtime
from app.scheduling.times import NonExistentLocalTime, add_minutes, local_time
from app.store.guard import refuse_confirmation_errors
from app.store.models import Festival, Screening, ScreeningFilm
from app.store.repository import (
    film_facts,
    lock_festival,
    prints_of,
    rooms_of,
    rules_of,
    slots_of,
    venue_belongs,
)


class InvalidField(ValueError):
    """A value that is well-formed but wrong for this festival (answered as 422 naming the field)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

_conflicts: LRU[list[Conflict]] = LRU(maxsize=32)


def festival_conflicts(session: Session, festival: Festival) -> list[Conflict]:
    """Every conflict of the festival's schedule, errors first.

    Keyed by the festival's schedule revision, which every schedule write raises in the
    same transaction (`lock_festival`), so a cached answer is never older than the request.
    """
    def compute() -> list[Conflict]:
        return find_conflicts(slots_of(session, festival), rooms_of(session, festival.id),
                              prints_of(session, festival.id), rules_of(festival))

    return _conflicts.get_or_make((festival.id, festival.schedule_revision), compute)


def place_screening(session: Session, festival: Festival, fields: dict, screening_id: int = 0) -> Slot:
    """Check a screening's venue, films and start against the festival and place it in time."""
    if not venue_belongs(session, festival.id, fields["venue_id"]):
        raise InvalidField("venue_id", f"venue {fields['venue_id']} is not a venue of festival '{festival.slug}'")
    films = film_facts(session, festival.id, fields["films"])
    for index, film_id in enumerate(fields["films"]):
        if film_id not in films:
            raise InvalidField(f"films.{index}", f"film {film_id} is not a film of festival '{festival.slug}'")
    try:
        starts_at = local_time(fields["starts_at"], ZoneInfo(festival.timezone))
    except NonExistentLocalTime as error:
        raise InvalidField("starts_at", str(error)) from None
    runtime = screening_runtime(fields["intro_minutes"], [films[f][1] for f in fields["films"]],
                                fields["qa_minutes"])
    if runtime > LONGEST_SCREENING_MINUTES:
        raise InvalidField("films", f"the screening would last {runtime} minutes; at most "
                                    f"{LONGEST_SCREENING_MINUTES} (one day) is allowed")
    return Slot(id=screening_id, venue_id=fields["venue_id"], starts_at=starts_at,
                ends_at=add_minutes(starts_at, runtime), film_ids=tuple(fields["films"]),
                guests=tuple(fields["guests"]), status=fields["status"], slot_minutes=fields["slot_minutes"],
                runtime_minutes=runtime)


def screening_conflicts(session: Session, festival: Festival, slot: Slot) -> list[Conflict]:
    """Conflicts of one (stored or proposed) screening: only screenings within reach are loaded."""
    others = [s for s in slots_of(session, festival, around=(slot.starts_at, slot.ends_at)) if s.id != slot.id]
    conflicts = find_conflicts([*others, slot], rooms_of(session, festival.id),
                               prints_of(session, festival.id), rules_of(festival))
    return conflicts_of(slot.id, conflicts)


def save_screening(session: Session, festival: Festival, screening: Screening,
                   fields: dict) -> tuple[Slot, list[Conflict]]:
    """Store `fields` into `screening` (new or existing) under the festival lock.

    Refuses (ScheduleRefused) a confirmed screening that would have an error-level conflict
    with another confirmed one; returns the screening's place in time and its conflicts.
    """
    lock_festival(session, festival.id)
    new = screening.id is None
    slot = place_screening(session, festival, fields, screening.id or 0)
    for field, value in fields.items():
        if field not in ("films", "starts_at"):
            setattr(screening, field, value)
    screening.starts_at = slot.starts_at
    screening.festival_id = festival.id
    if not new:
        screening.revision += 1
    session.add(screening)
    session.flush()
    if not new:
        session.execute(delete(ScreeningFilm).where(ScreeningFilm.screening_id == screening.id))
    session.add_all(ScreeningFilm(screening_id=screening.id, position=i, film_id=f)
                    for i, f in enumerate(fields["films"]))
    session.flush()
    slot = dataclasses.replace(slot, id=screening.id)
    # one load of the screenings within reach serves both the guard and the answer
    nearby = slots_of(session, festival, around=(slot.starts_at, slot.ends_at))
    rooms, rules = rooms_of(session, festival.id), rules_of(festival)
    prints = prints_of(session, festival.id, film_ids={f for s in nearby for f in s.film_ids})
    if screening.status == "confirmed":
        confirmed = [s for s in nearby if s.status == "confirmed"]
        refuse_confirmation_errors(screening.id, find_conflicts(confirmed, rooms, prints, rules), new)
    return slot, conflicts_of(screening.id, find_conflicts(nearby, rooms, prints, rules))
