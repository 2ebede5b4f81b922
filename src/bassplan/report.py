"""The self-contained HTML report of one evaluated scenario (optionally against a baseline):
headline figures, the scorecard heat-map, indicators, maps and population responsibility.

``build_report_context`` turns results into display-ready text; ``render_report`` is a pure
Jinja2 rendering of that context; ``write_report`` writes the file atomically.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import numpy as np
from markupsafe import Markup

from bassplan.domain import CONTACT_TYPES, Colour, Direction, Modality, Perspective, Region
from bassplan.labels import Lang, label
from bassplan.mapsvg import SiteMark, choropleth_svg
from bassplan.results import Evaluation, Score, Scorecard

if TYPE_CHECKING:
    from bassplan.responsibility import ResponsibilityRow
    from bassplan.scorecard import ColourChange

HeatmapColours = Mapping[tuple[str, str | None, Perspective], Colour]
TEMPLATES = Path(__file__).parent / "templates"

# Report-only words; anything else comes from bassplan.labels.
REPORT_LABELS: dict[str, tuple[str, str]] = {
    "report": ("BASS-rapport", "BASS report"),
    "scenario": ("Scenarie", "Scenario"),
    "year": ("År", "Year"),
    "indicators": ("Indikatorer", "Indicators"),
    "maps": ("Kort", "Maps"),
    "comparison": ("Sammenligning", "Comparison"),
    "illustrative_tables": ("Inputtabeller", "Input tables"),
    "illustrative_parameters": ("Parametre", "Parameters"),
    "nothing_illustrative": (
        "Ingen input er markeret som illustrative.",
        "No input is marked as illustrative.",
    ),
    "contacts_by_type": ("Kontakter pr. år efter type", "Contacts per year by type"),
    "outpatient_by_modality": (
        "Ambulante kontakter pr. år efter form",
        "Outpatient contacts per year by modality",
    ),
    "per_specialty": ("Pr. speciale", "Per specialty"),
    "pro_answers": ("PRO-besvarelser gennemgået", "PRO answers reviewed"),
    "co2_saved_t": ("Sparet CO2 (t/år)", "CO2 saved (t/yr)"),
    "specialty_level": ("Speciale samlet", "Specialty as a whole"),
    "worst": ("Værste indikator", "Worst indicator"),
    "thresholds": ("Grænser", "Thresholds"),
    "green": ("grøn", "green"),
    "yellow": ("gul", "yellow"),
    "red": ("rød", "red"),
    "none": ("ingen data", "no data"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "no_shapes": (
        "Regionens data har ingen kommunegrænser; kortene er udeladt.",
        "The region's data has no area shapes; maps are left out.",
    ),
    "map_title": ("Rejsetid til ambulant fremmøde", "Travel time to in-person outpatient care"),
    "map_caption": (
        "Minutter fra kommunens befolkningspunkt til stedet, hvor borgerne ses ambulant "
        "(styrkeposition eller udgående funktion). Samme farveskala på alle kort.",
        "Minutes from each area's population point to where its residents are seen in person "
        "(strength position or outreach clinic). All maps share one colour scale.",
    ),
    "minutes_unit": ("min", "min"),
    "strength_position": ("Styrkeposition", "Strength position"),
    "outreach": ("Udgående funktion", "Outreach clinic"),
    "acute": ("Akutsygehus", "Acute hospital"),
    "other": ("Andet sygehus", "Other site"),
    "no_data": ("Ingen data", "No data"),
    "admitted_at": ("Indlægges på", "Admitted at"),
    "resp_caption": (
        "Hvor borgerne ses ambulant i hvert speciale og rejsetiden dertil; felter over 45 "
        "minutter er markeret.",
        "Where residents are seen in person in each specialty and the travel time; cells above "
        "45 minutes are marked.",
    ),
    "team": ("Team", "Team"),
    "baseline": ("Udgangspunkt", "Baseline"),
    "points": ("pct.-point", "pp"),
    "comparison_note": (
        "Hver celle viser udgangspunkt → scenarie (ændring).",
        "Each cell shows baseline → scenario (change).",
    ),
    "total": ("I alt", "Total"),
    "footer": (
        "Lavet med bassplan. Tal fra illustrative input er ikke offentlige tal.",
        "Made with bassplan. Figures built on illustrative inputs are not public figures.",
    ),
}
LETTERS: Mapping[Lang, Mapping[Perspective, str]] = {
    "da": {Perspective.PROFESSIONAL: "F", Perspective.STAFF: "P", Perspective.ORGANISATIONAL: "O"},
    "en": {Perspective.PROFESSIONAL: "P", Perspective.STAFF: "S", Perspective.ORGANISATIONAL: "O"},
}
SYMBOL = {Colour.GREEN: "✓", Colour.YELLOW: "!", Colour.RED: "✕", Colour.NONE: "–"}
_SEVERITY = {Colour.NONE: 0, Colour.GREEN: 1, Colour.YELLOW: 2, Colour.RED: 3}
SHARED_LABELS = (  # the template's words that live in bassplan.labels
    *("overview", "scorecard", "population_responsibility", "illustrative", "headline"),
    *("illustrative_note", "changed_colour", "no_changes", "indicator", "perspective"),
    *("specialty", "site", "value", "colour", "region"),
)


def text(key: str, lang: Lang) -> str:
    """Return a report label in Danish or English (falls back to bassplan.labels)."""
    pair = REPORT_LABELS.get(key)
    if pair is None:
        return label(key, lang)
    return pair[0] if lang == "da" else pair[1]


def format_number(value: float, lang: Lang, decimals: int = 0, sign: bool = False) -> str:
    """Format with thousands separators (Danish: 1.234,5; English: 1,234.5); nan → '–'."""
    if not math.isfinite(value):
        return "–"
    out = f"{value:+,.{decimals}f}" if sign else f"{value:,.{decimals}f}"
    if lang == "da":
        out = out.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return out


def format_share(value: float, lang: Lang, sign: bool = False) -> str:
    """Format a share 0..1 as whole percent ('85 %' in Danish, '85%' in English)."""
    if not math.isfinite(value):
        return "–"
    return format_number(100 * value, lang, 0, sign) + (" %" if lang == "da" else "%")


def format_value(value: float, unit: str, lang: Lang) -> str:
    """Format an indicator value by its unit: shares as percent, yes/no flags as words."""
    if not math.isfinite(value):
        return "–"
    if unit == "share":
        return format_share(value, lang)
    if unit.startswith("1 = yes"):
        return text("yes" if value >= 0.5 else "no", lang)
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    shown = format_number(value, lang, decimals)
    return shown if unit in {"", "ratio"} else f"{shown} {unit}"


@dataclass(frozen=True)
class Table:
    """A display-ready table: header, rows of text, and which columns are numbers."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


