"""Which stored scenario and specialty a page shows: the one asked for, else the first."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.evaluations import Evaluated, EvaluationKey, evaluated, evaluation_key
from bassplan.api.regions import chosen_region_id
from bassplan.store import repository
from bassplan.store.errors import NotFound
from bassplan.store.models import Scenario


@dataclass(frozen=True)
class Chosen:
    """Every scenario's name (of the chosen region), and the chosen one evaluated (None
    when the region has none stored)."""

    names: tuple[str, ...]
    name: str | None
    result: Evaluated | None
    key: EvaluationKey | None = None


def choose_scenario(
    request: Request, sessions: sessionmaker[Session], wanted: str | None
) -> Chosen:
    """The chosen region's scenario named ``wanted`` (404 if unknown or of another region),
    else its first one stored, evaluated."""
    region_id = chosen_region_id(request)
    rows = repository.list_scenarios(sessions, region_id=region_id)
    names = tuple(r.name for r in rows)
    if not rows:
        return Chosen(names, None, None)
    first = min(rows, key=lambda r: r.id)  # e.g. the baseline, stored first
    row: Scenario = repository.get_scenario(sessions, name=wanted) if wanted else first
    if row.region != region_id:
        raise NotFound("scenario", row.name)
    key = evaluation_key(request, row)
    return Chosen(names, row.name, evaluated(request, row), key)


def choose(known: tuple[str, ...], wanted: str | None) -> str:
    """``wanted`` if it is one of ``known``, else the first."""
    return wanted if wanted in known else known[0]
