"""Writing a programme folder back, deterministically."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from app.exports.cells import quote_formula
from app.programme_files.model import (
    FESTIVAL_FILE,
    FILM_SEPARATOR,
    FILMS_FILE,
    LIST_SEPARATOR,
    LOCAL_FORMAT,
    SCREENING_COLUMNS,
    SCREENINGS_FILE,
    VENUES_FILE,
    FilmEntry,
    ProgrammeFolder,
    ScreeningEntry,
    VenueEntry,
    record_keys,
    screening_key,
    unique_key,
)
from app.scheduling.programme import (
    Programme,
)
from app.scheduling.times import local_time

# --- writing ---------------------------------------------------------------------------------


def write_programme_folder(folder: ProgrammeFolder, path: Path) -> None:
    """Write the four files (other files in the folder are left alone); same input, same bytes."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    festival = folder.festival
    zone = festival.zone
    festival_data = festival.model_dump(mode="json", exclude={"uid_slug"}) | {
        "starts_on": festival.starts_on,
        "ends_on": festival.ends_on,
        "day_starts_at": f"{festival.day_starts_at:%H:%M}",
    }
    header = f"# {festival.name}: the edition\n"
    _write(path / FESTIVAL_FILE, header + _dump(_present(festival_data)))

    venues = []
    for venue_entry in folder.venues:
        data = {"key": venue_entry.key, **venue_entry.venue.model_dump(exclude={"id"})}
        data["availability"] = [
            _Flow(starts_at=_local_text(w.starts_at, zone), ends_at=_local_text(w.ends_at, zone))
            for w in venue_entry.venue.availability
        ]
        venues.append(_present(data))
    _write(path / VENUES_FILE, _dump_list(f"# {festival.name}: venues, referred to by key", venues))

    films = []
    for film_entry in folder.films:
        data = {"key": film_entry.key, **film_entry.film.model_dump(exclude={"id"})}
        data["credits"] = [{"role": credit.role, "names": list(credit.names)} for credit in film_entry.film.credits]
        films.append(_present(data))
    _write(path / FILMS_FILE, _dump_list(f"# {festival.name}: films, referred to by key", films))

    venue_keys = {entry.venue.id: entry.key for entry in folder.venues}
    film_keys = {entry.film.id: entry.key for entry in folder.films}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SCREENING_COLUMNS)
    row_keys = _row_keys(folder, venue_keys, zone)
    for screening_entry in folder.screenings:
        s = screening_entry.screening
        writer.writerow(
            [
                _local_text(s.starts_at, zone),
                venue_keys[s.venue_id],
                FILM_SEPARATOR.join(film_keys[film_id] for film_id in s.film_ids),
                quote_formula(s.title or ""),  # text a spreadsheet would run is written as text
                s.intro_minutes or "",
                s.qa_minutes or "",
                s.slot_minutes or "",
                quote_formula(LIST_SEPARATOR.join(s.guests)),
                s.status,
                LIST_SEPARATOR.join(s.accessibility),
                quote_formula(s.ticket_url or ""),
                quote_formula(s.notes),
                row_keys[id(screening_entry)],
            ]
        )
    _write(path / SCREENINGS_FILE, out.getvalue())


def _row_keys(folder: ProgrammeFolder, venue_keys: dict[int, str], zone: ZoneInfo) -> dict[int, str]:
    """Each row's key: its own, or one made from its start and venue (made unique)."""
    taken = {entry.key for entry in folder.screenings if entry.key}
    return {
        id(entry): entry.key
        or unique_key(
            screening_key(_local_text(entry.screening.starts_at, zone), venue_keys[entry.screening.venue_id]), taken
        )
        for entry in folder.screenings
    }


def folder_from_programme(programme: Programme) -> ProgrammeFolder:
    """A folder for a programme from elsewhere (the database): keys made from names, made unique."""
    venues = sorted(programme.venues, key=lambda venue: venue.id)
    films = sorted(programme.films, key=lambda film: film.id)
    venue_keys = record_keys([(venue.id, None, venue.name) for venue in venues])
    film_keys = record_keys([(film.id, None, film.title) for film in films])
    screenings = sorted(programme.screenings, key=lambda s: (s.starts_at, s.venue_id, s.id))
    return ProgrammeFolder(
        festival=programme.festival,
        venues=tuple(VenueEntry(venue_keys[venue.id], venue) for venue in venues),
        films=tuple(FilmEntry(film_keys[film.id], film) for film in films),
        screenings=tuple(
            ScreeningEntry(0, venue_keys[s.venue_id], tuple(film_keys[film_id] for film_id in s.film_ids), s)
            for s in screenings
        ),
    )


def _local_text(value: datetime, zone: ZoneInfo) -> str:
    """A time as the files write it: local wall-clock, with an offset only where needed."""
    local = value.astimezone(zone)
    text = f"{local:{LOCAL_FORMAT}}"
    # A repeated hour's second occurrence needs its offset: naive text reads as the first.
    first = local_time(local.replace(tzinfo=None), zone)
    if local.second or local.microsecond or first.timestamp() != local.timestamp():
        return local.isoformat(sep=" ", timespec="seconds" if local.second else "minutes")
    return text


def _present(data: dict) -> dict:
    """Leave out fields with nothing in them (None, "", empty lists): the files stay short."""
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in data.items()
        if value not in (None, "", [], ())
    }


def _write(file: Path, text: str) -> None:
    file.write_text(text, encoding="utf-8", newline="\n")


class _Flow(dict):
    """A small mapping written on one line: {starts_at: ..., ends_at: ...}."""


class _Dumper(yaml.SafeDumper):
    """Plain YAML only; lists indented under their key; short lists on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # PyYAML folds text that starts with a space wrongly; such text stays on one line
    folds = len(value) > 80 and value == value.lstrip()
    style = "|" if "\n" in value else (">" if folds else None)
    if any(char in value for char in "\r\x85\u2028\u2029"):  # other line breaks: escaped
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    # a few short names on one line, [A, B]; longer lists and phrases with commas one a line
    short = sum(len(str(item)) + 2 for item in value) <= 60
    flow = short and all(isinstance(item, str) and ", " not in item for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(_Flow, lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value, True))


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88)


def _dump_list(header: str, items: list[dict]) -> str:
    """A YAML list with a blank line between entries, easier to read and to move about."""
    return header + "\n\n" + "\n".join(_dump([item]) for item in items)
