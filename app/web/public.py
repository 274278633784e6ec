"""Public pages of the latest published version: the festival's programme, film and venue pages.

A page is rendered once per published version and query (and, while the festival runs, per
minute of its clock, for "now and next") and kept in a per-process cache keyed by the
version, so every server process serves the same bytes and a repeat costs a small query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from app.cache import LRU, RELEASE_AFTER_BYTES
from app.calendar import screenings_at_venue, screenings_of_film
from app.calendar.description import screening_description
from app.calendar.jsonld import screening_events, script_json
from app.calendar.links import FeedLinks, feed_links, google_event_link, openstreetmap_link, outlook_event_link
from app.http.deps import PathId
from app.http.problems import not_found
from app.printing.sorting import catalogue_sort_key
from app.scheduling.finding import (
    ACCESS,
    ProgrammeQuery,
    choices,
    festival_today,
    find_screenings,
    now_and_next,
    opening_day,
    query_params,
    read_query,
    toggled_access,
)
from app.scheduling.programme import Programme, ScreeningInfo, screening_title, section_slug
from app.settings import get_settings
from app.store.db import read_session
from app.store.publishing import PublishedState, poll_published_state, programme_at
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
PAGE_CACHE_CONTROL = "public, max-age=60"
# pages kept as UTF-8: a str holding one character beyond Latin-1 (a “ or –) takes 2 bytes a character
_pages: LRU[bytes] = LRU(
    maxsize=2048, max_bytes=lambda: get_settings().page_cache_bytes, release_after_bytes=RELEASE_AFTER_BYTES
)


def festival_clock() -> datetime:
    """The time now (tests override this dependency to stand on a festival day)."""
    return datetime.now(UTC)


Now = Annotated[datetime, Depends(festival_clock)]


def base_url() -> str:
    return get_settings().base_url.rstrip("/")


def subscribe_links(path: str, name: str) -> FeedLinks:
    return feed_links(f"{base_url()}{path}", name)


class ScreeningLinks:
    """Per-screening links the templates print: its calendar file, Google and Outlook, its films."""

    def __init__(self, programme: Programme):
        self.programme = programme
        self.slug = programme.festival.slug

    def title(self, screening: ScreeningInfo) -> str:
        films = self.programme.films_by_id
        return screening_title(screening.title, [films[i].title for i in screening.film_ids if i in films])

    def ics(self, screening: ScreeningInfo) -> str:
        return f"/festivals/{self.slug}/screenings/{screening.id}/calendar.ics"

    def _event(self, screening: ScreeningInfo) -> dict:
        programme = self.programme
        venue = programme.venues_by_id.get(screening.venue_id)
        films = [programme.films_by_id[i] for i in screening.film_ids if i in programme.films_by_id]
        location = ", ".join(p for p in (venue.name, venue.address) if p) if venue else ""
        details = screening_description(screening, films, venue, programme.festival)
        details += f"\n{base_url()}/festivals/{self.slug}/films/{screening.film_ids[0]}"
        return {
            "title": self.title(screening),
            "starts_at": screening.starts_at,
            "ends_at": screening.ends_at,
            "location": location,
            "details": details,
        }

    def google(self, screening: ScreeningInfo) -> str:
        return google_event_link(**self._event(screening))

    def outlook(self, screening: ScreeningInfo) -> str:
        return outlook_event_link(**self._event(screening))


def _state(slug: str) -> PublishedState:
    return poll_published_state(slug)


def _programme(state: PublishedState) -> Programme:
    with read_session() as session:
        return programme_at(session, state)


def _version_key(state: PublishedState) -> tuple:
    return (
        state.festival_id,
        state.version_id,
        state.published_at,
        state.revision if state.version_id is None else 0,
        state.updated_at if state.version_id is None else 0,
    )


def _render(template: str, programme: Programme, **context) -> str:
    return templates.get_template(template).render(
        {
            "programme": programme,
            "festival": programme.festival,
            "venues": programme.venues_by_id,
            "films": programme.films_by_id,
            "links": ScreeningLinks(programme),
            "access_names": ACCESS,
            **context,
        }
    )


async def _cached_page(key: tuple, make: Callable[[], str]) -> HTMLResponse:
    page = _pages.get(key)
    if page is None:
        page = await run_in_threadpool(_pages.get_or_make, key, lambda: make().encode())
    return HTMLResponse(page, headers={"Cache-Control": PAGE_CACHE_CONTROL})


def festival_page_html(programme: Programme, query: ProgrammeQuery, now: datetime) -> str:
    """The festival page: the programme of a day (today while the festival runs), filters and search."""
    slug = programme.festival.slug
    today = festival_today(programme, now)
    if query.day is None and not query.all_days and not query.text:
        query = replace(query, day=opening_day(programme, now))
    found = find_screenings(programme, query)
    running, coming = now_and_next(programme, now) if today is not None and found.day == today else ([], [])

    def link(**changes) -> str:
        params = query_params(replace(query, **changes))
        return f"/festivals/{slug}" + (f"?{urlencode(params)}" if params else "")

    sections = sorted({f.section for f in programme.films if f.section}, key=str.lower)
    return _render(
        "festival.html",
        programme,
        query=query,
        found=found,
        choices=choices(programme),
        today=today,
        running=running,
        coming=coming,
        link=link,
        toggled_access=toggled_access,
        feed=subscribe_links(f"/festivals/{slug}/calendar.ics", programme.festival.name),
        sections=[
            (
                section_slug(s),
                s,
                subscribe_links(
                    f"/festivals/{slug}/sections/{section_slug(s)}/calendar.ics", f"{programme.festival.name}: {s}"
                ),
            )
            for s in sections
        ],
        films_a_to_z=sorted(programme.films, key=lambda f: catalogue_sort_key(f.title)),
        active=_active_filters(programme, query, link),
    )


def _active_filters(programme: Programme, query: ProgrammeQuery, link) -> list[tuple[str, str]]:
    """The filters in force, each with the link that removes it."""
    active = []
    if query.venue_id is not None:
        venue = programme.venues_by_id.get(query.venue_id)
        active.append((venue.name if venue else f"Venue {query.venue_id}", link(venue_id=None)))
    if query.section:
        names = {section_slug(f.section): f.section for f in programme.films if f.section}
        active.append((names.get(query.section, query.section), link(section=None)))
    if query.language:
        active.append((f"In {query.language}", link(language=None)))
    if query.subtitles:
        active.append((f"{query.subtitles} subtitles", link(subtitles=None)))
    for need in query.access:
        active.append((ACCESS[need], link(access=toggled_access(query, need))))
    if query.text:
        active.append((f"“{query.text}”", link(text="")))
    return active


@router.get("/festivals/{slug}", response_class=HTMLResponse)
async def festival_page(slug: str, request: Request, now: Now):
    state = _state(slug)
    programme = await run_in_threadpool(_programme, state)
    query = read_query({k: request.query_params.getlist(k) for k in request.query_params})
    today = festival_today(programme, now)
    clock = (today, now.replace(second=0, microsecond=0)) if today is not None else (None, None)
    key = (*_version_key(state), "festival", tuple(query_params(query)), clock)
    return await _cached_page(key, lambda: festival_page_html(programme, query, now))


def film_page_html(programme: Programme, film_id: int) -> str:
    film = programme.films_by_id.get(film_id)
    if film is None:
        raise not_found(f"Film {film_id} of festival '{programme.festival.slug}'")
    slug = programme.festival.slug
    screenings = sorted(screenings_of_film(programme, film_id), key=lambda s: (s.starts_at, s.id))
    events = screening_events(programme, film, screenings, base_url())
    return _render(
        "film.html",
        programme,
        film=film,
        screenings=screenings,
        page_url=f"{base_url()}/festivals/{slug}/films/{film.id}",
        json_ld=script_json(events) if events else None,
        feed=subscribe_links(
            f"/festivals/{slug}/films/{film_id}/calendar.ics", f"{programme.festival.name}: {film.title}"
        ),
    )


@router.get("/festivals/{slug}/films/{film_id}", response_class=HTMLResponse)
async def film_page(slug: str, film_id: PathId):
    state = _state(slug)
    programme = await run_in_threadpool(_programme, state)
    if film_id not in programme.films_by_id:
        raise not_found(f"Film {film_id} of festival '{slug}'")
    return await _cached_page((*_version_key(state), "film", film_id), lambda: film_page_html(programme, film_id))


def venue_page_html(programme: Programme, venue_id: int) -> str:
    venue = programme.venues_by_id[venue_id]
    slug = programme.festival.slug
    map_url = (
        openstreetmap_link(venue.latitude, venue.longitude)
        if venue.latitude is not None and venue.longitude is not None
        else None
    )
    return _render(
        "venue.html",
        programme,
        venue=venue,
        map_url=map_url,
        screenings=sorted(screenings_at_venue(programme, venue_id), key=lambda s: (s.starts_at, s.id)),
        feed=subscribe_links(
            f"/festivals/{slug}/venues/{venue_id}/calendar.ics", f"{programme.festival.name}: {venue.name}"
        ),
    )


@router.get("/festivals/{slug}/venues/{venue_id}", response_class=HTMLResponse)
async def venue_page(slug: str, venue_id: PathId):
    state = _state(slug)
    programme = await run_in_threadpool(_programme, state)
    if venue_id not in programme.venues_by_id:
        raise not_found(f"Venue {venue_id} of festival '{slug}'")
    return await _cached_page((*_version_key(state), "venue", venue_id), lambda: venue_page_html(programme, venue_id))
