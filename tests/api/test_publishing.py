"""Publishing and feeds over HTTP: what subscribers see, parsed by calendar libraries we did not write."""

from datetime import UTC, datetime

import icalendar
import pytest
import vobject

from tests.builders import screening_body


@pytest.fixture
def programme(api):
    api.festival()
    caligari = api.venue()
    murnau = api.venue(name="Murnau-Filmtheater", address="Murnaustraße 6, 65189 Wiesbaden")
    short = api.film(title="The Last Barge", original_title=None, runtime_minutes=15)
    feature = api.film(section="Competition")
    cranes = api.film(
        title="The Cranes Are Flying",
        original_title="Летят журавли",
        runtime_minutes=97,
        section="Retrospective: Evacuation on Screen",
    )
    return api, caligari, murnau, short, feature, cranes


def publish(api, expect=201) -> dict:
    return api.post(f"/api/festivals/{api.slug}/publish", {}, expect=expect)


def feed(api, path="calendar.ics", **headers):
    return api.client.get(f"/festivals/{api.slug}/{path}", headers=headers)


def events(body: bytes) -> dict[str, icalendar.Event]:
    """The feed's events by summary, as icalendar reads them; vobject must read the same events."""
    calendar = icalendar.Calendar.from_ical(body)
    found = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    independent = vobject.readOne(body.decode())
    assert sorted(
        (e.summary.value, e.uid.value, utc(e.dtstart.value), utc(e.dtend.value))
        for e in getattr(independent, "vevent_list", [])
    ) == sorted((summary, str(e["UID"]), utc(e["DTSTART"].dt), utc(e["DTEND"].dt)) for summary, e in found.items())
    return found


def utc(value) -> datetime:
    return value.astimezone(UTC)


def test_before_the_first_publish_a_feed_is_a_valid_empty_calendar(programme):
    api = programme[0]
    api.screening(programme[1]["id"], [programme[4]["id"]], status="confirmed")
    response = feed(api)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert list(vobject.readComponents(response.text))[0].name == "VCALENDAR"


def test_feed_shows_the_published_programme_in_absolute_time(programme):
    api, caligari, murnau, short, feature, cranes = programme
    api.screening(
        caligari["id"],
        [short["id"], feature["id"]],
        "2021-11-19T22:00",
        status="confirmed",
        guests=["Andrei Konchalovsky"],
        qa_minutes=20,
    )
    api.screening(murnau["id"], [cranes["id"]], "2021-10-30T23:30", status="confirmed")  # across DST
    api.screening(murnau["id"], [feature["id"]], "2021-11-20T18:00")  # a draft
    publish(api)
    response = feed(api)
    found = events(response.content)
    assert sorted(found) == ["The Cranes Are Flying", "The Last Barge + Dear Comrades!"]
    seed = found["The Last Barge + Dear Comrades!"]
    assert utc(seed["DTSTART"].dt) == datetime(2021, 11, 19, 21, 0, tzinfo=UTC)
    assert utc(seed["DTEND"].dt) == datetime(2021, 11, 19, 23, 35, tzinfo=UTC)  # 00:35 local, next day
    assert "Marktplatz 9" in str(seed["LOCATION"])
    assert "Andrei Konchalovsky" in str(seed["DESCRIPTION"])
    cranes_event = found["The Cranes Are Flying"]
    # 23:30 CEST is 21:30 UTC; 97 minutes later is 23:07 UTC (00:07 CET after the clocks went back)
    assert (utc(cranes_event["DTSTART"].dt), utc(cranes_event["DTEND"].dt)) == (
        datetime(2021, 10, 30, 21, 30, tzinfo=UTC),
        datetime(2021, 10, 30, 23, 7, tzinfo=UTC),
    )
    parsed = {e.summary.value: e for e in vobject.readOne(response.text).vevent_list}
    assert utc(parsed["The Cranes Are Flying"].dtstart.value) == datetime(2021, 10, 30, 21, 30, tzinfo=UTC)
    assert utc(parsed["The Last Barge + Dear Comrades!"].dtend.value) == datetime(2021, 11, 19, 23, 35, tzinfo=UTC)


