"""What every indicator module shares: the ``Indicator`` record, array helpers, and the
explanation steps several traces start from (a team's FTE, contacts, hours, parameters).

An indicator keeps its computation and its trace side by side. ``compute`` gives the
scored array; ``trace`` rebuilds the same value for one cell step by step from the stage
outputs and the inputs, and computes its own last step, so a test can hold the two
against each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bassplan.domain.parameters import MINUTES_PER_HOUR, WORKING_DAYS_PER_WEEK
from bassplan.domain.results import Evaluation, Step
from bassplan.domain.vocabulary import (
    C_ADMISSION,
    C_BED_DAY,
    C_CONSULT,
    C_DIALYSIS,
    C_FOLLOW_UP,
    CONTACT_TYPES,
    M_DIGITAL,
    M_OUTREACH,
    M_STRENGTH_POSITION,
    V_CONSULTS,
    V_ROTATION,
    BoolArray,
    ContactType,
    FloatArray,
    Perspective,
)

SITE = "site"
SPECIALTY = "specialty"
LEVELS: tuple[str, ...] = (SITE, SPECIALTY)
EPS_FTE = 1e-9  # tolerance for FTE comparisons (sums of fractional FTE)
MARK = " (illustrative)"

Compute = Callable[[Evaluation], FloatArray]
Trace = Callable[[Evaluation, int, int], list[Step]]


@dataclass(frozen=True)
class Indicator:
    """One scorecard indicator: its identity (matching a catalogue row), the array it
    scores ((S, J) per site or (S,) per specialty; nan = no value) and its explanation
    for one cell (specialty s, site j; j = -1 at specialty level)."""

    id: str
    perspective: Perspective
    level: str
    unit: str
    compute: Compute
    trace: Trace


def divide(num: FloatArray, den: FloatArray) -> FloatArray:
    """Element-wise num / den, nan where den is not positive."""
    num_b, den_b = np.broadcast_arrays(np.asarray(num, float), np.asarray(den, float))
    out = np.full(num_b.shape, np.nan)
    np.divide(num_b, den_b, out=out, where=den_b > 0)
    return out


def ratio(num: float, den: float) -> float:
    """Num / den for one cell, nan where den is not positive (as ``divide``)."""
    return num / den if den > 0 else float("nan")


def has_team(evaluation: Evaluation) -> BoolArray:
    """(S, J) True where the specialty has a team (specialist FTE > 0) at the site."""
    return np.asarray(evaluation.plan.team.specialist_fte > 0, dtype=bool)


def scored_cells(evaluation: Evaluation) -> BoolArray:
    """(S, J) specialty × site cells that get site-level scores: a team, an outreach clinic
    or an active acute site (whose admissions need cover with or without a team)."""
    acute = evaluation.region.acute_mask[None, :]
    return has_team(evaluation) | (evaluation.plan.outreach_days_per_week > 0) | acute


def team_only(evaluation: Evaluation, values: FloatArray) -> FloatArray:
    """Keep values where the specialty has a team at the site, nan elsewhere."""
    return np.where(has_team(evaluation), values, np.nan)


def team_step(ev: Evaluation, s: int, j: int, step: Step) -> Step:
    """A team indicator's last step: its value, or nan where the site has no team (as
    ``team_only`` gives the scored array)."""
    if ev.plan.team.specialist_fte[s, j] > 0:
        return step
    return Step(step.label, float("nan"), step.unit, "no team at this site")


def min_team(evaluation: Evaluation) -> FloatArray:
    """(S, 1) minimum robust team per specialty (specialist FTE)."""
    return np.array([[s.min_team_fte] for s in evaluation.region.specialties], dtype=float)


def param_step(ev: Evaluation, key: str, label: str) -> Step:
    """A step showing one region parameter with its source and illustrative flag."""
    p = ev.region.parameters.record(key)
    return Step(label, p.value, p.unit, f"parameter {key}: {p.source}" + MARK * p.illustrative)


def staffing_note(ev: Evaluation) -> str:
    """Where team staffing comes from, marked when illustrative."""
    mark = MARK * ev.region.staffing.illustrative
    return "staffing.csv after scenario changes and pooling" + mark


def team_fte_steps(ev: Evaluation, s: int, j: int) -> tuple[Step, Step]:
    """The base staffing at the site and the team's specialist FTE after the scenario."""
    base = float(ev.region.staffing.specialist_fte[s, j])
    return (
        Step("Specialist FTE in base staffing at this site", base, "FTE",
             "staffing.csv" + MARK * ev.region.staffing.illustrative),
        Step("Team specialist FTE", float(ev.plan.team.specialist_fte[s, j]), "FTE",
             staffing_note(ev)),
    )


