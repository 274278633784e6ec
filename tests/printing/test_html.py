"""The HTML views: what a festival-goer reads on screen and what the PDF is typeset from."""

import html as html_module
import re

import pytest

from app.printing import BY, ChangeEntry, render_programme_html
from app.printing.html import SCREEN_PX_PER_MINUTE
from app.scheduling.programme import Programme
from tests.builders import (
    FESTIVAL,
    LATE_ASCENT,
    SHORT_AND_FEATURE,
    festival_programme,
)


def text_of(html: str) -> str:
    """The visible text of a page, tags removed and whitespace collapsed."""
    body = html.split("<body", 1)[1]
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00a0", " ")
    return " ".join(text.split())


@pytest.mark.parametrize("by", BY)
def test_every_view_names_every_film_and_the_original_title(programme, by):
    html = render_programme_html(programme, by)
    for title in ("The Cranes Are Flying", "Night Train to Tashkent", "The Ascent", "Ballad of a"):
        assert title in html
    if by != "grid":
        assert "Летят журавли" in html


def test_day_view_lists_days_in_order_with_screenings_in_time_order(programme):
    text = text_of(render_programme_html(programme, "day"))
    friday, saturday, sunday = (
        text.index(day) for day in ("Friday 19 November", "Saturday 20 November", "Sunday 21 November")
    )
    assert friday < text.index("22:00–00:32") < saturday
    assert saturday < text.index("16:00") < text.index("23:30–01:21") < sunday


def test_day_view_marks_an_end_after_midnight_with_plus_one(programme):
    html = render_programme_html(programme, "day")
    assert re.search(r"22:00–00:32<sup class=\"next-day\" title=\"ends after midnight", html)
    assert "18:00–19:47 ·" in text_of(html)  # ends the same day: no mark


def test_day_view_shows_films_inside_a_programme_with_credits_short_first(programme):
    text = text_of(render_programme_html(programme, "day"))
    short = text.index("The Last Tram · Dilnoza Karimova · Uzbekistan 2020 · 12 min")
    feature = text.index(
        "Night Train to Tashkent Toshkentga tungi poyezd · Dilnoza Karimova · Uzbekistan, Germany 2021 · 120 min"
    )
    assert short < feature


def test_day_view_shows_venue_languages_extras_section_premiere_and_access(programme):
    text = text_of(render_programme_html(programme, "day"))
    assert (
        "Babylon Mitte · 22:00–00:32 +1 · 152 min · No dialogue, Uzbek, Russian · "
        "English subtitles · Q&A with Dilnoza Karimova (20 min)"
    ) in text
    assert "Shorts & Debuts · Competition · World premiere" in text
    assert "Kino Arsenal ♿ · 18:00–19:47 · 107 min · Russian · English subtitles · " in text
    assert "Introduction 10 min" in text
    assert "Captioned" in text


def test_cancelled_screening_stays_struck_through_with_the_word_cancelled(programme):
    html = render_programme_html(programme, "day")
    article = re.search(r'<article class="screening cancelled" id="s4">.*?</article>', html)
    assert article
    assert "<s>Ballad of a Soldier</s>" in article.group(0)
    assert "Cancelled" in article.group(0)


@pytest.mark.parametrize("by", ["venue", "film", "grid"])
def test_cancelled_screening_is_labelled_in_every_view(programme, by):
    assert "Cancelled" in render_programme_html(programme, by)


def test_nav_links_to_the_views_pdf_and_csv(programme):
    html = render_programme_html(programme, "venue", base_url="https://marquee.example/")
    base = "https://marquee.example/festivals/kinofest-2021/programme"
    for view in BY:
        assert f'href="{base}?by={view}"' in html
    assert f'href="{base}.pdf?by=venue"' in html
    assert f'href="{base}.csv"' in html
    assert f'<a href="{base}?by=venue" aria-current="page">' in html


def test_nav_links_to_the_booklet_the_workbook_and_the_changes_since_the_last_version(programme):
    html = render_programme_html(programme, "day", base_url="https://marquee.example")
    base = "https://marquee.example/festivals/kinofest-2021"
    assert f'<a href="{base}/booklet.pdf">Booklet</a>' in html
    assert f'<a href="{base}/programme.xlsx">Excel</a>' in html
    assert f'<a href="{base}/programme?since=1">Changes since v1</a>' in html  # version 2 is the latest
    first = render_programme_html(programme.model_copy(update={"version": 1}), "day")
    assert "?since=" not in first  # nothing to compare the first version with