def test_a_moved_screening_keeps_its_uid_and_raises_sequence_others_keep_theirs(programme):
    api, caligari, murnau, _, feature, cranes = programme
    moved = api.screening(caligari["id"], [feature["id"]], "2021-11-19T18:00", status="confirmed")
    api.screening(murnau["id"], [cranes["id"]], "2021-11-19T18:00", status="confirmed")
    publish(api)
    first = events(feed(api).content)
    response = api.client.patch(
        f"/api/festivals/{api.slug}/screenings/{moved['id']}",
        json={"venue_id": murnau["id"], "starts_at": "2021-11-20T20:30"},
        headers=api.headers,
    )
    assert response.status_code == 200, response.text
    version = publish(api)
    assert sorted((e["kind"], e["screening_id"]) for e in version["changelog"]) == [
        ("moved", moved["id"]),
        ("retimed", moved["id"]),
    ]
    second = events(feed(api).content)
    assert second["Dear Comrades!"]["UID"] == first["Dear Comrades!"]["UID"]
    assert (first["Dear Comrades!"]["SEQUENCE"], second["Dear Comrades!"]["SEQUENCE"]) == (0, 1)
    assert second["The Cranes Are Flying"]["SEQUENCE"] == 0


def test_cancelled_and_deleted_screenings_stay_in_the_feed_as_cancelled(programme):
    api, caligari, murnau, _, feature, cranes = programme
    cancelled = api.screening(caligari["id"], [feature["id"]], "2021-11-19T18:00", status="confirmed")
    deleted = api.screening(murnau["id"], [cranes["id"]], "2021-11-19T18:00", status="confirmed")
    api.screening(murnau["id"], [cranes["id"]], "2021-11-21T18:00", status="cancelled")  # never published
    publish(api)
    base = f"/api/festivals/{api.slug}/screenings"
    api.client.patch(f"{base}/{cancelled['id']}", json={"status": "cancelled"}, headers=api.headers)
    api.client.delete(f"{base}/{deleted['id']}", headers=api.headers)
    version = publish(api)
    assert sorted(e["kind"] for e in version["changelog"]) == ["cancelled", "cancelled"]
    calendar = icalendar.Calendar.from_ical(feed(api).content)
    statuses = sorted((str(e["SUMMARY"]), str(e["STATUS"])) for e in calendar.walk("VEVENT"))
    assert statuses == [("Cancelled: Dear Comrades!", "CANCELLED"), ("Cancelled: The Cranes Are Flying", "CANCELLED")]


def test_publishing_nothing_new_makes_no_version(programme):
    api, caligari, _, _, feature, _ = programme
    api.screening(caligari["id"], [feature["id"]], status="confirmed")
    assert publish(api)["number"] == 1
    again = publish(api, expect=200)
    assert again["number"] == 1
    assert api.client.get(f"/api/festivals/{api.slug}/versions").json()["total"] == 1


def test_feed_http_caching_etag_last_modified_304_head(programme):
    api, caligari, _, _, feature, _ = programme
    api.screening(caligari["id"], [feature["id"]], status="confirmed")
    publish(api)
    first, second = feed(api), feed(api)
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    assert feed(api, **{"If-None-Match": first.headers["etag"]}).status_code == 304
    assert feed(api, **{"If-Modified-Since": first.headers["last-modified"]}).status_code == 304
    assert feed(api, **{"If-None-Match": '"something-else"'}).status_code == 200
    head = api.client.head(f"/festivals/{api.slug}/calendar.ics")
    assert (head.status_code, head.headers["etag"], head.content) == (200, first.headers["etag"], b"")
    # a new version changes the ETag and never moves Last-Modified backwards
    api.screening(caligari["id"], [feature["id"]], "2021-11-20T12:00", status="confirmed")
    publish(api)
    third = feed(api, **{"If-None-Match": first.headers["etag"]})
    assert third.status_code == 200
    from email.utils import parsedate_to_datetime

    assert parsedate_to_datetime(third.headers["last-modified"]) > parsedate_to_datetime(first.headers["last-modified"])


def test_narrow_feeds_hold_only_their_screenings(programme):
    api, caligari, murnau, short, feature, cranes = programme
    api.screening(caligari["id"], [short["id"], feature["id"]], "2021-11-19T22:00", status="confirmed")
    api.screening(murnau["id"], [cranes["id"]], "2021-11-19T18:00", status="confirmed")
    publish(api)

    def summaries(path):
        response = feed(api, path)
        assert response.status_code == 200, response.text
        return sorted(events(response.content))

    assert summaries(f"venues/{murnau['id']}/calendar.ics") == ["The Cranes Are Flying"]
    assert summaries(f"films/{short['id']}/calendar.ics") == ["The Last Barge + Dear Comrades!"]
    assert summaries("sections/retrospective-evacuation-on-screen/calendar.ics") == ["The Cranes Are Flying"]
    assert feed(api, "sections/no-such-section/calendar.ics").status_code == 404
    assert feed(api, "venues/999/calendar.ics").status_code == 404


