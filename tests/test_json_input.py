"""The decoding policy (jupyter_actions/_json_input.py, docs/input.md): each rule, its one-line
refusal, and properties over generated documents and Python values."""

from __future__ import annotations

import datetime
import enum
import json
import math

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_actions import _json_input as policy
from jupyter_actions.errors import ActionsError, MalformedInputError

SUBJECT = "the payload file p.json"


class _Colour(enum.Enum):
    RED = "red"


def refusal(data: bytes | str) -> str:
    with pytest.raises(MalformedInputError) as caught:
        policy.load_object(data, SUBJECT)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{SUBJECT} is ")
    assert caught.value.problem == message.removeprefix(f"{SUBJECT} is ")
    return message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"user": "\xff"}', "is not UTF-8: byte 0xff at offset 10 cannot start or continue a character; use UTF-8"),
        (b"\xef\xbb\xbf{}", "is not plain UTF-8: it starts with a byte order mark; use UTF-8 without one"),
        (b"[" * 100_000 + b"]" * 100_000, "is nested too deep: objects and arrays may nest 64 levels at most"),
        (b'{"a":' * 65 + b"1" + b"}" * 65, "is nested too deep"),
        (b"[" * 2000 + b"]" * 2000, "is nested too deep"),
        (
            b'{"n": ' + b"1" * 5000 + b"}",
            (
                "$.n is an integer of 5000 digits: integers must fit in 64 bits "
                "(-9223372036854775808 to 9223372036854775807); send larger ones as strings"
            ),
        ),
        (b'{"n": 9223372036854775808}', "$.n is an integer of 19 digits"),
        (b'{"n": -9223372036854775809}', "$.n is an integer of 19 digits"),
        (b'{"a": [1, NaN]}', "$.a[1] is NaN, which is not a JSON number: use null or a string"),
        (b'{"a": -Infinity}', "$.a is -Infinity, which is not a JSON number"),
        (b'{"a": 1e999}', "$.a is 1e999, which a double cannot hold: send it as a string"),
        (b'{"a": {"b": "x\\ud800"}}', "$.a.b holds a lone surrogate (\\ud800), which is not a character"),
        (b'{"k\\udfff": 1}', "holds a lone surrogate (\\udfff)"),
        (b"x" * (policy.MAX_BYTES + 1), "is too large: JSON input may be 1,048,576 bytes (1 MiB) at most"),
        (b'{"user": ', "is not valid JSON: Expecting value at line 1, column 10"),
        (b"", "is not valid JSON: Expecting value at line 1, column 1"),
        (b"null", "is not a JSON object (it holds null): give an object, {...}"),
        (b"[1, 2]", "is not a JSON object (it holds an array)"),
        (b'"text"', "is not a JSON object (it holds a string)"),
        ('{"a": "\ud800"}', "is not UTF-8 text: it holds a lone surrogate (\\ud800)"),
    ],
)
def test_each_rule_refuses_in_one_line_that_names_it(data, expected):
    assert expected in refusal(data)


