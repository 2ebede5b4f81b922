"""`bass simulate` and `bass sweep`: the Monte Carlo year, its bands, tables and files."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from bassplan.cli.common import (
    DataOpt,
    FormatOpt,
    LangOpt,
    OutputFormat,
    SchedulerOpt,
    WorkersOpt,
    err,
    load_inputs,
    out,
    parse_lang,
    records_csv,
)
from bassplan.data.files import write_bytes_atomic, write_text_atomic
from bassplan.domain.results import json_safe
from bassplan.i18n.words import Lang, label, say

if TYPE_CHECKING:
    from bassplan.simulate import ReplicationResult, SimulationSummary

# per-replication totals shown for a sweep (labelled sweep_<name> in the word store)
SWEEP_METRICS = ("wait_p90_routine", "share_beyond_target", "backlog_end", "overtime_hours",
                 "visits_avoided")


def progress_bar(console: Console) -> Progress:
    """A progress bar over replications (on stderr, gone when done)."""
    return Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=console, transient=True,
    )


def totals(result: ReplicationResult) -> dict[str, float]:
    """One replication reduced to the region's totals that a sweep compares."""
    from bassplan.simulate.headline import ROUTINE

    routine = result.classes.index(ROUTINE)
    return {
        "wait_p90_routine": float(np.max(result.wait_p90_days[:, routine])),
        "share_beyond_target": float(np.mean(result.share_beyond_target)),
        "backlog_end": float(result.backlog[-1]),
        "overtime_hours": float(np.sum(result.overtime_hours)),
        "visits_avoided": float(np.sum(result.visits_avoided)),
    }


def band_of(results: Sequence[ReplicationResult], metric: str) -> tuple[float, float, float]:
    """(P5, P50, P95) over replications of one total."""
    values = np.array([totals(r)[metric] for r in results])
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return float(p5), float(p50), float(p95)


def _band_text(band: tuple[float, float, float], digits: int) -> str:
    p5, p50, p95 = band
    return f"{p50:,.{digits}f} [{p5:,.{digits}f}–{p95:,.{digits}f}]"


def summary_table(summary: SimulationSummary, lang: Lang) -> Table:
    """Per specialty: P50 [P5–P95] of waits, share beyond target, overtime and savings."""
    from bassplan.simulate.headline import HEADLINES, headline_band

    title = say("sim_table_title", lang, replications=summary.replications)
    table = Table(title=title, title_justify="left")
    table.add_column(label("specialty", lang), justify="left")
    for headline in HEADLINES:
        table.add_column(label(f"sim_{headline.key}", lang), justify="right")
    for s, spec in enumerate(summary.specialty_ids):
        table.add_row(spec, *(_band_text(headline_band(summary, h, s), h.digits)
                              for h in HEADLINES))
    return table


def sweep_table(
    labels: Sequence[str], results: Sequence[Sequence[ReplicationResult]], lang: Lang
) -> Table:
    """One row per grid point: P50 [P5–P95] of the region's totals."""
    table = Table(title=label("sweep_title", lang), title_justify="left")
    table.add_column(label("sweep_point", lang))
    for name in SWEEP_METRICS:
        table.add_column(label(f"sweep_{name}", lang), justify="right")
    for point, runs in zip(labels, results, strict=True):
        digits = {"share_beyond_target": 2, "wait_p90_routine": 1}
        table.add_row(point, *(_band_text(band_of(runs, name), digits.get(name, 0))
                               for name in SWEEP_METRICS))
    return table


def write_outputs(
    summary: SimulationSummary, directory: Path, lang: Lang, title: str
) -> list[Path]:
    """Write summary.json, summary.csv, year.png and simulering.html into ``directory``."""
    from bassplan.figures.simulation import inline_svg, year_figure
    from bassplan.simulate import summary_records

    records = [json_safe(r) for r in summary_records(summary)]
    written = [write_text_atomic(directory / "summary.json",
                                 json.dumps(records, ensure_ascii=False, indent=1))]
    header = list(records[0]) if records else []
    lines = [",".join(header)] + [",".join(str(r[h]) for h in header) for r in records]
    written.append(write_text_atomic(directory / "summary.csv", "\n".join(lines) + "\n"))
    written.append(write_bytes_atomic(directory / "year.png", year_figure(summary, lang, "png")))
    svg = inline_svg(year_figure(summary, lang, "svg"))
    page = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}'
            "</title><style>body{font-family:sans-serif;margin:2em}</style></head><body>"
            f"<h1>{title}</h1>{svg}</body></html>")
    written.append(write_text_atomic(directory / "simulering.html", page))
    return written


