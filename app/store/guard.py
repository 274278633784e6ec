"""The invariant: confirmed screenings never hold an error-level conflict among themselves.

Every write that could break it (confirming or moving a screening, a film's runtime or
copies, a venue's availability, the festival's print transfer time) calls one of these
inside its transaction, after taking the festival's lock; a refusal rolls the whole
request back.
"""

from __future__ import annotations

from sqlmodel import Session

from app.scheduling.conflicts import Conflict, find_conflicts
from app.store.models import Festival
from app.store.repository import lock_festival, prints_of, rooms_of, rules_of, slots_of


class ScheduleRefused(Exception):
    """A write that would leave confirmed screenings in error-level conflict."""

    def __init__(self, message: str, conflicts: list[Conflict]):
        super().__init__(message)
        self.message = message
        self.conflicts = conflicts


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


def guard_confirmed_schedule(session: Session, festival: Festival) -> None:
    """Refuse a change (to a film, venue or the festival) that breaks the confirmed schedule."""
    lock_festival(session, festival.id)
    slots = slots_of(session, festival, statuses=("confirmed",))
    if not slots:
        return
    conflicts = find_conflicts(slots, rooms_of(session, festival.id), prints_of(session, festival.id),
                               rules_of(festival))
    errors = _errors(conflicts)
    if errors:
        raise ScheduleRefused(
            "This change would put confirmed screenings in conflict: " + errors[0].message
            + " Set them back to draft or move them first.", errors)
