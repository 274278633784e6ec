"""The programme as an Excel workbook (openpyxl): every screening, then one sheet per festival day.

Cells are typed: festival days are dates, starts and ends local date-times, minutes numbers.
Text that a spreadsheet would run as a formula is stored as text with Excel's own "quote
prefix" (what Excel records when a person types '=...): shown as written, never evaluated,
still text after an edit. The bytes depend only on the programme (file times are the
version's publication time), so every server process serves the same workbook.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from app.exports.cells import quote_formula
from app.printing import labels
from app.printing.spreadsheet import CSV_COLUMNS, Cell, spreadsheet_rows
from app.scheduling.programme import Programme

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

DATE_FORMAT = "yyyy-mm-dd"
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"
# column widths in characters, by column name (the rest are 12)
WIDTHS = {"festival_day": 11, "starts_at": 16, "ends_at": 16, "starts_at_utc_offset": 10,
          "ends_at_utc_offset": 10, "venue": 24, "title": 40, "films": 40, "original_titles": 40,
          "directors": 28, "guests": 28, "sections": 28, "ticket_url": 36, "notes": 48}  # fmt: skip
_EPOCH = datetime(1980, 1, 1)


class _SteadyZip(ZipFile):
    """A zip whose entries carry one fixed time instead of the clock's (same input, same bytes)."""

    def __init__(self, file, moment: datetime):
        super().__init__(file, "w", ZIP_DEFLATED)
        self._date_time = max(moment, _EPOCH).timetuple()[:6]

    def writestr(
        self,
        zinfo_or_arcname: str | ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, *args, **kwargs):
        with open(filename, "rb") as file:
            self.writestr(arcname or str(filename), file.read())


def _sheet(workbook, title: str, rows: list[tuple[Cell, ...]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.append(CSV_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(values)
    for column, name in enumerate(CSV_COLUMNS, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 12)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            value = cell.value
            if isinstance(value, datetime):
                cell.number_format = DATE_TIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str) and quote_formula(value) != value:
                cell.data_type = "s"  # openpyxl took it for a formula
                cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(CSV_COLUMNS))}{max(len(rows) + 1, 1)}"


def render_programme_xlsx(programme: Programme) -> bytes:
    """The programme as .xlsx bytes: a sheet of every screening, then a sheet per festival day."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    rows = list(spreadsheet_rows(programme))
    workbook = Workbook()
    blank = workbook.active
    assert blank is not None  # a new workbook starts with one empty sheet
    workbook.remove(blank)
    _sheet(workbook, "Programme", rows)
    days: dict[date, list[tuple[Cell, ...]]] = {}
    for values in rows:
        day = values[CSV_COLUMNS.index("festival_day")]
        assert isinstance(day, date)  # spreadsheet_rows puts the festival day there
        days.setdefault(day, []).append(values)
    for day in sorted(days):
        _sheet(workbook, labels.short_day(day), days[day])
    published_at = programme.published_at or datetime(programme.festival.starts_on.year, 1, 1, tzinfo=UTC)
    moment = published_at.astimezone(UTC).replace(tzinfo=None)
    workbook.properties.creator = "Marquee"
    workbook.properties.title = f"{programme.festival.name}: programme"
    workbook.properties.created = workbook.properties.modified = moment
    buffer = io.BytesIO()
    with _SteadyZip(buffer, moment) as archive:
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()
