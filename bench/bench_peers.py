"""Side by side with pretalx: the same conference in both, conflicts, iCal and frab JSON, planted clashes found.

    make bench-peers                                     # installs pretalx into its own virtualenv first
    python -m bench.bench_peers --pretalx-python PATH    # PATH: the pretalx virtualenv's python

Not part of `make bench`: it needs pretalx (and the Python it asks for) installed apart from
Marquee. bench/peers/conference.py generates a conference of 1,000 and of 5,000 talks (talks
are screenings of one film each, rooms venues, speakers guests) with `n // 100` planted room
clashes and as many planted speaker clashes. bench/peers/pretalx_driver.py, run with
pretalx's Python, builds it in pretalx (SQLite, through its models) and times its schedule
warnings, its iCal export and its frab JSON export in process; this module times Marquee on
the same programme, in process too:

- conflicts: find_conflicts on the screenings (the sweep alone), and the same from a SQLite
  database (reading the screenings, venues and prints with the store's queries, then the
  sweep: what an uncached `GET /conflicts` computes; pretalx's warnings read its database too);
- iCal: render_calendar, the whole programme's feed, on a Programme built afresh for each
  repeat and with the time-zone caches emptied, so each render is a first render; and from
  SQLite (reading the programme with the store, then rendering);
- frab JSON: render_schedule_json on the same Programme, and from SQLite.

Each figure is the median of its repeats, wall-clock with CPU time beside it (on a shared
machine the difference is time spent waiting for a core). Ratios are pretalx's median over
Marquee's; the targets are judged on wall-clock. Targets: conflicts at least 500x faster, a first feed at
least 100x, no planted clash missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.calendar import render_calendar
from app.exports.frab import render_schedule_json
from app.scheduling.conflicts import GUEST_CLASH, VENUE_OVERLAP, Conflict, Print, Room, Rules, Slot, find_conflicts
from app.scheduling.programme import FestivalInfo, FilmInfo, Programme, VenueInfo, schedule_screening
from bench.peers.conference import Conference, generate_conference

SIZES = (1_000, 5_000)
REPEATS = 9  # Marquee's, per figure
PRETALX_REPEATS = 3
DRIVER = Path(__file__).resolve().parent / "peers" / "pretalx_driver.py"
BASE_URL = "https://marquee.example"
CONFLICTS_TARGET = 500.0
FEED_TARGET = 100.0


def _start(talk) -> datetime:
    return datetime.fromisoformat(talk.starts_at)


def conflict_inputs(conference: Conference) -> tuple[list[Slot], dict[int, Room], dict[int, Print], Rules]:
    """What find_conflicts reads: a screening per talk (its own film), a venue per room, a guest per speaker."""
    zone = ZoneInfo(conference.zone)
    starts_on = date.fromisoformat(conference.starts_on)
    slots = [
        Slot(
            id=talk.id,
            venue_id=talk.room,
            starts_at=_start(talk),  # in UTC, as the store reads them (repository.slots_of)
            ends_at=_start(talk) + timedelta(minutes=talk.minutes),
            film_ids=(talk.id,),
            guests=tuple(conference.speakers[s - 1] for s in talk.speakers),
            status="confirmed",
            runtime_minutes=talk.minutes,
        )
        for talk in conference.talks
    ]
    rooms = {
        r: Room(r, name, turnaround_minutes=conference.turnaround_minutes)
        for r, name in enumerate(conference.rooms, start=1)
    }
    prints = {talk.id: Print(talk.id, talk.title, copies=1) for talk in conference.talks}
    rules = Rules(zone=zone, starts_on=starts_on, ends_on=starts_on + timedelta(days=conference.days - 1))
    return slots, rooms, prints, rules


def conference_programme(conference: Conference) -> Programme:
    """The conference as a published Marquee programme (what the feed and schedule.json render)."""
    starts_on = date.fromisoformat(conference.starts_on)
    festival = FestivalInfo(
        slug="peers-2026",
        name="Side by side 2026",
        city="Berlin",
        timezone=conference.zone,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=conference.days - 1),
    )
    venues = tuple(
        VenueInfo(id=r, name=name, capacity=200, turnaround_minutes=conference.turnaround_minutes)
        for r, name in enumerate(conference.rooms, start=1)
    )
    films = tuple(
        FilmInfo(
            id=talk.id,
            title=talk.title,
            directors=tuple(conference.speakers[s - 1] for s in talk.speakers),
            languages=("English",),
            runtime_minutes=talk.minutes,
            synopsis=talk.abstract,
        )
        for talk in conference.talks
    )
    films_by_id = {film.id: film for film in films}
    screenings = tuple(
        schedule_screening(
            festival,
            films_by_id,
            id=talk.id,
            venue_id=talk.room,
            starts_at=_start(talk),
            film_ids=(talk.id,),
            guests=tuple(conference.speakers[s - 1] for s in talk.speakers),
            status="confirmed",
        )
        for talk in conference.talks
    )
    return Programme(
        festival=festival,
        venues=venues,
        films=films,
        screenings=screenings,
        version=1,
        published_at=datetime(2026, 10, 1, 9, 0, tzinfo=UTC),
    )


def planted_found(conference: Conference, conflicts: list[Conflict]) -> dict:
    """How many planted clashes Marquee's conflicts name, and how many room or guest conflicts they add."""
    rooms = {frozenset(c.screening_ids) for c in conflicts if c.kind == VENUE_OVERLAP}
    guests = {frozenset(c.screening_ids): c.message for c in conflicts if c.kind == GUEST_CLASH}
    room_found = sum(frozenset(pair) in rooms for pair in conference.room_clashes)
    speaker_found = sum(
        conference.speakers[speaker - 1] in guests.get(frozenset((a, b)), "")
        for speaker, a, b in conference.speaker_clashes
    )
    return {
        "room": room_found,
        "speaker": speaker_found,
        "extra": len(rooms) + len(guests) - room_found - speaker_found,
        "other_kinds": len(conflicts) - len(rooms) - len(guests),
    }


