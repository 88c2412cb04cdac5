"""Logs, stats, timestamps and redaction of secrets, in real workers and in the capture itself."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from jupyter_actions.runtime import WorkerPool
from jupyter_actions.runtime.capture import Capture
from jupyter_actions.runtime.redaction import Redactor

from .conftest import job, run_one, step

H = "on_execute_post_login"
SECRET = "hunter2-Zq9x"
STATS = (
    "action_duration_ms",
    "boot_duration_ms",
    "network_duration_ms",
    "runtime_processing_duration_ms",
    "runtime_external_call_duration_ms",
    "total_runtime_execution_duration_ms",
    "total_request_duration_ms",
)
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def test_stdout_stderr_and_logging_are_captured_in_order(pool: WorkerPool) -> None:
    code = (
        "import logging, sys, warnings\n"
        f"async def {H}(event, api):\n"
        "    print('out')\n"
        "    print('err', file=sys.stderr)\n"
        "    logging.info('info %s', 1)\n"
        "    logging.getLogger('mine').warning('careful')\n"
        "    logging.debug('not shown')\n"
        "    sys.stdout.write('no newline')\n"
    )
    logs = run_one(pool, code)["response"]["logs"]
    assert logs == "out\nerr\nINFO:root:info 1\nWARNING:mine:careful\nno newline"


def test_logging_configuration_does_not_leak_into_the_next_step(pool: WorkerPool) -> None:
    rude = (
        f"import logging\ndef {H}(event, api):\n"
        "    logging.getLogger().handlers.clear()\n    logging.getLogger().setLevel(logging.ERROR)\n"
    )
    run_one(pool, rude)
    polite = f"import logging\ndef {H}(event, api):\n    logging.info('still here')\n"
    for _ in range(2):  # both workers of the pool
        assert run_one(pool, polite)["response"]["logs"] == "INFO:root:still here\n"


def test_stats_and_timestamps(pool: WorkerPool) -> None:
    code = f"import time\ndef {H}(event, api):\n    time.sleep(0.05)\n"
    first = run_one(pool, code, name="timed")
    again = run_one(pool, code, name="timed")
    for result in (first, again):
        stats = result["response"]["stats"]
        assert list(stats) == list(STATS)
        assert all(isinstance(value, float) and value >= 0 for value in stats.values())
        assert all(round(value, 3) == value for value in stats.values())
        assert stats["action_duration_ms"] >= 50
        assert stats["total_runtime_execution_duration_ms"] == pytest.approx(
            stats["action_duration_ms"] + stats["boot_duration_ms"] + stats["runtime_processing_duration_ms"], abs=0.01
        )
        assert stats["total_request_duration_ms"] >= stats["total_runtime_execution_duration_ms"]
        assert ISO.match(result["started_at"]) and ISO.match(result["ended_at"])
        started = datetime.fromisoformat(result["started_at"][:-1])
        ended = datetime.fromisoformat(result["ended_at"][:-1])
        assert 0.05 <= (ended - started).total_seconds() < 5
    assert again["response"]["stats"]["boot_duration_ms"] == 0.0


def test_a_secret_never_leaves_the_worker(pool: WorkerPool) -> None:
    code = (
        "import logging\n"
        f"async def {H}(event, api):\n"
        "    secret = event.secrets.API_KEY\n"
        "    print('whole', secret)\n"
        "    for char in secret:\n"
        "        print(char, end='')\n"
        "    print()\n"
        "    print(secret[:4], end='')\n"
        "    print(secret[4:])\n"
        "    logging.warning('logged %s', secret)\n"
        "    print(event.secrets, dict(event.secrets))\n"
        "    raise ValueError(f'failed with {secret}')\n"
    )
    result = run_one(pool, code, secrets={"API_KEY": SECRET, "EMPTY": ""})
    response = result["response"]
    assert response["logs"] == (
        "whole [REDACTED]\n[REDACTED]\n[REDACTED]\nWARNING:root:logged [REDACTED]\n"
        "EventView({'API_KEY': '[REDACTED]', 'EMPTY': '[REDACTED]'}) "
        "{'API_KEY': '[REDACTED]', 'EMPTY': ''}\n"
    )
    assert response["error"]["message"] == "failed with [REDACTED]"
    assert "raise ValueError(f'failed with {secret}')" in response["error"]["stack"]
    assert "ValueError: failed with [REDACTED]" in response["error"]["stack"]
    assert SECRET not in repr(result)


@pytest.mark.parametrize("body", ["pass", "api.user.set_app_metadata('k', 'v')"])
def test_the_event_comes_back_without_secrets(pool: WorkerPool, body: str) -> None:
    result = pool.run(job(step(f"def {H}(event, api):\n    {body}\n", secrets={"API_KEY": SECRET})))
    assert "secrets" not in result["event"]
    assert SECRET not in repr(result)


def test_a_secret_in_the_source_line_of_the_stack_is_redacted(pool: WorkerPool) -> None:
    code = f"def {H}(event, api):\n    raise KeyError('{SECRET}')\n"
    error = run_one(pool, code, secrets={"API_KEY": SECRET})["response"]["error"]
    assert SECRET not in error["stack"] and SECRET not in error["message"]
    assert "raise KeyError('[REDACTED]')" in error["stack"]


def test_a_secret_at_the_truncation_point_is_cut_off_whole(pool: WorkerPool) -> None:
    code = f"def {H}(event, api):\n    print('x' * 4090, end='')\n    print(event.secrets.API_KEY * 3)\n"
    logs = run_one(pool, code, secrets={"API_KEY": SECRET})["response"]["logs"]
    assert SECRET[:4] not in logs and "hunter" not in logs
    assert logs.startswith("x" * 4090)
    assert "[... output truncated:" in logs


def test_module_level_output_goes_to_the_first_step(pool: WorkerPool) -> None:
    code = f"print('loading')\nasync def {H}(event, api):\n    print('running')\n"
    assert run_one(pool, code, name="once")["response"]["logs"] == "loading\nrunning\n"


# The capture on its own: a secret split across the cut, redaction growing text, markers.


def test_capture_keeps_all_when_under_the_limit() -> None:
    capture = Capture(limit=20)
    capture.begin(Redactor(()))
    capture.write("hello ")
    capture.write("world")
    assert capture.finish() == "hello world"


def test_capture_marks_what_it_drops() -> None:
    capture = Capture(limit=10)
    capture.begin(Redactor(()))
    for _ in range(10):
        capture.write("0123456789")
    assert capture.finish() == "0123456789\n[... output truncated: 90 characters dropped]"


def test_capture_never_shows_a_prefix_of_a_secret_at_the_cut() -> None:
    capture = Capture(limit=10)
    capture.begin(Redactor(("SECRETVALUE",)))
    capture.write("abcdefgh")
    capture.write("SECRET")
    capture.write("VALUE and more")
    logs = capture.finish()
    assert logs == "abcdefgh\n[... output truncated: 20 characters dropped]"


def test_capture_redaction_that_grows_the_text_still_respects_the_limit() -> None:
    capture = Capture(limit=30)
    capture.begin(Redactor(("a",)))
    capture.write("a" * 10)
    logs = capture.finish()
    assert logs.startswith("[REDACTED][REDACTED][REDACTED]")
    assert logs.endswith("characters dropped]")


def test_capture_redacts_the_longest_secret_first() -> None:
    capture = Capture(limit=100)
    capture.begin(Redactor(("token-long", "token")))
    capture.write("token-long token")
    assert capture.finish() == "[REDACTED] [REDACTED]"


def test_capture_refuses_bytes() -> None:
    capture = Capture(limit=10)
    capture.begin(Redactor(()))
    with pytest.raises(TypeError):
        capture.write(b"bytes")  # type: ignore[arg-type]
