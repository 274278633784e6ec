"""Screenings: slots in venues, each answered with its derived times and its conflicts."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func
from sqlmodel import Session, select

from app.api.deps import FestivalDep, PathId, Programmer, SessionDep, check_if_match, etag_of, set_etag
from app.api.festivals import Limit, Offset
from app.api.problems import not_found
from app.api.schemas import (
    MAX_ID,
    Page,
    ScreeningFields,
    ScreeningPublic,
    ScreeningUpdate,
    Status,
)
from app.scheduling.conflicts import Conflict, Slot
from app.scheduling.programme import screening_title
from app.scheduling.times import day_bounds, festival_day
from app.store.models import Festival, Film, Screening
from app.store.repository import film_facts, films_of_screenings, lock_festival, rules_of, slots_of
from app.store.schedule import festival_conflicts, place_screening, save_screening, screening_conflicts

router = APIRouter(prefix="/api/festivals/{slug}/screenings", tags=["screenings"])


def conflict_dicts(conflicts: list[Conflict]) -> list[dict]:
    return [{"kind": c.kind, "severity": c.severity, "screening_ids": list(c.screening_ids),
             "minutes": c.minutes, "message": c.message, "festival_day": c.festival_day}
            for c in conflicts]


def screening_public(screening: Screening, slot: Slot, festival: Festival,
                     titles: dict[int, str], conflicts: list[Conflict]) -> dict:
    rules = rules_of(festival)
    return {
        **screening.model_dump(exclude={"festival_id", "revision"}),
        "starts_at": slot.starts_at.astimezone(rules.zone),
        "films": list(slot.film_ids),
        "title": screening_title(screening.title, [titles[f] for f in slot.film_ids]),
        "runtime_minutes": slot.runtime_minutes,
        "ends_at": slot.ends_at.astimezone(rules.zone),
        "festival_day": festival_day(slot.starts_at, rules.zone, rules.day_starts_at),
        "conflicts": conflict_dicts(conflicts),
    }


def film_titles(session: Session, festival: Festival, film_ids=None) -> dict[int, str]:
    if film_ids is not None:
        return {film_id: title for film_id, (title, _) in film_facts(session, festival.id, film_ids).items()}
    query = select(Film.id, Film.title).where(Film.festival_id == festival.id)
    return {film_id: title for film_id, title in session.execute(query)}


def get_screening(session: Session, festival: Festival, screening_id: int) -> Screening:
    screening = session.get(Screening, screening_id)
    if screening is None or screening.festival_id != festival.id:
        raise not_found(f"Screening {screening_id} of festival '{festival.slug}'")
    return screening


def _answer(session: Session, festival: Festival, screening: Screening, body: ScreeningFields) -> dict:
    slot, conflicts = save_screening(session, festival, screening, body.model_dump())
    return screening_public(screening, slot, festival, film_titles(session, festival, slot.film_ids), conflicts)


@router.post("", status_code=201, response_model=ScreeningPublic)
def create_screening(_: Programmer, body: ScreeningFields, festival: FestivalDep,
                     session: SessionDep, response: Response):
    screening = Screening()
    result = _answer(session, festival, screening, body)
    response.headers["Location"] = f"/api/festivals/{festival.slug}/screenings/{screening.id}"
    set_etag(response, etag_of("screening", screening))
    return result


@router.get("", response_model=Page[ScreeningPublic])
def list_screenings(_: Programmer, festival: FestivalDep, session: SessionDep,
                    day: Annotated[date | None, Query(description="festival day")] = None,
                    venue_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None, status: Status | None = None,
                    limit: Limit = 100, offset: Offset = 0):
    where = [Screening.festival_id == festival.id]
    if day is not None:
        start, end = day_bounds(day, ZoneInfo(festival.timezone), festival.day_starts_at)
        where += [Screening.starts_at >= start, Screening.starts_at < end]
    if venue_id is not None:
        where.append(Screening.venue_id == venue_id)
    if status is not None:
        where.append(Screening.status == status)
    total = session.execute(select(func.count()).select_from(Screening).where(*where)).scalar_one()
    rows = session.exec(select(Screening).where(*where).order_by(Screening.starts_at, Screening.id)
                        .offset(offset).limit(limit)).all()
    if not rows:
        return {"items": [], "total": total}
    slots = {s.id: s for s in slots_of(session, festival, ids=[r.id for r in rows])}
    conflicts = festival_conflicts(session, festival)
    by_screening: dict[int, list[Conflict]] = {}
    for conflict in conflicts:
        for screening_id in conflict.screening_ids:
            by_screening.setdefault(screening_id, []).append(conflict)
    titles = film_titles(session, festival)
    return {"items": [screening_public(r, slots[r.id], festival, titles, by_screening.get(r.id, []))
                      for r in rows], "total": total}


@router.get("/{screening_id}", response_model=ScreeningPublic)
def read_screening(_: Programmer, screening_id: PathId, festival: FestivalDep, session: SessionDep,
                   response: Response):
    screening = get_screening(session, festival, screening_id)
    slot = place_screening(session, festival, _fields_of(session, screening), screening.id)
    set_etag(response, etag_of("screening", screening))
    return screening_public(screening, slot, festival, film_titles(session, festival, slot.film_ids),
                            screening_conflicts(session, festival, slot))


def _fields_of(session: Session, screening: Screening) -> dict:
    """The stored screening as a body (its start aware, so it is not read again as a local time)."""
    films = films_of_screenings(session, [screening.id])[screening.id]
    return {**screening.model_dump(include=set(ScreeningFields.model_fields)), "films": films}


@router.patch("/{screening_id}", response_model=ScreeningPublic)
def update_screening(_: Programmer, screening_id: PathId, body: ScreeningUpdate, festival: FestivalDep,
                     session: SessionDep, request: Request, response: Response):
    lock_festival(session, festival.id)
    screening = get_screening(session, festival, screening_id)
    check_if_match(request, etag_of("screening", screening))
    current = _fields_of(session, screening)
    merged = ScreeningFields.model_validate({**current, **body.model_dump(exclude_unset=True)})
    result = _answer(session, festival, screening, merged)
    set_etag(response, etag_of("screening", screening))
    return result


@router.delete("/{screening_id}", status_code=204)
def delete_screening(_: Programmer, screening_id: PathId, festival: FestivalDep, session: SessionDep,
                     request: Request):
    lock_festival(session, festival.id)
    screening = get_screening(session, festival, screening_id)
    check_if_match(request, etag_of("screening", screening))
    session.delete(screening)
    session.flush()
    return Response(status_code=204)
