"""The `bass` command end to end on the bundled data: outputs, reports and exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bassplan.cli.main import app, main
from bassplan.data import load_region
from tests.support.paths import EXAMPLES

runner = CliRunner()


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """Run the real entry point (with its error handling) and return the exit code."""
    monkeypatch.setattr(sys, "argv", ["bass", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    code = exit_info.value.code
    return int(code) if code is not None else 0


def test_evaluate_prints_heatmap_headline_and_responsibility() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "baseline.yaml")],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for text in ("Scorecard", "Kardiologi", "Geriatri", "Populationsansvar", "Lolland",
                 "illustrative", "Borgere 2026: 858.102 — officiel fremskrivning FRKM126"):
        assert text in result.output


def test_every_output_says_where_the_years_residents_come_from(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\nyear: 2024\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(scenario), "--lang", "en"],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert ("cohort model: life table 2019 moved by WPP 2024, residual migration to FRKM126 "
            "2026") in result.output
    explained = runner.invoke(app, ["explain", str(scenario), "share_within_45", "-s",
                                    "kardiologi", "--lang", "en"], env={"COLUMNS": "250"})
    assert explained.exit_code == 0, explained.output
    assert "residual migration to FRKM126" in explained.output


def test_evaluate_json_holds_every_specialty_and_the_illustrative_inputs() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "bass_2030.yaml"), "--format",
                                 "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["year"] == 2030
    assert [s["specialty_id"] for s in record["specialties"]] == [
        "kardiologi", "lungemedicin", "endokrinologi", "gastromedicin", "reumatologi",
        "nefrologi", "geriatri",
    ]
    assert any("staffing" in name for name in record["illustrative_inputs"])
    # 2030 is Statistics Denmark's FRKM126: its seven bands of the 17 municipalities sum to
    # 857,641 (the file's totals to 857,643: DST rounds each cell), 80+ to 70,989
    assert record["residents"] == pytest.approx(857_641, abs=0.5)
    assert record["residents_by_age_band"]["80+"] == pytest.approx(70_989, abs=0.5)
    assert record["residents_path"]["kind"] == "official"
    assert record["residents_path"]["en"].startswith("official projection FRKM126")
    cardiology = record["specialties"][0]
    assert cardiology["strength_positions"] == ["suh_koege", "slagelse"]
    assert set(cardiology["outreach_sites"]) == {"holbaek", "suh_nykobing_f"}


def test_evaluate_json_carries_the_model_s_population_responsibility() -> None:
    from bassplan.data import load_region, load_scenario
    from bassplan.model.evaluate import evaluate

    path = EXAMPLES / "kardiologi_styrkepositioner.yaml"
    result = runner.invoke(app, ["evaluate", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["responsibility"]
    region = load_region()
    ev = evaluate(region, load_scenario(path, region))
    assert len(rows) == len(region.areas) * len(region.specialties)
    for row in rows:
        a = region.area_index(row["area_code"])
        s = region.specialty_index(row["specialty"])
        assert row["unserved_visits"] == pytest.approx(ev.allocation.unserved[s, a], abs=0.05)
        assert row["minutes"] == pytest.approx(ev.access.area_minutes[s, a], abs=0.005)
        assert row["visit_site"] == region.sites[ev.allocation.main_site[s, a]].id
    # Lolland's cardiology: the clinic at Nykøbing F. is full (2 days × 44 weeks × 12 =
    # 1,056 visits), so its residents are seen at a strength position 75 minutes away
    lolland = next(r for r in rows
                   if r["area_name"] == "Lolland" and r["specialty"] == "kardiologi")
    assert lolland["modality"] == "strength_position"
    assert lolland["minutes"] > 45


def test_evaluate_csv_has_one_row_per_score_and_per_area_and_specialty() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "baseline.yaml"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("scenario,indicator,perspective")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sum(r["record"] == "score" for r in rows) > 7 * 4  # every specialty × acute site
    areas = [r for r in rows if r["record"] == "responsibility"]
    assert len(areas) == 17 * 7  # every municipality × specialty
    lolland = next(r for r in areas
                   if r["area_name"] == "Lolland" and r["specialty"] == "nefrologi")
    assert lolland["admitting_site"] == "suh_nykobing_f"  # catchments.csv, sourced
    assert {"minutes", "modality", "share_served", "unserved_visits"} <= set(lolland)


def test_compare_writes_a_report_and_lists_colour_changes(tmp_path: Path) -> None:
    report = tmp_path / "rapport.html"
    result = runner.invoke(app, ["compare", str(EXAMPLES / "baseline.yaml"),
                                 str(EXAMPLES / "kardiologi_styrkepositioner.yaml"),
                                 "--report", str(report)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "skifter farve" in result.output
    html = report.read_text(encoding="utf-8")
    assert "Kardiologi med to styrkepositioner" in html
    assert "<svg" in html


def test_compare_json_is_valid_json_with_changes() -> None:
    result = runner.invoke(app, ["compare", str(EXAMPLES / "baseline.yaml"),
                                 str(EXAMPLES / "kardiologi_styrkepositioner.yaml"),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["first"]["scenario"] == "Baseline 2026"
    changed = {c["specialty"] for c in payload["changed_colours"]}
    assert "kardiologi" in changed


def test_explain_ends_on_the_scored_value() -> None:
    scenario = str(EXAMPLES / "baseline.yaml")
    scores = json.loads(runner.invoke(app, ["evaluate", scenario, "--format", "json"]).stdout)
    wisn = next(s for s in scores["scores"]
                if s["indicator"] == "wisn_ratio" and s["specialty"] == "kardiologi"
                and s["site"] == "slagelse")
    result = runner.invoke(app, ["explain", scenario, "wisn_ratio", "--specialty", "kardiologi",
                                 "--site", "slagelse"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"{wisn['value']:.3f}".replace(".", ",") in result.output  # Danish decimal comma


def test_data_check_and_show_on_the_bundle() -> None:
    check = runner.invoke(app, ["data", "check"], env={"COLUMNS": "200"})
    assert check.exit_code == 0, check.output
    assert "OK" in check.output
    assert ("projection: life table 2019, death rates WPP 2024, official FRKM126 2026-2040 "
            "(7 age bands)") in check.output
    show = runner.invoke(app, ["data", "show"], env={"COLUMNS": "200"})
    assert show.exit_code == 0, show.output
    assert "Guldborgsund" in show.output
    assert "838,840" in show.output


def test_unknown_site_in_a_scenario_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "forkert.yaml"
    bad.write_text("name: Forkert\nyear: 2027\nstrength_positions:\n  kardiologi: [odense]\n",
                   encoding="utf-8")
    report = tmp_path / "r.html"
    code = run_main(monkeypatch, "evaluate", str(bad), "--report", str(report))
    err = capsys.readouterr().err
    assert code == 2
    assert "forkert.yaml" in err
    assert "odense" in err
    assert len(err.strip().splitlines()) == 1
    assert not report.exists()


def test_a_broken_data_dir_is_exit_2_naming_file_row_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bassplan.data import bundled_region_dir

    data = tmp_path / "region"
    shutil.copytree(bundled_region_dir(), data)
    path = data / "population_by_age.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[-1] = "-5"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = run_main(monkeypatch, "data", "check", str(data))
    err = capsys.readouterr().err
    assert code == 2
    assert "population_by_age.csv" in err
    assert "row 4" in err  # spreadsheet row: the header is row 1
    assert "residents" in err


def test_csv_rows_carry_the_illustrative_inputs_and_the_data_version() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "baseline.yaml"), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[-2:] == ["illustrative_inputs", "data_version"]
    assert "staffing" in rows[0]["illustrative_inputs"]
    fingerprint = load_region().data_version.fingerprint
    assert {r["data_version"] for r in rows} == {
        f"Data: bundled region data (fingerprint {fingerprint}); no imported tables"}


def test_data_init_copies_an_editable_region_that_evaluates(tmp_path: Path) -> None:
    target = tmp_path / "min_region"
    assert runner.invoke(app, ["data", "init", str(target)]).exit_code == 0
    staffing = target / "staffing.csv"
    lines = staffing.read_text(encoding="utf-8").splitlines()
    row = next(k for k, line in enumerate(lines) if line.startswith("kardiologi,holbaek,"))
    cells = lines[row].split(",")
    added = float(cells[2])
    cells[2] = f"{2 * added:g}"  # twice the specialists at Holbæk
    lines[row] = ",".join(cells)
    staffing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "baseline.yaml"), "--data",
                                 str(target), "--format", "json"])
    edited = json.loads(result.stdout)
    bundled = json.loads(runner.invoke(app, ["evaluate", str(EXAMPLES / "baseline.yaml"),
                                             "--format", "json"]).stdout)
    # as many more specialist FTE at Holbæk: the cardiology available FTE grows by exactly that
    delta = edited["specialties"][0]["available_fte"] - bundled["specialties"][0]["available_fte"]
    assert delta == pytest.approx(added)


def test_data_init_refuses_an_existing_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(monkeypatch, "data", "init", str(tmp_path)) == 2
    assert "exists already" in capsys.readouterr().err
