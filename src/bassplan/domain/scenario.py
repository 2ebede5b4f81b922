"""The scenario: a named, complete choice of strength positions, outreach, digital shares,
need-based follow-up, staffing and year — its schema and its check against a region."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.domain.vocabulary import ContactType

DEFAULT_KEY = "default"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutreachClinic(_Strict):
    """Specialists from a strength position holding clinic days at another site."""

    site: str
    days_per_week: float = Field(gt=0, le=5)


class NeedBasedFollowUp(_Strict):
    """PRO-triggered follow-up: share of follow-up patients on PRO, and the share of
    PRO answers that trigger a visit (TeRA trial: 1.72/4.15 ≈ 0.41 of usual visits)."""

    pro_share: float = Field(ge=0, le=1)
    # default: the TeRA trial's PRO arm had 1.72 visits/year against 4.15 in usual care
    # (de Thurah et al. 2018, follow_up_intensity.csv), i.e. about 0.41 of the visits
    trigger_rate: float = Field(default=round(1.72 / 4.15, 2), ge=0, le=1)


class StaffingChange(_Strict):
    """Added (or, negative, removed) staff for one specialty at one site, in FTE / heads."""

    specialty: str
    site: str
    specialist_fte: float = 0.0
    trainee_fte: float = 0.0
    vacant_fte: float = 0.0
    on_call_specialists: float = 0.0


class TravelModel(_Strict):
    """How travel between areas and sites is computed; None takes the region's default."""

    model: Literal["great_circle", "matrix"] = "great_circle"
    detour_factor: float | None = Field(default=None, ge=1, le=3)
    speed_kmh: float | None = Field(default=None, gt=5, le=130)
    matrix: str | None = None  # path of an area × site CSV (area_code, site_id, minutes, km)


class OptimisationWeights(_Strict):
    """Weights of the optimiser's objective: per patient travel hour, per staff travel hour
    and per DKK of cost (e.g. 0.001 values 1,000 DKK like one hour)."""

    patient_hours: float = Field(default=1.0, ge=0)
    staff_hours: float = Field(default=1.0, ge=0)
    cost_dkk: float = Field(default=0.0, ge=0)


class ReleasedStaff(_Strict):
    """Specialist FTE of one specialty at one site that a plan lets go, and why (every
    other specialist FTE of the base staffing must be placed at a strength position)."""

    specialty: str
    site: str
    fte: float = Field(gt=0)
    reason: str = Field(min_length=3)


class OptimisationSettings(_Strict):
    """What `bass optimise` may choose and must respect. Keys of ``fixed_open``,
    ``fixed_closed`` and ``eligible_sites`` are specialty ids or 'default'; strength
    positions lie at active acute sites, and at the active sites ``eligible_sites`` adds;
    ``site_capacity`` is outpatient contacts per year a site's clinic rooms hold, across
    all specialties. Staff are conserved: every specialist FTE is placed or released
    (``released_staff``); FTE leaving their site are moves, at ``cost_per_moved_fte_dkk``
    each per year and at most ``max_moved_fte`` (organisation id or 'default') out of one
    organisation's sites, the optimised specialties together."""

    weights: OptimisationWeights = OptimisationWeights()
    min_strength_positions: int = Field(default=1, ge=1)
    max_strength_positions: int | None = Field(default=None, ge=1)
    access_minutes: float = Field(default=45.0, gt=0)
    access_share: float = Field(default=0.0, ge=0, le=1)
    candidate_sites: list[str] | None = None
    fixed_open: dict[str, list[str]] = Field(default_factory=dict)
    fixed_closed: dict[str, list[str]] = Field(default_factory=dict)
    max_outreach_days: float = Field(default=5.0, ge=0, le=5)
    allow_cross_organisation: bool = False
    site_capacity: dict[str, float] = Field(default_factory=dict)
    eligible_sites: dict[str, list[str]] = Field(default_factory=dict)
    released_staff: list[ReleasedStaff] = Field(default_factory=list)
    max_moved_fte: dict[str, float] = Field(default_factory=dict)
    cost_per_moved_fte_dkk: float = Field(default=0.0, ge=0)
    time_limit_seconds: float = Field(default=60.0, gt=0)
    gap: float = Field(default=0.0, ge=0, lt=1)


