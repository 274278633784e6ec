"""Reading a programme folder, with errors that name the file and the line."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from app.exports.cells import unquote_formula
from app.programme_files.model import (
    FESTIVAL_FILE,
    FILMS_FILE,
    KEY_PATTERN,
    SCREENING_COLUMNS,
    SCREENINGS_FILE,
    VENUES_FILE,
    FilmEntry,
    ProgrammeFileError,
    ProgrammeFolder,
    ScreeningEntry,
    VenueEntry,
)
from app.scheduling.fields import (
    AvailabilityWindow,
    FestivalBase,
    FestivalSlug,
    FilmBase,
    ScreeningDetails,
    VenueBase,
    check_near_festival,
)
from app.scheduling.programme import (
    FestivalInfo,
    FilmInfo,
    VenueInfo,
    schedule_screening,
    screening_too_long,
)
from app.scheduling.times import local_time

# --- what an entry in each file may hold ---------------------------------------------------


def _parse_local(value: Any, info: ValidationInfo) -> Any:
    """A time from a file: naive text is local festival time (a skipped time is refused)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("must be a local date and time like 2021-11-19 22:00") from None
    if isinstance(value, datetime):
        if info.context is None:
            raise TypeError("reading a local time needs the festival's zone in the validation context")
        return local_time(value, info.context["zone"])
    return value


def _as_tuple(value: Any) -> Any:
    """A single name where a list is expected counts as a list of one."""
    return (value,) if isinstance(value, str) else value


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(max_length=100)

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not KEY_PATTERN.match(value):
            raise ValueError("must be letters, digits and hyphens, like dear-comrades")
        return value


class _FestivalFields(FestivalSlug, FestivalBase):
    pass


class _WindowFields(AvailabilityWindow):
    _local = field_validator("starts_at", "ends_at", mode="before")(_parse_local)

    @model_validator(mode="after")
    def _order(self) -> _WindowFields:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class _VenueFields(_Entry, VenueBase):
    availability: tuple[_WindowFields, ...] = ()  # type: ignore[assignment]


class _FilmFields(_Entry, FilmBase):
    pass


class _ScreeningFields(ScreeningDetails):
    """One CSV row; empty cells are left out before validation, so they take the default."""

    starts_at: datetime
    venue: str
    films: Annotated[tuple[str, ...], Field(min_length=1, max_length=50)]
    key: str | None = Field(default=None, max_length=100, pattern=r"^\w[\w.-]*$")
    _local = field_validator("starts_at", mode="before")(_parse_local)

    @field_validator("films", "guests", "accessibility", mode="before")
    @classmethod
    def _split(cls, value: Any, info: ValidationInfo) -> Any:
        separator = "+" if info.field_name == "films" else ";"
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(separator) if part.strip())
        return value


# --- reading ---------------------------------------------------------------------------------


def read_programme_folder(path: Path) -> ProgrammeFolder:
    """Read and check a programme folder; the first problem raises ProgrammeFileError."""
    path = Path(path)
    if not path.is_dir():
        expected = ", ".join((FESTIVAL_FILE, VENUES_FILE, FILMS_FILE, SCREENINGS_FILE))
        raise ProgrammeFileError(str(path), None, f"not a folder (expected {expected} inside)")
    festival_data = _read_yaml(path, FESTIVAL_FILE)
    if not isinstance(festival_data, _Mapping):
        raise ProgrammeFileError(FESTIVAL_FILE, 1, "expected fields like 'slug: ...', one a line")
    fields = _validate(_FestivalFields, festival_data, FESTIVAL_FILE, festival_data)
    festival = FestivalInfo(**fields.model_dump())
    context = {"zone": festival.zone}

    venues = tuple(
        VenueEntry(item.key, VenueInfo(id=n, **item.model_dump(exclude={"key"})))
        for n, item in enumerate(_read_entries(path, VENUES_FILE, _VenueFields, context), 1)
    )
    films = tuple(
        FilmEntry(item.key, FilmInfo(id=n, **item.model_dump(exclude={"key"})))
        for n, item in enumerate(_read_entries(path, FILMS_FILE, _FilmFields, context), 1)
    )
    screenings = _read_screenings(path, festival, venues, films)
    return ProgrammeFolder(festival, venues, films, screenings)


def _read_entries(path: Path, name: str, model: type[_Entry], context: dict) -> list:
    data = _read_yaml(path, name)
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, _Mapping) for item in data):
        line = data.line if isinstance(data, _Mapping) else 1
        raise ProgrammeFileError(name, line, "expected a list of entries, each '- key: ...'")
    entries: list[_Entry] = []
    seen: dict[str, int] = {}  # key: the line it is first used on
    for item in data:
        entry = _validate(model, item, name, item, context)
        if entry.key in seen:
            raise ProgrammeFileError(
                name,
                item.key_lines["key"],
                f"duplicate key {entry.key!r} (first used on line {seen[entry.key]})",
            )
        seen[entry.key] = item.key_lines["key"]
        entries.append(entry)
    return entries


