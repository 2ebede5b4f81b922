"""The typed parameter record: built once, checked once, derived hours worked by hand."""

from __future__ import annotations

import pytest

from bassplan.domain.errors import InputError
from bassplan.domain.parameters import Parameter, Parameters
from tests.support.toy import TOY_PARAMETERS, toy_parameters


def records(**changes: float) -> dict[str, Parameter]:
    values = {**TOY_PARAMETERS, **changes}
    return {k: Parameter(k, v, "h", "test", False) for k, v in values.items()}


def test_derived_hours_by_hand() -> None:
    # 37 h × (52 − 6) weeks − (10 + 5 + 5) days × 37/5 h = 1,702 − 148 = 1,554 h
    params = toy_parameters()
    assert params.day_hours == pytest.approx(7.4)
    assert params.available_hours_per_fte == pytest.approx(1_554.0)
    assert params.contractual_hours == pytest.approx(37 * 52)
    assert params.absence_share == pytest.approx(1 - 1_554 / 1_924)


def test_every_field_is_a_key_of_the_table() -> None:
    assert set(Parameters.keys()) == set(TOY_PARAMETERS)
    assert toy_parameters().record("cpd_days").source == "toy"


def test_a_missing_key_is_named() -> None:
    values = records()
    del values["cpd_days"]
    with pytest.raises(InputError, match=r"key cpd_days.*required parameter is missing"):
        Parameters.from_records(values, "parameters.csv")


def test_an_unknown_key_is_named() -> None:
    with pytest.raises(InputError, match=r"key cpd_weeks.*unknown parameter"):
        Parameters.from_records({**records(), "cpd_weeks": Parameter("cpd_weeks", 1, "", "", 0)},
                                "parameters.csv")


@pytest.mark.parametrize(("key", "value", "rule"), [
    ("category_allowance", 1.0, r"must lie in \[0, 1\)"),
    ("trainee_productivity", 1.5, "share must lie in 0..1"),
    ("sick_leave_days", -3.0, "must be ≥ 0"),
    ("road_speed_kmh", 0.0, "must be > 0"),
    ("sick_leave_days", 400.0, "working hours per FTE; must be > 0"),
])
def test_values_out_of_range_are_refused(key: str, value: float, rule: str) -> None:
    with pytest.raises(InputError, match=rule) as caught:
        Parameters.from_records(records(**{key: value}), "parameters.csv")
    assert caught.value.source == "parameters.csv"


def test_illustrative_keys_follow_the_records() -> None:
    values = records()
    values["cpd_days"] = Parameter("cpd_days", 5.0, "days", "a guess", True)
    assert Parameters.from_records(values, "p").illustrative_keys == ("cpd_days",)
