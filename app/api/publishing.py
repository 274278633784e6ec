"""Publishing: freeze the working programme as the next public version; read the versions."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, BackgroundTasks, Response
from fastapi.responses import JSONResponse

from app.api.schemas import VersionDetail, VersionSummary
from app.http.deps import FestivalDep, PathId, Programmer, SessionDep
from app.http.paging import Limit, Offset, Page
from app.http.problems import problem_responses
from app.memory import release_freed_memory
from app.services import publishing
from app.settings import get_settings
from app.store.models import PublishedVersion

router = APIRouter(prefix="/api/festivals/{slug}", tags=["publishing"])


def version_summary(version: PublishedVersion, slug: str) -> dict:
    return {
        "number": version.number,
        "published_at": version.published_at.isoformat(),
        "screenings": len(version.programme["screenings"]),
        "changes": publishing.change_counts(version),
        "url": f"/api/festivals/{slug}/versions/{version.number}",
    }


def version_detail(version: PublishedVersion, slug: str) -> dict:
    return {**version_summary(version, slug), "changelog": version.changelog, "programme": version.programme}


@router.post(
    "/publish",
    status_code=201,
    response_model=VersionDetail,
    responses={
        200: {"description": "Nothing changed: the latest version", "model": VersionDetail},
        **problem_responses(401, 403, 404),
    },
)
def publish_festival(
    _: Programmer, festival: FestivalDep, session: SessionDep, response: Response, background: BackgroundTasks
):
    """Publish confirmed and cancelled screenings as version N+1 with a changelog against N.

    Answers 201 with the new version, or 200 with the latest one when nothing public changed.
    """
    background.add_task(release_freed_memory)  # once answered: a large programme's publishing leaves megabytes
    version, created = publishing.publish(session, festival, datetime.now(UTC), get_settings().base_url)
    # Stored: commit now, not when the route returns, for FastAPI builds the answer (the whole
    # programme, megabytes at 10,000 screenings) first, and the festival's lock is held until then.
    session.commit()
    body = version_detail(version, festival.slug)
    location = {"Location": body["url"]}
    if not created:
        return JSONResponse(
            {**body, "detail": "Nothing changed since this version; nothing was published."},
            status_code=200,
            headers=location,
        )
    response.headers.update(location)
    return body


@router.get("/publish/preview", responses=problem_responses(401, 403, 404))
def publish_preview(_: Programmer, festival: FestivalDep, session: SessionDep):
    """The changelog that publishing now would produce, in the shape of a version's `changelog`. Writes nothing."""
    changelog = publishing.preview(session, festival, datetime.now(UTC))
    return {"changelog": changelog, "changes": publishing.count_changes(changelog)}


@router.get("/versions", response_model=Page[VersionSummary], responses=problem_responses(404, 422))
def list_versions(festival: FestivalDep, session: SessionDep, limit: Limit = 100, offset: Offset = 0):
    """Published versions, newest first, each with a count of its changes."""
    rows, total = publishing.list_versions(session, festival, limit, offset)
    return {"items": [version_summary(v, festival.slug) for v in rows], "total": total}


@router.get("/versions/{number}", response_model=VersionDetail, responses=problem_responses(404, 422))
def read_version(number: PathId, festival: FestivalDep, session: SessionDep):
    """One published version: its programme as the public sees it and its changelog."""
    return version_detail(publishing.read_version(session, festival, number), festival.slug)
