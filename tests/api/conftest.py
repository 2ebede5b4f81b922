"""API test fixtures (defined in api_support, which the tests also import helpers from;
a module of its own because every conftest is imported under the same name)."""

from tests.support.api import any_client, app, client, sessions

__all__ = ["any_client", "app", "client", "sessions"]
