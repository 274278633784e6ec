"""No way into the database skips a rule: the API and `marquee load` refuse the same things.

The defect that showed why: a folder could hold a 33-hour confirmed screening, which the
API's neighbour query (it trusts that no screening lasts over a day) then could not see, so an
overlapping confirmed screening was accepted. Every way in now reads the same field families
(`app.scheduling.fields`) and ends with the same standing rules (`app.services.rules`).
"""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.store.db import unit_of_work
from app.store.repository import festival_by_slug

SAMPLE = Path(__file__).resolve().parent.parent / "sample_programme"
runner = CliRunner()


def load(folder: Path) -> tuple[int, str]:
    result = runner.invoke(cli, ["load", str(folder)])
    return result.exit_code, result.output


def festival_exists(slug: str = "wiesbaden-2021") -> bool:
    with unit_of_work(write=False) as session:
        return festival_by_slug(session, slug) is not None


def spoiled(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "programme"
    shutil.copytree(SAMPLE, folder)
    path = folder / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return folder


def test_a_folder_cannot_hold_a_screening_longer_than_a_day(database, tmp_path):
    # two 1000-minute films in one confirmed screening: 33 hours
    folder = spoiled(tmp_path, "films.yaml", "runtime_minutes: 120", "runtime_minutes: 1000")
    rows = (folder / "screenings.csv").read_text().splitlines()
    rows.append("2021-11-20 10:00,caligari,dear-comrades + dear-comrades,,,,,,confirmed,,,,")
    (folder / "screenings.csv").write_text("\n".join(rows) + "\n")
    code, output = load(folder)
    assert code == 2
    assert f"screenings.csv line {len(rows)}" in output
    assert "2000 minutes; at most 1440" in output
    assert not festival_exists()


def test_a_film_runtime_that_would_make_a_screening_last_over_a_day_is_refused(api):
    api.festival()
    venue, film = api.venue(), api.film(runtime_minutes=700)
    api.screening(venue["id"], [film["id"], film["id"]], "2021-11-19T10:00", status="confirmed")
    response = api.client.patch(
        f"/api/festivals/{api.slug}/films/{film['id']}", json={"runtime_minutes": 800}, headers=api.headers
    )
    assert response.status_code == 422
    assert "1600 minutes; at most 1440" in response.json()["detail"]
    assert (
        api.client.get(f"/api/festivals/{api.slug}/films/{film['id']}", headers=api.headers).json()["runtime_minutes"]
        == 700
    )


def test_the_confirmed_rule_holds_after_a_load_for_api_writes(database, tmp_path, programmer, client):
    """The sample loads; a confirmed screening overlapping a loaded confirmed one is refused over the API."""
    code, output = load(SAMPLE)
    assert code == 0, output
    first = client.get("/api/festivals/wiesbaden-2021/screenings?limit=1&status=confirmed", headers=programmer)
    existing = first.json()["items"][0]
    body = {
        "venue_id": existing["venue_id"],
        "films": existing["films"],
        "status": "confirmed",
        "starts_at": existing["starts_at"],
    }
    response = client.post("/api/festivals/wiesbaden-2021/screenings", json=body, headers=programmer)
    assert response.status_code == 409
    conflicts = client.get("/api/festivals/wiesbaden-2021/conflicts?severity=error", headers=programmer).json()
    assert conflicts["total"] == 0


# The same values, sent over the API and written into a folder, are refused by both.
REFUSED = [
    pytest.param(
        "films.yaml",
        "runtime_minutes: 120",
        "runtime_minutes: 2000",
        "films",
        {"runtime_minutes": 2000},
        id="runtime_over_a_day",
    ),
    pytest.param("films.yaml", "year: 2020", "year: 1", "films", {"year": 1}, id="year_1"),
    pytest.param(
        "films.yaml",
        "section: Panorama",
        "section: Pan\u202eorama",
        "films",
        {"section": "Pan\u202eorama"},
        id="right_to_left_override",
    ),
    pytest.param(
        "films.yaml",
        "synopsis: >-",
        "synopsis: " + "x" * 10_001 + "\n  old_synopsis: >-",
        "films",
        {"synopsis": "x" * 10_001},
        id="ten_thousand_character_synopsis",
    ),
    pytest.param(
        "venues.yaml",
        "turnaround_minutes: 20",
        "turnaround_minutes: 5000",
        "venues",
        {"turnaround_minutes": 5000},
        id="turnaround_over_a_day",
    ),
    pytest.param(
        "festival.yaml", "slug: wiesbaden-2021", "slug: ../etc", None, {"slug": "../etc"}, id="slug_with_dots"
    ),
    pytest.param(
        "festival.yaml",
        "timezone: Europe/Berlin",
        "timezone: America",
        None,
        {"timezone": "America"},
        id="timezone_naming_a_directory",
    ),
    pytest.param(
        "festival.yaml",
        "starts_on: 2021-11-17",
        "starts_on: 0001-01-01",
        None,
        {"starts_on": "0001-01-01"},
        id="year_1_festival",
    ),
    pytest.param(
        "screenings.csv",
        "https://wiesbaden-2021.example.org/tickets/1",
        "javascript:alert(1)",
        "screenings",
        {"ticket_url": "javascript:alert(1)"},
        id="javascript_ticket_url",
    ),
    pytest.param(
        "screenings.csv",
        "2021-11-17 18:00",
        "2031-11-17 18:00",
        "screenings",
        {"starts_at": "2031-11-17T18:00"},
        id="screening_ten_years_off",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "resource", "body"), REFUSED)
def test_the_api_and_the_loader_refuse_the_same_values(database, tmp_path, api, file, old, new, resource, body):
    folder = spoiled(tmp_path, file, old, new)
    if "old_synopsis" in new:  # keep the YAML valid: the old folded synopsis becomes an unknown field's text
        (folder / file).write_text((folder / file).read_text().replace("  old_synopsis: >-", "  notes_: >-", 1))
    code, output = load(folder)
    assert code == 2, output
    assert file in output and "nothing was loaded" in output
    assert next(iter(body)) in output  # the refusal names the field
    assert not festival_exists() and not festival_exists("etc")

    api.festival()
    venue, film = api.venue(), api.film()
    if resource is None:
        response = api.client.post("/api/festivals", json={**_festival(), **body}, headers=api.headers)
    elif resource == "screenings":
        response = api.client.post(
            f"/api/festivals/{api.slug}/screenings",
            json={"venue_id": venue["id"], "films": [film["id"]], "starts_at": "2021-11-19T20:00", **body},
            headers=api.headers,
        )
    else:
        base = _film() if resource == "films" else {"name": "Kino"}
        response = api.client.post(f"/api/festivals/{api.slug}/{resource}", json={**base, **body}, headers=api.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def _festival() -> dict:
    return {"slug": "another", "name": "Another", "starts_on": "2021-11-17", "ends_on": "2021-11-21"}


def _film() -> dict:
    return {"title": "A film", "runtime_minutes": 90}


def test_a_festival_built_over_the_api_exports_and_loads_back_without_doubling(api, tmp_path):
    api.festival(slug="rt1")
    kinos = [api.venue(name="Kino"), api.venue(name="Kino")]  # two rooms of one name get two keys
    films = [api.film(title="Hot Snow", runtime_minutes=90), api.film(title="The Ascent", runtime_minutes=100)]
    api.screening(kinos[0]["id"], [films[0]["id"]], "2021-11-18T18:00", status="confirmed")
    api.screening(kinos[1]["id"], [films[1]["id"]], "2021-11-18T18:00")
    result = runner.invoke(cli, ["export", "rt1", str(tmp_path / "rt1")])
    assert result.exit_code == 0, result.output
    code, output = load(tmp_path / "rt1")
    assert code == 0, output
    assert "rt1: 0 created, 0 updated" in output
    listed = api.client.get("/api/festivals/rt1/screenings", headers=api.headers).json()
    assert listed["total"] == 2
    assert api.client.get("/api/festivals/rt1/venues", headers=api.headers).json()["total"] == 2
    # and a row moved in the spreadsheet moves that screening
    csv_path = tmp_path / "rt1" / "screenings.csv"
    csv_path.write_text(csv_path.read_text().replace("2021-11-18 18:00,kino-2", "2021-11-18 20:00,kino-2", 1))
    code, output = load(tmp_path / "rt1")
    assert code == 0, output
    listed = api.client.get("/api/festivals/rt1/screenings", headers=api.headers).json()
    assert sorted((s["venue_id"], s["starts_at"]) for s in listed["items"]) == [
        (kinos[0]["id"], "2021-11-18T18:00:00+01:00"),
        (kinos[1]["id"], "2021-11-18T20:00:00+01:00"),
    ]


def test_a_dry_run_says_what_loading_would_do_and_writes_nothing(database, tmp_path):
    result = runner.invoke(cli, ["load", "--dry-run", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "would create 43 and update 0" in result.output and "nothing was written" in result.output
    assert not festival_exists()
    folder = spoiled(tmp_path, "films.yaml", "runtime_minutes: 120", "runtime_minutes: 1000")
    rows = (folder / "screenings.csv").read_text().splitlines()
    rows.append("2021-11-20 10:00,caligari,dear-comrades + dear-comrades,,,,,,confirmed,,,,")
    (folder / "screenings.csv").write_text("\n".join(rows) + "\n")
    result = runner.invoke(cli, ["load", "--dry-run", str(folder)])
    assert result.exit_code == 2
    assert "screenings.csv line" in result.output
    assert not festival_exists()


def test_festival_dates_cannot_move_away_from_its_screenings(api):
    api.festival()
    venue, film = api.venue(), api.film()
    screening = api.screening(venue["id"], [film["id"]], "2021-11-18T18:00", status="confirmed")
    response = api.client.patch(
        f"/api/festivals/{api.slug}", json={"starts_on": "2022-11-17", "ends_on": "2022-11-21"}, headers=api.headers
    )
    assert response.status_code == 422
    assert "left behind" in response.json()["detail"]
    read = api.client.get(f"/api/festivals/{api.slug}/screenings/{screening['id']}", headers=api.headers)
    assert read.status_code == 200
    assert api.client.get(f"/api/festivals/{api.slug}").json()["starts_on"] == "2021-11-17"
