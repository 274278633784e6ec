"""Screenings: slots in venues, each answered with its derived times and its conflicts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.routing import APIRoute

from app.api.schemas import ScreeningCreate, ScreeningPublic, ScreeningUpdate
from app.http.deps import FestivalDep, PathId, Programmer, SessionDep, answer_in_one_thread, if_match
from app.http.paging import Limit, Offset, Page
from app.http.problems import conflict_dicts, problem_responses
from app.scheduling.fields import MAX_ID, ScreeningStatus
from app.services import screenings
from app.services.screenings import etag_of

router = APIRouter(prefix="/api/festivals/{slug}/screenings", tags=["screenings"])
IfMatch = Annotated[str | None, Depends(if_match)]


def _public(view: dict) -> dict:
    return {**view, "conflicts": conflict_dicts(view["conflicts"])}


@router.post("", status_code=201, response_model=ScreeningPublic, responses=problem_responses(401, 403, 404, 409, 422))
async def create_screening(
    _: Programmer, body: ScreeningCreate, festival: FestivalDep, session: SessionDep, request: Request
):
    # the most frequent write: created, answered and committed in one worker thread (and most
    # often answered before it gets here, by `app.http.creates`, with the same `created`)
    return await answer_in_one_thread(request, session, lambda: created(session, festival, body))


def create_route() -> APIRoute:
    """The create route (`app.http.creates` answers most creates as it does)."""
    return next(r for r in router.routes if isinstance(r, APIRoute) and r.endpoint is create_screening)


def created(session: SessionDep, festival: FestivalDep, body: ScreeningCreate) -> tuple[dict, dict[str, str]]:
    """A create's work: the screening stored, its answer's content, and its Location and ETag."""
    screening, view = screenings.create_screening(session, festival, body)
    headers = {
        "Location": f"/api/festivals/{festival.slug}/screenings/{screening.id}",
        "ETag": etag_of("screening", screening),
    }
    return _public(view), headers


@router.get("", response_model=Page[ScreeningPublic], responses=problem_responses(401, 403, 404, 422))
def list_screenings(
    _: Programmer,
    festival: FestivalDep,
    session: SessionDep,
    day: Annotated[date | None, Query(description="festival day")] = None,
    venue_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: ScreeningStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    views, total = screenings.list_screenings(
        session, festival, day=day, venue_id=venue_id, status=status, limit=limit, offset=offset
    )
    return {"items": [_public(v) for v in views], "total": total}


@router.get("/{screening_id}", response_model=ScreeningPublic, responses=problem_responses(401, 403, 404, 422))
def read_screening(_: Programmer, screening_id: PathId, festival: FestivalDep, session: SessionDep, response: Response):
    screening, view = screenings.read_screening(session, festival, screening_id)
    response.headers["ETag"] = etag_of("screening", screening)
    return _public(view)


@router.patch(
    "/{screening_id}", response_model=ScreeningPublic, responses=problem_responses(401, 403, 404, 409, 412, 422)
)
def update_screening(
    _: Programmer,
    screening_id: PathId,
    body: ScreeningUpdate,
    festival: FestivalDep,
    session: SessionDep,
    response: Response,
    precondition: IfMatch,
):
    screening, view = screenings.update_screening(
        session, festival, screening_id, body.model_dump(exclude_unset=True), precondition
    )
    response.headers["ETag"] = etag_of("screening", screening)
    return _public(view)


@router.delete("/{screening_id}", status_code=204, responses=problem_responses(401, 403, 404, 412, 422))
def delete_screening(
    _: Programmer, screening_id: PathId, festival: FestivalDep, session: SessionDep, precondition: IfMatch
):
    screenings.delete_screening(session, festival, screening_id, precondition)
    return Response(status_code=204)
