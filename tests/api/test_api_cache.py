"""The LRU behind the evaluation and page-part caches: least recently used goes first, and
concurrent misses of one key compute it once."""

from __future__ import annotations

import threading
import time

from bassplan.api.evaluations import LruCache


def test_least_recently_used_is_evicted() -> None:
    cache: LruCache[str, int] = LruCache(2)
    calls: list[str] = []

    def value(key: str) -> int:
        calls.append(key)
        return len(calls)

    assert cache.get("a", lambda: value("a")) == 1
    assert cache.get("b", lambda: value("b")) == 2
    assert cache.get("a", lambda: value("a")) == 1  # a is now the most recent
    assert cache.get("c", lambda: value("c")) == 3  # evicts b
    assert cache.get("a", lambda: value("a")) == 1
    assert cache.get("b", lambda: value("b")) == 4  # b was gone
    assert calls == ["a", "b", "c", "b"]


def test_concurrent_misses_compute_once() -> None:
    cache: LruCache[str, int] = LruCache(4)
    computed = []
    gate = threading.Barrier(8)

    def slow() -> int:
        computed.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive while it runs
        return 42

    results: list[int] = []

    def reader() -> None:
        gate.wait()
        results.append(cache.get("k", slow))

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8
    assert len(computed) == 1
