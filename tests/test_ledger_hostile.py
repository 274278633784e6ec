"""Hostile tests of the conflict ledger: every answer equals a full sweep of the database, in words too."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from app.scheduling.conflicts import find_conflicts
from app.services.rules import in_words
from app.store import repository
from app.store.db import get_engines, unit_of_work
from app.store.models import Festival
from tests.builders import screening_body
from tests.test_conflict_ledgers import SLUG, build_festival, listed, swept_now

GUESTS = ["Anna", "Bela", "Chantal", "anna "]


def worded_now(festival_id: int) -> list[tuple]:
    """A full sweep of what is committed now, in words: kind, screenings, minutes, message."""
    with unit_of_work(write=False) as session:
        festival = session.get(Festival, festival_id)
        conflicts = find_conflicts(
            repository.slots_of(session, festival),
            repository.rooms_of(session, festival_id),
            repository.prints_of(session, festival_id),
            repository.rules_of(festival),
        )
        worded = in_words(session, festival, conflicts)
    return [(c.kind, c.screening_ids, c.minutes, c.message) for c in worded]


def answered(http, **query) -> list[tuple]:
    params = {"limit": 1000, **query}
    response = http.get(f"/api/festivals/{SLUG}/conflicts", params=params)
    assert response.status_code == 200, response.text
    return [(c["kind"], tuple(c["screening_ids"]), c["minutes"], c["message"]) for c in response.json()["items"]]


@contextmanager
def committed_before(sql: str, action: Callable[[], None]) -> Iterator[list[str]]:
    """Run `action` (its own committed transaction) the first time a statement containing `sql`
    is about to run on the read engine: another writer slipping in between two reads of a request."""
    fired: list[str] = []
    engine = get_engines().read

    def before(conn, cursor, statement, parameters, context, executemany):
        if not fired and sql in statement:
            fired.append(statement)
            action()

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield fired
    finally:
        event.remove(engine, "before_cursor_execute", before)


def delete_screening_row(screening_id: int) -> None:
    with unit_of_work() as session:
        festival_id = session.execute(
            text("SELECT festival_id FROM screening WHERE id = :id"), {"id": screening_id}
        ).scalar_one()
        repository.lock_festival(session, festival_id, screenings_only=True)
        session.execute(text("DELETE FROM screening_film WHERE screening_id = :id"), {"id": screening_id})
        session.execute(text("DELETE FROM screening WHERE id = :id"), {"id": screening_id})
        repository.note_screenings_written(session, festival_id, [screening_id])


def messages(client) -> list[str]:
    return [message for *_, message in answered(client)]


def test_words_follow_a_screening_recast_with_a_film_of_the_same_runtime(client, programmer):
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)  # four films of 100 minutes: "Film 0".."Film 3"
    a = client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], "2021-11-19T20:00"))
    client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[1]], "2021-11-19T21:00"))
    (before,) = messages(client)
    assert "Film 0" in before
    response = client.patch(f"/api/festivals/{SLUG}/screenings/{a.json()['id']}", json={"films": [films[2]]})
    assert response.status_code == 200, response.text
    assert listed(client) == swept_now(festival_id)
    (after,) = messages(client)
    assert "Film 2" in after and "Film 0" not in after, after


def test_a_screening_deleted_while_the_list_is_read_is_no_crash(client, programmer):
    """On PostgreSQL each statement reads what is committed then: a screening on the page may be
    gone by the time the page's slots are read."""
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    ids = [
        client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], at)).json()["id"]
        for at in ("2021-11-19T10:00", "2021-11-19T12:00")
    ]
    with committed_before("JOIN screening_film sf", lambda: delete_screening_row(ids[0])) as fired:
        response = client.get(f"/api/festivals/{SLUG}/screenings")
    assert fired
    assert response.status_code == 200, response.text
    assert ids[1] in [s["id"] for s in response.json()["items"]]


def test_a_festival_deleted_while_its_conflicts_are_read_is_no_crash(client, programmer):
    """On PostgreSQL the festival found by the request may be deleted before its schedule's
    revision is read: the answer is 404 (or what the request's snapshot saw), never a 500."""
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    for at in ("2021-11-19T10:00", "2021-11-19T11:00"):
        client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], at))

    def delete_festival() -> None:
        with unit_of_work() as session:
            repository.delete_festival(session, festival_id)

    with committed_before("festival.schedule_revision, festival.timezone", delete_festival) as fired:
        response = client.get(f"/api/festivals/{SLUG}/conflicts")
    assert fired
    assert response.status_code in (200, 404), response.text


