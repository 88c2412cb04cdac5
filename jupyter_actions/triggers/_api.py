"""What one action execution may touch (``ApiSession``) and the base of every api namespace."""

from __future__ import annotations

import copy
import functools
import inspect
import json
import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ..outcome import Phase
from ._event import EventList, EventView
from ._sizes import CommandSizes


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


class ApiSession:
    """The state one action execution works on.

    ``event``: the live event of the flow (plain JSON); methods that Auth0 mirrors at once
    update it in place. ``commands``: every outcome-changing call, in call order.
    ``cache``: ``{key: {"value": str, "expires_at": int_ms}}`` for this trigger.
    ``directory``: roles and groups passed by the application (docs/triggers.md).
    ``phase``: ``Phase.EXECUTE`` or ``Phase.CONTINUE``. ``now_ms``: the clock, epoch milliseconds.
    ``prior_commands``: commands of the earlier actions of the same flow execution (used for
    the once-per-transaction rules, such as ``set_primary_user``).
    ``feature_flags``: Auth0 feature flags to switch on (``actions_pl_transaction_target_scopes``,
    ``actions_cte_transaction_metadata``); without them those methods raise like Auth0's.
    ``sizes``: the running sizes of the execution's commands, held to ``_sizes``' caps.
    ``action_event``: None until the action first writes to its event (``fork_event``); then
    the event the action sees and writes, while ``event`` is the api's copy.
    ``ignored``: the api methods whose extra positional arguments were ignored (warned once).
    ``copy_event``: how ``fork_event`` copies the event (the worker's is faster than deepcopy:
    its events are plain JSON).
    """

    __slots__ = (
        "event",
        "commands",
        "cache",
        "directory",
        "phase",
        "now_ms",
        "prior_commands",
        "feature_flags",
        "action_event",
        "ignored",
        "copy_event",
        "_sizes",
    )

    def __init__(
        self,
        event: dict,
        commands: list | None = None,
        cache: dict | None = None,
        directory: dict | None = None,
        phase: str = Phase.EXECUTE,
        now_ms: Callable[[], int] = wall_clock_ms,
        prior_commands: list | None = None,
        feature_flags: frozenset | set | tuple = frozenset(),
        copy_event: Callable[[dict], dict] = copy.deepcopy,
    ) -> None:
        self.event = event
        self.commands = [] if commands is None else commands
        self.cache = {} if cache is None else cache
        self.directory = directory
        self.phase = phase
        self.now_ms = now_ms
        self.prior_commands = [] if prior_commands is None else prior_commands
        self.feature_flags = frozenset(feature_flags)
        self.action_event: dict | None = None
        self.ignored: set[str] = set()
        self.copy_event = copy_event
        self._sizes: CommandSizes | None = None

    def fork_event(self) -> None:
        """Runs before each write of the action to its event (``EventView``'s writer); the first
        time, the api keeps a copy of the event as it is, and the action writes the dict it was
        given (its own for this run). So a write never changes what an api method reads or
        checks (a refresh-token exchange stays one, roles stay the application's), and the
        copy is made only for an action that writes."""
        if self.action_event is None:
            self.action_event = self.event
            self.event = self.copy_event(self.event)

    def mirror(self, change: Callable[[dict], None]) -> None:
        """Make an api call's change to the event at once (as Auth0 mirrors some): to the api's
        event, and to the action's own once it wrote to it."""
        change(self.event)
        if self.action_event is not None:
            change(self.action_event)

    def event_view(self) -> EventView:
        """The ``event`` the action's handler gets: the event, writable for this run only."""
        return EventView(self.event, "event", self.fork_event)

    @property
    def sizes(self) -> CommandSizes:
        """Made on the first api call that records a command, the earlier actions' counted."""
        if self._sizes is None:
            self._sizes = CommandSizes()
            for command in self.prior_commands:
                self._sizes.add(command)
        return self._sizes

    def __repr__(self) -> str:
        return f"ApiSession(phase={self.phase!r}, commands={len(self.commands)}, cache={len(self.cache)} keys)"


def _view_to_plain(value: Any) -> Any:
    """json.dumps hook: event views serialise as the data they show."""
    if isinstance(value, (EventView, EventList)):
        return value._data  # noqa: SLF001 - a public name on a view would hide an event field of that name
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_PLAIN = frozenset({str, int, bool, type(None)})  # exact types: immutable, and JSON as they are


def to_json(value: Any, what: str) -> Any:
    """A JSON-safe deep copy of ``value`` (commands cross process boundaries)."""
    kind = type(value)
    if kind in _PLAIN or (kind is float and math.isfinite(value)):
        return value
    if kind is list and all(type(item) in _PLAIN for item in value):
        return list(value)
    try:
        return json.loads(json.dumps(value, allow_nan=False, default=_view_to_plain))
    except (TypeError, ValueError) as error:
        raise TypeError(f"{what} must be JSON-serialisable: {error}") from None


