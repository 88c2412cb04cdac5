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

from .conftest import OK_CODE, WORKER_TOKEN, assert_healthy, host_pids, job, live_workers, run_one, step


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


TOKEN_CODE = f"{WORKER_TOKEN}def on_execute_post_login(event, api):\n    print(TOKEN)\n"


def token(pool: WorkerPool) -> str:
    """Which worker ran the job (a token its module-level code drew)."""
    return run_one(pool, TOKEN_CODE, name="token")["response"]["logs"]


def worker_pids(pool: WorkerPool) -> set[int]:
    """The host's process ids of the one worker of ``token``: its supervisor and itself."""
    token(pool)
    (worker,) = live_workers(pool, "token")
    return host_pids(worker)


def test_workers_are_reused(pool: WorkerPool) -> None:
    assert len({token(pool) for _ in range(10)}) <= pool.max_workers
    assert len(live_workers(pool, "token")) <= pool.max_workers


def test_close_ends_the_workers_and_refuses_new_jobs(overlay_dir: Path) -> None:
    pool = WorkerPool(max_workers=1, overlay_dir=overlay_dir)
    pids = worker_pids(pool)
    pool.close()
    assert all(gone(pid) for pid in pids)
    with pytest.raises(ExecutionError, match="closed"):
        run_one(pool, OK_CODE)
    pool.close()  # twice is fine


def test_a_worker_that_cannot_start_is_an_execution_error(overlay_dir: Path) -> None:
    with WorkerPool(max_workers=1, memory_mb=8, overlay_dir=overlay_dir) as starved:
        with pytest.raises(ExecutionError, match="could not start"):
            run_one(starved, OK_CODE)
        # In a batch a start that dies by a signal (8 MB gives SIGSEGV rather than MemoryError
        # in some environments) is a crash of the step, as a worker killed mid-batch is.
        try:
            results = list(starved.map([job(step(OK_CODE))]))
        except ExecutionError as exc:
            assert "could not start" in str(exc)
        else:
            ((_, output),) = results
            error = output["results"][0]["response"]["error"]
            assert error is not None and error["name"] == "PlatformError", error
            assert "crashed with SIG" in error["message"], error


def test_a_dead_idle_worker_is_replaced(overlay_dir: Path) -> None:
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        before = token(pool)
        pids = worker_pids(pool)
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        assert all(gone(pid) for pid in pids)
        assert_healthy(pool)  # the next job does not pay for it
        assert token(pool) != before


def test_workers_exit_when_the_parent_dies(tmp_path: Path, overlay_dir: Path) -> None:
    root = Path(__file__).parents[2]
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(f"""
        import threading
        from jupyter_actions.runtime import WorkerPool
        from tests.runtime.conftest import job, step, host_pids, live_workers, wait_spinning
        from tests.waiting import wait_until
        pool = WorkerPool(max_workers=1, overlay_dir={str(overlay_dir)!r})
        looping = job(step("def on_execute_post_login(event, api):\\n    while True: pass\\n"), timeout_s=600)
        threading.Thread(target=pool.run, args=(looping,), daemon=True).start()
        wait_until(lambda: live_workers(pool) and live_workers(pool)[0].ready, 60, "a ready worker")
        wait_spinning(live_workers(pool)[0])  # the worker is in the endless loop now
        print(" ".join(map(str, host_pids(live_workers(pool)[0]))), flush=True)
        threading.Event().wait()
    """)
    )
    parent = subprocess.Popen(
        [sys.executable, str(script)], cwd=root, stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(root)}
    )
    try:
        pids = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(pids) == 2 and not any(gone(pid, within=0.1) for pid in pids)
    finally:
        parent.kill()
        parent.wait()
        parent.stdout.close()
    assert all(gone(pid, within=5.0) for pid in pids)


def test_an_error_of_the_worker_itself_is_a_platform_error(overlay_dir: Path) -> None:
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        assert_healthy(pool)
        (worker,) = live_workers(pool)
        worker.loaded = False
        other = step(OK_CODE, name="other")
        spare = pool.checkout(other, pool.spec)
        spare.loaded = True  # the parent believes it sent this worker its action
        pool.checkin(spare)
        result = run_one(pool, OK_CODE, name="other")
        error = result["response"]["error"]
        assert error["error_class"] == "platform_error"
        assert error["message"] == (
            "the worker failed: RuntimeError: no action was loaded into this worker; it was replaced"
        )
        assert_healthy(pool)
