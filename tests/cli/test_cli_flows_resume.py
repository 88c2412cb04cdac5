"""``flows continue ID --request FILE``: a continue request carries the form's ``event.prompt``,
the new ``event.authentication.methods`` and the /continue query and body; a flow suspends
twice; a bad request file is one line and leaves the execution suspended."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from jupyter_actions.triggers import get_trigger

# https://auth0.com/docs/customize/forms/render ("Fields and shared variables data in Actions"), renamed
FORM = """
async def on_execute_post_login(event, api):
    api.prompt.render("ap_fuVuFiiQWN3mTEujWTy966")

async def on_continue_post_login(event, api):
    api.user.set_user_metadata("company_name", event.prompt.fields.company_name)
"""
# https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login
# ("Use roles to determine challenge method"), renamed
ROLES_CHALLENGE = """
async def on_execute_post_login(event, api):
    api.authentication.challenge_with({"type": "otp"})

    is_admin = "admin" in event.authorization.roles
    if is_admin:
        api.authentication.challenge_with({"type": "phone"})
"""


def ok(cli, *args: str) -> str:
    result = cli(*args)
    assert result.status == 0 and result.err == "", result
    return result.out


@pytest.fixture
def form_then_step_up(cli, tmp_path):
    for name, code in (("form", FORM), ("step-up", ROLES_CHALLENGE)):
        path = tmp_path / f"{name}.py"
        path.write_text(code)
        ok(cli, "save", name, "--trigger", "post-login", "--code", str(path))
        ok(cli, "deploy", name)
    ok(cli, "flows", "bind", "post-login", "form", "step-up")
    event = get_trigger("post-login").sample_payload()
    event["authorization"] = {"roles": ["admin"]}
    path = tmp_path / "login.json"
    path.write_text(json.dumps(event))
    return path


def write(tmp_path, name: str, value) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(value))
    return str(path)


def test_a_form_then_a_challenge_resume_with_the_prompt_then_the_methods(cli, tmp_path, form_then_step_up):
    """The Forms sample (https://auth0.com/docs/customize/forms/render) reads event.prompt on
    continue; the roles sample (customize-mfa-selection-universal-login) then suspends again with
    two challenges in order; the last continue carries the methods performed."""
    run = ok(cli, "flows", "run", "post-login", "--event", str(form_then_step_up), "--executor", "inline", "--json")
    first = json.loads(run)
    assert first["outcome"]["prompt"] == {"prompt_id": "ap_fuVuFiiQWN3mTEujWTy966", "options": {}}

    prompt = {"id": "ap_fuVuFiiQWN3mTEujWTy966", "fields": {"company_name": "Okta"}, "vars": {}}
    form_answer = write(tmp_path, "form.json", {"query": {"state": "s1"}, "prompt": prompt})
    second = json.loads(ok(cli, "flows", "continue", first["id"], "--request", form_answer, "--json"))
    assert second["outcome"]["status"] == "suspended" and second["outcome"]["prompt"] is None
    assert [c["factor"]["type"] for c in second["outcome"]["mfa_commands"]] == ["otp", "phone"]
    assert second["outcome"]["user_metadata"] == {"company_name": "Okta"}

    now = datetime.now(UTC).isoformat()
    methods = [{"name": "pwd", "timestamp": now}] + [
        {"name": "mfa", "type": t, "timestamp": now} for t in ("otp", "phone")
    ]
    mfa_answer = write(tmp_path, "mfa.json", {"query": {"state": "s1"}, "authentication": {"methods": methods}})
    text = ok(cli, "flows", "continue", first["id"], "--request", mfa_answer)
    assert "outcome: ALLOWED" in text and "company_name" in text
    shown = json.loads(ok(cli, "executions", "show", first["id"], "--json"))
    assert shown["status"] == "final"
    assert [r["action_name"] for r in shown["results"]] == ["form", "form", "step-up", "step-up"]


@pytest.mark.parametrize(
    "request_, message",
    [
        ({"authentication": {"methods": "otp"}}, "$.authentication.methods: expected an array"),
        ({"authentication": {"factors": []}}, '"authentication" must be {"methods": [...]}'),
        ({"prompt": {"fields": {"company_name": "Okta"}}}, "$.prompt.id"),
        ([{"query": {}}], "request file"),
    ],
)
def test_a_bad_continue_request_file_is_one_line_and_changes_nothing(
    cli, refused, tmp_path, form_then_step_up, request_, message
):
    run = ok(cli, "flows", "run", "post-login", "--event", str(form_then_step_up), "--executor", "inline", "--json")
    suspended = json.loads(run)["id"]
    line = refused("flows", "continue", suspended, "--request", write(tmp_path, "bad.json", request_))
    assert message in line and ("the continue request" in line or "request file" in line)
    assert json.loads(ok(cli, "executions", "show", suspended, "--json"))["status"] == "suspended"


def test_the_help_names_what_a_continue_request_carries(cli):
    text = " ".join(ok(cli, "flows", "continue", "--help").split())
    assert "prompt" in text and "authentication" in text and "/continue query and body" in text
