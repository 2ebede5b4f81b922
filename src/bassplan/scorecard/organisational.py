"""Organisatorisk bæredygtighed: access for every resident (how far, how evenly), capacity
that holds, cost, and consult cover of every acute site."""

from __future__ import annotations

import numpy as np

from bassplan.domain.results import Evaluation, Step
from bassplan.domain.vocabulary import (
    C_ADMISSION,
    CONTACT_TYPES,
    M_OUTREACH,
    M_STRENGTH_POSITION,
    OUTPATIENT,
    FloatArray,
    Perspective,
)
from bassplan.model.equity import QUANTILE_TOLERANCE
from bassplan.model.workload import COUNTED_CONTACTS
from bassplan.scorecard.common import (
    SITE,
    SPECIALTY,
    Indicator,
    divide,
    param_step,
    ratio,
    staff_travel_steps,
    team_counts,
    team_fte_steps,
    team_only,
    team_step,
)

ACCESS_LIMIT_MINUTES = 45.0  # the limit of ``share_within_45`` (Access.share_within_45)
P90 = 0.9


def _residents_step(ev: Evaluation) -> Step:
    return Step("Residents", float(ev.residents.sum()), "residents", f"projected to {ev.year}")


def _p90(ev: Evaluation) -> FloatArray:
    """Population-weighted P90 of travel minutes, from the access stage."""
    return np.asarray(ev.access.p90_minutes, dtype=float)


def _p90_trace(ev: Evaluation, s: int, _: int) -> list[Step]:
    minutes, weights = ev.access.area_minutes[s], ev.residents
    order = np.argsort(minutes, kind="stable")
    cum = np.cumsum(weights[order]) / weights.sum()
    cross = int(np.searchsorted(cum, P90 - QUANTILE_TOLERANCE))
    steps = [_residents_step(ev)]
    for k in range(max(cross - 9, 0), min(cross + 1, order.size)):
        a = int(order[k])
        site = ev.region.sites[int(ev.allocation.outpatient_at[s, a])].name
        steps.append(Step(f"{ev.region.areas[a].name} → {site}", float(minutes[a]), "minutes",
                          f"{weights[a]:.0f} residents; cumulative share {cum[k]:.1%}"))
    steps.append(Step("P90 travel time", float(minutes[order[cross]]), "minutes",
                      "smallest time with at least 90 % of residents at or below it"))
    return steps


def _within_45(ev: Evaluation) -> FloatArray:
    """Share of residents within 45 minutes, from the access stage."""
    return np.asarray(ev.access.share_within_45, dtype=float)


def _within_45_trace(ev: Evaluation, s: int, _: int) -> list[Step]:
    near = ev.access.area_minutes[s] <= ACCESS_LIMIT_MINUTES
    everyone = _residents_step(ev)
    within = Step("Residents within 45 minutes", float(ev.residents[near].sum()), "residents",
                  f"{int(near.sum())} areas")
    return [everyone, within, Step("Share within 45 minutes", ratio(within.value, everyone.value),
                                   "share", "residents within / residents")]


def _gini(ev: Evaluation) -> FloatArray:
    """Gini of travel minutes across residents, from the access stage."""
    return np.asarray(ev.access.gini, dtype=float)


def _gini_trace(ev: Evaluation, s: int, _: int) -> list[Step]:
    minutes, weights = ev.access.area_minutes[s], ev.residents
    total = float(weights.sum())
    mean = float(minutes @ weights) / total
    order = np.argsort(minutes, kind="stable")
    below = np.cumsum(weights[order])[:-1]
    gaps = np.diff(minutes[order])
    # Σ_i Σ_k w_i w_k |x_i − x_k| / W²: each gap separates the residents below from those above
    difference = 2.0 * float(np.sum(gaps * below * (total - below))) / total**2
    return [Step("Mean travel time", mean, "minutes", "population-weighted"),
            Step("Longest travel time", float(ev.access.max_minutes[s]), "minutes",
                 ev.region.areas[int(ev.access.worst_area[s])].name),
            Step("Mean absolute difference", difference, "minutes",
                 "between two residents drawn at random"),
            Step("Gini of travel time", min(max(ratio(difference, 2.0 * mean), 0.0), 1.0),
                 "Gini 0-1", "mean absolute difference / (2 × mean)")]


