"""A batch on a Dask LocalCluster (two worker processes) against the local inline executor.

In one run, on one PostgreSQL tenant (a throwaway server, as the tests start it) and the
three-action flow and events of bench_executor.py: the inline executor, then the Dask executor
on a LocalCluster of two single-threaded worker processes, alternating, each several times;
prints events per second, the median ratio, and the model of throughput against workers from
the measured per-partition fixed cost and per-event cost (benchmarks/README.md).

    python benchmarks/bench_dask.py [--events 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from tests.postgres import MASTER_KEY, postgres_url

    server = postgres_url.__wrapped__()
    url = next(server)
    try:
        measure(url, MASTER_KEY, args.events, args.runs)
    finally:
        next(server, None)


def measure(url: str, master_key: str, count: int, runs: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    os.environ.update(
        JUPYTER_ACTIONS_HOME=str(work / "home"), JUPYTER_ACTIONS_DATABASE_URL=url, JUPYTER_ACTIONS_MASTER_KEY=master_key
    )
    import distributed

    from benchmarks.bench_executor import ACTIONS, login_event
    from jupyter_actions import Tenant
    from jupyter_actions.executor import dask_run
    from jupyter_actions.executor.batch import execute_batch
    from jupyter_actions.triggers import get_trigger

    with Tenant() as tenant:
        for name, code in ACTIONS.items():
            tenant.save_draft(name, "post-login", code, deploy=True)
        tenant.bind("post-login", list(ACTIONS))
    sample = get_trigger("post-login").sample_payload()
    events = work / "events.jsonl"
    with events.open("w") as handle:
        for i in range(count):
            handle.write(json.dumps(login_event(sample, i)) + "\n")
    print(f"{os.cpu_count()} cores; {count} events; flow of {len(ACTIONS)} actions; PostgreSQL tenant\n")

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    inline_rates, dask_rates = [], []
    try:
        for run in range(runs):
            started = time.perf_counter()
            execute_batch("default", "post-login", str(events), str(work / "inline.jsonl"))
            inline_rates.append(count / (time.perf_counter() - started))
            started = time.perf_counter()
            execute_batch(
                "default", "post-login", str(events), str(work / "dask.jsonl"), scheduler=cluster.scheduler_address
            )
            dask_rates.append(count / (time.perf_counter() - started))
            print(f"run {run + 1}: inline {inline_rates[-1]:8.0f} events/s   dask {dask_rates[-1]:8.0f} events/s")
        ratios = [i / d for i, d in zip(inline_rates, dask_rates, strict=True)]
        print(
            f"\ninline {statistics.median(inline_rates):,.0f} events/s, dask (2 workers) "
            f"{statistics.median(dask_rates):,.0f} events/s"
        )
        print(
            f"dask overhead (inline rate / dask rate), median of {runs}: {statistics.median(ratios):.2f}x   (target <= 1.3x)"
        )
        model(cluster, count, dask_run)
    finally:
        cluster.close()


def model(cluster, count: int, dask_run) -> None:
    """Per-partition fixed cost and per-event cost on one worker, from partitions of two sizes:
    time(n) = fixed + n * per_event; throughput(W) = W * n / (fixed + n * per_event) for W
    workers with a core each, until the database's commit rate is the limit."""
    from jupyter_actions.executor.batch import execute_batch

    work = Path(tempfile.mkdtemp(prefix="bench-dask-model-"))
    source = Path(os.environ["JUPYTER_ACTIONS_HOME"]).parent / "events.jsonl"
    lines = source.read_text().splitlines(keepends=True)
    times = {}
    saved = dask_run.PARTITIONS_PER_WORKER, dask_run.MIN_PARTITION_EVENTS
    import distributed

    with distributed.Client(cluster.scheduler_address) as client:
        client.retire_workers(workers=list(client.scheduler_info()["workers"])[1:], close_workers=True)
    try:
        dask_run.PARTITIONS_PER_WORKER, dask_run.MIN_PARTITION_EVENTS = 1, 1
        for size in (500, 10_000):
            path = work / f"{size}.jsonl"
            path.write_text("".join(lines[:size]))
            samples = []
            for _ in range(3):
                started = time.perf_counter()
                execute_batch(
                    "default", "post-login", str(path), str(work / "r.jsonl"), scheduler=cluster.scheduler_address
                )
                samples.append(time.perf_counter() - started)
            times[size] = statistics.median(samples)
    finally:
        dask_run.PARTITIONS_PER_WORKER, dask_run.MIN_PARTITION_EVENTS = saved
    per_event = (times[10_000] - times[500]) / (10_000 - 500)
    fixed = times[500] - 500 * per_event
    print(f"\none worker: per-partition fixed cost {fixed * 1000:.0f} ms, per-event cost {per_event * 1e6:.0f} us")
    for workers in (1, 2, 4, 10):
        size = max(dask_run.MIN_PARTITION_EVENTS, count // (workers * dask_run.PARTITIONS_PER_WORKER))
        rate = workers * size / (fixed + size * per_event)
        print(f"model: {workers:2d} workers (a core each), {count} events -> {rate:8.0f} events/s")


if __name__ == "__main__":
    main()
