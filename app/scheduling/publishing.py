"""Publishing: the next public version of a programme and its changelog, as pure values.

A version holds the confirmed and cancelled screenings. A screening that was published and
is now gone from the working copy (deleted, or set back to draft) is carried into the next
version as cancelled, so no subscriber loses sight of it; one cancelled before it was ever
published is left out. A screening's `sequence` (iCal's revision counter) rises with each
version that changes its start or end, venue, films or status, and with nothing else; its
`last_modified_at` moves with every version that changes anything its event shows (title,
films and their facts, venue name and address, notes, guests, times, status...).

Times are compared as instants (UTC): a stored version's times carry fixed offsets and the
working copy's carry the festival's zone, and PEP 495 makes such datetimes compare unequal
in the hour repeated when clocks go back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from operator import itemgetter
from typing import Any

from pydantic import BaseModel

from app.scheduling.fields import ScreeningStatus
from app.scheduling.programme import FestivalInfo, FilmInfo, Programme, ScreeningInfo, VenueInfo
from app.scheduling.times import instant

PUBLIC_STATUSES = (ScreeningStatus.CONFIRMED, ScreeningStatus.CANCELLED)


def _what_subscribers_see(screening: ScreeningInfo) -> tuple:
    """What raises an event's SEQUENCE: its times (as instants), venue, films and status."""
    return (
        instant(screening.starts_at),
        instant(screening.ends_at),
        screening.venue_id,
        screening.film_ids,
        screening.status,
    )


def _times(screening: ScreeningInfo) -> tuple[datetime, datetime]:
    return instant(screening.starts_at), instant(screening.ends_at)


def canonical(value: Any, exclude: frozenset[str] = frozenset()) -> Any:
    """`value` (a model, tuple or plain value) with every datetime as a UTC instant, so that
    equal content compares equal whatever tzinfo its times carry."""
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return tuple(
            (name, _plain(item)) for name, item in value.__dict__.items() if name in fields and name not in exclude
        )
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo is not None else value
    if isinstance(value, tuple) and value and isinstance(value[0], BaseModel | tuple):
        return tuple(canonical(item) for item in value)
    if isinstance(value, BaseModel):
        return canonical(value)
    return value


_SCREENING_TIMES = ("starts_at", "ends_at", "last_modified_at")


@cache
def _key_fields(exclude: frozenset[str]) -> tuple[itemgetter, tuple[str, ...]]:
    """The getter of a screening's fields but its times and `exclude`, and the names of its times."""
    names = [name for name in ScreeningInfo.model_fields if name not in _SCREENING_TIMES and name not in exclude]
    return itemgetter(*names), tuple(name for name in _SCREENING_TIMES if name not in exclude)


def _screening_key(screening: ScreeningInfo, exclude: frozenset[str] = frozenset()) -> tuple:
    """`canonical(screening)`, fast (a publish compares every screening): its times as instants."""
    fields = screening.__dict__
    others, times = _key_fields(exclude)
    return (
        others(fields),
        tuple(None if (value := fields[name]) is None else value.astimezone(UTC) for name in times),
    )


# What an event (and a printed entry) shows of a film and of a venue; copies, credits,
# capacity or availability change no event.
FILM_SHOWN = (
    "id",
    "title",
    "original_title",
    "directors",
    "year",
    "countries",
    "languages",
    "subtitles",
    "runtime_minutes",
    "synopsis",
    "section",
    "premiere",
)
VENUE_SHOWN = ("id", "name", "address", "latitude", "longitude", "step_free")
_SCREENING_NOT_SHOWN = frozenset({"sequence", "last_modified_at"})
_NOT_COMPARED = frozenset({"last_modified_at"})


def what_the_event_shows(
    screening: ScreeningInfo, festival: FestivalInfo, films: dict[int, FilmInfo], venues: dict[int, VenueInfo]
) -> Any:
    """Everything a screening's event renders from: when it moves, so does LAST-MODIFIED."""
    return _EventShows(festival, films, venues)(screening)


class _EventShows:
    """`what_the_event_shows` for the screenings of one programme: each film's and venue's part made once."""

    def __init__(self, festival: FestivalInfo, films: dict[int, FilmInfo], venues: dict[int, VenueInfo]):
        self.festival = (festival.slug, festival.city, festival.timezone)
        self.films = {f: tuple(getattr(film, name) for name in FILM_SHOWN) for f, film in films.items()}
        self.venues = {v: tuple(getattr(venue, name) for name in VENUE_SHOWN) for v, venue in venues.items()}

    def __call__(self, screening: ScreeningInfo) -> Any:
        films = self.films
        return (
            _screening_key(screening, _SCREENING_NOT_SHOWN),
            tuple(films.get(f) for f in screening.film_ids),
            self.venues.get(screening.venue_id),
            self.festival,
        )


def _place(screening: ScreeningInfo, programme: Programme) -> dict:
    venue = programme.venues_by_id.get(screening.venue_id)
    return {
        "starts_at": screening.starts_at.isoformat(),
        "ends_at": screening.ends_at.isoformat(),
        "venue_id": screening.venue_id,
        "venue": venue.name if venue else None,
    }


