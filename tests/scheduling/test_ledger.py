"""The conflict ledger against the full sweep: after any sequence of writes, the same list.

Hypothesis draws a programme around a night the clocks change, then a sequence of writes
(new screenings, moves, changes of films, guests or status, deletions, several at once),
and after each one compares the ledger's list with `find_conflicts` on the screenings as
they now stand, conflict for conflict (kind, ids, minutes, message, day, order).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scheduling.conflicts import Print, Room, Rules, Slot, find_conflicts
from app.scheduling.conflicts.ledger import ConflictLedger
from app.scheduling.times import add_minutes
from tests.scheduling.test_sweep_against_oracle import BERLIN, NIGHTS, programme_around, slot_around

pytestmark = pytest.mark.slow


@st.composite
def programmes_and_writes(draw):
    night = draw(st.sampled_from(NIGHTS))
    slots, rooms, prints, rules = programme_around(draw, night)
    writes = []
    for _ in range(draw(st.integers(1, 12))):
        ids = draw(st.lists(st.integers(1, 20), min_size=1, max_size=3, unique=True))
        writes.append(
            {i: (None if draw(st.booleans()) and draw(st.booleans()) else slot_around(draw, night, i)) for i in ids}
        )
    return slots, rooms, prints, rules, writes


@settings(max_examples=300, deadline=None)
@given(programmes_and_writes())
def test_the_ledger_after_any_writes_is_the_full_sweep(case):
    slots, rooms, prints, rules, writes = case
    ledger = ConflictLedger(slots, rooms, prints, rules)
    now = {slot.id: slot for slot in slots}
    assert ledger.conflicts == find_conflicts(now.values(), rooms, prints, rules)

    for written in writes:
        found_anew = ledger.write(written)
        for screening_id, slot in written.items():
            if slot is None:
                now.pop(screening_id, None)
            else:
                now[screening_id] = slot
        expected = find_conflicts(now.values(), rooms, prints, rules)
        assert ledger.conflicts == expected
        # what it reports as found anew is part of the list, and names a written screening
        # or shares its venue or film (the scopes the write touched)
        assert all(c in expected for c in found_anew)


def test_moving_a_screening_away_clears_its_overlap_and_finds_the_new_one():
    night = datetime(2021, 10, 20, 18, tzinfo=UTC)
    rules = Rules(zone=BERLIN, starts_on=night.date(), ends_on=night.date() + timedelta(days=3))
    rooms = {1: Room(1, "Caligari"), 2: Room(2, "Murnau")}
    prints = {1: Print(1, "Nosferatu"), 2: Print(2, "Metropolis")}

    def slot(id, venue, start_hours, film):
        starts = night + timedelta(hours=start_hours)
        return Slot(id, venue, starts, add_minutes(starts, 120), (film,), runtime_minutes=120)

    ledger = ConflictLedger([slot(1, 1, 0, 1), slot(2, 1, 1, 2), slot(3, 2, 0, 2)], rooms, prints, rules)
    assert [(c.kind, c.screening_ids) for c in ledger.conflicts] == [("print_clash", (3, 2)), ("venue_overlap", (1, 2))]

    ledger.write({2: slot(2, 2, 1, 2)})  # into Murnau, where screening 3 runs and holds the only print

    assert [(c.kind, c.screening_ids) for c in ledger.conflicts] == [
        ("print_clash", (3, 2)),
        ("venue_overlap", (3, 2)),
    ]
    ledger.write({3: None})
    assert ledger.conflicts == []


def test_a_ledger_forgets_the_guests_no_screening_lists_any_more():
    """A ledger lives as long as no venue, film or festival edit comes (a festival week, maybe):
    guest names written and then removed must not pile up in its indexes."""
    night = datetime(2021, 10, 20, 18, tzinfo=UTC)
    rules = Rules(zone=BERLIN, starts_on=night.date(), ends_on=night.date() + timedelta(days=3))
    starts = night + timedelta(hours=1)
    rooms = {1: Room(1, "Caligari"), 2: Room(2, "Murnau")}
    prints = {1: Print(1, "Nosferatu", copies=2)}

    def slot(id, venue, guests):
        return Slot(id, venue, starts, add_minutes(starts, 90), (1,), guests=guests, runtime_minutes=90)

    ledger = ConflictLedger([slot(2, 2, ("Anna",))], rooms, prints, rules)
    for n in range(2_000):
        ledger.write({1: slot(1, 1, (f"Guest {n}", "anna "))})
    assert [c.kind for c in ledger.conflicts] == ["guest_clash"]
    ledger.write({1: None, 2: None})
    assert ledger.conflicts == []
    indexes = (ledger._with_guest, ledger._in_venue, ledger._showing, ledger._pairs)
    assert [len(index) for index in indexes] == [0, 0, 0, 0], "an index entry per guest name ever written"
