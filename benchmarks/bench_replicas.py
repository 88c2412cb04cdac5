"""Two `jupyter-actions serve` replicas on one PostgreSQL tenant against one, and how fast a
change made through one is in force through the other.

    python benchmarks/bench_replicas.py [--rounds N] [--seconds S] [--concurrency C]
                                        [--trials T] [--database-url URL]

Starts a throwaway PostgreSQL server (tests/postgres.py) unless ``--database-url`` names an
empty database, sets up a one-action post-login flow and an execute token on it, and starts two
`serve` processes, each with a home of its own (as on two hosts). Then, in one run:

- throughput of C concurrent keep-alive clients (default 16) on one replica, and on both (the
  clients taken in turn, as a round-robin load balancer would), alternating for N rounds:
  logins/s, p50 and p99, the ratio two/one, and the CPU per login of the replicas (their
  workers and record sinks included) and of PostgreSQL (every backend);
- the coherence bounds, over T trials each: whether the first login through replica b after a
  deploy answered by replica a runs the new version; how long after a login through a that sets
  an ``api.cache`` entry has answered the entry is committed (read by the statement every
  replica's next login runs); how long after b answers a login its record is in the log;
- what that per-login read costs: p50 of the one statement (store/hot.py) against the same
  reads in a pooled SQLAlchemy transaction (how they were made before), interleaved.

The load generator is bench_server.py's (its own process, raw asyncio streams).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from bench_server import CODE, cpu_seconds, run_load
from sqlalchemy import select, text

from jupyter_actions.store.schema import cache_entries

REPO = Path(__file__).resolve().parent.parent
PLAN = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/plan", "{plan}")
"""
SHARED_CACHE = """
async def on_execute_post_login(event, api):
    found = api.cache.get("shared")
    api.id_token.set_custom_claim("cached", found["value"] if found else None)
    if event.user.user_id.startswith("writer"):
        api.cache.set("shared", event.user.email)
"""


@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    sys.path.insert(0, str(REPO))
    from tests.postgres import running

    with running() as made:
        yield made


