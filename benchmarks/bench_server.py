"""Flow execution over the REST API (`jupyter-actions serve`) against in-process `Tenant.run_flow`.

    python benchmarks/bench_server.py [--requests N] [--seconds S] [--concurrency C]

Sets up a throwaway tenant with a one-action post-login flow and an execute token, starts
`jupyter-actions serve` on 127.0.0.1, and measures in one run:

- in-process `Tenant.run_flow` p50 (the baseline);
- `POST /api/v2/jupyter-actions/flows/post-login/executions` one at a time on one keep-alive
  connection: p50 and its ratio to the baseline (target: p50 <= 1.5 ms and <= 3x);
- the HTTP floor: ``GET /healthz`` from C clients (no token, no tenant call): what tornado
  itself costs on this host;
- throughput from C concurrent keep-alive clients (default 16): logins/s and p99 (target:
  >= 1,000/s, p99 <= 20 ms on 2 cores), and the server's CPU per login (its workers and
  record sink included).

The load generator runs in its own process (this script with ``--load``), on raw asyncio
streams so that the client's own cost stays small beside the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

CODE = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/plan", "pro")
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# the load generator (its own process) ------------------------------------------------------
async def _client(port: int, request: bytes, deadline: float, count: int | None, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    done = 0
    while (count is None or done < count) and time.perf_counter() < deadline:
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"unexpected answer: {head[:200]!r}")
        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
        await reader.readexactly(length)
        latencies.append((time.perf_counter() - started) * 1000)
        done += 1
    writer.close()


def _request(port: int, token: str, event: dict | None) -> bytes:
    if event is None:  # the HTTP floor: tornado's own cost, no token, no tenant call
        return f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    body = json.dumps({"event": event}).encode()
    return (
        f"POST /api/v2/jupyter-actions/flows/post-login/executions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def _load(
    ports: list[int], token: str, event: dict | None, concurrency: int, seconds: float, count: int | None
) -> dict:
    """``concurrency`` clients, client i on ``ports[i % len(ports)]`` (a round-robin balancer)."""
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _client(port, _request(port, token, event), deadline, count, latencies)
            for port in (ports[i % len(ports)] for i in range(concurrency))
        )
    )
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
    }


def load_main(args: argparse.Namespace) -> None:
    given = json.loads(sys.stdin.read())  # the token comes on stdin, never in an argument list
    result = asyncio.run(_load(args.port, given["token"], given["event"], args.concurrency, args.seconds, args.count))
    print(json.dumps(result))


def run_load(
    port: int | list[int], token: str, event: dict | None, concurrency: int, seconds: float, count: int | None
) -> dict:
    """A load generator in its own process; ``port`` a server, or several taken in turn."""
    ports = port if isinstance(port, list) else [port]
    command = [
        sys.executable,
        __file__,
        "--load",
        *(f"--port={p}" for p in ports),
        "--concurrency",
        str(concurrency),
        "--seconds",
        str(seconds),
    ]
    if count is not None:
        command += ["--count", str(count)]
    done = subprocess.run(
        command, input=json.dumps({"token": token, "event": event}), capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


# the benchmark -----------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and every process below it, as /proc shows them."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = set()
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listed:
                children.update(int(child) for child in listed.read().split())
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return total + sum(cpu_seconds(child) for child in children)


def loaded_run(server: subprocess.Popen, port: int, token: str, event: dict | None, args: argparse.Namespace) -> dict:
    """A concurrent run, with the server's CPU (its workers and record sink included) per request."""
    before = cpu_seconds(server.pid)
    result = run_load(port, token, event, args.concurrency, args.seconds, None)
    result["server_cpu_ms"] = (cpu_seconds(server.pid) - before) / result["requests"] * 1000
    return result


def _in_process(tenant, event: dict, requests: int, gap_s: float) -> list[float]:
    """``Tenant.run_flow`` latencies (ms), with ``gap_s`` of idle time between calls."""
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        tenant.run_flow("post-login", event)
        latencies.append((time.perf_counter() - started) * 1000)
        if gap_s:
            time.sleep(gap_s)
    return latencies


def main(args: argparse.Namespace) -> None:
    home = tempfile.mkdtemp(prefix="bench-server-")
    os.environ["JUPYTER_ACTIONS_HOME"] = home
    from jupyter_actions import Tenant
    from jupyter_actions.server import tokens
    from jupyter_actions.triggers import get_trigger

    event = get_trigger("post-login").sample_payload()
    with Tenant() as tenant:
        tenant.save_draft("plan", "post-login", CODE, deploy=True)
        tenant.bind("post-login", ["plan"])
        _, token = tokens.create(tenant, "bench", "execute")
        for _ in range(50):
            tenant.run_flow("post-login", event)  # warm
        in_process = _in_process(tenant, event, args.requests, 0.0)
        paced = _in_process(tenant, event, args.requests, 0.002)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_actions", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        port = int(re.search(r":(\d+)/api/v2/", server.stdout.readline()).group(1))
        run_load(port, token, event, 1, 60, 50)  # warm the server's workers
        sequential = run_load(port, token, event, 1, 60, args.requests)
        floor = loaded_run(server, port, token, None, args)
        loaded = loaded_run(server, port, token, event, args)
    finally:
        server.terminate()
        server.wait(60)
    baseline = statistics.median(in_process)
    print(f"in-process Tenant.run_flow, one action     p50 {baseline:.3f} ms")
    print(
        f"in-process, 2 ms between calls             p50 {statistics.median(paced):.3f} ms "
        "(the engine's own latency when calls do not come back to back)"
    )
    print(
        f"HTTP, one client, keep-alive               p50 {sequential['p50_ms']:.3f} ms "
        f"({sequential['p50_ms'] / baseline:.1f}x in-process; targets <= 1.5 ms, <= 3x)"
    )
    print(
        f"HTTP floor: GET /healthz, {args.concurrency} clients   {floor['per_second']:,.0f} requests/s, "
        f"p50 {floor['p50_ms']:.2f} ms; server CPU {floor['server_cpu_ms']:.3f} ms a request"
    )
    print(
        f"HTTP, {args.concurrency} clients, {args.seconds:.0f} s                  {loaded['per_second']:,.0f} logins/s, "
        f"p50 {loaded['p50_ms']:.2f} ms, p99 {loaded['p99_ms']:.2f} ms (targets >= 1,000/s, p99 <= 20 ms); "
        f"server CPU {loaded['server_cpu_ms']:.3f} ms a login, workers and record sink included"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500, help="sequential requests per measurement")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the concurrent run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, action="append", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parsed = parser.parse_args()
    load_main(parsed) if parsed.load else main(parsed)