def test_versions_are_public_and_carry_the_changelog(programme):
    api, caligari, _, _, feature, _ = programme
    api.screening(caligari["id"], [feature["id"]], status="confirmed")
    publish(api)
    listed = api.client.get(f"/api/festivals/{api.slug}/versions").json()
    assert listed["items"][0]["changes"] == {"added": 1, "moved": 0, "retimed": 0, "cancelled": 0}
    detail = api.client.get(f"/api/festivals/{api.slug}/versions/1").json()
    assert [s["status"] for s in detail["programme"]["screenings"]] == ["confirmed"]
    assert api.client.get(f"/api/festivals/{api.slug}/versions/7").status_code == 404


def test_only_programmers_publish(programme):
    api = programme[0]
    assert api.client.post(f"/api/festivals/{api.slug}/publish").status_code == 401
    body = screening_body(programme[1]["id"], [programme[4]["id"]])
    assert api.client.post(f"/api/festivals/{api.slug}/screenings", json=body).status_code == 401


def stored_feed(api, number: int) -> bytes | None:
    from sqlalchemy import select

    from app.store.db import unit_of_work
    from app.store.models import Festival, PublishedVersion

    with unit_of_work(write=False) as session:
        return session.execute(
            select(PublishedVersion.calendar_ics)
            .join(Festival, Festival.id == PublishedVersion.festival_id)
            .where(Festival.slug == api.slug, PublishedVersion.number == number)
        ).scalar_one()


def forget_rendered_feeds() -> None:
    """What a freshly started server process holds: nothing rendered, no version read."""
    from app.services.feeds import EVENTS
    from app.store.publishing import _programmes
    from app.web.feeds import _feeds

    for cache in (EVENTS, _programmes, _feeds):
        cache.clear()


def test_the_feed_is_stored_once_a_version_is_published_as_a_fresh_render_makes_it(programme):
    """Publishing renders the feed after its transaction, from the events rendered before; the
    bytes stored and served are those a process that had rendered nothing would make."""
    from app.calendar import render_calendar
    from app.scheduling.programme import Programme
    from app.settings import get_settings

    api, caligari, murnau, short, feature, cranes = programme
    moved = api.screening(caligari["id"], [short["id"], feature["id"]], "2021-11-19T22:00", status="confirmed")
    api.screening(murnau["id"], [cranes["id"]], "2021-10-31T02:30", status="confirmed")  # the first 02:30
    publish(api)
    api.client.patch(
        f"/api/festivals/{api.slug}/screenings/{moved['id']}",
        json={"starts_at": "2021-11-19T22:30"},
        headers=api.headers,
    ).raise_for_status()
    version = publish(api)
    served = feed(api).content
    assert stored_feed(api, 2) == served
    assert served == render_calendar(Programme.model_validate(version["programme"]), base_url=get_settings().base_url)
    forget_rendered_feeds()
    assert feed(api).content == served


def test_a_version_whose_feed_was_never_stored_serves_the_same_feed(programme, monkeypatch):
    """If rendering after the commit fails (or the process stops there), the version stands and
    the first poll renders its feed: the same bytes, the same ETag."""
    import app.services.publishing as publishing

    api, caligari, _, _, feature, _ = programme
    api.screening(caligari["id"], [feature["id"]], "2021-11-19T18:00", status="confirmed")
    publish(api)
    expected = feed(api)

    api.screening(caligari["id"], [feature["id"]], "2021-11-20T18:00", status="confirmed")

    def broken(*args, **kwargs):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(publishing, "render_feed", broken)
    assert publish(api)["number"] == 2
    assert stored_feed(api, 2) is None
    monkeypatch.undo()
    second = feed(api)
    assert second.status_code == 200
    assert second.headers["etag"] != expected.headers["etag"]
    assert len(icalendar.Calendar.from_ical(second.content).walk("VEVENT")) == 2
    forget_rendered_feeds()
    again = feed(api)
    assert (again.content, again.headers["etag"]) == (second.content, second.headers["etag"])
