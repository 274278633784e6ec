"""The board's layout, pure: positions, levels, turnaround bands, shaded hours and booked shares."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.scheduling.board import MAX_COLUMNS, Item, Lane, Span, lay_out
from app.scheduling.times import day_bounds

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2021, month, day, hour, minute, tzinfo=BERLIN)


def friday():
    return day_bounds(date(2021, 11, 19), BERLIN)


def test_blocks_sit_where_they_run_with_their_turnaround_after_them():
    opens, closes = friday()
    layout = lay_out(
        opens,
        closes,
        BERLIN,
        [Lane(1, 20)],
        [
            Item(1, 1, at(19, 18), at(19, 19, 51), "confirmed"),
            Item(2, 1, at(19, 22), at(20, 0, 19), "draft"),
        ],
    )
    assert layout.first == at(19, 10)  # four hours after the day opens at 06:00
    assert layout.hours[0].label == "10:00" and layout.hours[0].span == Span(0, 12)
    ascent, comrades = layout.rows[0].blocks
    assert ascent.span == Span(96, 23) and ascent.level == 0  # 18:00 is 8 h after 10:00; 111 min rounds up
    assert ascent.turnaround == Span(118, 5)  # 19:51 to 20:11, on 5-minute columns
    assert comrades.span == Span(144, 28)
    assert layout.columns == (datetime(2021, 11, 20, 1, tzinfo=BERLIN) - layout.first) // timedelta(minutes=5)


def test_overlapping_screenings_go_on_separate_levels_and_cancelled_ones_book_nothing():
    opens, closes = friday()
    layout = lay_out(
        opens,
        closes,
        BERLIN,
        [Lane(1, 15)],
        [
            Item(1, 1, at(19, 18), at(19, 20), "confirmed"),
            Item(2, 1, at(19, 19), at(19, 21), "draft"),
            Item(3, 1, at(19, 20, 30), at(19, 22), "cancelled"),
        ],
    )
    row = layout.rows[0]
    assert [b.level for b in row.blocks] == [0, 1, 0]
    assert row.levels == 2
    assert row.blocks[2].turnaround is None
    assert row.booked_minutes == 180  # 18:00 to 21:00, the overlap counted once
    assert row.open_minutes == 24 * 60  # no availability given: open all the festival day
    assert round(row.share, 3) == 0.125


def test_unavailable_hours_are_shaded_and_the_share_counts_open_hours_only():
    opens, closes = friday()
    lane = Lane(1, 15, availability=((at(19, 16), at(19, 23)),))
    layout = lay_out(opens, closes, BERLIN, [lane], [Item(1, 1, at(19, 15), at(19, 17), "draft")])
    row = layout.rows[0]
    assert layout.first == at(19, 10)
    assert row.closed == (Span(0, 72), Span(156, layout.columns - 156))  # 10:00-16:00 and from 23:00
    assert (row.booked_minutes, row.open_minutes) == (60, 7 * 60)


def test_a_day_across_the_clock_change_is_laid_out_in_absolute_time():
    zone = BERLIN
    opens, closes = day_bounds(date(2021, 10, 30), zone)  # clocks go back at 03:00 on the 31st
    layout = lay_out(
        opens,
        closes,
        zone,
        [Lane(1, 0)],
        [Item(1, 1, datetime(2021, 10, 31, 1, 30, tzinfo=zone), datetime(2021, 10, 31, 4, 0, tzinfo=zone), "draft")],
    )
    block = layout.rows[0].blocks[0]
    assert block.span.width == 3 * 12 + 6  # 01:30 to 04:00 lasts 3 h 30 min that night
    labels = [h.label for h in layout.hours]
    assert labels.count("02:00") == 2  # the repeated hour shows twice
    assert layout.rows[0].open_minutes == 25 * 60


def test_the_board_never_grows_beyond_its_widest():
    opens, closes = friday()
    layout = lay_out(
        opens,
        closes,
        BERLIN,
        [Lane(1, 15)],
        [Item(1, 1, at(19, 7), at(20, 7), "draft"), Item(2, 1, at(20, 5), at(21, 4), "draft")],
    )
    assert layout.columns <= MAX_COLUMNS
    assert all(b.span.start + b.span.width <= layout.columns for b in layout.rows[0].blocks)


def test_the_grid_stylesheet_is_the_generated_one():
    from pathlib import Path

    from app.web.board import grid_stylesheet

    path = Path(__file__).resolve().parents[2] / "app" / "web" / "static" / "board-grid.css"
    assert path.read_text() == grid_stylesheet(), "regenerate app/web/static/board-grid.css"
