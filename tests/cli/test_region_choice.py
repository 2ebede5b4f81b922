"""Choosing a region on the command line: a bundled id or a directory, same output shape;
an unknown id is one clear line and exit 2."""

from __future__ import annotations

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
