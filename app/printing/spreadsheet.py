"""The programme as CSV: one row per screening, every field a programmer puts in a spreadsheet."""

from __future__ import annotations

import csv
import io

from app.printing.model import screening_rows
from app.scheduling.programme import Programme
from app.scheduling.times import wall_clock_label

CSV_COLUMNS = (
    "id",
    "festival_day",
    "starts_at",
    "ends_at",
    "venue",
    "title",
    "films",
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


def render_programme_csv(programme: Programme) -> str:
    """Every screening as a CSV row (local times "YYYY-MM-DD HH:MM", with the zone's abbreviation
    in an hour the clocks repeat: "2021-10-31 02:30 CET"), by start then venue."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    zone = programme.festival.zone
    rows = screening_rows(programme)
    rows.sort(key=lambda row: (row.starts_at, row.venue.name.casefold(), row.venue.id, row.id))
    for row in rows:
        screening = row.screening
        writer.writerow(
            (
                screening.id,
                screening.festival_day.isoformat(),
                wall_clock_label(screening.starts_at, zone, "%Y-%m-%d"),
                wall_clock_label(screening.ends_at, zone, "%Y-%m-%d"),
                row.venue.name,
                row.title,
                " + ".join(film.title for film in row.films),
                screening.runtime_minutes,
                screening.intro_minutes,
                screening.qa_minutes,
                "" if screening.slot_minutes is None else screening.slot_minutes,
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
        )
    return buffer.getvalue()
