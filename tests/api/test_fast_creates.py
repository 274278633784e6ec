"""The create's fast path in front of the stack (`app.http.creates.ScreeningCreates`).

Each request is made twice, on a database emptied with its ids counting from 1 again: once with
the fast path, once without it (the usual way: the gate, FastAPI, the route); status, headers
and bytes of every answer, and what is stored, must be equal. Which requests the fast path
answers itself is counted by the gate's token checks, which only the usual way makes.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.http import creates
from app.http.creates import FAST_BODY_BYTES, ScreeningCreates
from app.http.limits import RequestGate
from app.services import screenings as screening_service
from app.store.db import get_engines, unit_of_work
from app.store.tokens import TOKENS, TokenConnection, active_token_on, create_token, revoke_token
from tests.api.test_write_fast_paths import empty_with_ids_from_one
from tests.builders import Api
from tests.conftest import make_token


@pytest.fixture
def gate_checks(monkeypatch) -> list[str]:
    """The tokens the gate has looked up: only a request that went the usual way is there."""
    checked: list[str] = []
    check = RequestGate._check

    async def counted(token: str):
        checked.append(token)
        return await check(token)

    monkeypatch.setattr(RequestGate, "_check", staticmethod(counted))
    return checked


def festival_with_rooms(api: Api) -> dict:
    api.festival()
    hall = api.venue(name="Hall", turnaround_minutes=30)["id"]
    studio = api.venue(name="Studio")["id"]
    feature = api.film(title="Feature", runtime_minutes=100)["id"]
    short = api.film(title="Short", runtime_minutes=12)["id"]
    return {"hall": hall, "studio": studio, "feature": feature, "short": short}


# (name, answered by the fast path (True) or the usual way (False; None: without a token lookup),
# body or raw bytes, extra headers)
def requests_to_make(ids: dict, revoked: str, admin: str) -> list[tuple[str, bool | None, object, dict]]:
    hall, studio, feature, short = ids["hall"], ids["studio"], ids["feature"], ids["short"]
    as_admin = {"Authorization": f"Bearer {admin}"}
    confirmed = {"venue_id": hall, "films": [feature], "starts_at": "2021-11-19T18:00", "status": "confirmed"}
    return [
        ("created", True, confirmed, {}),
        ("created with conflicts", True, {"venue_id": hall, "films": [short], "starts_at": "2021-11-19T19:30"}, {}),
        ("refused: 409", True, {**confirmed, "starts_at": "2021-11-19T19:00"}, {}),
        ("no such venue: 422", True, {"venue_id": 999_999, "films": [feature], "starts_at": "2021-11-19T12:00"}, {}),
        ("no such festival: 404", True, confirmed, {"path": "/api/festivals/no-such-festival/screenings"}),
        ("an admin's token", True, {"venue_id": studio, "films": [short], "starts_at": "2021-11-21T10:00"}, as_admin),
        (
            "charset",
            True,
            {**confirmed, "venue_id": studio, "starts_at": "2021-11-20T10:00"},
            {"ct": "; charset=utf-8"},
        ),
        ("invalid body: 422", False, {"venue_id": "hall", "films": [feature]}, {}),
        ("invalid body, no such festival: 404", False, {"films": []}, {"path": "/api/festivals/nope/screenings"}),
        ("not JSON: 422", False, b'{"venue_id": ', {}),
        ("JSON nested 3,000 deep: 400", False, b"[" * 3000 + b"]" * 3000, {}),  # a RecursionError to parse
        ("another content type", False, json.dumps(confirmed).encode(), {"ct": "text/plain"}),
        ("a revoked token: 401", False, confirmed, {"Authorization": f"Bearer {revoked}"}),
        ("an unknown token: 401", False, confirmed, {"Authorization": "Bearer mq_unknown"}),
        ("no token: 401", None, confirmed, {"Authorization": None}),  # refused by the gate without a lookup
        ("a large body", False, {**confirmed, "notes": "x" * FAST_BODY_BYTES}, {}),
        ("a trailing slash", False, confirmed, {"path": "/api/festivals/wiesbaden-2021/screenings/"}),
    ]


def answers(client, enabled: bool, monkeypatch, gate_checks: list[str]) -> list:
    monkeypatch.setattr(ScreeningCreates, "enabled", enabled)
    empty_with_ids_from_one()
    token = make_token("programmer")
    admin = make_token("admin")
    with unit_of_work() as session:
        revoked_row, revoked = create_token(session, "programmer", "revoked")
        revoke_token(session, revoked_row.id)
    api = Api(client, {"Authorization": f"Bearer {token}"})
    ids = festival_with_rooms(api)
    found = []
    for name, fast, body, extra in requests_to_make(ids, revoked, admin):
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        extra = dict(extra)
        path = extra.pop("path", f"/api/festivals/{api.slug}/screenings")
        if "ct" in extra:
            ct = extra.pop("ct")
            headers["Content-Type"] = ct if not ct.startswith(";") else "application/json" + ct
        headers.update(extra)
        headers = {k: v for k, v in headers.items() if v is not None}
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        del gate_checks[:]
        response = client.post(path, content=content, headers=headers)
        if enabled and fast is not None:
            assert (not gate_checks) == fast, name
        found.append((name, response.status_code, response.headers.raw, response.content))
    stored = client.get(f"/api/festivals/{api.slug}/screenings", headers=api.headers)
    return [*found, (stored.status_code, stored.content)]


def test_the_fast_path_answers_what_the_usual_way_answers(client, monkeypatch, gate_checks):
    fast = answers(client, True, monkeypatch, gate_checks)
    usual = answers(client, False, monkeypatch, gate_checks)
    statuses = [answer[1] for answer in fast[:-1]]
    assert statuses == [201, 201, 409, 422, 404, 201, 201, 422, 404, 422, 400, 422, 401, 401, 401, 422, 409]
    for mine, theirs in zip(fast, usual, strict=True):
        assert mine == theirs


def test_a_create_that_fails_before_its_commit_goes_the_usual_way_once(api, monkeypatch, gate_checks):
    """An exception without a handler of its own: nothing was committed, the usual way runs it once more."""
    api.festival()
    venue = api.venue()["id"]
    film = api.film()["id"]
    create = screening_service.create_screening
    calls = []

    def fails_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a fault of the fast path's own")
        return create(*args, **kwargs)

    monkeypatch.setattr(screening_service, "create_screening", fails_once)
    del gate_checks[:]
    created = api.screening(venue, [film], "2021-11-19T18:00")
    assert len(calls) == 2 and len(gate_checks) == 1  # once on the fast path, once the usual way
    listed = api.client.get(f"/api/festivals/{api.slug}/screenings", headers=api.headers).json()
    assert [s["id"] for s in listed["items"]] == [created["id"]]
    with get_engines().read.connect() as connection:
        logged = connection.execute(text("SELECT count(*) FROM schedule_change")).scalar_one()
    assert logged == 1  # one revision: the failed attempt left nothing behind


def test_a_commit_that_fails_is_answered_by_its_handler_and_stores_nothing(api, monkeypatch, gate_checks):
    api.festival()
    venue = api.venue()["id"]
    film = api.film()["id"]

    class LockedAtCommit(creates.Session):  # type: ignore[misc,valid-type]
        def commit(self):
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(creates, "Session", LockedAtCommit)
    body = {"venue_id": venue, "films": [film], "starts_at": "2021-11-19T18:00"}
    del gate_checks[:]
    response = api.client.post(f"/api/festivals/{api.slug}/screenings", json=body, headers=api.headers)
    assert response.status_code == 503 and not gate_checks
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "nothing was changed" in response.json()["detail"]
    listed = api.client.get(f"/api/festivals/{api.slug}/screenings", headers=api.headers).json()
    assert listed["total"] == 0


def test_the_token_connection_answers_what_the_query_answers(database):
    with unit_of_work() as session:
        live = create_token(session, "programmer", "live")[1]
        revoked_row, revoked = create_token(session, "admin", "revoked")
        revoke_token(session, revoked_row.id)
    engines = get_engines()
    direct = TokenConnection()
    for token in (live, revoked, "mq_unknown", ""):
        with engines.read.connect() as connection:
            expected = active_token_on(connection, token)
        answered, found = direct.active_token(engines, token)
        if engines.read.dialect.name != "sqlite":
            assert (answered, found) == (False, None)  # PostgreSQL: looked up the usual way
            continue
        assert answered
        if expected is None:
            assert found is None
        else:
            assert found is not None
            assert {c: getattr(found, c) for c in ("id", "name", "role", "token_hash", "created_at")} == {
                c: getattr(expected, c) for c in ("id", "name", "role", "token_hash", "created_at")
            }


def test_the_token_connection_never_waits_and_recovers_from_a_failure(sqlite_url, monkeypatch):
    from tests.conftest import use_database

    use_database(monkeypatch, sqlite_url)
    token = make_token("programmer")
    engines = get_engines()
    direct = TokenConnection()
    assert direct.active_token(engines, token)[0]
    kept = direct._connection
    assert kept is not None
    # on the event loop it must never wait: SQLite's busy timeout is 0 on this connection
    assert kept.driver_connection.execute("PRAGMA busy_timeout").fetchone()[0] == 0

    class Busy:
        driver_connection = property(lambda self: self)

        def cursor(self):
            raise sqlite3.OperationalError("database is locked")

        def invalidate(self):
            pass

    direct._connection = Busy()
    assert direct.active_token(engines, token) == (False, None)  # the usual way asks (and waits) instead
    answered, found = direct.active_token(engines, token)
    assert answered and found is not None  # opened again


def test_the_process_wide_token_connection_follows_the_database(database):
    """Tests switch databases (and so do engines): the connection is opened again on the new one."""
    token = make_token("programmer")
    answered, found = TOKENS.active_token(get_engines(), token)
    if get_engines().read.dialect.name == "sqlite":
        assert answered and found is not None


def test_a_token_of_a_role_marquee_does_not_know_is_answered_as_the_usual_way_answers(client, monkeypatch):
    """A row written by hand (or by a later version) with a role this one does not know."""
    token = make_token("programmer")
    with get_engines().write.begin() as connection:
        connection.execute(text("UPDATE api_token SET role = 'viewer'"))
    found = []
    for enabled in (True, False):
        monkeypatch.setattr(ScreeningCreates, "enabled", enabled)
        response = client.post(
            "/api/festivals/any/screenings",
            content=b'{"venue_id": 1, "films": [1], "starts_at": "2021-11-19T18:00"}',
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        found.append((response.status_code, response.headers.get("content-type")))
    assert found[0] == found[1]