def _title(screening: ScreeningInfo, programme: Programme) -> str:
    films = programme.films_by_id
    return screening.title or " + ".join(films[f].title for f in screening.film_ids if f in films)


def next_version(
    previous: Programme | None, working: Programme, published_at: datetime
) -> tuple[Programme, list[dict]]:
    """The version after `previous` made from the `working` programme, and its changelog.

    Changelog entries are `{kind, screening_id, title, before, after}` with kind one of
    added, moved (venue changed), retimed (start or end changed), cancelled; a screening
    moved to another venue at another time gets both a moved and a retimed entry.
    """
    before = {s.id: s for s in previous.screenings} if previous else {}
    number = (previous.version if previous else 0) + 1
    shown_before = _EventShows(previous.festival, previous.films_by_id, previous.venues_by_id) if previous else None
    shown_now = _EventShows(working.festival, working.films_by_id, working.venues_by_id)
    screenings: list[ScreeningInfo] = []
    changelog: list[dict] = []
    seen: set[int] = set()
    carried: list[ScreeningInfo] = []

    for current in working.screenings:
        if current.status not in PUBLIC_STATUSES:
            continue
        old = before.get(current.id)
        if old is None and current.status == ScreeningStatus.CANCELLED:
            continue  # cancelled before anyone saw it
        seen.add(current.id)
        if old is None:
            screenings.append(current.model_copy(update={"sequence": 0, "last_modified_at": published_at}))
            changelog.append(_entry("added", current, working, None, current))
            continue
        assert previous is not None and shown_before is not None  # `old` came from it
        changed = _what_subscribers_see(old) != _what_subscribers_see(current)
        touched = changed or shown_before(old) != shown_now(current)
        screenings.append(
            current.model_copy(
                update={
                    "sequence": old.sequence + 1 if changed else old.sequence,
                    "last_modified_at": published_at if touched else old.last_modified_at,
                }
            )
        )
        if old.status != ScreeningStatus.CANCELLED and current.status == ScreeningStatus.CANCELLED:
            changelog.append(_entry("cancelled", current, working, old, None))
            continue
        if old.venue_id != current.venue_id:
            changelog.append(_entry("moved", current, working, old, current, previous))
        if _times(old) != _times(current):
            changelog.append(_entry("retimed", current, working, old, current, previous))
        if old.status == ScreeningStatus.CANCELLED and current.status == ScreeningStatus.CONFIRMED:
            changelog.append(_entry("added", current, working, old, current, previous))

    for old in before.values():
        assert previous is not None  # `before` is empty without it
        if old.id in seen:
            continue
        if old.status == ScreeningStatus.CANCELLED:
            carried.append(old)  # stays cancelled; its LAST-MODIFIED moves only if its text does
            continue
        screenings.append(
            old.model_copy(
                update={
                    "status": ScreeningStatus.CANCELLED,
                    "sequence": old.sequence + 1,
                    "last_modified_at": published_at,
                }
            )
        )
        changelog.append(_entry("cancelled", old, previous, old, None, previous))

    films = dict(previous.films_by_id) if previous else {}
    films.update(working.films_by_id)
    venues = dict(previous.venues_by_id) if previous else {}
    venues.update(working.venues_by_id)
    carried_before = (
        _EventShows(previous.festival, previous.films_by_id, previous.venues_by_id) if previous and carried else None
    )
    carried_now = _EventShows(working.festival, films, venues) if carried else None
    for old in carried:
        assert carried_before is not None and carried_now is not None  # made for `carried`
        screenings.append(
            old
            if carried_before(old) == carried_now(old)
            else old.model_copy(update={"last_modified_at": published_at})
        )
    screenings.sort(key=lambda s: (instant(s.starts_at), s.venue_id, s.id))
    used_films = {f for s in screenings for f in s.film_ids}
    used_venues = {s.venue_id for s in screenings}
    version = Programme(
        festival=working.festival,
        venues=tuple(v for v in venues.values() if v.id in working.venues_by_id or v.id in used_venues),
        films=tuple(f for f in films.values() if f.id in working.films_by_id or f.id in used_films),
        screenings=tuple(screenings),
        version=number,
        published_at=published_at,
    )
    changelog.sort(key=lambda e: (e["screening_id"], e["kind"]))
    return version, changelog


def _entry(
    kind: str,
    screening: ScreeningInfo,
    programme: Programme,
    old: ScreeningInfo | None,
    new: ScreeningInfo | None,
    previous: Programme | None = None,
) -> dict:
    return {
        "kind": kind,
        "screening_id": screening.id,
        "title": _title(screening, programme),
        "before": _place(old, previous or programme) if old else None,
        "after": _place(new, programme) if new else None,
    }


def same_public_content(a: Programme, b: Programme) -> bool:
    """True when two versions would show subscribers and readers exactly the same thing."""

    def strip(p: Programme):
        return (
            canonical(p.festival),
            canonical(p.venues),
            p.films,
            tuple(_screening_key(s, _NOT_COMPARED) for s in p.screenings),
        )

    return strip(a) == strip(b)


def changes_between(older: Programme, newer: Programme) -> list[dict]:
    """What a reader of version `older` must know to be current with `newer` (a later version)."""
    assert newer.published_at is not None, "`newer` must be a published version"
    return next_version(older, newer, newer.published_at)[1]
