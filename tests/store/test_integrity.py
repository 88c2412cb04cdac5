"""Version integrity: a MAC keyed from the master key, checked when a plan is built.

Tampering is done as an outsider would: raw ``sqlite3`` on the store file (another process of
the same user, a restored backup), never through jupyter-actions.
"""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from sqlalchemy import create_engine, text

from jupyter_actions import ConflictError, SecretsError, Tenant
from jupyter_actions.cipher import Cipher
from jupyter_actions.store import integrity
from jupyter_actions.store.migrations import SCHEMA_VERSION
from tests.conftest import POST_LOGIN_CODE

HANDLER = "on_execute_post_login"
CACHE_CODE = "async def on_execute_post_login(event, api):\n    api.cache.set('seen', '1')\n"
REFUSAL = (
    "version {n} of hello failed its integrity check: its stored code or dependencies changed outside "
    "jupyter-actions; deploy it again from a trusted draft"
)


def flow(tenant: Tenant):
    from jupyter_actions.engine import plan

    with tenant.store.read() as conn:
        return plan.flow_steps(conn, tenant.cipher, "post-login", HANDLER)


def version_step(tenant: Tenant, number: int):
    from jupyter_actions.engine import plan

    with tenant.store.read() as conn:
        return plan.version_step(conn, tenant.cipher, "hello", number, HANDLER)


def raw(tenant: Tenant, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(tenant.directory / "tenant.db") as conn:
        return conn.execute(sql, params).fetchall()


def stored_versions(tenant: Tenant) -> list[tuple]:
    return raw(tenant, "SELECT * FROM versions ORDER BY number")


@pytest.fixture
def deployed(tenant):
    """hello deployed twice (secret "first", then "second") and bound."""
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, secrets=["TOKEN"])
    tenant.set_secret("hello", "TOKEN", "first")
    tenant.deploy("hello")
    tenant.set_secret("hello", "TOKEN", "second")
    assert tenant.deploy("hello").version.number == 2
    tenant.bind("post-login", ["hello"])
    return tenant


def test_mac_is_keyed_canonical_and_checked_in_constant_time(tmp_path):
    cipher, other = Cipher(tmp_path / "a.key"), Cipher(tmp_path / "b.key")
    parts = ("id", "action", 3, "post-login", "code", None, "[]", "token")
    mac = cipher.mac(parts)
    assert len(mac) == 64 and mac == cipher.mac(list(parts))
    assert cipher.verify_mac(parts, mac)
    assert not other.verify_mac(parts, mac)  # another master key
    assert not cipher.verify_mac(parts, None) and not cipher.verify_mac(parts, "") and not cipher.verify_mac(parts, "é")
    assert cipher.mac(("ab", "c")) != cipher.mac(("a", "bc"))  # texts are delimited
    assert cipher.mac((3, None)) != cipher.mac(("3", "None"))  # and typed
    assert cipher.mac((True,)) != cipher.mac((1,))
    assert not cipher.verify_mac(parts[:-1] + ("other token",), mac)


def test_untampered_versions_pass_with_their_flags(deployed):
    [planned] = flow(deployed)
    assert planned.refused is None and planned.uses_cache is False
    assert planned.step.secrets == {"TOKEN": "second"} and planned.step.code == POST_LOGIN_CODE
    assert version_step(deployed, 1).step.secrets == {"TOKEN": "first"}
    assert all(mac for *_, mac in raw(deployed, "SELECT mac FROM versions"))