def hostile_write(http, rng: random.Random, venues: list[int], films: list[int], ids: list[int]) -> str:
    """One write of any kind, refused ones included; returns what it tried."""
    base = f"/api/festivals/{SLUG}"
    day = rng.randint(17, 21)
    starts_at = f"2021-11-{day}T{rng.randint(6, 23):02d}:{rng.choice(['00', '20', '30', '45'])}"
    status = rng.choice(["draft", "draft", "confirmed", "cancelled"])
    kinds = ["create", "create", "move", "films", "guests", "status", "delete", "batch", "swap"]
    kinds += ["venue", "film", "rename", "festival", "slot", "check"]
    action = rng.choice(kinds) if ids else "create"
    if action == "create":
        body = screening_body(
            rng.choice(venues),
            rng.sample(films, rng.randint(1, 2)),
            starts_at,
            status=status,
            guests=rng.sample(GUESTS, rng.randint(0, 2)),
            slot_minutes=rng.choice([None, 90, 240]),
        )
        response = http.post(f"{base}/screenings", json=body)
        assert response.status_code in (201, 409, 422), response.text
        if response.status_code == 201:
            ids.append(response.json()["id"])
        return f"create {response.status_code}"
    if action in ("move", "films", "guests", "status", "delete", "slot"):
        screening_id = rng.choice(ids)
        path = f"{base}/screenings/{screening_id}"
        if action == "delete":
            response = http.delete(path)
            assert response.status_code == 204, response.text
            ids.remove(screening_id)
            return "delete"
        change = {
            "move": {"venue_id": rng.choice(venues), "starts_at": starts_at},
            "films": {"films": rng.sample(films, rng.randint(1, 2))},
            "guests": {"guests": rng.sample(GUESTS, rng.randint(0, 3))},
            "status": {"status": status},
            "slot": {"slot_minutes": rng.choice([None, 60, 100, 300]), "intro_minutes": rng.choice([0, 10])},
        }[action]
        response = http.patch(path, json=change)
        assert response.status_code in (200, 409, 422), response.text
        return f"{action} {response.status_code}"
    if action in ("batch", "swap"):
        if action == "swap" and len(ids) >= 2:
            a, b = rng.sample(ids, 2)
            got = {i: http.get(f"{base}/screenings/{i}").json() for i in (a, b)}
            entries = [
                {"op": "update", "id": a, "venue_id": got[b]["venue_id"], "starts_at": got[b]["starts_at"]},
                {"op": "update", "id": b, "venue_id": got[a]["venue_id"], "starts_at": got[a]["starts_at"]},
            ]
        else:
            entries = []
            for _ in range(rng.randint(1, 4)):
                op = rng.choice(["create", "update", "delete"])
                if op == "create" or not ids:
                    entries.append(
                        {"op": "create", **screening_body(rng.choice(venues), [rng.choice(films)], starts_at)}
                    )
                elif op == "update":
                    entries.append({"op": "update", "id": rng.choice(ids), "starts_at": starts_at, "status": status})
                else:
                    entries.append({"op": "delete", "id": rng.choice(ids)})
        response = http.post(f"{base}/changes", json={"changes": entries})
        assert response.status_code in (200, 404, 409, 422), response.text
        if response.status_code == 200:
            for outcome in response.json()["items"]:
                if outcome["op"] == "create":
                    ids.append(outcome["id"])
                elif outcome["op"] == "delete" and outcome["id"] in ids:
                    ids.remove(outcome["id"])
        return f"{action} {response.status_code}"
    if action == "venue":
        change = rng.choice(
            [
                {"turnaround_minutes": rng.choice([0, 15, 45])},
                {"availability": []},
                {"availability": [{"starts_at": "2021-11-19T10:00", "ends_at": "2021-11-19T23:00"}]},
            ]
        )
        response = http.patch(f"{base}/venues/{rng.choice(venues)}", json=change)
        assert response.status_code in (200, 409, 422), response.text
        return f"venue {response.status_code}"
    if action == "film":
        change = rng.choice([{"runtime_minutes": rng.choice([60, 100, 130])}, {"copies": rng.choice([1, 2])}])
        response = http.patch(f"{base}/films/{rng.choice(films)}", json=change)
        assert response.status_code in (200, 409, 422), response.text
        return f"film {response.status_code}"
    if action == "rename":
        n = rng.randint(0, 999)
        if rng.random() < 0.5:
            response = http.patch(f"{base}/films/{rng.choice(films)}", json={"title": f"Film {n}"})
        else:
            response = http.patch(f"{base}/venues/{rng.choice(venues)}", json={"name": f"Room {n}"})
        assert response.status_code == 200, response.text
        return "rename"
    if action == "festival":
        change = rng.choice(
            [{"print_transfer_minutes": rng.choice([0, 30, 90])}, {"day_starts_at": rng.choice(["06:00", "10:00"])}]
        )
        response = http.patch(base, json=change)
        assert response.status_code in (200, 409, 422), response.text
        return f"festival {response.status_code}"
    # a dry run writes nothing
    body = screening_body(rng.choice(venues), [rng.choice(films)], starts_at)
    response = http.post(f"{base}/conflicts/check", json=body)
    assert response.status_code in (200, 422), response.text
    return "check"


