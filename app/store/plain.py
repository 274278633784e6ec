"""Plain SQL on the write path, run straight on the DB-API cursor of the session's connection.

`session.execute(text(...))` costs about 0.1 ms a statement over what the database itself
does (the ORM session, the compiled cache's lookup, an execution context, a result object);
a create runs about ten of them. A `Plain` statement is rendered once per dialect by
SQLAlchemy itself (its placeholders, its escaping), then run on the cursor of the same
connection, inside the same transaction, with the same parameters and the same rows back (as
tuples). What SQLAlchemy adds around a statement is kept where it matters:

- an error is handed to the connection's own error handling, so it is raised as the same
  `sqlalchemy.exc` exception (OperationalError: 503 and so on), a dropped connection is
  invalidated, and `handle_error` listeners run;
- when anything listens for statements (`before_cursor_execute`, `after_cursor_execute`: tests
  that step in between two statements, tracing) or the engine echoes its SQL, the statement
  goes through `session.execute` as before, so every listener still sees every statement.

Only bound parameters of plain values (no expanding IN lists, no typed binds): callers give
each value of a list its own name, and convert values the way their column types would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.engine import Connection, Dialect
from sqlmodel import Session


class Plain:
    """One SQL text with `:name` parameters, rendered once for each dialect it runs on."""

    __slots__ = ("clause", "_rendered", "sql")

    def __init__(self, sql: str):
        self.sql = sql
        self.clause: TextClause = text(sql)
        self._rendered: dict[tuple[type, str], tuple[str, tuple[str, ...] | None]] = {}

    def rendered(self, dialect: Dialect) -> tuple[str, tuple[str, ...] | None]:
        """The statement in the driver's paramstyle, and the parameter names in order when it is positional."""
        key = (type(dialect), dialect.paramstyle)
        found = self._rendered.get(key)
        if found is None:
            compiled = self.clause.compile(dialect=dialect)
            names = tuple(compiled.positiontup or ()) if compiled.positional else None
            found = self._rendered[key] = (compiled.string, names)
        return found

    def __repr__(self) -> str:
        return f"Plain({self.sql!r})"


def _listened(connection: Connection) -> bool:
    dispatch = connection.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute or connection._echo)


def _arguments(params: Mapping[str, Any], names: tuple[str, ...] | None) -> Any:
    return params if names is None else tuple(params[name] for name in names)


_CONNECTION = "marquee.plain_connection"


def connection_of(session: Session) -> Connection:
    """`session.connection()`, found once per transaction: asked for each statement, it costs more
    than a small statement on SQLite (a create runs about ten). Kept in the session's info with
    the root transaction it belongs to, and used only while that transaction is still active."""
    transaction = session.get_transaction()
    kept = session.info.get(_CONNECTION)
    if kept is not None and transaction is not None and kept[0] is transaction and transaction.is_active:
        return kept[1]
    connection = session.connection()
    session.info[_CONNECTION] = (session.get_transaction(), connection)
    return connection


def rows(session: Session, statement: Plain, params: Mapping[str, Any]) -> Sequence[tuple]:
    """Every row the statement answers (a SELECT, or a write with RETURNING), in the session's transaction."""
    connection = connection_of(session)
    if _listened(connection):
        return session.execute(statement.clause, params).all()
    return _rows(connection, statement, params)


def rows_on(connection: Connection, statement: Plain, params: Mapping[str, Any]) -> Sequence[tuple]:
    """`rows` on a connection without a session. Run on the cursor, the statement opens no
    transaction of SQLAlchemy's (the connection's pool ends the driver's own when it takes the
    connection back); through `connection.execute` (something listens) it begins one as usual."""
    if _listened(connection):
        return connection.execute(statement.clause, params).all()
    return _rows(connection, statement, params)


def _rows(connection: Connection, statement: Plain, params: Mapping[str, Any]) -> Sequence[tuple]:
    sql, names = statement.rendered(connection.dialect)
    arguments = _arguments(params, names)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, arguments)
        found = cursor.fetchall()
    except BaseException as error:
        connection._handle_dbapi_exception(error, sql, arguments, cursor, None)
    cursor.close()
    return found


def scalar(session: Session, statement: Plain, params: Mapping[str, Any]) -> Any:
    """The first column of the first row (None when there is none)."""
    found = rows(session, statement, params)
    return found[0][0] if found else None


def execute_many(session: Session, statement: Plain, params: Sequence[Mapping[str, Any]]) -> None:
    """A write without RETURNING, once for each set of parameters (`executemany`)."""
    connection = connection_of(session)
    if _listened(connection):
        session.execute(statement.clause, list(params))
        return
    sql, names = statement.rendered(connection.dialect)
    arguments = [_arguments(p, names) for p in params]
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        if len(arguments) == 1:
            cursor.execute(sql, arguments[0])
        else:
            cursor.executemany(sql, arguments)
    except BaseException as error:
        connection._handle_dbapi_exception(error, sql, arguments, cursor, None)
    cursor.close()


def run_driver_sql(connection: Connection, sql: str) -> None:
    """A statement without parameters or rows (`BEGIN IMMEDIATE`), like `connection.exec_driver_sql`."""
    if _listened(connection):
        connection.exec_driver_sql(sql)
        return
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
    except BaseException as error:
        connection._handle_dbapi_exception(error, sql, (), cursor, None)
    cursor.close()


class KeptConnection:
    """One DB-API connection of the read engine's pool, kept by this process for one small read
    asked very often (a feed poll's state, a create's token), so that the read costs no pool
    checkout (on PostgreSQL a ping), no transaction and no result machinery.

    Used from one thread at a time: the lock is taken without waiting, and a second thread asks
    the ordinary way. The connection is dropped (invalidated, never returned to the pool) when
    it fails or the engines change (tests switch databases). `_open` prepares the statement
    (`_sql`) for an engine and hands back the connection it takes out of the pool."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engines: object = None
        self._connection: Any = None  # the pool's connection record, taken out of the pool for good
        self._sql = ""

    def _open(self, engines: Any) -> Any:
        raise NotImplementedError

    def _fetch_one(self, engines: Any, arguments: Callable[[], Any]) -> tuple[bool, tuple | None]:
        """(True, the row or None) when answered here; (False, None) when busy or failed (the
        connection dropped): the caller asks the ordinary way. `arguments` are the statement's,
        made once it is prepared."""
        if not self._lock.acquire(blocking=False):
            return False, None
        try:
            if engines is not self._engines or self._connection is None:
                self._drop()
                self._connection = self._open(engines)
                self._engines = engines
            cursor = self._connection.driver_connection.cursor()
            try:
                cursor.execute(self._sql, arguments())
                return True, cursor.fetchone()
            finally:
                cursor.close()
        except Exception:  # noqa: BLE001 - busy, or broken: drop it, and ask the ordinary way
            self._drop()
            return False, None
        finally:
            self._lock.release()

    def _drop(self) -> None:
        connection, self._connection, self._engines = self._connection, None, None
        if connection is not None:
            try:
                connection.invalidate()
            except Exception:  # noqa: BLE001 - it is being thrown away
                pass
