"""The `marquee` command (also `python -m app`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.settings import get_settings

cli = typer.Typer(help="Marquee: festival programme scheduler.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
token_cli = typer.Typer(help="API tokens (only their hash is stored).", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(token_cli, name="token")
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head"):
    """Migrate the database (MARQUEE_DATABASE_URL) to the newest version."""
    from app.store.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    err.print(f"database at {revision}")


@cli.command()
def serve(host: str = "127.0.0.1", port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
          workers: int = 1, reload: bool = False):
    """Serve the API, the pages and the feeds."""
    import uvicorn

    from app.logs import uvicorn_log_config

    # plans' tokens are secrets: the access log shows /plans/<redacted>
    uvicorn.run("app.main:app", host=host, port=port, workers=workers, reload=reload,
                proxy_headers=True, log_level="info", log_config=uvicorn_log_config())


@token_cli.command("create")
def token_create(role: Annotated[str, typer.Option(help="programmer or admin")],
                 name: Annotated[str, typer.Option(help="who or what uses it")] = ""):
    """Make a token and print it alone on stdout (it is not shown again)."""
    from app.store.db import unit_of_work
    from app.store.tokens import ROLES, create_token

    if role not in ROLES:
        fail(f"--role must be one of: {', '.join(ROLES)}")
    with unit_of_work() as session:
        row, token = create_token(session, role, name)
    err.print(f"token {row.id} ({role}{', ' + name if name else ''}) created; keep it secret")
    print(token)


@token_cli.command("list")
def token_list():
    """List tokens (never the tokens themselves)."""
    from app.store.db import unit_of_work
    from app.store.tokens import list_tokens

    table = Table("id", "role", "name", "created", "revoked")
    with unit_of_work(write=False) as session:
        for row in list_tokens(session):
            table.add_row(str(row.id), row.role, row.name, f"{row.created_at:%Y-%m-%d %H:%M}",
                          f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "")
    Console().print(table)


@token_cli.command("revoke")
def token_revoke(token_id: int):
    """Revoke a token by its id (see `token list`)."""
    from app.store.db import unit_of_work
    from app.store.tokens import revoke_token

    with unit_of_work() as session:
        if revoke_token(session, token_id) is None:
            fail(f"no token with id {token_id}")
    err.print(f"token {token_id} revoked")


@db_cli.command("backup")
def db_backup(path: Path):
    """Write a backup of the whole database (SQLite's online backup, or pg_dump's custom format) to PATH."""
    from app.store.backup import BackupError, backup

    try:
        backup(get_settings().database_url, path)
    except BackupError as error:
        fail(str(error))
    err.print(f"backup written to {path}")


@db_cli.command("restore")
def db_restore(path: Path, yes: Annotated[bool, typer.Option("--yes", help="replace without asking")] = False):
    """Replace the database's contents with a backup made by `marquee db backup`."""
    from app.store.backup import BackupError, restore

    if not yes and not typer.confirm(f"Replace everything in {get_settings().database_url} with {path}?"):
        raise typer.Exit(1)
    try:
        restore(get_settings().database_url, path)
    except BackupError as error:
        fail(str(error))
    err.print(f"restored from {path}; run 'marquee db upgrade' if the backup is from an older release")


@cli.command()
def load(path: Path):
    """Load a programme folder (like sample_programme/) in one transaction; loading twice changes nothing."""
    from rich.progress import Progress

    from app.programme_files import ProgrammeFileError, read_programme_folder
    from app.services.errors import ServiceError
    from app.services.loading import load_programme
    from app.store.db import unit_of_work

    try:
        folder = read_programme_folder(path)
    except ProgrammeFileError as error:
        fail(f"{error}; nothing was loaded")
    try:
        with Progress(console=err, disable=len(folder.screenings) < 200) as bar:
            task = bar.add_task("loading screenings", total=len(folder.screenings))
            with unit_of_work() as session:
                counts = load_programme(session, folder,
                                        progress=lambda done: bar.update(task, completed=done))
    except ServiceError as error:
        fail(f"{path}: {error.message}; nothing was loaded")
    err.print(f"{folder.festival.slug}: {counts['created']} created, {counts['updated']} updated "
              f"({len(folder.venues)} venues, {len(folder.films)} films, "
              f"{len(folder.screenings)} screenings in the folder)")


