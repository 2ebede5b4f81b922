"""Shared fixtures: the toy region of tests/toy.py."""

from __future__ import annotations

import pytest

from bassplan.domain.region import Region
from tests.support.toy import toy_region


@pytest.fixture
def toy() -> Region:
    """The 3-area, 2-site, 1-specialty toy region."""
    return toy_region()
