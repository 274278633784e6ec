"""The `marquee` command (also `python -m app`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.settings import get_settings

cli = typer.Typer(help="Marquee: festival programme scheduler.", no_args_is_help=True, pretty_exceptions_enable=False)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
token_cli = typer.Typer(help="API tokens (only their hash is stored).", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(token_cli, name="token")
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> None:
    """Print `message` (plain text: names in it may hold '[', never read as markup) and exit."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def say(message: str) -> None:
    """Tell the person at the terminal (stderr; stdout stays for what scripts read)."""
    err.print(message, markup=False, highlight=False)


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head"):
    """Migrate the database (MARQUEE_DATABASE_URL) to the newest version."""
    from app.store.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    say(f"database at {revision}")


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
    workers: int = 1,
    reload: bool = False,
):
    """Serve the API, the pages and the feeds."""
    import uvicorn

    from app.logs import uvicorn_log_config

    say(f"links in feeds, pages and prints point at {_base_url_for(host, port)}")
    with _writes_board(workers):
        # plans' tokens are secrets: the access log shows /plans/<redacted>
        uvicorn.run(
            "app.main:app",
            host=host,
            port=port,
            workers=workers,
            reload=reload,
            proxy_headers=True,
            log_level="info",
            log_config=uvicorn_log_config(),
        )


@contextmanager
def _writes_board(workers: int) -> Iterator[None]:
    """With several workers, the shared board through which their feed polls wait for each
    other's writes (app.http.priority), named to them in the environment; removed afterwards."""
    if workers < 2:
        yield
        return
    import os
    import tempfile

    from app.http.priority import WritesBoard

    handle, path = tempfile.mkstemp(prefix="marquee-writes-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    os.close(handle)
    WritesBoard.create(path)
    os.environ["MARQUEE_WRITES_BOARD"] = path
    get_settings.cache_clear()
    try:
        yield
    finally:
        os.environ.pop("MARQUEE_WRITES_BOARD", None)
        get_settings.cache_clear()
        os.unlink(path)


def _base_url_for(host: str, port: int) -> str:
    """MARQUEE_BASE_URL if it is set (environment or .env); else the address being served,
    passed on to the worker processes in the environment."""
    import os

    from app.settings import Settings

    configured = Settings()
    if "base_url" in configured.model_fields_set:
        return configured.base_url
    wildcard = host in ("", "0.0.0.0", "::")
    link_host = "127.0.0.1" if wildcard else host
    if ":" in link_host and not link_host.startswith("["):
        link_host = f"[{link_host}]"  # an IPv6 address
    base_url = f"http://{link_host}:{port}"
    os.environ["MARQUEE_BASE_URL"] = base_url
    get_settings.cache_clear()
    if wildcard:
        say(
            f"serving on every interface: set MARQUEE_BASE_URL to the address people use "
            f"(links name {base_url} until then)"
        )
    return base_url


@token_cli.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="programmer or admin")],
    name: Annotated[str, typer.Option(help="who or what uses it")] = "",
):
    """Make a token and print it alone on stdout (it is not shown again)."""
    from app.store.db import unit_of_work
    from app.store.tokens import ROLES, create_token

    if role not in ROLES:
        fail(f"--role must be one of: {', '.join(ROLES)}")
    with unit_of_work() as session:
        row, token = create_token(session, role, name)
    say(f"token {row.id} ({role}{', ' + name if name else ''}) created; keep it secret")
    print(token)


@token_cli.command("list")
def token_list():
    """List tokens (never the tokens themselves)."""
    from app.store.db import unit_of_work
    from app.store.tokens import list_tokens

    table = Table("id", "role", "name", "created", "revoked")
    with unit_of_work(write=False) as session:
        for row in list_tokens(session):
            table.add_row(
                str(row.id),
                row.role,
                escape(row.name),
                f"{row.created_at:%Y-%m-%d %H:%M}",
                f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "",
            )
    Console().print(table)


@token_cli.command("revoke")
def token_revoke(token_id: int):
    """Revoke a token by its id (see `token list`)."""
    from app.store.db import unit_of_work
    from app.store.tokens import revoke_token

    with unit_of_work() as session:
        if revoke_token(session, token_id) is None:
            fail(f"no token with id {token_id}")
    say(f"token {token_id} revoked")


