"""TEMPORARY stand-in (never committed) until branch domain's plans.py is merged."""
import math
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Clash:
    kind: str
    screening_ids: tuple
    minutes: int
    walk_minutes: int | None
    message: str


def walk_minutes(a, b):
    if a.id == b.id:
        return 0
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return 15
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    km = 2 * 6371.0 * math.asin(math.sqrt(h))
    return math.ceil(km / 4.5 * 60)


def find_clashes(picks, venues):
    picks = sorted((p for p in picks if p.status != "cancelled"), key=lambda s: s.starts_at)
    out = []
    for i, a in enumerate(picks):
        for b in picks[i + 1:]:
            if b.starts_at >= a.ends_at + timedelta(hours=3):
                break
            gap = (b.starts_at - a.ends_at).total_seconds() / 60
            if gap < 0:
                out.append(Clash("overlap", (a.id, b.id), math.ceil(-gap), None, f"overlap {math.ceil(-gap)} min"))
            elif a.venue_id != b.venue_id:
                w = walk_minutes(venues[a.venue_id], venues[b.venue_id])
                if gap < w:
                    out.append(Clash("walk", (a.id, b.id), math.ceil(w - gap), w, f"walk {w} min, gap {int(gap)}"))
    return out
