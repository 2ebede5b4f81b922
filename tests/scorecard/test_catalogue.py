"""The indicator catalogue: the bundled file loads and meets the brief, and every
validation rule has its own test on a broken copy written to tmp_path."""

from __future__ import annotations

import csv
import io
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from bassplan.domain.errors import InputError
from bassplan.domain.vocabulary import Direction, Perspective
from bassplan.scorecard.catalogue import COLUMNS, load_indicators
from bassplan.scorecard.registry import BY_ID

REQUIRED = {
    Perspective.PROFESSIONAL: {
        "team_size_ratio",
        "contacts_per_fte",
        "n1_robust",
        "n2_robust",
        "trainees_per_specialist",
    },
    Perspective.STAFF: {"wisn_ratio", "on_call_rota", "staff_travel_hours_per_fte", "vacancy_rate"},
    Perspective.ORGANISATIONAL: {
        "p90_access_minutes",
        "share_within_45",
        "gini_travel_time",
        "utilisation",
        "cost_per_contact",
        "consult_coverage",
        "unserved_visits",
        "inpatient_cover",
    },
}


def _rows() -> list[dict[str, str]]:
    text = resources.files("bassplan.scorecard").joinpath("indicators.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _write(tmp_path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
    path = tmp_path / "indicators.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _broken(tmp_path: Path, row: int, **changes: str) -> Path:
    """A copy of the bundled catalogue with data row ``row`` (0-based) changed."""
    rows = _rows()
    rows[row] = {**rows[row], **changes}
    return _write(tmp_path, rows)


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as err:
        load_indicators(path)
    assert err.value.source == str(path)
    return err.value


def test_bundled_catalogue_meets_the_brief() -> None:
    indicators = load_indicators()
    per = Counter(ind.perspective for ind in indicators)
    assert all(per[p] >= 4 for p in Perspective)
    for perspective, ids in REQUIRED.items():
        assert ids <= {i.id for i in indicators if i.perspective == perspective}
    assert {i.id for i in indicators} <= set(BY_ID)
    for ind in indicators:
        assert "illustrative defaults users can edit" in ind.definition
        assert ind.label_da and ind.label_en and ind.unit
        assert ind.level in {"site", "specialty"}


def test_bundled_values_parse_as_written() -> None:
    by_id = {i.id: i for i in load_indicators()}
    p90 = by_id["p90_access_minutes"]
    assert (p90.direction, p90.green, p90.red, p90.level) == (
        Direction.LOWER_IS_BETTER,
        45.0,
        60.0,
        "specialty",
    )
    assert by_id["wisn_ratio"].label_da == "WISN-ratio (til rådighed / behov)"


def test_a_copy_loads_like_the_bundled_file(tmp_path: Path) -> None:
    assert load_indicators(_write(tmp_path, _rows())) == load_indicators()


def test_excel_byte_order_mark_and_extra_column_are_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, [{**r, "note": "x"} for r in _rows()], (*COLUMNS, "note"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_indicators(path) == load_indicators()


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"perspective": "clinical"}, "perspective", "unknown perspective 'clinical'"),
        ({"direction": "up"}, "direction", "unknown direction 'up'"),
        ({"green": "high"}, "green", "'high' is not a number"),
        ({"red": ""}, "red", "'' is not a number"),
        ({"red": "nan"}, "red", "not a finite number"),
        ({"label_da": "  "}, "label_da", "empty label"),
        ({"label_en": ""}, "label_en", "empty label"),
        ({"level": "region"}, "level", "unknown level 'region'"),
        ({"id": "beds_per_fte"}, "id", "no computation for id 'beds_per_fte'"),
        ({"id": ""}, "id", "empty id"),
        ({"level": "specialty"}, "level", "computed per site, not per specialty"),
    ],
)
def test_each_broken_field_is_named(
    tmp_path: Path, changes: dict[str, str], field: str, rule: str
) -> None:
    err = _error(_broken(tmp_path, 0, **changes))  # data row 0 is file row 2
    assert (err.where, err.field) == ("row 2", field)
    assert rule in err.rule


def test_higher_is_better_needs_green_at_or_above_red(tmp_path: Path) -> None:
    rows = _rows()
    k = next(i for i, r in enumerate(rows) if r["id"] == "wisn_ratio")
    err = _error(_broken(tmp_path, k, green="0.8", red="0.9"))
    assert (err.where, err.field) == (f"row {k + 2}", "green")
    assert "higher_is_better needs green >= red" in err.rule


def test_lower_is_better_needs_green_at_or_below_red(tmp_path: Path) -> None:
    rows = _rows()
    k = next(i for i, r in enumerate(rows) if r["id"] == "p90_access_minutes")
    err = _error(_broken(tmp_path, k, green="60", red="45"))
    assert (err.where, err.field) == (f"row {k + 2}", "green")
    assert "lower_is_better needs green <= red" in err.rule


def test_flipping_the_direction_breaks_the_order(tmp_path: Path) -> None:
    err = _error(_broken(tmp_path, 0, direction="lower_is_better"))  # green 1.0 > red 0.75
    assert err.field == "green"


def test_equal_thresholds_are_allowed(tmp_path: Path) -> None:
    load_indicators(_broken(tmp_path, 0, green="1", red="1"))


def test_duplicate_id(tmp_path: Path) -> None:
    rows = _rows()
    path = _write(tmp_path, [*rows, rows[1]])
    err = _error(path)
    assert (err.where, err.field) == (f"row {len(rows) + 2}", "id")
    assert f"duplicate id '{rows[1]['id']}' (first at row 3)" in err.rule


def test_missing_column(tmp_path: Path) -> None:
    columns = tuple(c for c in COLUMNS if c != "red")
    err = _error(_write(tmp_path, _rows(), columns))
    assert (err.where, err.field, err.rule) == ("header", "red", "missing column")


def test_unquoted_comma_gives_more_cells_than_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, _rows())
    lines = path.read_text("utf-8").splitlines()
    lines[3] = lines[3] + ",stray"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    err = _error(path)
    assert (err.where, err.field) == ("row 4", "definition")
    assert "more cells than the 10 columns" in err.rule


def test_empty_catalogue(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, []))
    assert "no indicators" in err.rule


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.csv")
    assert err.field == "file"
    assert "cannot be read" in err.rule