def outpatient_load(ev: Evaluation) -> FloatArray:
    """(S, J) in-person outpatient visits per year seen at each site (strength position or
    outreach clinic), as the allocation assigns them within capacity."""
    ct = [CONTACT_TYPES.index(c) for c in OUTPATIENT]
    seen = ev.allocation.contacts[:, :, ct][..., [M_STRENGTH_POSITION, M_OUTREACH]]
    return np.asarray(seen.sum(axis=(2, 3)), dtype=float)


def outreach_capacity(ev: Evaluation) -> FloatArray:
    """(S, J) outreach clinic capacity in visits per year: days × weeks × visits per day."""
    params = ev.region.parameters
    per_year = params.clinic_weeks_per_year * params.outreach_visits_per_day
    return np.asarray(ev.plan.outreach_days_per_week * per_year, dtype=float)


def _utilisation(ev: Evaluation) -> FloatArray:
    """In-person outpatient visits seen / the site's outpatient capacity (the allocation's),
    at every service point; nan elsewhere. WISN weighs the whole workload against staff."""
    points = ev.plan.strength_position | (ev.plan.outreach_days_per_week > 0)
    capacity = np.where(points, ev.allocation.outpatient_capacity, 0.0)
    return divide(outpatient_load(ev), capacity)


def _utilisation_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    load = Step("In-person visits seen here", float(outpatient_load(ev)[s, j]), "visits/year",
                "first visits and follow-ups the allocation sends here within capacity")
    if ev.plan.strength_position[s, j]:
        capacity = float(ev.allocation.outpatient_capacity[s, j])
        steps = [Step("Outpatient capacity of the team", capacity, "visits/year",
                      "(available FTE × available hours per FTE × (1 − category allowance) − "
                      "hours of inpatient work, consults, dialysis, digital contacts, PRO "
                      "review, outreach clinics and travel) × 60 / minutes per visit")]
    elif ev.plan.outreach_days_per_week[s, j] > 0:
        days = Step("Outreach days per week", float(ev.plan.outreach_days_per_week[s, j]),
                    "days", "scenario outreach")
        weeks = param_step(ev, "clinic_weeks_per_year", "Clinic weeks per year")
        per_day = param_step(ev, "outreach_visits_per_day", "Contacts per outreach day")
        capacity = days.value * weeks.value * per_day.value
        steps = [days, weeks, per_day,
                 Step("Clinic capacity", capacity, "visits/year",
                      "days × weeks × contacts per day")]
    else:
        capacity = 0.0
        steps = [Step("Outpatient capacity", 0.0, "visits/year",
                      "no strength position or outreach clinic here")]
    return [*steps, load, Step("Utilisation", ratio(load.value, capacity), "share",
                               "visits seen / capacity")]


def _unserved(ev: Evaluation) -> FloatArray:
    """(S,) in-person outpatient visits per year no service point had capacity for."""
    return np.asarray(ev.allocation.unserved.sum(axis=1), dtype=float)


def _unserved_trace(ev: Evaluation, s: int, _: int) -> list[Step]:
    unserved = ev.allocation.unserved[s]
    steps = [Step(f"Unserved in {ev.region.areas[a].name}", float(unserved[a]), "visits/year",
                  "visits beyond the capacity of every site in reach of the overflow")
             for a in np.flatnonzero(unserved > 0)]
    total = float(sum(step.value for step in steps))
    return [*steps, Step("Unserved visits", total, "visits/year", "sum over municipalities")]


# the score of each kind of inpatient cover (InpatientCover positions): none, team, rotation,
# general internal medicine with consults
COVER_SCORES = (0.0, 1.0, 0.75, 0.5)
_COVER_TEXT = (
    "nobody covers the admissions: no specialist on site, no consults",
    "the site's own team",
    "specialists rotating from {team}",
    "general internal medicine admits; {team} sees the specialty's consults",
)


def _inpatient_cover(ev: Evaluation) -> FloatArray:
    """(S, J) who does the inpatient work at each active acute site: 1 its own team, 0.75
    rotating specialists, 0.5 general internal medicine with consults, 0 nobody; nan at
    sites that admit nobody."""
    cover = ev.allocation.inpatient_cover
    scores = np.asarray(COVER_SCORES)[np.maximum(cover, 0)]
    return np.where(cover >= 0, scores, np.nan)


