"""Rendered feeds pass the shared validator: libical, sabre/vobject, ical.js, vobject, ics-py,
the cross-check of start instants against the tz database, and the byte-level lint.

The validators live outside the project (`setup_validators.sh` installs them into
~/.cache/ical-validate; CI runs it before the tests); without them this test is skipped.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from app.calendar import render_calendar, screenings_at_venue

REPO = Path(__file__).resolve().parents[2]
VALIDATE = Path(os.environ.get("ICAL_VALIDATE", REPO / "tools/ical-validate/validate.sh"))
VALIDATORS_HOME = Path(os.environ.get("ICAL_VALIDATE_HOME", Path.home() / ".cache/ical-validate"))

pytestmark = [
    pytest.mark.skipif(not VALIDATE.is_file(), reason=f"no validator script at {VALIDATE}"),
    pytest.mark.skipif(
        not VALIDATORS_HOME.is_dir(),
        reason=f"validators not installed in {VALIDATORS_HOME} (run setup_validators.sh)",
    ),
]


def validate(*feeds: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(VALIDATE), *map(str, feeds)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_feeds_pass_every_validator(tmp_path, wiesbaden, wiesbaden_builder, programme_builder):
    """Summer, winter, across midnight, across the DST night, cancelled, with guests (the whole
    programme); one venue's; the unpublished programme's; a zone without DST."""
    tokyo = programme_builder(timezone="Asia/Tokyo", starts_on=date(2021, 7, 1), ends_on=date(2021, 12, 31))
    tokyo.film(id=1, title="Tokyo Story", original_title="東京物語", runtime_minutes=136)
    tokyo.screening(datetime(2021, 7, 10, 19, 0), (1,), id=1)
    tokyo.screening(datetime(2021, 12, 4, 23, 30), (1,), id=2, status="cancelled", sequence=1)
    feeds = {
        "programme.ics": render_calendar(wiesbaden),
        "venue.ics": render_calendar(
            wiesbaden,
            screenings=screenings_at_venue(wiesbaden, 1),
            name="Wiesbaden Film Days 2021 — Caligari FilmBühne, Saal 1",
        ),
        "unpublished.ics": render_calendar(wiesbaden_builder.build(version=0, published_at=None)),
        "tokyo.ics": render_calendar(tokyo.build()),
    }
    paths = []
    for name, feed in feeds.items():
        path = tmp_path / name
        path.write_bytes(feed)
        paths.append(path)
    result = validate(*paths)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
    assert result.stdout.rstrip().endswith("ALL PASSED")


# Zones a new user might try: a half-hour DST, negative DST, Ramadan pauses, changes at midnight,
# a quarter-hour offset in the southern hemisphere (five, to keep the suite fast; the property
# test in tests/scheduling/test_publishing_times.py covers more zones without the validators).
ZONES = ("Australia/Lord_Howe", "Europe/Dublin", "Africa/Casablanca", "America/Santiago", "Pacific/Chatham")


def test_a_feed_in_every_zone_passes_every_validator(tmp_path, programme_builder):
    """Screenings just before, across and after each offset change of the festival's year,
    in the repeated hour where there is one; one file per zone, validated in one run."""
    from datetime import UTC, timedelta

    from app.calendar.vtimezone import transitions

    paths = []
    for zone in ZONES:
        changes = [datetime.fromtimestamp(t.at, UTC) for t in transitions(zone, 2022)]
        moments = [m + timedelta(minutes=d) for m in changes for d in (-90, -20, 10, 70)]
        moments = moments or [datetime(2022, 7, 1, 18, tzinfo=UTC)]
        builder = programme_builder(
            timezone=zone,
            starts_on=min(moments).date() - timedelta(days=1),
            ends_on=max(moments).date() + timedelta(days=1),
        )
        builder.film(id=1, title="Film", runtime_minutes=100)
        for moment in moments:
            builder.screening(moment, (1,))
        path = tmp_path / f"{zone.replace('/', '-')}.ics"
        path.write_bytes(render_calendar(builder.build()))
        paths.append(path)
    result = validate(*paths)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("ALL PASSED")
