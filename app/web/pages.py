"""Public HTML pages: the front door."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import select

from app.api.deps import SessionDep
from app.api.festivals import latest_version_number
from app.store.models import Festival, Venue
from app.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def front_door(request: Request, session: SessionDep):
    festivals = session.exec(select(Festival).order_by(Festival.starts_on.desc(), Festival.slug)).all()
    entries = []
    for festival in festivals:
        venues = session.exec(select(Venue).where(Venue.festival_id == festival.id)
                              .order_by(Venue.name)).all()
        entries.append({"festival": festival, "venues": venues,
                        "version": latest_version_number(session, festival.id)})
    return templates.TemplateResponse(request, "front_door.html", {"entries": entries})
