"""The ``event`` handed to action handlers: a view that reads like Auth0's and takes writes.

``EventView`` is a live view of an event dict (and ``EventList`` of a list in it). Reads work
like Auth0's ``event`` (attribute access, absent optional fields read as None) and like a dict
(item access raises KeyError). Writes work as they do on Auth0's plain JavaScript object: an
assignment (attribute or item, nested too), a deletion or a list change goes into the viewed
data. Before the first write of a view (or of any view made from it) its ``before_write``
callable runs once per write: the worker passes the step's ``ApiSession.fork_event``, which
keeps the api's own copy of the event as it was, so that a write changes the action's view
only (docs/runtime.md, "The event is the action's own").
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping, MutableSequence
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Writer = Callable[[], None] | None  # runs before a write (ApiSession.fork_event in a worker)


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = str(key)
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def _plain(value: Any) -> Any:
    """What a write stores: a view's data (aliased, as a JavaScript object would be)."""
    if isinstance(value, (EventView, EventList)):
        return value._data  # noqa: SLF001 - a view's own data
    return value


def wrap(value: Any, path: str, writer: Writer = None) -> Any:
    """Dicts become EventView, lists EventList; scalars are returned as they are."""
    if isinstance(value, dict):
        return EventView(value, path, writer)
    if isinstance(value, list):
        return EventList(value, path, writer)
    return value


class EventView(MutableMapping):
    """Live view of an event dict (or of one of its nested objects); ``writer`` runs before
    each write (see the module's docstring)."""

    __slots__ = ("_data", "_path", "_writer")
    _data: dict  # the three are set once in __init__ (an assignment is a write to the data)
    _path: str
    _writer: Writer

    def __init__(self, data: dict, path: str = "event", writer: Writer = None) -> None:
        if not isinstance(data, dict):
            raise TypeError(f"EventView needs a dict, got {type(data).__name__}")
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_writer", writer)

    # reading
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)  # keeps copy, pickle and IPython's display probes sane
        return wrap(self._data.get(name), _join(self._path, name), self._writer)

    def __getitem__(self, key: str) -> Any:
        return wrap(self._data[key], _join(self._path, key), self._writer)

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
        shown: dict[str, Any]
        if self._path.endswith("secrets"):
            shown = {k: "[REDACTED]" for k in self._data}
        elif "secrets" in self._data and isinstance(self._data["secrets"], dict):
            shown = dict(self._data, secrets={k: "[REDACTED]" for k in self._data["secrets"]})
        else:
            shown = self._data
        return f"EventView({shown!r})"

    # writing, as on a JavaScript object (deleting an absent attribute is no error there)
    def _written(self) -> dict:
        if self._writer is not None:
            self._writer()
        return self._data

    def __setattr__(self, name: str, value: Any) -> None:
        self._written()[name] = _plain(value)

    def __delattr__(self, name: str) -> None:
        self._written().pop(name, None)

    def __setitem__(self, key: str, value: Any) -> None:
        self._written()[key] = _plain(value)

    def __delitem__(self, key: str) -> None:
        del self._written()[key]


class EventList(MutableSequence):
    """Live view of a list inside the event; items are wrapped like EventView's."""

    __slots__ = ("_data", "_path", "_writer")
    _data: list  # the three are set once in __init__
    _path: str
    _writer: Writer

    def __init__(self, data: list, path: str, writer: Writer = None) -> None:
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_writer", writer)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            positions = range(*index.indices(len(self._data)))
            return tuple(
                wrap(v, f"{self._path}[{i}]", self._writer) for i, v in zip(positions, self._data[index], strict=True)
            )
        position = index + len(self._data) if isinstance(index, int) and index < 0 else index
        return wrap(self._data[index], _join(self._path, position), self._writer)

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

    def _written(self) -> list:
        if self._writer is not None:
            self._writer()
        return self._data

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self._path} is a list: it has no attribute {name!r} to set")

    def __setitem__(self, index: Any, value: Any) -> None:
        data = self._written()
        data[index] = [_plain(v) for v in value] if isinstance(index, slice) else _plain(value)

    def __delitem__(self, index: Any) -> None:
        del self._written()[index]

    def insert(self, index: int, value: Any) -> None:
        self._written().insert(index, _plain(value))

    def sort(self, *, key: Callable[[Any], Any] | None = None, reverse: bool = False) -> None:
        self._written().sort(key=key, reverse=reverse)
