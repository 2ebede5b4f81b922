"""Scenarios: list, read, create, update (with the version read), delete, and evaluate."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Response

from bassplan.api.deps import (
    IndicatorsDep,
    PlannerUser,
    RegionDep,
    SessionsDep,
    ViewerUser,
)
from bassplan.api.schemas import ScenarioCreate, ScenarioPublic, ScenarioUpdate
from bassplan.store import repository

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])


@router.get("")
def list_scenarios(user: ViewerUser, sessions: SessionsDep) -> list[ScenarioPublic]:
    """Every scenario, by name."""
    return [ScenarioPublic.model_validate(s) for s in repository.list_scenarios(sessions)]


@router.get("/{name}")
def get_scenario(name: str, user: ViewerUser, sessions: SessionsDep) -> ScenarioPublic:
    """One scenario with its YAML and version."""
    return ScenarioPublic.model_validate(repository.get_scenario(sessions, name=name))


@router.post("", status_code=201)
def create_scenario(
    body: ScenarioCreate, user: PlannerUser, sessions: SessionsDep, region: RegionDep
) -> ScenarioPublic:
    """Store a new scenario, validated against the region (planner or higher)."""
    row = repository.create_scenario(sessions, name=body.name, yaml_text=body.yaml,
                                     description=body.description, region=region,
                                     actor_id=user.id)
    return ScenarioPublic.model_validate(row)


@router.put("/{name}")
def update_scenario(
    name: str, body: ScenarioUpdate, user: PlannerUser, sessions: SessionsDep, region: RegionDep
) -> ScenarioPublic:
    """Change a scenario read at ``expected_version``; 409 if someone changed it since."""
    row = repository.update_scenario(sessions, name=name, expected_version=body.expected_version,
                                     yaml_text=body.yaml, description=body.description,
                                     new_name=body.name, region=region, actor_id=user.id)
    return ScenarioPublic.model_validate(row)


@router.delete("/{name}", status_code=204)
def delete_scenario(
    name: str, user: PlannerUser, sessions: SessionsDep, expected_version: int | None = None
) -> Response:
    """Delete a scenario (checking ``expected_version`` when given)."""
    repository.delete_scenario(sessions, name=name, expected_version=expected_version,
                               actor_id=user.id)
    return Response(status_code=204)


def _finite(value: Any) -> Any:
    """The value with every nan or infinite float replaced by None (valid JSON)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


@router.post("/{name}/evaluate")
def evaluate_scenario(
    name: str,
    user: ViewerUser,
    sessions: SessionsDep,
    region: RegionDep,
    indicators: IndicatorsDep,
) -> dict[str, Any]:
    """Evaluate the stored scenario on the region: headline per specialty and the scorecard."""
    from bassplan.evaluate import evaluate
    from bassplan.scorecard import score
    from bassplan.summary import evaluation_record

    row = repository.get_scenario(sessions, name=name)
    scenario = repository.validate_scenario_yaml(row.yaml, source=f"scenario '{name}'",
                                                 region=region)
    evaluation = evaluate(region, scenario)
    record: dict[str, Any] = _finite(evaluation_record(evaluation, score(evaluation, indicators)))
    return record
