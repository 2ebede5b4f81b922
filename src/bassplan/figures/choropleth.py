"""Offline choropleth maps as plain inline SVG: area shapes from GeoJSON, no tiles, no scripts.

Projection is equirectangular with the longitude stretched by cos(mean latitude), which is
close enough to conformal over a region the size of Zealand (±1° of latitude). The mean
latitude is the middle of the shapes' latitude range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import NamedTuple

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.vocabulary import FloatArray
from bassplan.i18n.words import Lang, localise_number

# Viridis in 7 classes, light to dark: sequential and readable with every common form of
# colour blindness (van der Walt & Smith 2015). Dark means 'worse' on our maps.
SEQUENTIAL: tuple[str, ...] = (
    "#fde725",
    "#90d743",
    "#35b779",
    "#21918c",
    "#31688e",
    "#443983",
    "#440154",
)
NO_DATA = "#d9d9d9"

ROLES: tuple[str, ...] = ("strength_position", "outreach", "acute", "other")
DEFAULT_ROLE_LABELS: Mapping[str, str] = {
    "strength_position": "Strength position",
    "outreach": "Outreach clinic",
    "acute": "Acute hospital",
    "other": "Other site",
    "no_data": "No data",
}

LEGEND_WIDTH = 210.0
INSET_SHARE = 0.3  # an inset (areas far off, e.g. an island) takes this share of each side
SUBPIXEL = 2.0  # path coordinates are rounded to 1/SUBPIXEL px; repeated points are dropped


class SiteMark(NamedTuple):
    """A site drawn on the map: label, position (degrees) and role (one of ``ROLES``)."""

    label: str
    lat: float
    lon: float
    role: str


@dataclass(frozen=True)
class Projection:
    """Maps lon/lat (degrees) to SVG pixels: x = x0 + (lon − lon0)·k·cos φ, y = y0 + (lat0 − lat)·k.

    ``lon0``/``lat0`` is the top-left corner of the fitted box (west, north) and ``k`` is
    pixels per degree of latitude.
    """

    lon0: float
    lat0: float
    k: float
    cos_lat: float
    x0: float
    y0: float

    def __call__(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Return SVG (x, y) pixels for arrays of longitudes and latitudes."""
        x = self.x0 + (np.asarray(lon, dtype=float) - self.lon0) * self.k * self.cos_lat
        y = self.y0 + (self.lat0 - np.asarray(lat, dtype=float)) * self.k
        return x, y


def fit_projection(
    bounds: tuple[float, float, float, float], width: float, height: float, margin: float = 10.0
) -> Projection:
    """Fit (lon_min, lat_min, lon_max, lat_max) into a width × height box (px), centred,
    keeping ``margin`` px free on every side and the aspect ratio of the scaled degrees."""
    lon_min, lat_min, lon_max, lat_max = bounds
    cos_lat = math.cos(math.radians((lat_min + lat_max) / 2.0))
    span_x = max((lon_max - lon_min) * cos_lat, 1e-12)
    span_y = max(lat_max - lat_min, 1e-12)
    inner_w = max(width - 2.0 * margin, 1.0)
    inner_h = max(height - 2.0 * margin, 1.0)
    k = min(inner_w / span_x, inner_h / span_y)
    x0 = margin + (inner_w - span_x * k) / 2.0
    y0 = margin + (inner_h - span_y * k) / 2.0
    return Projection(lon0=lon_min, lat0=lat_max, k=k, cos_lat=cos_lat, x0=x0, y0=y0)


def _polygons(code: str, geometry: object) -> list[list[FloatArray]]:
    """Return the polygons of a Polygon or MultiPolygon, each a list of (n, 2) lon/lat rings."""
    if not isinstance(geometry, Mapping):
        raise InputError("area_shapes", code, "geometry", "must be a GeoJSON geometry object")
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = list(coords) if isinstance(coords, list) else []
    else:
        raise InputError("area_shapes", code, "type", f"'{kind}' is not Polygon or MultiPolygon")
    out: list[list[FloatArray]] = []
    for polygon in polygons:
        rings = [np.asarray(ring, dtype=float).reshape(-1, 2) for ring in polygon or []]
        if rings and len(rings[0]) > 0:
            out.append([r[:, :2] for r in rings])
    return out


