"""Choosing a region on the command line: a bundled id or a directory, same output shape;
an unknown id is one clear line and exit 2."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from typer.testing import CliRunner

from bassplan.cli.main import app, main
from tests.support.paths import EXAMPLES

runner = CliRunner()


def test_evaluate_with_a_bundled_region_id() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "oestdanmark" / "baseline.yaml"),
                                 "--region", "oestdanmark", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    # FRKM126 for 2027: the 46 municipalities' bands (the file's 2027 rows, summed)
    assert record["region"] == "Region Østdanmark"
    assert record["residents_path"]["kind"] == "official"
    assert "offers" in record["illustrative_inputs"]


def test_data_check_takes_a_bundled_id() -> None:
    result = runner.invoke(app, ["data", "check", "oestdanmark"])
    assert result.exit_code == 0, result.output
    assert "areas: 46, residents 2021: 2,693,834" in result.output


def test_unknown_region_id_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["bass", "data", "show", "--region", "atlantis"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert "not a directory" in capsys.readouterr().err


def test_compare_sets_region_sjaelland_alone_beside_oestdanmark() -> None:
    result = runner.invoke(app, [
        "compare", str(EXAMPLES / "kardiologi_styrkepositioner.yaml"),
        str(EXAMPLES / "oestdanmark" / "kardiologi_paa_tvaers.yaml"),
        "--region", "sjaelland", "--second-region", "oestdanmark", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["first"]["region"] == "Region Sjælland"
    assert payload["second"]["region"] == "Region Østdanmark"
    # the same cardiology on both: two strength positions alone, four across the old border
    first = payload["first"]["specialties"][0]
    second = payload["second"]["specialties"][0]
    assert first["strength_positions"] == ["suh_koege", "slagelse"]
    assert set(second["strength_positions"]) == {"rh_blegdamsvej", "herlev", "suh_koege",
                                                 "slagelse"}
    # 17 municipalities' councils (2) beside 46 municipalities' (6), 7 specialties each
    assert len(payload["first"]["councils"]) == 2 * 7
    assert len(payload["second"]["councils"]) == 6 * 7


def test_compare_table_shows_the_same_residents_in_danish() -> None:
    result = runner.invoke(app, [
        "compare", str(EXAMPLES / "kardiologi_styrkepositioner.yaml"),
        str(EXAMPLES / "oestdanmark" / "kardiologi_paa_tvaers.yaml"),
        "--region", "sjaelland", "--second-region", "oestdanmark"], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    assert "Samme borgere: de 17 kommuner, begge regioner har" in result.output
    assert "Speciallæger på sygehuse i kommunerne (FTE)" in result.output
    # one region beside itself: nothing is left out, no such table
    same = runner.invoke(app, [
        "compare", str(EXAMPLES / "baseline.yaml"),
        str(EXAMPLES / "kardiologi_styrkepositioner.yaml")], env={"COLUMNS": "240"})
    assert same.exit_code == 0, same.output
    assert "Samme borgere" not in same.output


def test_compare_csv_carries_the_same_residents_as_the_json() -> None:
    args = ["compare", str(EXAMPLES / "kardiologi_styrkepositioner.yaml"),
            str(EXAMPLES / "oestdanmark" / "kardiologi_paa_tvaers.yaml"),
            "--region", "sjaelland", "--second-region", "oestdanmark"]
    table = runner.invoke(app, [*args, "--format", "csv"])
    payload = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert table.exit_code == 0, table.output
    rows = [r for r in csv.DictReader(io.StringIO(table.stdout))
            if r["record"] == "same_residents"]
    assert len(rows) == 2 * 7 and {r["areas"] for r in rows} == {"17"}
    shared = payload["same_residents"]
    for side, scenario in (("first", payload["first"]["scenario"]),
                           ("second", payload["second"]["scenario"])):
        mine = {r["specialty_id"]: r for r in rows if r["scenario"] == scenario}
        for figures in shared[side]:
            row = mine[figures["specialty_id"]]
            assert float(row["residents"]) == pytest.approx(figures["residents"])
            assert float(row["mean_minutes"]) == pytest.approx(figures["mean_minutes"])
