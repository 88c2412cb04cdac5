"""A tiny declarative schema for event payloads (standard library only).

Nodes: ``Str``, ``Num``, ``Bool``, ``Any``, ``Obj``, ``DictOf``, ``Arr``, ``Enum``,
``Nullable``, ``Union``. In ``Obj`` a field name ending with ``?`` is optional; extra keys are
always allowed (Auth0 adds fields over time). ``validate`` raises ``PayloadError`` at the first
problem, with its JSON path: ``$.user.email: expected a string, got 42``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any as _Any

from jupyter_actions.errors import PayloadError

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def describe(value: _Any) -> str:
    """A short rendering of a wrong value for an error message."""
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an array"
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Mismatch(Exception):
    """A failed check; the JSON path is assembled while it unwinds, so the happy path
    never builds path strings (validation runs before every execution)."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.segments: list[str] = []

    def at(self, segment: str) -> _Mismatch:
        self.segments.append(segment)
        return self


def _is_mapping(value: _Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)


class Node:
    """One schema node; ``check`` raises _Mismatch or returns None."""

    expected = "a value"

    def check(self, value: _Any) -> None:
        raise NotImplementedError

    def fail(self, value: _Any) -> None:
        raise _Mismatch(f"expected {self.expected}, got {describe(value)}")


class Any(Node):
    def check(self, value: _Any) -> None:
        return None


class Str(Node):
    expected = "a string"

    def check(self, value: _Any) -> None:
        if type(value) is not str and not isinstance(value, str):
            self.fail(value)


class Num(Node):
    expected = "a number"

    def check(self, value: _Any) -> None:
        kind = type(value)
        if kind is int:
            return
        if kind is bool or not isinstance(value, (int, float)):
            self.fail(value)
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(value)


class Bool(Node):
    expected = "a boolean"

    def check(self, value: _Any) -> None:
        if type(value) is not bool:
            self.fail(value)


class Enum(Node):
    def __init__(self, *values: str) -> None:
        self.values = values
        self.expected = "one of " + ", ".join(json.dumps(v) for v in values)

    def check(self, value: _Any) -> None:
        if value not in self.values or isinstance(value, bool):
            self.fail(value)


class Nullable(Node):
    def __init__(self, node: Node) -> None:
        self.node = node
        self.expected = f"{node.expected} or null"

    def check(self, value: _Any) -> None:
        if value is None:
            return
        try:
            self.node.check(value)
        except _Mismatch as mismatch:
            if not mismatch.segments:
                self.fail(value)  # say "or null" when the value itself is wrong
            raise


class Union(Node):
    """The first matching alternative wins; the message lists all of them."""

    def __init__(self, *nodes: Node) -> None:
        self.nodes = nodes
        self.expected = " or ".join(n.expected for n in nodes)

    def check(self, value: _Any) -> None:
        for node in self.nodes:
            try:
                node.check(value)
                return
            except _Mismatch:
                continue
        self.fail(value)


class Arr(Node):
    expected = "an array"

    def __init__(self, items: Node | None = None) -> None:
        self.items = items or Any()

    def check(self, value: _Any) -> None:
        if not isinstance(value, (list, tuple)):
            self.fail(value)
        if type(self.items) is Any:
            return
        check = self.items.check
        for index, item in enumerate(value):
            try:
                check(item)
            except _Mismatch as mismatch:
                raise mismatch.at(f"[{index}]") from None


class DictOf(Node):
    """A free-form dictionary whose values all match one node."""

    expected = "an object"

    def __init__(self, values: Node | None = None) -> None:
        self.values = values or Any()

    def check(self, value: _Any) -> None:
        if not _is_mapping(value):
            self.fail(value)
        if type(self.values) is Any:
            return
        check = self.values.check
        for key, item in value.items():
            try:
                check(item)
            except _Mismatch as mismatch:
                raise mismatch.at(_segment(str(key))) from None


class Obj(Node):
    """An object with known fields (``name?`` = optional, may be null); extra keys are allowed."""

    expected = "an object"

    def __init__(self, fields: Mapping[str, Node]) -> None:
        self.fields: dict[str, tuple[Node, bool]] = {}
        for name, node in fields.items():
            optional = name.endswith("?")
            self.fields[name.rstrip("?")] = (node, not optional)
        self._checks = tuple(
            (name, node.check, required, type(node) is Any) for name, (node, required) in self.fields.items()
        )

    def extend(self, fields: Mapping[str, Node]) -> Obj:
        """A new Obj with more (or replaced) fields."""
        merged = {name + ("" if required else "?"): node for name, (node, required) in self.fields.items()}
        for name in fields:
            merged.pop(name.rstrip("?"), None)
            merged.pop(name.rstrip("?") + "?", None)
        merged.update(fields)
        return Obj(merged)

    def check(self, value: _Any) -> None:
        if not _is_mapping(value):
            self.fail(value)
        missing = _MISSING
        for name, check, required, anything in self._checks:
            item = value.get(name, missing)
            if item is missing:
                if required:
                    raise _Mismatch("required field is missing").at(_segment(name))
                continue
            if anything or (item is None and not required):
                continue  # JSON payloads often write an absent optional field as null
            try:
                check(item)
            except _Mismatch as mismatch:
                raise mismatch.at(_segment(name)) from None


