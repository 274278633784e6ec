"""The spreadsheet: one row per screening, every field a programmer works with."""

import csv
import io

from app.printing import render_programme_csv
from app.printing.spreadsheet import CSV_COLUMNS
from tests.printing.builders import (
    CANCELLED_BALLAD,
    CRANES_OPENING,
    LATE_ASCENT,
    SHORT_AND_FEATURE,
)


def read_rows(programme) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(render_programme_csv(programme)))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    return list(reader)


def test_one_row_per_screening_in_start_order(programme):
    rows = read_rows(programme)
    assert [int(row["id"]) for row in rows] == [1, 2, 4, 3, 5, 6]
    assert len(rows) == len(programme.screenings)


def test_columns_a_programmer_needs():
    assert CSV_COLUMNS == (
        "id", "festival_day", "starts_at", "ends_at", "venue", "title", "films",
        "runtime_minutes", "intro_minutes", "qa_minutes", "slot_minutes", "guests", "status",
        "accessibility", "sections", "premiere", "languages", "subtitles", "ticket_url", "notes",
    )  # fmt: skip


def test_short_and_feature_row(programme):
    row = {int(row["id"]): row for row in read_rows(programme)}[SHORT_AND_FEATURE]
    assert row == {
        "id": "2",
        "festival_day": "2021-11-19",
        "starts_at": "2021-11-19 22:00",
        "ends_at": "2021-11-20 00:32",
        "venue": "Babylon Mitte",
        "title": "The Last Tram + Night Train to Tashkent",
        "films": "The Last Tram + Night Train to Tashkent",
        "runtime_minutes": "152",
        "intro_minutes": "0",
        "qa_minutes": "20",
        "slot_minutes": "",
        "guests": "Dilnoza Karimova",
        "status": "confirmed",
        "accessibility": "",
        "sections": "Shorts & Debuts; Competition",
        "premiere": "world",
        "languages": "No dialogue; Uzbek; Russian",
        "subtitles": "English",
        "ticket_url": "",
        "notes": "",
    }


def test_late_screening_keeps_its_festival_day_and_local_times(programme):
    row = {int(row["id"]): row for row in read_rows(programme)}[LATE_ASCENT]
    assert (row["festival_day"], row["starts_at"], row["ends_at"]) == (
        "2021-11-20",
        "2021-11-20 23:30",
        "2021-11-21 01:21",
    )


def test_cancelled_and_accessible_rows(programme):
    rows = {int(row["id"]): row for row in read_rows(programme)}
    assert rows[CANCELLED_BALLAD]["status"] == "cancelled"
    assert rows[CRANES_OPENING]["accessibility"] == "captioned"
    assert rows[CRANES_OPENING]["ticket_url"] == "https://tickets.example.org/1"


def test_commas_quotes_and_newlines_survive_a_round_trip(programme):
    tricky = 'Q&A, then "drinks"\nin the foyer'
    screening = programme.screenings[0].model_copy(update={"notes": tricky})
    changed = programme.model_copy(update={"screenings": (screening, *programme.screenings[1:])})
    assert read_rows(changed)[0]["notes"] == tricky