def is_number(value: Any) -> bool:
    """A finite int or float, not a bool (JavaScript's finite number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value)


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def option(options: Mapping | None, name: str, value: Any = None) -> Any:
    """A keyword argument, else ``options[name]`` or its camelCase Auth0 spelling.

    Lets code ported from JavaScript pass ``{"expiresInSeconds": 60}`` while Python code
    writes ``expires_in_seconds=60``.
    """
    if value is not None:
        return value
    if options is None:
        return None
    if not isinstance(options, Mapping):
        raise TypeError(f"the options must be a dict, got {type(options).__name__}")
    if name in options:
        return options[name]
    return options.get(to_camel(name))


_log = logging.getLogger("jupyter_actions.api")


def _positional_limit(function: Callable[..., Any]) -> int | None:
    """How many positional arguments a method takes after ``self`` (None: any number)."""
    parameters = list(inspect.signature(function).parameters.values())[1:]
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return None
    return sum(
        p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in parameters
    )


def _ignoring_extra_arguments(method: Callable[..., Any], limit: int) -> Callable[..., Any]:
    """``method`` that drops trailing positional arguments past ``limit``, as JavaScript does
    (Auth0's samples pass some: ``api.access.deny("code", "reason")`` on post-login), and
    says so in one warning line of the step's logs per method."""

    def within(self: Namespace, args: tuple) -> tuple:
        if len(args) > limit:
            _ignored(self, method.__name__, len(args) - limit, limit)
            return args[:limit]
        return args

    if inspect.iscoroutinefunction(method):  # stays a coroutine function (api.roles ...)

        @functools.wraps(method)
        async def call(self: Namespace, *args: Any, **kwargs: Any) -> Any:
            return await method(self, *within(self, args), **kwargs)

    else:

        @functools.wraps(method)
        def call(self: Namespace, *args: Any, **kwargs: Any) -> Any:
            return method(self, *within(self, args), **kwargs)

    call.ignores_extra_arguments = True  # type: ignore[attr-defined]
    return call


def _ignored(namespace: Namespace, name: str, extra: int, limit: int) -> None:
    where = f"api.{namespace.namespace}.{name}"
    ignored = namespace._session.ignored  # noqa: SLF001 - the namespace's own session
    if where in ignored:
        return
    ignored.add(where)
    _log.warning(
        "%s takes %d positional argument%s: %d extra argument%s ignored, as JavaScript ignores them",
        where,
        limit,
        "" if limit == 1 else "s",
        extra,
        "" if extra == 1 else "s",
    )


class Namespace:
    """Base of ``api.<namespace>``: records commands and reads the live event. Its public
    methods take extra trailing positional arguments and ignore them (``_ignoring_extra_arguments``)."""

    namespace: ClassVar[str] = ""

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        for name, value in list(vars(cls).items()):
            if name.startswith("_") or not inspect.isfunction(value) or hasattr(value, "ignores_extra_arguments"):
                continue
            limit = _positional_limit(value)
            if limit is not None:
                setattr(cls, name, _ignoring_extra_arguments(value, limit))

    def __init__(self, api: Api, session: ApiSession) -> None:
        self._api = api
        self._session = session

    @property
    def _event(self) -> dict:
        return self._session.event

    def _record(self, method: str, **fields: Any) -> dict:
        """Add an outcome-changing call; ValueError naming the cap it would pass (nothing added)."""
        command = {"type": f"{self.namespace}.{method}", **fields}
        over = self._session.sizes.add(command)
        if over is not None:
            raise ValueError(over)
        self._session.commands.append(command)
        return command

    def _recorded(self, *methods: str) -> list[dict]:
        """This action's commands of the given methods of this namespace."""
        types = {f"{self.namespace}.{m}" for m in methods}
        return [c for c in self._session.commands if c.get("type") in types]

    def __repr__(self) -> str:
        methods = sorted(n for n in dir(type(self)) if not n.startswith("_") and callable(getattr(type(self), n)))
        return f"<api.{self.namespace}: {', '.join(methods)}>"


class Api:
    """The ``api`` object: one attribute per namespace, each built on first use (an action
    touches two or three of a trigger's many namespaces, and this runs for every action).
    An action may give it attributes of its own (``api.noop = ...``, as on Auth0's JavaScript
    object): they live on this instance, which serves one run of one action."""

    _factories: Mapping[str, Callable[[Api, ApiSession], Namespace]]  # both set once in __init__
    _session: ApiSession

    def __init__(self, session: ApiSession, namespaces: Mapping[str, Callable[[Api, ApiSession], Namespace]]) -> None:
        object.__setattr__(self, "_factories", namespaces)
        object.__setattr__(self, "_session", session)

    def __getattr__(self, name: str) -> Namespace:
        factory = self._factories.get(name)
        if factory is None:
            raise AttributeError(f"api has no {name!r}: this trigger's api has {', '.join(self._factories)}")
        namespace = factory(self, self._session)
        object.__setattr__(self, name, namespace)
        return namespace

    def __dir__(self) -> list[str]:
        own = [name for name in vars(self) if not name.startswith("_") and name not in self._factories]
        return [*self._factories, *own]

    def __repr__(self) -> str:
        return f"<api: {', '.join(self._factories)}>"
