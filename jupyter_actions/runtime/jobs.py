"""The work a pool runs: a Job is a flow execution (or a test run), a Step one action of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..outcome import Phase


@dataclass(frozen=True)
class WorkerSpec:
    """How a worker is started and bounded; part of its identity (docs/security.md)."""

    memory_mb: int = 512  # one limit for the worker and all its descendants
    log_limit: int = 256 * 1024  # captured output kept per step
    max_processes: int = 32  # processes and threads in the worker's tree
    network: str = "open"  # "open", "deny" or a comma list of TCP ports
    sandbox: str = "strict"  # "strict" refuses to run without a layer; "best-effort" warns


@dataclass(frozen=True)
class ModuleSource:
    """An Actions Module version that a step's action imports (``from actions_modules import NAME``)."""

    name: str
    code: str
    secrets: Mapping[str, str]  # the module's own values: its code reads them as actions.secrets


@dataclass(frozen=True)
class Step:
    """One action of a flow (or the single action of a test run)."""

    key: str  # identity of the code: version id, or "draft:<sha256>"
    action_name: str
    code: str
    secrets: Mapping[str, str]  # plain values: sent through the pipe, never argv or env
    handler: str  # the handler to call ("on_execute_post_login" ...)
    action_id: str | None = None
    version_id: str | None = None
    version_number: int | None = None
    binding_id: str | None = None
    sys_path: tuple[str, ...] | None = None  # the action's dependency environment (None: the pool's)
    refused: str | None = None  # why this step must not run (a failed integrity check)
    modules: tuple[ModuleSource, ...] = ()  # the module versions the action is pinned to


@dataclass(frozen=True)
class Job:
    """A flow execution: its steps run one after the other, each on a worker of its own action.

    ``event_json`` (the event as the JSON text it was read as) lets a batch hand the event to
    the workers without encoding it again; ``event`` is then the decoded event all the same.
    """

    trigger_id: str
    event: dict  # without secrets: the worker sets event.secrets per step
    steps: tuple[Step, ...]
    cache: dict  # snapshot of the trigger's cache
    directory: dict | None = None
    phase: Phase = Phase.EXECUTE  # CONTINUE for the first step of a resumed flow
    timeout_s: float = 20.0  # wall clock for the whole job (the time its steps run)
    event_json: bytes | None = None
    spec: WorkerSpec | None = None  # None: the pool's
    resumed_commands: tuple[dict, ...] = ()  # of the runs a continued flow resumes: per-flow limits count them
