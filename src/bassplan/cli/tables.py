"""Rich tables for the `bass` command: heat-map, headline, population responsibility."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from bassplan.domain.results import Evaluation, Explanation, Scorecard
from bassplan.domain.vocabulary import Colour, Perspective
from bassplan.i18n.words import Lang, label, say
from bassplan.scorecard.score import heatmap
from bassplan.views.formatting import local_name, short_site_name, site_short
from bassplan.views.heat import with_specialty_level
from bassplan.views.records import headlines

STYLE = {
    Colour.GREEN: "bold white on green4",
    Colour.YELLOW: "bold black on yellow3",
    Colour.RED: "bold white on red3",
    Colour.NONE: "dim",
}
LETTER = {Perspective.PROFESSIONAL: "F", Perspective.STAFF: "P", Perspective.ORGANISATIONAL: "O"}
SYMBOL = {Colour.GREEN: "✓", Colour.YELLOW: "!", Colour.RED: "✕", Colour.NONE: "·"}


def _num(value: float, digits: int = 0) -> str:
    """Format a number for a table; nan shows as a dash."""
    if math.isnan(value):
        return "–"
    return f"{value:,.{digits}f}".replace(",", " ")


def heatmap_table(evaluation: Evaluation, scorecard: Scorecard, lang: Lang) -> Table:
    """Specialty × site heat-map; each cell shows F, P, O (the three perspectives) coloured."""
    cells = with_specialty_level(heatmap(scorecard))
    region = evaluation.region
    used = sorted({site for (_, site, _) in cells if site is not None}, key=region.site_index)
    title = (
        label("scorecard", lang)
        + " — F/P/O = "
        + ", ".join(label(p, lang) for p in Perspective)
        + " — ✓ grøn, ! gul, ✕ rød, · ingen værdi"
    )
    table = Table(title=title, title_justify="left")
    table.add_column(label("specialty", lang))
    for used_id in used:
        table.add_column(short_site_name(region, used_id))
    table.add_column(label("specialty_level", lang))
    for spec in region.specialties:
        row: list[Text | str] = [local_name(spec, lang)]
        columns: list[str | None] = [*used, None]
        for site_id in columns:
            text = Text()
            for p in Perspective:
                colour = cells.get((spec.id, site_id, p), Colour.NONE)
                text.append(f"{LETTER[p]}{SYMBOL[colour]}", style=STYLE[colour])
                text.append(" ")
            row.append(text)
        table.add_row(*row)
    return table


def headline_table(evaluation: Evaluation, lang: Lang) -> Table:
    """Per specialty: demand, access, staff need and transport for the scenario year."""
    table = Table(title=f"{label('headline', lang)} {evaluation.year}", title_justify="left")
    for key in ("specialty", "first_visit", "follow_up", "p90_minutes", "within_45",
                "required_fte", "available_fte", "wisn", "patient_km", "co2_t"):
        table.add_column(label(key, lang), justify="left" if key == "specialty" else "right")
    for h in headlines(evaluation):
        wisn = Text(_num(h.wisn_ratio, 2))
        if not math.isnan(h.wisn_ratio):
            wisn.stylize("green" if h.wisn_ratio >= 1 else "red")
        table.add_row(
            local_name(h, lang),
            _num(h.first_visits),
            _num(h.follow_ups),
            _num(h.p90_minutes),
            f"{h.share_within_45:.0%}",
            _num(h.required_fte, 1),
            _num(h.available_fte, 1),
            wisn,
            _num(h.patient_km),
            _num(h.co2_tonnes, 1),
        )
    return table


def responsibility_table(evaluation: Evaluation, lang: Lang) -> Table:
    """Population responsibility: who serves each municipality per specialty, how far."""
    from bassplan.views.responsibility import population_responsibility

    region = evaluation.region
    rows = population_responsibility(evaluation)
    table = Table(title=label("population_responsibility", lang), title_justify="left")
    table.add_column(label("municipality", lang))
    table.add_column(label("residents", lang), justify="right")
    for spec in region.specialties:
        table.add_column(local_name(spec, lang)[:12])
    names = {site.id: site_short(site, 14) for site in region.sites}
    for row in rows:
        cells: list[Text | str] = [row.area_name, _num(row.residents)]
        for entry in row.specialties:
            mark = "*" if entry.visit_site_id != entry.site_id else ""
            short = f" −{_num(entry.unserved_visits)}" if entry.unserved_visits > 0.5 else ""
            text = Text(f"{names[entry.visit_site_id]}{mark} {entry.minutes:.0f}′{short}")
            text.stylize("green" if entry.within_45 and not short else "red")
            cells.append(text)
        table.add_row(*cells)
    table.caption = label("responsibility_caption", lang)
    return table


def council_table(evaluation: Evaluation, lang: Lang) -> Table | None:
    """Per sundhedsråd and specialty: outpatient contacts a year, mean travel minutes and
    share within 45 minutes, and the team that answers for most of its residents; None
    when the region has no councils."""
    from bassplan.views.councils import council_rows

    rows = council_rows(evaluation)
    if not rows:
        return None
    region = evaluation.region
    table = Table(title=label("council_responsibility", lang), title_justify="left")
    table.add_column(label("council", lang))
    table.add_column(label("residents", lang), justify="right")
    for spec in region.specialties:
        table.add_column(local_name(spec, lang)[:12])
    names = {site.id: site_short(site, 14) for site in region.sites}
    for row in rows:
        cells: list[Text | str] = [row.council, _num(row.residents)]
        for entry in row.specialties:
            site, share = entry.team_sites[0]
            text = Text(f"{_num(entry.outpatient_contacts)} · {entry.minutes:.0f}′ "
                        f"{entry.share_within_45:.0%} · {names[site]} {share:.0%}")
            text.stylize("green" if entry.share_within_45 >= 0.999 else "red")
            cells.append(text)
        table.add_row(*cells)
    table.caption = label("council_caption", lang)
    return table


def comparison_table(
    names: Sequence[str], evaluations: Sequence[Evaluation], lang: Lang
) -> Table:
    """Side-by-side headline of two scenarios, with the change from the first to the second."""
    a_rows, b_rows = headlines(evaluations[0]), headlines(evaluations[1])
    table = Table(title=f"{names[0]}  →  {names[1]}", title_justify="left")
    table.add_column(label("specialty", lang))
    for key in ("p90_minutes", "within_45", "wisn", "patient_km"):
        table.add_column(label(key, lang), justify="right")
    for a, b in zip(a_rows, b_rows, strict=True):
        table.add_row(
            local_name(a, lang),
            f"{_num(a.p90_minutes)} → {_num(b.p90_minutes)}",
            f"{a.share_within_45:.0%} → {b.share_within_45:.0%}",
            f"{_num(a.wisn_ratio, 2)} → {_num(b.wisn_ratio, 2)}",
            f"{_num(a.patient_km)} → {_num(b.patient_km)}",
        )
    return table


def explanation_table(explanation: Explanation, lang: Lang) -> Table:
    """The steps that lead from the inputs to one indicator value."""
    site = f" @ {explanation.site_id}" if explanation.site_id else ""
    where = explanation.specialty_id + site
    title = f"{explanation.indicator_id} — {where} = {_num(explanation.value, 3)}"
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(label("explain_step", lang))
    table.add_column(label("value", lang), justify="right")
    table.add_column("")
    table.add_column("")
    for k, step in enumerate(explanation.steps, start=1):
        table.add_row(str(k), say(step.label, lang), _num(step.value, 3), step.unit,
                      say(step.detail, lang) if step.detail else "")
    colour = Text(str(explanation.colour), style=STYLE[explanation.colour])
    table.add_row("", label("colour", lang), colour, "", "")
    return table


TRANSPORT_COLUMNS = (  # (label key, SpecialtyHeadline field, decimals)
    ("patient_hours", "patient_hours", 0),
    ("transport_dkk", "transport_dkk", 0),
    ("dialysis_sessions", "dialysis_sessions", 0),
    ("dialysis_km", "dialysis_km", 0),
    ("co2_t", "co2_tonnes", 1),
    ("saved_hours_digital", "saved_hours_digital", 0),
    ("saved_dkk_digital", "saved_dkk_digital", 0),
    ("saved_km_pro", "saved_km_pro", 0),
    ("saved_hours_pro", "saved_hours_pro", 0),
    ("saved_dkk_pro", "saved_dkk_pro", 0),
)


def transport_table(evaluation: Evaluation, lang: Lang) -> Table:
    """Per specialty: patients' travel hours and the region's transport cost, dialysis
    trips, CO2, and what video contacts and PRO follow-up save."""
    table = Table(title=label("patient_transport", lang), title_justify="left")
    table.add_column(label("specialty", lang))
    for key, _, _ in TRANSPORT_COLUMNS:
        table.add_column(label(key, lang), justify="right")
    for h in headlines(evaluation):
        table.add_row(local_name(h, lang),
                      *(_num(getattr(h, field), d) for _, field, d in TRANSPORT_COLUMNS))
    return table


def transport_comparison_table(names: Sequence[str], evaluations: Sequence[Evaluation],
                               lang: Lang) -> Table:
    """Transport of two scenarios side by side: first → second per specialty."""
    pairs = zip(headlines(evaluations[0]), headlines(evaluations[1]), strict=True)
    table = Table(title=f"{label('patient_transport', lang)}: {names[0]}  →  {names[1]}",
                  title_justify="left")
    table.add_column(label("specialty", lang))
    shown = TRANSPORT_COLUMNS[:2] + TRANSPORT_COLUMNS[4:5]
    for key, _, _ in shown:
        table.add_column(label(key, lang), justify="right")
    for a, b in pairs:
        table.add_row(local_name(a, lang), *(
            f"{_num(getattr(a, f), d)} → {_num(getattr(b, f), d)}" for _, f, d in shown))
    return table
