"""The read-only ``event`` handed to action handlers.

``EventView`` is a live view of the flow's event dict: the engine mutates the dict between
actions (metadata updates, transaction metadata ...) and every view sees the change at once.
Reads work like Auth0's ``event`` (attribute access, absent optional fields read as None) and
like a dict (item access raises KeyError). Writes raise ``ReadOnlyEventError`` naming the api
method that changes the outcome instead.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Iterator

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Longest matching prefix wins. Paths are dotted field names below ``event``.
_API_FOR_PATH: dict[str, str] = {
    "user.app_metadata": "api.user.set_app_metadata(key, value)",
    "user.user_metadata": "api.user.set_user_metadata(key, value)",
    "transaction.metadata": "api.transaction.set_metadata(key, value)",
    "transaction.target_scopes": "api.transaction.add_target_scope(scope) / remove_target_scope(scope)",
    "session.metadata": "api.session.set_metadata(key, value)",
    "session.cookie": "api.session.set_cookie_mode(mode)",
    "session.expires_at": "api.session.set_expires_at(absolute)",
    "session.idle_expires_at": "api.session.set_idle_expires_at(inactivity)",
    "session": "api.session.* (revoke, set_expires_at, set_metadata ...)",
    "refresh_token.metadata": "api.refresh_token.set_metadata(key, value)",
    "refresh_token.expires_at": "api.refresh_token.set_expires_at(absolute)",
    "refresh_token.idle_expires_at": "api.refresh_token.set_idle_expires_at(inactivity)",
    "refresh_token": "api.refresh_token.* (revoke, set_expires_at, set_metadata ...)",
    "accessToken.customClaims": "api.access_token.set_custom_claim(key, value)",
    "accessToken.scope": "api.transaction.add_target_scope(scope)",
    "authentication.methods": "api.authentication.record_method(provider_url)",
    "authorization.roles": "the application's role assignments (api.roles reads them)",
    "notification": "api.notification.retry(reason) / drop(reason)",
    "secrets": "the action's secrets, set outside its code (never by the action)",
}
_GENERIC = "the event describes the transaction; use the api object to change the outcome"


class ReadOnlyEventError(TypeError):
    """Raised when action code writes to ``event``."""


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = str(key)
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def _api_hint(path: str) -> str:
    """The api method to use instead of writing to ``path`` (``event.user.app_metadata.x``)."""
    dotted = re.sub(r'\[("?)(.*?)\1\]', r".\2", path)
    parts = dotted.split(".")[1:]
    for size in range(len(parts), 0, -1):
        hint = _API_FOR_PATH.get(".".join(parts[:size]))
        if hint:
            return "use " + hint if hint.startswith("api.") else "it comes from " + hint
    return _GENERIC


def _refuse(path: str) -> ReadOnlyEventError:
    return ReadOnlyEventError(f"{path} is read-only: {_api_hint(path)}")


def wrap(value: Any, path: str) -> Any:
    """Dicts become EventView, lists EventList; scalars are returned as they are."""
    if isinstance(value, dict):
        return EventView(value, path)
    if isinstance(value, list):
        return EventList(value, path)
    return value


class EventView(Mapping):
    """Read-only, live view of an event dict (or of one of its nested objects)."""

    __slots__ = ("_data", "_path")

    def __init__(self, data: dict, path: str = "event") -> None:
        if not isinstance(data, dict):
            raise TypeError(f"EventView needs a dict, got {type(data).__name__}")
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_path", path)

    # reading
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)  # keeps copy, pickle and IPython's display probes sane
        return wrap(self._data.get(name), _join(self._path, name))

    def __getitem__(self, key: str) -> Any:
        return wrap(self._data[key], _join(self._path, key))

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._data:
            return self[key]
        return default

    def to_dict(self) -> dict:
        """A deep copy of the data as plain dicts and lists."""
        return copy.deepcopy(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EventView):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __dir__(self) -> list[str]:
        names = [k for k in self._data if isinstance(k, str) and _IDENTIFIER.match(k)]
        return sorted(set(names) | {"get", "keys", "items", "values", "to_dict"})

    def __repr__(self) -> str:
        if self._path.endswith("secrets"):
            shown = {k: "[REDACTED]" for k in self._data}
        elif "secrets" in self._data and isinstance(self._data["secrets"], dict):
            shown = dict(self._data, secrets={k: "[REDACTED]" for k in self._data["secrets"]})
        else:
            shown = self._data
        return f"EventView({shown!r})"

    # writing is refused
    def __setattr__(self, name: str, value: Any) -> None:
        raise _refuse(_join(self._path, name))

    def __delattr__(self, name: str) -> None:
        raise _refuse(_join(self._path, name))

    def __setitem__(self, key: str, value: Any) -> None:
        raise _refuse(_join(self._path, key))

    def __delitem__(self, key: str) -> None:
        raise _refuse(_join(self._path, key))

    def _mutator(self, *args: Any, **kwargs: Any) -> None:
        raise _refuse(self._path)

    pop = popitem = clear = update = setdefault = _mutator


class EventList(Sequence):
    """Read-only, live view of a list inside the event; items are wrapped like EventView's."""

    __slots__ = ("_data", "_path")

    def __init__(self, data: list, path: str) -> None:
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_path", path)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(wrap(v, f"{self._path}[{i}]") for i, v in zip(range(*index.indices(len(self._data))), self._data[index]))
        position = index + len(self._data) if isinstance(index, int) and index < 0 else index
        return wrap(self._data[index], _join(self._path, position))

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EventList):
            return self._data == other._data
        if isinstance(other, (list, tuple)):
            return self._data == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def to_list(self) -> list:
        """A deep copy of the data as plain lists and dicts."""
        return copy.deepcopy(self._data)

    def __repr__(self) -> str:
        return f"EventList({self._data!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise _refuse(_join(self._path, name))

    def __setitem__(self, index: Any, value: Any) -> None:
        raise _refuse(self._path)

    def __delitem__(self, index: Any) -> None:
        raise _refuse(self._path)

    def _mutator(self, *args: Any, **kwargs: Any) -> None:
        raise _refuse(self._path)

    append = extend = insert = remove = pop = clear = sort = reverse = _mutator
