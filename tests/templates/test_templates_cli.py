"""``jupyter-actions templates list|show ID|use ID``."""

from __future__ import annotations

import json

from jupyter_actions.cli import main
from jupyter_actions.templates import get_template, list_templates
from tests.store_rows import snapshot


def test_list_shows_every_template(capsys) -> None:
    assert main(["templates", "list"]) == 0
    out = capsys.readouterr().out
    for template in list_templates():
        assert template.id in out


def test_list_json_is_json_only(capsys) -> None:
    assert main(["templates", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [t["id"] for t in listed] == [t.id for t in list_templates()]
    assert listed[0]["cases"][0]["name"]


def test_show_gives_needs_cases_and_code(capsys) -> None:
    assert main(["templates", "show", "slack-notify-login"]) == 0
    out = capsys.readouterr().out
    assert "SLACK_WEBHOOK_URL" in out and "slack-sdk" in out
    assert "jupyter-actions templates use slack-notify-login" in out
    assert get_template("slack-notify-login").code in out


def test_show_names_the_module_and_how_to_give_its_secrets(capsys) -> None:
    assert main(["templates", "show", "log-logins-module"]) == 0
    out = capsys.readouterr().out
    assert "module        logger (needs SERVICE_URL, API_KEY)" in out
    assert (
        "jupyter-actions templates use log-logins-module [--name NAME]"
        " --module-secret-from-env logger.SERVICE_URL=VAR --module-secret-from-env logger.API_KEY=VAR"
    ) in out


def test_show_code_prints_only_the_code(capsys) -> None:
    assert main(["templates", "show", "login-counter", "--code"]) == 0
    assert capsys.readouterr().out == get_template("login-counter").code


def test_an_unknown_template_is_one_line_and_status_1(capsys) -> None:
    assert main(["templates", "show", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown template 'nope'") and err.count("\n") == 1


def test_show_marks_the_cases_an_action_does_not_bring(capsys) -> None:
    assert main(["templates", "show", "rate-limit-logins"]) == 0
    assert "three logins in a minute are allowed (gallery only)" in capsys.readouterr().out


def test_use_creates_the_action_with_its_cases_and_says_what_to_set(tenant, capsys) -> None:
    assert main(["templates", "use", "event-stream-webhook", "--name", "hook"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "saved draft of hook (event-stream) from template event-stream-webhook, with 1 test case",
        "set its secret: jupyter-actions secrets set hook WEBHOOK_TOKEN",
        "set its secret: jupyter-actions secrets set hook WEBHOOK_URL",
        "run its cases:  jupyter-actions test hook --cases",
    ]
    assert [c.name for c in tenant.test_cases("hook")] == ["a user.created event reaches the webhook"]


def test_use_json_is_the_action(capsys) -> None:
    assert main(["templates", "use", "login-counter", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "login-counter"


def test_use_refuses_a_taken_name_in_one_line(tenant, capsys) -> None:
    assert main(["templates", "use", "login-counter"]) == 0
    capsys.readouterr()
    assert main(["templates", "use", "ip-allowlist", "--name", "login-counter"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: an action named login-counter exists already: give the action made from the template "
        "another name, or delete the existing one first\n"
    )
    assert tenant.get_action("login-counter").code == get_template("login-counter").code


def test_use_deploys_the_templates_module_with_secrets_from_the_environment(tenant, provider, capsys, monkeypatch):
    """Auth0's first Actions Module sample, from the gallery: the module is created, its secrets
    read from the environment (never the command line), deployed and pinned; the cases pass."""
    monkeypatch.setenv("LOGGER_URL", provider.url)
    monkeypatch.setenv("LOGGER_KEY", "logger-key-from-env-3c9d")
    args = ["templates", "use", "log-logins-module", "--name", "logins"]
    args += ["--module-secret-from-env", "logger.SERVICE_URL=LOGGER_URL"]
    args += ["--module-secret-from-env", "logger.API_KEY=LOGGER_KEY"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "saved draft of logins (post-login) from template log-logins-module, with 1 test case",
        "imports module logger, pinned to version 1",
        "run its cases:  jupyter-actions test logins --cases",
    ]
    assert main(["test", "logins", "--cases"]) == 0
    assert [r.headers["X-API-Key"] for r in provider.requests] == ["logger-key-from-env-3c9d"]
    assert "logger-key-from-env-3c9d" not in capsys.readouterr().out


def test_use_refuses_a_missing_module_secret_or_a_bad_flag_in_one_line(tenant, capsys, monkeypatch) -> None:
    before = snapshot(tenant)
    monkeypatch.setenv("LOGGER_URL", "http://127.0.0.1:9/logs")
    for extra, expected in (
        (
            ["logger.SERVICE_URL=LOGGER_URL"],
            "error: module logger of template log-logins-module needs a value for its secret API_KEY",
        ),
        (["logger=LOGGER_URL"], "error: invalid --module-secret-from-env 'logger=LOGGER_URL': write MODULE.SECRET=VAR"),
        (["logger.API_KEY=NOT_SET_ANYWHERE"], "error: environment variable NOT_SET_ANYWHERE is not set"),
    ):
        flags = [word for spec in extra for word in ("--module-secret-from-env", spec)]
        assert main(["templates", "use", "log-logins-module", *flags]) == 1
        err = capsys.readouterr().err
        assert err.startswith(expected) and err.count("\n") == 1, err
    assert snapshot(tenant) == before