def test_uses_cache_is_recorded_at_save_and_copied_at_deploy(tenant):
    from jupyter_actions.engine import plan

    tenant.save_draft("hello", "post-login", CACHE_CODE, deploy=True)
    with tenant.store.read() as conn:
        assert plan.draft_step(conn, tenant.cipher, "hello", HANDLER).uses_cache is True
    assert version_step(tenant, 1).uses_cache is True
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, deploy=True)
    assert raw(tenant, "SELECT uses_cache FROM actions") == [(0,)]
    assert raw(tenant, "SELECT number, uses_cache FROM versions ORDER BY number") == [(1, 1), (2, 0)]
    tenant.rollback("hello", 1, update_draft=True)
    assert raw(tenant, "SELECT uses_cache FROM actions") == [(1,)]
    assert version_step(tenant, 3).uses_cache is True


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("code", POST_LOGIN_CODE + "    import os; os.system('curl evil')\n"),
        ("lock", '{"packages": [{"name": "evil", "version": "6.6.6"}]}'),
        ("dependencies", '[{"name": "evil", "version": "6.6.6"}]'),
        ("number", 7),
        ("uses_cache", 1),
    ],
)
def test_a_changed_column_is_refused_without_decrypting_anything(deployed, column, value):
    raw(deployed, f"UPDATE versions SET {column} = ? WHERE number = 2", value)
    before = stored_versions(deployed)
    [planned] = flow(deployed)
    number = 7 if column == "number" else 2
    assert planned.refused == REFUSAL.format(n=number)
    assert (planned.step.code, planned.step.secrets, planned.lock) == ("", {}, None)
    assert stored_versions(deployed) == before  # checking writes nothing
    assert version_step(deployed, 1).refused is None  # the other version is intact


def test_secrets_swapped_in_from_another_version_are_refused(deployed):
    raw(
        deployed,
        "UPDATE versions SET secrets_ciphertext = (SELECT secrets_ciphertext FROM versions WHERE number = 1)"
        " WHERE number = 2",
    )
    [planned] = flow(deployed)
    assert planned.refused == REFUSAL.format(n=2) and planned.step.secrets == {}


def test_a_copied_mac_does_not_vouch_for_another_version(deployed):
    raw(deployed, "UPDATE versions SET mac = (SELECT mac FROM versions WHERE number = 1) WHERE number = 2")
    assert flow(deployed)[0].refused == REFUSAL.format(n=2)


def test_a_null_mac_after_sealing_is_refused_and_never_resealed(deployed):
    raw(deployed, "UPDATE versions SET mac = NULL, code = ? WHERE number = 2", POST_LOGIN_CODE + "# evil\n")
    assert flow(deployed)[0].refused == REFUSAL.format(n=2)
    with Tenant() as reopened:
        assert flow(reopened)[0].refused == REFUSAL.format(n=2)
    assert raw(deployed, "SELECT mac FROM versions WHERE number = 2") == [(None,)]


def test_deploy_after_tampering_creates_a_version_instead_of_unchanged(deployed):
    raw(deployed, "UPDATE versions SET code = ? WHERE number = 2", POST_LOGIN_CODE + "# evil\n")
    tampered = raw(deployed, "SELECT * FROM versions WHERE number = 2")
    result = deployed.deploy("hello")
    assert result.created and result.version.number == 3
    [planned] = flow(deployed)
    assert (
        planned.refused is None and planned.step.code == POST_LOGIN_CODE and planned.step.secrets == {"TOKEN": "second"}
    )
    assert raw(deployed, "SELECT * FROM versions WHERE number = 2") == tampered
    assert deployed.deploy("hello").created is False  # the fresh version is the draft


def test_rollback_to_a_tampered_version_is_refused_and_writes_nothing(deployed):
    raw(deployed, "UPDATE versions SET code = ? WHERE number = 1", POST_LOGIN_CODE + "# evil\n")
    before = (stored_versions(deployed), raw(deployed, "SELECT * FROM actions"), raw(deployed, "SELECT * FROM secrets"))
    with pytest.raises(ConflictError, match="^" + REFUSAL.format(n=1) + "$"):
        deployed.rollback("hello", 1, update_draft=True)
    after = (stored_versions(deployed), raw(deployed, "SELECT * FROM actions"), raw(deployed, "SELECT * FROM secrets"))
    assert after == before


