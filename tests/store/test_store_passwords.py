"""Password hashing holds at most MAX_CONCURRENT_PASSWORD_HASHES Argon2 runs at once."""

from __future__ import annotations

import threading

import pytest

from bassplan.domain.limits import MAX_CONCURRENT_PASSWORD_HASHES
from bassplan.store import passwords


class _CountingHasher:
    """Stands in for Argon2: records how many hashes run at the same time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0

    def _work(self) -> None:
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        threading.Event().wait(0.05)  # overlap the threads; not a timing assertion
        with self.lock:
            self.active -= 1

    def hash(self, password: str) -> str:
        self._work()
        return "$argon2id$fake"

    def verify(self, stored: str, password: str) -> bool:
        self._work()
        return True


def test_a_burst_of_logins_runs_at_most_the_bound_of_hashes_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = _CountingHasher()
    monkeypatch.setattr(passwords, "_HASHER", fake)
    calls = [lambda: passwords.hash_password("x" * 12),
             lambda: passwords.verify_password("x" * 12, "$argon2id$stored")] * 10
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.active == 0
    assert fake.peak == MAX_CONCURRENT_PASSWORD_HASHES  # reached, never exceeded
