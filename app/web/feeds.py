"""iCal feeds of the latest published version, served like a good feed server should.

A feed's bytes are made once per published version and filter (the whole-programme feed
was already rendered when publishing) and kept in a per-process cache keyed by the version,
so polls cost a small query and a dictionary lookup. ETag and Last-Modified come from the
version; a matching If-None-Match or If-Modified-Since gets 304.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from app.api.deps import PathId
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
from app.store.publishing import programme_at, published_state, stored_calendar
from app.web.versioned import Rendered, versioned_response

router = APIRouter(include_in_schema=False)
CALENDAR_TYPE = "text/calendar; charset=utf-8"


_feeds: LRU[Rendered] = LRU(maxsize=512)


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
    # a poll costs one small Core query on a plain connection; a Session only when rendering
    with get_engines().read.connect() as connection:
        festival_id, revision, updated_at, version_id, published_at = published_state(connection, slug)
        cache_key = (festival_id, version_id, published_at, revision if version_id is None else 0, kind, key)

        def make() -> Rendered:
            with Session(bind=connection) as session:
                return _render(session)

        def _render(session: Session) -> Rendered:
            if kind == "all" and version_id is not None:
                return Rendered.of(stored_calendar(session, version_id), published_at)
            programme = programme_at(session, festival_id, version_id)
            base_url = get_settings().base_url
            if kind == "all":
                return Rendered.of(render_calendar(programme, base_url=base_url), updated_at)
            screenings, name = _narrow(programme, kind, key)
            return Rendered.of(render_calendar(programme, screenings=screenings, name=name, base_url=base_url),
                         published_at or updated_at)

        feed = _feeds.get_or_make(cache_key, make)
    filename = f"{slug}{'-' + kind + '-' + key if key else ''}.ics"
    return versioned_response(request, feed, CALENDAR_TYPE, filename)


@router.api_route("/festivals/{slug}/calendar.ics", methods=["GET", "HEAD"])
def festival_feed(slug: str, request: Request):
    return serve_feed(request, slug)


@router.api_route("/festivals/{slug}/venues/{venue_id}/calendar.ics", methods=["GET", "HEAD"])
def venue_feed(slug: str, venue_id: PathId, request: Request):
    return serve_feed(request, slug, "venue", str(venue_id))


@router.api_route("/festivals/{slug}/films/{film_id}/calendar.ics", methods=["GET", "HEAD"])
def film_feed(slug: str, film_id: PathId, request: Request):
    return serve_feed(request, slug, "film", str(film_id))


@router.api_route("/festivals/{slug}/sections/{section}/calendar.ics", methods=["GET", "HEAD"])
def section_feed(slug: str, section: str, request: Request):
    return serve_feed(request, slug, "section", section)
