"""Schemathesis throws generated requests at every operation: never a 500, every error a problem."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.main import create_app
from tests.builders import Api
from tests.conftest import TABLES, make_token, use_database

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@pytest.fixture(scope="module")
def festival_headers(sqlite_url):
    """A festival with a venue, a film and a screening on SQLite, and a programmer's headers."""
    from fastapi.testclient import TestClient
    from sqlalchemy import text

    mp = pytest.MonkeyPatch()
    use_database(mp, sqlite_url)
    from app.store.db import get_engines

    with get_engines().write.begin() as connection:
        for table in TABLES:
            connection.execute(text(f"DELETE FROM {table}"))
    headers = {"Authorization": f"Bearer {make_token('programmer')}"}
    api = Api(TestClient(create_app()), headers)
    api.festival()
    venue, film = api.venue(), api.film()
    api.screening(venue["id"], [film["id"]])
    yield headers
    mp.undo()


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_break_the_server(case, festival_headers):
    if "slug" in (case.path_parameters or {}):
        case.path_parameters["slug"] = "wiesbaden-2021"  # reach the body's validation, not only 404
    response = case.call(headers=festival_headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == ["application/problem+json"], response.text
        assert response.json()["detail"]