def pretalx_found(conference: Conference, result: dict) -> dict:
    """The same for pretalx: a planted clash is found when both its talks carry the warning (for that speaker)."""
    rooms = set(result["room_overlap_talks"])
    speakers = {tuple(pair) for pair in result["speaker_overlaps"]}
    room_found = sum(a in rooms and b in rooms for a, b in conference.room_clashes)
    speaker_found = sum(
        (a, speaker) in speakers and (b, speaker) in speakers for speaker, a, b in conference.speaker_clashes
    )
    planted_talks = {t for pair in conference.room_clashes for t in pair}
    planted_speakers = {(t, s) for s, a, b in conference.speaker_clashes for t in (a, b)}
    return {
        "room": room_found,
        "speaker": speaker_found,
        "extra": len(rooms - planted_talks) + len(speakers - planted_speakers),
        "other_kinds": sum(result["other_warnings"].values()),
    }


def run_pretalx(python: str, conference: Conference, repeats: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="marquee-peers-") as programme:
        json.dump(conference.as_json(), programme)
        programme.flush()
        done = subprocess.run(
            [python, str(DRIVER), programme.name, "--repeats", str(repeats)],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"the pretalx driver failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _timed(
    repeats: int, run: Callable[[], object], prepare: Callable[[], object] | None = None
) -> list[tuple[float, float]]:
    """(wall-clock, CPU) seconds of each of `repeats` runs; `prepare`, untimed, before each."""
    seconds = []
    for _ in range(repeats):
        if prepare is not None:
            prepare()
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        seconds.append((time.perf_counter() - started, time.process_time() - started_cpu))
    return seconds