def team_counts(ev: Evaluation, s: int) -> tuple[FloatArray, FloatArray]:
    """(J, C) contacts/year each team of specialty s handles: in person (own site, acute
    sites it covers by rotation, outreach clinics it serves, consults on site) and remote
    (digital contacts, video consults)."""
    plan, alloc = ev.plan, ev.allocation
    contacts = alloc.contacts[s]  # (J, C, M)
    serving = plan.serving_team[s]
    team = plan.team.specialist_fte[s] > 0
    in_person = contacts[:, :, M_STRENGTH_POSITION].copy()
    inpatient = [C_ADMISSION, C_BED_DAY]
    in_person[:, inpatient] = 0.0
    covering = alloc.inpatient_team[s]
    keep = covering >= 0
    np.add.at(in_person[:, C_ADMISSION], covering[keep],
              contacts[keep, C_ADMISSION, M_STRENGTH_POSITION])
    np.add.at(in_person[:, C_BED_DAY], covering[keep],
              contacts[keep, C_BED_DAY, M_STRENGTH_POSITION])
    keep = serving >= 0
    np.add.at(in_person, serving[keep], contacts[keep, :, M_OUTREACH])
    remote = contacts[:, :, M_DIGITAL].copy()
    consult_team = alloc.consult_team[s]
    keep = consult_team >= 0
    in_person[:, C_CONSULT] = 0.0
    remote[:, C_CONSULT] = 0.0
    np.add.at(in_person[:, C_CONSULT], consult_team[keep], alloc.consults_on_site[s, keep])
    np.add.at(remote[:, C_CONSULT], consult_team[keep], alloc.consults_video[s, keep])
    in_person[:, C_DIALYSIS] = 0.0
    np.add.at(in_person[:, C_DIALYSIS], consult_team[keep],
              contacts[keep, C_DIALYSIS, M_STRENGTH_POSITION])
    return in_person * team[:, None], remote * team[:, None]


def contact_steps(ev: Evaluation, s: int, j: int) -> tuple[list[Step], float]:
    """Steps per contact type (contacts → minutes → hours) and the team's contact hours."""
    in_person, remote = (m[j] for m in team_counts(ev, s))
    work = ev.region.workload
    factor = ev.region.parameters.digital_minutes_factor
    steps: list[Step] = []
    total = 0.0
    for c, ct in enumerate(CONTACT_TYPES):
        minutes = float(work.minutes[s, c])
        hours = (in_person[c] + factor * remote[c]) * minutes / MINUTES_PER_HOUR
        total += hours
        steps.append(Step(f"{ct}: contacts in person", float(in_person[c]), "contacts/year"))
        if ct == ContactType.BED_DAY:
            steps.append(stay_step(ev, s, j))
        if remote[c] > 0:
            how = "video consults" if ct == ContactType.CONSULT else "digital contacts"
            steps.append(Step(f"{ct}: {how}", float(remote[c]), "contacts/year",
                              f"take {factor:g} × the in-person minutes"))
        note = "workload.csv" + MARK * bool(work.illustrative[s, c])
        steps.append(Step(f"{ct}: minutes per contact", minutes, "minutes", note))
        steps.append(Step(f"{ct}: hours", float(hours), "hours/year", "contacts × minutes / 60"))
    return steps, total


def stay_step(ev: Evaluation, s: int, j: int) -> Step:
    """The site's days per admission (bed days = admissions × days) and where they come from."""
    table = next((p for p in ev.region.provenance if p.name == "length_of_stay"), None)
    note = ("length_of_stay.csv" + (f": {table.source}" if table else "")
            + MARK * bool(table and table.illustrative))
    return Step("bed_day: days per admission at this site",
                float(ev.region.days_per_admission[s, j]), "days", note)


def pro_hours_step(ev: Evaluation, s: int, j: int) -> Step:
    """PRO review hours of team j: its share of the specialty's follow-ups (else of FTE)."""
    in_person, remote = team_counts(ev, s)
    follow = in_person[:, C_FOLLOW_UP] + remote[:, C_FOLLOW_UP]
    team_fte = ev.plan.team.specialist_fte[s]
    basis = follow if follow.sum() > 0 else team_fte
    share = float(basis[j] / basis.sum()) if basis.sum() > 0 else 0.0
    answers = float(ev.allocation.pro_answers[s])
    minutes = ev.region.parameters.pro_minutes_per_answer
    detail = f"{answers:.0f} PRO answers/year × {minutes:g} min × team share {share:.1%}"
    return Step("PRO review hours", answers * minutes / MINUTES_PER_HOUR * share, "hours/year",
                detail)


def catchment_steps(ev: Evaluation, s: int, j: int) -> list[Step]:
    """Residents whose outpatient or admitting site team j serves, and their demand."""
    alloc, plan = ev.allocation, ev.plan
    serving = plan.serving_team[s]
    areas = (serving[alloc.outpatient_at[s]] == j) | (alloc.consult_team[s][alloc.admitted_at] == j)
    note = "rates.csv" + MARK * bool(ev.region.rates.illustrative[s].any())
    steps = [Step("Residents in the catchment", float(ev.residents[areas].sum()), "residents",
                  f"{int(areas.sum())} areas whose outpatient or admitting site this team "
                  f"serves, projected to {ev.year}")]
    for c, ct in enumerate(CONTACT_TYPES):
        how = ("admissions × days per admission of the admitting site (length_of_stay.csv)"
               if ct == ContactType.BED_DAY else
               f"residents × {note} per 1,000 × local morbidity, before need-based follow-up")
        steps.append(Step(f"Demand: {ct}", float(ev.demand[areas, s, c].sum()), "contacts/year",
                          how))
    return steps


