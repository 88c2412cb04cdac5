"""Test package: built as a platform wheel (see pyproject.toml)."""

__version__ = "1.0"