def start_replica(home: Path, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    replica = subprocess.Popen(
        [sys.executable, "-m", "jupyter_actions", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # its access log
        text=True,
        env={**env, "JUPYTER_ACTIONS_HOME": str(home)},
    )
    found = re.search(r":(\d+)/api/v2/", replica.stdout.readline())
    if found is None:
        replica.kill()
        raise SystemExit("a replica did not start")
    return replica, int(found.group(1))


def postmaster_pid(tenant) -> int:
    """PostgreSQL's main process (the parent of this connection's backend): every backend,
    the replicas' included, is below it."""
    with tenant.store.read() as conn:
        backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with open(f"/proc/{backend}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def throughput(ports: list[int], pids: list[int], postgres: int, token: str, event: dict, args) -> dict:
    replicas_before = sum(cpu_seconds(pid) for pid in pids)
    postgres_before = cpu_seconds(postgres)
    result = run_load(ports, token, event, args.concurrency, args.seconds, None)
    result["replicas_cpu_ms"] = (sum(cpu_seconds(pid) for pid in pids) - replicas_before) / result["requests"] * 1000
    result["postgres_cpu_ms"] = (cpu_seconds(postgres) - postgres_before) / result["requests"] * 1000
    return result


def run_flow(client: httpx.Client, event: dict) -> dict:
    answer = client.post("/jupyter-actions/flows/post-login/executions", json={"event": event})
    answer.raise_for_status()
    return answer.json()


def deploy_bound(manage: httpx.Client, other: httpx.Client, action_id: str, event: dict, trials: int) -> int:
    """How many of ``trials`` deploys through a were in force at b's very next login."""
    in_force = 0
    for trial in range(trials):
        plan = f"v{trial}"
        manage.patch(f"/actions/actions/{action_id}", json={"code": PLAN.format(plan=plan)}).raise_for_status()
        manage.post(f"/actions/actions/{action_id}/deploy").raise_for_status()
        in_force += run_flow(other, event)["outcome"]["id_token_claims"] == {"https://example.com/plan": plan}
    return in_force


def committed_cache(tenant) -> str | None:
    """The shared entry as the next login through any replica reads it (the same statement)."""
    entry = tenant.engine.hot.generation_and_cache("post-login", int(time.time() * 1000))[1].get("shared")
    return entry["value"] if entry else None


def committed(tenant, execution_id: str) -> bool:
    """Whether the execution is in the tenant's log (committed by the replica that ran it)."""
    with tenant.store.read() as conn:
        return conn.execute(text("SELECT 1 FROM executions WHERE id = :id"), {"id": execution_id}).first() is not None


def login_read_ms(tenant, rounds: int = 10, reads: int = 300) -> tuple[float, float]:
    """p50 (median of rounds) of the per-login read of the generation and the trigger's cache:
    the one statement every replica runs (store/hot.py), and as a pooled SQLAlchemy transaction
    of two SELECTs (pool ping, BEGIN, SELECT, SELECT, COMMIT; how it was read before)."""

    def pooled() -> None:
        with tenant.store.read() as conn:
            tenant.store.generation(conn)
            conn.execute(
                select(cache_entries).where(
                    cache_entries.c.trigger_id == "post-login", cache_entries.c.expires_at > int(time.time() * 1000)
                )
            ).all()

    def one_statement() -> None:
        tenant.engine.hot.generation_and_cache("post-login", int(time.time() * 1000))

    medians: dict = {pooled: [], one_statement: []}
    for _ in range(rounds):
        for read, found in medians.items():
            latencies = []
            for _ in range(reads):
                started = time.perf_counter()
                read()
                latencies.append((time.perf_counter() - started) * 1000)
            found.append(statistics.median(latencies))
    return statistics.median(medians[one_statement]), statistics.median(medians[pooled])


def seen_after(write, read, timeout: float = 10.0) -> float:
    """Milliseconds from the end of ``write()`` until ``read()`` holds (polled back to back)."""
    write()
    written = time.perf_counter()
    while not read():
        if time.perf_counter() - written > timeout:
            raise SystemExit(f"not seen within {timeout} s")
    return (time.perf_counter() - written) * 1000


def main(args: argparse.Namespace) -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    with database(args.database_url) as url:
        from cryptography.fernet import Fernet

        from jupyter_actions import Tenant
        from jupyter_actions.cipher import MASTER_KEY_ENV
        from jupyter_actions.server import tokens
        from jupyter_actions.triggers import get_trigger

        env = {
            **os.environ,
            MASTER_KEY_ENV: os.environ.get(MASTER_KEY_ENV) or Fernet.generate_key().decode(),
            "JUPYTER_ACTIONS_DATABASE_URL": url,
        }
        os.environ.update(env)
        event = get_trigger("post-login").sample_payload()
        with Tenant(home=root / "set-up") as tenant:
            tenant.save_draft("plan", "post-login", CODE, deploy=True)
            tenant.bind("post-login", ["plan"])
            _, execute = tokens.create(tenant, "bench", "execute")
            _, manage = tokens.create(tenant, "bench-manage", "manage")
            postgres = postmaster_pid(tenant)
            a, port_a = start_replica(root / "host-a", env)
            b, port_b = start_replica(root / "host-b", env)
            try:
                run_load([port_a, port_b], execute, event, 2, 60, 50)  # warm both replicas' workers
                one, two = [], []
                for _ in range(args.rounds):
                    one.append(throughput([port_a], [a.pid], postgres, execute, event, args))
                    two.append(throughput([port_a, port_b], [a.pid, b.pid], postgres, execute, event, args))
                bounds = coherence(tenant, port_a, port_b, execute, manage, event, args.trials)
                bounds["read_ms"] = login_read_ms(tenant)
            finally:
                for replica in (a, b):
                    replica.terminate()
                    replica.wait(60)
    report(one, two, bounds, args)


def coherence(tenant, port_a: int, port_b: int, execute: str, manage: str, event: dict, trials: int) -> dict:
    api = "http://127.0.0.1:{}/api/v2"
    with (
        httpx.Client(base_url=api.format(port_a), headers={"Authorization": f"Bearer {manage}"}) as manage_a,
        httpx.Client(base_url=api.format(port_a), headers={"Authorization": f"Bearer {execute}"}) as run_a,
        httpx.Client(base_url=api.format(port_b), headers={"Authorization": f"Bearer {execute}"}) as run_b,
    ):
        action_id = tenant.get_action("plan").id
        deployed = deploy_bound(manage_a, run_b, action_id, event, trials)
        tenant.save_draft("shared-cache", "post-login", SHARED_CACHE, deploy=True)
        tenant.bind("post-login", ["shared-cache"])
        cache_ms = []
        for trial in range(trials):
            writer = {**event, "user": {**event["user"], "user_id": "writer|a", "email": f"{trial}@a.example"}}
            cache_ms.append(
                seen_after(
                    lambda writer=writer: run_flow(run_a, writer),
                    lambda trial=trial: committed_cache(tenant) == f"{trial}@a.example",
                )
            )
        log_ms = []
        ran: list[str] = []
        for _ in range(trials):
            log_ms.append(
                seen_after(lambda: ran.append(run_flow(run_b, event)["id"]), lambda: committed(tenant, ran[-1]))
            )
    return {"deployed": deployed, "trials": trials, "cache_ms": cache_ms, "log_ms": log_ms}


def report(one: list[dict], two: list[dict], bounds: dict, args: argparse.Namespace) -> None:
    def median(runs: list[dict], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    ratios = [b["per_second"] / a["per_second"] for a, b in zip(one, two, strict=True)]
    for label, runs in (("one replica ", one), ("two replicas", two)):
        each = ", ".join(f"{r['per_second']:,.0f}" for r in runs)
        print(
            f"{label}, {args.concurrency} clients: {median(runs, 'per_second'):,.0f} logins/s "
            f"(runs: {each}), p50 {median(runs, 'p50_ms'):.2f} ms, "
            f"p99 {median(runs, 'p99_ms'):.2f} ms; CPU a login: replicas {median(runs, 'replicas_cpu_ms'):.3f} ms, "
            f"PostgreSQL {median(runs, 'postgres_cpu_ms'):.3f} ms"
        )
    print(f"two replicas / one: {statistics.median(ratios):.2f}x (runs: {', '.join(f'{r:.2f}' for r in ratios)})")
    cpu_one = median(one, "replicas_cpu_ms") + median(one, "postgres_cpu_ms")
    cpu_two = median(two, "replicas_cpu_ms") + median(two, "postgres_cpu_ms")
    print(f"CPU a login, replicas + PostgreSQL: two / one {cpu_two / cpu_one:.2f}x")
    print(
        f"deploy through a, next login through b: {bounds['deployed']}/{bounds['trials']} ran the new version "
        "(bound: the deploy's answer)"
    )
    one_statement, pooled = bounds["read_ms"]
    print(
        f"per-login read of the generation and the cache: p50 {one_statement:.3f} ms, one statement "
        f"(a pooled transaction of two SELECTs: {pooled:.3f} ms, {pooled / one_statement:.1f}x)"
    )
    for label, key in (
        ("api.cache set through a, committed for every replica", "cache_ms"),
        ("login through b, in the one log", "log_ms"),
    ):
        values = bounds[key]
        print(f"{label}: median {statistics.median(values):.1f} ms, max {max(values):.1f} ms over {len(values)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of one and two replicas")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each concurrent run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--trials", type=int, default=20, help="trials of each coherence bound")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a throwaway server)")
    main(parser.parse_args())
