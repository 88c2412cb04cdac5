"""Every command of ``jupyter-actions`` through its argv and its output, in this process: the
happy path, and a bad input that is one ``error: ...`` line and leaves the store as it was.

Only argv, stdout, stderr, the exit status and the public `Tenant` API are used, so that the
tests hold whatever the CLI's internals look like (the ``cli`` and ``refused`` fixtures are in
tests/conftest.py)."""

from __future__ import annotations

import json

import pytest

from jupyter_actions import Tenant
from jupyter_actions.triggers import get_trigger
from tests.cli.stored import stored
from tests.conftest import POST_LOGIN_CODE

SECRET = "inprocess-Secret-Value-7c1e"
REDIRECT_CODE = """
async def on_execute_post_login(event, api):
    api.redirect.send_user_to("https://example.com/consent")

async def on_continue_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/consented", True)
"""


@pytest.fixture
def code_file(tmp_path):
    path = tmp_path / "hello.py"
    path.write_text(POST_LOGIN_CODE)
    return path


@pytest.fixture
def hello(cli, code_file):
    """`hello` saved with the secret API_KEY set, and deployed once (version 1)."""
    assert cli("save", "hello", "--trigger", "post-login", "--code", str(code_file), "--secret", "API_KEY").status == 0
    assert cli("secrets", "set", "hello", "API_KEY", stdin=SECRET + "\n").status == 0
    assert cli("deploy", "hello").status == 0
    return code_file


@pytest.fixture
def event_file(tmp_path):
    path = tmp_path / "login.json"
    path.write_text(json.dumps(get_trigger("post-login").sample_payload()))
    return path


def ok(cli, *args: str, **options) -> str:
    """Run a command that must succeed; its stdout."""
    result = cli(*args, **options)
    assert result.status == 0 and result.err == "", result
    assert SECRET not in result.out
    return result.out


# Help --------------------------------------------------------------------------------------------
COMMANDS = [
    ["save"],
    ["actions", "list"],
    ["actions", "show"],
    ["actions", "delete"],
    ["deploy"],
    ["versions"],
    ["rollback"],
    ["diff"],
    ["secrets", "set"],
    ["secrets", "list"],
    ["secrets", "delete"],
    ["deps", "add"],
    ["deps", "remove"],
    ["deps", "list"],
    ["test"],
    ["executions", "list"],
    ["executions", "show"],
    ["flows", "list"],
    ["flows", "show"],
    ["flows", "bind"],
    ["flows", "run"],
    ["flows", "continue"],
    ["flows", "test"],
    ["replay"],
    ["templates", "list"],
    ["templates", "show"],
    ["triggers", "list"],
    ["triggers", "sample"],
    ["notebook", "run"],
    ["settings", "list"],
    ["settings", "set"],
    ["doctor"],
]


def test_the_top_level_help_names_every_command(cli):
    out = ok(cli, "--help")
    assert out.startswith("usage: jupyter-actions")
    for name in sorted({command[0] for command in COMMANDS}):
        assert f"\n    {name} " in out, name


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(cli, command):
    out = ok(cli, *command, "--help")
    assert out.startswith(f"usage: jupyter-actions {' '.join(command)}") and "--tenant" in out


def test_version(cli):
    assert ok(cli, "--version").startswith("jupyter-actions ")


# save, actions, deploy, versions, rollback, diff ----------------------------------------------------
def test_save_prints_the_action_and_declares_secrets_and_dependencies(cli, code_file):
    saved = json.loads(
        ok(
            cli,
            "save",
            "hello",
            "--trigger",
            "post-login",
            "--code",
            "-",
            "--secret",
            "API_KEY",
            "--json",
            stdin=POST_LOGIN_CODE,
        )
    )
    assert saved["name"] == "hello" and saved["code"] == POST_LOGIN_CODE
    assert [s["name"] for s in saved["secrets"]] == ["API_KEY"]
    assert ok(cli, "save", "hello", "--trigger", "post-login", "--code", str(code_file)) == "hello: draft unchanged\n"


def test_save_refuses_a_handler_that_is_missing(refused, hello, tmp_path):
    other = tmp_path / "other.py"
    other.write_text("def something_else(event, api):\n    pass\n")
    assert "on_execute_post_login" in refused("save", "hello", "--trigger", "post-login", "--code", str(other))


def test_save_without_the_code_option_is_a_usage_error(refused, hello):
    assert "--code" in refused("save", "hello", "--trigger", "post-login", status=2)


def test_actions_list_and_show(cli, hello):
    assert "hello" in ok(cli, "actions", "list")
    assert json.loads(ok(cli, "actions", "list", "--trigger", "post-login", "--json"))["total"] == 1
    assert json.loads(ok(cli, "actions", "list", "--trigger", "credentials-exchange", "--json"))["total"] == 0
    shown = ok(cli, "actions", "show", "hello")
    assert "hello" in shown and "post-login" in shown


def test_actions_show_and_delete_refuse_an_action_that_does_not_exist(refused, hello):
    assert "ghost" in refused("actions", "show", "ghost")
    assert "ghost" in refused("actions", "delete", "ghost")


