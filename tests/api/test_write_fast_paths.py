"""The create's fast paths answer exactly what the ordinary ones did.

`POST .../screenings` runs its work, its answer's serialisation and the commit in one worker
thread (`answer_in_one_thread`), and the write path's SQL runs on the DB-API cursor
(`app.store.plain`). Here the same requests go once to the route as it is and once to the
ordinary route (a sync endpoint, FastAPI serialising the answer and `get_session` committing;
every statement through `session.execute`, which a statement listener forces), each time on a
database emptied with its ids counting from 1 again, so the two runs store the same rows under
the same ids: status, headers and bytes of every answer, and what is stored, must be equal.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import Response
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from app.api.schemas import ScreeningCreate, ScreeningPublic
from app.api.screenings import _public
from app.http.creates import ScreeningCreates
from app.http.deps import FestivalDep, Programmer, SessionDep
from app.http.problems import problem_responses
from app.services import screenings
from app.services.screenings import etag_of
from app.store.db import get_engines
from tests.builders import Api
from tests.conftest import TABLES, make_token


def ordinary_create_screening(
    _: Programmer, body: ScreeningCreate, festival: FestivalDep, session: SessionDep, response: Response
):
    """`create_screening` as it was: a sync route, answered and committed by FastAPI and `get_session`."""
    screening, view = screenings.create_screening(session, festival, body)
    response.headers["Location"] = f"/api/festivals/{festival.slug}/screenings/{screening.id}"
    response.headers["ETag"] = etag_of("screening", screening)
    return _public(view)


def empty_with_ids_from_one() -> None:
    engine = get_engines().write
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        else:
            for table in TABLES:
                connection.execute(text(f"DELETE FROM {table}"))
            connection.execute(text("DELETE FROM sqlite_sequence"))
    from app.services import conflict_ledgers

    conflict_ledgers._held.clear()  # festival ids start again at 1: forget the ledgers of the last run


def _every_statement_through_the_session(conn, cursor, statement, parameters, context, executemany):
    """A statement listener: while one is attached, `app.store.plain` runs statements as before."""


def requests_to_make(api: Api) -> list[tuple[str, dict | None, dict]]:
    """A festival of two venues (one with a turnaround) and three films; then the requests, each
    (path, body, headers): creates answered with and without conflicts, refused (409), invalid
    (422 from the service and from validation), of no festival (404), without a token (401)."""
    api.festival()
    hall = api.venue(name="Hall", turnaround_minutes=30)["id"]
    studio = api.venue(name="Studio")["id"]
    feature = api.film(title="Feature", runtime_minutes=100)["id"]
    short = api.film(title="Short", runtime_minutes=12)["id"]
    other = api.film(title="Other", runtime_minutes=90)["id"]
    path = f"/api/festivals/{api.slug}/screenings"
    bodies = [
        {"venue_id": hall, "films": [feature], "starts_at": "2021-11-19T18:00", "status": "confirmed"},
        {"venue_id": hall, "films": [short, other], "starts_at": "2021-11-19T19:50", "intro_minutes": 5},
        {"venue_id": hall, "films": [other], "starts_at": "2021-11-19T19:00", "status": "confirmed"},
        {"venue_id": studio, "films": [feature], "starts_at": "2021-11-19T19:00", "guests": ["A. Director"]},
        {"venue_id": studio, "films": [short], "starts_at": "2021-11-20T01:30", "status": "confirmed"},
        {"venue_id": studio, "films": [other], "starts_at": "2021-11-19T18:30", "guests": ["A. Director"]},
        {"venue_id": 999_999, "films": [feature], "starts_at": "2021-11-19T12:00"},
        {"venue_id": hall, "films": [999_999], "starts_at": "2021-11-19T12:00"},
        {"venue_id": hall, "films": [feature], "starts_at": "2031-11-19T12:00"},
        {"venue_id": hall, "films": [], "starts_at": "2021-11-19T12:00"},
        {"venue_id": "hall", "films": [feature]},
    ]
    requests = [(path, body, api.headers) for body in bodies]
    requests.append(("/api/festivals/no-such-festival/screenings", bodies[0], api.headers))
    requests.append((path, bodies[0], {}))
    return requests


def answers(client: TestClient, before: Callable[[], None] = lambda: None) -> list:
    empty_with_ids_from_one()
    api = Api(client, {"Authorization": f"Bearer {make_token('programmer')}"})
    before()
    found = []
    for path, body, headers in requests_to_make(api):
        response = client.post(path, json=body, headers=headers)
        found.append((response.status_code, response.headers.raw, response.content))
    stored = client.get(f"/api/festivals/{api.slug}/screenings", headers=api.headers)
    return [*found, (stored.status_code, stored.content)]


@pytest.fixture
def ordinary_client(database):
    """The application with the ordinary create route in front of the fast one, at its path."""
    from app.main import create_app

    app = create_app()
    route = APIRoute(
        "/api/festivals/{slug}/screenings",
        ordinary_create_screening,
        methods=["POST"],
        status_code=201,
        response_model=ScreeningPublic,
        responses=problem_responses(401, 403, 404, 409, 422),
    )
    app.router.routes.insert(0, route)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_a_create_answers_what_the_ordinary_route_answers(client, ordinary_client, monkeypatch):
    fast = answers(client)
    engine = get_engines().write

    def listen():
        event.listen(engine, "before_cursor_execute", _every_statement_through_the_session)

    monkeypatch.setattr(ScreeningCreates, "enabled", False)  # the ordinary route answers every create
    try:
        ordinary = answers(ordinary_client, listen)
    finally:
        event.remove(engine, "before_cursor_execute", _every_statement_through_the_session)
    statuses = [answer[0] for answer in fast]
    assert statuses == [201, 201, 409, 201, 201, 201, 422, 422, 422, 422, 422, 404, 401, 200]
    assert b'"conflicts":[]' not in fast[1][2]  # answered with its conflicts
    for mine, theirs in zip(fast, ordinary, strict=True):
        assert mine == theirs


def test_the_route_commits_before_it_answers(client):
    """What a 201 answers is stored: read back on another connection right after."""
    api = Api(client, {"Authorization": f"Bearer {make_token('programmer')}"})
    api.festival()
    venue = api.venue()["id"]
    film = api.film()["id"]
    created = api.screening(venue, [film], "2021-11-19T18:00", status="confirmed")
    with get_engines().read.connect() as connection:
        stored = connection.execute(
            text("SELECT status, revision FROM screening WHERE id = :id"), {"id": created["id"]}
        ).one()
    assert tuple(stored) == ("confirmed", 1)
