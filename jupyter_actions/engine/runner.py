"""Running planned steps: consecutive steps that share an environment run as one worker job."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..runtime import Job
from ..triggers import Trigger
from .plan import PlannedStep
from .pools import pool_for


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    memory_mb: int
    log_limit: int


@dataclass
class RunOutput:
    results: list[dict[str, Any]]
    event: dict[str, Any]
    cache: dict[str, Any]


EnvResolver = Callable[[str | None], tuple[str, ...]]


def run_steps(
    trigger: Trigger,
    event: dict[str, Any],
    planned: Sequence[PlannedStep],
    *,
    cache: dict[str, Any],
    directory: dict | None,
    phase: str,
    limits: Limits,
    env_for: EnvResolver,
) -> RunOutput:
    """Run the steps in order with flow semantics; stops where the worker says the flow stops."""
    results: list[dict[str, Any]] = []
    deadline = time.monotonic() + limits.timeout_s
    paths = [env_for(p.lock) for p in planned]
    index = 0
    while index < len(planned):
        sys_path = paths[index]
        end = index
        while end < len(planned) and paths[end] == sys_path:
            end += 1
        job = Job(
            trigger_id=trigger.id, event=event, steps=tuple(p.step for p in planned[index:end]), cache=cache,
            directory=directory, phase=phase if index == 0 else "execute",
            timeout_s=max(deadline - time.monotonic(), 0.001),
        )
        pool = pool_for(sys_path, memory_mb=limits.memory_mb, log_limit=limits.log_limit)
        output = pool.run(job)
        results.extend(output["results"])
        event, cache = output["event"], output["cache"]
        if len(output["results"]) < end - index or _flow_ends(trigger, output["results"][-1]):
            break
        index = end
    return RunOutput(results, event, cache)


def _flow_ends(trigger: Trigger, last: dict[str, Any]) -> bool:
    if last.get("control") in ("stop", "suspend"):
        return True
    return bool(last["response"].get("error")) and trigger.blocking
