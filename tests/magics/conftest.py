"""A real IPython shell (no frontend) with the extension loaded against the test's own tenant."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.testing import globalipapp

from tests.deps.wheelhouse import build_wheelhouse

EXTENSION = "jupyter_actions"

CODE = """\
async def on_execute_post_login(event, api):
    print("hello", event.user.email)
    api.id_token.set_custom_claim("https://example.com/email", event.user.email)
"""


@pytest.fixture
def ip(actions_home):
    globalipapp.start_ipython()  # once per process; later calls do nothing
    shell = globalipapp.get_ipython()
    shell.run_line_magic("load_ext", EXTENSION)
    yield shell
    shell.run_line_magic("unload_ext", EXTENSION)
    shell.user_ns.pop("payload", None)


@pytest.fixture
def cell(ip):
    """Run a cell; return its result, re-raising an error so that tests fail loudly."""

    def run(text: str):
        result = ip.run_cell(text)
        if result.error_in_exec is not None:
            raise result.error_in_exec
        return result.result

    return run


@pytest.fixture
def usage_error(ip, capsys):
    """Run a cell that must fail with a one-line UsageError; return the message."""

    def run(text: str) -> str:
        capsys.readouterr()
        result = ip.run_cell(text)
        error = result.error_in_exec
        assert type(error) is UsageError, f"{text!r} raised {error!r}"  # exactly: subclasses get tracebacks
        message = str(error)
        assert message and "\n" not in message
        shown = capsys.readouterr()
        assert "Traceback" not in shown.out + shown.err
        assert f"UsageError: {message}" in shown.err
        return message

    return run


@pytest.fixture
def saved(cell):
    """``greet`` saved as a post-login draft."""
    return cell(f"%%action greet --trigger post-login\n{CODE}")


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory) -> Path:
    return build_wheelhouse(tmp_path_factory.mktemp("wheelhouse"))


@pytest.fixture
def offline_index(wheelhouse, monkeypatch) -> None:
    """Dependencies resolve from the deps tests' local wheelhouse (ja-hello, ja-dep), offline."""
    monkeypatch.setenv("JUPYTER_ACTIONS_FIND_LINKS", str(wheelhouse))
    monkeypatch.setenv("JUPYTER_ACTIONS_OFFLINE", "1")
