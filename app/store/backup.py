"""Backups of the whole database: SQLite's online backup, PostgreSQL's pg_dump / pg_restore.

A backup is taken while Marquee serves (SQLite copies page by page under its own locking;
pg_dump reads one consistent snapshot) and holds everything: festivals, tokens, published versions.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError


class BackupError(Exception):
    """A backup or restore that could not be made, with what to do about it."""


def _sqlite_path(database_url: str) -> Path:
    return Path(make_url(database_url).database or "")


def _libpq(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client); it is needed for PostgreSQL backups")
    return path


def backup(database_url: str, target: Path) -> None:
    """Write a backup of the database to `target` (a SQLite file, or a pg_dump custom-format archive)."""
    target = Path(target)
    if make_url(database_url).get_backend_name() == "sqlite":
        with sqlite3.connect(_sqlite_path(database_url)) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return
    done = subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), _libpq(database_url)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")


def restore(database_url: str, source: Path) -> None:
    """Replace the database's contents with the backup at `source` (made by `backup`).

    Then every festival's schedule revision moves past the one it had before the restore, with
    a log row that says anything may have changed: a server still running holds conflicts
    labelled with a revision the backup may reach again with another schedule, and this way it
    rebuilds them instead (see `repository.lock_festival`)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file")
    before = _schedule_revisions(database_url)
    if make_url(database_url).get_backend_name() == "sqlite":
        with sqlite3.connect(source) as backup_copy, sqlite3.connect(_sqlite_path(database_url)) as live:
            backup_copy.backup(live)
    else:
        _pg_restore(database_url, source)
    _move_schedule_revisions_on(database_url, before)


def _schedule_revisions(database_url: str) -> dict[int, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text("SELECT id, schedule_revision FROM festival")).all())
    except DBAPIError:
        return {}  # an empty database, or one older than the festival table
    finally:
        engine.dispose()


def _move_schedule_revisions_on(database_url: str, before: dict[int, int]) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            restored = dict(connection.execute(text("SELECT id, schedule_revision FROM festival")).all())
            logged = inspect(connection).has_table("schedule_change")  # not in a first-release backup
            for festival_id, revision in restored.items():
                moved = max(revision, before.get(festival_id, 0)) + 1
                connection.execute(
                    text("UPDATE festival SET schedule_revision = :moved WHERE id = :id"),
                    {"moved": moved, "id": festival_id},
                )
                if logged:
                    connection.execute(
                        text(
                            "INSERT INTO schedule_change (festival_id, revision, screening_id)"
                            " VALUES (:id, :moved, NULL)"
                        ),
                        {"moved": moved, "id": festival_id},
                    )
    finally:
        engine.dispose()


def _pg_restore(database_url: str, source: Path) -> None:
    done = subprocess.run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            _libpq(database_url),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
