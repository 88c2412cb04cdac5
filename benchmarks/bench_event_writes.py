"""What an action's writes to its event cost a worker step, in-process (no worker, no pipe).

A step decodes its event, builds the api and the event view, and calls the handler. An action
that writes to its event also pays one copy of the event for the api (``ApiSession.fork_event``,
through orjson in the worker). Prints the median per-step time of a no-op handler, a reading
one and a writing one, and the writing one against the no-op (ratios in the same run).

    python benchmarks/bench_event_writes.py [--steps 2000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

import orjson

from jupyter_actions.runtime.worker import _json_copy
from jupyter_actions.triggers import ApiSession, get_trigger


def step_time(trigger, blob: bytes, handler, steps: int) -> float:
    """Seconds per step of the worker's per-step setup and the handler."""
    started = time.perf_counter()
    for _ in range(steps):
        event = orjson.loads(blob)
        event["secrets"] = {"API_KEY": "k"}
        session = ApiSession(event=event, copy_event=_json_copy)
        api = trigger.new_api(session)
        handler(session.event_view(), api)
    return (time.perf_counter() - started) / steps


def noop(event, api) -> None:
    pass


def reads(event, api) -> None:
    _ = event.user.email, event.user.app_metadata.plan, event.request.geoip.countryCode


def writes(event, api) -> None:
    event.user.email = "someone@example.com"
    event.user.app_metadata["plan"] = "gold"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    options = parser.parse_args()
    trigger = get_trigger("post-login")
    blob = orjson.dumps(trigger.sample_payload())
    handlers = {"no-op handler": noop, "reading handler": reads, "writing handler": writes}
    samples: dict[str, list[float]] = {name: [] for name in handlers}
    for _ in range(options.repeats):  # interleaved, so that load on the host hits all alike
        for name, handler in handlers.items():
            samples[name].append(step_time(trigger, blob, handler, options.steps))
    print(f"post-login sample ({len(blob)} bytes), {options.steps} steps x {options.repeats} repeats, medians\n")
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, median in medians.items():
        print(f"{name:<18} {median * 1e6:8.1f} us per step")
    base = medians["no-op handler"]
    print(
        f"\nwriting / no-op: {medians['writing handler'] / base:.2f}x   reading / no-op: {medians['reading handler'] / base:.2f}x"
    )


if __name__ == "__main__":
    main()
