"""`marquee print`: the booklet, the door-staff sheet and the workbook from the command line."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from app.cli import cli
from tests.test_cli import SAMPLE

runner = CliRunner()


def marquee(*args: str, code: int = 0):
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result


def text_of(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_print_booklet_a5_by_default_and_a4_with_bleed_on_request(database, tmp_path):
    marquee("load", str(SAMPLE))
    marquee("publish", "wiesbaden-2021")
    marquee("print", "wiesbaden-2021", "--booklet", "--output", str(tmp_path / "booklet.pdf"))
    pages = text_of(tmp_path / "booklet.pdf")
    assert len(pages) % 4 == 0
    assert pages[0].startswith("FESTIVAL PROGRAMME Wiesbaden Film Days 2021")
    assert any("A provincial town in the south of the USSR, 1962" in page for page in pages)  # a synopsis
    reader = PdfReader(tmp_path / "booklet.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 420  # A5
    marquee("print", "wiesbaden-2021", "--booklet", "--size", "a4", "--bleed", "-o", str(tmp_path / "a4.pdf"))
    page = PdfReader(tmp_path / "a4.pdf").pages[1]
    assert (round(float(page.trimbox.width)), round(float(page.mediabox.width))) == (595, 612)  # 3 mm each side
    marquee("print", "wiesbaden-2021", "--booklet", "--size", "a3", code=2)


def test_print_changes_since_a_version(database, tmp_path):
    marquee("load", str(SAMPLE))
    marquee("publish", "wiesbaden-2021")
    result = marquee("print", "wiesbaden-2021", "--since", "1", "-o", str(tmp_path / "sheet.pdf"))
    assert "0 changes since version 1" in result.output
    assert "Nothing has changed since version 1." in text_of(tmp_path / "sheet.pdf")[0]
    marquee("print", "wiesbaden-2021", "--since", "2", code=2)


def test_print_the_workbook(database, tmp_path):
    marquee("load", str(SAMPLE))
    marquee("publish", "wiesbaden-2021")
    marquee("print", "wiesbaden-2021", "-o", str(tmp_path / "programme.xlsx"))
    workbook = load_workbook(io.BytesIO((tmp_path / "programme.xlsx").read_bytes()))
    assert workbook.sheetnames[0] == "Programme"
    assert workbook["Programme"].max_row == 28  # a header and 27 screenings
