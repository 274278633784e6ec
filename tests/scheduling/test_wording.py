"""Screenings and refusals in words: films, day, time and venue, never only an id."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.scheduling.conflicts import Conflict
from app.scheduling.wording import Named, describe, reason, refusal, when

BERLIN = ZoneInfo("Europe/Berlin")
COMRADES = Named("Dear Comrades!", datetime(2021, 11, 19, 22, 0, tzinfo=BERLIN), "Caligari")
ASCENT = Named("The Ascent", datetime(2021, 11, 19, 20, 0, tzinfo=BERLIN), "Caligari")
NAMES = {22: COMRADES, 21: ASCENT}


def conflict(kind: str, ids=(21, 22), minutes: int = 10, severity: str = "error") -> Conflict:
    return Conflict(kind, severity, ids, minutes, "engine's words", date(2021, 11, 19))


def test_a_screening_is_named_by_films_day_time_and_venue():
    assert when(COMRADES.starts_at) == "Fri 19 Nov 22:00"
    assert str(COMRADES) == "Dear Comrades! (Fri 19 Nov 22:00, Caligari)"


def test_a_refusal_says_what_when_where_and_why():
    text = refusal(COMRADES, True, [conflict("venue_overlap", minutes=1)], 22, NAMES)
    assert text == (
        "The new screening of Dear Comrades! (Fri 19 Nov 22:00, Caligari) cannot be confirmed: "
        "1 error-level conflict with confirmed screenings: it overlaps The Ascent "
        "(Fri 19 Nov 20:00, Caligari) by 1 minute in Caligari."
    )
    assert reason(conflict("print_clash"), 22, NAMES) == (
        "there are not enough prints: The Ascent (Fri 19 Nov 20:00, Caligari) still holds them (10 minutes short)"
    )
    assert reason(conflict("venue_unavailable", ids=(22,)), 22, NAMES) == (
        "Caligari is not available for 10 minutes of it"
    )
    many = refusal(ASCENT, False, [conflict("venue_overlap")] * 5, 21, NAMES)
    assert many.startswith("The Ascent (Fri 19 Nov 20:00, Caligari) cannot be confirmed: 5 error-level conflicts")
    assert many.endswith("; and 2 more.")


def test_conflicts_are_described_by_name_and_fall_back_to_the_engine_when_one_is_unknown():
    assert describe(conflict("turnaround", severity="warning"), NAMES) == (
        "Dear Comrades! (Fri 19 Nov 22:00, Caligari) starts too soon after The Ascent (Fri 19 Nov 20:00, "
        "Caligari) ends: Caligari is 10 minutes short of its turnaround."
    )
    assert describe(conflict("guest_clash", ids=(21, 99)), NAMES) == "engine's words"
