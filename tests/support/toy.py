"""A hand-sized region (3 areas, 2 sites, 1 specialty) whose numbers tests compute by hand.

Travel is a user matrix so that every minute and km is chosen, not derived:
area 0 lies next to site 0, area 2 next to site 1, area 1 in between (closer to site 0).
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.demography import PathKind, PopulationPath, ProjectedPopulation
from bassplan.domain.parameters import Parameter, Parameters
from bassplan.domain.region import (
    Area,
    DemandRates,
    Organisation,
    Population,
    Provenance,
    Region,
    Site,
    Specialty,
    Staffing,
    WorkloadStandards,
)
from bassplan.domain.results import OutpatientSplit, TripTotals

TOY_PARAMETERS: dict[str, float] = {
    "hours_per_week": 37.0,
    "weeks_per_year": 52.0,
    "holiday_weeks": 6.0,
    "public_holiday_days": 10.0,
    "sick_leave_days": 5.0,
    "cpd_days": 5.0,
    "category_allowance": 0.2,
    "trainee_productivity": 0.5,
    "digital_minutes_factor": 0.5,
    "pro_minutes_per_answer": 5.0,
    "outreach_visits_per_day": 10.0,
    "consults_per_visit": 5.0,
    "clinic_weeks_per_year": 40.0,
    "road_speed_kmh": 60.0,
    "detour_factor": 1.0,
    "co2_g_per_km": 100.0,
    "cost_per_fte_dkk": 1_000_000.0,
    "cost_per_km_dkk": 2.0,
    "fca_catchment_minutes": 45.0,
    "reimbursement_threshold_km": 50.0,
    "reimbursement_dkk_per_km": 2.0,
    "pensioner_share": 0.5,
    "pensioner_minimum_dkk": 1000.0,
    "flexpatient_dkk_per_trip": 300.0,
    "dialysis_flexpatient_share": 0.8,
}


TOY_DAYS_PER_ADMISSION = 5.0  # at both sites: 5 bed days per admission


def toy_parameters(**changes: float) -> Parameters:
    """The toy region's parameters (illustrative), with ``changes`` applied, checked."""
    values = {**TOY_PARAMETERS, **changes}
    records = {k: Parameter(k, v, "", "toy", illustrative=True) for k, v in values.items()}
    return Parameters.from_records(records, "toy parameters")


def toy_region(**overrides: object) -> Region:
    """Build the toy region; keyword overrides replace Region fields."""
    areas = (
        Area("A0", "Østby", 55.0, 11.0),
        Area("A1", "Midtå", 55.0, 11.5),
        Area("A2", "Vestø", 55.0, 12.0),
    )
    sites = (
        Site("s0", "Sygehus Øst", "A0", 55.0, 11.0, True, "org1"),
        Site("s1", "Sygehus Vest", "A2", 55.0, 12.0, True, "org1"),
    )
    organisations = (Organisation("org1", "Organisation Et", ("s0", "s1")),)
    specialties = (Specialty("kardiologi", "Kardiologi", "Cardiology", 3.0),)
    population = Population(
        base_year=2021,
        ages=np.array([0, 1, 2], dtype=np.int64),
        residents=np.array([[100.0, 200.0, 300.0], [0.0, 100.0, 100.0], [50.0, 50.0, 400.0]]),
        known_totals={},
    )
    # per 1,000 residents per year, contact types in CONTACT_TYPES order, ages 0,1,2
    per_1000 = np.array(
        [
            [
                [0.0, 10.0, 100.0],  # admission
                [0.0, 0.0, 0.0],  # bed_day: admissions × TOY_DAYS_PER_ADMISSION
                [10.0, 20.0, 50.0],  # first_visit
                [20.0, 40.0, 200.0],  # follow_up
                [0.0, 5.0, 20.0],  # consult
                [0.0, 0.0, 0.0],  # dialysis: none in the toy region
            ]
        ]
    )
    rates = DemandRates(per_1000=per_1000, illustrative=np.zeros((1, 6), dtype=bool))
    staffing = Staffing(
        specialist_fte=np.array([[4.0, 2.0]]),
        trainee_fte=np.array([[1.0, 0.0]]),
        vacant_fte=np.array([[0.0, 1.0]]),
        on_call_specialists=np.array([[4.0, 2.0]]),
        illustrative=True,
    )
    workload = WorkloadStandards(
        minutes=np.array([[60.0, 15.0, 45.0, 30.0, 30.0, 0.0]]),
        illustrative=np.ones((1, 6), dtype=bool),
    )
    parameters = toy_parameters()
    fields: dict[str, object] = {
        "name": "Toy region",
        "areas": areas,
        "sites": sites,
        "organisations": organisations,
        "specialties": specialties,
        "population": population,
        "rates": rates,
        "staffing": staffing,
        "workload": workload,
        "parameters": parameters,
        "days_per_admission": np.full((1, 2), TOY_DAYS_PER_ADMISSION),
        "provenance": (Provenance("staffing", "toy", illustrative=True),),
        "travel_minutes": np.array([[10.0, 70.0], [35.0, 45.0], [80.0, 15.0]]),
        "travel_km": np.array([[10.0, 70.0], [35.0, 45.0], [80.0, 15.0]]),
    }
    fields.update(overrides)
    return Region(**fields)  # type: ignore[arg-type]



# contact types in CONTACT_TYPES order: admission, bed_day, first_visit, follow_up, consult,
# dialysis; bed days = admissions × 5 days at the admitting site (both toy sites)
TOY_DEMAND = np.array(
    [
        # A0 residents by age (100, 200, 300):
        # admission (100·0 + 200·10 + 300·100)/1000 = 32; bed days 32 × 5 = 160
        # first_visit (100·10 + 200·20 + 300·50)/1000 = 20
        # follow_up (100·20 + 200·40 + 300·200)/1000 = 70
        # consult (0 + 200·5 + 300·20)/1000 = 7
        [32.0, 160.0, 20.0, 70.0, 7.0, 0.0],
        # A1 (0, 100, 100): 11, 55, 7, 24, (500 + 2000)/1000 = 2.5
        [11.0, 55.0, 7.0, 24.0, 2.5, 0.0],
        # A2 (50, 50, 400): (500 + 40000)/1000 = 40.5, 40.5 × 5 = 202.5,
        # (500 + 1000 + 20000)/1000 = 21.5, (1000 + 2000 + 80000)/1000 = 83, 8.25
        [40.5, 202.5, 21.5, 83.0, 8.25, 0.0],
    ]
)


def outpatient_totals(n_areas: int, pro_answers: list[float],
                      avoided: list[float] | None = None) -> OutpatientSplit:
    """An outpatient split whose per-specialty PRO answers and avoided follow-ups sit in
    the first area, for hand-made allocations that only need those totals."""
    n_spec = len(pro_answers)
    per_area = np.zeros((n_areas, n_spec))
    answers, saved = per_area.copy(), per_area.copy()
    answers[0] = pro_answers
    saved[0] = avoided if avoided is not None else np.zeros(n_spec)
    return OutpatientSplit(np.zeros((n_areas, n_spec, 2)), np.zeros((n_areas, n_spec, 2)),
                           saved, answers)


def zero_trips(n_specialties: int) -> TripTotals:
    """Trip totals of nothing, for hand-made transport records."""
    return TripTotals(*(np.zeros(n_specialties) for _ in range(4)))


def as_registered(population: Population) -> ProjectedPopulation:
    """The base year's residents as an evaluation holds them (the register path)."""
    path = PopulationPath(PathKind.REGISTER, population.base_year, population.base_year)
    return ProjectedPopulation(population.residents.copy(), path)
