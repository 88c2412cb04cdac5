"""Test package: the second release of ja-hello, which needs ja-dep."""

from ja_dep import greet

__version__ = "2.0"
