"""Fixtures: every storage and API test runs on SQLite and on PostgreSQL.

Each run makes its own PostgreSQL database (dropped afterwards) and its own SQLite file;
both are built with the Alembic migrations, not `create_all`, so every run exercises them.
Between tests the tables are emptied.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.settings import get_settings
from app.store.db import get_engines
from app.store.migrate import upgrade

ADMIN_URL = os.environ.get("MARQUEE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TABLES = (
    "plan",
    "schedule_change",
    "staff_session",
    "screening_film",
    "published_version",
    "screening",
    "film",
    "venue",
    "api_token",
    "festival_slug_history",
    "festival",
)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"marquee_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(ADMIN_URL), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with psycopg.connect(_libpq(ADMIN_URL), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    path: Path = tmp_path_factory.mktemp("sqlite") / "marquee.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(request) -> str:
    """The URL of a migrated, empty database: once SQLite, once PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


def use_database(monkeypatch, url: str) -> None:
    monkeypatch.setenv("MARQUEE_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engines.cache_clear()


@pytest.fixture
def database(database_url, monkeypatch) -> Iterator[str]:
    """Point the app at the test database, emptied before each test."""
    use_database(monkeypatch, database_url)
    engine = get_engines().write
    with engine.begin() as connection:
        for table in TABLES:
            connection.execute(text(f"DELETE FROM {table}"))
    yield database_url
    engines = get_engines()
    engines.read.dispose()
    engines.write.dispose()
    get_engines.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def client(database) -> Iterator[TestClient]:
    from app.main import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def make_token(role: str) -> str:
    from app.store.db import unit_of_work
    from app.store.tokens import create_token

    with unit_of_work() as session:
        return create_token(session, role, f"test {role}")[1]


@pytest.fixture
def programmer(database) -> dict[str, str]:
    """Headers of a programmer's token."""
    return {"Authorization": f"Bearer {make_token('programmer')}"}


@pytest.fixture
def admin(database) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('admin')}"}


@pytest.fixture
def api(client, programmer):
    from tests.builders import Api

    return Api(client, programmer)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true nothing may be skipped: a missing browser or validator is a failure there."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where everything must run: {reason}"
