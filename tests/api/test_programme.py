"""The printed programme over HTTP: HTML views, PDF and CSV of the latest published version."""

import csv
import io

import pytest
from pypdf import PdfReader


@pytest.fixture
def published(api):
    api.festival()
    caligari = api.venue()
    short = api.film(title="The Last Barge", original_title=None, runtime_minutes=15)
    feature = api.film()
    cranes = api.film(title="The Cranes Are Flying", original_title="Летят журавли", runtime_minutes=97)
    seed = api.screening(caligari["id"], [short["id"], feature["id"]], "2021-11-19T22:00", status="confirmed")
    api.screening(caligari["id"], [cranes["id"]], "2021-11-19T18:00", status="confirmed")
    api.screening(caligari["id"], [cranes["id"]], "2021-11-20T18:00")  # a draft: never printed
    api.post(f"/api/festivals/{api.slug}/publish", {})
    return api, seed


@pytest.mark.parametrize("by", ["day", "venue", "film", "grid"])
def test_every_view_prints_the_published_screenings_only(published, by):
    api, _ = published
    page = api.client.get(f"/festivals/{api.slug}/programme?by={by}")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "The Cranes Are Flying" in page.text
    assert "Летят журавли" in page.text or by == "grid"
    assert "Sat 20 Nov" not in page.text.replace("Saturday", "")  # the draft stays unprinted


def test_pdf_has_the_titles_cyrillic_and_the_midnight_screening(published):
    api, _ = published
    response = api.client.get(f"/festivals/{api.slug}/programme.pdf?by=day")
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Летят журавли" in text
    assert "22:00" in text and "Dear Comrades!" in text
    again = api.client.get(f"/festivals/{api.slug}/programme.pdf?by=day",
                           headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_csv_has_one_row_per_published_screening(published):
    api, seed = published
    rows = list(csv.DictReader(io.StringIO(api.client.get(f"/festivals/{api.slug}/programme.csv").text)))
    assert [(r["starts_at"], r["ends_at"], r["festival_day"]) for r in rows] == [
        ("2021-11-19 18:00", "2021-11-19 19:37", "2021-11-19"),
        ("2021-11-19 22:00", "2021-11-20 00:15", "2021-11-19")]
    assert rows[1]["films"] == "The Last Barge + Dear Comrades!"


def test_changes_since_a_version_list_what_moved(published):
    api, seed = published
    api.client.patch(f"/api/festivals/{api.slug}/screenings/{seed['id']}", json={"starts_at": "2021-11-19T22:30"},
                     headers=api.headers).raise_for_status()
    api.post(f"/api/festivals/{api.slug}/publish", {})
    sheet = api.client.get(f"/festivals/{api.slug}/programme?since=1")
    assert sheet.status_code == 200
    assert "Fri 19 Nov 22:00" in sheet.text and "Fri 19 Nov 22:30" in sheet.text
    assert api.client.get(f"/festivals/{api.slug}/programme?since=2").status_code == 404


def test_unknown_view_and_festival_are_clear_errors(published):
    api, _ = published
    assert api.client.get(f"/festivals/{api.slug}/programme?by=poster").status_code == 422
    missing = api.client.get("/festivals/nope/programme.pdf")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
