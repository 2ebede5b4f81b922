"""The `bass` command: evaluate, compare and explain BASS scenarios; check and show data."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from bassplan.cli.common import (
    DataOpt,
    FormatOpt,
    LangOpt,
    OutputFormat,
    ReportOpt,
    err,
    load_inputs,
    out,
    parse_lang,
    records_csv,
    with_illustrative,
)
from bassplan.cli.locate import locate
from bassplan.cli.optimise import optimise
from bassplan.cli.simulate import simulate, sweep
from bassplan.domain.errors import BassError, InputError
from bassplan.domain.results import Evaluation, Scorecard
from bassplan.domain.vocabulary import Colour
from bassplan.i18n.words import Lang, as_lang, label, say, say_failure
from bassplan.scorecard.score import ColourChange
from bassplan.views.formatting import indicator_name

if TYPE_CHECKING:
    from bassplan.domain.region import Region
    from bassplan.report.program import ProgramPack

app = typer.Typer(
    help="bassplan: population responsibility and strength positions for the BASS program.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Check and show region data.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.command()(optimise)
app.command()(locate)
app.command()(simulate)
app.command()(sweep)

def _evaluate(data: Path | None, scenario_path: Path) -> tuple[Evaluation, Scorecard]:
    from bassplan.model.evaluate import evaluate
    from bassplan.scorecard.catalogue import load_indicators
    from bassplan.scorecard.score import score

    region, scenario = load_inputs(data, scenario_path)
    evaluation = evaluate(region, scenario)
    return evaluation, score(evaluation, load_indicators())


def _print_residents(evaluation: Evaluation, lang: Lang) -> None:
    """One line: the year's residents and the path that produced them."""
    from bassplan.i18n.population import describe_path
    from bassplan.views.formatting import format_number

    count = format_number(float(evaluation.residents.sum()), lang)
    out.print(label("residents_from", lang).format(
        year=evaluation.year, count=count, path=describe_path(evaluation.population.path, lang)))


def _print_illustrative(evaluation: Evaluation, lang: Lang) -> None:
    """The data version, then the illustrative inputs (if any) in yellow."""
    from bassplan.views.dataversion import describe_data_version
    from bassplan.views.records import illustrative_labels

    out.print(describe_data_version(evaluation.region.data_version, lang), highlight=False)

    tables, params = illustrative_labels(evaluation.region, lang)
    if tables or params:
        word = label("illustrative_parameters_word", lang)
        out.print(f"[yellow]⚠ {label('illustrative_note', lang)}[/yellow] "
                  + ", ".join(tables) + (f"; {word}: " + ", ".join(params) if params else ""))


@app.command()
def evaluate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    data: DataOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
    report: ReportOpt = None,
    lang: LangOpt = "da",
) -> None:
    """Evaluate a scenario: scorecard heat-map, population responsibility, headline figures."""
    from bassplan.cli.tables import (
        council_table,
        headline_table,
        heatmap_table,
        responsibility_table,
        transport_table,
    )
    from bassplan.views.records import csv_records, evaluation_record

    language = parse_lang(lang)
    evaluation, scorecard = _evaluate(data, scenario)
    if output is OutputFormat.JSON:
        sys.stdout.write(json.dumps(evaluation_record(evaluation, scorecard), ensure_ascii=False,
                                    indent=2) + "\n")
    elif output is OutputFormat.CSV:
        sys.stdout.write(records_csv(with_illustrative(csv_records(evaluation, scorecard),
                                                       evaluation)))
    else:
        out.rule(f"[bold]{evaluation.scenario_name}[/bold] — {evaluation.region.name}, "
                 f"{evaluation.year}")
        _print_residents(evaluation, language)
        out.print(heatmap_table(evaluation, scorecard, language))
        out.print(headline_table(evaluation, language))
        out.print(transport_table(evaluation, language))
        out.print(responsibility_table(evaluation, language))
        if (councils := council_table(evaluation, language)) is not None:
            out.print(councils)
        _print_illustrative(evaluation, language)
    if report is not None:
        from bassplan.report.html import write_report

        path = write_report(report, evaluation, scorecard, lang=language)
        err.print(f"{label('report_written', language)}: {path}")


