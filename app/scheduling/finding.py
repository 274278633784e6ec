"""Finding screenings in a published programme: filters, search, today and "now and next".

Pure: the festival's clock is passed in as `now`; nothing here reads it. The festival page,
its benchmarks and the tests all go through `find_screenings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.scheduling.fields import ScreeningStatus
from app.scheduling.programme import FilmInfo, Programme, ScreeningInfo, section_slug
from app.scheduling.search import fold, matches
from app.scheduling.times import festival_day

# accessibility filters: a venue's step-free access and a screening's own provisions
STEP_FREE = "step_free"
ACCESS = {
    STEP_FREE: "Step-free access",
    "audio_description": "Audio description",
    "captioned": "Captions",
}
ALL_DAYS = "all"


@dataclass(frozen=True)
class ProgrammeQuery:
    """What an attendee asked for: every field empty means no filter on it."""

    day: date | None = None
    all_days: bool = False
    venue_id: int | None = None
    section: str | None = None  # a section's slug
    language: str | None = None
    subtitles: str | None = None
    access: tuple[str, ...] = ()
    text: str = ""

    @property
    def narrowed(self) -> bool:
        """Whether anything but the day was chosen (the page then says how many match)."""
        return bool(self.venue_id or self.section or self.language or self.subtitles or self.access or self.text)


@dataclass(frozen=True)
class Choices:
    """The values each filter offers, from the programme itself."""

    days: tuple[date, ...]
    venues: tuple[tuple[int, str], ...]
    sections: tuple[tuple[str, str], ...]  # (slug, name)
    languages: tuple[str, ...]
    subtitles: tuple[str, ...]
    access: tuple[tuple[str, str], ...] = tuple(ACCESS.items())


@dataclass(frozen=True)
class Found:
    """The answer to a query: the day shown (None for every day) and the screenings, by start."""

    day: date | None
    screenings: tuple[ScreeningInfo, ...]
    films: tuple[FilmInfo, ...] = field(default=())  # films whose title or director matched the text


def festival_days(programme: Programme) -> tuple[date, ...]:
    """Every festival day from the first to the last, and any day a screening falls on outside them."""
    festival = programme.festival
    days = {festival.starts_on + timedelta(days=n) for n in range((festival.ends_on - festival.starts_on).days + 1)}
    days.update(s.festival_day for s in programme.screenings)
    return tuple(sorted(days))


def festival_today(programme: Programme, now: datetime) -> date | None:
    """The festival day it is at `now` by the festival's clock, or None outside the festival's dates."""
    festival = programme.festival
    today = festival_day(now, festival.zone, festival.day_starts_at)
    return today if festival.starts_on <= today <= festival.ends_on else None


def opening_day(programme: Programme, now: datetime) -> date:
    """The day the festival page opens on: today while the festival runs, otherwise the first day."""
    return festival_today(programme, now) or programme.festival.starts_on


def now_and_next(
    programme: Programme, now: datetime, *, upcoming: int = 6
) -> tuple[list[ScreeningInfo], list[ScreeningInfo]]:
    """Screenings running at `now`, and the next `upcoming` to start on the same festival day
    (cancelled ones left out)."""
    festival = programme.festival
    today = festival_day(now, festival.zone, festival.day_starts_at)
    live = [s for s in programme.screenings if s.status != ScreeningStatus.CANCELLED]
    running = [s for s in live if s.starts_at <= now < s.ends_at]
    coming = sorted(
        (s for s in live if s.starts_at > now and s.festival_day == today), key=lambda s: (s.starts_at, s.id)
    )
    return sorted(running, key=lambda s: (s.starts_at, s.id)), coming[:upcoming]


def choices(programme: Programme) -> Choices:
    """What each filter can be set to, in the programme's own words."""
    sections = {f.section for f in programme.films if f.section}
    return Choices(
        days=festival_days(programme),
        venues=tuple((v.id, v.name) for v in sorted(programme.venues, key=lambda v: fold(v.name))),
        sections=tuple((section_slug(s), s) for s in sorted(sections, key=fold)),
        languages=tuple(sorted({lang for f in programme.films for lang in f.languages}, key=fold)),
        subtitles=tuple(sorted({f.subtitles for f in programme.films if f.subtitles}, key=fold)),
    )


