"""An inset for areas far off (Bornholm): drawn inside its box in the lower right, its sites
with it, and the main map fitted to the other areas only."""

from __future__ import annotations

import re

import numpy as np

from bassplan.data import load_region
from bassplan.figures.choropleth import INSET_SHARE, LEGEND_WIDTH, choropleth_svg
from bassplan.views.area_values import inset_areas


def _points(d: str) -> np.ndarray:
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return np.array(numbers).reshape(-1, 2)


def _path(svg: str, code: str) -> str:
    match = re.search(rf'<path d="([^"]+)"[^>]*data-area="{code}"', svg)
    assert match is not None
    return match.group(1)


def test_bornholm_is_drawn_in_an_inset_with_its_hospital() -> None:
    region = load_region("oestdanmark")
    assert inset_areas(region) == frozenset({"400"})
    assert inset_areas(load_region()) == frozenset()
    shapes = region.area_shapes
    assert shapes is not None
    bornholm = region.sites[region.site_index("bornholm")]
    width, height = 760.0, 600.0
    svg = choropleth_svg(shapes, {"400": 1.0, "101": 2.0},
                         [("Bornholms Hospital", bornholm.lat, bornholm.lon, "acute")],
                         width=width, height=height, inset=inset_areas(region))
    map_w = width - LEGEND_WIDTH
    bw, bh = map_w * INSET_SHARE, height * INSET_SHARE
    bx, by = map_w - bw - 6.0, height - bh - 6.0
    assert f'x="{bx:.1f}" y="{by:.1f}"' in svg  # the inset's frame
    island = _points(_path(svg, "400"))
    assert (island[:, 0] >= bx).all() and (island[:, 0] <= bx + bw).all()
    assert (island[:, 1] >= by).all() and (island[:, 1] <= by + bh).all()
    # the hospital's square sits inside the inset too
    square = re.search(r'<title>Bornholms Hospital \(Acute hospital\)</title><rect '
                       r'x="([\d.]+)" y="([\d.]+)"', svg)
    assert square is not None
    assert bx <= float(square.group(1)) <= bx + bw and by <= float(square.group(2)) <= by + bh
    # without the island the main map spans Zealand: København lies right of the middle
    copenhagen = _points(_path(svg, "101"))
    assert copenhagen[:, 0].mean() > map_w / 2
