"""The feed's event writer works out what events share once per render (a venue's LOCATION, a set
of films' DESCRIPTION block, escaped apart from the rest) and formats times without strftime: its
events are byte for byte what writing each event line by line, as the plain rules say, gives."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.calendar import feed, render_calendar, screening_uid
from app.calendar.contentline import compact, escape_text, fold, utc_stamp
from app.calendar.description import screening_description
from app.calendar.feed import EVENT_STATUS, feed_screenings, main_film
from app.scheduling.fields import ScreeningStatus
from app.scheduling.programme import Programme, ScreeningInfo, screening_title
from app.scheduling.times import is_repeated
from tests.builders import ProgrammeBuilder, _wiesbaden

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain_escape(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def plain_time(name: str, value: datetime, zone) -> str:
    local = value.astimezone(zone)
    if is_repeated(local):
        return f"{name}:{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return f"{name};TZID={zone.key}:{local:%Y%m%dT%H%M%S}"


def plain_event(programme: Programme, screening: ScreeningInfo, base_url: str) -> bytes:
    """One event, line by line (with its DTSTAMP), as the feed wrote each before."""
    festival = programme.festival
    films = [programme.films_by_id[i] for i in screening.film_ids if i in programme.films_by_id]
    venue = programme.venues_by_id.get(screening.venue_id)
    cancelled = screening.status == ScreeningStatus.CANCELLED
    lines = [
        "BEGIN:VEVENT",
        f"UID:{screening_uid(screening.id, festival.calendar_slug)}",
        f"DTSTAMP:{programme.published_at.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        plain_time("DTSTART", screening.starts_at, festival.zone),
        plain_time("DTEND", screening.ends_at, festival.zone),
        f"SUMMARY:{plain_escape(('Cancelled: ' if cancelled else '') + screening_title(screening.title, [f.title for f in films]))}",  # noqa: E501
    ]
    if venue is not None:
        location = ", ".join(part for part in (venue.name, venue.address) if part)
        if location:
            lines.append(f"LOCATION:{plain_escape(location)}")
        if venue.latitude is not None and venue.longitude is not None:
            lat, lon = (f"{v:.6f}".rstrip("0").rstrip(".") for v in (venue.latitude, venue.longitude))
            lines.append(f"GEO:{lat};{lon}")
    lines.append(f"DESCRIPTION:{plain_escape(screening_description(screening, films, venue, festival))}")
    sections = dict.fromkeys(film.section for film in films if film.section)
    if sections:
        lines.append("CATEGORIES:" + ",".join(plain_escape(section) for section in sections))
    film = main_film(films)
    if film is not None:
        lines.append(f"URL:{base_url}/festivals/{festival.slug}/films/{film.id}")
    modified = screening.last_modified_at or programme.published_at
    lines += [
        f"SEQUENCE:{screening.sequence}",
        f"LAST-MODIFIED:{modified.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"STATUS:{EVENT_STATUS[screening.status]}",
        f"TRANSP:{'TRANSPARENT' if cancelled else 'OPAQUE'}",
        "END:VEVENT",
    ]
    return b"".join(fold(line) + b"\r\n" for line in lines)


def events_of(feed: bytes) -> bytes:
    return feed[feed.index(b"BEGIN:VEVENT") : feed.rindex(b"END:VCALENDAR")] if b"BEGIN:VEVENT" in feed else b""


def assert_written_as_plain(programme: Programme, base_url: str = "https://festival.example") -> None:
    expected = b"".join(plain_event(programme, s, base_url) for s in feed_screenings(programme))
    assert events_of(render_calendar(programme, base_url=base_url)) == expected


def awkward() -> ProgrammeBuilder:
    """Text every piece of a DESCRIPTION can end or begin with, long lines, shared films."""
    b = _wiesbaden()
    b.venue(id=9, name="Kino «Ост», Saal 1; oben", address="", latitude=0.0, longitude=-0.5)
    b.venue(id=10, name="", address="")
    b.film(id=20, title="Ends in a CR\r", languages=("German\r",), runtime_minutes=80, section="A; B, C\\")
    b.film(id=21, title="Tab\tand\x07bell " + "long " * 30, synopsis="\r\nstarts with a break\r", runtime_minutes=80)
    b.film(id=22, title="Ü" * 80, original_title="\\" * 75, runtime_minutes=81, section="Ü" * 40)
    starts = datetime(2021, 7, 20, 18, 0)
    for i, (films, fields) in enumerate(
        [
            ((20,), {"notes": "   "}),
            ((20,), {"ticket_url": "https://t.example/\r", "notes": "\rnotes\r"}),
            ((21, 20), {"guests": ("A, B", "C;D"), "qa_minutes": 10, "venue_id": 9}),
            ((21, 20), {"status": "cancelled", "venue_id": 9, "title": "Own title\r"}),
            ((22,), {"accessibility": ("subtitled", "relaxed"), "venue_id": 10, "intro_minutes": 5}),
            ((), {"title": "No films at all", "venue_id": 99}),
            # the SUMMARY and DESCRIPTION start kept per set of films, and the ways past them
            ((22,), {"status": "cancelled"}),
            ((22,), {"title": "Own; title, here"}),
            ((20,), {"status": "cancelled", "notes": "n"}),
            ((21,), {"status": "cancelled", "title": "x" * 80}),
            ((), {"status": "cancelled", "venue_id": 9}),
            ((22,), {"notes": "x" * 300, "sequence": 10**70}),
        ]
    ):
        b.screening(starts + timedelta(hours=3 * i), films, id=500 + i, **fields)
    b.screenings[-1] = b.screenings[-1].model_copy(update={"film_ids": (22, 99)})  # a film the version lacks
    return b


def test_the_wiesbaden_programme_is_written_as_plainly():
    assert_written_as_plain(_wiesbaden().build())


def test_awkward_text_is_written_as_plainly():
    assert_written_as_plain(awkward().build())


def test_a_long_slug_folds_the_uid_and_a_long_base_url_the_url():
    b = awkward()
    b.festival = b.festival.model_copy(update={"slug": "s" * 90})
    assert_written_as_plain(b.build(), base_url="https://" + "x" * 80 + ".example")


@pytest.mark.parametrize("zone", ["America/Argentina/ComodRivadavia", "Asia/Kolkata", "UTC", "America/St_Johns"])
def test_other_zones_are_written_as_plainly(zone):
    b = ProgrammeBuilder(timezone=zone, starts_on=datetime(2021, 10, 1).date(), ends_on=datetime(2021, 11, 30).date())
    b.venue(name="Hall")
    b.film(title="A film")
    for day in range(0, 60, 3):
        b.screening(datetime(2021, 10, 1, 0, 30) + timedelta(days=day, hours=day % 24), (1,))
    assert_written_as_plain(b.build())


def test_the_writers_short_cuts_for_short_lines_change_no_byte(monkeypatch):
    """No zone name is long enough to fold DTSTART (46 letters): the writer's short cuts for
    short lines, taken away, leave the same bytes."""
    monkeypatch.setattr(feed, "LINE_OCTETS", 20)
    assert_written_as_plain(awkward().build())


def test_a_version_read_back_from_json_is_written_as_plainly():
    programme = awkward().build(published_at=datetime(2021, 6, 1, 11, 30, tzinfo=timezone(timedelta(hours=2))))
    assert_written_as_plain(Programme.model_validate(programme.model_dump(mode="json")))


def test_escape_text_is_the_plain_escape():
    rng = random.Random(14)
    alphabet = "ab ,;\\\r\n\t\x00\x07\x1f\x7f\x85\xa0é€😀"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert escape_text(text) == plain_escape(text), repr(text)


def test_compact_and_utc_stamp_are_strftimes():
    rng = random.Random(14)
    zones = [UTC, timezone(timedelta(hours=-3, minutes=-30)), ProgrammeBuilder().festival.zone]
    for _ in range(2000):
        moment = datetime(1, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(10**11), microseconds=rng.randrange(2))
        local = moment.astimezone(rng.choice(zones))
        assert compact(local) == local.strftime("%Y%m%dT%H%M%S")
        assert utc_stamp(local) == moment.strftime("%Y%m%dT%H%M%SZ")