@cli.command()
def export(slug: str, path: Path):
    """Write a festival back as a programme folder."""
    from app.programme_files import write_programme_folder
    from app.services.loading import export_programme
    from app.store.db import unit_of_work

    with unit_of_work(write=False) as session:
        festival = _festival(session, slug)
        folder = export_programme(session, festival)
    write_programme_folder(folder, path)
    err.print(f"{slug}: {len(folder.screenings)} screenings written to {path}")


def _festival(session, slug: str):
    from app.store.repository import festival_by_slug

    festival = festival_by_slug(session, slug)
    if festival is None:
        fail(f"no festival with the slug '{slug}'")
    return festival


@cli.command()
def conflicts(slug: str):
    """Print the festival's conflicts as a table; exit 1 when any is an error."""
    from app.services.screenings import festival_conflicts
    from app.store.db import unit_of_work

    with unit_of_work(write=False) as session:
        festival = _festival(session, slug)
        found = festival_conflicts(session, festival)
    if not found:
        Console().print(f"{slug}: no conflicts")
        return
    table = Table("severity", "kind", "day", "screenings", "minutes", "what", show_lines=False)
    for c in found:
        colour = "red" if c.severity == "error" else "yellow"
        table.add_row(f"[{colour}]{c.severity}[/{colour}]", c.kind, str(c.festival_day),
                      ", ".join(map(str, c.screening_ids)), str(c.minutes), c.message)
    Console(width=160).print(table)
    errors = sum(c.severity == "error" for c in found)
    Console().print(f"{len(found)} conflicts, {errors} errors")
    if errors:
        raise typer.Exit(1)


@cli.command()
def publish(slug: str):
    """Publish the festival's confirmed and cancelled screenings as the next version."""
    from datetime import UTC, datetime

    from app.services.publishing import publish as publish_version
    from app.store.db import unit_of_work

    with unit_of_work() as session:
        festival = _festival(session, slug)
        version, created = publish_version(session, festival, datetime.now(UTC),
                                           get_settings().base_url)
    if not created:
        err.print(f"{slug}: nothing changed since version {version.number}; nothing published")
        return
    counts = {}
    for entry in version.changelog:
        counts[entry["kind"]] = counts.get(entry["kind"], 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "no changes"
    err.print(f"{slug}: published version {version.number} ({summary})")


@cli.command("print")
def print_programme(slug: str,
                    by: Annotated[str, typer.Option(help="day, venue, film (A to Z) or grid")] = "day",
                    output: Annotated[Path, typer.Option("--output", "-o")] = Path("programme.pdf")):
    """Print the latest published programme to a PDF (or .html / .csv, by the output's suffix)."""
    from app.printing import BY, render_programme_csv, render_programme_html, render_programme_pdf
    from app.store.db import unit_of_work
    from app.store.publishing import latest_version, programme_of

    if by not in BY:
        fail(f"--by must be one of: {', '.join(BY)}")
    with unit_of_work(write=False) as session:
        festival = _festival(session, slug)
        version = latest_version(session, festival.id)
        if version is None:
            fail(f"{slug} has no published version yet; run 'marquee publish {slug}' first")
        programme = programme_of(session, version.id, version.published_at)
    base_url = get_settings().base_url
    suffix = output.suffix.lower()
    if suffix == ".html":
        output.write_text(render_programme_html(programme, by, base_url=base_url), encoding="utf-8")
    elif suffix == ".csv":
        output.write_text(render_programme_csv(programme), encoding="utf-8")
    else:
        output.write_bytes(render_programme_pdf(programme, by, base_url=base_url))
    err.print(f"{slug}: version {programme.version} by {by} written to {output}")


def main() -> None:
    cli(prog_name="marquee")


if __name__ == "__main__":
    sys.exit(main())
