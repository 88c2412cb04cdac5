"""The store's files: private modes, made whole, and a damaged file refused in one line with
nothing written (real SQLite files, real CLI processes)."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from jupyter_actions import StoreError, Tenant
from tests.conftest import POST_LOGIN_CODE


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The common default umask, under which files were made 0644 and folders 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_tenant_is_private_to_its_owner(actions_home, open_umask):
    with Tenant() as tenant:
        tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
        tenant.set_secret("hello", "TOKEN", "a-value-to-encrypt")
        files = {p.name: mode(p) for p in tenant.directory.iterdir()}
        assert mode(tenant.directory) == 0o700
        assert files == {"tenant.db": 0o600, "tenant.db-wal": 0o600, "tenant.db-shm": 0o600, "master.key": 0o600}


def test_looser_modes_of_an_existing_store_are_tightened_with_a_warning(actions_home, open_umask, caplog):
    with Tenant() as tenant:
        tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
        directory, database = tenant.directory, tenant.directory / "tenant.db"
    os.chmod(directory, 0o755)
    os.chmod(database, 0o644)
    with caplog.at_level(logging.WARNING, logger="jupyter_actions"), Tenant() as reopened:
        assert [a.name for a in reopened.list_actions()] == ["hello"]
    assert (mode(directory), mode(database)) == (0o700, 0o600)
    warnings = [r.getMessage() for r in caplog.records]
    assert f"{database} had mode 644; changed it to 600 so that only its owner can use it" in warnings
    assert f"{directory} had mode 755; changed it to 700 so that only its owner can use it" in warnings


def test_creation_leaves_no_temporary_file(actions_home):
    with Tenant() as tenant:
        names = sorted(p.name for p in tenant.directory.iterdir())
    assert names in (["tenant.db"], ["tenant.db", "tenant.db-shm", "tenant.db-wal"]), names


# Damaged stores ---------------------------------------------------------------------------------


def store_at_rest(run_cli, actions_home: Path) -> Path:
    """A store written by CLI processes that have all ended: no connection is left open (real
    processes: the point is a store that nothing in this process holds open, not even a record
    writer of the run)."""
    for args in (["save", "hello", "--trigger", "post-login", "--code", "-"], ["test", "hello"]):
        assert run_cli(*args, stdin=POST_LOGIN_CODE).returncode == 0
    path = actions_home / "tenants" / "default" / "tenant.db"
    assert sorted(p.name for p in path.parent.iterdir()) == ["tenant.db"]
    return path


def scramble_after_first_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for index in range(4096, len(data)):
        data[index] = (data[index] * 7 + 3) & 0xFF
    path.write_bytes(bytes(data))


def foreign_database(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
        conn.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    conn.close()


DAMAGE = {
    "empty": (
        lambda path: path.write_bytes(b""),
        (
            "the tenant store {path} is empty (0 bytes), not a jupyter-actions store: restore it from a backup, "
            "or delete it to start an empty tenant"
        ),
    ),
    "garbage": (
        lambda path: path.write_bytes(os.urandom(8192)),
        (
            "{path} is not a jupyter-actions store (not a SQLite database): restore it from a backup, or move "
            "it away to start an empty tenant"
        ),
    ),
    "scrambled": (
        scramble_after_first_page,
        (
            "the tenant store {path} is corrupt (database disk image is malformed): restore it from a backup, "
            "or move it away to start an empty tenant"
        ),
    ),
    "foreign": (
        foreign_database,
        (
            "{path} is a SQLite database but not a jupyter-actions store (it has no meta table): point "
            "--database-url at a store, or move the file away"
        ),
    ),
}
READERS = (["actions", "list"], ["executions", "list"], ["versions", "hello"], ["flows", "show", "post-login"])


@pytest.mark.slow
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_store_is_one_line_and_stays_as_it_was(actions_home, run_cli, cli, damage):
    path = store_at_rest(run_cli, actions_home)
    spoil, expected = DAMAGE[damage]
    spoil(path)
    before = sorted((p.name, p.read_bytes()) for p in path.parent.iterdir())
    expected = expected.format(path=path)
    with pytest.raises(StoreError) as caught, Tenant() as tenant:  # a scrambled store may open: read it
        tenant.executions()
        tenant.list_actions()
    assert str(caught.value) == expected
    for args in READERS + (["save", "other", "--trigger", "post-login", "--code", "-"],):
        run = cli(*args, stdin=POST_LOGIN_CODE)
        assert (run.status, run.out) == (1, ""), run
        assert run.err == f"error: {expected}\n", run.err
    assert sorted((p.name, p.read_bytes()) for p in path.parent.iterdir()) == before