def test_actions_delete_of_an_unbound_action(cli, hello):
    ok(cli, "actions", "delete", "hello")
    assert json.loads(ok(cli, "actions", "list", "--json"))["total"] == 0
    with Tenant() as tenant:
        assert tenant.list_actions() == []


def test_deploy_with_a_message_and_versions(cli, hello):
    hello.write_text(POST_LOGIN_CODE + "# two\n")
    ok(cli, "save", "hello", "--trigger", "post-login", "--code", str(hello))
    version = json.loads(ok(cli, "deploy", "hello", "--message", "sha-abc123", "--json"))
    assert (version["number"], version["message"]) == (2, "sha-abc123")
    listed = ok(cli, "versions", "hello")
    assert "DEPLOYED" in listed and "sha-abc123" in listed


def test_versions_of_an_action_that_does_not_exist(refused, hello):
    assert "action 'ghost' does not exist" in refused("versions", "ghost")


def test_rollback_with_update_draft_resets_the_draft(cli, hello):
    hello.write_text(POST_LOGIN_CODE + "# two\n")
    ok(cli, "save", "hello", "--trigger", "post-login", "--code", str(hello))
    ok(cli, "deploy", "hello")
    version = json.loads(ok(cli, "rollback", "hello", "1", "--update-draft", "--json"))
    assert version["number"] == 3 and version["code"] == POST_LOGIN_CODE
    assert ok(cli, "diff", "hello", "3") == "no differences\n"  # the draft is version 3's code again


def test_rollback_to_a_version_that_does_not_exist(refused, hello):
    assert "action hello has no version 7" in refused("rollback", "hello", "7")


def test_diff_between_two_versions(cli, hello):
    hello.write_text(POST_LOGIN_CODE + "# two\n")
    ok(cli, "save", "hello", "--trigger", "post-login", "--code", str(hello))
    ok(cli, "deploy", "hello")
    assert "+# two" in ok(cli, "diff", "hello", "1", "2")
    assert "-# two" in ok(cli, "diff", "hello", "2", "1")


def test_diff_with_a_word_that_is_not_a_version(refused, hello):
    assert "is not a version" in refused("diff", "hello", "1", "latest", status=2)


# secrets -----------------------------------------------------------------------------------------
def test_secrets_delete(cli, hello):
    assert "deleted secret API_KEY of hello" in ok(cli, "secrets", "delete", "hello", "API_KEY")
    assert json.loads(ok(cli, "secrets", "list", "hello", "--json")) == []


def test_secrets_delete_of_a_secret_that_does_not_exist(refused, hello):
    assert "action hello has no secret NOPE" in refused("secrets", "delete", "hello", "NOPE")


def test_secrets_set_takes_no_value_on_the_command_line(refused, hello):
    refused("secrets", "set", "hello", "API_KEY", SECRET, status=2)


# test --------------------------------------------------------------------------------------------
def test_test_runs_the_draft_on_the_sample_or_a_payload(cli, hello, event_file):
    out = ok(cli, "test", "hello")
    assert "ALLOWED" in out and "https://example.com/email" in out
    ran = json.loads(ok(cli, "test", "hello", "--payload", str(event_file), "--version", "1", "--json"))
    assert ran["kind"] == "test" and ran["results"][0]["version_number"] == 1
    with Tenant() as tenant:
        assert {e.id for e in tenant.executions(kind="test")} >= {ran["id"]}


def test_test_of_a_version_that_does_not_exist(refused, hello):
    assert "action hello has no version 9" in refused("test", "hello", "--version", "9")


def test_test_save_case_then_cases(cli, hello, event_file):
    ok(cli, "test", "hello", "--payload", str(event_file), "--save-case", "sample login")
    report = json.loads(ok(cli, "test", "hello", "--cases", "--json"))
    assert (report["passed"], report["failed"]) == (1, 0)


# executions (the logs) ----------------------------------------------------------------------------
def test_executions_list_and_show(cli, hello):
    ok(cli, "test", "hello")
    listed = json.loads(ok(cli, "executions", "list", "--kind", "test", "--status", "allowed", "--json"))
    (execution,) = listed["executions"]
    assert execution["id"] in ok(cli, "executions", "list", "--limit", "1")
    assert json.loads(ok(cli, "executions", "show", execution["id"], "--json"))["id"] == execution["id"]
    assert "ALLOWED" in ok(cli, "executions", "show", execution["id"])


def test_executions_show_of_an_id_that_does_not_exist(refused, hello):
    assert "execution 'nope' does not exist" in refused("executions", "show", "nope")


def test_executions_list_with_an_unknown_status_is_a_usage_error(refused, hello):
    assert "--status" in refused("executions", "list", "--status", "weird", status=2)


# flows -------------------------------------------------------------------------------------------
def test_flows_bind_show_and_empty(cli, hello):
    ok(cli, "flows", "bind", "post-login", "hello")
    assert "hello" in ok(cli, "flows", "show", "post-login")
    assert json.loads(ok(cli, "flows", "bind", "post-login", "--json"))["bindings"] == []
    assert json.loads(ok(cli, "flows", "list", "--json"))["post-login"] == []


