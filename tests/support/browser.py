"""Debian's chromium for the browser tests: the module gate (skip without it, fail in CI) and
one headless browser per test module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")


def require_chromium() -> None:
    """Skip the calling module without Debian's chromium; in CI its absence is a failure."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail("CI needs Debian's chromium at /usr/bin/chromium (scripts/test.sh installs "
                    "it)", pytrace=False)
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


def headless_chromium() -> Iterator[Browser]:
    """A launched headless chromium, closed afterwards (wrap it in a module fixture)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()
