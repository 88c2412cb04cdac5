"""`flows run --events` through the papermill executor notebook and inline."""

from __future__ import annotations

import json

import nbformat
import pytest

from jupyter_actions.triggers import get_trigger

SECRET = "Executor-Secret-Value-5c1d"
ACTION = """
import time

async def on_execute_post_login(event, api):
    print("using", event.secrets.TOKEN)
    email = event.user.email
    if email.startswith("deny"):
        api.access.deny("denied " + email)
    elif email.startswith("fail"):
        raise ValueError("cannot handle " + email + " with " + event.secrets.TOKEN)
    elif email.startswith("slow"):
        time.sleep(30)
    api.id_token.set_custom_claim("https://x/token", event.secrets.TOKEN)
"""


@pytest.fixture
def batch(tenant, tmp_path):
    tenant.save_draft("gate", "post-login", ACTION, secrets=["TOKEN"])
    tenant.set_secret("gate", "TOKEN", SECRET)
    tenant.deploy("gate")
    tenant.bind("post-login", ["gate"])
    tenant.configure("flow_timeout_s", 1.5)
    login = get_trigger("post-login").sample_payload()
    emails = ["ok1@x.com", "deny1@x.com", "fail1@x.com", "slow1@x.com", "ok2@x.com", "deny2@x.com"]
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps({**login, "user": {**login["user"], "email": e}}) + "\n" for e in emails))
    return path, emails


@pytest.mark.slow
def test_papermill_batch_results_exit_status_and_audit(batch, cli, tmp_path, actions_home):
    events, emails = batch
    output, results = tmp_path / "audit.ipynb", tmp_path / "results.jsonl"
    run = cli("flows", "run", "post-login", "--events", str(events), "--output", str(output), "--results", str(results))
    assert run.status == 1, run.err  # a failure and a timeout
    assert f"executed notebook: {output}" in run.out
    lines = sorted((json.loads(line) for line in results.read_text().splitlines()), key=lambda r: r["index"])
    assert [r["status"] for r in lines] == ["allowed", "denied", "failed", "failed", "allowed", "denied"]
    assert lines[1]["outcome"]["deny"]["reason"] == "denied deny1@x.com"
    assert lines[2]["outcome"]["error"]["error_class"] == "action_error"
    assert lines[3]["outcome"]["error"]["error_class"] == "action_timeout"
    assert lines[0]["outcome"]["id_token_claims"] == {"https://x/token": "[REDACTED]"}

    notebook = nbformat.read(output, as_version=4)
    audit = notebook.cells[-1].outputs[0]["data"]["text/markdown"]
    assert "| allowed | 2 |" in audit and "| denied | 2 |" in audit and "| failed | 2 |" in audit
    assert "action_timeout" in audit and "ValueError" in audit and "### Slowest actions" in audit
    assert set(notebook.metadata.papermill.parameters) == {
        "tenant",
        "trigger",
        "events_path",
        "results_path",
        "progress_path",
        "scheduler",
    }
    assert notebook.metadata.papermill.parameters["scheduler"] == ""

    for text in (
        output.read_text(),
        results.read_text(),
        run.out,
        run.err,
        (tmp_path / "results.jsonl.summary.json").read_text(),
    ):
        assert SECRET not in text
    ids = {r["execution_id"] for r in lines}
    listed = cli("executions", "list", "--json", "--limit", "100")
    assert ids <= {e["id"] for e in json.loads(listed.out)["executions"]}


def test_inline_batch_and_fail_on_deny(tenant, tmp_path, cli):
    tenant.save_draft(
        "gate",
        "post-login",
        "async def on_execute_post_login(event, api):\n"
        '    if event.user.email.startswith("deny"):\n'
        '        api.access.deny("no")\n',
        deploy=True,
    )
    tenant.bind("post-login", ["gate"])
    login = get_trigger("post-login").sample_payload()
    events = tmp_path / "e.jsonl"
    events.write_text(
        "\n".join(json.dumps({**login, "user": {**login["user"], "email": e}}) for e in ("a@x", "deny@x")) + "\n"
    )
    ok = cli("flows", "run", "post-login", "--events", str(events), "--executor", "inline", "--json")
    assert ok.status == 0, ok.err
    summary = json.loads(ok.out)
    assert summary["statuses"] == {"allowed": 1, "denied": 1} and summary["notebook"] is None
    gated = cli("flows", "run", "post-login", "--events", str(events), "--executor", "inline", "--fail-on", "deny")
    assert gated.status == 1


@pytest.mark.slow
def test_single_event_through_papermill(tenant, tmp_path, cli):
    tenant.save_draft(
        "hello",
        "post-login",
        'async def on_execute_post_login(event, api):\n    api.id_token.set_custom_claim("https://x/a", 1)\n',
        deploy=True,
    )
    tenant.bind("post-login", ["hello"])
    event = tmp_path / "login.json"
    event.write_text(json.dumps(get_trigger("post-login").sample_payload()))
    run = cli("flows", "run", "post-login", "--event", str(event), "--json")
    assert run.status == 0, run.err
    assert json.loads(run.out)["outcome"]["id_token_claims"] == {"https://x/a": 1}


@pytest.mark.parametrize(
    ("lines", "trigger", "message"),
    [
        (None, "post-login", "does not exist"),
        (['{"user": {}}', "{not json"], "post-login", "line 2: not valid JSON"),
        (["[1, 2]"], "post-login", "line 1: not a JSON object (it holds an array)"),
        (["{}"], "post-logout", "unknown trigger 'post-logout'"),
        (["{}"], "credentials-exchange", "has no bound actions"),
    ],
)
def test_bad_input_is_one_clear_line(tenant, tmp_path, cli, lines, trigger, message):
    tenant.save_draft("hello", "post-login", "async def on_execute_post_login(event, api):\n    pass\n", deploy=True)
    tenant.bind("post-login", ["hello"])
    events = tmp_path / "events.jsonl"
    if lines is not None:
        events.write_text("\n".join(lines) + "\n")
    run = cli(
        "flows",
        "run",
        "post-login" if trigger == "post-login" else trigger,
        "--events",
        str(events),
        "--executor",
        "inline",
    )
    assert run.status == 1
    assert run.err.startswith("error: ") and run.err.count("\n") == 1 and message in run.err


@pytest.mark.slow
def test_malformed_line_through_papermill_names_the_line(tenant, tmp_path, cli):
    tenant.save_draft("hello", "post-login", "async def on_execute_post_login(event, api):\n    pass\n", deploy=True)
    tenant.bind("post-login", ["hello"])
    events = tmp_path / "events.jsonl"
    events.write_text(json.dumps(get_trigger("post-login").sample_payload()) + "\n{broken\n")
    run = cli("flows", "run", "post-login", "--events", str(events), "--output", str(tmp_path / "out.ipynb"))
    assert run.status == 1
    error_lines = [line for line in run.err.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == 1 and "line 2: not valid JSON" in error_lines[0] and "out.ipynb" in error_lines[0]
    failed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" for c in failed.cells if c.cell_type == "code" for o in c.outputs)
