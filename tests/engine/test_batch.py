"""Batches of events through a flow: every worker busy, every execution recorded."""

from __future__ import annotations

from jupyter_actions import PayloadError


def test_batch_runs_every_event_and_records_it(tenant, deploy, login):
    deploy(
        "gate",
        'if event.user.email.endswith("@blocked.example"):\n    api.access.deny("blocked")\n'
        'api.id_token.set_custom_claim("https://x/email", event.user.email)',
    )
    deploy("tag", 'api.access_token.set_custom_claim("https://x/tag", 1)')
    tenant.bind("post-login", ["gate", "tag"])
    events = []
    for i in range(60):
        event = {
            **login,
            "user": {**login["user"], "email": f"user{i}@{'blocked.example' if i % 3 == 0 else 'ok.example'}"},
        }
        events.append(event)
    events.insert(10, {**login, "user": {**login["user"], "email": 5}})
    results = dict(tenant.run_flow_batch("post-login", events))
    assert sorted(results) == list(range(61))
    assert isinstance(results[10], PayloadError) and "$.user.email" in str(results[10])
    executions = [results[i] for i in range(61) if i != 10]
    for event, execution in zip([e for i, e in enumerate(events) if i != 10], executions, strict=True):
        email = event["user"]["email"]
        if email.endswith("blocked.example"):
            assert execution.outcome["status"] == "denied" and len(execution.results) == 1
        else:
            assert execution.outcome["status"] == "allowed", execution.outcome["error"]
            assert execution.outcome["id_token_claims"] == {"https://x/email": email}
            assert execution.outcome["access_token_claims"] == {"https://x/tag": 1}
    stored = tenant.executions(limit=1000)
    assert {e.id for e in stored} == {e.id for e in executions}


def test_batch_with_cache_runs_in_order(tenant, deploy, login):
    deploy(
        "counter",
        'hit = api.cache.get("n")\nn = int(hit["value"]) + 1 if hit else 1\n'
        'api.cache.set("n", str(n))\napi.id_token.set_custom_claim("https://x/n", n)',
    )
    tenant.bind("post-login", ["counter"])
    results = list(tenant.run_flow_batch("post-login", [login] * 5))
    assert [i for i, _ in results] == [0, 1, 2, 3, 4]
    assert [e.outcome["id_token_claims"]["https://x/n"] for _, e in results] == [1, 2, 3, 4, 5]


def test_lean_batch_blames_the_action_that_was_running(tenant, deploy, login):
    import json

    deploy("first", "pass")
    deploy("sleeper", 'import time\nif event.user.email.startswith("slow"):\n    time.sleep(30)')
    deploy("third", 'api.id_token.set_custom_claim("https://x/t", 1)')
    tenant.bind("post-login", ["first", "sleeper", "third"])
    tenant.configure("flow_timeout_s", 1.0)
    lines = [
        json.dumps({**login, "user": {**login["user"], "email": email}}) + "\n" for email in ("ok@x", "slow@x", "ok2@x")
    ]
    lines.append("{not json\n")
    results = {r.index: r for r in tenant.engine.run_lines("post-login", lines)}
    assert results[0].status == "allowed" and results[2].status == "allowed"
    assert results[1].status == "failed"
    assert (results[1].error["action_name"], results[1].error["error_class"]) == ("sleeper", "action_timeout")
    assert results[3].malformed.startswith("not valid JSON")
    stored = {e.id: e for e in tenant.executions()}
    assert stored[results[1].execution_id].outcome["error"]["action_name"] == "sleeper"
    assert json.loads(results[0].outcome_json)["id_token_claims"] == {"https://x/t": 1}


