"""A festival's conflicts kept up to date one written screening at a time.

Every conflict is decided by a small part of the programme on its own, its *scope*:

- a venue decides its overlaps, turnarounds and availability, and the single-screening checks
  (overruns, festival days) of the screenings in it;
- a film decides its print clashes (holds and transfers depend only on that film's screenings);
- a pair of screenings decides its guest clash.

When screenings are written (created, moved, changed or deleted), only the scopes they left
or joined can change: their venues before and after, their films before and after, and the
pairs they belong to. The ledger drops what those scopes had found and decides them again from
their screenings alone, with the same checks as `find_conflicts`, so the list is always the one
a full sweep would give (a Hypothesis test replays random writes against the full sweep).
The rooms, prints and rules are fixed for a ledger's life: when they change, build a new one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import TypeVar

from app.scheduling.conflicts.findings import Finding, GuestClash, PrintClash
from app.scheduling.conflicts.lineup import Lineup, guest_key
from app.scheduling.conflicts.messages import SortKey, keyed_conflicts
from app.scheduling.conflicts.model import Conflict, Print, Room, Rules, Slot
from app.scheduling.conflicts.sweep import all_findings, guest_findings, print_findings, venue_findings

Scope = tuple[str | int, ...]  # ("venue", id) | ("film", id) | ("guests", id, id)
_Entry = tuple[SortKey, Conflict, Scope]  # sort key, conflict, the scope that decided it
_KEY = itemgetter(0)
K = TypeVar("K")
M = TypeVar("M")


class ConflictLedger:
    """The conflicts of a set of screenings, updated by `write` instead of swept again."""

    def __init__(
        self, slots: Iterable[Slot], rooms: Mapping[int, Room], prints: Mapping[int, Print], rules: Rules
    ) -> None:
        self.rooms, self.prints, self.rules = rooms, prints, rules
        self.slots: dict[int, Slot] = {}
        self._in_venue: dict[int, set[int]] = defaultdict(set)
        self._showing: dict[int, set[int]] = defaultdict(set)
        self._with_guest: dict[str, set[int]] = defaultdict(set)
        self._pairs: dict[int, set[Scope]] = defaultdict(set)  # screening -> its guest-clash scopes
        for slot in slots:
            self._enter(slot)
        lineup = self._lineup(self.slots.values())
        self._entries: list[_Entry] = sorted(self._file(all_findings(lineup), lineup), key=_KEY)
        self._conflicts: list[Conflict] | None = None

    @property
    def conflicts(self) -> list[Conflict]:
        """Every conflict, in `find_conflicts`' order. Do not change the list: it is shared."""
        if self._conflicts is None:
            self._conflicts = [entry[1] for entry in self._entries]
        return self._conflicts

    def write(self, written: Mapping[int, Slot | None]) -> list[Conflict]:
        """Take in screenings as they now stand (None: deleted); returns the conflicts found anew."""
        venues: set[int] = set()
        films: set[int] = set()
        for screening_id, slot in written.items():
            before = self.slots.pop(screening_id, None)
            if before is not None:
                self._leave(before)
                venues.add(before.venue_id)
                films.update(before.film_ids)
            if slot is not None:
                self._enter(slot)
                venues.add(slot.venue_id)
                films.update(slot.film_ids)
        dropped: set[Scope] = {("venue", v) for v in venues} | {("film", f) for f in films}
        for screening_id in written:
            for pair in self._pairs.pop(screening_id, ()):
                dropped.add(pair)
                for member in pair[1:]:
                    if isinstance(member, int):
                        _discard(self._pairs, member, pair)
        fresh = self._decide(venues, films, set(written))
        kept = [entry for entry in self._entries if entry[2] not in dropped]
        fresh.sort(key=_KEY)
        kept.extend(fresh)
        kept.sort(key=_KEY)  # two sorted runs: a merge
        self._entries, self._conflicts = kept, None
        return [entry[1] for entry in fresh]

    # -- deciding scopes ---------------------------------------------------------------------

    def _decide(self, venues: set[int], films: set[int], written: set[int]) -> list[_Entry]:
        entries: list[_Entry] = []
        in_venues = {i for v in venues for i in self._in_venue.get(v, ())}
        lineup = self._lineup(self.slots[i] for i in in_venues)
        entries.extend(self._file(venue_findings(lineup), lineup))
        showing = {i for f in films for i in self._showing.get(f, ())}
        lineup = self._lineup(self.slots[i] for i in showing)
        entries.extend(self._file(print_findings(lineup, films), lineup))
        # the written screenings and every screening sharing a guest with one of them
        sharing = {i for w in written if w in self.slots for i in self._guest_partners(self.slots[w])}
        lineup = self._lineup(self.slots[i] for i in sharing)
        clashes = [f for f in guest_findings(lineup) if written.intersection(self._ids(f, lineup))]
        entries.extend(self._file(clashes, lineup))
        return entries

    def _file(self, findings: list[Finding], lineup: Lineup) -> list[_Entry]:
        """The findings as entries, each with its scope; guest clashes are indexed by screening."""
        entries: list[_Entry] = []
        for finding, (key, conflict) in zip(findings, keyed_conflicts(findings, lineup), strict=True):
            scope: Scope
            if isinstance(finding, PrintClash):
                scope = ("film", finding.film_id)
            elif isinstance(finding, GuestClash):
                a, b = self._ids(finding, lineup)
                scope = ("guests", a, b)
                self._pairs[a].add(scope)
                self._pairs[b].add(scope)
            else:
                scope = ("venue", lineup.venues[finding.screenings[0]])
            entries.append((key, conflict, scope))
        return entries

    @staticmethod
    def _ids(finding: Finding, lineup: Lineup) -> tuple[int, ...]:
        return tuple(lineup.slots[i].id for i in finding.screenings)

    def _lineup(self, slots: Iterable[Slot]) -> Lineup:
        return Lineup(slots, self.rooms, self.prints, self.rules)

    # -- the indexes -------------------------------------------------------------------------

    def _guest_partners(self, slot: Slot) -> set[int]:
        partners = {slot.id}
        for key in {guest_key(name) for name in slot.guests} - {""}:
            partners.update(self._with_guest.get(key, ()))
        return partners

    def _enter(self, slot: Slot) -> None:
        self.slots[slot.id] = slot
        self._in_venue[slot.venue_id].add(slot.id)
        for film_id in slot.film_ids:
            self._showing[film_id].add(slot.id)
        for name in slot.guests:
            self._with_guest[guest_key(name)].add(slot.id)

    def _leave(self, slot: Slot) -> None:
        # empty entries go: a ledger lives for many writes, and guest names are free text
        _discard(self._in_venue, slot.venue_id, slot.id)
        for film_id in slot.film_ids:
            _discard(self._showing, film_id, slot.id)
        for name in slot.guests:
            _discard(self._with_guest, guest_key(name), slot.id)


def _discard(index: dict[K, set[M]], key: K, member: M) -> None:
    """Take `member` out of `index[key]`, and the key out when nothing is left under it."""
    members = index.get(key)
    if members is not None:
        members.discard(member)
        if not members:
            del index[key]
