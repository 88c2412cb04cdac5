"""A real PostgreSQL server for the tests that need one: started on 127.0.0.1 by the first test
of a module that asks for the ``postgres_url`` fixture (tests/conftest.py offers it to every
module), stopped after that module's last test. ``MASTER_KEY``: one key for the tenants that share
a database. ``running()`` is the same server for a script (benchmarks/bench_replicas.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path("/usr/lib/postgresql/15/bin")
MASTER_KEY = "kJ8lq3yQvV2m0V7kH1aZc5Yt6r9WbXfNnq2uS4dPe0A="


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="module")
def postgres_url():
    if not Path(_initdb()).exists():
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    with running() as url:
        yield url


def _initdb() -> str:
    return shutil.which("initdb") or str(BIN / "initdb")


@contextlib.contextmanager
def running() -> Iterator[str]:
    """A throwaway PostgreSQL server on 127.0.0.1 with an empty database: its URL."""
    initdb = _initdb()
    pg_ctl = shutil.which("pg_ctl") or str(BIN / "pg_ctl")
    data = Path(tempfile.mkdtemp(prefix="ja-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run(
        _as_postgres([initdb, "-D", str(data / "db"), "-A", "trust", "-U", "postgres"]), check=True, capture_output=True
    )
    subprocess.run(
        _as_postgres(
            [
                pg_ctl,
                "-D",
                str(data / "db"),
                "-w",
                "-l",
                str(data / "log"),
                "-o",
                f"-p {port} -h 127.0.0.1 -k {data}",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            _as_postgres(
                ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-c", "CREATE DATABASE actions"]
            ),
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/actions"
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data / "db"), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(data, ignore_errors=True)
