"""The working schedule's conflicts, computed once per schedule revision and process."""

from __future__ import annotations

from sqlmodel import Session

from app.cache import LRU
from app.scheduling.conflicts import Conflict, find_conflicts
from app.store.models import Festival
from app.store.repository import prints_of, rooms_of, rules_of, slots_of

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
