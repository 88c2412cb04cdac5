"""What the engine hands the runtime: the limits of a tenant's runs and the runnable steps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..runtime import Step, WorkerSpec
from .plan import PlannedStep


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    spec: WorkerSpec


EnvResolver = Callable[[str | None], tuple[str, ...]]


def limits_from(values: dict[str, Any]) -> Limits:
    """The tenant settings that bound a run and its workers."""
    spec = WorkerSpec(
        memory_mb=values["worker_memory_mb"],
        log_limit=values["log_limit_bytes"],
        max_processes=values["worker_max_processes"],
        network=values["outbound_network"],
        sandbox=values["sandbox"],
    )
    return Limits(timeout_s=values["flow_timeout_s"], spec=spec)


def runnable(planned: Sequence[PlannedStep], env_for: EnvResolver) -> tuple[Step, ...]:
    """The steps as workers run them: each with its dependency environment, and a version
    that failed its integrity check marked refused (it runs nowhere)."""
    return tuple(
        replace(p.step, sys_path=_joined(env_for(p.lock), *map(env_for, p.module_locks)), refused=p.refused)
        for p in planned
    )


def _joined(*paths: tuple[str, ...]) -> tuple[str, ...]:
    """The action's environment first, then each module's (one folder once)."""
    return tuple(dict.fromkeys(folder for path in paths for folder in path))