class Scenario(_Strict):
    """A BASS scenario. Specialties left out of ``strength_positions`` keep a team at every
    active acute site (the baseline). ``digital_share`` and ``need_based_follow_up`` take a
    specialty id or 'default' as key."""

    name: str = Field(min_length=1)
    description: str = ""
    # assignments: specialty -> area code -> the site where its residents are seen in person
    #   (default: the nearest strength position or outreach clinic), as an optimised plan
    #   writes them; serving_teams: specialty -> site -> the strength position whose team
    #   holds its outreach days and consults (default: the nearest, own organisation first)
    year: int = Field(ge=2000, le=2100)
    strength_positions: dict[str, list[str]] = Field(default_factory=dict)
    outreach: dict[str, list[OutreachClinic]] = Field(default_factory=dict)
    digital_share: dict[str, dict[ContactType, float]] = Field(default_factory=dict)
    need_based_follow_up: dict[str, NeedBasedFollowUp] = Field(default_factory=dict)
    staffing_changes: list[StaffingChange] = Field(default_factory=list)
    organisations: dict[str, list[str]] = Field(default_factory=dict)
    pool_staff: Literal["organisation", "region", "none"] = "organisation"
    consult_reach_minutes: float = Field(default=60.0, gt=0)  # farther teams consult by video
    # inpatient_cover: specialty (or 'default') -> who does the inpatient work at an active
    #   acute site where the specialty has no team: 'rotation' (specialists from the serving
    #   strength position work there; the default), 'consults' (general internal medicine
    #   admits, the specialty sees one consult per admission) or 'none' (no cover: red)
    inpatient_cover: dict[str, Literal["rotation", "consults", "none"]] = Field(
        default_factory=dict)
    travel: TravelModel = TravelModel()
    assignments: dict[str, dict[str, str]] = Field(default_factory=dict)
    serving_teams: dict[str, dict[str, str]] = Field(default_factory=dict)
    optimisation: OptimisationSettings | None = None


