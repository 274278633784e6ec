"""The autumn night's repeated hour in print: every printed time says which 01:30 it is."""

import csv
import io
from datetime import UTC, date, datetime

from app.printing import render_programme_csv, render_programme_html
from app.printing.model import screening_rows
from app.scheduling.programme import Programme
from tests.builders import BABYLON, BERLIN, FESTIVAL, festival_programme, screening

NIGHT = FESTIVAL.model_copy(update={"starts_on": date(2021, 10, 30), "ends_on": date(2021, 10, 31)})


def published() -> Programme:
    """Two screenings of one hour, one in each 02:30 of 31 October 2021 (Berlin), as stored."""
    first = screening(
        NIGHT,
        id=1,
        venue_id=BABYLON.id,
        film_ids=(5,),  # 88 min
        starts_at=datetime(2021, 10, 31, 0, 30, tzinfo=UTC).astimezone(BERLIN),
    )
    second = screening(
        NIGHT,
        id=2,
        venue_id=BABYLON.id,
        film_ids=(5,),
        starts_at=datetime(2021, 10, 31, 1, 30, tzinfo=UTC).astimezone(BERLIN),
    )
    working = Programme(
        festival=NIGHT,
        venues=(BABYLON,),
        films=festival_programme().films,
        screenings=(first, second),
        version=1,
        published_at=datetime(2021, 10, 1, tzinfo=UTC),
    )
    return Programme.model_validate(working.model_dump(mode="json"))


def test_printed_rows_tell_the_two_02_30s_apart():
    rows = screening_rows(published())
    # 00:30 UTC + 88 min = 01:58 UTC = 02:58 CET, the second time 02:58 is on the clock
    assert [(row.start, row.end) for row in rows] == [("02:30 CEST", "02:58 CET"), ("02:30 CET", "03:58")]


def test_the_programme_page_prints_both_abbreviations():
    html = render_programme_html(published(), "day")
    assert "02:30 CEST" in html and "02:30 CET" in html


def test_the_csv_tells_the_two_02_30s_apart():
    rows = list(csv.DictReader(io.StringIO(render_programme_csv(published()).removeprefix("\ufeff"))))
    assert [
        (row["starts_at"], row["starts_at_utc_offset"], row["ends_at"], row["ends_at_utc_offset"]) for row in rows
    ] == [
        ("2021-10-31 02:30", "UTC+02:00", "2021-10-31 02:58", "UTC+01:00"),
        ("2021-10-31 02:30", "UTC+01:00", "2021-10-31 03:58", "UTC+01:00"),
    ]


def test_the_change_sheet_tells_a_move_between_the_two_02_30s():
    from app.printing.changes import door_changes

    older = published()
    only_first = older.model_copy(update={"screenings": older.screenings[:1], "version": 1})
    moved = Programme(
        festival=NIGHT,
        venues=(BABYLON,),
        films=older.films,
        version=2,
        published_at=datetime(2021, 10, 2, tzinfo=UTC),
        screenings=(older.screenings[1].model_copy(update={"id": 1}),),
    )

    [change] = door_changes(only_first, moved)

    assert (change.kind, change.time) == ("moved", "02:30 CEST")
    assert "02:30 CEST" in change.what and "02:30 CET" in change.what.replace("02:30 CEST", "")


def test_a_feed_description_says_which_end_time_it_is():
    from app.calendar import render_calendar

    feed = render_calendar(published()).decode()
    assert "ends about 02:58 CET" in feed.replace("\r\n ", "")
