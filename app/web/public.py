"""Public pages of the latest published version: festival, film and venue, with subscribe links."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.calendar import screenings_at_venue, screenings_of_film
from app.http.deps import PathId
from app.http.problems import not_found
from app.printing.sorting import catalogue_sort_key
from app.scheduling.programme import Programme, section_slug
from app.settings import get_settings
from app.store.db import read_session
from app.store.publishing import programme_at, published_state
from app.web.templating import templates

router = APIRouter(include_in_schema=False)


def published_programme(session, slug: str) -> Programme:
    """The latest published version, or the bare festival before the first publish."""
    return programme_at(session, published_state(session, slug))


def feed_links(path: str) -> dict[str, str]:
    """https and webcal:// addresses of a feed (webcal opens the subscribe dialog on phones)."""
    base = get_settings().base_url.rstrip("/")
    https = f"{base}{path}"
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _page(request: Request, template: str, programme: Programme, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {
        "programme": programme, "festival": programme.festival,
        "venues": programme.venues_by_id, "films": programme.films_by_id, **context})


@router.get("/festivals/{slug}", response_class=HTMLResponse)
def festival_page(slug: str, request: Request):
    with read_session() as session:
        programme = published_programme(session, slug)
    sections = sorted({f.section for f in programme.films if f.section})
    return _page(request, "festival.html", programme,
                 feed=feed_links(f"/festivals/{slug}/calendar.ics"),
                 sections=[(s, feed_links(f"/festivals/{slug}/sections/{section_slug(s)}/calendar.ics"))
                           for s in sections],
                 films_a_to_z=sorted(programme.films, key=lambda f: catalogue_sort_key(f.title)))


@router.get("/festivals/{slug}/films/{film_id}", response_class=HTMLResponse)
def film_page(slug: str, film_id: PathId, request: Request):
    with read_session() as session:
        programme = published_programme(session, slug)
    film = programme.films_by_id.get(film_id)
    if film is None:
        raise not_found(f"Film {film_id} of festival '{slug}'")
    return _page(request, "film.html", programme, film=film,
                 screenings=screenings_of_film(programme, film_id),
                 feed=feed_links(f"/festivals/{slug}/films/{film_id}/calendar.ics"))


@router.get("/festivals/{slug}/venues/{venue_id}", response_class=HTMLResponse)
def venue_page(slug: str, venue_id: PathId, request: Request):
    with read_session() as session:
        programme = published_programme(session, slug)
    venue = programme.venues_by_id.get(venue_id)
    if venue is None:
        raise not_found(f"Venue {venue_id} of festival '{slug}'")
    return _page(request, "venue.html", programme, venue=venue,
                 screenings=screenings_at_venue(programme, venue_id),
                 feed=feed_links(f"/festivals/{slug}/venues/{venue_id}/calendar.ics"))
