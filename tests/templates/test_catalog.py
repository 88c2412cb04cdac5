"""The gallery as data: what it holds, how a case payload is built, how a template becomes a cell."""

from __future__ import annotations

import pytest

from jupyter_actions.errors import InvalidInputError, NotFoundError
from jupyter_actions.frontends.cells import template_cell
from jupyter_actions.module_imports import imported_modules
from jupyter_actions.templates import get_template, list_templates, load_template
from jupyter_actions.tenant.modules import check_module_code
from jupyter_actions.triggers import TRIGGER_IDS, get_trigger

from .casecheck import provider_secrets

WANTED = {  # what a user looks for (issue 5), by template id
    "slack-notify-login",
    "ip-allowlist",
    "deny-by-country",
    "roles-permissions-claims",
    "mfa-for-admins",
    "terms-redirect",
    "login-counter",
    "block-disposable-email",
    "m2m-scopes-claims",
    "sms-http-provider",
    "phone-http-provider",
    "email-http-provider",
    "rate-limit-logins",
    "event-stream-webhook",
    "log-logins-module",  # issue 16: a template that uses an Actions Module with its own secrets
}


def test_the_gallery_covers_what_users_look_for_across_triggers() -> None:
    templates = list_templates()
    assert {t.id for t in templates} >= WANTED
    assert len(templates) >= 12
    assert len({t.trigger for t in templates}) >= 6
    assert [t.id for t in templates] == sorted(t.id for t in templates)


@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.id)
def test_every_template_is_complete(template) -> None:
    assert template.trigger in TRIGGER_IDS
    assert template.title and len(template.description) > 40
    assert f"def {get_trigger(template.trigger).handler}(" in template.code
    assert template.cases, "every template has test cases"
    assert set(template.test_secrets) == set(template.secrets), "the tests give every declared secret a value"
    compile(template.code, template.id, "exec")
    assert imported_modules(template.code, template.id) == {m.name for m in template.modules}
    for module in template.modules:
        check_module_code(module.name, module.code)
        assert set(module.test_secrets) == set(module.secrets)


def test_a_case_payload_is_the_sample_with_the_changes_merged_in() -> None:
    template = get_template("ip-allowlist")
    case = template.cases[1]
    payload = template.payload(case)
    sample = get_trigger("post-login").sample_payload()
    assert payload["request"]["ip"] == case.payload["request"]["ip"] != sample["request"]["ip"]
    assert payload["request"]["geoip"] == sample["request"]["geoip"]  # untouched siblings stay
    assert template.payload(case) is not payload  # a fresh copy every time


def test_a_template_becomes_an_action_cell() -> None:
    cell = template_cell(get_template("slack-notify-login"), "my-slack-action")
    first, _, code = cell.partition("\n")
    assert first == (
        "%%action my-slack-action --trigger post-login --secret SLACK_WEBHOOK_URL --dependency slack-sdk"
        " --template slack-notify-login"
    )
    assert code == get_template("slack-notify-login").code


def test_test_secret_values_point_at_the_local_provider() -> None:
    values = provider_secrets(get_template("sms-http-provider"), "http://127.0.0.1:9/hook")
    assert values == {"SMS_API_URL": "http://127.0.0.1:9/hook", "SMS_API_KEY": "sms-api-key-for-tests"}


def test_an_unknown_template_is_a_not_found_error() -> None:
    with pytest.raises(NotFoundError, match="unknown template 'nope'"):
        get_template("nope")


def test_the_cases_an_action_brings_run_once_against_the_usual_provider_answer_and_state_the_whole_outcome() -> None:
    email = get_template("email-http-provider")
    assert [c.name for c in email.action_cases()] == ["the verification email is delivered"]  # 503, 422: gallery only
    assert get_template("rate-limit-logins").action_cases() == ()  # runs = 3 and 4
    terms = get_template("terms-redirect")
    assert "a user who has not accepted the terms is redirected" not in [
        c.name for c in terms.action_cases()
    ]  # partial
    assert len(terms.action_cases()) == 2


def test_a_nested_unset_key_is_null_in_the_expectation_and_a_top_level_one_is_left_out() -> None:
    admin, viewer = get_template("mfa-for-admins").cases
    assert admin.expected() == {
        "status": "allowed",
        "multifactor": {"provider": "any", "allow_remember_browser": False, "provider_options": None},
    }
    assert viewer.expected() == {"status": "allowed"}
    assert "provider_options" not in admin.expect_outcome["multifactor"]  # the manifest data stays as loaded


