"""Several processes writing one SQLite store: gapless numbering, no 'database is locked'."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import POST_LOGIN_CODE

DEPLOYER = """
import sys
from jupyter_actions import Tenant
worker, count = sys.argv[1], int(sys.argv[2])
code = sys.stdin.read()
with Tenant() as tenant:
    for i in range(count):
        tenant.save_draft("shared", "post-login", code + f"\\n# {worker} {i}\\n", deploy=True, message=f"{worker}-{i}")
"""


@pytest.mark.slow
def test_four_processes_deploying_25_times_each(tenant):
    tenant.configure("max_versions", 1000)
    tenant.save_draft("shared", "post-login", POST_LOGIN_CODE)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", DEPLOYER, str(w), "25"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    for worker in workers:
        worker.stdin.write(POST_LOGIN_CODE)
        worker.stdin.close()
    for worker in workers:
        worker.wait(timeout=300)
        stderr = worker.stderr.read()
        assert worker.returncode == 0, stderr
        assert "locked" not in stderr
    history = tenant.versions("shared")
    assert sorted(v.number for v in history) == list(range(1, 101))
    assert len({v.message for v in history}) == 100
    assert sum(v.deployed for v in history) == 1 and history[0].number == 100 and history[0].deployed
