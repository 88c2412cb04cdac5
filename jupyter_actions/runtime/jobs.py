"""The work a pool runs: a Job is a flow execution (or a test run), a Step one action of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One action of a flow (or the single action of a test run)."""

    key: str                    # identity of the code: version id, or "draft:<sha256>"
    action_name: str
    code: str
    secrets: Mapping[str, str]  # plain values: sent through the pipe, never argv or env
    handler: str                # the handler to call ("on_execute_post_login" ...)
    action_id: str | None = None
    version_id: str | None = None
    version_number: int | None = None
    binding_id: str | None = None


@dataclass(frozen=True)
class Job:
    """A flow execution. With ``event_json`` (the event as JSON text) it is a lean job: the
    worker validates the event, folds the outcome and returns the serialised, redacted
    execution in one frame (see lean.py); ``event`` is then unused."""

    trigger_id: str
    event: dict | None          # without secrets: the worker sets event.secrets per step
    steps: tuple[Step, ...]
    cache: dict                 # snapshot of the trigger's cache
    directory: dict | None = None
    phase: str = "execute"      # or "continue" for the first step of a resumed flow
    timeout_s: float = 20.0     # wall clock for the whole job
    event_json: str | None = None
