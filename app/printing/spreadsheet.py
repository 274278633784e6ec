"""The programme as a spreadsheet: one row per screening, every field a programmer works with.

`spreadsheet_rows` gives typed values (dates, local times, numbers, text); the CSV writes them
as text Excel recognises (UTF-8 with a byte order mark, so "FilmBühne" is not read as
"FilmBÃ¼hne"; `;` between cells for locales whose Excel expects it), and the workbook
(`app.printing.workbook`) writes them as typed cells. Text that a spreadsheet would run as a
formula is quoted in both (`app.exports.cells`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime

from app.exports.cells import quote_formula
from app.printing.model import ScreeningRow, screening_rows
from app.scheduling.programme import Programme

CSV_COLUMNS = (
    "id",
    "festival_day",
    "starts_at",
    "ends_at",
    "starts_at_utc_offset",
    "ends_at_utc_offset",
    "venue",
    "title",
    "films",
    "original_titles",
    "directors",
    "runtime_minutes",
    "intro_minutes",
    "qa_minutes",
    "slot_minutes",
    "guests",
    "status",
    "accessibility",
    "sections",
    "premiere",
    "languages",
    "subtitles",
    "ticket_url",
    "notes",
)
SEPARATORS = {",": ",", ";": ";", "tab": "\t"}
BYTE_ORDER_MARK = "\ufeff"
LOCAL_FORMAT = "%Y-%m-%d %H:%M"

Cell = str | int | date | datetime | None


def utc_offset(moment: datetime) -> str:
    """'UTC+01:00' (written with its letters, so no spreadsheet reads it as a sum)."""
    offset = moment.strftime("%z")  # "+0100"
    return f"UTC{offset[:3]}:{offset[3:5]}"


def _cells(row: ScreeningRow) -> tuple[Cell, ...]:
    screening = row.screening
    directors = dict.fromkeys(name for film in row.films for name in film.film.directors)
    return (
        screening.id,
        screening.festival_day,
        screening.starts_at.replace(tzinfo=None),
        screening.ends_at.replace(tzinfo=None),
        utc_offset(screening.starts_at),
        utc_offset(screening.ends_at),
        row.venue.name,
        row.title,
        " + ".join(film.title for film in row.films),
        " + ".join(film.film.original_title or film.title for film in row.films),
        "; ".join(directors),
        screening.runtime_minutes,
        screening.intro_minutes,
        screening.qa_minutes,
        screening.slot_minutes,
        "; ".join(screening.guests),
        screening.status,
        "; ".join(screening.accessibility),
        "; ".join(row.sections),
        row.premiere_kind,
        "; ".join(row.languages),
        "; ".join(row.subtitles),
        screening.ticket_url or "",
        screening.notes,
    )


def spreadsheet_rows(programme: Programme) -> Iterator[tuple[Cell, ...]]:
    """Every screening as typed cells in CSV_COLUMNS order (local wall-clock times), by start then venue."""
    rows = screening_rows(programme)
    rows.sort(key=lambda row: (row.starts_at, row.venue.name.casefold(), row.venue.id, row.id))
    return (_cells(row) for row in rows)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return f"{cell:{LOCAL_FORMAT}}"
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, str):
        return quote_formula(cell)
    return str(cell)


def render_programme_csv(programme: Programme, separator: str = ",") -> str:
    """Every screening as a CSV row, with a byte order mark; `separator` is ',', ';' or 'tab'."""
    if separator not in SEPARATORS:
        raise ValueError(f"unknown separator {separator!r}; expected one of {', '.join(SEPARATORS)}")
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, delimiter=SEPARATORS[separator], lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(tuple(_text(cell) for cell in cells) for cells in spreadsheet_rows(programme))
    return buffer.getvalue()
