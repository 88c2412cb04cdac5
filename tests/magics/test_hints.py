"""Notebook users are told magics, never CLI commands."""

from __future__ import annotations

from tests.magics.conftest import CODE


def test_action_not_found_names_the_magic(usage_error) -> None:
    assert usage_error("%action deploy ghost") == "action 'ghost' does not exist: list actions with `%action list`"


def test_missing_secret_names_the_magic(cell, usage_error) -> None:
    cell("%%action greet --trigger post-login --secret API_KEY\n" + CODE)
    assert usage_error("%action deploy greet") == (
        "secret API_KEY of greet has no value: set it before deploying (`%action secret greet API_KEY`)"
    )


def test_other_remedies_name_magics_too(cell, usage_error) -> None:
    cell("%%action greet --trigger post-login\n" + CODE)
    cell("%action deploy greet")
    cell("%action bind post-login greet")
    message = usage_error("%action deps remove greet nosuch")
    assert message == "greet has no dependency 'nosuch': list them with `%action deps list greet`"
    assert "jupyter-actions" not in usage_error("%action logs 0123456789abcdef")
