"""Every bad input answers with one line (``error: ...``), status 1 (2 for usage), no traceback,
and leaves the store as it was."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from jupyter_actions.triggers import get_trigger
from tests.conftest import POST_LOGIN_CODE

SAMPLE = get_trigger("post-login").sample_payload()


@pytest.fixture
def flow(tenant):
    """``a`` deployed and bound to the post-login flow."""
    tenant.save_draft("a", "post-login", POST_LOGIN_CODE, deploy=True)
    tenant.bind("post-login", ["a"])
    return tenant


def payload(tmp_path, data: bytes):
    path = tmp_path / "payload.json"
    path.write_bytes(data)
    return str(path)


def event_text(metadata: str) -> bytes:
    event = {**SAMPLE, "user": {**SAMPLE["user"], "user_metadata": "@M@"}}
    return json.dumps(event).replace('"@M@"', metadata).encode()


# Payload files ---------------------------------------------------------------------------------
def test_a_payload_file_that_is_not_utf8(flow, refused, tmp_path):
    path = payload(tmp_path, event_text('{"name": "café"}').replace("é".encode(), b"\xe9"))
    line = refused("test", "a", "--payload", path)
    assert line.startswith(f"error: the payload file {path} is not UTF-8: byte 0xe9 at offset ")
    assert line.endswith("cannot start or continue a character; use UTF-8")


def test_a_payload_nested_100000_deep(flow, refused, tmp_path):
    path = payload(tmp_path, event_text("[" * 100_000 + "]" * 100_000))
    assert refused("test", "a", "--payload", path) == (
        f"error: the payload file {path} is nested too deep: objects and arrays may nest 64 levels at most; flatten it"
    )


def test_a_payload_with_a_5000_digit_integer(flow, refused, tmp_path):
    path = payload(tmp_path, event_text('{"n": ' + "9" * 5000 + "}"))
    assert refused("test", "a", "--payload", path) == (
        f"error: the payload file {path} is not plain JSON: $.user.user_metadata.n is an integer of 5000 digits: "
        "integers must fit in 64 bits (-9223372036854775808 to 9223372036854775807); send larger ones as strings"
    )


def test_a_payload_file_holding_null_is_refused_not_replaced_by_the_sample(flow, refused, tmp_path):
    path = payload(tmp_path, b"null\n")
    assert refused("test", "a", "--payload", path) == (
        f"error: the payload file {path} is not a JSON object (it holds null): give an object, {{...}}"
    )


@pytest.mark.parametrize(
    ("document", "held"), [(b"[]", "an array"), (b'"x"', "a string"), (b"1", "a number"), (b"true", "a boolean")]
)
def test_a_payload_that_is_not_an_object(flow, refused, tmp_path, document, held):
    assert f"is not a JSON object (it holds {held})" in refused("test", "a", "--payload", payload(tmp_path, document))


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ('{"x": NaN}', "$.user.user_metadata.x is NaN, which is not a JSON number: use null or a string"),
        ('{"x": 1e999}', "$.user.user_metadata.x is 1e999, which a double cannot hold: send it as a string"),
        ('{"x": "\\udc00"}', "$.user.user_metadata.x holds a lone surrogate (\\udc00)"),
    ],
)
def test_a_payload_that_is_not_plain_json(flow, refused, tmp_path, metadata, message):
    assert message in refused("test", "a", "--payload", payload(tmp_path, event_text(metadata)))


def test_an_event_file_for_a_single_flow_run(flow, refused, tmp_path):
    line = refused(
        "flows", "run", "post-login", "--event", payload(tmp_path, event_text('{"x": NaN}')), "--executor", "inline"
    )
    assert "is NaN, which is not a JSON number" in line


def test_an_unreadable_payload_file(flow, refused, tmp_path):
    assert refused("test", "a", "--payload", str(tmp_path)) == (
        f"error: cannot read the payload file {tmp_path}: Is a directory"
    )


# Events files, stdin, arguments ------------------------------------------------------------------
def test_an_events_file_with_a_line_that_is_not_utf8_runs_the_others(flow, cli, tmp_path):
    events = tmp_path / "events.jsonl"
    bad = event_text('{"name": "café"}').replace("é".encode(), b"\xe9")
    events.write_bytes(event_text("{}") + b"\n" + bad + b"\n" + event_text('{"n": 2}') + b"\n")
    status, _, stderr = cli("flows", "run", "post-login", "--events", str(events), "--executor", "inline")
    assert status == 1 and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert stderr.startswith(f"error: {events} line 2: not UTF-8: byte 0xe9 at offset "), stderr
    lines = [json.loads(text) for text in (tmp_path / "events.results.jsonl").read_text().splitlines()]
    assert sorted((r["index"], r["status"]) for r in lines) == [(0, "allowed"), (1, "invalid"), (2, "allowed")]
    assert len(flow.executions()) == 2


def test_a_results_file_that_cannot_be_written(flow, refused, tmp_path):
    events = tmp_path / "events.jsonl"
    events.write_bytes(event_text("{}") + b"\n")
    results = tmp_path / "missing" / "results.jsonl"
    assert (
        refused(
            "flows", "run", "post-login", "--events", str(events), "--results", str(results), "--executor", "inline"
        )
        == f"error: {results}: No such file or directory"
    )


def test_a_secret_value_on_stdin_that_is_not_utf8(flow, refused):
    line = refused("secrets", "set", "a", "API_KEY", stdin=b"s\xffcret\n")
    assert line == (
        "error: the secret value on stdin is not UTF-8: byte 0xff at offset 1 cannot start or continue "
        "a character; use UTF-8"
    )


def test_code_on_stdin_that_is_not_utf8(flow, refused):
    line = refused("save", "b", "--trigger", "post-login", "--code", "-", stdin=POST_LOGIN_CODE.encode() + b"# \xff\n")
    assert line.startswith("error: the code on stdin is not UTF-8: byte 0xff")


def test_an_argument_that_is_not_utf8(flow, refused):
    assert refused("actions", "show", os.fsdecode(b"caf\xe9"), status=2) == (
        "error: the command-line argument 'caf\\udce9' is not UTF-8: byte 0xe9 at offset 3 cannot start or "
        "continue a character; use UTF-8"
    )


# Databases ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "garbage",
            (
                "the database URL is not one SQLAlchemy can read: give sqlite:////PATH/tenant.db or "
                "postgresql+psycopg://USER@HOST/DB"
            ),
        ),
        ("foo://x", "the database URL foo://x names 'foo', which jupyter-actions does not support"),
        ("sqlite:///:memory:", "the database URL sqlite:///:memory: is an in-memory SQLite database"),
        ("sqlite://", "the database URL sqlite:// is an in-memory SQLite database"),
        ("postgresql://u:hunter2@h:port/db", "the database URL is not one SQLAlchemy can read"),
        (
            "postgresql+nosuch://u:hunter2@h/db",
            (
                "the database URL postgresql+nosuch://u:***@h/db names the driver "
                "'nosuch', which SQLAlchemy does not know"
            ),
        ),
        ("mysql://u@h/db", "the database URL mysql://u@h/db names 'mysql', which jupyter-actions does not support"),
        (
            "postgresql+pg8000://u@h/db",
            ("the driver of the database URL postgresql+pg8000://u@h/db is not installed (no module 'pg8000')"),
        ),
    ],
)
def test_a_database_url_that_cannot_work(refused, actions_home, url, message):
    (actions_home / "tenants").mkdir(parents=True)
    line = refused("--database-url", url, "--tenant", "other", "actions", "list")
    assert line.startswith(f"error: {message}") and "hunter2" not in line


def test_a_driver_error_of_several_lines_is_one_line(refused, actions_home):
    (actions_home / "tenants" / "default").mkdir(parents=True, mode=0o700)
    line = refused("--database-url", "postgresql+psycopg://u@127.0.0.1:1/db", "actions", "list")
    assert line.startswith("error: cannot open the tenant store postgresql+psycopg://u@127.0.0.1:1/db: ")


# Numbers ------------------------------------------------------------------------------------
HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("test", "a", "--version", HUGE), f"action a has no version {HUGE}: version numbers run from 1 to 2147483647"),
        (("rollback", "a", HUGE), f"action a has no version {HUGE}"),
        (("diff", "a", HUGE), f"action a has no version {HUGE}"),
        (("replay", "post-login", "--candidate", f"a@{HUGE}"), f"action a has no version {HUGE}"),
        (("executions", "list", "--limit", HUGE), f"limit must be a whole number from 1 to 2147483647, not {HUGE}"),
        (("replay", "post-login", "--candidate", "a", "--limit", "-1"), "limit must be a whole number from 1 to"),
        (
            ("settings", "set", "flow_timeout_s", "1e300"),
            "setting flow_timeout_s must be more than 0 and at most 3,600",
        ),
    ],
)
def test_a_number_out_of_range(flow, refused, args, message):
    assert message in refused(*args)


# How the command ends ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("frobnicate",), "error: jupyter-actions: argument COMMAND: invalid choice: 'frobnicate'"),
        (
            ("deploy",),
            (
                "error: jupyter-actions deploy: the following arguments are required: name "
                "(see jupyter-actions deploy --help)"
            ),
        ),
        (("test", "a", "--version", "x"), "error: jupyter-actions test: argument --version: invalid int value: 'x'"),
    ],
)
def test_usage_errors_are_one_line_with_status_2(flow, refused, args, message):
    assert refused(*args, status=2).startswith(message)


def test_a_reader_that_goes_away_ends_the_command_quietly():
    # A subprocess: the point is how a real process ends when its stdout pipe has no reader.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "jupyter_actions", "templates", "list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (141, b"")


def test_an_unexpected_error_names_a_private_log_with_the_traceback(actions_home, monkeypatch, capsys):
    """The one fault injected on purpose: no input makes the real code fail this way."""
    import jupyter_actions.templates
    from jupyter_actions.cli import main

    def broken():
        raise ZeroDivisionError("division by zero in a command")

    monkeypatch.setattr(jupyter_actions.templates, "list_templates", broken)
    assert main(["templates", "list"]) == 1
    shown = capsys.readouterr()
    assert shown.out == "" and shown.err.count("\n") == 1 and "Traceback" not in shown.err
    assert shown.err.startswith(
        "error: internal error (ZeroDivisionError), a bug in jupyter-actions: the traceback is in "
    )
    path = actions_home / "logs" / shown.err.split(" is in ")[1].split(";")[0].rsplit("/", 1)[1]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    logged = path.read_text()
    assert logged.startswith("Traceback") and "ZeroDivisionError: division by zero in a command" in logged
