"""iCalendar feeds: a pure renderer from a published Programme to bytes."""

from app.calendar.feed import render_calendar, screening_uid
from app.calendar.selectors import (
    screenings_at_venue,
    screenings_in_section,
    screenings_of_film,
)

__all__ = [
    "render_calendar",
    "screening_uid",
    "screenings_at_venue",
    "screenings_in_section",
    "screenings_of_film",
]