def film_matches(film: FilmInfo, text: str) -> bool:
    """Whether `text` is in the film's title, original title or a director's name (any case, accent or script)."""
    return matches(text, film.title, film.original_title, *film.directors)


def _film_filter(query: ProgrammeQuery, film: FilmInfo) -> bool:
    if query.section and (not film.section or section_slug(film.section) != query.section):
        return False
    if query.language and fold(query.language) not in {fold(lang) for lang in film.languages}:
        return False
    if query.subtitles and fold(query.subtitles) != fold(film.subtitles or ""):
        return False
    return True


def _screening_filter(
    programme: Programme, query: ProgrammeQuery, screening: ScreeningInfo, chosen_films: set[int] | None
) -> bool:
    if query.venue_id is not None and screening.venue_id != query.venue_id:
        return False
    for need in query.access:
        if need == STEP_FREE:
            venue = programme.venues_by_id.get(screening.venue_id)
            if venue is None or not venue.step_free:
                return False
        elif need not in screening.accessibility:
            return False
    films = [programme.films_by_id[i] for i in screening.film_ids if i in programme.films_by_id]
    if query.section or query.language or query.subtitles:
        if not any(_film_filter(query, film) for film in films):
            return False
    if chosen_films is not None and not chosen_films.intersection(screening.film_ids):
        return False
    return True


def find_screenings(programme: Programme, query: ProgrammeQuery) -> Found:
    """The screenings the query asks for, by start time.

    A search looks at every day unless a day was chosen; otherwise the query's day is shown
    (`all_days` shows the whole festival).
    """
    chosen_films: set[int] | None = None
    found_films: tuple[FilmInfo, ...] = ()
    if query.text.strip():
        found_films = tuple(f for f in programme.films if film_matches(f, query.text))
        chosen_films = {f.id for f in found_films}
    day = None if query.all_days or (query.text.strip() and query.day is None) else query.day
    screenings = tuple(
        s
        for s in programme.screenings
        if (day is None or s.festival_day == day) and _screening_filter(programme, query, s, chosen_films)
    )
    return Found(
        day=day, screenings=tuple(sorted(screenings, key=lambda s: (s.starts_at, s.venue_id, s.id))), films=found_films
    )


def screenings_by_id(programme: Programme, ids: Iterable[int]) -> list[ScreeningInfo]:
    """The programme's screenings among `ids`, by start (ids it does not hold are left out)."""
    wanted = set(ids)
    return sorted((s for s in programme.screenings if s.id in wanted), key=lambda s: (s.starts_at, s.id))


def read_query(params: dict[str, list[str]]) -> ProgrammeQuery:
    """A query from the page's parameters (`day`, `venue`, `section`, `language`, `subtitles`, `access`, `q`).

    A value that cannot be read (a malformed day or venue id, an unknown accessibility need)
    is ignored, so a mistyped link still opens the programme.
    """

    def one(name: str) -> str:
        values = params.get(name) or [""]
        return values[-1].strip()[:200]

    day_text, venue_text = one("day"), one("venue")
    day = None
    if day_text and day_text != ALL_DAYS:
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            day = None
    return ProgrammeQuery(
        day=day,
        all_days=day_text == ALL_DAYS,
        venue_id=int(venue_text) if venue_text.isascii() and venue_text.isdigit() and len(venue_text) < 10 else None,
        section=one("section") or None,
        language=one("language") or None,
        subtitles=one("subtitles") or None,
        access=tuple(a for a in dict.fromkeys(params.get("access", [])) if a in ACCESS),
        text=one("q"),
    )


def query_params(query: ProgrammeQuery) -> list[tuple[str, str]]:
    """The query as URL parameters, in a fixed order (so equal queries give equal links)."""
    params: list[tuple[str, str]] = []
    if query.all_days:
        params.append(("day", ALL_DAYS))
    elif query.day is not None:
        params.append(("day", query.day.isoformat()))
    for name, value in (
        ("venue", query.venue_id),
        ("section", query.section),
        ("language", query.language),
        ("subtitles", query.subtitles),
    ):
        if value is not None and value != "":
            params.append((name, str(value)))
    params += [("access", need) for need in query.access]
    if query.text:
        params.append(("q", query.text))
    return params


def toggled_access(query: ProgrammeQuery, need: str) -> tuple[str, ...]:
    """The query's accessibility needs with `need` switched on or off."""
    return tuple(a for a in query.access if a != need) if need in query.access else (*query.access, need)
