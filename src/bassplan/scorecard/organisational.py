"""Organisatorisk bæredygtighed: access for every resident (how far, how evenly), capacity
that holds, cost, and consult cover of every acute site."""

from __future__ import annotations

import numpy as np

from bassplan.domain.demography import path_phrase
from bassplan.domain.phrase import Phrase, phrase
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
    return Step(phrase("step_residents"), float(ev.residents.sum()), "residents",
                phrase("step_projected", year=ev.year, path=path_phrase(ev.population.path)))


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
        site = ev.region.sites[int(ev.allocation.outpatient_at[s, a])].title
        steps.append(Step(phrase("step_area_to_site", area=ev.region.areas[a].name, site=site),
                          float(minutes[a]), "minutes",
                          phrase("step_area_residents", residents=float(weights[a]),
                                 share=float(cum[k]))))
    steps.append(Step(phrase("step_p90"), float(minutes[order[cross]]), "minutes",
                      phrase("step_p90_detail")))
    return steps


def _within_45(ev: Evaluation) -> FloatArray:
    """Share of residents within 45 minutes, from the access stage."""
    return np.asarray(ev.access.share_within_45, dtype=float)


def _within_45_trace(ev: Evaluation, s: int, _: int) -> list[Step]:
    near = ev.access.area_minutes[s] <= ACCESS_LIMIT_MINUTES
    everyone = _residents_step(ev)
    within = Step(phrase("step_residents_within_45"), float(ev.residents[near].sum()),
                  "residents", phrase("step_n_areas", areas=int(near.sum())))
    return [everyone, within, Step(phrase("step_share_within_45"),
                                   ratio(within.value, everyone.value), "share",
                                   phrase("step_share_within_45_detail"))]


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
    return [Step(phrase("step_mean_travel"), mean, "minutes",
                 phrase("step_mean_travel_detail")),
            Step(phrase("step_longest_travel"), float(ev.access.max_minutes[s]), "minutes",
                 phrase("step_text", text=ev.region.areas[int(ev.access.worst_area[s])].name)),
            Step(phrase("step_mean_abs_difference"), difference, "minutes",
                 phrase("step_mean_abs_difference_detail")),
            Step(phrase("step_gini"), min(max(ratio(difference, 2.0 * mean), 0.0), 1.0),
                 "Gini 0-1", phrase("step_gini_detail"))]


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
    load = Step(phrase("step_visits_seen"), float(outpatient_load(ev)[s, j]), "visits/year",
                phrase("step_visits_seen_detail"))
    if ev.plan.strength_position[s, j]:
        capacity = float(ev.allocation.outpatient_capacity[s, j])
        steps = [Step(phrase("step_team_capacity"), capacity, "visits/year",
                      phrase("step_team_capacity_detail"))]
    elif ev.plan.outreach_days_per_week[s, j] > 0:
        days = Step(phrase("step_outreach_days"), float(ev.plan.outreach_days_per_week[s, j]),
                    "days", phrase("step_outreach_days_detail"))
        weeks = param_step(ev, "clinic_weeks_per_year")
        per_day = param_step(ev, "outreach_visits_per_day")
        capacity = days.value * weeks.value * per_day.value
        steps = [days, weeks, per_day,
                 Step(phrase("step_clinic_capacity"), capacity, "visits/year",
                      phrase("step_clinic_capacity_detail"))]
    else:
        capacity = 0.0
        steps = [Step(phrase("step_no_capacity"), 0.0, "visits/year",
                      phrase("step_no_capacity_detail"))]
    return [*steps, load, Step(phrase("step_utilisation"), ratio(load.value, capacity), "share",
                               phrase("step_utilisation_visits"))]


def _unserved(ev: Evaluation) -> FloatArray:
    """(S,) in-person outpatient visits per year no service point had capacity for."""
    return np.asarray(ev.allocation.unserved.sum(axis=1), dtype=float)


def _unserved_trace(ev: Evaluation, s: int, _: int) -> list[Step]:
    unserved = ev.allocation.unserved[s]
    steps = [Step(phrase("step_unserved_in", area=ev.region.areas[a].name), float(unserved[a]),
                  "visits/year", phrase("step_unserved_in_detail"))
             for a in np.flatnonzero(unserved > 0)]
    total = float(sum(step.value for step in steps))
    return [*steps, Step(phrase("step_unserved"), total, "visits/year",
                         phrase("step_sum_over_areas"))]


