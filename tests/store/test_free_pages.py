"""Deleted and replaced content does not survive in SQLite's free space: the store turns
``secure_delete`` on. Some SQLite builds (Debian's) have it on by default, others (python.org's,
macOS') do not, so here every connection starts with it off."""

from __future__ import annotations

import sqlite3

import pytest

from jupyter_actions import Tenant
from jupyter_actions.triggers import get_trigger
from tests.conftest import POST_LOGIN_CODE


@pytest.fixture
def without_secure_delete(monkeypatch) -> None:
    connect = sqlite3.dbapi2.connect  # what SQLAlchemy's pysqlite dialect calls

    def insecure(*args, **kwargs) -> sqlite3.Connection:
        made = connect(*args, **kwargs)
        made.execute("PRAGMA secure_delete=OFF")
        return made

    monkeypatch.setattr(sqlite3.dbapi2, "connect", insecure)


def _files(tenant: Tenant) -> bytes:
    """Every byte of the tenant's files, once the WAL is written into the database."""
    db = sqlite3.connect(tenant.directory / "tenant.db")
    try:
        assert db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    finally:
        db.close()
    return b"".join(path.read_bytes() for path in sorted(tenant.directory.iterdir()) if path.is_file())


def _ciphertext(tenant: Tenant) -> bytes:
    with tenant.store.read() as conn:
        return conn.exec_driver_sql("SELECT ciphertext FROM secrets WHERE name = 'API_KEY'").scalar().encode()


def test_a_rotated_value_and_a_deleted_case_leave_no_bytes_behind(actions_home, without_secure_delete):
    note = b"a distinctive payload note 7f1c2a"
    with Tenant() as tenant:
        tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, secrets=["API_KEY"])
        tenant.set_secret("hello", "API_KEY", "first-value-of-the-key")
        old = _ciphertext(tenant)
        payload = {**get_trigger("post-login").sample_payload(), "note": note.decode()}
        tenant.save_test_case("hello", "case", payload, expected={"status": "allowed"})
        before = _files(tenant)
        assert old in before and note in before

        tenant.set_secret("hello", "API_KEY", "the second value, longer than the first")
        tenant.delete_test_case("hello", "case")
        after = _files(tenant)
    assert old not in after
    assert note not in after  # without secure_delete the case's overflow pages keep it on the freelist
