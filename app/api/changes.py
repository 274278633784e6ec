"""Several screening changes in one transaction, and where a film can still go."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas import ScreeningPublic
from app.http.deps import FestivalDep, PathId, Programmer, SessionDep
from app.http.problems import conflict_dicts, problem_responses
from app.scheduling.fields import MAX_ID
from app.services import changes, slots

router = APIRouter(prefix="/api/festivals/{slug}", tags=["screenings"])


class ChangeList(BaseModel):
    model_config = ConfigDict(extra="forbid")
    changes: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=changes.MAX_CHANGES,
        description='Each entry is {"op": "create", ...screening fields}, {"op": "update", "id": N, '
        '...fields that change} or {"op": "delete", "id": N}.',
        examples=[
            [
                {"op": "update", "id": 12, "starts_at": "2021-11-19T22:00"},
                {"op": "update", "id": 13, "starts_at": "2021-11-19T19:30"},
            ]
        ],
    )


class ChangeOutcome(BaseModel):
    index: int
    op: str
    id: int
    screening: ScreeningPublic | None = Field(description="as it now stands; null for a delete")


class ChangeOutcomes(BaseModel):
    items: list[ChangeOutcome]
    total: int


class FreeStartPublic(BaseModel):
    venue_id: int
    starts_at: datetime
    ends_at: datetime


class FreeStarts(BaseModel):
    items: list[FreeStartPublic]
    total: int


@router.post("/changes", response_model=ChangeOutcomes, responses=problem_responses(401, 403, 404, 409, 422))
def apply_changes(_: Programmer, body: ChangeList, festival: FestivalDep, session: SessionDep):
    """Create, update and delete screenings in one transaction, all or nothing.

    The confirmed-screening rule is checked once, on the result, so two confirmed screenings
    can swap places. A refusal's problem names the entry by its `index`.
    """
    outcomes = changes.apply_changes(session, festival, body.changes)
    for outcome in outcomes:
        if outcome["screening"] is not None:
            outcome["screening"] = {
                **outcome["screening"],
                "conflicts": conflict_dicts(outcome["screening"]["conflicts"]),
            }
    return {"items": outcomes, "total": len(outcomes)}


@router.get(
    "/films/{film_id}/slots", response_model=FreeStarts, tags=["films"], responses=problem_responses(401, 403, 404, 422)
)
def film_slots(
    _: Programmer,
    film_id: PathId,
    festival: FestivalDep,
    session: SessionDep,
    day: Annotated[date | None, Query(description="festival day")] = None,
    venue_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    earliest: Annotated[datetime | None, Query(description="earliest start (local if no offset)")] = None,
    latest: Annotated[datetime | None, Query(description="latest start (local if no offset)")] = None,
    step: Annotated[int, Query(ge=1, le=1440, description="minutes between offered starts")] = 15,
):
    """The starts at which a new screening of the film fits with no error-level conflict.

    Counted against drafts and confirmed screenings; an offered start also keeps each
    venue's turnaround and lies in the festival. Ordered by venue, then start.
    """
    found = slots.film_slots(
        session, festival, film_id, day=day, venue_id=venue_id, earliest=earliest, latest=latest, step=step
    )
    return {"items": [{"venue_id": v, "starts_at": s, "ends_at": e} for v, s, e in found], "total": len(found)}