# the score of each kind of inpatient cover (InpatientCover positions): none, team, rotation,
# general internal medicine with consults
COVER_SCORES = (0.0, 1.0, 0.75, 0.5)
_COVER_WORDS = ("cover_none", "cover_team", "cover_rotation", "cover_consults")


def _inpatient_cover(ev: Evaluation) -> FloatArray:
    """(S, J) who does the inpatient work at each active acute site: 1 its own team, 0.75
    rotating specialists, 0.5 general internal medicine with consults, 0 nobody; nan at
    sites that admit nobody."""
    cover = ev.allocation.inpatient_cover
    scores = np.asarray(COVER_SCORES)[np.maximum(cover, 0)]
    return np.where(cover >= 0, scores, np.nan)


def _inpatient_cover_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    cover = int(ev.allocation.inpatient_cover[s, j])
    site = ev.region.sites[j].title
    admissions = Step(phrase("step_site_admissions"),
                      float(ev.allocation.contacts[s, j, C_ADMISSION, M_STRENGTH_POSITION]),
                      "admissions/year", phrase("step_site_admissions_detail"))
    if cover < 0:
        return [admissions, Step(phrase("step_inpatient_cover"), float("nan"), "score",
                                 phrase("step_not_acute", site=site))]
    team = int(ev.plan.serving_team[s, j])
    name: str | Phrase = ev.region.sites[team].title if team >= 0 else phrase("no_team")
    detail = phrase("step_cover_detail", site=site, cover=phrase(_COVER_WORDS[cover], team=name))
    return [admissions, Step(phrase("step_inpatient_cover"), COVER_SCORES[cover], "score",
                             detail)]


def _cost(ev: Evaluation) -> FloatArray:
    """(FTE × cost per FTE + staff km × cost per km) / contacts handled, in DKK per contact."""
    params = ev.region.parameters
    fte = ev.plan.team.specialist_fte
    cost = fte * params.cost_per_fte_dkk + ev.transport.staff_km * params.cost_per_km_dkk
    return team_only(ev, divide(cost, ev.workload.contacts_per_fte * fte))


def _cost_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    _, team = team_fte_steps(ev, s, j)
    per_fte = param_step(ev, "cost_per_fte_dkk")
    _, km, _ = staff_travel_steps(ev, s, j)
    per_km = param_step(ev, "cost_per_km_dkk")
    staff, travel = team.value * per_fte.value, km * per_km.value
    in_person, remote = (m[j] for m in team_counts(ev, s))
    contacts = float((in_person + remote)[list(COUNTED_CONTACTS)].sum())
    return [team, per_fte,
            Step(phrase("step_staff_cost"), staff, "DKK/year", phrase("step_staff_cost_detail")),
            Step(phrase("step_staff_km"), km, "km/year", phrase("step_staff_km_trips")), per_km,
            Step(phrase("step_travel_cost"), travel, "DKK/year",
                 phrase("step_travel_cost_detail")),
            Step(phrase("step_total_cost"), staff + travel, "DKK/year"),
            Step(phrase("step_contacts_handled"), contacts, "contacts/year",
                 phrase("step_contacts_handled_detail")),
            team_step(ev, s, j, Step(phrase("step_cost_per_contact"),
                                     ratio(staff + travel, contacts), "DKK/contact",
                                     phrase("step_cost_per_contact_detail")))]


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
            why = phrase("step_team_on_site")
        elif team < 0:
            why = phrase("step_no_consult_team")
        else:
            why = phrase("step_consults_by", site=ev.region.sites[team].title,
                         on_site=float(on_site), video=float(video))
        steps.append(Step(phrase("step_cover_at", site=ev.region.sites[k].title),
                          float(team >= 0), "1 = yes / 0 = no", why))
    covered = sum(step.value for step in steps)
    steps.append(Step(phrase("step_consult_coverage"), ratio(covered, float(len(steps))),
                      "share", phrase("step_consult_coverage_detail")))
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
