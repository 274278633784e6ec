"""What changed between two published versions, as door staff read it: one line per screening.

`door_changes` compares the two versions directly, so a screening changed in several versions
in between appears once, with its net change (moved twice is one move from where it was to
where it is; moved and moved back is no change at all). A line stands under the festival day
and time the audience knew: a moved or cancelled screening where it was, an added one where it
will be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from app.printing import labels
from app.scheduling.programme import Programme, ScreeningInfo, screening_title
from app.scheduling.times import instant

CHANGE_KINDS = ("added", "moved", "retimed", "cancelled")
DOOR_CHANGE_KINDS = ("cancelled", "moved", "retimed", "films", "added")


@dataclass(frozen=True)
class ChangeEntry:
    """One line of a changelog: a screening added, moved, retimed or cancelled.

    `before` and `after` are short human-readable descriptions filled in by the publishing
    code (e.g. "Fri 19 Nov 22:00, Kino Arsenal"); either may be None.
    """

    kind: str
    screening_id: int
    title: str
    before: str | None = None
    after: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in CHANGE_KINDS:
            raise ValueError(f"unknown change kind {self.kind!r}; expected one of {CHANGE_KINDS}")


@dataclass(frozen=True)
class DoorChange:
    """A screening's net change since an earlier version: "*Hot Snow* moved from 18:30 to 19:00, Murnau"."""

    kind: str  # cancelled, moved (time or venue), retimed (end only), films (what it shows), added
    screening_id: int
    title: str
    what: str  # the words after the title
    day: date  # the festival day the line stands under
    at: datetime  # the time it stands at
    venue_order: int = 0

    @property
    def time(self) -> str:
        return labels.clock(self.at)

    @property
    def line(self) -> str:
        """The whole line as plain text."""
        return f"{self.title} {self.what}"


def _place(screening: ScreeningInfo, venue: str, day: bool, time: bool, where: bool, zone: tzinfo) -> str:
    """'18:30', 'Caligari', '18:30, Caligari' or 'Fri 19 Nov 18:30, Caligari': only what changed."""
    when = [labels.short_day(screening.festival_day)] if day else []
    if day or time:
        when.append(labels.clock(screening.starts_at, zone))
    return ", ".join([*([" ".join(when)] if when else []), *([venue] if where else [])])


def _films(programme: Programme, screening: ScreeningInfo) -> list[str]:
    films = programme.films_by_id
    return [films[film_id].title for film_id in screening.film_ids if film_id in films]


def door_changes(older: Programme, newer: Programme) -> list[DoorChange]:
    """Each screening whose time, venue, films or status differ between the versions, once, by day and time."""
    before = {screening.id: screening for screening in older.screenings}
    venue_names = {venue.id: venue.name for venue in (*older.venues, *newer.venues)}
    venue_order = {venue.id: index for index, venue in enumerate(newer.venues)}
    zone = newer.festival.zone

    def clock(moment: datetime) -> str:  # in the festival's zone, so the repeated hour says which one
        return labels.clock(moment, zone)

    changes = []
    for now in newer.screenings:
        was = before.get(now.id)
        title = screening_title(now.title, _films(newer, now))
        venue = venue_names.get(now.venue_id, "")
        order = venue_order.get(now.venue_id, len(venue_order))
        if was is None or was.status != "confirmed":  # not shown before
            if now.status == "confirmed":
                words = "back on" if was is not None else "added"
                changes.append(
                    DoorChange(
                        "added",
                        now.id,
                        title,
                        f"{words}: {clock(now.starts_at)}, {venue}",
                        now.festival_day,
                        now.starts_at.astimezone(zone),
                        order,
                    )
                )
            continue
        old_venue = venue_names.get(was.venue_id, "")
        if now.status == "cancelled":
            changes.append(
                DoorChange(
                    "cancelled",
                    now.id,
                    title,
                    f"at {clock(was.starts_at)}, {old_venue}: cancelled",
                    was.festival_day,
                    was.starts_at.astimezone(zone),
                    order,
                )
            )
            continue
        new_day = now.festival_day != was.festival_day
        new_time = instant(now.starts_at) != instant(was.starts_at)
        new_venue = now.venue_id != was.venue_id
        old_films, new_films = _films(older, was), _films(newer, now)
        films = (
            ""
            if tuple(was.film_ids) == tuple(now.film_ids)
            else (f"now shows {' + '.join(new_films)} (was {' + '.join(old_films)})")
        )
        if new_time or new_venue:
            moved = (
                f"moved from {_place(was, old_venue, new_day, new_time, new_venue, zone)} "
                f"to {_place(now, venue, new_day, new_time, new_venue, zone)}"
            )
            if not new_venue:
                moved += f", {venue}"
            elif not (new_time or new_day):
                moved += f", {clock(now.starts_at)}"
            what, kind = "; ".join(part for part in (moved, films) if part), "moved"
        elif instant(now.ends_at) != instant(was.ends_at):
            what = f"at {clock(now.starts_at)}, {venue}, now ends {clock(now.ends_at)} (was {clock(was.ends_at)})"
            what, kind = "; ".join(part for part in (what, films) if part), "retimed"
        elif films:
            what, kind = f"at {clock(now.starts_at)}, {venue}: {films}", "films"
        else:
            continue
        changes.append(DoorChange(kind, now.id, title, what, was.festival_day, was.starts_at.astimezone(zone), order))
    changes.sort(key=lambda change: (change.day, change.at, change.venue_order, change.screening_id))
    return changes
