"""``jupyter-actions templates list|show ID``."""

from __future__ import annotations

import json

from jupyter_actions.cli import main
from jupyter_actions.templates import get_template, list_templates


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
    assert "--secret SLACK_WEBHOOK_URL --dependency slack-sdk" in out
    assert get_template("slack-notify-login").code in out


def test_show_code_prints_only_the_code(capsys) -> None:
    assert main(["templates", "show", "login-counter", "--code"]) == 0
    assert capsys.readouterr().out == get_template("login-counter").code


def test_an_unknown_template_is_one_line_and_status_1(capsys) -> None:
    assert main(["templates", "show", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown template 'nope'") and err.count("\n") == 1