def test_the_wrong_master_key_is_still_the_clear_error(deployed, monkeypatch):
    from cryptography.fernet import Fernet

    before = stored_versions(deployed)
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", Fernet.generate_key().decode())
    with Tenant() as wrong:
        with pytest.raises(SecretsError, match="does not match"):
            flow(wrong)
        with pytest.raises(SecretsError, match="does not match"):
            wrong.deploy("hello")
    assert stored_versions(deployed) == before


# Migration from schema 2 (before MACs and uses_cache) -----------------------------------------


def make_v2(url: str) -> None:
    """Turn a current store back into what schema 2 stored: no mac, no uses_cache, not sealed,
    no API tokens (schema 4)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE api_tokens")
        for table, column in (("versions", "mac"), ("versions", "uses_cache"), ("actions", "uses_cache")):
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute(text("DELETE FROM meta WHERE key = :k"), {"k": integrity.SEALED_KEY})
        conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])  # a server: over 5 s
def store_url(request, actions_home):
    if request.param == "sqlite":
        return None
    base = request.getfixturevalue("postgres_url")
    name = "mig_" + uuid.uuid4().hex[:12]
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def test_schema_2_migrates_keeping_data_computing_flags_and_macs(store_url, actions_home):
    with Tenant("old", database_url=store_url) as tenant:
        tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, secrets=["TOKEN"])
        tenant.set_secret("hello", "TOKEN", "kept")
        tenant.deploy("hello")
        tenant.save_draft("hello", "post-login", CACHE_CODE, deploy=True)
        tenant.save_draft("plain", "post-login", POST_LOGIN_CODE, deploy=True)
        tenant.bind("post-login", ["hello", "plain"])
        tenant.configure("max_versions", 7)
        url = tenant.store.url
    make_v2(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert "mac" not in {c["name"] for c in __import__("sqlalchemy").inspect(conn).get_columns("versions")}
    with Tenant("old", database_url=store_url) as tenant:
        assert tenant.settings["max_versions"] == 7
        assert [(v.number, v.code) for v in tenant.versions("hello")] == [(2, CACHE_CODE), (1, POST_LOGIN_CODE)]
        assert [b.display_name for b in tenant.flow("post-login")] == ["hello", "plain"]
        hello, plain = flow(tenant)
        assert (hello.refused, hello.uses_cache, hello.step.secrets) == (None, True, {"TOKEN": "kept"})
        assert (plain.refused, plain.uses_cache) == (None, False)
        assert version_step(tenant, 1).uses_cache is False
        assert tenant.get_action("hello").all_changes_deployed
        assert tenant.deploy("hello").created is False
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").scalar() == str(
            SCHEMA_VERSION
        )
        assert conn.exec_driver_sql("SELECT count(*) FROM versions WHERE mac IS NULL").scalar() == 0
        assert conn.exec_driver_sql("SELECT uses_cache FROM actions ORDER BY name").scalars().all() == [True, False]
        conn.exec_driver_sql("UPDATE versions SET code = 'tampered' WHERE number = 1")
        conn.commit()
    engine.dispose()
    with Tenant("old", database_url=store_url) as tenant:
        assert version_step(tenant, 1).refused == REFUSAL.format(n=1)


@pytest.mark.slow
def test_legacy_versions_are_not_sealed_with_a_wrong_key(tenant, monkeypatch):
    from cryptography.fernet import Fernet

    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, secrets=["TOKEN"])
    tenant.set_secret("hello", "TOKEN", "kept")
    tenant.deploy("hello")
    tenant.close()
    make_v2(tenant.store.url)
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", Fernet.generate_key().decode())
    with Tenant() as wrong:
        with pytest.raises(SecretsError, match="does not match"):
            version_step(wrong, 1)
    assert raw(tenant, "SELECT mac FROM versions") == [(None,)]
    monkeypatch.delenv("JUPYTER_ACTIONS_MASTER_KEY")
    with Tenant() as right:
        planned = version_step(right, 1)
        assert planned.refused is None and planned.step.secrets == {"TOKEN": "kept"}
