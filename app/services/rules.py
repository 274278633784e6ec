"""The schedule's standing rules, checked inside the writing transaction after the festival's lock.

- Confirmed screenings never hold an error-level conflict among themselves.
- No screening lasts longer than a day (`LONGEST_SCREENING_MINUTES`): the neighbour query
  behind the first rule relies on it, so a film's new runtime or a loaded folder must keep it.

Every write that could break them (confirming or moving a screening, a film's runtime or
copies, a venue's availability, the festival's dates or print transfer time, loading a
folder) calls one of these; a refusal rolls the whole request back.
"""

from __future__ import annotations

from sqlmodel import Session

from app.scheduling.conflicts import Conflict, find_conflicts
from app.scheduling.fields import ScreeningStatus
from app.scheduling.programme import screening_too_long
from app.services.errors import InvalidField, ScheduleRefused
from app.store.models import Festival
from app.store.repository import lock_festival, prints_of, rooms_of, rules_of, slots_of


def _errors(conflicts: list[Conflict], involving: int | None = None) -> list[Conflict]:
    return [c for c in conflicts if c.severity == "error"
            and (involving is None or involving in c.screening_ids)]


def refuse_confirmation_errors(screening_id: int, confirmed_conflicts: list[Conflict], new: bool = False) -> None:
    """Refuse when a confirmed screening has an error-level conflict among the confirmed ones.

    The caller has taken the festival lock and flushed the screening, and passes the
    conflicts found among the confirmed screenings within its reach.
    """
    errors = _errors(confirmed_conflicts, involving=screening_id)
    if errors:
        # a refused new screening is not stored; its conflicts call it by the id it would have had
        name = f"The new screening (it would be {screening_id})" if new else f"Screening {screening_id}"
        raise ScheduleRefused(
            f"{name} cannot be confirmed: it would have "
            f"{len(errors)} error-level conflict{'s' if len(errors) != 1 else ''} with confirmed "
            "screenings. " + errors[0].message, errors)


def check_whole_schedule(session: Session, festival: Festival, field: str = "films") -> None:
    """Refuse a change (to a film, venue, the festival, or a loaded folder) that breaks a standing rule."""
    lock_festival(session, festival.id)
    slots = slots_of(session, festival)
    for slot in slots:
        reason = screening_too_long(slot.runtime_minutes)
        if reason:
            raise InvalidField(field, f"screening {slot.id}: {reason}")
    confirmed = [s for s in slots if s.status == ScreeningStatus.CONFIRMED]
    if not confirmed:
        return
    conflicts = find_conflicts(confirmed, rooms_of(session, festival.id), prints_of(session, festival.id),
                               rules_of(festival))
    errors = _errors(conflicts)
    if errors:
        raise ScheduleRefused(
            "This change would put confirmed screenings in conflict: " + errors[0].message
            + " Set them back to draft or move them first.", errors)