@db_cli.command("backup")
def db_backup(path: Path):
    """Write a backup of the whole database (SQLite's online backup, or pg_dump's custom format) to PATH."""
    from app.store.backup import BackupError, backup

    try:
        backup(get_settings().database_url, path)
    except BackupError as error:
        fail(str(error))
    say(f"backup written to {path}")


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
    say(f"restored from {path}; run 'marquee db upgrade' if the backup is from an older release")


class _DryRun(Exception):
    """Ends a dry run's transaction (rolled back) with what it would have done."""


@cli.command()
def load(
    path: Path,
    if_absent: Annotated[
        bool, typer.Option("--if-absent", help="load only when the folder's festival is not in the database yet")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="say what loading would add, change or refuse, and write nothing")
    ] = False,
):
    """Load a programme folder (like sample_programme/) in one transaction; loading twice changes nothing."""
    from rich.progress import Progress

    from app.programme_files import ProgrammeFileError, read_programme_folder
    from app.services.errors import ServiceError
    from app.services.loading import load_programme
    from app.store.db import unit_of_work

    if if_absent:
        slug = _folder_slug(path)
        if slug is not None and _festival_exists(slug):
            say(
                f"{slug} is already in the database: {path} was not loaded (run 'marquee load {path}' "
                "to load it over what is there)"
            )
            return
    try:
        folder = read_programme_folder(path)
    except ProgrammeFileError as error:
        fail(f"{error}; nothing was loaded")
    try:
        with Progress(console=err, disable=len(folder.screenings) < 200) as bar:
            task = bar.add_task("loading screenings", total=len(folder.screenings))
            with unit_of_work() as session:
                counts = load_programme(session, folder, progress=lambda done: bar.update(task, completed=done))
                if dry_run:
                    raise _DryRun(counts)  # rolls the transaction back
    except _DryRun:
        say(
            f"{folder.festival.slug}: would create {counts['created']} and update {counts['updated']} "
            f"({len(folder.venues)} venues, {len(folder.films)} films, {len(folder.screenings)} screenings "
            "in the folder); dry run, nothing was written"
        )
        return
    except ServiceError as error:
        if dry_run:
            fail(f"{path}: would be refused: {error.message}; dry run, nothing was written")
        fail(f"{path}: {error.message}; nothing was loaded")
    say(
        f"{folder.festival.slug}: {counts['created']} created, {counts['updated']} updated "
        f"({len(folder.venues)} venues, {len(folder.films)} films, "
        f"{len(folder.screenings)} screenings in the folder)"
    )


def _folder_slug(path: Path) -> str | None:
    """The slug of a folder's festival (None if the folder cannot be read: loading then says why)."""
    from app.programme_files import ProgrammeFileError, read_programme_folder

    try:
        return read_programme_folder(path).festival.slug
    except ProgrammeFileError:
        return None


def _festival_exists(slug: str) -> bool:
    from app.store.db import unit_of_work

    with unit_of_work(write=False) as session:
        return _find_festival(session, slug) is not None


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
    say(f"{slug}: {len(folder.screenings)} screenings written to {path}")


def _find_festival(session, slug: str):
    from app.store.repository import festival_by_slug

    return festival_by_slug(session, slug)


def _festival(session, slug: str):
    festival = _find_festival(session, slug)
    if festival is None:
        fail(f"no festival with the slug '{slug}'")
    return festival


