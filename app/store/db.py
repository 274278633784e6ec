"""Engines and sessions for SQLite (the default) and PostgreSQL.

On SQLite, writes are serialised by the database itself: a write request's transaction
starts with BEGIN IMMEDIATE, so two processes (or threads) checking and confirming
screenings never interleave. Reads start an ordinary deferred transaction so they are not
queued behind writers (WAL lets them read the last committed state). On PostgreSQL the
write path takes a row lock on the festival (see `lock_festival`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.settings import get_settings
from app.store.plain import run_driver_sql


@dataclass(frozen=True)
class Engines:
    read: Engine
    write: Engine


def _sqlite_engine(url: str, busy_timeout: float, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": busy_timeout, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get("single_statement"):
            return  # one SELECT is consistent on its own: no transaction to open and close
        # on the cursor, as the write path's statements are (app.store.plain): every request runs it
        run_driver_sql(connection, "BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_engines(url: str, busy_timeout: float = 30.0) -> Engines:
    if make_url(url).get_backend_name() == "sqlite":
        return Engines(
            read=_sqlite_engine(url, busy_timeout, immediate=False),
            write=_sqlite_engine(url, busy_timeout, immediate=True),
        )
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    return Engines(read=engine, write=engine)


@lru_cache
def get_engines() -> Engines:
    settings = get_settings()
    return make_engines(settings.database_url, settings.sqlite_busy_timeout)


@contextmanager
def unit_of_work(write: bool = True) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    engines = get_engines()
    with Session(engines.write if write else engines.read, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def database_name() -> str:
    """The database this process talks to, as cache keys name it (ids are unique only within one)."""
    return _database_name(get_engines())


@lru_cache(maxsize=8)
def _database_name(engines: Engines) -> str:
    return engines.read.url.render_as_string(hide_password=True)


def read_session() -> Session:
    """A session on the read engine, for pages and feeds that only read (use as a context manager)."""
    return Session(get_engines().read)


def after_commit(session: Session, work: Callable[[], None]) -> None:
    """Run `work` once `session`'s transaction has committed (never if it rolls back).

    For what must follow a write but need not hold its locks: the transaction's locks (the
    festival's row lock, SQLite's write lock) are released by then. `work` runs before the
    request answers; what it raises propagates from the commit, so it should not raise.
    """
    event.listen(session, "after_commit", lambda _session: work(), once=True)
