"""Page test fixtures (defined in web_support; see tests/api/conftest.py for why)."""

from web_support import web, web_app

__all__ = ["web", "web_app"]
