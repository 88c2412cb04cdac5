"""Engine latency and throughput, against two floors measured in the same run.

Prints: the handler called in-process (no isolation), a JSON round trip through a pipe to a
bare child (the isolation floor), a warm single no-op action through the whole path
(validation, worker, outcome, execution record), a five-action flow, throughput with the full
worker pool, and the first test run of a fresh action (worker start included).

    python benchmarks/bench_engine.py [--runs 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

NOOP = "async def on_execute_post_login(event, api):\n    pass\n"
CHILD = (
    "import sys, json\n"
    "r, w = sys.stdin.buffer, sys.stdout.buffer\n"
    "for line in r:\n"
    "    w.write((json.dumps(json.loads(line)) + '\\n').encode()); w.flush()\n"
)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float]) -> float:
    p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
    print(f"{label:<44} p50 {p50:8.3f} ms   p99 {p99:8.3f} ms   {1000 / statistics.mean(samples):9.0f} /s")
    return p50


def in_process_floor(event: dict, runs: int) -> list[float]:
    from jupyter_actions.triggers import get_trigger
    from jupyter_actions.triggers._api import ApiSession
    from jupyter_actions.triggers._event import EventView

    trigger = get_trigger("post-login")
    namespace: dict = {}
    exec(compile(NOOP, "<noop>", "exec"), namespace)
    handler = namespace["on_execute_post_login"]
    loop = asyncio.new_event_loop()

    def once() -> None:
        session = ApiSession(event=event, commands=[], cache={}, directory=None, phase="execute")
        loop.run_until_complete(handler(EventView(event), trigger.new_api(session)))

    return timed(once, runs)


def pipe_floor(event: dict, runs: int) -> list[float]:
    child = subprocess.Popen([sys.executable, "-I", "-S", "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    line = (json.dumps(event) + "\n").encode()

    def once() -> None:
        child.stdin.write(line)
        child.stdin.flush()
        json.loads(child.stdout.readline())

    try:
        return timed(once, runs)
    finally:
        child.stdin.close()
        child.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    runs = parser.parse_args().runs
    os.environ["JUPYTER_ACTIONS_HOME"] = tempfile.mkdtemp(prefix="bench-engine-")
    from jupyter_actions import Tenant
    from jupyter_actions.triggers import get_trigger

    event = get_trigger("post-login").sample_payload()
    print(f"{os.cpu_count()} cores, {runs} runs each, post-login sample payload ({len(json.dumps(event))} bytes)\n")
    floor = report("handler in-process, no isolation (floor)", in_process_floor(event, runs))
    pipe = report("JSON round trip to a bare child (isolation)", pipe_floor(event, runs))

    with Tenant() as tenant:
        tenant.save_draft("fresh", "post-login", NOOP)
        start = time.perf_counter()
        tenant.test("fresh")
        first = (time.perf_counter() - start) * 1000
        for i in range(5):
            tenant.save_draft(f"noop-{i}", "post-login", NOOP + f"# {i}\n", deploy=True)
        tenant.bind("post-login", ["noop-0"])
        for _ in range(50):
            tenant.run_flow("post-login", event)
        single = report(
            "warm single no-op action, whole path", timed(lambda: tenant.run_flow("post-login", event), runs)
        )
        tenant.bind("post-login", [f"noop-{i}" for i in range(5)])
        for _ in range(50):
            tenant.run_flow("post-login", event)
        five = report("five-action flow, whole path", timed(lambda: tenant.run_flow("post-login", event), runs // 2))
        tenant.bind("post-login", ["noop-0"])
        threads = os.cpu_count() or 2
        done = [0]

        def worker() -> None:
            with Tenant() as own:
                for _ in range(runs // threads):
                    own.run_flow("post-login", event)
                    done[0] += 1

        start = time.perf_counter()
        workers = [threading.Thread(target=worker) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        rate = done[0] / (time.perf_counter() - start)
        print(f"{'full pool, ' + str(threads) + ' threads, single action':<44} {rate:9.0f} executions/s")
    print(f"\nfirst test run of a fresh action (worker start included): {first:.1f} ms   (target <= 300)")
    print(
        f"warm single p50 / isolation floor: {single / pipe:.1f}x   (target <= 2.5x; p50 {single:.3f} ms, target <= 0.5)"
    )
    print(f"warm single p50 / in-process floor: {single / floor:.1f}x")
    print(f"five-action flow p50 (five workers, one per action): {five:.3f} ms   (target <= 2)")


if __name__ == "__main__":
    main()
