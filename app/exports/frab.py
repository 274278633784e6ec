"""The programme as a frab-compatible schedule (`schedule.json`, `schedule.xml`), as schedule apps read it.

The shape is the c3voc schedule format, version 1 ("days → rooms → events"), which frab,
pretalx and the apps that read them (Giggity, EventFahrplan, pyfahrplan, info-beamer) share:

- days split at the festival's `day_starts_at`, so a 23:30 screening stays on its festival
  day; every day of the festival is listed, with every venue as a room (empty rooms too, so
  an app's columns do not jump from day to day);
- one event per screening, with a `guid` made by uuid5 from a fixed namespace and the
  screening's id: it never changes when the screening is edited, and a film shown three
  times is three events;
- `duration` is the screening's runtime (intro, films, Q&A); `persons` are its guests;
  `track` is its section; cancelled screenings are left out (apps list an event that
  disappears between two versions as cancelled); no `end` (the JSON schema allows it, but the
  c3voc tools carry it into an XML element their own XSD refuses: `date` and `duration` say it);
- the conference `acronym` is the festival's slug with `_` for `-` (the schema allows no
  hyphen before the year); `time_zone_name` is given when the schema's pattern admits it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.calendar.description import ACCESSIBILITY, film_lines
from app.calendar.feed import main_film
from app.exports.languages import language_code
from app.scheduling.programme import Programme, ScreeningInfo, VenueInfo, screening_title, section_slug
from app.scheduling.times import NonExistentLocalTime, local_time

# Fixed forever: changing one would give every event, room or person a new identity.
SCREENING_NAMESPACE = uuid.UUID("5d0a7c3e-2f61-4b8e-9c1a-6f3e8d2b7a41")
VENUE_NAMESPACE = uuid.UUID("8b4f1d2a-93c7-4e5a-b0d6-1c2e3f4a5b69")
PERSON_NAMESPACE = uuid.UUID("c2e9a6f4-1b3d-4f87-a5c0-9d8e7f6a5b43")
_SCREENING_NAMESPACE_BYTES = SCREENING_NAMESPACE.bytes
GENERATOR = {"name": "Marquee", "version": "0.1.0"}
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
EVENT_TYPE = "screening"
TIMESLOT = "00:05"
# the schema's own pattern for time_zone_name (it has no grouping around the alternation)
_ZONE_PATTERN = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def screening_guid(screening_id: int) -> str:
    """The event's guid: uuid5 of the screening's id in Marquee's screening namespace."""
    return _uuid5(_SCREENING_NAMESPACE_BYTES, str(screening_id))


