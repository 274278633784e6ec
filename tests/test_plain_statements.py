"""Plain statements (`app.store.plain`) answer what `session.execute` answers, on both databases.

Each query the write path runs as a plain statement is run twice on the same data: on the
cursor, and through `session.execute` (which a statement listener forces); the answers must be
equal. Errors are SQLAlchemy's own; the token check without a session finds what the ORM finds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, exc, insert, text
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session

from app.store import plain, repository
from app.store.db import get_engines, unit_of_work
from app.store.models import Festival, Screening
from app.store.plain import Plain
from app.store.tokens import active_token_on, create_token, find_active_token, revoke_token


def _listener(conn, cursor, statement, parameters, context, executemany):
    """Attached, it sends every plain statement through `session.execute`."""


def both_ways(engine, read: Callable[[], object]) -> tuple[object, object]:
    on_cursor = read()
    event.listen(engine, "before_cursor_execute", _listener)
    try:
        through_session = read()
    finally:
        event.remove(engine, "before_cursor_execute", _listener)
    return on_cursor, through_session


@pytest.fixture
def programme(api):
    api.festival()
    hall = api.venue(name="Hall", turnaround_minutes=25)["id"]
    studio = api.venue(name="Studio")["id"]
    feature = api.film(title="Feature", runtime_minutes=100)["id"]
    short = api.film(title="Short", runtime_minutes=12)["id"]
    ids = [
        api.screening(hall, [feature], "2021-11-19T18:00", status="confirmed")["id"],
        api.screening(hall, [short, feature], "2021-11-19T19:50", guests=["A. Director"])["id"],
        api.screening(studio, [short], "2021-11-19T19:00", guests=["A. Director"])["id"],
        api.screening(studio, [feature], "2021-11-20T23:30", status="confirmed")["id"],
    ]
    return api.slug, [hall, studio], [feature, short], ids


def test_the_write_path_queries_answer_what_session_execute_answers(programme):
    slug, venues, films, ids = programme
    engine = get_engines().write
    with unit_of_work() as session:
        festival = repository.festival_by_slug(session, slug)
        assert festival is not None
        fid = festival.id
        slots = repository.slots_of(session, festival)
        reads: dict[str, Callable[[], object]] = {
            "slots, all": lambda: repository.slots_of(session, festival),
            "slots, some": lambda: repository.slots_of(session, festival, ids=ids[1:3], statuses=("draft",)),
            "slots, none": lambda: repository.slots_of(session, festival, ids=[]),
            "slots around, sharing": lambda: [
                repository.slots_of(session, festival, around=(s.starts_at, s.ends_at), sharing=s) for s in slots
            ],
            "rooms, all": lambda: repository.rooms_of(session, fid),
            "rooms, some": lambda: repository.rooms_of(session, fid, venues[:1]),
            "rooms, none": lambda: repository.rooms_of(session, fid, []),
            "prints, all": lambda: repository.prints_of(session, fid),
            "prints, some": lambda: repository.prints_of(session, fid, film_ids={films[1], 999_999}),
            "film facts": lambda: repository.film_facts(session, fid, [*films, 999_999]),
            "venues among": lambda: repository.venues_among(session, fid, [*venues, 999_999]),
            "venue belongs": lambda: [repository.venue_belongs(session, fid, v) for v in (*venues, 999_999)],
            "widest gap": lambda: repository.widest_gap(session, festival),
            "schedule log": lambda: repository.screenings_changed(session, fid, 0, festival.schedule_revision),
        }
        for name, read in reads.items():
            on_cursor, through_session = both_ways(engine, read)
            assert on_cursor == through_session, name
        assert reads["slots, all"]() and reads["rooms, all"]() and reads["prints, all"]()


def test_writes_run_on_the_cursor_are_in_the_transaction(programme):
    """The lock, the films of a screening and the schedule log, then a rollback: nothing stays."""
    slug, _, films, ids = programme
    with unit_of_work() as session:
        festival = repository.festival_by_slug(session, slug)
        assert festival is not None
        before = festival.schedule_revision
    session = Session(get_engines().write)
    try:
        revision = repository.lock_festival(session, festival.id, screenings_only=True)
        assert revision == before + 1
        repository.set_screening_films(session, ids[0], [films[1], films[0]], replace=True)
        assert repository.films_of_screenings(session, [ids[0]])[ids[0]] == [films[1], films[0]]
    finally:
        session.rollback()
        session.close()
    with unit_of_work() as session:
        assert session.get(Festival, festival.id).schedule_revision == before
        assert repository.films_of_screenings(session, [ids[0]])[ids[0]] == [films[0]]


def test_a_failing_plain_statement_raises_what_session_execute_raises(database):
    wrong = Plain("SELECT no_such_column FROM festival WHERE id = :id")
    for listen in (False, True):
        engine = get_engines().write
        if listen:
            event.listen(engine, "before_cursor_execute", _listener)
        try:
            with pytest.raises(exc.DBAPIError) as raised, unit_of_work() as session:
                plain.rows(session, wrong, {"id": 1})
        finally:
            if listen:
                event.remove(engine, "before_cursor_execute", _listener)
        assert "no_such_column" in str(raised.value)
        with pytest.raises(type(raised.value)), unit_of_work() as session:
            session.execute(text(wrong.sql), {"id": 1})
    with pytest.raises(exc.NoResultFound), unit_of_work() as session:
        repository.lock_festival(session, 999_999)  # a festival deleted since the request found it


def test_the_token_check_without_a_session_finds_what_the_orm_finds(database):
    with unit_of_work() as session:
        live = create_token(session, "programmer", "live")[1]
        revoked_row, revoked = create_token(session, "admin", "revoked")
        revoke_token(session, revoked_row.id)
    for token in (live, revoked, "mq_unknown", ""):
        with Session(get_engines().read) as session:
            expected = find_active_token(session, token)
        for listen in (False, True):
            engine = get_engines().read
            if listen:
                event.listen(engine, "before_cursor_execute", _listener)
            try:
                with engine.connect() as connection:
                    found = active_token_on(connection, token)
            finally:
                if listen:
                    event.remove(engine, "before_cursor_execute", _listener)
            if expected is None:
                assert found is None
            else:
                assert found is not None and found.model_dump() == expected.model_dump()
                assert found.created_at.tzinfo == UTC and found.created_at <= datetime.now(UTC)


def test_a_screening_inserted_on_the_cursor_is_stored_as_the_core_insert_stores_it(programme):
    slug, venues, _, _ = programme
    table = Screening.__table__
    with unit_of_work() as session:
        festival = repository.festival_by_slug(session, slug)
        assert festival is not None
        made = []
        for insert_it in (repository.insert_screening, _core_insert):
            screening = Screening(
                festival_id=festival.id,
                venue_id=venues[1],
                starts_at=datetime(2021, 11, 19, 21, 15, 30, 123456, tzinfo=UTC),
                title="Shorts – “Nachts”",
                guests=["Ана Ivanova", 'Quote "Q"'],
                accessibility=["captions"],
                slot_minutes=110,
                ticket_url="https://example.org/t?x=1&y=ü",
                notes="line\nbreak",
                status="confirmed",
            )
            insert_it(session, screening)
            made.append(screening.id)
    columns = ", ".join(c.name for c in table.c if c.name != "id")
    with get_engines().read.connect() as connection:  # as stored, without the columns' types
        mine, core = (
            tuple(connection.execute(text(f"SELECT {columns} FROM screening WHERE id = :id"), {"id": i}).one())
            for i in made
        )
    assert mine == core


def _core_insert(session: Session, screening: Screening) -> None:
    """`insert_screening` as it was: SQLAlchemy's Core INSERT, its binds typed by the columns."""
    table = Screening.__table__
    values = {c.name: getattr(screening, c.key) for c in table.c if c.name != "id"}
    screening.id = session.execute(insert(table).returning(table.c.id), values).scalar_one()


