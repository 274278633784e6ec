"""Nothing lost: backups restore everything, and a database from the first release upgrades with its data."""

import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from app.cli import cli
from app.store.db import get_engines, unit_of_work
from app.store.migrate import upgrade
from app.store.repository import delete_festival, festival_by_slug, latest_version_number
from tests.conftest import ADMIN_URL, _libpq

SAMPLE = Path(__file__).resolve().parent.parent / "sample_programme"
FIRST_RELEASE = "46c8fffae89a"
runner = CliRunner()


def marquee(*args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'first-release.db'}"
        return
    name = f"marquee_upgrade_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(ADMIN_URL), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(_libpq(ADMIN_URL), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_festivals_versions_and_tokens(empty_database, tmp_path, monkeypatch):
    # a database of its own: a restore puts back its id sequences, which the shared test database must not see
    from tests.conftest import use_database

    upgrade(empty_database)
    use_database(monkeypatch, empty_database)
    try:
        marquee("load", str(SAMPLE))
        marquee("publish", "wiesbaden-2021")
        marquee("db", "backup", str(tmp_path / "backup"))
        with unit_of_work() as session:
            delete_festival(session, festival_by_slug(session, "wiesbaden-2021").id)
        get_engines().write.dispose()
        get_engines().read.dispose()
        marquee("db", "restore", "--yes", str(tmp_path / "backup"))
        with unit_of_work(write=False) as session:
            festival = festival_by_slug(session, "wiesbaden-2021")
            assert festival is not None
            assert latest_version_number(session, festival.id) == 1
            screenings = session.execute(
                text("SELECT count(*) FROM screening WHERE festival_id = :f"), {"f": festival.id}
            ).scalar_one()
        assert screenings == 27
    finally:
        get_engines().write.dispose()
        get_engines().read.dispose()
        get_engines.cache_clear()


FIRST_RELEASE_ROWS = [
    "INSERT INTO festival (id, slug, name, city, website, timezone, starts_on, ends_on, day_starts_at,"
    " print_transfer_minutes, revision, schedule_revision, created_at, updated_at) VALUES (1, 'old-days',"
    " 'Old Days', 'Wiesbaden', NULL, 'Europe/Berlin', '2021-11-17', '2021-11-21', '06:00:00', 30, 1, 0,"
    " '2021-10-01 10:00:00', '2021-10-01 10:00:00')",
    "INSERT INTO venue (id, festival_id, key, name, address, capacity, turnaround_minutes, latitude, longitude,"
    " step_free, availability, revision) VALUES (1, 1, 'caligari', 'Caligari', 'Marktplatz 9', 300, 20, NULL,"
    " NULL, true, '[]', 1)",
    "INSERT INTO film (id, festival_id, key, title, original_title, directors, year, countries, languages,"
    " subtitles, runtime_minutes, synopsis, section, premiere, format, copies, credits, distributor, awards,"
    " notes, revision) VALUES (1, 1, 'dear-comrades', 'Dear Comrades!', NULL, '[\"Andrei Konchalovsky\"]', 2020,"
    " '[]', '[]', NULL, 120, '', NULL, 'none', NULL, 1, '[]', NULL, '[]', '', 1)",
    "INSERT INTO screening (id, festival_id, venue_id, starts_at, title, intro_minutes, qa_minutes, slot_minutes,"
    " guests, status, accessibility, ticket_url, notes, revision) VALUES (1, 1, 1, '2021-11-19 21:00:00', NULL,"
    " 0, 0, NULL, '[]', 'confirmed', '[]', NULL, '', 1)",
    "INSERT INTO screening_film (screening_id, position, film_id) VALUES (1, 0, 1)",
]


def test_a_database_from_the_first_release_upgrades_without_loss(empty_database, monkeypatch):
    upgrade(empty_database, FIRST_RELEASE)
    engine = create_engine(empty_database)
    with engine.begin() as connection:
        for statement in FIRST_RELEASE_ROWS:
            connection.execute(text(statement))
    engine.dispose()
    upgrade(empty_database)
    from tests.conftest import use_database

    use_database(monkeypatch, empty_database)
    try:
        from fastapi.testclient import TestClient

        from app.main import create_app
        from tests.conftest import make_token

        headers = {"Authorization": f"Bearer {make_token('programmer')}"}
        with TestClient(create_app()) as client:
            screening = client.get("/api/festivals/old-days/screenings/1", headers=headers).json()
            assert (screening["title"], screening["starts_at"], screening["status"]) == (
                "Dear Comrades!",
                "2021-11-19T22:00:00+01:00",
                "confirmed",
            )
            assert client.post("/api/festivals/old-days/publish", headers=headers).status_code == 201
            assert "Dear Comrades!" in client.get("/festivals/old-days/calendar.ics").text
    finally:
        get_engines().write.dispose()
        get_engines().read.dispose()
        get_engines.cache_clear()
