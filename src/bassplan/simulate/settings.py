"""The knobs of a simulated year: calendar, priorities, seasonal patterns and shocks.

Every default here is **illustrative** (chosen to be plausible for a Danish medical
outpatient clinic, not taken from a source) unless its comment names a source; a user
replaces them per run. Times are in working days unless the name says calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass

from bassplan.domain.errors import InputError

SETTINGS_SOURCE = "simulation settings"
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class SimulationSettings:
    """How one simulated year runs (illustrative defaults, see the module docstring).

    Calendar: day 0 is 1 January and a Monday (``first_weekday`` 0); ``public_holidays``
    are day-of-year indices (0-based) — the default is the nine weekday holidays of a year
    that starts on a Monday (2029), matching ``public_holiday_days`` = 9. The year is
    preceded by ``warmup_days`` calendar days (the end of the year before) that run but
    are not counted, so January does not start with empty queues.

    Referrals: ``priorities`` in service order with ``priority_shares`` (sum 1) and waiting
    targets ``target_days`` (working days). Scheduled follow-ups form one more class,
    served at position ``follow_up_rank`` of that order, with target
    ``follow_up_target_days`` counted from the due date; each follow-up falls due
    ``follow_up_interval_days`` working days after the visit or answer before it.

    Patterns: ``weekday_pattern`` (Mon–Fri) multiplies referrals; the seasonal factor
    1 + ``seasonal_amplitude`` × cos(2π (day − ``seasonal_peak_day``) / 365) multiplies
    referrals and ward work (admissions, bed days, consults); both are normalised to mean 1
    over the year's working days so yearly totals equal the evaluation's.

    Staff: each team's holiday (``holiday_weeks`` from the region's parameters) falls a
    share ``holiday_summer_share`` in the summer window ``summer_days``, a share
    ``holiday_christmas_share`` in the Christmas window ``christmas_days`` (calendar days,
    may wrap the year end) and the rest evenly; ``cpd_days`` are spread evenly;
    ``sick_leave_days`` give each specialist a daily sickness probability.

    Shocks: ``extra_absent_specialists`` specialists away (FTE) at every team — or only at
    the teams named in ``extra_absent_teams`` as 'specialty:site' — during the calendar
    days ``extra_absent_period`` [from, to); ``winter_surge`` multiplies referrals and ward
    work on the calendar days of ``winter_days``; ``unfilled_vacancies`` False fills the
    vacant posts (``vacant_fte``) for the year. ``overtime_cap``: overtime a team may work,
    as a share of its day, to see acute patients who would otherwise wait.
    ``max_wait_days``: longest wait tracked; longer waits are pooled in the last day.
    """

    days: int = DAYS_PER_YEAR
    warmup_days: int = 91
    first_weekday: int = 0
    public_holidays: tuple[int, ...] = (0, 87, 88, 91, 129, 140, 155, 358, 359)
    priorities: tuple[str, ...] = ("acute", "urgent", "routine")
    priority_shares: tuple[float, ...] = (0.05, 0.25, 0.70)
    target_days: tuple[int, ...] = (2, 10, 30)
    follow_up_rank: int = 2
    follow_up_target_days: int = 20
    follow_up_interval_days: int = 60
    weekday_pattern: tuple[float, ...] = (1.20, 1.05, 1.00, 0.95, 0.80)
    seasonal_amplitude: float = 0.10
    seasonal_peak_day: int = 15
    summer_days: tuple[int, int] = (182, 224)
    christmas_days: tuple[int, int] = (354, 2)
    holiday_summer_share: float = 0.5
    holiday_christmas_share: float = 0.1
    extra_absent_specialists: float = 0.0
    extra_absent_teams: tuple[str, ...] = ()
    extra_absent_period: tuple[int, int] = (0, DAYS_PER_YEAR)
    winter_surge: float = 1.0
    winter_days: tuple[int, int] = (334, 59)
    unfilled_vacancies: bool = True
    overtime_cap: float = 0.1
    max_wait_days: int = 250

    def __post_init__(self) -> None:
        _check_settings(self)

    @property
    def classes(self) -> tuple[str, ...]:
        """Queue classes in service order: the priorities with 'follow_up' inserted."""
        names = list(self.priorities)
        names.insert(self.follow_up_rank, "follow_up")
        return tuple(names)

    @property
    def class_targets(self) -> tuple[int, ...]:
        """Waiting targets (working days) of ``classes``, in the same order."""
        targets = list(self.target_days)
        targets.insert(self.follow_up_rank, self.follow_up_target_days)
        return tuple(targets)


def _fail(field: str, rule: str) -> InputError:
    return InputError(SETTINGS_SOURCE, "", field, rule)


def _check_settings(s: SimulationSettings) -> None:
    """Raise InputError naming the first setting that breaks its rule."""
    if s.days < 1:
        raise _fail("days", f"{s.days} must be ≥ 1")
    if s.warmup_days < 0:
        raise _fail("warmup_days", f"{s.warmup_days} must be ≥ 0")
    if not 0 <= s.first_weekday < 7:
        raise _fail("first_weekday", f"{s.first_weekday} must lie in 0..6 (0 = Monday)")
    if any(not 0 <= d < DAYS_PER_YEAR for d in s.public_holidays):
        raise _fail("public_holidays", "day-of-year indices must lie in 0..364")
    n = len(s.priorities)
    if n == 0 or len(set(s.priorities)) != n or "follow_up" in s.priorities:
        raise _fail("priorities", "needs distinct names, none of them 'follow_up'")
    if len(s.priority_shares) != n or len(s.target_days) != n:
        raise _fail("priority_shares", f"priority_shares and target_days need {n} values each")
    if any(x < 0 for x in s.priority_shares) or abs(sum(s.priority_shares) - 1.0) > 1e-9:
        raise _fail("priority_shares", f"{s.priority_shares} must be ≥ 0 and sum to 1")
    if any(t < 0 for t in s.target_days) or s.follow_up_target_days < 0:
        raise _fail("target_days", "waiting targets must be ≥ 0 working days")
    if not 0 <= s.follow_up_rank <= n:
        raise _fail("follow_up_rank", f"{s.follow_up_rank} must lie in 0..{n}")
    if s.follow_up_interval_days < 2:
        raise _fail("follow_up_interval_days", f"{s.follow_up_interval_days} must be ≥ 2")
    if len(s.weekday_pattern) != 5 or any(w <= 0 for w in s.weekday_pattern):
        raise _fail("weekday_pattern", "needs 5 positive factors (Monday to Friday)")
    if not 0 <= s.seasonal_amplitude < 1:
        raise _fail("seasonal_amplitude", f"{s.seasonal_amplitude} must lie in [0, 1)")
    for name in ("summer_days", "christmas_days", "winter_days"):
        window = getattr(s, name)
        if any(not 0 <= d <= DAYS_PER_YEAR for d in window):
            raise _fail(name, f"{window} must hold two day-of-year indices in 0..365")
    shares = (s.holiday_summer_share, s.holiday_christmas_share)
    if any(x < 0 for x in shares) or sum(shares) > 1:
        raise _fail("holiday_summer_share", "holiday shares must be ≥ 0 and sum to ≤ 1")
    if s.extra_absent_specialists < 0:
        raise _fail("extra_absent_specialists", f"{s.extra_absent_specialists} must be ≥ 0")
    if any(t.count(":") != 1 for t in s.extra_absent_teams):
        raise _fail("extra_absent_teams", "teams are written 'specialty:site'")
    start, stop = s.extra_absent_period
    if start > stop:
        raise _fail("extra_absent_period", f"({start}, {stop}) must run forward")
    if s.winter_surge <= 0:
        raise _fail("winter_surge", f"{s.winter_surge} must be > 0")
    if s.overtime_cap < 0:
        raise _fail("overtime_cap", f"{s.overtime_cap} must be ≥ 0")
    if s.max_wait_days < 2:
        raise _fail("max_wait_days", f"{s.max_wait_days} must be ≥ 2")
