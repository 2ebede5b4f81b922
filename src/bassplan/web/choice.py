"""Which stored scenario and specialty a page shows: the one asked for, else the first."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.evaluations import Evaluated, evaluated, region_revision
from bassplan.store import repository
from bassplan.store.models import Scenario


@dataclass(frozen=True)
class Chosen:
    """Every scenario's name, and the chosen one evaluated (None when none are stored)."""

    names: tuple[str, ...]
    name: str | None
    result: Evaluated | None
    key: tuple[str, int, int] | None = None  # (name, version, region revision)


def choose_scenario(
    request: Request, sessions: sessionmaker[Session], wanted: str | None
) -> Chosen:
    """The scenario named ``wanted`` (404 if unknown), else the first one stored, evaluated."""
    rows = repository.list_scenarios(sessions)
    names = tuple(r.name for r in rows)
    if not rows:
        return Chosen(names, None, None)
    first = min(rows, key=lambda r: r.id)  # e.g. the baseline, stored first
    row: Scenario = repository.get_scenario(sessions, name=wanted) if wanted else first
    key = (row.name, row.version, region_revision(request))
    return Chosen(names, row.name, evaluated(request, row.name, row.version, row.yaml), key)


def choose(known: tuple[str, ...], wanted: str | None) -> str:
    """``wanted`` if it is one of ``known``, else the first."""
    return wanted if wanted in known else known[0]
