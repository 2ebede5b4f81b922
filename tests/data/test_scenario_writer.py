"""Writing a scenario as YAML and reading it back gives the same scenario."""

from __future__ import annotations

from pathlib import Path

from bassplan.data import load_region, load_scenario, scenario_yaml, write_scenario
from tests.support.paths import EXAMPLES


def test_every_example_survives_a_round_trip(tmp_path: Path) -> None:
    region = load_region()
    for example in sorted(EXAMPLES.glob("*.yaml")):
        scenario = load_scenario(example, region)
        target = write_scenario(tmp_path / example.name, scenario)
        assert load_scenario(target, region) == scenario


def test_danish_letters_are_written_as_letters() -> None:
    region = load_region()
    scenario = load_scenario(EXAMPLES / "fusion_suh.yaml", region)
    text = scenario_yaml(scenario)
    assert "Køge" in text
    assert "\\xF8" not in text and "\\u00f8" not in text
