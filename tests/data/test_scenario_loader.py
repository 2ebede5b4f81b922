"""load_scenario: YAML → Scenario, with one InputError line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bassplan.data import load_region, load_scenario
from bassplan.data.scenario_loader import key_path
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.domain.vocabulary import ContactType

GOOD = """\
name: Styrkepositioner på Sjælland
description: Kardiologi samlet i Køge og Holbæk, udgående klinik i Nakskov
year: 2030
strength_positions:
  kardiologi: [suh_koege, holbaek]
outreach:
  kardiologi:
    - site: nakskov
      days_per_week: 2
digital_share:
  default: {follow_up: 0.2}
  reumatologi: {follow_up: 0.3, consult: 0.5}
need_based_follow_up:
  reumatologi: {pro_share: 0.5, trigger_rate: 0.41}
staffing_changes:
  - {specialty: geriatri, site: slagelse, specialist_fte: 1.5}
pool_staff: organisation
"""


@pytest.fixture(scope="module")
def region() -> Region:
    return load_region()


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def expect_error(path: Path, region: Region, *parts: str) -> InputError:
    with pytest.raises(InputError) as info:
        load_scenario(path, region)
    message = str(info.value)
    assert "\n" not in message
    for part in parts:
        assert part in message, message
    return info.value


def test_good_scenario_loads(tmp_path: Path, region: Region) -> None:
    scenario = load_scenario(write(tmp_path, GOOD), region)
    assert scenario.name == "Styrkepositioner på Sjælland"  # Danish letters kept
    assert scenario.year == 2030
    assert scenario.strength_positions["kardiologi"] == ["suh_koege", "holbaek"]
    assert scenario.outreach["kardiologi"][0].days_per_week == 2
    assert scenario.digital_share["reumatologi"][ContactType.CONSULT] == 0.5
    assert scenario.need_based_follow_up["reumatologi"].trigger_rate == 0.41


def test_bad_yaml_names_the_line(tmp_path: Path, region: Region) -> None:
    path = write(tmp_path, "name: x\nyear: 2030\noutreach: [unclosed\n")
    err = expect_error(path, region, "scenario.yaml", "not valid YAML")
    assert err.where.startswith("line ")


def test_empty_file(tmp_path: Path, region: Region) -> None:
    expect_error(write(tmp_path, "\n"), region, "the file is empty")


def test_not_a_mapping(tmp_path: Path, region: Region) -> None:
    expect_error(write(tmp_path, "- a\n- b\n"), region, "must be a mapping")


def test_unknown_key(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("pool_staff: organisation", "pool_staf: organisation")
    err = expect_error(write(tmp_path, text), region, "scenario.yaml", "pool_staf", "unknown key")
    assert err.where == "pool_staf"


def test_unknown_nested_key(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("      days_per_week: 2", "      days_per_week: 2\n      weeks: 40")
    err = expect_error(write(tmp_path, text), region, "unknown key 'weeks'")
    assert err.where == "outreach.kardiologi[0].weeks"


def test_wrong_type(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("year: 2030", "year: next year")
    err = expect_error(write(tmp_path, text), region, "year", "'next year'")
    assert err.where == "year" and err.field == "year"


def test_value_out_of_range_names_the_key_path(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("days_per_week: 2", "days_per_week: 7")
    err = expect_error(write(tmp_path, text), region, "less than or equal to 5", "(got 7)")
    assert err.where == "outreach.kardiologi[0].days_per_week"
    assert err.field == "days_per_week"


def test_pro_share_outside_0_1(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("pro_share: 0.5", "pro_share: 1.5")
    err = expect_error(write(tmp_path, text), region, "1.5")
    assert err.where == "need_based_follow_up.reumatologi.pro_share"


def test_digital_share_outside_0_1(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("consult: 0.5", "consult: 1.2")
    err = expect_error(write(tmp_path, text), region, "share 1.2 is outside 0..1")
    assert err.where == "digital_share.reumatologi"


def test_unknown_contact_type_in_digital_share(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("{follow_up: 0.2}", "{video: 0.2}")
    err = expect_error(write(tmp_path, text), region, "video")
    assert err.where == "digital_share.default.video"


def test_unknown_site(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("- site: nakskov", "- site: maribo")
    expect_error(write(tmp_path, text), region, "outreach.kardiologi[0]", "unknown site 'maribo'")


def test_unknown_specialty(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("  kardiologi: [suh_koege, holbaek]", "  hjertemedicin: [suh_koege]")
    expect_error(write(tmp_path, text), region, "unknown specialty 'hjertemedicin'")


def test_several_problems_are_counted(tmp_path: Path, region: Region) -> None:
    text = GOOD.replace("year: 2030", "year: 1800").replace("pool_staff: organisation", "x: 1")
    expect_error(write(tmp_path, text), region, "(and 1 more problem)")


def test_relative_matrix_path_is_resolved(tmp_path: Path, region: Region) -> None:
    (tmp_path / "m.csv").write_text("area_code,site_id,minutes,km\n", encoding="utf-8")
    text = GOOD + "travel: {model: matrix, matrix: m.csv}\n"
    scenario = load_scenario(write(tmp_path, text), region)
    assert scenario.travel.matrix == str(tmp_path / "m.csv")
    missing = GOOD + "travel: {model: matrix, matrix: gone.csv}\n"
    expect_error(write(tmp_path, missing), region, "travel.matrix", "file not found")


def test_key_path() -> None:
    assert key_path(("outreach", "kardiologi", 0, "days_per_week")) == (
        "outreach.kardiologi[0].days_per_week",
        "days_per_week",
    )
    assert key_path(("digital_share", "default", "video", "[key]")) == (
        "digital_share.default.video",
        "video",
    )
