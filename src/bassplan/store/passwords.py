"""Password hashing with Argon2id (argon2-cffi, its default parameters, PHC string format:
``$argon2id$v=19$m=…,t=…,p=…$salt$hash``). Hashes from the first development store
(``scrypt$n$r$p$salt$key``) are still verified, so no stored login breaks.

Each Argon2id hash holds 64 MiB while it runs, so at most
``MAX_CONCURRENT_PASSWORD_HASHES`` run at once; the other logins wait their turn, and a
burst of simultaneous logins cannot take the server's memory."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bassplan.domain.limits import MAX_CONCURRENT_PASSWORD_HASHES

_HASHER = PasswordHasher()
_SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT_PASSWORD_HASHES)
LEGACY_SCHEME = "scrypt"


def hash_password(password: str) -> str:
    """Hash a password with Argon2id and a fresh random salt."""
    with _SLOTS:
        return _HASHER.hash(password)


def needs_rehash(stored: str) -> bool:
    """True if the stored hash is not Argon2id with today's parameters."""
    if not stored.startswith("$argon2"):
        return True
    return _HASHER.check_needs_rehash(stored)


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches the stored hash; False for a wrong or malformed hash."""
    if stored.startswith("$argon2"):
        try:
            with _SLOTS:
                return _HASHER.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    return _verify_legacy(password, stored)


def _verify_legacy(password: str, stored: str) -> bool:
    """Check a ``scrypt$n$r$p$salt$key`` hash (URL-safe base64 without padding)."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != LEGACY_SCHEME:
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, key = (base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)) for x in parts[4:6])
        derived = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                                 dklen=len(key), maxmem=2**26)
    except ValueError:
        return False
    return hmac.compare_digest(derived, key)
