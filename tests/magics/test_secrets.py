"""Secret values: from the environment or a masked prompt, never inline, never shown."""

from __future__ import annotations

import sys

import pytest
from IPython.core.error import StdinNotImplementedError

from .conftest import CODE

VALUE = "s3cr3t-Value-4711"


@pytest.fixture
def declared(cell):
    return cell(f"%%action greet --trigger post-login --secret API_KEY\n{CODE}")


def _secret(tenant, name="API_KEY"):
    return {s.name: s for s in tenant.list_secrets("greet")}[name]


@pytest.mark.parametrize(
    "line",
    [
        f"%action secret greet API_KEY={VALUE}",
        f"%action secret greet API_KEY {VALUE}",
        f"%action secret greet API_KEY --value {VALUE}",
        f"%action secret greet API_KEY --from-env HOME {VALUE}",
    ],
)
def test_a_value_written_in_the_line_is_refused(declared, usage_error, tenant, line) -> None:
    message = usage_error(line)
    assert message.startswith("secret values are never written in a notebook")
    assert VALUE not in message
    assert not _secret(tenant).is_set


def test_a_value_in_the_cell_line_is_refused(usage_error, tenant) -> None:
    message = usage_error(f"%%action greet --trigger post-login --secret API_KEY={VALUE}\n{CODE}")
    assert message.startswith("secret values are never written") and VALUE not in message
    assert tenant.list_actions() == []


def test_from_env_sets_the_value_and_shows_only_the_name(declared, ip, cell, tenant, monkeypatch) -> None:
    monkeypatch.setenv("GREET_API_KEY", VALUE)
    info = cell("%action secret greet API_KEY --from-env GREET_API_KEY")
    assert info.name == "API_KEY" and info.is_set
    shown = ip.display_formatter.format(info)[0]["text/plain"]
    assert shown.startswith("secret API_KEY: set") and VALUE not in shown
    assert "API_KEY (set)" in cell("%action show greet").as_text()
    assert tenant.test("greet").results[0]["response"]["error"] is None


def test_an_unset_environment_variable_is_a_usage_error(declared, usage_error, monkeypatch) -> None:
    monkeypatch.delenv("GREET_API_KEY", raising=False)
    assert "environment variable GREET_API_KEY is not set" in usage_error(
        "%action secret greet API_KEY --from-env GREET_API_KEY"
    )


def test_a_terminal_gets_a_masked_prompt(declared, cell, tenant, monkeypatch) -> None:
    prompts = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or VALUE)
    assert cell("%action secret greet API_KEY").is_set
    assert prompts == ["value for API_KEY of greet (hidden): "]
    assert _secret(tenant).is_set


def test_a_kernel_without_stdin_needs_from_env_or_a_stored_value(
    declared, ip, cell, usage_error, tenant, monkeypatch
) -> None:
    """As under papermill: ipykernel's getpass raises StdinNotImplementedError."""

    def refuse(prompt):
        raise StdinNotImplementedError("getpass was called, but this frontend does not support input requests.")

    monkeypatch.setattr(ip, "kernel", object(), raising=False)
    monkeypatch.setattr("getpass.getpass", refuse)
    message = usage_error("%action secret greet API_KEY")
    assert "cannot prompt for API_KEY" in message and "--from-env VAR" in message

    tenant.set_secret("greet", "API_KEY", VALUE)
    kept = cell("%action secret greet API_KEY")  # a headless re-run keeps the stored value
    assert kept.is_set and kept.updated_at == _secret(tenant).updated_at


def test_a_script_without_a_terminal_does_not_prompt(declared, usage_error, monkeypatch) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("prompted without a terminal"))
    assert "cannot prompt for API_KEY" in usage_error("%action secret greet API_KEY")
