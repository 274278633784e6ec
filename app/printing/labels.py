"""Words and dates as the printed programme spells them (English, locale-independent)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from app.scheduling.times import wall_clock_label

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

PREMIERES = {
    "world": "World premiere",
    "international": "International premiere",
    "european": "European premiere",
    "national": "National premiere",
    "local": "Local premiere",
}
# most notable first: a screening shows the most notable premiere among its films
PREMIERE_RANK = {kind: rank for rank, kind in enumerate(PREMIERES)}

ACCESSIBILITY = {
    "subtitled": "Subtitled",
    "captioned": "Captioned",
    "audio_description": "Audio description",
    "relaxed": "Relaxed screening",
}

CHANGE_LABELS = {
    "added": "Added",
    "moved": "New venue",
    "retimed": "New time",
    "cancelled": "Cancelled",
}


def long_day(day: date) -> str:
    """'Friday 19 November'."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def short_day(day: date) -> str:
    """'Fri 19 Nov'."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}"


def full_date(day: date) -> str:
    """'19 November 2021'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_range(starts_on: date, ends_on: date) -> str:
    """'19–27 November 2021', '28 November – 3 December 2021' or across years."""
    if starts_on == ends_on:
        return full_date(starts_on)
    if starts_on.year != ends_on.year:
        return f"{full_date(starts_on)} – {full_date(ends_on)}"
    if starts_on.month != ends_on.month:
        return f"{starts_on.day} {MONTHS[starts_on.month - 1]} – {full_date(ends_on)}"
    return f"{starts_on.day}–{full_date(ends_on)}"


def clock(moment: datetime, zone: tzinfo | None = None) -> str:
    """'22:00' in the festival's `zone` ('01:30 CEST' / '01:30 CET' in an hour the clocks
    repeat); without a zone the moment must already be in the festival's zone."""
    in_zone = zone or moment.tzinfo
    assert in_zone is not None, "a naive moment needs the festival's zone"
    return wall_clock_label(moment, in_zone)


def minutes(count: int) -> str:
    """'97 min'."""
    return f"{count} min"


def plain_list(items: tuple[str, ...] | list[str], separator: str = ", ") -> str:
    return separator.join(item for item in items if item)
