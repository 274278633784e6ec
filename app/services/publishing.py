"""Publishing: freeze the working programme as the next public version, with its changelog."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import Session

from app.scheduling.programme import Programme
from app.scheduling.publishing import PUBLIC_STATUSES, next_version, same_public_content
from app.services.errors import NotFound
from app.services.feeds import remember_published_feed, render_feed
from app.store import repository
from app.store.db import after_commit
from app.store.models import Festival, PublishedVersion
from app.store.publishing import (
    VersionHead,
    database_of,
    latest_version,
    latest_version_head,
    parse_version,
    programme_of,
    remember_programme,
    store_calendar,
    version_by_id,
    version_by_number,
)
from app.store.repository import lock_festival_unchanged
from app.store.snapshot import working_programme

log = logging.getLogger(__name__)


def publish(session: Session, festival: Festival, now: datetime, base_url: str) -> tuple[PublishedVersion, bool]:
    """Publish the working programme as the next version; (version, False) when nothing changed.

    One transaction, under the festival's lock: read the working programme and the latest
    version, work out the next one and its changelog, store it. The whole-programme feed is
    rendered once that transaction has committed, outside every lock (`_after_publishing`), and
    stored, so the first poll after a publish is cheap on every server process.
    """
    lock_festival_unchanged(session, festival.id)  # publishing changes no schedule: its caches stay
    database = database_of(session)
    latest = latest_version_head(session, festival.id)
    previous = _previous_version(session, database, festival.id, latest)
    # HTTP dates have whole seconds: keep Last-Modified strictly rising between versions
    published_at = now.replace(microsecond=0)
    if latest and published_at <= latest.published_at:
        published_at = latest.published_at + timedelta(seconds=1)
    working = working_programme(session, festival, statuses=PUBLIC_STATUSES)
    version, changelog = next_version(previous, working, published_at)
    # a changelog entry is a public change; only without one can the content still be the same
    if latest is not None and previous is not None and not changelog and same_public_content(previous, version):
        return version_by_id(session, latest.id), False
    row = PublishedVersion(
        festival_id=festival.id,
        number=version.version,
        published_at=published_at,
        programme=version.model_dump(mode="json"),
        changelog=changelog,
    )
    session.add(row)
    session.flush()
    version_id = row.id
    assert version_id is not None  # flushed
    stored = row.programme  # what the database holds: the version is kept as it is read back
    after_commit(session, lambda: _after_publishing(database, version_id, published_at, stored, base_url))
    return row, True


def _previous_version(
    session: Session, database: str, festival_id: int, latest: VersionHead | None
) -> Programme | None:
    """The latest version, from this process's cache of parsed versions (where publishing put
    it: see `_after_publishing`), read back only when the cache has let it go."""
    if latest is None:
        return None
    return programme_of(session, latest.id, latest.published_at)


def _after_publishing(database: str, version_id: int, published_at: datetime, stored: dict, base_url: str) -> None:
    """Once a version is committed: keep it for this process (its pages, feeds and prints, and
    its next publish), render its whole-programme feed (from the events already rendered, in
    this process) and store it for every process.

    The version kept is the one a read of the database makes (`programme_of`), parsed from the
    JSON just stored, not the one `next_version` made: that one (whose times carry the
    festival's zone rather than an offset) goes with the working programme it was made from.
    Keeping both, as this did before, held a 10,000-screening programme twice (about 20 MB).

    A failure here loses nothing: a feed not stored is rendered by the first poll that wants it."""
    try:
        version = remember_programme(database, version_id, published_at, parse_version(stored))
        feed = render_feed(version, base_url=base_url)
        remember_published_feed(database, version_id, published_at, base_url, feed)
        store_calendar(version_id, feed)
    except Exception:
        log.exception("version %s was published; its feed will be rendered when first asked for", version_id)


def preview(session: Session, festival: Festival, now: datetime) -> list[dict]:
    """The changelog that publishing now would produce (empty when nothing public changed). Writes nothing."""
    latest = latest_version(session, festival.id)
    previous = programme_of(session, latest.id, latest.published_at) if latest else None
    working = working_programme(session, festival, statuses=PUBLIC_STATUSES)
    version, changelog = next_version(previous, working, now.replace(microsecond=0))
    if previous is not None and same_public_content(previous, version):
        return []
    return changelog


def count_changes(changelog: list[dict]) -> dict[str, int]:
    """How many screenings a changelog adds, moves, retimes and cancels."""
    counts = {kind: 0 for kind in ("added", "moved", "retimed", "cancelled")}
    for entry in changelog:
        counts[entry["kind"]] += 1
    return counts


def change_counts(version: PublishedVersion) -> dict[str, int]:
    """How many screenings a version added, moved, retimed and cancelled."""
    return count_changes(version.changelog)


def list_versions(session: Session, festival: Festival, limit: int, offset: int) -> tuple[list[PublishedVersion], int]:
    return repository.versions_page(session, festival.id, limit, offset)


def read_version(session: Session, festival: Festival, number: int) -> PublishedVersion:
    version = version_by_number(session, festival.id, number)
    if version is None:
        raise NotFound(f"Version {number} of festival '{festival.slug}' does not exist.")
    return version
