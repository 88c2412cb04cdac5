"""The pool's life: start, reuse, close, a worker that cannot start, a parent that dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from jupyter_actions.errors import ExecutionError
from jupyter_actions.runtime import WorkerPool

from .conftest import OK_CODE, assert_healthy, job, run_one, step


def gone(pid: int, within: float = 5.0) -> bool:
    """The process has ended: a child of ours can be waited for (we leave that to the pool),
    another one is a zombie or has disappeared."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
        except ChildProcessError:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except FileNotFoundError:
                return True
            if state in ("Z", "X"):
                return True
        time.sleep(0.02)
    return False


def worker_pid(pool: WorkerPool) -> int:
    return int(run_one(pool, "import os\ndef on_execute_post_login(event, api):\n"
                             "    print(os.getpid())\n")["response"]["logs"])


def test_workers_are_reused(pool: WorkerPool) -> None:
    pids = {worker_pid(pool) for _ in range(10)}
    assert len(pids) <= pool.max_workers
    assert os.getpid() not in pids


def test_close_ends_the_workers_and_refuses_new_jobs(overlay_dir: Path) -> None:
    pool = WorkerPool(max_workers=1, overlay_dir=overlay_dir)
    pid = worker_pid(pool)
    pool.close()
    assert gone(pid)
    with pytest.raises(ExecutionError, match="closed"):
        run_one(pool, OK_CODE)
    pool.close()  # twice is fine


def test_a_worker_that_cannot_start_is_an_execution_error(overlay_dir: Path) -> None:
    with WorkerPool(max_workers=1, memory_mb=8, overlay_dir=overlay_dir) as starved:
        with pytest.raises(ExecutionError, match="could not start"):
            run_one(starved, OK_CODE)
        with pytest.raises(ExecutionError, match="could not start"):
            list(starved.map([job(step(OK_CODE))]))


def test_a_dead_idle_worker_is_replaced(overlay_dir: Path) -> None:
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        pid = worker_pid(pool)
        os.kill(pid, signal.SIGKILL)
        assert gone(pid)
        assert_healthy(pool)  # the next job does not pay for it
        assert worker_pid(pool) != pid


def test_workers_exit_when_the_parent_dies(tmp_path: Path, overlay_dir: Path) -> None:
    root = Path(__file__).parents[2]
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(f"""
        import threading
        from jupyter_actions.runtime import WorkerPool
        from tests.runtime.conftest import job, run_one, step
        pool = WorkerPool(max_workers=1, overlay_dir={str(overlay_dir)!r})
        pid = run_one(pool, "import os\\ndef on_execute_post_login(event, api):\\n    print(os.getpid())\\n")
        print(pid["response"]["logs"], end="", flush=True)
        looping = job(step("def on_execute_post_login(event, api):\\n    while True: pass\\n"), timeout_s=600)
        threading.Thread(target=pool.run, args=(looping,), daemon=True).start()
        threading.Event().wait()
    """))
    parent = subprocess.Popen([sys.executable, str(script)], cwd=root, stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(root)})
    try:
        pid = int(parent.stdout.readline())
        time.sleep(0.3)  # the worker is in the endless loop now
        assert not gone(pid, within=0.1)
    finally:
        parent.kill()
        parent.wait()
        parent.stdout.close()
    assert gone(pid, within=5.0)


def test_an_error_of_the_worker_itself_is_a_platform_error(overlay_dir: Path) -> None:
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        assert_healthy(pool)
        pool._idle[0].keys["never-sent"] = {}  # the parent believes the worker has this action
        result = run_one(pool, OK_CODE, key="never-sent")
        error = result["response"]["error"]
        assert error["error_class"] == "platform_error"
        assert error["message"] == "the worker failed: KeyError: 'never-sent'"
        assert_healthy(pool)