@cli.command()
def conflicts(slug: str):
    """Print the festival's conflicts as a table that fits the terminal; exit 1 when any is an error."""
    from rich.markup import escape

    from app.services.board import named_conflicts
    from app.store.db import unit_of_work

    with unit_of_work(write=False) as session:
        festival = _festival(session, slug)
        found = named_conflicts(session, festival)
    console = Console()
    if not found:
        console.print(f"{escape(slug)}: no conflicts")
        return
    table = Table("", "when", "kind", "what", show_lines=True, expand=False, pad_edge=False)
    table.columns[0].no_wrap = True
    table.columns[1].max_width = 11
    table.columns[2].max_width = 12
    table.columns[2].overflow = "fold"
    table.columns[3].overflow = "fold"
    for c, at, sentence in found:
        colour = "red" if c.severity == "error" else "yellow"
        table.add_row(
            f"[{colour}]{'error' if c.severity == 'error' else 'warn'}[/{colour}]", escape(at), c.kind, escape(sentence)
        )
    console.print(table)
    errors = sum(c.severity == "error" for c, _, _ in found)
    console.print(f"{len(found)} conflicts, {errors} errors")
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
        version, created = publish_version(session, festival, datetime.now(UTC), get_settings().base_url)
    if not created:
        say(f"{slug}: nothing changed since version {version.number}; nothing published")
        return
    counts = {}
    for entry in version.changelog:
        counts[entry["kind"]] = counts.get(entry["kind"], 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "no changes"
    say(f"{slug}: published version {version.number} ({summary})")


@cli.command("print")
def print_programme(
    slug: str,
    by: Annotated[str, typer.Option(help="day, venue, film (A to Z) or grid")] = "day",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="default: programme.pdf, or booklet.pdf with --booklet")
    ] = None,
    booklet: Annotated[
        bool,
        typer.Option(
            "--booklet", help="the whole festival as a booklet (cover, contents, days, films A to Z, venues, sections)"
        ),
    ] = False,
    size: Annotated[str, typer.Option(help="booklet page size: a5 or a4")] = "a5",
    bleed: Annotated[bool, typer.Option("--bleed", help="booklet with 3 mm bleed and crop marks")] = False,
    since: Annotated[int | None, typer.Option(help="print what changed since version N (the door-staff sheet)")] = None,
):
    """Print the latest published programme: PDF (or .html, .csv, .xlsx by the output's suffix), a booklet, changes."""
    from app.printing import (
        BY,
        door_changes,
        render_booklet_pdf,
        render_changes_html,
        render_changes_pdf,
        render_programme_csv,
        render_programme_html,
        render_programme_pdf,
        render_programme_xlsx,
    )
    from app.printing.booklet import SIZES
    from app.scheduling.programme import Programme
    from app.store.db import unit_of_work
    from app.store.publishing import latest_version, programme_of, version_by_number

    if by not in BY:
        fail(f"--by must be one of: {', '.join(BY)}")
    if size not in SIZES:
        fail(f"--size must be one of: {', '.join(SIZES)}")
    output = output or Path("booklet.pdf" if booklet else "programme.pdf")
    with unit_of_work(write=False) as session:
        festival = _festival(session, slug)
        version = latest_version(session, festival.id)
        if version is None:
            fail(f"{slug} has no published version yet; run 'marquee publish {slug}' first")
        programme = programme_of(session, version.id, version.published_at)
        older = None
        if since is not None and 0 < since < programme.version:
            row = version_by_number(session, festival.id, since)
            older = programme_of(session, row.id, row.published_at)
    base_url = get_settings().base_url
    suffix = output.suffix.lower()
    if since is not None:
        if not 0 <= since <= programme.version:
            fail(f"{slug} has no version {since} (the latest is {programme.version})")
        changes = (
            []
            if since == programme.version
            else door_changes(older or Programme(festival=programme.festival), programme)
        )
        if suffix == ".html":
            output.write_text(render_changes_html(programme, since, changes, base_url=base_url), encoding="utf-8")
        else:
            output.write_bytes(render_changes_pdf(programme, since, changes, base_url=base_url))
        err.print(f"{slug}: {len(changes)} changes since version {since} written to {output}")
        return
    if booklet:
        output.write_bytes(render_booklet_pdf(programme, size=size, bleed=bleed, base_url=base_url))
        err.print(
            f"{slug}: version {programme.version} booklet ({size.upper()}{', bleed' if bleed else ''}) "
            f"written to {output}"
        )
        return
    if suffix == ".html":
        output.write_text(render_programme_html(programme, by, base_url=base_url), encoding="utf-8")
    elif suffix == ".csv":
        output.write_text(render_programme_csv(programme), encoding="utf-8", newline="")
    elif suffix == ".xlsx":
        output.write_bytes(render_programme_xlsx(programme))
    else:
        output.write_bytes(render_programme_pdf(programme, by, base_url=base_url))
    say(f"{slug}: version {programme.version} by {by} written to {output}")


def main() -> None:
    cli(prog_name="marquee")


if __name__ == "__main__":
    sys.exit(main())
