"""The view model: festival days, "+1" after midnight, premieres, A to Z, the grid's geometry."""

from datetime import date, datetime

import pytest

from app.printing.grid import grid_days
from app.printing.model import by_day, by_film, by_venue, screening_rows
from app.scheduling.programme import Programme
from tests.builders import (
    BABYLON,
    BERLIN,
    CANCELLED_BALLAD,
    CRANES_AGAIN,
    CRANES_OPENING,
    FESTIVAL,
    LATE_ASCENT,
    SHORT_AND_FEATURE,
    at,
    festival_programme,
    screening,
)


def rows_by_id(programme):
    return {row.id: row for row in screening_rows(programme)}


def test_a_screening_after_2330_stays_on_the_day_it_starts(programme):
    days = by_day(screening_rows(programme))
    assert [day.day for day in days] == [date(2021, 11, 19), date(2021, 11, 20), date(2021, 11, 21)]
    assert [row.id for row in days[1].rows] == [CANCELLED_BALLAD, LATE_ASCENT]


def test_short_before_feature_ends_after_midnight_with_plus_one(programme):
    row = rows_by_id(programme)[SHORT_AND_FEATURE]
    assert (row.start, row.end, row.runtime) == ("22:00", "00:32", 152)
    assert row.ends_next_day is True
    assert row.starts_next_day is False
    assert [film.title for film in row.films] == ["The Last Tram", "Night Train to Tashkent"]
    assert row.title == "The Last Tram + Night Train to Tashkent"


def test_a_screening_starting_after_midnight_belongs_to_the_evening_before():
    late = screening(id=9, venue_id=BABYLON.id, starts_at=at(1, 1, 30), film_ids=(1,))
    programme = festival_programme().model_copy(update={"screenings": (late,)})
    row = screening_rows(programme)[0]
    assert row.day == date(2021, 11, 19)
    assert (row.starts_next_day, row.ends_next_day) == (True, True)


def test_screening_shows_its_most_notable_premiere_and_every_section(programme):
    row = rows_by_id(programme)[SHORT_AND_FEATURE]
    assert row.premiere == "World premiere"
    assert row.sections == ("Shorts & Debuts", "Competition")
    assert row.labels == ("Shorts & Debuts", "Competition", "World premiere")


def test_language_line_and_extras(programme):
    rows = rows_by_id(programme)
    assert rows[SHORT_AND_FEATURE].language_line == "No dialogue, Uzbek, Russian · English subtitles"
    assert rows[SHORT_AND_FEATURE].extras == ("Q&A with Dilnoza Karimova (20 min)",)
    assert rows[CRANES_OPENING].extras == ("Introduction 10 min",)
    assert rows[CRANES_OPENING].accessibility == ("Captioned", "Step-free venue")


def test_venue_view_groups_by_venue_then_day(programme):
    venues = by_venue(programme, screening_rows(programme))
    assert [group.venue.name for group in venues] == ["Kino Arsenal", "Babylon Mitte"]
    assert [[row.id for row in day.rows] for day in venues[0].days] == [
        [CRANES_OPENING],
        [LATE_ASCENT],
        [CRANES_AGAIN],
    ]


def test_film_index_is_a_to_z_with_every_screening_of_each_film(programme):
    letters = by_film(screening_rows(programme))
    assert [group.letter for group in letters] == ["A", "B", "C", "L", "N"]
    titles = [entry.line.title for group in letters for entry in group.films]
    assert titles == [
        "The Ascent",
        "Ballad of a Soldier",
        "The Cranes Are Flying",
        "The Last Tram",
        "Night Train to Tashkent",
    ]
    cranes = letters[2].films[0]
    assert [row.id for row in cranes.rows] == [CRANES_OPENING, CRANES_AGAIN]
    assert cranes.line.original_title == "Летят журавли"


def test_grid_blocks_are_as_long_as_the_screening_and_run_past_midnight(programme):
    friday = grid_days(programme, by_day(screening_rows(programme)))[0]
    assert friday.hours[0].label == "18:00"
    assert friday.hours[-1].label == "01:00"  # 22:00 + 152 min ends 00:32
    assert friday.span == 7 * 60
    blocks = {block.row.id: block for column in friday.pages[0].columns for block in column.blocks}
    assert (blocks[CRANES_OPENING].offset, blocks[CRANES_OPENING].length) == (0, 107)
    assert (blocks[SHORT_AND_FEATURE].offset, blocks[SHORT_AND_FEATURE].length) == (240, 152)


