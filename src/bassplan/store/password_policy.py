"""The password rule for new passwords: at least 12 characters, at least 5 different ones,
not containing the username, and not a common password — neither one of the lists shipped in
``store/data`` (see its SOURCES.md) nor such a word with digits and symbols around it
(``Sommer2024!``). Each refusal is one PasswordRefused naming the rule that failed.

Why 12: NIST SP 800-63B asks for at least 8 characters with a blocklist; twelve leaves room
above that for passwords typed in a hospital, where an account reads patient-flow plans, and
equals the first admin's generated password (16 characters) comfortably."""

from __future__ import annotations

import gzip
import re
from functools import cache
from importlib.resources import files

from bassplan.domain.errors import InputError

MIN_LENGTH = 12  # characters
MAX_LENGTH = 1000  # characters (Argon2 pre-hashes any length; this bounds the request)
MIN_DISTINCT = 5  # different characters
MIN_USERNAME_IN = 3  # usernames shorter than this are not looked for inside the password
RULE_NUMBERS = {"n": MIN_LENGTH, "max": MAX_LENGTH, "distinct": MIN_DISTINCT}  # for messages
LISTS = ("common_passwords.txt.gz", "common_passwords_da.txt")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # leading and trailing digits and symbols


class PasswordRefused(InputError):  # noqa: N818 (an InputError by another name)
    """A new password breaks the password rule; ``key`` names the rule (a label key)."""

    def __init__(self, username: str, key: str, rule: str) -> None:
        self.key = key
        super().__init__("user", username, "password", rule)


def _read(name: str) -> list[str]:
    raw = files("bassplan.store").joinpath("data", name).read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if name.endswith(".gz") else raw.decode("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def base_word(password: str) -> str:
    """The password in lower case without leading and trailing digits and symbols."""
    return _EDGES.sub("", password.casefold())


@cache
def common_passwords() -> frozenset[str]:
    """Every listed password, lower case, and the base word of each (read once)."""
    words = {w.casefold() for name in LISTS for w in _read(name)}
    return frozenset(words | {b for b in map(base_word, words) if b})


def check_password(password: str, username: str) -> None:
    """Raise PasswordRefused (one line naming the rule) unless ``password`` keeps the rule."""
    if len(password) < MIN_LENGTH:
        raise PasswordRefused(username, "password_short",
                              f"must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordRefused(username, "password_long",
                              f"must have at most {MAX_LENGTH} characters")
    if len(set(password)) < MIN_DISTINCT:
        raise PasswordRefused(username, "password_repetitive",
                              f"must use at least {MIN_DISTINCT} different characters")
    if len(username) >= MIN_USERNAME_IN and username.casefold() in password.casefold():
        raise PasswordRefused(username, "password_has_username",
                              "must not contain the username")
    listed = common_passwords()
    if password.casefold() in listed or base_word(password) in listed:
        raise PasswordRefused(username, "password_common",
                              "is a commonly used password (or one with digits or symbols "
                              "added); choose a longer phrase of your own")
