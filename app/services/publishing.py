"""Publishing: freeze the working programme as the next public version, with its changelog."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from app.calendar import render_calendar
from app.scheduling.publishing import PUBLIC_STATUSES, next_version, same_public_content
from app.services.errors import NotFound
from app.store import repository
from app.store.models import Festival, PublishedVersion
from app.store.publishing import latest_version, programme_of, version_by_number
from app.store.repository import lock_festival
from app.store.snapshot import working_programme


def publish(session: Session, festival: Festival, now: datetime, base_url: str) -> tuple[PublishedVersion, bool]:
    """Publish the working programme as the next version; (version, False) when nothing changed.

    The whole-programme feed is rendered here, once, so the first poll after a publish
    is already cheap on every server process.
    """
    lock_festival(session, festival.id)
    latest = latest_version(session, festival.id)
    previous = programme_of(session, latest.id, latest.published_at) if latest else None
    # HTTP dates have whole seconds: keep Last-Modified strictly rising between versions
    published_at = now.replace(microsecond=0)
    if latest and published_at <= latest.published_at:
        published_at = latest.published_at + timedelta(seconds=1)
    working = working_programme(session, festival, statuses=PUBLIC_STATUSES)
    version, changelog = next_version(previous, working, published_at)
    if previous is not None and same_public_content(previous, version):
        return latest, False
    row = PublishedVersion(
        festival_id=festival.id,
        number=version.version,
        published_at=published_at,
        programme=version.model_dump(mode="json"),
        changelog=changelog,
        calendar_ics=render_calendar(version, base_url=base_url),
    )
    session.add(row)
    session.flush()
    return row, True


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
