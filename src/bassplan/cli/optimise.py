"""`bass optimise`: exact strength-position plans, written as scenarios, and Pareto fronts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from bassplan.cli.common import DataOpt, LangOpt, err, load_inputs, out, parse_lang
from bassplan.domain.region import Region
from bassplan.domain.results import Evaluation
from bassplan.domain.scenario import Scenario
from bassplan.figures.pareto import FrontRow
from bassplan.i18n.words import Lang, label, say
from bassplan.optimise import ParetoPoint, Plan, plan_to_scenario


def plan_table(plan: Plan, lang: Lang) -> Table:
    """One row per specialty: strength positions, outreach, inpatient cover, team FTE,
    FTE moved and released, travel and access."""
    title = say("opt_plan_title", lang, status=label(f"status_{plan.status}", lang),
                gap=plan.mip_gap, seconds=plan.seconds)
    table = Table(title=title, title_justify="left")
    heads = [label(key, lang) for key in ("specialty", "sc_strength_positions",
                                          "sc_outreach_days", "opt_inpatient_cover",
                                          "opt_team_fte", "opt_moved_fte",
                                          "sc_patient_hours", "sc_staff_hours", "opt_cost")]
    heads.append(say("opt_share_within", lang, minutes=plan.access_minutes))
    for k, head in enumerate(heads):
        table.add_column(head, justify="left" if k < 4 else "right")
    for part in plan.specialties:
        outreach = ", ".join(f"{c.site} {c.days_per_week:g} ({c.team})" for c in part.outreach)
        fte = ", ".join(f"{v:.1f}" for v in part.team_fte.values())
        moved = f"{sum(part.moved.values()):.1f} / {sum(part.released.values()):.1f}"
        cover = label(f"opt_cover_{part.inpatient_cover}", lang)
        table.add_row(part.specialty, ", ".join(part.strength_positions), outreach or "–",
                      cover, fte, moved, f"{part.patient_hours:,.0f}", f"{part.staff_hours:,.0f}",
                      f"{part.cost_dkk / 1e6:,.1f}", f"{part.access_share:.0%}")
    moved_all = sum(sum(p.moved.values()) for p in plan.specialties)
    released_all = sum(sum(p.released.values()) for p in plan.specialties)
    table.add_row(f"[bold]{label('opt_total', lang)}[/bold]", "", "", "", "",
                  f"{moved_all:.1f} / {released_all:.1f}", f"{plan.patient_hours:,.0f}",
                  f"{plan.staff_hours:,.0f}",
                  f"{plan.cost_dkk / 1e6:,.1f}", "")
    return table


def staff_burden(evaluation: Evaluation, specialty_ids: Sequence[str]) -> tuple[float, float]:
    """(smallest on-call 1-in-N over the planned specialties' teams, share of those teams
    that keep their minimum team if one specialist leaves)."""
    from bassplan.scorecard.common import has_team
    from bassplan.scorecard.professional import n1_robust

    rows = [evaluation.region.specialty_index(s) for s in specialty_ids]
    teams = has_team(evaluation)[rows]
    rota = evaluation.on_call.rota_n[rows][teams]
    n1 = n1_robust(evaluation)[rows][teams]
    return (float(np.nanmin(rota)) if rota.size else math.nan,
            float(n1.mean()) if n1.size else math.nan)


def front_rows(
    points: list[ParetoPoint], region: Region, base: Scenario
) -> tuple[list[FrontRow], list[Scenario]]:
    """Score every Pareto plan through the evaluator and return its table row and scenario."""
    from bassplan.model.evaluate import evaluate

    rows: list[FrontRow] = []
    scenarios: list[Scenario] = []
    for k, point in enumerate(points, start=1):
        scenario = plan_to_scenario(point.plan, base, region)
        scenario = scenario.model_copy(update={"name": f"{base.name} — Pareto {k}"})
        planned = [p.specialty for p in point.plan.specialties]
        rota, n1 = staff_burden(evaluate(region, scenario), planned)
        positions = "; ".join(f"{p.specialty}: {', '.join(p.strength_positions)}"
                              for p in point.plan.specialties)
        rows.append(FrontRow(f"P{k}", point.patient_hours, point.staff_hours, point.mean_minutes,
                             point.share_within, rota, n1, positions))
        scenarios.append(scenario)
    return rows, scenarios


def front_table(rows: list[FrontRow], lang: Lang) -> Table:
    """The Pareto front as a table."""
    table = Table(title=label("opt_front_title", lang), title_justify="left")
    heads = [label(key, lang) for key in (
        "pareto_plan", "sc_patient_hours", "sc_staff_hours", "opt_mean_minutes",
        "opt_share_within_short", "opt_smallest_rota", "opt_n1_teams", "sc_strength_positions")]
    for k, head in enumerate(heads):
        table.add_column(head, justify="left" if k in (0, 7) else "right")
    for r in rows:
        table.add_row(r.label, f"{r.patient_hours:,.0f}", f"{r.staff_hours:,.0f}",
                      f"{r.mean_minutes:.1f}", f"{r.share_within:.0%}", f"{r.min_rota_n:.1f}",
                      f"{r.n1_share:.0%}", r.strength_positions)
    return table


def default_out(scenario_path: Path, suffix: str) -> Path:
    """out/<scenario stem>-<suffix>.yaml beside the current directory."""
    return Path("out") / f"{scenario_path.stem}-{suffix}.yaml"


def print_next_step(console: Console, scenario_path: Path, written: Path, lang: Lang) -> None:
    """Tell the user how to score the written plan against its input."""
    text = label("compare_with_command", lang)
    console.print(f"{text}: bass compare {scenario_path} {written}")


def optimise(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML (its optimisation section).")],
    specialty: Annotated[str, typer.Option("--specialty", "-s",
                                           help="Specialty id, or all (jointly).")] = "all",
    out_path: Annotated[Path | None, typer.Option("--out", help="Where to write the plan "
                                                  "as a scenario YAML.")] = None,
    pareto: Annotated[int, typer.Option("--pareto", help="Return N non-dominated plans "
                                        "(patient access against staff burden).")] = 0,
    time_limit: Annotated[float | None, typer.Option("--time-limit",
                                                     help="Seconds for the solver.")] = None,
    gap: Annotated[float | None, typer.Option("--gap", help="Relative MIP gap to stop at.")] = None,
    data: DataOpt = None,
    lang: LangOpt = "da",
) -> None:
    """Choose strength positions, outreach days, team FTE and assignments exactly (HiGHS)."""
    from bassplan.data import write_scenario
    from bassplan.data.files import write_bytes_atomic, write_text_atomic
    from bassplan.figures.pareto import front_html, front_png
    from bassplan.optimise import optimise as solve
    from bassplan.optimise import pareto_front, plan_to_scenario

    language = parse_lang(lang)
    region, base = load_inputs(data, scenario)
    specialties = None if specialty == "all" else [specialty]
    if pareto:
        with err.status(label("opt_tracing", language)):
            points = pareto_front(region, base, specialties, pareto, time_limit=time_limit,
                                  gap=gap)
            rows, plans = front_rows(points, region, base)
        out.print(front_table(rows, language))
        stem = (out_path or default_out(scenario, "pareto")).with_suffix("")
        png = write_bytes_atomic(stem.with_suffix(".png"), front_png(rows, language))
        page = write_text_atomic(stem.with_suffix(".html"), front_html(rows, language))
        for k, plan_scenario in enumerate(plans, start=1):
            write_scenario(stem.parent / f"{stem.name}-P{k}.yaml", plan_scenario)
        err.print(f"{png}\n{page}\n{stem.parent / (stem.name + '-P*.yaml')}")
        return
    with err.status(label("opt_solving", language)):
        plan = solve(region, base, specialties, time_limit=time_limit, gap=gap)
    out.print(plan_table(plan, language))
    written = write_scenario(out_path or default_out(scenario, "optimeret"),
                             plan_to_scenario(plan, base, region))
    err.print(f"{label('plan_written', language)}: {written}")
    print_next_step(err, scenario, written, language)
