"""Tokens: writes and unpublished reads need one; the role decides the rest."""

import pytest

from tests.builders import festival_body


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}],
    ids=["missing", "unknown", "not_bearer"],
)
def test_write_without_a_valid_token_is_401_problem(client, headers):
    response = client.post("/api/festivals", json=festival_body(), headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/api/festivals").json()["total"] == 0


def test_drafts_are_never_shown_without_a_token(api, client):
    api.festival()
    venue, film = api.venue(), api.film()
    api.screening(venue["id"], [film["id"]])
    assert client.get("/api/festivals/wiesbaden-2021/screenings").status_code == 401
    assert client.get("/api/festivals/wiesbaden-2021/screenings/1").status_code == 401
    assert client.get("/api/festivals/wiesbaden-2021/conflicts").status_code == 401


def test_a_revoked_token_is_refused(client, database):
    from app.store.db import unit_of_work
    from app.store.tokens import create_token, revoke_token

    with unit_of_work() as session:
        row, token = create_token(session, "programmer")
    with unit_of_work() as session:
        revoke_token(session, row.id)
    response = client.post("/api/festivals", json=festival_body(), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_only_the_hash_is_stored(database):
    from sqlmodel import select

    from app.store.db import unit_of_work
    from app.store.models import ApiToken
    from app.store.tokens import create_token, hash_token

    with unit_of_work() as session:
        _, token = create_token(session, "admin")
    with unit_of_work(write=False) as session:
        stored = session.exec(select(ApiToken)).one()
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash
