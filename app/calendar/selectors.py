"""Which screenings a narrower feed shows: a venue's, a film's, a section's."""

from __future__ import annotations

from app.scheduling.programme import FilmInfo, Programme, ScreeningInfo, section_slug


def screenings_at_venue(programme: Programme, venue_id: int) -> list[ScreeningInfo]:
    """The programme's screenings in one venue."""
    return [s for s in programme.screenings if s.venue_id == venue_id]


def screenings_of_film(programme: Programme, film_id: int) -> list[ScreeningInfo]:
    """The programme's screenings that show one film (alone, or in a programme of several)."""
    return [s for s in programme.screenings if film_id in s.film_ids]


def screenings_in_section(programme: Programme, slug: str) -> list[ScreeningInfo]:
    """The programme's screenings with at least one film in the section whose slug is `slug`."""
    films = programme.films_by_id
    return [s for s in programme.screenings if any(_in_section(films[i], slug) for i in s.film_ids if i in films)]


def _in_section(film: FilmInfo, slug: str) -> bool:
    """True when `film` has a section and its slug is `slug`."""
    if not film.section:
        return False
    return section_slug(film.section) == slug
