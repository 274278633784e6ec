"""render_calendar: a published programme as an iCalendar feed (DESIGN.md, "Feeds").

Every feed is read back by two independent parsers, icalendar (which resolves a TZID through
the tz database) and vobject (which resolves it through the feed's own VTIMEZONE), and where
Debian's libical is installed, by libical too.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import vobject

from app.calendar import (
    render_calendar,
    screening_uid,
    screenings_at_venue,
    screenings_in_section,
    screenings_of_film,
)
from app.calendar.contentline import escape_text, fold
from app.scheduling.programme import Programme, section_slug


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def uid(screening_id: int) -> str:
    return f"screening-{screening_id}@wfd-2021.marquee"


# The Wiesbaden programme (conftest.py) in absolute time, worked out by hand.
EXPECTED_INSTANTS = {
    # summer: 20:00 CEST, 77 min
    uid(1): (utc("2021-07-10 18:00"), utc("2021-07-10 19:17")),
    # winter: 19:00 CET, 77 min
    uid(2): (utc("2021-11-19 18:00"), utc("2021-11-19 19:17")),
    # 22:00 CET, a 12-minute short then a 120-minute feature: ends 00:12 the next day
    uid(3): (utc("2021-11-20 21:00"), utc("2021-11-20 23:12")),
    # 23:30 CEST on 30 October, 4 hours: ends at the second 02:30, in CET
    uid(4): (utc("2021-10-30 21:30"), utc("2021-10-31 01:30")),
    # cancelled: 21:30 CET, 120 min
    uid(5): (utc("2021-11-19 20:30"), utc("2021-11-19 22:30")),
    # intro 10 + 120 + Q&A 30
    uid(6): (utc("2021-11-20 17:00"), utc("2021-11-20 19:40")),
}


def instants_by_icalendar(feed: bytes) -> dict[str, tuple[datetime, datetime]]:
    cal = icalendar.Calendar.from_ical(feed)
    return {str(event["UID"]): (event.start.astimezone(UTC), event.end.astimezone(UTC)) for event in cal.events}


def instants_by_vobject(feed: bytes) -> dict[str, tuple[datetime, datetime]]:
    cal = vobject.readOne(feed.decode("utf-8"), validate=True)
    return {
        event.uid.value: (
            event.dtstart.value.astimezone(UTC),
            event.dtend.value.astimezone(UTC),
        )
        for event in cal.contents.get("vevent", [])
    }


def unfolded(feed: bytes) -> list[str]:
    return feed.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def event_of(feed: bytes, screening_id: int) -> icalendar.Event:
    (event,) = [e for e in icalendar.Calendar.from_ical(feed).events if e["UID"] == uid(screening_id)]
    return event


# ---- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize("parse", [instants_by_icalendar, instants_by_vobject], ids=["icalendar", "vobject"])
def test_every_screening_starts_and_ends_at_the_right_instant(wiesbaden, parse):
    assert parse(render_calendar(wiesbaden)) == EXPECTED_INSTANTS


def test_times_are_written_in_the_festival_zone(wiesbaden):
    lines = unfolded(render_calendar(wiesbaden))
    assert "DTSTART;TZID=Europe/Berlin:20210710T200000" in lines
    assert "DTEND;TZID=Europe/Berlin:20210710T211700" in lines
    assert "DTSTART;TZID=Europe/Berlin:20211119T190000" in lines
    assert "DTEND;TZID=Europe/Berlin:20211121T001200" in lines


def test_an_end_in_the_repeated_hour_of_the_dst_night_is_written_in_utc(wiesbaden):
    """02:30 on 31 October 2021 happens twice in Berlin; RFC 5545 would read the first."""
    lines = unfolded(render_calendar(wiesbaden))
    assert "DTSTART;TZID=Europe/Berlin:20211030T233000" in lines
    assert "DTEND:20211031T013000Z" in lines


def test_a_start_in_the_repeated_hour_is_written_in_utc(programme_builder):
    b = programme_builder()
    b.film(id=1, runtime_minutes=60)
    second_0230 = datetime(2021, 10, 31, 2, 30, fold=1, tzinfo=b.festival.zone)
    b.screening(second_0230, (1,), id=1)
    feed = render_calendar(b.build())
    assert "DTSTART:20211031T013000Z" in unfolded(feed)
    assert instants_by_vobject(feed)[uid(1)][0] == utc("2021-10-31 01:30")


# ---- the calendar --------------------------------------------------------------------------


def test_calendar_carries_the_properties_subscribers_rely_on(wiesbaden):
    lines = unfolded(render_calendar(wiesbaden))
    calendar_lines = lines[: lines.index("BEGIN:VTIMEZONE")]
    assert calendar_lines == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Marquee//Festival programme//EN",
        "CALSCALE:GREGORIAN",
        "DESCRIPTION:Wiesbaden Film Days 2021 in Wiesbaden\\, 2021-07-08 to 2021-11-21. "
        "Published programme\\, version 1.",
        "X-WR-CALDESC:Wiesbaden Film Days 2021 in Wiesbaden\\, 2021-07-08 to 2021-11-21. "
        "Published programme\\, version 1.",
        "NAME:Wiesbaden Film Days 2021",
        "X-WR-CALNAME:Wiesbaden Film Days 2021",
        "LAST-MODIFIED:20210601T093000Z",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "URL:http://127.0.0.1:8000/festivals/wfd-2021",
        "X-PUBLISHED-TTL:PT1H",
        "X-WR-TIMEZONE:Europe/Berlin",
    ]
    assert not [line for line in lines if line.startswith("METHOD")]


def test_a_narrow_feed_is_named_by_its_caller_with_commas_escaped(wiesbaden):
    name = "Wiesbaden Film Days 2021 — Caligari FilmBühne, Marktplatz; Saal 1"
    feed = render_calendar(wiesbaden, name=name)
    lines = unfolded(feed)
    assert f"NAME:{escape_text(name)}" in lines
    assert f"X-WR-CALNAME:{escape_text(name)}" in lines
    # (icalendar 7 reads NAME and X-WR-* as UNKNOWN and leaves their escapes in: ask vobject)
    cal = vobject.readOne(feed.decode())
    assert (cal.contents["name"][0].value, cal.x_wr_calname.value) == (name, name)


def test_vtimezone_is_rule_based_for_berlin(wiesbaden):
    lines = unfolded(render_calendar(wiesbaden))
    vtimezone = lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE") + 1]
    assert vtimezone == [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def test_a_zone_without_daylight_saving_gets_a_single_standard_part(programme_builder):
    b = programme_builder(timezone="Asia/Tokyo")
    b.film(id=1, runtime_minutes=100)
    b.screening(datetime(2021, 7, 10, 20, 0), (1,), id=1)
    b.screening(datetime(2021, 11, 19, 19, 0), (1,), id=2)
    feed = render_calendar(b.build())
    lines = unfolded(feed)
    vtimezone = lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE") + 1]
    assert vtimezone == [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Tokyo",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZNAME:JST",
        "TZOFFSETFROM:+0900",
        "TZOFFSETTO:+0900",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    assert "X-WR-TIMEZONE:Asia/Tokyo" in lines
    expected = {
        uid(1): (utc("2021-07-10 11:00"), utc("2021-07-10 12:40")),
        uid(2): (utc("2021-11-19 10:00"), utc("2021-11-19 11:40")),
    }
    assert instants_by_vobject(feed) == expected
    assert instants_by_icalendar(feed) == expected


def test_feed_before_the_first_publish_is_a_valid_empty_calendar(wiesbaden_builder):
    unpublished = wiesbaden_builder.build(version=0, published_at=None)
    feed = render_calendar(unpublished)
    lines = unfolded(feed)
    assert "BEGIN:VEVENT" not in lines
    assert not [line for line in lines if line.startswith(("DTSTAMP", "LAST-MODIFIED"))]
    assert "TZID:Europe/Berlin" in lines
    assert "DESCRIPTION:Wiesbaden Film Days 2021 in Wiesbaden\\, 2021-07-08 to 2021-11-21. The " \
        "programme has not been published yet." in lines  # fmt: skip
    assert icalendar.Calendar.from_ical(feed).events == []
    parsed = vobject.readOne(feed.decode(), validate=True)
    assert parsed.contents.get("vevent", []) == []
    assert render_calendar(unpublished) == feed


# ---- events --------------------------------------------------------------------------------


def test_drafts_never_reach_a_feed(wiesbaden):
    uids = set(instants_by_icalendar(render_calendar(wiesbaden)))
    assert uid(7) not in uids
    assert uids == set(EXPECTED_INSTANTS)


def test_events_are_ordered_by_start_then_id(wiesbaden):
    feed = render_calendar(wiesbaden)
    order = [line for line in unfolded(feed) if line.startswith("UID:")]
    assert order == [f"UID:{uid(i)}" for i in (1, 4, 2, 5, 6, 3)]


def test_dtstamp_is_the_publication_time_and_last_modified_falls_back_to_it(wiesbaden):
    feed = render_calendar(wiesbaden)
    for event in icalendar.Calendar.from_ical(feed).events:
        assert event["DTSTAMP"].dt == datetime(2021, 6, 1, 9, 30, tzinfo=UTC)
        assert event["LAST-MODIFIED"].dt == datetime(2021, 6, 1, 9, 30, tzinfo=UTC)


def test_last_modified_is_the_screenings_own_when_it_has_one(wiesbaden_builder):
    b = wiesbaden_builder
    changed_at = datetime(2021, 9, 2, 12, 0, tzinfo=UTC)
    b.screening(datetime(2021, 11, 21, 11, 0), (1,), id=8, sequence=1, last_modified_at=changed_at)
    event = event_of(render_calendar(b.build(version=2, published_at=changed_at)), 8)
    assert event["LAST-MODIFIED"].dt == changed_at
    assert event["SEQUENCE"] == 1


def test_uid_is_stable_when_a_screening_moves_and_sequence_is_carried(wiesbaden):
    before = event_of(render_calendar(wiesbaden), 2)
    moved = wiesbaden.screenings[1].model_copy(
        update={
            "venue_id": 2,
            "starts_at": wiesbaden.screenings[1].starts_at + timedelta(hours=2),
            "ends_at": wiesbaden.screenings[1].ends_at + timedelta(hours=2),
            "sequence": 1,
        }
    )
    republished = wiesbaden.model_copy(
        update={
            "screenings": (wiesbaden.screenings[0], moved, *wiesbaden.screenings[2:]),
            "version": 2,
            "published_at": datetime(2021, 9, 1, 8, 0, tzinfo=UTC),
        }
    )
    after = event_of(render_calendar(republished), 2)
    assert (before["UID"], before["SEQUENCE"]) == (uid(2), 0)
    assert (after["UID"], after["SEQUENCE"]) == (uid(2), 1)
    assert after.start == before.start + timedelta(hours=2)
    assert str(after["LOCATION"]) == "Open Air; Kulturpark, Schlachthof, Murnaustraße 1"


def test_screening_uid_names_only_the_screening_and_festival():
    assert screening_uid(42, "wfd-2021") == "screening-42@wfd-2021.marquee"


def test_cancelled_screening_stays_cancelled_with_the_word_in_its_summary(wiesbaden):
    event = event_of(render_calendar(wiesbaden), 5)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Cancelled: Wings of Desire"
    assert event["SEQUENCE"] == 2
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["DESCRIPTION"]).startswith("Cancelled: this screening will not take place.")


def test_confirmed_screening_is_confirmed_and_opaque(wiesbaden):
    event = event_of(render_calendar(wiesbaden), 2)
    assert (str(event["STATUS"]), str(event["TRANSP"])) == ("CONFIRMED", "OPAQUE")
    assert str(event["SUMMARY"]) == "The Cabinet of Dr. Caligari"


def test_location_and_geo_come_from_the_venue(wiesbaden):
    feed = render_calendar(wiesbaden)
    event = event_of(feed, 2)
    assert str(event["LOCATION"]) == "Caligari FilmBühne, Marktplatz 9, 65183 Wiesbaden"
    assert "GEO:50.0826;8.2432" in unfolded(feed)
    assert (event["GEO"].latitude, event["GEO"].longitude) == (50.0826, 8.2432)
    assert "GEO" not in event_of(feed, 1)  # the open-air venue has no coordinates


def test_short_and_feature_are_described_in_running_order(wiesbaden):
    event = event_of(render_calendar(wiesbaden), 3)
    assert str(event["SUMMARY"]) == "Kurz, und gut + Wings of Desire"
    description = str(event["DESCRIPTION"])
    assert description.startswith(
        "2 films, in this order: Kurz, und gut (12 min), then Wings of Desire (120 min).\n\n"
        "Kurz, und gut\n"
        "by Anna Ames, Bo Berg and Cem Cakir, Germany, Turkey 2021, 12 min\n"
        "World premiere\n\n"
        "Wings of Desire (Der Himmel über Berlin)\n"
        "by Wim Wenders, West Germany, France 1987, 120 min\n"
        "German, English, French with English subtitles\n"
        "Wiesbaden premiere\n\n"
    )
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Shorts", "Panorama"]


def test_description_tells_intro_qa_guests_accessibility_and_tickets(wiesbaden):
    description = str(event_of(render_calendar(wiesbaden), 6)["DESCRIPTION"])
    assert description.endswith(
        "Introduction: 10 min before the film\n"
        "Q&A with Wim Wenders and Solveig Dommartin: 30 min after the film\n"
        "Running time 160 min, ends about 20:40\n"
        "Accessibility: subtitled, relaxed screening, step-free access to the venue\n"
        "Tickets: https://tickets.example.org/wfd/6"
    )


def test_url_points_at_the_longest_film_of_the_screening(wiesbaden):
    feed = render_calendar(wiesbaden, base_url="https://marquee.example.org/")
    assert str(event_of(feed, 3)["URL"]) == "https://marquee.example.org/festivals/wfd-2021/films/3"
    assert str(event_of(feed, 1)["URL"]) == "https://marquee.example.org/festivals/wfd-2021/films/1"


# ---- bytes ---------------------------------------------------------------------------------


def test_same_programme_gives_identical_bytes(wiesbaden):
    feed = render_calendar(wiesbaden)
    assert render_calendar(wiesbaden) == feed
    round_trip = Programme.model_validate_json(wiesbaden.model_dump_json())
    assert render_calendar(round_trip) == feed
    shuffled = list(wiesbaden.screenings)
    random.Random(7).shuffle(shuffled)
    assert render_calendar(wiesbaden.model_copy(update={"screenings": tuple(shuffled)})) == feed


def test_every_line_ends_with_crlf_and_is_at_most_75_octets(wiesbaden_builder):
    b = wiesbaden_builder
    b.film(
        id=9,
        title="Ein sehr langer Titel über Übergänge, Straßenbahnen; und Grüße — 日本語のタイトル",
        synopsis="Ärger \\ über Öfen, Übermut; " * 40,
        runtime_minutes=95,
    )
    b.screening(datetime(2021, 11, 21, 17, 0), (9,), id=9, notes="Notiz,\r\nmit Umbruch")
    feed = render_calendar(b.build())
    assert feed.endswith(b"\r\n")
    assert re.search(rb"(?<!\r)\n|\r(?!\n)", feed) is None
    physical = feed.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) <= 75
    for line in physical:
        line.decode("utf-8")  # no fold splits a UTF-8 sequence
    event = event_of(feed, 9)
    assert str(event["SUMMARY"]) == b.films[-1].title
    assert ("Ärger \\ über Öfen, Übermut; " * 40).strip() in str(event["DESCRIPTION"])
    assert str(event["DESCRIPTION"]).endswith("Notiz,\nmit Umbruch")


@pytest.mark.parametrize(
    "line",
    [
        "X" * 75,
        "X" * 76,
        "ü" * 80,
        "a" + "€" * 60,
        "DESCRIPTION:" + "\\;" * 60,
        "DESCRIPTION:" + "x" * 61 + "\\\\" * 20,
    ],
    ids=["exactly_75", "76", "two_octet_chars", "three_octet_chars", "escapes", "backslashes"],
)
def test_fold_keeps_lines_short_and_characters_whole(line):
    folded = fold(line)
    physical = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in physical)
    assert all(p.startswith(b" ") for p in physical[1:])
    assert all(not re.search(rb"(?<!\\)(\\\\)*\\$", p) for p in physical[:-1])
    assert b"".join([physical[0], *(p[1:] for p in physical[1:])]).decode() == line


def test_text_escaping_reads_back_unchanged():
    text = 'Back\\slash; semi, comma\nnew line "quoted" \\N not a newline'
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\nSUMMARY:{escape_text(text)}\r\nEND:VEVENT\r\n")
    assert str(event["SUMMARY"]) == text


# ---- narrower feeds ------------------------------------------------------------------------


def feed_uids(feed: bytes) -> list[str]:
    return sorted(str(e["UID"]) for e in icalendar.Calendar.from_ical(feed).events)


def test_venue_feed_holds_only_the_venues_screenings(wiesbaden):
    feed = render_calendar(
        wiesbaden,
        screenings=screenings_at_venue(wiesbaden, 2),
        name="Wiesbaden Film Days 2021 — Open Air; Kulturpark",
    )
    assert feed_uids(feed) == [uid(1)]


def test_film_feed_holds_every_screening_that_shows_the_film(wiesbaden):
    feed = render_calendar(wiesbaden, screenings=screenings_of_film(wiesbaden, 3))
    assert feed_uids(feed) == [uid(3), uid(5), uid(6)]


def test_section_feed_holds_screenings_with_any_film_in_the_section(wiesbaden):
    assert section_slug("Retrospective: Evacuation on Screen") == ("retrospective-evacuation-on-screen")
    retrospective = screenings_in_section(wiesbaden, "retrospective-evacuation-on-screen")
    assert feed_uids(render_calendar(wiesbaden, screenings=retrospective)) == [
        uid(1),
        uid(2),
        uid(4),
    ]
    shorts = screenings_in_section(wiesbaden, "shorts")
    assert feed_uids(render_calendar(wiesbaden, screenings=shorts)) == [uid(3)]
    assert screenings_in_section(wiesbaden, "no-such-section") == []


def test_plan_feed_holds_the_picked_screenings_once_each(wiesbaden):
    picks = [s for s in wiesbaden.screenings if s.id in (6, 2)]
    feed = render_calendar(wiesbaden, screenings=[*picks, picks[0]], name="My plan")
    assert feed_uids(feed) == [uid(2), uid(6)]
    assert instants_by_vobject(feed) == {k: EXPECTED_INSTANTS[k] for k in (uid(2), uid(6))}


def test_an_empty_narrow_feed_is_still_a_calendar(wiesbaden):
    feed = render_calendar(wiesbaden, screenings=[], name="Nothing here")
    assert icalendar.Calendar.from_ical(feed).events == []
    assert "TZID:Europe/Berlin" in unfolded(feed)


# ---- libical (Evolution, GNOME Calendar), through Debian's python3-gi ----------------------

SYSTEM_PYTHON = "/usr/bin/python3"
LIBICAL_READER = r"""
import json, sys
import gi
gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I

