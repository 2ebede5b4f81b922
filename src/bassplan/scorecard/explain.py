"""Explain one scorecard value: the steps from the inputs (residents, rates, minutes,
staffing, parameters) to the number, each with its unit and where it came from.

Every trace ends with the indicator's value as ``bassplan.scorecard.indicators`` computes it; the
steps before rebuild it from the stage outputs, so a planner can check each link.
Inputs marked illustrative in the region data say so in the step's detail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.results import Evaluation, Explanation, IndicatorDef, Step
from bassplan.domain.vocabulary import (
    C_CONSULT,
    C_FOLLOW_UP,
    CONTACT_TYPES,
    M_DIGITAL,
    M_OUTREACH,
    M_STRENGTH_POSITION,
    ContactType,
    FloatArray,
)
from bassplan.scorecard.indicators import (
    CONSULT_REACH_MINUTES,
    SITE,
    colour_of,
    computation,
    consult_cover,
    outreach_capacity,
    outreach_load,
    scored_cells,
    site_minutes,
)

Trace = Callable[[Evaluation, int, int, float], list[Step]]
_STR, _OUT, _DIG = M_STRENGTH_POSITION, M_OUTREACH, M_DIGITAL
_CONSULT, _FOLLOW_UP = C_CONSULT, C_FOLLOW_UP
_MARK = " (illustrative)"


def _param(ev: Evaluation, key: str, label: str) -> Step:
    """A step showing one region parameter with its source and illustrative flag."""
    p = ev.region.parameters.record(key)
    return Step(label, p.value, p.unit, f"parameter {key}: {p.source}" + _MARK * p.illustrative)


def _staffing_note(ev: Evaluation) -> str:
    mark = _MARK * ev.region.staffing.illustrative
    return "staffing.csv after scenario changes and pooling" + mark


def _team_counts(ev: Evaluation, s: int) -> tuple[FloatArray, FloatArray]:
    """(J, C) contacts/year each team of specialty s handles: in person (own site, outreach
    clinics it serves, consults on site) and remote (digital contacts, video consults)."""
    plan, alloc = ev.plan, ev.allocation
    contacts = alloc.contacts[s]  # (J, C, M)
    serving = plan.serving_team[s]
    team = plan.team.specialist_fte[s] > 0
    in_person = contacts[:, :, _STR].copy()
    keep = serving >= 0
    np.add.at(in_person, serving[keep], contacts[keep, :, _OUT])
    remote = contacts[:, :, _DIG].copy()
    consult_team = np.where(team, np.arange(team.size), serving)
    keep = consult_team >= 0
    in_person[:, _CONSULT] = 0.0
    remote[:, _CONSULT] = 0.0
    np.add.at(in_person[:, _CONSULT], consult_team[keep], alloc.consults_on_site[s, keep])
    np.add.at(remote[:, _CONSULT], consult_team[keep], alloc.consults_video[s, keep])
    return in_person * team[:, None], remote * team[:, None]


def _contact_steps(ev: Evaluation, s: int, j: int) -> tuple[list[Step], float]:
    """Steps per contact type (contacts → minutes → hours) and the team's contact hours."""
    in_person, remote = (m[j] for m in _team_counts(ev, s))
    work = ev.region.workload
    factor = ev.region.parameters.digital_minutes_factor
    steps: list[Step] = []
    total = 0.0
    for c, ct in enumerate(CONTACT_TYPES):
        minutes = float(work.minutes[s, c])
        hours = (in_person[c] + factor * remote[c]) * minutes / 60.0
        total += hours
        steps.append(Step(f"{ct}: contacts in person", float(in_person[c]), "contacts/year"))
        if remote[c] > 0:
            how = "video consults" if ct == ContactType.CONSULT else "digital contacts"
            steps.append(Step(f"{ct}: {how}", float(remote[c]), "contacts/year",
                              f"take {factor:g} × the in-person minutes"))
        note = "workload.csv" + _MARK * bool(work.illustrative[s, c])
        steps.append(Step(f"{ct}: minutes per contact", minutes, "minutes", note))
        steps.append(Step(f"{ct}: hours", float(hours), "hours/year", "contacts × minutes / 60"))
    return steps, total


def _pro_hours(ev: Evaluation, s: int, j: int) -> Step:
    """PRO review hours of team j: its share of the specialty's follow-ups (else of FTE)."""
    in_person, remote = _team_counts(ev, s)
    follow = in_person[:, _FOLLOW_UP] + remote[:, _FOLLOW_UP]
    team_fte = ev.plan.team.specialist_fte[s]
    basis = follow if follow.sum() > 0 else team_fte
    share = float(basis[j] / basis.sum()) if basis.sum() > 0 else 0.0
    answers = float(ev.allocation.pro_answers[s])
    minutes = ev.region.parameters.pro_minutes_per_answer
    detail = f"{answers:.0f} PRO answers/year × {minutes:g} min × team share {share:.1%}"
    return Step("PRO review hours", answers * minutes / 60.0 * share, "hours/year", detail)


