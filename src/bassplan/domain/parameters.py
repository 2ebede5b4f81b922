"""The region's model settings as one frozen, typed record, built and checked once at load.

Each setting is a field with its unit in the comment; ``records`` keeps where each value
came from (source, illustrative flag) for explanations and reports. Quantities derived
from several settings (available hours per FTE, the absence share) are computed here and
nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from bassplan.domain.errors import InputError

WORKING_DAYS_PER_WEEK = 5.0  # Monday to Friday: a working day is a fifth of the week's hours
MINUTES_PER_HOUR = 60.0


@dataclass(frozen=True)
class Parameter:
    """One named model setting with its unit, source and illustrative flag."""

    key: str
    value: float
    unit: str
    source: str
    illustrative: bool


@dataclass(frozen=True)
class Parameters:
    """Every model setting of a region, one typed field each (build with ``from_records``)."""

    hours_per_week: float  # contractual hours per week of one FTE
    weeks_per_year: float  # calendar weeks per year
    holiday_weeks: float  # weeks of holiday per year
    public_holiday_days: float  # public holidays on weekdays per year (days)
    sick_leave_days: float  # days per year
    cpd_days: float  # continuing professional development, days per year
    category_allowance: float  # share of working time for non-contact work, in [0, 1)
    trainee_productivity: float  # a trainee's contacts as a share of a specialist's
    digital_minutes_factor: float  # a digital contact's minutes / the in-person minutes
    pro_minutes_per_answer: float  # specialist minutes to review one PRO questionnaire
    outreach_visits_per_day: float  # contacts per outreach clinic day
    consults_per_visit: float  # consults seen on one on-site visit to another acute site
    clinic_weeks_per_year: float  # weeks per year a clinic runs
    road_speed_kmh: float  # default travel model: road speed (km/h)
    detour_factor: float  # default travel model: road km per great-circle km
    co2_g_per_km: float  # grams of CO2 per car km
    cost_per_fte_dkk: float  # DKK per specialist FTE per year
    cost_per_km_dkk: float  # DKK per staff km driven
    fca_catchment_minutes: float  # 2SFCA catchment (minutes)
    reimbursement_threshold_km: float  # one-way km beyond which every patient is reimbursed
    reimbursement_dkk_per_km: float  # DKK per km driven that the region reimburses
    pensioner_share: float  # share of the trips made by pensioners (reimbursed nearer too)
    pensioner_minimum_dkk: float  # a pensioner's round trip is reimbursed above this (DKK)
    flexpatient_dkk_per_trip: float  # DKK per one-way Flexpatient trip
    dialysis_flexpatient_share: float  # share of dialysis trips the region drives
    records: Mapping[str, Parameter] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The setting names, in declaration order (the rows parameters.csv must hold)."""
        return tuple(f.name for f in fields(cls) if f.name != "records")

    @classmethod
    def from_records(cls, records: Mapping[str, Parameter], source: str) -> Parameters:
        """Check and build the record: every key present, none unknown, each in its range.

        ``source`` names the file in the one-line InputError (e.g. 'parameters.csv').
        """
        known = cls.keys()
        for key in records:
            if key not in known:
                raise InputError(source, f"key {key}", "key",
                                 f"unknown parameter (known: {', '.join(known)})")
        for key in known:
            if key not in records:
                raise InputError(source, f"key {key}", "value", "required parameter is missing")
        built = cls(**{k: float(records[k].value) for k in known}, records=dict(records))
        built._check(source)
        return built

    def _check(self, source: str) -> None:
        """Raise InputError for a value outside its range or a working year without hours."""
        for key in self.keys():
            if getattr(self, key) < 0:
                raise InputError(source, f"key {key}", "value", "must be ≥ 0")
        for key in ("category_allowance", "trainee_productivity", "digital_minutes_factor",
                    "pensioner_share", "dialysis_flexpatient_share"):
            if getattr(self, key) > 1:
                raise InputError(source, f"key {key}", "value", "a share must lie in 0..1")
        if self.category_allowance >= 1:
            raise InputError(source, "key category_allowance", "value",
                             f"{self.category_allowance:g} must lie in [0, 1)")
        for key in ("hours_per_week", "weeks_per_year", "road_speed_kmh", "detour_factor",
                    "outreach_visits_per_day", "consults_per_visit", "clinic_weeks_per_year"):
            if getattr(self, key) <= 0:
                raise InputError(source, f"key {key}", "value", "must be > 0")
        hours = self.available_hours_per_fte
        if not hours > 0:
            raise InputError(source, "key hours_per_week", "value",
                             f"leave, holidays and CPD leave {hours:g} working hours per FTE; "
                             "must be > 0")

    def record(self, key: str) -> Parameter:
        """The setting's value with its unit, source and illustrative flag."""
        if key in self.records:
            return self.records[key]
        return Parameter(key, float(getattr(self, key)), "", "", False)

    @property
    def illustrative_keys(self) -> tuple[str, ...]:
        """Keys of the settings whose values are illustrative, not sourced."""
        return tuple(k for k in self.keys() if self.record(k).illustrative)

    @property
    def day_hours(self) -> float:
        """Hours of one working day: weekly hours / working days per week."""
        return self.hours_per_week / WORKING_DAYS_PER_WEEK

    @property
    def contractual_hours(self) -> float:
        """Contractual hours of one FTE per year: hours per week × weeks per year."""
        return self.hours_per_week * self.weeks_per_year

    @property
    def available_hours_per_fte(self) -> float:
        """Working hours per year of one FTE: weekly hours × (weeks − holiday weeks) −
        (public holidays + sick leave + CPD days) × a day's hours (WISN's available time)."""
        days_away = self.public_holiday_days + self.sick_leave_days + self.cpd_days
        weeks = self.weeks_per_year - self.holiday_weeks
        return self.hours_per_week * weeks - days_away * self.day_hours

    @property
    def absence_share(self) -> float:
        """Share (0..1) of the contractual year a specialist is away."""
        return 1.0 - self.available_hours_per_fte / self.contractual_hours
