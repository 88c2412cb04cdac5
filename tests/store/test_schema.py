"""Schema versions: a new store is current; a newer store is refused with a clear error."""

from __future__ import annotations

import sqlite3

import pytest

from jupyter_actions import StoreError, Tenant
from jupyter_actions.store.migrations import SCHEMA_VERSION


def test_new_store_is_at_current_schema_in_wal_mode(tenant):
    with sqlite3.connect(tenant.directory / "tenant.db") as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(SCHEMA_VERSION),)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_store_from_newer_code_is_refused(tenant):
    path = tenant.directory / "tenant.db"
    tenant.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}.*upgrade jupyter-actions"):
        Tenant()


def test_named_tenants_are_separate(actions_home):
    with Tenant("dev") as dev, Tenant("prod") as prod:
        dev.save_draft("only-dev", "post-login", "async def on_execute_post_login(e, a):\n    pass\n")
        assert [a.name for a in dev.list_actions()] == ["only-dev"]
        assert prod.list_actions() == []
    assert (actions_home / "tenants" / "dev" / "tenant.db").exists()


def test_bad_tenant_name(actions_home):
    from jupyter_actions import InvalidInputError

    with pytest.raises(InvalidInputError, match="invalid tenant name"):
        Tenant("../escape")
