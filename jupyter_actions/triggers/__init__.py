"""Auth0's triggers: ids, handler names, sample payloads, payload validation, ``api`` objects and
the flow helpers the engine uses (docs/internals.md section 1, docs/triggers.md).

Standard library only: action workers import this package. Trigger modules load on first use.
"""

from __future__ import annotations

import importlib

from jupyter_actions.errors import TriggerNotFound

from ._api import ApiSession
from ._event import EventList, EventView
from ._trigger import Trigger

TRIGGER_IDS: tuple[str, ...] = (
    "post-login",
    "credentials-exchange",
    "pre-user-registration",
    "post-user-registration",
    "post-change-password",
    "send-phone-message",
    "password-reset-post-challenge",
    "custom-email-provider",
    "custom-phone-provider",
    "custom-token-exchange",
    "event-stream",
)

__all__ = [
    "TRIGGER_IDS",
    "ApiSession",
    "EventList",
    "EventView",
    "Trigger",
    "all_triggers",
    "get_trigger",
]


def get_trigger(trigger_id: str) -> Trigger:
    """The trigger with this id; TriggerNotFound names the valid ids."""
    if trigger_id not in TRIGGER_IDS:
        raise TriggerNotFound(f"unknown trigger {trigger_id!r}: use one of {', '.join(TRIGGER_IDS)}")
    module = importlib.import_module(f"{__name__}.{trigger_id.replace('-', '_')}")
    return module.TRIGGER


def all_triggers() -> list[Trigger]:
    """Every trigger, in reference order."""
    return [get_trigger(trigger_id) for trigger_id in TRIGGER_IDS]
