"""Fixtures for the feed tests; the programmes come from `tests.builders` (ProgrammeBuilder, Wiesbaden)."""

from __future__ import annotations

import pytest
import vobject.icalendar

from app.scheduling.programme import Programme
from tests.builders import ProgrammeBuilder, _wiesbaden


@pytest.fixture(autouse=True)
def forget_vobject_timezones():
    """vobject keeps the first VTIMEZONE it reads for each TZID for the rest of the process
    (registerTzinfo), so without this a test would read its feed through an earlier test's."""
    registry = vars(vobject.icalendar)["__tzidMap"]
    kept = {key: value for key, value in registry.items() if key == "UTC"}
    registry.clear()
    registry.update(kept)
    yield


@pytest.fixture
def programme_builder() -> type[ProgrammeBuilder]:
    return ProgrammeBuilder


@pytest.fixture
def wiesbaden_builder() -> ProgrammeBuilder:
    """The Wiesbaden programme, still open to changes before `build()`."""
    return _wiesbaden()


@pytest.fixture
def wiesbaden() -> Programme:
    """The Wiesbaden programme, published as version 1."""
    return _wiesbaden().build()
