"""Jobs of several steps: order, visibility between actions, stop, suspend, errors, cut-offs."""

from __future__ import annotations

from jupyter_actions.runtime import WorkerPool

from .conftest import assert_healthy, job, step

H = "on_execute_post_login"
RESULT_KEYS = [
    "action_name",
    "action_id",
    "version_id",
    "version_number",
    "binding_id",
    "started_at",
    "ended_at",
    "response",
    "commands",
    "control",
]


def action(body: str, name: str, handler: str = H, **options) -> object:
    indented = "\n".join("    " + line for line in body.splitlines())
    return step(f"async def {handler}(event, api):\n{indented}\n", name=name, handler=handler, **options)


def test_result_shape_and_identity(pool: WorkerPool) -> None:
    result = pool.run(job(action("pass", "first"), action("pass", "second")))
    assert set(result) == {"results", "event", "cache"}
    first, second = result["results"]
    assert list(first) == RESULT_KEYS
    assert (
        first["action_name"],
        first["action_id"],
        first["version_id"],
        first["version_number"],
        first["binding_id"],
    ) == ("first", "act_first", "ver_first", 1, "bind_first")
    assert second["action_name"] == "second"
    assert first["ended_at"] <= second["started_at"]
    assert (first["commands"], first["control"]) == ([], "continue")


def test_metadata_and_cache_are_visible_to_later_actions(pool: WorkerPool) -> None:
    writer = action(
        "api.user.set_app_metadata('plan', 'gold')\n"
        "api.transaction.set_metadata('seen', True)\n"
        "api.cache.set('token', 'abc')",
        "writer",
    )
    reader = action(
        "print(event.user.app_metadata.plan, event.transaction.metadata.seen, api.cache.get('token')['value'])",
        "reader",
    )
    result = pool.run(job(writer, reader))
    assert result["results"][1]["response"]["logs"] == "gold True abc\n"
    assert result["event"]["user"]["app_metadata"]["plan"] == "gold"
    assert result["cache"]["token"]["value"] == "abc"
    assert [c["type"] for c in result["results"][0]["commands"]] == [
        "user.set_app_metadata",
        "transaction.set_metadata",
        "cache.set",
    ]


def test_an_unchanged_event_comes_back_as_it_went(pool: WorkerPool) -> None:
    sent = job(action("print('looking only')", "reader"))
    assert "secrets" in sent.event  # the sample payload has an empty one
    assert pool.run(sent)["event"] == {k: v for k, v in sent.event.items() if k != "secrets"}


def test_deny_lets_the_action_finish_then_stops_the_flow(pool: WorkerPool) -> None:
    denier = action("api.access.deny('no entry')\nprint('still running')", "denier")
    result = pool.run(job(action("pass", "first"), denier, action("print('never')", "third")))
    assert [r["action_name"] for r in result["results"]] == ["first", "denier"]
    assert result["results"][1]["response"]["logs"] == "still running\n"
    assert result["results"][1]["control"] == "stop"


def test_redirect_suspends_the_flow(pool: WorkerPool) -> None:
    redirector = action("api.redirect.send_user_to('https://example.com/mfa')", "redirector")
    result = pool.run(job(redirector, action("print('later')", "after")))
    assert [r["control"] for r in result["results"]] == ["suspend"]


def test_continue_phase_calls_the_continue_handler_first(pool: WorkerPool) -> None:
    resumed = action("print('resumed')", "resumed", handler="on_continue_post_login")
    result = pool.run(job(resumed, action("print('next')", "next"), phase="continue"))
    assert [r["response"]["logs"] for r in result["results"]] == ["resumed\n", "next\n"]


def test_an_error_stops_a_blocking_flow(pool: WorkerPool) -> None:
    result = pool.run(job(action("raise ValueError('x')", "failing"), action("pass", "after")))
    assert [r["action_name"] for r in result["results"]] == ["failing"]
    assert result["results"][0]["control"] == "stop"


def test_an_error_does_not_stop_a_non_blocking_flow(pool: WorkerPool) -> None:
    handler = "on_execute_post_user_registration"
    options = {"trigger": "post-user-registration", "handler": handler}
    steps = (action("raise ValueError('x')", "failing", **options), action("print('ran anyway')", "after", **options))
    result = pool.run(job(*steps, trigger="post-user-registration"))
    failing, after = result["results"]
    assert failing["response"]["error"]["name"] == "ValueError"
    assert failing["control"] == "continue"
    assert after["response"]["logs"] == "ran anyway\n"


def test_a_timeout_keeps_the_steps_that_finished(pool: WorkerPool) -> None:
    sent = job(
        action("api.user.set_app_metadata('k', 1)\nprint('done')", "quick", secrets={"S": "v"}),
        action("while True:\n    pass", "stuck"),
        action("print('never')", "later"),
        timeout_s=0.5,
    )
    result = pool.run(sent)
    quick, stuck = result["results"]
    assert quick["response"]["logs"] == "done\n" and quick["response"]["error"] is None
    assert quick["commands"] == [{"type": "user.set_app_metadata", "key": "k", "value": 1}]
    assert stuck["response"]["error"]["error_class"] == "action_timeout"
    assert stuck["action_name"] == "stuck" and stuck["started_at"] >= quick["ended_at"]
    # what the finished step made visible stays; nothing of the step that timed out
    assert result["event"]["user"]["app_metadata"]["k"] == 1
    assert_healthy(pool)


def test_a_dying_worker_keeps_the_steps_that_finished(pool: WorkerPool) -> None:
    result = pool.run(job(action("print('one')", "one"), action("import os\nos._exit(3)", "dies")))
    one, dies = result["results"]
    assert one["response"]["logs"] == "one\n"
    assert dies["response"]["error"]["message"] == "the worker exited with status 3"
    assert_healthy(pool)


def test_a_job_without_steps(pool: WorkerPool) -> None:
    sent = job(event={"user": {"user_id": "u1"}})
    assert pool.run(sent) == {"results": [], "event": sent.event, "cache": {}}


def test_actions_a_stopped_job_did_not_reach_run_in_the_next_job(overlay_dir) -> None:
    later = action("print('reached')", "later", secrets={"S": "later-secret"})
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as solo:
        solo.run(job(action("api.access.deny('no')", "denier"), later))
        result = solo.run(job(action("pass", "first"), later))
    assert result["results"][1]["response"]["logs"] == "reached\n"
    assert result["results"][1]["response"]["error"] is None


def test_the_jobs_own_event_is_never_changed(pool: WorkerPool) -> None:
    """The parent applies what a step made visible to a copy: the event it was given (the
    execution's input, stored as such) stays as it came."""
    import copy

    writer = action(
        "api.user.set_app_metadata('plan', 'gold')\n"
        "api.user.set_user_metadata('theme', 'dark')\n"
        "api.transaction.set_metadata('seen', True)",
        "writer",
    )
    sent = job(writer, action("pass", "reader"))
    before = copy.deepcopy(sent.event)
    result = pool.run(sent)
    assert result["event"]["user"]["app_metadata"]["plan"] == "gold"
    assert result["event"]["transaction"]["metadata"]["seen"] is True
    assert sent.event == before
