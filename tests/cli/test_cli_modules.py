"""``jupyter-actions modules ...`` and ``save --module``: the Actions Modules lifecycle and its refusals."""

from __future__ import annotations

import json

import pytest

MODULE_SECRET = "cli-module-Secret-9911"
MODULE = 'def greeting():\n    return "hello from " + actions.secrets.GREETER[:3]\n'
ACTION = """
from actions_modules import greeter

async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("greeting", greeter.greeting())
    print("secret seen:", greeter.actions.secrets.GREETER)
"""


@pytest.fixture
def files(tmp_path):
    module, action = tmp_path / "greeter.py", tmp_path / "action.py"
    module.write_text(MODULE)
    action.write_text(ACTION)
    return module, action


@pytest.fixture
def ok(cli):
    def run(*args, **kwargs):
        result = cli(*args, **kwargs)
        assert result.status == 0, result.err
        assert MODULE_SECRET not in result.out + result.err
        return result

    return run


def test_module_lifecycle(ok, files) -> None:
    module, action = files
    assert (
        "saved draft of module greeter"
        in ok("modules", "save", "greeter", "--code", str(module), "--secret", "GREETER").out
    )
    assert "draft unchanged" in ok("modules", "save", "greeter", "--code", str(module)).out
    ok("modules", "secrets", "set", "greeter", "GREETER", stdin=MODULE_SECRET + "\n")
    assert json.loads(ok("modules", "secrets", "list", "greeter", "--json").out)[0]["is_set"] is True
    assert "version 1" in ok("modules", "deploy", "greeter", "--message", "first").out
    version = json.loads(ok("modules", "deploy", "greeter", "--json").out)
    assert version["version_number"] == 2 and version["secrets"][0].keys() == {"name", "updated_at"}
    ok("save", "greets", "--trigger", "post-login", "--code", str(action), "--module", "greeter@1", "--json")
    shown = json.loads(ok("actions", "show", "greets", "--json").out)
    assert [(m["module_name"], m["module_version_number"]) for m in shown["modules"]] == [("greeter", 1)]
    tested = json.loads(ok("test", "greets", "--json").out)
    assert tested["outcome"]["id_token_claims"] == {"greeting": "hello from cli"}
    assert "secret seen: [REDACTED]" in tested["results"][0]["response"]["logs"]
    listed = json.loads(ok("modules", "list", "--json").out)
    assert listed["total"] == 1 and listed["modules"][0]["actions_using_module_total"] == 1
    assert [
        v["version_number"] for v in json.loads(ok("modules", "versions", "greeter", "--json").out)["versions"]
    ] == [2, 1]
    assert "greeter" in ok("modules", "list").out
    assert "code (version 1):" in ok("modules", "show", "greeter", "--version", "1").out
    assert "GREETER (set)" in ok("modules", "show", "greeter").out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("modules", "show", "nope"), "error: module 'nope' does not exist"),
        (("modules", "deploy", "nope"), "error: module 'nope' does not exist"),
        (("modules", "save", "Bad-Name", "--code", "{module}"), "error: invalid module name 'Bad-Name'"),
        (("modules", "secrets", "set", "nope", "KEY"), "error: module 'nope' does not exist"),
        (
            ("save", "greets", "--trigger", "post-login", "--code", "{action}", "--module", "greeter@x"),
            "error: invalid module version in 'greeter@x'",
        ),
        (
            ("save", "greets", "--trigger", "post-login", "--code", "{action}", "--module", "nope"),
            "error: module 'nope' does not exist",
        ),
    ],
)
def test_refusals_are_one_line(refused, ok, files, args, message) -> None:
    module, action = files
    ok("modules", "save", "greeter", "--code", str(module))  # the tenant exists, and so does the module
    filled = [a.format(module=module, action=action) for a in args]
    assert refused(*filled, stdin=MODULE_SECRET).startswith(message)


def test_missing_module_secret_and_module_importing_a_module(refused, ok, files, tmp_path) -> None:
    module, _ = files
    ok("modules", "save", "greeter", "--code", str(module), "--secret", "GREETER")
    assert refused("modules", "deploy", "greeter") == (
        "error: secret GREETER of module greeter has no value: set it before deploying with "
        "`jupyter-actions modules secrets set greeter GREETER`"
    )
    nested = tmp_path / "nested.py"
    nested.write_text("from actions_modules import greeter\n")
    assert refused("modules", "save", "wrapper", "--code", str(nested)).startswith(
        "error: module wrapper imports actions_modules (greeter): a module cannot import other modules"
    )