def _catchment_steps(ev: Evaluation, s: int, j: int) -> list[Step]:
    """Residents whose outpatient or admitting site team j serves, and their demand."""
    alloc, plan = ev.allocation, ev.plan
    serving = plan.serving_team[s]
    consult_team = np.where(plan.team.specialist_fte[s] > 0, np.arange(serving.size), serving)
    areas = (serving[alloc.outpatient_at[s]] == j) | (consult_team[alloc.admitted_at] == j)
    note = "rates.csv" + _MARK * bool(ev.region.rates.illustrative[s].any())
    steps = [Step("Residents in the catchment", float(ev.residents[areas].sum()), "residents",
                  f"{int(areas.sum())} areas whose outpatient or admitting site this team "
                  f"serves, projected to {ev.year}")]
    for c, ct in enumerate(CONTACT_TYPES):
        steps.append(Step(f"Demand: {ct}", float(ev.demand[areas, s, c].sum()), "contacts/year",
                          f"residents × {note} per 1,000, before need-based follow-up"))
    return steps


def _available_hours(ev: Evaluation) -> list[Step]:
    keys = ("hours_per_week", "weeks_per_year", "holiday_weeks", "public_holiday_days",
            "sick_leave_days", "cpd_days")
    steps = [_param(ev, k, k.replace("_", " ")) for k in keys]
    detail = ("hours/week × (weeks − holiday weeks) − (public holidays + sick leave + CPD days)"
              " × hours/week / 5")
    steps.append(Step("Available hours per FTE", ev.workload.available_hours_per_fte,
                      "hours/year", detail))
    return steps


def _team_fte(ev: Evaluation, s: int, j: int) -> list[Step]:
    base = float(ev.region.staffing.specialist_fte[s, j])
    return [
        Step("Specialist FTE in base staffing at this site", base, "FTE",
             "staffing.csv" + _MARK * ev.region.staffing.illustrative),
        Step("Team specialist FTE", float(ev.plan.team.specialist_fte[s, j]), "FTE",
             _staffing_note(ev)),
    ]


