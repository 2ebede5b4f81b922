"""The word store: the files' shape (one key per line, sorted, no repeats, both languages),
every key the code and the templates use, the languages' conventions, and phrases said in
either language."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import fields
from importlib.resources import files
from pathlib import Path

import pytest

from bassplan.api.jobs import JobStatus
from bassplan.cli.simulate import SWEEP_METRICS
from bassplan.data.imports import KINDS
from bassplan.domain.errors import InputError
from bassplan.domain.parameters import Parameters
from bassplan.domain.phrase import phrase
from bassplan.domain.vocabulary import CONTACT_TYPES, Colour, ContactType, Modality, Perspective
from bassplan.figures import pareto, simulation
from bassplan.i18n.words import (
    LANGS,
    WordFileError,
    convention,
    label,
    localise_number,
    read_word_file,
    say,
    say_error,
    word_table,
)
from bassplan.report.html import TEMPLATE_LABELS
from bassplan.simulate.headline import HEADLINES
from bassplan.store.models import SPECIALTY_ROLES, STATUSES, USER_ROLES
from bassplan.web.render import NAV, SCRIPT_WORDS

SRC = Path(__file__).resolve().parents[2] / "src" / "bassplan"
WORD_FILES = ("words.csv", "locale.csv")


def _raw(name: str) -> str:
    return files("bassplan.i18n").joinpath(name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", WORD_FILES)
def test_one_key_per_line_sorted_without_repeats(name: str) -> None:
    text = _raw(name)
    rows = list(csv.reader(io.StringIO(text)))
    keys = [row[0] for row in rows[1:]]
    assert rows[0] == ["key", *LANGS]
    assert len(rows) == len(text.splitlines()), "a value spans lines"
    assert len(set(keys)) == len(keys), sorted({k for k in keys if keys.count(k) > 1})
    assert keys == sorted(keys), "keep the keys sorted (merges stay one-line)"
    assert all(all(row[1:]) and len(row) == 3 for row in rows[1:])
    assert len(read_word_file(text, name)) == len(keys)


@pytest.mark.parametrize(("text", "problem"), [
    ("key,da,en\na,x,y\na,z,w\n", "row 3: key 'a' appears twice"),
    ("key,da,en\na,x,\n", "row 2: 'a' lacks en"),
    ("key,en,da\na,x,y\n", "row 1: the header must be key,da,en"),
    ("key,da,en\na,x\n", "row 2: 2 cells, want 3"),
])
def test_a_broken_word_file_names_its_row(text: str, problem: str) -> None:
    with pytest.raises(WordFileError, match=re.escape(f"w.csv: {problem}")):
        read_word_file(text, "w.csv")


def _literal_keys() -> set[str]:
    """Keys written literally in the code: label("k"), say("k"), phrase("k"), a job's
    report(p, "k"), and the templates' L.k and L('k')."""
    keys: set[str] = set()
    call = re.compile(r"\b(?:label|say|phrase)\(\s*[\"']([A-Za-z0-9_]+)[\"']")
    report = re.compile(r"\.report\([^,]+,\s*\"([a-z0-9_]+)\"")
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(call.findall(text)) | set(report.findall(text))
    for path in [*SRC.glob("web/templates/*.html"), *SRC.glob("report/templates/*.html")]:
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"\bL\.([a-z0-9_]+)", text))
        keys |= set(re.findall(r"\bL\(['\"]([a-z0-9_]+)['\"]\)", text))
    return {k for k in keys if not k.endswith("_")}  # 'prefix_' + value: see _built_keys


def _ok_keys() -> set[str]:
    """Outcome and error keys the dashboard passes to its pages (?ok=…, error=…)."""
    keys: set[str] = set()
    for path in SRC.glob("web/**/*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"[\"']((?:sc|prog|users|data|form)_[a-z0-9_]+)[\"']", text))
    return {k for k in keys if not k.endswith("_")}