def test_every_kind_of_write_then_the_answer_equals_the_sweep_in_words(client, programmer):
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    rng = random.Random(1414)
    ids: list[int] = []
    for n in range(150):
        what = hostile_write(client, rng, venues, films, ids)
        if n % 2:  # sometimes two writes between reads
            assert answered(client) == worded_now(festival_id), (n, what)


def test_two_servers_with_concurrent_writers_and_readers_settle_on_the_sweep(database):
    """Writers on two servers in threads, readers polling both with filters and pages; after each
    burst both servers answer the sweep, word for word."""
    import threading

    import httpx

    from tests.conftest import make_token
    from tests.server import running_process

    headers = {"Authorization": f"Bearer {make_token('programmer')}"}
    with running_process(database) as one, running_process(database) as two:
        clients = [httpx.Client(base_url=server.base, headers=headers, timeout=60) for server in (one, two)]
        try:
            festival_id, venues, films = build_festival(clients[0])
            failures: list[str] = []

            def writer(seed: int) -> None:
                rng = random.Random(seed)
                ids: list[int] = []
                try:
                    for _ in range(25):
                        hostile_write(clients[rng.randint(0, 1)], rng, venues, films, ids)
                except Exception as error:  # noqa: BLE001 - reported below
                    failures.append(f"writer {seed}: {error!r}")

            def reader(seed: int, stop: threading.Event) -> None:
                rng = random.Random(seed)
                while not stop.is_set():
                    query = rng.choice([{}, {"severity": "error"}, {"kind": "venue_overlap"}, {"day": "2021-11-19"}])
                    query |= {"limit": rng.choice([1, 5, 1000]), "offset": rng.choice([0, 1, 3])}
                    for http in clients:
                        response = http.get(f"/api/festivals/{SLUG}/conflicts", params=query)
                        if response.status_code != 200:
                            failures.append(f"reader: {response.status_code} {response.text[:300]}")
                        response = http.get(f"/api/festivals/{SLUG}/screenings", params={"limit": 50})
                        if response.status_code != 200:
                            failures.append(f"screenings: {response.status_code} {response.text[:300]}")

            for burst in range(3):
                stop = threading.Event()
                readers = [threading.Thread(target=reader, args=(100 * burst + n, stop)) for n in range(2)]
                writers = [threading.Thread(target=writer, args=(10 * burst + n,)) for n in range(3)]
                for thread in readers + writers:
                    thread.start()
                for thread in writers:
                    thread.join()
                stop.set()
                for thread in readers:
                    thread.join()
                if failures:
                    import shutil

                    shutil.copy(one.log, "/tmp/hx/one.log")
                    shutil.copy(two.log, "/tmp/hx/two.log")
                assert failures == []
                truth = worded_now(festival_id)
                assert answered(clients[0]) == truth
                assert answered(clients[1]) == truth
        finally:
            for http in clients:
                http.close()


