"""`bass locate`: where p strength positions of one specialty serve residents nearest
(pure access, the exact p-median), written as a scenario that `bass evaluate` scores."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bassplan.cli.common import DataOpt, LangOpt, err, load_inputs, out, parse_lang
from bassplan.i18n.labels import Lang, label
from bassplan.optimise.locate import Location
from bassplan.views.formatting import format_number


def location_table(location: Location, lang: Lang) -> Table:
    """The chosen sites, the visits placed and the proven mean travel time."""
    table = Table(title=label("locate_title", lang), title_justify="left")
    table.add_column(label("locate_item", lang))
    table.add_column(label("locate_value", lang), justify="right")
    table.add_row(label("specialty", lang), location.specialty)
    table.add_row(label("locate_sites", lang), ", ".join(location.sites))
    table.add_row(label("locate_visits", lang), format_number(location.visits, lang))
    for key, minutes in (("locate_mean_minutes", location.mean_minutes),
                         ("locate_bound_minutes", location.lower_bound_minutes)):
        table.add_row(label(key, lang), format_number(minutes, lang, 2))
    table.add_row(label("locate_status", lang), label(f"status_{location.status}", lang))
    table.add_row(label("locate_seconds", lang), format_number(location.seconds, lang, 3))
    return table


def locate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML (its year, digital and PRO "
                                             "shares set the visits to place).")],
    specialty: Annotated[str, typer.Option("--specialty", "-s", help="Specialty id.")],
    p: Annotated[int, typer.Option("--positions", "-p", help="How many strength positions.")],
    candidates: Annotated[list[str] | None, typer.Option(
        "--candidate", help="A site that may hold one (repeat; default: the active acute "
        "sites).")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="Where to write the plan "
                                                  "as a scenario YAML.")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds.")] = 60.0,
    data: DataOpt = None,
    lang: LangOpt = "da",
) -> None:
    """Place p strength positions for shortest patient travel only (exact p-median)."""
    from bassplan.cli.optimise import default_out, print_next_step
    from bassplan.data import write_scenario
    from bassplan.model.evaluate import evaluate
    from bassplan.optimise.locate import locate as solve
    from bassplan.optimise.locate import location_to_scenario

    language = parse_lang(lang)
    region, base = load_inputs(data, scenario)
    location = solve(evaluate(region, base), specialty, p, candidates, time_limit)
    out.print(location_table(location, language))
    written = write_scenario(out_path or default_out(scenario, f"placering-{specialty}"),
                             location_to_scenario(location, base))
    err.print(f"{label('plan_written', language)}: {written}")
    print_next_step(err, scenario, written, language)
