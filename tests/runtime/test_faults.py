"""Every way an action can fail ends as a per-step error, and the next job on the pool works."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from jupyter_actions.runtime import WorkerPool
from tests.waiting import wait_until

from .conftest import assert_healthy, job, live_workers, run_one, step, wait_spinning

H = "on_execute_post_login"


def error_of(result: dict) -> dict:
    error = result["response"]["error"]
    assert error is not None, result
    assert set(error) == {"name", "message", "stack", "error_class"}
    return error


def test_exception_is_action_error_with_the_actions_own_frames(pool: WorkerPool) -> None:
    code = (
        "def helper(value):\n"
        "    raise ValueError(f'bad value {value}')\n"
        f"async def {H}(event, api):\n"
        "    helper(event.user.email)\n"
    )
    error = error_of(run_one(pool, code, name="thrower"))
    assert (error["error_class"], error["name"]) == ("action_error", "ValueError")
    assert error["message"] == "bad value j+smith@example.com"
    assert error["stack"] == (
        "Traceback (most recent call last):\n"
        '  File "<action thrower>", line 4, in on_execute_post_login\n'
        "    helper(event.user.email)\n"
        '  File "<action thrower>", line 2, in helper\n'
        "    raise ValueError(f'bad value {value}')\n"
        "ValueError: bad value j+smith@example.com\n"
    )
    assert "worker.py" not in error["stack"] and "asyncio" not in error["stack"]
    assert_healthy(pool)


def test_api_misuse_shows_the_action_line_not_the_api_internals(pool: WorkerPool) -> None:
    code = f"async def {H}(event, api):\n    api.access.deny(42)\n"
    error = error_of(run_one(pool, code, name="misuse"))
    assert error["error_class"] == "action_error"
    assert '"<action misuse>", line 2' in error["stack"]
    assert "jupyter_actions" not in error["stack"]
    assert_healthy(pool)


@pytest.mark.parametrize(
    "body",
    [
        "    while True:\n        pass\n",
        "    import time\n    time.sleep(60)\n",  # blocks the event loop of an async handler
    ],
)
def test_endless_handler_times_out_and_the_worker_is_replaced(pool: WorkerPool, body: str) -> None:
    started = time.monotonic()
    result = run_one(pool, f"async def {H}(event, api):\n{body}", timeout_s=0.5)
    elapsed = time.monotonic() - started
    error = error_of(result)
    assert (error["error_class"], error["name"]) == ("action_timeout", "TimeoutError")
    assert error["message"] == "the execution exceeded the 0.5 s limit"
    assert 0.5 <= elapsed < 3.0
    assert_healthy(pool)


def test_timeout_message_states_the_configured_figure(pool: WorkerPool) -> None:
    result = pool.run(job(step(f"def {H}(event, api):\n    while True: pass\n"), timeout_s=1.25))
    assert error_of(result["results"][0])["message"] == "the execution exceeded the 1.25 s limit"


@pytest.mark.parametrize(
    "body",
    [
        "    data = bytearray(4 * 1024 ** 3)\n",
        "    hoard = []\n    while True:\n        hoard.append(' ' * 2 ** 20)\n",
    ],
)
def test_memory_bomb_is_platform_error_and_the_worker_is_replaced(pool: WorkerPool, body: str) -> None:
    result = run_one(pool, f"def {H}(event, api):\n{body}", timeout_s=20)
    error = error_of(result)
    assert error["error_class"] == "platform_error"
    assert error["message"] == "the action exceeded the worker memory limit of 256 MiB"
    assert_healthy(pool)


def test_module_level_memory_bomb(pool: WorkerPool) -> None:
    result = run_one(pool, f"hoard = bytearray(4 * 1024 ** 3)\nasync def {H}(event, api):\n    pass\n")
    assert error_of(result)["message"] == "the action exceeded the worker memory limit of 256 MiB"
    assert_healthy(pool)


def test_sys_exit_is_action_error_naming_sys_exit_and_its_code(pool: WorkerPool) -> None:
    result = run_one(pool, f"import sys\ndef {H}(event, api):\n    sys.exit(3)\n")
    error = error_of(result)
    assert (error["error_class"], error["name"]) == ("action_error", "SystemExit")
    assert error["message"].startswith("the action called sys.exit(3)")
    assert "line 3, in on_execute_post_login" in error["stack"]
    assert_healthy(pool)


def test_sys_exit_in_async_handler(pool: WorkerPool) -> None:
    result = run_one(pool, f"import sys\nasync def {H}(event, api):\n    sys.exit('bye')\n")
    assert error_of(result)["message"].startswith("the action called sys.exit('bye')")
    assert_healthy(pool)
    assert_healthy(pool)


def test_os_exit_is_platform_error_with_the_status(pool: WorkerPool) -> None:
    result = run_one(pool, f"import os\ndef {H}(event, api):\n    os._exit(7)\n")
    error = error_of(result)
    assert error["error_class"] == "platform_error"
    assert error["message"] == "the worker exited with status 7"
    assert_healthy(pool)


def test_segmentation_fault_is_platform_error_naming_sigsegv(pool: WorkerPool) -> None:
    result = run_one(pool, f"import ctypes\ndef {H}(event, api):\n    ctypes.string_at(0)\n")
    error = error_of(result)
    assert error["error_class"] == "platform_error"
    assert "SIGSEGV" in error["message"]
    assert_healthy(pool)


def test_output_flood_is_truncated_not_an_error(pool: WorkerPool) -> None:
    code = f"def {H}(event, api):\n    for i in range(200_000):\n        print('flood', i)\n"
    result = run_one(pool, code)
    assert result["response"]["error"] is None
    logs = result["response"]["logs"]
    assert logs.startswith("flood 0\nflood 1\n")
    head, marker = logs.rsplit("\n[... output truncated: ", 1)
    assert len(head) <= 4096
    dropped = int(marker.split(" ")[0])
    total = sum(len(f"flood {i}\n") for i in range(200_000))
    assert dropped == total - len(head)
    assert marker.endswith(" characters dropped]")
    assert_healthy(pool)


def test_module_level_error_is_raised_on_every_execution(pool: WorkerPool) -> None:
    code = f"print('init')\nraise RuntimeError('init failed')\nasync def {H}(event, api):\n    pass\n"
    first = run_one(pool, code, name="broken")
    second = run_one(pool, code, name="broken")
    for result in (first, second):
        error = error_of(result)
        assert (error["error_class"], error["name"], error["message"]) == (
            "action_error",
            "RuntimeError",
            "init failed",
        )
        assert '"<action broken>", line 2, in <module>' in error["stack"]
    # a worker whose action raised is replaced: the module-level code runs again
    assert first["response"]["logs"] == second["response"]["logs"] == "init\n"
    assert_healthy(pool)


def test_syntax_error_points_at_the_line(pool: WorkerPool) -> None:
    error = error_of(run_one(pool, f"def {H}(event, api)\n    pass\n", name="typo"))
    assert (error["error_class"], error["name"]) == ("action_error", "SyntaxError")
    assert '"<action typo>", line 1' in error["stack"]
    assert_healthy(pool)


def test_plain_def_returning_a_coroutine_is_explained(pool: WorkerPool) -> None:
    code = f"async def helper():\n    print('never')\ndef {H}(event, api):\n    return helper()\n"
    result = run_one(pool, code)
    error = error_of(result)
    assert error["error_class"] == "action_error"
    assert "returned a coroutine it never awaited" in error["message"]
    assert f"async def {H}(event, api):" in error["message"]
    assert result["response"]["logs"] == ""
    assert_healthy(pool)


def test_missing_handler_is_named(pool: WorkerPool) -> None:
    error = error_of(run_one(pool, "async def on_execute_post_logon(event, api):\n    pass\n", name="typo-handler"))
    assert error["error_class"] == "action_error"
    assert "does not define the handler on_execute_post_login" in error["message"]
    assert_healthy(pool)


def test_handler_that_is_not_a_function(pool: WorkerPool) -> None:
    error = error_of(run_one(pool, f"{H} = 42\n"))
    assert "is not a function (it is int)" in error["message"]


def test_leftover_tasks_are_cancelled(pool: WorkerPool) -> None:
    code = (
        "import asyncio\n"
        "async def forever():\n"
        "    try:\n"
        "        await asyncio.sleep(3600)\n"
        "    except asyncio.CancelledError:\n"
        "        print('cancelled')\n"
        "        raise\n"
        f"async def {H}(event, api):\n"
        "    asyncio.ensure_future(forever())\n"
        "    await asyncio.sleep(0)\n"
    )
    result = run_one(pool, code, timeout_s=2)
    assert result["response"]["error"] is None
    assert result["response"]["logs"] == "cancelled\n"
    assert_healthy(pool)


def test_plain_def_and_async_def_handlers_both_run(pool: WorkerPool) -> None:
    for keyword in ("def", "async def"):
        code = f"{keyword} {H}(event, api):\n    api.access.deny('no')\n"
        result = run_one(pool, code)
        assert result["response"]["error"] is None
        assert result["commands"] == [{"type": "access.deny", "reason": "no"}]
        assert result["control"] == "stop"


def test_faults_in_a_row_leave_the_pool_at_its_size(overlay_dir) -> None:
    with WorkerPool(max_workers=1, memory_mb=256, overlay_dir=overlay_dir) as small:
        for body in ("import os\n    os._exit(1)", "while True: pass", "import sys\n    sys.exit(1)"):
            run_one(small, f"def {H}(event, api):\n    {body}\n", timeout_s=0.5)
            assert_healthy(small)
        assert len(small._live) == 1


def test_a_value_smuggled_into_the_event_stays_in_the_action(pool: WorkerPool) -> None:
    code = (
        f"def {H}(event, api):\n"
        "    object.__getattribute__(event, '_data')['user']['weird'] = {1, 2}\n"
        "    api.user.set_app_metadata('k', 'v')\n"
    )
    result = pool.run(job(step(code)))
    assert result["results"][0]["response"]["error"] is None
    # later actions see what the api made visible, never the action's own writes to its event
    assert "weird" not in result["event"]["user"]
    assert result["event"]["user"]["app_metadata"]["k"] == "v"
    assert_healthy(pool)


LOOP = f"def {H}(event, api):\n    while True:\n        pass\n"


def end_from_outside(pool: WorkerPool, target: str, signum: int) -> tuple[dict, float]:
    """Run an endless action and send ``signum`` to its worker's supervisor or to the worker
    proper, as another process of the machine would; the step result and how long it took."""
    code = LOOP + f"# {target} {signum}\n"
    name = f"outside{signum}{target}"
    outcome: dict = {}
    started = time.monotonic()
    runner = threading.Thread(target=lambda: outcome.update(result=run_one(pool, code, name=name, timeout_s=60)))
    runner.start()
    wait_until(lambda: [w for w in live_workers(pool, name) if w.ready], 30, "a ready worker")
    (worker,) = live_workers(pool, name)
    wait_spinning(worker)
    supervisor = worker.pid
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    os.kill(supervisor if target == "supervisor" else int(children[0]), signum)
    runner.join(60)
    return outcome["result"], time.monotonic() - started


KILLED = (
    "the worker was ended by signal SIGKILL from outside jupyter-actions (another process or the system's "
    "out-of-memory killer)"
)


@pytest.mark.parametrize(
    ("target", "signum", "message"),
    [
        ("worker", signal.SIGKILL, KILLED),
        ("supervisor", signal.SIGKILL, KILLED),
        (
            "supervisor",
            signal.SIGTERM,
            "the worker was ended by signal SIGTERM from outside jupyter-actions (another process)",
        ),
    ],
)
def test_a_signal_from_outside_is_reported_as_that_signal(
    pool: WorkerPool, target: str, signum: int, message: str
) -> None:
    result, elapsed = end_from_outside(pool, target, signum)
    error = error_of(result)
    assert (error["error_class"], error["name"], error["message"]) == ("platform_error", "PlatformError", message)
    assert elapsed < 30  # the signal ended it, not the 60 s timeout
    assert_healthy(pool)


def test_a_later_steps_timeout_states_the_configured_limit_not_what_was_left(pool: WorkerPool) -> None:
    slow = step(f"import time\ndef {H}(event, api):\n    time.sleep(0.6)\n", name="slow")
    endless = step(LOOP, name="endless")
    result = pool.run(job(slow, endless, timeout_s=1.0))
    assert [r["action_name"] for r in result["results"]] == ["slow", "endless"]
    assert error_of(result["results"][1])["message"] == "the execution exceeded the 1 s limit"


@pytest.mark.skipif(
    os.geteuid() != 0,
    reason="as any other user the kernel's RLIMIT_NPROC refuses the threads "
    "first: the supervisor's count is the limit that binds root",
)
def test_too_many_threads_are_reported_as_the_process_limit(overlay_dir) -> None:
    from jupyter_actions.runtime import WorkerSpec

    code = (
        f"import threading, time\ndef {H}(event, api):\n"
        "    for _ in range(40):\n"
        "        try:\n"
        "            threading.Thread(target=time.sleep, args=(10,), daemon=True).start()\n"
        "        except RuntimeError:\n"
        "            break\n"
        "    time.sleep(10)\n"
    )
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir, spec=WorkerSpec(memory_mb=1024, max_processes=8)) as small:
        error = error_of(run_one(small, code, timeout_s=30))
        assert error["error_class"] == "platform_error"
        assert error["message"] == (
            "the action exceeded the limit of 8 processes and threads for its worker and the processes it started"
        )
        assert_healthy(small)
