"""Festivals: create, read, list, update, delete."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from app.api.deps import (
    Admin,
    FestivalDep,
    Programmer,
    SessionDep,
    check_if_match,
    etag_of,
    set_etag,
)
from app.api.problems import Problem, invalid
from app.api.schemas import MAX_ID, FestivalCreate, FestivalPublic, FestivalUpdate, Page
from app.store.guard import guard_confirmed_schedule
from app.store.models import Festival, PublishedVersion
from app.store.repository import delete_festival as delete_festival_rows

router = APIRouter(prefix="/api/festivals", tags=["festivals"])

Limit = Annotated[int, Query(ge=1, le=1000, description="at most 1000")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]


def latest_version_number(session, festival_id: int) -> int:
    return session.execute(select(func.max(PublishedVersion.number))
                           .where(PublishedVersion.festival_id == festival_id)).scalar() or 0


def festival_public(session, festival: Festival) -> FestivalPublic:
    return FestivalPublic.model_validate(
        {**festival.model_dump(), "latest_version": latest_version_number(session, festival.id)})


def _slug_taken(slug: str) -> Problem:
    return Problem(409, f"A festival with the slug '{slug}' already exists; choose another slug.",
                   type_="urn:marquee:problem:duplicate-slug", title="Duplicate slug")


@router.post("", status_code=201, response_model=FestivalPublic)
def create_festival(_: Programmer, body: FestivalCreate, session: SessionDep, response: Response):
    if session.exec(select(Festival).where(Festival.slug == body.slug)).first():
        raise _slug_taken(body.slug)
    now = datetime.now(UTC)
    festival = Festival(**body.model_dump(), created_at=now, updated_at=now)
    session.add(festival)
    try:
        session.flush()
    except IntegrityError:
        raise _slug_taken(body.slug) from None
    response.headers["Location"] = f"/api/festivals/{festival.slug}"
    set_etag(response, etag_of("festival", festival))
    return festival_public(session, festival)


@router.get("", response_model=Page[FestivalPublic])
def list_festivals(session: SessionDep, limit: Limit = 100, offset: Offset = 0):
    total = session.execute(select(func.count()).select_from(Festival)).scalar_one()
    rows = session.exec(select(Festival).order_by(Festival.starts_on.desc(), Festival.slug)
                        .offset(offset).limit(limit)).all()
    return {"items": [festival_public(session, f) for f in rows], "total": total}


@router.get("/{slug}", response_model=FestivalPublic)
def read_festival(festival: FestivalDep, session: SessionDep, response: Response):
    set_etag(response, etag_of("festival", festival))
    return festival_public(session, festival)


@router.patch("/{slug}", response_model=FestivalPublic)
def update_festival(_: Programmer, body: FestivalUpdate, festival: FestivalDep,
                    session: SessionDep, request: Request, response: Response):
    check_if_match(request, etag_of("festival", festival))
    changes = body.model_dump(exclude_unset=True)
    current = FestivalCreate.model_validate(festival.model_dump(include=set(FestivalCreate.model_fields)))
    merged = FestivalCreate.model_validate({**current.model_dump(), **changes})
    if merged.timezone != festival.timezone:
        # stored instants would silently shift wall-clock times; refuse rather than surprise
        raise invalid("timezone", "cannot change once created: screenings are stored as instants")
    if merged.slug != festival.slug and session.exec(select(Festival).where(Festival.slug == merged.slug)).first():
        raise _slug_taken(merged.slug)
    for field, value in merged.model_dump().items():
        setattr(festival, field, value)
    festival.revision += 1
    festival.updated_at = datetime.now(UTC)
    session.add(festival)
    session.flush()
    guard_confirmed_schedule(session, festival)
    if festival.slug != request.path_params["slug"]:
        response.headers["Location"] = f"/api/festivals/{festival.slug}"
    set_etag(response, etag_of("festival", festival))
    return festival_public(session, festival)


@router.delete("/{slug}", status_code=204)
def delete_festival(_: Admin, festival: FestivalDep, session: SessionDep, request: Request):
    check_if_match(request, etag_of("festival", festival))
    delete_festival_rows(session, festival.id)
    return Response(status_code=204)
