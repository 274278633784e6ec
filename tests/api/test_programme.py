"""The printed programme over HTTP: HTML views, PDF and CSV of the latest published version."""

import csv
import html
import io
import re

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
    again = api.client.get(
        f"/festivals/{api.slug}/programme.pdf?by=day", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_csv_has_one_row_per_published_screening(published):
    api, seed = published
    response = api.client.get(f"/festivals/{api.slug}/programme.csv")
    assert response.content.startswith(b"\xef\xbb\xbfid,")  # UTF-8 with a byte order mark, for Excel
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["starts_at"], r["ends_at"], r["festival_day"]) for r in rows] == [
        ("2021-11-19 18:00", "2021-11-19 19:37", "2021-11-19"),
        ("2021-11-19 22:00", "2021-11-20 00:15", "2021-11-19"),
    ]
    assert rows[1]["films"] == "The Last Barge + Dear Comrades!"


def move(api, screening_id: int, starts_at: str) -> None:
    api.client.patch(
        f"/api/festivals/{api.slug}/screenings/{screening_id}", json={"starts_at": starts_at}, headers=api.headers
    ).raise_for_status()
    api.post(f"/api/festivals/{api.slug}/publish", {})


def sheet_lines(page: str) -> list[str]:
    items = re.findall(r'<li class="change[^"]*">(.*?)</li>', page)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def test_changes_since_a_version_say_what_moved_once_by_its_net_change(published):
    api, seed = published
    move(api, seed["id"], "2021-11-19T22:30")
    move(api, seed["id"], "2021-11-19T23:00")  # moved again in version 3: still one line
    sheet = api.client.get(f"/festivals/{api.slug}/programme?since=1")
    assert sheet.status_code == 200
    assert sheet_lines(sheet.text) == [
        "22:00 The Last Barge + Dear Comrades! moved from 22:00 to 23:00, Caligari FilmBühne"
    ]
    assert sheet_lines(api.client.get(f"/festivals/{api.slug}/programme?since=2").text) == [
        "22:30 The Last Barge + Dear Comrades! moved from 22:30 to 23:00, Caligari FilmBühne"
    ]


def test_the_programme_links_to_the_changes_since_the_version_before(published):
    api, seed = published
    assert "?since=" not in api.client.get(f"/festivals/{api.slug}/programme").text  # only one version yet
    move(api, seed["id"], "2021-11-19T22:30")
    page = api.client.get(f"/festivals/{api.slug}/programme?by=grid").text
    assert re.search(r'href="[^"]*/festivals/wiesbaden-2021/programme\?since=1">Changes since v1</a>', page)


def test_changes_since_the_latest_version_are_an_empty_sheet_not_a_404(published):
    api, _ = published
    sheet = api.client.get(f"/festivals/{api.slug}/programme?since=1")
    assert sheet.status_code == 200
    assert "Nothing has changed since version 1." in sheet.text
    pdf = api.client.get(f"/festivals/{api.slug}/programme.pdf?since=1")
    assert pdf.status_code == 200
    assert "Nothing has changed since version 1." in " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages
    )


def test_changes_since_a_version_that_does_not_exist_are_a_problem(published):
    api, _ = published
    missing = api.client.get(f"/festivals/{api.slug}/programme.pdf?since=2")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["detail"] == "Version 2 of festival 'wiesbaden-2021' does not exist (the latest is 1)."


def test_the_change_sheet_prints_as_a_pdf_not_the_whole_programme(published):
    api, seed = published
    move(api, seed["id"], "2021-11-19T22:30")
    response = api.client.get(f"/festivals/{api.slug}/programme.pdf?since=1")
    assert response.headers["content-type"] == "application/pdf"
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) == 1
    assert "Changes since version 1" in pages[0]
    assert "The Last Barge + Dear Comrades! moved from 22:00 to 22:30, Caligari FilmBühne" in pages[0]
    assert "The Cranes Are Flying" not in pages[0]  # unchanged screenings are not on the sheet
    again = api.client.get(
        f"/festivals/{api.slug}/programme.pdf?since=1", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_unknown_view_and_festival_are_clear_errors(published):
    api, _ = published
    assert api.client.get(f"/festivals/{api.slug}/programme?by=poster").status_code == 422
    missing = api.client.get("/festivals/nope/programme.pdf")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
