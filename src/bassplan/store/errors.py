"""The store's exceptions, each a BassError, so the app maps them to HTTP in one place.

BassError
├── VersionConflict   someone else changed the record since it was read (HTTP 409)
├── AlreadyExists     a unique name is taken (HTTP 409)
├── NotFound          no such record (HTTP 404)
├── Forbidden         the user's role does not allow the action (HTTP 403)
└── DatabaseError     the database cannot be opened or migrated (URL shown without password)
"""

from __future__ import annotations

from bassplan.domain.errors import BassError


class VersionConflict(BassError):  # noqa: N818 (names asked for by the app layer)
    """The record's version is not the one the editor read: it was changed meanwhile."""

    def __init__(self, kind: str, name: str, current: int, expected: int) -> None:
        self.kind = kind
        self.name = name
        self.current = current
        self.expected = expected
        super().__init__(
            f"{kind} '{name}' was changed by someone else (version {current}, you had {expected})"
        )


class AlreadyExists(BassError):  # noqa: N818 (names asked for by the app layer)
    """A record with this unique key exists already."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name
        super().__init__(f"{kind} '{name}' already exists")


class NotFound(BassError):  # noqa: N818 (names asked for by the app layer)
    """No record of this kind has this key."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name
        super().__init__(f"{kind} '{name}' not found")


class Forbidden(BassError):  # noqa: N818 (names asked for by the app layer)
    """The user's role is below the one the action needs."""

    def __init__(self, username: str, role: str, needed: str) -> None:
        super().__init__(f"user '{username}' has role '{role}'; this needs '{needed}' or higher")


class DatabaseError(BassError):
    """The database cannot be reached, opened or migrated; one line naming the URL."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        first = reason.strip().splitlines()[0] if reason.strip() else "unknown error"
        super().__init__(f"database {url}: {first}")
