"""Staff sign-in, sessions and the board's forms over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.store.db import unit_of_work
from app.store.models import ApiToken, Screening, StaffSession
from app.store.tokens import hash_token
from tests.conftest import make_token

SLUG = "wiesbaden-2021"
BOARD = f"/festivals/{SLUG}/board"


def sign_in_field(client) -> str:
    page = client.get("/login")
    return re.search(r'name="sign_in" value="([^"]+)"', page.text).group(1)


def sign_in(client, token: str, next_path: str = BOARD):
    response = client.post(
        "/login", data={"token": token, "sign_in": sign_in_field(client), "next": next_path}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return response


def csrf_of(client, path: str = BOARD) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


@pytest.fixture
def festival(api):
    api.festival()
    caligari = api.venue(name="Caligari", turnaround_minutes=20)
    comrades = api.film()
    ascent = api.film(title="The Ascent", runtime_minutes=111)
    confirmed = api.screening(caligari["id"], [ascent["id"]], "2021-11-19T18:00", status="confirmed")
    return {"caligari": caligari, "comrades": comrades, "ascent": ascent, "confirmed": confirmed}


def test_the_board_needs_a_session_and_sign_in_sets_a_safe_cookie(client, festival):
    response = client.get(f"{BOARD}?day=2021-11-19", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Ffestivals%2Fwiesbaden-2021%2Fboard%3Fday%3D2021-11-19"
    token = make_token("programmer")
    signed = sign_in(client, token, f"{BOARD}?day=2021-11-19")
    assert signed.headers["location"] == f"{BOARD}?day=2021-11-19"
    cookie = signed.headers["set-cookie"]
    assert "marquee_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Max-Age=43200" in cookie and "Secure" not in cookie  # the base URL is http in tests
    page = client.get(f"{BOARD}?day=2021-11-19")
    assert page.status_code == 200 and "The Ascent" in page.text
    assert token not in page.text
    session_id = client.cookies["marquee_session"]
    with unit_of_work(write=False) as session:
        stored = session.exec(select(StaffSession)).one()
    assert stored.session_hash != session_id and session_id not in stored.session_hash
    assert stored.expires_at - datetime.now(UTC) > timedelta(hours=11)


def test_a_wrong_token_or_a_forged_sign_in_form_is_refused(client, festival):
    wrong = client.post("/login", data={"token": "mq_nope", "sign_in": sign_in_field(client), "next": BOARD})
    assert wrong.status_code == 401 and "unknown or has been revoked" in wrong.text
    forged = client.post("/login", data={"token": make_token("programmer"), "sign_in": "guess", "next": BOARD})
    assert forged.status_code == 403
    assert "marquee_session" not in client.cookies
    outside = client.post(
        "/login",
        data={"token": make_token("programmer"), "sign_in": sign_in_field(client), "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert outside.headers["location"] == "/"  # never sent to another site


def test_secure_cookie_when_the_base_url_is_https(client, festival, monkeypatch):
    from app.settings import get_settings

    monkeypatch.setenv("MARQUEE_BASE_URL", "https://marquee.example")
    get_settings.cache_clear()
    client.base_url = "https://testserver"  # a Secure cookie comes back only over https
    try:
        assert "Secure" in sign_in(client, make_token("programmer")).headers["set-cookie"]
    finally:
        get_settings.cache_clear()


def test_a_post_without_the_cross_site_token_is_refused(client, festival):
    sign_in(client, make_token("programmer"))
    body = {
        "films": festival["comrades"]["id"],
        "venue_id": festival["caligari"]["id"],
        "starts_at": "2021-11-19T20:30",
        "day": "2021-11-19",
    }
    assert client.post(f"/festivals/{SLUG}/board/screenings", data=body).status_code == 403
    assert client.post(f"/festivals/{SLUG}/board/screenings", data={**body, "csrf": "x"}).status_code == 403
    with unit_of_work(write=False) as session:
        assert len(session.exec(select(Screening)).all()) == 1
    placed = client.post(
        f"/festivals/{SLUG}/board/screenings", data={**body, "csrf": csrf_of(client)}, follow_redirects=False
    )
    assert placed.status_code == 303 and "notice=created" in placed.headers["location"]


def test_a_refusal_is_shown_in_place_and_changes_nothing(client, festival):
    sign_in(client, make_token("programmer"))
    csrf = csrf_of(client)
    body = {
        "csrf": csrf,
        "films": festival["comrades"]["id"],
        "venue_id": festival["caligari"]["id"],
        "starts_at": "2021-11-19T19:00",
        "status": "confirmed",
        "day": "2021-11-19",
    }
    refused = client.post(f"/festivals/{SLUG}/board/screenings", data=body)
    assert refused.status_code == 409
    assert "Nothing was changed" in refused.text
    assert (
        "The new screening of Dear Comrades! (Fri 19 Nov 19:00, Caligari) cannot be confirmed: "
        "1 error-level conflict with confirmed screenings: it overlaps The Ascent (Fri 19 Nov 18:00, Caligari)"
    ) in refused.text
    assert 'value="2021-11-19T19:00"' in refused.text  # the input is kept
    invalid = client.post(f"/festivals/{SLUG}/board/screenings", data={**body, "starts_at": "the evening"})
    assert invalid.status_code == 422
    assert 'id="error-starts_at"' in invalid.text and 'aria-invalid="true"' in invalid.text
    moved = client.post(
        f"/festivals/{SLUG}/board/screenings/{festival['confirmed']['id']}",
        data={
            "csrf": csrf,
            "starts_at": "2021-11-19T19:00",
            "venue_id": festival["caligari"]["id"],
            "day": "2021-11-19",
        },
        follow_redirects=False,
    )
    assert moved.status_code == 303
    with unit_of_work(write=False) as session:
        rows = session.exec(select(Screening)).all()
    assert [(r.id, r.starts_at.hour) for r in rows] == [(festival["confirmed"]["id"], 18)]  # 19:00 in Berlin


def test_an_expired_session_goes_back_to_sign_in_keeping_the_input(client, festival):
    token = make_token("programmer")
    sign_in(client, token)
    csrf = csrf_of(client)
    with unit_of_work() as session:
        for row in session.exec(select(StaffSession)):
            row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
            session.add(row)
    body = {
        "csrf": csrf,
        "films": str(festival["comrades"]["id"]),
        "venue_id": str(festival["caligari"]["id"]),
        "starts_at": "2021-11-19T20:30",
        "day": "2021-11-19",
    }
    page = client.post(f"/festivals/{SLUG}/board/screenings", data=body)
    assert page.status_code == 401 and "Your session has ended" in page.text
    assert 'name="carry.starts_at" value="2021-11-19T20:30"' in page.text
    assert csrf not in page.text
    carried = dict(re.findall(r'name="(carry\.[^"]+)" value="([^"]*)"', page.text))
    again = client.post(
        "/login",
        data={
            "token": token,
            "sign_in": re.search(r'name="sign_in" value="([^"]+)"', page.text).group(1),
            "next": BOARD,
            "carry_action": f"/festivals/{SLUG}/board/screenings",
            **carried,
        },
    )
    assert again.status_code == 200 and "Send it again" in again.text
    assert 'name="starts_at" value="2021-11-19T20:30"' in again.text
    resent = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', again.text))
    placed = client.post(f"/festivals/{SLUG}/board/screenings", data=resent, follow_redirects=False)
    assert placed.status_code == 303
    with unit_of_work(write=False) as session:
        assert len(session.exec(select(Screening)).all()) == 2


def test_a_revoked_token_ends_its_sessions_at_the_next_request(client, festival):
    token = make_token("programmer")
    sign_in(client, token)
    assert client.get(BOARD).status_code == 200
    with unit_of_work() as session:
        row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).one()
        row.revoked_at = datetime.now(UTC)
        session.add(row)
    page = client.get(BOARD, follow_redirects=False)
    assert page.status_code == 401 and "Your session has ended" in page.text
    with unit_of_work(write=False) as session:
        assert session.exec(select(StaffSession)).all() == []


def test_sign_out_ends_the_session(client, festival):
    sign_in(client, make_token("admin"))
    csrf = csrf_of(client)
    assert client.post("/logout", data={}).status_code == 403  # a forged sign-out is refused too
    out = client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"].startswith("/login")
    with unit_of_work(write=False) as session:
        assert session.exec(select(StaffSession)).all() == []
    assert client.get(BOARD, follow_redirects=False).status_code in (303, 401)


def test_board_edits_go_through_the_service(client, festival):
    sign_in(client, make_token("programmer"))
    csrf = csrf_of(client)
    screening = festival["confirmed"]["id"]
    for status in ("draft", "cancelled", "confirmed"):
        done = client.post(
            f"/festivals/{SLUG}/board/screenings/{screening}",
            data={"csrf": csrf, "status": status},
            follow_redirects=False,
        )
        assert done.status_code == 303 and f"notice={status}" in done.headers["location"]
    page = client.get(f"{BOARD}?day=2021-11-19&edit={screening}")
    assert "booked" in page.text and "Conflicts on Fri 19 Nov" in page.text
    assert f"place={festival['comrades']['id']}" in page.text  # not scheduled yet: offered for placing
    assert client.get(f"/festivals/{SLUG}/board?edit=999999").status_code == 404
    gone = client.post(
        f"/festivals/{SLUG}/board/screenings/{screening}/delete", data={"csrf": csrf}, follow_redirects=False
    )
    assert gone.status_code == 303
    assert client.get("/festivals/nowhere/board").status_code == 404