def test_lean_batch_redacts_non_ascii_secrets_and_keeps_wide_integers(tenant, deploy, login):
    """The workers encode with orjson (raw UTF-8) and fall back to the standard library for
    an integer beyond 64 bits: in both encodings a secret is found and redacted."""
    import json

    secret = "pässwörd-Ω-\u2028-42"
    body = (
        'print("token", event.secrets.KEY)\n'
        'api.id_token.set_custom_claim("https://x/key", event.secrets.KEY)\n'
        'if event.user.email.startswith("wide"):\n'
        '    api.user.set_app_metadata("big", 2 ** 70)\n'
    )
    deploy("leaky", body, secrets={"KEY": secret})
    tenant.bind("post-login", ["leaky"])
    lines = [
        json.dumps({**login, "user": {**login["user"], "email": email}}) + "\n" for email in ("narrow@x", "wide@x")
    ]
    results = {r.index: r for r in tenant.engine.run_lines("post-login", lines)}
    assert [results[i].status for i in (0, 1)] == ["allowed", "allowed"]
    for result in results.values():
        assert secret not in result.outcome_json
        assert json.loads(result.outcome_json)["id_token_claims"] == {"https://x/key": "[REDACTED]"}
    assert json.loads(results[1].outcome_json)["app_metadata"] == {"big": 2**70}
    stored = {e.id: e for e in tenant.executions()}
    for result in results.values():
        execution = stored[result.execution_id]
        assert execution.results[0]["response"]["logs"] == "token [REDACTED]\n"
        assert secret not in json.dumps(execution.results, ensure_ascii=False)
    files = [path for path in tenant.directory.iterdir() if path.name.startswith("tenant.db")]
    assert files and not any(secret.encode() in path.read_bytes() for path in files)


def test_a_forged_result_fails_its_job_not_the_batch(tenant, deploy, login):
    """An action can write to its worker's pipe (its descriptor is on the command line): a
    frame the parent did not ask for ends that worker and fails that job; the others run."""
    import json

    forge = (
        "import os, sys, json\n"
        'if event.user.email.startswith("forge"):\n'
        '    body = json.dumps({"j": 0, "done": 1, "lean": {"id": "x", "status": "approved"}}).encode()\n'
        '    os.write(int(sys.argv[3]), len(body).to_bytes(4, "big") + body)\n'
    )
    deploy("forger", forge)
    tenant.bind("post-login", ["forger"])
    lines = [
        json.dumps({**login, "user": {**login["user"], "email": email}}) + "\n"
        for email in ("ok@x", "forge@x", "ok2@x")
    ]
    results = {r.index: r for r in tenant.engine.run_lines("post-login", lines)}
    assert (results[0].status, results[2].status) == ("allowed", "allowed")
    assert results[1].status == "failed"
    assert (results[1].error["error_class"], results[1].error["name"]) == ("platform_error", "PlatformError")
    assert "the worker answered a job it was not running" in results[1].error["message"]


def test_lines_named_by_the_caller_run_again_are_recorded_once(tenant, deploy, login):
    """A distributed partition run again names its executions as before: the store keeps the
    first record of each id, on the parallel and on the ordered (api.cache) path."""
    import json

    from jupyter_actions._ids import batch_execution_id, new_batch_run

    deploy("tag", 'api.access_token.set_custom_claim("https://x/tag", 1)')
    deploy("counter", 'api.cache.set("n", "1")')
    lines = [json.dumps({**login, "user": {**login["user"], "email": f"u{i}@x.com"}}).encode() for i in range(20)]
    for flow in (["tag"], ["counter"]):
        tenant.bind("post-login", flow)
        run = new_batch_run()

        def ids(index: int, run: int = run) -> str:
            return batch_execution_id(run, 100 + index)

        first = {r.index: r.execution_id for r in tenant.run_flow_lines("post-login", lines[:12], ids=ids)}
        again = {r.index: r.execution_id for r in tenant.run_flow_lines("post-login", lines, ids=ids)}
        assert first == {i: ids(i) for i in range(12)} and again == {i: ids(i) for i in range(20)}
        assert tenant.executions_recorded(ids(0), ids(19)) == 20
        assert tenant.executions_recorded(ids(12), ids(19)) == 8
    assert len(tenant.executions(limit=1000)) == 40