def available_hours_steps(ev: Evaluation) -> tuple[list[Step], float]:
    """The working-time parameters and the hours per FTE they leave, computed here."""
    keys = ("hours_per_week", "weeks_per_year", "holiday_weeks", "public_holiday_days",
            "sick_leave_days", "cpd_days")
    steps = [param_step(ev, k, k.replace("_", " ")) for k in keys]
    week, weeks, holiday, public, sick, cpd = (s.value for s in steps)
    hours = week * (weeks - holiday) - (public + sick + cpd) * week / 5.0
    detail = ("hours/week × (weeks − holiday weeks) − (public holidays + sick leave + CPD days)"
              " × hours/week / 5")
    steps.append(Step("Available hours per FTE", hours, "hours/year", detail))
    return steps, hours


def staff_travel_steps(ev: Evaluation, s: int, j: int) -> tuple[list[Step], float, float]:
    """Round trips of team j to the sites it serves (outreach days, on-site consult visits
    where general internal medicine admits, rotation days where its specialists do the
    inpatient work): the steps, the staff km and the staff hours per year, computed from
    the trips."""
    plan, alloc, params = ev.plan, ev.allocation, ev.region.parameters
    served = np.flatnonzero((plan.serving_team[s] == j) & (np.arange(plan.serving_team.shape[1])
                                                           != j))
    area_of = [ev.region.area_index(site.area_code) for site in ev.region.sites]
    km_total = hours_total = 0.0
    steps: list[Step] = []
    for k in served:
        outreach = float(plan.outreach_days_per_week[s, k]) * params.clinic_weeks_per_year
        cover = int(alloc.inpatient_cover[s, k])
        visits = (float(alloc.consults_on_site[s, k]) / params.consults_per_visit
                  if cover == V_CONSULTS else 0.0)
        rotation = 0.0
        if cover == V_ROTATION:
            minutes = ev.region.workload.minutes[s]
            work = (alloc.contacts[s, k, C_ADMISSION, M_STRENGTH_POSITION] * minutes[C_ADMISSION]
                    + alloc.contacts[s, k, C_BED_DAY, M_STRENGTH_POSITION] * minutes[C_BED_DAY])
            rotation = float(work) / MINUTES_PER_HOUR / (params.hours_per_week
                                                          / WORKING_DAYS_PER_WEEK)
        trips = outreach + visits + rotation
        if trips <= 0:
            continue
        one_way_km = float(ev.travel_km[area_of[j], k])
        one_way_min = float(ev.travel_minutes[area_of[j], k])
        km_total += trips * 2.0 * one_way_km
        hours_total += trips * 2.0 * one_way_min / MINUTES_PER_HOUR
        steps.append(Step(f"Round trips to {ev.region.sites[k].name}", trips, "trips/year",
                          f"{outreach:g} outreach days + {visits:.1f} consult visits + "
                          f"{rotation:.1f} rotation days (inpatient hours / hours a day); "
                          f"{one_way_km:.1f} km, {one_way_min:.0f} min one way"))
    steps.append(Step("Staff km", km_total, "km/year", "Σ trips × 2 × one-way km"))
    steps.append(Step("Staff travel hours", hours_total, "hours/year",
                      "Σ trips × 2 × one-way minutes / 60"))
    return steps, km_total, hours_total


def wisn_steps(ev: Evaluation, s: int, j: int) -> tuple[list[Step], float, float]:
    """The WISN chain for team j: workload hours → required FTE; staffing → available FTE.
    Returns the steps, required FTE and available FTE, each computed in the steps."""
    contacts, contact_hours = contact_steps(ev, s, j)
    pro = pro_hours_step(ev, s, j)
    travel, _, travel_hours = staff_travel_steps(ev, s, j)
    hours = contact_hours + pro.value + travel_hours
    hours_steps, per_fte = available_hours_steps(ev)
    allowance = param_step(ev, "category_allowance", "Category allowance (non-contact work)")
    required = hours / (per_fte * (1.0 - allowance.value))
    team = ev.plan.team
    productivity = param_step(ev, "trainee_productivity", "Trainee productivity")
    specialists = float(team.specialist_fte[s, j])
    trainees = float(team.trainee_fte[s, j])
    available = specialists + trainees * productivity.value
    steps = [
        *catchment_steps(ev, s, j),
        *contacts,
        pro,
        *travel,
        Step("Workload", hours, "hours/year", "contact hours + PRO review + travel"),
        *hours_steps,
        allowance,
        Step("Required FTE", required, "FTE",
             "workload / (available hours per FTE × (1 − category allowance))"),
        *team_fte_steps(ev, s, j),
        Step("Trainee FTE", trainees, "FTE", staffing_note(ev)),
        productivity,
        Step("Available FTE", available, "FTE",
             "specialist FTE + trainee FTE × trainee productivity"),
    ]
    return steps, required, available