_MISSING = object()


def _segment(key: str) -> str:
    return f".{key}" if _IDENTIFIER.match(key) else f"[{json.dumps(key)}]"


_compiled: dict[int, _Any] = {}


def validate(schema: Node, payload: _Any) -> None:
    """Raise PayloadError if ``payload`` does not fit ``schema``."""
    fits = _compiled.get(id(schema))
    if fits is None:
        fits = _compiled[id(schema)] = compile_check(schema)
    if fits(payload):
        return
    try:
        schema.check(payload)
    except _Mismatch as mismatch:
        path = "$" + "".join(reversed(mismatch.segments))
        raise PayloadError(f"{path}: {mismatch.message}") from None


STR, NUM, BOOL, ANY = Str(), Num(), Bool(), Any()
DICT = DictOf()
STRINGS = Arr(STR)


class _Compiler:
    """Turns a schema into one generated function that only answers "fits or not".

    Validation runs before every execution (and in every worker of a batch), so the common
    case, a payload that fits, should cost one flat function and no per-node calls; when it
    does not fit, the node-by-node check above runs to find the JSON path and the message.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, _Any] = {"isfinite": math.isfinite, "MISSING": _MISSING}
        self.count = 0

    def name(self, prefix: str = "v") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def emit_each(self, node: Node, iterable: str, depth: int) -> None:
        """Check every item of ``iterable`` against ``node``."""
        if type(node) is Any:
            return
        item = self.name()
        self.lines.append(f"{'    ' * depth}for {item} in {iterable}:")
        self.lines.append(f"{'    ' * depth}    pass")
        self.emit(node, item, depth + 1)

    def emit(self, node: Node, var: str, depth: int) -> None:
        pad = "    " * depth
        if type(node) is Any:
            return
        if type(node) is Str:
            self.lines.append(f"{pad}if type({var}) is not str: return False")
        elif type(node) is Bool:
            self.lines.append(f"{pad}if type({var}) is not bool: return False")
        elif type(node) is Num:
            self.lines.append(
                f"{pad}if type({var}) is not int and not (type({var}) is float and isfinite({var})): return False"
            )
        elif type(node) is Enum:
            values = self.name("values")
            self.constants[values] = tuple(node.values)  # unhashable values must answer False, not raise
            self.lines.append(f"{pad}if type({var}) is bool or {var} not in {values}: return False")
        elif type(node) is Nullable:
            self.lines.append(f"{pad}if {var} is not None:")
            self.lines.append(f"{pad}    pass")
            self.emit(node.node, var, depth + 1)
        elif type(node) is Union:
            checks = []
            for alternative in node.nodes:
                function = self.name("alternative")
                self.constants[function] = compile_check(alternative)
                checks.append(f"{function}({var})")
            self.lines.append(f"{pad}if not ({' or '.join(checks)}): return False")
        elif type(node) is Arr:
            self.lines.append(f"{pad}if type({var}) is not list: return False")
            self.emit_each(node.items, var, depth)
        elif type(node) is DictOf:
            self.lines.append(f"{pad}if type({var}) is not dict: return False")
            self.emit_each(node.values, f"{var}.values()", depth)
        elif type(node) is Obj:
            self.lines.append(f"{pad}if type({var}) is not dict: return False")
            for field_name, (child, required) in node.fields.items():
                if type(child) is Any and not required:
                    continue
                value = self.name()
                self.lines.append(f"{pad}{value} = {var}.get({field_name!r}, MISSING)")
                if required:
                    self.lines.append(f"{pad}if {value} is MISSING: return False")
                    if type(child) is not Any:
                        self.emit(child, value, depth)
                elif type(child) is not Any:
                    self.lines.append(f"{pad}if {value} is not MISSING and {value} is not None:")
                    self.lines.append(f"{pad}    pass")
                    self.emit(child, value, depth + 1)
        else:  # a node type this compiler does not know: ask it
            function = self.name("node")
            self.constants[function] = node
            self.lines.append(f"{pad}try: {function}.check({var})")
            self.lines.append(f"{pad}except _Mismatch: return False")
            self.constants["_Mismatch"] = _Mismatch


def compile_check(schema: Node) -> Callable[[object], bool]:
    """A function ``fits(payload) -> bool`` equivalent to ``schema.check`` not raising
    (for plain JSON values; anything else answers False and is left to ``check``)."""
    compiler = _Compiler()
    compiler.emit(schema, "payload", 1)
    source = "def fits(payload):\n" + "\n".join(compiler.lines + ["    return True"]) + "\n"
    namespace = dict(compiler.constants)
    exec(compile(source, "<schema>", "exec"), namespace)  # noqa: S102 - source made above from the schema alone
    return namespace["fits"]
