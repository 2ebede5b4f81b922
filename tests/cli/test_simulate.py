"""`bass simulate` and `bass sweep` end to end on the bundled data (short years, in process)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bassplan.cli.main import app, main
from tests.support.paths import EXAMPLES

runner = CliRunner()


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["bass", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    return int(exit_info.value.code or 0)


def test_simulate_prints_bands_and_writes_every_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", str(EXAMPLES / "baseline.yaml"), "-r", "3",
                                 "--days", "60", "--workers", "1", "--out", str(tmp_path)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "kardiologi" in result.output and "P5–P95" in result.output
    for name in ("summary.json", "summary.csv", "year.png", "simulering.html"):
        assert (tmp_path / name).exists(), name
    records = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert {r["metric"] for r in records} >= {"wait_p90_days", "backlog", "overtime_hours"}


def test_simulate_json_is_valid_and_the_same_for_the_same_seed(tmp_path: Path) -> None:
    args = ["simulate", str(EXAMPLES / "bass_2030.yaml"), "-r", "2", "--days", "30",
            "--workers", "1", "--seed", "5", "--format", "json", "--out", str(tmp_path)]
    first = runner.invoke(app, args)
    second = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout) == json.loads(second.stdout)


def test_sweep_tabulates_every_grid_point(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sweep", str(EXAMPLES / "baseline.yaml"),
                                 "--vary", "digital_share.default.follow_up=0,0.5",
                                 "-r", "2", "--days", "30", "--workers", "1",
                                 "--out", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "follow_up=0.0" in result.output and "follow_up=0.5" in result.output
    assert (tmp_path / "sweep.png").exists()


def test_an_unreachable_scheduler_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_main(monkeypatch, "simulate", str(EXAMPLES / "baseline.yaml"), "-r", "2",
                    "--days", "30", "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path))
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot be reached" in err.strip().splitlines()[-1]
    assert not (tmp_path / "summary.json").exists()


def test_a_bad_vary_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_main(monkeypatch, "sweep", str(EXAMPLES / "baseline.yaml"),
                    "--vary", "digital_share.default.follow_up=0,1.5", "--workers", "1")
    assert code == 2
    assert "outside 0..1" in capsys.readouterr().err
