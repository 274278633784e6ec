"""The PDF as a festival hands it out: cover, contents, the days, in DejaVu Sans on A4."""

import io
import re

import pytest
from pypdf import PdfReader

from app.printing import render_programme_pdf
from tests.builders import programme_of_days
from tests.printing.conftest import pdf_pages


def squash(text: str) -> str:
    return " ".join(text.split())


def test_pdf_holds_titles_cyrillic_original_and_times(day_pdf_pages):
    text = squash(" ".join(day_pdf_pages))
    for expected in (
        "The Cranes Are Flying",
        "Летят журавли",
        "Восхождение",
        "Night Train to Tashkent",
        "22:00",
        "22:00–00:32",
        "23:30–01:21",
    ):
        assert expected in text


def test_cover_names_festival_city_dates_and_version(day_pdf_pages):
    cover = squash(day_pdf_pages[0])
    assert "Kinofest Berlin" in cover
    assert "Berlin · 19–21 November 2021" in cover
    assert "Version 2, published 12 November 2021" in cover
    assert "/" not in cover  # no page number on the cover


def test_cover_points_to_the_programme_online_when_given_a_base_url(programme):
    cover = squash(pdf_pages(render_programme_pdf(programme, "grid", base_url="https://marquee.example"))[0])
    assert "https://marquee.example/festivals/kinofest-2021/programme?by=grid" in cover


def test_empty_programme_still_prints_a_cover_and_says_so():
    from app.scheduling.programme import Programme
    from tests.builders import FESTIVAL

    pages = [squash(page) for page in pdf_pages(render_programme_pdf(Programme(festival=FESTIVAL), "day"))]
    assert "Kinofest Berlin" in pages[0]
    assert "No screenings published yet." in " ".join(pages)


def test_contents_give_each_day_the_page_it_starts_on(day_pdf_pages):
    contents = squash(day_pdf_pages[1])
    assert contents.startswith("Contents")
    entries = re.findall(r"(\w+day \d+ November) \d+ screenings? (\d+)", contents)
    assert [day for day, _page in entries] == [
        "Friday 19 November",
        "Saturday 20 November",
        "Sunday 21 November",
    ]
    for day, page in entries:
        assert squash(day_pdf_pages[int(page) - 1]).startswith(day)


def test_each_day_starts_a_page_and_keeps_its_late_screenings(day_pdf_pages):
    friday, saturday, sunday = (squash(page) for page in day_pdf_pages[2:5])
    assert friday.startswith("Friday 19 November")
    assert "22:00–00:32" in friday  # ends after midnight, printed on the day it starts
    assert "23:30–01:21" in saturday
    assert "23:30" not in friday + sunday
    assert "Ballad of a Soldier" in saturday and "Cancelled" in saturday.title()


def test_pages_are_numbered_n_of_total(day_pdf_pages):
    total = len(day_pdf_pages)
    for number, page in enumerate(day_pdf_pages[1:], start=2):
        assert f"{number} / {total}" in page


def test_pdf_is_a4_in_embedded_dejavu_sans(day_pdf):
    reader = PdfReader(io.BytesIO(day_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert {font.split("+")[-1] for font in fonts} == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


@pytest.mark.parametrize("days", [1, 6], ids=["one_day", "six_days"])
def test_day_view_has_cover_contents_and_a_page_per_day(days):
    pages = pdf_pages(render_programme_pdf(programme_of_days(days), "day"))
    assert len(pages) == 2 + days


def test_more_screenings_a_day_take_more_pages():
    short = pdf_pages(render_programme_pdf(programme_of_days(1, screenings_per_day=6), "day"))
    long = pdf_pages(render_programme_pdf(programme_of_days(1, screenings_per_day=40), "day"))
    assert len(long) > len(short)


def test_venue_view_starts_each_venue_on_a_page(programme):
    pages = [squash(page) for page in pdf_pages(render_programme_pdf(programme, "venue"))]
    assert len(pages) == 4  # cover, contents, two venues
    assert pages[2].startswith("Kino Arsenal")
    assert pages[3].startswith("Babylon Mitte")


def test_film_view_is_a_to_z_with_original_titles(programme):
    text = squash(" ".join(pdf_pages(render_programme_pdf(programme, "film"))))
    positions = [text.index(title) for title in ("The Ascent", "Ballad of a Soldier",
                                                 "The Cranes Are Flying Летят журавли")]  # fmt: skip
    assert positions == sorted(positions)


def test_grid_view_prints_a_page_per_day(programme):
    pages = [squash(page) for page in pdf_pages(render_programme_pdf(programme, "grid"))]
    assert len(pages) == 4  # cover and three days
    assert "22:00–00:32" in pages[1]
    assert "18:00 19:00 20:00 21:00 22:00 23:00 00:00" in pages[1]  # hour labels past midnight