def _read_screenings(
    path: Path, festival: FestivalInfo, venues: tuple[VenueEntry, ...], films: tuple[FilmEntry, ...]
) -> tuple[ScreeningEntry, ...]:
    venue_ids = {entry.key: entry.venue.id for entry in venues}
    film_ids = {entry.key: entry.film.id for entry in films}
    films_by_id = {entry.film.id: entry.film for entry in films}
    out: list[ScreeningEntry] = []
    places: dict[tuple[int, datetime], tuple[int, str | None]] = {}
    keys: dict[str, int] = {}
    for line, cells in _read_csv(path / SCREENINGS_FILE):
        row = _validate(_ScreeningFields, cells, SCREENINGS_FILE, line, {"zone": festival.zone})
        if row.venue not in venue_ids:
            raise ProgrammeFileError(SCREENINGS_FILE, line, _unknown("venue", row.venue, venue_ids))
        for key in row.films:
            if key not in film_ids:
                raise ProgrammeFileError(SCREENINGS_FILE, line, _unknown("film", key, film_ids))
        fields = row.model_dump(exclude={"venue", "films", "key"})
        screening = schedule_screening(
            festival,
            films_by_id,
            id=len(out) + 1,
            venue_id=venue_ids[row.venue],
            film_ids=tuple(film_ids[key] for key in row.films),
            **fields,
        )
        problem = screening_too_long(screening.runtime_minutes)
        try:
            check_near_festival(screening.starts_at, festival.starts_on, festival.ends_on)
        except ValueError as error:
            problem = f"starts_at: {error}"
        if problem:
            raise ProgrammeFileError(SCREENINGS_FILE, line, problem)
        # rows without a key are matched by place, so two of them at one place would merge
        place = (screening.venue_id, screening.starts_at)
        if place in places and (row.key is None or places[place][1] is None):
            raise ProgrammeFileError(
                SCREENINGS_FILE,
                line,
                f"another screening starts at {row.venue} at the same "
                f"time (line {places[place][0]}); change one of them or give both a key",
            )
        places[place] = (line, row.key)
        if row.key is not None and row.key in keys:
            raise ProgrammeFileError(
                SCREENINGS_FILE,
                line,
                f"key {row.key!r} is used twice (line {keys[row.key]}): a copied row "
                "keeps its key; leave the key of a new screening empty",
            )
        if row.key is not None:
            keys[row.key] = line
        out.append(ScreeningEntry(line, row.venue, row.films, screening, row.key))
    return tuple(out)


def _unknown(kind: str, key: str, known: Iterable[str]) -> str:
    file = VENUES_FILE if kind == "venue" else FILMS_FILE
    return f"{kind} {key!r} is not a key in {file} (known: {', '.join(sorted(known)) or 'none'})"