def _wisn(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
    contact_steps, contact_hours = _contact_steps(ev, s, j)
    pro = _pro_hours(ev, s, j)
    travel = float(ev.transport.staff_hours[s, j])
    hours = contact_hours + pro.value + travel
    per_fte = ev.workload.available_hours_per_fte
    cas = ev.region.parameters.category_allowance
    team = ev.plan.team
    return [
        *_catchment_steps(ev, s, j),
        *contact_steps,
        pro,
        Step("Staff travel hours", travel, "hours/year", "outreach and consult round trips"),
        Step("Workload", hours, "hours/year", "contact hours + PRO review + travel"),
        *_available_hours(ev),
        _param(ev, "category_allowance", "Category allowance (non-contact work)"),
        Step("Required FTE", hours / (per_fte * (1.0 - cas)), "FTE",
             "workload / (available hours per FTE × (1 − category allowance))"),
        *_team_fte(ev, s, j),
        Step("Trainee FTE", float(team.trainee_fte[s, j]), "FTE", _staffing_note(ev)),
        _param(ev, "trainee_productivity", "Trainee productivity"),
        Step("Available FTE", float(ev.workload.available_fte[s, j]), "FTE",
             "specialist FTE + trainee FTE × trainee productivity"),
        Step("WISN ratio", value, "ratio", "available FTE / required FTE"),
    ]


def _contacts_per_fte(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
    in_person, remote = (m[j] for m in _team_counts(ev, s))
    return [
        Step("Contacts in person", float(in_person.sum()), "contacts/year",
             "own site, outreach clinics served, consults on site"),
        Step("Digital contacts and video consults", float(remote.sum()), "contacts/year"),
        *_team_fte(ev, s, j),
        Step("Contacts per specialist FTE", value, "contacts/FTE/year", "contacts / team FTE"),
    ]


def _team_size(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
    minimum = ev.region.specialties[s].min_team_fte
    return [*_team_fte(ev, s, j),
            Step("Minimum robust team", minimum, "FTE", "specialties.csv min_team_fte"),
            Step("Team size against minimum", value, "ratio", "team FTE / minimum")]


def _robust(leavers: float) -> Trace:
    def trace(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
        fte = float(ev.plan.team.specialist_fte[s, j])
        minimum = ev.region.specialties[s].min_team_fte
        holds = "yes" if value == 1.0 else "no"
        return [*_team_fte(ev, s, j),
                Step("Specialists leaving", leavers, "FTE"),
                Step("FTE left", fte - leavers, "FTE", "team FTE − leavers"),
                Step("Minimum robust team", minimum, "FTE", "specialties.csv min_team_fte"),
                Step(f"N-{leavers:g} robust", value, "1 = yes / 0 = no",
                     f"FTE left ≥ minimum: {holds}")]
    return trace


def _trainees(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
    return [Step("Trainee FTE", float(ev.plan.team.trainee_fte[s, j]), "FTE", _staffing_note(ev)),
            *_team_fte(ev, s, j)[1:],
            Step("Trainees per specialist", value, "ratio", "trainee FTE / specialist FTE")]


def _on_call(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
    heads = float(ev.plan.team.on_call_specialists[s, j])
    contractual = ev.region.parameters.hours_per_week * ev.region.parameters.weeks_per_year
    absence = 1.0 - ev.workload.available_hours_per_fte / contractual
    return [Step("Specialists in the on-call rota", heads, "heads", _staffing_note(ev)),
            *_available_hours(ev),
            Step("Contractual hours per year", contractual, "hours/year",
                 "hours/week × weeks/year"),
            Step("Absence share", absence, "share", "1 − available / contractual hours"),
            Step("Rota 1-in-N", value, "N", "specialists × (1 − absence share)")]


def _staff_travel(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
    served = [ev.region.sites[k].name for k in np.flatnonzero(ev.plan.serving_team[s] == j)
              if k != j]
    return [Step("Staff km", float(ev.transport.staff_km[s, j]), "km/year",
                 "round trips to outreach clinics and on-site consults at: "
                 + (", ".join(served) or "no other site")),
            Step("Staff travel hours", float(ev.transport.staff_hours[s, j]), "hours/year"),
            *_team_fte(ev, s, j)[1:],
            Step("Staff travel hours per FTE", value, "hours/FTE/year", "hours / team FTE")]


def _vacancy(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
    return [*_team_fte(ev, s, j)[1:],
            Step("Vacant FTE", float(ev.plan.team.vacant_fte[s, j]), "FTE", _staffing_note(ev)),
            Step("Vacancy rate", value, "share", "vacant / (filled + vacant)")]


def _utilisation(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
    if ev.plan.team.specialist_fte[s, j] > 0:
        work = ev.workload
        return [Step("Required FTE", float(work.required_fte[s, j]), "FTE", "WISN workload"),
                Step("Available FTE", float(work.available_fte[s, j]), "FTE",
                     "specialist FTE + trainee FTE × trainee productivity"),
                Step("Utilisation", value, "share", "required / available FTE")]
    return [Step("Outreach days per week", float(ev.plan.outreach_days_per_week[s, j]), "days",
                 "scenario outreach"),
            _param(ev, "clinic_weeks_per_year", "Clinic weeks per year"),
            _param(ev, "outreach_visits_per_day", "Contacts per outreach day"),
            Step("Clinic capacity", float(outreach_capacity(ev)[s, j]), "contacts/year",
                 "days × weeks × contacts per day"),
            Step("Outreach contacts", float(outreach_load(ev)[s, j]), "contacts/year"),
            Step("Utilisation", value, "share", "outreach contacts / capacity")]


def _cost(ev: Evaluation, s: int, j: int, value: float) -> list[Step]:
    fte = float(ev.plan.team.specialist_fte[s, j])
    per_fte, per_km = ev.region.parameters.cost_per_fte_dkk, ev.region.parameters.cost_per_km_dkk
    km = float(ev.transport.staff_km[s, j])
    staff, travel = fte * per_fte, km * per_km
    contacts = float(ev.workload.contacts_per_fte[s, j]) * fte
    return [*_team_fte(ev, s, j)[1:],
            _param(ev, "cost_per_fte_dkk", "Cost per specialist FTE"),
            Step("Staff cost", staff, "DKK/year", "FTE × cost per FTE"),
            Step("Staff km", km, "km/year", "outreach and consult round trips"),
            _param(ev, "cost_per_km_dkk", "Cost per km"),
            Step("Travel cost", travel, "DKK/year", "km × cost per km"),
            Step("Total cost", staff + travel, "DKK/year"),
            Step("Contacts handled", contacts, "contacts/year", "in person + digital (WISN)"),
            Step("Cost per contact", value, "DKK/contact", "total cost / contacts")]


def _p90(ev: Evaluation, s: int, _: int, value: float) -> list[Step]:
    minutes, weights = ev.access.area_minutes[s], ev.residents
    order = np.argsort(minutes, kind="stable")
    cum = np.cumsum(weights[order]) / weights.sum()
    cross = int(np.searchsorted(cum, 0.9 - 1e-12))
    steps = [Step("Residents", float(weights.sum()), "residents", f"projected to {ev.year}")]
    for k in range(max(cross - 9, 0), min(cross + 1, order.size)):
        a = int(order[k])
        site = ev.region.sites[int(ev.allocation.outpatient_at[s, a])].name
        steps.append(Step(f"{ev.region.areas[a].name} → {site}", float(minutes[a]), "minutes",
                          f"{weights[a]:.0f} residents; cumulative share {cum[k]:.1%}"))
    steps.append(Step("P90 travel time", value, "minutes",
                      "smallest time with at least 90 % of residents at or below it"))
    return steps


def _within_45(ev: Evaluation, s: int, _: int, value: float) -> list[Step]:
    near = ev.access.area_minutes[s] <= 45.0
    return [Step("Residents", float(ev.residents.sum()), "residents", f"projected to {ev.year}"),
            Step("Residents within 45 minutes", float(ev.residents[near].sum()), "residents",
                 f"{int(near.sum())} areas"),
            Step("Share within 45 minutes", value, "share")]


def _gini(ev: Evaluation, s: int, _: int, value: float) -> list[Step]:
    return [Step("Mean travel time", float(ev.access.mean_minutes[s]), "minutes",
                 "population-weighted"),
            Step("Longest travel time", float(ev.access.max_minutes[s]), "minutes",
                 ev.region.areas[int(ev.access.worst_area[s])].name),
            Step("Gini of travel time", value, "Gini 0-1", "weighted over residents")]


def _consults(ev: Evaluation, s: int, _: int, value: float) -> list[Step]:
    cover, serving = consult_cover(ev)[s], ev.plan.serving_team[s]
    minutes = site_minutes(ev)
    video = ev.plan.digital_share[s, _CONSULT]
    steps: list[Step] = []
    for k in np.flatnonzero(ev.region.acute_mask):
        team = serving[k]
        if ev.plan.team.specialist_fte[s, k] > 0:
            why = "team on site"
        elif team < 0:
            why = "no serving team"
        else:
            why = (f"served by {ev.region.sites[team].name}, {minutes[team, k]:.0f} min "
                   f"(limit {CONSULT_REACH_MINUTES:g}); video share {video:.0%}")
        steps.append(Step(f"Cover at {ev.region.sites[k].name}", float(cover[k]),
                          "1 = yes / 0 = no", why))
    steps.append(Step("Consult coverage", value, "share", "covered / active acute sites"))
    return steps


TRACES: dict[str, Trace] = {
    "team_size_ratio": _team_size,
    "contacts_per_fte": _contacts_per_fte,
    "n1_robust": _robust(1.0),
    "n2_robust": _robust(2.0),
    "trainees_per_specialist": _trainees,
    "wisn_ratio": _wisn,
    "on_call_rota": _on_call,
    "staff_travel_hours_per_fte": _staff_travel,
    "vacancy_rate": _vacancy,
    "p90_access_minutes": _p90,
    "share_within_45": _within_45,
    "gini_travel_time": _gini,
    "utilisation": _utilisation,
    "cost_per_contact": _cost,
    "consult_coverage": _consults,
}


def _choose(known: Sequence[str], value: str, field: str, where: str) -> int:
    """Index of value in known; InputError listing the known values otherwise."""
    if value not in known:
        rule = f"unknown {field} '{value}' (known: {', '.join(known)})"
        raise InputError("explain", where, field, rule)
    return list(known).index(value)


def explain(
    evaluation: Evaluation,
    indicators: Sequence[IndicatorDef],
    indicator_id: str,
    specialty_id: str,
    site_id: str | None,
) -> Explanation:
    """Trace how one indicator value for a specialty (and site, if site-level) arose."""
    where = f"indicator {indicator_id}"
    ind = indicators[_choose([i.id for i in indicators], indicator_id, "indicator", where)]
    region = evaluation.region
    s = _choose([sp.id for sp in region.specialties], specialty_id, "specialty", where)
    comp = computation(ind)
    values = comp.compute(evaluation)
    j = -1
    if comp.level == SITE:
        scored = [region.sites[k].id for k in np.flatnonzero(scored_cells(evaluation)[s])]
        if site_id is None:
            rule = f"a site-level indicator needs a site (scored: {', '.join(scored)})"
            raise InputError("explain", where, "site", rule)
        _choose([site.id for site in region.sites], site_id, "site", where)
        _choose(scored, site_id, "site", f"{where}, scored sites of {specialty_id}")
        j = region.site_index(site_id)
        value = float(values[s, j])
    elif site_id is not None:
        rule = f"'{indicator_id}' is a specialty-level indicator; give no site"
        raise InputError("explain", where, "site", rule)
    else:
        value = float(values[s])
    trace = TRACES.get(ind.id)
    if trace is None:
        steps = [Step(ind.label_en, value, ind.unit, ind.definition)]
    else:
        steps = trace(evaluation, s, j, value)
    return Explanation(ind.id, specialty_id, site_id, value, colour_of(value, ind), tuple(steps))
