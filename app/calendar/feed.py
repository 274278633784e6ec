"""Render a published programme (or a narrower slice of it) as an iCalendar feed.

Pure: everything time-like comes from the Programme, so the same Programme gives the same bytes
(and the same ETag) until the next publish. The rules are DESIGN.md's "Feeds" paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from icalendar import Calendar, vDuration, vText

from app.calendar.contentline import CRLF, date_time_line, escape_text, fold, utc_stamp
from app.calendar.description import screening_description
from app.calendar.vtimezone import build_vtimezone
from app.scheduling.fields import ScreeningStatus
from app.scheduling.programme import (
    FilmInfo,
    Programme,
    ScreeningInfo,
    VenueInfo,
    screening_title,
)

PRODID = "-//Marquee//Festival programme//EN"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
REFRESH_INTERVAL = timedelta(hours=1)
# Feeds show what the public may see: a published snapshot holds only these two.
EVENT_STATUS = {ScreeningStatus.CONFIRMED: "CONFIRMED", ScreeningStatus.CANCELLED: "CANCELLED"}


def screening_uid(screening_id: int, festival_slug: str) -> str:
    """The event's UID: the screening's id and the festival's *first* slug
    (`FestivalInfo.calendar_slug`), nothing that a programmer can edit or rename."""
    return f"screening-{screening_id}@{festival_slug}.marquee"


def main_film(films: list[FilmInfo]) -> FilmInfo | None:
    """The film an event links to: the longest (the feature after a short), first on a tie."""
    return max(films, key=lambda film: film.runtime_minutes, default=None)


def feed_screenings(programme: Programme, screenings: Iterable[ScreeningInfo] | None = None) -> list[ScreeningInfo]:
    """The screenings a feed shows, by start then id; none before the first publish."""
    if programme.published_at is None:
        return []
    chosen = programme.screenings if screenings is None else screenings
    unique = {s.id: s for s in reversed(list(chosen)) if s.status in EVENT_STATUS}
    return sorted(unique.values(), key=lambda s: (s.starts_at, s.id))


def _calendar_description(programme: Programme) -> str:
    festival = programme.festival
    where = f" in {festival.city}" if festival.city else ""
    dates = f"{festival.starts_on.isoformat()} to {festival.ends_on.isoformat()}"
    if programme.published_at is None:
        return f"{festival.name}{where}, {dates}. The programme has not been published yet."
    return f"{festival.name}{where}, {dates}. Published programme, version {programme.version}."


def _header(programme: Programme, chosen: list[ScreeningInfo], name: str, description: str, base_url: str) -> bytes:
    """BEGIN:VCALENDAR, the calendar's properties and its VTIMEZONE, written by icalendar."""
    festival = programme.festival
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    # icalendar 7 types NAME, X-WR-CALNAME and X-WR-CALDESC as UNKNOWN and would write their
    # commas and semicolons unescaped: give them as TEXT.
    for prop, text in (
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("DESCRIPTION", description),
        ("X-WR-CALDESC", description),
        ("X-WR-TIMEZONE", festival.timezone),
    ):
        cal.add(prop, vText(_one_line(text)))
    cal.add("URL", f"{base_url}/festivals/{festival.slug}")
    # icalendar writes REFRESH-INTERVAL without VALUE=DURATION (RFC 7986 requires it) and a
    # timedelta X-PUBLISHED-TTL as "1:00:00": give both as explicit durations.
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    if programme.published_at is not None:
        cal.add("LAST-MODIFIED", programme.published_at)

    zone = festival.zone
    years = {festival.starts_on.year, festival.ends_on.year}
    for screening in chosen:
        years.add(screening.starts_at.astimezone(zone).year)
        years.add(screening.ends_at.astimezone(zone).year)
    basis_year = festival.starts_on.year
    cal.add_component(build_vtimezone(festival.timezone, min(years), max(years), basis_year))
    # the events follow, written by contentline.py, then END:VCALENDAR again
    return cal.to_ical().removesuffix(b"END:VCALENDAR" + CRLF)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _venue_lines(venue: VenueInfo) -> list[str]:
    location = ", ".join(part for part in (venue.name, venue.address) if part)
    lines = [f"LOCATION:{escape_text(location)}"] if location else []
    if venue.latitude is not None and venue.longitude is not None:
        lines.append(f"GEO:{_decimal(venue.latitude)};{_decimal(venue.longitude)}")
    return lines


def _decimal(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _event_lines(
    programme: Programme,
    screening: ScreeningInfo,
    base_url: str,
    venue_lines: dict[int, list[str]],
) -> list[str]:
    festival = programme.festival
    zone = festival.zone
    films = [programme.films_by_id[i] for i in screening.film_ids if i in programme.films_by_id]
    venue = programme.venues_by_id.get(screening.venue_id)
    published_at = programme.published_at
    assert published_at is not None  # feed_screenings shows none before the first publish
    cancelled = screening.status == ScreeningStatus.CANCELLED

    summary = screening_title(screening.title, [film.title for film in films])
    description = screening_description(screening, films, venue, festival)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{screening_uid(screening.id, festival.calendar_slug)}",
        f"DTSTAMP:{utc_stamp(published_at)}",
        date_time_line("DTSTART", screening.starts_at, zone),
        date_time_line("DTEND", screening.ends_at, zone),
        f"SUMMARY:{escape_text(('Cancelled: ' if cancelled else '') + summary)}",
        *venue_lines.get(screening.venue_id, ()),
        f"DESCRIPTION:{escape_text(description)}",
    ]
    sections = dict.fromkeys(film.section for film in films if film.section)
    if sections:
        lines.append("CATEGORIES:" + ",".join(escape_text(section) for section in sections))
    film = main_film(films)
    if film is not None:
        lines.append(f"URL:{base_url}/festivals/{festival.slug}/films/{film.id}")
    lines += [
        f"SEQUENCE:{screening.sequence}",
        f"LAST-MODIFIED:{utc_stamp(screening.last_modified_at or published_at)}",
        f"STATUS:{EVENT_STATUS[screening.status]}",
        # a cancelled screening stays in view but no longer blocks its attendee's time
        f"TRANSP:{'TRANSPARENT' if cancelled else 'OPAQUE'}",
        "END:VEVENT",
    ]
    return lines


def render_calendar(
    programme: Programme,
    *,
    screenings: Iterable[ScreeningInfo] | None = None,
    name: str | None = None,
    base_url: str = DEFAULT_BASE_URL,
    description: str | None = None,
) -> bytes:
    """The iCalendar feed of a published programme, or of the `screenings` chosen from it."""
    base_url = base_url.rstrip("/")
    chosen = feed_screenings(programme, screenings)
    name = name or programme.festival.name
    description = description or _calendar_description(programme)
    parts = [_header(programme, chosen, name, description, base_url)]
    venue_lines = {venue.id: _venue_lines(venue) for venue in programme.venues}
    for screening in chosen:
        for line in _event_lines(programme, screening, base_url, venue_lines):
            parts.append(fold(line))
            parts.append(CRLF)
    parts.append(b"END:VCALENDAR" + CRLF)
    return b"".join(parts)
