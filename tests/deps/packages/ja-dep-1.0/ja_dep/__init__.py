"""Test package: a dependency of ja-hello 2.0."""

__version__ = "1.0"


def greet(name: str) -> str:
    return f"hello {name}"
