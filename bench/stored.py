"""Store a generated festival straight into a database (bulk inserts), for HTTP benchmarks."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, insert, select

from app.store.migrate import upgrade
from app.store.models import Festival, Film, Screening, ScreeningFilm, Venue

ZONE = ZoneInfo("Europe/Berlin")
STARTS_ON = date(2021, 10, 26)
SYNOPSIS = (
    "Film {} follows a family over one winter in a small harbour town, where the ferry has stopped "
    "running and the letters still arrive. Shot on 16 mm with a cast of first-time actors, it moves "
    "between the kitchen, the quay and the school hall, and lets its long silences do the talking."
)


def store_festival(
    url: str,
    screenings: int,
    venues: int,
    slug: str = "bench",
    days: int = 10,
    seed: int = 1,
    sections: int = 0,
    synopses: bool = False,
) -> None:
    """A festival of `screenings` confirmed-looking slots spread over `venues` rooms and `days` days.

    Each room plays back to back from 10:00 with a 20-minute gap; films run 80-120 minutes
    and are each shown about three times, so the schedule has a realistic share of print
    clashes but no room overlaps. With `sections`, films are spread over that many sections;
    with `synopses`, each has a paragraph of synopsis (as a catalogue's do).
    """
    upgrade(url)
    rng = random.Random(seed)
    engine = create_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as db:
        festival_id = db.execute(
            insert(Festival).returning(Festival.id),
            [
                {
                    "slug": slug,
                    "name": f"Bench festival ({screenings} screenings)",
                    "city": "Wiesbaden",
                    "timezone": "Europe/Berlin",
                    "starts_on": STARTS_ON,
                    "ends_on": STARTS_ON + timedelta(days=days - 1),
                    "day_starts_at": time(6),
                    "print_transfer_minutes": 30,
                    "revision": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        ).scalar_one()
        venue_ids = (
            db.execute(
                insert(Venue).returning(Venue.id),
                [
                    {
                        "festival_id": festival_id,
                        "name": f"Room {v}",
                        "address": f"Street {v}, Wiesbaden",
                        "turnaround_minutes": 15,
                        "availability": [],
                        "step_free": True,
                        "revision": 1,
                    }
                    for v in range(venues)
                ],
            )
            .scalars()
            .all()
        )
        film_count = max(1, screenings // 3)
        runtimes = [rng.randint(80, 120) for _ in range(film_count)]
        film_ids = (
            db.execute(
                insert(Film).returning(Film.id),
                [
                    {
                        "festival_id": festival_id,
                        "title": f"Film {f}",
                        "runtime_minutes": runtimes[f],
                        "directors": ["A. Director"],
                        "countries": [],
                        "languages": ["English"],
                        "credits": [],
                        "awards": [],
                        "copies": 1,
                        "premiere": "none",
                        "synopsis": SYNOPSIS.format(f) if synopses else "",
                        "section": f"Section {f % sections}" if sections else None,
                        "notes": "",
                        "revision": 1,
                    }
                    for f in range(film_count)
                ],
            )
            .scalars()
            .all()
        )
        rows, films_of = [], []
        per_venue = -(-screenings // venues)
        for n in range(screenings):
            venue, k = divmod(n, per_venue)
            film = rng.randrange(film_count)
            day, nth = divmod(k, 6)
            start = datetime.combine(STARTS_ON + timedelta(days=day % days), time(10)) + timedelta(minutes=nth * 140)
            rows.append(
                {
                    "festival_id": festival_id,
                    "venue_id": venue_ids[venue],
                    "starts_at": start.replace(tzinfo=ZONE).astimezone(UTC),
                    "intro_minutes": 0,
                    "qa_minutes": 0,
                    "guests": [],
                    "accessibility": [],
                    "notes": "",
                    "status": "confirmed" if rng.random() < 0.9 else "draft",
                    "revision": 1,
                }
            )
            films_of.append(film_ids[film])
        if rows:
            screening_ids = db.execute(insert(Screening).returning(Screening.id), rows).scalars().all()
            db.execute(
                insert(ScreeningFilm),
                [
                    {"screening_id": s, "position": 0, "film_id": f}
                    for s, f in zip(screening_ids, films_of, strict=True)
                ],
            )
    engine.dispose()


def add_draft_overlaps(url: str, count: int, slug: str = "bench", seed: int = 2) -> None:
    """`count` more draft screenings, each on top of a stored one (same room and film, 30 minutes later).

    Drafts may overlap: they are what a programmer is still moving around, and every one
    gives venue_overlap and print_clash conflicts to the answers around it.
    """
    if count <= 0:
        return
    rng = random.Random(seed)
    engine = create_engine(url)
    with engine.begin() as db:
        festival_id = db.execute(select(Festival.id).where(Festival.slug == slug)).scalar_one()
        stored = db.execute(
            select(Screening.venue_id, Screening.starts_at, ScreeningFilm.film_id)
            .join(ScreeningFilm, ScreeningFilm.screening_id == Screening.id)
            .where(Screening.festival_id == festival_id, ScreeningFilm.position == 0)
            .order_by(Screening.id)
        ).all()
        picked = rng.sample(stored, min(count, len(stored)))
        ids = (
            db.execute(
                insert(Screening).returning(Screening.id),
                [
                    {
                        "festival_id": festival_id,
                        "venue_id": venue_id,
                        "starts_at": starts_at + timedelta(minutes=30),
                        "intro_minutes": 0,
                        "qa_minutes": 0,
                        "guests": [],
                        "accessibility": [],
                        "notes": "",
                        "status": "draft",
                        "revision": 1,
                    }
                    for venue_id, starts_at, _ in picked
                ],
            )
            .scalars()
            .all()
        )
        db.execute(
            insert(ScreeningFilm),
            [{"screening_id": s, "position": 0, "film_id": f} for s, (_, _, f) in zip(ids, picked, strict=True)],
        )
    engine.dispose()