def test_print_html_has_cover_and_no_navigation(programme):
    html = render_programme_html(programme, "day", for_pdf=True)
    assert '<nav class="nav"' not in html
    assert '<section class="cover">' in html
    assert "Version 2, published 12 November 2021" in html
    assert '<nav class="toc">' in html


def test_stylesheet_prints_a4_with_page_numbers_and_hides_navigation(programme):
    html = render_programme_html(programme, "day")
    assert "size: A4;" in html
    assert 'content: counter(page) " / " counter(pages)' in html
    assert re.search(r"@media print \{.*?\.nav, [^{]*\{ display: none; \}", html, re.S)
    assert '"DejaVu Sans", sans-serif' in html


def grid_blocks(html: str) -> list[tuple[int, float, float, str]]:
    """(runtime, top, height, unit) of every grid block: its position is a rule in the page's
    <style>, keyed by the block's id (the pages carry no style attributes)."""
    rules = {
        m[0]: (float(m[1]), float(m[2]), m[3])
        for m in re.findall(r"#(b[\d-]+)\{top:([\d.]+)(?:px|mm);height:([\d.]+)(px|mm)", html)
    }
    blocks = re.findall(r'id="(b[\d-]+)" data-runtime="(\d+)"', html)
    return [(int(runtime), *rules[block_id]) for block_id, runtime in blocks]


def test_grid_block_heights_are_proportional_to_runtime(programme):
    html = render_programme_html(programme, "grid")
    blocks = grid_blocks(html)
    assert len(blocks) == len(programme.screenings)
    for runtime, _top, height, unit in blocks:
        assert unit == "px"
        assert height == pytest.approx(runtime * SCREEN_PX_PER_MINUTE)


def test_grid_screening_past_midnight_extends_below_the_last_evening_hour(programme):
    html = render_programme_html(programme, "grid")
    friday = html.split('id="day-2021-11-19"', 1)[1].split('class="grid-day', 1)[0]
    day = re.search(r'<section class="grid-day (day-\d+)" id="day-2021-11-19"', html).group(1)
    body_height = float(re.search(rf"\.{day} \.grid-body\{{height:([\d.]+)px", html).group(1))
    top, height = next((top, height) for runtime, top, height, _ in grid_blocks(html) if runtime == 152)
    assert top == 240 * SCREEN_PX_PER_MINUTE  # 22:00, four hours below 18:00
    assert top + height <= body_height
    hours = re.search(r'<div class="hours"[^>]*>([^<]*)</div>', friday).group(1)
    assert hours.split("\n") == ["18:00", "19:00", "20:00", "21:00", "22:00", "23:00", "00:00"]


def test_print_grid_is_measured_in_millimetres(programme):
    html = render_programme_html(programme, "grid", for_pdf=True)
    assert any(runtime == 152 and unit == "mm" for runtime, _top, _height, unit in grid_blocks(html))


def test_no_view_has_a_style_attribute_or_inline_script(programme):
    """A served page's CSP allows its one <style> by hash, and nothing else inline."""
    for by in BY:
        for for_pdf in (False, True):
            html = render_programme_html(programme, by, for_pdf=for_pdf)
            assert " style=" not in html and "<script" not in html and html.count("<style>") == 1, by


def test_text_is_escaped(programme):
    film = programme.films[0].model_copy(update={"title": "<script>alert(1)</script>"})
    hostile = programme.model_copy(update={"films": (film, *programme.films[1:])})
    html = render_programme_html(hostile, "film")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_changed_screenings_carry_a_badge(programme):
    changes = [
        ChangeEntry("retimed", LATE_ASCENT, "The Ascent", "Sat 22:00", "Sat 23:30"),
        ChangeEntry("added", SHORT_AND_FEATURE, "The Last Tram + Night Train to Tashkent"),
    ]
    html = render_programme_html(programme, "day", changes=changes)
    assert '<span class="tag-change">New time</span>' in html
    assert '<span class="tag-change">Added</span>' in html


def test_empty_programme_says_so():
    empty = Programme(festival=FESTIVAL)
    for by in BY:
        assert "No screenings published yet." in render_programme_html(empty, by)


def test_unknown_view_is_refused(programme):
    with pytest.raises(ValueError, match="unknown programme view 'month'"):
        render_programme_html(programme, "month")


def test_unpublished_programme_says_it_is_a_working_copy():
    draft = festival_programme().model_copy(update={"version": 0, "published_at": None})
    assert "Working copy, not yet published" in render_programme_html(draft, "day")
