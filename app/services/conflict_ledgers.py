"""Every conflict of a festival's schedule, held per server process and caught up write by write.

Each process keeps a `ConflictLedger` per festival, labelled with the schedule revision it
reflects. A request reads the festival's revision as committed now; when the ledger is
behind, the schedule log (`schedule_change`) says which screenings the revisions in between
wrote, whichever process wrote them, and the ledger takes in just those screenings (the
venues, films and guest pairs they touch are decided again). When the log cannot say (a
venue, film or festival edit; a revision pruned from the log; a restore, which moves the
revisions on), the ledger is rebuilt from the database. An answer is never older than the
revision the request read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlmodel import Session

from app.cache import LRU
from app.scheduling.conflicts import Conflict, Rules, find_conflicts
from app.scheduling.conflicts.ledger import ConflictLedger
from app.services.errors import NotFound
from app.services.rules import in_words
from app.store import repository
from app.store.models import Festival
from app.store.publishing import database_of
from app.store.repository import prints_of, rooms_of, rules_of, slots_of


@dataclass
class LedgerStats:
    """What the ledgers have done since start (read by tests and benchmarks)."""

    caught_up: int = 0  # catch-ups from the log: only the written screenings taken in
    rebuilt: int = 0  # ledgers built from the whole schedule
    screenings_taken_in: int = 0


@dataclass
class _Held:
    lock: threading.Lock = field(default_factory=threading.Lock)
    ledger: ConflictLedger | None = None
    revision: int = -1
    # each conflict in words, for as long as the ledger lives: every edit that changes a name
    # (a film's title, a venue's name) rebuilds the ledger, and a screening's own write
    # decides its conflicts anew
    words: dict[Conflict, Conflict] = field(default_factory=dict)


stats = LedgerStats()
_held: LRU[_Held] = LRU(maxsize=32)
# catch up at most this many times in one request while other writers keep committing
_ATTEMPTS = 3


@dataclass(frozen=True)
class ConflictsNow:
    """The festival's conflicts as committed now (`all`, errors first; do not change the list),
    and their words: cached with the ledger they came from, or worked out each time (`words`
    None) when the request's own view differs from the shared one."""

    all: list[Conflict]
    words: dict[Conflict, Conflict] | None

    def in_words(self, session: Session, festival: Festival, conflicts: list[Conflict]) -> list[Conflict]:
        """Some of `all` with messages naming films, day, time and venue."""
        words = self.words
        if words is None:
            return in_words(session, festival, conflicts)
        missing = [c for c in conflicts if c not in words]
        if missing:
            words.update(zip(missing, in_words(session, festival, missing), strict=True))
        return [words[c] for c in conflicts]


def festival_conflicts(session: Session, festival: Festival) -> list[Conflict]:
    """Every conflict of the festival's schedule, errors first, as committed now. Do not change the list."""
    return conflicts_now(session, festival).all


def conflicts_now(session: Session, festival: Festival) -> ConflictsNow:
    """The festival's conflicts from this process's ledger, caught up to what is committed now."""
    if repository.schedule_written(session, festival.id):
        # this transaction's own uncommitted writes: never let them into the shared ledger
        return ConflictsNow(_swept(session, festival, rules_of(festival)), None)
    held = _held.get_or_make((database_of(session), festival.id), _Held)
    with held.lock:
        for _ in range(_ATTEMPTS):
            state = repository.schedule_state(session, festival.id)
            if state is None:  # deleted since the request found it (PostgreSQL reads each statement anew)
                raise NotFound(f"Festival '{festival.slug}' does not exist.")
            revision, rules = state
            if held.ledger is not None and revision == held.revision:
                break
            if held.ledger is not None and revision < held.revision:
                # this request reads an older snapshot than the ledger holds (SQLite): answer
                # what it sees, leave the ledger alone
                return ConflictsNow(_swept(session, festival, rules), None)
            changed = (
                repository.screenings_changed(session, festival.id, held.revision, revision)
                if held.ledger is not None
                else None
            )
            if changed is None:
                held.ledger = ConflictLedger(
                    slots_of(session, festival), rooms_of(session, festival.id), prints_of(session, festival.id), rules
                )
                held.words = {}
                stats.rebuilt += 1
            else:
                try:
                    _catch_up(session, festival, held.ledger, changed)
                except BaseException:
                    held.ledger = None  # half taken in (a database error): the next request rebuilds
                    raise
                # a written screening may keep its conflicts equal in value (the same ids,
                # minutes and message) while what names it changed (its films, its venue):
                # forget their words. A new dict: requests still holding the old one may add
                # to it outside the lock (copy() is one step under the GIL)
                held.words = {c: w for c, w in held.words.copy().items() if changed.isdisjoint(c.screening_ids)}
            held.revision = revision
        assert held.ledger is not None
        if len(held.words) > 2 * len(held.ledger.conflicts) + 1_000:  # forget words of conflicts gone
            held.words = {c: held.words[c] for c in held.ledger.conflicts if c in held.words}
        return ConflictsNow(held.ledger.conflicts, held.words)


def _swept(session: Session, festival: Festival, rules: Rules) -> list[Conflict]:
    return find_conflicts(
        slots_of(session, festival), rooms_of(session, festival.id), prints_of(session, festival.id), rules
    )


def _catch_up(session: Session, festival: Festival, ledger: ConflictLedger, changed: set[int]) -> None:
    """Take in the screenings written since the ledger's revision, as they stand now."""
    now = {slot.id: slot for slot in slots_of(session, festival, ids=sorted(changed))}
    # a screening may name a venue or film made after the ledger was (their writes rebuild it,
    # but a new film is only a catalogue entry until a screening shows it)
    films = {f for slot in now.values() for f in slot.film_ids} - ledger.prints.keys()
    if films:
        ledger.prints = {**ledger.prints, **prints_of(session, festival.id, film_ids=films)}
    if {slot.venue_id for slot in now.values()} - ledger.rooms.keys():
        ledger.rooms = rooms_of(session, festival.id)
    ledger.write({screening_id: now.get(screening_id) for screening_id in changed})
    stats.caught_up += 1
    stats.screenings_taken_in += len(changed)
