"""Screenings: placing, creating, moving, confirming and deleting them, and their conflicts.

Callers hand in validated fields (`ScreeningBase`); this module checks them against the
festival, places the screening in time, stores it under the festival lock, enforces the
confirmed-screening rule (see `rules`), and finds conflicts by loading only what can conflict.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.scheduling.conflicts import Conflict, Print, Room, Slot, conflicts_of, find_conflicts
from app.scheduling.fields import ScreeningBase, ScreeningStatus, check_near_festival
from app.scheduling.programme import screening_runtime, screening_title, screening_too_long
from app.scheduling.times import NonExistentLocalTime, add_minutes, day_spans, festival_day, local_time
from app.scheduling.wording import describe
from app.services.conflict_ledgers import conflicts_now
from app.services.errors import InvalidField, NotFound, Stale
from app.services.rules import in_words, named, names_of, refuse_confirmation_errors
from app.store import repository
from app.store.models import Festival, Screening
from app.store.repository import film_facts, lock_festival, prints_of, rooms_of, rules_of, slots_of, venue_belongs


def etag_of(kind: str, row: Any) -> str:
    """The ETag of a stored festival, venue, film or screening: its id and revision."""
    return f'"{kind}-{row.id}-{row.revision}"'


def check_if_match(if_match: str | None, etag: str) -> None:
    """Refuse a write whose `If-Match` names another revision (Stale → 412)."""
    if if_match is None:
        return
    candidates = [c.strip() for c in if_match.split(",")]
    if "*" not in candidates and etag not in candidates:
        raise Stale(etag)


@dataclass
class Known:
    """The festival's venues and films (title, runtime) placing has found, kept through a list of changes.

    Only what the database confirmed is kept, so a venue or film not in it is looked up, never
    refused on its account; venues and films do not change while a list of changes is applied.
    """

    venues: set[int] = dataclasses.field(default_factory=set)
    films: dict[int, tuple[str, int]] = dataclasses.field(default_factory=dict)

    def read(self, session: Session, festival: Festival, venue_ids: Iterable[int], film_ids: Iterable[int]) -> None:
        """Look up many at once (two queries), before placing the screenings that name them."""
        self.venues.update(repository.venues_among(session, festival.id, venue_ids))
        self.films.update(film_facts(session, festival.id, film_ids))


def place_screening(
    session: Session,
    festival: Festival,
    fields: dict,
    screening_id: int = 0,
    near_festival: bool = True,
    known: Known | None = None,
) -> Slot:
    """Check a screening's venue, films and start against the festival and place it in time.

    `near_festival=False` places a stored screening for reading, without refusing one that an
    older release let lie far from the festival's dates. `known` saves looking up the venues and
    films already found (a list of changes).
    """
    known = known if known is not None else Known()
    if fields["venue_id"] not in known.venues:
        if not venue_belongs(session, festival.id, fields["venue_id"]):
            raise InvalidField("venue_id", f"venue {fields['venue_id']} is not a venue of festival '{festival.slug}'")
        known.venues.add(fields["venue_id"])
    missing = [f for f in fields["films"] if f not in known.films]
    if missing:
        known.films.update(film_facts(session, festival.id, missing))
    films = known.films
    for index, film_id in enumerate(fields["films"]):
        if film_id not in films:
            raise InvalidField(f"films.{index}", f"film {film_id} is not a film of festival '{festival.slug}'")
    try:
        starts_at = local_time(fields["starts_at"], ZoneInfo(festival.timezone))
        if near_festival:
            check_near_festival(starts_at, festival.starts_on, festival.ends_on)
    except (NonExistentLocalTime, ValueError) as error:
        raise InvalidField("starts_at", str(error)) from None
    runtime = screening_runtime(fields["intro_minutes"], [films[f][1] for f in fields["films"]], fields["qa_minutes"])
    too_long = screening_too_long(runtime)
    if too_long:
        raise InvalidField("films", too_long)
    return Slot(
        id=screening_id,
        venue_id=fields["venue_id"],
        starts_at=starts_at,
        ends_at=add_minutes(starts_at, runtime),
        film_ids=tuple(fields["films"]),
        guests=tuple(fields["guests"]),
        status=fields["status"],
        slot_minutes=fields["slot_minutes"],
        runtime_minutes=runtime,
    )


def screening_conflicts(session: Session, festival: Festival, slot: Slot) -> list[Conflict]:
    """Conflicts of one (stored or proposed) screening: only screenings within reach are loaded."""
    nearby = [
        *(
            s
            for s in slots_of(session, festival, around=(slot.starts_at, slot.ends_at), sharing=slot)
            if s.id != slot.id
        ),
        slot,
    ]
    rooms = rooms_of(session, festival.id, {s.venue_id for s in nearby})
    prints = prints_of(session, festival.id, film_ids={f for s in nearby for f in s.film_ids})
    return conflicts_of(slot.id, find_conflicts(nearby, rooms, prints, rules_of(festival)))


def save_screening(
    session: Session,
    festival: Festival,
    screening: Screening,
    fields: dict,
    check_confirmed: bool = True,
    known: Known | None = None,
) -> tuple[Slot, list[Conflict]]:
    """Store `fields` into `screening` (new or existing) under the festival lock.

    Refuses (ScheduleRefused) a confirmed screening that would have an error-level conflict
    with another confirmed one; returns the screening's place in time and its conflicts, in
    words (`in_words`). A list of changes (`changes.apply_changes`) defers that check, and the
    conflicts, to its end (`check_confirmed=False`: no conflicts are looked for here), and keeps
    the venues and films it has found in `known`.
    """
    lock_festival(session, festival.id, screenings_only=True)
    new = screening.id is None
    slot = place_screening(session, festival, fields, screening.id or 0, known=known)
    values = {field: value for field, value in fields.items() if field not in ("films", "starts_at")}
    values["starts_at"] = slot.starts_at
    values["festival_id"] = festival.id
    if new:
        repository.set_new_screening_values(screening, values)
        repository.insert_screening(session, screening)
    else:
        for field, value in values.items():
            setattr(screening, field, value)
        screening.revision += 1
        session.add(screening)
        session.flush()
    repository.set_screening_films(session, screening.id, fields["films"], replace=not new)
    repository.note_screenings_written(session, festival.id, [screening.id])
    slot = dataclasses.replace(slot, id=screening.id)
    if not check_confirmed:
        return slot, []
    # one load of the screenings within reach serves both the guard and the answer
    nearby = slots_of(session, festival, around=(slot.starts_at, slot.ends_at), sharing=slot)
    rooms, rules = rooms_of(session, festival.id, {s.venue_id for s in nearby}), rules_of(festival)
    prints = prints_of(session, festival.id, film_ids={f for s in nearby for f in s.film_ids})
    if screening.status == ScreeningStatus.CONFIRMED:
        confirmed = [s for s in nearby if s.status == ScreeningStatus.CONFIRMED]
        found = find_conflicts(confirmed, rooms, prints, rules)
        if any(c.severity == "error" and screening.id in c.screening_ids for c in found):
            involved = {i for c in found if screening.id in c.screening_ids for i in c.screening_ids}
            names = names_of(session, festival, [s for s in confirmed if s.id in involved])
            refuse_confirmation_errors(screening.id, found, names, new)
    conflicts = conflicts_of(screening.id, find_conflicts(nearby, rooms, prints, rules))
    return slot, worded(conflicts, nearby, rooms, prints, rules.zone)


def worded(
    conflicts: list[Conflict], slots: list[Slot], rooms: dict[int, Room], prints: dict[int, Print], zone: ZoneInfo
) -> list[Conflict]:
    """`in_words` from what a write has loaded already: the screenings named, their rooms and films."""
    ids = {i for c in conflicts for i in c.screening_ids}
    if not ids:
        return conflicts
    titles = {film_id: p.title for film_id, p in prints.items()}
    names = named([s for s in slots if s.id in ids], titles, rooms, zone)
    return [dataclasses.replace(c, message=describe(c, names)) for c in conflicts]


# -- the use cases --------------------------------------------------------------------------


def screening_view(
    screening: Screening, slot: Slot, festival: Festival, titles: dict[int, str], conflicts: list[Conflict]
) -> dict:
    """A stored screening with its derived values (runtime, end, festival day) and conflicts."""
    rules = rules_of(festival)
    return {
        **screening.model_dump(exclude={"festival_id", "revision"}),
        "starts_at": slot.starts_at.astimezone(rules.zone),
        "films": list(slot.film_ids),
        "title": screening_title(screening.title, [titles[f] for f in slot.film_ids]),
        "runtime_minutes": slot.runtime_minutes,
        "ends_at": slot.ends_at.astimezone(rules.zone),
        "festival_day": festival_day(slot.starts_at, rules.zone, rules.day_starts_at),
        "conflicts": conflicts,
    }


def get_screening(session: Session, festival: Festival, screening_id: int) -> Screening:
    screening = session.get(Screening, screening_id)
    if screening is None or screening.festival_id != festival.id:
        raise NotFound(f"Screening {screening_id} of festival '{festival.slug}' does not exist.")
    return screening


def _answer(session: Session, festival: Festival, screening: Screening, fields: ScreeningBase) -> dict:
    known = Known()
    slot, conflicts = save_screening(session, festival, screening, fields.model_dump(), known=known)
    titles = {film_id: known.films[film_id][0] for film_id in slot.film_ids}  # placing read them
    return screening_view(screening, slot, festival, titles, conflicts)


def create_screening(session: Session, festival: Festival, fields: ScreeningBase) -> tuple[Screening, dict]:
    """Place and store a new screening; refused (nothing stored) when confirming it breaks the rule."""
    screening = repository.new_screening()
    return screening, _answer(session, festival, screening, fields)


def stored_fields(session: Session, screening: Screening) -> dict:
    """The stored screening as fields (its start aware, so it is not read again as a local time)."""
    films = repository.films_of_screenings(session, [screening.id])[screening.id]
    return {**screening.model_dump(include=set(ScreeningBase.model_fields)), "films": films}


def update_screening(
    session: Session, festival: Festival, screening_id: int, changes: dict, if_match: str | None = None
) -> tuple[Screening, dict]:
    """Move, retime, confirm or otherwise change a screening; `changes` holds only what changes."""
    lock_festival(session, festival.id, screenings_only=True)
    screening = get_screening(session, festival, screening_id)
    session.refresh(screening)
    check_if_match(if_match, etag_of("screening", screening))
    merged = ScreeningBase.model_validate({**stored_fields(session, screening), **changes})
    return screening, _answer(session, festival, screening, merged)


def delete_screening(session: Session, festival: Festival, screening_id: int, if_match: str | None = None) -> None:
    lock_festival(session, festival.id, screenings_only=True)
    screening = get_screening(session, festival, screening_id)
    session.refresh(screening)
    check_if_match(if_match, etag_of("screening", screening))
    session.delete(screening)
    session.flush()
    repository.note_screenings_written(session, festival.id, [screening_id])


def read_screening(session: Session, festival: Festival, screening_id: int) -> tuple[Screening, dict]:
    screening = get_screening(session, festival, screening_id)
    slot = place_screening(session, festival, stored_fields(session, screening), screening.id, near_festival=False)
    titles = repository.film_titles(session, festival.id, slot.film_ids)
    conflicts = in_words(session, festival, screening_conflicts(session, festival, slot))
    return screening, screening_view(screening, slot, festival, titles, conflicts)


def check_screening(session: Session, festival: Festival, fields: ScreeningBase) -> list[Conflict]:
    """The conflicts a proposed screening would have (id 0 stands for it). Writes nothing."""
    proposed = place_screening(session, festival, fields.model_dump())
    return in_words(session, festival, screening_conflicts(session, festival, proposed), proposed)


def list_screenings(
    session: Session,
    festival: Festival,
    *,
    day: date | None = None,
    venue_id: int | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict], int]:
    """A page of the working schedule (drafts included), each screening with its conflicts."""
    # the instants whose festival day is `day` (two spans when the day starts in a repeated hour)
    spans = day_spans(day, ZoneInfo(festival.timezone), festival.day_starts_at) if day else None
    rows, total = repository.screenings_page(
        session, festival.id, spans=spans, venue_id=venue_id, status=status, limit=limit, offset=offset
    )
    if not rows:
        return [], total
    slots = {s.id: s for s in slots_of(session, festival, ids=[r.id for r in rows])}
    # on PostgreSQL each statement reads what is committed then: a screening on the page may
    # have been deleted by another writer since the page was read
    rows = [r for r in rows if r.id in slots]
    by_screening: dict[int, list[Conflict]] = {}
    on_page = set(slots)
    now = conflicts_now(session, festival)
    page_conflicts = [c for c in now.all if on_page.intersection(c.screening_ids)]
    for conflict in now.in_words(session, festival, page_conflicts):
        for screening_id in conflict.screening_ids:
            by_screening.setdefault(screening_id, []).append(conflict)
    titles = repository.film_titles(session, festival.id)
    return [screening_view(r, slots[r.id], festival, titles, by_screening.get(r.id, [])) for r in rows], total