@dataclass(frozen=True)
class HeatCell:
    """One heat-map cell: colour name (a ``Colour`` value), a symbol and a tooltip."""

    colour: str
    symbol: str
    tooltip: str


@dataclass(frozen=True)
class Heatmap:
    """Specialty rows × column groups (sites, then the specialty level) × perspectives."""

    groups: tuple[str, ...]
    letters: tuple[str, ...]
    legend: tuple[str, ...]  # 'F = Faglig bæredygtighed', …
    rows: tuple[tuple[str, tuple[HeatCell, ...]], ...]  # (specialty, cells group-major)


@dataclass(frozen=True)
class IndicatorRow:
    """One score of the indicator table, formatted."""

    perspective: str
    indicator: str
    specialty: str
    site: str
    value: str
    thresholds: str
    colour: str
    colour_label: str


@dataclass(frozen=True)
class MapPanel:
    """One pre-rendered map with its tab title and caption."""

    title: str
    caption: str
    svg: str


@dataclass(frozen=True)
class RespCell:
    """One area × specialty cell of the population-responsibility table."""

    text: str
    tooltip: str
    far: bool


@dataclass(frozen=True)
class Comparison:
    """The baseline against the scenario: per-specialty changes and indicators that changed."""

    baseline_name: str
    table: Table
    changed: tuple[tuple[str, str, str, str, str, str, str], ...]  # ind, spec, site, a, ca, b, cb


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
    contacts: tuple[Table, Table]  # by contact type, by modality
    specialties: Table
    heatmap: Heatmap
    indicators: tuple[IndicatorRow, ...]
    maps: tuple[MapPanel, ...]
    map_note: str
    responsibility_columns: tuple[str, ...]
    responsibility: tuple[tuple[str, str, str, tuple[RespCell, ...]], ...]
    comparison: Comparison | None = None


