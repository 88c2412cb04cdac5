"""A real ``serve`` process on 127.0.0.1 (port chosen by the OS) and tokens of each scope."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from jupyter_actions.server import tokens


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen
    log_path: Path
    tokens: dict[str, str]  # scope -> token

    @property
    def api(self) -> str:
        return self.url + "/api/v2"

    def client(self, scope: str | None = "manage") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[scope]}"} if scope else {}
        return httpx.Client(base_url=self.api, headers=headers, timeout=60)

    def log(self) -> str:
        """Everything the server wrote (it is stopped first)."""
        stop(self.process)
        return self.log_path.read_text() + self.process.stdout.read()


def start(log: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int]:
    """A `serve` process (``env``: its whole environment, else this one's); its log (stderr)
    goes to a file, which no full pipe can block."""
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyter_actions", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
        )
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/api/v2/", line)
    if found is None:
        process.kill()
        raise RuntimeError(f"serve did not start: {line}{log.read_text()}")
    return process, int(found.group(1))


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture
def server(tenant, tmp_path) -> Server:
    made = {scope: tokens.create(tenant, f"{scope}-token", scope)[1] for scope in tokens.SCOPES}
    log = tmp_path / "serve.log"
    process, port = start(log)
    try:
        yield Server(f"http://127.0.0.1:{port}", process, log, made)
    finally:
        stop(process)
