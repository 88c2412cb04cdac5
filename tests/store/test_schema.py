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


def test_a_version_1_store_is_migrated_forward_keeping_its_data(actions_home):
    from sqlalchemy import create_engine

    from jupyter_actions.store import migrations, schema

    path = actions_home / "tenants" / "old" / "tenant.db"
    path.parent.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations.MIGRATIONS[0](conn)
        conn.execute(schema.meta.insert().values(key="schema_version", value="1"))
        conn.execute(
            schema.actions.insert().values(
                id="a1",
                name="legacy",
                trigger_id="post-login",
                trigger_version="v3",
                runtime="python3.11",
                code="async def on_execute_post_login(event, api):\n    pass\n",
                build_status="built",
                created_at="2026-01-01T00:00:00.000000Z",
                updated_at="2026-01-01T00:00:00.000000Z",
            )
        )
        assert not conn.dialect.has_table(conn, "test_cases")
    engine.dispose()
    with Tenant("old") as tenant:
        assert [a.name for a in tenant.list_actions()] == ["legacy"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(SCHEMA_VERSION),)
        assert conn.execute("SELECT count(*) FROM test_cases").fetchone() == (0,)