def illustrative_lists(region: Region) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (input tables, parameter keys) whose numbers are illustrative, including tables
    flagged only in their arrays (rates, workload, staffing)."""
    tables = list(region.illustrative_inputs)
    flagged = {
        "rates": bool(np.any(region.rates.illustrative)),
        "workload": bool(np.any(region.workload.illustrative)),
        "staffing": region.staffing.illustrative,
    }
    tables += [name for name, flag in flagged.items() if flag and name not in tables]
    params = tuple(p.key for p in region.parameters.values() if p.illustrative)
    return tuple(tables), params


def _spec_name(region: Region, specialty_id: str, lang: Lang) -> str:
    spec = region.specialties[region.specialty_index(specialty_id)]
    return spec.name_da if lang == "da" else spec.name_en


def _site_name(region: Region, site_id: str | None, lang: Lang) -> str:
    if site_id is None:
        return text("specialty_level", lang)
    return region.sites[region.site_index(site_id)].name


def heatmap_table(
    scorecard: Scorecard, colours: HeatmapColours, region: Region, lang: Lang
) -> Heatmap:
    """Lay the heat-map out: one cell per specialty × (each site with a score, then the
    specialty level) × perspective; the tooltip names the cell's worst indicator."""
    scored = {sc.site_id for sc in scorecard.scores} | {k[1] for k in colours}
    sites = [s.id for s in region.sites if s.id in scored]
    defs = {ind.id: ind for ind in scorecard.indicators}
    worst: dict[tuple[str, str | None, Perspective], tuple[int, str]] = {}
    for sc in scorecard.scores:
        ind = defs[sc.indicator_id]
        key = (sc.specialty_id, sc.site_id, ind.perspective)
        name = ind.label_da if lang == "da" else ind.label_en
        candidate = (_SEVERITY[sc.colour], f"{name} = {format_value(sc.value, ind.unit, lang)}")
        if key not in worst or candidate[0] > worst[key][0]:
            worst[key] = candidate
    rows = []
    for spec in region.specialties:
        spec_name = spec.name_da if lang == "da" else spec.name_en
        cells = []
        for site_id in [*sites, None]:
            for p in Perspective:
                colour = Colour(colours.get((spec.id, site_id, p), Colour.NONE))
                place = f"{spec_name} · {_site_name(region, site_id, lang)} · {label(p, lang)}"
                tip = f"{place}: {text(colour.value, lang)}"
                if (spec.id, site_id, p) in worst:
                    tip += f" — {text('worst', lang)}: {worst[(spec.id, site_id, p)][1]}"
                cells.append(HeatCell(colour.value, SYMBOL[colour], tip))
        rows.append((spec_name, tuple(cells)))
    letters = LETTERS[lang]
    return Heatmap(
        groups=tuple(_site_name(region, s, lang) for s in [*sites, None]),
        letters=tuple(letters[p] for p in Perspective),
        legend=tuple(f"{letters[p]} = {label(p, lang)}" for p in Perspective),
        rows=tuple(rows),
    )


def indicator_rows(scorecard: Scorecard, region: Region, lang: Lang) -> tuple[IndicatorRow, ...]:
    """Every score in catalogue order, then specialty and site order."""
    order = {ind.id: k for k, ind in enumerate(scorecard.indicators)}
    defs = {ind.id: ind for ind in scorecard.indicators}

    def key(sc: Score) -> tuple[int, int, int]:
        site = -1 if sc.site_id is None else region.site_index(sc.site_id)
        return order[sc.indicator_id], region.specialty_index(sc.specialty_id), site

    rows = []
    for sc in sorted(scorecard.scores, key=key):
        ind = defs[sc.indicator_id]
        op_green, op_red = ("≥", "<") if ind.direction == Direction.HIGHER_IS_BETTER else ("≤", ">")
        limits = (
            f"{text('green', lang)} {op_green} {format_number(ind.green, lang, 2)}, "
            f"{text('red', lang)} {op_red} {format_number(ind.red, lang, 2)}"
        )
        rows.append(
            IndicatorRow(
                perspective=label(ind.perspective, lang),
                indicator=ind.label_da if lang == "da" else ind.label_en,
                specialty=_spec_name(region, sc.specialty_id, lang),
                site=_site_name(region, sc.site_id, lang),
                value=format_value(sc.value, ind.unit, lang),
                thresholds=limits,
                colour=sc.colour.value,
                colour_label=text(sc.colour.value, lang),
            )
        )
    return tuple(rows)


