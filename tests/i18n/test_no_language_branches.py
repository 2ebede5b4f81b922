"""A guard: words live in the word store, not in branches on the language. Code that picks
Danish or English by comparing the language (``lang == "da"``, ``'da' if lang == 'en'``,
``x.name_da if … else x.name_en``) fails here; the one place that reads a language's
conventions and columns is ``bassplan/i18n/words.py``."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "bassplan"
ALLOWED = {SRC / "i18n" / "words.py"}  # the one formatter (it has no such branch today)
BRANCH = re.compile(
    r"""[=!]==?\s*["'](?:da|en)["']"""  # lang == "da", lang !== 'en' (JS)
    r"""|["'](?:da|en)["']\s*[=!]==?"""  # "da" == lang
    r"""|\b\w+_(?:da|en)\s+if\b"""  # item.name_da if … else item.name_en
    r"""|["'](?:da|en)["']\s+if\b"""  # "da" if … else "en"
    r"""|\bin\s*[({\[]\s*["'](?:da|en)["']\s*,""",  # value in ("da", "en")
)


def _offences() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in {".py", ".html", ".js"} or path in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if BRANCH.search(line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    return found


def test_no_language_branches_in_the_code() -> None:
    assert _offences() == []


def test_the_guard_sees_the_branches_it_forbids() -> None:
    for line in ('return "x" if lang == "da" else "y"', "if (lang === 'en') {",
                 "name = spec.name_da if da else spec.name_en", "{{ 'da' if lang == 'en' }}",
                 'if value not in ("da", "en"):', 'lang != "da"'):
        assert BRANCH.search(line), line
    assert not BRANCH.search('label("specialty", lang)')
