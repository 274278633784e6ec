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
    # each field read once, from the model's dict (pydantic's attribute access costs twice as
    # much, and a feed reads every film of the festival)
    fields = film.__dict__
    heading, original_title = fields["title"], fields["original_title"]
    if original_title and original_title != heading:
        heading += f" ({original_title})"
    directors, countries, year = fields["directors"], fields["countries"], fields["year"]
    facts = f"by {_names(directors)}, " if directors else ""
    if countries:
        facts += f"{', '.join(countries)} {year}, " if year else f"{', '.join(countries)}, "
    elif year:
        facts += f"{year}, "
    lines = [heading, f"{facts}{fields['runtime_minutes']} min"]
    language, subtitles = ", ".join(fields["languages"]), fields["subtitles"]
    if language and subtitles:
        lines.append(f"{language} with {subtitles} subtitles")
    elif language:
        lines.append(language)
    elif subtitles:
        lines.append(f"{subtitles} subtitles")
    premiere = premiere_label(fields["premiere"], festival.city)
    if premiere:
        lines.append(premiere)
    synopsis = fields["synopsis"]
    if synopsis:
        lines.append(synopsis.strip())
    return lines


CANCELLED = "Cancelled: this screening will not take place."


def films_text(films: Sequence[FilmInfo], festival: FestivalInfo) -> str:
    """The films of a screening's DESCRIPTION, in running order ('' for none): what every
    screening of the same films says alike."""
    if len(films) == 1:
        return "\n".join(film_lines(films[0], festival))
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
    fields = screening.__dict__  # read once, as in `film_lines`
    extras = ""
    intro_minutes, qa_minutes, guests = fields["intro_minutes"], fields["qa_minutes"], fields["guests"]
    if intro_minutes:
        extras = f"Introduction: {intro_minutes} min before the film\n"
    if qa_minutes:
        with_guests = f" with {_names(guests)}" if guests else ""
        extras += f"Q&A{with_guests}: {qa_minutes} min after the film\n"
    elif guests:
        extras += f"In attendance: {_names(guests)}\n"
    if ends_label is None:
        ends_label = wall_clock_label(fields["ends_at"].astimezone(festival.zone), festival.zone)
    extras += f"Running time {fields['runtime_minutes']} min, ends about {ends_label}"
    accessibility = fields["accessibility"]
    access = [ACCESSIBILITY.get(item, item.replace("_", " ")) for item in accessibility] if accessibility else []
    if venue is not None and venue.step_free:
        access.append("step-free access to the venue")
    if access:
        extras += "\nAccessibility: " + ", ".join(access)
    ticket_url = fields["ticket_url"]
    if ticket_url:
        extras += f"\nTickets: {ticket_url}"
    return extras


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
