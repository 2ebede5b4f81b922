"""`bass locate`: the p-median placement equals brute force over every set of candidate
sites, and the scenario it writes evaluates to the mean travel time it reports."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from bassplan.cli.main import app, main
from bassplan.data import load_region, load_scenario
from bassplan.domain.errors import InputError
from bassplan.model.evaluate import evaluate
from bassplan.optimise.locate import locate, location_to_scenario
from tests.support.paths import EXAMPLES


@pytest.fixture(scope="module")
def evaluation():
    region = load_region()
    return evaluate(region, load_scenario(EXAMPLES / "bass_2030.yaml", region))


def brute_force(ev, s: int, p: int, columns: list[int]) -> tuple[set[int], float]:
    """Every p-subset of the candidate columns, priced with plain loops."""
    visits = ev.allocation.outpatient.in_person[:, s, :].sum(axis=1)
    best, best_cost = set(), np.inf
    for sites in itertools.combinations(columns, p):
        cost = sum(visits[a] * min(ev.travel_minutes[a, j] for j in sites)
                   for a in range(visits.size))
        if cost < best_cost - 1e-9:
            best, best_cost = set(sites), cost
    return best, best_cost / visits.sum()


@pytest.mark.parametrize(("specialty", "p"), [("kardiologi", 1), ("kardiologi", 2),
                                              ("geriatri", 3), ("nefrologi", 2)])
def test_placement_equals_brute_force_over_the_acute_sites(evaluation, specialty, p) -> None:
    region = evaluation.region
    s = region.specialty_index(specialty)
    columns = [int(j) for j in np.flatnonzero(region.acute_mask)]
    best, mean = brute_force(evaluation, s, p, columns)
    found = locate(evaluation, specialty, p)
    assert {region.site_index(site) for site in found.sites} == best
    assert found.mean_minutes == pytest.approx(mean, rel=1e-12)
    assert found.status == "optimal"


def test_any_active_site_may_be_a_candidate(evaluation) -> None:
    region = evaluation.region
    candidates = [s.id for s in region.sites if s.active]
    columns = [region.site_index(c) for c in candidates]
    best, mean = brute_force(evaluation, 0, 3, columns)
    found = locate(evaluation, region.specialties[0].id, 3, candidates)
    assert {region.site_index(site) for site in found.sites} == best
    assert found.mean_minutes == pytest.approx(mean, rel=1e-12)


def test_the_written_scenario_evaluates_to_the_reported_mean(evaluation) -> None:
    region = evaluation.region
    base = load_scenario(EXAMPLES / "bass_2030.yaml", region)
    found = locate(evaluation, "kardiologi", 2)
    placed = evaluate(region, location_to_scenario(found, base))
    s = region.specialty_index("kardiologi")
    visits = placed.allocation.outpatient.in_person[:, s, :].sum(axis=1)
    # every area starts at the site locate put it at (its own service point) ...
    areas = np.arange(len(region.areas))
    own = placed.travel_minutes[areas, placed.allocation.outpatient_at[s]]
    assert float(visits @ own / visits.sum()) == pytest.approx(found.mean_minutes, rel=1e-12)
    # ... and, as locate knows no capacity, evaluate moves what the teams cannot see
    load = visits @ placed.allocation.outpatient_share[s]
    assert np.all(load <= placed.allocation.outpatient_capacity[s] * (1 + 1e-9) + 1e-6)
    assert tuple(placed.region.sites[j].id for j in np.flatnonzero(
        placed.plan.strength_position[s])) == found.sites


@pytest.mark.parametrize(("args", "field"), [
    (("hjertemedicin", 2, None), "specialty"),
    (("kardiologi", 0, None), "p"),
    (("kardiologi", 1, ["atlantis"]), "site"),
])
def test_bad_requests_name_the_field(evaluation, args, field) -> None:
    with pytest.raises(InputError) as caught:
        locate(evaluation, *args)
    assert caught.value.field == field


def test_cli_writes_the_plan_and_refuses_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = CliRunner()
    target = tmp_path / "plan.yaml"
    done = runner.invoke(app, ["locate", str(EXAMPLES / "baseline.yaml"), "-s", "geriatri",
                               "-p", "2", "--out", str(target), "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "optimal (proven)" in done.output and target.is_file()
    again = runner.invoke(app, ["evaluate", str(target), "--format", "json"])
    assert again.exit_code == 0, again.output
    monkeypatch.setattr(sys, "argv", ["bass", "locate", str(EXAMPLES / "baseline.yaml"),
                                      "-s", "geriatri", "-p", "7", "--out",
                                      str(tmp_path / "no.yaml")])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "field 'p'" in error
    assert not (tmp_path / "no.yaml").exists()
