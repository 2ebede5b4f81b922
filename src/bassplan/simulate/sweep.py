"""Scenario sweeps: vary scenario keys over a grid of values (e.g. the digital share and the
need-based share), simulate every grid point with the same seeds, and tabulate the bands."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.domain.scenario import Scenario, check_against_region

SOURCE = "--vary"


@dataclass(frozen=True)
class Vary:
    """One scenario key path (dots, e.g. 'digital_share.default.follow_up') and its values."""

    key: str
    values: tuple[float | str, ...]


def parse_vary(text: str) -> Vary:
    """Parse 'KEY=V1,V2,…' (numbers where they parse as numbers)."""
    key, sep, values = text.partition("=")
    if not sep or not key.strip() or not values.strip():
        raise InputError(SOURCE, text, "KEY=V1,V2", "write it as KEY=V1,V2,… (e.g. "
                         "digital_share.default.follow_up=0,0.2,0.4)")
    parsed: list[float | str] = []
    for raw in values.split(","):
        item = raw.strip()
        try:
            parsed.append(float(item))
        except ValueError:
            parsed.append(item)
    return Vary(key.strip(), tuple(parsed))


def with_value(scenario: Scenario, key: str, value: float | str) -> Scenario:
    """The scenario with the value at a dotted key path set (missing mappings created)."""
    data: dict[str, Any] = scenario.model_dump(mode="json")
    parts = key.split(".")
    node: Any = data
    for part in parts[:-1]:
        if isinstance(node, list):
            raise InputError(SOURCE, key, part, "a list cannot be varied by key")
        node = node.setdefault(part, {})
        if node is None:
            raise InputError(SOURCE, key, part, "is not set in the scenario; set it first")
    if not isinstance(node, dict):
        raise InputError(SOURCE, key, parts[-1], "is not a mapping key of the scenario")
    node[parts[-1]] = value
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(SOURCE, key, where or key, f"{value!r}: {first['msg']}") from None


GridPoint = tuple[dict[str, float | str], Scenario]


def grid(
    scenario: Scenario, varies: Sequence[Vary], region: Region | None = None
) -> list[GridPoint]:
    """Every combination of the varied values, each with its scenario (named after it),
    checked against ``region`` when given."""
    points = []
    for combo in itertools.product(*(v.values for v in varies)):
        chosen = {v.key: value for v, value in zip(varies, combo, strict=True)}
        variant = scenario
        for key, value in chosen.items():
            variant = with_value(variant, key, value)
        if region is not None:
            check_against_region(variant, region, SOURCE)
        label = ", ".join(f"{k.split('.')[-1]}={v}" for k, v in chosen.items())
        points.append((chosen, variant.model_copy(update={"name": f"{scenario.name} [{label}]"})))
    return points
