"""Module-level code runs once per worker and key; each action has its own module namespace."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jupyter_actions.runtime import WorkerPool

from .conftest import job, run_one, step

H = "on_execute_post_login"
COUNTER = (
    "import os\n"
    "loads = 0\n"
    "calls = 0\n"
    "loads += 1\n"
    f"def {H}(event, api):\n"
    "    global calls\n"
    "    calls += 1\n"
    "    print(os.getpid(), loads, calls, __name__)\n"
)


def observed(result: dict) -> tuple[int, int, int, str]:
    assert result["response"]["error"] is None, result["response"]["error"]
    pid, loads, calls, name = result["response"]["logs"].split()
    return int(pid), int(loads), int(calls), name


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
    reader = (f"def {H}(event, api):\n"
              "    print(globals().get('shared'), __name__)\n")
    result = pool.run(job(step(writer, name="writer"), step(reader, name="reader")))
    assert [r["response"]["logs"] for r in result["results"]] == ["mine writer\n", "None reader\n"]


def test_code_is_sent_once_per_worker_and_secrets_when_they_change(overlay_dir: Path) -> None:
    code = f"def {H}(event, api):\n    print(event.secrets.TOKEN, 'one', 'three')\n"
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        result = run_one(pool, code, key="k", secrets={"TOKEN": "one"})
        assert result["response"]["logs"] == "[REDACTED] [REDACTED] three\n"
        worker = pool._idle[0]
        assert worker.keys["k"] == {"TOKEN": "one"}
        sent = pool._message(worker, [job(step(code, key="k", secrets={"TOKEN": "one"}))])
        spec = json.loads(sent[4:])["jobs"][0]["s"][0]
        assert "code" not in spec and "secrets" not in spec
        sent = pool._message(worker, [job(step(code, key="k", secrets={"TOKEN": "two"}))])
        spec = json.loads(sent[4:])["jobs"][0]["s"][0]
        assert "code" not in spec and spec["secrets"] == {"TOKEN": "two"}
        # a rotated secret reaches the warm module, and is redacted with its new value
        result = run_one(pool, code, key="k", secrets={"TOKEN": "three"})
        assert result["response"]["logs"] == "[REDACTED] one [REDACTED]\n"


def test_workers_forget_the_least_recently_used_actions(overlay_dir: Path, monkeypatch) -> None:
    from jupyter_actions.runtime import pool as pool_module

    monkeypatch.setattr(pool_module, "MAX_KEYS", 3)
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        for n in range(5):
            assert observed(run_one(pool, COUNTER, name=f"a{n}", key=f"k{n}"))[1:3] == (1, 1)
        assert list(pool._idle[0].keys) == ["k2", "k3", "k4"]
        # forgotten: loaded again; remembered: still warm
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
    assert len(pool._live) <= pool.max_workers
