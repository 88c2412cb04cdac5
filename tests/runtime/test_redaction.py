"""The forms a secret takes in output, and redaction of text and of decoded JSON values."""

from __future__ import annotations

import base64
import io
import json
import logging
from urllib.parse import quote, urlencode

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_actions.runtime.redaction import REDACTED, Redactor, forms, redactor_for

# PEM-shaped (a header, 56-character base64 lines, a footer) and made of fixed fake bytes: no real key
PEM = (
    "-----BEGIN TEST KEY-----\n"
    + "\n".join(base64.b64encode(bytes(range(start, start + 42))).decode() for start in (0, 42, 84))
    + "\n-----END TEST KEY-----\n"
)
TRICKY = "pa'ss\"wo\\rd\t€\n2nd line here"


def views_of(value: str) -> dict[str, str]:
    """How code commonly shows a value: the ways an action author leaks a secret by accident."""
    handler_output = io.StringIO()
    logger = logging.getLogger("redaction-test")
    handler = logging.StreamHandler(handler_output)
    logger.addHandler(handler)
    logger.warning("config %s", {"key": value})
    logger.removeHandler(handler)
    raw = value.encode()
    return {
        "raw": value,
        "repr": repr(value),
        "repr in a dict": repr({"k": value}),
        "repr in a list": str([value]),
        "json": json.dumps({"k": value}),
        "json unicode": json.dumps({"k": value}, ensure_ascii=False),
        "orjson": orjson.dumps({"k": value}).decode(),
        "json of json": json.dumps({"k": json.dumps(value)}),
        "repr of json": repr(json.dumps(value)),
        "logged dict": handler_output.getvalue(),
        "base64": base64.b64encode(raw).decode(),
        "base64 url": base64.urlsafe_b64encode(raw).decode(),
        "base64 unpadded": base64.b64encode(raw).decode().rstrip("="),
        "hex": raw.hex(),
        "HEX": raw.hex().upper(),
        "redirect query": urlencode({"k": value}),
        "query of json": urlencode({"k": json.dumps(value)}),
        "query of base64": urlencode({"k": base64.b64encode(raw).decode()}),
        "path": quote(value),
    }


@pytest.mark.parametrize("value", ["sk_live_51Habcdef", TRICKY, PEM, "ünïcødé-secret"])
def test_every_common_view_of_a_secret_is_redacted(value):
    redactor = Redactor([value])
    for how, text in views_of(value).items():
        shown = redactor.text(f"before {text} after")
        assert value not in shown, how
        for line in value.splitlines():
            if len(line.strip()) >= 4:
                assert line.strip() not in shown, (how, line)
        assert REDACTED in shown, how


def test_each_line_of_a_multi_line_secret_is_redacted_on_its_own():
    redactor = Redactor([PEM])
    second = PEM.splitlines()[1]
    assert redactor.text(f"line: {second}!") == f"line: {REDACTED}!"


def test_short_lines_of_a_multi_line_value_are_not_patterns():
    assert "ab" not in forms("ab\nlonger line")


def test_the_longest_form_is_replaced_whole():
    assert Redactor(["token", "token-long"]).text("token-long token") == f"{REDACTED} {REDACTED}"


def test_an_empty_redactor_changes_nothing_and_is_false():
    redactor = Redactor(["", None])  # type: ignore[list-item]
    assert not redactor and redactor.text("x") == "x" and redactor.value({"a": 1}) == {"a": 1}


def test_json_values_are_redacted_on_their_strings_and_stay_valid():
    """A secret '1' or 'true' (refused by `secrets set`, but possible in older stores) must
    never reach serialised text: numbers and literals that are not the value are untouched."""
    redactor = Redactor(["1", "true"])
    record = {"version_number": 1, "ok": True, "count": 11, "claim": "value 1", "name": "true", "1": "key"}
    shown = redactor.value(record)
    assert shown == {
        "version_number": REDACTED,
        "ok": True,
        "count": 11,
        "claim": f"value {REDACTED}",
        "name": REDACTED,
        REDACTED: "key",
    }
    json.loads(json.dumps(shown))


def test_a_number_that_is_a_secret_is_redacted():
    assert Redactor(["123456"]).value({"pin": 123456, "other": 1234567}) == {"pin": REDACTED, "other": 1234567}


def test_the_value_is_a_copy():
    data = {"a": ["s3cr3t-value"]}
    assert Redactor(["s3cr3t-value"]).value(data) == {"a": [REDACTED]}
    assert data == {"a": ["s3cr3t-value"]}


def test_redactors_are_made_once_per_set():
    assert redactor_for(["abcd", "efgh"]) is redactor_for(("efgh", "abcd", ""))


secrets = st.text(min_size=4, max_size=20).filter(lambda s: s.strip())
texts = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@pytest.mark.slow
@settings(max_examples=400, derandomize=True, deadline=None)
@given(secret=secrets, data=texts, where=st.integers(0, 3))
def test_may_hold_is_never_wrong_to_say_no(secret, data, where):
    """``may_hold`` on the JSON text is a shortcut before decoding: when it says no, redacting
    the decoded value must change nothing."""
    value = [data, f"x{secret}y", {secret: 1}, secret][where] if where else data
    redactor = Redactor([secret])
    for text in (orjson.dumps(value), json.dumps(value, ensure_ascii=False).encode()):
        if not redactor.may_hold(text):
            assert redactor.value(value) == value
    shown = redactor.value(value)
    assert secret not in json.dumps(shown, ensure_ascii=False)
    json.loads(json.dumps(shown))


@settings(max_examples=400, derandomize=True, deadline=None)
@given(
    values=st.lists(st.text(min_size=1, max_size=12), max_size=5), text=st.text(max_size=60), where=st.integers(0, 60)
)
def test_texts_without_a_patterns_head_are_left_as_they_are_and_the_rest_as_before(values, text, where):
    """The index of pattern heads only skips work: the result is the replacement of every
    pattern, longest first, whatever the lengths (short values of older stores included)."""
    redactor = Redactor(values)
    if redactor:
        text = text[:where] + redactor.patterns[where % len(redactor.patterns)] + text[where:]
    expected = text
    for pattern in redactor.patterns:
        expected = expected.replace(pattern, REDACTED)
    assert redactor.text(text) == expected
