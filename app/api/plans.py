"""Attendees' plans: pick published screenings, see clashes, follow the plan as a calendar feed.

No API token: a plan's secret token, in its path, is its only credential. Every answer is
private (`Cache-Control: private, no-store`) and kept out of search engines.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from app.http.deps import SessionDep
from app.http.plans import PRIVATE_HEADERS, plan_links
from app.http.problems import problem_responses
from app.scheduling.fields import MAX_ID
from app.services import plans

router = APIRouter(tags=["plans"])
PlanToken = Annotated[str, Path(min_length=1, max_length=200, description="the plan's secret token")]
ScreeningId = Annotated[int, Field(ge=1, le=MAX_ID)]


class PlanPicks(BaseModel):
    """The screenings of a plan, by id: published screenings of the plan's festival."""

    model_config = ConfigDict(extra="forbid")
    screening_ids: list[ScreeningId] = Field(default_factory=list, max_length=plans.MAX_PICKS)


class PickPublic(BaseModel):
    id: int
    title: str
    venue_id: int
    venue: str
    starts_at: datetime
    ends_at: datetime
    status: str
    url: str


class ClashPublic(BaseModel):
    """Two picks one person cannot both see: they overlap, or the walk between venues takes longer than the gap."""

    kind: str = Field(description="`overlap` or `walk`")
    screening_ids: list[int]
    minutes: int = Field(description="the minutes missing: the overlap, or the walk minus the gap")
    walk_minutes: int | None = Field(None, description="the walk between the two venues, when they differ")
    message: str


class PlanPublic(BaseModel):
    festival: str
    screening_ids: list[int]
    screenings: list[PickPublic]
    clashes: list[ClashPublic]
    calendar_url: str = Field(description="the plan's iCal feed; it follows the published programme")
    page_url: str


class PlanCreated(PlanPublic):
    token: str = Field(description="the plan's secret (192 random bits): keep it, it is not shown again")


def plan_body(view: plans.PlanView, token: str) -> dict:
    programme = view.programme
    links = plan_links(token, view.slug)
    return {
        "festival": view.slug,
        "screening_ids": list(view.plan.screening_ids),
        "screenings": [
            {
                "id": s.id,
                "title": plans.pick_title(programme, s),
                "venue_id": s.venue_id,
                "venue": programme.venues_by_id[s.venue_id].name,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "status": s.status,
                "url": links.screening_page(s),
            }
            for s in view.picks
        ],
        "clashes": [plans.clash_fields(c, programme) for c in view.clashes],
        "calendar_url": links.calendar,
        "page_url": links.page,
    }


@router.post(
    "/api/festivals/{slug}/plans", status_code=201, response_model=PlanCreated, responses=problem_responses(404, 422)
)
def create_plan(slug: str, session: SessionDep, response: Response, body: PlanPicks | None = None):
    """Start a plan of the festival's published screenings (no token needed).

    Answers the plan's secret `token` (its only credential, shown once), its `calendar_url`
    and the `clashes` among the picks. 404 while the festival has published nothing.
    """
    view, token = plans.create_plan(session, slug, body.screening_ids if body else [], datetime.now(UTC))
    response.headers.update(PRIVATE_HEADERS)
    response.headers["Location"] = f"/api/plans/{token}"
    return {**plan_body(view, token), "token": token}


@router.get("/api/plans/{token}", response_model=PlanPublic, responses=problem_responses(404, 422))
def read_plan(token: PlanToken, session: SessionDep, response: Response):
    """The plan's picks in the latest published programme and their clashes (404 for an unknown token)."""
    view = plans.get_plan(session, token)
    response.headers.update(PRIVATE_HEADERS)
    return plan_body(view, token)


@router.put("/api/plans/{token}", response_model=PlanPublic, responses=problem_responses(404, 422))
def replace_plan(token: PlanToken, body: PlanPicks, session: SessionDep, response: Response):
    """Set the plan's picks: published screenings only (else 422); a cancelled one only if it was already picked."""
    view = plans.replace_picks(session, token, body.screening_ids, datetime.now(UTC))
    response.headers.update(PRIVATE_HEADERS)
    return plan_body(view, token)
