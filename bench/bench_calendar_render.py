"""How long render_calendar takes for 500, 2,000 and 10,000 screenings, and how it scales; and
how long the next version's feed takes after a one-screening change, with the event cache.

Run: python -m bench.bench_calendar_render
The programmes are generated (20 venues, 200 films, 10 days around the October DST change),
deterministically; they are not conflict-free, which rendering does not care about.
"""

from __future__ import annotations

import gc
import random
import time
from datetime import UTC, date, datetime, timedelta

from app.calendar import render_calendar
from app.calendar.feed import EventCache
from app.scheduling.programme import (
    FestivalInfo,
    FilmInfo,
    Programme,
    VenueInfo,
    schedule_screening,
)

SIZES = (500, 2_000, 10_000)
VENUES = 20
FILMS = 200
DAYS = 10
REPEATS = 3
PUBLISHED_AT = datetime(2021, 10, 1, 9, 0, tzinfo=UTC)


def generated_programme(screenings: int, seed: int = 2021) -> Programme:
    """A published programme of `screenings` screenings spread over the festival's days."""
    rng = random.Random(seed)
    festival = FestivalInfo(
        slug="bench-2021",
        name="Benchmark Film Days 2021",
        city="Wiesbaden",
        timezone="Europe/Berlin",
        starts_on=date(2021, 10, 25),
        ends_on=date(2021, 10, 25) + timedelta(days=DAYS - 1),
    )
    venues = tuple(
        VenueInfo(
            id=v,
            name=f"Kino {v}",
            address=f"Hauptstraße {v}, 65183 Wiesbaden",
            latitude=50.08 + v / 1000 if v % 3 else None,
            longitude=8.24 + v / 1000 if v % 3 else None,
            step_free=v % 2 == 0,
        )
        for v in range(1, VENUES + 1)
    )
    sections = ("Competition", "Retrospective: Evacuation on Screen", "Shorts", "Panorama")
    films = tuple(
        FilmInfo(
            id=f,
            title=f"Film number {f}",
            original_title=f"Der Film Nummer {f}" if f % 4 == 0 else None,
            directors=("Agnès Varda",) if f % 2 else ("Ulrike Ottinger", "Helke Sander"),
            year=1950 + f % 70,
            countries=("Germany", "France")[: 1 + f % 2],
            languages=("German",),
            subtitles="English" if f % 3 else None,
            runtime_minutes=12 if f % 10 == 0 else 80 + f % 60,
            synopsis="A film about a festival, its venues and the people who come. " * 2,
            section=sections[f % len(sections)],
            premiere=("none", "world", "national", "local")[f % 4],
        )
        for f in range(1, FILMS + 1)
    )
    films_by_id = {film.id: film for film in films}
    first_day = datetime(2021, 10, 25, 10, 0, tzinfo=festival.zone)
    items = []
    for i in range(1, screenings + 1):
        offset = rng.randrange(0, DAYS * 24 * 12) * 5  # minutes, in 5-minute steps
        feature = rng.randrange(1, FILMS + 1)
        film_ids = (rng.randrange(1, FILMS // 10 + 1) * 10, feature) if i % 5 == 0 else (feature,)
        items.append(
            schedule_screening(
                festival,
                films_by_id,
                id=i,
                venue_id=rng.randrange(1, VENUES + 1),
                starts_at=first_day + timedelta(minutes=offset),
                film_ids=film_ids,
                intro_minutes=10 if i % 7 == 0 else 0,
                qa_minutes=30 if i % 6 == 0 else 0,
                guests=("Jane Doe", "John Roe") if i % 6 == 0 else (),
                status="cancelled" if i % 20 == 0 else "confirmed",
                accessibility=("subtitled",) if i % 3 == 0 else (),
                ticket_url=f"https://tickets.example/{i}",
                sequence=i % 3,
                last_modified_at=PUBLISHED_AT,  # as in every version: when its event last changed
            )
        )
    return Programme(
        festival=festival,
        venues=venues,
        films=films,
        screenings=tuple(items),
        version=3,
        published_at=PUBLISHED_AT,
    )


def best_of(repeats: int, programme: Programme) -> tuple[float, int]:
    """The fastest of `repeats` renders, in seconds, and the feed's size in bytes."""
    best, size = float("inf"), 0
    for _ in range(repeats):
        started = time.perf_counter()
        feed = render_calendar(programme)
        best = min(best, time.perf_counter() - started)
        size = len(feed)
    return best, size


def next_version_with_one_change(programme: Programme, changes: int = 1) -> Programme:
    """The programme as its next version would be after `changes` screenings moved 5 minutes:
    new objects throughout (as a publish makes them), the same content but for those."""
    published_at = programme.published_at + timedelta(days=1)
    moved = set(range(0, len(programme.screenings), max(1, len(programme.screenings) // changes)))
    screenings = []
    for i, s in enumerate(programme.screenings):
        if i in moved:
            update = {
                "starts_at": s.starts_at + timedelta(minutes=5),
                "ends_at": s.ends_at + timedelta(minutes=5),
                "sequence": s.sequence + 1,
                "last_modified_at": published_at,
            }
        else:  # unchanged, read anew (new objects, as from the database); its event last changed when it did
            update = {
                "starts_at": datetime.fromtimestamp(s.starts_at.timestamp(), s.starts_at.tzinfo),
                "ends_at": datetime.fromtimestamp(s.ends_at.timestamp(), s.ends_at.tzinfo),
                "last_modified_at": s.last_modified_at,
            }
        screenings.append(s.model_copy(update=update))
    return Programme(
        festival=programme.festival,
        venues=programme.venues,
        films=programme.films,
        screenings=tuple(screenings),
        version=programme.version + 1,
        published_at=published_at,
    )


def rerender(repeats: int, programme: Programme) -> tuple[float, float, int]:
    """A version's feed rendered with an event cache holding the previous version's events:
    the best of `repeats` (seconds; each from a cache warmed afresh, after a garbage collection),
    the previous version's render with an empty cache, and the events rendered again."""
    following = next_version_with_one_change(programme)
    assert render_calendar(following, cache=EventCache()) == render_calendar(following)
    times, cold, misses = [], float("inf"), 0
    for _ in range(repeats):
        cache = EventCache()
        started = time.perf_counter()
        render_calendar(programme, cache=cache)
        cold = min(cold, time.perf_counter() - started)
        before = cache.misses
        gc.collect()
        started = time.perf_counter()
        render_calendar(following, cache=cache)
        times.append(time.perf_counter() - started)
        misses = cache.misses - before
    return min(times), cold, misses


def main() -> None:
    print(f"render_calendar, best of {REPEATS}: {VENUES} venues, {FILMS} films, {DAYS} days")
    print(f"{'screenings':>10}  {'seconds':>8}  {'ms/screening':>12}  {'bytes':>10}  ratio")
    baseline = None
    for size in SIZES:
        seconds, feed_bytes = best_of(REPEATS, generated_programme(size))
        per_screening = seconds / size
        baseline = baseline or per_screening
        print(
            f"{size:>10,}  {seconds:>8.3f}  {per_screening * 1000:>12.3f}  {feed_bytes:>10,}"
            f"  {per_screening / baseline:.2f}x"
        )
    print("ratio: cost per screening relative to the smallest size (1.00x means linear)")
    print_rerender_table()


RERENDER_TARGET_MS = 50.0


def print_rerender_table(indent: str = "") -> None:
    """The next version's feed after a one-screening change, from the event cache (issue 14)."""
    print(f"{indent}the next version's feed after one screening moved, with the previous version's events cached")
    print(f"{indent}{'screenings':>10}  {'ms':>8}  {'events made':>11}  {'cold render ms':>14}  ratio  target")
    for size in SIZES:
        seconds, cold, misses = rerender(REPEATS, generated_programme(size))
        target = ""
        if size == SIZES[-1]:
            met = "met" if seconds * 1000 < RERENDER_TARGET_MS else "MISSED"
            target = f"under {RERENDER_TARGET_MS:.0f} ms: {met}"
        print(
            f"{indent}{size:>10,}  {seconds * 1000:>8.1f}  {misses:>11,}  {cold * 1000:>14.1f}"
            f"  {seconds / cold:.2f}x  {target}".rstrip()
        )


if __name__ == "__main__":
    main()
