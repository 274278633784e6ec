"""The programme folder: the sample reads cleanly, round-trips, and bad files name their line."""

from __future__ import annotations

import csv
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from app.programme_files import (
    FILMS_FILE,
    SCREENINGS_FILE,
    VENUES_FILE,
    ProgrammeFileError,
    ProgrammeFolder,
    ScreeningEntry,
    folder_from_programme,
    key_for,
    read_programme_folder,
    write_programme_folder,
)
from app.scheduling.conflicts import Print, Room, Rules, Slot, find_conflicts
from app.scheduling.programme import FilmInfo, VenueInfo, schedule_screening

SAMPLE = Path(__file__).resolve().parents[1] / "sample_programme"
BERLIN = ZoneInfo("Europe/Berlin")
FOLDER_FILES = ("festival.yaml", VENUES_FILE, FILMS_FILE, SCREENINGS_FILE)


@pytest.fixture(scope="module")
def sample() -> ProgrammeFolder:
    return read_programme_folder(SAMPLE)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the sample to spoil."""
    copy = tmp_path / "programme"
    shutil.copytree(SAMPLE, copy)
    return copy


def replace_once(file: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in `file`; return its (1-based) line."""
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {file.name}"
    file.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


# --- the sample ------------------------------------------------------------------------------


def test_sample_festival_is_wiesbaden_in_november_2021(sample: ProgrammeFolder) -> None:
    festival = sample.festival
    assert (festival.slug, festival.timezone) == ("wiesbaden-2021", "Europe/Berlin")
    assert festival.starts_on <= date(2021, 11, 19) <= festival.ends_on


def test_sample_has_every_seed_film(sample: ProgrammeFolder) -> None:
    titles = {entry.film.title for entry in sample.films}
    assert len(sample.films) >= 12
    assert {
        "Dear Comrades!",
        "Saving Leningrad",
        "The Ascent",
        "The Dawns Here Are Quiet",
        "Hot Snow",
        "The Battle of Stalingrad",
        "The Cranes Are Flying",
        "Ballad of a Soldier",
        "Come and See",
        "The Alive and the Dead",
        "The Shield and the Sword",
        "The Forty-First",
    } <= titles


def test_sample_ids_are_positions_in_the_files(sample: ProgrammeFolder) -> None:
    assert [entry.venue.id for entry in sample.venues] == list(range(1, len(sample.venues) + 1))
    assert [entry.film.id for entry in sample.films] == list(range(1, len(sample.films) + 1))
    assert [entry.screening.id for entry in sample.screenings] == list(range(1, len(sample.screenings) + 1))


def test_sample_keeps_the_seed_screening(sample: ProgrammeFolder) -> None:
    seed = next(
        entry
        for entry in sample.screenings
        if entry.screening.starts_at == datetime(2021, 11, 19, 22, 0, tzinfo=BERLIN)
    )
    films = {entry.film.id: entry for entry in sample.films}
    screening = seed.screening
    assert seed.venue_key == "caligari"
    assert seed.film_keys[-1] == "dear-comrades"
    assert len(seed.film_keys) == 2  # a short before the feature
    assert screening.starts_at.isoformat() == "2021-11-19T22:00:00+01:00"
    assert screening.runtime_minutes == sum(films[i].film.runtime_minutes for i in screening.film_ids)
    assert screening.ends_at.date() == date(2021, 11, 20)  # after midnight
    assert screening.festival_day == date(2021, 11, 19)
    assert screening.status == "confirmed"


def test_sample_dear_comrades_is_as_the_seed_gives_it(sample: ProgrammeFolder) -> None:
    film = next(entry.film for entry in sample.films if entry.key == "dear-comrades")
    assert (film.original_title, film.directors, film.year) == (
        "Дорогие товарищи!",
        ("Andrei Konchalovsky",),
        2020,
    )
    assert (film.runtime_minutes, film.premiere, film.subtitles) == (120, "local", "English")
    assert [credit.role for credit in film.credits] == [
        "Script",
        "Director of photography",
        "Editor",
        "Production",
        "Producers",
        "Cast",
    ]
    assert film.distributor.startswith("Films Boutique")


def test_sample_confirmed_screenings_have_no_conflicts(sample: ProgrammeFolder) -> None:
    festival = sample.festival
    slots = [
        Slot(
            s.id,
            s.venue_id,
            s.starts_at,
            s.ends_at,
            s.film_ids,
            s.guests,
            s.status,
            s.slot_minutes,
            s.runtime_minutes,
        )
        for s in (entry.screening for entry in sample.screenings)
    ]
    rooms = {
        v.id: Room(
            v.id,
            v.name,
            v.turnaround_minutes,
            tuple((w.starts_at, w.ends_at) for w in v.availability),
        )
        for v in (entry.venue for entry in sample.venues)
    }
    prints = {f.id: Print(f.id, f.title, f.copies) for f in (e.film for e in sample.films)}
    rules = Rules(
        festival.zone,
        festival.starts_on,
        festival.ends_on,
        festival.day_starts_at,
        festival.print_transfer_minutes,
    )
    assert {slot.status for slot in slots} == {"confirmed"}
    assert find_conflicts(slots, rooms, prints, rules) == []


