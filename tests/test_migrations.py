"""The Alembic migrations and the SQLModel tables describe the same schema, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import app.store.models  # noqa: F401


def test_models_and_migrations_do_not_drift(database_url):
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        engine.dispose()


def test_database_is_at_the_newest_migration(database_url):
    from alembic.script import ScriptDirectory

    from app.store.migrate import alembic_config, current_revision

    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    assert current_revision(database_url) == head


def test_ids_are_never_reused_after_every_migration(sqlite_url):
    """A screening's id is its calendar UID: SQLite keeps AUTOINCREMENT on every table that has it
    (PostgreSQL's sequences never go back on their own)."""
    engine = create_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            tables = {row[0]: row[1] for row in connection.exec_driver_sql("SELECT name, sql FROM sqlite_master")}
        for table in ("festival", "venue", "film", "screening", "published_version", "api_token"):
            assert "AUTOINCREMENT" in tables[table], table
    finally:
        engine.dispose()
