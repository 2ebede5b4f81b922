"""Faglig bæredygtighed: each team large, busy and robust enough to keep its skills, and
training the next generation."""

from __future__ import annotations

from bassplan.domain.phrase import phrase
from bassplan.domain.results import Evaluation, Step
from bassplan.domain.vocabulary import FloatArray, Perspective
from bassplan.model.workload import COUNTED_CONTACTS
from bassplan.scorecard.common import (
    EPS_FTE,
    SITE,
    Compute,
    Indicator,
    Trace,
    divide,
    min_team,
    ratio,
    staffing_note,
    team_counts,
    team_fte_steps,
    team_only,
    team_step,
)

_MIN_TEAM_NOTE = phrase("step_min_team_note")


def _team_size(ev: Evaluation) -> FloatArray:
    """Team specialist FTE / minimum robust team (ratio)."""
    return team_only(ev, divide(ev.plan.team.specialist_fte, min_team(ev)))


def _team_size_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    base, team = team_fte_steps(ev, s, j)
    minimum = ev.region.specialties[s].min_team_fte
    return [base, team, Step(phrase("step_min_team"), minimum, "FTE", _MIN_TEAM_NOTE),
            team_step(ev, s, j, Step(phrase("step_team_size"), ratio(team.value, minimum),
                                     "ratio", phrase("step_team_size_detail")))]


def _contacts_per_fte(ev: Evaluation) -> FloatArray:
    """Contacts per year per specialist FTE, from the workload stage."""
    return team_only(ev, ev.workload.contacts_per_fte)


def _contacts_per_fte_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    in_person, remote = (m[j][list(COUNTED_CONTACTS)] for m in team_counts(ev, s))
    base, team = team_fte_steps(ev, s, j)
    people = Step(phrase("step_contacts_in_person"), float(in_person.sum()), "contacts/year",
                  phrase("step_contacts_in_person_detail"))
    digital = Step(phrase("step_digital_contacts"), float(remote.sum()), "contacts/year")
    return [people, digital, base, team,
            team_step(ev, s, j, Step(phrase("step_contacts_per_fte"),
                                     ratio(people.value + digital.value, team.value),
                                     "contacts/FTE/year", phrase("step_contacts_per_fte_detail")))]


def _robust(leavers: float) -> tuple[Compute, Trace]:
    """The computation and trace of N-k robustness for k = ``leavers``."""

    def compute(ev: Evaluation) -> FloatArray:
        """1 where the team still holds its minimum after the leavers go, else 0."""
        keeps = ev.plan.team.specialist_fte - leavers >= min_team(ev) - EPS_FTE
        return team_only(ev, keeps.astype(float))

    def trace(ev: Evaluation, s: int, j: int) -> list[Step]:
        base, team = team_fte_steps(ev, s, j)
        minimum = ev.region.specialties[s].min_team_fte
        left = team.value - leavers
        holds = left >= minimum - EPS_FTE
        answer = phrase("yes" if holds else "no")
        return [base, team, Step(phrase("step_leavers"), leavers, "FTE"),
                Step(phrase("step_fte_left"), left, "FTE", phrase("step_fte_left_detail")),
                Step(phrase("step_min_team"), minimum, "FTE", _MIN_TEAM_NOTE),
                team_step(ev, s, j, Step(phrase("step_n_robust", leavers=leavers), float(holds),
                                         "1 = yes / 0 = no",
                                         phrase("step_n_robust_detail", answer=answer)))]

    return compute, trace


def _trainees(ev: Evaluation) -> FloatArray:
    """Trainee FTE per specialist FTE."""
    team = ev.plan.team
    return team_only(ev, divide(team.trainee_fte, team.specialist_fte))


def _trainees_trace(ev: Evaluation, s: int, j: int) -> list[Step]:
    trainees = Step(phrase("step_trainee_fte"), float(ev.plan.team.trainee_fte[s, j]), "FTE",
                    staffing_note(ev))
    _, team = team_fte_steps(ev, s, j)
    return [trainees, team, team_step(ev, s, j, Step(
        phrase("step_trainees_per_specialist"), ratio(trainees.value, team.value), "ratio",
        phrase("step_trainees_per_specialist_detail")))]


_n1, _n1_trace = _robust(1.0)
_n2, _n2_trace = _robust(2.0)
_P = Perspective.PROFESSIONAL

INDICATORS: tuple[Indicator, ...] = (
    Indicator("team_size_ratio", _P, SITE, "ratio", _team_size, _team_size_trace),
    Indicator("contacts_per_fte", _P, SITE, "contacts/FTE/year", _contacts_per_fte,
              _contacts_per_fte_trace),
    Indicator("n1_robust", _P, SITE, "1 = yes / 0 = no", _n1, _n1_trace),
    Indicator("n2_robust", _P, SITE, "1 = yes / 0 = no", _n2, _n2_trace),
    Indicator("trainees_per_specialist", _P, SITE, "trainee FTE/specialist FTE", _trainees,
              _trainees_trace),
)


def n1_robust(evaluation: Evaluation) -> FloatArray:
    """(S, J) 1 where a team keeps its minimum when one specialist leaves, 0 if not, nan
    without a team (for the optimiser's Pareto table)."""
    return INDICATORS[2].compute(evaluation)
