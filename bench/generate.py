"""Synthetic festival programmes for benchmarks: a realistic shape, a few conflicts of each kind."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.scheduling.conflicts import Print, Room, Rules, Slot

ZONE = ZoneInfo("Europe/Berlin")
STARTS_ON = date(2021, 10, 26)  # ten days across the night the clocks go back (31 October)
DAYS = 10
NAMES = ("Anna", "Bela", "Chantal", "Djibril", "Elena", "Farid", "Greta", "Hiroshi")


def generate_programme(
    n: int, venues: int | None = None, seed: int = 0
) -> tuple[list[Slot], dict[int, Room], dict[int, Print], Rules]:
    """`n` screenings over a ten-day festival in Europe/Berlin: (slots, rooms, prints, rules).

    Each venue (default: n // 100, at least 100) plays from 10:00 into the small hours, its
    screenings evenly spaced with gaps that mostly respect turnaround; about 2% start early
    enough to run into the one before. Films have one print each and are shown about three
    times in random venues, so some prints clash; one screening in ten has guests; a few are
    drafts, cancelled, booked into too short a slot, or in a room that is only ours for the
    first five days.
    """
    rng = random.Random(seed)
    venues = venues or max(100, n // 100)
    rooms = {v: Room(v, f"Room {v}", turnaround_minutes=rng.choice((10, 15, 20))) for v in range(1, venues + 1)}
    for v in range(1, venues + 1, 50):
        window = (_local(STARTS_ON, 8 * 60), _local(STARTS_ON + timedelta(days=5), 6 * 60))
        rooms[v] = Room(v, rooms[v].name, rooms[v].turnaround_minutes, (window,))
    films = max(1, n // 3)
    prints = {f: Print(f, f"Film {f}", copies=1) for f in range(1, films + 1)}
    guests = [f"{NAMES[k % len(NAMES)]} {k}" for k in range(max(2, n // 50))]

    slots: list[Slot] = []
    for v in range(1, venues + 1):
        count = n // venues + (1 if v <= n % venues else 0)
        per_day = -(-count // DAYS)
        spacing = 16 * 60 // max(per_day, 1)  # 10:00 to 02:00
        for k in range(count):
            day, nth = divmod(k, per_day)
            minute = 10 * 60 + nth * spacing
            if rng.random() < 0.02:
                minute -= rng.randint(5, 40)
            gap = rng.choices((10, 20, 25, 30, 40), (2, 30, 30, 25, 13))[0]
            runtime = max(20, spacing - gap)
            starts_at = _local(STARTS_ON + timedelta(days=day), minute)
            slots.append(
                Slot(
                    id=len(slots) + 1,
                    venue_id=v,
                    starts_at=starts_at,
                    ends_at=(starts_at.astimezone(UTC) + timedelta(minutes=runtime)).astimezone(ZONE),
                    film_ids=(rng.randint(1, films),),
                    guests=tuple(rng.sample(guests, rng.randint(1, 2))) if rng.random() < 0.1 else (),
                    status=rng.choices(("confirmed", "draft", "cancelled"), (90, 8, 2))[0],
                    slot_minutes=runtime + rng.choice((0, 5, 10, -10)) if rng.random() < 0.05 else None,
                    runtime_minutes=runtime,
                )
            )
    rules = Rules(zone=ZONE, starts_on=STARTS_ON, ends_on=STARTS_ON + timedelta(days=DAYS - 1))
    return slots, rooms, prints, rules


def as_stored(
    programme: tuple[list[Slot], dict[int, Room], dict[int, Print], Rules],
) -> tuple[list[Slot], dict[int, Room], dict[int, Print], Rules]:
    """The same programme with every screening's times in UTC, as the store hands them to the
    sweep (`repository.slots_of`); the festival's zone stays in the rules."""
    slots, rooms, prints, rules = programme
    in_utc = [replace(s, starts_at=s.starts_at.astimezone(UTC), ends_at=s.ends_at.astimezone(UTC)) for s in slots]
    return in_utc, rooms, prints, rules


def _local(day: date, minute: int) -> datetime:
    """`minute` minutes of wall-clock time after midnight starting `day`, in the festival zone."""
    wall = datetime.combine(day, time(0)) + timedelta(minutes=minute)
    return wall.replace(tzinfo=ZONE).astimezone(UTC).astimezone(ZONE)
