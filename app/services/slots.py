"""Where a film can still go: the starts at which a new screening of it fits (`scheduling.slots`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.scheduling.slots import FreeStart, free_starts
from app.scheduling.times import day_bounds
from app.services.catalogue import get_film, get_venue
from app.services.errors import InvalidField
from app.store.models import Festival
from app.store.repository import prints_of, rooms_of, rules_of, slots_of


def film_slots(
    session: Session,
    festival: Festival,
    film_id: int,
    *,
    day: date | None = None,
    venue_id: int | None = None,
    earliest: datetime | None = None,
    latest: datetime | None = None,
    step: int = 15,
) -> list[FreeStart]:
    """Every start (on a `step`-minute wall-clock grid) where the film fits with no blocking conflict.

    Counted against drafts and confirmed screenings alike, so an offered start is one the
    board will not flag: no overlap, print or availability clash, and the venue's turnaround
    kept on both sides. Ordered by venue, then start; each a plain (venue_id, starts_at, ends_at).
    """
    film = get_film(session, festival, film_id)
    if venue_id is not None:
        get_venue(session, festival, venue_id)
    if 1440 % step:
        raise InvalidField("step", "must divide a day into whole minutes (5, 10, 15, 30, 60, ...)")
    around = None
    if day is not None:
        opens, closes = day_bounds(day, ZoneInfo(festival.timezone), festival.day_starts_at)
        # a start late in the day runs into the next: load what its end can reach too
        around = (opens, closes.astimezone(UTC) + timedelta(minutes=film.runtime_minutes))
    screenings = slots_of(session, festival, around=around)
    rooms = rooms_of(session, festival.id)
    return free_starts(
        [film.id],
        film.runtime_minutes,
        screenings,
        rooms,
        prints_of(session, festival.id, film_ids=[film.id]),
        rules_of(festival),
        day=day,
        venue_ids=None if venue_id is None else [venue_id],
        earliest=earliest,
        latest=latest,
        step=step,
    )
