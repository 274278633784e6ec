"""What a use case refuses, in the festival's words; `app.http.problems` turns each into an HTTP answer."""

from __future__ import annotations

from app.scheduling.conflicts import Conflict


class ServiceError(Exception):
    """A refusal with a sentence a person can act on. Nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The thing named does not exist (or not in this festival)."""


class InvalidField(ServiceError):
    """A value that is well-formed but wrong for this festival, naming the field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class Duplicate(ServiceError):
    """A festival slug already taken."""


class InUse(ServiceError):
    """A venue or film that screenings still use."""

    def __init__(self, message: str, title: str):
        super().__init__(message)
        self.title = title


class Stale(ServiceError):
    """The caller's copy (its `If-Match`) is older than the stored one."""

    def __init__(self, etag: str):
        super().__init__(
            f"The resource has changed since you read it (its ETag is now {etag}); read it again and retry."
        )
        self.etag = etag


class ScheduleRefused(ServiceError):
    """A write that would leave confirmed screenings in error-level conflict."""

    def __init__(self, message: str, conflicts: list[Conflict]):
        super().__init__(message)
        self.conflicts = conflicts


class ChangeRefused(ServiceError):
    """Entry `index` of a list of changes was refused (`cause` says why); nothing of the list was stored."""

    def __init__(self, index: int, op: str, cause: ServiceError):
        super().__init__(f"Change {index} ({op}): {cause.message}")
        self.index = index
        self.op = op
        self.cause = cause
