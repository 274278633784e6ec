"""screenings.csv opens safely in a spreadsheet and still round-trips exactly (export, then load)."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.programme_files import SCREENINGS_FILE, read_programme_folder, write_programme_folder
from app.store.db import unit_of_work
from app.store.models import Screening

SAMPLE = Path(__file__).resolve().parent.parent / "sample_programme"
FILES = ("festival.yaml", "venues.yaml", "films.yaml", SCREENINGS_FILE)
# what a programmer might type, each starting like a formula (or an apostrophe before one)
TRICKY = {
    "title": '=HYPERLINK("http://evil.example","Tickets")',
    "notes": "'=already quoted",
    "guests": ("+49 611 123 (box office)", "@kinofan", "-- the director --"),
}


@pytest.fixture
def tricky_folder(tmp_path: Path) -> Path:
    """The sample with formula-like text in the first screening, written as `marquee export` writes it."""
    sample = read_programme_folder(SAMPLE)
    first = sample.screenings[0]
    changed = dataclasses.replace(first, screening=first.screening.model_copy(update=TRICKY))
    folder = dataclasses.replace(sample, screenings=(changed, *sample.screenings[1:]))
    write_programme_folder(folder, tmp_path / "tricky")
    return tmp_path / "tricky"


def first_row(folder: Path) -> dict[str, str]:
    with (folder / SCREENINGS_FILE).open(encoding="utf-8") as file:
        return next(csv.DictReader(file))


def test_formula_like_cells_are_written_with_an_apostrophe(tricky_folder):
    row = first_row(tricky_folder)
    assert row["title"] == "'" + TRICKY["title"]
    assert row["notes"] == "''=already quoted"
    assert row["guests"] == "'+49 611 123 (box office); @kinofan; -- the director --"


def test_reading_the_folder_gives_back_exactly_what_was_written(tricky_folder):
    screening = read_programme_folder(tricky_folder).screenings[0].screening
    assert {field: getattr(screening, field) for field in TRICKY} == TRICKY


def test_untouched_sample_is_written_byte_for_byte_as_before(tmp_path):
    write_programme_folder(read_programme_folder(SAMPLE), tmp_path / "out")
    assert (tmp_path / "out" / SCREENINGS_FILE).read_bytes() == (SAMPLE / SCREENINGS_FILE).read_bytes()


def test_load_then_export_is_lossless_and_stores_the_text_unquoted(database, tricky_folder, tmp_path):
    runner = CliRunner()
    loaded = runner.invoke(cli, ["load", str(tricky_folder)])
    assert loaded.exit_code == 0, loaded.output
    with unit_of_work(write=False) as session:
        titles = set(session.exec(select(Screening.title)).all())
    assert TRICKY["title"] in titles  # the database holds the text itself, no apostrophe
    exported = runner.invoke(cli, ["export", "wiesbaden-2021", str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    for name in FILES:
        assert (tmp_path / "out" / name).read_text("utf-8") == (tricky_folder / name).read_text("utf-8"), name
    assert read_programme_folder(tmp_path / "out") == read_programme_folder(tricky_folder)
