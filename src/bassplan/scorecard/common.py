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

from bassplan.domain.demography import path_phrase
from bassplan.domain.parameters import MINUTES_PER_HOUR, WORKING_DAYS_PER_WEEK
from bassplan.domain.phrase import Phrase, phrase
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


def mark(illustrative: bool) -> Phrase | str:
    """The note's ' (illustrative)' mark where an input is illustrative, else nothing."""
    return phrase("step_illustrative_mark") if illustrative else ""


def contact_word(ct: str) -> Phrase:
    """A contact type as a word of an explanation step."""
    return phrase(f"contact_word_{ct}")


def team_step(ev: Evaluation, s: int, j: int, step: Step) -> Step:
    """A team indicator's last step: its value, or nan where the site has no team (as
    ``team_only`` gives the scored array)."""
    if ev.plan.team.specialist_fte[s, j] > 0:
        return step
    return Step(step.label, float("nan"), step.unit, phrase("step_no_team"))


def min_team(evaluation: Evaluation) -> FloatArray:
    """(S, 1) minimum robust team per specialty (specialist FTE)."""
    return np.array([[s.min_team_fte] for s in evaluation.region.specialties], dtype=float)


def param_step(ev: Evaluation, key: str) -> Step:
    """A step showing one region parameter (named ``param_<key>`` in the word store) with its
    source and illustrative flag."""
    p = ev.region.parameters.record(key)
    return Step(phrase(f"param_{key}"), p.value, p.unit,
                phrase("step_parameter", key=key, source=p.source, mark=mark(p.illustrative)))


def staffing_note(ev: Evaluation) -> Phrase:
    """Where team staffing comes from, marked when illustrative."""
    return phrase("step_staffing_note", mark=mark(ev.region.staffing.illustrative))