def check_against_region(scenario: Scenario, region: Region, source: str) -> None:
    """Raise InputError if the scenario names a specialty, site or organisation the region
    lacks, or gives a share outside 0..1; ``source`` is the scenario file's name."""
    specialties = {s.id for s in region.specialties}
    sites = {s.id for s in region.sites}
    organisations = {o.id for o in region.organisations}

    def need(known: set[str], value: str, where: str, field: str, what: str) -> None:
        if value not in known:
            choices = ", ".join(sorted(known))
            raise InputError(source, where, field, f"unknown {what} '{value}' (known: {choices})")

    for spec, site_ids in scenario.strength_positions.items():
        need(specialties, spec, "strength_positions", spec, "specialty")
        if not site_ids:
            raise InputError(source, f"strength_positions.{spec}", spec, "needs at least one site")
        for k, site in enumerate(site_ids):
            need(sites, site, f"strength_positions.{spec}[{k}]", "site", "site")
    for spec, clinics in scenario.outreach.items():
        need(specialties, spec, "outreach", spec, "specialty")
        for k, clinic in enumerate(clinics):
            need(sites, clinic.site, f"outreach.{spec}[{k}]", "site", "site")
    for key, shares in scenario.digital_share.items():
        if key != DEFAULT_KEY:
            need(specialties, key, "digital_share", key, "specialty")
        for ct, share in shares.items():
            if not 0.0 <= share <= 1.0:
                raise InputError(
                    source, f"digital_share.{key}", str(ct), f"share {share} is outside 0..1"
                )
    for key in scenario.need_based_follow_up:
        if key != DEFAULT_KEY:
            need(specialties, key, "need_based_follow_up", key, "specialty")
    for key in scenario.inpatient_cover:
        if key != DEFAULT_KEY:
            need(specialties, key, "inpatient_cover", key, "specialty")
    for k, change in enumerate(scenario.staffing_changes):
        need(specialties, change.specialty, f"staffing_changes[{k}]", "specialty", "specialty")
        need(sites, change.site, f"staffing_changes[{k}]", "site", "site")
    for org, site_ids in scenario.organisations.items():
        need(organisations, org, "organisations", org, "organisation")
        for k, site in enumerate(site_ids):
            need(sites, site, f"organisations.{org}[{k}]", "site", "site")
    areas = {a.code for a in region.areas}
    for spec, by_area in scenario.assignments.items():
        need(specialties, spec, "assignments", spec, "specialty")
        for area, site in by_area.items():
            need(areas, area, f"assignments.{spec}", area, "municipality code")
            need(sites, site, f"assignments.{spec}.{area}", "site", "site")
    for spec, by_site in scenario.serving_teams.items():
        need(specialties, spec, "serving_teams", spec, "specialty")
        for site, team in by_site.items():
            need(sites, site, f"serving_teams.{spec}", site, "site")
            need(sites, team, f"serving_teams.{spec}.{site}", "team", "site")
    if scenario.optimisation is not None:
        _check_optimisation(scenario.optimisation, specialties, sites,
                            organisations | {s.organisation_id for s in region.sites}, source)
    if scenario.travel.model == "matrix" and not scenario.travel.matrix:
        raise InputError(source, "travel", "matrix", "model 'matrix' needs a matrix CSV path")


def _check_optimisation(
    settings: OptimisationSettings, specialties: set[str], sites: set[str],
    organisations: set[str], source: str,
) -> None:
    """Check the optimisation section's ids and bounds against the region."""
    keys = specialties | {DEFAULT_KEY}
    for section, fixed in (("fixed_open", settings.fixed_open),
                           ("fixed_closed", settings.fixed_closed),
                           ("eligible_sites", settings.eligible_sites)):
        for key, site_ids in fixed.items():
            if key not in keys:
                raise InputError(source, f"optimisation.{section}", key,
                                 f"unknown specialty '{key}' (known: {', '.join(sorted(keys))})")
            for k, site in enumerate(site_ids):
                if site not in sites:
                    raise InputError(source, f"optimisation.{section}.{key}[{k}]", "site",
                                     f"unknown site '{site}'")
    for k, site in enumerate(settings.candidate_sites or []):
        if site not in sites:
            raise InputError(source, f"optimisation.candidate_sites[{k}]", "site",
                             f"unknown site '{site}'")
    for k, released in enumerate(settings.released_staff):
        if released.specialty not in specialties:
            raise InputError(source, f"optimisation.released_staff[{k}]", "specialty",
                             f"unknown specialty '{released.specialty}'")
        if released.site not in sites:
            raise InputError(source, f"optimisation.released_staff[{k}]", "site",
                             f"unknown site '{released.site}'")
    for key, cap in settings.max_moved_fte.items():
        if key not in organisations | {DEFAULT_KEY}:
            raise InputError(source, "optimisation.max_moved_fte", key,
                             f"unknown organisation '{key}'")
        if cap < 0:
            raise InputError(source, "optimisation.max_moved_fte", key,
                             f"{cap:g} FTE is negative")
    for site in settings.site_capacity:
        if site not in sites:
            raise InputError(source, "optimisation.site_capacity", site, f"unknown site '{site}'")
    if (settings.max_strength_positions is not None
            and settings.max_strength_positions < settings.min_strength_positions):
        raise InputError(source, "optimisation", "max_strength_positions",
                         "is smaller than min_strength_positions")
