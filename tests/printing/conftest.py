"""Fixtures for the printing tests: the sample programme and its (slow) rendered PDFs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.printing import render_programme_pdf
from tests.builders import festival_programme


@pytest.fixture(scope="session")
def programme():
    return festival_programme()


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of every page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="session")
def day_pdf(programme) -> bytes:
    return render_programme_pdf(programme, "day")


@pytest.fixture(scope="session")
def day_pdf_pages(day_pdf) -> list[str]:
    return pdf_pages(day_pdf)
