"""iCal feeds of the latest published version, served like a good feed server should.

A feed's bytes are made once per published version and filter (the whole-programme feed
was already rendered and stored just after publishing) and kept in a per-process cache keyed
by the version, so polls cost a small query and a dictionary lookup. Renders reuse the events
this process has rendered before (`app.services.feeds`). ETag and Last-Modified come from the
version; a matching If-None-Match or If-Modified-Since gets 304.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from app.cache import LRU, RELEASE_AFTER_BYTES
from app.calendar import (
    screenings_at_venue,
    screenings_in_section,
    screenings_of_film,
)
from app.http.conditional import Rendered, versioned_response
from app.http.deps import PathId
from app.http.priority import after_writes
from app.http.problems import not_found
from app.scheduling.programme import Programme, ScreeningInfo, former_section_slug, screening_title, section_slug
from app.services.feeds import published_feed, render_feed
from app.settings import get_settings
from app.store.db import database_name, read_session
from app.store.publishing import PublishedState, poll_published_state, programme_at, stored_calendar

router = APIRouter(include_in_schema=False)
CALENDAR_TYPE = "text/calendar; charset=utf-8"


_feeds: LRU[Rendered] = LRU(
    maxsize=512,
    max_bytes=lambda: get_settings().feed_cache_bytes,
    size=Rendered.nbytes,
    release_after_bytes=RELEASE_AFTER_BYTES,
)


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
    if kind == "screening":
        screening = next((s for s in programme.screenings if s.id == int(key)), None)
        if screening is None:
            raise not_found(f"Screening {key} of festival '{programme.festival.slug}'")
        return [screening], f"{festival}: {screening_title(screening.title, _titles(programme, screening))}"
    sections = {former_section_slug(f.section): f.section for f in programme.films if f.section}
    sections.update({section_slug(f.section): f.section for f in programme.films if f.section})
    if key not in sections:
        raise not_found(f"Section '{key}' of festival '{programme.festival.slug}'")
    return screenings_in_section(programme, section_slug(sections[key])), f"{festival}: {sections[key]}"


def _titles(programme: Programme, screening: ScreeningInfo) -> list[str]:
    return [programme.films_by_id[i].title for i in screening.film_ids if i in programme.films_by_id]


async def serve_feed(request: Request, slug: str, kind: str = "all", key: str = "") -> Response:
    """A poll costs one small query, run right here on the event loop (SQLite answers it in
    microseconds; a thread hop would cost more); rendering, once per version, runs in a thread.
    While a write request is in this process, the poll first waits for it (up to 50 ms)."""
    await after_writes()  # a person's edit in this process goes first (app.http.priority)
    state = poll_published_state(slug)
    base_url = get_settings().base_url.rstrip("/")  # the events' URLs name it
    database = database_name()
    cache_key = (
        database,  # ids are unique within one database only
        state.festival_id,
        state.version_id,
        state.published_at,
        state.revision if state.version_id is None else 0,
        kind,
        key,
        base_url,
    )
    feed = _feeds.get(cache_key)
    if feed is None and kind == "all" and state.version_id is not None and state.published_at is not None:
        # just published by this process: rendered and hashed already, no thread, no query
        mine = published_feed(database, state.version_id, state.published_at, base_url)
        if mine is not None:
            published_at = state.published_at
            feed = _feeds.get_or_make(cache_key, lambda: Rendered.of_digest(mine.body, mine.sha256, published_at))
    if feed is None:
        feed = await run_in_threadpool(
            _feeds.get_or_make, cache_key, lambda: _render_feed(state, kind, key, slug, base_url)
        )
    filename = f"{slug}{'-' + kind + '-' + key if key else ''}.ics"
    return versioned_response(request, feed, CALENDAR_TYPE, filename)


def _links_to(calendar: bytes, base_url: str, slug: str) -> bool:
    """Whether a stored feed was rendered for this base URL (its calendar URL names it)."""
    header = calendar.split(b"BEGIN:VTIMEZONE", 1)[0].replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    for line in header.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.split(b";", 1)[0].upper() == b"URL":
            return value.decode("utf-8", "replace") == f"{base_url}/festivals/{slug}"
    return False


def _render_feed(state: PublishedState, kind: str, key: str, slug: str, base_url: str) -> Rendered:
    with read_session() as session:
        if kind == "all" and state.version_id is not None:  # rendered just after it was published
            stored = stored_calendar(session, state.version_id)
            if stored is not None and _links_to(stored, base_url, slug):  # else another base URL
                return Rendered.of(stored, state.published_at)
        programme = programme_at(session, state)
    last_modified = state.published_at or state.updated_at
    if kind == "all":
        return Rendered.of(render_feed(programme, base_url=base_url), last_modified)
    screenings, name = _narrow(programme, kind, key)
    return Rendered.of(render_feed(programme, screenings=screenings, name=name, base_url=base_url), last_modified)


@router.api_route("/festivals/{slug}/calendar.ics", methods=["GET", "HEAD"])
async def festival_feed(slug: str, request: Request):
    return await serve_feed(request, slug)


@router.api_route("/festivals/{slug}/venues/{venue_id}/calendar.ics", methods=["GET", "HEAD"])
async def venue_feed(slug: str, venue_id: PathId, request: Request):
    return await serve_feed(request, slug, "venue", str(venue_id))


@router.api_route("/festivals/{slug}/films/{film_id}/calendar.ics", methods=["GET", "HEAD"])
async def film_feed(slug: str, film_id: PathId, request: Request):
    return await serve_feed(request, slug, "film", str(film_id))


@router.api_route("/festivals/{slug}/sections/{section}/calendar.ics", methods=["GET", "HEAD"])
async def section_feed(slug: str, section: str, request: Request):
    return await serve_feed(request, slug, "section", section)


@router.api_route("/festivals/{slug}/screenings/{screening_id}/calendar.ics", methods=["GET", "HEAD"])
async def screening_feed(slug: str, screening_id: PathId, request: Request):
    """One screening as a calendar file, with the same UID as in every feed (adding it twice keeps one event)."""
    return await serve_feed(request, slug, "screening", str(screening_id))
