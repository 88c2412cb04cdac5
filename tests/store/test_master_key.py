"""The master key file: made atomically, one key for processes racing on a new tenant, never
silently replaced, and every key error naming where the key really came from."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_actions import SecretsError, Tenant
from tests.conftest import POST_LOGIN_CODE

ROOT = Path(__file__).parents[2]
ENV = "JUPYTER_ACTIONS_MASTER_KEY"

RACER = """
import hashlib, sys
from jupyter_actions import Tenant

def error(exc):
    return "error " + type(exc).__name__ + ": " + str(exc).replace("\\n", " ")

for line in sys.stdin:
    tenant = None
    try:
        tenant = Tenant(home=line.strip())
        print("open", flush=True)
    except Exception as exc:
        print(error(exc), flush=True)
    sys.stdin.readline()  # every racer has the tenant open: now all reach for the key at once
    try:
        answer = hashlib.sha256(tenant.cipher.mac(["probe"]).encode()).hexdigest() if tenant else "no tenant"
    except Exception as exc:
        answer = error(exc)
    finally:
        if tenant:
            tenant.close()
    print(answer, flush=True)
"""


def key_fingerprint(home: Path) -> str:
    from jupyter_actions.cipher import Cipher

    return hashlib.sha256(Cipher(home / "tenants" / "default" / "master.key").mac(["probe"]).encode()).hexdigest()


@pytest.mark.slow
def test_four_processes_using_a_new_tenant_at_once_get_one_whole_key(tmp_path):
    trials = 200
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    failures = []
    try:
        for trial in range(trials):
            home = tmp_path / f"trial{trial}"
            for racer in racers:
                racer.stdin.write(f"{home}\n")
                racer.stdin.flush()
            opened = [racer.stdout.readline().strip() for racer in racers]
            for racer in racers:
                racer.stdin.write("go\n")
                racer.stdin.flush()
            answers = [racer.stdout.readline().strip() for racer in racers]
            if opened != ["open"] * 4 or len(set(answers)) != 1 or answers[0] != key_fingerprint(home):
                failures.append((trial, opened, answers))
    finally:
        for racer in racers:
            racer.stdin.close()
            racer.wait(timeout=60)
    assert not failures, f"{len(failures)} of {trials} trials: {failures[:3]}"
    key_dir = tmp_path / "trial0" / "tenants" / "default"
    assert sorted(p.name for p in key_dir.iterdir() if "key" in p.name) == ["master.key"]  # no temporary left


def test_the_key_file_is_private_and_whole(tenant):
    from cryptography.fernet import Fernet

    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.set_secret("hello", "API_KEY", "a-value-to-encrypt")
    key_file = tenant.directory / "master.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    Fernet(key_file.read_bytes().strip())  # a whole key
    assert [p.name for p in tenant.directory.iterdir() if "key" in p.name] == ["master.key"]


def dump(tenant: Tenant) -> list[str]:
    with sqlite3.connect(tenant.directory / "tenant.db") as conn:
        return list(conn.iterdump())


@pytest.fixture(params=["secret", "deployed version", "key check only"])
def keyed(request, tenant):
    """A tenant holding data that only its key opens: a secret, a version's MAC, a key check."""
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    if request.param == "secret":
        tenant.set_secret("hello", "TOKEN", "a-value-to-encrypt")
    elif request.param == "deployed version":
        tenant.deploy("hello")
    else:
        tenant.set_secret("hello", "TOKEN", "a-value-to-encrypt")
        tenant.delete_secret("hello", "TOKEN")
    return tenant


def test_a_deleted_key_file_is_an_error_never_a_new_key(keyed):
    key_file = keyed.directory / "master.key"
    keyed.close()
    key_file.unlink()
    before = dump(keyed)
    with Tenant() as reopened:
        with pytest.raises(SecretsError) as caught:
            reopened.set_secret("hello", "OTHER", "another-value")
        message = str(caught.value)
        assert message == (
            f"the master key file {key_file} is missing, but this tenant holds data encrypted or signed with it "
            f"(secrets, deployed versions): restore the file from a backup or set {ENV} to the original key; a new "
            "key would make that data unreadable"
        )
        with pytest.raises(SecretsError, match="is missing"):
            reopened.deploy("hello")
        assert [a.name for a in reopened.list_actions()] == ["hello"]  # what needs no key still works
    assert not key_file.exists()
    assert dump(keyed) == before


