"""The programme folder's files and entries (see `app.programme_files`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from app.scheduling.programme import (
    FestivalInfo,
    FilmInfo,
    Programme,
    ScreeningInfo,
    VenueInfo,
)

FESTIVAL_FILE = "festival.yaml"
VENUES_FILE = "venues.yaml"
FILMS_FILE = "films.yaml"
SCREENINGS_FILE = "screenings.csv"

SCREENING_COLUMNS = tuple(
    "starts_at venue films title intro_minutes qa_minutes slot_minutes guests status"
    " accessibility ticket_url notes key".split()
)
FILM_SEPARATOR = " + "
LIST_SEPARATOR = "; "
LOCAL_FORMAT = "%Y-%m-%d %H:%M"

KEY_PATTERN = re.compile(r"^\w[\w.-]*$")  # no spaces, '+' or ';': keys sit in CSV cells


class ProgrammeFileError(ValueError):
    """A problem in a programme folder, naming the file and (where known) the line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path} line {line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class VenueEntry:
    key: str
    venue: VenueInfo


@dataclass(frozen=True)
class FilmEntry:
    key: str
    film: FilmInfo


@dataclass(frozen=True)
class ScreeningEntry:
    line: int = field(compare=False)  # in screenings.csv; 0 when not read from a file
    venue_key: str
    film_keys: tuple[str, ...]
    screening: ScreeningInfo
    # the row's name (a moved row keeps it, so loading moves the screening); None: made on export
    key: str | None = None


@dataclass(frozen=True)
class ProgrammeFolder:
    festival: FestivalInfo
    venues: tuple[VenueEntry, ...]
    films: tuple[FilmEntry, ...]
    screenings: tuple[ScreeningEntry, ...]

    def programme(self) -> Programme:
        """The folder as a working-copy Programme (ids are positions in the files)."""
        return Programme(
            festival=self.festival,
            venues=tuple(entry.venue for entry in self.venues),
            films=tuple(entry.film for entry in self.films),
            screenings=tuple(entry.screening for entry in self.screenings),
        )


def key_for(text: str) -> str:
    """A key from a name: "Dear Comrades!" gives "dear-comrades" (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in plain if not unicodedata.combining(char)).lower()
    return re.sub(r"[\W_]+", "-", plain).strip("-") or "item"


def record_keys(records: list[tuple[int, str | None, str]]) -> dict[int, str]:
    """The key of each (id, key, name) record in a folder: its own, or one made from its name.

    Made keys never clash with another record's (a second "Kino" is "kino-2"), and depend only
    on the records, so an export and the load that reads it back agree on every record.
    """
    taken = {key for _, key, _ in records if key}
    keys: dict[int, str] = {}
    for record_id, key, name in sorted(records, key=lambda record: record[0]):
        keys[record_id] = key or unique_key(key_for(name), taken)
    return keys


def unique_key(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken yet; it is taken from then on."""
    made, n = base, 1
    while made in taken:
        n += 1
        made = f"{base}-{n}"
    taken.add(made)
    return made


def screening_key(starts_at_local: str, venue_key: str) -> str:
    """The key a screening row is given when it has none: its first start and venue ("2021-11-19-2200-caligari")."""
    return key_for(f"{starts_at_local} {venue_key}")
