"""Personalemæssig bæredygtighed: enough staff for the work (WISN), a bearable on-call
rota, little time on the road, and posts that are filled."""

from __future__ import annotations

from bassplan.domain.results import Evaluation, Step
from bassplan.domain.vocabulary import FloatArray, Perspective
from bassplan.scorecard.common import (
    SITE,
    Indicator,
    available_hours_steps,
    divide,
    ratio,
    staff_travel_steps,
    staffing_note,
    team_fte_steps,
    team_only,
    team_step,
    wisn_steps,
)


def _wisn(ev: Evaluation) -> FloatArray:
    """Available FTE / required FTE, from the workload stage."""
    return team_only(ev, ev.workload.wisn_ratio)


def _wisn_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    steps, required, available = wisn_steps(ev, s, j)
    return [*steps, team_step(ev, s, j, Step("WISN ratio", ratio(available, required), "ratio",
                                             "available FTE / required FTE"))]


def _on_call(ev: Evaluation) -> FloatArray:
    """N of the 1-in-N on-call rota, from the on-call stage."""
    return team_only(ev, ev.on_call.rota_n)


def _on_call_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    region, team = ev.region, ev.plan.team
    site = region.sites[j].name
    if region.specialties[s].own_rota:
        members = [s]
        how = f"{region.specialties[s].name_en}'s own rota at {site} (specialties.csv own_rota)"
    else:
        members = [k for k, spec in enumerate(region.specialties)
                   if not spec.own_rota and team.specialist_fte[k, j] > 0]
        how = f"the shared medical bagvagt at {site}"
    steps = [Step(f"{region.specialties[k].name_en}: specialists on call",
                  float(team.on_call_specialists[k, j]), "heads", staffing_note(ev))
             for k in members]
    heads = float(sum(step.value for step in steps))
    hours_steps, available = available_hours_steps(ev)
    params = region.parameters
    contractual = params.hours_per_week * params.weeks_per_year
    absence = 1.0 - available / contractual
    rota = Step("Rota 1-in-N", heads * (1.0 - absence), "N",
                f"specialists in {how} × (1 − absence share)")
    if not region.acute_mask[j]:
        rota = Step("Rota 1-in-N", float("nan"), "N", f"{site} admits nobody: no rota")
    return [*steps, Step("Specialists in the rota", heads, "heads", how),
            *hours_steps,
            Step("Contractual hours per year", contractual, "hours/year",
                 "hours/week × weeks/year"),
            Step("Absence share", absence, "share", "1 − available / contractual hours"),
            team_step(ev, s, j, rota)]


def _staff_travel(ev: Evaluation) -> FloatArray:
    """Staff travel hours per year per team specialist FTE."""
    fte = ev.plan.team.specialist_fte
    return team_only(ev, divide(ev.transport.staff_hours, fte))


def _staff_travel_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    steps, _, hours = staff_travel_steps(ev, s, j)
    _, team = team_fte_steps(ev, s, j)
    return [*steps, team, team_step(ev, s, j, Step(
        "Staff travel hours per FTE", ratio(hours, team.value), "hours/FTE/year",
        "hours / team FTE"))]


def _vacancy(ev: Evaluation) -> FloatArray:
    """Vacant FTE / (filled + vacant FTE); nan where the site has neither."""
    team = ev.plan.team
    return divide(team.vacant_fte, team.specialist_fte + team.vacant_fte)


def _vacancy_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    _, team = team_fte_steps(ev, s, j)
    vacant = Step("Vacant FTE", float(ev.plan.team.vacant_fte[s, j]), "FTE", staffing_note(ev))
    return [team, vacant, Step("Vacancy rate", ratio(vacant.value, team.value + vacant.value),
                               "share", "vacant / (filled + vacant)")]


_S = Perspective.STAFF

INDICATORS: tuple[Indicator, ...] = (
    Indicator("wisn_ratio", _S, SITE, "ratio", _wisn, _wisn_trace),
    Indicator("on_call_rota", _S, SITE, "N in 1-in-N", _on_call, _on_call_trace),
    Indicator("staff_travel_hours_per_fte", _S, SITE, "hours/FTE/year", _staff_travel,
              _staff_travel_trace),
    Indicator("vacancy_rate", _S, SITE, "share", _vacancy, _vacancy_trace),
)
