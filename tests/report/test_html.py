"""Tests of the HTML report: context from hand-made results, rendering, escaping, atomic write."""

from __future__ import annotations

import math
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from bassplan.domain.parameters import Parameters
from bassplan.domain.region import Region, Specialty, Staffing
from bassplan.domain.results import (
    Access,
    Evaluation,
    IndicatorDef,
    OnCall,
    Score,
    Scorecard,
    ServicePlan,
    Transport,
    Workload,
)
from bassplan.domain.vocabulary import Colour, Direction, Perspective
from bassplan.i18n.labels import Lang, label
from bassplan.report import html as report
from bassplan.report.html import (
    build_report_context,
    illustrative_lists,
    render_report,
    write_report,
)
from bassplan.scorecard.score import ColourChange
from bassplan.views.formatting import format_number, format_share
from bassplan.views.responsibility import ResponsibilityRow, SpecialtyResponsibility
from tests.support.allocations import hand_allocation
from tests.support.toy import as_registered, outpatient_totals, toy_region, zero_trips

SPECS = (
    Specialty("kardiologi", "Kardiologi", "Cardiology", 3.0),
    Specialty("reumatologi", "Reumatologi", "Rheumatology", 2.0),
)
HeatKey = tuple[str, str | None, Perspective]


def square(lon: float, lat: float) -> dict[str, object]:
    ring = [[lon, lat], [lon + 0.4, lat], [lon + 0.4, lat + 0.4], [lon, lat + 0.4], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def region(shapes: bool = True) -> Region:
    """The toy region with two specialties and (optionally) one square per area."""
    area_shapes = {"A0": square(10.8, 54.8), "A1": square(11.3, 54.8), "A2": square(11.8, 54.8)}
    return toy_region(specialties=SPECS, area_shapes=area_shapes if shapes else None)


def evaluation(reg: Region, name: str = "Styrkeposition Øst", shift: float = 0.0) -> Evaluation:
    """A hand-made evaluation (S=2, J=2, A=3): every number chosen, none computed by bassplan.

    Kardiologi is seen at site 0 by all areas, reumatologi at the nearest site; ``shift``
    adds minutes to every travel time (for comparisons).
    """
    S, J, A, C, M = 2, 2, 3, 6, 3
    minutes = np.array([[10.0, 70.0], [35.0, 45.0], [80.0, 15.0]]) + shift
    strength = np.array([[True, False], [True, True]])
    outpatient_at = np.array([[0, 0, 0], [0, 0, 1]])
    area_minutes = minutes[np.arange(A)[None, :], outpatient_at]  # (S, A)
    contacts = np.zeros((S, J, C, M))
    contacts[:, 0, 2, 0] = [100.0, 50.0]  # first visits at strength position 0
    contacts[:, 0, 3, 2] = [40.0, 10.0]  # digital follow-ups
    contacts[1, 1, 3, 1] = 5.0  # an outreach follow-up
    zeros_sj = np.zeros((S, J))
    team = Staffing(
        np.array([[6.0, 0.0], [2.0, 1.0]]), zeros_sj, zeros_sj, np.array([[5.0, 0.0], [2, 1]])
    )
    return Evaluation(
        scenario_name=name,
        year=2030,
        region=reg,
        residents=np.array([600.0, 200.0, 500.0]),
        demand=np.ones((A, S, C)),  # 3 areas × 2 specialties = 6 contacts of each type
        travel_minutes=minutes,
        travel_km=minutes.copy(),
        plan=(plan := ServicePlan(
            strength,
            np.array([[0.0, 0.0], [0.0, 1.0]]),
            np.zeros((S, C)),
            np.zeros(S),
            np.zeros(S),
            team,
            np.array([[0, 0], [0, 1]]),
            60.0,
        )),
        allocation=hand_allocation(
            plan,
            admitted_at=np.array([0, 0, 1]),
            outpatient_at=outpatient_at,
            contacts=contacts,
            consults_on_site=zeros_sj,
            consults_video=zeros_sj,
            consult_team=np.array([[0, -1], [0, 1]]),
            dialysis_at=np.full(3, -1),
            outpatient=outpatient_totals(3, [30.0, 0.0], [12.0, 0.0]),
        ),
        workload=Workload(
            available_hours_per_fte=1500.0,
            required_fte=np.array([[5.0, 0.0], [1.5, 0.5]]),
            available_fte=np.array([[6.0, 0.0], [2.0, 1.0]]),
            wisn_ratio=np.array([[1.2, math.nan], [4 / 3, 2.0]]),
            contacts_per_fte=zeros_sj,
        ),
        access=Access(
            area_minutes=area_minutes,
            mean_minutes=np.array([40.0, 20.0]) + shift,
            p90_minutes=np.array([80.0, 35.0]) + shift,
            max_minutes=area_minutes.max(axis=1),
            share_within_30=np.array([0.5, 0.9]),
            share_within_45=np.array([0.6, 1.0]),
            share_within_60=np.array([0.6, 1.0]),
            gini=np.array([0.3, 0.2]),
            worst_area=np.array([2, 1]),
            fca_per_100k=np.zeros((S, A)),
        ),
        transport=Transport(
            patient_km=np.array([1000.0, 500.0]),
            patient_hours=np.array([20.0, 10.0]),
            staff_km=np.array([[0.0, 0.0], [0.0, 250.0]]),
            staff_hours=zeros_sj,
            patient_dkk=np.zeros(2), dialysis=zero_trips(2),
            g_co2_per_km=100.0,
        co2_kg=np.array([100.0, 75.0]),
            saved_km_digital_at=np.array([[800.0, 0.0], [200.0, 0.0]]),
            saved_digital=zero_trips(2),
            saved_pro=zero_trips(2),
        saved_km_outreach_at=np.array([[0.0, 0.0], [0.0, 100.0]]),
        ),
        on_call=OnCall(np.array([[5.0, math.nan], [2.0, 1.0]])),
        population=as_registered(toy_region().population),
    )


WISN = IndicatorDef(
    "wisn_ratio",
    Perspective.STAFF,
    "WISN-ratio",
    "WISN ratio",
    "ratio",
    Direction.HIGHER_IS_BETTER,
    1.0,
    0.85,
    "site",
    "available / required",
)
VACANCY = IndicatorDef(
    "vacancy_rate",
    Perspective.STAFF,
    "Andel ubesatte",
    "Vacancy rate",
    "share",
    Direction.LOWER_IS_BETTER,
    0.05,
    0.15,
    "site",
    "vacant / posts",
)
P90 = IndicatorDef(
    "p90_access_minutes",
    Perspective.ORGANISATIONAL,
    "P90-transporttid",
    "P90 travel",
    "minutes",
    Direction.LOWER_IS_BETTER,
    45.0,
    60.0,
    "specialty",
    "P90",
)


def scorecard(name: str = "Styrkeposition Øst") -> Scorecard:
    return Scorecard(
        name,
        (WISN, VACANCY, P90),
        (
            Score("wisn_ratio", "kardiologi", "s0", 0.8, Colour.RED),
            Score("vacancy_rate", "kardiologi", "s0", 0.1, Colour.YELLOW),
            Score("wisn_ratio", "reumatologi", "s1", 1.1, Colour.GREEN),
            Score("p90_access_minutes", "kardiologi", None, 80.0, Colour.RED),
            Score("p90_access_minutes", "reumatologi", None, 35.0, Colour.GREEN),
        ),
    )


def heat(card: Scorecard) -> dict[HeatKey, Colour]:
    """The worst colour per cell, by hand for the scores above."""
    del card
    return {
        ("kardiologi", "s0", Perspective.STAFF): Colour.RED,
        ("reumatologi", "s1", Perspective.STAFF): Colour.GREEN,
        ("kardiologi", None, Perspective.ORGANISATIONAL): Colour.RED,
        ("reumatologi", None, Perspective.ORGANISATIONAL): Colour.GREEN,
    }


def responsibility(reg: Region) -> list[ResponsibilityRow]:
    rows = []
    for a, area in enumerate(reg.areas):
        entries = tuple(
            SpecialtyResponsibility(spec.id, "s0", "s0", "strength_position", 0.7, 0.0, 0.3, 1.0,
                                    0.0, 10.0 + 35 * a, a < 2)
            for spec in reg.specialties
        )
        rows.append(ResponsibilityRow(area.code, area.name, 100.0 * (a + 1), "s0", entries))
    return rows


class StrictHTML(HTMLParser):
    """Collects tags and fails on a closing tag that does not close the open element."""

    VOID = frozenset({"meta", "br", "input", "img", "hr", "link", "col", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def parse(html: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def cells(parser: StrictHTML) -> list[dict[str, str | None]]:
    return [a for t, a in parser.starts if t == "td" and "heat-cell" in (a.get("class") or "")]


def render(lang: Lang = "da", **kwargs: object) -> str:
    reg = region()
    card = scorecard()
    context = build_report_context(
        evaluation(reg),
        card,
        lang=lang,
        heatmap=heat(card),
        responsibility=responsibility(reg),
        **kwargs,  # type: ignore[arg-type]
    )
    return render_report(context)


def test_number_formats_in_danish_and_english() -> None:
    assert format_number(1234567.891, "da", 1) == "1.234.567,9"
    assert format_number(1234567.891, "en", 1) == "1,234,567.9"
    assert format_number(-3.0, "da", 0, sign=True) == "-3"
    assert format_number(math.nan, "da") == "–"
    assert format_share(0.854, "da") == "85 %"
    assert format_share(0.854, "en") == "85%"


def test_illustrative_lists_name_tables_and_parameters() -> None:
    tables, params = illustrative_lists(region())
    # provenance names 'staffing'; workload minutes are flagged in their array; rates are not
    assert tables == ("staffing", "workload")
    assert "hours_per_week" in params and len(params) == len(Parameters.keys())


def test_report_parses_and_shows_scenario_and_illustrative_note() -> None:
    html = render()
    parser = parse(html)
    assert "Styrkeposition Øst" in html and "2030" in html
    assert "Illustrative input" in html and "Bemanding, Arbejdsbyrde pr. kontakt" in html
    assert "timer pr. uge" in html and "hours_per_week" not in html  # named, not keyed
    # Danish headings and number format: 600 + 200 + 500 residents
    for word in ("Oversigt", "Scorecard", "Populationsansvar", "Faglig bæredygtighed"):
        assert word in html
    assert ">1.300<" in html
    # self-contained: no external stylesheet, script or image
    assert not [t for t, a in parser.starts if t in {"link", "script", "img"}]
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html


def test_one_heat_cell_per_specialty_site_perspective() -> None:
    parser = parse(render())
    found = cells(parser)
    # 2 specialties × (2 sites + the specialty level) × 3 perspectives
    assert len(found) == 2 * 3 * 3
    colours = [(a.get("class") or "").split()[2] for a in found]
    # kardiologi row: s0 (F, P, O), s1 (F, P, O), specialty level (F, P, O); the specialty
    # level's P has no indicator of its own: it shows the weakest site's (s0, red)
    assert colours[:9] == ["c-none", "c-red", "c-none"] + ["c-none"] * 3 + [
        "c-none",
        "c-red",
        "c-red",
    ]
    assert "svageste matrikel: " in (found[7].get("title") or "")
    assert "svageste matrikel" not in (found[8].get("title") or "")  # O: its own colour
    staff_tip = found[1].get("title") or ""
    # the worst of the cell's two indicators (red WISN 0.8, yellow vacancy 10 %) is named
    assert "WISN-ratio = 0,80" in staff_tip and "Andel ubesatte" not in staff_tip


def test_indicator_table_has_every_score_in_catalogue_order() -> None:
    html = render(lang="en")
    body = html.split('id="indicators"')[1].split("</section>")[0]
    assert body.count("<tr>") == 1 + 5  # header + five scores
    assert body.index("WISN ratio") < body.index("Vacancy rate") < body.index("P90 travel")
    assert "10%" in body  # vacancy share as percent
    assert "green ≥ 1.00, red &lt; 0.85" in body


def test_english_labels() -> None:
    html = render(lang="en")
    assert '<html lang="en">' in html
    for word in (
        "Overview",
        "Population responsibility",
        "Illustrative inputs",
        "Strength position",
    ):
        assert word in html
    assert ">1,300<" in html


def test_scenario_name_is_escaped() -> None:
    reg = region()
    card = scorecard()
    ev = evaluation(reg, name="<script>alert('x')</script> & Næstved")
    html = render_report(
        build_report_context(ev, card, heatmap=heat(card), responsibility=responsibility(reg))
    )
    parse(html)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; Næstved" in html


def test_maps_one_per_specialty_with_sites_marked() -> None:
    html = render()
    maps = html.split('id="maps"')[1].split("</section>")[0]
    assert maps.count("<svg") == 2
    assert maps.count('data-area="A1"') == 2
    # kardiologi: s0 strength position, s1 acute; reumatologi: both strength positions
    assert maps.count('fill="#d55e00"') == (1 + 1) + (2 + 1)  # sites + one legend symbol per map


def test_no_shapes_no_maps_but_a_note() -> None:
    reg = region(shapes=False)
    card = scorecard()
    html = render_report(
        build_report_context(
            evaluation(reg), card, heatmap=heat(card), responsibility=responsibility(reg)
        )
    )
    parse(html)
    assert "<svg" not in html
    assert "ingen kommunegrænser" in html


def test_responsibility_table_marks_areas_beyond_45_minutes() -> None:
    html = render()
    body = html.split('id="responsibility"')[1].split("</section>")[0]
    assert body.count("<tr>") == 1 + 3
    # area 2 travels 10 + 35·2 = 80 min in both specialties
    assert body.count('class="far"') == 2
    assert "Vestø" in body and "(80 min)" in body


def test_comparison_section_with_deltas_and_changed_colours() -> None:
    base = evaluation(region(), name="Udgangspunkt", shift=-5.0)
    change = ColourChange("wisn_ratio", "kardiologi", "s0", 1.0, Colour.GREEN, 0.8, Colour.RED)
    html = render(baseline=(base, scorecard("Udgangspunkt")), changes=[change])
    parse(html)
    body = html.split('id="comparison"')[1].split('id="overview"')[0]  # table, changed colours
    assert "Udgangspunkt" in body
    assert "75 → 80 (+5)" in body  # kardiologi P90: 80 − 5 in the baseline
    assert "c-green" in body and "c-red" in body and "Sygehus Øst" in body
    assert 'id="comparison"' not in render()


def test_pure_render_of_a_hand_made_context() -> None:
    context = report.ReportContext(
        lang="da",
        labels={k: label(k, "da") for k in report.TEMPLATE_LABELS}
        | {
            k: label(k, "da")
            for k in (
                "overview",
                "scorecard",
                "population_responsibility",
                "illustrative",
                "illustrative_note",
                "headline",
                "indicator",
                "perspective",
                "specialty",
                "site",
                "value",
                "colour",
                "region",
                "changed_colour",
                "no_changes",
            )
        },
        title="Titel",
        scenario_name="Scenarie X",
        year=2031,
        region_name="Region R",
        illustrative_tables=("rates",),
        illustrative_parameters=(),
        figures=(("Borgere", "10"),),
        population_line="Borgertal fra: fil",
        contacts=(report.Table(("a", ""), (("x", "1"),), (False, True)),) * 2,
        specialties=report.Table(("Speciale",), (("K",),), (False,)),
        heatmap=report.Heatmap(
            ("S1", "Speciale samlet"),
            ("F", "P", "O"),
            ("F = Faglig",),
            (("K", (report.HeatCell("green", "✓", "tip"),) * 6),),
        ),
        indicators=(),
        maps=(),
        map_note="ingen kort",
        responsibility_columns=("Kommune",),
        responsibility=(),
    )
    parser = parse(render_report(context))
    assert len(cells(parser)) == 6
    assert ("div", {"class": "note", "id": "illustrative", "role": "note"}) in parser.starts


def test_write_report_writes_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reg = region()
    card = scorecard()
    monkeypatch.setattr("bassplan.scorecard.score.heatmap", heat)
    monkeypatch.setattr("bassplan.views.responsibility.population_responsibility",
                        lambda ev: responsibility(ev.region))
    target = tmp_path / "rapport.html"
    assert write_report(target, evaluation(reg), card) == target
    assert "Styrkeposition Øst" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.html"]


def test_failed_render_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(context: object) -> str:
        raise RuntimeError("template broke")

    monkeypatch.setattr(report, "render_report", boom)
    monkeypatch.setattr(report, "build_report_context", lambda *a, **k: None)
    target = tmp_path / "rapport.html"
    with pytest.raises(RuntimeError, match="template broke"):
        write_report(target, evaluation(region()), scorecard())
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_old_file_and_removes_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "rapport.html"
    target.write_text("old report", encoding="utf-8")

    def fail_replace(self: Path, other: Path) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", fail_replace)
    with pytest.raises(OSError, match="disk full"):
        report.write_text_atomic(target, "new report " * 1000)
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.html"]
    assert target.read_text(encoding="utf-8") == "old report"


def test_the_program_section_lists_deliverables_and_decisions_escaped() -> None:
    from bassplan.report.program import PackDecision, PackDeliverable, ProgramPack

    pack = ProgramPack(
        deliverables=(
            PackDeliverable("Vagtplan <Nykøbing>", "Kardiologi", "Mette", "i gang", "31.01.2020",
                            True, "Samle kardiologi"),
            PackDeliverable("PRO-skema", "–", "–", "afsluttet", "31.01.2027", False, "–"),
        ),
        decisions=(PackDecision("03.02.2020 · Implementeringsstyregruppe · Marts",
                                "Samle kardiologi", "besluttet", "Kardiologi", "Ib", "–"),),
        since="Beslutninger fra implementeringsstyregruppens seneste møde (03.02.2020).",
    )
    assert pack.overdue == 1
    html = render(program=pack)
    parse(html)
    section = html.split('<section id="program">')[1].split("</section>")[0]
    assert "Leverancer med overskredet frist: 1." in section
    assert section.count('<tr class="overdue">') == 1  # only the late one, not the done one
    assert "Vagtplan &lt;Nykøbing&gt;" in section and "Frist overskredet" in section
    assert "Samle kardiologi" in section and "besluttet" in section
    assert '<a href="#program">' in html
    assert '<section id="program">' not in render()  # no program given: no section
