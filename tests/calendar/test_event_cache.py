"""The event cache: a feed rendered from a warm cache is byte for byte the feed rendered afresh,
and a render after a change renders only the events whose content changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.calendar import render_calendar, screenings_at_venue
from app.calendar.feed import EventCache
from app.scheduling.programme import (
    AvailabilityWindow,
    Credit,
    FestivalInfo,
    FilmInfo,
    Programme,
    ScreeningInfo,
    VenueInfo,
)
from tests.builders import ProgrammeBuilder

# a value of every type a field can hold, different from the one it holds
REPLACEMENTS = {
    "status": lambda v: "cancelled" if v != "cancelled" else "confirmed",
    "premiere": lambda v: "world" if v != "world" else "national",
    "accessibility": lambda v: (*v, "captioned"),
    "timezone": lambda v: "Europe/Lisbon" if v != "Europe/Lisbon" else "Asia/Tokyo",
    "film_ids": lambda v: v[:-1] if len(v) > 1 else (*v, 2),
    "slot_minutes": lambda v: 240 if v is None else v + 1,
    "credits": lambda v: (*v, Credit(role="Camera", names=("Sergey Urusevsky",))),
    "availability": lambda v: (
        *v,
        AvailabilityWindow(
            starts_at=datetime(2021, 10, 30, 12, 0, tzinfo=UTC), ends_at=datetime(2021, 10, 31, 3, 0, tzinfo=UTC)
        ),
    ),
}


def changed(name: str, value):
    if name in REPLACEMENTS:
        return REPLACEMENTS[name](value)
    match value:
        case bool():
            return not value
        case int():
            return value + 1
        case float():
            return value + 0.001
        case str():
            return value + " (changed; with a, comma)"
        case None if name.endswith("_at"):
            return datetime(2021, 9, 1, 12, 0, tzinfo=UTC)
        case None:
            return 1 if name in ("year", "capacity") else 1.5 if name in ("latitude", "longitude") else "Added"
        case datetime():
            return value + timedelta(minutes=5)
        case date():
            return value - timedelta(days=1)
        case time():
            return time(5)
        case tuple():
            return (*value, "Added") if all(isinstance(item, str) for item in value) else value[:-1]
    raise AssertionError(f"no replacement for {name}={value!r}")


def programme() -> Programme:
    b = ProgrammeBuilder()
    b.venue(name="Caligari FilmBühne", address="Marktplatz 9", latitude=50.08, longitude=8.24, step_free=True)
    b.venue(name="Murnau-Filmtheater")
    b.film(title="The Cranes Are Flying", original_title="Летят журавли", directors=("Mikhail Kalatozov",),
           year=1957, countries=("USSR",), languages=("Russian",), subtitles="English", runtime_minutes=97,
           synopsis="Veronika and Boris.", section="Retrospective", premiere="national")  # fmt: skip
    b.film(title="The Last Barge", runtime_minutes=15, section="Shorts", premiere="local")  # names the city
    b.screening(datetime(2021, 10, 30, 20, 0), (1,), guests=("Jane Doe",), qa_minutes=20, intro_minutes=5,
                accessibility=("subtitled",), ticket_url="https://tickets.example/1", notes="Sold out soon.",
                title="Opening night", sequence=1)  # fmt: skip
    b.screening(datetime(2021, 10, 31, 2, 30), (2, 1), venue_id=2)  # the first 02:30
    b.screening(datetime(2021, 10, 31, 18, 0), (2,), status="cancelled")
    built = b.build(version=2)
    # as in every published version: the time each screening's event last changed
    changed_at = datetime(2021, 9, 15, 8, 0, tzinfo=UTC)
    screenings = tuple(remade(s, last_modified_at=changed_at) for s in built.screenings)
    return remade(built, screenings=screenings)


def remade(value, **update):
    """`value` with `update`, made anew (`model_copy` would keep its cached `films_by_id`, `zone`...)."""
    return type(value)(**{**dict(value), **update})


def fresh(programme: Programme, **options) -> bytes:
    return render_calendar(programme, **options)


def warm(programme: Programme) -> EventCache:
    cache = EventCache()
    render_calendar(programme, cache=cache)
    render_calendar(programme, cache=cache, base_url="https://festival.example")
    return cache


def screening_fields() -> list[str]:
    return [name for name in ScreeningInfo.model_fields if name != "festival_day"]


@pytest.mark.parametrize("field", screening_fields())
def test_a_changed_screening_field_is_rendered_afresh(field):
    before = programme()
    cache = warm(before)
    screenings = list(before.screenings)
    first = screenings[0]
    screenings[0] = remade(first, **{field: changed(field, getattr(first, field))})
    after = remade(before, screenings=tuple(screenings))
    assert render_calendar(after, cache=cache) == fresh(after)


@pytest.mark.parametrize("field", [name for name in FilmInfo.model_fields if name != "id"])
def test_a_changed_film_field_is_rendered_afresh(field):
    before = programme()
    cache = warm(before)
    film = before.films[0]
    films = (remade(film, **{field: changed(field, getattr(film, field))}), *before.films[1:])
    after = remade(before, films=films)
    assert render_calendar(after, cache=cache) == fresh(after)


@pytest.mark.parametrize("field", [name for name in VenueInfo.model_fields if name != "id"])
def test_a_changed_venue_field_is_rendered_afresh(field):
    before = programme()
    cache = warm(before)
    venue = before.venues[0]
    venues = (remade(venue, **{field: changed(field, getattr(venue, field))}), *before.venues[1:])
    after = remade(before, venues=venues)
    assert render_calendar(after, cache=cache) == fresh(after)


@pytest.mark.parametrize("field", list(FestivalInfo.model_fields))
def test_a_changed_festival_field_is_rendered_afresh(field):
    before = programme()
    cache = warm(before)
    festival = before.festival
    value = changed(field, getattr(festival, field))
    after = remade(before, festival=remade(festival, **{field: value}))
    assert render_calendar(after, cache=cache) == fresh(after)


@pytest.mark.parametrize(
    "update",
    [
        {"published_at": datetime(2021, 10, 2, 9, 0, tzinfo=UTC)},
        {"version": 3},
        {"published_at": None},
    ],
)
def test_a_changed_version_is_rendered_afresh(update):
    before = programme()
    cache = warm(before)
    after = remade(before, **update)
    assert render_calendar(after, cache=cache) == fresh(after)


def test_last_modified_falls_back_to_a_new_publication_time():
    without = programme()
    without = remade(without, screenings=tuple(remade(s, last_modified_at=None) for s in without.screenings))
    cache = warm(without)
    later = remade(without, published_at=datetime(2021, 10, 2, 9, 0, tzinfo=UTC))
    assert render_calendar(later, cache=cache) == fresh(later)


def test_the_second_0230_is_not_the_first():
    """The night the clocks go back: the same wall-clock time, an hour later (fold=1)."""
    before = programme()
    cache = warm(before)
    night = before.screenings[1]
    second = night.starts_at.replace(fold=1)
    assert second.utcoffset() != night.starts_at.utcoffset()
    moved = remade(night, starts_at=second, ends_at=night.ends_at + timedelta(hours=1))
    after = remade(before, screenings=(before.screenings[0], moved, *before.screenings[2:]))
    assert render_calendar(after, cache=cache) == fresh(after)


def test_a_stored_version_shares_the_events_of_the_working_copy():
    """A version read back from JSON has fixed UTC offsets, not the festival's zone: same events, same bytes."""
    before = programme()
    cache = warm(before)
    stored = Programme.model_validate(before.model_dump(mode="json"))
    misses = cache.misses
    assert render_calendar(stored, cache=cache) == fresh(stored)
    # compared as instants, but for the hour the clocks repeat (PEP 495), rendered once more
    assert cache.misses - misses == 1
    assert render_calendar(stored, cache=cache) == fresh(stored)
    assert cache.misses - misses == 1