@pytest.mark.parametrize(
    "data",
    [
        b'{"n": 9223372036854775807, "m": -9223372036854775808, "f": 1.7976931348623157e308}',
        b'{"deep": ' + b"[" * 63 + b"]" * 63 + b"}",
        b' {"ok": "\\ud83d\\ude00 \xc3\xa9", "x": 1234567890123456789.5}\r\n',
        b'{"a": "' + b"[" * 200 + b'\\"' + b"{" * 200 + b'"}',
        b"{" + b'"k": ' + b"1" * 18 + b"}",
    ],
)
def test_plain_json_passes_and_reads_as_the_workers_read_it(data):
    assert policy.load_object(data, SUBJECT) == orjson.loads(data)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": float("nan")}, "$.a is nan, which is not a JSON number"),
        ({"a": [float("-inf")]}, "$.a[0] is -inf, which is not a JSON number"),
        ({1: "x"}, "$ has the key 1, which is not a string: JSON keys are strings"),
        ({"a": {("t",): 1}}, "$.a has the key ('t',), which is not a string"),
        ({"n": 2**64}, "$.n is an integer of 65 bits: integers must fit in 64 bits"),
        ({"n": [2**63]}, "$.n[0] is an integer of 64 bits: integers must fit in 64 bits"),  # orjson writes it
        ({"a": ({"b": float("inf")},)}, "$.a[0].b is inf, which is not a JSON number"),
        ({"at": datetime.date(2026, 1, 1)}, "$.at is a date, which is not a JSON value"),  # orjson writes it
        ({"e": _Colour.RED}, "$.e is a _Colour, which is not a JSON value"),  # orjson writes it
        ({"n": 10**5000}, "$.n is an integer of 16610 bits"),
        ({"s": "\udc00"}, "$.s holds a lone surrogate (\\udc00)"),
        ({"a\nb": {"c d": [float("nan")]}}, '$["a\\nb"]["c d"][0] is nan'),
        ({"when": object()}, "$.when is a object, which is not a JSON value"),
        ({"big": "x" * policy.MAX_BYTES}, "is too large"),
        (None, "is not a JSON object (it holds null)"),
    ],
)
def test_python_values_follow_the_same_rules(value, expected):
    with pytest.raises(MalformedInputError) as caught:
        policy.check_object(value, "the post-login payload")
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_a_value_nested_deeper_than_the_interpreter_can_recurse_is_refused():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    looped: dict = {}
    looped["self"] = looped
    for value in ({"a": deep}, looped):
        with pytest.raises(MalformedInputError, match="nested too deep"):
            policy.check(value, "the event")


def test_text_is_utf8_only():
    assert policy.text("pässwörd".encode(), "the secret value on stdin") == "pässwörd"
    with pytest.raises(MalformedInputError, match=r"^the secret value on stdin is not UTF-8: byte 0xff at offset 1"):
        policy.text(b"a\xffb", "the secret value on stdin")


# Properties --------------------------------------------------------------------------------
# Each example checks a list of documents: hypothesis's cost is per example, and these tests
# run in the default selection (4,000 values and 4,000 byte strings in all).
LEAVES = (
    st.none()
    | st.booleans()
    | st.text(max_size=8)
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.sampled_from([policy.MIN_INT, policy.MAX_INT, policy.MIN_INT - 1, policy.MAX_INT + 1, 2**64])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["\ud800", "a\udfffb", "\U0001f600", "[[[{", '"\\'])
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
NESTED = st.integers(min_value=1, max_value=140).map(lambda depth: json.loads("[" * depth + "]" * depth))
DOCUMENTS = st.binary(max_size=64) | st.builds(
    lambda value, cut, junk: json.dumps(value, allow_nan=True).encode()[:cut] + junk,
    VALUES,
    st.integers(0, 200),
    st.binary(max_size=4),
)
PER_EXAMPLE = 10
FUZZ = settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def verdict(action) -> str:
    try:
        action()
    except MalformedInputError:
        return "refused"
    return "ok"


@pytest.mark.slow
@FUZZ
@given(values=st.lists(VALUES | NESTED, min_size=PER_EXAMPLE, max_size=PER_EXAMPLE), ascii_only=st.booleans())
def test_text_and_value_verdicts_agree_and_what_passes_reads_alike_everywhere(values, ascii_only):
    """A Python value and its JSON text get the same verdict; what passes is plain JSON in 64
    bits and the same value for the policy, for orjson (the workers) and for the standard library."""
    for value in values:
        text = json.dumps(value, allow_nan=True, ensure_ascii=ascii_only)
        by_value = verdict(lambda: policy.check(value, "v"))  # noqa: B023
        assert verdict(lambda: policy.load(text, "v")) == by_value, text  # noqa: B023
        if by_value == "ok":
            assert policy.load(text, "v") == value == orjson.loads(text.encode()) == json.loads(text)
            for leaf in _leaves(value):
                assert not (isinstance(leaf, float) and not math.isfinite(leaf))
                assert not (isinstance(leaf, int) and not policy.MIN_INT <= leaf <= policy.MAX_INT)
                assert not (isinstance(leaf, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in leaf))


@pytest.mark.slow
@FUZZ
@given(documents=st.lists(DOCUMENTS, min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
def test_any_bytes_are_read_as_the_workers_read_them_or_refused_in_one_line(documents):
    for data in documents:
        try:
            value = policy.load(data, "the line")
        except MalformedInputError as error:
            assert "\n" not in str(error) and isinstance(error, ActionsError)
        else:
            assert value == orjson.loads(data)


def _leaves(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value
