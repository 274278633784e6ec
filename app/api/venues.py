"""Venues of a festival, with their availability windows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from app.api.schemas import VenueCreate, VenuePublic, VenueUpdate
from app.http.deps import FestivalDep, PathId, Programmer, Reader, SessionDep, if_match
from app.http.paging import Limit, Offset, Page
from app.http.problems import problem_responses
from app.services import catalogue
from app.services.public import require_announced
from app.services.screenings import etag_of
from app.store.models import Festival, Venue

router = APIRouter(prefix="/api/festivals/{slug}/venues", tags=["venues"])
UNANNOUNCED = (
    "Public once the festival has published its programme; before its first publish "
    "only a programmer's token may read its venues (404 without one)."
)
IfMatch = Annotated[str | None, Depends(if_match)]


def venue_public(venue: Venue, festival: Festival) -> VenuePublic:
    return VenuePublic.model_validate(catalogue.venue_fields(venue, festival))


@router.post("", status_code=201, response_model=VenuePublic, responses=problem_responses(401, 403, 404, 422))
def create_venue(_: Programmer, body: VenueCreate, festival: FestivalDep, session: SessionDep, response: Response):
    venue = catalogue.create_venue(session, festival, body)
    response.headers["Location"] = f"/api/festivals/{festival.slug}/venues/{venue.id}"
    response.headers["ETag"] = etag_of("venue", venue)
    return venue_public(venue, festival)


@router.get("", description=UNANNOUNCED, response_model=Page[VenuePublic], responses=problem_responses(401, 404, 422))
def list_venues(reader: Reader, festival: FestivalDep, session: SessionDep, limit: Limit = 100, offset: Offset = 0):
    require_announced(session, festival, reader, "venues")
    rows, total = catalogue.list_venues(session, festival, limit, offset)
    return {"items": [venue_public(v, festival) for v in rows], "total": total}


@router.get(
    "/{venue_id}", description=UNANNOUNCED, response_model=VenuePublic, responses=problem_responses(401, 404, 422)
)
def read_venue(reader: Reader, venue_id: PathId, festival: FestivalDep, session: SessionDep, response: Response):
    require_announced(session, festival, reader, "venues")
    venue = catalogue.get_venue(session, festival, venue_id)
    response.headers["ETag"] = etag_of("venue", venue)
    return venue_public(venue, festival)


@router.patch("/{venue_id}", response_model=VenuePublic, responses=problem_responses(401, 403, 404, 409, 412, 422))
def update_venue(
    _: Programmer,
    venue_id: PathId,
    body: VenueUpdate,
    festival: FestivalDep,
    session: SessionDep,
    response: Response,
    precondition: IfMatch,
):
    venue = catalogue.update_venue(session, festival, venue_id, body.model_dump(exclude_unset=True), precondition)
    response.headers["ETag"] = etag_of("venue", venue)
    return venue_public(venue, festival)


@router.delete("/{venue_id}", status_code=204, responses=problem_responses(401, 403, 404, 409, 412, 422))
def delete_venue(_: Programmer, venue_id: PathId, festival: FestivalDep, session: SessionDep, precondition: IfMatch):
    catalogue.delete_venue(session, festival, venue_id, precondition)
    return Response(status_code=204)
