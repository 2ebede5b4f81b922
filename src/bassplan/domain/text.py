"""Text every supported database can hold: no NUL character (PostgreSQL refuses it in text
columns) and no lone surrogate (not Unicode, so neither SQLite nor PostgreSQL can encode it)."""

from __future__ import annotations


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return "contains a NUL character (\\x00), which cannot be stored"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"contains a lone surrogate at character {exc.start + 1}, which is not text"
    return None


def storable(value: str) -> str:
    """``value`` itself; ValueError naming the problem if a database cannot hold it
    (for pydantic's AfterValidator and the forms)."""
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value