def _inpatient_cover_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    cover = int(ev.allocation.inpatient_cover[s, j])
    site = ev.region.sites[j].name
    admissions = Step("Admissions at this site",
                      float(ev.allocation.contacts[s, j, C_ADMISSION, M_STRENGTH_POSITION]),
                      "admissions/year", "the areas this acute site admits (catchments.csv or "
                      "the nearest)")
    if cover < 0:
        return [admissions, Step("Inpatient cover", float("nan"), "score",
                                 f"{site} is not an active acute site")]
    team = int(ev.plan.serving_team[s, j])
    name = ev.region.sites[team].name if team >= 0 else "no team"
    detail = f"{site}: " + _COVER_TEXT[cover].format(team=name)
    return [admissions, Step("Inpatient cover", COVER_SCORES[cover], "score", detail)]


def _cost(ev: Evaluation) -> FloatArray:
    """(FTE × cost per FTE + staff km × cost per km) / contacts handled, in DKK per contact."""
    params = ev.region.parameters
    fte = ev.plan.team.specialist_fte
    cost = fte * params.cost_per_fte_dkk + ev.transport.staff_km * params.cost_per_km_dkk
    return team_only(ev, divide(cost, ev.workload.contacts_per_fte * fte))


def _cost_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    _, team = team_fte_steps(ev, s, j)
    per_fte = param_step(ev, "cost_per_fte_dkk", "Cost per specialist FTE")
    _, km, _ = staff_travel_steps(ev, s, j)
    per_km = param_step(ev, "cost_per_km_dkk", "Cost per km")
    staff, travel = team.value * per_fte.value, km * per_km.value
    in_person, remote = (m[j] for m in team_counts(ev, s))
    contacts = float((in_person + remote)[list(COUNTED_CONTACTS)].sum())
    return [team, per_fte, Step("Staff cost", staff, "DKK/year", "FTE × cost per FTE"),
            Step("Staff km", km, "km/year", "outreach and consult round trips"), per_km,
            Step("Travel cost", travel, "DKK/year", "km × cost per km"),
            Step("Total cost", staff + travel, "DKK/year"),
            Step("Contacts handled", contacts, "contacts/year",
                 "outpatient contacts and consults, in person and remote"),
            team_step(ev, s, j, Step("Cost per contact", ratio(staff + travel, contacts),
                                     "DKK/contact", "total cost / contacts"))]


def _consult_coverage(ev: Evaluation) -> FloatArray:
    """Share of active acute sites whose admitted patients have consult cover (per specialty),
    as the allocation assigns consults."""
    acute = ev.region.acute_mask
    covered = ev.allocation.consult_cover[:, acute].sum(axis=1).astype(float)
    return divide(covered, np.full(covered.shape, float(acute.sum())))


def _consult_coverage_trace(ev: Evaluation, s: int, _: int) -> list[Step]:
    team_of = ev.allocation.consult_team[s]
    steps: list[Step] = []
    for k in np.flatnonzero(ev.region.acute_mask):
        team = int(team_of[k])
        on_site, video = ev.allocation.consults_on_site[s, k], ev.allocation.consults_video[s, k]
        if team == k:
            why = "team on site"
        elif team < 0:
            why = "no team sees its consults"
        else:
            why = (f"{ev.region.sites[team].name} sees {on_site:.0f} consults on site and "
                   f"{video:.0f} by video a year")
        steps.append(Step(f"Cover at {ev.region.sites[k].name}", float(team >= 0),
                          "1 = yes / 0 = no", why))
    covered = sum(step.value for step in steps)
    steps.append(Step("Consult coverage", ratio(covered, float(len(steps))), "share",
                      "covered / active acute sites"))
    return steps


_O = Perspective.ORGANISATIONAL

INDICATORS: tuple[Indicator, ...] = (
    Indicator("p90_access_minutes", _O, SPECIALTY, "minutes", _p90, _p90_trace),
    Indicator("share_within_45", _O, SPECIALTY, "share", _within_45, _within_45_trace),
    Indicator("gini_travel_time", _O, SPECIALTY, "Gini 0-1", _gini, _gini_trace),
    Indicator("utilisation", _O, SITE, "share", _utilisation, _utilisation_trace),
    Indicator("cost_per_contact", _O, SITE, "DKK/contact", _cost, _cost_trace),
    Indicator("consult_coverage", _O, SPECIALTY, "share", _consult_coverage,
              _consult_coverage_trace),
    Indicator("unserved_visits", _O, SPECIALTY, "visits/year", _unserved, _unserved_trace),
    Indicator("inpatient_cover", _O, SITE, "score", _inpatient_cover, _inpatient_cover_trace),
)