def _site_role(evaluation: Evaluation, s: int, j: int) -> str | None:
    """The map role of site j for specialty s, or None for an inactive site without outreach."""
    plan, site = evaluation.plan, evaluation.region.sites[j]
    if plan.strength_position[s, j]:
        return "strength_position"
    if plan.outreach_days_per_week[s, j] > 0:
        return "outreach"
    if not site.active:
        return None
    return "acute" if site.acute else "other"


def map_panels(evaluation: Evaluation, lang: Lang) -> tuple[MapPanel, ...]:
    """One travel-time map per specialty on a shared scale (class width a multiple of 5 min)."""
    region = evaluation.region
    if not region.area_shapes:
        return ()
    minutes = evaluation.access.area_minutes
    finite = minutes[np.isfinite(minutes)]
    top = float(finite.max()) if finite.size else 0.0
    vmax = max(math.ceil(top / 35.0), 1) * 35.0  # 7 classes of whole 5-minute steps
    names = {a.code: a.name for a in region.areas}
    role_labels = {
        k: text(k, lang) for k in ("strength_position", "outreach", "acute", "other", "no_data")
    }
    panels = []
    for s, spec in enumerate(region.specialties):
        spec_name = spec.name_da if lang == "da" else spec.name_en
        marks = [
            SiteMark(site.name, site.lat, site.lon, role)
            for j, site in enumerate(region.sites)
            if (role := _site_role(evaluation, s, j)) is not None
        ]
        values = {a.code: float(minutes[s, i]) for i, a in enumerate(region.areas)}
        title = f"{spec_name}: {text('map_title', lang)}"
        svg = choropleth_svg(
            region.area_shapes,
            values,
            marks,
            title=title,
            unit=text("minutes_unit", lang),
            names=names,
            lower_is_better=True,
            value_range=(0.0, vmax),
            role_labels=role_labels,
            decimal_comma=lang == "da",
        )
        access = evaluation.access
        caption = (
            f"{label('p90_minutes', lang)}: {format_number(access.p90_minutes[s], lang)} · "
            f"{label('mean_minutes', lang)}: {format_number(access.mean_minutes[s], lang)} · "
            f"{label('within_45', lang)}: {format_share(access.share_within_45[s], lang)}"
        )
        panels.append(MapPanel(spec_name, caption, svg))
    return tuple(panels)


