"""The CLI words the remedies of errors raised below it as CLI commands."""

from __future__ import annotations

from jupyter_actions.cli import main
from tests.conftest import POST_LOGIN_CODE


def _error(capsys, *argv: str) -> str:
    assert main(list(argv)) == 1
    out, err = capsys.readouterr()
    return err


def test_action_not_found_names_the_cli_command(capsys) -> None:
    assert _error(capsys, "deploy", "ghost") == (
        "error: action 'ghost' does not exist: list actions with `jupyter-actions actions list`\n"
    )


def test_missing_secret_names_the_cli_command(capsys, tenant, tmp_path) -> None:
    tenant.save_draft("greet", "post-login", POST_LOGIN_CODE, secrets=["API_KEY"])
    tenant.close()
    assert _error(capsys, "deploy", "greet") == (
        "error: secret API_KEY of greet has no value: set it before deploying (`jupyter-actions secrets set greet API_KEY`)\n"
    )