@app.command()
def compare(
    first: Annotated[Path, typer.Argument(help="First scenario YAML (e.g. the baseline).")],
    second: Annotated[Path, typer.Argument(help="Second scenario YAML.")],
    data: DataOpt = None,
    second_region: Annotated[Path | None, typer.Option(
        "--second-region",
        help="Region of the second scenario (default: --region); e.g. --region sjaelland "
             "--second-region oestdanmark sets Region Sjælland alone beside Østdanmark.")] = None,
    output: FormatOpt = OutputFormat.TABLE,
    report: ReportOpt = None,
    lang: LangOpt = "da",
) -> None:
    """Compare two scenarios side by side: deltas and indicators that changed colour."""
    from bassplan.cli.tables import (
        comparison_table,
        heatmap_table,
        same_residents_table,
        transport_comparison_table,
    )
    from bassplan.scorecard.score import changed_colours
    from bassplan.views.records import evaluation_record, score_records
    from bassplan.views.same_residents import (
        same_residents,
        same_residents_record,
        same_residents_rows,
    )

    language = parse_lang(lang)
    ev_a, sc_a = _evaluate(data, first)
    ev_b, sc_b = _evaluate(data if second_region is None else second_region, second)
    changes = changed_colours(sc_a, sc_b)
    shared = same_residents(ev_a, ev_b)  # both over the municipalities they share
    if output is OutputFormat.JSON:
        payload = {
            "first": evaluation_record(ev_a, sc_a),
            "second": evaluation_record(ev_b, sc_b),
            "changed_colours": [_change_record(c) for c in changes],
            "same_residents": None if shared is None else same_residents_record(shared),
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif output is OutputFormat.CSV:
        shared_rows = ([] if shared is None or not shared.restricted else
                       same_residents_rows(shared, (ev_a.scenario_name, ev_b.scenario_name)))
        sys.stdout.write(records_csv(with_illustrative(score_records(sc_a), ev_a)
                                      + with_illustrative(score_records(sc_b), ev_b)
                                      + shared_rows))
    else:
        for ev, sc in ((ev_a, sc_a), (ev_b, sc_b)):
            out.rule(f"[bold]{ev.scenario_name}[/bold] — {ev.region.name}, {ev.year}")
            _print_residents(ev, language)
            out.print(heatmap_table(ev, sc, language))
        names = [ev_a.scenario_name, ev_b.scenario_name]
        out.print(comparison_table(names, [ev_a, ev_b], language))
        out.print(transport_comparison_table(names, [ev_a, ev_b], language))
        if shared is not None and shared.restricted:
            out.print(same_residents_table(shared, [ev_a.region.name, ev_b.region.name],
                                           language))
        _print_changes(changes, sc_b, language)
        _print_illustrative(ev_b, language)
    if report is not None:
        from bassplan.report.html import write_report

        path = write_report(report, ev_b, sc_b, lang=language, baseline=(ev_a, sc_a))
        err.print(f"{label('report_written', language)}: {path}")


def _change_record(change: ColourChange) -> dict[str, object]:
    """A JSON-safe record of one colour change (nan becomes null)."""

    def num(value: float) -> float | None:
        return None if math.isnan(value) else round(value, 6)

    return {
        "indicator": change.indicator_id,
        "specialty": change.specialty_id,
        "site": change.site_id,
        "value_first": num(change.value_a),
        "colour_first": str(change.colour_a),
        "value_second": num(change.value_b),
        "colour_second": str(change.colour_b),
    }


def _print_changes(changes: Sequence[ColourChange], scorecard: Scorecard, lang: Lang) -> None:
    """Print the colour changes between two scored cells, then count cells that gained or
    lost a team (their values appear or vanish rather than change colour)."""
    from bassplan.cli.tables import STYLE, SYMBOL

    names = {i.id: indicator_name(i, lang) for i in scorecard.indicators}
    out.print(f"[bold]{label('changed_colour', lang)}[/bold]")
    scored = [c for c in changes if Colour.NONE not in (c.colour_a, c.colour_b)]
    for c in scored:
        where = c.specialty_id + (f" @ {c.site_id}" if c.site_id else "")
        line = Text(f"  {names.get(c.indicator_id, c.indicator_id)} — {where}: ")
        line.append(f"{SYMBOL[c.colour_a]} {c.value_a:.3g}", style=STYLE[c.colour_a])
        line.append(" → ")
        line.append(f"{SYMBOL[c.colour_b]} {c.value_b:.3g}", style=STYLE[c.colour_b])
        out.print(line)
    if not scored:
        out.print("  " + label("no_changes", lang))
    gone = sum(1 for c in changes if c.colour_b is Colour.NONE)
    new = sum(1 for c in changes if c.colour_a is Colour.NONE)
    if gone or new:
        out.print("  " + say("cli_team_moves", lang, gone=gone, new=new))


@app.command()
def report(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    pdf: Annotated[Path | None, typer.Option(
        "--pdf", help="Write the meeting pack as an A4 PDF here (needs chromium).")] = None,
    html: Annotated[Path | None, typer.Option(
        "--html", help="Write the HTML report here.")] = None,
    compare_with: Annotated[Path | None, typer.Option(
        "--compare", help="Baseline scenario YAML to compare against.")] = None,
    database: Annotated[str | None, typer.Option(
        "--database", help="Read the program's deliverables and decisions for the meeting pack "
        "from this database (default: $BASS_DATABASE_URL, else ./bass.sqlite if it exists)."
    )] = None,
    data: DataOpt = None,
    lang: LangOpt = "da",
) -> None:
    """Write the meeting pack (A4 PDF) and/or the HTML report of a scenario, optionally
    against a baseline: front page, scorecard with colour changes, maps, responsibility,
    and the program's deliverables and decisions when a database is at hand."""
    from bassplan.report.html import write_report
    from bassplan.report.pdf import find_chromium, write_pdf

    language = parse_lang(lang)
    if pdf is None and html is None:
        raise typer.BadParameter("give --pdf FILE and/or --html FILE", param_hint="--pdf")
    if pdf is not None:
        find_chromium()  # before the evaluation: a missing chromium is one line, at once
    evaluation, scorecard = _evaluate(data, scenario)
    baseline = _evaluate(data, compare_with) if compare_with is not None else None
    if html is not None:
        path = write_report(html, evaluation, scorecard, lang=language, baseline=baseline)
        err.print(f"{label('report_written', language)}: {path}")
    if pdf is not None:
        program = _program_pack(database, evaluation.region, language)
        path = write_pdf(pdf, evaluation, scorecard, lang=language, baseline=baseline,
                         program=program)
        err.print(f"{label('report_written', language)}: {path}")


def _program_pack(database: str | None, region: Region, lang: Lang) -> ProgramPack | None:
    """The meeting pack's program section from the database the dashboard uses (migrated to
    the current schema first, as `bass serve` does), or None, said on stderr, without one."""
    import os

    from bassplan.store.engine import DEFAULT_URL, ENV_VAR, make_engine, session_factory, upgrade
    from bassplan.web.program_views import program_pack

    url = database or os.environ.get(ENV_VAR) or (
        DEFAULT_URL if Path(DEFAULT_URL.removeprefix("sqlite:///")).is_file() else None)
    if url is None:
        err.print(label("pack_no_database", lang))
        return None
    upgrade(url)
    return program_pack(session_factory(make_engine(url)), region, lang)


@app.command()
def explain(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. wisn_ratio.")],
    specialty: Annotated[str, typer.Option("--specialty", "-s", help="Specialty id.")],
    site: Annotated[str | None, typer.Option("--site", help="Site id (site indicators).")] = None,
    data: DataOpt = None,
    lang: LangOpt = "da",
) -> None:
    """Show how one indicator value was computed, from the inputs up."""
    from bassplan.cli.tables import explanation_table
    from bassplan.scorecard.catalogue import load_indicators
    from bassplan.scorecard.explain import explain as explain_value

    language = parse_lang(lang)
    evaluation, _ = _evaluate(data, scenario)
    explanation = explain_value(evaluation, load_indicators(), indicator, specialty, site)
    _print_residents(evaluation, language)
    out.print(explanation_table(explanation, language))
    _print_illustrative(evaluation, language)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    database: Annotated[str | None, typer.Option(
        "--database", help="Database URL (default: $BASS_DATABASE_URL, else sqlite:///bass.sqlite)"
    )] = None,
    data: DataOpt = None,
    examples: Annotated[Path | None, typer.Option(
        "--examples", help="Scenario YAML files to store when the database has none "
        "(default: ./examples if it exists)"
    )] = None,
) -> None:
    """Start the dashboard and REST API (FastAPI on uvicorn); the first start creates an
    admin login and stores the example scenarios of every region (each region's own,
    checked against it, while it has none)."""
    from dataclasses import replace as replace_settings

    from bassplan.api.settings import settings_from_env
    from bassplan.cli.serving import example_folders, seed_examples
    from bassplan.data.loaders import region_id_of
    from bassplan.store.accounts import ensure_first_admin
    from bassplan.store.engine import database_url, make_engine, session_factory, upgrade
    from bassplan.web.serve import run

    settings = settings_from_env()
    settings = replace_settings(settings, database_url=database_url(database or
                                                                     settings.database_url),
                                data_dir=data or settings.data_dir)
    upgrade(settings.database_url, default_region=region_id_of(settings.data_dir))
    sessions = session_factory(make_engine(settings.database_url))
    password = ensure_first_admin(sessions)
    for region_id, choice, folder in example_folders(settings.data_dir, examples):
        seed_examples(sessions, region_id, choice, folder)
    if password is not None:
        err.print(f"Første login: admin / {password}  (skift adgangskoden)")
    err.print(f"BASS-dashboard: http://{host}:{port}/   REST API: http://{host}:{port}/docs")
    run(host, port, settings)


