"""``Trigger``: one immutable description per trigger, plus the flow helpers the engine uses."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from ..outcome import Control
from . import _fold as fold
from ._api import Api, ApiSession, Namespace
from ._cache import CacheApi
from ._redirect import INTERACTION_REQUIRED
from ._schema import Node, validate
from ._transaction import MIRRORED_COMMANDS
from ._transaction import mirror as mirror_transaction

# Commands after which no further action runs (the flow is denied).
STOP_COMMANDS = frozenset(
    {
        "access.deny",
        "access.reject_invalid_subject_token",
        "validation.error",
        "session.revoke",
        "refresh_token.revoke",
    }
)
# Commands that suspend the flow until the user comes back to /continue.
SUSPEND_COMMANDS = frozenset(
    {
        "redirect.send_user_to",
        "authentication.challenge_with",
        "authentication.challenge_with_any",
        "authentication.enroll_with",
        "authentication.enroll_with_any",
        "prompt.render",
    }
)
_METADATA_COMMANDS = {"user.set_app_metadata": "app_metadata", "user.set_user_metadata": "user_metadata"}

NamespaceFactory = type[Namespace]  # called as factory(api, session)
FlowLimit = Callable[[Iterable[dict], Iterable[dict]], str | None]  # (earlier, step) -> why it fails


def stops(command: dict) -> bool:
    """Whether no further action runs after ``command``: a deny-like command, or a redirect
    the transaction refuses (``prompt=none``, a back-channel exchange: ``_redirect``)."""
    kind = command.get("type")
    return kind in STOP_COMMANDS or (kind == "redirect.send_user_to" and bool(command.get("refused")))


def live_commands(commands: list[dict]) -> list[dict]:
    """Commands that count (Auth0 discards user metadata set beside ``set_primary_user``)."""
    return [c for c in commands if isinstance(c, dict) and not c.get("discarded")]


def _merged(base: dict, changes: Mapping) -> dict:
    """``changes`` deep-merged into ``base`` (changed in place and returned)."""
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merged(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


class Trigger:
    """One trigger (immutable): ids and handler names, sample payload, schema, api and outcome rules."""

    __slots__ = (
        "id",
        "version",
        "handler",
        "continue_handler",
        "blocking",
        "title",
        "description",
        "sample",
        "schema",
        "namespaces",
        "outcome",
        "can_suspend",
        "user_metadata_in_event",
        "flow_limits",
        "api_namespaces",
        "_fold_plan",
    )

    # Set once in __init__ through object.__setattr__ (the class refuses assignment).
    id: str
    version: str
    handler: str
    continue_handler: str | None
    blocking: bool
    title: str
    description: str
    sample: Mapping[str, Any]
    schema: Node | None
    namespaces: Mapping[str, NamespaceFactory]
    outcome: Mapping[str, Callable[[list, dict], Any]]
    can_suspend: bool
    user_metadata_in_event: bool
    flow_limits: tuple[FlowLimit, ...]  # per-flow rules a step's commands may break (post-login's MFA count)
    api_namespaces: Mapping[str, NamespaceFactory]  # ``namespaces`` and ``cache``: every one of the api
    _fold_plan: fold.Plan

    def __init__(
        self,
        id: str,  # noqa: A002 - the trigger's id, as Auth0 names it
        version: str,
        handler: str,
        continue_handler: str | None,
        blocking: bool,
        title: str,
        description: str,
        sample: Mapping | None = None,
        schema: Node | None = None,
        namespaces: Mapping[str, NamespaceFactory] | None = None,
        outcome: Mapping[str, Callable[[list, dict], Any]] | None = None,
        can_suspend: bool = False,
        user_metadata_in_event: bool = False,
        flow_limits: tuple[FlowLimit, ...] = (),
    ) -> None:
        values = dict(
            id=id,
            version=version,
            handler=handler,
            continue_handler=continue_handler,
            blocking=blocking,
            title=title,
            description=description,
            sample=sample or {},
            schema=schema,
            namespaces=MappingProxyType(dict(namespaces or {})),
            outcome=MappingProxyType(dict(outcome or {})),
            can_suspend=can_suspend,
            user_metadata_in_event=user_metadata_in_event,
            flow_limits=tuple(flow_limits),
        )
        for name, value in values.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_fold_plan", fold.Plan(self.outcome))
        object.__setattr__(self, "api_namespaces", MappingProxyType({**self.namespaces, "cache": CacheApi}))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Trigger is immutable: cannot set {name!r}")

    def __repr__(self) -> str:
        return (
            f"Trigger(id={self.id!r}, version={self.version!r}, handler={self.handler!r}, "
            f"continue_handler={self.continue_handler!r}, blocking={self.blocking!r})"
        )

    def sample_payload(self) -> dict:
        """A fresh deep copy of the trigger's sample event, with Auth0's field names."""
        return copy.deepcopy(dict(self.sample))

    def test_payload(self, payload: Any = None, *, strict: bool = False) -> Any:
        """The payload a test runs on: the sample without ``payload``; else ``payload`` merged
        over the sample (objects key by key, at any depth; anything else, arrays too, replaces
        what the sample has), as ``@kilterset/auth0-actions-testing`` builds its events from a
        partial one. ``strict``: ``payload`` as it is. Not validated here (``validate_payload``
        names the JSON path of a bad field either way); a payload that is no object is left as
        it is for the validation to refuse."""
        if payload is None:
            return self.sample_payload()
        if strict or not isinstance(payload, Mapping):
            return payload
        return _merged(self.sample_payload(), payload)

    def validate_payload(self, payload: Any) -> None:
        """Raise PayloadError (``$.path: what is wrong``) if ``payload`` does not fit."""
        if self.schema is not None:
            validate(self.schema, payload)

    def new_api(self, session: ApiSession) -> Api:
        """The ``api`` object for one action execution (``api.cache`` on every trigger)."""
        return Api(session, self.api_namespaces)

    @property
    def api_methods(self) -> dict[str, list[str]]:
        """``{namespace: [method, ...]}`` of the api, for catalogs and docs."""
        found = {}
        for name, cls in self.api_namespaces.items():
            found[name] = sorted(m for m in dir(cls) if not m.startswith("_") and callable(getattr(cls, m)))
        return found

    def after_action(self, event: dict, commands: list[dict]) -> None:
        """Make one action's visible changes visible to the next action: metadata updates
        (None removes) and what ``api.transaction`` mirrors into the event. The actions of a
        flow run in workers of their own, so this is how each one sees the earlier ones."""
        if not commands:
            return
        for command in live_commands(commands):
            kind = command.get("type", "")
            if kind in MIRRORED_COMMANDS:
                mirror_transaction(event, command)
                continue
            field = _METADATA_COMMANDS.get(kind)
            user = event.get("user")
            if field is None or not self.user_metadata_in_event or not isinstance(user, dict):
                continue
            metadata = user.get(field)
            if not isinstance(metadata, dict):
                metadata = user[field] = {}
            if command["value"] is None:
                metadata.pop(command["key"], None)
            else:
                metadata[command["key"]] = copy.deepcopy(command["value"])

    def visible_copy(self, event: dict) -> dict:
        """A copy of ``event`` that ``after_action`` may change without touching ``event``:
        only the parts it writes are copied (the user's metadata, the transaction)."""
        copied = dict(event)
        user = copied.get("user")
        if isinstance(user, dict):
            user = copied["user"] = dict(user)
            for field in _METADATA_COMMANDS.values():
                if isinstance(user.get(field), dict):
                    user[field] = dict(user[field])
        if isinstance(copied.get("transaction"), dict):
            copied["transaction"] = dict(copied["transaction"])
        return copied

    def changes_event(self, commands: list[dict]) -> bool:
        """Whether ``after_action`` would change the event for these commands."""
        for command in commands:
            kind = command.get("type", "")
            if kind in MIRRORED_COMMANDS or (self.user_metadata_in_event and kind in _METADATA_COMMANDS):
                return True
        return False

    def control(self, commands: list[dict]) -> Control:
        """``stop`` after a deny-like command, ``suspend`` after a redirect, challenge or
        prompt (triggers that can suspend), else ``continue``."""
        if not commands:
            return Control.CONTINUE
        live = live_commands(commands)
        if any(stops(c) for c in live):
            return Control.STOP
        if self.can_suspend and {c.get("type") for c in live} & SUSPEND_COMMANDS:
            return Control.SUSPEND
        return Control.CONTINUE

    def flow_limit_error(self, earlier: Iterable[dict], step: list[dict]) -> str | None:
        """Why ``step``'s commands fail the flow under one of ``flow_limits`` (None: they do not);
        ``earlier`` are the flow's commands before the step, resumed runs included."""
        for limit in self.flow_limits:
            over = limit(earlier, step)
            if over is not None:
                return over
        return None

    def fold_outcome(self, commands: list[dict], event: dict) -> dict:
        """The trigger-specific outcome keys from all commands of a flow (docs/outcome.md)."""
        return self._fold_plan.fold(fold.Commands(live_commands(commands)), event)

    def deny_of(self, commands: list[dict]) -> dict | None:
        """``{"reason", "user_message"?, "code"?, "command"}`` of the first deny-like command."""
        for command in live_commands(commands):
            kind = command.get("type", "")
            if not stops(command):
                continue
            if kind == "redirect.send_user_to":
                deny = {"reason": command["refused"], "code": INTERACTION_REQUIRED}
            elif kind == "validation.error":
                deny = {"reason": command.get("error_message"), "code": command.get("error_code")}
            elif kind == "access.reject_invalid_subject_token":
                deny = {"reason": command.get("reason"), "code": "invalid_request"}
            else:
                deny = {"reason": command.get("reason")}
                for extra in ("user_message", "code"):
                    if command.get(extra) is not None:
                        deny[extra] = command[extra]
            deny["command"] = kind
            return deny
        return None
