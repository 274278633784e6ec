"""The conflict engine: what would stop a programme from running as planned.

`model` holds the kinds (with their precise definitions), severities and values; `sweep`
finds them; `findings` is what a check reports; `lineup` is the programme as the checks see
it; `messages` turns findings into the sentences of `Conflict`s. Import from here.
"""

from app.scheduling.conflicts.model import (
    CANCELLED,
    ERROR,
    GUEST_CLASH,
    OUTSIDE_FESTIVAL,
    PRINT_CLASH,
    RUNTIME_OVERRUN,
    SEVERITY,
    TURNAROUND,
    VENUE_OVERLAP,
    VENUE_UNAVAILABLE,
    WARNING,
    Conflict,
    Print,
    Room,
    Rules,
    Slot,
)
from app.scheduling.conflicts.sweep import conflicts_of, find_conflicts

__all__ = [
    "CANCELLED",
    "ERROR",
    "GUEST_CLASH",
    "OUTSIDE_FESTIVAL",
    "PRINT_CLASH",
    "RUNTIME_OVERRUN",
    "SEVERITY",
    "TURNAROUND",
    "VENUE_OVERLAP",
    "VENUE_UNAVAILABLE",
    "WARNING",
    "Conflict",
    "Print",
    "Room",
    "Rules",
    "Slot",
    "conflicts_of",
    "find_conflicts",
]
