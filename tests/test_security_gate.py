"""The request gate over real HTTP: no token, a bad token or too big a body is refused before
the body is read; a write that cannot get the database's lock answers 503, never 500."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.http.limits import needs_token
from tests.builders import festival_body
from tests.conftest import make_token
from tests.server import running_process

MB = 1024 * 1024


class RawResponse:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self) -> dict:
        return json.loads(self.body)


def read_response(sock: socket.socket) -> RawResponse:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a response: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    while len(body) < int(headers.get("content-length", 0)):
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return RawResponse(int(lines[0].split()[1]), headers, body)


def request_head(method: str, path: str, port: int, headers: dict[str, str]) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def send_some_of_a_big_body(
    port: int, path: str, headers: dict[str, str], declared: int, send: int = 64 * 1024
) -> tuple[RawResponse, float, socket.socket]:
    """Declare `declared` bytes, send only `send` of them, then wait for the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    started = time.monotonic()
    sock.sendall(request_head("POST", path, port, {**headers, "Content-Length": str(declared)}))
    sock.sendall(b"x" * send)
    response = read_response(sock)
    return response, time.monotonic() - started, sock


def connection_is_closed(sock: socket.socket) -> bool:
    sock.settimeout(5)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False
    finally:
        sock.close()


def push_the_whole_body(port: int, headers: dict[str, str], size: int) -> None:
    """What an impatient client does: write every byte (errors once the server hangs up)."""
    block = b"x" * MB
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            sock.sendall(request_head("POST", "/api/festivals", port, {**headers, "Content-Length": str(size)}))
            for _ in range(size // MB):
                sock.sendall(block)
    except OSError:
        pass


REFUSED = [
    ({}, "This needs a token"),
    ({"Authorization": "Basic YWRtaW46YWRtaW4="}, "must be 'Bearer <token>'"),
    ({"Authorization": "Bearer mq_unknown"}, "unknown or has been revoked"),
]


def test_a_50_mb_body_without_a_valid_token_is_refused_before_it_is_read(database):
    # a cap above 50 MB: the token alone refuses it
    with running_process(database, env={"MARQUEE_MAX_BODY_BYTES": str(200 * MB)}) as server:
        for headers, detail in REFUSED:
            response, elapsed, sock = send_some_of_a_big_body(server.port, "/api/festivals", headers, 50 * MB)
            # answered with 64 KB of the 50 MB sent: the server did not wait for the body
            assert response.status == 401, headers
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert detail in response.json()["detail"]
            assert elapsed < 5
            assert connection_is_closed(sock)  # and it will not receive the rest

        before = server.rss_bytes()
        pushers = [
            threading.Thread(target=push_the_whole_body, args=(server.port, headers, 50 * MB))
            for headers, _ in REFUSED + REFUSED[:1]
        ]
        for pusher in pushers:
            pusher.start()
        for pusher in pushers:
            pusher.join(timeout=60)
        assert server.rss_bytes() - before < 30 * MB  # four 50 MB bodies: none was kept
        assert httpx.get(server.base + "/api/festivals").json()["total"] == 0


def test_a_body_over_the_cap_is_413_before_it_is_read(database):
    token = make_token("programmer")
    with running_process(database) as server:  # the default cap, 1 MiB
        # a declared length over the cap: refused before a single body byte was sent
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=20)
        started = time.monotonic()
        sock.sendall(
            request_head(
                "POST",
                "/api/festivals",
                server.port,
                {"Authorization": f"Bearer {token}", "Content-Length": str(50 * MB)},
            )
        )
        response = read_response(sock)
        assert time.monotonic() - started < 5
        assert response.status == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert "1,048,576 bytes" in response.json()["detail"]
        assert "MARQUEE_MAX_BODY_BYTES" in response.json()["detail"]
        assert connection_is_closed(sock)
        # without a token the token comes first: 401, not 413
        response, _, sock = send_some_of_a_big_body(server.port, "/api/festivals", {}, 50 * MB)
        assert response.status == 401
        sock.close()
        # just under the cap is read as usual (and is bad JSON here: 422)
        small = httpx.post(
            server.base + "/api/festivals",
            content=b"{" + b" " * (MB - 2),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        assert small.status_code == 422

        # a chunked body, no length declared: refused once it grows past the cap
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=20)
        sock.sendall(
            request_head(
                "POST",
                "/api/festivals",
                server.port,
                {"Authorization": f"Bearer {token}", "Transfer-Encoding": "chunked"},
            )
        )
        before = server.rss_bytes()
        chunk = b"x" * (64 * 1024)
        try:
            for _ in range(32):  # 2 MiB, twice the cap; the rest would never be read
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        except OSError:
            pass  # the server may hang up while we are still writing
        response = read_response(sock)
        assert response.status == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert "nothing was read or changed" in response.json()["detail"]
        assert connection_is_closed(sock)
        assert server.rss_bytes() - before < 30 * MB
        assert httpx.get(server.base + "/api/festivals").json()["total"] == 0


