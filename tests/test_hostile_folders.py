"""`marquee load` with hostile files: every one is refused with an error naming the file (and line),
quickly, and nothing is loaded."""

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.programme_files import ProgrammeFileError, read_programme_folder

SAMPLE = Path(__file__).resolve().parent.parent / "sample_programme"
BILLION_LAUGHS = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]" for n in range(8)]
    )
    + "\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "programme"
    shutil.copytree(SAMPLE, target)
    return target


def refused(folder: Path) -> ProgrammeFileError:
    started = time.monotonic()
    with pytest.raises(ProgrammeFileError) as caught:
        read_programme_folder(folder)
    assert time.monotonic() - started < 5  # generous: the point is "not forever", not a timing
    return caught.value


@pytest.mark.parametrize(
    ("file", "content", "words"),
    [
        ("venues.yaml", BILLION_LAUGHS, "anchors and aliases"),
        ("films.yaml", "- &film\n  key: x\n  title: *film\n", "anchors and aliases"),
        ("festival.yaml", "slug: a\x07b\n", "festival.yaml"),
        ("films.yaml", "- key: x\n  title: X\n  runtime_minutes: " + "9" * 5000 + "\n", "too many digits"),
        (
            "screenings.csv",
            "starts_at,venue,films,notes\n2021-11-19 10:00,caligari,dear-comrades," + "x" * 131_073 + "\n",
            "screenings.csv line 2",
        ),
        (
            "screenings.csv",
            "starts_at,venue,films\n2021-11-19 10:00,caligari,dear-comrades\n2021-11-19 10:00,caligari,the-ascent\n",
            "same time (line 2)",
        ),
    ],
    ids=[
        "billion_laughs",
        "recursive_alias",
        "control_character",
        "five_thousand_digits",
        "huge_cell",
        "two_rows_one_place",
    ],
)
def test_a_hostile_file_is_refused_with_its_name(folder, file, content, words):
    (folder / file).write_text(content, encoding="utf-8")
    error = refused(folder)
    assert error.path == file
    assert words in str(error)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_a_device_is_not_read_forever(folder):
    (folder / "films.yaml").unlink()
    (folder / "films.yaml").symlink_to("/dev/zero")
    assert "not a regular file" in str(refused(folder))


FILES = ("festival.yaml", "venues.yaml", "films.yaml", "screenings.csv")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], derandomize=True)
@given(
    file=st.sampled_from(FILES),
    junk=st.one_of(
        st.text(max_size=300),
        st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
        st.lists(
            st.sampled_from(
                [
                    "&a",
                    "*a",
                    "- ",
                    ": ",
                    "[",
                    "{",
                    "'",
                    '"',
                    "\n",
                    "  ",
                    ",",
                    ";",
                    "\x00",
                    "\u202e",
                    "9" * 40,
                    "key:",
                    "runtime_minutes:",
                    "+",
                ]
            ),
            max_size=40,
        ).map("".join),
    ),
    keep=st.floats(0, 1),
)
def test_any_damage_to_a_file_gives_a_programme_file_error_or_a_folder(folder, file, junk, keep):
    """Random damage never escapes as another exception: it loads, or it names what is wrong."""
    path = folder / file
    original = (SAMPLE / file).read_text(encoding="utf-8")
    cut = int(len(original) * keep)
    path.write_text(original[:cut] + junk + original[cut:], encoding="utf-8", errors="surrogatepass")
    try:
        read_programme_folder(folder)
    except ProgrammeFileError as error:
        assert error.path in FILES and str(error)