def shape_bounds(shapes: Mapping[str, object]) -> tuple[float, float, float, float]:
    """Return (lon_min, lat_min, lon_max, lat_max) over every ring of every shape."""
    rings = [r for code, g in shapes.items() for poly in _polygons(code, g) for r in poly]
    if not rings:
        raise InputError("area_shapes", "", "coordinates", "no shape has any coordinates")
    pts = np.concatenate(rings)
    lon_min, lat_min = pts.min(axis=0)
    lon_max, lat_max = pts.max(axis=0)
    return float(lon_min), float(lat_min), float(lon_max), float(lat_max)


def _ring_path(ring: FloatArray, projection: Projection) -> str:
    """Return one closed subpath 'M x y L x y … Z', dropping points that round to the same
    sub-pixel position as their predecessor; '' when fewer than 3 points remain."""
    x, y = projection(ring[:, 0], ring[:, 1])
    grid = np.round(np.column_stack([x, y]) * SUBPIXEL)
    keep = np.ones(len(grid), dtype=bool)
    keep[1:] = np.any(grid[1:] != grid[:-1], axis=1)
    grid = grid[keep]
    if len(grid) > 1 and np.all(grid[0] == grid[-1]):
        grid = grid[:-1]  # the closing point is implied by Z
    if len(grid) < 3:
        return ""
    coords = [f"{px:g} {py:g}" for px, py in grid / SUBPIXEL]
    return "M" + coords[0] + " L" + " ".join(coords[1:]) + "Z"


Fitted = tuple[Mapping[str, object], Projection, dict[str, str]]  # shapes, projection, paths
_FITTED: dict[tuple[int, float, float], Fitted] = {}


def fitted_paths(
    shapes: Mapping[str, object], width: float, height: float
) -> tuple[Projection, dict[str, str]]:
    """The projection fitting ``shapes`` into width × height px (12 px margin) and the area
    paths under it, remembered per shapes object: a region's shapes do not change, and
    turning GeoJSON into paths is most of the time of drawing a map."""
    key = (id(shapes), width, height)
    known = _FITTED.get(key)
    if known is not None and known[0] is shapes:
        return known[1], known[2]
    proj = fit_projection(shape_bounds(shapes), width, height, margin=12.0)
    paths = area_paths(shapes, proj)
    if len(_FITTED) >= 16:
        _FITTED.clear()
    _FITTED[key] = (shapes, proj, paths)
    return proj, paths


_SPLIT: dict[tuple[int, frozenset[str]], tuple[Mapping[str, object], dict[str, object],
                                              dict[str, object]]] = {}


def split_shapes(shapes: Mapping[str, object], inset: frozenset[str]
                 ) -> tuple[Mapping[str, object], Mapping[str, object]]:
    """(the main map's shapes, the inset's shapes), the same objects for the same shapes and
    inset (so ``fitted_paths`` remembers both)."""
    if not inset or not inset & set(shapes) or not set(shapes) - inset:
        return shapes, {}
    key = (id(shapes), inset)
    known = _SPLIT.get(key)
    if known is None or known[0] is not shapes:
        if len(_SPLIT) >= 16:
            _SPLIT.clear()
        known = (shapes, {c: g for c, g in shapes.items() if c not in inset},
                 {c: g for c, g in shapes.items() if c in inset})
        _SPLIT[key] = known
    return known[1], known[2]


def area_paths(
    shapes: Mapping[str, object], projection: Projection | None = None
) -> dict[str, str]:
    """Return an SVG path 'd' per area code: one subpath per ring (outer rings and holes),
    drawn with fill-rule evenodd so holes stay empty. Default: fit to 600 × 600 px."""
    proj = projection or fit_projection(shape_bounds(shapes), 600.0, 600.0)
    paths: dict[str, str] = {}
    for code, geometry in shapes.items():
        subpaths = [_ring_path(r, proj) for poly in _polygons(code, geometry) for r in poly]
        paths[code] = " ".join(p for p in subpaths if p)
    return paths


def scale_colours(
    values: FloatArray,
    vmin: float,
    vmax: float,
    colours: Sequence[str] = SEQUENTIAL,
) -> list[str]:
    """Colour each value by equal-width classes between vmin and vmax: vmin → colours[0],
    vmax → colours[-1]; NaN → ``NO_DATA``; all values in the first class when vmax == vmin."""
    v = np.asarray(values, dtype=float)
    n = len(colours)
    width = vmax - vmin
    frac = (v - vmin) / width if width > 0 else np.zeros_like(v)
    idx = np.clip(np.floor(np.nan_to_num(frac) * n), 0, n - 1).astype(int)
    return [NO_DATA if math.isnan(val) else colours[i] for val, i in zip(v, idx, strict=True)]


