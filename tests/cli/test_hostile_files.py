"""Hostile files given to the `bass` command: a scenario and a region directory are read
within the bounds of ``domain.limits``; each broken bound stops the command with one line
naming the file and the rule and exit code 2, at once and in bounded memory."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bassplan.data import load_region, load_scenario
from bassplan.data.loaders import bundled_region_dir
from bassplan.domain import limits
from bassplan.domain.errors import InputError
from tests.cli.test_main import run_main
from tests.support import hostile
from tests.support.paths import EXAMPLES

# Run the command in argv in a child and print its exit code, seconds and peak RSS (kB) on one line:
# the child's own peak, as the kernel counted it (getrusage of the waited-for children).
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(done.stderr)
print(done.returncode, f"{seconds:.3f}", peak)
"""


def measured(*args: str) -> tuple[int, float, int, str]:
    """(exit code, seconds, peak RSS in kB, stderr) of `bass ARGS` run in a child."""
    bass = Path(sys.executable).parent / "bass"  # the installed command
    done = subprocess.run([sys.executable, "-c", MEASURE, str(bass), *args],
                          capture_output=True, text=True, check=True, timeout=300)
    code, seconds, peak = done.stdout.split()
    return int(code), float(seconds), int(peak), done.stderr


def test_bass_evaluate_refuses_the_alias_bomb_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "bombe.yaml"
    bomb.write_text(hostile.alias_bomb(), encoding="utf-8")
    code, _, peak, stderr = measured("evaluate", str(bomb))
    assert code == 2, stderr
    assert stderr.count("\n") == 1 and str(bomb) in stderr and "aliases included" in stderr
    # the ordinary costs, measured the same way: evaluating the baseline scenario, and
    # starting the command at all (Python and its imports: most of the time)
    ok_code, _, ok_peak, _ = measured("evaluate", str(EXAMPLES / "baseline.yaml"))
    assert ok_code == 0
    # the issue: 2.2 GB and still going after 60 s; now refused before the region is loaded
    # (how fast: benchmarks/bench_hostile.py)
    assert peak <= ok_peak


def test_reading_the_alias_bomb_is_refused_by_the_loader(tmp_path: Path) -> None:
    bomb = tmp_path / "bombe.yaml"
    bomb.write_text(hostile.alias_bomb(), encoding="utf-8")
    region = load_region()
    with pytest.raises(InputError, match="aliases included"):
        load_scenario(bomb, region)


@pytest.mark.parametrize(("text", "rule"), [
    (hostile.deep_yaml(), f"nested deeper than {limits.MAX_YAML_DEPTH} levels"),
    (hostile.deep_yaml(100_000), f"nested deeper than {limits.MAX_YAML_DEPTH} levels"),
    ("name: stor\n" + "#" * limits.MAX_YAML_BYTES, f"larger than {limits.MAX_YAML_BYTES:,}"),
    ("a: &x [1]\nb: [" + ",".join(["*x"] * (limits.MAX_YAML_ALIASES + 1)) + "]\n",
     f"more than {limits.MAX_YAML_ALIASES} aliases"),
])
def test_bass_evaluate_refuses_unbounded_yaml(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path, text: str, rule: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    assert run_main(monkeypatch, "evaluate", str(path)) == 2
    err = capsys.readouterr().err
    assert str(path) in err and rule in err


@pytest.fixture
def region(tmp_path: Path) -> Path:
    """A writable copy of the bundled region (sources/ left out)."""
    target = tmp_path / "region"
    shutil.copytree(bundled_region_dir(), target, ignore=shutil.ignore_patterns("sources"))
    return target


def dk(number: int) -> str:
    """A whole number as a Danish line writes it (the CLI speaks Danish unless --lang en)."""
    return f"{number:,}".replace(",", ".")


def check_fails(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                region: Path) -> str:
    """Run `bass data check REGION`: exit code 2; its one line on stderr."""
    assert run_main(monkeypatch, "data", "check", str(region)) == 2
    return capsys.readouterr().err


def test_a_region_table_with_too_many_rows(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str],
                                           region: Path) -> None:
    (region / "staffing.csv").write_bytes(hostile.many_rows_csv())
    err = check_fails(monkeypatch, capsys, region)
    assert "staffing.csv" in err and f"mere end {dk(limits.MAX_TABLE_ROWS)} rækker" in err


def test_a_region_table_with_too_many_rows_in_quotes(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str],
                                                     region: Path) -> None:
    # quoted cells: the rows are counted while reading (a line is not always a row)
    line = b'"kardiologi","holbaek",1,1,1,1\n'
    head = ",".join(hostile.STAFFING_HEADER).encode() + b"\n"
    (region / "staffing.csv").write_bytes(head + line * (limits.MAX_TABLE_ROWS + 1))
    err = check_fails(monkeypatch, capsys, region)
    assert f"mere end {dk(limits.MAX_TABLE_ROWS)} rækker" in err


def test_a_region_table_with_a_long_cell(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str],
                                         region: Path) -> None:
    (region / "staffing.csv").write_bytes(hostile.long_cell_csv())
    err = check_fails(monkeypatch, capsys, region)
    assert "staffing.csv, row 2: feltet 'specialty_id'" in err
    assert f"en celle rummer højst {dk(limits.MAX_FIELD_CHARS)}" in err


def test_a_region_table_too_large_to_read(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str],
                                          region: Path) -> None:
    with (region / "staffing.csv").open("r+b") as table:
        table.truncate(limits.MAX_TABLE_FILE_BYTES + 1)  # sparse: refused by its size alone
    err = check_fails(monkeypatch, capsys, region)
    assert f"højst {dk(limits.MAX_TABLE_FILE_BYTES)} kan læses" in err


def test_a_region_workbook_that_is_a_zip_bomb(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              region: Path) -> None:
    (region / "staffing.csv").unlink()
    (region / "staffing.xlsx").write_bytes(hostile.xlsx_bomb())
    err = check_fails(monkeypatch, capsys, region)
    assert "staffing.xlsx" in err and "så tæt pakkes et regneark ikke" in err


def test_a_region_file_that_is_an_alias_bomb(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str],
                                             region: Path) -> None:
    meta = region / "region.yaml"
    bomb = hostile.alias_bomb().split("strength_positions:", 1)[1].replace("kardiologi", "x")
    meta.write_text(meta.read_text(encoding="utf-8") + "bomb:" + bomb, encoding="utf-8")
    err = check_fails(monkeypatch, capsys, region)
    assert "region.yaml" in err and "aliases included" in err
