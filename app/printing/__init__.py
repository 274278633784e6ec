"""Pure renderers from a published Programme to HTML, PDF and CSV (no web framework, no clock)."""

from app.printing.changes import ChangeEntry
from app.printing.html import BY, render_changes_html, render_programme_html
from app.printing.pdf import render_programme_pdf
from app.printing.sorting import catalogue_sort_key
from app.printing.spreadsheet import render_programme_csv

__all__ = [
    "BY",
    "ChangeEntry",
    "catalogue_sort_key",
    "render_changes_html",
    "render_programme_csv",
    "render_programme_html",
    "render_programme_pdf",
]