def _built_keys() -> set[str]:
    """Keys the code builds from a prefix and a known set of values."""
    entities = set()
    for path in SRC.glob("store/*.py"):
        entities |= set(re.findall(r"entity=\"([a-z_]+)\"", path.read_text(encoding="utf-8")))
        entities |= set(re.findall(r"ENTITY = \"([a-z_]+)\"", path.read_text(encoding="utf-8")))
    assert {"scenario", "user"} <= entities
    statuses: tuple[str, ...] = JobStatus.__args__  # type: ignore[attr-defined]
    return {
        *(str(m) for enum in (Perspective, Colour, ContactType, Modality) for m in enum),
        *(f"sc_job_{s}" for s in statuses),
        *(f"sc_kind_{k}" for k in ("optimise", "simulate")),
        *(f"status_{s}" for s in (*STATUSES, "optimal", "gap_reached", "time_limit")),
        *(f"action_{a}" for a in ("create", "update", "delete")),
        *(f"entity_{e}" for e in entities),
        *(f"role_{r}" for r in USER_ROLES),
        *(f"prole_{r}" for r in SPECIALTY_ROLES),
        *(f"data_kind_{k}" for k in KINDS),
        *(f"data_about_{k}" for k in KINDS),
        *(f"data_origin_{o}" for o in ("bundled", "imported", "absent")),
        *(f"sim_{h.key}" for h in HEADLINES),
        *(f"sweep_{m}" for m in SWEEP_METRICS),
        *(f"pareto_{k}" for k in pareto._KEYS),
        *(f"simfig_{k}" for k in simulation._KEYS),
        *(f"contact_word_{c}" for c in CONTACT_TYPES),
        *(f"param_{k}" for k in ("hours_per_week", "weeks_per_year", "holiday_weeks",
                                 "public_holiday_days", "sick_leave_days", "cpd_days",
                                 "category_allowance", "trainee_productivity",
                                 "clinic_weeks_per_year", "outreach_visits_per_day",
                                 "cost_per_fte_dkk", "cost_per_km_dkk")),
        *(key for _, key, _ in NAV),
        *SCRIPT_WORDS,
        *TEMPLATE_LABELS,
    }


def test_every_key_the_code_and_templates_use_is_in_the_store() -> None:
    used = _literal_keys() | _ok_keys() | _built_keys()
    assert len(used) > 400  # the scan finds the words, not nothing
    assert sorted(used - set(word_table())) == []


def test_parameters_named_in_explanations_exist() -> None:
    named = {k.removeprefix("param_") for k in word_table() if k.startswith("param_")}
    assert len(named) == 22  # 12 in explanations, 10 more named as illustrative inputs
    assert named <= {f.name for f in fields(Parameters)}


def test_labels_in_both_languages() -> None:
    assert label("footer", "en").startswith("Made with bassplan")
    assert label("footer", "da").startswith("Lavet med bassplan")
    assert label(Colour.RED, "da") == "rød"
    assert label(ContactType.DIALYSIS, "en") == "Dialysis sessions"
    assert label("no_such_key", "da") == "no_such_key"


def test_numbers_follow_the_languages_conventions() -> None:
    assert (convention("decimal_mark", "da"), convention("thousands_separator", "da")) == (",", ".")
    assert localise_number(f"{1234567.891:,.2f}", "da") == "1.234.567,89"
    assert localise_number(f"{1234567.891:,.2f}", "en") == "1,234,567.89"
    assert localise_number(f"{0.846:.1%}", "da") == "84,6 %"
    assert localise_number(f"{0.846:.1%}", "en") == "84.6%"


def test_phrases_are_said_with_their_parameters_and_nested_words() -> None:
    words = phrase("step_n_robust_detail", answer=phrase("yes"))
    assert say(words, "da") == "FTE tilbage ≥ minimum: ja"
    assert say(words, "en") == "FTE left ≥ minimum: yes"
    trips = phrase("step_round_trips_detail", outreach=2.0, visits=12.25, rotation=0.5,
                   km=61.5, minutes=48.0)
    assert say(trips, "en") == ("2 outreach days + 12.2 consult visits + 0.5 rotation days "
                                "(inpatient hours / hours a day); 61.5 km, 48 min one way")
    assert say(trips, "da") == ("2 udgående dage + 12,2 tilsynsbesøg + 0,5 rotationsdage "
                                "(timer på sengeafsnit / timer pr. dag); 61,5 km, 48 min én vej")


def test_an_input_error_reads_in_danish_and_keeps_its_english_line() -> None:
    error = InputError("staffing.csv", "row 4", "specialist_fte", "'x' is not a number",
                       words=phrase("rule_not_number", raw="x"))
    assert error.line() == "staffing.csv, row 4: field 'specialist_fte': 'x' is not a number"
    assert say_error(error, "en") == error.line()
    assert say_error(error, "da") == (
        "staffing.csv, row 4: feltet 'specialist_fte': 'x' er ikke et tal")
    plain = InputError("a.yaml", "", "year", "too early")
    assert say_error(plain, "da") == plain.line()
