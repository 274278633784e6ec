"""The pairwise oracle: every conflict worked out straight from the definitions in `model.py`.

O(n^2), for tests and the benchmark only. It shares the sentences and the order of the list
with the engine (`conflicts_from`) but works out times, holds, overlaps and festival days
itself, so the sweep must find the same list, message for message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.scheduling.conflicts.findings import (
    Finding,
    GuestClash,
    Hold,
    OutsideFestival,
    PrintClash,
    RuntimeOverrun,
    Turnaround,
    VenueOverlap,
    VenueUnavailable,
)
from app.scheduling.conflicts.lineup import Lineup, minutes_up
from app.scheduling.conflicts.messages import conflicts_from
from app.scheduling.conflicts.model import Conflict, Print, Room, Rules, Slot
from app.scheduling.times import festival_day


def find_conflicts_bruteforce(
    slots: Iterable[Slot], rooms: Mapping[int, Room], prints: Mapping[int, Print], rules: Rules
) -> list[Conflict]:
    """Every conflict, checking every pair of screenings."""
    lineup = Lineup(slots, rooms, prints, rules)
    live = lineup.slots
    starts = [int(slot.starts_at.timestamp()) for slot in live]
    ends = [int(slot.ends_at.timestamp()) for slot in live]
    films = [set(slot.film_ids) for slot in live]
    venue = [slot.venue_id for slot in live]
    guests = [set(lineup.guest_keys(i)) for i in range(len(live))]
    order = sorted(range(len(live)), key=lambda i: (starts[i], live[i].id, i))
    # hold[i][film]: when screening i lets go of the film's print (see the definitions)
    transfer = rules.print_transfer_minutes * 60
    hold: list[dict[int, int]] = [{} for _ in live]
    for film in {film for i in order for film in films[i]}:
        showing = [i for i in order if film in films[i]]
        for i, following in zip(showing, [*showing[1:], None], strict=True):
            moves = following is not None and venue[following] != venue[i]
            hold[i][film] = ends[i] + (transfer if moves else 0)

    found: list[Finding] = []
    for n, b in enumerate(order):
        sb, eb = starts[b], ends[b]
        earlier = order[:n]
        same_room = [a for a in earlier if venue[a] == venue[b]]
        for a in same_room:
            shared = min(ends[a], eb) - max(starts[a], sb)
            if shared > 0:
                found.append(VenueOverlap(a, b, minutes_up(shared)))
        if same_room:
            free_at = max(ends[a] for a in same_room)
            last = [a for a in same_room if ends[a] == free_at][-1]
            need = lineup.room(venue[b]).turnaround_minutes * 60
            if free_at <= sb and sb - free_at < need:
                found.append(Turnaround(last, b, sb - free_at, minutes_up(need - (sb - free_at))))
        for film in dict.fromkeys(live[b].film_ids):
            holders = [a for a in earlier if film in hold[a] and hold[a][film] > sb]
            if len(holders) >= lineup.copies(film):
                first_free = min(hold[a][film] for a in holders)
                holds = tuple(Hold(a, hold[a][film]) for a in holders)
                found.append(PrintClash(film, holds, b, minutes_up(first_free - sb)))
        for a in earlier if guests[b] else ():
            shared = min(ends[a], eb) - max(starts[a], sb)
            if guests[a] & guests[b] and shared > 0:
                found.append(GuestClash(a, b, tuple(sorted(guests[a] & guests[b])), minutes_up(shared)))
        windows = lineup.windows(venue[b])
        if windows is not None:
            spans = list(zip(*windows, strict=True))
            if not any(ws <= sb and eb <= we for ws, we in spans):
                inside = sum(max(0, min(eb, we) - max(sb, ws)) for ws, we in spans)
                found.append(VenueUnavailable(b, minutes_up(eb - sb - inside)))
        day = festival_day(live[b].starts_at, rules.zone, rules.day_starts_at)
        if not rules.starts_on <= day <= rules.ends_on:
            found.append(OutsideFestival(b, day))
        slot = live[b]
        if slot.slot_minutes is not None and slot.runtime_minutes > slot.slot_minutes:
            found.append(RuntimeOverrun(b, slot.runtime_minutes - slot.slot_minutes))
    return conflicts_from(found, lineup)