@pytest.fixture(params=["sqlite", "postgres"])
def own_database(request, tmp_path, monkeypatch) -> Iterator[str]:
    """A database of its own: a restore puts back id sequences, which the shared one must not see."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    from app.store.migrate import upgrade
    from tests.conftest import ADMIN_URL, _libpq, use_database

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'own.db'}"
        name = None
    else:
        name = f"marquee_hostile_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(_libpq(ADMIN_URL), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    use_database(monkeypatch, url)
    try:
        yield url
    finally:
        get_engines().read.dispose()
        get_engines().write.dispose()
        get_engines.cache_clear()
        if name is not None:
            with psycopg.connect(_libpq(ADMIN_URL), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_after_a_restore_the_ledger_is_rebuilt_not_matched_by_revision_number(own_database, tmp_path):
    """After a restore the revision numbers would count again from the backup's, and the same
    number could name another schedule: a restore moves every festival's revision past the one
    it had, with a log row that makes running servers rebuild."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.store.backup import backup, restore
    from tests.conftest import make_token

    headers = {"Authorization": f"Bearer {make_token('programmer')}"}
    with TestClient(create_app(), raise_server_exceptions=False, headers=headers) as client:
        festival_id, venues, films = build_festival(client)
        client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], "2021-11-19T20:00"))
        assert answered(client) == worded_now(festival_id) == []
        backup(own_database, tmp_path / "backup")
        clash = screening_body(venues[0], [films[1]], "2021-11-19T21:00")
        assert client.post(f"/api/festivals/{SLUG}/screenings", json=clash).status_code == 201
        assert [kind for kind, *_ in answered(client)] == ["venue_overlap"]  # the ledger holds it

        get_engines().read.dispose()
        get_engines().write.dispose()
        restore(own_database, tmp_path / "backup")
        assert answered(client) == worded_now(festival_id) == []
        elsewhere = screening_body(venues[1], [films[1]], "2021-11-19T21:00")  # the same id, another room
        assert client.post(f"/api/festivals/{SLUG}/screenings", json=elsewhere).status_code == 201
        assert answered(client) == worded_now(festival_id) == []


def test_writes_past_the_pruned_log_between_two_reads_rebuild(client, programmer, monkeypatch):
    """The log keeps at least the last SCHEDULE_LOG_KEPT revisions (pruned every
    SCHEDULE_LOG_PRUNE_EVERY; 1,000 and 100, here 20 and 5 to keep the test short): a ledger 20
    behind catches up, one 25 behind rebuilds; both answer the sweep."""
    from app.services import conflict_ledgers

    monkeypatch.setattr(repository, "SCHEDULE_LOG_KEPT", 20)
    monkeypatch.setattr(repository, "SCHEDULE_LOG_PRUNE_EVERY", 5)
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    ids = [
        client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[n]], at)).json()["id"]
        for n, at in enumerate(("2021-11-19T10:00", "2021-11-19T13:00", "2021-11-19T16:00"))
    ]
    rng = random.Random(1000)

    def writes(count: int) -> None:
        for _ in range(count):
            at = f"2021-11-19T{rng.randint(9, 20):02d}:{rng.choice(['00', '30'])}"
            entry = {"op": "update", "id": rng.choice(ids), "starts_at": at, "venue_id": rng.choice(venues[:2])}
            response = client.post(f"/api/festivals/{SLUG}/changes", json={"changes": [entry]})
            assert response.status_code == 200, response.text

    for behind, rebuilds in ((20, 0), (25, 1), (19, 0), (60, 1)):
        assert answered(client) == worded_now(festival_id)
        rebuilt, caught_up = conflict_ledgers.stats.rebuilt, conflict_ledgers.stats.caught_up
        writes(behind)
        assert answered(client) == worded_now(festival_id), behind
        assert conflict_ledgers.stats.rebuilt - rebuilt == rebuilds, behind
        assert conflict_ledgers.stats.caught_up - caught_up == 1 - rebuilds, behind