def test_a_new_screening_is_what_screening_makes():
    made, ordinary = repository.new_screening(), Screening()
    assert made.__dict__.keys() == ordinary.__dict__.keys()
    assert made.model_dump(exclude={"festival_id", "venue_id", "starts_at"}) == ordinary.model_dump(
        exclude={"festival_id", "venue_id", "starts_at"}
    )
    fields = {
        "festival_id": 3,
        "venue_id": 7,
        "starts_at": datetime(2021, 11, 19, 21, 0, tzinfo=UTC),
        "title": "Shorts",
        "guests": ["A. Director"],
        "status": "confirmed",
    }
    for screening in (made, ordinary):
        for name, value in fields.items():
            setattr(screening, name, value)
    assert made.model_dump() == ordinary.model_dump()
    assert made.accessibility is not repository.new_screening().accessibility  # a list of its own


def test_a_festival_read_first_is_the_festival_the_orm_loads(programme):
    slug = programme[0]
    with unit_of_work() as session:
        loaded = repository.festival_by_slug(session, slug)
        assert loaded is not None
        expected, key = loaded.model_dump(), sa_inspect(loaded).key
    for listen in (False, True):
        engine = get_engines().write
        if listen:
            event.listen(engine, "before_cursor_execute", _listener)
        try:
            with unit_of_work() as session:
                festival = repository.first_festival_by_slug(session, slug)
                assert festival is not None and festival.model_dump() == expected
                state = sa_inspect(festival)
                assert state.persistent and state.key == key and not session.dirty
                # the same identity: a query answers it, a refresh re-reads it in place
                assert repository.festival_by_slug(session, slug) is festival
                session.refresh(festival)
                assert festival.model_dump() == expected and not session.dirty
                assert repository.first_festival_by_slug(session, "no-such-festival") is None
        finally:
            if listen:
                event.remove(engine, "before_cursor_execute", _listener)
    with unit_of_work() as session:  # a change is flushed as an UPDATE of that row, and only of it
        festival = repository.first_festival_by_slug(session, slug)
        assert festival is not None
        festival.city = "Elsewhere"
        assert list(session.dirty) == [festival]
    with unit_of_work() as session:
        stored = repository.festival_by_slug(session, slug)
        assert stored is not None and stored.city == "Elsewhere"
        assert stored.model_dump(exclude={"city"}) == {k: v for k, v in expected.items() if k != "city"}


def test_the_connection_is_found_once_per_transaction(database):
    """`plain.connection_of` is the session's connection while its transaction lasts, and a new
    transaction's afterwards (a commit, a rollback, or a failed statement end the old one)."""
    with Session(get_engines().write) as session:
        first = plain.connection_of(session)
        assert first is session.connection()
        assert plain.connection_of(session) is first
        assert plain.scalar(session, Plain("SELECT 1"), {}) == 1
        session.commit()
        second = plain.connection_of(session)
        assert second is session.connection() and second is not first
        session.rollback()
        third = plain.connection_of(session)
        assert third is session.connection() and third is not second
        with pytest.raises(exc.DBAPIError):
            plain.rows(session, Plain("SELECT no_such_column FROM festival"), {})
        session.rollback()
        assert plain.connection_of(session) is session.connection()
        assert plain.scalar(session, Plain("SELECT 2"), {}) == 2
