"""A real ``serve`` process on 127.0.0.1 (port chosen by the OS) and tokens of each scope."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

import httpx
import pytest

from jupyter_actions.server import tokens


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen
    tokens: dict[str, str]  # scope -> token

    @property
    def api(self) -> str:
        return self.url + "/api/v2"

    def client(self, scope: str | None = "manage") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[scope]}"} if scope else {}
        return httpx.Client(base_url=self.api, headers=headers, timeout=60)

    def log(self) -> str:
        """Everything the server wrote so far (it is stopped first)."""
        stop(self.process)
        return self.process.stderr.read() + self.process.stdout.read()


def start(env: dict | None = None, *args: str) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([sys.executable, "-m", "jupyter_actions", "serve", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/api/v2/", line)
    if found is None:
        process.kill()
        raise RuntimeError(f"serve did not start: {line}{process.stderr.read()}")
    return process, int(found.group(1))


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture
def server(tenant) -> Server:
    made = {scope: tokens.create(tenant, f"{scope}-token", scope)[1] for scope in tokens.SCOPES}
    process, port = start()
    try:
        yield Server(f"http://127.0.0.1:{port}", process, made)
    finally:
        stop(process)
