"""The printed programme and the door-staff sheet as PDF, typeset by WeasyPrint from the print HTML."""

from __future__ import annotations

from collections.abc import Sequence

from app.printing.changes import DoorChange
from app.printing.html import render_changes_html, render_programme_html
from app.scheduling.programme import Programme


def typeset(html: str):
    """Lay out self-contained print HTML with WeasyPrint (a Document, its pages not yet written)."""
    # Imported here: WeasyPrint is slow to import and only PDFs need it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The print HTML is self-contained (inline CSS, system fonts, no images): refuse every
    # URL so that rendering stays pure and never waits on the network.
    no_fetching = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=html, url_fetcher=no_fetching).render()


def render_programme_pdf(programme: Programme, by: str = "day", *, base_url: str = "") -> bytes:
    """The programme as a PDF: cover, contents (by day and by venue), then the view."""
    return typeset(render_programme_html(programme, by, base_url=base_url, for_pdf=True)).write_pdf()


def render_changes_pdf(
    programme: Programme, since_version: int, changes: Sequence[DoorChange], *, base_url: str = ""
) -> bytes:
    """The door-staff sheet as an A4 PDF (no cover: it is pinned up, not handed out)."""
    html = render_changes_html(programme, since_version, changes, base_url=base_url, for_pdf=True)
    return typeset(html).write_pdf()
