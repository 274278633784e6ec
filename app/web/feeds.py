"""iCal feeds of the latest published version, served like a good feed server should.

A feed's bytes are made once per published version and filter (the whole-programme feed
was already rendered when publishing) and kept in a per-process cache keyed by the version,
so polls cost a small query and a dictionary lookup. ETag and Last-Modified come from the
version; a matching If-None-Match or If-Modified-Since gets 304.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.api.problems import not_found
from app.cache import LRU
from app.calendar import (
    render_calendar,
    screenings_at_venue,
    screenings_in_section,
    screenings_of_film,
)
from app.scheduling.programme import Programme, section_slug
from app.settings import get_settings
from app.store.db import get_engines
from app.store.models import Festival, PublishedVersion
from app.store.publishing import programme_of, unpublished_programme

router = APIRouter(include_in_schema=False)
CALENDAR_TYPE = "text/calendar; charset=utf-8"
CACHE_CONTROL = "public, max-age=300"


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: datetime


_feeds: LRU[Feed] = LRU(maxsize=512)


def _feed(body: bytes, last_modified: datetime) -> Feed:
    return Feed(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', last_modified)


def _published_state(session: Session, slug: str):
    """(festival id, revision, updated_at, latest version id, published_at) in one query."""
    newer = aliased(PublishedVersion)
    latest = (select(newer.id).where(newer.festival_id == Festival.id).correlate(Festival)
              .order_by(newer.number.desc()).limit(1).scalar_subquery())
    row = session.execute(
        select(Festival.id, Festival.revision, Festival.updated_at, PublishedVersion.id,
               PublishedVersion.published_at)
        .outerjoin(PublishedVersion, PublishedVersion.id == latest).where(Festival.slug == slug)).first()
    if row is None:
        raise not_found(f"Festival '{slug}'")
    return row


def _programme(session: Session, festival_id: int, version_id: int | None) -> Programme:
    if version_id is None:
        return unpublished_programme(session, session.get(Festival, festival_id))
    return programme_of(session.get(PublishedVersion, version_id))


def _narrow(programme: Programme, kind: str, key: str) -> tuple[list, str]:
    """The screenings and calendar name of a venue's, film's or section's feed (404 if none)."""
    festival = programme.festival.name
    if kind == "venue":
        venue = programme.venues_by_id.get(int(key))
        if venue is None:
            raise not_found(f"Venue {key} of festival '{programme.festival.slug}'")
        return screenings_at_venue(programme, venue.id), f"{festival}: {venue.name}"
    if kind == "film":
        film = programme.films_by_id.get(int(key))
        if film is None:
            raise not_found(f"Film {key} of festival '{programme.festival.slug}'")
        return screenings_of_film(programme, film.id), f"{festival}: {film.title}"
    sections = {section_slug(f.section): f.section for f in programme.films if f.section}
    if key not in sections:
        raise not_found(f"Section '{key}' of festival '{programme.festival.slug}'")
    return screenings_in_section(programme, key), f"{festival}: {sections[key]}"


def serve_feed(request: Request, slug: str, kind: str = "all", key: str = "") -> Response:
    with Session(get_engines().read) as session:
        festival_id, revision, updated_at, version_id, published_at = _published_state(session, slug)
        cache_key = (festival_id, version_id, published_at, revision if version_id is None else 0, kind, key)

        def make() -> Feed:
            if kind == "all" and version_id is not None:
                version = session.get(PublishedVersion, version_id)
                return _feed(version.calendar_ics, version.published_at)
            programme = _programme(session, festival_id, version_id)
            base_url = get_settings().base_url
            if kind == "all":
                return _feed(render_calendar(programme, base_url=base_url), updated_at)
            screenings, name = _narrow(programme, kind, key)
            return _feed(render_calendar(programme, screenings=screenings, name=name, base_url=base_url),
                         published_at or updated_at)

        feed = _feeds.get_or_make(cache_key, make)
    headers = {"ETag": feed.etag, "Last-Modified": format_datetime(feed.last_modified, usegmt=True),
               "Cache-Control": CACHE_CONTROL}
    if _not_modified(request, feed):
        return Response(status_code=304, headers=headers)
    filename = f"{slug}{'-' + kind + '-' + key if key else ''}.ics"
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(feed.body, media_type=CALENDAR_TYPE, headers=headers)


def _not_modified(request: Request, feed: Feed) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or feed.etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and feed.last_modified.replace(microsecond=0) <= since
    return False


@router.api_route("/festivals/{slug}/calendar.ics", methods=["GET", "HEAD"])
def festival_feed(slug: str, request: Request):
    return serve_feed(request, slug)


@router.api_route("/festivals/{slug}/venues/{venue_id}/calendar.ics", methods=["GET", "HEAD"])
def venue_feed(slug: str, venue_id: int, request: Request):
    return serve_feed(request, slug, "venue", str(venue_id))


@router.api_route("/festivals/{slug}/films/{film_id}/calendar.ics", methods=["GET", "HEAD"])
def film_feed(slug: str, film_id: int, request: Request):
    return serve_feed(request, slug, "film", str(film_id))


@router.api_route("/festivals/{slug}/sections/{section}/calendar.ics", methods=["GET", "HEAD"])
def section_feed(slug: str, section: str, request: Request):
    return serve_feed(request, slug, "section", section)
