"""What changed between two published versions, as the printed change sheet needs it."""

from __future__ import annotations

from dataclasses import dataclass

CHANGE_KINDS = ("added", "moved", "retimed", "cancelled")


@dataclass(frozen=True)
class ChangeEntry:
    """One line of a changelog: a screening added, moved, retimed or cancelled.

    `before` and `after` are short human-readable descriptions filled in by the publishing
    code (e.g. "Fri 19 Nov 22:00, Kino Arsenal"); either may be None.
    """

    kind: str
    screening_id: int
    title: str
    before: str | None = None
    after: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in CHANGE_KINDS:
            raise ValueError(f"unknown change kind {self.kind!r}; expected one of {CHANGE_KINDS}")