def _cold_calendar() -> None:
    """Empty the feed renderer's caches (the time zones' VTIMEZONE blocks, built and serialised),
    so the next render is a first one."""
    from app.calendar import feed, vtimezone

    for module in (vtimezone, feed):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def store_conference(url: str, conference: Conference) -> None:
    """The conference in a fresh Marquee database, ids as in the conference (bulk inserts)."""
    from sqlalchemy import create_engine, insert

    from app.store.migrate import upgrade
    from app.store.models import Festival, Film, Screening, ScreeningFilm, Venue

    upgrade(url)
    now = datetime.now(UTC)
    starts_on = date.fromisoformat(conference.starts_on)
    engine = create_engine(url)
    with engine.begin() as db:
        db.execute(
            insert(Festival),
            [
                {
                    "id": 1,
                    "slug": "peers-2026",
                    "name": "Side by side 2026",
                    "city": "Berlin",
                    "timezone": conference.zone,
                    "starts_on": starts_on,
                    "ends_on": starts_on + timedelta(days=conference.days - 1),
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
        db.execute(
            insert(Venue),
            [
                {
                    "id": r,
                    "festival_id": 1,
                    "name": name,
                    "address": "",
                    "capacity": 200,
                    "turnaround_minutes": conference.turnaround_minutes,
                    "availability": [],
                    "step_free": True,
                }
                for r, name in enumerate(conference.rooms, start=1)
            ],
        )
        db.execute(
            insert(Film),
            [
                {
                    "id": talk.id,
                    "festival_id": 1,
                    "title": talk.title,
                    "runtime_minutes": talk.minutes,
                    "directors": [conference.speakers[s - 1] for s in talk.speakers],
                    "countries": [],
                    "languages": ["English"],
                    "credits": [],
                    "awards": [],
                    "copies": 1,
                    "premiere": "none",
                    "synopsis": talk.abstract,
                    "notes": "",
                }
                for talk in conference.talks
            ],
        )
        db.execute(
            insert(Screening),
            [
                {
                    "id": talk.id,
                    "festival_id": 1,
                    "venue_id": talk.room,
                    "starts_at": _start(talk),
                    "intro_minutes": 0,
                    "qa_minutes": 0,
                    "guests": [conference.speakers[s - 1] for s in talk.speakers],
                    "accessibility": [],
                    "notes": "",
                    "status": "confirmed",
                }
                for talk in conference.talks
            ],
        )
        db.execute(
            insert(ScreeningFilm),
            [{"screening_id": talk.id, "position": 0, "film_id": talk.id} for talk in conference.talks],
        )
    engine.dispose()


def measure_marquee(conference: Conference, repeats: int) -> dict:
    from sqlmodel import Session

    from app.store.db import make_engines
    from app.store.repository import festival_by_slug, prints_of, rooms_of, rules_of, slots_of
    from app.store.snapshot import working_programme

    inputs = conflict_inputs(conference)
    conflicts = find_conflicts(*inputs)
    sweep = _timed(repeats, lambda: find_conflicts(*inputs))

    programmes: list[Programme] = []

    def fresh_programme() -> None:  # a new Programme (no cached lookups), caches emptied
        programmes[:] = [conference_programme(conference)]
        _cold_calendar()

    feed = render_calendar(conference_programme(conference), base_url=BASE_URL)
    schedule_json = render_schedule_json(conference_programme(conference), base_url=BASE_URL)
    ical = _timed(repeats, lambda: render_calendar(programmes[0], base_url=BASE_URL), fresh_programme)
    frab = _timed(repeats, lambda: render_schedule_json(programmes[0], base_url=BASE_URL), fresh_programme)

    url = f"sqlite:///{tempfile.mkdtemp(prefix='marquee-peers-')}/peers.db"
    store_conference(url, conference)
    engine = make_engines(url).read

    def stored_conflicts() -> list[Conflict]:
        with Session(engine) as session:
            festival = festival_by_slug(session, "peers-2026")
            assert festival is not None
            return find_conflicts(
                slots_of(session, festival), rooms_of(session, festival.id), prints_of(session, festival.id),
                rules_of(festival),
            )  # fmt: skip

    def stored_programme() -> Programme:
        with Session(engine) as session:
            festival = festival_by_slug(session, "peers-2026")
            assert festival is not None
            return working_programme(session, festival, statuses=("confirmed",))

    from_db = stored_conflicts()
    if len(from_db) != len(conflicts):
        raise SystemExit(f"Marquee from SQLite found {len(from_db)} conflicts, in process {len(conflicts)}")
    stored_sweep = _timed(repeats, stored_conflicts)
    stored_ical = _timed(repeats, lambda: render_calendar(stored_programme(), base_url=BASE_URL), _cold_calendar)
    stored_frab = _timed(repeats, lambda: render_schedule_json(stored_programme(), base_url=BASE_URL))
    engine.dispose()
    return {
        "conflicts_s": sweep,
        "stored_conflicts_s": stored_sweep,
        "ical_s": ical,
        "stored_ical_s": stored_ical,
        "frab_json_s": frab,
        "stored_frab_json_s": stored_frab,
        "ical_bytes": len(feed),
        "ical_events": feed.count(b"BEGIN:VEVENT"),
        "frab_json_bytes": len(schedule_json),
        "frab_json_events": sum(
            len(events)
            for day in json.loads(schedule_json)["schedule"]["conference"]["days"]
            for events in day["rooms"].values()
        ),  # fmt: skip
        "conflicts": len(conflicts),
        "found": planted_found(conference, conflicts),
    }


def _ms(seconds: list, which: int = 0) -> float:
    """The median of the repeats' wall-clock (0) or CPU (1) seconds, in milliseconds."""
    return statistics.median(pair[which] for pair in seconds) * 1000


def report(conference: Conference, marquee: dict, pretalx: dict) -> list[tuple[str, float, str]]:
    """Prints one size's table; answers (what, ratio, verdict) for the targets."""
    talks = len(conference.talks)
    planted = len(conference.room_clashes)
    print(
        f"{talks:,} talks in {len(conference.rooms)} rooms, {len(conference.speakers):,} speakers, "
        f"{planted} planted room clashes and {len(conference.speaker_clashes)} planted speaker clashes"
    )
    print(f"  {'':<48}{'pretalx ms (cpu)':>18}{'Marquee ms (cpu)':>18}{'ratio (cpu)':>15}")

    def row(what: str, theirs: list, ours: list) -> float:
        ratio, cpu_ratio = _ms(theirs) / _ms(ours), _ms(theirs, 1) / _ms(ours, 1)
        pretalx_ms = f"{_ms(theirs):,.0f} ({_ms(theirs, 1):,.0f})"
        marquee_ms = f"{_ms(ours):,.1f} ({_ms(ours, 1):,.1f})"
        print(f"  {what:<48}{pretalx_ms:>18}{marquee_ms:>18}{f'{ratio:,.0f}x ({cpu_ratio:,.0f}x)':>15}")
        return ratio

    conflicts = row("conflicts (sweep in process)", pretalx["warnings_s"], marquee["conflicts_s"])
    row("conflicts (Marquee reading SQLite too)", pretalx["warnings_s"], marquee["stored_conflicts_s"])
    feed = row("iCal, whole programme (first render)", pretalx["ical_s"], marquee["ical_s"])
    row("iCal, Marquee reading SQLite too", pretalx["ical_s"], marquee["stored_ical_s"])
    row("frab schedule.json", pretalx["frab_json_s"], marquee["frab_json_s"])
    row("frab schedule.json, Marquee reading SQLite too", pretalx["frab_json_s"], marquee["stored_frab_json_s"])
    theirs, ours = pretalx_found(conference, pretalx), marquee["found"]
    for name, found in (("pretalx", theirs), ("Marquee", ours)):
        print(
            f"  {name:<8} found {found['room']}/{planted} planted room clashes, "
            f"{found['speaker']}/{len(conference.speaker_clashes)} planted speaker clashes; "
            f"{found['extra']} other room or speaker findings, {found['other_kinds']} of other kinds"
        )
    print(
        f"  sizes: iCal {pretalx['ical_bytes'] / 1024:,.0f} KB ({pretalx['ical_events']:,} events) in pretalx, "
        f"{marquee['ical_bytes'] / 1024:,.0f} KB ({marquee['ical_events']:,}) in Marquee; schedule.json "
        f"{pretalx['frab_json_bytes'] / 1024:,.0f} KB ({pretalx['frab_json_events']:,}) and "
        f"{marquee['frab_json_bytes'] / 1024:,.0f} KB ({marquee['frab_json_events']:,})"
    )
    missed = (planted - ours["room"]) + (len(conference.speaker_clashes) - ours["speaker"])
    return [
        (f"conflicts at {talks:,} talks >= {CONFLICTS_TARGET:.0f}x", conflicts, conflicts >= CONFLICTS_TARGET),
        (f"first feed at {talks:,} talks >= {FEED_TARGET:.0f}x", feed, feed >= FEED_TARGET),
        (f"planted clashes Marquee missed at {talks:,} talks: {missed}", missed, missed == 0),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Marquee side by side with pretalx.")
    parser.add_argument("--pretalx-python", required=True, help="the python of a virtualenv with pretalx installed")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--pretalx-repeats", type=int, default=PRETALX_REPEATS)
    args = parser.parse_args(argv)
    print(
        f"Side by side with pretalx, in process, medians of {args.pretalx_repeats} (pretalx) and "
        f"{args.repeats} (Marquee) repeats, wall-clock (CPU); ratios: pretalx / Marquee"
    )
    verdicts = []
    for size in args.sizes:
        conference = generate_conference(size)
        pretalx = run_pretalx(args.pretalx_python, conference, args.pretalx_repeats)
        marquee = measure_marquee(conference, args.repeats)
        if size == args.sizes[0]:
            print(
                f"pretalx {pretalx['pretalx']} (Django {pretalx['django']}, Python {pretalx['python']}, SQLite, "
                f"in-process cache); Marquee on Python {sys.version.split()[0]}\n"
            )
        verdicts += report(conference, marquee, pretalx)
        print(flush=True)
    for what, value, met in verdicts:
        figure = f": {value:,.0f}x" if isinstance(value, float) else ""
        print(f"target {what}{figure}: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