def _fmt(value: float, decimals: int, lang: Lang) -> str:
    """Format a number with thousands separators in the language's conventions."""
    return localise_number(f"{value:,.{decimals}f}", lang)


def _marker(mark: SiteMark, x: float, y: float, size: float) -> str:
    """Return the SVG element of one site symbol centred on (x, y)."""
    stroke = 'stroke="#ffffff" stroke-width="1.2"'
    if mark.role == "strength_position":  # orange five-pointed star
        angles = np.pi / 2 + np.arange(10) * np.pi / 5
        radius = np.where(np.arange(10) % 2 == 0, size, size * 0.45)
        pts = " ".join(
            f"{x + r * math.cos(a):.1f},{y - r * math.sin(a):.1f}"
            for a, r in zip(angles, radius, strict=True)
        )
        return f'<polygon points="{pts}" fill="#d55e00" {stroke}/>'
    if mark.role == "outreach":  # purple triangle
        h = size * 0.9
        pts = f"{x:.1f},{y - h:.1f} {x + h:.1f},{y + h * 0.7:.1f} {x - h:.1f},{y + h * 0.7:.1f}"
        return f'<polygon points="{pts}" fill="#cc79a7" {stroke}/>'
    if mark.role == "acute":  # white square
        s = size * 0.65
        return (
            f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" '
            f'fill="#ffffff" stroke="#000000" stroke-width="1.5"/>'
        )
    dot = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size * 0.45:.1f}" fill="#000000"'
    return f"{dot} {stroke}/>"


# outline colours of area groups (e.g. sundhedsråd), colour-blind safe (Okabe–Ito), in order
GROUP_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
                 "#000000", "#f0e442")


def group_colours(groups: Mapping[str, str]) -> dict[str, str]:
    """Group name → outline colour, in order of first appearance among ``groups`` (area code
    → group); the colours repeat after eight groups."""
    order = list(dict.fromkeys(groups.values()))
    return {name: GROUP_COLOURS[k % len(GROUP_COLOURS)] for k, name in enumerate(order)}