# --- writing back -----------------------------------------------------------------------------


def test_round_trip_gives_the_same_programme(sample: ProgrammeFolder, tmp_path: Path) -> None:
    write_programme_folder(sample, tmp_path)
    assert read_programme_folder(tmp_path) == sample


def test_writing_twice_gives_the_same_bytes(sample: ProgrammeFolder, tmp_path: Path) -> None:
    write_programme_folder(sample, tmp_path / "first")
    write_programme_folder(read_programme_folder(tmp_path / "first"), tmp_path / "second")
    for name in FOLDER_FILES:
        assert (tmp_path / "second" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()


def test_writing_the_sample_reproduces_its_files(sample: ProgrammeFolder, tmp_path: Path) -> None:
    write_programme_folder(sample, tmp_path)
    for name in FOLDER_FILES:
        assert _content(tmp_path / name) == _content(SAMPLE / name), name


def test_written_yaml_is_plain_and_keeps_unicode(sample: ProgrammeFolder, tmp_path: Path) -> None:
    write_programme_folder(sample, tmp_path)
    films = (tmp_path / FILMS_FILE).read_text(encoding="utf-8")
    assert "Дорогие товарищи!" in films
    assert "!!python" not in films
    assert yaml.safe_load(films)[0]["key"] == "dear-comrades"


def test_second_of_two_repeated_times_keeps_its_offset(sample: ProgrammeFolder, tmp_path: Path) -> None:
    first = sample.screenings[0]
    films_by_id = {entry.film.id: entry.film for entry in sample.films}
    fields = first.screening.model_dump(include={"id", "venue_id", "film_ids", "status", "accessibility", "ticket_url"})
    # clocks go back at 03:00 on 31 October 2021: 02:30 happens twice, fold=1 is the second
    repeated = datetime(2021, 10, 31, 2, 30, tzinfo=BERLIN, fold=1)
    screening = schedule_screening(sample.festival, films_by_id, **fields, starts_at=repeated)
    entry = ScreeningEntry(0, first.venue_key, first.film_keys, screening)
    write_programme_folder(ProgrammeFolder(sample.festival, sample.venues, sample.films, (entry,)), tmp_path)
    read_back = read_programme_folder(tmp_path).screenings[0].screening
    assert "2021-10-31 02:30+01:00" in (tmp_path / SCREENINGS_FILE).read_text(encoding="utf-8")
    assert read_back.starts_at.timestamp() == repeated.timestamp()


def test_folder_from_programme_makes_unique_keys(sample: ProgrammeFolder, tmp_path: Path) -> None:
    programme = sample.programme()
    twin = programme.films[0].model_copy(update={"id": 99})
    programme = programme.model_copy(update={"films": (*programme.films, twin)})
    folder = folder_from_programme(programme)
    keys = [entry.key for entry in folder.films]
    assert keys[0] == "dear-comrades" and keys[-1] == "dear-comrades-2"
    write_programme_folder(folder, tmp_path)
    assert len(read_programme_folder(tmp_path).films) == len(sample.films) + 1


@pytest.mark.parametrize(("model", "file"), [(FilmInfo, FILMS_FILE), (VenueInfo, VENUES_FILE)], ids=["films", "venues"])
def test_every_field_of_the_model_can_be_written(sample: ProgrammeFolder, tmp_path: Path, model, file: str) -> None:
    """A field added to FilmInfo or VenueInfo must be added to the file format too."""
    write_programme_folder(sample, tmp_path)
    text = (tmp_path / file).read_text(encoding="utf-8")
    for name in model.model_fields:
        if name != "id":
            assert f"{name}:" in text, f"{name} is never written to {file}"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Dear Comrades!", "dear-comrades"),
        ("Caligari FilmBühne", "caligari-filmbuhne"),
        ("  The Forty-First ", "the-forty-first"),
        ("Летят журавли", "летят-журавли"),
        ("???", "item"),
    ],
    ids=["punctuation", "umlaut", "spaces", "cyrillic", "nothing_left"],
)
def test_key_for_makes_a_slug(name: str, key: str) -> None:
    assert key_for(name) == key


# --- bad files ----------------------------------------------------------------------------------


def invalid_runtime(folder: Path) -> tuple[str, int]:
    return FILMS_FILE, replace_once(folder / FILMS_FILE, "runtime_minutes: 120", "runtime_minutes: 0")


def unknown_venue_key(folder: Path) -> tuple[str, int]:
    line = replace_once(folder / SCREENINGS_FILE, "2021-11-17 21:30,caligari,", "2021-11-17 21:30,caligary,")
    return SCREENINGS_FILE, line


