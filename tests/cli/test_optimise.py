"""`bass optimise` end to end on the bundled data: plans, Pareto fronts and bad requests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bassplan.cli.main import app, main
from bassplan.data import load_region, load_scenario
from tests.support.paths import EXAMPLES

OPTIMISE = EXAMPLES / "optimer_kardiologi.yaml"
runner = CliRunner()


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["bass", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    return int(exit_info.value.code or 0)


def test_the_plan_is_written_as_a_scenario_that_evaluates(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    result = runner.invoke(app, ["optimise", str(OPTIMISE), "--specialty", "kardiologi",
                                 "--out", str(target)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "optimal" in result.output
    region = load_region()
    plan = load_scenario(target, region)
    positions = plan.strength_positions["kardiologi"]
    assert 1 <= len(positions) <= 3
    acute = {site.id for site in region.sites if site.acute and site.active}
    assert set(positions) <= acute  # never Næstved or another site without admissions
    evaluated = runner.invoke(app, ["evaluate", str(target), "--format", "json"])
    assert evaluated.exit_code == 0, evaluated.output


def test_the_pareto_front_writes_plot_page_and_plans(tmp_path: Path) -> None:
    stem = tmp_path / "front"
    result = runner.invoke(app, ["optimise", str(OPTIMISE), "--specialty", "kardiologi",
                                 "--pareto", "3", "--out", str(stem)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "front.png").exists()
    assert "<svg" in (tmp_path / "front.html").read_text(encoding="utf-8")
    assert (tmp_path / "front-P1.yaml").exists()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("", "unknown specialty 'kirurgi'"),
        ("optimisation: {access_share: 1.5}\n", "access_share"),
        ("optimisation: {allow_cross_organisation: false}\n",
         "minimumsteam på 6 årsværk kan ikke opfyldes"),
    ],
)
def test_a_bad_request_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    extra: str, expected: str,
) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("name: Forkert\nyear: 2027\n" + extra, encoding="utf-8")
    specialty = "kirurgi" if not extra else ("kardiologi" if "1.5" in extra else "geriatri")
    code = run_main(monkeypatch, "optimise", str(scenario), "--specialty", specialty,
                    "--out", str(tmp_path / "plan.yaml"))
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "plan.yaml").exists()


def test_an_infeasible_plan_says_which_constraint_and_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "stram.yaml"
    scenario.write_text(
        "name: Stram\nyear: 2027\ndigital_share: {default: {consult: 0.5}}\n"
        "inpatient_cover: {default: consults}\n"
        "optimisation:\n  max_strength_positions: 1\n  allow_cross_organisation: true\n"
        "  max_outreach_days: 0\n  access_share: 0.99\n  access_minutes: 20\n",
        encoding="utf-8",
    )
    code = run_main(monkeypatch, "optimise", str(scenario), "--specialty", "reumatologi",
                    "--out", str(tmp_path / "plan.yaml"))
    err = capsys.readouterr().err
    assert code == 2
    assert "99 %" in err and "20 min" in err and "det bedste, der kan nås" in err