def test_loads_dry_runs_board_forms_and_a_festival_made_again_answer_the_sweep(client, programmer, tmp_path):
    import re
    import shutil
    from pathlib import Path

    from typer.testing import CliRunner

    from app.cli import cli
    from tests.board.test_staff_pages import csrf_of, sign_in
    from tests.conftest import make_token

    runner = CliRunner()
    sample = Path(__file__).resolve().parent.parent / "sample_programme"
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    first = client.post(
        f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], "2021-11-18T20:00")
    )
    assert answered(client) == worded_now(festival_id)

    # the sample programme loaded over it (same slug): venues, films and screenings added
    result = runner.invoke(cli, ["load", str(sample)])
    assert result.exit_code == 0, result.output
    assert answered(client) == worded_now(festival_id)
    listed_venues = client.get(f"/api/festivals/{SLUG}/venues?limit=100").json()["items"]
    for venue in listed_venues:  # a clash in every room the sample programme uses on its first evening
        body = screening_body(venue["id"], [films[1]], "2021-11-17T19:30")
        assert client.post(f"/api/festivals/{SLUG}/screenings", json=body).status_code == 201
    assert answered(client) == worded_now(festival_id)
    assert len(answered(client)) > 3

    # a dry run of a folder that moves a screening: nothing written, nothing answered differently
    before = answered(client)
    folder = tmp_path / "folder"
    shutil.copytree(sample, folder)
    csv = (folder / "screenings.csv").read_text()
    films_yaml = (folder / "films.yaml").read_text()
    (folder / "films.yaml").write_text(films_yaml.replace("The Cranes Are Flying", "Cranes Over Wiesbaden"))
    (folder / "screenings.csv").write_text(csv.replace("2021-11-17 19:00,caligari", "2021-11-17 20:00,caligari"))
    result = runner.invoke(cli, ["load", str(folder)])  # refused: confirmed screenings would overlap
    assert result.exit_code == 2, result.output
    assert answered(client) == before == worded_now(festival_id)
    (folder / "screenings.csv").write_text(csv.replace("2021-11-17 19:00,caligari", "2021-11-17 18:30,caligari"))
    result = runner.invoke(cli, ["load", "--dry-run", str(folder)])
    assert result.exit_code == 0, result.output
    assert answered(client) == before == worded_now(festival_id)
    result = runner.invoke(cli, ["load", str(folder)])  # and for real: a move and a film renamed
    assert result.exit_code == 0, result.output
    assert answered(client) == worded_now(festival_id) != before

    # the board's forms: place, move, swap, delete, and a refusal
    client.headers.pop("Authorization")
    sign_in(client, make_token("programmer"))
    csrf = csrf_of(client)
    board = f"/festivals/{SLUG}/board"
    placed = client.post(
        f"{board}/screenings",
        data={"csrf": csrf, "films": films[1], "venue_id": venues[0], "starts_at": "2021-11-18T21:00", "day": ""},
        follow_redirects=False,
    )
    assert placed.status_code == 303, placed.text
    placed_id = int(re.search(r"edit=(\d+)", placed.headers["location"]).group(1))
    client.headers.update(programmer)
    assert answered(client) == worded_now(festival_id)
    client.headers.pop("Authorization")
    moved = client.post(
        f"{board}/screenings/{placed_id}",
        data={"csrf": csrf, "venue_id": venues[1], "starts_at": "2021-11-18T20:30"},
        follow_redirects=False,
    )
    assert moved.status_code == 303, moved.text
    swapped = client.post(
        f"{board}/swap", data={"csrf": csrf, "a": placed_id, "b": first.json()["id"]}, follow_redirects=False
    )
    assert swapped.status_code == 303, swapped.text
    refused = client.post(
        f"{board}/screenings/{placed_id}", data={"csrf": csrf, "starts_at": "the evening"}, follow_redirects=False
    )
    assert refused.status_code == 422
    client.headers.update(programmer)
    assert answered(client) == worded_now(festival_id)
    client.headers.pop("Authorization")
    deleted = client.post(f"{board}/screenings/{placed_id}/delete", data={"csrf": csrf}, follow_redirects=False)
    assert deleted.status_code == 303
    client.headers.update(programmer)
    assert answered(client) == worded_now(festival_id)

    # the festival deleted and made again with the same slug
    admin = {"Authorization": f"Bearer {make_token('admin')}"}
    assert client.delete(f"/api/festivals/{SLUG}", headers=admin).status_code == 204
    again, venues, films = build_festival(client)
    assert again != festival_id
    for at in ("2021-11-18T20:00", "2021-11-18T21:00"):
        client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], at))
    assert answered(client) == worded_now(again)
    assert len(answered(client)) == 2  # an overlap and a print clash


