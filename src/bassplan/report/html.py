"""The self-contained HTML report of one evaluated scenario (optionally against a baseline):
headline figures, the scorecard heat-map, indicators, maps and population responsibility.

``build_report_context`` turns results into display-ready text (sections built in
bassplan.report.sections); ``render_report`` is a pure Jinja2 rendering of that context;
``write_report`` writes the file atomically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from bassplan.data.files import write_text_atomic
from bassplan.domain.results import Evaluation, Scorecard
from bassplan.i18n.labels import Lang, label
from bassplan.report.program import ProgramPack
from bassplan.report.sections import (
    Comparison,
    HeatCell,
    Heatmap,
    HeatmapColours,
    IndicatorRow,
    MapPanel,
    RespCell,
    Table,
    comparison_section,
    council_table_rows,
    headline_tables,
    heatmap_table,
    indicator_rows,
    map_panels,
    population_line,
    responsibility_rows,
)
from bassplan.views.dataversion import describe_data_version
from bassplan.views.records import headlines, illustrative_labels, illustrative_lists

if TYPE_CHECKING:
    from bassplan.scorecard.score import ColourChange
    from bassplan.views.responsibility import ResponsibilityRow

__all__ = [
    "TEMPLATE_LABELS",
    "Comparison",
    "HeatCell",
    "Heatmap",
    "IndicatorRow",
    "MapPanel",
    "ReportContext",
    "RespCell",
    "Table",
    "build_report_context",
    "illustrative_lists",
    "render_report",
    "write_report",
    "write_text_atomic",
]

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_LABELS = (  # the bassplan.i18n.labels keys the template reads as ``L.<key>``
    *("region", "scenario", "year", "overview", "scorecard", "indicators", "maps"),
    *("population_responsibility", "comparison", "illustrative", "illustrative_note"),
    *("illustrative_tables", "illustrative_parameters", "nothing_illustrative", "headline"),
    *("per_specialty", "green", "yellow", "red", "none", "specialty", "perspective"),
    *("indicator", "site", "value", "colour", "thresholds", "map_caption", "map_title"),
    *("resp_caption", "baseline", "comparison_note", "changed_colour", "no_changes", "footer"),
    *("council_responsibility", "council_caption"),
    *("dv_heading", "pack_title", "pack_date", "pack_contents", "pack_indicators_note"),
    "pack_team_moves", "pack_program", "pack_decisions_since", "pack_overdue_count",
    *("prog_deliverables", "prog_title_field", "prog_owner", "prog_status", "prog_due"),
    *("prog_decision", "prog_overdue", "prog_no_items", "prog_meeting_title"),
    "prog_no_decisions",
)


@dataclass(frozen=True)
class ReportContext:
    """Everything the template shows, as display-ready text (and SVG markup for maps)."""

    lang: Lang
    labels: Mapping[str, str]
    title: str
    scenario_name: str
    year: int
    region_name: str
    illustrative_tables: tuple[str, ...]
    illustrative_parameters: tuple[str, ...]
    figures: tuple[tuple[str, str], ...]
    population_line: str  # where the residents come from (sections.population_line)
    contacts: tuple[Table, Table]  # by contact type, by modality
    specialties: Table
    heatmap: Heatmap
    indicators: tuple[IndicatorRow, ...]
    maps: tuple[MapPanel, ...]
    map_note: str
    responsibility_columns: tuple[str, ...]
    responsibility: tuple[tuple[str, str, str, tuple[RespCell, ...]], ...]
    data_version: str = ""  # which data the results used (views.dataversion)
    date: str = ""  # the day the report was made, ISO 8601
    comparison: Comparison | None = None
    council_columns: tuple[str, ...] = ()
    councils: tuple[tuple[str, str, tuple[RespCell, ...]], ...] = ()
    program: ProgramPack | None = None  # deliverables and recent decisions (meeting pack)


def build_report_context(
    evaluation: Evaluation,
    scorecard: Scorecard,
    *,
    lang: Lang = "da",
    baseline: tuple[Evaluation, Scorecard] | None = None,
    heatmap: HeatmapColours | None = None,
    responsibility: Sequence[ResponsibilityRow] | None = None,
    changes: Sequence[ColourChange] | None = None,
    date: str | None = None,
    program: ProgramPack | None = None,
) -> ReportContext:
    """Compute everything the report shows. ``heatmap``, ``responsibility`` and ``changes``
    default to what the scorecard and ``views.responsibility`` compute from the results;
    ``date`` (ISO 8601) to today's date in UTC; ``program`` (made by the caller, which
    reads the program's records) adds the program section."""
    region = evaluation.region
    if heatmap is None:
        from bassplan.scorecard.score import heatmap as heatmap_colours

        heatmap = heatmap_colours(scorecard)
    if responsibility is None:
        from bassplan.views.responsibility import population_responsibility

        responsibility = population_responsibility(evaluation)
    heads = headlines(evaluation)
    comparison = None
    if baseline is not None:
        if changes is None:
            from bassplan.scorecard.score import changed_colours

            changes = changed_colours(baseline[1], scorecard)
        comparison = comparison_section(baseline[0], evaluation, heads, changes, scorecard, lang)
    tables, params = illustrative_labels(region, lang)
    figures, contacts, per_spec = headline_tables(evaluation, heads, lang)
    resp_columns, resp_rows = responsibility_rows(responsibility, region, lang)
    council_columns, councils = council_table_rows(evaluation, lang)
    return ReportContext(
        lang=lang,
        labels={k: label(k, lang) for k in TEMPLATE_LABELS},
        title=f"{label('report', lang)}: {evaluation.scenario_name} ({evaluation.year})",
        scenario_name=evaluation.scenario_name,
        year=evaluation.year,
        region_name=region.name,
        illustrative_tables=tables,
        illustrative_parameters=params,
        figures=figures,
        population_line=population_line(evaluation, lang),
        contacts=contacts,
        specialties=per_spec,
        heatmap=heatmap_table(scorecard, heatmap, region, lang),
        indicators=indicator_rows(scorecard, region, lang),
        maps=map_panels(evaluation, heads, lang),
        map_note="" if region.area_shapes else label("no_shapes", lang),
        responsibility_columns=resp_columns,
        responsibility=resp_rows,
        data_version=describe_data_version(region.data_version, lang),
        date=date or datetime.now(UTC).date().isoformat(),
        comparison=comparison,
        council_columns=council_columns,
        councils=councils,
        program=program,
    )


def render_report(context: ReportContext, *, pack: bool = False) -> str:
    """Render the context to one self-contained HTML page (inline CSS, no external assets);
    ``pack``: the meeting pack's print version (front page, no indicator list), which
    ``report.pdf`` prints to A4."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    maps = [Markup(m.svg) for m in context.maps]  # built and escaped by mapsvg
    return env.get_template("report.html").render(ctx=context, maps_svg=maps, pack=pack)


def write_report(
    path: Path,
    evaluation: Evaluation,
    scorecard: Scorecard,
    *,
    lang: Lang = "da",
    baseline: tuple[Evaluation, Scorecard] | None = None,
) -> Path:
    """Render the report (against ``baseline`` when given) and write it atomically to path."""
    context = build_report_context(evaluation, scorecard, lang=lang, baseline=baseline)
    return write_text_atomic(Path(path), render_report(context))