def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    replications: Annotated[int, typer.Option("--replications", "-r", min=1)] = 100,
    days: Annotated[int, typer.Option("--days", min=7, max=3660)] = 365,
    seed: Annotated[int, typer.Option("--seed")] = 2027,
    absent: Annotated[int, typer.Option("--absent", min=0,
                                        help="Extra specialists on leave per team.")] = 0,
    surge: Annotated[float, typer.Option("--surge", min=0.5, max=3.0,
                                         help="Winter surge factor on referrals.")] = 1.0,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = 2,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Directory for files.")] = None,
    output: FormatOpt = OutputFormat.TABLE,
    data: DataOpt = None,
    lang: LangOpt = "da",
) -> None:
    """Simulate the year day by day, many times over: waits, backlog, overtime, savings."""
    from bassplan.model.evaluate import evaluate as evaluate_scenario
    from bassplan.simulate import SimulationSettings, simulation_input, summarise, summary_records
    from bassplan.simulate.runner import run_replications

    language = parse_lang(lang)
    region, base = load_inputs(data, scenario)
    settings = SimulationSettings(days=days, extra_absent_specialists=absent, winter_surge=surge)
    inp = simulation_input(evaluate_scenario(region, base), settings)
    with progress_bar(err) as bar:
        task = bar.add_task(label("cli_simulating", language), total=replications)
        outcome = run_replications(inp, replications, seed, scheduler=scheduler, workers=workers,
                                   progress=lambda done, _all: bar.update(task, completed=done))
    if outcome.interrupted:
        err.print("[yellow]" + say("cli_simulate_interrupted", language,
                                   kept=len(outcome.results), replications=replications)
                  + "[/yellow]")
    if not outcome.results:
        raise typer.Exit(130)
    summary = summarise(outcome.results)
    if output is OutputFormat.JSON:
        records = [json_safe(r) for r in summary_records(summary)]
        sys.stdout.write(json.dumps(records, ensure_ascii=False) + "\n")
    elif output is OutputFormat.CSV:
        sys.stdout.write(records_csv(summary_records(summary)))
    else:
        out.print(summary_table(summary, language))
    directory = out_dir or Path("out") / f"{scenario.stem}-simulering"
    for path in write_outputs(summary, directory, language, base.name):
        err.print(str(path))
    if outcome.interrupted:
        raise typer.Exit(130)


def sweep(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    vary: Annotated[list[str], typer.Option("--vary", help="KEY=V1,V2,… (repeatable).")],
    replications: Annotated[int, typer.Option("--replications", "-r", min=1)] = 50,
    days: Annotated[int, typer.Option("--days", min=7, max=3660)] = 365,
    seed: Annotated[int, typer.Option("--seed")] = 2027,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = 2,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Directory for files.")] = None,
    data: DataOpt = None,
    lang: LangOpt = "da",
) -> None:
    """Simulate a grid of scenario variants × replications (same seeds) and compare them."""
    from bassplan.figures.simulation import sweep_figure
    from bassplan.model.evaluate import evaluate as evaluate_scenario
    from bassplan.simulate import SimulationSettings, simulation_input
    from bassplan.simulate.runner import run_many
    from bassplan.simulate.sweep import grid, parse_vary

    language = parse_lang(lang)
    region, base = load_inputs(data, scenario)
    points = grid(base, [parse_vary(v) for v in vary], region)
    settings = SimulationSettings(days=days)
    inputs = [simulation_input(evaluate_scenario(region, variant), settings)
              for _, variant in points]
    labels = [", ".join(f"{k.split('.')[-1]}={v}" for k, v in chosen.items())
              for chosen, _ in points]
    with progress_bar(err) as bar:
        task = bar.add_task(label("cli_simulating", language),
                            total=replications * len(inputs))
        results, interrupted = run_many(inputs, replications, seed, scheduler=scheduler,
                                        workers=workers,
                                        progress=lambda d, _a: bar.update(task, completed=d))
    if interrupted:
        err.print(f"[yellow]{label('cli_sweep_interrupted', language)}[/yellow]")
    kept = [(point, runs) for point, runs in zip(labels, results, strict=True) if runs]
    if not kept:
        raise typer.Exit(130)
    out.print(sweep_table([k for k, _ in kept], [r for _, r in kept], language))
    directory = out_dir or Path("out") / f"{scenario.stem}-sweep"
    metric = "wait_p90_routine"
    png = sweep_figure([k for k, _ in kept], [band_of(r, metric) for _, r in kept], metric)
    write_bytes_atomic(directory / "sweep.png", png)
    err.print(str(directory / "sweep.png"))
    if interrupted:
        raise typer.Exit(130)