STATEMENTS_OF_A_READ = [
    "festival.schedule_revision, festival.timezone",  # the revision
    "FROM schedule_change",  # the log
    "JOIN screening_film sf",  # the screenings (a rebuild, a catch-up or the words)
    "FROM venue WHERE festival_id",  # the rooms
    "FROM film WHERE festival_id",  # the prints, the titles
]


def test_a_write_committed_between_any_two_statements_of_a_read(client, programmer):
    """Another writer commits just before one of the statements GET /conflicts runs. An answer
    whose revision was read after that write is the sweep after it; in any case, the next
    answer is the sweep (nothing wrong is kept). On PostgreSQL every statement reads anew."""
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    rng = random.Random(99)
    ids: list[int] = []
    for n in range(120):
        hostile_write(client, rng, venues, films, ids)
        before = worded_now(festival_id)
        after: list[list[tuple]] = []

        def another_write(after: list[list[tuple]] = after) -> None:
            hostile_write(client, rng, venues, films, ids)
            after.append(worded_now(festival_id))

        statement = rng.choice(STATEMENTS_OF_A_READ)
        with committed_before(statement, another_write) as fired:
            got = answered(client)
        if fired and statement == STATEMENTS_OF_A_READ[0]:
            assert got in (before, after[0]), n  # SQLite: the request's snapshot; PostgreSQL: the write
        assert answered(client) == worded_now(festival_id), (n, statement)


def test_a_load_and_an_api_write_to_the_same_screening_do_not_deadlock(postgres_url, monkeypatch, tmp_path):
    """PostgreSQL: `marquee load` wrote its screenings before taking the festival's lock, an API
    write takes the lock first and then the screening's row: each waited for the other, and
    PostgreSQL aborted one (a 500, or a failed load). Both must succeed, one after the other."""
    import threading

    import psycopg
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from app.cli import cli
    from app.main import create_app
    from tests.conftest import TABLES, _libpq, make_token, use_database

    use_database(monkeypatch, postgres_url)
    with get_engines().write.begin() as connection:
        for table in TABLES:
            connection.execute(text(f"DELETE FROM {table}"))
    headers = {"Authorization": f"Bearer {make_token('programmer')}"}
    runner = CliRunner()
    try:
        with TestClient(create_app(), raise_server_exceptions=False, headers=headers) as client:
            festival_id, venues, films = build_festival(client)
            screening = client.post(
                f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], "2021-11-19T20:00")
            ).json()
            result = runner.invoke(cli, ["export", SLUG, str(tmp_path / "folder")])
            assert result.exit_code == 0, result.output
            csv = tmp_path / "folder" / "screenings.csv"
            assert "2021-11-19 20:00" in csv.read_text()
            csv.write_text(csv.read_text().replace("2021-11-19 20:00", "2021-11-19 21:00"))  # the load moves it

            loader = threading.current_thread()
            patched: list[int] = []
            writer = threading.Thread(
                target=lambda: patched.append(
                    client.patch(
                        f"/api/festivals/{SLUG}/screenings/{screening['id']}", json={"starts_at": "2021-11-19T22:00"}
                    ).status_code
                )
            )

            def before(conn, cursor, statement, parameters, context, executemany):
                if threading.current_thread() is loader and "SET schedule_revision" in statement and not writer.ident:
                    writer.start()  # the API write, while the load is about to take the festival's lock
                    with psycopg.connect(_libpq(postgres_url), autocommit=True) as watcher:
                        while writer.is_alive():  # until it is done, or waits for a lock the load holds
                            waiting = watcher.execute(
                                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            ).fetchone()[0]
                            if waiting:
                                break
                            writer.join(0.01)

            event.listen(get_engines().write, "before_cursor_execute", before)
            try:
                result = runner.invoke(cli, ["load", str(tmp_path / "folder")])
            finally:
                event.remove(get_engines().write, "before_cursor_execute", before)
            writer.join()
            assert result.exit_code == 0, result.output
            assert patched == [200]
            assert answered(client) == worded_now(festival_id)
    finally:
        get_engines().read.dispose()
        get_engines().write.dispose()
        get_engines.cache_clear()
