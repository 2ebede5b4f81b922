"""The meeting pack: the HTML report printed to an A4 PDF by headless Chromium (Debian's
``chromium``, which the set-up installs for the browser tests), with the report's print
style (``@page`` A4, a front page, no navigation). No Python PDF library is needed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bassplan.data.files import write_bytes_atomic
from bassplan.domain.errors import BassError
from bassplan.domain.results import Evaluation, Scorecard
from bassplan.i18n.words import Lang
from bassplan.report.html import build_report_context, render_report
from bassplan.report.program import ProgramPack

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
CHROMIUM_ENV = "BASS_CHROMIUM"  # a path that overrides the search on PATH
TIMEOUT_SECONDS = 180.0


class PdfError(BassError):
    """The PDF could not be made: no Chromium, or Chromium failed (one line says why)."""


def find_chromium() -> str:
    """The Chromium executable: $BASS_CHROMIUM, else the first of CHROMIUM_NAMES on PATH;
    PdfError naming the fix if there is none."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        if shutil.which(named) is None:
            raise PdfError(f"{CHROMIUM_ENV}={named} is not an executable; "
                           "point it at chromium or unset it")
        return named
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    raise PdfError("chromium is not installed, so no PDF can be written; install Debian's "
                   "chromium (apt-get install chromium) or set BASS_CHROMIUM")


def html_to_pdf(html: str, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Print a self-contained HTML page to PDF bytes with headless Chromium (the page's
    own @page rules set the paper; no header or footer lines are added)."""
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="bass-pdf-") as tmp:
        page, pdf = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-extensions", "--hide-scrollbars",
            f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer",
            "--print-to-pdf-no-header", f"--print-to-pdf={pdf}", page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"chromium did not finish the PDF within {timeout:.0f} s") from None
        if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
            raise PdfError(f"chromium could not print the PDF (exit {done.returncode}): "
                           f"{last[:300]}")
        return pdf.read_bytes()


def meeting_pack_pdf(
    evaluation: Evaluation,
    scorecard: Scorecard,
    *,
    lang: Lang = "da",
    baseline: tuple[Evaluation, Scorecard] | None = None,
    date: str | None = None,
    program: ProgramPack | None = None,
) -> bytes:
    """The meeting pack of one scenario (against ``baseline`` when given, with the
    program's deliverables and recent decisions when ``program`` is given) as PDF bytes."""
    context = build_report_context(evaluation, scorecard, lang=lang, baseline=baseline,
                                   date=date, program=program)
    return html_to_pdf(render_report(context, pack=True))


def write_pdf(
    path: Path,
    evaluation: Evaluation,
    scorecard: Scorecard,
    *,
    lang: Lang = "da",
    baseline: tuple[Evaluation, Scorecard] | None = None,
    program: ProgramPack | None = None,
) -> Path:
    """Write the meeting pack PDF atomically to path (the PDF is made before path changes)."""
    content = meeting_pack_pdf(evaluation, scorecard, lang=lang, baseline=baseline,
                               program=program)
    return write_bytes_atomic(Path(path), content)
