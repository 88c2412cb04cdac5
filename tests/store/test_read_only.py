"""A store this user cannot write is still read: every reading command works, writing is one
line, and not a byte nor a file changes. Real CLI processes on a read-only mount (root too
cannot write there) and, as an unprivileged user, on read-only file modes (root ignores
those: .ci/run repeats this file as the user nobody)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POST_LOGIN_CODE

pytestmark = pytest.mark.slow  # each test writes a store through CLI processes, then reads it read-only

ROOT = os.geteuid() == 0
EXTRA = """
import os
from jupyter_actions import Tenant
tenant = Tenant()
tenant.save_draft("logged", "post-login", "async def on_execute_post_login(event, api):\\n    pass\\n")
os._exit(0)  # no close: what it wrote stays in the write-ahead log
"""


def cli(*args: str, wrap: tuple[str, ...] = (), stdin: str | None = None) -> subprocess.CompletedProcess:
    """A real process, not the in-process ``cli`` fixture: `wrap` runs it in a mount namespace
    (or as another user) where the store is read-only, which only a new process can enter."""
    return subprocess.run(
        [*wrap, sys.executable, "-m", "jupyter_actions", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[2],
        check=False,
    )


@pytest.fixture
def store(actions_home) -> Path:
    """A tenant at rest: an action deployed and bound, a secret, two executions."""
    assert (
        cli(
            "save", "hello", "--trigger", "post-login", "--code", "-", "--secret", "TOKEN", stdin=POST_LOGIN_CODE
        ).returncode
        == 0
    )
    assert cli("secrets", "set", "hello", "TOKEN", stdin="a-value-to-encrypt\n").returncode == 0
    for args in (
        ["deploy", "hello"],
        ["flows", "bind", "post-login", "hello"],
        ["test", "hello"],
        ["test", "hello", "--version", "1"],
    ):
        run = cli(*args)
        assert run.returncode == 0, run.stderr
    directory = actions_home / "tenants" / "default"
    assert sorted(p.name for p in directory.iterdir()) == ["master.key", "tenant.db"]
    return directory


def with_log(directory: Path) -> None:
    """Leave committed data in the write-ahead log, as a process that died would."""
    run = subprocess.run([sys.executable, "-c", EXTRA], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert (directory / "tenant.db-wal").stat().st_size > 0


def snapshot(directory: Path) -> list[tuple[str, bytes, int]]:
    """Every file with its mode and bytes (but the -shm index's, which readers may update)."""
    return sorted(
        (p.name, b"" if p.name.endswith("-shm") else p.read_bytes(), p.stat().st_mode) for p in directory.iterdir()
    )


def reads_everything(wrap: tuple[str, ...], names: list[str]) -> None:
    listed = json.loads(cli("actions", "list", "--json", wrap=wrap).stdout)
    assert sorted(a["name"] for a in listed["actions"]) == names
    executions = cli("executions", "list", "--json", wrap=wrap)
    assert executions.returncode == 0, executions.stderr
    ids = [e["id"] for e in json.loads(executions.stdout)["executions"]]
    assert len(ids) == 2
    for args in (
        ["actions", "show", "hello"],
        ["versions", "hello"],
        ["executions", "show", ids[0]],
        ["flows", "show", "post-login"],
        ["secrets", "list", "hello"],
        ["settings", "list"],
        ["diff", "hello", "1"],
    ):
        run = cli(*args, wrap=wrap)
        assert (run.returncode, run.stderr) == (0, ""), (args, run.stderr)
    refused = cli("save", "other", "--trigger", "post-login", "--code", "-", wrap=wrap, stdin=POST_LOGIN_CODE)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
    assert refused.stderr.startswith("error: the tenant store ") and " is read-only (" in refused.stderr
    assert refused.stderr.endswith("reading works; to change anything make the file and its directory writable\n")


def read_only_mount(directory: Path) -> tuple[str, ...]:
    """A command prefix that runs the command with ``directory`` mounted read-only."""
    user = () if ROOT else ("--map-root-user",)
    probe = ("unshare", "--mount", *user, "--propagation", "private", "true")
    if not shutil.which("unshare") or subprocess.run(probe, capture_output=True, check=False).returncode:
        pytest.skip("no mount namespace for a read-only bind mount here")
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return ("unshare", "--mount", *user, "--propagation", "private", "sh", "-c", script, "sh", str(directory))


@pytest.mark.parametrize("log", [False, True], ids=["at rest", "with a write-ahead log"])
def test_a_read_only_mount_is_read(store, log):
    if log:
        with_log(store)
    before = snapshot(store)
    reads_everything(read_only_mount(store), ["hello", "logged"] if log else ["hello"])
    assert snapshot(store) == before


@pytest.mark.skipif(ROOT, reason="root ignores file modes; .ci/run runs this file again as nobody")
@pytest.mark.parametrize(
    ("file_mode", "dir_mode"), [(0o400, 0o700), (0o600, 0o500), (0o400, 0o500)], ids=["file", "directory", "both"]
)
@pytest.mark.parametrize("log", [False, True], ids=["at rest", "with a write-ahead log"])
def test_read_only_modes_are_read(store, log, file_mode, dir_mode):
    if log:
        with_log(store)
    store.joinpath("tenant.db").chmod(file_mode)
    store.chmod(dir_mode)
    try:
        before = snapshot(store)
        reads_everything((), ["hello", "logged"] if log else ["hello"])
        after = snapshot(store)
    finally:
        store.chmod(0o700)
    assert after == before


def test_loose_modes_of_a_read_only_store_are_warned_about_not_changed(store):
    (store / "tenant.db").chmod(0o644)
    before = snapshot(store)
    run = cli("actions", "list", wrap=read_only_mount(store))
    assert run.returncode == 0 and "hello" in run.stdout
    assert run.stderr == (
        f"{store / 'tenant.db'} has mode 644, so other users may read it, and it is not changed "
        f"here (read-only here): run chmod 600 {store / 'tenant.db'}\n"
    )
    assert snapshot(store) == before