def team_fte_steps(ev: Evaluation, s: int, j: int) -> tuple[Step, Step]:
    """The base staffing at the site and the team's specialist FTE after the scenario."""
    base = float(ev.region.staffing.specialist_fte[s, j])
    return (
        Step(phrase("step_base_fte"), base, "FTE",
             phrase("step_staffing_csv", mark=mark(ev.region.staffing.illustrative))),
        Step(phrase("step_team_fte"), float(ev.plan.team.specialist_fte[s, j]), "FTE",
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
        word = contact_word(ct)
        steps.append(Step(phrase("step_ct_in_person", ct=word), float(in_person[c]),
                          "contacts/year"))
        if ct == ContactType.BED_DAY:
            steps.append(stay_step(ev, s, j))
        if remote[c] > 0:
            how = "step_ct_video" if ct == ContactType.CONSULT else "step_ct_digital"
            steps.append(Step(phrase(how, ct=word), float(remote[c]), "contacts/year",
                              phrase("step_digital_factor", factor=factor)))
        note = phrase("step_workload_csv", mark=mark(bool(work.illustrative[s, c])))
        steps.append(Step(phrase("step_ct_minutes", ct=word), minutes, "minutes", note))
        steps.append(Step(phrase("step_ct_hours", ct=word), float(hours), "hours/year",
                          phrase("step_contacts_times_minutes")))
    return steps, total


def stay_step(ev: Evaluation, s: int, j: int) -> Step:
    """The site's days per admission (bed days = admissions × days) and where they come from."""
    table = next((p for p in ev.region.provenance if p.name == "length_of_stay"), None)
    note = phrase("step_stay_source", source=f": {table.source}" if table else "",
                  mark=mark(bool(table and table.illustrative)))
    return Step(phrase("step_stay"), float(ev.region.days_per_admission[s, j]), "days", note)


def pro_hours_step(ev: Evaluation, s: int, j: int) -> Step:
    """PRO review hours of team j: its share of the specialty's follow-ups (else of FTE)."""
    in_person, remote = team_counts(ev, s)
    follow = in_person[:, C_FOLLOW_UP] + remote[:, C_FOLLOW_UP]
    team_fte = ev.plan.team.specialist_fte[s]
    basis = follow if follow.sum() > 0 else team_fte
    share = float(basis[j] / basis.sum()) if basis.sum() > 0 else 0.0
    answers = float(ev.allocation.pro_answers[s])
    minutes = ev.region.parameters.pro_minutes_per_answer
    detail = phrase("step_pro_detail", answers=answers, minutes=minutes, share=share)
    return Step(phrase("step_pro_hours"), answers * minutes / MINUTES_PER_HOUR * share,
                "hours/year", detail)


def catchment_steps(ev: Evaluation, s: int, j: int) -> list[Step]:
    """Residents whose outpatient or admitting site team j serves, and their demand."""
    alloc, plan = ev.allocation, ev.plan
    serving = plan.serving_team[s]
    areas = (serving[alloc.outpatient_at[s]] == j) | (alloc.consult_team[s][alloc.admitted_at] == j)
    note = phrase("step_rates_csv", mark=mark(bool(ev.region.rates.illustrative[s].any())))
    steps = [Step(phrase("step_catchment_residents"), float(ev.residents[areas].sum()),
                  "residents",
                  phrase("step_catchment_detail", areas=int(areas.sum()), year=ev.year,
                         path=path_phrase(ev.population.path)))]
    for c, ct in enumerate(CONTACT_TYPES):
        how = (phrase("step_demand_bed_day") if ct == ContactType.BED_DAY else
               phrase("step_demand_rates", note=note))
        steps.append(Step(phrase("step_demand", ct=contact_word(ct)),
                          float(ev.demand[areas, s, c].sum()), "contacts/year", how))
    return steps


def available_hours_steps(ev: Evaluation) -> tuple[list[Step], float]:
    """The working-time parameters and the hours per FTE they leave, computed here."""
    keys = ("hours_per_week", "weeks_per_year", "holiday_weeks", "public_holiday_days",
            "sick_leave_days", "cpd_days")
    steps = [param_step(ev, k) for k in keys]
    week, weeks, holiday, public, sick, cpd = (s.value for s in steps)
    hours = week * (weeks - holiday) - (public + sick + cpd) * week / 5.0
    steps.append(Step(phrase("step_available_hours"), hours, "hours/year",
                      phrase("step_available_hours_detail")))
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
        steps.append(Step(phrase("step_round_trips", site=ev.region.sites[k].title), trips,
                          "trips/year",
                          phrase("step_round_trips_detail", outreach=outreach, visits=visits,
                                 rotation=rotation, km=one_way_km, minutes=one_way_min)))
    steps.append(Step(phrase("step_staff_km"), km_total, "km/year",
                      phrase("step_staff_km_detail")))
    steps.append(Step(phrase("step_staff_hours"), hours_total, "hours/year",
                      phrase("step_staff_hours_detail")))
    return steps, km_total, hours_total


def wisn_steps(ev: Evaluation, s: int, j: int) -> tuple[list[Step], float, float]:
    """The WISN chain for team j: workload hours → required FTE; staffing → available FTE.
    Returns the steps, required FTE and available FTE, each computed in the steps."""
    contacts, contact_hours = contact_steps(ev, s, j)
    pro = pro_hours_step(ev, s, j)
    travel, _, travel_hours = staff_travel_steps(ev, s, j)
    hours = contact_hours + pro.value + travel_hours
    hours_steps, per_fte = available_hours_steps(ev)
    allowance = param_step(ev, "category_allowance")
    required = hours / (per_fte * (1.0 - allowance.value))
    team = ev.plan.team
    productivity = param_step(ev, "trainee_productivity")
    specialists = float(team.specialist_fte[s, j])
    trainees = float(team.trainee_fte[s, j])
    available = specialists + trainees * productivity.value
    steps = [
        *catchment_steps(ev, s, j),
        *contacts,
        pro,
        *travel,
        Step(phrase("step_workload"), hours, "hours/year", phrase("step_workload_detail")),
        *hours_steps,
        allowance,
        Step(phrase("step_required_fte"), required, "FTE", phrase("step_required_fte_detail")),
        *team_fte_steps(ev, s, j),
        Step(phrase("step_trainee_fte"), trainees, "FTE", staffing_note(ev)),
        productivity,
        Step(phrase("step_available_fte"), available, "FTE",
             phrase("step_available_fte_detail")),
    ]
    return steps, required, available