@data_app.command("check")
def data_check(
    directory: Annotated[Path | None, typer.Argument(
        help="Region data directory or bundled id (sjaelland, oestdanmark).")] = None,
) -> None:
    """Validate a region data directory (default: the bundled one); exit 2 on the first error."""
    from bassplan.data import check_region_dir, region_dir

    target = region_dir(directory)
    for line in check_region_dir(target):
        out.print(line)
    out.print(f"[green]OK[/green] {target}")


@data_app.command("init")
def data_init(
    directory: Annotated[Path, typer.Argument(help="New directory for an editable copy.")],
    region: Annotated[str | None, typer.Option(
        "--region", help="Bundled region to copy (sjaelland, oestdanmark).")] = None,
) -> None:
    """Copy a bundled region into DIR so its tables can be edited or replaced (CSV or
    Excel in the same shape), then use it with --region DIR."""
    import shutil

    from bassplan.data import bundled_region_dir

    if directory.exists():
        raise InputError(str(directory), "", "directory", "exists already; choose a new path")
    shutil.copytree(bundled_region_dir(region), directory)
    out.print(f"[green]OK[/green] {directory}")


@data_app.command("show")
def data_show(data: DataOpt = None) -> None:
    """Show the region as its tables (column names as in the data files) and sources."""
    from rich.table import Table

    from bassplan.data import describe_region, load_region

    region = load_region(data)
    for view in describe_region(region):
        table = Table(title=view.title, title_justify="left")
        for column in view.columns:
            table.add_column(column, overflow="fold")
        for row in view.rows:
            table.add_row(*row)
        out.print(table)


def main() -> None:
    """Entry point: run the app; a BassError becomes one line on stderr and exit code 2."""
    try:
        app()
    except BassError as exc:
        lang = _argv_lang(sys.argv[1:])
        err.print(f"[red]{label('error', lang).lower()}:[/red] {say_failure(exc, lang)}",
                  highlight=False, soft_wrap=True)
        raise SystemExit(2) from None


def _argv_lang(args: Sequence[str]) -> Lang:
    """The language the command line asked for with --lang (Danish by default), for the one
    line an error gets after the command has ended."""
    for k, arg in enumerate(args):
        if arg == "--lang" and k + 1 < len(args):
            return as_lang(args[k + 1])
        if arg.startswith("--lang="):
            return as_lang(arg.removeprefix("--lang="))
    return "da"