def test_flows_show_of_a_trigger_that_does_not_exist(refused, hello):
    assert "unknown trigger 'post-logout'" in refused("flows", "show", "post-logout")


def test_flows_run_then_continue_a_suspended_execution(cli, tmp_path, event_file):
    code = tmp_path / "redirect.py"
    code.write_text(REDIRECT_CODE)
    ok(cli, "save", "consent", "--trigger", "post-login", "--code", str(code))
    ok(cli, "deploy", "consent")
    ok(cli, "flows", "bind", "post-login", "consent")
    suspended = json.loads(
        ok(cli, "flows", "run", "post-login", "--event", str(event_file), "--executor", "inline", "--json")
    )
    assert suspended["outcome"]["status"] == "suspended"
    resumed = json.loads(ok(cli, "flows", "continue", suspended["id"], "--json"))
    assert resumed["outcome"]["status"] == "allowed"
    assert resumed["outcome"]["id_token_claims"] == {"https://example.com/consented": True}


def test_flows_continue_refuses_an_execution_that_is_not_suspended(cli, refused, hello):
    ok(cli, "flows", "bind", "post-login", "hello")
    finished = json.loads(ok(cli, "test", "hello", "--json"))
    assert "only a suspended execution can be continued" in refused("flows", "continue", finished["id"])


def test_flows_test_with_no_saved_case(cli, hello):
    ok(cli, "flows", "bind", "post-login", "hello")
    assert ok(cli, "flows", "test", "post-login") == (
        "the post-login flow has no saved test cases: save one with --save-case NAME\n0 passed, 0 failed\n"
    )
    ok(cli, "flows", "test", "post-login", "--save-case", "sample through the flow")
    assert json.loads(ok(cli, "flows", "test", "post-login", "--json"))["passed"] == 1


# replay ------------------------------------------------------------------------------------------
def test_replay_refuses_a_candidate_that_is_not_bound(cli, refused, hello):
    ok(cli, "flows", "bind", "post-login", "hello")
    ok(cli, "save", "other", "--trigger", "post-login", "--code", "-", stdin=POST_LOGIN_CODE)
    assert "other" in refused("replay", "post-login", "--candidate", "other")


# templates, settings, tenants -----------------------------------------------------------------------
def test_templates_show_of_an_unknown_template(refused):
    assert "nope" in refused("templates", "show", "nope")


def test_settings_list_and_set(cli):
    assert json.loads(ok(cli, "settings", "list", "--json"))["flow_timeout_s"] == 20.0
    ok(cli, "settings", "set", "flow_timeout_s", "12.5")
    assert json.loads(ok(cli, "settings", "list", "--json"))["flow_timeout_s"] == 12.5
    assert "flow_timeout_s             12.5" in ok(cli, "settings", "list")


def test_settings_set_of_an_unknown_setting(cli, refused):
    ok(cli, "settings", "list")
    assert "no_such_setting" in refused("settings", "set", "no_such_setting", "1")


def test_the_tenant_option_and_variable_choose_the_tenant(cli, code_file, actions_home):
    ok(cli, "--tenant", "staging", "save", "hello", "--trigger", "post-login", "--code", str(code_file))
    ok(cli, "save", "other", "--trigger", "post-login", "--code", str(code_file), tenant="prod")
    with Tenant("staging") as staging, Tenant("prod") as prod:
        assert [a.name for a in staging.list_actions()] == ["hello"]
        assert [a.name for a in prod.list_actions()] == ["other"]
    assert "default" not in stored(actions_home)["tenants"]


# notebook ----------------------------------------------------------------------------------------
def test_notebook_run_of_a_file_that_does_not_exist(refused, tmp_path):
    assert "missing.ipynb" in refused("notebook", "run", str(tmp_path / "missing.ipynb"))


# deps (offline: the tiny packages of tests/deps/packages) --------------------------------------------
def test_deps_add_list_and_remove(offline, cli, code_file):
    ok(cli, "save", "hello", "--trigger", "post-login", "--code", str(code_file))
    ok(cli, "deps", "add", "hello", "ja-hello==1.0")
    listed = json.loads(ok(cli, "deps", "list", "hello", "--json"))
    assert (listed["dependencies"], listed["status"]) == ([{"name": "ja-hello", "version": "1.0"}], "built")
    ok(cli, "deps", "remove", "hello", "ja-hello")
    assert json.loads(ok(cli, "deps", "list", "hello", "--json"))["dependencies"] == []


def test_deps_add_of_a_version_that_does_not_exist(offline, cli, refused, code_file):
    ok(cli, "save", "hello", "--trigger", "post-login", "--code", str(code_file))
    assert "9.9" in refused("deps", "add", "hello", "ja-hello==9.9")


def test_deps_remove_of_a_package_that_is_not_a_dependency(cli, refused, code_file):
    ok(cli, "save", "hello", "--trigger", "post-login", "--code", str(code_file))
    assert "ja-hello" in refused("deps", "remove", "hello", "ja-hello")