def headline_tables(
    evaluation: Evaluation, lang: Lang
) -> tuple[tuple[tuple[str, str], ...], tuple[Table, Table], Table]:
    """Return (region figures, (contacts by type, by modality), per specialty) for the overview."""
    from bassplan.summary import headlines

    n = format_number
    heads = headlines(evaluation)
    co2 = evaluation.region.parameters.get("co2_g_per_km")
    saved_km = sum(h.saved_km_digital + h.saved_km_outreach for h in heads)
    figures = [
        (label("residents", lang), n(float(evaluation.residents.sum()), lang)),
        (label("required_fte", lang), n(sum(h.required_fte for h in heads), lang, 1)),
        (label("available_fte", lang), n(sum(h.available_fte for h in heads), lang, 1)),
        (label("patient_km", lang), n(sum(h.patient_km for h in heads), lang)),
        (label("staff_km", lang), n(sum(h.staff_km for h in heads), lang)),
        (label("co2_t", lang), n(sum(h.co2_tonnes for h in heads), lang, 1)),
        (label("saved_digital_km", lang), n(sum(h.saved_km_digital for h in heads), lang)),
        (label("saved_outreach_km", lang), n(sum(h.saved_km_outreach for h in heads), lang)),
        (text("co2_saved_t", lang), n(saved_km * co2.value / 1e6, lang, 1) if co2 else "–"),
        (label("follow_ups_avoided", lang), n(sum(h.follow_ups_avoided for h in heads), lang)),
        (text("pro_answers", lang), n(float(evaluation.allocation.pro_answers.sum()), lang)),
    ]
    by_type = evaluation.demand.sum(axis=(0, 1))  # (C,) contacts/year
    by_modality = evaluation.allocation.contacts.sum(axis=(0, 1, 2))  # (M,) contacts/year
    contacts = (
        Table(
            (text("contacts_by_type", lang), ""),
            tuple(
                (label(c, lang), n(float(v), lang))
                for c, v in zip(CONTACT_TYPES, by_type, strict=True)
            ),
            (False, True),
        ),
        Table(
            (text("outpatient_by_modality", lang), ""),
            tuple(
                (label(m, lang), n(float(v), lang))
                for m, v in zip(Modality, by_modality, strict=True)
            ),
            (False, True),
        ),
    )
    keys = (
        "specialty",
        "p90_minutes",
        "mean_minutes",
        "within_45",
        "required_fte",
        "available_fte",
        "wisn",
        "patient_km",
        "staff_km",
        "co2_t",
        "saved_digital_km",
        "saved_outreach_km",
    )
    rows = tuple(
        (
            h.name_da if lang == "da" else h.name_en,
            n(h.p90_minutes, lang),
            n(h.mean_minutes, lang),
            format_share(h.share_within_45, lang),
            n(h.required_fte, lang, 1),
            n(h.available_fte, lang, 1),
            n(h.wisn_ratio, lang, 2),
            n(h.patient_km, lang),
            n(h.staff_km, lang),
            n(h.co2_tonnes, lang, 1),
            n(h.saved_km_digital, lang),
            n(h.saved_km_outreach, lang),
        )
        for h in heads
    )
    per_spec = Table(tuple(label(k, lang) for k in keys), rows, (False, *[True] * 11))
    return tuple(figures), contacts, per_spec


def responsibility_rows(
    rows: Sequence[ResponsibilityRow], region: Region, lang: Lang
) -> tuple[tuple[str, ...], tuple[tuple[str, str, str, tuple[RespCell, ...]], ...]]:
    """Return (columns, rows): per area its residents, admitting site and, per specialty,
    where residents are seen in person with the minutes (tooltip: team and modality shares)."""
    columns = (
        label("municipality", lang),
        label("residents", lang),
        text("admitted_at", lang),
        *(s.name_da if lang == "da" else s.name_en for s in region.specialties),
    )
    out = []
    for row in rows:
        cells = []
        for entry in row.specialties:
            visit = _site_name(region, entry.visit_site_id, lang)
            tip = (
                f"{text('team', lang)}: {_site_name(region, entry.site_id, lang)} · "
                f"{label(Modality.STRENGTH_POSITION, lang)} "
                f"{format_share(entry.share_strength_position, lang)}, "
                f"{label(Modality.OUTREACH, lang)} {format_share(entry.share_outreach, lang)}, "
                f"{label(Modality.DIGITAL, lang)} {format_share(entry.share_digital, lang)}"
            )
            minutes = format_number(entry.minutes, lang)
            cells.append(RespCell(f"{visit} ({minutes} min)", tip, not entry.within_45))
        out.append(
            (
                row.area_name,
                format_number(row.residents, lang),
                _site_name(region, row.admitting_site_id, lang),
                tuple(cells),
            )
        )
    return columns, tuple(out)


