"""Failed-login limiting: at most N failures per key (username + client IP) in 60 seconds."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0


class LoginLimiter:
    """Counts failed logins per key in a sliding one-minute window, in this process."""

    def __init__(self, attempts_per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.attempts = attempts_per_minute
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        return times

    def retry_after(self, key: str) -> float | None:
        """Seconds until the key may try again, or None if it may try now."""
        with self._lock:
            now = self.clock()
            times = self._recent(key, now)
            if len(times) < self.attempts:
                return None
            return WINDOW_SECONDS - (now - times[0])

    def fail(self, key: str) -> None:
        """Record one failed login for the key."""
        with self._lock:
            now = self.clock()
            self._recent(key, now).append(now)

    def clear(self, key: str) -> None:
        """Forget the key's failures (after a successful login)."""
        with self._lock:
            self._failures.pop(key, None)
