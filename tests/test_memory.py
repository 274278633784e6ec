"""What a server process holds: a published version once, its field-name sets shared, and default
byte bounds that add up to less than the 300 MB a process may take (docs/operations.md, "Memory")."""

from __future__ import annotations

import gc
import sys

import pytest

from app.scheduling.programme import Programme, share_field_sets
from tests.builders import festival_programme

MB = 1024 * 1024


def _programmes_of(slug: str, number: int) -> list[Programme]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, Programme) and o.festival.slug == slug and o.version == number]


def test_a_published_version_is_held_once_as_a_read_of_the_database_makes_it(api):
    from sqlalchemy import select

    from app.store.db import unit_of_work
    from app.store.models import Festival, PublishedVersion
    from app.store.publishing import _programmes, parse_version, programme_of

    _programmes.clear()  # versions another test (or database) published under the same slug
    api.festival()
    venue, film = api.venue(), api.film()
    api.screening(venue["id"], [film["id"]], "2021-11-19T20:00", status="confirmed")
    api.post(f"/api/festivals/{api.slug}/publish", {})
    held = _programmes_of(api.slug, 1)
    assert len(held) == 1  # not also the one next_version made
    for path in ("calendar.ics", "programme.csv", f"films/{film['id']}", "schedule.json"):
        assert api.client.get(f"/festivals/{api.slug}/{path}").status_code == 200
    assert _programmes_of(api.slug, 1) == held and _programmes_of(api.slug, 1)[0] is held[0]
    with unit_of_work(write=False) as session:
        version_id, published_at, stored = session.execute(
            select(PublishedVersion.id, PublishedVersion.published_at, PublishedVersion.programme)
            .join(Festival, Festival.id == PublishedVersion.festival_id)
            .where(Festival.slug == api.slug)
        ).one()
        assert programme_of(session, version_id, published_at) is held[0]
    assert held[0] == parse_version(stored) == Programme.model_validate(stored)
    assert held[0].screenings[0].starts_at.utcoffset() is not None


def test_a_programmes_items_share_their_sets_of_field_names():
    programme = Programme.model_validate_json(festival_programme().model_dump_json())
    before = programme.model_dump(mode="json")
    sets = {id(item.__pydantic_fields_set__) for item in programme.screenings}
    assert len(sets) == len(programme.screenings) > 1  # pydantic's own: one each
    shared = share_field_sets(programme)
    assert shared is programme and shared.model_dump(mode="json") == before
    assert len({id(item.__pydantic_fields_set__) for item in programme.screenings}) == 1
    assert len({id(item.__pydantic_fields_set__) for item in programme.films}) == 1
    first, second = programme.screenings[:2]
    copy = first.model_copy(update={"notes": "moved"})  # copies the set before adding to it
    assert copy.model_fields_set is not first.model_fields_set
    assert second.model_fields_set == first.model_fields_set == set(type(first).model_fields)


def test_the_default_bounds_add_up_to_the_budget():
    """The budget of docs/operations.md: start, the caches full, the event cache, the conflicts
    of a 10,000-screening schedule and the allocator's overhead stay under 300 MB."""
    from app.services.feeds import EVENT_CACHE_BYTES
    from app.settings import Settings

    defaults = Settings.model_fields
    caches = sum(
        defaults[name].default
        for name in (
            "print_cache_bytes",
            "feed_cache_bytes",
            "page_cache_bytes",
            "plan_feed_cache_bytes",
            "programme_cache_bytes",
        )
    )
    started, conflicts, overhead = 90 * MB, 10 * MB, 40 * MB
    assert started + caches + EVENT_CACHE_BYTES + conflicts + overhead <= 300 * MB


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_large_blocks_are_kept_apart_where_glibc_allocates(monkeypatch):
    from app.memory import keep_large_blocks_apart

    assert keep_large_blocks_apart() is True
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")  # glibc's own setting is left alone
    assert keep_large_blocks_apart() is True
