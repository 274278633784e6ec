"""The programme both tools get in the side-by-side benchmark: talks, rooms, speakers, planted clashes.

Standard library only, and written out as JSON (`as_json`), so the pretalx driver, which runs
in pretalx's own virtualenv, reads exactly the programme Marquee measures.

A talk is a screening of one film, a room a venue, a speaker a guest. Apart from what is
planted, the programme is clean: talks in a room follow each other with a 15-minute gap
(longer than the rooms' 10-minute turnaround), nobody speaks in two talks at once, every talk
is its own film (so no print is needed twice) and everything happens inside the event's days.
Then two kinds of clash are planted, `n // 100` of each:

- a room clash: an extra talk in a room, starting 10 minutes into another talk there and
  ending 10 minutes before it does (so it overlaps that talk and nothing else), given by a
  speaker of its own;
- a speaker clash: a new speaker added to two talks in different rooms that overlap in time,
  and to nothing else.

So every clash either tool can find is a planted one, and each planted clash is one pair.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZONE = "Europe/Berlin"
STARTS_ON = date(2026, 10, 19)  # Monday to Friday, a week before the clocks go back
DAYS = 5
TURNAROUND_MINUTES = 10
GAP_MINUTES = 15
DAY_STARTS = time(9)
_FIRST = ["Anna", "Oleksandr", "Marta", "Giorgi", "Ingrid", "Luca", "Aigerim", "Ioana", "Paul", "Zofia",
          "Nino", "Elias", "Chantal", "Djibril", "Farid", "Greta", "Hiroshi", "Lucía", "Tomás", "Aino"]  # fmt: skip
_LAST = ["Berger", "Kovalenko", "Nowak", "Beridze", "Lind", "Ferrari", "Sadykova", "Popescu", "Martin",
         "Wiśniewska", "Kapanadze", "Brandt", "Moreau", "Virtanen", "Ortega", "Novák", "Weber", "Reid"]  # fmt: skip
_WORDS = (
    ["Scaling", "Debugging", "Teaching", "Measuring", "Securing", "Archiving", "Translating", "Rethinking"],
    ["schedules", "calendars", "festivals", "databases", "conflicts", "subtitles", "projectors", "queues"],
    ["in practice", "at scale", "for everyone", "the hard way", "without tears", "in ten minutes"],
)
_ABSTRACT = [
    "What we learned running it for five years with a team of volunteers.",
    "A tour of the failure modes nobody warns you about, and how to notice them early.",
    "Live demonstration included; bring questions.",
    "We compare three approaches and measure where each one breaks down.",
    "The talk assumes no prior knowledge beyond curiosity.",
]


@dataclass(frozen=True, slots=True)
class Talk:
    id: int
    room: int  # 1-based index into Conference.rooms
    starts_at: str  # ISO 8601, UTC
    minutes: int
    title: str
    abstract: str
    speakers: tuple[int, ...]  # 1-based indices into Conference.speakers, in order


@dataclass(frozen=True, slots=True)
class Conference:
    talks: tuple[Talk, ...]
    rooms: tuple[str, ...]
    speakers: tuple[str, ...]
    room_clashes: tuple[tuple[int, int], ...]  # (talk id, talk id), earlier first
    speaker_clashes: tuple[tuple[int, int, int], ...]  # (speaker, talk id, talk id)
    zone: str = ZONE
    starts_on: str = STARTS_ON.isoformat()
    days: int = DAYS
    turnaround_minutes: int = TURNAROUND_MINUTES

    def as_json(self) -> dict:
        return asdict(self)


def generate_conference(talks: int, seed: int = 14) -> Conference:
    """`talks` talks over five days, in `talks // 50` rooms (at least 4), with `talks // 100` clashes of each kind."""
    rng = random.Random(seed)
    zone = ZoneInfo(ZONE)
    planted = talks // 100
    base = talks - planted  # the extra talks of the room clashes make up the rest
    rooms = max(4, talks // 50)
    cells = [(day, room) for day in range(DAYS) for room in range(1, rooms + 1)]
    cursor = {cell: datetime.combine(STARTS_ON + timedelta(days=cell[0]), DAY_STARTS) for cell in cells}
    drafts: list[dict] = []  # room, start (UTC), minutes; ids come after sorting
    for k in range(base):
        day, room = cells[k % len(cells)]
        wall = cursor[(day, room)]
        minutes = rng.choice((30, 45, 45, 60))
        cursor[(day, room)] = wall + timedelta(minutes=minutes + GAP_MINUTES)
        drafts.append({"room": room, "start": wall.replace(tzinfo=zone).astimezone(UTC), "minutes": minutes})

    # speakers, chosen so that nobody is in two talks at once
    names: list[str] = []
    busy: list[list[tuple[datetime, datetime]]] = []

    def new_speaker() -> int:
        k = len(names)
        names.append(f"{_FIRST[k % len(_FIRST)]} {_LAST[k // len(_FIRST) % len(_LAST)]} {k // 360 + 1}")
        busy.append([])
        return len(names)  # 1-based

    pool = [new_speaker() for _ in range(max(2, base // 2))]
    for draft in sorted(drafts, key=lambda d: (d["start"], d["room"])):
        start, end = draft["start"], draft["start"] + timedelta(minutes=draft["minutes"])
        chosen: list[int] = []
        for _ in range(1 if rng.random() < 0.8 else 2):
            for _attempt in range(100):
                speaker = rng.choice(pool)
                if speaker not in chosen and all(e <= start or end <= s for s, e in busy[speaker - 1]):
                    chosen.append(speaker)
                    busy[speaker - 1].append((start, end))
                    break
        draft["speakers"] = chosen or [new_speaker()]

    # room clashes: an extra talk inside a talk of 45 minutes or more
    hosts = rng.sample([d for d in drafts if d["minutes"] >= 45], planted)
    for host in hosts:
        drafts.append(
            {
                "room": host["room"],
                "start": host["start"] + timedelta(minutes=10),
                "minutes": host["minutes"] - 20,
                "speakers": [new_speaker()],
                "host": host,
            }
        )
    # speaker clashes: two overlapping talks in different rooms, neither in another planted clash
    used = {id(host) for host in hosts}
    by_day: dict[date, list[dict]] = {}
    for draft in drafts[:base]:
        by_day.setdefault(draft["start"].date(), []).append(draft)
    pairs: list[tuple[dict, dict]] = []
    candidates = drafts[:base]
    while len(pairs) < planted:
        first = rng.choice(candidates)
        if id(first) in used:
            continue
        start, end = first["start"], first["start"] + timedelta(minutes=first["minutes"])
        others = [
            d
            for d in by_day[start.date()]
            if d["room"] != first["room"]
            and id(d) not in used
            and d["start"] < end
            and start < d["start"] + timedelta(minutes=d["minutes"])
        ]
        if not others:
            continue
        second = rng.choice(others)
        used.update((id(first), id(second)))
        speaker = new_speaker()
        first["speakers"].append(speaker)
        second["speakers"].append(speaker)
        pairs.append((first, second))

    drafts.sort(key=lambda d: (d["start"], d["room"], d["minutes"]))
    for number, draft in enumerate(drafts, start=1):
        draft["id"] = number
    result = tuple(
        Talk(
            id=draft["id"],
            room=draft["room"],
            starts_at=draft["start"].isoformat(),
            minutes=draft["minutes"],
            title=" ".join(rng.choice(words) for words in _WORDS),
            abstract=" ".join(rng.sample(_ABSTRACT, 2)),
            speakers=tuple(draft["speakers"]),
        )
        for draft in drafts
    )
    room_clashes = tuple(sorted((d["host"]["id"], d["id"]) for d in drafts if "host" in d))
    speaker_clashes = tuple(
        sorted((a["speakers"][-1], *sorted((a["id"], b["id"]))) for a, b in pairs)  # type: ignore[misc]
    )
    return Conference(
        talks=result,
        rooms=tuple(f"Hall {chr(ord('A') + (r - 1) % 26)}{(r - 1) // 26 + 1}" for r in range(1, rooms + 1)),
        speakers=tuple(names),
        room_clashes=room_clashes,
        speaker_clashes=speaker_clashes,
    )
