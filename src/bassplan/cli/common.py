"""What every `bass` command shares: consoles, options, language and loading inputs."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bassplan.domain.region import Region
from bassplan.domain.results import Evaluation
from bassplan.domain.scenario import Scenario
from bassplan.i18n.words import LANGS, Lang, as_lang

out = Console()
err = Console(stderr=True)


class OutputFormat(StrEnum):
    """How `evaluate` and `compare` print their result."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


DataOpt = Annotated[
    Path | None,
    typer.Option("--region", "--data",
                 help="Region: a bundled id (sjaelland, oestdanmark) or a data directory "
                      "(default: the bundled Region Sjælland)."),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of labels: da or en.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table, json or csv.")]
ReportOpt = Annotated[
    Path | None, typer.Option("--report", help="Also write an HTML report to this path.")
]


def parse_lang(value: str) -> Lang:
    """The --lang value as a language, or a usage error."""
    if value not in LANGS:
        raise typer.BadParameter(f"choose {' or '.join(LANGS)}", param_hint="--lang")
    return as_lang(value)


def load_inputs(data: Path | None, scenario_path: Path) -> tuple[Region, Scenario]:
    """Load the region and one scenario, with a user travel matrix if the scenario names one."""
    from bassplan.data import load_region, load_travel_matrix
    from bassplan.data.scenario_loader import read_scenario
    from bassplan.domain.scenario import check_against_region

    scenario = read_scenario(scenario_path)  # a hostile file is refused before the region loads
    region = load_region(data)
    check_against_region(scenario, region, str(scenario_path))
    if scenario.travel.model == "matrix" and scenario.travel.matrix:
        matrix_path = Path(scenario.travel.matrix)
        if not matrix_path.is_absolute():
            matrix_path = scenario_path.parent / matrix_path
        minutes, km = load_travel_matrix(matrix_path, region)
        region = replace(region, travel_minutes=minutes, travel_km=km)
    return region, scenario


def with_illustrative(
    records: list[dict[str, object]], evaluation: Evaluation
) -> list[dict[str, object]]:
    """Add the illustrative inputs and the data version (in English) to every CSV row, so a
    saved file still says them."""
    from bassplan.views.dataversion import describe_data_version
    from bassplan.views.records import illustrative_inputs

    names = "; ".join(illustrative_inputs(evaluation))
    version = describe_data_version(evaluation.region.data_version, "en")
    return [{**record, "illustrative_inputs": names, "data_version": version}
            for record in records]


def records_csv(records: list[dict[str, object]]) -> str:
    """Flat records as CSV text with a header row: every column any record has, in order of
    first appearance (empty where a record lacks it)."""
    buffer = io.StringIO()
    if records:
        columns = list(dict.fromkeys(key for record in records for key in record))
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    return buffer.getvalue()


SchedulerOpt = Annotated[str | None, typer.Option(
    "--scheduler", help="Dask scheduler tcp://HOST:PORT (default: a local cluster).")]
WorkersOpt = Annotated[int, typer.Option("--workers", help="Local workers (1 = in process).")]