def test_a_deleted_key_file_of_a_tenant_without_ciphertext_is_made_again(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    key_file = tenant.directory / "master.key"
    assert not key_file.exists()  # nothing needed it yet
    tenant.set_secret("hello", "TOKEN", "a-value-to-encrypt")
    tenant.delete_action("hello")
    tenant.close()
    with sqlite3.connect(tenant.directory / "tenant.db") as conn:  # a tenant with nothing keyed left
        conn.execute("DELETE FROM meta WHERE key = 'key_check'")
    key_file.unlink()
    with Tenant() as reopened:
        reopened.save_draft("hello", "post-login", POST_LOGIN_CODE)
        reopened.set_secret("hello", "TOKEN", "a-value-to-encrypt")
    assert key_file.exists()


def test_key_errors_name_the_key_file_when_the_variable_is_not_set(keyed, monkeypatch):
    from cryptography.fernet import Fernet

    key_file = keyed.directory / "master.key"
    original = key_file.read_bytes()
    keyed.close()
    cases = {
        Fernet.generate_key(): f"the master key from the key file {key_file} does not match the key this tenant's "
        f"data were encrypted with: restore the original {key_file} from a backup, or set "
        f"{ENV} to the original key",
        b"": f"the key file {key_file} does not hold a Fernet key (32 url-safe base64-encoded bytes): restore it "
        f"from a backup, or set {ENV} to the original key",
        b"not a key at all": f"the key file {key_file} does not hold a Fernet key (32 url-safe base64-encoded "
        f"bytes): restore it from a backup, or set {ENV} to the original key",
    }
    for content, expected in cases.items():
        key_file.write_bytes(content)
        with Tenant() as reopened, pytest.raises(SecretsError) as caught:
            reopened.deploy("hello")
        assert str(caught.value) == expected
        assert ENV not in str(caught.value).split(":")[0]
    key_file.write_bytes(original)
    with Tenant() as restored:
        restored.deploy("hello")


def test_key_errors_name_the_variable_when_it_is_set(keyed, monkeypatch):
    from cryptography.fernet import Fernet

    keyed.close()
    monkeypatch.setenv(ENV, Fernet.generate_key().decode())
    with Tenant() as reopened, pytest.raises(SecretsError) as caught:
        reopened.deploy("hello")
    assert str(caught.value) == (
        f"the master key from {ENV} does not match the key this tenant's data were encrypted with: set {ENV} to "
        "the original key, or unset it to use the tenant's key file"
    )
    monkeypatch.setenv(ENV, "not a key")
    with Tenant() as reopened, pytest.raises(SecretsError) as caught:
        reopened.deploy("hello")
    assert str(caught.value).startswith(f"{ENV} is not a Fernet key (32 url-safe base64-encoded bytes): make one")


def test_an_unreadable_key_file_is_one_line(keyed):
    key_file = keyed.directory / "master.key"
    keyed.close()
    key_file.unlink()
    key_file.mkdir()  # a path that exists but cannot be read as a file
    with Tenant() as reopened, pytest.raises(SecretsError) as caught:
        reopened.deploy("hello")
    assert str(caught.value).startswith(f"cannot read the master key file {key_file}: ")
    assert "\n" not in str(caught.value)


def test_the_cli_says_the_key_is_missing_in_one_line(keyed, cli):
    keyed.close()
    (keyed.directory / "master.key").unlink()
    run = cli("secrets", "set", "hello", "OTHER", stdin="another-value\n")
    assert run.status == 1, run
    assert run.err.startswith("error: the master key file ") and run.err.count("\n") == 1, run.err
    assert "Traceback" not in run.err and not (keyed.directory / "master.key").exists()
