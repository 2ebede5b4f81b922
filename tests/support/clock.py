"""A clock the tests move by hand, for the session time-outs and token expiry (the app reads
app.state.clock; an aware UTC moment)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday morning, 09:00 in Copenhagen


class FakeClock:
    """Returns ``now``; ``advance`` moves it forward."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock by ``timedelta(**delta)`` and return the new time."""
        self.now += timedelta(**delta)
        return self.now