def _uuid5(namespace: bytes, name: str) -> str:
    """`str(uuid.uuid5(namespace, name))`, four times as fast (thousands of events per schedule)."""
    digest = bytearray(hashlib.sha1(namespace + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def venue_guid(venue_id: int) -> str:
    """A room's guid: uuid5 of the venue's id in Marquee's venue namespace."""
    return str(uuid.uuid5(VENUE_NAMESPACE, str(venue_id)))


def person_guid(name: str) -> str:
    """A guest's guid: uuid5 of the name (spaces and case folded), so one guest is one person everywhere."""
    return str(uuid.uuid5(PERSON_NAMESPACE, " ".join(name.split()).casefold()))


def acronym(slug: str) -> str:
    """'wiesbaden-2021' → 'wiesbaden_2021' (the schema wants [a-z0-9_], at least four)."""
    text = re.sub(r"[^a-z0-9_]", "_", slug.lower())
    return text.ljust(4, "_")


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in plain if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")


def duration(minutes: int) -> str:
    """'02:15' (hours may pass 24 in principle; the schema wants at least h:mm)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_start(day: date, programme: Programme) -> datetime:
    festival = programme.festival
    wall = datetime.combine(day, festival.day_starts_at)
    try:
        return local_time(wall, festival.zone)
    except NonExistentLocalTime:  # the day starts inside a skipped hour: take the moment after it
        return wall.replace(tzinfo=festival.zone).astimezone(festival.zone)


def _days(programme: Programme, screenings: list[ScreeningInfo]) -> list[date]:
    festival = programme.festival
    first = min([festival.starts_on, *(s.festival_day for s in screenings)])
    last = max([festival.ends_on, *(s.festival_day for s in screenings)])
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _room_names(venues: Iterable[VenueInfo]) -> dict[int, str]:
    """Each venue's room name; a name two venues share gets " (2)", " (3)" after the first."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for venue in venues:
        name, n = venue.name, 1
        while name in taken:
            n += 1
            name = f"{venue.name} ({n})"
        taken.add(name)
        names[venue.id] = name
    return names


@dataclass(frozen=True)
class _Films:
    """What an event says about the films it shows, worked out once per list of films."""

    title: str  # the films' titles joined, for a screening without a title of its own
    slug: str
    url: str
    links: tuple[dict, ...]
    subtitle: str  # the original titles where they differ
    track: str | None
    language: str | None
    facts: str
    description: str


class _Words:
    """The words of events, worked out once per list of films or guest (a film is shown several times)."""

    def __init__(self, programme: Programme, base_url: str):
        self.programme = programme
        self.home = f"{base_url}/festivals/{programme.festival.slug}"
        self._films: dict[tuple[int, ...], _Films] = {}
        self._slugs: dict[str, str] = {}
        self._persons: dict[str, dict] = {}

    def films(self, film_ids: tuple[int, ...]) -> _Films:
        if film_ids not in self._films:
            self._films[film_ids] = self._work_out(film_ids)
        return self._films[film_ids]

    def _work_out(self, film_ids: tuple[int, ...]) -> _Films:
        programme = self.programme
        films = [programme.films_by_id[film_id] for film_id in film_ids if film_id in programme.films_by_id]
        facts = []
        for film in films:
            origin = " ".join(p for p in (", ".join(film.countries), str(film.year or "")) if p)
            parts = [", ".join(film.directors), origin, f"{film.runtime_minutes} min"]
            if len(films) > 1:
                parts.insert(0, film.title)
            facts.append(" · ".join(part for part in parts if part))
        languages = list(dict.fromkeys(language for film in films for language in film.languages))
        subtitles = list(dict.fromkeys(film.subtitles for film in films if film.subtitles))
        if languages:
            facts.append(", ".join(languages) + (f" with {' / '.join(subtitles)} subtitles" if subtitles else ""))
        feature = main_film(films)
        title = screening_title(None, [film.title for film in films])
        originals = [film.original_title for film in films if film.original_title and film.original_title != film.title]
        return _Films(
            title=title,
            slug=self.slug(title),
            url=f"{self.home}/films/{feature.id}" if feature else self.home,
            links=tuple({"url": f"{self.home}/films/{film.id}", "title": film.title, "type": "web"} for film in films),
            subtitle=title if len(films) > 1 else " + ".join(originals),
            track=next((film.section for film in films if film.section), None),
            language=language_code(feature.languages[0]) if feature and feature.languages else None,
            facts=". ".join(facts),
            description="\n\n".join("\n".join(film_lines(film, programme.festival)) for film in films),
        )

    def slug(self, title: str) -> str:
        if title not in self._slugs:
            self._slugs[title] = _ascii_slug(title) or "screening"
        return self._slugs[title]

    def person(self, name: str) -> dict:
        if name not in self._persons:
            self._persons[name] = {"guid": person_guid(name), "name": name, "public_name": name}
        return self._persons[name]


def _extras(screening: ScreeningInfo) -> list[str]:
    """The evening around the films: introduction, Q&A and guests, access, notes."""
    extras = []
    if screening.intro_minutes:
        extras.append(f"Introduction {screening.intro_minutes} min")
    guests = ", ".join(screening.guests)
    if screening.qa_minutes:
        extras.append(f"Q&A{' with ' + guests if guests else ''} {screening.qa_minutes} min")
    elif guests:
        extras.append(f"In person: {guests}")
    extras.extend(ACCESSIBILITY.get(item, item.replace("_", " ")).capitalize() for item in screening.accessibility)
    if screening.notes:
        extras.append(" ".join(screening.notes.split()))
    return extras


def _event(screening: ScreeningInfo, room: str, prefix: str, words: _Words) -> dict:
    films = words.films(screening.film_ids)
    links = list(films.links)
    if screening.ticket_url:
        links.append({"url": screening.ticket_url, "title": "Tickets", "type": "web"})
    starts_at = screening.starts_at.isoformat()
    extras = _extras(screening)
    return {
        "guid": screening_guid(screening.id),
        "id": screening.id,
        "date": starts_at,
        "start": starts_at[11:16],
        "duration": duration(screening.runtime_minutes),
        "room": room,
        "slug": f"{prefix}-{screening.id}-{words.slug(screening.title) if screening.title else films.slug}",
        "url": films.url,
        "title": screening.title or films.title,
        "subtitle": films.title if screening.title else films.subtitle,
        "track": films.track,
        "type": EVENT_TYPE,
        "language": films.language,
        "abstract": ". ".join([films.facts, *extras]) + "." if extras else films.facts + ".",
        "description": films.description,
        "do_not_record": True,  # films are shown, not recorded or streamed
        "persons": [words.person(name) for name in screening.guests],
        "links": links,
        "attachments": [],
    }


def schedule_document(programme: Programme, *, base_url: str) -> dict:
    """The schedule as the c3voc schema's JSON value (`{"$schema", "generator", "schedule"}`)."""
    festival = programme.festival
    base_url = base_url.rstrip("/")
    home = f"{base_url}/festivals/{festival.slug}"
    screenings = sorted(
        (s for s in programme.screenings if s.status == "confirmed"), key=lambda s: (s.starts_at, s.venue_id, s.id)
    )
    published = programme.published_at is not None
    venues = programme.venues if published else ()
    rooms = _room_names(venues)
    days = _days(programme, screenings if published else [])
    per_day: dict[date, dict[str, list[dict]]] = {day: {rooms[v.id]: [] for v in venues} for day in days}
    if published:
        words = _Words(programme, base_url)
        prefix = acronym(festival.slug)
        for screening in screenings:
            room = rooms[screening.venue_id]
            per_day[screening.festival_day][room].append(_event(screening, room, prefix, words))
    sections = sorted({film.section for film in programme.films if film.section} if published else set())
    conference = {
        "acronym": acronym(festival.slug),
        "title": festival.name,
        "start": days[0].isoformat(),
        "end": days[-1].isoformat(),
        "daysCount": len(days),
        "timeslot_duration": TIMESLOT,
        **({"time_zone_name": festival.timezone} if _ZONE_PATTERN.search(festival.timezone) else {}),
        "url": festival.website or f"{home}",
        "tracks": [
            {"name": section, **({"slug": slug} if len(slug := section_slug(section)) > 1 else {})}
            for section in sections
        ],
        "rooms": [_room(venue, rooms[venue.id], base_url, festival.slug) for venue in venues],
        "days": [
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": _day_start(day, programme).isoformat(),
                "day_end": _day_start(day + timedelta(days=1), programme).isoformat(),
                "rooms": per_day[day],
            }
            for index, day in enumerate(days, start=1)
        ],
    }
    return {
        "$schema": SCHEMA_URL,
        "generator": {**GENERATOR, "url": base_url} if base_url.startswith("http") else dict(GENERATOR),
        "schedule": {"version": str(programme.version), "base_url": f"{home}/", "conference": conference},
    }


def _room(venue: VenueInfo, name: str, base_url: str, slug: str) -> dict:
    facts = [venue.address, "step-free access" if venue.step_free else ""]
    room = {
        "name": name,
        "guid": venue_guid(venue.id),
        "description": " · ".join(f for f in facts if f) or None,
        "capacity": venue.capacity,
        "url": f"{base_url}/festivals/{slug}/venues/{venue.id}",
    }
    if len(room_slug := _ascii_slug(venue.name)) > 1:
        room["slug"] = room_slug
    return room


def render_schedule_json(programme: Programme, *, base_url: str) -> bytes:
    """schedule.json: the c3voc schema's document, UTF-8, without indentation (a tenth smaller)."""
    document = schedule_document(programme, base_url=base_url)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
