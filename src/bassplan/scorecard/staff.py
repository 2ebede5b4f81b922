"""Personalemæssig bæredygtighed: enough staff for the work (WISN), a bearable on-call
rota, little time on the road, and posts that are filled."""

from __future__ import annotations

from bassplan.domain.phrase import Phrase, phrase
from bassplan.domain.region import Specialty
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
    return [*steps, team_step(ev, s, j, Step(phrase("step_wisn_ratio"),
                                             ratio(available, required), "ratio",
                                             phrase("step_wisn_ratio_detail")))]


def _on_call(ev: Evaluation) -> FloatArray:
    """N of the 1-in-N on-call rota, from the on-call stage."""
    return team_only(ev, ev.on_call.rota_n)


def _on_call_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    region, team = ev.region, ev.plan.team
    site = region.sites[j].title
    if region.specialties[s].own_rota:
        members = [s]
        how = phrase("rota_own", specialty=_name(region.specialties[s]), site=site)
    else:
        members = [k for k, spec in enumerate(region.specialties)
                   if not spec.own_rota and team.specialist_fte[k, j] > 0]
        how = phrase("rota_shared", site=site)
    steps = [Step(phrase("step_on_call_of", specialty=_name(region.specialties[k])),
                  float(team.on_call_specialists[k, j]), "heads", staffing_note(ev))
             for k in members]
    heads = float(sum(step.value for step in steps))
    hours_steps, available = available_hours_steps(ev)
    params = region.parameters
    contractual = params.hours_per_week * params.weeks_per_year
    absence = 1.0 - available / contractual
    rota = Step(phrase("step_rota"), heads * (1.0 - absence), "N",
                phrase("step_rota_in", how=how))
    if not region.acute_mask[j]:
        rota = Step(phrase("step_rota"), float("nan"), "N", phrase("step_no_rota", site=site))
    return [*steps, Step(phrase("step_on_call_heads"), heads, "heads", how),
            *hours_steps,
            Step(phrase("step_contractual_hours"), contractual, "hours/year",
                 phrase("step_contractual_hours_detail")),
            Step(phrase("step_absence_share"), absence, "share",
                 phrase("step_absence_share_detail")),
            team_step(ev, s, j, rota)]


def _name(specialty: Specialty) -> Phrase:
    """The specialty's name in the reader's language (the region's two names)."""
    return phrase("in_language", da=specialty.name_da, en=specialty.name_en)


def _staff_travel(ev: Evaluation) -> FloatArray:
    """Staff travel hours per year per team specialist FTE."""
    fte = ev.plan.team.specialist_fte
    return team_only(ev, divide(ev.transport.staff_hours, fte))


def _staff_travel_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    steps, _, hours = staff_travel_steps(ev, s, j)
    _, team = team_fte_steps(ev, s, j)
    return [*steps, team, team_step(ev, s, j, Step(
        phrase("step_staff_travel_per_fte"), ratio(hours, team.value), "hours/FTE/year",
        phrase("step_staff_travel_per_fte_detail")))]


def _vacancy(ev: Evaluation) -> FloatArray:
    """Vacant FTE / (filled + vacant FTE); nan where the site has neither."""
    team = ev.plan.team
    return divide(team.vacant_fte, team.specialist_fte + team.vacant_fte)


def _vacancy_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    _, team = team_fte_steps(ev, s, j)
    vacant = Step(phrase("step_vacant_fte"), float(ev.plan.team.vacant_fte[s, j]), "FTE",
                  staffing_note(ev))
    return [team, vacant, Step(phrase("step_vacancy_rate"),
                               ratio(vacant.value, team.value + vacant.value), "share",
                               phrase("step_vacancy_rate_detail"))]


_S = Perspective.STAFF

INDICATORS: tuple[Indicator, ...] = (
    Indicator("wisn_ratio", _S, SITE, "ratio", _wisn, _wisn_trace),
    Indicator("on_call_rota", _S, SITE, "N in 1-in-N", _on_call, _on_call_trace),
    Indicator("staff_travel_hours_per_fte", _S, SITE, "hours/FTE/year", _staff_travel,
              _staff_travel_trace),
    Indicator("vacancy_rate", _S, SITE, "share", _vacancy, _vacancy_trace),
)
