"""A list of screening changes applied in one transaction: create, update and delete.

Each entry is placed like a single write (`screenings.save_screening`: the same fields, the
same refusals), but the confirmed-screening rule is checked once, on the result: one
`find_conflicts` over the confirmed screenings around everything the list touched. So two
confirmed screenings can swap places, which two single writes could not do without a detour
through draft. Any refusal refuses the whole list (`ChangeRefused` names the entry by its
`index`); the caller's transaction is rolled back, so nothing is half-saved. The festival's
lock is taken first and held to the end, so concurrent lists (and single writes) queue.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.scheduling.conflicts import Conflict, find_conflicts
from app.scheduling.fields import MAX_ID, ScreeningBase, ScreeningStatus
from app.scheduling.wording import refusal
from app.services.errors import ChangeRefused, InvalidField, ScheduleRefused, ServiceError
from app.services.rules import errors_among, names_of
from app.services.screenings import Known, get_screening, save_screening, screening_view, stored_fields
from app.store import repository
from app.store.models import Festival, Screening
from app.store.repository import lock_festival, prints_of, rooms_of, rules_of, slots_of

OPS = ("create", "update", "delete")
MAX_CHANGES = 1_000


def _entry_id(entry: dict) -> int:
    value = entry.get("id")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ID:
        raise InvalidField("id", "give the id of the screening to change (a positive whole number)")
    return value


def _invalid(error: ValidationError) -> InvalidField:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "body"
    return InvalidField(field, first.get("msg", "is invalid").removeprefix("Value error, "))


def _named_ids(entries: list[Any]) -> tuple[set[int], set[int]]:
    """The venue and film ids the entries name (whatever else they hold is checked entry by entry)."""
    venues: set[int] = set()
    films: set[int] = set()
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        venue = entry.get("venue_id")
        if _is_id(venue):
            venues.add(venue)
        named = entry.get("films")
        if isinstance(named, list):
            films.update(f for f in named if _is_id(f))
    return venues, films


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def apply_changes(session: Session, festival: Festival, entries: list[dict[str, Any]]) -> list[dict]:
    """Apply every entry or none; answers each entry's outcome (the screening as it now stands)."""
    if not entries:
        raise InvalidField("changes", "give at least one change")
    if len(entries) > MAX_CHANGES:
        raise InvalidField("changes", f"at most {MAX_CHANGES} changes in one list")
    lock_festival(session, festival.id, screenings_only=True)
    known = Known()  # the venues and films the entries name: two queries for the whole list
    known.read(session, festival, *_named_ids(entries))
    touched: dict[int, int] = {}  # screening id -> index of the last entry that placed it
    outcomes: list[tuple[int, str, int, Screening | None]] = []
    for index, entry in enumerate(entries):
        op = entry.get("op") if isinstance(entry, dict) else None
        try:
            if op not in OPS:
                raise InvalidField("op", "must be one of create, update, delete")
            fields = {k: v for k, v in entry.items() if k not in ("op", "id")}
            if op == "create":
                if "id" in entry:
                    raise InvalidField("id", "a new screening gets its id when stored; leave it out")
                screening = repository.new_screening()
                save_screening(
                    session,
                    festival,
                    screening,
                    ScreeningBase.model_validate(fields).model_dump(),
                    check_confirmed=False,
                    known=known,
                )
            elif op == "update":
                screening = get_screening(session, festival, _entry_id(entry))
                session.refresh(screening)
                merged = ScreeningBase.model_validate({**stored_fields(session, screening), **fields})
                save_screening(session, festival, screening, merged.model_dump(), check_confirmed=False, known=known)
            else:
                if fields:
                    raise InvalidField(next(iter(fields)), "a delete takes only op and id")
                screening = get_screening(session, festival, _entry_id(entry))
                screening_id = screening.id
                session.delete(screening)
                session.flush()
                repository.note_screenings_written(session, festival.id, [screening_id])
                touched.pop(screening_id, None)
                outcomes.append((index, op, screening_id, None))
                continue
        except ValidationError as error:
            raise ChangeRefused(index, str(op), _invalid(error)) from None
        except ServiceError as error:
            raise ChangeRefused(index, str(op), error) from None
        touched[screening.id] = index
        outcomes.append((index, op, screening.id, screening))

    placed = {s.id: s for s in slots_of(session, festival, ids=list(touched))}
    views: dict[int, dict] = {}
    if placed:
        lo = min(s.starts_at for s in placed.values())
        hi = max(s.ends_at for s in placed.values())
        nearby = slots_of(session, festival, around=(lo, hi))
        rooms, rules = rooms_of(session, festival.id), rules_of(festival)
        prints = prints_of(session, festival.id, film_ids={f for s in nearby for f in s.film_ids})
        confirmed = [s for s in nearby if s.status == ScreeningStatus.CONFIRMED]
        errors = [
            c
            for c in errors_among(find_conflicts(confirmed, rooms, prints, rules))
            if any(i in placed and placed[i].status == ScreeningStatus.CONFIRMED for i in c.screening_ids)
        ]
        if errors:
            _refuse(session, festival, errors, touched, placed, entries, confirmed)
        everything: dict[int, list[Conflict]] = {}  # screening id -> its conflicts, in the list's order
        for conflict in find_conflicts(nearby, rooms, prints, rules):
            for screening_id in set(conflict.screening_ids):
                everything.setdefault(screening_id, []).append(conflict)
        titles = repository.film_titles(session, festival.id, {f for s in placed.values() for f in s.film_ids})
        # each screening as the last entry that placed it left it (a new one is stored as a plain
        # value, so a later entry that changes it by its id holds another object)
        last = {i: screening for _, _, i, screening in outcomes if screening is not None and i in placed}
        for screening_id, screening in last.items():
            views[screening_id] = screening_view(
                screening, placed[screening_id], festival, titles, everything.get(screening_id, [])
            )
    return [
        {
            "index": index,
            "op": op,
            "id": screening_id,
            "screening": views.get(screening_id) if screening is not None else None,
        }
        for index, op, screening_id, screening in outcomes
    ]


def _refuse(session: Session, festival: Festival, errors, touched: dict[int, int], placed, entries, confirmed) -> None:
    """Refuse the list, naming the first entry whose screening is in the first error."""
    first = errors[0]
    subject = min((i for i in first.screening_ids if i in touched), key=lambda i: touched[i])
    index = touched[subject]
    involved = {i for c in errors for i in c.screening_ids}
    names = names_of(session, festival, [s for s in confirmed if s.id in involved])
    new = entries[index].get("op") == "create"
    mine = [c for c in errors if subject in c.screening_ids]
    cause = ScheduleRefused(refusal(names[subject], new, mine, subject, names), errors)
    raise ChangeRefused(index, str(entries[index].get("op")), cause)
