"""Shared fixtures: every test gets its own JUPYTER_ACTIONS_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

POST_LOGIN_CODE = '''
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/email", event.user.email)
'''


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
    from jupyter_actions.engine import pools

    pools.close_all()


@pytest.fixture
def tenant(actions_home):
    from jupyter_actions import Tenant

    with Tenant() as opened:
        yield opened


@pytest.fixture
def run_cli(actions_home):
    """Run ``jupyter-actions ARGS`` in a real process; returns the CompletedProcess."""

    def run(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "jupyter_actions", *args],
            input=stdin, capture_output=True, text=True, timeout=120,
            env={**os.environ, **(env or {})},
        )

    return run
