"""The spreadsheet: one row per screening, every field a programmer works with, as Excel opens it."""

import csv
import io

import pytest

from app.printing import render_programme_csv
from app.printing.spreadsheet import CSV_COLUMNS
from tests.builders import (
    CANCELLED_BALLAD,
    CRANES_OPENING,
    LATE_ASCENT,
    SHORT_AND_FEATURE,
)


def read_rows(programme, separator: str = ",") -> list[dict[str, str]]:
    """The rows as Excel reads the bytes: UTF-8 with its byte order mark."""
    data = render_programme_csv(programme, separator).encode("utf-8")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter={"tab": "\t"}.get(separator, separator))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    return list(reader)


def test_one_row_per_screening_in_start_order(programme):
    rows = read_rows(programme)
    assert [int(row["id"]) for row in rows] == [1, 2, 4, 3, 5, 6]
    assert len(rows) == len(programme.screenings)


def test_columns_a_programmer_needs():
    assert CSV_COLUMNS == (
        "id", "festival_day", "starts_at", "ends_at", "starts_at_utc_offset", "ends_at_utc_offset",
        "venue", "title", "films", "original_titles", "directors", "runtime_minutes", "intro_minutes",
        "qa_minutes", "slot_minutes", "guests", "status",
        "accessibility", "sections", "premiere", "languages", "subtitles", "ticket_url", "notes",
    )  # fmt: skip


def test_short_and_feature_row(programme):
    row = {int(row["id"]): row for row in read_rows(programme)}[SHORT_AND_FEATURE]
    assert row == {
        "id": "2",
        "festival_day": "2021-11-19",
        "starts_at": "2021-11-19 22:00",
        "ends_at": "2021-11-20 00:32",
        "starts_at_utc_offset": "UTC+01:00",
        "ends_at_utc_offset": "UTC+01:00",
        "venue": "Babylon Mitte",
        "title": "The Last Tram + Night Train to Tashkent",
        "films": "The Last Tram + Night Train to Tashkent",
        "original_titles": "The Last Tram + Toshkentga tungi poyezd",
        "directors": "Dilnoza Karimova",
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


def test_the_file_starts_with_a_byte_order_mark_so_excel_reads_utf8(programme):
    data = render_programme_csv(programme).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbfid,festival_day,")
    assert "Летят журавли".encode() in data  # UTF-8, not a legacy code page


@pytest.mark.parametrize("separator", [";", "tab"], ids=["semicolon", "tab"])
def test_locales_that_expect_another_separator_get_it(programme, separator):
    rows = read_rows(programme, separator)
    assert [row["venue"] for row in rows][:2] == ["Kino Arsenal", "Babylon Mitte"]
    assert rows[0]["sections"] == "Retrospective: Evacuation on Screen"


def test_unknown_separator_is_refused(programme):
    with pytest.raises(ValueError, match="unknown separator '|'"):
        render_programme_csv(programme, "|")


def test_times_carry_their_utc_offset_across_the_autumn_clock_change(programme):
    from datetime import datetime

    from app.scheduling.times import add_minutes
    from tests.builders import BERLIN

    # 31 October 2021: clocks go back at 03:00 in Berlin; a late show from 00:30 ends in winter time
    first = programme.screenings[0]
    starts_at = datetime(2021, 10, 31, 0, 30, tzinfo=BERLIN)
    late = first.model_copy(update={"starts_at": starts_at, "ends_at": add_minutes(starts_at, 180)})
    row = read_rows(programme.model_copy(update={"screenings": (late,)}))[0]
    assert (row["starts_at"], row["starts_at_utc_offset"]) == ("2021-10-31 00:30", "UTC+02:00")
    assert (row["ends_at"], row["ends_at_utc_offset"]) == ("2021-10-31 02:30", "UTC+01:00")


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x.example","Tickets")', "+49 30 123", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"],
    ids=["equals", "plus", "minus", "at", "tab", "carriage_return"],
)
def test_text_a_spreadsheet_would_run_is_quoted(programme, text):
    screening = programme.screenings[0].model_copy(update={"notes": text, "title": text, "guests": (text,)})
    changed = programme.model_copy(update={"screenings": (screening, *programme.screenings[1:])})
    row = {int(row["id"]): row for row in read_rows(changed)}[screening.id]
    assert (row["notes"], row["title"], row["guests"]) == ("'" + text,) * 3
