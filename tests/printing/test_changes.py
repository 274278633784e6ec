"""The "changes since version N" sheet."""

import re

import pytest

from app.printing import ChangeEntry, render_changes_html
from tests.printing.builders import CANCELLED_BALLAD, LATE_ASCENT, SHORT_AND_FEATURE

CHANGES = [
    ChangeEntry("added", SHORT_AND_FEATURE, "The Last Tram + Night Train to Tashkent",
                after="Fri 19 Nov 22:00, Babylon Mitte"),
    ChangeEntry("retimed", LATE_ASCENT, "The Ascent", "Sat 20 Nov 21:00", "Sat 20 Nov 23:30"),
    ChangeEntry("cancelled", CANCELLED_BALLAD, "Ballad of a Soldier", "Sat 20 Nov 16:00"),
]  # fmt: skip


def test_unknown_change_kind_is_refused():
    with pytest.raises(ValueError, match="unknown change kind 'renamed'"):
        ChangeEntry("renamed", 1, "The Ascent")


def test_sheet_lists_cancellations_first_then_new_times_then_additions(programme):
    html = render_changes_html(programme, 1, CHANGES, base_url="https://marquee.example")
    assert "Changes since version 1" in html
    headings = re.findall(r'<h3 class="subgroup-title">([^<]+)<', html)
    assert [heading.strip() for heading in headings] == ["Cancelled", "New times", "Added"]
    assert '<span class="change-before">Sat 20 Nov 21:00</span>' in html
    assert '<span class="change-after">Sat 20 Nov 23:30</span>' in html
    assert 'href="https://marquee.example/festivals/kinofest-2021/programme?by=day#s3"' in html


def test_sheet_without_changes_says_so(programme):
    assert "Nothing has changed since version 2." in render_changes_html(programme, 2, [])
