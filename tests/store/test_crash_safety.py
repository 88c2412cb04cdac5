"""SIGKILL in the middle of deploys, many times over: the store stays consistent."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from jupyter_actions import Tenant
from tests.conftest import POST_LOGIN_CODE

DEPLOY_FOREVER = """
import itertools, sys
from jupyter_actions import Tenant
code = sys.stdin.read()
with Tenant() as tenant:
    print("ready", flush=True)
    for i in itertools.count():
        tenant.save_draft("victim", "post-login", code + f"\\n# {sys.argv[1]} {i}\\n", deploy=True)
        if i == 0:
            print("deployed", flush=True)
"""


@pytest.mark.slow
def test_killed_deployers_leave_a_consistent_store(tenant):
    tenant.configure("max_versions", 100000)
    tenant.save_draft("victim", "post-login", POST_LOGIN_CODE)
    tenant.set_secret("victim", "TOKEN", "kill-test-value")
    rng = random.Random(7)
    for round_number in range(25):
        proc = subprocess.Popen(
            [sys.executable, "-c", DEPLOY_FOREVER, str(round_number)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        proc.stdin.write(POST_LOGIN_CODE)
        proc.stdin.close()
        assert proc.stdout.readline().strip() == "ready"
        assert proc.stdout.readline().strip() == "deployed"  # killed mid-work, not before it (on a loaded host)
        time.sleep(rng.uniform(0.01, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    database = tenant.directory / "tenant.db"
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        numbers = [n for (n,) in conn.execute("SELECT number FROM versions ORDER BY number")]
        incomplete = conn.execute(
            "SELECT count(*) FROM versions WHERE code IS NULL OR content_digest IS NULL OR secrets_ciphertext IS NULL"
            " OR mac IS NULL"
        ).fetchone()[0]
        deployed = conn.execute(
            "SELECT v.number FROM actions a JOIN versions v ON v.id = a.deployed_version_id WHERE a.name = 'victim'"
        ).fetchone()
    assert len(numbers) >= 25, "each deployer deployed at least once"
    assert numbers == list(range(1, len(numbers) + 1))
    assert incomplete == 0
    assert deployed == (numbers[-1],)
    with Tenant() as reopened:
        assert reopened.versions("victim")[0].number == numbers[-1]
        reopened.save_draft("victim", "post-login", POST_LOGIN_CODE + "\n# after\n", deploy=True)
        assert reopened.versions("victim")[0].number == numbers[-1] + 1
