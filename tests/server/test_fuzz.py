"""Schemathesis drives every operation of /openapi.json against a real `serve`: no 5xx."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_generated_requests_never_get_a_server_error(server, tmp_path):
    # the token reaches schemathesis through the environment, never an argument list
    (tmp_path / "schemathesis.toml").write_text('headers = { Authorization = "Bearer ${API_TOKEN}" }\n')
    st = Path(sys.executable).with_name("st")
    done = subprocess.run(
        [
            str(st),
            "run",
            server.url + "/openapi.json",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "60",
            "--seed",
            "14",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "API_TOKEN": server.tokens["manage"]},
    )
    assert done.returncode == 0, done.stdout[-3000:]
    generated, passed = map(int, re.search(r"(\d+) generated, (\d+) passed", done.stdout).groups())
    assert generated >= 2000 and passed == generated
    log = server.log()
    assert "Traceback" not in log and not re.search(r"^5\d\d ", log, re.MULTILINE)