def unknown_film_key(folder: Path) -> tuple[str, int]:
    line = replace_once(
        folder / SCREENINGS_FILE,
        "boy-and-the-dove + dear-comrades,,,,150",
        "boy-and-the-dove + dear-comrade,,,,150",
    )
    return SCREENINGS_FILE, line


def non_existent_local_time(folder: Path) -> tuple[str, int]:
    # 28 March 2021: clocks in Berlin jump from 02:00 to 03:00
    line = replace_once(folder / SCREENINGS_FILE, "2021-11-17 18:00,", "2021-03-28 02:30,")
    return SCREENINGS_FILE, line


def non_existent_availability_time(folder: Path) -> tuple[str, int]:
    line = replace_once(folder / VENUES_FILE, "'2021-11-17 16:00'", "'2021-03-28 02:30'")
    return VENUES_FILE, line


def bad_time(folder: Path) -> tuple[str, int]:
    line = replace_once(folder / SCREENINGS_FILE, "2021-11-17 18:00,", "17.11.2021 18 Uhr,")
    return SCREENINGS_FILE, line


def unknown_status(folder: Path) -> tuple[str, int]:
    line = replace_once(
        folder / SCREENINGS_FILE,
        "2021-11-17 18:00,murnau,ballad-of-a-soldier,,,,,,confirmed",
        "2021-11-17 18:00,murnau,ballad-of-a-soldier,,,,,,confirm",
    )
    return SCREENINGS_FILE, line


def unknown_column(folder: Path) -> tuple[str, int]:
    replace_once(folder / SCREENINGS_FILE, ",qa_minutes,", ",q_and_a,")
    return SCREENINGS_FILE, 1


def broken_yaml(folder: Path) -> tuple[str, int]:
    # an unclosed quote: the parser notices at the end of the file, the error names its start
    line = replace_once(folder / VENUES_FILE, "  name: Murnau-Filmtheater", '  name: "Murnau')
    return VENUES_FILE, line


def duplicate_key(folder: Path) -> tuple[str, int]:
    return FILMS_FILE, replace_once(folder / FILMS_FILE, "key: hot-snow", "key: the-ascent")


def unknown_field(folder: Path) -> tuple[str, int]:
    return FILMS_FILE, replace_once(folder / FILMS_FILE, "  year: 1949", "  yaer: 1949")


def missing_required_field(folder: Path) -> tuple[str, int]:
    # the error is on the entry that lacks it: its first line
    line = replace_once(folder / VENUES_FILE, "  name: Murnau-Filmtheater\n", "")
    return VENUES_FILE, line - 1


def missing_festival_file(folder: Path) -> tuple[str, None]:
    (folder / "festival.yaml").unlink()
    return "festival.yaml", None


BAD_FILES = {
    invalid_runtime: "runtime_minutes must be greater than 0",
    unknown_venue_key: "venue 'caligary' is not a key in venues.yaml",
    unknown_film_key: "film 'dear-comrade' is not a key in films.yaml",
    non_existent_local_time: "2021-03-28 02:30 does not exist in Europe/Berlin",
    non_existent_availability_time: "2021-03-28 02:30 does not exist in Europe/Berlin",
    bad_time: "starts_at must be a local date and time like 2021-11-19 22:00",
    unknown_status: "status must be 'draft', 'confirmed' or 'cancelled' (got 'confirm')",
    unknown_column: "unknown column 'q_and_a'",
    broken_yaml: "found unexpected end of stream",
    duplicate_key: "duplicate key 'the-ascent'",
    unknown_field: "yaer is not a known field",
    missing_required_field: "name is required",
    missing_festival_file: "file not found",
}


@pytest.mark.parametrize(("spoil", "words"), list(BAD_FILES.items()), ids=[spoil.__name__ for spoil in BAD_FILES])
def test_bad_file_names_file_and_line(folder: Path, spoil, words: str) -> None:
    file, line = spoil(folder)
    with pytest.raises(ProgrammeFileError) as raised:
        read_programme_folder(folder)
    error = raised.value
    assert (error.path, error.line) == (file, line)
    assert words in str(error)
    where = f"{file} line {line}: " if line else f"{file}: "
    assert str(error).startswith(where)


def test_invalid_runtime_reads_like_a_sentence(folder: Path) -> None:
    _, line = invalid_runtime(folder)
    with pytest.raises(ProgrammeFileError) as raised:
        read_programme_folder(folder)
    assert str(raised.value) == (f"films.yaml line {line}: runtime_minutes must be greater than 0 (got 0)")


def test_a_path_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProgrammeFileError, match="not a folder"):
        read_programme_folder(tmp_path / "nowhere")


# --- helpers ------------------------------------------------------------------------------------


def _content(file: Path):
    """A file's content as data, so layout changes that mean the same thing compare equal."""
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".csv":
        return list(csv.DictReader(text.splitlines()))
    return yaml.safe_load(text)