root = I.Component.new_from_string(sys.stdin.read())

def walk(comp):
    yield comp
    child = comp.get_first_component(I.ComponentKind.ANY_COMPONENT)
    while child is not None:
        yield from walk(child)
        child = comp.get_next_component(I.ComponentKind.ANY_COMPONENT)

def epoch(t):
    zone = t.get_timezone()
    return t.as_timet_with_zone(zone) if zone else t.as_timet()

errors, events = [], {}
for comp in walk(root):
    prop = comp.get_first_property(I.PropertyKind.ANY_PROPERTY)
    while prop is not None:
        if prop.get_property_name() == "X-LIC-ERROR":
            errors.append(prop.get_value_as_string())
        prop = comp.get_next_property(I.PropertyKind.ANY_PROPERTY)
    if comp.isa() == I.ComponentKind.VEVENT_COMPONENT:
        events[comp.get_uid()] = [epoch(comp.get_dtstart()), epoch(comp.get_dtend())]
print(json.dumps({"errors": errors, "events": events}))
"""


def libical_available() -> bool:
    try:
        probe = subprocess.run(
            [SYSTEM_PYTHON, "-c", 'import gi; gi.require_version("ICalGLib", "3.0")'],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


@pytest.mark.skipif(
    not libical_available(),
    reason=f"{SYSTEM_PYTHON} cannot import ICalGLib 3.0 (Debian: gir1.2-ical-3.0 python3-gi)",
)
def test_libical_reads_every_screening_at_the_right_instant(wiesbaden):
    result = subprocess.run(
        [SYSTEM_PYTHON, "-c", LIBICAL_READER],
        input=render_calendar(wiesbaden).decode("utf-8"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    read = json.loads(result.stdout)
    assert read["errors"] == []
    assert read["events"] == {
        key: [int(start.timestamp()), int(end.timestamp())] for key, (start, end) in EXPECTED_INSTANTS.items()
    }


def test_a_first_render_keeps_few_objects_for_the_garbage_collector():
    """Each container a render keeps counts towards a collection; at 5,000 screenings of a film
    each, three a screening made a render start a full collection now and then (tens of ms).
    Now at most one a set of films (a tuple of text, which the collector then leaves alone)."""
    import gc

    from bench.bench_peers import BASE_URL, _cold_calendar, conference_programme
    from bench.peers.conference import generate_conference

    programme = conference_programme(generate_conference(1_000))
    render_calendar(programme, base_url=BASE_URL)  # the programme's own lookups, built once
    _cold_calendar()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        before = gc.get_count()[0]
        feed = render_calendar(programme, base_url=BASE_URL)
        kept = gc.get_count()[0] - before
    finally:
        if was_enabled:
            gc.enable()
    assert feed.count(b"BEGIN:VEVENT") == 1_000
    assert kept < 1_000  # 1,364 before the change, 617 after