def _read_csv(file: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, {column: cell}) per non-empty row; empty cells left out."""
    text = _read_text(file)
    first = text.partition("\n")[0]
    delimiter = max(",;\t", key=first.count)  # spreadsheets in some locales save with ';'
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _csv_rows(reader)
    except csv.Error as error:
        raise ProgrammeFileError(SCREENINGS_FILE, reader.line_num or 1, f"not readable as CSV ({error})") from None


def _csv_rows(reader) -> list[tuple[int, dict[str, str]]]:
    header = [column.strip() for column in next(reader, [])]
    for n, column in enumerate(header):
        if column in header[:n]:
            raise ProgrammeFileError(SCREENINGS_FILE, 1, f"column {column!r} appears twice")
        if column not in SCREENING_COLUMNS:
            raise ProgrammeFileError(
                SCREENINGS_FILE,
                1,
                f"unknown column {column!r} (columns: {', '.join(SCREENING_COLUMNS)})",
            )
    for column in ("starts_at", "venue", "films"):
        if column not in header:
            raise ProgrammeFileError(SCREENINGS_FILE, 1, f"missing column {column!r}")
    rows, end = [], reader.line_num
    for cells in reader:
        line, end = end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise ProgrammeFileError(SCREENINGS_FILE, line, f"{len(cells)} cells but {len(header)} columns")
        if any(len(cell) > MAX_CELL_CHARACTERS for cell in cells):
            raise ProgrammeFileError(SCREENINGS_FILE, line, f"a cell is longer than {MAX_CELL_CHARACTERS} characters")
        # unquote_formula undoes what export wrote so that no spreadsheet runs it as a formula
        row = {column: unquote_formula(cell.strip()) for column, cell in zip(header, cells, strict=False)}
        rows.append((line, {column: cell for column, cell in row.items() if cell}))
    return rows


# A programme of a thousand screenings is well under a megabyte; anything near this is not a programme.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_CELL_CHARACTERS = 20_000
MAX_NUMBER_DIGITS = 20


def _read_text(file: Path) -> str:
    """A programme file's text; refuses what is not a regular file (a device, a FIFO) and what is too large."""
    try:
        if not file.is_file():  # follows symlinks: a link to /dev/zero is not a file
            if not file.exists():
                raise FileNotFoundError(file)
            raise ProgrammeFileError(file.name, None, "is not a regular file")
        with file.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ProgrammeFileError(file.name, None, f"file not found in {file.parent}") from None
    except OSError as error:
        raise ProgrammeFileError(file.name, None, f"cannot be read ({error.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ProgrammeFileError(file.name, None, f"is larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ProgrammeFileError(file.name, line, f"not UTF-8 text ({error.reason})") from None


def _validate(model, data, file: str, where, context: dict | None = None):
    """Validate `data` with `model`; an error names the line of the offending field.

    `where` is a line number, or the YAML value whose recorded lines locate the error.
    """
    try:
        return model.model_validate(data, context=context)
    except ValidationError as errors:
        error = errors.errors()[0]
        loc = error["loc"]
        line = where if isinstance(where, int) else _line_of(where, loc)
        raise ProgrammeFileError(file, line, _describe(error)) from None


def _describe(error: ErrorDetails) -> str:
    name = ".".join(str(part) for part in error["loc"] if isinstance(part, str))
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        return f"{name} is required"
    if kind == "extra_forbidden":
        return f"{name} is not a known field"
    message = message.removeprefix("Value error, ")
    if message.startswith("Input should"):
        message = "must" + message.removeprefix("Input should")
    value = error.get("input")
    scalar = isinstance(value, str | int | float) and not isinstance(value, bool)
    if scalar and kind != "value_error":
        message += f" (got {value!r})"
    if not name:
        return message
    return f"{name} {message}" if message.startswith("must") else f"{name}: {message}"


# --- YAML with line numbers ---------------------------------------------------------------


class _Mapping(dict):
    """A YAML mapping that remembers where it and each of its keys sit (1-based lines)."""

    line: int
    key_lines: dict


class _List(list):
    line: int
    item_lines: list


class _Resolver(yaml.SafeLoader):
    """YAML 1.2 core scalars: "10:00" stays text (not 600), "no" stays text (not False)."""

    yaml_implicit_resolvers: dict = {}


for _tag, _pattern, _first in (
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?(0|[1-9][0-9]*)", list("-+0123456789")),
    ("float", r"[-+]?(\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+][0-9]+)?", list("-+.0123456789")),
):
    _Resolver.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"), _first)


def _read_yaml(folder: Path, name: str) -> Any:
    text = _read_text(folder / name)
    try:
        # anchors and aliases (&a, *a) are refused before anything is built: expanded, a few
        # lines of them make billions of values (a "billion laughs"), or a loop
        for event in yaml.parse(text, Loader=_Resolver):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                assert event.start_mark is not None  # the parser marks every event it makes
                raise ProgrammeFileError(
                    name,
                    event.start_mark.line + 1,
                    "anchors and aliases (& and *) are not supported; write the value out",
                )
        node = yaml.compose(text, Loader=_Resolver)
    except yaml.MarkedYAMLError as error:
        # An unclosed quote or bracket is found only at the end of the file: point at its start.
        at_end = "end of stream" in (error.problem or "")
        mark = (error.context_mark if at_end else None) or error.problem_mark
        problem = ": ".join(filter(None, [error.context, error.problem]))
        raise ProgrammeFileError(name, mark.line + 1 if mark else None, problem) from None
    except yaml.YAMLError as error:  # e.g. a control character the reader refuses
        mark = getattr(error, "position", None)
        line = text[:mark].count("\n") + 1 if isinstance(mark, int) else None
        raise ProgrammeFileError(name, line, str(error).splitlines()[0]) from None
    return None if node is None else _value(node, name)


def _value(node: yaml.Node, name: str) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        data = _Mapping()
        data.line, data.key_lines = line, {}
        for key_node, value_node in node.value:
            key, key_line = _value(key_node, name), key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise ProgrammeFileError(name, key_line, f"{key!r} is not a field name")
            if key in data:
                raise ProgrammeFileError(name, key_line, f"{key} is given twice")
            data[key], data.key_lines[key] = _value(value_node, name), key_line
        return data
    if isinstance(node, yaml.SequenceNode):
        items = _List(_value(item, name) for item in node.value)
        items.line, items.item_lines = line, [item.start_mark.line + 1 for item in node.value]
        return items
    tag = node.tag.rpartition(":")[2]
    if tag == "null":
        return None
    if tag == "bool":
        return node.value.lower() == "true"
    if tag in ("int", "float"):
        if len(node.value) > MAX_NUMBER_DIGITS:
            raise ProgrammeFileError(name, line, f"the number {node.value[:12]}… has too many digits")
        return (int if tag == "int" else float)(node.value)
    return node.value  # text; any other explicit tag is read as its text


def _line_of(data: Any, loc: tuple) -> int | None:
    """The line of the value at `loc` inside `data`, or of the nearest enclosing one."""
    line = getattr(data, "line", None)
    for part in loc:
        if isinstance(data, _Mapping) and part in data:
            line, data = data.key_lines[part], data[part]
        elif isinstance(data, _List) and isinstance(part, int) and part < len(data):
            line, data = data.item_lines[part], data[part]
        else:
            break
    return line
