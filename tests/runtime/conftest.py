"""Real worker processes, small limits: a pool per test module, helpers to build jobs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from jupyter_actions.runtime import Job, Step, WorkerPool
from jupyter_actions.triggers import get_trigger

OK_CODE = "async def on_execute_post_login(event, api):\n    print('ok')\n"


def step(
    code: str,
    *,
    name: str = "action",
    key: str | None = None,
    secrets: Mapping[str, str] | None = None,
    trigger: str = "post-login",
    handler: str | None = None,
) -> Step:
    """A step whose key is its code unless given (same code, same key: loaded once)."""
    return Step(
        key=key or f"draft:{name}:{code}",
        action_name=name,
        code=code,
        secrets=dict(secrets or {}),
        handler=handler or get_trigger(trigger).handler,
        action_id=f"act_{name}",
        version_id=f"ver_{name}",
        version_number=1,
        binding_id=f"bind_{name}",
    )


def job(
    *steps: Step,
    trigger: str = "post-login",
    event: dict | None = None,
    timeout_s: float = 5.0,
    cache: dict | None = None,
    phase: str = "execute",
) -> Job:
    payload = event if event is not None else get_trigger(trigger).sample_payload()
    return Job(trigger_id=trigger, event=payload, steps=steps, cache=cache or {}, phase=phase, timeout_s=timeout_s)


def run_one(pool: WorkerPool, code: str, **options) -> dict:
    """Run one single-step post-login job; the step result."""
    timeout_s = options.pop("timeout_s", 5.0)
    result = pool.run(job(step(code, **options), timeout_s=timeout_s))
    assert len(result["results"]) == 1
    return result["results"][0]


WORKER_TOKEN = "import os\nTOKEN = os.urandom(8).hex()\n"
"""Module-level code that names the worker running it (inside its PID namespace every
worker is process 1, so a process id would not tell workers apart)."""


def live_workers(pool: WorkerPool, name: str | None = None, code: str | None = None) -> list:
    """The pool's live worker processes (of the action ``name``, with ``code``)."""
    return [
        w
        for w in list(pool._live)
        if (name is None or w.key[2] == name) and (code is None or w.key[0] == step(code, name=name or "action").key)
    ]


def host_pids(worker) -> set[int]:
    """The worker's processes as the host sees them: its supervisor and the worker proper."""
    from jupyter_actions.runtime import sandbox

    child = sandbox.worker_pid(worker.pid)
    return {worker.pid} | ({child} if child else set())


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process so far, in clock ticks (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wait_spinning(worker, timeout: float = 30, ticks: int = 10) -> None:
    """Return once the worker's action burns CPU (a ``while True: pass`` loop has started): a
    ready worker waiting for its job uses none, so `ticks` more than now means the loop runs."""
    from jupyter_actions.runtime import sandbox
    from tests.waiting import wait_until

    pid = sandbox.worker_pid(worker.pid) or worker.pid  # the worker proper, else the supervisor
    start = cpu_ticks(pid)
    wait_until(lambda: cpu_ticks(pid) >= start + ticks, timeout, "the action's endless loop")


def assert_healthy(pool: WorkerPool) -> None:
    """The next job on the same pool works."""
    result = run_one(pool, OK_CODE)
    assert result["response"]["error"] is None, result["response"]["error"]
    assert result["response"]["logs"] == "ok\n"


@pytest.fixture(scope="session")
def overlay_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("overlay")


@pytest.fixture(scope="module")
def pool(overlay_dir: Path) -> Iterator[WorkerPool]:
    with WorkerPool(max_workers=2, memory_mb=256, log_limit=4096, overlay_dir=overlay_dir) as opened:
        yield opened
