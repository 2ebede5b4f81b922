"""Page test fixtures (defined in web_support; see tests/api/conftest.py for why)."""

from tests.support.web import web, web_app

__all__ = ["web", "web_app"]
