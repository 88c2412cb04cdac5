"""The lifecycle through the `jupyter-actions` command (its `main`, in this process), including its errors."""

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


def test_whole_lifecycle(cli, code_file, tmp_path, actions_home):
    outputs = []

    def ok(*args, **kwargs):
        result = cli(*args, **kwargs)
        assert result.status == 0, result.err
        outputs.append(result.out + result.err)
        return result

    ok("save", "hello", "--trigger", "post-login", "--code", str(code_file), "--secret", "API_KEY")
    ok("secrets", "set", "hello", "API_KEY", stdin=SECRET + "\n")
    ok("secrets", "set", "hello", "OTHER", "--from-env", "MY_VAR", env={"MY_VAR": SECRET + "-env"})
    listed = json.loads(ok("secrets", "list", "hello", "--json").out)
    assert [s["name"] for s in listed] == ["API_KEY", "OTHER"] and all(s["is_set"] for s in listed)
    assert "deployed hello version 1" in ok("deploy", "hello", "--message", "first").out
    assert "no new version" in ok("deploy", "hello").out
    code_file.write_text(POST_LOGIN_CODE + "\n# two\n")
    ok("save", "hello", "--trigger", "post-login", "--code", str(code_file))
    assert "+# two" in ok("diff", "hello", "1", "draft").out
    version = json.loads(ok("deploy", "hello", "--json").out)
    assert version["number"] == 2 and version["deployed"] and version["created"]
    assert version["action"]["name"] == "hello" and version["secrets"][0].keys() == {"name", "updated_at"}
    history = json.loads(ok("versions", "hello", "--json").out)
    assert history["total"] == 2 and [v["number"] for v in history["versions"]] == [2, 1]
    assert "DEPLOYED" in ok("versions", "hello").out
    assert "deployed as version 3" in ok("rollback", "hello", "1").out
    bound = json.loads(ok("flows", "bind", "post-login", "hello", "--json").out)
    assert bound["bindings"][0]["action"]["name"] == "hello" and bound["bindings"][0]["version"] == 3
    assert "hello" in ok("flows", "show", "post-login").out
    flows = json.loads(ok("flows", "list", "--json").out)
    assert len(flows) == 11 and [b["display_name"] for b in flows["post-login"]] == ["hello"]
    action = json.loads(ok("actions", "show", "hello", "--json").out)
    assert action["deployed_version"]["number"] == 3 and action["supported_triggers"] == [
        {"id": "post-login", "version": "v3"}
    ]
    listing = json.loads(ok("actions", "list", "--json").out)
    assert listing["total"] == 1 and listing["actions"][0]["name"] == "hello"
    ok("actions", "show", "hello")
    ok("actions", "delete", "hello", "--force")
    assert json.loads(ok("actions", "list", "--json").out)["total"] == 0
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
def test_user_errors_are_one_line_with_status_1(cli, code_file, args, message):
    result = cli(*[a.replace("{code}", str(code_file)) for a in args])
    assert result.status == 1, result.out
    assert result.err.count("\n") == 1 and result.err.startswith("error: ")
    assert message in result.err
    assert result.out == ""


def test_usage_errors_exit_2_and_help_everywhere(cli):
    assert cli("deploy").status == 2
    assert cli("frobnicate").status == 2
    refused = cli("diff", "ghost", "x")  # the version-reference parser, as in %action diff
    assert refused.status == 2 and "argument old: 'x' is not a version" in refused.err
    for command in (
        ["--help"],
        ["save", "--help"],
        ["actions", "list", "--help"],
        ["secrets", "set", "--help"],
        ["flows", "bind", "--help"],
        ["versions", "--help"],
        ["rollback", "--help"],
        ["diff", "--help"],
    ):
        result = cli(*command)
        assert result.status == 0 and "usage:" in result.out, command


def test_delete_bound_action_refused(cli, code_file):
    assert cli("save", "hello", "--trigger", "post-login", "--code", str(code_file)).status == 0
    assert cli("deploy", "hello").status == 0
    assert cli("flows", "bind", "post-login", "hello").status == 0
    result = cli("actions", "delete", "hello")
    assert result.status == 1 and "bound to the post-login flow" in result.err
    assert "hello" in cli("actions", "list").out
