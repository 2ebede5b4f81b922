"""Evaluations on the toy region and the indicator catalogue, shared by the scorecard tests."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from bassplan.domain.region import Staffing
from bassplan.domain.results import (
    Access,
    Allocation,
    Evaluation,
    IndicatorDef,
    OnCall,
    ServicePlan,
    Transport,
    Workload,
)
from bassplan.scorecard.catalogue import load_indicators
from tests.support.allocations import hand_allocation
from tests.support.toy import as_registered, outpatient_totals, toy_region, zero_trips


def catalogue() -> tuple[IndicatorDef, ...]:
    """The bundled catalogue with the test-local thresholds."""
    return tuple(
        replace(ind, green=THRESHOLDS[ind.id][0], red=THRESHOLDS[ind.id][1])
        for ind in load_indicators()
    )


def baseline() -> Evaluation:
    """Teams at s0 and s1, no outreach, no digital consults; 600 PRO answers.

    Team s0 contacts: admissions 300, bed days 1500, first visits 400, follow-ups 1000 in
    person + 200 digital, consults 100 (own site) -> 1700 outpatient contacts and consults.
    Hours: 300 + 375 + 300 + (1000 + 0.5·200)·0.5 = 550 + 50 = 1575; PRO answers split by
    follow-ups (1200 : 300): 0.8 × 600 × 5 / 60 = 40 h -> 1615 h -> required 1615/1243.2.
    Team s1: 200 + 250 + 75 + 150 + 40 = 715 h, PRO 10 h -> 725 h; 100 + 300 + 80 = 480
    outpatient contacts and consults. Outpatient capacity (given): s0 2000, s1 800 visits.
    """
    contacts = toy_contacts({**CONTACTS, (1, 2, 0): 100.0, (1, 3, 0): 300.0})
    team = Staffing(
        specialist_fte=np.array([[4.0, 2.0]]), trainee_fte=np.array([[1.0, 0.0]]),
        vacant_fte=np.array([[0.0, 1.0]]), on_call_specialists=np.array([[4.0, 2.0]]),
    )
    plan = ServicePlan(
        strength_position=np.array([[True, True]]), outreach_days_per_week=np.zeros((1, 2)),
        digital_share=np.array([[0.0, 0.0, 0.0, 0.2, 0.0, 0.0]]), pro_share=np.array([0.5]),
        trigger_rate=np.array([0.5]), team=team, serving_team=np.array([[0, 1]], dtype=np.int64),
        consult_reach_minutes=60.0,
    )
    allocation = hand_allocation(
        plan,
        admitted_at=np.array([0, 0, 1], dtype=np.int64),
        outpatient_at=np.array([[0, 0, 1]], dtype=np.int64), contacts=contacts,
        consults_on_site=np.array([[100.0, 80.0]]), consults_video=np.zeros((1, 2)),
        outpatient_capacity=np.array([[2000.0, 800.0]]),
        consult_team=np.array([[0, 1]], dtype=np.int64),
        dialysis_at=np.full(3, -1),
        outpatient=outpatient_totals(3, [600.0], [300.0]),
    )
    required = np.array([[1615.0, 725.0]]) / PATIENT_HOURS_PER_FTE
    available = np.array([[4.5, 2.0]])
    workload = Workload(
        available_hours_per_fte=1554.0, required_fte=required, available_fte=available,
        wisn_ratio=available / required, contacts_per_fte=np.array([[1700.0 / 4, 480.0 / 2]]),
    )
    transport = Transport(
        patient_km=np.array([1.0]), patient_hours=np.array([1.0]), staff_km=np.zeros((1, 2)),
        staff_hours=np.zeros((1, 2)), patient_dkk=np.zeros(1), dialysis=zero_trips(1),
        g_co2_per_km=100.0,
        co2_kg=np.array([1.0]),
        saved_km_digital_at=np.zeros((1, 2)), saved_digital=zero_trips(1), saved_pro=zero_trips(1),
        saved_km_outreach_at=np.zeros((1, 2)),
    )
    on_call = OnCall(rota_n=np.array([[4.0, 2.0]]) * KEEP)
    return toy_evaluation("baseline", plan, allocation, workload, transport, on_call)


def concentrated(video_consults: float = 0.0, outreach_days: float = 1.0) -> Evaluation:
    """One strength position at s0; outreach at s1 (no team there); s1's consults by s0.

    s1 consults: 80 of its own + 200 admissions without a team = 280, a share
    ``video_consults`` by video. Outreach at s1: 100 first visits + 300 follow-ups = 400.
    Team s0 (with no video): admissions 300, bed days 1500, first visits 400 + 100,
    follow-ups 1000 + 300 in person + 200 digital, consults 100 + 280 -> 2380 outpatient
    contacts and consults. Outpatient capacity (given): s0 2800, s1 400 = 1 × 40 × 10.
    Hours: 300 + 375 + 375 + (1300 + 100)·0.5 + 380·0.5 = 1940; PRO 600·5/60 = 50.
    Staff travel, s0 -> s1 is 70 km / 70 min: 40 outreach days + 280/5 = 56 consult visits
    = 96 round trips × 140 km = 13440 km and 96 × 140 / 60 = 224 h -> 2214 h in all.
    """
    on_site = 280.0 * (1 - video_consults)
    contacts = toy_contacts({**CONTACTS, (1, 2, 1): 100.0, (1, 3, 1): 300.0})
    team = Staffing(
        specialist_fte=np.array([[6.0, 0.0]]), trainee_fte=np.array([[1.0, 0.0]]),
        vacant_fte=np.array([[1.0, 0.0]]), on_call_specialists=np.array([[6.0, 0.0]]),
    )
    plan = ServicePlan(
        strength_position=np.array([[True, False]]),
        outreach_days_per_week=np.array([[0.0, outreach_days]]),
        digital_share=np.array([[0.0, 0.0, 0.0, 0.2, video_consults, 0.0]]),
        pro_share=np.array([0.5]), trigger_rate=np.array([0.5]), team=team,
        serving_team=np.array([[0, 0]], dtype=np.int64), consult_reach_minutes=60.0,
    )
    allocation = hand_allocation(
        plan,
        admitted_at=np.array([0, 0, 1], dtype=np.int64),
        outpatient_at=np.array([[0, 0, 1]], dtype=np.int64), contacts=contacts,
        consults_on_site=np.array([[100.0, on_site]]),
        consults_video=np.array([[0.0, 280.0 - on_site]]),
        outpatient_capacity=np.array([[2800.0, 400.0]]),
        consult_team=np.array([[0, 0]], dtype=np.int64),
        dialysis_at=np.full(3, -1),
        outpatient=outpatient_totals(3, [600.0], [300.0]),
    )
    required = np.array([[2214.0, 0.0]]) / PATIENT_HOURS_PER_FTE
    available = np.array([[6.5, 0.0]])
    workload = Workload(
        available_hours_per_fte=1554.0, required_fte=required, available_fte=available,
        wisn_ratio=np.array([[6.5 / required[0, 0], np.nan]]),
        contacts_per_fte=np.array([[2380.0 / 6, np.nan]]),
    )
    trips = 40.0 * outreach_days + on_site / 5
    transport = Transport(
        patient_km=np.array([1.0]), patient_hours=np.array([1.0]),
        staff_km=np.array([[trips * 140.0, 0.0]]),
        staff_hours=np.array([[trips * 140.0 / 60, 0.0]]), patient_dkk=np.zeros(1),
        dialysis=zero_trips(1),
        g_co2_per_km=100.0,
        co2_kg=np.array([1.0]),
        saved_km_digital_at=np.zeros((1, 2)), saved_digital=zero_trips(1), saved_pro=zero_trips(1),
        saved_km_outreach_at=np.zeros((1, 2)),
    )
    on_call = OnCall(rota_n=np.array([[6.0 * KEEP, np.nan]]))
    return toy_evaluation("concentrated", plan, allocation, workload, transport, on_call)




PATIENT_HOURS_PER_FTE = 1243.2


KEEP = 1554.0 / 1924.0  # share of on-call heads present after absence


# Test-local thresholds (green, red), so editing the bundled catalogue cannot move them.
THRESHOLDS: dict[str, tuple[float, float]] = {
    "team_size_ratio": (1.0, 0.75),
    "contacts_per_fte": (1500.0, 750.0),
    "n1_robust": (1.0, 1.0),
    "n2_robust": (1.0, 0.0),
    "trainees_per_specialist": (0.3, 0.1),
    "wisn_ratio": (1.0, 0.85),
    "on_call_rota": (6.0, 4.0),
    "staff_travel_hours_per_fte": (25.0, 75.0),
    "vacancy_rate": (0.05, 0.15),
    "p90_access_minutes": (45.0, 60.0),
    "share_within_45": (0.9, 0.75),
    "gini_travel_time": (0.2, 0.35),
    "utilisation": (0.9, 1.0),
    "cost_per_contact": (800.0, 1200.0),
    "consult_coverage": (1.0, 0.75),
    "unserved_visits": (0.0, 0.0),
    "inpatient_cover": (1.0, 0.5),
}


def toy_contacts(cells: dict[tuple[int, int, int], float]) -> np.ndarray:
    """(S=1, J=2, C=5, M=3) contacts from {(site, contact type, modality): contacts}."""
    out = np.zeros((1, 2, 6, 3))
    for (j, c, m), v in cells.items():
        out[0, j, c, m] = v
    return out


# contact types: 0 admission, 1 bed day, 2 first visit, 3 follow-up, 4 consult
# modalities: 0 strength position (in person), 1 outreach, 2 digital
CONTACTS = {
    (0, 0, 0): 300.0, (0, 1, 0): 1500.0, (0, 2, 0): 400.0, (0, 3, 0): 1000.0, (0, 3, 2): 200.0,
    (1, 0, 0): 200.0, (1, 1, 0): 1000.0,
}


def toy_evaluation(name: str, plan: ServicePlan, allocation: Allocation, workload: Workload,
                transport: Transport, on_call: OnCall) -> Evaluation:
    region = toy_region()
    assert region.travel_minutes is not None and region.travel_km is not None
    return Evaluation(
        scenario_name=name, year=2021, region=region, residents=RESIDENTS, demand=DEMAND,
        travel_minutes=region.travel_minutes, travel_km=region.travel_km, plan=plan,
        allocation=allocation, workload=workload, access=ACCESS, transport=transport,
        on_call=on_call, population=as_registered(region.population),
    )




# demand (A, S=1, C): only the explanation's catchment steps read it
DEMAND = np.array([[[200.0, 1000, 300, 800, 60, 0]], [[100.0, 500, 100, 400, 40, 0]],
                   [[200.0, 1000, 100, 300, 80, 0]]])


RESIDENTS = np.array([600.0, 200.0, 500.0])


# residents sorted by minutes: 10 (600), 15 (500), 35 (200) -> cumulative 46 %, 85 %, 100 %:
# P90 = 35. Mean = (6000 + 7500 + 7000) / 1300 = 15.769. Gini = Σ_ij w_i w_j |x_i − x_j| /
# (2 W² mean) = 2 × (600·200·25 + 600·500·5 + 200·500·20) / (2 × 1300² × 15.769) = 0.243902.
ACCESS = Access(
    area_minutes=np.array([[10.0, 35.0, 15.0]]),
    mean_minutes=np.array([20500.0 / 1300.0]),
    p90_minutes=np.array([35.0]),
    max_minutes=np.array([35.0]),
    share_within_30=np.array([1100.0 / 1300.0]),
    share_within_45=np.array([1.0]),
    share_within_60=np.array([1.0]),
    gini=np.array([13.0 / 53.3]),
    worst_area=np.array([1], dtype=np.int64),
    fca_per_100k=np.zeros((1, 3)),
)


