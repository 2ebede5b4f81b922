"""The rule for names a user gives (scenarios): names appear in page addresses and API paths,
so every accepted name can be opened, changed and deleted again."""

from __future__ import annotations

import re

from bassplan.domain import limits

# Path segments that are pages, not scenarios: /scenarier/nyt, /scenarier/sammenlign, …
RESERVED_NAMES = frozenset({"nyt", "sammenlign", "new", "compare", "koersler", "jobs"})
_ALLOWED = re.compile(r"[\w][\w .,()+'&-]*")  # \w: letters of any alphabet, digits, underscore
_RULE = ("letters, digits, spaces and - _ . , ( ) + ' & only, starting with a letter or "
         "a digit and not ending in a space")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a scenario name, or None when it can."""
    if not name:
        return "a name is required"
    if len(name) > limits.MAX_NAME_CHARS:
        return f"at most {limits.MAX_NAME_CHARS} characters (got {len(name)})"
    if not _ALLOWED.fullmatch(name) or name.endswith(" "):
        return _RULE
    if "  " in name:
        return "no double spaces"
    if name.casefold() in RESERVED_NAMES:
        return f"'{name}' is the name of a page; choose another"
    return None