@contextmanager
def write_lock_held(database_url: str, slug: str):
    """Another connection holds the write lock: SQLite's BEGIN IMMEDIATE, PostgreSQL's festival row lock."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    else:
        libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(libpq) as holder:
            holder.execute("SELECT id FROM festival WHERE slug = %s FOR UPDATE", (slug,))
            yield
            holder.rollback()


def test_a_bad_token_never_waits_for_the_write_lock(database):
    token = make_token("programmer")
    busy_timeout = 4
    with (
        running_process(database, env={"MARQUEE_SQLITE_BUSY_TIMEOUT": str(busy_timeout)}) as server,
        httpx.Client(base_url=server.base, timeout=30) as http,
    ):
        assert (
            http.post("/api/festivals", json=festival_body(), headers={"Authorization": f"Bearer {token}"}).status_code
            == 201
        )
        with write_lock_held(database, "wiesbaden-2021"):
            for headers in ({"Authorization": "Bearer mq_unknown"}, {}, {"Authorization": "Token x"}):
                started = time.monotonic()
                refused = http.patch("/api/festivals/wiesbaden-2021", json={"name": "Taken"}, headers=headers)
                assert refused.status_code == 401
                assert time.monotonic() - started < busy_timeout - 1  # it never queued for the lock
            # reads go on meanwhile
            assert http.get("/api/festivals/wiesbaden-2021").json()["name"] == "Wiesbaden Film Days"


def test_a_write_that_cannot_get_sqlites_lock_in_time_is_503_with_retry_after(sqlite_url, monkeypatch):
    from tests.conftest import use_database

    use_database(monkeypatch, sqlite_url)
    token = make_token("programmer")
    with (
        running_process(sqlite_url, env={"MARQUEE_SQLITE_BUSY_TIMEOUT": "0.5"}) as server,
        httpx.Client(base_url=server.base, timeout=30) as http,
    ):
        with write_lock_held(sqlite_url, "nothing"):
            busy = http.post(
                "/api/festivals", json=festival_body(slug="busy-2021"), headers={"Authorization": f"Bearer {token}"}
            )
            assert busy.status_code == 503
            assert busy.headers["content-type"] == "application/problem+json"
            assert int(busy.headers["retry-after"]) > 0
            body = busy.json()
            assert body["status"] == 503 and "nothing was changed" in body["detail"]
            assert "Try again" in body["detail"]
        # the lock is free again: the same request goes through
        assert (
            http.post(
                "/api/festivals", json=festival_body(slug="busy-2021"), headers={"Authorization": f"Bearer {token}"}
            ).status_code
            == 201
        )


def test_plans_are_public_by_design_so_the_gate_lets_them_pass(client):
    # attendees' plans are not built yet: the routes answer 404, never the gate's 401
    for method, path in (
        ("POST", "/api/festivals/wiesbaden-2021/plans"),
        ("PUT", "/api/plans/abc"),
        ("GET", "/api/plans/abc"),
    ):
        response = client.request(method, path, json={"screening_ids": []})
        assert response.status_code == 404, (method, path, response.text)


@pytest.mark.parametrize(
    ("method", "path", "needed"),
    [
        ("POST", "/api/festivals", True),
        ("PATCH", "/api/festivals/x", True),
        ("DELETE", "/api/festivals/x", True),
        ("PUT", "/api/anything", True),
        ("POST", "/api/festivals/x/screenings", True),
        ("POST", "/api/festivals/x/plans/extra", True),
        ("DELETE", "/api/festivals/x/plans", True),
        ("GET", "/api/festivals", False),
        ("HEAD", "/api/festivals", False),
        ("POST", "/api/festivals/x/plans", False),
        ("PUT", "/api/plans/abc", False),
        ("DELETE", "/api/plans/abc", False),
        ("POST", "/festivals/x", False),
        ("POST", "/apiary", False),
    ],
)
def test_which_requests_the_gate_asks_for_a_token(method, path, needed):
    assert needs_token(method, path) is needed