def test_a_template_cell_names_the_modules_it_imports() -> None:
    first = template_cell(get_template("log-logins-module")).partition("\n")[0]
    assert first == "%%action log-logins-module --trigger post-login --module logger --template log-logins-module"


def test_a_template_module_is_its_code_and_its_table() -> None:
    (logger,) = get_template("log-logins-module").modules
    assert (logger.name, logger.secrets, logger.dependencies) == ("logger", ("SERVICE_URL", "API_KEY"), ())
    assert "actions.secrets.API_KEY" in logger.code
    assert get_template("log-logins-module").to_json()["modules"][0]["secrets"] == ["SERVICE_URL", "API_KEY"]
    assert "test_secrets" not in get_template("log-logins-module").to_json()["modules"][0]


_GOOD = """title = "t"
description = "d"
trigger = "post-login"
[[cases]]
name = "c"
[cases.expect]
outcome = { status = "allowed" }
"""
_MODULE = """
[modules.logger]
secrets = ["API_KEY"]
[modules.logger.test_secrets]
API_KEY = "key-for-tests"
"""
_ACTION = "from actions_modules import logger\n\nasync def on_execute_post_login(event, api):\n    pass\n"


def _folder(tmp_path, manifest: str, code: str = _ACTION, modules: dict[str, str] | None = None):
    (tmp_path / "manifest.toml").write_text(manifest)
    (tmp_path / "code.py").write_text(code)
    for name, text in (modules if modules is not None else {"logger.py": "def send(): pass\n"}).items():
        (tmp_path / "modules").mkdir(exist_ok=True)
        (tmp_path / "modules" / name).write_text(text)
    return tmp_path


def test_a_well_formed_template_with_a_module_loads(tmp_path) -> None:
    template = load_template(_folder(tmp_path, _GOOD + _MODULE), "mine")
    assert [(m.name, m.secrets, dict(m.test_secrets)) for m in template.modules] == [
        ("logger", ("API_KEY",), {"API_KEY": "key-for-tests"})
    ]


@pytest.mark.parametrize(
    ("manifest", "code", "files", "message"),
    [
        (
            _GOOD,
            _ACTION,
            {},
            "template mine: code.py imports module logger that manifest.toml does not declare: add [modules.logger] and modules/logger.py",
        ),
        (_GOOD + _MODULE, _ACTION, {}, "template mine: module logger has no code: put it in modules/logger.py"),
        (
            _GOOD,
            "x = 1\n",
            None,
            "template mine: modules/logger.py is not declared: add [modules.logger] to manifest.toml or remove the file",
        ),
        (
            "modules = ['logger']\n" + _GOOD,
            _ACTION,
            None,
            "template mine: modules must be one table per module, such as [modules.logger]",
        ),
        (_GOOD + "[modules.Bad-Name]\n", _ACTION, None, "template mine: invalid module name 'Bad-Name'"),
        (
            _GOOD + _MODULE.replace("secrets = ", "secret = "),
            _ACTION,
            None,
            "template mine: module logger has unknown key 'secret': use secrets, dependencies, test_secrets",
        ),
        (
            _GOOD + _MODULE.replace('["API_KEY"]', '"API_KEY"'),
            _ACTION,
            None,
            'template mine: module logger: secrets must be a list of strings, such as ["API_KEY"]',
        ),
        (
            _GOOD + _MODULE.replace('API_KEY = "key-for-tests"', ""),
            _ACTION,
            None,
            "template mine: module logger: test_secrets must give a value to each of its secrets (API_KEY)",
        ),
        (
            _GOOD + _MODULE.replace('"key-for-tests"', "7"),
            _ACTION,
            None,
            "template mine: module logger: test_secrets: the value of API_KEY must be a string",
        ),
        (
            _GOOD + _MODULE.replace("secrets = [", "dependencies = 3\nsecrets = ["),
            _ACTION,
            None,
            "template mine: module logger: dependencies must be a list of strings",
        ),
        (
            _GOOD.replace('trigger = "post-login"', ""),
            _ACTION,
            None,
            "template mine: manifest.toml lacks trigger: add it",
        ),
        ("title = ", _ACTION, None, "template mine: manifest.toml is not valid TOML"),
    ],
)
def test_a_bad_manifest_is_one_line_that_names_the_template(tmp_path, manifest, code, files, message) -> None:
    with pytest.raises(InvalidInputError) as raised:
        load_template(_folder(tmp_path, manifest, code, files), "mine")
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value), str(raised.value)
