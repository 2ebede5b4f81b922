"""bassplan: plan population responsibility and strength positions for internal medicine."""

__version__ = "0.1.0"
