"""The printed programme's view of a Programme: screenings as rows, grouped by day, venue or film.

Templates only format what is worked out here, so every rule (festival days, "+1" after
midnight, the most notable premiere, catalogue order) lives in plain, testable Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from app.printing import labels
from app.printing.changes import ChangeEntry
from app.printing.sorting import catalogue_letter, catalogue_sort_key
from app.scheduling.programme import (
    FilmInfo,
    Programme,
    ScreeningInfo,
    VenueInfo,
    screening_title,
)


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return tuple(seen)


@dataclass(frozen=True)
class FilmLine:
    """A film as one screening lists it: title, original title and credit line."""

    film: FilmInfo

    @property
    def id(self) -> int:
        return self.film.id

    @property
    def title(self) -> str:
        return self.film.title

    @property
    def original_title(self) -> str | None:
        original = self.film.original_title
        return original if original and original != self.film.title else None

    @property
    def credit(self) -> str:
        """'Mikhail Kalatozov · USSR 1957 · 97 min'."""
        origin = " ".join(part for part in (labels.plain_list(self.film.countries), str(self.film.year or "")) if part)
        parts = (labels.plain_list(self.film.directors), origin, labels.minutes(self.runtime))
        return " · ".join(part for part in parts if part)

    @property
    def runtime(self) -> int:
        return self.film.runtime_minutes

    @property
    def premiere(self) -> str | None:
        return labels.PREMIERES.get(self.film.premiere)

    @property
    def section(self) -> str | None:
        return self.film.section


@dataclass(frozen=True)
class ScreeningRow:
    """One screening, ready to print."""

    screening: ScreeningInfo
    venue: VenueInfo
    films: tuple[FilmLine, ...]
    changes: tuple[str, ...] = ()  # change kinds since an earlier version, for badges
    zone: tzinfo | None = None  # the festival's, to tell the two 01:30s of the autumn night apart

    @property
    def id(self) -> int:
        return self.screening.id

    @property
    def day(self) -> date:
        return self.screening.festival_day

    @property
    def starts_at(self) -> datetime:
        return self.screening.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.screening.ends_at

    @property
    def start(self) -> str:
        return labels.clock(self.screening.starts_at, self.zone)

    @property
    def end(self) -> str:
        return labels.clock(self.screening.ends_at, self.zone)

    # A festival day runs past midnight (see app.scheduling.times.festival_day): a time on
    # the next calendar day is printed with "+1" under the day it belongs to.
    @property
    def starts_next_day(self) -> bool:
        return self.screening.starts_at.date() > self.day

    @property
    def ends_next_day(self) -> bool:
        return self.screening.ends_at.date() > self.day

    @property
    def title(self) -> str:
        return screening_title(self.screening.title, [film.title for film in self.films])

    @property
    def has_own_title(self) -> bool:
        """True when the title names the programme rather than just repeating its films."""
        return bool(self.screening.title) or len(self.films) > 1

    @property
    def runtime(self) -> int:
        return self.screening.runtime_minutes

    @property
    def cancelled(self) -> bool:
        return self.screening.status == "cancelled"

    @property
    def sections(self) -> tuple[str, ...]:
        return _unique(film.section for film in self.films)

    @property
    def premiere_kind(self) -> str:
        kinds = [line.film.premiere for line in self.films]
        kinds = [kind for kind in kinds if kind in labels.PREMIERES]
        return min(kinds, key=labels.PREMIERE_RANK.__getitem__) if kinds else "none"

    @property
    def premiere(self) -> str | None:
        return labels.PREMIERES.get(self.premiere_kind)

    @property
    def labels(self) -> tuple[str, ...]:
        """The small labels above the title: sections, then the premiere."""
        return (*self.sections, *((self.premiere,) if self.premiere else ()))

    @property
    def languages(self) -> tuple[str, ...]:
        return _unique(language for film in self.films for language in film.film.languages)

    @property
    def subtitles(self) -> tuple[str, ...]:
        return _unique(film.film.subtitles for film in self.films)

    @property
    def language_line(self) -> str:
        """'Russian · English subtitles'."""
        parts = [labels.plain_list(self.languages)]
        if self.subtitles:
            parts.append(f"{labels.plain_list(self.subtitles, ' / ')} subtitles")
        return " · ".join(part for part in parts if part)

    @property
    def extras(self) -> tuple[str, ...]:
        """Introduction, Q&A and guests, as short phrases."""
        screening = self.screening
        extras = []
        if screening.intro_minutes:
            extras.append(f"Introduction {labels.minutes(screening.intro_minutes)}")
        guests = labels.plain_list(screening.guests)
        if screening.qa_minutes and guests:
            extras.append(f"Q&A with {guests} ({labels.minutes(screening.qa_minutes)})")
        elif screening.qa_minutes:
            extras.append(f"Q&A {labels.minutes(screening.qa_minutes)}")
        elif guests:
            extras.append(f"In person: {guests}")
        return tuple(extras)

    @property
    def screening_access(self) -> tuple[str, ...]:
        """The screening's own access features ("Captioned", "Audio description")."""
        return tuple(labels.ACCESSIBILITY.get(item, item) for item in self.screening.accessibility)

    @property
    def accessibility(self) -> tuple[str, ...]:
        """Access features including the venue's step-free access."""
        return (*self.screening_access, *(("Step-free venue",) if self.venue.step_free else ()))

    @property
    def change_labels(self) -> tuple[str, ...]:
        return tuple(labels.CHANGE_LABELS[kind] for kind in self.changes if kind != "cancelled")


