"""A payload given to the magics (a variable or a file) goes through the decoding policy
(docs/input.md): a refusal is one UsageError line and nothing is run or recorded."""

from __future__ import annotations

import pytest

from jupyter_actions import Tenant


@pytest.fixture
def executions(saved):
    def count() -> int:
        with Tenant() as tenant:
            return len(tenant.executions(limit=1000))

    return count


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "--payload payload is not a JSON object (it holds null): give an object, {...}"),
        ("[1, 2]", "--payload payload is not a JSON object (it holds an array)"),
        ("[" * 100_000 + "]" * 100_000, "--payload payload is nested too deep: objects and arrays may nest 64 levels"),
        ('{"user": {"n": ' + "1" * 5000 + "}}", "$.user.n is an integer of 5000 digits"),
        (
            {"user": {"n": float("nan")}},
            "--payload payload is not plain JSON: $.user.n is nan, which is not a JSON number",
        ),
        ({"user": {1: "x"}}, "$.user has the key 1, which is not a string"),
        (b'{"user": "\xff"}', "--payload payload is not UTF-8: byte 0xff at offset 10"),
    ],
)
def test_a_payload_variable_that_is_not_plain_json(ip, usage_error, executions, value, expected):
    before = executions()
    ip.user_ns["payload"] = value
    assert expected in usage_error("%action test greet --payload payload")
    assert executions() == before


def test_a_payload_file_that_is_not_utf8(ip, usage_error, executions, tmp_path):
    path = tmp_path / "event.json"
    path.write_bytes(b'{"user": {"name": "caf\xe9"}}')
    before = executions()
    assert f"--payload {path} is not UTF-8: byte 0xe9" in usage_error(f"%action test greet --payload {path}")
    assert f"--event {path} is not UTF-8" in usage_error(f"%action run post-login --event {path}")
    assert executions() == before
