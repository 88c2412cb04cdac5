"""Module-level code runs once per worker and key; each action has its own module namespace."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jupyter_actions.runtime import WorkerPool
from jupyter_actions.runtime.steps import begin
from jupyter_actions.triggers import get_trigger

from .conftest import WORKER_TOKEN, job, live_workers, run_one, step

H = "on_execute_post_login"
COUNTER = (
    WORKER_TOKEN + "loads = 0\n"
    "calls = 0\n"
    "loads += 1\n"
    f"def {H}(event, api):\n"
    "    global calls\n"
    "    calls += 1\n"
    "    print(TOKEN, loads, calls, __name__)\n"
)


def observed(result: dict) -> tuple[str, int, int, str]:
    assert result["response"]["error"] is None, result["response"]["error"]
    token, loads, calls, name = result["response"]["logs"].split()
    return token, int(loads), int(calls), name


def test_module_code_runs_once_per_worker_and_key(overlay_dir: Path) -> None:
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        seen = [observed(run_one(pool, COUNTER, name="counter", key="v1")) for _ in range(5)]
        pids = {pid for pid, *_ in seen}
        assert len(pids) == 1
        assert [(loads, calls) for _, loads, calls, _ in seen] == [(1, n) for n in range(1, 6)]
        assert {name for *_, name in seen} == {"counter"}
        # the same code under another key is another module, loaded afresh
        assert observed(run_one(pool, COUNTER, name="counter", key="v2"))[1:3] == (1, 1)
        assert observed(run_one(pool, COUNTER, name="counter", key="v1"))[1:3] == (1, 6)


def test_boot_duration_only_when_loaded(overlay_dir: Path) -> None:
    code = f"import time\ntime.sleep(0.02)\ndef {H}(event, api):\n    pass\n"
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        first = run_one(pool, code)["response"]["stats"]["boot_duration_ms"]
        second = run_one(pool, code)["response"]["stats"]["boot_duration_ms"]
    assert first >= 20 and second == 0.0


def test_each_action_has_its_own_namespace(pool: WorkerPool) -> None:
    writer = f"shared = 'mine'\ndef {H}(event, api):\n    print(shared, __name__)\n"
    reader = f"def {H}(event, api):\n    print(globals().get('shared'), __name__)\n"
    result = pool.run(job(step(writer, name="writer"), step(reader, name="reader")))
    assert [r["response"]["logs"] for r in result["results"]] == ["mine writer\n", "None reader\n"]


def test_a_worker_runs_one_action_and_gets_it_once(overlay_dir: Path) -> None:
    code = f"{WORKER_TOKEN}def {H}(event, api):\n    print(TOKEN, event.secrets.TOKEN, 'one', 'three')\n"
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        first = run_one(pool, code, key="k", secrets={"TOKEN": "one"})["response"]["logs"].split()
        assert first[1:] == ["[REDACTED]", "[REDACTED]", "three"]
        (worker,) = live_workers(pool)
        again = step(code, key="k", secrets={"TOKEN": "one"})
        sent = json.loads(
            pool.message(worker, again, [begin(0, job(again), get_trigger("post-login"), pool.spec.log_limit)])[4:]
        )
        assert "load" not in sent  # the code and secrets went with its first job only
        # a rotated secret is another worker: secrets reach only the worker made for them
        rotated = run_one(pool, code, key="k", secrets={"TOKEN": "three"})["response"]["logs"].split()
        assert rotated[1:] == ["[REDACTED]", "one", "[REDACTED]"] and rotated[0] != first[0]
        other = run_one(pool, code, key="k2", name="other", secrets={"TOKEN": "one"})["response"]["logs"].split()
        assert other[0] not in (first[0], rotated[0])  # another action never shares a worker
        assert len(pool._live) == 3


def test_idle_workers_beyond_the_limit_are_stopped_least_recently_used_first(overlay_dir: Path) -> None:
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir, max_idle=3) as pool:
        for n in range(5):
            assert observed(run_one(pool, COUNTER, name=f"a{n}", key=f"k{n}"))[1:3] == (1, 1)
        assert sorted(w.key[2] for w in live_workers(pool)) == ["a2", "a3", "a4"]
        # stopped: loaded again; kept: still warm
        assert observed(run_one(pool, COUNTER, name="a0", key="k0"))[1:3] == (1, 1)
        assert observed(run_one(pool, COUNTER, name="a4", key="k4"))[1:3] == (1, 2)


def test_run_from_several_threads(pool: WorkerPool) -> None:
    code = f"import time\ndef {H}(event, api):\n    time.sleep(0.05)\n    print(event.user.user_id)\n"

    def one(n: int) -> str:
        event = job(step(code)).event
        event["user"]["user_id"] = f"user-{n}"
        result = pool.run(job(step(code), event=event))
        return result["results"][0]["response"]["logs"]

    with ThreadPoolExecutor(6) as threads:
        logs = list(threads.map(one, range(12)))
    assert logs == [f"user-{n}\n" for n in range(12)]
    assert len(live_workers(pool, "action")) <= pool.max_workers
