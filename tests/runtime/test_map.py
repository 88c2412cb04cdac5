"""pool.map: batches on every worker, a result for every job, faults confined to their job."""

from __future__ import annotations

import itertools
import json
import os
import time

import pytest

from jupyter_actions.errors import TriggerNotFound
from jupyter_actions.runtime import Job, WorkerPool
from jupyter_actions.runtime.steps import begin
from jupyter_actions.triggers import get_trigger

from .conftest import WORKER_TOKEN, assert_healthy, job, live_workers, step

H = "on_execute_post_login"
ECHO = (
    f"def {H}(event, api):\n    print(event.user.user_id)\n    api.id_token.set_custom_claim('n', event.user.user_id)\n"
)
HANG = f"def {H}(event, api):\n    while True:\n        pass\n"
DIE = f"import os\ndef {H}(event, api):\n    os._exit(9)\n"


def numbered(n: int, code: str = ECHO, timeout_s: float = 5.0) -> Job:
    event = {"user": {"user_id": f"user-{n}"}}
    return job(step(code, name="echo"), event=event, timeout_s=timeout_s)


def check(index: int, result: dict) -> None:
    only = result["results"][0]
    assert only["response"]["error"] is None, (index, only["response"]["error"])
    assert only["response"]["logs"] == f"user-{index}\n"
    assert only["commands"] == [{"type": "id_token.set_custom_claim", "key": "n", "value": f"user-{index}"}]


def test_map_returns_every_result_with_one_timeout_among_them(pool: WorkerPool) -> None:
    jobs = [numbered(n) for n in range(300)]
    jobs[37] = numbered(37, HANG, timeout_s=0.3)
    jobs[150] = numbered(150, DIE)
    got = dict(pool.map(iter(jobs), batch_size=16))
    assert sorted(got) == list(range(300))
    for index, result in sorted(got.items()):
        if index == 37:
            error = result["results"][0]["response"]["error"]
            assert (error["error_class"], error["message"]) == (
                "action_timeout",
                "the execution exceeded the 0.3 s limit",
            )
        elif index == 150:
            assert result["results"][0]["response"]["error"]["message"] == "the worker exited with status 9"
        else:
            check(index, result)
    assert_healthy(pool)


def test_map_yields_as_jobs_finish(pool: WorkerPool) -> None:
    """The first job does not end before the test stops reading (it used to sleep 0.3 s, and the
    test passed only when the quicker jobs' worker booted within that time)."""
    jobs = [numbered(0, HANG, timeout_s=120)] + [numbered(n) for n in range(1, 5)]
    results = pool.map(jobs, batch_size=1)
    first = [index for index, _ in itertools.islice(results, 4)]
    results.close()  # abandons the endless job: its worker is killed
    assert sorted(first) == [1, 2, 3, 4]
    assert_healthy(pool)


def test_the_deadline_of_a_job_starts_when_its_worker_starts_it(overlay_dir) -> None:
    sleepy = f"import time\ndef {H}(event, api):\n    time.sleep(0.1)\n    print(event.user.user_id)\n"
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as solo:
        got = dict(solo.map([numbered(n, sleepy, timeout_s=0.5) for n in range(8)], batch_size=8))
    assert all(r["results"][0]["response"]["error"] is None for r in got.values())


def test_map_uses_every_worker(pool: WorkerPool) -> None:
    code = f"{WORKER_TOKEN}def {H}(event, api):\n    print(TOKEN)\n"
    tokens = {r["results"][0]["response"]["logs"] for _, r in pool.map(numbered(n, code) for n in range(64))}
    assert len(tokens) == pool.max_workers


def test_stopping_early_leaves_the_pool_working(pool: WorkerPool) -> None:
    for _ in pool.map(numbered(n) for n in range(1000)):
        break
    assert len(live_workers(pool, "echo", ECHO)) <= pool.max_workers
    assert sorted(dict(pool.map([numbered(n) for n in range(10)]))) == list(range(10))
    assert_healthy(pool)


def test_a_bad_trigger_is_reported_before_anything_runs(pool: WorkerPool) -> None:
    bad = Job(trigger_id="post-logon", event={}, steps=(), cache={})
    with pytest.raises(TriggerNotFound):
        list(pool.map([numbered(0), bad]))
    with pytest.raises(TriggerNotFound):
        pool.run(bad)
    assert_healthy(pool)


def test_map_throughput_smoke(pool: WorkerPool) -> None:
    """Not a benchmark: guards against a per-job cost in the order of milliseconds."""
    jobs = [numbered(n) for n in range(2000)]
    started = time.perf_counter()
    count = sum(1 for _ in pool.map(jobs))
    elapsed = time.perf_counter() - started
    assert count == 2000
    assert elapsed < 10 * (os.cpu_count() or 1)


def test_large_events_cross_the_pipes_whole(pool: WorkerPool) -> None:
    """Messages bigger than a pipe: partial reads and writes, in run and in map."""
    big = "x" * (3 * 1024 * 1024)
    code = (
        f"def {H}(event, api):\n"
        "    api.user.set_app_metadata('size', len(event.user.user_metadata.blob))\n"
        "    print(event.user.user_id)\n"
    )

    def heavy(n: int) -> Job:
        event = {"user": {"user_id": f"user-{n}", "user_metadata": {"blob": big}, "app_metadata": {}}}
        return job(step(code, name="heavy"), event=event, timeout_s=30)

    result = pool.run(heavy(0))
    assert result["event"]["user"]["app_metadata"]["size"] == len(big)
    assert result["event"]["user"]["user_metadata"]["blob"] == big
    got = dict(pool.map([heavy(n) for n in range(6)], batch_size=3))
    assert sorted(got) == list(range(6))
    for index, result in got.items():
        assert result["results"][0]["response"]["logs"] == f"user-{index}\n"
        assert result["event"]["user"]["user_metadata"]["blob"] == big


def test_a_batch_step_is_described_once_per_message_and_jobs_keep_their_own_cache(overlay_dir) -> None:
    sample = job(step(ECHO)).event
    code = (
        f"def {H}(event, api):\n"
        "    print(event.user.user_id, api.cache.get('seen') is None)\n"
        "    api.cache.set('seen', event.user.user_id)\n"
    )
    steps = (step(code, name="mixed"),)
    cache: dict = {}

    def event(n: int) -> dict:
        return {**sample, "user": {**sample["user"], "user_id": f"user-{n}"}}

    def as_text(n: int) -> Job:
        return Job(
            trigger_id="post-login", event=event(n), event_json=json.dumps(event(n)).encode(), steps=steps, cache=cache
        )

    jobs = [
        as_text(0),
        as_text(1),
        Job(trigger_id="post-login", event=event(2), steps=steps, cache=cache),
        as_text(3),
        as_text(4),
    ]
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        worker = pool.checkout(steps[0], pool.spec)
        flows = [begin(n, j, get_trigger("post-login"), pool.spec.log_limit) for n, j in enumerate(jobs)]
        message = json.loads(pool.message(worker, steps[0], flows)[4:].partition(b"\x00")[0])
        pool.discard(worker)
        assert message["load"]["code"] == code  # the action, once, to a worker that lacks it
        assert ["t" in j for j in message["jobs"]] == [True, False, True, True, False]
        got = dict(pool.map(jobs, batch_size=8))
    assert sorted(got) == [0, 1, 2, 3, 4]
    for index in range(5):
        assert got[index]["results"][0]["response"]["logs"] == f"user-{index} True\n", index
        assert got[index]["cache"]["seen"]["value"] == f"user-{index}"
    assert cache == {}
