"""Run handlers in-process against a trigger, the way a worker would (no worker processes)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jupyter_actions.triggers import ApiSession, EventView, get_trigger

NOW_MS = 1_736_933_400_000  # 2025-01-15T09:30:00Z


@dataclass
class Run:
    session: ApiSession
    result: Any
    control: str
    outcome: dict
    deny: dict | None

    @property
    def commands(self) -> list[dict]:
        return self.session.commands

    @property
    def types(self) -> list[str]:
        return [c["type"] for c in self.session.commands]


def clock(start: int = NOW_MS) -> Callable[[], int]:
    return lambda: start


def run(
    trigger_id: str, handler: Callable, event: dict | None = None, *, event_view: bool = False, **session_args: Any
) -> Run:
    """Call ``handler(event_view, api)`` once and fold the outcome of its commands;
    ``event_view``: the writable view a worker gives (``ApiSession.event_view``)."""
    trigger = get_trigger(trigger_id)
    event = trigger.sample_payload() if event is None else event
    session_args.setdefault("now_ms", clock())
    session = ApiSession(event=event, **session_args)
    api = trigger.new_api(session)
    result = handler(session.event_view() if event_view else EventView(event), api)
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    trigger.after_action(session.event, session.commands)
    return Run(
        session,
        result,
        trigger.control(session.commands),
        trigger.fold_outcome(session.commands, event),
        trigger.deny_of(session.commands),
    )


def api_for(trigger_id: str, event: dict | None = None, **session_args: Any) -> tuple[Any, ApiSession]:
    trigger = get_trigger(trigger_id)
    session_args.setdefault("now_ms", clock())
    session = ApiSession(event=trigger.sample_payload() if event is None else event, **session_args)
    return trigger.new_api(session), session
