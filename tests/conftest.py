"""Shared fixtures: every test gets its own JUPYTER_ACTIONS_HOME."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.postgres import postgres_url  # noqa: F401 - a real PostgreSQL server, for the tests that ask

POST_LOGIN_CODE = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/email", event.user.email)
"""
READS_SECRETS = """
import hashlib

async def on_execute_post_login(event, api):
    for name in ("API_KEY", "OTHER"):
        api.id_token.set_custom_claim(name, hashlib.sha256(event.secrets[name].encode()).hexdigest())
"""
"""An action that shows its secrets API_KEY and OTHER as claims, by digest (see ``digest``)."""


def digest(value: str) -> str:
    """What READS_SECRETS claims for a secret holding ``value``."""
    return hashlib.sha256(value.encode()).hexdigest()


@pytest.fixture(autouse=True)
def actions_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("JUPYTER_ACTIONS_HOME", str(home))
    for name in ("JUPYTER_ACTIONS_TENANT", "JUPYTER_ACTIONS_MASTER_KEY", "JUPYTER_ACTIONS_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(autouse=True)
def _close_worker_pools():
    """Tests use throwaway environments; stop their workers instead of keeping them warm."""
    yield
    from jupyter_actions.engine import resources

    resources.close_all()


@pytest.fixture
def tenant(actions_home):
    from jupyter_actions import Tenant

    with Tenant() as opened:
        yield opened


class Ran(NamedTuple):
    """What one ``jupyter-actions`` command did: its exit status and what it printed."""

    status: int
    out: str
    err: str


@pytest.fixture
def cli(actions_home, capsys, monkeypatch) -> Callable[..., Ran]:
    """Run ``jupyter-actions ARGS`` in this process, through ``main(argv)`` as the console script
    does: ``cli("deploy", "hello", stdin=b"...", env={"VAR": "value"}, tenant="prod")``.

    stdin is bytes (or text, sent as UTF-8); env and tenant hold for this one command only;
    JUPYTER_ACTIONS_HOME is the test's own home (the ``actions_home`` fixture)."""
    from jupyter_actions.cli import main

    def run(*args: str, stdin: bytes | str = b"", env: dict[str, str] | None = None, tenant: str | None = None) -> Ran:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        with monkeypatch.context() as scoped:
            for name, value in {**(env or {}), **({"JUPYTER_ACTIONS_TENANT": tenant} if tenant else {})}.items():
                scoped.setenv(name, value)
            scoped.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
            capsys.readouterr()  # what the test printed before is not the command's
            status = main(list(args))
            out, err = capsys.readouterr()
        return Ran(status, out, err)

    return run


@pytest.fixture
def refused(cli, actions_home) -> Callable[..., str]:
    """Run a command that must be refused and return its one line: ``error: ...`` on stderr,
    nothing on stdout, no traceback, status 1 (or the given one), every tenant's store as it was
    (when there was one before)."""
    from tests.cli.stored import stored

    def check(*args: str, status: int = 1, stdin: bytes | str = b"", env: dict[str, str] | None = None) -> str:
        before = stored(actions_home) if (actions_home / "tenants").exists() else None
        result = cli(*args, stdin=stdin, env=env)
        assert result.status == status, result
        assert result.out == "" and "Traceback" not in result.err, result
        assert result.err.count("\n") == 1 and result.err.startswith("error: "), result.err
        if before is not None:
            assert stored(actions_home) == before
        return result.err.strip()

    return check


@pytest.fixture
def run_cli(actions_home):
    """Run ``jupyter-actions ARGS`` in a real process; returns the CompletedProcess. Only for
    tests where the process boundary is the point (exit status of a process, signals, argv);
    everything else uses the in-process ``cli`` fixture."""

    def run(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "jupyter_actions", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, **(env or {})},
        )

    return run


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory) -> Path:
    """Wheels of the tiny packages in tests/deps/packages (ja-hello 1.0 and 2.0, ja-dep ...)."""
    from tests.deps.wheelhouse import build_wheelhouse

    return build_wheelhouse(tmp_path_factory.mktemp("wheelhouse"))


@pytest.fixture
def offline(tenant, wheelhouse):
    """The tenant, installing packages from the local wheelhouse only."""
    tenant.configure("find_links", str(wheelhouse))
    tenant.configure("offline", True)
    return tenant


@pytest.fixture
def corrupt_wheelhouse(tmp_path) -> Path:
    """A folder with `ja-corrupt`, whose wheel resolves but fails to install (a bad CRC)."""
    from tests.deps.wheelhouse import build_corrupt_wheelhouse

    return build_corrupt_wheelhouse(tmp_path)
