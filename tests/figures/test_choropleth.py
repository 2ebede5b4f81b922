"""Tests of the offline SVG maps: projection, paths with holes, colour scale, escaping."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from bassplan.domain.errors import InputError
from bassplan.figures.choropleth import (
    LEGEND_WIDTH,
    NO_DATA,
    SEQUENTIAL,
    area_paths,
    choropleth_svg,
    fit_projection,
    scale_colours,
    shape_bounds,
)

SVG_NS = "{http://www.w3.org/2000/svg}"


def square(lon: float, lat: float, size: float = 1.0) -> list[list[float]]:
    """A closed square ring with its south-west corner at (lon, lat)."""
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def polygon(lon: float, lat: float) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [square(lon, lat)]}


def areas(svg: str) -> dict[str, ET.Element]:
    """The area paths of a rendered map by their data-area code."""
    root = ET.fromstring(svg)
    return {p.attrib["data-area"]: p for p in root.iter(f"{SVG_NS}path")}


def test_projection_maps_corners_and_centre_to_hand_computed_pixels() -> None:
    # Box lon 10..12, lat 50..52 into 300 x 400 px with a 10 px margin.
    # cos(51°) = 0.62932, so the box is 1.25864 scaled degrees wide and 2 high.
    # k = min(280 / 1.25864, 380 / 2) = min(222.46, 190) = 190 px per degree (height binds).
    # Width used 1.25864 × 190 = 239.14 px, centred: left edge at 10 + (280 − 239.14)/2 = 30.43.
    proj = fit_projection((10.0, 50.0, 12.0, 52.0), 300.0, 400.0, margin=10.0)
    x, y = proj(np.array([10.0, 12.0, 11.0]), np.array([52.0, 50.0, 51.0]))
    assert x == pytest.approx([30.43, 269.57, 150.0], abs=0.01)
    assert y == pytest.approx([10.0, 390.0, 200.0])
    assert proj.k == pytest.approx(190.0)


def test_projection_bound_by_width_when_box_is_wide() -> None:
    # lon 0..10, lat 0..1: mean latitude 0.5°, cos = 0.99996, so 9.9996 scaled degrees wide.
    # k = min(80 / 9.9996, 80 / 1) = 8.0003 (width binds); height used 8.0 px, centred:
    # top at 10 + (80 − 8)/2 = 46, bottom at 54.
    proj = fit_projection((0.0, 0.0, 10.0, 1.0), 100.0, 100.0, margin=10.0)
    x, y = proj(np.array([0.0, 10.0]), np.array([1.0, 0.0]))
    assert x == pytest.approx([10.0, 90.0])
    assert y == pytest.approx([46.0, 54.0], abs=0.01)


def test_polygon_with_hole_and_multipolygon_give_one_subpath_per_ring() -> None:
    hole = [[10.3, 55.3], [10.6, 55.3], [10.6, 55.6], [10.3, 55.6], [10.3, 55.3]]
    shapes = {
        "one": polygon(12.0, 55.0),
        "holed": {"type": "Polygon", "coordinates": [square(10.0, 55.0), hole]},
        "multi": {
            "type": "MultiPolygon",
            "coordinates": [[square(10.0, 53.0), hole], [square(12.0, 53.0)]],
        },
    }
    paths = area_paths(shapes)
    assert set(paths) == set(shapes)
    counts = {code: d.count("M") for code, d in paths.items()}
    assert counts == {"one": 1, "holed": 2, "multi": 3}
    assert all(d.count("Z") == d.count("M") for d in paths.values())
    # a square ring keeps its 4 corners (the repeated closing point is implied by Z)
    first = re.findall(r"M([^Z]*)Z", paths["one"])[0]
    assert len(re.findall(r"-?\d+(?:\.\d+)?", first)) == 8


def test_shape_bounds_cover_every_ring() -> None:
    shapes = {"a": polygon(10.0, 55.0), "b": polygon(11.5, 54.0)}
    assert shape_bounds(shapes) == (10.0, 54.0, 12.5, 56.0)


def test_unknown_geometry_type_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Point"):
        area_paths({"x": {"type": "Point", "coordinates": [10.0, 55.0]}})


def test_scale_colours_min_first_max_last_nan_grey() -> None:
    values = np.array([10.0, 20.0, 30.0, math.nan])
    # (20 − 10) / 20 = 0.5 → class floor(0.5 × 7) = 3
    assert scale_colours(values, 10.0, 30.0) == [
        SEQUENTIAL[0],
        SEQUENTIAL[3],
        SEQUENTIAL[-1],
        NO_DATA,
    ]
    assert scale_colours(np.array([5.0, 5.0]), 5.0, 5.0) == [SEQUENTIAL[0]] * 2
    # values outside the range are clipped to the end classes
    assert scale_colours(np.array([-1.0, 99.0]), 0.0, 10.0) == [SEQUENTIAL[0], SEQUENTIAL[-1]]


def test_every_area_gets_a_path_and_a_fill_from_the_scale() -> None:
    shapes = {"a": polygon(10.0, 55.0), "b": polygon(11.0, 55.0), "c": polygon(12.0, 55.0)}
    svg = choropleth_svg(shapes, {"a": 10.0, "b": 20.0, "c": 30.0}, unit="min")
    found = areas(svg)
    assert set(found) == {"a", "b", "c"}
    assert [found[c].attrib["fill"] for c in "abc"] == [
        SEQUENTIAL[0],
        SEQUENTIAL[3],
        SEQUENTIAL[-1],
    ]
    assert all(p.attrib["fill-rule"] == "evenodd" for p in found.values())


def test_higher_is_better_reverses_the_scale_so_worse_stays_dark() -> None:
    shapes = {"a": polygon(10.0, 55.0), "c": polygon(12.0, 55.0)}
    svg = choropleth_svg(shapes, {"a": 10.0, "c": 30.0}, lower_is_better=False)
    found = areas(svg)
    assert found["a"].attrib["fill"] == SEQUENTIAL[-1]
    assert found["c"].attrib["fill"] == SEQUENTIAL[0]


def test_shared_value_range_and_missing_value() -> None:
    shapes = {"a": polygon(10.0, 55.0), "b": polygon(11.0, 55.0)}
    svg = choropleth_svg(shapes, {"a": 35.0}, value_range=(0.0, 70.0))
    found = areas(svg)
    assert found["a"].attrib["fill"] == SEQUENTIAL[3]  # 35/70 = 0.5 → class 3
    assert found["b"].attrib["fill"] == NO_DATA
    assert "No data" in svg


def test_names_with_danish_letters_and_markup_are_escaped() -> None:
    shapes = {"a<1>": polygon(10.0, 55.0)}
    svg = choropleth_svg(
        shapes,
        {"a<1>": 12.0},
        [("Sygehus <Øst> & Syd", 55.5, 10.5, "acute")],
        title="Rejsetid <min>",
        unit="min",
        names={"a<1>": "Præstø <Syd> & Ærø"},
    )
    root = ET.fromstring(svg)  # well-formed XML despite the '<' and '&' in names
    titles = [t.text for t in root.iter(f"{SVG_NS}title")]
    assert "Præstø <Syd> & Ærø: 12 min" in titles
    assert "Rejsetid <min>" in titles
    assert "Sygehus <Øst> & Syd (Acute hospital)" in titles
    assert "<Syd>" not in svg and "&lt;Syd&gt; &amp; Ærø" in svg


def test_site_symbols_by_role() -> None:
    shapes = {"a": polygon(10.0, 55.0)}
    sites = [
        ("SP1", 55.2, 10.2, "strength_position"),
        ("SP2", 55.4, 10.4, "strength_position"),
        ("Out", 55.6, 10.6, "outreach"),
        ("Acute", 55.8, 10.8, "acute"),
        ("Other", 55.9, 10.9, "other"),
    ]
    svg = choropleth_svg(shapes, {"a": 1.0}, sites)
    # the legend draws one symbol of each role on top of the sites' own
    assert svg.count('fill="#d55e00"') == 2 + 1
    assert svg.count('fill="#cc79a7"') == 1 + 1
    assert svg.count('fill="#ffffff" stroke="#000000"') == 1 + 1  # acute squares
    assert svg.count("<circle") == 1 + 1
    root = ET.fromstring(svg)
    labels = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert {"SP1", "SP2", "Out", "Acute", "Strength position"} <= set(labels)
    # 'other' sites are not labelled by default: only their tooltip names them
    assert "Other" not in labels
    assert "Other (Other site)" in [t.text for t in root.iter(f"{SVG_NS}title")]


def test_sites_inside_the_map_area_not_the_legend() -> None:
    shapes = {"a": polygon(10.0, 55.0)}
    svg = choropleth_svg(shapes, {"a": 1.0}, [("X", 56.0, 11.0, "other")], width=500, height=400)
    cx = float(re.search(r'<circle cx="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert cx <= 500 - LEGEND_WIDTH


def test_groups_outline_each_area_in_its_groups_colour() -> None:
    from bassplan.figures.choropleth import GROUP_COLOURS, group_colours

    shapes = {"a": polygon(10.0, 55.0), "b": polygon(11.0, 55.0), "c": polygon(12.0, 55.0)}
    groups = {"a": "Nord", "b": "Syd", "c": "Nord"}
    svg = choropleth_svg(shapes, {"a": 1.0, "b": 2.0, "c": 3.0}, groups=groups)
    root = ET.fromstring(svg)
    filled = [p for p in root.iter(f"{SVG_NS}path") if "data-area" in p.attrib]
    assert {p.attrib["data-area"]: p.attrib["data-group"] for p in filled} == groups
    layer = next(g for g in root.iter(f"{SVG_NS}g") if g.attrib.get("class") == "groups")
    outlines = list(layer)
    assert [o.attrib["stroke"] for o in outlines] == [
        GROUP_COLOURS[0], GROUP_COLOURS[1], GROUP_COLOURS[0]]  # Nord first seen, then Syd
    assert [o.attrib["d"] for o in outlines] == [p.attrib["d"] for p in filled]
    assert group_colours(groups) == {"Nord": GROUP_COLOURS[0], "Syd": GROUP_COLOURS[1]}
    assert "data-group" not in choropleth_svg(shapes, {"a": 1.0})  # none without groups
