"""Scenarios: list, read, create, update (with the version read), delete, and evaluate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from bassplan.api.deps import PlannerUser, SessionsDep, ViewerUser
from bassplan.api.evaluations import evaluated
from bassplan.api.params import CodeQuery, LimitQuery, OffsetQuery, VersionQuery
from bassplan.api.regions import RegionsDep
from bassplan.api.schemas import ExplanationPublic, ScenarioCreate, ScenarioPublic, ScenarioUpdate
from bassplan.domain import limits
from bassplan.i18n.words import Lang
from bassplan.store import repository

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])


@router.get("")
def list_scenarios(
    user: ViewerUser, sessions: SessionsDep, regions: RegionsDep,
    limit: LimitQuery = limits.MAX_PAGE_ROWS, offset: OffsetQuery = 0, region: CodeQuery = None,
) -> list[ScenarioPublic]:
    """The scenarios by name (of every region, or of ``region`` only), ``limit`` of them
    (at most 500) from ``offset``: page on until fewer than ``limit`` come back."""
    region_id = None if region is None else regions.check(region)
    rows = repository.list_scenarios(sessions, limit=limit, offset=offset, region_id=region_id)
    return [ScenarioPublic.model_validate(s) for s in rows]


@router.get("/{name}")
def get_scenario(name: str, user: ViewerUser, sessions: SessionsDep) -> ScenarioPublic:
    """One scenario with its YAML and version."""
    return ScenarioPublic.model_validate(repository.get_scenario(sessions, name=name))


@router.post("", status_code=201)
def create_scenario(
    body: ScenarioCreate, user: PlannerUser, sessions: SessionsDep, regions: RegionsDep
) -> ScenarioPublic:
    """Store a new scenario of region ``region`` (default: the server's), validated against
    that region (planner or higher)."""
    region_id = regions.default if body.region is None else regions.check(body.region)
    row = repository.create_scenario(sessions, name=body.name, yaml_text=body.yaml,
                                     description=body.description,
                                     region=regions.get(region_id), region_id=region_id,
                                     actor_id=user.id)
    return ScenarioPublic.model_validate(row)


@router.put("/{name}")
def update_scenario(
    name: str, body: ScenarioUpdate, user: PlannerUser, sessions: SessionsDep,
    regions: RegionsDep,
) -> ScenarioPublic:
    """Change a scenario read at ``expected_version`` (checked against its own region); 409
    if someone changed it since."""
    region = regions.get(repository.get_scenario(sessions, name=name).region)
    row = repository.update_scenario(sessions, name=name, expected_version=body.expected_version,
                                     yaml_text=body.yaml, description=body.description,
                                     new_name=body.name, region=region, actor_id=user.id)
    return ScenarioPublic.model_validate(row)


@router.delete("/{name}", status_code=204)
def delete_scenario(
    name: str, user: PlannerUser, sessions: SessionsDep, expected_version: VersionQuery = None
) -> Response:
    """Delete a scenario (checking ``expected_version`` when given)."""
    repository.delete_scenario(sessions, name=name, expected_version=expected_version,
                               actor_id=user.id)
    return Response(status_code=204)


@router.post("/{name}/evaluate", responses={200: {
    "description": "Headline figures per specialty and every score of the scorecard",
    "content": {"application/json": {"schema": {"type": "object"}}},
}})
def evaluate_scenario(
    name: str, request: Request, user: ViewerUser, sessions: SessionsDep
) -> Response:
    """Evaluate the stored scenario on the region: headline per specialty and the scorecard
    (the same record as ``bass evaluate --format json``)."""
    row = repository.get_scenario(sessions, name=name)
    result = evaluated(request, row)
    return Response(result.record_json, media_type="application/json")


@router.get("/{name}/explain")
def explain_value(
    name: str,
    request: Request,
    user: ViewerUser,
    sessions: SessionsDep,
    indicator: Annotated[str, Query(max_length=limits.MAX_NAME_CHARS)],
    specialty: Annotated[str, Query(max_length=limits.MAX_NAME_CHARS)],
    site: CodeQuery = None,
    lang: Lang = "en",
) -> ExplanationPublic:
    """How one scorecard value of the stored scenario was computed, step by step, in
    ``lang`` (da or en)."""
    from bassplan.scorecard.explain import explain

    row = repository.get_scenario(sessions, name=name)
    result = evaluated(request, row)
    found = explain(result.evaluation, request.app.state.indicators, indicator, specialty, site)
    return ExplanationPublic.of(found, lang)
