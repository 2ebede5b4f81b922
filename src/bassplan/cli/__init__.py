"""The ``bass`` command."""
