"""Festivals: create, read, list, update, delete."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from app.api.schemas import FestivalCreate, FestivalPublic, FestivalUpdate
from app.http.deps import Admin, FestivalDep, Programmer, SessionDep, if_match
from app.http.paging import Limit, Offset, Page
from app.http.problems import problem_responses
from app.services import catalogue
from app.services.screenings import etag_of
from app.store.models import Festival
from app.store.repository import latest_version_number

router = APIRouter(prefix="/api/festivals", tags=["festivals"])
IfMatch = Annotated[str | None, Depends(if_match)]


def festival_public(session, festival: Festival) -> FestivalPublic:
    return FestivalPublic.model_validate(
        {**festival.model_dump(), "latest_version": latest_version_number(session, festival.id)}
    )


@router.post("", status_code=201, response_model=FestivalPublic, responses=problem_responses(401, 403, 409, 422))
def create_festival(_: Programmer, body: FestivalCreate, session: SessionDep, response: Response):
    festival = catalogue.create_festival(session, body, datetime.now(UTC))
    response.headers["Location"] = f"/api/festivals/{festival.slug}"
    response.headers["ETag"] = etag_of("festival", festival)
    return festival_public(session, festival)


@router.get("", response_model=Page[FestivalPublic], responses=problem_responses(422))
def list_festivals(session: SessionDep, limit: Limit = 100, offset: Offset = 0):
    rows, total = catalogue.list_festivals(session, limit, offset)
    return {"items": [festival_public(session, f) for f in rows], "total": total}


@router.get("/{slug}", response_model=FestivalPublic, responses=problem_responses(404))
def read_festival(festival: FestivalDep, session: SessionDep, response: Response):
    response.headers["ETag"] = etag_of("festival", festival)
    return festival_public(session, festival)


@router.patch("/{slug}", response_model=FestivalPublic, responses=problem_responses(401, 403, 404, 409, 412, 422))
def update_festival(
    slug: str,
    _: Programmer,
    body: FestivalUpdate,
    festival: FestivalDep,
    session: SessionDep,
    response: Response,
    precondition: IfMatch,
):
    catalogue.update_festival(session, festival, body.model_dump(exclude_unset=True), datetime.now(UTC), precondition)
    if festival.slug != slug:
        response.headers["Location"] = f"/api/festivals/{festival.slug}"
    response.headers["ETag"] = etag_of("festival", festival)
    return festival_public(session, festival)


@router.delete("/{slug}", status_code=204, responses=problem_responses(401, 403, 404, 412))
def delete_festival(_: Admin, festival: FestivalDep, session: SessionDep, precondition: IfMatch):
    catalogue.delete_festival(session, festival, precondition)
    return Response(status_code=204)
