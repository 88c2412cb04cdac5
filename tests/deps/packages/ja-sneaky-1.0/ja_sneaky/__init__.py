"""Test package: a pure-tagged wheel that still ships a shared library file."""

__version__ = "1.0"
