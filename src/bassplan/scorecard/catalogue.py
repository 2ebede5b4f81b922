"""Load and validate the scorecard's indicator catalogue (``indicators.csv``).

The catalogue is region-independent and meant to be edited by users: thresholds, labels
and definitions live here; the computations in ``professional``, ``staff`` and
``organisational``, whose id, perspective, level and unit every row must match. Rows are
checked strictly; the first broken rule raises an InputError naming file, row, field and rule.
"""

from __future__ import annotations

import csv
import io
import math
from importlib import resources
from pathlib import Path

from bassplan.domain.errors import InputError
from bassplan.domain.results import IndicatorDef
from bassplan.domain.vocabulary import Direction, Perspective
from bassplan.scorecard.common import LEVELS
from bassplan.scorecard.registry import BY_ID

COLUMNS: tuple[str, ...] = (
    "id",
    "perspective",
    "label_da",
    "label_en",
    "unit",
    "direction",
    "green",
    "red",
    "level",
    "definition",
)
BUNDLED = "indicators.csv"


def load_indicators(path: Path | None = None) -> tuple[IndicatorDef, ...]:
    """Read and validate an indicator catalogue; None reads the bundled one."""
    if path is None:
        bundled = resources.files("bassplan.scorecard").joinpath(BUNDLED)
        text = bundled.read_text(encoding="utf-8-sig")
        return parse_indicators(text, f"{BUNDLED} (bundled)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(str(path), "", "file", f"cannot be read ({exc.strerror})") from exc
    return parse_indicators(text, str(path))


def parse_indicators(text: str, source: str) -> tuple[IndicatorDef, ...]:
    """Validate catalogue CSV text; ``source`` names the file in error messages."""
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    for column in COLUMNS:
        if column not in header:
            raise InputError(source, "header", column, "missing column")
    indicators: list[IndicatorDef] = []
    seen: dict[str, str] = {}
    for row in reader:
        where = f"row {reader.line_num}"
        if None in row:  # csv puts cells beyond the header under the key None
            rule = f"more cells than the {len(header)} columns (quote text holding commas)"
            raise InputError(source, where, header[-1], rule)
        ind = _indicator(row, source, where)
        if ind.id in seen:
            rule = f"duplicate id '{ind.id}' (first at {seen[ind.id]})"
            raise InputError(source, where, "id", rule)
        seen[ind.id] = where
        indicators.append(ind)
    if not indicators:
        raise InputError(source, "", "id", "the catalogue holds no indicators")
    return tuple(indicators)


def _indicator(row: dict[str, str | None], source: str, where: str) -> IndicatorDef:
    """Check one catalogue row and turn it into an IndicatorDef."""

    def cell(field: str) -> str:
        return (row.get(field) or "").strip()

    def choice(field: str, known: tuple[str, ...]) -> str:
        value = cell(field)
        if value not in known:
            rule = f"unknown {field} '{value}' (known: {', '.join(known)})"
            raise InputError(source, where, field, rule)
        return value

    def number(field: str) -> float:
        try:
            value = float(cell(field))
        except ValueError:
            raise InputError(source, where, field, f"'{cell(field)}' is not a number") from None
        if not math.isfinite(value):
            raise InputError(source, where, field, f"'{cell(field)}' is not a finite number")
        return value

    ind_id = cell("id")
    if not ind_id:
        raise InputError(source, where, "id", "empty id")
    perspective = Perspective(choice("perspective", tuple(Perspective)))
    for field in ("label_da", "label_en"):
        if not cell(field):
            raise InputError(source, where, field, "empty label")
    direction = Direction(choice("direction", tuple(Direction)))
    green, red = number("green"), number("red")
    if direction == Direction.HIGHER_IS_BETTER and green < red:
        rule = f"higher_is_better needs green >= red (green {green}, red {red})"
        raise InputError(source, where, "green", rule)
    if direction == Direction.LOWER_IS_BETTER and green > red:
        rule = f"lower_is_better needs green <= red (green {green}, red {red})"
        raise InputError(source, where, "green", rule)
    level = choice("level", LEVELS)
    comp = BY_ID.get(ind_id)
    if comp is None:
        rule = f"no computation for id '{ind_id}' (known: {', '.join(sorted(BY_ID))})"
        raise InputError(source, where, "id", rule)
    if comp.level != level:
        rule = f"'{ind_id}' is computed per {comp.level}, not per {level}"
        raise InputError(source, where, "level", rule)
    if comp.perspective != perspective:
        rule = f"'{ind_id}' belongs to the {comp.perspective} perspective, not {perspective}"
        raise InputError(source, where, "perspective", rule)
    if comp.unit != cell("unit"):
        rule = f"'{ind_id}' is computed in '{comp.unit}', not '{cell('unit')}'"
        raise InputError(source, where, "unit", rule)
    return IndicatorDef(
        id=ind_id,
        perspective=perspective,
        label_da=cell("label_da"),
        label_en=cell("label_en"),
        unit=cell("unit"),
        direction=direction,
        green=green,
        red=red,
        level=level,
        definition=cell("definition"),
    )
