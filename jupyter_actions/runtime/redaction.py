"""Redaction of secret values in every form they take in text, and in decoded JSON values.

A secret reaches output not only as itself: ``repr()`` and logged dicts escape quotes,
backslashes and control characters, ``json.dumps`` escapes them differently (and non-ASCII
too, by default), a PEM key is printed line by line, a value is often passed on encoded in
base64 or hex, and a redirect's query URL-encodes whatever it carries. :func:`forms` lists
all of those once; :class:`Redactor` replaces them.

Stored JSON is redacted on its decoded strings (:meth:`Redactor.value`), never on its
serialised text, so a redaction can neither make the JSON invalid nor hint, by where the
replacements fall, at the value (a secret ``1`` would otherwise hit every ``1`` in the text).

The standard library only: workers import this module too.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[REDACTED]"
_PLAIN_RUN = re.compile(r"[ !#$%&()*+,\-./0-9:;<=>?@A-Z\[\]^_`a-z{|}~]{4,}")
"""Printable ASCII that no JSON or repr escaping changes (all but quotes and backslash)."""
MIN_LINE_CHARS = 4
"""A line of a multi-line secret shorter than this is not redacted on its own (a PEM key's
blank or short last line would otherwise erase every such line of output)."""
HEAD_CHARS = 4
"""Patterns are indexed by their first characters: a text none of whose runs of this many
characters begins a pattern is left as it is without a search for each pattern (a flow with
many secrets has thousands of patterns, and most texts hold none)."""
INDEX_ABOVE = 150
"""The index pays a step per character of the text, a search a fast scan per pattern: it is
used only for a redactor with more patterns than this (measured on 2 KB to 8 KB texts)."""


def forms(value: str) -> set[str]:
    """Every text form of ``value`` that redaction looks for (empty for an empty value)."""
    if not value:
        return set()
    found = {value}
    lines = [line.strip() for line in value.splitlines()]
    if len(lines) > 1:
        found.update(line for line in lines if len(line) >= MIN_LINE_CHARS)
    for text in list(found):
        found.update(_escaped(text))
    for escaped in list(found):  # a form inside a form: the repr of a JSON text, JSON in a JSON string
        found.update(_escaped(escaped))
    raw = value.encode("utf-8", "surrogatepass")
    encoded = [base64.b64encode(raw), base64.urlsafe_b64encode(raw), raw.hex().encode(), raw.hex().upper().encode()]
    found.update(text.decode() for text in encoded)
    found.update(text.decode().rstrip("=") for text in encoded[:2])
    found |= {url for text in found for url in _url_encoded(text)}  # in a URL: a redirect's query, a link
    found.discard("")
    return found


def _url_encoded(text: str) -> set[str]:
    """``text`` as a query value (``urlencode``: space as ``+``) and as a path (``/`` kept or not)."""
    raw = text.encode("utf-8", "surrogatepass")
    return {quote_plus(raw), quote(raw, safe=""), quote(raw)}


def _escaped(text: str) -> set[str]:
    """The bodies of ``text``'s string literals: JSON (ASCII-only and not) and Python's repr
    (inside single quotes, where ``'`` is escaped, and inside double quotes, where it is not)."""
    double_quoted = "".join(repr(char)[1:-1] for char in text)
    return {
        json.dumps(text)[1:-1],
        json.dumps(text, ensure_ascii=False)[1:-1],
        double_quoted,
        double_quoted.replace("'", "\\'"),
    }


class Redactor:
    """Replaces every form of a set of secret values, longest first, so that a value that
    contains another is replaced whole. False when there is nothing to redact."""

    __slots__ = ("_heads", "_short", "anchors", "patterns", "values")

    def __init__(self, values: Iterable[str]) -> None:
        self.values = frozenset(v for v in values if isinstance(v, str) and v)
        found: set[str] = set()
        for value in self.values:
            found |= forms(value)
        self.patterns: tuple[str, ...] = tuple(sorted(found, key=lambda p: (-len(p), p)))
        self.anchors = _anchors(self.patterns)
        self._heads = frozenset(p[:HEAD_CHARS] for p in self.patterns if len(p) >= HEAD_CHARS)
        self._short = tuple(p for p in self.patterns if len(p) < HEAD_CHARS)

    def __bool__(self) -> bool:
        return bool(self.values)

    @property
    def longest(self) -> int:
        return len(self.patterns[0]) if self.patterns else 0

    def text(self, text: str) -> str:
        if len(self.patterns) > INDEX_ABOVE and not self._may_contain(text):
            return text
        for pattern in self.patterns:
            if pattern in text:
                text = text.replace(pattern, REDACTED)
        return text

    def _may_contain(self, text: str) -> bool:
        """False guarantees that no pattern occurs in ``text``: one that did would begin at
        some position with one of the heads."""
        heads, width = self._heads, HEAD_CHARS
        return any(pattern in text for pattern in self._short) or any(
            text[start : start + width] in heads for start in range(len(text) - width + 1)
        )

    def value(self, item: Any) -> Any:
        """A copy of a JSON value with every string (keys included) redacted; a number whose
        text is a secret value becomes ``[REDACTED]`` too."""
        if not self.values:
            return item
        return self._walk(item)

    def _walk(self, item: Any) -> Any:
        if isinstance(item, str):
            return self.text(item)
        if isinstance(item, dict):
            return {self._walk(k): self._walk(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [self._walk(v) for v in item]
        if isinstance(item, (int, float)) and not isinstance(item, bool) and _number_text(item) in self.values:
            return REDACTED
        return item

    def may_hold(self, json_text: bytes) -> bool:
        """Whether a JSON text (from orjson or ``json.dumps(ensure_ascii=False)``) may hold a
        secret: False guarantees that :meth:`value` of its decoded form changes nothing (a
        number that is a secret's text appears as that text)."""
        return any(anchor in json_text for anchor in self.anchors)


def _anchors(patterns: Iterable[str]) -> tuple[bytes, ...]:
    """Few byte strings, one of which is in every JSON text whose decoded strings hold a
    pattern: each pattern's longest run that escaping leaves alone (the escaped pattern itself
    when it has no such run of 4), without those that contain a shorter anchor. The many forms
    of one value mostly share a run, so the check scans each text a few times, not once per form."""
    found = set()
    for pattern in patterns:
        runs = _PLAIN_RUN.findall(pattern)
        found.add(
            max(runs, key=len).encode()
            if runs
            else json.dumps(pattern, ensure_ascii=False)[1:-1].encode("utf-8", "surrogatepass")
        )
    kept: list[bytes] = []
    for anchor in sorted(found, key=len):
        if not any(shorter in anchor for shorter in kept):
            kept.append(anchor)
    return tuple(kept)


def redactor_for(values: Iterable[str]) -> Redactor:
    """The Redactor of a set of values, made once per distinct set (a flow's secrets recur)."""
    return _cached(frozenset(v for v in values if isinstance(v, str) and v))


@lru_cache(maxsize=64)
def _cached(values: frozenset[str]) -> Redactor:
    return Redactor(values)


def _number_text(number: int | float) -> str:
    try:
        return str(number)
    except ValueError:  # an integer beyond the interpreter's digit limit cannot be a secret's text
        return ""
