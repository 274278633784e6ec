"""The schedule's conflicts, and a dry run for a proposed screening."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from fastapi import APIRouter, Response

from app.api.schemas import ConflictPublic, ScreeningCreate
from app.http.deps import FestivalDep, Programmer, SessionDep
from app.http.paging import Limit, Offset, Page
from app.http.problems import conflict_dicts, problem_responses
from app.scheduling.conflicts import SEVERITY
from app.services import screenings
from app.services.conflict_ledgers import conflicts_now

router = APIRouter(prefix="/api/festivals/{slug}/conflicts", tags=["conflicts"])

Kind = Literal[tuple(SEVERITY)]  # type: ignore[valid-type]


@router.get("", response_model=Page[ConflictPublic], responses=problem_responses(401, 403, 404, 422))
def list_conflicts(
    _: Programmer,
    festival: FestivalDep,
    session: SessionDep,
    kind: Kind | None = None,
    severity: Literal["error", "warning"] | None = None,
    day: date | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Every conflict of the working schedule, errors first, then by day and time."""
    now = conflicts_now(session, festival)
    selected = [
        c
        for c in now.all
        if (kind is None or c.kind == kind)
        and (severity is None or c.severity == severity)
        and (day is None or c.festival_day == day)
    ]
    shown = now.in_words(session, festival, selected[offset : offset + limit])
    page = {"items": conflict_dicts(shown), "total": len(selected)}
    # already plain and valid: skip response-model validation, the slow part for long lists
    return Response(json.dumps(page, default=str), media_type="application/json")


@router.post("/check", response_model=Page[ConflictPublic], responses=problem_responses(401, 403, 404, 422))
def check_conflicts(_: Programmer, body: ScreeningCreate, festival: FestivalDep, session: SessionDep):
    """The conflicts a proposed screening would have (id 0 stands for it). Writes nothing."""
    conflicts = screenings.check_screening(session, festival, body)
    return {"items": conflict_dicts(conflicts), "total": len(conflicts)}