def test_grid_hours_follow_the_clock_through_a_daylight_saving_change():
    # Berlin's clocks go back at 03:00 CEST on 31 October 2021: 02:00 happens twice
    festival = FESTIVAL.model_copy(update={"starts_on": date(2021, 10, 30), "ends_on": date(2021, 10, 31)})
    night = screening(
        festival,
        id=1,
        venue_id=BABYLON.id,
        starts_at=datetime(2021, 10, 30, 22, 0, tzinfo=BERLIN),
        film_ids=(1, 3, 5),  # 97 + 120 + 88 = 305 minutes
    )
    programme = festival_programme().model_copy(update={"festival": festival, "screenings": (night,)})
    row = screening_rows(programme)[0]
    # a time in the repeated hour says which of the two it is
    assert (row.start, row.end, row.ends_next_day) == ("22:00", "02:05 CET", True)
    grid = grid_days(programme, by_day([row]))[0]
    assert [hour.label for hour in grid.hours] == [
        "22:00", "23:00", "00:00", "01:00", "02:00 CEST", "02:00 CET", "03:00",
    ]  # fmt: skip
    assert grid.pages[0].columns[0].blocks[0].length == 305


@pytest.mark.parametrize(
    ("first_start", "dates", "labels"),
    [
        # the autumn night: a block at 05:00 CET sits beside "05:00", not "06:00"
        (
            datetime(2021, 10, 30, 23, 0, tzinfo=BERLIN),
            (date(2021, 10, 30), date(2021, 10, 31)),
            ["23:00", "00:00", "01:00", "02:00 CEST", "02:00 CET", "03:00", "04:00", "05:00", "06:00", "07:00"],
        ),
        # the spring night: no mark for 02:00, an hour that never existed
        (
            datetime(2021, 3, 27, 23, 0, tzinfo=BERLIN),
            (date(2021, 3, 27), date(2021, 3, 28)),
            ["23:00", "00:00", "01:00", "03:00", "04:00", "05:00", "06:00", "07:00"],
        ),
    ],
    ids=["autumn", "spring"],
)
def test_grid_marks_of_a_published_version_read_the_wall_clock_at_their_instant(first_start, dates, labels):
    festival = FESTIVAL.model_copy(update={"starts_on": dates[0], "ends_on": dates[1]})
    evening = screening(festival, id=1, venue_id=BABYLON.id, starts_at=first_start, film_ids=(1,))
    dawn = screening(
        festival,
        id=2,
        venue_id=BABYLON.id,
        starts_at=datetime(dates[1].year, dates[1].month, dates[1].day, 5, 0, tzinfo=BERLIN),
        film_ids=(5,),
    )
    working = Programme(
        festival=festival, venues=(BABYLON,), films=festival_programme().films, screenings=(evening, dawn)
    )
    published = Programme.model_validate(working.model_dump(mode="json"))  # fixed offsets, as stored

    grid = grid_days(published, by_day(screening_rows(published)))[0]

    assert [hour.label for hour in grid.hours] == labels
    block = grid.pages[0].columns[0].blocks[1]
    assert grid.hours[labels.index("05:00")].offset == block.offset


def test_grid_puts_overlapping_blocks_of_one_venue_side_by_side(programme):
    replacement = screening(id=7, venue_id=BABYLON.id, starts_at=at(1, 16), film_ids=(1,))
    programme = programme.model_copy(update={"screenings": (*programme.screenings, replacement)})
    saturday = grid_days(programme, by_day(screening_rows(programme)))[1]
    babylon = next(column for column in saturday.pages[0].columns if column.venue == BABYLON)
    assert [(block.row.id, block.lane, block.lanes) for block in babylon.blocks] == [
        (7, 0, 2),
        (CANCELLED_BALLAD, 1, 2),
    ]


def test_grid_splits_venues_into_pages_for_print(programme):
    friday = grid_days(programme, by_day(screening_rows(programme)), venues_per_page=1)[0]
    assert [(page.part, page.parts) for page in friday.pages] == [(1, 2), (2, 2)]