@dataclass(frozen=True)
class DayGroup:
    day: date
    rows: tuple[ScreeningRow, ...]

    @property
    def anchor(self) -> str:
        return f"day-{self.day.isoformat()}"

    @property
    def label(self) -> str:
        return labels.long_day(self.day)

    @property
    def short_label(self) -> str:
        return labels.short_day(self.day)


@dataclass(frozen=True)
class VenueGroup:
    venue: VenueInfo
    days: tuple[DayGroup, ...]

    @property
    def anchor(self) -> str:
        return f"venue-{self.venue.id}"

    @property
    def count(self) -> int:
        return sum(len(day.rows) for day in self.days)


@dataclass(frozen=True)
class FilmEntry:
    """A film in the A to Z index with every screening that shows it."""

    line: FilmLine
    rows: tuple[ScreeningRow, ...]

    @property
    def anchor(self) -> str:
        return f"film-{self.line.id}"

    @property
    def letter(self) -> str:
        return catalogue_letter(self.line.title)


@dataclass(frozen=True)
class LetterGroup:
    letter: str
    films: tuple[FilmEntry, ...]


def screening_rows(programme: Programme, changes: Sequence[ChangeEntry] | None = None) -> list[ScreeningRow]:
    """Every screening of the programme as a row, in time order then venue order."""
    venue_order = {venue.id: index for index, venue in enumerate(programme.venues)}
    kinds: dict[int, list[str]] = defaultdict(list)
    for change in changes or ():
        kinds[change.screening_id].append(change.kind)
    # Built here rather than read from Programme's cached lookups, which a pydantic
    # model_copy(update=...) would carry over stale.
    films = {film.id: film for film in programme.films}
    venues = {venue.id: venue for venue in programme.venues}
    rows = [
        ScreeningRow(
            screening=screening,
            venue=venues[screening.venue_id],
            films=tuple(FilmLine(films[film_id]) for film_id in screening.film_ids),
            changes=tuple(kinds.get(screening.id, ())),
            zone=programme.festival.zone,
        )
        for screening in programme.screenings
    ]
    rows.sort(key=lambda row: (row.starts_at, venue_order.get(row.venue.id, 0), row.venue.name, row.id))
    return rows


def by_day(rows: Iterable[ScreeningRow]) -> list[DayGroup]:
    """Rows grouped by festival day (a 23:30 screening stays on the day it starts)."""
    days: dict[date, list[ScreeningRow]] = defaultdict(list)
    for row in rows:
        days[row.day].append(row)
    return [DayGroup(day, tuple(days[day])) for day in sorted(days)]


def by_venue(programme: Programme, rows: Iterable[ScreeningRow]) -> list[VenueGroup]:
    """Rows grouped by venue (the programme's venue order), then by festival day."""
    per_venue: dict[int, list[ScreeningRow]] = defaultdict(list)
    for row in rows:
        per_venue[row.venue.id].append(row)
    return [
        VenueGroup(venue, tuple(by_day(per_venue[venue.id]))) for venue in programme.venues if per_venue.get(venue.id)
    ]


def by_film(rows: Iterable[ScreeningRow]) -> list[LetterGroup]:
    """An A to Z index of the screened films, each with its screenings, under index letters."""
    per_film: dict[int, list[ScreeningRow]] = defaultdict(list)
    lines: dict[int, FilmLine] = {}
    for row in rows:
        for line in row.films:
            lines[line.id] = line
            if not per_film[line.id] or per_film[line.id][-1] is not row:
                per_film[line.id].append(row)
    entries = sorted(
        (FilmEntry(lines[film_id], tuple(film_rows)) for film_id, film_rows in per_film.items()),
        key=lambda entry: (catalogue_sort_key(entry.line.title), entry.line.title, entry.line.id),
    )
    letters: dict[str, list[FilmEntry]] = {}
    for entry in entries:
        letters.setdefault(entry.letter, []).append(entry)
    return [LetterGroup(letter, tuple(films)) for letter, films in letters.items()]
