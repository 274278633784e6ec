"""What other software reads over HTTP: schedule.json and schedule.xml, the spreadsheets, the booklet."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader

from app.exports.frab import screening_guid

DATA = Path(__file__).resolve().parents[1] / "exports" / "data"


@pytest.fixture
def published(api):
    api.festival()
    caligari = api.venue()
    murnau = api.venue(name="Murnau-Filmtheater", address="Murnaustraße 6, 65189 Wiesbaden", step_free=False)
    short = api.film(title="The Last Barge", original_title=None, runtime_minutes=15)
    feature = api.film(section="Panorama")
    cranes = api.film(title="The Cranes Are Flying", original_title="Летят журавли", runtime_minutes=97)
    api.seed = api.screening(
        caligari["id"],
        [short["id"], feature["id"]],
        "2021-11-19T22:00",
        status="confirmed",
        qa_minutes=20,
        guests=["Andrei Konchalovsky"],
    )["id"]
    api.screening(
        caligari["id"],
        [cranes["id"]],
        "2021-11-19T18:00",
        status="confirmed",
        notes='=HYPERLINK("http://evil.example")',
    )
    api.screening(murnau["id"], [cranes["id"]], "2021-11-21T00:30", status="confirmed")  # Saturday's late show
    api.screening(caligari["id"], [cranes["id"]], "2021-11-20T18:00")  # a draft: never exported
    api.post(f"/api/festivals/{api.slug}/publish", {})
    return api


def events_of(document: dict) -> list[dict]:
    return [
        event
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def test_schedule_json_is_valid_and_holds_the_latest_version(published):
    api = published
    response = api.client.get(f"/festivals/{api.slug}/schedule.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    document = response.json()
    schema = json.loads((DATA / "c3voc-schedule-schema.json").read_text("utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft6Validator, format_checker=jsonschema.FormatChecker())
    version = api.client.get(f"/api/festivals/{api.slug}/versions/1").json()["programme"]
    venues = {venue["id"]: venue["name"] for venue in version["venues"]}
    expected = sorted(
        (
            s["id"],
            screening_guid(s["id"]),
            datetime.fromisoformat(s["starts_at"]),
            f"{s['runtime_minutes'] // 60:02d}:{s['runtime_minutes'] % 60:02d}",
            venues[s["venue_id"]],
            s["festival_day"],
        )
        for s in version["screenings"]
        if s["status"] == "confirmed"
    )
    days = document["schedule"]["conference"]["days"]
    got = sorted(
        (e["id"], e["guid"], datetime.fromisoformat(e["date"]), e["duration"], e["room"], day["date"])
        for day in days
        for events in day["rooms"].values()
        for e in events
    )
    assert got == expected
    assert len(got) == 3  # the draft is not there
    late = [e for e in events_of(document) if e["date"].startswith("2021-11-21T00:30")]
    assert [day["date"] for day in days if late[0] in [e for es in day["rooms"].values() for e in es]] == [
        "2021-11-20"
    ]  # 00:30 on Sunday belongs to Saturday's festival day


def test_schedule_xml_is_valid_against_the_xsd(published):
    api = published
    response = api.client.get(f"/festivals/{api.slug}/schedule.xml")
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    schema = etree.XMLSchema(etree.parse(str(DATA / "schedule.xml.xsd")))
    root = etree.fromstring(response.content)
    assert schema.validate(root), str(schema.error_log)
    assert sorted(event.findtext("title") for event in root.iter("event")) == [
        "The Cranes Are Flying",
        "The Cranes Are Flying",
        "The Last Barge + Dear Comrades!",
    ]
    assert [person.text for person in root.iter("person")] == ["Andrei Konchalovsky"]


@pytest.mark.parametrize("path", ["schedule.json", "schedule.xml"])
def test_schedule_exports_answer_304_until_the_next_publish(published, path):
    api = published
    url = f"/festivals/{api.slug}/{path}"
    first = api.client.get(url)
    assert first.headers["cache-control"] == "public, max-age=300"
    assert api.client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert api.client.get(url, headers={"If-Modified-Since": first.headers["last-modified"]}).status_code == 304
    head = api.client.head(url)
    assert (head.status_code, head.headers["etag"], head.content) == (200, first.headers["etag"], b"")
    api.client.patch(
        f"/api/festivals/{api.slug}/screenings/{api.seed}", json={"starts_at": "2021-11-19T22:15"}, headers=api.headers
    ).raise_for_status()
    assert api.client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304  # unpublished
    api.post(f"/api/festivals/{api.slug}/publish", {})
    second = api.client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200
    assert second.headers["etag"] != first.headers["etag"]


def test_before_the_first_publish_the_schedule_is_valid_and_empty(api):
    api.festival()
    venue = api.venue()
    film = api.film()
    api.screening(venue["id"], [film["id"]], status="confirmed")
    document = api.client.get(f"/festivals/{api.slug}/schedule.json").json()
    schema = json.loads((DATA / "c3voc-schedule-schema.json").read_text("utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft6Validator)
    assert events_of(document) == []
    assert document["schedule"]["version"] == "0"


def test_an_unknown_festival_is_a_problem(client):
    for path in ("schedule.json", "schedule.xml", "programme.xlsx", "booklet.pdf"):
        response = client.get(f"/festivals/nope/{path}")
        assert (response.status_code, response.headers["content-type"]) == (404, "application/problem+json"), path
        assert response.json()["detail"] == "Festival 'nope' does not exist."


def test_csv_with_semicolons_for_a_german_excel(published):
    api = published
    response = api.client.get(f"/festivals/{api.slug}/programme.csv?sep=;")
    text = response.content.decode("utf-8-sig")
    assert text.startswith("id;festival_day;starts_at;")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["venue"] for row in rows] == ["Caligari FilmBühne", "Caligari FilmBühne", "Murnau-Filmtheater"]
    assert rows[0]["notes"] == '\'=HYPERLINK("http://evil.example")'
    assert api.client.get(f"/festivals/{api.slug}/programme.csv?sep=|").status_code == 422


def test_the_workbook_has_typed_cells_and_a_sheet_per_day(published):
    api = published
    response = api.client.get(f"/festivals/{api.slug}/programme.xlsx")
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Programme", "Fri 19 Nov", "Sat 20 Nov"]
    sheet = workbook["Programme"]
    assert sheet["C2"].value == datetime(2021, 11, 19, 18, 0) and sheet["C2"].is_date
    assert sheet.freeze_panes == "A2"
    again = api.client.get(f"/festivals/{api.slug}/programme.xlsx", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(("query", "size"), [("", (420, 595)), ("?size=a4", (595, 842))], ids=["a5", "a4"])
def test_the_booklet_is_a_multiple_of_four_pages(published, query, size):
    api = published
    response = api.client.get(f"/festivals/{api.slug}/booklet.pdf{query}")
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) % 4 == 0
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Летят журавли" in text and "Films A to Z" in text
    assert api.client.get(f"/festivals/{api.slug}/booklet.pdf?size=a3").status_code == 422


def test_the_booklet_with_bleed_for_the_print_shop(published):
    api = published
    response = api.client.get(f"/festivals/{api.slug}/booklet.pdf?bleed=true")
    assert response.headers["content-disposition"] == 'inline; filename="wiesbaden-2021-booklet-a5-bleed.pdf"'
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert (round(float(page.trimbox.width)), round(float(page.mediabox.width))) == (420, 437)  # 3 mm a side
