"""The programme folder: a festival in four files a person can edit by hand.

    festival.yaml    the edition: slug, name, dates, timezone, day start, print transfer
    venues.yaml      a list of rooms, each with a short `key` (e.g. `caligari`)
    films.yaml       a list of films, each with a `key` (e.g. `dear-comrades`)
    screenings.csv   one row per screening; venues and films named by key

Times in the files are local festival times without an offset ("2021-11-19 22:00"); an
offset may be given to pick the second of two repeated wall-clock times. Pure: no database,
no web framework. `marquee load` and `marquee export` are built on `read_programme_folder`
and `write_programme_folder`.
"""

from app.programme_files.model import (
    FESTIVAL_FILE,
    FILMS_FILE,
    SCREENINGS_FILE,
    VENUES_FILE,
    FilmEntry,
    ProgrammeFileError,
    ProgrammeFolder,
    ScreeningEntry,
    VenueEntry,
    key_for,
    record_keys,
)
from app.programme_files.reading import read_programme_folder
from app.programme_files.writing import folder_from_programme, write_programme_folder

__all__ = [
    "FESTIVAL_FILE",
    "FILMS_FILE",
    "SCREENINGS_FILE",
    "VENUES_FILE",
    "FilmEntry",
    "ProgrammeFileError",
    "ProgrammeFolder",
    "ScreeningEntry",
    "VenueEntry",
    "folder_from_programme",
    "key_for",
    "record_keys",
    "read_programme_folder",
    "write_programme_folder",
]
