"""Venues of a festival, with their availability windows."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlalchemy import func
from sqlmodel import select

from app.api.deps import FestivalDep, PathId, Programmer, SessionDep, check_if_match, etag_of, set_etag
from app.api.festivals import Limit, Offset
from app.api.problems import Problem, invalid, not_found
from app.api.schemas import Page, VenueFields, VenuePublic, VenueUpdate
from app.scheduling.times import NonExistentLocalTime, local_time
from app.store.guard import guard_confirmed_schedule
from app.store.models import Festival, Venue
from app.store.repository import count_screenings_using, lock_festival

router = APIRouter(prefix="/api/festivals/{slug}/venues", tags=["venues"])


def _stored_windows(body: VenueFields, festival: Festival) -> list[dict]:
    zone = ZoneInfo(festival.timezone)
    windows = []
    for index, window in enumerate(body.availability):
        try:
            starts_at, ends_at = local_time(window.starts_at, zone), local_time(window.ends_at, zone)
        except NonExistentLocalTime as error:
            raise invalid(f"availability.{index}", str(error)) from None
        if ends_at <= starts_at:
            raise invalid(f"availability.{index}", "ends_at must be after starts_at")
        windows.append({"starts_at": starts_at.astimezone(UTC).isoformat(),
                        "ends_at": ends_at.astimezone(UTC).isoformat()})
    return sorted(windows, key=lambda w: w["starts_at"])


def venue_public(venue: Venue, festival: Festival) -> VenuePublic:
    zone = ZoneInfo(festival.timezone)
    windows = [{key: datetime.fromisoformat(w[key]).astimezone(zone) for key in ("starts_at", "ends_at")}
               for w in venue.availability]
    return VenuePublic.model_validate({**venue.model_dump(), "availability": windows})


def get_venue(session, festival: Festival, venue_id: int) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None or venue.festival_id != festival.id:
        raise not_found(f"Venue {venue_id} of festival '{festival.slug}'")
    return venue


@router.post("", status_code=201, response_model=VenuePublic)
def create_venue(_: Programmer, body: VenueFields, festival: FestivalDep, session: SessionDep,
                 response: Response):
    venue = Venue(**body.model_dump(exclude={"availability"}), festival_id=festival.id,
                  availability=_stored_windows(body, festival))
    session.add(venue)
    session.flush()
    response.headers["Location"] = f"/api/festivals/{festival.slug}/venues/{venue.id}"
    set_etag(response, etag_of("venue", venue))
    return venue_public(venue, festival)


@router.get("", response_model=Page[VenuePublic])
def list_venues(festival: FestivalDep, session: SessionDep, limit: Limit = 100, offset: Offset = 0):
    where = Venue.festival_id == festival.id
    total = session.execute(select(func.count()).select_from(Venue).where(where)).scalar_one()
    rows = session.exec(select(Venue).where(where).order_by(Venue.name, Venue.id)
                        .offset(offset).limit(limit)).all()
    return {"items": [venue_public(v, festival) for v in rows], "total": total}


@router.get("/{venue_id}", response_model=VenuePublic)
def read_venue(venue_id: PathId, festival: FestivalDep, session: SessionDep, response: Response):
    venue = get_venue(session, festival, venue_id)
    set_etag(response, etag_of("venue", venue))
    return venue_public(venue, festival)


@router.patch("/{venue_id}", response_model=VenuePublic)
def update_venue(_: Programmer, venue_id: PathId, body: VenueUpdate, festival: FestivalDep,
                 session: SessionDep, request: Request, response: Response):
    venue = get_venue(session, festival, venue_id)
    check_if_match(request, etag_of("venue", venue))
    current = venue_public(venue, festival).model_dump(include=set(VenueFields.model_fields))
    merged = VenueFields.model_validate({**current, **body.model_dump(exclude_unset=True)})
    for field, value in merged.model_dump(exclude={"availability"}).items():
        setattr(venue, field, value)
    venue.availability = _stored_windows(merged, festival)
    venue.revision += 1
    session.add(venue)
    session.flush()
    guard_confirmed_schedule(session, festival)
    set_etag(response, etag_of("venue", venue))
    return venue_public(venue, festival)


@router.delete("/{venue_id}", status_code=204)
def delete_venue(_: Programmer, venue_id: PathId, festival: FestivalDep, session: SessionDep,
                 request: Request):
    lock_festival(session, festival.id)
    venue = get_venue(session, festival, venue_id)
    check_if_match(request, etag_of("venue", venue))
    used = count_screenings_using(session, venue_id=venue.id)
    if used:
        raise Problem(409, f"Venue {venue.id} ({venue.name}) is used by {used} screening"
                           f"{'s' if used != 1 else ''}; move or delete them first.",
                      type_="urn:marquee:problem:in-use", title="Venue in use")
    session.delete(venue)
    session.flush()
    return Response(status_code=204)