def choropleth_svg(
    shapes: Mapping[str, object],
    values: Mapping[str, float],
    sites: Sequence[tuple[str, float, float, str]] = (),
    *,
    title: str = "",
    unit: str = "",
    names: Mapping[str, str] | None = None,
    lower_is_better: bool = True,
    colours: Sequence[str] = SEQUENTIAL,
    value_range: tuple[float, float] | None = None,
    role_labels: Mapping[str, str] = DEFAULT_ROLE_LABELS,
    labelled_roles: frozenset[str] = frozenset(ROLES[:3]),
    decimals: int = 0,
    lang: Lang = "en",
    width: float = 760.0,
    height: float = 600.0,
    inset: frozenset[str] = frozenset(),
    groups: Mapping[str, str] | None = None,
) -> str:
    """Return a standalone <svg> choropleth: areas coloured by value in equal-width classes
    (the worse end dark: ``colours`` reversed when higher is better), a legend, site symbols
    by role (named beside the symbol for ``labelled_roles``) and a <title> tooltip per area
    and site. ``value_range`` fixes the scale so that several maps share one legend; areas
    without a value are grey. The ``inset`` areas (e.g. an island far off) are drawn in a
    box of their own in the lower right corner, with the sites inside their bounds. With
    ``groups`` (area code → group, e.g. its sundhedsråd) every area is outlined in its
    group's colour (``group_colours``) and carries ``data-group``."""
    map_w = width - LEGEND_WIDTH
    main, island = split_shapes(shapes, inset)
    proj, paths = fitted_paths(main, map_w, height)
    box = ""
    inset_proj: Projection | None = None
    inset_bounds = (0.0, 0.0, 0.0, 0.0)
    if island:
        bw, bh = map_w * INSET_SHARE, height * INSET_SHARE
        bx, by = map_w - bw - 6.0, height - bh - 6.0
        inset_bounds = shape_bounds(island)
        local = fit_projection(inset_bounds, bw, bh, margin=8.0)
        inset_proj = replace(local, x0=local.x0 + bx, y0=local.y0 + by)
        paths = {**paths, **area_paths(island, inset_proj)}
        box = (f'<rect x="{bx:.1f}" y="{by:.1f}" width="{bw:.1f}" height="{bh:.1f}" '
               'fill="none" stroke="#7a8a99" stroke-width="1" stroke-dasharray="4 3" '
               'class="inset"/>')
    codes = list(paths)
    vals = np.array([values.get(c, math.nan) for c in codes], dtype=float)
    finite = vals[np.isfinite(vals)]
    if value_range is not None:
        vmin, vmax = value_range
    elif finite.size:
        vmin, vmax = float(finite.min()), float(finite.max())
    else:
        vmin, vmax = 0.0, 0.0
    palette = list(colours) if lower_is_better else list(colours)[::-1]
    fills = scale_colours(vals, vmin, vmax, palette)
    names = names or {}
    unit_sfx = f" {unit}" if unit else ""

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" class="map" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#f4f8fb"/>',
    ]
    parts.append(box)
    no_data = role_labels.get("no_data", "No data")
    for code, fill, val in zip(codes, fills, vals, strict=True):
        shown = _fmt(val, decimals, lang) + unit_sfx if math.isfinite(val) else no_data
        tip = f"{names.get(code, code)}: {shown}"
        group = f' data-group="{escape(groups[code])}"' if groups and code in groups else ""
        parts.append(
            f'<path d="{paths[code]}" fill="{fill}" fill-rule="evenodd" stroke="#ffffff" '
            f'stroke-width="0.8" data-area="{escape(code)}"{group}>'
            f"<title>{escape(tip)}</title></path>"
        )
    if groups:
        outline = group_colours(groups)
        parts.append('<g class="groups" fill="none" stroke-width="1.6" pointer-events="none">')
        parts.extend(f'<path d="{paths[code]}" stroke="{outline[groups[code]]}"/>'
                     for code in codes if code in groups)
        parts.append("</g>")
    for mark in (SiteMark(*s) for s in sites):
        on_inset = inset_proj is not None and (
            inset_bounds[0] <= mark.lon <= inset_bounds[2]
            and inset_bounds[1] <= mark.lat <= inset_bounds[3])
        where = inset_proj if on_inset and inset_proj is not None else proj
        xs, ys = where(np.array([mark.lon]), np.array([mark.lat]))
        x, y = float(xs[0]), float(ys[0])
        role = role_labels.get(mark.role, mark.role)
        text = ""
        if mark.role in labelled_roles:  # labels right of the symbol, left of it near the edge
            dx, anchor = (-11, "end") if x > 0.6 * map_w else (11, "start")
            text = (
                f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" font-size="11" '
                f'fill="#000000" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                f"{escape(mark.label)}</text>"
            )
        parts.append(
            f"<g><title>{escape(f'{mark.label} ({role})')}</title>"
            f"{_marker(mark, x, y, 9.0)}{text}</g>"
        )
    missing = bool(np.any(~np.isfinite(vals)))
    parts.append(
        _legend(
            map_w,
            (vmin, vmax),
            palette,
            heading=unit or title,
            role_labels=role_labels,
            decimals=decimals,
            lang=lang,
            has_missing=missing,
        )
    )
    parts.append("</svg>")
    return "".join(parts)


def _legend(
    x0: float,
    value_range: tuple[float, float],
    palette: Sequence[str],
    *,
    heading: str,
    role_labels: Mapping[str, str],
    decimals: int,
    lang: Lang,
    has_missing: bool,
) -> str:
    """Return the legend group: one swatch per class with its value range, then the symbols."""
    vmin, vmax = value_range
    step = (vmax - vmin) / len(palette)
    out = [f'<g transform="translate({x0 + 10:g},20)">']
    out.append(f'<text x="0" y="0" font-weight="bold">{escape(heading)}</text>')
    y = 12.0
    for i, colour in enumerate(palette):
        lo, hi = vmin + i * step, vmin + (i + 1) * step
        text = f"{_fmt(lo, decimals, lang)}–{_fmt(hi, decimals, lang)}"
        out.append(
            f'<rect x="0" y="{y:g}" width="18" height="14" fill="{colour}" stroke="#888888" '
            f'stroke-width="0.5"/><text x="26" y="{y + 11:g}">{escape(text)}</text>'
        )
        y += 18
    if has_missing:
        out.append(
            f'<rect x="0" y="{y:g}" width="18" height="14" fill="{NO_DATA}"/>'
            f'<text x="26" y="{y + 11:g}">{escape(role_labels.get("no_data", "No data"))}</text>'
        )
        y += 18
    y += 14
    for role in ROLES:
        mark = SiteMark("", 0.0, 0.0, role)
        out.append(_marker(mark, 9.0, y + 6, 8.0))
        out.append(f'<text x="26" y="{y + 10:g}">{escape(role_labels.get(role, role))}</text>')
        y += 22
    out.append("</g>")
    return "".join(out)
