"""Secrets: encrypted at rest, never returned, validated, snapshotted at deploy."""

from __future__ import annotations

import json
import os
import stat

import pytest

from jupyter_actions import ConflictError, InvalidInputError, LimitExceeded, SecretsError, Tenant
from tests.conftest import POST_LOGIN_CODE

VALUE = "s3cr3t-Distinctive-Value-8d1f0c"


def test_set_list_delete(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, secrets=["API_KEY"])
    assert [(s.name, s.is_set) for s in tenant.list_secrets("hello")] == [("API_KEY", False)]
    info = tenant.set_secret("hello", "API_KEY", VALUE)
    assert info.name == "API_KEY" and info.is_set
    listed = tenant.list_secrets("hello")
    assert [(s.name, s.is_set) for s in listed] == [("API_KEY", True)]
    assert VALUE not in repr(listed) and VALUE not in json.dumps(tenant.get_action("hello").to_json())
    tenant.delete_secret("hello", "API_KEY")
    assert tenant.list_secrets("hello") == ()


def test_value_never_stored_in_plain_text(tenant, actions_home):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.set_secret("hello", "API_KEY", VALUE)
    version = tenant.deploy("hello").version
    exported = json.dumps([version.to_json(), tenant.get_action("hello").to_json()])
    assert VALUE not in exported and "API_KEY" in exported
    tenant.close()
    for path in actions_home.rglob("*"):
        if path.is_file():
            assert VALUE.encode() not in path.read_bytes(), path


def test_key_file_is_private(tenant, actions_home):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.set_secret("hello", "API_KEY", VALUE)
    key_file = tenant.directory / "master.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_wrong_master_key_is_a_clear_error(tenant, monkeypatch):
    from cryptography.fernet import Fernet

    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.set_secret("hello", "API_KEY", VALUE)
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", Fernet.generate_key().decode())
    with Tenant() as wrong:
        with pytest.raises(SecretsError, match="does not match"):
            wrong.deploy("hello")
        with pytest.raises(SecretsError, match="does not match"):
            wrong.set_secret("hello", "OTHER", "xxxx")
        assert [s.name for s in wrong.list_secrets("hello")] == ["API_KEY"]
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", "not a key")
    with Tenant() as malformed:
        with pytest.raises(SecretsError, match="not a Fernet key"):
            malformed.deploy("hello")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("1ABC", "x", "invalid secret name '1ABC'"),
        ("A-B", "x", "invalid secret name"),
        ("", "x", "invalid secret name"),
        ("A" * 129, "x", "invalid secret name"),
        ("OK", "", "the value is empty"),
        ("OK", "v" * 4097, "4097 characters; the limit is 4096"),
        ("OK", "1", "shorter than 4 characters"),
        ("OK", "abc", "shorter than 4 characters"),
        ("OK", "true", "is a JSON literal"),
        ("OK", "null", "is a JSON literal"),
        ("OK", "false", "is a JSON literal"),
    ],
)
def test_bad_secrets_refused(tenant, name, value, message):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    with pytest.raises(InvalidInputError, match=message) as caught:
        tenant.set_secret("hello", name, value)
    assert value not in str(caught.value) or len(value) < 2
    assert tenant.list_secrets("hello") == ()


def test_secret_count_limit(tenant):
    tenant.configure("max_secrets", 2)
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.set_secret("hello", "A", "value-1")
    tenant.set_secret("hello", "B", "value-2")
    tenant.set_secret("hello", "B", "value-3")  # rotating is not adding
    with pytest.raises(LimitExceeded, match="the limit is 2"):
        tenant.set_secret("hello", "C", "value-4")
    assert [s.name for s in tenant.list_secrets("hello")] == ["A", "B"]


def test_deploy_snapshots_secrets_and_refuses_missing_ones(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, secrets=["API_KEY"])
    with pytest.raises(ConflictError, match="secret API_KEY of hello has no value"):
        tenant.deploy("hello")
    assert tenant.versions("hello") == []
    tenant.set_secret("hello", "API_KEY", VALUE)
    assert tenant.deploy("hello").created
    assert not tenant.deploy("hello").created
    tenant.set_secret("hello", "API_KEY", VALUE + "-rotated")
    assert not tenant.get_action("hello").all_changes_deployed
    assert tenant.deploy("hello").version.number == 2


def test_a_value_set_anew_or_deleted_leaves_the_cache(tenant):
    """An entry that holds the value (in any form) goes with it; no version may hold the old
    value to redact it by, and ``api.cache`` outlives the secret."""
    tenant.save_draft(
        "stash",
        "post-login",
        "import base64\n\nasync def on_execute_post_login(event, api):\n"
        "    api.cache.set('raw', event.secrets.TOKEN)\n"
        "    api.cache.set('b64', base64.b64encode(event.secrets.TOKEN.encode()).decode())\n"
        "    api.cache.set('other', 'unrelated')\n",
        secrets=["TOKEN"],
    )

    def cached() -> set[str]:
        tenant.flush()  # cache changes are written with the execution's record
        with tenant.store.read() as conn:
            return {key for (key,) in conn.exec_driver_sql("SELECT key FROM cache_entries")}

    tenant.set_secret("stash", "TOKEN", VALUE)
    tenant.test("stash")
    tenant.set_secret("stash", "TOKEN", VALUE)  # the same value: nothing to forget
    assert cached() == {"raw", "b64", "other"}
    tenant.set_secret("stash", "TOKEN", VALUE + "-rotated")
    assert cached() == {"other"}
    tenant.test("stash")
    tenant.delete_secret("stash", "TOKEN")
    assert cached() == {"other"}


def test_a_rollback_that_resets_the_draft_leaves_the_cache_of_the_values_it_replaces(tenant):
    """The draft's value, held by no version, goes with the cache entries that hold it; a value
    the restored version also holds stays cached."""
    tenant.save_draft(
        "stash",
        "post-login",
        "async def on_execute_post_login(event, api):\n    api.cache.set('raw', event.secrets.TOKEN)\n",
        secrets=["TOKEN"],
    )

    def cached() -> set[str]:
        tenant.flush()
        with tenant.store.read() as conn:
            return {key for (key,) in conn.exec_driver_sql("SELECT key FROM cache_entries")}

    tenant.set_secret("stash", "TOKEN", VALUE)
    tenant.deploy("stash")
    tenant.test("stash")
    tenant.rollback("stash", 1, update_draft=True)  # the same value: nothing to forget
    assert cached() == {"raw"}
    tenant.set_secret("stash", "TOKEN", VALUE + "-draft-only")
    tenant.test("stash")
    assert cached() == {"raw"}
    tenant.rollback("stash", 1, update_draft=True)
    assert cached() == set()