def test_a_new_version_renders_only_the_screening_that_changed():
    before = programme()
    cache = EventCache()
    render_calendar(before, cache=cache)
    first = before.screenings[0]
    moved = remade(first, starts_at=first.starts_at + timedelta(minutes=30), sequence=2)
    after = remade(
        before,
        screenings=(moved, *before.screenings[1:]),
        version=3,
        published_at=datetime(2021, 10, 2, 9, 0, tzinfo=UTC),
    )
    misses = cache.misses
    assert render_calendar(after, cache=cache) == fresh(after)
    assert cache.misses - misses == 1


def test_narrow_feeds_reuse_the_whole_programmes_events():
    whole = programme()
    cache = EventCache()
    render_calendar(whole, cache=cache)
    misses = cache.misses
    venue = screenings_at_venue(whole, 2)
    assert render_calendar(whole, screenings=venue, name="Murnau", cache=cache) == fresh(
        whole, screenings=venue, name="Murnau"
    )
    assert cache.misses == misses


def test_the_cache_keeps_within_its_bytes_and_still_renders_right():
    whole = programme()
    cache = EventCache(max_bytes=3_000)
    for _ in range(3):
        assert render_calendar(whole, cache=cache) == fresh(whole)
        assert cache.bytes <= cache.max_bytes
    assert 0 < len(cache) < len(whole.screenings)