def comparison_section(
    baseline: Evaluation,
    evaluation: Evaluation,
    changes: Sequence[ColourChange],
    scorecard: Scorecard,
    lang: Lang,
) -> Comparison:
    """Side by side per specialty ('baseline → scenario (change)') and the changed colours."""
    from bassplan.summary import headlines

    n = format_number
    fields = (
        ("p90_minutes", "p90_minutes", 0),
        ("within_45", "share_within_45", -1),
        ("required_fte", "required_fte", 1),
        ("available_fte", "available_fte", 1),
        ("patient_km", "patient_km", 0),
        ("staff_km", "staff_km", 0),
        ("co2_t", "co2_tonnes", 1),
    )
    before = {h.specialty_id: h for h in headlines(baseline)}
    rows = []
    for h in headlines(evaluation):
        cells = [h.name_da if lang == "da" else h.name_en]
        for _, attr, dec in fields:
            b = float(getattr(h, attr))
            a = (
                float(getattr(before[h.specialty_id], attr))
                if h.specialty_id in before
                else math.nan
            )
            if dec < 0:
                cells.append(
                    f"{format_share(a, lang)} → {format_share(b, lang)} "
                    f"({n(100 * (b - a), lang, 0, sign=True)} {text('points', lang)})"
                )
            else:
                cells.append(
                    f"{n(a, lang, dec)} → {n(b, lang, dec)} ({n(b - a, lang, dec, sign=True)})"
                )
        rows.append(tuple(cells))
    table = Table(
        (label("specialty", lang), *(label(k, lang) for k, _, _ in fields)),
        tuple(rows),
        (False, *[True] * len(fields)),
    )
    defs = {ind.id: ind for ind in scorecard.indicators}
    changed = []
    for c in changes:
        ind = defs.get(c.indicator_id)
        unit = ind.unit if ind else ""
        name = (ind.label_da if lang == "da" else ind.label_en) if ind else c.indicator_id
        changed.append(
            (
                name,
                _spec_name(evaluation.region, c.specialty_id, lang),
                _site_name(evaluation.region, c.site_id, lang),
                format_value(c.value_a, unit, lang),
                c.colour_a.value,
                format_value(c.value_b, unit, lang),
                c.colour_b.value,
            )
        )
    return Comparison(baseline.scenario_name, table, tuple(changed))


def build_report_context(
    evaluation: Evaluation,
    scorecard: Scorecard,
    *,
    lang: Lang = "da",
    baseline: tuple[Evaluation, Scorecard] | None = None,
    heatmap: HeatmapColours | None = None,
    responsibility: Sequence[ResponsibilityRow] | None = None,
    changes: Sequence[ColourChange] | None = None,
) -> ReportContext:
    """Compute everything the report shows. ``heatmap``, ``responsibility`` and ``changes``
    default to bassplan.scorecard / bassplan.responsibility computed from the results."""
    region = evaluation.region
    if heatmap is None:
        from bassplan.scorecard import heatmap as heatmap_colours

        heatmap = heatmap_colours(scorecard)
    if responsibility is None:
        from bassplan.responsibility import population_responsibility

        responsibility = population_responsibility(evaluation)
    comparison = None
    if baseline is not None:
        if changes is None:
            from bassplan.scorecard import changed_colours

            changes = changed_colours(baseline[1], scorecard)
        comparison = comparison_section(baseline[0], evaluation, changes, scorecard, lang)
    tables, params = illustrative_lists(region)
    figures, contacts, per_spec = headline_tables(evaluation, lang)
    resp_columns, resp_rows = responsibility_rows(responsibility, region, lang)
    keys = set(REPORT_LABELS) | set(SHARED_LABELS)
    return ReportContext(
        lang=lang,
        labels={k: text(k, lang) for k in keys},
        title=f"{text('report', lang)}: {evaluation.scenario_name} ({evaluation.year})",
        scenario_name=evaluation.scenario_name,
        year=evaluation.year,
        region_name=region.name,
        illustrative_tables=tables,
        illustrative_parameters=params,
        figures=figures,
        contacts=contacts,
        specialties=per_spec,
        heatmap=heatmap_table(scorecard, heatmap, region, lang),
        indicators=indicator_rows(scorecard, region, lang),
        maps=map_panels(evaluation, lang),
        map_note="" if region.area_shapes else text("no_shapes", lang),
        responsibility_columns=resp_columns,
        responsibility=resp_rows,
        comparison=comparison,
    )


def render_report(context: ReportContext) -> str:
    """Render the context to one self-contained HTML page (inline CSS, no external assets)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    maps = [Markup(m.svg) for m in context.maps]  # built and escaped by mapsvg
    return env.get_template("report.html").render(ctx=context, maps_svg=maps)


def write_text_atomic(path: Path, content: str) -> Path:
    """Write text to path via a temporary file in the same directory and os.replace, so
    the path holds either the old file or the complete new one, never a partial one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)  # os.replace: atomic within one directory
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


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
