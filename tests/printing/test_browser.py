"""Every view in a real browser: Debian's headless Chromium shows it and prints it."""

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.printing import BY, render_programme_html

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


def chromium(profile: Path, *args: str) -> None:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@pytest.fixture
def page(programme, tmp_path, request) -> Path:
    path = tmp_path / f"programme-{request.param}.html"
    path.write_text(render_programme_html(programme, request.param), "utf-8")
    return path


@pytest.mark.parametrize("page", BY, indirect=True)
def test_chromium_screenshots_the_view(page, tmp_path):
    png = tmp_path / "view.png"
    chromium(tmp_path / "profile", f"--screenshot={png}", "--window-size=1280,2000", page.as_uri())
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a rendered page, not a blank one


@pytest.mark.parametrize("page", BY, indirect=True)
def test_chromium_prints_the_view_to_pdf(page, tmp_path):
    pdf = tmp_path / "view.pdf"
    chromium(tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Night Train to Tashkent" in text
    assert "By venue" not in text  # the navigation is not printed
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
