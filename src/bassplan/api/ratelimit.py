"""Failed-login limiting in this process, in one sliding window: at most so many failures
per account (whatever the address), so many per client address (whatever the account), and
so many distinct account names failed from one address; and the client address itself,
read from ``X-Forwarded-For`` only when the connection comes from a configured proxy."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_KEYS = 100_000  # tracked accounts and addresses before the oldest are forgotten


@dataclass(frozen=True)
class LoginLimits:
    """Failures allowed within ``window_seconds``: per account, per address, and distinct
    account names per address."""

    per_account: int
    per_address: int
    names_per_address: int
    window_seconds: float


def parse_networks(entries: Iterable[str]) -> tuple[IpNetwork, ...]:
    """Addresses or CIDR networks (``10.0.0.5``, ``10.0.0.0/24``, ``::1``); ValueError
    naming the first entry that is neither."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"'{entry}' is not an IP address or network") from None
    return tuple(networks)


def _trusted(address: str, proxies: tuple[IpNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(peer: str, forwarded_for: list[str], proxies: tuple[IpNetwork, ...]) -> str:
    """The client's address: the connection's ``peer`` — unless the peer is a trusted
    proxy, then the right-most ``X-Forwarded-For`` hop that is not a trusted proxy (each
    proxy appends the address it saw, so only hops added by trusted proxies are believed).
    A malformed hop stops the walk at the last trusted hop."""
    if not _trusted(peer, proxies):
        return peer
    hops = [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]
    current = peer
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return current
        current = hop
        if not _trusted(hop, proxies):
            return hop
    return current


class LoginLimiter:
    """Counts failed logins per account and per address, and the names failed from each
    address, in a sliding window, in this process (thread-safe)."""

    def __init__(self, limits: LoginLimits, clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._names: dict[str, dict[str, float]] = {}  # address → account → last failure
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and now - times[0] >= self.limits.window_seconds:
            times.popleft()
        return times

    def _names_of(self, address: str, now: float) -> dict[str, float]:
        names = self._names.get(address, {})
        for name in [n for n, t in names.items() if now - t >= self.limits.window_seconds]:
            del names[name]
        return names

    def retry_after(self, account: str, address: str) -> float | None:
        """Seconds until this account may be tried again from this address, or None if now."""
        account = account.casefold()
        window = self.limits.window_seconds
        with self._lock:
            now = self.clock()
            waits = []
            for key, limit in ((("account", account), self.limits.per_account),
                               (("address", address), self.limits.per_address)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(window - (now - times[-limit]))
            names = self._names_of(address, now)
            if account not in names and len(names) >= self.limits.names_per_address:
                waits.append(window - (now - min(names.values())))
            return max(waits) if waits else None

    def fail(self, account: str, address: str) -> None:
        """Record one failed login of this account from this address."""
        account = account.casefold()
        with self._lock:
            now = self.clock()
            if len(self._failures) + 2 > MAX_KEYS or len(self._names) + 1 > MAX_KEYS:
                self._forget_stale(now)  # room for the two keys and one address added below
            for key in (("account", account), ("address", address)):
                self._failures[key] = self._recent(key, now)
                self._failures[key].append(now)
            self._names[address] = self._names_of(address, now)
            self._names[address][account] = now

    def succeed(self, account: str) -> None:
        """Forget the account's failures after it logged in (the address's stay)."""
        with self._lock:
            self._failures.pop(("account", account.casefold()), None)

    def _forget_stale(self, now: float) -> None:
        """Drop keys with no failure in the window; if still too many, the oldest half."""
        for key in list(self._failures):
            if not self._recent(key, now):
                del self._failures[key]
        for address in list(self._names):
            if not self._names_of(address, now):
                del self._names[address]
        if len(self._failures) + 2 > MAX_KEYS:
            by_age = sorted(self._failures, key=lambda k: self._failures[k][-1])
            for key in by_age[: len(by_age) // 2]:
                del self._failures[key]
        if len(self._names) + 1 > MAX_KEYS:
            by_age_n = sorted(self._names, key=lambda a: max(self._names[a].values()))
            for address in by_age_n[: len(by_age_n) // 2]:
                del self._names[address]
