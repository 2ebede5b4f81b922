"""Replications on one process and on a real local Dask cluster give identical results;
sweeps set scenario keys; Ctrl-C keeps what is done; a dead scheduler is one clear error."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from bassplan.data import load_region, load_scenario
from bassplan.domain.errors import InputError
from bassplan.model.evaluate import evaluate
from bassplan.simulate import ReplicationResult, SimulationSettings, simulation_input
from bassplan.simulate.runner import ClusterError, batches, run_many, run_replications
from bassplan.simulate.sweep import grid, parse_vary, with_value
from tests.support.paths import EXAMPLES


@pytest.fixture(scope="module")
def inputs() -> list[object]:
    region = load_region()
    settings = SimulationSettings(days=60)
    return [
        simulation_input(evaluate(region, load_scenario(EXAMPLES / name, region)), settings)
        for name in ("baseline.yaml", "bass_2030.yaml")
    ]


def same(a: ReplicationResult, b: ReplicationResult) -> bool:
    return all(
        np.array_equal(np.asarray(getattr(a, f.name)), np.asarray(getattr(b, f.name)))
        for f in fields(a)
    )


def test_batches_cover_every_job_once_in_order() -> None:
    jobs = [(0, r) for r in range(10)]
    split = batches(jobs, 4)
    assert [len(b) for b in split] == [3, 3, 2, 2]
    assert [j for b in split for j in b] == jobs
    assert batches(jobs[:2], 8) == [[(0, 0)], [(0, 1)]]


def test_a_local_cluster_of_two_workers_gives_the_same_results(inputs: list[object]) -> None:
    serial, stopped = run_many(inputs, 4, seed=7, workers=1)  # type: ignore[arg-type]
    assert not stopped
    parallel, stopped = run_many(inputs, 4, seed=7, workers=2)  # type: ignore[arg-type]
    assert not stopped
    for one, other in zip(serial, parallel, strict=True):
        assert [r.replication for r in other] == [0, 1, 2, 3]
        assert all(same(a, b) for a, b in zip(one, other, strict=True))
    # different replications are different draws
    assert not same(serial[0][0], serial[0][1])


def test_ctrl_c_keeps_what_is_done(inputs: list[object]) -> None:
    def stop_after_three(done: int, _all: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    outcome = run_replications(inputs[0], 10, seed=1, workers=1,  # type: ignore[arg-type]
                               progress=stop_after_three)
    assert outcome.interrupted
    assert [r.replication for r in outcome.results] == [0, 1, 2]


def test_an_unreachable_scheduler_is_a_clear_error(inputs: list[object]) -> None:
    with pytest.raises(ClusterError, match=r"tcp://127\.0\.0\.1:9 cannot be reached"):
        run_replications(inputs[0], 2, seed=1,  # type: ignore[arg-type]
                         scheduler="tcp://127.0.0.1:9")


def test_vary_keys_set_nested_scenario_values() -> None:
    region = load_region()
    base = load_scenario(EXAMPLES / "baseline.yaml", region)
    vary = parse_vary("digital_share.default.follow_up=0,0.25")
    assert vary.values == (0.0, 0.25)
    varied = with_value(base, vary.key, 0.25)
    assert varied.digital_share["default"]["follow_up"] == 0.25
    points = grid(base, [vary, parse_vary("need_based_follow_up.default.pro_share=0,0.5")])
    assert len(points) == 4
    assert points[3][0] == {"digital_share.default.follow_up": 0.25,
                            "need_based_follow_up.default.pro_share": 0.5}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("digital_share.default.follow_up", "KEY=V1,V2"),
        ("digital_share.default.follow_up=0,2", r"share 2\.0 is outside 0\.\.1"),
        ("year=abc", "year"),
    ],
)
def test_a_bad_vary_is_one_clear_error(text: str, rule: str) -> None:
    region = load_region()
    base = load_scenario(EXAMPLES / "baseline.yaml", region)
    with pytest.raises(InputError, match=rule):
        grid(base, [parse_vary(text)], region)
