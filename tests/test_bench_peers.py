"""The side-by-side benchmark's conference: it plants the clashes it says, and Marquee finds exactly those."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.scheduling.conflicts import GUEST_CLASH, VENUE_OVERLAP, find_conflicts
from bench.bench_peers import conference_programme, conflict_inputs, planted_found, pretalx_found
from bench.peers.conference import generate_conference


def _interval(talk) -> tuple[datetime, datetime]:
    start = datetime.fromisoformat(talk.starts_at)
    return start, start + timedelta(minutes=talk.minutes)


def _overlap(first, second) -> bool:
    (a, b), (c, d) = _interval(first), _interval(second)
    return a < d and c < b


@pytest.mark.parametrize("talks", [200, 1_000])
def test_the_conference_plants_one_in_a_hundred_of_each_clash(talks):
    conference = generate_conference(talks)
    by_id = {talk.id: talk for talk in conference.talks}

    assert len(conference.talks) == talks
    assert len(conference.room_clashes) == len(conference.speaker_clashes) == talks // 100
    for a, b in conference.room_clashes:
        assert by_id[a].room == by_id[b].room and _overlap(by_id[a], by_id[b])
    for speaker, a, b in conference.speaker_clashes:
        assert by_id[a].room != by_id[b].room and _overlap(by_id[a], by_id[b])
        assert speaker in by_id[a].speakers and speaker in by_id[b].speakers


@pytest.mark.parametrize("talks", [200, 1_000])
def test_marquee_finds_every_planted_clash_and_nothing_else(talks):
    conference = generate_conference(talks)

    conflicts = find_conflicts(*conflict_inputs(conference))

    assert {c.screening_ids for c in conflicts if c.kind == VENUE_OVERLAP} == set(conference.room_clashes)
    assert {c.screening_ids for c in conflicts if c.kind == GUEST_CLASH} == {
        (a, b) for _, a, b in conference.speaker_clashes
    }
    assert {c.kind for c in conflicts} == {VENUE_OVERLAP, GUEST_CLASH}
    planted = talks // 100
    assert planted_found(conference, conflicts) == {"room": planted, "speaker": planted, "extra": 0, "other_kinds": 0}


def test_a_planted_clash_counts_for_pretalx_only_when_both_talks_carry_the_warning():
    conference = generate_conference(200)
    (first, second), (_, other) = conference.room_clashes
    speaker, a, b = conference.speaker_clashes[0]
    warnings = {
        "room_overlap_talks": [first, second, other],  # the other clash's partner is missing
        "speaker_overlaps": [[a, speaker], [b, speaker]],
        "other_warnings": {},
    }

    assert pretalx_found(conference, warnings) == {"room": 1, "speaker": 1, "extra": 0, "other_kinds": 0}


def test_the_programme_shows_every_talk_once_in_its_room():
    conference = generate_conference(200)

    programme = conference_programme(conference)

    assert [(s.id, s.venue_id, s.runtime_minutes) for s in programme.screenings] == [
        (t.id, t.room, t.minutes) for t in conference.talks
    ]
