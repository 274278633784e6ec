"""Publishing: freeze the working programme as the next public version; read the versions."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlalchemy import func, select

from app.api.deps import FestivalDep, PathId, Programmer, SessionDep
from app.api.festivals import Limit, Offset
from app.api.problems import not_found
from app.settings import get_settings
from app.store.models import PublishedVersion
from app.store.publishing import publish, version_by_number

router = APIRouter(prefix="/api/festivals/{slug}", tags=["publishing"])


def version_summary(version: PublishedVersion, slug: str) -> dict:
    counts = {kind: 0 for kind in ("added", "moved", "retimed", "cancelled")}
    for entry in version.changelog:
        counts[entry["kind"]] += 1
    return {"number": version.number, "published_at": version.published_at.isoformat(),
            "screenings": len(version.programme["screenings"]), "changes": counts,
            "url": f"/api/festivals/{slug}/versions/{version.number}"}


def version_detail(version: PublishedVersion, slug: str) -> dict:
    return {**version_summary(version, slug), "changelog": version.changelog,
            "programme": version.programme}


@router.post("/publish", status_code=201)
def publish_festival(_: Programmer, festival: FestivalDep, session: SessionDep, response: Response):
    """Publish confirmed and cancelled screenings as version N+1 with a changelog against N.

    Answers 201 with the new version, or 200 with the latest one when nothing public changed.
    """
    version, created = publish(session, festival, datetime.now(UTC), get_settings().base_url)
    body = version_detail(version, festival.slug)
    location = {"Location": body["url"]}
    if not created:
        return JSONResponse({**body, "detail": "Nothing changed since this version; nothing was published."},
                            status_code=200, headers=location)
    response.headers.update(location)
    return body


@router.get("/versions")
def list_versions(festival: FestivalDep, session: SessionDep, limit: Limit = 100, offset: Offset = 0):
    """Published versions, newest first, each with a count of its changes."""
    where = PublishedVersion.festival_id == festival.id
    total = session.execute(select(func.count()).select_from(PublishedVersion).where(where)).scalar_one()
    rows = session.exec(select(PublishedVersion).where(where).order_by(PublishedVersion.number.desc())
                        .offset(offset).limit(limit)).scalars().all()
    return {"items": [version_summary(v, festival.slug) for v in rows], "total": total}


@router.get("/versions/{number}")
def read_version(number: PathId, festival: FestivalDep, session: SessionDep):
    """One published version: its programme as the public sees it and its changelog."""
    version = version_by_number(session, festival.id, number)
    if version is None:
        raise not_found(f"Version {number} of festival '{festival.slug}'")
    return version_detail(version, festival.slug)
