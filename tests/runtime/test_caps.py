"""Caps on what a step may put into an outcome and a record: claims, metadata, every api call
together, logs, error texts. Honest code gets the error at the api call that would pass a cap;
a worker that forges its answer past a cap (as an attacker's action can) fails its step, and
nothing over the cap reaches the result."""

from __future__ import annotations

import json

import pytest

from jupyter_actions.runtime import WorkerPool

from .conftest import assert_healthy, job, run_one, step

H = "on_execute_post_login"
MIB = 1 << 20


def error_of(result: dict) -> dict:
    error = result["response"]["error"]
    assert error is not None, result
    return error


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "    for _ in range(3):\n        api.id_token.set_custom_claim('https://x/big', 'x' * (3 * 2 ** 20))\n",
            (
                "the ID token's custom claims would take 3 MiB, over the limit of 100 KiB per token, as on Auth0: set "
                "smaller values"
            ),
        ),
        (
            "    for i in range(11):\n        api.access_token.set_custom_claim(f'https://x/{i}', 'x' * 10000)\n",
            (
                "the access token's custom claims would take 108.19 KiB, over the limit of 100 KiB per token, as on Auth0: set "
                "smaller values"
            ),
        ),
        (
            "    api.user.set_user_metadata('notes', 'x' * 40000)\n",
            (
                "the user_metadata updates would take 39.12 KiB, over the limit of 32 KiB per execution, as on Auth0: set "
                "smaller values"
            ),
        ),
        (
            "    for i in range(5):\n        api.user.set_app_metadata(f'k{i}', ['x' * 1000] * 7)\n",
            (
                "the app_metadata updates would take 34.54 KiB, over the limit of 32 KiB per execution, as on Auth0: set "
                "smaller values"
            ),
        ),
        (
            "    for _ in range(20):\n        api.id_token.set_custom_claim('same', 'x' * 60000)\n",
            (
                "the api calls of this execution would take 1.03 MiB together, over the limit of 1 MiB: keep claims, metadata "
                "and other values small"
            ),
        ),
    ],
    ids=["3 MB claims", "access token claims", "user_metadata", "app_metadata", "every call together"],
)
def test_an_api_call_past_a_cap_raises_at_that_line(pool: WorkerPool, body: str, message: str) -> None:
    result = run_one(pool, f"def {H}(event, api):\n{body}", name="capped")
    error = error_of(result)
    assert (error["error_class"], error["name"]) == ("action_error", "ValueError")
    assert error["message"] == message
    assert '"<action capped>", line' in error["stack"]
    assert len(json.dumps(result["commands"])) <= MIB
    assert_healthy(pool)


def test_setting_a_claim_again_replaces_its_size(pool: WorkerPool) -> None:
    code = f"def {H}(event, api):\n    for _ in range(50):\n        api.id_token.set_custom_claim('k', 'x' * 20000)\n"
    result = run_one(pool, code)
    assert result["response"]["error"] is None and len(result["commands"]) == 50


def test_the_caps_count_the_earlier_actions_of_the_flow(pool: WorkerPool) -> None:
    first = step(f"def {H}(event, api):\n    api.id_token.set_custom_claim('a', 'x' * 60000)\n", name="first")
    second = step(f"def {H}(event, api):\n    api.id_token.set_custom_claim('b', 'x' * 60000)\n", name="second")
    results = pool.run(job(first, second))["results"]
    assert results[0]["response"]["error"] is None
    assert error_of(results[1])["message"].startswith("the ID token's custom claims would take 117.3 KiB, over ")


@pytest.mark.parametrize(
    ("raise_line", "field", "limit"),
    [
        ("raise ValueError('m' * (5 * 2 ** 20))", "message", 8192),
        ("raise type('E' * 2 ** 20, (Exception,), {})('boom')", "name", 256),
    ],
)
def test_long_error_texts_are_cut_with_a_marker(pool: WorkerPool, raise_line: str, field: str, limit: int) -> None:
    error = error_of(run_one(pool, f"def {H}(event, api):\n    {raise_line}\n"))
    assert len(error[field]) <= limit + 64
    assert error[field].endswith(" characters dropped]")
    assert len(error["stack"]) <= 64 * 1024 + 64
    assert_healthy(pool)


