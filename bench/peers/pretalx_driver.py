"""Runs inside pretalx's own virtualenv: builds a conference in pretalx and times its answers.

    <pretalx venv>/bin/python bench/peers/pretalx_driver.py PROGRAMME.json [--repeats 3]

PROGRAMME.json is what bench/peers/conference.py wrote (Conference.as_json). The driver needs
nothing of Marquee: it starts Django with pretalx's settings (peer_settings.py: SQLite in a
throwaway folder, an in-process cache instead of Redis), migrates (the migrated database is
kept in ~/.cache/marquee-peers, one per pretalx version, and copied for each run), creates
the event, its rooms, speakers and confirmed submissions through pretalx's models, puts every
talk in the work-in-progress schedule and in a released one (version 1.0, every slot
visible), then times, in process, each from a freshly loaded event and schedule:

- conflicts: pretalx.schedule.domain.warnings.compute_warnings on the WIP schedule, what
  `Schedule.warnings` computes (the warnings the schedule editor and the release page show);
- iCal: ICalExporter.get_data() on the released schedule, the whole event's schedule.ics;
- frab JSON: FrabJsonExporter.get_data() on the released schedule, its schedule.json.

It prints one JSON object: the times (every repeat, wall-clock and CPU seconds), the sizes, and the warnings
about room overlaps and speakers in two sessions at once, by talk id (= Submission pk).
Building the database is not timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

CACHE = Path(os.environ.get("MARQUEE_PEERS_CACHE", Path.home() / ".cache" / "marquee-peers"))
CODE_CHARSET = "ABCDEFGHJKLMNPQRSTUVWXYZ3789"


def code(prefix: str, number: int) -> str:
    """A readable, unique pretalx code for `number` (pretalx's own charset)."""
    digits = ""
    while True:
        number, digit = divmod(number, len(CODE_CHARSET))
        digits = CODE_CHARSET[digit] + digits
        if not number:
            return prefix + digits.rjust(5, CODE_CHARSET[0])


def number(value: str) -> int:
    """The number a `code` stands for."""
    result = 0
    for digit in value[1:]:
        result = result * len(CODE_CHARSET) + CODE_CHARSET.index(digit)
    return result


def start_django(workdir: Path) -> None:
    """Point pretalx at a copy of the migrated database (migrating once per pretalx version)."""
    os.environ["PRETALX_DATA_DIR"] = str(workdir)
    os.environ["PRETALX_DB_NAME"] = str(workdir / "db.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "peer_settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    template = CACHE / f"pretalx-{version('pretalx')}-migrated.sqlite3"
    if template.exists():
        shutil.copyfile(template, workdir / "db.sqlite3")
    import django
    from django.core.management import call_command

    django.setup()
    if not template.exists():
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"pretalx: migrated a new database in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        CACHE.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(workdir / "db.sqlite3", template)


def build(conference: dict) -> tuple[int, int, int]:
    """The event, rooms, speakers, submissions and slots; (event pk, WIP schedule pk, released schedule pk)."""
    from django.utils import timezone
    from pretalx.event.domain.event import initialise_event
    from pretalx.event.models import Event, Organiser
    from pretalx.person.models import SpeakerProfile, User
    from pretalx.schedule.models import Room, Schedule, TalkSlot
    from pretalx.submission.enums import SubmissionStates
    from pretalx.submission.models import Submission
    from pretalx.submission.models.submission import SpeakerRole

    starts_on = dt.date.fromisoformat(conference["starts_on"])
    organiser = Organiser.objects.create(name="Marquee side by side", slug="marquee-peers")
    event = Event.objects.create(
        name="Side by side 2026",
        slug="peers2026",
        organiser=organiser,
        date_from=starts_on,
        date_to=starts_on + dt.timedelta(days=conference["days"] - 1),
        timezone=conference["zone"],
        email="orga@example.org",
        is_public=True,
    )
    initialise_event(event)
    rooms = Room.objects.bulk_create(
        [Room(event=event, name=name, position=i, capacity=200) for i, name in enumerate(conference["rooms"])]
    )
    names = conference["speakers"]
    User.objects.bulk_create(
        [
            User(
                pk=i,
                code=code("U", i),
                name=name,
                email=f"speaker{i}@example.org",
                password="!",
                locale="en",
                timezone="UTC",
            )
            for i, name in enumerate(names, start=1)
        ]
    )
    SpeakerProfile.objects.bulk_create(
        [
            SpeakerProfile(pk=i, user_id=i, event=event, name=name, code=code("S", i))
            for i, name in enumerate(names, start=1)
        ]
    )
    talks = conference["talks"]
    submission_type = event.cfp.default_type
    Submission.all_objects.bulk_create(
        [
            Submission(
                pk=talk["id"],
                code=code("T", talk["id"]),
                event=event,
                title=talk["title"],
                abstract=talk["abstract"],
                submission_type=submission_type,
                state=SubmissionStates.CONFIRMED,
                duration=talk["minutes"],
                content_locale="en",
            )
            for talk in talks
        ]
    )
    SpeakerRole.objects.bulk_create(
        [
            SpeakerRole(submission_id=talk["id"], speaker_id=speaker, position=position)
            for talk in talks
            for position, speaker in enumerate(talk["speakers"])
        ]
    )
    wip = event.wip_schedule
    released = Schedule.objects.create(event=event, version="1.0", published=timezone.now())
    slots = []
    for schedule, visible in ((wip, False), (released, True)):
        for talk in talks:
            start = dt.datetime.fromisoformat(talk["starts_at"])
            slots.append(
                TalkSlot(
                    schedule=schedule,
                    submission_id=talk["id"],
                    room=rooms[talk["room"] - 1],
                    start=start,
                    end=start + dt.timedelta(minutes=talk["minutes"]),
                    is_visible=visible,
                )
            )
    TalkSlot.objects.bulk_create(slots, batch_size=2000)
    return event.pk, wip.pk, released.pk


def timed(repeats: int, run):
    """Every repeat's [wall-clock, CPU] seconds, and what the last returned."""
    seconds, result = [], None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        seconds.append([time.perf_counter() - started, time.process_time() - started_cpu])
    return seconds, result


def measure(event_pk: int, wip_pk: int, released_pk: int, repeats: int) -> dict:
    from pretalx.event.models import Event
    from pretalx.schedule.domain.warnings import compute_warnings
    from pretalx.schedule.interfaces.exporters import FrabJsonExporter, ICalExporter
    from pretalx.schedule.models import Schedule

    def fresh(schedule_pk: int):  # no cached_property survives from one repeat to the next
        event = Event.objects.get(pk=event_pk)
        return event, Schedule.objects.select_related("event").get(pk=schedule_pk)

    def warnings():
        _, schedule = fresh(wip_pk)
        return compute_warnings(schedule)

    def ical():
        event, schedule = fresh(released_pk)
        return ICalExporter(event, schedule).get_data()

    def frab():
        event, schedule = fresh(released_pk)
        return FrabJsonExporter(event, schedule).get_data()

    warnings_s, found = timed(repeats, warnings)
    ical_s, calendar = timed(repeats, ical)
    frab_s, schedule_json = timed(repeats, frab)
    room_overlaps, speaker_overlaps, other = [], [], {}
    for entry in found["talk_warnings"]:
        talk_id = entry["talk"].submission_id
        for warning in entry["warnings"]:
            message = str(warning["message"])
            if warning["type"] == "room_overlap":
                room_overlaps.append(talk_id)
            elif warning["type"] == "speaker" and "another session" in message:
                speaker_overlaps.append([talk_id, number(warning["speaker"]["code"])])
            else:
                other[warning["type"]] = other.get(warning["type"], 0) + 1
    return {
        "pretalx": version("pretalx"),
        "django": version("django"),
        "python": sys.version.split()[0],
        "repeats": repeats,
        "warnings_s": warnings_s,
        "ical_s": ical_s,
        "frab_json_s": frab_s,
        "ical_bytes": len(calendar.encode() if isinstance(calendar, str) else calendar),
        "ical_events": calendar.count("BEGIN:VEVENT"),
        "frab_json_bytes": len(schedule_json.encode()),
        "frab_json_events": sum(
            len(talks)
            for day in json.loads(schedule_json)["schedule"]["conference"]["days"]
            for talks in day["rooms"].values()
        ),
        "talk_warnings_count": found["talk_warnings_count"],
        "room_overlap_talks": sorted(room_overlaps),
        "speaker_overlaps": sorted(speaker_overlaps),
        "other_warnings": other,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("programme", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    conference = json.loads(args.programme.read_text())
    with tempfile.TemporaryDirectory(prefix="marquee-peers-pretalx-") as folder:
        start_django(Path(folder))
        from django_scopes import scopes_disabled

        with scopes_disabled():
            started = time.perf_counter()
            pks = build(conference)
            built = time.perf_counter() - started
            result = measure(*pks, repeats=args.repeats)
        result["build_s"] = built
        json.dump(result, sys.stdout)
        print()


if __name__ == "__main__":
    main()
