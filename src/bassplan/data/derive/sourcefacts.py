"""Pick single published numbers out of the public source tables, with a citation.

The rate derivation never uses a row number it typed by hand: it selects each row by its
descriptive cells (measure, age group, period …) and cites the row it found, so the cited
row numbers stay right when a source file gains rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from bassplan.data.csvread import Row, Table, read_table
from bassplan.domain.errors import InputError


@dataclass(frozen=True)
class Fact:
    """A published number and where it was read, e.g. 'file.csv row 2'."""

    value: float
    cite: str


class SourceFile:
    """One public source CSV whose rows are selected by their cells."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.table: Table = read_table(path, ("value",))

    def rows(self, **match: str) -> list[Row]:
        """Return the rows whose cells equal every ``match`` value (spaces ignored)."""
        return [
            row
            for row in self.table.rows
            if all(row.cells.get(k, "").strip() == v for k, v in match.items())
        ]

    def fact(self, *, form: str = "number", **match: str) -> Fact:
        """Return the single matching row's value. ``form`` 'midpoint' reads a range 'a-b'
        as its midpoint; 'bound' reads '>2' or '<200' as the bound. Zero or several
        matching rows are an InputError."""
        found = self.rows(**match)
        if len(found) != 1:
            criteria = ", ".join(f"{k}='{v}'" for k, v in match.items())
            raise InputError(
                self.table.source,
                "",
                "value",
                f"expected one row with {criteria}, found {len(found)}",
            )
        row = found[0]
        raw = row.cells["value"].strip()
        cite = f"{self.name} row {row.number}"
        if form == "midpoint" and "-" in raw.lstrip("-"):
            low, high = raw.split("-", 1)
            try:
                value = (float(low) + float(high)) / 2
            except ValueError:
                raise self.table.error(row, "value", f"'{raw}' is not a range a-b") from None
            return Fact(value, f"{cite} (midpoint of {raw})")
        if form == "bound" and raw[:1] in "<>":
            try:
                value = float(raw[1:])
            except ValueError:
                raise self.table.error(row, "value", f"'{raw}' is not a bound like >2") from None
            return Fact(value, f"{cite} ({raw}, taken as {value:g})")
        return Fact(self.table.number(row, "value"), cite)

    def band_facts(self, bands: tuple[str, ...], **match: str) -> list[Fact]:
        """Return one fact per age group in ``bands`` (column ``age_group``), in that order."""
        return [self.fact(age_group=band, **match) for band in bands]


def cite_rows(facts: list[Fact]) -> str:
    """Summarise the citations of facts from one file: 'file.csv rows 64–148 (every 6th)'."""
    if not facts:
        return ""
    name = facts[0].cite.split(" row ")[0]
    numbers = sorted(int(f.cite.split(" row ")[1].split(" ")[0]) for f in facts)
    steps = {b - a for a, b in itertools.pairwise(numbers)}
    if len(numbers) > 2 and len(steps) == 1:
        step = steps.pop()
        ordinal = {2: "2nd", 3: "3rd"}.get(step, f"{step}th")
        every = "" if step == 1 else f" (every {ordinal})"
        return f"{name} rows {numbers[0]}–{numbers[-1]}{every}"
    return f"{name} rows {', '.join(str(n) for n in numbers)}"
