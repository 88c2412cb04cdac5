"""The decoding policy for what users give us: UTF-8 text and JSON documents, one rule each.

Every path that reads user JSON goes through here: payload and event files, events files
(each line, in both batch paths), the magics' variables and files, and the dicts handed to the
Python API. Each refusal is a ``MalformedInputError`` of one line that names the rule and how
to fix the input. The rules (docs/input.md):

- text is UTF-8, without a byte order mark;
- a document is at most ``MAX_BYTES`` of UTF-8 JSON (for a Python value: its compact JSON);
- objects and arrays nest at most ``MAX_DEPTH`` levels (the outermost is level 1);
- integers fit in 64 bits (``MIN_INT`` to ``MAX_INT``), numbers are finite: no ``NaN`` or
  ``Infinity``, nor a literal such as ``1e999`` that a double cannot hold;
- strings hold characters only, never a lone UTF-16 surrogate (``"\\ud800"``);
- a Python value holds only dicts with string keys, lists or tuples, strings, ints, floats,
  booleans and None.

What passes reads the same through orjson, the reader of the action workers, so an event is
the same value in every path. JSON text is read by orjson first; the standard library (with a
hook for each kind of number) only gives the verdict on text orjson refuses or may read
inexactly, and on its result the same walk as for Python values finds what breaks a rule.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from pathlib import Path
from typing import Any

import orjson

from ._json_numbers import has_wide_number
from .errors import MalformedInputError

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MIN_INT, MAX_INT = -(2**63), 2**63 - 1

_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOO_DEEP = f"nested too deep: objects and arrays may nest {MAX_DEPTH} levels at most; flatten it"
_TOO_LARGE = f"too large: JSON input may be {MAX_BYTES:,} bytes (1 MiB) at most; send less"


class _Refused(Exception):
    """A broken rule. A ``located`` one is about one value: the walk fills in its ``path`` (the
    JSON path steps) as it unwinds."""

    def __init__(self, problem: str, located: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        self.located = located
        self.path: list[str | int] = []

    def describe(self) -> str:
        if not self.located:
            return self.problem
        where = "$" + "".join(map(_path_step, self.path))
        return f"not plain JSON: {_clip(where, 80)} {self.problem}"


class _Literal(str):
    """A number the text spells but no JSON value may be (``NaN``, ``1e999``, 2**64)."""


# Public API ------------------------------------------------------------------------------
def text(data: bytes, subject: str) -> str:
    """``data`` as UTF-8 text, or MalformedInputError naming ``subject``."""
    try:
        return _utf8(data)
    except _Refused as refused:
        raise _error(subject, refused) from None


def load(data: bytes | str, subject: str) -> Any:
    """The JSON value of ``data``, or MalformedInputError ("<subject> is <problem>")."""
    try:
        return _decode(_as_bytes(data))
    except _Refused as refused:
        raise _error(subject, refused) from None


def load_object(data: bytes | str, subject: str) -> dict[str, Any]:
    """Like ``load``, for a document that must be a JSON object (an event, a request)."""
    return _object(load(data, subject), subject)


def read_document(path: str | Path) -> bytes:
    """A JSON file's bytes for ``load``: at most one byte more than MAX_BYTES, which is enough
    to tell that it is too large (OSError when it cannot be read)."""
    with open(path, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def check(value: Any, subject: str) -> None:
    """MalformedInputError unless the Python ``value`` keeps every rule.

    orjson's encoder checks most rules at C speed (keys, types, surrogates, integers beyond 64
    bits unsigned) and gives the size; ``_may_break_rule`` looks at what it lets through, and
    only a value that may break a rule takes the walk that says which and where."""
    try:
        try:
            encoded = orjson.dumps(value)
        except TypeError:
            _walk(value, 1)
            raise  # refused by orjson for a reason the walk does not know: a bug, not the input's fault
        if _may_break_rule(value):
            _walk(value, 1)
        if len(encoded) > MAX_BYTES:
            raise _Refused(_TOO_LARGE)
    except _Refused as refused:
        raise _error(subject, refused) from None


def check_object(value: Any, subject: str) -> dict[str, Any]:
    """``value`` itself when it is a dict that keeps every rule."""
    check(value, subject)
    return _object(value, subject)


# Text ------------------------------------------------------------------------------------
def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, bytes):
        return data
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _Refused(
            f"not UTF-8 text: it holds a lone surrogate ({_escape(data[exc.start])}); "
            "only whole characters can be encoded"
        ) from None


def _utf8(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        raise _Refused("not plain UTF-8: it starts with a byte order mark; use UTF-8 without one")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refused(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot start or continue "
            "a character; use UTF-8"
        ) from None


# JSON ------------------------------------------------------------------------------------
def _decode(raw: bytes) -> Any:
    if len(raw) > MAX_BYTES:
        raise _Refused(_TOO_LARGE)
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        _decode_exactly(raw)  # raises: the standard library's words for what is wrong
        raise _Refused(f"not valid JSON: {exc}") from None  # what only orjson refuses
    if has_wide_number(raw):
        return _decode_exactly(raw)  # orjson reads integers beyond 64 bits as floats
    if raw.count(b"{") + raw.count(b"[") > MAX_DEPTH and _too_deep(value):
        raise _Refused(_TOO_DEEP)
    return value


def _too_deep(value: Any) -> bool:
    """Whether orjson's ``value`` nests deeper than MAX_DEPTH: level by level over containers
    only (orjson has checked all else; the whole walk would cost as much as the decoding)."""
    level = [value]
    for _ in range(MAX_DEPTH):
        level = [
            child
            for node in level
            for child in (node.values() if type(node) is dict else node)
            if type(child) is dict or type(child) is list
        ]
        if not level:
            return False
    return True


def _decode_exactly(raw: bytes) -> Any:
    try:
        value = json.loads(_utf8(raw), parse_int=_integer, parse_float=_float, parse_constant=_Literal)
    except json.JSONDecodeError as exc:
        raise _Refused(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise _Refused(_TOO_DEEP) from None
    _walk(value, 1)
    return value


def _integer(digits: str) -> int | _Literal:
    if len(digits) > 20:  # int() of thousands of digits is slow, and refused beyond 4,300
        return _Literal(digits)
    number = int(digits)
    return number if MIN_INT <= number <= MAX_INT else _Literal(digits)


def _float(digits: str) -> float | _Literal:
    number = float(digits)
    return number if math.isfinite(number) else _Literal(digits)


# The walk: one definition of the value rules ---------------------------------------------
def _walk(value: Any, depth: int) -> None:
    if isinstance(value, dict):
        if depth > MAX_DEPTH:
            raise _Refused(_TOO_DEEP)
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Refused(
                    f"has the key {_clip(repr(key), 40)}, which is not a string: JSON keys are strings", located=True
                )
            try:
                _string(key)
                _walk(item, depth + 1)
            except _Refused as refused:
                refused.path.insert(0, key)
                raise
    elif isinstance(value, (list, tuple)):
        if depth > MAX_DEPTH:
            raise _Refused(_TOO_DEEP)
        for index, item in enumerate(value):
            try:
                _walk(item, depth + 1)
            except _Refused as refused:
                refused.path.insert(0, index)
                raise
    elif isinstance(value, str):
        if type(value) is _Literal:
            raise _Refused(_literal_problem(value), located=True)
        _string(value)
    elif value is None or isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not MIN_INT <= value <= MAX_INT:
            raise _Refused(_integer_problem(f"{value.bit_length()} bits"), located=True)
    elif type(value) is float:
        if not math.isfinite(value):
            raise _Refused(_not_a_number(repr(value)), located=True)
    else:
        raise _Refused(
            f"is a {type(value).__name__}, which is not a JSON value: use a dict, list, str, int, float, bool or None",
            located=True,
        )


def _may_break_rule(value: Any) -> bool:
    """For a value orjson encodes: whether it may hold what orjson lets through (NaN and the
    infinities, integers from 2**63 to 2**64 - 1, nesting beyond MAX_DEPTH) or a subclass of a
    JSON type; level by level, strings and other scalars skipped at once."""
    level, depth = [value], 0
    while level:
        depth += 1
        children: list = []
        for item in level:
            kind = type(item)
            if kind is str or kind is bool or item is None:
                continue
            if kind is dict or kind is list or kind is tuple:
                if depth > MAX_DEPTH:
                    return True
                children.extend(item.values() if kind is dict else item)
            elif kind is float:
                if not math.isfinite(item):
                    return True
            elif kind is not int or item > MAX_INT:
                return True
        level = children
    return False


def _string(value: str) -> None:
    if not value.isascii():
        found = _SURROGATE.search(value)
        if found:
            raise _Refused(
                f"holds a lone surrogate ({_escape(found.group())}), which is not a character: "
                "send whole characters (a surrogate pair encodes one)",
                located=True,
            )


def _literal_problem(literal: str) -> str:
    if literal[0] in "NI" or literal.startswith("-I"):
        return _not_a_number(literal)
    if literal.lstrip("-").isdigit():
        return _integer_problem(f"{len(literal.lstrip('-'))} digits")
    return f"is {_clip(literal, 24)}, which a double cannot hold: send it as a string"


def _not_a_number(shown: str) -> str:
    return f"is {shown}, which is not a JSON number: use null or a string"


def _integer_problem(size: str) -> str:
    return (
        f"is an integer of {size}: integers must fit in 64 bits ({MIN_INT} to {MAX_INT}); send larger ones as strings"
    )


# Helpers ---------------------------------------------------------------------------------
def _object(value: Any, subject: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        held = "null" if value is None else _JSON_NAMES.get(type(value), type(value).__name__)
        problem = f"not a JSON object (it holds {held}): give an object, {{...}}"
        raise MalformedInputError(f"{subject} is {problem}", problem=problem)
    return value


_JSON_NAMES = {
    list: "an array",
    tuple: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
}


def _error(subject: str, refused: _Refused) -> MalformedInputError:
    problem = refused.describe()
    return MalformedInputError(f"{subject} is {problem}", problem=problem)


def _path_step(step: str | int) -> str:
    """``.name`` for a plain key, ``["a b"]`` (escaped, so one line) for any other, ``[0]``."""
    if isinstance(step, int):
        return f"[{step}]"
    return f".{step}" if _PLAIN_KEY.fullmatch(step) else f"[{json.dumps(step)}]"


def _escape(character: str) -> str:
    return f"\\u{ord(character):04x}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
