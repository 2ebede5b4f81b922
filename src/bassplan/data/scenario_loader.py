"""Load a scenario YAML file into a checked ``Scenario`` for a given region."""

from __future__ import annotations

import reprlib
from pathlib import Path

from pydantic import ValidationError

from bassplan.data.loaders import read_yaml
from bassplan.domain.errors import InputError
from bassplan.domain.phrase import Phrase, phrase
from bassplan.domain.region import Region
from bassplan.domain.scenario import Scenario, check_against_region

_SHORT = reprlib.Repr()  # shows a refused value in bounded time and space, however large
_SHORT.maxlevel, _SHORT.maxdict, _SHORT.maxlist = 2, 4, 4
_SHORT.maxstring = _SHORT.maxother = 50


def key_path(loc: tuple[int | str, ...]) -> tuple[str, str]:
    """Turn a pydantic error location into a key path and its last key:
    ('outreach', 'kardiologi', 0, 'days_per_week') → 'outreach.kardiologi[0].days_per_week'."""
    text = ""
    field = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            text += f".{part}" if text else str(part)
            field = str(part)
    return text, field


def validation_error(source: str, exc: ValidationError) -> InputError:
    """One InputError line for the first problem pydantic found (and how many more)."""
    errors = exc.errors()
    first = errors[0]
    where, field = key_path(tuple(first["loc"]))
    kind = first["type"]
    words: Phrase | None = None  # pydantic's own messages stay in English
    if kind == "extra_forbidden":
        rule, words = f"unknown key '{field}'", phrase("rule_unknown_key", key=field)
    elif kind == "missing":
        rule, words = "required key is missing", phrase("rule_key_missing")
    else:
        shown = _SHORT.repr(first.get("input"))
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        rule = f"{first['msg']} (got {shown})"
    more = len(errors) - 1
    if more:
        rule += f" (and {more} more problem{'s' if more > 1 else ''})"
        if words is not None:
            words = phrase("rule_and_more" if more > 1 else "rule_and_one_more", rule=words,
                           more=more)
    return InputError(source, where, field or "(scenario)", rule, words=words)


def load_scenario(path: Path, region: Region) -> Scenario:
    """Read a scenario YAML file, validate it against the schema and the region; a
    relative ``travel.matrix`` path is taken relative to the scenario file."""
    scenario = read_scenario(path)
    check_against_region(scenario, region, str(path))
    return scenario


def read_scenario(path: Path) -> Scenario:
    """Read a scenario YAML file (within the bounds of ``domain.limits``) and validate it
    against the schema, not yet the region: a hostile file is refused before the region is
    loaded; a relative ``travel.matrix`` path is taken relative to the scenario file."""
    path = Path(path)
    source = str(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(source, "", "(scenario)", "must be a mapping of keys to values",
                         words=phrase("rule_not_mapping"))
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(source, exc) from None
    if scenario.travel.matrix:
        matrix = Path(scenario.travel.matrix)
        if not matrix.is_absolute():
            matrix = path.parent / matrix
        if not matrix.is_file():
            raise InputError(source, "travel.matrix", "matrix", f"file not found: {matrix}")
        travel = scenario.travel.model_copy(update={"matrix": str(matrix)})
        scenario = scenario.model_copy(update={"travel": travel})
    return scenario


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text (only what differs from the defaults; Danish letters kept)."""
    import yaml

    data = scenario.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def write_scenario(path: Path, scenario: Scenario) -> Path:
    """Write a scenario YAML atomically; loading it back gives an equal scenario."""
    from bassplan.data.files import write_text_atomic

    return write_text_atomic(path, scenario_yaml(scenario))
