"""Print the pipe round-trip floor against WorkerPool.run for a no-op post-login action.

Not a test: ``PYTHONPATH=. python tests/runtime/perf_probe.py [ROUNDS]``. The floor is a child
that reads a length-prefixed JSON message (the same event) and writes it back; both sides
encode and decode, as the pool does, so the ratio shows what the pool adds on top.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_actions.runtime import Job, Step, WorkerPool
from jupyter_actions.runtime.protocol import FrameReader, decode, pack, write_all
from jupyter_actions.triggers import get_trigger

ECHO = """\
import json, os, sys
r, w = int(sys.argv[1]), int(sys.argv[2])
def read(n):
    data = b""
    while len(data) < n:
        chunk = os.read(r, n - len(data))
        if not chunk:
            sys.exit(0)
        data += chunk
    return data
while True:
    body = json.dumps(json.loads(read(int.from_bytes(read(4), "big"))), separators=(",", ":")).encode()
    os.write(w, len(body).to_bytes(4, "big") + body)
"""


def pipe_floor(event: dict, rounds: int) -> list[float]:
    child_in, to_child = os.pipe()
    from_child, child_out = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", ECHO, str(child_in), str(child_out)], pass_fds=(child_in, child_out)
    )
    os.close(child_in)
    os.close(child_out)
    reader = FrameReader(from_child)
    message = {"jobs": [{"t": "post-login", "e": event, "c": {}, "s": []}]}
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        write_all(to_child, pack(message))
        decode(reader.read())
        samples.append(time.perf_counter() - started)
    os.close(to_child)
    proc.wait()
    os.close(from_child)
    return samples


def pool_run(event: dict, rounds: int) -> tuple[list[float], float]:
    step = Step(
        key="probe",
        action_name="noop",
        secrets={"API_KEY": "probe-secret"},
        code="async def on_execute_post_login(event, api):\n    pass\n",
        handler="on_execute_post_login",
    )
    job = Job(trigger_id="post-login", event=event, steps=(step,), cache={})
    with tempfile.TemporaryDirectory() as cache, WorkerPool(max_workers=1, overlay_dir=cache) as pool:
        started = time.perf_counter()
        pool.run(job)
        first = time.perf_counter() - started
        for _ in range(200):
            pool.run(job)
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            pool.run(job)
            samples.append(time.perf_counter() - started)
    return samples, first


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    events = {
        "the 8 KB post-login sample event": get_trigger("post-login").sample_payload(),
        "a 30-byte event": {"user": {"user_id": "auth0|1"}},
    }
    for label, event in events.items():
        floor = statistics.median(pipe_floor(event, rounds)) * 1e6
        samples, first = pool_run(event, rounds)
        run = statistics.median(samples) * 1e6
        p90 = statistics.quantiles(samples, n=10)[-1] * 1e6
        print(f"with {label}:")
        print(f"  pipe JSON round trip p50: {floor:8.1f} us")
        print(f"  pool.run no-op p50:       {run:8.1f} us  (p90 {p90:.1f} us, {run / floor:.1f}x floor)")
        print(f"  first pool.run (start):   {first * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
