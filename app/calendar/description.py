"""The words of a feed event: what a person reads when they open a screening in their calendar."""

from __future__ import annotations

from collections.abc import Sequence

from app.scheduling.fields import ScreeningStatus
from app.scheduling.programme import FestivalInfo, FilmInfo, ScreeningInfo, VenueInfo
from app.scheduling.times import wall_clock_label

PREMIERES = {
    "world": "World premiere",
    "international": "International premiere",
    "european": "European premiere",
    "national": "National premiere",
}
ACCESSIBILITY = {
    "subtitled": "subtitled",
    "captioned": "captioned for deaf and hard-of-hearing audiences",
    "audio_description": "audio description",
    "relaxed": "relaxed screening",
}


def _names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def premiere_label(premiere: str, city: str = "") -> str | None:
    """'World premiere' and the like; None for a film that is no premiere."""
    if premiere == "local":
        return f"{city} premiere" if city else "Local premiere"
    return PREMIERES.get(premiere)


def film_lines(film: FilmInfo, festival: FestivalInfo) -> list[str]:
    """A film as a catalogue prints it: title, who made it where and when, language, premiere."""
    heading = film.title
    if film.original_title and film.original_title != film.title:
        heading += f" ({film.original_title})"
    facts = []
    if film.directors:
        facts.append(f"by {_names(film.directors)}")
    origin = " ".join(part for part in (", ".join(film.countries), str(film.year or "")) if part)
    if origin:
        facts.append(origin)
    facts.append(f"{film.runtime_minutes} min")
    lines = [heading, ", ".join(facts)]
    language = ", ".join(film.languages)
    if language and film.subtitles:
        lines.append(f"{language} with {film.subtitles} subtitles")
    elif language:
        lines.append(language)
    elif film.subtitles:
        lines.append(f"{film.subtitles} subtitles")
    premiere = premiere_label(film.premiere, festival.city)
    if premiere:
        lines.append(premiere)
    if film.synopsis:
        lines.append(film.synopsis.strip())
    return lines


CANCELLED = "Cancelled: this screening will not take place."


def films_text(films: Sequence[FilmInfo], festival: FestivalInfo) -> str:
    """The films of a screening's DESCRIPTION, in running order ('' for none): what every
    screening of the same films says alike."""
    blocks: list[str] = []
    if len(films) > 1:
        order = ", then ".join(f"{film.title} ({film.runtime_minutes} min)" for film in films)
        blocks.append(f"{len(films)} films, in this order: {order}.")
    blocks.extend("\n".join(film_lines(film, festival)) for film in films)
    return "\n\n".join(blocks)


def extras_text(
    screening: ScreeningInfo, venue: VenueInfo | None, festival: FestivalInfo, ends_label: str | None = None
) -> str:
    """The evening's extras of a screening's DESCRIPTION (introduction, Q&A, running time,
    accessibility, tickets), one a line; `ends_label` is the end's `wall_clock_label` when the
    caller has it already."""
    extras = []
    if screening.intro_minutes:
        extras.append(f"Introduction: {screening.intro_minutes} min before the film")
    if screening.qa_minutes:
        with_guests = f" with {_names(screening.guests)}" if screening.guests else ""
        extras.append(f"Q&A{with_guests}: {screening.qa_minutes} min after the film")
    elif screening.guests:
        extras.append(f"In attendance: {_names(screening.guests)}")
    if ends_label is None:
        ends_label = wall_clock_label(screening.ends_at.astimezone(festival.zone), festival.zone)
    extras.append(f"Running time {screening.runtime_minutes} min, ends about {ends_label}")
    access = [ACCESSIBILITY.get(item, item.replace("_", " ")) for item in screening.accessibility]
    if venue is not None and venue.step_free:
        access.append("step-free access to the venue")
    if access:
        extras.append("Accessibility: " + ", ".join(access))
    if screening.ticket_url:
        extras.append(f"Tickets: {screening.ticket_url}")
    return "\n".join(extras)


def screening_description(
    screening: ScreeningInfo,
    films: Sequence[FilmInfo],
    venue: VenueInfo | None,
    festival: FestivalInfo,
) -> str:
    """The DESCRIPTION of a screening's event: films in running order, then the evening's extras
    (blocks apart by an empty line: `CANCELLED`, `films_text`, `extras_text`, the notes)."""
    blocks = [CANCELLED] if screening.status == ScreeningStatus.CANCELLED else []
    if films:
        blocks.append(films_text(films, festival))
    blocks.append(extras_text(screening, venue, festival))
    if screening.notes:
        blocks.append(screening.notes.strip())  # an empty line after the extras, even if only spaces
    return "\n\n".join(blocks)
