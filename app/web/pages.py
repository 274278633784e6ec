"""Public HTML pages: the front door."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.http.deps import SessionDep
from app.store.repository import festivals_with_venues
from app.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def front_door(request: Request, session: SessionDep):
    entries = [
        {"festival": festival, "venues": venues, "version": version}
        for festival, venues, version in festivals_with_venues(session)
    ]
    return templates.TemplateResponse(request, "front_door.html", {"entries": entries})
