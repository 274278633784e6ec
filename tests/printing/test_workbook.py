"""The programme as an Excel workbook: typed cells, a frozen header, one sheet per festival day."""

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from app.printing.spreadsheet import CSV_COLUMNS
from app.printing.workbook import render_programme_xlsx
from tests.builders import LATE_ASCENT, SHORT_AND_FEATURE


@pytest.fixture(scope="module")
def workbook(programme):
    return load_workbook(io.BytesIO(render_programme_xlsx(programme)))


def rows_of(sheet) -> list[dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == CSV_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_a_sheet_of_every_screening_then_one_per_festival_day(workbook, programme):
    assert workbook.sheetnames == ["Programme", "Fri 19 Nov", "Sat 20 Nov", "Sun 21 Nov"]
    assert [row["id"] for row in rows_of(workbook["Programme"])] == [1, 2, 4, 3, 5, 6]
    assert [row["id"] for row in rows_of(workbook["Sat 20 Nov"])] == [4, LATE_ASCENT]


def test_dates_and_times_are_typed_cells_not_text(workbook):
    sheet = workbook["Fri 19 Nov"]
    row = {row["id"]: row for row in rows_of(sheet)}[SHORT_AND_FEATURE]
    assert row["festival_day"] == datetime(2021, 11, 19)  # Excel stores dates as date-times
    assert (row["starts_at"], row["ends_at"]) == (datetime(2021, 11, 19, 22, 0), datetime(2021, 11, 20, 0, 32))
    assert row["runtime_minutes"] == 152
    assert row["starts_at_utc_offset"] == "UTC+01:00"
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd hh:mm"


def test_every_sheet_freezes_its_header_row_and_filters(workbook):
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:X")


def test_a_title_that_looks_like_a_formula_stays_text(programme):
    evil = '=HYPERLINK("http://evil.example","Tickets")'
    screening = programme.screenings[0].model_copy(update={"title": evil, "notes": "@SUM(1)", "guests": ("-x",)})
    changed = programme.model_copy(update={"screenings": (screening, *programme.screenings[1:])})
    data = render_programme_xlsx(changed)
    sheet = load_workbook(io.BytesIO(data))["Programme"]
    title = sheet.cell(row=2, column=CSV_COLUMNS.index("title") + 1)
    assert (title.value, title.data_type, title.quotePrefix) == (evil, "s", True)
    assert sheet.cell(row=2, column=CSV_COLUMNS.index("notes") + 1).quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert all(b"<f>" not in xml for xml in sheets)  # not one formula anywhere


def test_the_same_version_always_gives_the_same_bytes(programme):
    first = render_programme_xlsx(programme)
    assert render_programme_xlsx(programme) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2021, 11, 12)}  # published on


def test_an_empty_programme_is_a_workbook_with_headers_only():
    from app.scheduling.programme import Programme
    from tests.builders import FESTIVAL

    workbook = load_workbook(io.BytesIO(render_programme_xlsx(Programme(festival=FESTIVAL))))
    assert workbook.sheetnames == ["Programme"]
    assert rows_of(workbook["Programme"]) == []
