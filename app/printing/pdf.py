"""The printed programme as PDF, typeset by WeasyPrint from the print HTML."""

from __future__ import annotations

from app.printing.html import render_programme_html
from app.scheduling.programme import Programme


def render_programme_pdf(programme: Programme, by: str = "day", *, base_url: str = "") -> bytes:
    """The programme as a PDF: cover, contents (by day and by venue), then the view."""
    # Imported here: WeasyPrint is slow to import and only PDFs need it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_programme_html(programme, by, base_url=base_url, for_pdf=True)
    # The print HTML is self-contained (inline CSS, system fonts, no images): refuse every
    # URL so that rendering stays pure and never waits on the network.
    no_fetching = URLFetcher(allowed_protocols=frozenset())
    document = HTML(string=html, url_fetcher=no_fetching).render()
    return document.write_pdf()
