"""Evaluate one scenario on one region: demand → travel → allocation → transport,
workload, access and on-call, composed into an ``Evaluation``. Pure: reads no files."""

from __future__ import annotations

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.parameters import WORKING_DAYS_PER_WEEK
from bassplan.domain.region import Region
from bassplan.domain.results import Allocation, Evaluation, ServicePlan
from bassplan.domain.scenario import Scenario
from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.model.access import assess_access
from bassplan.model.allocate import admitting_sites, allocate, mean_over_seen, plan_services
from bassplan.model.capacity import serve_within_capacity
from bassplan.model.demand import demand, local_demand
from bassplan.model.oncall import assess_on_call
from bassplan.model.pooling import organisation_of_sites
from bassplan.model.population import project_population
from bassplan.model.transport import assess_transport
from bassplan.model.travel import site_to_site, travel_matrix
from bassplan.model.workload import assess_workload


def area_minutes(allocation: Allocation, minutes: FloatArray) -> FloatArray:
    """(S, A) travel minutes from each area to where its in-person visits are seen: the
    mean over the sites that see them (its own service point if none has room)."""
    return mean_over_seen(allocation, minutes)


def supply_fte(plan: ServicePlan) -> FloatArray:
    """(S, J) specialist FTE offered at each site for 2SFCA: the team at a strength position,
    and outreach days / 5 FTE at an outreach site, taken from its serving team."""
    supply = np.where(plan.strength_position, plan.team.specialist_fte, 0.0)
    n_specialties, n_sites = supply.shape
    moved = plan.outreach_days_per_week / WORKING_DAYS_PER_WEEK
    teams = np.where(plan.serving_team >= 0, plan.serving_team, np.arange(n_sites)[None, :])
    flat = (np.arange(n_specialties)[:, None] * n_sites + teams).ravel()
    taken = np.bincount(flat, weights=moved.ravel(), minlength=supply.size)
    result: FloatArray = np.maximum(supply + moved - taken.reshape(supply.shape), 0.0)
    return result


def uses_region_matrix(region: Region, scenario: Scenario) -> bool:
    """Whether the region's travel matrix replaces the great-circle model: always for model
    'matrix'; otherwise unless the scenario asks for the model by name or by its settings."""
    travel = scenario.travel
    if travel.model == "matrix":
        if region.travel_minutes is None or region.travel_km is None:
            raise InputError(
                "scenario", "travel", "matrix", "model 'matrix' but the region has no travel matrix"
            )
        return True
    asked_for_model = "model" in travel.model_fields_set
    return not (asked_for_model or travel.detour_factor is not None or travel.speed_kmh is not None)


def evaluate(region: Region, scenario: Scenario) -> Evaluation:
    """Evaluate ``scenario`` on ``region`` for the scenario's year; the scenario has been
    checked against the region where it came in (``domain.scenario.check_against_region``)."""
    population = project_population(region.population, scenario.year)
    residents_by_age = population.residents
    minutes, km, site_minutes, site_km = scenario_travel(region, scenario)
    contacts, admitted_at = scenario_demand(region, residents_by_age, minutes)
    plan = plan_services(region, scenario, site_minutes)
    allocation = serve_within_capacity(
        region, plan, allocate(region, plan, contacts, minutes, admitted_at), minutes,
        site_minutes, site_km, organisation_of_sites(region, scenario))
    transport = assess_transport(
        region, plan, allocation, contacts, minutes, km, site_minutes, site_km, scenario.year
    )
    residents = residents_by_age.sum(axis=1)
    access = assess_access(
        area_minutes(allocation, minutes),
        residents,
        supply_fte(plan),
        minutes,
        region.parameters.fca_catchment_minutes,
    )
    return Evaluation(
        scenario_name=scenario.name,
        year=scenario.year,
        region=region,
        residents=residents,
        demand=contacts,
        travel_minutes=minutes,
        travel_km=km,
        plan=plan,
        allocation=allocation,
        workload=assess_workload(region, plan, allocation, transport.staff_hours),
        access=access,
        transport=transport,
        on_call=assess_on_call(region, plan),
        population=population,
    )


def scenario_demand(
    region: Region, residents_by_age: FloatArray, minutes: FloatArray
) -> tuple[FloatArray, IntArray]:
    """Contacts per year (A, S, C) — rates × residents, local morbidity, bed days from the
    admitting site's length of stay — and that admitting site per area (A,)."""
    admitted_at = admitting_sites(region, minutes)
    days = region.days_per_admission[:, admitted_at].T  # (A, S)
    return local_demand(demand(residents_by_age, region.rates), region.morbidity, days), admitted_at


def scenario_travel(
    region: Region, scenario: Scenario
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(minutes, km) area → site and (minutes, km) site → site, exactly as ``evaluate``."""
    minutes, km = travel_matrix(
        region,
        detour_factor=scenario.travel.detour_factor,
        speed_kmh=scenario.travel.speed_kmh,
        use_region_matrix=uses_region_matrix(region, scenario),
    )
    site_minutes, site_km = site_to_site(region, minutes, km)
    return minutes, km, site_minutes, site_km
