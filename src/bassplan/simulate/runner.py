"""Run many replications of the year: in this process, on a local Dask cluster, or on an
existing one (``tcp://HOST:PORT``). Replication r is determined by (seed, r) alone, so the
results are identical whatever the number of workers or the order tasks finish in."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bassplan.domain.errors import BassError
from bassplan.simulate import ReplicationResult, SimulationInput, run_replication

Progress = Callable[[int, int], None]  # (replications done, replications in all)
TASKS_PER_WORKER = 8  # batches per worker: few enough to amortise overhead, enough to balance
CONNECT_TIMEOUT = "5s"  # how long to try an existing scheduler before giving up


class ClusterError(BassError, ConnectionError):
    """The Dask scheduler could not be reached or started."""


@dataclass(frozen=True)
class RunOutcome:
    """Replications finished, in replication order, and whether the run was interrupted."""

    results: tuple[ReplicationResult, ...]
    interrupted: bool


def run_batch(
    inputs: Sequence[SimulationInput], seed: int, jobs: Sequence[tuple[int, int]]
) -> list[tuple[int, ReplicationResult]]:
    """Run the (input index, replication) jobs of one task; pure, so any worker may run it."""
    return [(k, run_replication(inputs[k], seed, r)) for k, r in jobs]


def batches(jobs: Sequence[tuple[int, int]], n_batches: int) -> list[list[tuple[int, int]]]:
    """Split jobs into at most ``n_batches`` contiguous, nearly equal batches."""
    n = max(1, min(n_batches, len(jobs)))
    size, extra = divmod(len(jobs), n)
    out, start = [], 0
    for b in range(n):
        stop = start + size + (1 if b < extra else 0)
        out.append(list(jobs[start:stop]))
        start = stop
    return [b for b in out if b]


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A Dask client: to ``scheduler`` if given, else to a new local cluster of processes."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"the Dask scheduler {scheduler} cannot be reached: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=50)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def run_many(
    inputs: Sequence[SimulationInput],
    replications: int,
    seed: int,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    progress: Progress | None = None,
) -> tuple[list[tuple[ReplicationResult, ...]], bool]:
    """Run ``replications`` of each input (a sweep's grid shares the seed: common random
    numbers). Returns per input its results in replication order, and whether Ctrl-C
    stopped the run (what finished before it is kept)."""
    jobs = [(k, r) for k in range(len(inputs)) for r in range(replications)]
    done: dict[tuple[int, int], ReplicationResult] = {}
    interrupted = False
    report = progress or (lambda _done, _all: None)
    try:
        if workers <= 1 and scheduler is None:
            for k, r in jobs:
                done[(k, r)] = run_replication(inputs[k], seed, r)
                report(len(done), len(jobs))
        else:
            _run_on_dask(inputs, jobs, seed, scheduler, workers, done, report)
    except KeyboardInterrupt:
        interrupted = True
    per_input = [
        tuple(done[(k, r)] for r in range(replications) if (k, r) in done)
        for k in range(len(inputs))
    ]
    return per_input, interrupted


def _run_on_dask(
    inputs: Sequence[SimulationInput],
    jobs: list[tuple[int, int]],
    seed: int,
    scheduler: str | None,
    workers: int,
    done: dict[tuple[int, int], ReplicationResult],
    report: Progress,
) -> None:
    """Submit batches to Dask and collect them as they finish; cancel the rest on Ctrl-C."""
    from distributed import as_completed

    with dask_client(scheduler, workers) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        shared = client.scatter(list(inputs), broadcast=True)
        futures = [client.submit(run_batch, shared, seed, batch, pure=False)
                   for batch in batches(jobs, n_workers * TASKS_PER_WORKER)]
        try:
            for future in as_completed(futures):
                for k, result in future.result():
                    done[(k, result.replication)] = result
                report(len(done), len(jobs))
        except KeyboardInterrupt:
            client.cancel(futures)
            raise


def run_replications(
    inp: SimulationInput,
    replications: int,
    seed: int,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    progress: Progress | None = None,
) -> RunOutcome:
    """Run ``replications`` of one input; see ``run_many``."""
    per_input, interrupted = run_many([inp], replications, seed, scheduler=scheduler,
                                      workers=workers, progress=progress)
    return RunOutcome(per_input[0], interrupted)
