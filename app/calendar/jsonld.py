"""schema.org `ScreeningEvent`s of a film's screenings, for search engines and link previews (JSON-LD).

Pure: from the published programme to plain dicts; the page writes them as
`<script type="application/ld+json">` (data, which no browser executes).
"""

from __future__ import annotations

import json

from app.scheduling.fields import ScreeningStatus
from app.scheduling.programme import FilmInfo, Programme, ScreeningInfo, screening_title


def _movie(film: FilmInfo, url: str) -> dict:
    movie: dict = {"@type": "Movie", "name": film.title, "url": url}
    if film.original_title and film.original_title != film.title:
        movie["alternateName"] = film.original_title
    if film.directors:
        movie["director"] = [{"@type": "Person", "name": name} for name in film.directors]
    if film.year:
        movie["dateCreated"] = str(film.year)
    if film.runtime_minutes:
        movie["duration"] = f"PT{film.runtime_minutes}M"
    if film.languages:
        movie["inLanguage"] = list(film.languages)
    if film.countries:
        movie["countryOfOrigin"] = [{"@type": "Country", "name": c} for c in film.countries]
    if film.synopsis:
        movie["description"] = film.synopsis
    return movie


def screening_events(
    programme: Programme, film: FilmInfo, screenings: list[ScreeningInfo], base_url: str
) -> list[dict]:
    """One `ScreeningEvent` per screening of `film`: where, when (with its offset), what, and its status."""
    base_url = base_url.rstrip("/")
    slug = programme.festival.slug
    film_url = f"{base_url}/festivals/{slug}/films/{film.id}"
    events = []
    for screening in screenings:
        venue = programme.venues_by_id.get(screening.venue_id)
        films = [programme.films_by_id[i] for i in screening.film_ids if i in programme.films_by_id]
        place: dict = {
            "@type": "MovieTheater",
            "name": venue.name if venue else "",
            "url": f"{base_url}/festivals/{slug}/venues/{screening.venue_id}",
        }
        if venue and venue.address:
            place["address"] = venue.address
        if venue and venue.latitude is not None and venue.longitude is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": venue.latitude, "longitude": venue.longitude}
        event = {
            "@context": "https://schema.org",
            "@type": "ScreeningEvent",
            "name": screening_title(screening.title, [f.title for f in films]),
            "url": f"{film_url}#screening-{screening.id}",
            "startDate": screening.starts_at.isoformat(),
            "endDate": screening.ends_at.isoformat(),
            "eventStatus": "https://schema.org/EventCancelled"
            if screening.status == ScreeningStatus.CANCELLED
            else "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": place,
            "workPresented": _movie(film, film_url),
            "organizer": {
                "@type": "Organization",
                "name": programme.festival.name,
                **({"url": programme.festival.website} if programme.festival.website else {}),
            },
        }
        if film.subtitles:
            event["subtitleLanguage"] = film.subtitles
        if screening.ticket_url:
            event["offers"] = {"@type": "Offer", "url": screening.ticket_url}
        events.append(event)
    return events


def script_json(data: object) -> str:
    """JSON safe inside a `<script>` element: no `</script>` or `<!--` can end it early."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
