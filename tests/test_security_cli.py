"""The command line with hostile or awkward names, `load --if-absent`, `make run` that always
serves, and sections named in other scripts."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.scheduling.programme import section_slug
from app.store.db import unit_of_work
from app.store.models import Festival, Screening
from tests.server import free_port

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_programme"
runner = CliRunner()


def marquee(*args: str, code: int = 0):
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.output, result.exception)
    return result


def conflicting_copy(tmp_path: Path, status: str = "confirmed") -> Path:
    """The sample with its first screening again half an hour later in the same venue."""
    folder = tmp_path / "edited"
    shutil.copytree(SAMPLE, folder)
    rows = (folder / "screenings.csv").read_text().splitlines()
    first_start = rows[1].split(",", 1)[0]
    copied = rows[1][: rows[1].rfind(",") + 1]  # a copied row without its key
    rows.append(copied.replace(first_start, first_start[:-2] + "30", 1).replace(",confirmed,", f",{status},"))
    (folder / "screenings.csv").write_text("\n".join(rows) + "\n")
    return folder


def screenings() -> list[tuple[int, int]]:
    with unit_of_work(write=False) as session:
        return [(s.id, s.revision) for s in session.exec(select(Screening).order_by(Screening.id))]


def test_load_if_absent_loads_once_then_leaves_the_festival_alone(database, tmp_path):
    first = marquee("load", "--if-absent", str(SAMPLE))
    assert "43 created" in first.output  # the festival, 2 venues, 13 films, 27 screenings
    before = screenings()
    again = marquee("load", "--if-absent", str(conflicting_copy(tmp_path)))
    assert "wiesbaden-2021 is already in the database" in again.output
    assert "was not loaded" in again.output
    assert screenings() == before
    # a folder whose festival file cannot be read is loaded (and refused) as usual
    broken = tmp_path / "broken"
    broken.mkdir()
    assert "nothing was loaded" in marquee("load", "--if-absent", str(broken), code=2).output
    # without --if-absent the edited folder is loaded over it, and refused: it would conflict
    assert "nothing was loaded" in marquee("load", str(conflicting_copy(tmp_path / "again")), code=2).output


def make(*targets: str, database: str, sample: Path, **variables: str) -> subprocess.CompletedProcess:
    arguments = [f"SAMPLE={sample}", *(f"{k}={v}" for k, v in variables.items())]
    return subprocess.run(
        ["make", "--no-print-directory", *targets, *arguments],
        cwd=REPO,
        env={**os.environ, "MARQUEE_DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=300,
    )


# `make` runs several processes: its behaviour is the same on both databases, so SQLite only
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_make_sample_never_stops_on_a_sample_that_does_not_load(database, tmp_path):
    edited = conflicting_copy(tmp_path)
    refused = make("sample", database=database, sample=edited)
    assert refused.returncode == 0, refused.stderr
    output = refused.stdout + refused.stderr
    assert "nothing was loaded" in output and f"make: {edited} was not loaded" in output
    assert "make: wiesbaden-2021 was not published" in output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_make_run_serves_after_the_sample_was_edited_into_a_conflict(database, tmp_path):
    marquee("load", str(SAMPLE))
    port = free_port()
    log = (tmp_path / "make-run.log").open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"SAMPLE={conflicting_copy(tmp_path)}", f"PORT={port}"],
        cwd=REPO,
        env={**os.environ, "MARQUEE_DATABASE_URL": database},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/festivals/wiesbaden-2021", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "make-run.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "make-run.log").read_text()
            time.sleep(0.3)
        text = (tmp_path / "make-run.log").read_text()
        assert "wiesbaden-2021 is already in the database" in text
        assert "published version 1" in text
        assert f"point at http://127.0.0.1:{port}" in text
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # make and the server it started: this test's own group
        process.wait(timeout=30)
        log.close()


HOSTILE = "[/][bold]x[/bold]"  # rich markup: '[/]' alone used to crash with a MarkupError


def test_names_with_brackets_are_printed_as_they_are(database, tmp_path):
    created = marquee("token", "create", "--role", "programmer", "--name", HOSTILE)
    assert f"(programmer, {HOSTILE}) created" in created.output
    assert HOSTILE in marquee("token", "list").stdout

    folder = conflicting_copy(tmp_path, status="draft")
    venues = folder / "venues.yaml"
    venues.write_text(venues.read_text().replace("name: Murnau-Filmtheater", 'name: "[/]Murnau"'))
    films = folder / "films.yaml"
    films.write_text(films.read_text().replace("title: Ballad of a Soldier", 'title: "[red]Ballad[/red]"', 1))
    marquee("load", str(folder))
    table = marquee("conflicts", "wiesbaden-2021", code=1).stdout
    assert "2 conflicts, 2 errors" in table
    assert "[/]Murnau" in table and "[red]Ballad[/red]" in table


def test_loader_errors_with_brackets_are_printed_as_they_are(database, tmp_path):
    folder = tmp_path / "programme"
    shutil.copytree(SAMPLE, folder)
    rows = (folder / "screenings.csv").read_text().splitlines()
    rows[1] = rows[1].replace(",murnau,", ",[/]nowhere[bold],", 1)
    (folder / "screenings.csv").write_text("\n".join(rows) + "\n")
    result = marquee("load", str(folder), code=2)
    assert "'[/]nowhere[bold]'" in result.output
    assert "screenings.csv line 2" in result.output
    with unit_of_work(write=False) as session:
        assert session.exec(select(Festival)).first() is None


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Retrospective: Evacuation on Screen", "retrospective-evacuation-on-screen"),
        ("Ретроспектива: Эвакуация на экране", "retrospektiva-evakuatsiya-na-ekrane"),
        ("Щедрість і Жовтень", "shchedrist-i-zhovten"),
        ("Ελληνικός Κινηματογράφος", "ellinikos-kinimatografos"),
        ("Nouvelle Vague / Новая волна", "nouvelle-vague-novaya-volna"),
        ("Zürich Shorts", "zurich-shorts"),  # accents dropped, as search folds them
    ],
)
def test_section_slugs(name, slug):
    assert section_slug(name) == slug


def test_a_section_with_nothing_to_transliterate_gets_a_stable_hash_slug():
    japanese = section_slug("日本映画の特集")
    assert japanese.startswith("section-") and len(japanese) == len("section-") + 6
    assert japanese == section_slug("日本映画の特集") != section_slug("韓国映画の特集")


def test_sections_in_cyrillic_and_japanese_have_working_feeds(api, client):
    api.festival()
    venue = api.venue()
    cyrillic = api.film(title="Ivan's Childhood", section="Ретроспектива", runtime_minutes=95)
    japanese = api.film(title="Tokyo Story", section="日本映画", runtime_minutes=136)
    api.screening(venue["id"], [cyrillic["id"]], "2021-11-18T18:00", status="confirmed")
    api.screening(venue["id"], [japanese["id"]], "2021-11-19T18:00", status="confirmed")
    api.post(f"/api/festivals/{api.slug}/publish", {})
    page = client.get(f"/festivals/{api.slug}").text
    for film, title in ((cyrillic, "Ivan's Childhood"), (japanese, "Tokyo Story")):
        slug = client.get(f"/api/festivals/{api.slug}/films/{film['id']}").json()["section_slug"]
        assert slug and slug == section_slug(film["section"])
        path = f"/festivals/{api.slug}/sections/{slug}/calendar.ics"
        assert f"webcal://127.0.0.1:8000{path}" in page
        feed = client.get(path)
        assert feed.status_code == 200, feed.text
        summaries = [line for line in feed.text.splitlines() if line.startswith("SUMMARY")]
        assert len(summaries) == 1 and title.replace("'", "") in summaries[0].replace("\\", "").replace("'", "")
    assert "/sections//calendar.ics" not in page


def test_an_accented_sections_former_feed_address_still_answers(api, client):
    """The first releases made "Zürich Shorts" `z-rich-shorts`: subscriptions to it keep working."""
    api.festival()
    venue, film = api.venue(), api.film(section="Zürich Shorts")
    api.screening(venue["id"], [film["id"]], "2021-11-18T18:00", status="confirmed")
    api.post(f"/api/festivals/{api.slug}/publish", {})
    new = client.get(f"/festivals/{api.slug}/sections/zurich-shorts/calendar.ics")
    old = client.get(f"/festivals/{api.slug}/sections/z-rich-shorts/calendar.ics")
    assert new.status_code == old.status_code == 200
    assert new.text.count("BEGIN:VEVENT") == old.text.count("BEGIN:VEVENT") == 1
