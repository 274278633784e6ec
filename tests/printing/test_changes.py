"""The door-staff sheet: what changed since version N, one line per screening, by day and time."""

from __future__ import annotations

import html as html_module
import re
from datetime import datetime

import pytest

from app.printing import ChangeEntry, door_changes, render_changes_html
from app.scheduling.programme import Programme
from app.scheduling.times import add_minutes, festival_day
from tests.builders import (
    ARSENAL,
    BABYLON,
    BALLAD_SUNDAY,
    BERLIN,
    CRANES_OPENING,
    LATE_ASCENT,
    at,
    festival_programme,
    screening,
)


def version(programme: Programme, number: int, **changes) -> Programme:
    """`programme` as version `number`, with screenings (by id) changed as given."""
    screenings = []
    for current in programme.screenings:
        update = changes.get(f"s{current.id}")
        if update is None:
            screenings.append(current)
            continue
        if "starts_at" in update:
            runtime = update.get("runtime_minutes", current.runtime_minutes)
            update = {**update, "ends_at": add_minutes(update["starts_at"], runtime)}
            update["festival_day"] = festival_day(update["starts_at"], BERLIN)
        screenings.append(current.model_copy(update=update))
    return programme.model_copy(
        update={"screenings": tuple(screenings), "version": number, "published_at": datetime(2021, 11, 12 + number, 12)}
    )


@pytest.fixture(scope="module")
def before() -> Programme:
    return version(festival_programme(), 1)


def lines(changes) -> list[str]:
    return [f"{change.time} {change.line}" for change in changes]


def test_a_screening_moved_to_a_later_time_is_one_line_in_the_festivals_words(before):
    after = version(before, 2, s1={"starts_at": at(0, 18, 30)})
    assert lines(door_changes(before, after)) == ["18:00 The Cranes Are Flying moved from 18:00 to 18:30, Kino Arsenal"]


def test_a_new_venue_at_the_same_time_names_both_venues(before):
    after = version(before, 2, s1={"venue_id": BABYLON.id})
    assert lines(door_changes(before, after)) == [
        "18:00 The Cranes Are Flying moved from Kino Arsenal to Babylon Mitte, 18:00"
    ]


def test_a_move_to_another_day_names_both_days(before):
    after = version(before, 2, s5={"starts_at": at(1, 14), "venue_id": BABYLON.id})
    assert lines(door_changes(before, after)) == [
        "15:00 The Cranes Are Flying moved from Sun 21 Nov 15:00, Kino Arsenal to Sat 20 Nov 14:00, Babylon Mitte"
    ]
    assert door_changes(before, after)[0].day == before.screenings[4].festival_day  # listed where it was


def test_cancelled_added_and_reinstated_screenings(before):
    extra = screening(id=7, venue_id=ARSENAL.id, starts_at=at(2, 21, 30), film_ids=(4,))
    after = version(before, 2, s6={"status": "cancelled"}, s4={"status": "confirmed"})
    after = after.model_copy(update={"screenings": (*after.screenings, extra)})
    assert lines(door_changes(before, after)) == [
        "16:00 Ballad of a Soldier back on: 16:00, Babylon Mitte",
        "20:00 Ballad of a Soldier at 20:00, Babylon Mitte: cancelled",
        "21:30 The Ascent added: 21:30, Kino Arsenal",
    ]
    assert [change.kind for change in door_changes(before, after)] == ["added", "cancelled", "added"]


def test_a_longer_evening_and_a_new_film_in_the_slot(before):
    longer = version(
        before, 2, s1={"ends_at": add_minutes(at(0, 18), 127), "runtime_minutes": 127}, s6={"film_ids": (4,)}
    )
    assert lines(door_changes(before, longer)) == [
        "18:00 The Cranes Are Flying at 18:00, Kino Arsenal, now ends 20:07 (was 19:47)",
        "20:00 The Ascent at 20:00, Babylon Mitte: now shows The Ascent (was Ballad of a Soldier)",
    ]


def test_changes_over_several_versions_appear_once_as_their_net_change(before):
    second = version(before, 2, s1={"starts_at": at(0, 18, 30)}, s3={"starts_at": at(1, 22)})
    third = version(second, 3, s1={"starts_at": at(0, 19)}, s3={"starts_at": at(1, 23, 30)})
    # the opening moved twice (one line, from where it was to where it is); the late show moved and back (none)
    assert lines(door_changes(before, third)) == ["18:00 The Cranes Are Flying moved from 18:00 to 19:00, Kino Arsenal"]


def test_lines_run_by_day_then_time(before):
    after = version(
        before, 2, s6={"starts_at": at(2, 20, 15)}, s1={"starts_at": at(0, 18, 15)}, s3={"venue_id": BABYLON.id}
    )
    assert [(change.screening_id, change.day.day) for change in door_changes(before, after)] == [
        (CRANES_OPENING, 19),
        (LATE_ASCENT, 20),
        (BALLAD_SUNDAY, 21),
    ]


def test_nothing_changed_is_an_empty_list(before):
    assert door_changes(before, version(before, 2)) == []


def test_the_sheet_groups_lines_under_their_day_and_links_each_screening(before):
    after = version(before, 2, s1={"starts_at": at(0, 18, 30)}, s6={"status": "cancelled"})
    page = render_changes_html(after, 1, door_changes(before, after), base_url="https://marquee.example")
    text = " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1])).split())
    assert "Changes since version 1" in text
    assert "2 screenings changed" in text
    friday, sunday = text.index("Friday 19 November"), text.index("Sunday 21 November")
    assert friday < text.index("18:00 The Cranes Are Flying moved from 18:00 to 18:30, Kino Arsenal") < sunday
    assert sunday < text.index("20:00 Ballad of a Soldier at 20:00, Babylon Mitte: cancelled")
    assert 'href="https://marquee.example/festivals/kinofest-2021/programme?by=day#s1"' in page
    assert 'href="https://marquee.example/festivals/kinofest-2021/programme.pdf?since=1"' in page


def test_the_sheet_without_changes_says_so(before):
    assert "Nothing has changed since version 2." in render_changes_html(version(before, 2), 2, [])


def test_unknown_changelog_kind_is_refused():
    with pytest.raises(ValueError, match="unknown change kind 'renamed'"):
        ChangeEntry("renamed", 1, "The Ascent")
