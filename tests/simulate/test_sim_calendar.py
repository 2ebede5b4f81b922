"""The simulated calendar and the settings' rules."""

from __future__ import annotations

import numpy as np
import pytest

from bassplan.domain.errors import InputError
from bassplan.simulate import SimulationSettings
from bassplan.simulate.calendar import build_calendar, in_window, is_working_day

HOLIDAY_DAYS, CPD_DAYS = 30.0, 10.0


def test_default_year_has_252_working_days() -> None:
    # a year starting on a Monday has 261 weekdays; the nine public holidays all fall on
    # weekdays (1 Jan Mon, Maundy Thu, Good Fri, Easter Mon, Ascension Thu, Whit Mon,
    # 5 June Tue, 25–26 Dec Tue–Wed)
    settings = SimulationSettings()
    days = np.arange(365)
    working = is_working_day(days, settings)
    assert working.sum() == 252
    assert not working[[0, 5, 6, 87, 88, 91, 129, 140, 155, 358, 359]].any()
    assert working[[1, 2, 3, 4, 7]].all()


def test_factors_average_one_over_the_year() -> None:
    calendar = build_calendar(SimulationSettings(warmup_days=0), HOLIDAY_DAYS, CPD_DAYS)
    assert calendar.day.size == 252 == calendar.working_days_per_year
    assert calendar.referral_factor.mean() == pytest.approx(1.0)
    assert calendar.ward_factor.mean() == pytest.approx(1.0)
    # Mondays get more referrals than Fridays; January more than July
    monday = calendar.referral_factor[calendar.day == 7]
    friday = calendar.referral_factor[calendar.day == 11]
    assert monday > friday
    assert calendar.ward_factor[calendar.day == 15] > calendar.ward_factor[calendar.day == 198]


def test_staff_presence_adds_up_to_the_leave() -> None:
    calendar = build_calendar(SimulationSettings(warmup_days=0), HOLIDAY_DAYS, CPD_DAYS)
    away = (1.0 - calendar.presence).sum()
    assert away == pytest.approx(HOLIDAY_DAYS + CPD_DAYS)
    july = calendar.presence[(calendar.day >= 182) & (calendar.day < 224)]
    october = calendar.presence[(calendar.day >= 274) & (calendar.day < 304)]
    assert july.max() < october.min()  # half the holiday falls in the summer window


def test_warmup_runs_the_end_of_the_year_before() -> None:
    calendar = build_calendar(SimulationSettings(warmup_days=14), HOLIDAY_DAYS, CPD_DAYS)
    assert calendar.day[0] < 0
    assert not calendar.counted[calendar.day < 0].any()
    assert calendar.counted.sum() == 252
    # the warm-up's Christmas holidays are public holidays of the previous year too
    assert -7 not in calendar.day  # 25 Dec of the year before is day −7


def test_windows_wrap_the_year_end() -> None:
    doy = np.array([0, 58, 59, 200, 333, 334, 364])
    assert list(in_window(doy, (334, 59))) == [True, True, False, False, False, True, True]
    assert list(in_window(doy, (59, 334))) == [False, False, True, True, True, False, False]


def test_extra_absence_period_and_surge() -> None:
    settings = SimulationSettings(warmup_days=0, extra_absent_period=(30, 60), winter_surge=2.0)
    calendar = build_calendar(settings, HOLIDAY_DAYS, CPD_DAYS)
    inside = (calendar.day >= 30) & (calendar.day < 60)
    assert np.array_equal(calendar.extra_absence, inside)
    plain = build_calendar(SimulationSettings(warmup_days=0), HOLIDAY_DAYS, CPD_DAYS)
    ratio = calendar.referral_factor / plain.referral_factor
    assert set(np.round(ratio, 9)) == {1.0, 2.0}
    assert (ratio[calendar.day < 59] == 2.0).all()


def test_classes_put_follow_ups_at_their_rank() -> None:
    settings = SimulationSettings(follow_up_rank=1, follow_up_target_days=7)
    assert settings.classes == ("acute", "follow_up", "urgent", "routine")
    assert settings.class_targets == (2, 7, 10, 30)


@pytest.mark.parametrize(("field", "value"), [
    ("days", 0),
    ("priority_shares", (0.5, 0.5, 0.5)),
    ("target_days", (1, 2)),
    ("priorities", ("acute", "follow_up", "routine")),
    ("follow_up_rank", 4),
    ("follow_up_interval_days", 1),
    ("weekday_pattern", (1.0, 1.0)),
    ("winter_surge", 0.0),
    ("overtime_cap", -0.1),
    ("extra_absent_teams", ("kardiologi-holbaek",)),
    ("holiday_summer_share", 0.95),
    ("summer_days", (100, 400)),
])
def test_bad_settings_name_their_field(field: str, value: object) -> None:
    with pytest.raises(InputError, match="simulation settings"):
        SimulationSettings(**{field: value})  # type: ignore[arg-type]


def test_holidays_crowding_a_day_are_refused() -> None:
    settings = SimulationSettings(christmas_days=(358, 360), holiday_christmas_share=0.5,
                                  holiday_summer_share=0.5)
    with pytest.raises(InputError, match="holiday"):
        build_calendar(settings, HOLIDAY_DAYS, CPD_DAYS)