# Forged answers: the action finds its own job's id and nonce up the stack and writes an answer
# of its own into the worker's pipe, past a cap, before the worker's real answer.
FORGE = """
import json, os, sys

def job_of_this_step():
    frame = sys._getframe()
    while frame is not None:
        found = frame.f_locals.get("job")
        if isinstance(found, dict) and "id" in found and "n" in found:
            return found
        frame = frame.f_back
    raise RuntimeError("no job found")

def on_execute_post_login(event, api):
    job = job_of_this_step()
    result = {"started_at": "2026-01-01T00:00:00.000000Z", "ended_at": "2026-01-01T00:00:00.000000Z",
              "response": {"logs": LOGS, "stats": {k: 0.1 for k in ("action_duration_ms", "boot_duration_ms",
                           "network_duration_ms", "runtime_processing_duration_ms",
                           "total_runtime_execution_duration_ms")}, "error": ERROR},
              "commands": COMMANDS}
    body = json.dumps({"id": job["id"], "n": job["n"], "r": result}).encode()
    for name in os.listdir("/proc/self/fd"):
        try:
            os.write(int(name), len(body).to_bytes(4, "big") + body)
        except (OSError, ValueError):
            pass
    os._exit(0)  # the parent has the forged answer; the worker's own never comes
"""


def forged(logs: str = "", error: dict | None = None, commands: list | None = None) -> str:
    return FORGE.replace("LOGS", repr(logs)).replace("ERROR", repr(error)).replace("COMMANDS", repr(commands or []))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (forged(logs="L" * (3 * MIB)), "the worker sent 3 MiB of logs, over the limit of 4 KiB; it was replaced"),
        (
            forged(error={"name": "E", "message": "M" * (2 * MIB), "stack": "", "error_class": "action_error"}),
            "the worker sent an error message of 2 MiB, over the limit of 8 KiB; it was replaced",
        ),
    ],
    ids=["logs", "error message"],
)
def test_a_forged_answer_over_a_record_cap_is_refused(pool: WorkerPool, code: str, message: str) -> None:
    result = run_one(pool, code, name="forger")
    error = error_of(result)
    assert (error["error_class"], error["message"]) == ("platform_error", message)
    assert len(json.dumps(result)) < 64 * 1024
    assert_healthy(pool)


def test_forged_commands_over_a_cap_fail_the_step_and_are_dropped(pool: WorkerPool) -> None:
    claims = [{"type": "id_token.set_custom_claim", "key": f"k{i}", "value": "x" * 50000} for i in range(5)]
    result = run_one(pool, forged(commands=claims), name="forger")
    error = error_of(result)
    assert (error["error_class"], error["name"]) == ("action_error", "LimitError")
    assert error["message"] == (
        "the ID token's custom claims would take 146.65 KiB, over the limit of 100 KiB per "
        "token, as on Auth0: set smaller values"
    )
    assert result["commands"] == [] and result["control"] == "stop"
    assert_healthy(pool)


@pytest.mark.parametrize(
    "entries",
    [
        [(f"k{i}", "v") for i in range(21)],
        [("big", "v" * 5000)],
        [(f"k{i}", "v" * 4000) for i in range(3)],
    ],
    ids=["21 entries", "a 5000-byte value", "12 KB in all"],
)
def test_forged_cache_writes_past_api_caches_limits_change_nothing(pool: WorkerPool, entries: list) -> None:
    forever = 2**52
    commands = [{"type": "cache.set", "key": key, "value": value, "expires_at": forever} for key, value in entries]
    output = pool.run(job(step(forged(commands=commands), name="forger")))
    error = error_of(output["results"][0])
    assert (error["error_class"], error["message"]) == (
        "platform_error",
        "the worker sent commands of the wrong shape; it was replaced",
    )
    assert output["cache"] == {}
    assert_healthy(pool)
