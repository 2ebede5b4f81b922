"""The meeting pack PDF: `bass report --pdf` prints the report with Debian's chromium to A4
(portrait, wide tables on landscape pages), read back here page by page; without chromium
the command says so in one line. Skipped without chromium, except in CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bassplan.cli.main import main
from bassplan.data import load_region
from bassplan.store import organisation, program
from bassplan.store.engine import make_engine, session_factory, upgrade
from bassplan.store.models import Deliverable
from tests.support.paths import EXAMPLES

A4_PT = (595.276, 841.89)  # 210 × 297 mm in PostScript points (72 per inch)
HAS_CHROMIUM = shutil.which("chromium") is not None
needs_chromium = pytest.mark.skipif(not HAS_CHROMIUM and not os.environ.get("CI"),
                                    reason="Debian's chromium is not installed")


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """Run the real entry point (with its error handling) and return the exit code."""
    monkeypatch.setattr(sys, "argv", ["bass", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    return int(exit_info.value.code or 0)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's MediaBox width × height in points, in document order: the page tree's
    /Kids from the catalogue's /Pages down (Skia writes these objects uncompressed)."""
    objects = {int(m.group(1)): m.group(2)
               for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S)}

    def ref(body: bytes, key: bytes) -> int:
        found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
        assert found is not None, key
        return int(found.group(1))

    def leaves(number: int) -> list[int]:
        body = objects[number]
        if re.search(rb"/Type\s*/Pages\b", body):
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
            assert kids is not None
            return [leaf for k in re.findall(rb"(\d+) 0 R", kids.group(1))
                    for leaf in leaves(int(k))]
        return [number]

    catalogue = next(n for n, b in objects.items() if re.search(rb"/Type\s*/Catalog\b", b))
    sizes = []
    for page in leaves(ref(objects[catalogue], b"Pages")):
        box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]",
                        objects[page])
        assert box is not None
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        sizes.append((x1 - x0, y1 - y0))
    return sizes


def page_text(path: Path, page: int) -> str:
    """The text of one page (1-based) by poppler's pdftotext."""
    done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout",
                           str(path), "-"], capture_output=True, check=True, text=True)
    return done.stdout


@needs_chromium
def test_the_meeting_pack_is_an_a4_pdf_with_front_page_and_sections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./bass.sqlite here: the pack without a program section
    monkeypatch.delenv("BASS_DATABASE_URL", raising=False)
    target = tmp_path / "pakke.pdf"
    code = run_main(monkeypatch, "report", str(EXAMPLES / "bass_2030.yaml"), "--compare",
                    str(EXAMPLES / "baseline.yaml"), "--pdf", str(target))
    assert code == 0
    assert "Ingen programdatabase" in capsys.readouterr().err
    assert not (tmp_path / "bass.sqlite").exists()  # nothing created by a report
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF-")
    sizes = page_sizes(pdf)
    portrait = [abs(w - A4_PT[0]) < 1 and abs(h - A4_PT[1]) < 1 for w, h in sizes]
    landscape = [abs(w - A4_PT[1]) < 1 and abs(h - A4_PT[0]) < 1 for w, h in sizes]
    assert all(p or q for p, q in zip(portrait, landscape, strict=True))  # A4 every page
    # front page, overview, colour changes and maps portrait; each of the wide tables one
    # landscape: per specialty, the heat-map, the comparison table and the responsibility
    assert portrait[0] and portrait[1] and landscape.count(True) == 4 and landscape[2]
    assert 6 <= len(sizes) <= 20
    assert b"BASS 2030" in pdf or "BASS 2030".encode("utf-16-be").hex().upper().encode() in pdf
    if shutil.which("pdftotext") is None:
        return  # scripts/test.sh installs poppler-utils; the sizes above are read regardless
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True)
    assert f"Pages:{' ' * 11}{len(sizes)}" in info.stdout and "(A4)" in info.stdout
    front = page_text(target, 1)
    fingerprint = load_region().data_version.fingerprint
    for text in ("MØDEPAKKE", "Region Sjælland", "Scenarie: BASS 2030 · År: 2030",
                 "Sammenligning: Baseline 2026 → BASS 2030", "Dataversion",
                 f"fingeraftryk {fingerprint}", "ingen importerede tabeller",
                 "Illustrative input", "Inputtabeller: Specialer",
                 "Pensionisters andel af patientture"):
        assert text in front, text
    assert "Oversigt" in page_text(target, 2)
    wide = [i + 1 for i, flag in enumerate(landscape) if flag]
    assert "Pr. speciale" in page_text(target, wide[0])
    assert "Scorecard" in page_text(target, wide[1])
    last = page_text(target, wide[3])
    assert "Populationsansvar" in last and "Lolland" in last and "Odsherred" in last
    everything = "".join(page_text(target, p) for p in range(1, len(sizes) + 1))
    assert "Indikatorer der skifter farve" in everything
    assert "Den fulde indikatorliste står i HTML-rapporten" in everything


def test_without_chromium_the_command_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on this PATH
    monkeypatch.delenv("BASS_CHROMIUM", raising=False)
    target = tmp_path / "pakke.pdf"
    code = run_main(monkeypatch, "report", str(EXAMPLES / "baseline.yaml"), "--pdf", str(target))
    err = capsys.readouterr().err
    assert code == 2 and not target.exists()
    assert err.strip().count("\n") == 0
    assert "chromium is not installed" in err and "apt-get install chromium" in err


def test_a_bad_chromium_override_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BASS_CHROMIUM", str(tmp_path / "nowhere"))
    code = run_main(monkeypatch, "report", str(EXAMPLES / "baseline.yaml"), "--pdf",
                    str(tmp_path / "x.pdf"))
    assert code == 2
    assert f"BASS_CHROMIUM={tmp_path / 'nowhere'} is not an executable" in capsys.readouterr().err


@needs_chromium
def test_the_command_lines_pack_reads_the_program_from_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'program.sqlite'}"
    upgrade(url)
    sessions = session_factory(make_engine(url))
    program.create_work_item(sessions, Deliverable, {
        "title": "Vagtplan Nykøbing", "status": "i_gang", "due_date": date(2020, 1, 31)})
    steering = next(b.id for b in organisation.list_bodies(sessions)
                    if b.name == "Implementeringsstyregruppe")
    meeting = program.create_meeting(sessions, date=date(2020, 2, 3), title="Seneste møde",
                                     body_id=steering)
    program.add_decision(sessions, meeting_id=meeting.id, text="Kardiologi samles i Køge")
    target = tmp_path / "pakke.pdf"
    assert run_main(monkeypatch, "report", str(EXAMPLES / "baseline.yaml"), "--database", url,
                    "--pdf", str(target)) == 0
    if shutil.which("pdftotext") is None:
        return
    pages = len(page_sizes(target.read_bytes()))
    flat = " ".join(" ".join(page_text(target, p) for p in range(1, pages + 1)).split())
    assert "Programmet: leverancer og beslutninger" in flat
    assert "Vagtplan Nykøbing" in flat and "Frist overskredet" in flat
    assert "Kardiologi samles i Køge" in flat


@needs_chromium
def test_a_bad_database_url_is_one_line_and_no_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "pakke.pdf"
    code = run_main(monkeypatch, "report", str(EXAMPLES / "baseline.yaml"), "--database",
                    "nonsense://", "--pdf", str(target))
    err = capsys.readouterr().err
    assert code == 2 and not target.exists()
    assert err.strip().count("\n") == 0 and "nonsense://" in err
    assert "not a usable database URL" in err
