"""Scenarios for the toy region and random small regions, shared by the model tests."""

from __future__ import annotations

import numpy as np

from bassplan.domain.region import (
    Area,
    DemandRates,
    Organisation,
    Population,
    Region,
    Site,
    Specialty,
    Staffing,
    WorkloadStandards,
)
from bassplan.domain.scenario import NeedBasedFollowUp, OutreachClinic, Scenario
from bassplan.domain.vocabulary import ContactType
from tests.support.toy import toy_region

# contact types: admission, bed_day, first_visit, follow_up, consult
ADM, BED, FV, FU, CON, DIAL = 0, 1, 2, 3, 4, 5


def baseline(**fields: object) -> Scenario:
    """The baseline: no levers, every active acute site a strength position."""
    values: dict[str, object] = {"name": "baseline", "year": 2021, **fields}
    return Scenario.model_validate(values)


def lever_scenario(**fields: object) -> Scenario:
    """Toy levers: strength position s0 only, an outreach clinic at s1 one day a week,
    digital follow-ups (specialty 0.2 over default 0.5) and consults (default 0.5),
    PRO follow-up for half the follow-up patients with 40 % triggering a visit; s1's
    admissions taken by general internal medicine with the specialty's consults."""
    values: dict[str, object] = {
        "name": "levers",
        "year": 2021,
        "strength_positions": {"kardiologi": ["s0"]},
        "outreach": {"kardiologi": [OutreachClinic(site="s1", days_per_week=1.0)]},
        "digital_share": {
            "default": {ContactType.FOLLOW_UP: 0.5, ContactType.CONSULT: 0.5},
            "kardiologi": {ContactType.FOLLOW_UP: 0.2},
        },
        "need_based_follow_up": {"kardiologi": NeedBasedFollowUp(pro_share=0.5, trigger_rate=0.4)},
        "consult_reach_minutes": 120.0,  # s0's team visits s1 (70 min away) in person
        "inpatient_cover": {"default": "consults"},
    }
    values.update(fields)
    return Scenario.model_validate(values)


def random_region(seed: int, n_areas: int = 7, n_sites: int = 5, n_specialties: int = 2) -> Region:
    """A small random region: integer minutes (so ties happen), random roles and staff."""
    rng = np.random.default_rng(seed)
    n_ages = 3
    areas = tuple(Area(f"A{a}", f"Area {a}", 55.0, 11.0) for a in range(n_areas))
    acute = rng.random(n_sites) < 0.6
    active = rng.random(n_sites) < 0.85
    acute[0] = active[0] = True
    org = rng.integers(0, 2, n_sites)
    sites = tuple(
        Site(
            f"s{j}",
            f"Site {j}",
            f"A{rng.integers(0, n_areas)}",
            55.0,
            11.0,
            bool(acute[j]),
            f"org{org[j]}",
            active=bool(active[j]),
        )
        for j in range(n_sites)
    )
    organisations = tuple(
        Organisation(
            f"org{k}", f"Org {k}", tuple(s.id for s in sites if s.organisation_id == f"org{k}")
        )
        for k in range(2)
    )
    specialties = tuple(Specialty(f"sp{s}", f"sp{s}", f"sp{s}", 3.0) for s in range(n_specialties))
    population = Population(
        2021,
        np.arange(n_ages, dtype=np.int64),
        rng.integers(0, 500, (n_areas, n_ages)).astype(np.float64),
    )
    per_1000 = rng.integers(0, 200, (n_specialties, 6, n_ages)).astype(np.float64)
    per_1000[:, 1] = 0.0  # bed days come from the days per admission
    rates = DemandRates(per_1000, np.zeros((n_specialties, 6), dtype=bool))
    stations = np.where(rng.random(n_sites) < 0.4, rng.integers(5, 30, n_sites), 0.0)
    stations[int(rng.integers(0, n_sites))] = 10.0  # at least one dialysis unit
    shape = (n_specialties, n_sites)
    staffing = Staffing(
        specialist_fte=rng.integers(0, 4, shape).astype(np.float64),
        trainee_fte=rng.integers(0, 3, shape).astype(np.float64),
        vacant_fte=rng.integers(0, 2, shape).astype(np.float64),
        on_call_specialists=rng.integers(0, 4, shape).astype(np.float64),
    )
    minutes = rng.integers(1, 12, (n_areas, n_sites)) * 5.0
    return toy_region(
        areas=areas,
        sites=sites,
        organisations=organisations,
        specialties=specialties,
        population=population,
        rates=rates,
        staffing=staffing,
        workload=WorkloadStandards(
            np.full((n_specialties, 6), 30.0), np.ones((n_specialties, 6), dtype=bool)
        ),
        days_per_admission=rng.integers(1, 8, (n_specialties, n_sites)).astype(np.float64),
        dialysis_stations=stations.astype(np.float64),
        travel_minutes=minutes,
        travel_km=minutes * 1.2,
    )


def random_scenario(region: Region, seed: int) -> Scenario:
    """Random strength positions (active sites), outreach days, shares, PRO follow-up and
    inpatient cover."""
    rng = np.random.default_rng(seed + 1)
    active = [s.id for s in region.sites if s.active]
    strength: dict[str, list[str]] = {}
    outreach: dict[str, list[OutreachClinic]] = {}
    digital: dict[str, dict[ContactType, float]] = {
        "default": {ContactType.FOLLOW_UP: 0.3, ContactType.CONSULT: 0.4}
    }
    follow: dict[str, NeedBasedFollowUp] = {}
    cover: dict[str, str] = {}
    for spec in region.specialties:
        cover[spec.id] = ("rotation", "consults", "none")[int(rng.integers(0, 3))]
        if rng.random() < 0.7:
            k = int(rng.integers(1, len(active) + 1))
            strength[spec.id] = [str(x) for x in rng.choice(active, k, replace=False)]
        clinics = rng.choice([s.id for s in region.sites], int(rng.integers(0, 3)), replace=False)
        outreach[spec.id] = [
            OutreachClinic(site=str(site), days_per_week=float(rng.integers(1, 4)))
            for site in clinics
        ]
        if rng.random() < 0.5:
            digital[spec.id] = {ContactType.FIRST_VISIT: float(rng.random())}
        if rng.random() < 0.6:
            follow[spec.id] = NeedBasedFollowUp(
                pro_share=float(rng.random()), trigger_rate=float(rng.random())
            )
    return Scenario(
        name="random",
        year=2021,
        strength_positions=strength,
        outreach=outreach,
        digital_share=digital,
        need_based_follow_up=follow,
        pool_staff=("organisation", "region", "none")[int(rng.integers(0, 3))],
        inpatient_cover=cover,
    )


