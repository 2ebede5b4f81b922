"""Shared fixtures: the toy region and the bundled region."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from toy import toy_region  # noqa: E402

from bassplan.domain import Region  # noqa: E402


@pytest.fixture
def toy() -> Region:
    """The 3-area, 2-site, 1-specialty toy region of tests/toy.py."""
    return toy_region()
