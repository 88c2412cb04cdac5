"""Test package: the first release of ja-hello, no dependencies."""

__version__ = "1.0"
