"""Small random regions for the optimiser's tests, built like tests/toy.py: a chosen travel
matrix, a few single ages, random rates, staffing and workload minutes."""

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
from tests.support.toy import toy_parameters

SPECIALTY_IDS = ("kardiologi", "lungemedicin")


def random_region(seed: int, n_specialties: int = 1, n_areas: int = 6,
                  scale: float = 1.0, n_sites: int = 4) -> Region:
    """Areas A0.., sites s0.. (s0–s2 acute), organisations o1 (the first half of the
    sites) and o2 (the rest): with 4 sites o1 = {s0, s1}, o2 = {s2, s3};
    minutes uniform 5–90 (km = 1.2 × minutes); pools of 3–9 FTE per organisation;
    50–500 residents per area and age, times ``scale``."""
    rng = np.random.default_rng(seed)
    half = n_sites // 2
    areas = tuple(Area(f"A{a}", f"Område {a}", 55.0, 11.0 + 0.1 * a) for a in range(n_areas))
    home = rng.choice(n_areas, size=n_sites, replace=False)
    sites = tuple(
        Site(f"s{j}", f"Sygehus {j}", f"A{home[j]}", 55.0, 11.0, j < 3,
             "o1" if j < half else "o2")
        for j in range(n_sites)
    )
    organisations = (Organisation("o1", "Org 1", tuple(s.id for s in sites[:half])),
                     Organisation("o2", "Org 2", tuple(s.id for s in sites[half:])))
    specialties = tuple(
        Specialty(SPECIALTY_IDS[s], SPECIALTY_IDS[s].title(), SPECIALTY_IDS[s], 3.0)
        for s in range(n_specialties)
    )
    population = Population(
        base_year=2021,
        ages=np.array([0, 1, 2], dtype=np.int64),
        residents=rng.uniform(50.0, 500.0, size=(n_areas, 3)).round() * scale,
    )
    drawn = rng.uniform(0.0, 1.0, size=(n_specialties, 5, 3)) * np.array(
        [50.0, 0.0, 60.0, 200.0, 20.0])[None, :, None]  # bed days come from the stays below
    per_1000 = np.concatenate([drawn, np.zeros((n_specialties, 1, 3))], axis=1)  # no dialysis
    rates = DemandRates(per_1000=per_1000, illustrative=np.zeros((n_specialties, 6), dtype=bool))
    specialists = np.zeros((n_specialties, n_sites))
    specialists[:, :3] = rng.uniform(1.5, 4.5, size=(n_specialties, 3)).round(1)
    staffing = Staffing(
        specialist_fte=specialists,
        trainee_fte=specialists * 0.4,
        vacant_fte=specialists * 0.1,
        on_call_specialists=np.ceil(specialists),
    )
    workload = WorkloadStandards(
        minutes=np.pad(rng.uniform(15.0, 60.0, size=(n_specialties, 5)).round(), ((0, 0), (0, 1))),
        illustrative=np.ones((n_specialties, 6), dtype=bool),
    )
    minutes = rng.uniform(5.0, 90.0, size=(n_areas, n_sites)).round()
    minutes[home, np.arange(n_sites)] = rng.uniform(3.0, 10.0, size=n_sites).round()
    parameters = toy_parameters()
    return Region(
        name=f"Random region {seed}",
        areas=areas,
        sites=sites,
        organisations=organisations,
        specialties=specialties,
        population=population,
        rates=rates,
        staffing=staffing,
        workload=workload,
        parameters=parameters,
        days_per_admission=np.full((n_specialties, n_sites), 5.0),
        travel_minutes=minutes,
        travel_km=minutes * 1.2,
    )
