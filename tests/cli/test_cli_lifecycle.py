"""The lifecycle through the real `jupyter-actions` command, including its errors."""

from __future__ import annotations

import json

import pytest

from tests.conftest import POST_LOGIN_CODE

SECRET = "cli-Distinctive-Secret-4242"


@pytest.fixture
def code_file(tmp_path):
    path = tmp_path / "hello.py"
    path.write_text(POST_LOGIN_CODE)
    return path


def test_whole_lifecycle(run_cli, code_file, tmp_path, actions_home):
    outputs = []

    def ok(*args, **kwargs):
        result = run_cli(*args, **kwargs)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout + result.stderr)
        return result

    ok("save", "hello", "--trigger", "post-login", "--code", str(code_file), "--secret", "API_KEY")
    ok("secrets", "set", "hello", "API_KEY", stdin=SECRET + "\n")
    ok("secrets", "set", "hello", "OTHER", "--from-env", "MY_VAR", env={"MY_VAR": SECRET + "-env"})
    listed = json.loads(ok("secrets", "list", "hello", "--json").stdout)
    assert [s["name"] for s in listed] == ["API_KEY", "OTHER"] and all(s["is_set"] for s in listed)
    assert "deployed hello version 1" in ok("deploy", "hello", "--message", "first").stdout
    assert "no new version" in ok("deploy", "hello").stdout
    code_file.write_text(POST_LOGIN_CODE + "\n# two\n")
    ok("save", "hello", "--trigger", "post-login", "--code", str(code_file))
    assert "+# two" in ok("diff", "hello", "1", "draft").stdout
    version = json.loads(ok("deploy", "hello", "--json").stdout)
    assert version["number"] == 2 and version["deployed"] and version["created"]
    assert version["action"]["name"] == "hello" and version["secrets"][0].keys() == {"name", "updated_at"}
    history = json.loads(ok("versions", "hello", "--json").stdout)
    assert history["total"] == 2 and [v["number"] for v in history["versions"]] == [2, 1]
    assert "DEPLOYED" in ok("versions", "hello").stdout
    assert "deployed as version 3" in ok("rollback", "hello", "1").stdout
    bound = json.loads(ok("flows", "bind", "post-login", "hello", "--json").stdout)
    assert bound["bindings"][0]["action"]["name"] == "hello" and bound["bindings"][0]["version"] == 3
    assert "hello" in ok("flows", "show", "post-login").stdout
    flows = json.loads(ok("flows", "list", "--json").stdout)
    assert len(flows) == 11 and [b["display_name"] for b in flows["post-login"]] == ["hello"]
    action = json.loads(ok("actions", "show", "hello", "--json").stdout)
    assert action["deployed_version"]["number"] == 3 and action["supported_triggers"] == [{"id": "post-login", "version": "v3"}]
    listing = json.loads(ok("actions", "list", "--json").stdout)
    assert listing["total"] == 1 and listing["actions"][0]["name"] == "hello"
    ok("actions", "show", "hello")
    ok("actions", "delete", "hello", "--force")
    assert json.loads(ok("actions", "list", "--json").stdout)["total"] == 0
    for text in outputs:
        assert SECRET not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("save", "Bad Name", "--trigger", "post-login", "--code", "{code}"), "invalid action name"),
        (("save", "x", "--trigger", "nope", "--code", "{code}"), "unknown trigger 'nope'"),
        (("save", "x", "--trigger", "post-login", "--code", "/no/such/file.py"), "cannot read the code file"),
        (("deploy", "ghost"), "action 'ghost' does not exist"),
        (("rollback", "ghost", "1"), "does not exist"),
        (("flows", "bind", "post-login", "ghost"), "That action does not exist"),
        (("secrets", "set", "ghost", "1BAD", "--from-env", "HOME"), "invalid secret name"),
        (("secrets", "set", "ghost", "OK", "--from-env", "UNSET_VAR_XYZ"), "UNSET_VAR_XYZ is not set"),
        (("settings", "set", "max_versions", "zero"), "takes a number"),
        (("--tenant", "Bad/Name", "actions", "list"), "invalid tenant name"),
    ],
)
def test_user_errors_are_one_line_with_status_1(run_cli, code_file, args, message):
    result = run_cli(*[a.replace("{code}", str(code_file)) for a in args])
    assert result.returncode == 1, result.stdout
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert message in result.stderr
    assert result.stdout == ""


def test_usage_errors_exit_2_and_help_everywhere(run_cli):
    assert run_cli("deploy").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    refused = run_cli("diff", "ghost", "x")  # the version-reference parser, as in %action diff
    assert refused.returncode == 2 and "argument old: 'x' is not a version" in refused.stderr
    for command in (["--help"], ["save", "--help"], ["actions", "list", "--help"], ["secrets", "set", "--help"],
                    ["flows", "bind", "--help"], ["versions", "--help"], ["rollback", "--help"], ["diff", "--help"]):
        result = run_cli(*command)
        assert result.returncode == 0 and "usage:" in result.stdout, command


def test_delete_bound_action_refused(run_cli, code_file):
    assert run_cli("save", "hello", "--trigger", "post-login", "--code", str(code_file)).returncode == 0
    assert run_cli("deploy", "hello").returncode == 0
    assert run_cli("flows", "bind", "post-login", "hello").returncode == 0
    result = run_cli("actions", "delete", "hello")
    assert result.returncode == 1 and "bound to the post-login flow" in result.stderr
    assert "hello" in run_cli("actions", "list").stdout
