"""Published versions in the database: publish, read, and the latest version of a festival."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from app.cache import LRU
from app.calendar import render_calendar
from app.scheduling.programme import Programme
from app.scheduling.publishing import next_version, same_public_content
from app.store.models import Festival, PublishedVersion
from app.store.repository import festival_info, lock_festival
from app.store.snapshot import working_programme


def latest_version(session: Session, festival_id: int) -> PublishedVersion | None:
    return session.exec(select(PublishedVersion).where(PublishedVersion.festival_id == festival_id)
                        .order_by(PublishedVersion.number.desc()).limit(1)).scalars().first()


def version_by_number(session: Session, festival_id: int, number: int) -> PublishedVersion | None:
    return session.exec(select(PublishedVersion).where(PublishedVersion.festival_id == festival_id,
                                                       PublishedVersion.number == number)).scalars().first()


_programmes: LRU[Programme] = LRU(maxsize=32)


def programme_of(version: PublishedVersion) -> Programme:
    """The version's Programme (parsed once per process: a published version never changes)."""
    return _programmes.get_or_make((version.id, version.published_at),
                                   lambda: Programme.model_validate(version.programme))


def publish(session: Session, festival: Festival, now: datetime,
            base_url: str) -> tuple[PublishedVersion, bool]:
    """Publish the working programme as the next version; (version, False) when nothing changed.

    The whole-programme feed is rendered here, once, so the first poll after a publish
    is already cheap on every server process.
    """
    lock_festival(session, festival.id)
    latest = latest_version(session, festival.id)
    previous = programme_of(latest) if latest else None
    # HTTP dates have whole seconds: keep Last-Modified strictly rising between versions
    published_at = now.replace(microsecond=0)
    if latest and published_at <= latest.published_at:
        published_at = latest.published_at + timedelta(seconds=1)
    working = working_programme(session, festival, statuses=("confirmed", "cancelled"))
    version, changelog = next_version(previous, working, published_at)
    if previous is not None and same_public_content(previous, version):
        return latest, False
    row = PublishedVersion(festival_id=festival.id, number=version.version, published_at=published_at,
                           programme=version.model_dump(mode="json"), changelog=changelog,
                           calendar_ics=render_calendar(version, base_url=base_url))
    session.add(row)
    session.flush()
    return row, True


def unpublished_programme(session: Session, festival: Festival) -> Programme:
    """What the public sees before the first publish: the festival, its venues and films, no screenings."""
    working = working_programme(session, festival, statuses=())
    return Programme(festival=festival_info(festival), venues=working.venues, films=working.films)
