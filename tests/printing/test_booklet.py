"""The booklet as a print shop takes it: real PDFs, read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.printing import render_booklet_html, render_booklet_pdf
from app.printing.booklet import padding_pages
from app.scheduling.programme import Credit, Programme
from bench.programmes import realistic_programme
from tests.builders import FESTIVAL, festival_programme, programme_of_days

MM = 72 / 25.4
A5 = (round(148 * MM), round(210 * MM))  # (420, 595) points
A4 = (595, 842)


def squash(text: str) -> str:
    return " ".join(text.split())


def pages_of(pdf: bytes) -> list[str]:
    return [squash(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def size_of(box) -> tuple[int, int]:
    return round(float(box.width)), round(float(box.height))


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    programme = festival_programme()
    cranes = programme.films[0].model_copy(
        update={
            "synopsis": "Moscow, 1941. Veronika and Boris are in love, but the war intervenes: he volunteers for the "
            "front, and she is evacuated to Siberia with his family, where she waits for news.",
            "credits": (
                Credit(role="Script", names=("Viktor Rozov",)),
                Credit(role="Cast", names=("Tatiana Samoilova", "Aleksey Batalov")),
            ),
        }
    )
    return render_booklet_pdf(
        programme.model_copy(update={"films": (cranes, *programme.films[1:])}), base_url="https://marquee.example"
    )


@pytest.fixture(scope="module")
def sample_pages(sample_pdf) -> list[str]:
    return pages_of(sample_pdf)


@pytest.fixture(scope="module")
def festival_week() -> tuple[bytes, list[str]]:
    """A week of 120 screenings in 8 venues, with synopses and credits: many pages."""
    pdf = render_booklet_pdf(realistic_programme(120, 8, 7))
    return pdf, pages_of(pdf)


@pytest.mark.parametrize(
    ("pages", "missing"), [(1, 3), (7, 1), (8, 0), (13, 3), (0, 0)], ids=["one", "seven", "eight", "thirteen", "none"]
)
def test_padding_makes_a_multiple_of_four(pages, missing):
    assert padding_pages(pages) == missing


def test_a5_booklet_of_a_multiple_of_four_pages(sample_pdf):
    reader = PdfReader(io.BytesIO(sample_pdf))
    assert len(reader.pages) % 4 == 0
    assert {size_of(page.mediabox) for page in reader.pages} == {A5}


def test_cover_contents_days_films_venues_sections_back_in_that_order(sample_pages):
    assert sample_pages[0].startswith("FESTIVAL PROGRAMME Kinofest Berlin Berlin 19–21 November 2021")
    assert sample_pages[1].startswith("Contents") and "Programme by day" in sample_pages[1]
    order = [
        next(n for n, page in enumerate(sample_pages) if page.startswith(part))
        for part in ("Programme by day", "Films A to Z", "Venues", "Index of sections")
    ]
    assert order == sorted(order)
    assert "This booklet prints the programme as published: Version 2" in sample_pages[-1]


def test_contents_give_the_page_each_part_and_day_starts_on(sample_pages):
    contents = sample_pages[1]
    for label in (
        "Programme by day",
        "Friday 19 November",
        "Saturday 20 November",
        "Sunday 21 November",
        "Films A to Z",
        "Venues",
        "Sections",
    ):
        page = int(re.search(re.escape(label) + r"(?: \d+ screenings)? (\d+)", contents).group(1))
        assert label.replace("Sections", "Index of sections") in sample_pages[page - 1], label


def test_notes_pages_pad_the_booklet_before_the_back_page(sample_pages):
    notes = [n for n, page in enumerate(sample_pages) if page == "Notes"]
    assert len(notes) == padding_pages(len(sample_pages) - len(notes)) > 0
    assert notes == list(range(len(sample_pages) - 1 - len(notes), len(sample_pages) - 1))


def test_days_run_on_the_same_page_when_they_fit():
    pages = pages_of(render_booklet_pdf(programme_of_days(3, screenings_per_day=3)))
    programme = next(page for page in pages if page.startswith("Programme by day"))
    assert all(day in programme for day in ("Friday 19 November", "Saturday 20 November", "Sunday 21 November"))


def test_a_days_heading_never_sits_alone_at_the_foot_of_a_page(festival_week):
    _pdf, pages = festival_week
    days = re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d+ November")
    checked = 0
    first = next(n for n, page in enumerate(pages) if page.startswith("Programme by day"))
    last = next(n for n, page in enumerate(pages) if page.startswith("Films A to Z"))
    for page in pages[first:last]:
        body = re.sub(r" (?:Programme by day|\w+day \d+ November) \d+$", "", page)  # running head, page number
        for heading in days.finditer(body):
            after = body[heading.end() :]
            assert re.match(r" \d{2}:\d{2} ", after), f"a heading without a screening after it: {body[-200:]}"
            checked += 1
    assert checked >= 7  # every day's heading was seen on some page


def test_films_a_to_z_with_synopsis_credits_language_and_every_screening(sample_pages):
    films = " ".join(page for page in sample_pages if "Films A to Z" in page)
    entry = films[films.index("The Cranes Are Flying Летят журавли") :]
    assert entry.index("Mikhail Kalatozov · USSR 1957 · 97 min") < entry.index("Russian with English subtitles")
    assert "Veronika and Boris are in love" in entry
    assert "Script Viktor Rozov · Cast Tatiana Samoilova, Aleksey Batalov" in entry
    assert "Fri 19 Nov 18:00–19:47 · Kino Arsenal" in entry and "Sun 21 Nov 15:00–16:37 · Kino Arsenal" in entry
    titles = re.findall(r"(The Ascent|Ballad of a Soldier|The Cranes Are Flying|The Last Tram|Night Train)", films)
    assert list(dict.fromkeys(titles)) == [
        "The Ascent",
        "Ballad of a Soldier",
        "The Cranes Are Flying",
        "The Last Tram",
        "Night Train",
    ]


def test_venues_with_address_and_access(sample_pages):
    venues = next(page for page in sample_pages if page.startswith("Venues"))
    assert "Kino Arsenal Potsdamer Straße 2 ♿ Step-free access" in venues
    assert (
        "Babylon Mitte Rosa-Luxemburg-Straße 30 Not step-free: ask the festival team for help getting in · "
        "450 seats" in venues
    )


def test_index_of_sections_points_to_each_films_page(sample_pages):
    index = next(page for page in sample_pages if page.startswith("Index of sections"))
    for title, section in (("The Ascent", "Retrospective"), ("Night Train to Tashkent", "Competition")):
        assert section in index
        page = int(re.search(re.escape(title) + r" (\d+)", index).group(1))
        assert title in sample_pages[page - 1] and "Films A to Z" in sample_pages[page - 1]


def test_a4_on_request(festival_week):
    pdf = render_booklet_pdf(festival_programme(), size="a4")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) % 4 == 0
    assert {size_of(page.mediabox) for page in reader.pages} == {A4}


def test_bleed_adds_3mm_around_the_trimmed_page_with_crop_marks():
    reader = PdfReader(io.BytesIO(render_booklet_pdf(festival_programme(), bleed=True)))
    page = reader.pages[3]
    assert size_of(page.trimbox) == A5
    bleed = 3 * MM
    assert [round(float(v), 1) for v in page.mediabox] == [
        round(-bleed, 1),
        round(-bleed, 1),
        round(A5[0] + bleed - 0.5, 1),
        round(595.3 + bleed, 1),
    ]
    assert [float(v) for v in page.bleedbox] == [float(v) for v in page.mediabox]
    assert len(reader.pages) % 4 == 0


def test_cyrillic_and_accents_print_in_embedded_dejavu(sample_pdf, sample_pages):
    text = " ".join(sample_pages)
    assert "Летят журавли" in text and "Восхождение" in text and "Potsdamer Straße" in text
    reader = PdfReader(io.BytesIO(sample_pdf))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert all(font.startswith("DejaVu-") for font in fonts), fonts  # embedded, no fallback font
    assert "DejaVu-Serif" in fonts  # synopses
    assert any("Condensed" in font for font in fonts)  # the programme


def test_original_titles_carry_their_language_for_hyphenation():
    html = render_booklet_html(festival_programme())
    assert '<span class="original" lang="ru">Летят журавли</span>' in html
    assert '<html lang="en">' in html


def test_long_words_hyphenate_where_the_language_allows():
    programme = festival_programme()
    words = "incomprehensibilities internationalisation characteristically " * 12
    film = programme.films[0].model_copy(update={"synopsis": words})
    pages = pages_of(render_booklet_pdf(programme.model_copy(update={"films": (film, *programme.films[1:])})))
    synopsis = next(page for page in pages if "incomprehensib" in page)
    assert "‐" in synopsis  # WeasyPrint's hyphen: a word was broken at a syllable


def test_an_empty_festival_still_makes_a_booklet():
    pages = pages_of(render_booklet_pdf(Programme(festival=FESTIVAL)))
    assert len(pages) % 4 == 0
    assert "No screenings published yet." in " ".join(pages)


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="unknown booklet size 'a3'"):
        render_booklet_html(festival_programme(), size="a3")
