"""The three-perspective scorecard: every catalogue indicator computed from an evaluation,
coloured by its thresholds, and the views built on it (heat-map, colour changes).

Each indicator id has one small computation in ``COMPUTATIONS``; the catalogue loader
refuses an id without one, so the editable CSV and this code cannot drift apart.
Site-level computations return an (S, J) array, specialty-level ones an (S,) array;
nan means 'no value' (no team at the site) and is coloured ``Colour.NONE``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.results import Evaluation, IndicatorDef, Score, Scorecard
from bassplan.domain.vocabulary import (
    C_CONSULT,
    CONTACT_TYPES,
    M_OUTREACH,
    OUTPATIENT,
    BoolArray,
    Colour,
    Direction,
    FloatArray,
    Perspective,
)

SITE = "site"
SPECIALTY = "specialty"
LEVELS: tuple[str, ...] = (SITE, SPECIALTY)
CONSULT_REACH_MINUTES = 60.0  # a serving team this close can see consults on site
_EPS = 1e-9  # tolerance for FTE comparisons (sums of fractional FTE)
_SEVERITY = {Colour.NONE: 0, Colour.GREEN: 1, Colour.YELLOW: 2, Colour.RED: 3}


@dataclass(frozen=True)
class Computation:
    """How one indicator is computed: its level and a function of the evaluation."""

    level: str
    compute: Callable[[Evaluation], FloatArray]


@dataclass(frozen=True)
class ColourChange:
    """One indicator value whose colour differs between two scenarios (a → b)."""

    indicator_id: str
    specialty_id: str
    site_id: str | None
    value_a: float
    colour_a: Colour
    value_b: float
    colour_b: Colour


def divide(num: FloatArray, den: FloatArray) -> FloatArray:
    """Element-wise num / den, nan where den is not positive."""
    num_b, den_b = np.broadcast_arrays(np.asarray(num, float), np.asarray(den, float))
    out = np.full(num_b.shape, np.nan)
    np.divide(num_b, den_b, out=out, where=den_b > 0)
    return out


def has_team(evaluation: Evaluation) -> BoolArray:
    """(S, J) True where the specialty has a team (specialist FTE > 0) at the site."""
    return np.asarray(evaluation.plan.team.specialist_fte > 0, dtype=bool)


def scored_cells(evaluation: Evaluation) -> BoolArray:
    """(S, J) specialty × site cells that get site-level scores: a team or an outreach clinic."""
    return has_team(evaluation) | (evaluation.plan.outreach_days_per_week > 0)


def _team_only(evaluation: Evaluation, values: FloatArray) -> FloatArray:
    """Keep values where the specialty has a team at the site, nan elsewhere."""
    return np.where(has_team(evaluation), values, np.nan)


def _min_team(evaluation: Evaluation) -> FloatArray:
    """(S, 1) minimum robust team per specialty (specialist FTE)."""
    return np.array([[s.min_team_fte] for s in evaluation.region.specialties], dtype=float)


def _robust(evaluation: Evaluation, leavers: float) -> FloatArray:
    """1 where the team still holds its minimum after ``leavers`` specialists leave, else 0."""
    fte = evaluation.plan.team.specialist_fte
    keeps = fte - leavers >= _min_team(evaluation) - _EPS
    return _team_only(evaluation, keeps.astype(float))


def team_size_ratio(evaluation: Evaluation) -> FloatArray:
    """Team specialist FTE / minimum robust team (ratio)."""
    fte = evaluation.plan.team.specialist_fte
    return _team_only(evaluation, divide(fte, _min_team(evaluation)))


def contacts_per_fte(evaluation: Evaluation) -> FloatArray:
    """Contacts per year per specialist FTE, from the workload stage."""
    return _team_only(evaluation, evaluation.workload.contacts_per_fte)


def n1_robust(evaluation: Evaluation) -> FloatArray:
    """1 if FTE − 1 ≥ minimum team, else 0."""
    return _robust(evaluation, 1.0)


def n2_robust(evaluation: Evaluation) -> FloatArray:
    """1 if FTE − 2 ≥ minimum team, else 0."""
    return _robust(evaluation, 2.0)


def trainees_per_specialist(evaluation: Evaluation) -> FloatArray:
    """Trainee FTE per specialist FTE."""
    team = evaluation.plan.team
    return _team_only(evaluation, divide(team.trainee_fte, team.specialist_fte))


def wisn_ratio(evaluation: Evaluation) -> FloatArray:
    """Available FTE / required FTE, from the workload stage."""
    return _team_only(evaluation, evaluation.workload.wisn_ratio)


def on_call_rota(evaluation: Evaluation) -> FloatArray:
    """N of the 1-in-N on-call rota, from the on-call stage."""
    return _team_only(evaluation, evaluation.on_call.rota_n)


def staff_travel_hours_per_fte(evaluation: Evaluation) -> FloatArray:
    """Staff travel hours per year per team specialist FTE."""
    fte = evaluation.plan.team.specialist_fte
    return _team_only(evaluation, divide(evaluation.transport.staff_hours, fte))


def vacancy_rate(evaluation: Evaluation) -> FloatArray:
    """Vacant FTE / (filled + vacant FTE); nan where the site has neither."""
    team = evaluation.plan.team
    return divide(team.vacant_fte, team.specialist_fte + team.vacant_fte)


def p90_access_minutes(evaluation: Evaluation) -> FloatArray:
    """Population-weighted P90 of travel minutes, from the access stage."""
    return np.asarray(evaluation.access.p90_minutes, dtype=float)


def share_within_45(evaluation: Evaluation) -> FloatArray:
    """Share of residents within 45 minutes, from the access stage."""
    return np.asarray(evaluation.access.share_within_45, dtype=float)


def gini_travel_time(evaluation: Evaluation) -> FloatArray:
    """Gini of travel minutes across residents, from the access stage."""
    return np.asarray(evaluation.access.gini, dtype=float)


def outreach_load(evaluation: Evaluation) -> FloatArray:
    """(S, J) outpatient contacts per year seen at outreach clinics at each site."""
    ct = [CONTACT_TYPES.index(c) for c in OUTPATIENT]
    m = M_OUTREACH
    return np.asarray(evaluation.allocation.contacts[:, :, ct, m].sum(axis=2), dtype=float)


def outreach_capacity(evaluation: Evaluation) -> FloatArray:
    """(S, J) outreach clinic capacity in contacts per year: days × weeks × visits per day."""
    region = evaluation.region
    per_day = region.parameters.outreach_visits_per_day
    weeks = region.parameters.clinic_weeks_per_year
    return np.asarray(evaluation.plan.outreach_days_per_week * weeks * per_day, dtype=float)


def utilisation(evaluation: Evaluation) -> FloatArray:
    """Required / available FTE at team sites; outreach load / capacity at outreach-only sites."""
    team = has_team(evaluation)
    work = evaluation.workload
    at_team = divide(work.required_fte, work.available_fte)
    at_outreach = divide(outreach_load(evaluation), outreach_capacity(evaluation))
    return np.where(team, at_team, at_outreach)


def cost_per_contact(evaluation: Evaluation) -> FloatArray:
    """(FTE × cost per FTE + staff km × cost per km) / contacts handled, in DKK per contact."""
    region = evaluation.region
    fte = evaluation.plan.team.specialist_fte
    cost = fte * region.parameters.cost_per_fte_dkk
    cost = cost + evaluation.transport.staff_km * region.parameters.cost_per_km_dkk
    contacts = evaluation.workload.contacts_per_fte * fte
    return _team_only(evaluation, divide(cost, contacts))


def site_minutes(evaluation: Evaluation) -> FloatArray:
    """(J, J) travel minutes from site j to site k (from j's area to k)."""
    region = evaluation.region
    area_index = {area.code: a for a, area in enumerate(region.areas)}
    area_of_site = [area_index[site.area_code] for site in region.sites]
    return np.asarray(evaluation.travel_minutes[area_of_site, :], dtype=float)


def consult_cover(evaluation: Evaluation) -> BoolArray:
    """(S, J) True where admitted patients of the specialty at site j have consult cover:
    a team on site, a serving team within ``CONSULT_REACH_MINUTES`` or video consults."""
    plan = evaluation.plan
    serving = plan.serving_team
    n_sites = serving.shape[1]
    minutes = site_minutes(evaluation)[np.clip(serving, 0, None), np.arange(n_sites)]
    served = serving >= 0
    near = served & (minutes <= CONSULT_REACH_MINUTES)
    video = served & (plan.digital_share[:, [C_CONSULT]] > 0)
    return np.asarray(has_team(evaluation) | near | video, dtype=bool)


def consult_coverage(evaluation: Evaluation) -> FloatArray:
    """Share of active acute sites whose admitted patients have consult cover (per specialty)."""
    acute = evaluation.region.acute_mask
    covered = consult_cover(evaluation)[:, acute].sum(axis=1).astype(float)
    return divide(covered, np.full(covered.shape, float(acute.sum())))


COMPUTATIONS: Mapping[str, Computation] = {
    "team_size_ratio": Computation(SITE, team_size_ratio),
    "contacts_per_fte": Computation(SITE, contacts_per_fte),
    "n1_robust": Computation(SITE, n1_robust),
    "n2_robust": Computation(SITE, n2_robust),
    "trainees_per_specialist": Computation(SITE, trainees_per_specialist),
    "wisn_ratio": Computation(SITE, wisn_ratio),
    "on_call_rota": Computation(SITE, on_call_rota),
    "staff_travel_hours_per_fte": Computation(SITE, staff_travel_hours_per_fte),
    "vacancy_rate": Computation(SITE, vacancy_rate),
    "p90_access_minutes": Computation(SPECIALTY, p90_access_minutes),
    "share_within_45": Computation(SPECIALTY, share_within_45),
    "gini_travel_time": Computation(SPECIALTY, gini_travel_time),
    "utilisation": Computation(SITE, utilisation),
    "cost_per_contact": Computation(SITE, cost_per_contact),
    "consult_coverage": Computation(SPECIALTY, consult_coverage),
}


def computation(indicator: IndicatorDef) -> Computation:
    """Return the computation of an indicator; InputError if it has none or another level."""
    comp = COMPUTATIONS.get(indicator.id)
    where = f"indicator {indicator.id}"
    if comp is None:
        known = ", ".join(sorted(COMPUTATIONS))
        raise InputError("indicator catalogue", where, "id", f"no computation (known: {known})")
    if comp.level != indicator.level:
        rule = f"level '{indicator.level}' but the computation is '{comp.level}'-level"
        raise InputError("indicator catalogue", where, "level", rule)
    return comp


def colour_of(value: float, indicator: IndicatorDef) -> Colour:
    """Traffic-light colour of a value by the indicator's thresholds (nan → NONE)."""
    if math.isnan(value):
        return Colour.NONE
    if indicator.direction == Direction.HIGHER_IS_BETTER:
        if value >= indicator.green:
            return Colour.GREEN
        return Colour.RED if value < indicator.red else Colour.YELLOW
    if value <= indicator.green:
        return Colour.GREEN
    return Colour.RED if value > indicator.red else Colour.YELLOW


def score(evaluation: Evaluation, indicators: Sequence[IndicatorDef]) -> Scorecard:
    """Compute and colour every indicator: site-level ones per scored specialty × site cell,
    specialty-level ones once per specialty (site None)."""
    region = evaluation.region
    cells = np.argwhere(scored_cells(evaluation))  # row-major: specialty, then site
    scores: list[Score] = []
    for ind in indicators:
        comp = computation(ind)
        values = comp.compute(evaluation)
        if comp.level == SITE:
            for s, j in cells:
                v = float(values[s, j])
                spec, site = region.specialties[s].id, region.sites[j].id
                scores.append(Score(ind.id, spec, site, v, colour_of(v, ind)))
        else:
            for s, spec_def in enumerate(region.specialties):
                v = float(values[s])
                scores.append(Score(ind.id, spec_def.id, None, v, colour_of(v, ind)))
    return Scorecard(evaluation.scenario_name, tuple(indicators), tuple(scores))


def worst_colour(colours: Iterable[Colour]) -> Colour:
    """The most severe colour: red > yellow > green > none (NONE for no colours)."""
    return max(colours, key=_SEVERITY.__getitem__, default=Colour.NONE)


def heatmap(scorecard: Scorecard) -> dict[tuple[str, str | None, Perspective], Colour]:
    """Worst colour of each perspective's indicators per (specialty, site or None) cell."""
    perspective = {ind.id: ind.perspective for ind in scorecard.indicators}
    cells: dict[tuple[str, str | None, Perspective], Colour] = {}
    for sc in scorecard.scores:
        key = (sc.specialty_id, sc.site_id, perspective[sc.indicator_id])
        cells[key] = worst_colour((cells.get(key, Colour.NONE), sc.colour))
    return cells


def changed_colours(a: Scorecard, b: Scorecard) -> list[ColourChange]:
    """Scores whose colour differs from scenario a to b, with both values; a score present in
    one scorecard only counts as nan / NONE in the other. Order: a's scores, then b's new ones."""
    by_key_a = {(s.indicator_id, s.specialty_id, s.site_id): s for s in a.scores}
    by_key_b = {(s.indicator_id, s.specialty_id, s.site_id): s for s in b.scores}
    keys = list(by_key_a) + [k for k in by_key_b if k not in by_key_a]
    changes: list[ColourChange] = []
    for key in keys:
        sa, sb = by_key_a.get(key), by_key_b.get(key)
        va, ca = (sa.value, sa.colour) if sa else (math.nan, Colour.NONE)
        vb, cb = (sb.value, sb.colour) if sb else (math.nan, Colour.NONE)
        if ca != cb:
            changes.append(ColourChange(key[0], key[1], key[2], va, ca, vb, cb))
    return changes
