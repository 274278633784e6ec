"""Pure renderers from a published Programme to HTML, PDF, CSV and Excel (no web framework, no clock)."""

from app.printing.booklet import render_booklet_html, render_booklet_pdf
from app.printing.changes import ChangeEntry, DoorChange, door_changes
from app.printing.html import BY, render_changes_html, render_programme_html
from app.printing.pdf import render_changes_pdf, render_programme_pdf
from app.printing.sorting import catalogue_sort_key
from app.printing.spreadsheet import render_programme_csv
from app.printing.workbook import render_programme_xlsx

__all__ = [
    "BY",
    "ChangeEntry",
    "DoorChange",
    "catalogue_sort_key",
    "door_changes",
    "render_booklet_html",
    "render_booklet_pdf",
    "render_changes_html",
    "render_changes_pdf",
    "render_programme_csv",
    "render_programme_html",
    "render_programme_pdf",
    "render_programme_xlsx",
]
