"""schedule.json and schedule.xml as schedule apps read them: valid c3voc documents of the version.

Checked three ways: the c3voc JSON schema (jsonschema), the c3voc XSD (lxml), and the c3voc
team's own reader, c3voc-schedule-tools, run in its own virtualenv (`make validators`).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import uuid
from datetime import datetime, time
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from app.exports.frab import (
    SCREENING_NAMESPACE,
    acronym,
    render_schedule_json,
    schedule_document,
    screening_guid,
)
from app.exports.frab_xml import render_schedule_xml
from app.scheduling.programme import Programme
from bench.programmes import realistic_programme
from tests.builders import (
    ARSENAL,
    BABYLON,
    CANCELLED_BALLAD,
    CRANES_AGAIN,
    CRANES_OPENING,
    FESTIVAL,
    FILMS,
    LATE_ASCENT,
    SHORT_AND_FEATURE,
    at,
    festival_programme,
    screening,
)

DATA = Path(__file__).resolve().parent / "data"
SHARED_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "data" / "c3voc-schedule-schema.json"
BASE = "https://marquee.example"
C3VOC_PYTHON = Path(
    os.environ.get("C3VOC_PYTHON")
    or Path(os.environ.get("ICAL_VALIDATE_HOME", Path.home() / ".cache" / "ical-validate"))
    / "venv-c3voc"
    / "bin"
    / "python"
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft6Validator:
    schema = json.loads((DATA / "c3voc-schedule-schema.json").read_text("utf-8"))
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / "schedule.xml.xsd")))


def schema_errors(validator, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def events_of(document: dict) -> list[dict]:
    return [
        event
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def late_night_festival() -> Programme:
    """A festival whose days start at 05:00, with a 02:00 screening that belongs to the day before."""
    festival = FESTIVAL.model_copy(update={"day_starts_at": time(5)})
    screenings = (
        screening(festival, id=1, venue_id=ARSENAL.id, starts_at=at(0, 23), film_ids=(1,)),
        screening(festival, id=2, venue_id=ARSENAL.id, starts_at=at(1, 2), film_ids=(5,)),
        screening(festival, id=3, venue_id=BABYLON.id, starts_at=at(1, 5, 30), film_ids=(2,)),
    )
    return Programme(
        festival=festival,
        venues=(ARSENAL, BABYLON),
        films=FILMS,
        screenings=screenings,
        version=1,
        published_at=datetime(2021, 11, 1, tzinfo=FESTIVAL.zone),
    )


PROGRAMMES = {
    "sample": festival_programme,
    "late_night": late_night_festival,
    "generated_400": lambda: realistic_programme(400, 20, 9),
    "unpublished": lambda: Programme(festival=FESTIVAL, venues=(ARSENAL,), films=FILMS),
}


@pytest.mark.parametrize("make", PROGRAMMES.values(), ids=PROGRAMMES.keys())
def test_schedule_json_is_valid_against_the_c3voc_schema(validator, make):
    document = json.loads(render_schedule_json(make(), base_url=BASE))
    assert schema_errors(validator, document) == []


@pytest.mark.parametrize("make", PROGRAMMES.values(), ids=PROGRAMMES.keys())
def test_schedule_xml_is_valid_against_the_c3voc_xsd(xsd, make):
    document = etree.fromstring(render_schedule_xml(make(), base_url=BASE))
    valid = xsd.validate(document)
    assert (valid, [str(error) for error in xsd.error_log]) == (True, [])


def test_a_schema_violation_is_caught(validator):
    """The validator is not a formality: an event without its guid fails."""
    document = schedule_document(festival_programme(), base_url=BASE)
    del events_of(document)[0]["guid"]
    assert any("'guid' is a required property" in error for error in schema_errors(validator, document))


# the SHA-256 of ../shared/data/c3voc-schedule-schema.json when it was vendored
SHARED_SCHEMA_SHA256 = "0f64db03e6a43b31ed109d358fecd1750a158488e44a2e52933a33a775208236"


def test_the_vendored_schema_is_the_shared_one():
    """The copy in tests/exports/data is the shared schema (compared with it where a clone has ../shared)."""
    vendored = (DATA / "c3voc-schedule-schema.json").read_bytes()
    assert hashlib.sha256(vendored).hexdigest() == SHARED_SCHEMA_SHA256
    if SHARED_SCHEMA.exists():
        assert hashlib.sha256(SHARED_SCHEMA.read_bytes()).hexdigest() == SHARED_SCHEMA_SHA256


def test_one_event_per_screening_cancelled_left_out():
    programme = festival_programme()
    events = events_of(schedule_document(programme, base_url=BASE))
    confirmed = [s.id for s in programme.screenings if s.status == "confirmed"]
    assert sorted(event["id"] for event in events) == sorted(confirmed)
    assert CANCELLED_BALLAD not in {event["id"] for event in events}


def test_a_film_shown_twice_is_two_events_with_stable_distinct_guids():
    events = {event["id"]: event for event in events_of(schedule_document(festival_programme(), base_url=BASE))}
    opening, again = events[CRANES_OPENING], events[CRANES_AGAIN]
    assert opening["title"] == again["title"] == "The Cranes Are Flying"
    assert opening["guid"] != again["guid"]
    assert opening["guid"] == str(uuid.uuid5(SCREENING_NAMESPACE, str(CRANES_OPENING))) == screening_guid(1)
    assert str(SCREENING_NAMESPACE) == "5d0a7c3e-2f61-4b8e-9c1a-6f3e8d2b7a41"  # fixed for ever


@given(st.integers(min_value=1, max_value=2**63))
def test_guid_is_exactly_uuid5_of_the_screening_id(screening_id):
    assert screening_guid(screening_id) == str(uuid.uuid5(SCREENING_NAMESPACE, str(screening_id)))


def test_a_moved_screening_keeps_its_guid():
    programme = festival_programme()
    moved = programme.screenings[0].model_copy(update={"venue_id": BABYLON.id, "starts_at": at(0, 17)})
    changed = programme.model_copy(update={"screenings": (moved, *programme.screenings[1:])})
    before = {e["id"]: e["guid"] for e in events_of(schedule_document(programme, base_url=BASE))}
    after = {e["id"]: e["guid"] for e in events_of(schedule_document(changed, base_url=BASE))}
    assert before == after


def test_days_split_at_the_festivals_day_start():
    document = schedule_document(late_night_festival(), base_url=BASE)
    days = document["schedule"]["conference"]["days"]
    assert [(day["date"], day["day_start"], day["day_end"]) for day in days] == [
        ("2021-11-19", "2021-11-19T05:00:00+01:00", "2021-11-20T05:00:00+01:00"),
        ("2021-11-20", "2021-11-20T05:00:00+01:00", "2021-11-21T05:00:00+01:00"),
        ("2021-11-21", "2021-11-21T05:00:00+01:00", "2021-11-22T05:00:00+01:00"),
    ]
    placed = [[event["id"] for events in day["rooms"].values() for event in events] for day in days]
    assert placed == [[1, 2], [3], []]  # the 02:00 show belongs to Friday; 05:30 to Saturday


def test_rooms_are_the_venues_on_every_day():
    conference = schedule_document(festival_programme(), base_url=BASE)["schedule"]["conference"]
    assert [room["name"] for room in conference["rooms"]] == ["Kino Arsenal", "Babylon Mitte"]
    assert conference["rooms"][0]["description"] == "Potsdamer Straße 2 · step-free access"
    assert conference["rooms"][1]["capacity"] == 450
    assert all(list(day["rooms"]) == ["Kino Arsenal", "Babylon Mitte"] for day in conference["days"])


def test_an_event_carries_times_duration_guests_section_and_language():
    events = {e["id"]: e for e in events_of(schedule_document(festival_programme(), base_url=BASE))}
    late = events[SHORT_AND_FEATURE]
    assert (late["date"], late["start"], late["duration"]) == ("2021-11-19T22:00:00+01:00", "22:00", "02:32")
    assert late["room"] == "Babylon Mitte"
    assert [person["name"] for person in late["persons"]] == ["Dilnoza Karimova"]
    assert late["track"] == "Shorts & Debuts"
    assert late["language"] == "uz"  # the feature's, not the short's "No dialogue"
    assert late["url"] == f"{BASE}/festivals/kinofest-2021/films/3"
    cranes = events[CRANES_OPENING]
    assert (cranes["subtitle"], cranes["language"], cranes["duration"]) == ("Летят журавли", "ru", "01:47")
    assert "Captioned" in cranes["abstract"] and "Introduction 10 min" in cranes["abstract"]
    assert events[LATE_ASCENT]["date"] == "2021-11-20T23:30:00+01:00"


def test_the_conference_names_the_festival():
    schedule = schedule_document(festival_programme(), base_url=BASE)["schedule"]
    conference = schedule["conference"]
    assert schedule["version"] == "2"
    assert (
        conference["acronym"],
        conference["title"],
        conference["start"],
        conference["end"],
        conference["daysCount"],
        conference["time_zone_name"],
    ) == ("kinofest_2021", "Kinofest Berlin", "2021-11-19", "2021-11-21", 3, "Europe/Berlin")
    assert [track["slug"] for track in conference["tracks"]] == [
        "competition",
        "retrospective-evacuation-on-screen",
        "shorts-debuts",
    ]


@pytest.mark.parametrize(
    ("slug", "expected"),
    [("wiesbaden-2021", "wiesbaden_2021"), ("k1", "k1__"), ("berlinale", "berlinale")],
    ids=["hyphen", "short", "plain"],
)
def test_acronym_from_the_slug(slug, expected):
    assert acronym(slug) == expected


def test_xml_and_json_carry_the_same_events():
    programme = festival_programme()
    root = etree.fromstring(render_schedule_xml(programme, base_url=BASE))
    from_xml = sorted(
        (
            int(e.get("id")),
            e.get("guid"),
            e.findtext("date"),
            e.findtext("duration"),
            e.findtext("room"),
            e.findtext("title"),
            [p.text for p in e.iter("person")],
        )
        for e in root.iter("event")
    )
    from_json = sorted(
        (e["id"], e["guid"], e["date"], e["duration"], e["room"], e["title"], [p["name"] for p in e["persons"]])
        for e in events_of(schedule_document(programme, base_url=BASE))
    )
    assert from_xml == from_json
    assert root.findtext("conference/acronym") == "kinofest_2021"
    assert [day.get("start") for day in root.iter("day")][0] == "2021-11-19T06:00:00+01:00"


def read_with_c3voc(path: Path) -> dict:
    if not C3VOC_PYTHON.exists():
        pytest.skip(f"needs c3voc-schedule-tools at {C3VOC_PYTHON} (make validators)")
    script = Path(__file__).resolve().parent / "read_with_c3voc.py"
    result = subprocess.run(
        [str(C3VOC_PYTHON), str(script), str(path)], capture_output=True, text=True, timeout=120, cwd=path.parent
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "make",
    [festival_programme, late_night_festival, lambda: realistic_programme(400, 20, 9)],
    ids=["sample", "late_night", "generated_400"],
)
def test_c3voc_schedule_tools_reads_every_event_as_the_version_has_it(make, tmp_path, xsd):
    programme = make()
    path = tmp_path / "schedule.json"
    path.write_bytes(render_schedule_json(programme, base_url=BASE))
    read = read_with_c3voc(path)
    confirmed = [s for s in programme.screenings if s.status == "confirmed"]
    venues = {venue.id: venue.name for venue in programme.venues}
    assert (read["acronym"], read["title"], read["version"]) == (
        acronym(programme.festival.slug),
        programme.festival.name,
        str(programme.version),
    )
    assert read["rooms"] == [venue.name for venue in programme.venues]
    # the library's Event.duration reads "01:47" as minutes and seconds, so compare the text it holds
    assert sorted(
        (e["id"], e["guid"], datetime.fromisoformat(e["start"]), e["duration"], e["room"], e["persons"])
        for e in read["events"]
    ) == sorted(
        (
            s.id,
            screening_guid(s.id),
            s.starts_at,
            f"{s.runtime_minutes // 60:02d}:{s.runtime_minutes % 60:02d}",
            venues[s.venue_id],
            list(s.guests),
        )
        for s in confirmed
    )
    # and the library's own conversion of our JSON to XML passes the XSD too
    assert xsd.validate(etree.fromstring(read["xml"].split("\n", 1)[1].encode())), str(xsd.error_log)
